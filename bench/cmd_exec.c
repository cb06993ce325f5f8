/* cmd_exec.c: `tinysim exec`: run a bare-metal ELF on an emulated Cortex-M target, forward its
 * semihosting output to stdout, and report cycles, instructions, CPI and traffic per memory
 * region. Layer: bench/ (prints, exits). Exit status: 0 when the program exits 0; 1 when it exits
 * non-zero (stated on stderr); 2 on a fault, an exceeded budget, cycle limit or wall-clock
 * timeout, or bad input. With --json the program output is captured into the report's "output"
 * field so stdout stays valid JSON. On a terminal, a run longer than PROGRESS_AFTER_S shows a
 * progress line on stderr (cycles, instructions, seconds), erased before program output and at
 * the end. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "opts.h"
#include "record.h"
#include "report.h"
#include "runner.h"
#include "../sim/exec/exec.h"

#define PROGRESS_AFTER_S 2.0   /* runs longer than this show progress on a terminal */
#define PROGRESS_EVERY_S 0.25  /* redraw interval */

#define MAX_SETS RUNNER_MAX_SETS

typedef struct exec_args {
    const char *target, *program;
    const char *sets[MAX_SETS];
    int n_sets;
    unsigned long long max_insns, max_cycles;
    double timeout_s; /* 0: none */
    bool json, exact_mem, fast_mem;
} exec_args;

typedef struct out_buf {
    char *bytes;
    size_t len, cap;
} out_buf;

/* The run as the poll callback and the output sink see it. */
typedef struct exec_run {
    const char *program;
    double t0_s, last_s; /* start, last progress line (monotonic seconds) */
    double timeout_s;    /* 0: none */
    bool tty, shown;     /* stderr is a terminal; a progress line is on it */
    char last_out;       /* last byte of program output ('\n' before any) */
    char msg[192];       /* the timeout message */
} exec_run;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void erase_progress(exec_run *r)
{
    if (r->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        r->shown = false;
    }
}

/* Program output goes straight to stdout; the last byte is remembered so the report can
 * start on a line of its own. */
static void to_stdout(void *opaque, const char *bytes, size_t n)
{
    exec_run *r = opaque;

    erase_progress(r);
    fwrite(bytes, 1, n, stdout);
    if (n > 0)
        r->last_out = bytes[n - 1];
    if (r->tty)
        fflush(stdout); /* before the next progress line */
}

/* Called by the core every TS_CORE_POLL_INSNS instructions: the wall-clock timeout, and the
 * progress line on a terminal. */
static const char *watch_run(void *opaque, uint64_t cycles, uint64_t insns)
{
    exec_run *r = opaque;
    double el = now_s() - r->t0_s;
    char c[32], n[32];

    if (r->timeout_s > 0 && el >= r->timeout_s) {
        snprintf(r->msg, sizeof r->msg, "wall-clock timeout of %g s reached after %llu cycles "
                 "and %llu instructions", r->timeout_s, (unsigned long long)cycles,
                 (unsigned long long)insns);
        return r->msg;
    }
    if (r->tty && el >= PROGRESS_AFTER_S && el - r->last_s >= PROGRESS_EVERY_S) {
        fprintf(stderr, "\r\033[K%s: %s cycles, %s instructions, %.0f s", r->program,
                fmt_count(c, sizeof c, cycles), fmt_count(n, sizeof n, insns), el);
        fflush(stderr);
        r->shown = true;
        r->last_s = el;
    }
    return NULL;
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

enum { OPT_TARGET, OPT_MAX_INSNS, OPT_MAX_CYCLES, OPT_TIMEOUT, OPT_SET, OPT_JSON, OPT_EXACT_MEM, OPT_FAST_MEM };

#define EX_MEM 1u /* --exact-mem | --fast-mem */

static const opts_spec exec_opts[] = {
    {"--target", OPT_TARGET, OPTS_VALUE, 0},
    {"--max-insns", OPT_MAX_INSNS, OPTS_VALUE, 0},
    {"--max-cycles", OPT_MAX_CYCLES, OPTS_VALUE, 0},
    {"--timeout", OPT_TIMEOUT, OPTS_VALUE, 0},
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
    case OPT_MAX_CYCLES:
        if (cli_parse_u64(v, &a->max_cycles) || a->max_cycles == 0)
            return cli_usage_error("exec: %s: expected a positive integer, got '%s'", name, v);
        break;
    case OPT_TIMEOUT: {
        char *end;

        a->timeout_s = strtod(v, &end);
        if (end == v || *end || !isfinite(a->timeout_s) || a->timeout_s <= 0)
            return cli_usage_error("exec: %s: expected a positive number of seconds, got '%s'",
                                   name, v);
        break;
    }
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

/* One stderr line per thing the program did that the model does not follow. */
static void print_notes(const char *program, const ts_core_stats *s)
{
    if (s->notes & TS_CORE_NOTE_SYSTICK_IRQ)
        fprintf(stderr, "tinysim: %s: note: the program enabled the SysTick interrupt (TICKINT); "
                "exceptions are not modelled: the counter and COUNTFLAG run and a count to 0 "
                "wakes WFI, but no handler runs\n", program);
    if (s->notes & TS_CORE_NOTE_NO_CYCCNT)
        fprintf(stderr, "tinysim: %s: note: the program read DWT CYCCNT (0xE0001004), which "
                "ARMv6-M cores do not have: it reads 0 (time with SysTick instead)\n", program);
}

/* Runs the program with the options of a; prints the report (text, or JSON also after a fault),
 * the error line and the notes. Returns the exit status. */
static int run_program(const ts_target *t, const exec_args *a)
{
    ts_core_config cfg = {0};
    ts_core_stats s = {0};
    exec_run run = {0};
    out_buf out = {0};
    ts_err err;
    ts_status st;
    int rc = TS_EXIT_OK;

    ts_err_clear(&err);
    run.program = a->program;
    run.t0_s = now_s();
    run.timeout_s = a->timeout_s;
    run.tty = isatty(STDERR_FILENO);
    run.last_out = '\n';
    cfg.max_insns = a->max_insns;
    cfg.max_cycles = a->max_cycles;
    cfg.exact_mem = a->exact_mem;
    cfg.fast_mem = a->fast_mem;
    cfg.output = a->json ? to_buffer : to_stdout;
    cfg.output_opaque = a->json ? (void *)&out : (void *)&run;
    cfg.poll = watch_run;
    cfg.poll_opaque = &run;
    st = ts_exec_file(t, a->program, &cfg, &s, &err);
    erase_progress(&run);
    if (!a->json && run.last_out != '\n')
        putchar('\n');
    fflush(stdout);
    if (st != TS_OK)
        rc = cli_report(&err);
    if (a->json && (st == TS_OK || st == TS_ERR_EMU)) /* EMU: the figures up to the fault */
        print_json(t, a, &s, &out, rc);
    else if (st == TS_OK)
        print_text(t, a, &s);
    free(out.bytes);
    print_notes(a->program, &s);
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
    ts_err err;
    int rc = parse_args(argc, argv, &a);

    if (rc != TS_EXIT_OK)
        return rc;
    ts_err_clear(&err);
    if (runner_load_target(a.target, a.sets, a.n_sets, "exec", &t, &err))
        return cli_report(&err);
    return run_program(&t, &a);
}
