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
#include "report.h"
#include "../sim/exec/exec.h"

#define PROGRESS_AFTER_S 2.0   /* runs longer than this show progress on a terminal */
#define PROGRESS_EVERY_S 0.25  /* redraw interval */

#define MAX_SETS 32

typedef struct exec_args {
    const char *target, *program;
    const char *sets[MAX_SETS];
    unsigned n_sets;
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

static int parse_args(int argc, char **argv, exec_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];

        if (strcmp(s, "--target") == 0 && i + 1 < argc)
            a->target = argv[++i];
        else if (strcmp(s, "--max-insns") == 0 && i + 1 < argc) {
            if (cli_parse_u64(argv[++i], &a->max_insns) || a->max_insns == 0)
                return cli_usage_error("exec: --max-insns: expected a positive integer, got '%s'",
                                       argv[i]);
        } else if (strcmp(s, "--max-cycles") == 0 && i + 1 < argc) {
            if (cli_parse_u64(argv[++i], &a->max_cycles) || a->max_cycles == 0)
                return cli_usage_error("exec: --max-cycles: expected a positive integer, got "
                                       "'%s'", argv[i]);
        } else if (strcmp(s, "--timeout") == 0 && i + 1 < argc) {
            char *end;

            a->timeout_s = strtod(argv[++i], &end);
            if (end == argv[i] || *end || !isfinite(a->timeout_s) || a->timeout_s <= 0)
                return cli_usage_error("exec: --timeout: expected a positive number of seconds, "
                                       "got '%s'", argv[i]);
        } else if (strcmp(s, "--set") == 0 && i + 1 < argc && a->n_sets < MAX_SETS)
            a->sets[a->n_sets++] = argv[++i];
        else if (strcmp(s, "--json") == 0)
            a->json = true;
        else if (strcmp(s, "--exact-mem") == 0)
            a->exact_mem = true;
        else if (strcmp(s, "--fast-mem") == 0)
            a->fast_mem = true;
        else if (s[0] != '-' && !a->program)
            a->program = s;
        else
            return cli_usage_error("exec: unexpected argument '%s' (see 'tinysim exec --help')", s);
    }
    if (!a->target || !a->program)
        return cli_usage_error("exec: expected --target NAME|FILE.json and PROGRAM.elf");
    return TS_EXIT_OK;
}

/* Loads the target and applies the --set overrides. */
static ts_status load_target(const exec_args *a, ts_target *t, ts_err *err)
{
    char path[1024];
    ts_status st = ts_target_resolve(a->target, NULL, path, sizeof path, err);

    if (!st)
        st = ts_target_load(path, t, err);
    for (unsigned i = 0; i < a->n_sets && !st; i++) {
        char key[256];
        const char *eq = strchr(a->sets[i], '=');

        if (!eq || (size_t)(eq - a->sets[i]) >= sizeof key)
            return ts_err_set(err, TS_ERR_USAGE, "exec: --set %s: expected KEY=VALUE", a->sets[i]);
        memcpy(key, a->sets[i], (size_t)(eq - a->sets[i]));
        key[eq - a->sets[i]] = '\0';
        st = ts_target_set(t, key, eq + 1, err);
    }
    return st;
}

static void print_text(const ts_target *t, const ts_core_stats *s)
{
    double mhz = (double)t->clock_hz / 1e6;

    printf("target        %s (%s, %.0f MHz)\n", t->name, ts_target_core_name(t->core), mhz);
    printf("exit code     %d\n", s->exit_code);
    printf("cycles        %llu (%.3f ms at %.0f MHz)\n", (unsigned long long)s->cycles,
           (double)s->cycles / (double)t->clock_hz * 1e3, mhz);
    printf("instructions  %llu (CPI %.3f)\n", (unsigned long long)s->insns,
           s->insns ? (double)s->cycles / (double)s->insns : 0.0);
    printf("branches      %llu taken (+%llu refill cycles)\n",
           (unsigned long long)s->taken_branches, (unsigned long long)s->branch_cycles);
    printf("stalls        %llu wait-state cycles, %llu divide cycles\n",
           (unsigned long long)s->mem_stall_cycles, (unsigned long long)s->div_extra_cycles);
    report_regions(t, s->region, s->n_regions);
}

static void print_json(const ts_target *t, const char *program, const ts_core_stats *s,
                       const out_buf *out)
{
    cJSON *o = cJSON_CreateObject(), *regions = cJSON_CreateArray(), *classes;
    char *text;

    cJSON_AddStringToObject(o, "target", t->name);
    cJSON_AddStringToObject(o, "core", ts_target_core_name(t->core));
    cJSON_AddNumberToObject(o, "clock_hz", (double)t->clock_hz);
    cJSON_AddStringToObject(o, "program", program);
    cJSON_AddNumberToObject(o, "exit_code", s->exit_code);
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

/* Runs the program with the options of a; fills *s (also on a fault: partial). */
static ts_status run_program(const exec_args *a, const ts_target *t, exec_run *run,
                             out_buf *out, ts_core_stats *s, ts_err *err)
{
    ts_core_config cfg = {0};

    run->program = a->program;
    run->t0_s = now_s();
    run->timeout_s = a->timeout_s;
    run->tty = isatty(STDERR_FILENO);
    run->last_out = '\n';
    cfg.max_insns = a->max_insns;
    cfg.max_cycles = a->max_cycles;
    cfg.exact_mem = a->exact_mem;
    cfg.fast_mem = a->fast_mem;
    cfg.output = a->json ? to_buffer : to_stdout;
    cfg.output_opaque = a->json ? (void *)out : (void *)run;
    cfg.poll = watch_run;
    cfg.poll_opaque = run;
    return ts_exec_file(t, a->program, &cfg, s, err);
}

int cmd_exec(int argc, char **argv)
{
    exec_args a = {0};
    exec_run run = {0};
    ts_target t;
    ts_core_stats s = {0};
    out_buf out = {0};
    ts_status st;
    ts_err err;
    int rc = parse_args(argc, argv, &a);

    if (rc != TS_EXIT_OK)
        return rc;
    ts_err_clear(&err);
    if (load_target(&a, &t, &err))
        return cli_report(&err);
    st = run_program(&a, &t, &run, &out, &s, &err);
    erase_progress(&run);
    fflush(stdout);
    if (st) {
        free(out.bytes);
        rc = cli_report(&err);
        print_notes(a.program, &s);
        return rc;
    }
    if (!a.json && run.last_out != '\n')
        putchar('\n');
    if (a.json)
        print_json(&t, a.program, &s, &out);
    else
        print_text(&t, &s);
    free(out.bytes);
    print_notes(a.program, &s);
    if (s.exit_code != 0) {
        fprintf(stderr, "tinysim: %s: program exited with code %d\n", a.program, s.exit_code);
        return TS_EXIT_FAIL;
    }
    return TS_EXIT_OK;
}
