/* cmd_exec.c: `tinysim exec`: run a bare-metal ELF on an emulated Cortex-M target, forward its
 * semihosting output to stdout, and report cycles, instructions, CPI and traffic per memory
 * region. Layer: bench/ (prints, exits). Exit status: 0 when the program exits 0; 1 when it exits
 * non-zero (stated on stderr); 2 on a fault, an exceeded budget, or bad input. With --json the
 * program output is captured into the report's "output" field so stdout stays valid JSON. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "opts.h"
#include "record.h"
#include "report.h"
#include "runner.h"
#include "../sim/exec/exec.h"

#define MAX_SETS RUNNER_MAX_SETS

typedef struct exec_args {
    const char *target, *program;
    const char *sets[MAX_SETS];
    int n_sets;
    unsigned long long max_insns;
    bool json, exact_mem, fast_mem;
} exec_args;

typedef struct out_buf {
    char *bytes;
    size_t len, cap;
} out_buf;

/* Program output goes straight to stdout; the last byte is remembered so the report can
 * start on a line of its own. */
static void to_stdout(void *opaque, const char *bytes, size_t n)
{
    char *last = opaque;

    fwrite(bytes, 1, n, stdout);
    if (n > 0)
        *last = bytes[n - 1];
}

static void to_buffer(void *opaque, const char *bytes, size_t n)
{
    out_buf *b = opaque;

    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->bytes, cap);

        if (!p)
            return;
        b->bytes = p;
        b->cap = cap;
    }
    memcpy(b->bytes + b->len, bytes, n);
    b->len += n;
    b->bytes[b->len] = '\0';
}

enum { OPT_TARGET, OPT_MAX_INSNS, OPT_SET, OPT_JSON, OPT_EXACT_MEM, OPT_FAST_MEM };

#define EX_MEM 1u /* --exact-mem | --fast-mem */

static const opts_spec exec_opts[] = {
    {"--target", OPT_TARGET, OPTS_VALUE, 0},
    {"--max-insns", OPT_MAX_INSNS, OPTS_VALUE, 0},
    {"--set", OPT_SET, OPTS_VALUE | OPTS_REPEAT, 0},
    {"--json", OPT_JSON, 0, 0},
    {"--exact-mem", OPT_EXACT_MEM, 0, EX_MEM},
    {"--fast-mem", OPT_FAST_MEM, 0, EX_MEM},
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    exec_args *a = ctx;

    switch (id) {
    case OPTS_ARG:
        if (a->program)
            return cli_usage_error("exec: more than one program given ('%s', '%s')", a->program,
                                   v);
        a->program = v;
        break;
    case OPT_TARGET: a->target = v; break;
    case OPT_MAX_INSNS:
        if (cli_parse_u64(v, &a->max_insns) || a->max_insns == 0)
            return cli_usage_error("exec: %s: expected a positive integer, got '%s'", name, v);
        break;
    case OPT_SET:
        if (a->n_sets == MAX_SETS)
            return cli_usage_error("exec: more than %d --set options", MAX_SETS);
        a->sets[a->n_sets++] = v;
        break;
    case OPT_JSON: a->json = true; break;
    case OPT_EXACT_MEM: a->exact_mem = true; break;
    case OPT_FAST_MEM: a->fast_mem = true; break;
    default: break;
    }
    return TS_EXIT_OK;
}

static int parse_args(int argc, char **argv, exec_args *a)
{
    int rc = opts_parse("exec", exec_opts, OPTS_N(exec_opts), argc, argv, 1, on_option, a);

    if (rc == TS_EXIT_OK && (!a->target || !a->program))
        rc = cli_usage_error("exec: expected --target NAME|FILE.json and PROGRAM.elf");
    return rc;
}

static void print_text(const ts_target *t, const exec_args *a, const ts_core_stats *s)
{
    char c[6][32], clock[32], sets[512], ms[48];

    fmt_clock(clock, sizeof clock, t->clock_hz);
    printf("target        %s%s%s (%s, %s)\n", t->name, a->n_sets ? " with " : "",
           fmt_sets(sets, sizeof sets, a->sets, a->n_sets), ts_target_core_name(t->core), clock);
    printf("exit code     %d\n", s->exit_code);
    printf("cycles        %s (%s ms at %s)\n", fmt_count(c[0], sizeof c[0], s->cycles),
           fmt_fixed(ms, sizeof ms, (double)s->cycles / (double)t->clock_hz * 1e3, 3), clock);
    printf("instructions  %s (CPI %.3f)\n", fmt_count(c[1], sizeof c[1], s->insns),
           s->insns ? (double)s->cycles / (double)s->insns : 0.0);
    printf("branches      %s taken (+%s refill cycles)\n",
           fmt_count(c[2], sizeof c[2], s->taken_branches),
           fmt_count(c[3], sizeof c[3], s->branch_cycles));
    printf("stalls        %s wait-state cycles, %s divide cycles\n",
           fmt_count(c[4], sizeof c[4], s->mem_stall_cycles),
           fmt_count(c[5], sizeof c[5], s->div_extra_cycles));
    report_regions(t, s->region, s->n_regions);
}

/* The report as JSON; fault_rc != 0: the run stopped on a fault (error line already printed):
 * the figures up to the fault, "exit_code" null and the "error" (the JSON rule, cli.h). */
static void print_json(const ts_target *t, const exec_args *a, const ts_core_stats *s,
                       const out_buf *out, int fault_rc)
{
    cJSON *o = cJSON_CreateObject(), *regions = cJSON_CreateArray(), *classes;
    char *text;

    cJSON_AddStringToObject(o, "target", t->name);
    cJSON_AddStringToObject(o, "core", ts_target_core_name(t->core));
    cJSON_AddNumberToObject(o, "clock_hz", (double)t->clock_hz);
    cJSON_AddItemToObject(o, "sets", record_sets_json(a->sets, a->n_sets));
    cJSON_AddStringToObject(o, "program", a->program);
    if (fault_rc)
        cJSON_AddItemToObject(o, "error", cli_error_json(fault_rc));
    cJSON_AddItemToObject(o, "exit_code", fault_rc ? cJSON_CreateNull()
                                                   : cJSON_CreateNumber(s->exit_code));
    cJSON_AddNumberToObject(o, "cycles", (double)s->cycles);
    cJSON_AddNumberToObject(o, "instructions", (double)s->insns);
    cJSON_AddNumberToObject(o, "cpi", s->insns ? (double)s->cycles / (double)s->insns : 0.0);
    cJSON_AddNumberToObject(o, "taken_branches", (double)s->taken_branches);
    cJSON_AddNumberToObject(o, "branch_cycles", (double)s->branch_cycles);
    cJSON_AddNumberToObject(o, "mem_stall_cycles", (double)s->mem_stall_cycles);
    cJSON_AddNumberToObject(o, "div_extra_cycles", (double)s->div_extra_cycles);
    classes = cJSON_AddObjectToObject(o, "class_instructions");
    for (int i = 0; i < TS_N_OPCLASS; i++)
        if (s->class_insns[i])
            cJSON_AddNumberToObject(classes, ts_opclass_name((ts_opclass)i),
                                    (double)s->class_insns[i]);
    for (unsigned i = 0; i < s->n_regions; i++)
        cJSON_AddItemToArray(regions, report_region_json(&t->regions[i], &s->region[i]));
    cJSON_AddItemToObject(o, "regions", regions);
    cJSON_AddStringToObject(o, "output", out->bytes ? out->bytes : "");
    text = cJSON_Print(o);
    if (text)
        puts(text);
    free(text);
    cJSON_Delete(o);
}

/* Runs the program; prints the report (text, or JSON also after a fault) and the error line.
 * Returns the exit status. */
static int run_program(const ts_target *t, const exec_args *a, ts_core_config *cfg)
{
    ts_core_stats s;
    out_buf out = {0};
    char last_out = '\n';
    ts_err err;
    ts_status st;
    int rc = TS_EXIT_OK;

    ts_err_clear(&err);
    cfg->output = a->json ? to_buffer : to_stdout;
    cfg->output_opaque = a->json ? (void *)&out : (void *)&last_out;
    st = ts_exec_file(t, a->program, cfg, &s, &err);
    if (!a->json && last_out != '\n')
        putchar('\n');
    fflush(stdout);
    if (st != TS_OK)
        rc = cli_report(&err);
    if (a->json && (st == TS_OK || st == TS_ERR_EMU)) /* EMU: the figures up to the fault */
        print_json(t, a, &s, &out, rc);
    else if (st == TS_OK)
        print_text(t, a, &s);
    free(out.bytes);
    if (st == TS_OK && s.exit_code != 0) {
        cli_error_line("%s: program exited with code %d", a->program, s.exit_code);
        rc = TS_EXIT_FAIL;
    }
    return rc;
}

int cmd_exec(int argc, char **argv)
{
    exec_args a = {0};
    ts_target t;
    ts_core_config cfg = {0};
    ts_err err;
    int rc = parse_args(argc, argv, &a);

    if (rc != TS_EXIT_OK)
        return rc;
    ts_err_clear(&err);
    if (runner_load_target(a.target, a.sets, a.n_sets, "exec", &t, &err))
        return cli_report(&err);
    cfg.max_insns = a.max_insns;
    cfg.exact_mem = a.exact_mem;
    cfg.fast_mem = a.fast_mem;
    return run_program(&t, &a, &cfg);
}
