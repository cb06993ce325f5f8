/* cmd_bench.c: `tinysim bench --target NAME|FILE.json MODEL.tflite [--input FILE]...
 * [--input-npy FILE]... [--output FILE]... [--output-npy FILE]... [--set KEY=VALUE]... [--json]
 * [--kernels auto|ref|simd|both]`: runs the model's
 * kernels as Thumb firmware on the target's emulated core (sim/engine) and reports per layer and
 * in total: cycles, share, MACs, cycles/MAC, instructions, CPI, flash and RAM traffic, latency,
 * peak arena, flash footprint and whether it fits. Layer: bench/ (prints, exits).
 * --kernels: the engine's kernel variant: auto (default) = simd on a core with the DSP
 * extension, ref otherwise, as a deployment would choose; simd = DSP-extension kernels, falling
 * back to ref with a note on stderr on a core without DSP; `both` runs the model once with
 * each on the same input, fails with an internal error unless the outputs are identical, and
 * reports per layer ref vs simd cycles, speedup and flash/RAM reads, then both totals.
 * Default input (no --input): the golden manifest's xorshift32 rule, seed 1 (shared/golden
 * 'rand1' cases), as documented in tensor_io.h, the same as `run`'s. A model that does not
 * fit prints its footprint with a warning, then the error line, and exits 2. Output paths are
 * checked before anything runs. Outputs are written only after the whole run succeeded. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli.h"
#include "csv.h"
#include "engine/engine.h"
#include "fmt.h"
#include "opts.h"
#include "record.h"
#include "report.h"
#include "suite.h"
#include "runner.h"
#include "tensor_io.h"

#define BENCH_MAX_SETS RUNNER_MAX_SETS
#define BENCH_JSON_MAX_VALUES 4096 /* output values listed in --json */

typedef struct bench_args {
    const char *target, *model, *firmware;
    const char *sets[BENCH_MAX_SETS];
    int n_sets;
    tio_args io; /* --input, --input-npy, --output, --output-npy (as `run`) */
    unsigned long long max_insns, stack_bytes;
    int rounding; /* tsk_rounding */
    int link;     /* ts_fw_link */
    int kernels;  /* ts_kernels, or KERNELS_BOTH */
    bool json, csv, exact_mem, fast_mem;
    bool ignore_fit;                /* --ignore-fit: simulate a model that does not fit */
    const struct fit_info *fit;     /* set by cmd_bench: the enlarged regions, or NULL */
    const ts_target *run_target;    /* the target the engine runs on: the enlarged copy */
    const char *db; /* --db PATH (NULL: $TINYSIM_DB or the default, see record.h) */
    bool no_db;
    const char *tags[RECORD_MAX_TAGS];
    int n_tags;
    const char *suite, *models_dir; /* --suite FILE.json, --models-dir DIR */
    const char *record_suite;       /* --record-suite NAME: set by a suite on its runs */
    const char *record_point;       /* --record-sweep-point ID: set by a sweep on its runs */
    unsigned long long jobs;        /* -j N */
    unsigned long long invocations; /* --invocations N (0: not given, 1) */
} bench_args;

/* --ignore-fit: the regions that were enlarged so that a model that does not fit could run
 * (at most the RAM region and the flash region). */
typedef struct fit_info {
    int n;
    struct {
        int region;                /* index in the target */
        uint64_t available_bytes;  /* the target's size of the region */
        uint64_t needed_bytes;     /* what the model needs there (footprint) */
        uint64_t simulated_bytes;  /* the size the run used: needed, rounded up to 4 KiB */
    } r[2];
} fit_info;

#define KERNELS_BOTH TS_KERNELS_COUNT /* --kernels both: ref and simd, compared */
#define KERNELS_AUTO (TS_KERNELS_COUNT + 1) /* default: simd where the core has DSP */

static int add_arg(const char **list, int *n, int max, const char *opt, const char *v)
{
    if (*n >= max)
        return cli_usage_error("bench: more than %d %s options", max, opt);
    list[(*n)++] = v;
    return TS_EXIT_OK;
}

static int parse_number(const char *opt, const char *v, unsigned long long *out)
{
    if (cli_parse_u64(v, out) || *out == 0)
        return cli_usage_error("bench: %s: expected a positive integer, got '%s'", opt, v);
    return TS_EXIT_OK;
}

static int parse_rounding(const char *v, int *out)
{
    if (!strcmp(v, "single"))
        *out = TSK_ROUND_SINGLE;
    else if (!strcmp(v, "double"))
        *out = TSK_ROUND_DOUBLE;
    else
        return cli_usage_error("bench: --rounding: expected single or double, got '%s'", v);
    return TS_EXIT_OK;
}

static int parse_kernels(const char *v, int *out)
{
    ts_kernels k;

    if (!strcmp(v, "both"))
        *out = KERNELS_BOTH;
    else if (!strcmp(v, "auto"))
        *out = KERNELS_AUTO;
    else if (ts_kernels_from_name(v, &k))
        *out = (int)k;
    else
        return cli_usage_error("bench: --kernels: expected auto, ref, simd or both, got '%s'",
                               v);
    return TS_EXIT_OK;
}

static int parse_link(const char *v, int *out)
{
    if (!strcmp(v, "auto"))
        *out = TS_LINK_AUTO;
    else if (!strcmp(v, "sets"))
        *out = TS_LINK_SETS;
    else if (!strcmp(v, "model"))
        *out = TS_LINK_MODEL;
    else
        return cli_usage_error("bench: --link: expected auto, sets or model, got '%s'", v);
    return TS_EXIT_OK;
}

enum {
    OPT_LINK, OPT_TARGET, OPT_SET, OPT_FIRMWARE, OPT_MAX_INSNS, OPT_STACK, OPT_ROUNDING, OPT_KERNELS,
    OPT_DB, OPT_NO_DB, OPT_SUITE, OPT_MODELS_DIR, OPT_RECORD_SUITE, OPT_RECORD_POINT, OPT_JOBS,
    OPT_TAG, OPT_JSON, OPT_EXACT_MEM, OPT_FAST_MEM, OPT_IGNORE_FIT, OPT_CSV, OPT_INVOCATIONS,
    OPT_IO /* + TIO_OPT_* */
};

#define EX_MEM 1u    /* --exact-mem | --fast-mem */
#define EX_DB 2u     /* --db | --no-db */
#define EX_FORMAT 4u /* --json | --csv */

static const opts_spec bench_opts[] = {
    {"--target", OPT_TARGET, OPTS_VALUE, 0},
    {"--set", OPT_SET, OPTS_VALUE | OPTS_REPEAT, 0},
    {"--firmware", OPT_FIRMWARE, OPTS_VALUE, 0},
    {"--link", OPT_LINK, OPTS_VALUE, 0},
    {"--max-insns", OPT_MAX_INSNS, OPTS_VALUE, 0},
    {"--stack", OPT_STACK, OPTS_VALUE, 0},
    {"--rounding", OPT_ROUNDING, OPTS_VALUE, 0},
    {"--kernels", OPT_KERNELS, OPTS_VALUE, 0},
    {"--db", OPT_DB, OPTS_VALUE, EX_DB},
    {"--no-db", OPT_NO_DB, 0, EX_DB},
    {"--suite", OPT_SUITE, OPTS_VALUE, 0},
    {"--models-dir", OPT_MODELS_DIR, OPTS_VALUE, 0},
    {"--record-suite", OPT_RECORD_SUITE, OPTS_VALUE, 0},
    {"--record-sweep-point", OPT_RECORD_POINT, OPTS_VALUE, 0},
    {"-j", OPT_JOBS, OPTS_VALUE, 0},
    {"--tag", OPT_TAG, OPTS_VALUE | OPTS_REPEAT, 0},
    {"--json", OPT_JSON, 0, EX_FORMAT},
    {"--csv", OPT_CSV, 0, EX_FORMAT},
    {"--exact-mem", OPT_EXACT_MEM, 0, EX_MEM},
    {"--fast-mem", OPT_FAST_MEM, 0, EX_MEM},
    {"--ignore-fit", OPT_IGNORE_FIT, 0, 0},
    {"--invocations", OPT_INVOCATIONS, OPTS_VALUE, 0},
    TIO_OPTS(OPT_IO),
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    bench_args *a = ctx;

    switch (id) {
    case OPTS_ARG:
        if (a->model)
            return cli_usage_error("bench: more than one model given ('%s', '%s')", a->model, v);
        a->model = v;
        return TS_EXIT_OK;
    case OPT_TARGET: a->target = v; break;
    case OPT_SET: return add_arg(a->sets, &a->n_sets, BENCH_MAX_SETS, name, v);
    case OPT_FIRMWARE: a->firmware = v; break;
    case OPT_LINK: return parse_link(v, &a->link);
    case OPT_MAX_INSNS: return parse_number(name, v, &a->max_insns);
    case OPT_STACK: return parse_number(name, v, &a->stack_bytes);
    case OPT_ROUNDING: return parse_rounding(v, &a->rounding);
    case OPT_KERNELS: return parse_kernels(v, &a->kernels);
    case OPT_DB: a->db = v; break;
    case OPT_NO_DB: a->no_db = true; break;
    case OPT_SUITE: a->suite = v; break;
    case OPT_MODELS_DIR: a->models_dir = v; break;
    case OPT_RECORD_SUITE: a->record_suite = v; break;
    case OPT_RECORD_POINT: a->record_point = v; break;
    case OPT_JOBS: return parse_number(name, v, &a->jobs);
    case OPT_TAG: return add_arg(a->tags, &a->n_tags, RECORD_MAX_TAGS, name, v);
    case OPT_JSON: a->json = true; break;
    case OPT_CSV: a->csv = true; break;
    case OPT_EXACT_MEM: a->exact_mem = true; break;
    case OPT_FAST_MEM: a->fast_mem = true; break;
    case OPT_IGNORE_FIT: a->ignore_fit = true; break;
    case OPT_INVOCATIONS: return parse_number(name, v, &a->invocations);
    default: return tio_option(&a->io, "bench", id - OPT_IO, name, v);
    }
    return TS_EXIT_OK;
}

static int parse_args(int argc, char **argv, bench_args *a)
{
    int rc = opts_parse("bench", bench_opts, OPTS_N(bench_opts), argc, argv, 1, on_option, a);

    if (rc == TS_EXIT_OK && a->suite && a->ignore_fit)
        rc = cli_usage_error("bench: --ignore-fit is for one run (a suite reports what does not "
                             "fit)");
    if (rc == TS_EXIT_OK && a->suite && a->link != TS_LINK_AUTO)
        rc = cli_usage_error("bench: --link is for one run (a suite runs each model with the "
                             "default, auto)");
    if (rc == TS_EXIT_OK && a->suite && a->csv)
        rc = cli_usage_error("bench: --suite prints its own summary (--csv is for one run)");
    if (rc == TS_EXIT_OK && a->suite && (a->target || a->model))
        rc = cli_usage_error("bench: --suite runs its own models and targets (got %s)",
                             a->model ? a->model : "--target");
    else if (rc == TS_EXIT_OK && !a->suite && (!a->target || !a->model))
        rc = cli_usage_error("bench: expected --target NAME|FILE.json and MODEL.tflite");
    if (rc == TS_EXIT_OK && a->firmware && a->link != TS_LINK_AUTO)
        rc = cli_usage_error("bench: --link chooses between tinysim's own images (got "
                             "--firmware %s)", a->firmware);
    if (rc == TS_EXIT_OK && a->jobs > 64)
        rc = cli_usage_error("bench: -j: %llu (expected at most 64)", a->jobs);
    if (rc == TS_EXIT_OK && a->invocations > RUNNER_MAX_INVOCATIONS)
        rc = cli_usage_error("bench: --invocations: %llu (expected at most %u)", a->invocations,
                             RUNNER_MAX_INVOCATIONS);
    if (rc == TS_EXIT_OK && a->suite && a->invocations)
        rc = cli_usage_error("bench: --invocations is for one run (a suite runs each model "
                             "once)");
    if (rc == TS_EXIT_OK && a->stack_bytes > (1u << 20))
        rc = cli_usage_error("bench: --stack: %llu bytes (expected at most 1048576)",
                             a->stack_bytes);
    return rc;
}

/* Loads the target and applies the --set overrides. */
static ts_status load_target(const bench_args *a, ts_target *t, ts_err *err)
{
    return runner_load_target(a->target, a->sets, a->n_sets, "bench", t, err);
}

static ts_engine_opts engine_opts(const bench_args *a, ts_kernels k)
{
    ts_engine_opts o = {a->firmware, NULL, {0}, (tsk_rounding)a->rounding,
                        (uint32_t)a->stack_bytes, k, (ts_fw_link)a->link};

    o.core.max_insns = a->max_insns, o.core.exact_mem = a->exact_mem;
    o.core.fast_mem = a->fast_mem;
    return o;
}

/* ---- --ignore-fit: enlarged regions ---- */

/* Records that region `reg` (size `have`) must hold `need` bytes; keeps the largest need. */
static void need_bytes(fit_info *fit, int reg, uint64_t have, uint64_t need)
{
    int i = 0;

    while (i < fit->n && fit->r[i].region != reg)
        i++;
    if (i == fit->n) {
        assert(fit->n < 2);
        fit->n++;
        fit->r[i].region = reg, fit->r[i].available_bytes = have, fit->r[i].needed_bytes = 0;
    }
    if (need > fit->r[i].needed_bytes)
        fit->r[i].needed_bytes = need;
    fit->r[i].simulated_bytes = (fit->r[i].needed_bytes + 4095) / 4096 * 4096;
}

/* The footprint of variant k on t; regions that cannot hold it go into fit. */
static int check_fit(const ts_target *t, const ts_model *m, const bench_args *a, ts_kernels k,
                     fit_info *fit)
{
    ts_engine_opts o = engine_opts(a, k);
    ts_engine_layout L;
    ts_err err;

    ts_err_clear(&err);
    if (ts_engine_footprint(t, ts_model_graph(m), ts_model_source(m), &o, &L, &err) != TS_OK)
        return cli_report(&err);
    if (!L.fits_ram)
        need_bytes(fit, L.ram_region, t->regions[L.ram_region].size_bytes, L.ram_used_bytes);
    if (!L.fits_flash)
        need_bytes(fit, L.flash_region, t->regions[L.flash_region].size_bytes,
                   L.flash_used_bytes + (L.fw_base - t->regions[L.flash_region].base));
    return TS_EXIT_OK;
}

/* --ignore-fit: *big = t with every region the model does not fit enlarged to what it needs
 * (4 KiB multiples, as regions are); fit says which (n = 0: it fits, big = t). A region that
 * cannot grow without overlapping the next is an error naming both. */
static int enlarge_target(const ts_target *t, const ts_model *m, const bench_args *a,
                          ts_target *big, fit_info *fit)
{
    int rc = TS_EXIT_OK;
    ts_err err;

    *big = *t, fit->n = 0;
    ts_err_clear(&err);
    if (a->kernels == KERNELS_BOTH)
        rc = check_fit(t, m, a, TS_KERNELS_REF, fit);
    if (rc == TS_EXIT_OK)
        rc = check_fit(t, m, a, a->kernels == KERNELS_BOTH ? TS_KERNELS_SIMD
                                : a->kernels == KERNELS_AUTO ? runner_kernels_auto(t)
                                                             : (ts_kernels)a->kernels, fit);
    for (int i = 0; i < fit->n && rc == TS_EXIT_OK; i++) {
        char key[48], value[32];
        snprintf(key, sizeof key, "memory[%d].size", fit->r[i].region);
        snprintf(value, sizeof value, "%llu", (unsigned long long)fit->r[i].simulated_bytes);
        if (ts_target_set(big, key, value, &err) != TS_OK)
            rc = cli_usage_error("%s: --ignore-fit: %s cannot grow to %s bytes on target %s "
                                 "(%s)", a->model, t->regions[fit->r[i].region].name, value,
                                 t->name, err.msg);
    }
    return rc;
}

/* The layout to report: with --ignore-fit, the enlarged regions at the size the target really
 * has, so that the report says what does not fit, with the bytes needed and available. */
static ts_engine_layout shown_layout(const ts_engine_layout *L, const bench_args *a)
{
    ts_engine_layout o = *L;

    for (int i = 0; a->fit && i < a->fit->n; i++) {
        uint64_t grown = a->fit->r[i].simulated_bytes - a->fit->r[i].available_bytes;
        if (a->fit->r[i].region == o.ram_region)
            o.ram_avail_bytes -= grown, o.fits_ram = o.ram_used_bytes <= o.ram_avail_bytes;
        if (a->fit->r[i].region == o.flash_region)
            o.flash_avail_bytes -= grown,
                o.fits_flash = o.flash_used_bytes <= o.flash_avail_bytes;
    }
    return o;
}

/* "sram enlarged from 8,192 to 24,576 bytes (23,348 needed)" for every enlarged region. */
static const char *fit_regions(const ts_target *t, const fit_info *fit, char *buf, size_t size)
{
    size_t o = 0;

    buf[0] = '\0';
    for (int i = 0; i < fit->n && o < size; i++) {
        char c[3][32];
        o += (size_t)snprintf(buf + o, size - o, "%s%s enlarged from %s to %s bytes (%s needed)",
                              i ? ", " : "", t->regions[fit->r[i].region].name,
                              fmt_count(c[0], sizeof c[0], fit->r[i].available_bytes),
                              fmt_count(c[1], sizeof c[1], fit->r[i].simulated_bytes),
                              fmt_count(c[2], sizeof c[2], fit->r[i].needed_bytes));
    }
    return buf;
}

/* "does not fit target cortex-m0: simulated with --ignore-fit, sram enlarged ...": the
 * warning on stderr and the status of the stored run. */
static const char *fit_text(const ts_target *t, const fit_info *fit, char *buf, size_t size)
{
    char regions[400];

    snprintf(buf, size, "does not fit target %s: simulated with --ignore-fit, %s", t->name,
             fit_regions(t, fit, regions, sizeof regions));
    return buf;
}

static cJSON *fit_json(const ts_target *t, const fit_info *fit)
{
    cJSON *o = cJSON_CreateObject(), *arr;

    cJSON_AddBoolToObject(o, "fits", false);
    arr = cJSON_AddArrayToObject(o, "enlarged_regions");
    for (int i = 0; i < fit->n; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "name", t->regions[fit->r[i].region].name);
        cJSON_AddNumberToObject(r, "needed_bytes", (double)fit->r[i].needed_bytes);
        cJSON_AddNumberToObject(r, "available_bytes", (double)fit->r[i].available_bytes);
        cJSON_AddNumberToObject(r, "simulated_bytes", (double)fit->r[i].simulated_bytes);
        cJSON_AddItemToArray(arr, r);
    }
    return o;
}

/* ---- traffic helpers ---- */

typedef struct traffic {
    uint64_t flash_rd, flash_rd_b, ram_rd, ram_rd_b, ram_wr, ram_wr_b;
} traffic;

static traffic sum_traffic(const ts_target *t, const ts_unit_cost *c)
{
    traffic x = {0};

    for (unsigned i = 0; i < c->n_regions && i < t->n_regions; i++) {
        const ts_mem_counters *n = &c->region[i];
        if (t->regions[i].kind == TS_MEM_FLASH) {
            x.flash_rd += n->read_accesses, x.flash_rd_b += n->read_bytes;
        } else {
            x.ram_rd += n->read_accesses, x.ram_rd_b += n->read_bytes;
            x.ram_wr += n->write_accesses, x.ram_wr_b += n->write_bytes;
        }
    }
    return x;
}

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

/* ---- text report ---- */

/* "unit cpu", or "units cpu + dsp (layers marked [dsp])" when another unit ran some layer. */
static const char *units_line(const ts_engine *e)
{
    static char line[96];

    for (int32_t k = 0; k < ts_engine_n_layers(e); k++) {
        const char *u = ts_engine_layer_at(e, k)->unit;
        if (strcmp(u, "cpu") != 0) {
            snprintf(line, sizeof line, "units cpu + %s (layers marked [%s])", u, u);
            return line;
        }
    }
    return "unit cpu";
}

static void print_layers(const ts_engine *e, const ts_target *t)
{
    uint64_t total = ts_engine_totals_get(e)->cost.cycles;
    char c1[32], c2[32], c3[32], c4[32], c5[32], c6[32], c7[48];

    int w = strcmp(units_line(e), "unit cpu") ? 28 : 22; /* room for " [dsp]" */

    printf("%4s %-*s %14s %6s %12s %8s %14s %5s %11s %12s %11s %12s\n", "#", w, "op", "cycles",
           "%", "MACs", "cyc/MAC", "instructions", "CPI", "flash_rd", "ram_rd", "ram_wr",
           "energy_uJ");
    for (int32_t k = 0; k < ts_engine_n_layers(e); k++) {
        const ts_engine_layer *l = ts_engine_layer_at(e, k);
        traffic x = sum_traffic(t, &l->cost);
        char name[64];
        ts_energy en;

        ts_energy_of(t, &l->cost, &en);
        /* a layer another unit ran says which: "CONV_2D [dsp]" */
        snprintf(name, sizeof name, strcmp(l->unit, "cpu") ? "%s [%s]" : "%s", l->name, l->unit);
        printf("%4d %-*.*s %14s %6.2f %12s %8.2f %14s %5.2f %11s %12s %11s %12s\n",
               l->op_index, w, w,
               name, fmt_count(c1, sizeof c1, l->cost.cycles),
               100.0 * ratio(l->cost.cycles, total), fmt_count(c2, sizeof c2, l->macs),
               ratio(l->cost.cycles, l->macs), fmt_count(c3, sizeof c3, l->cost.insns),
               ratio(l->cost.cycles, l->cost.insns), fmt_count(c4, sizeof c4, x.flash_rd),
               fmt_count(c5, sizeof c5, x.ram_rd), fmt_count(c6, sizeof c6, x.ram_wr),
               fmt_fixed(c7, sizeof c7, en.total_uj, 3));
    }
}

static void print_memory(const ts_target *t, const ts_engine_layout *L, uint32_t stack_peak)
{
    char c[8][32];

    printf("peak arena    %s bytes (tensors and kernel scratch buffers; `tinysim inspect` "
           "plans the tensors alone)\n", fmt_count(c[0], sizeof c[0], L->arena_bytes));
    printf("ram           %s of %s bytes in %s (arena + tables %s + descriptor %s + stack %s "
           "reserved", fmt_count(c[1], sizeof c[1], L->ram_used_bytes),
           fmt_count(c[2], sizeof c[2], L->ram_avail_bytes), t->regions[L->ram_region].name,
           fmt_count(c[3], sizeof c[3], L->quant_bytes), fmt_count(c[4], sizeof c[4], L->desc_bytes),
           fmt_count(c[5], sizeof c[5], L->stack_bytes));
    if (stack_peak)
        printf(", %s used", fmt_count(c[6], sizeof c[6], stack_peak));
    printf("): %s\n", L->fits_ram ? "fits" : "DOES NOT FIT");
    printf("flash         %s of %s bytes in %s (firmware %s + weights %s): %s\n",
           fmt_count(c[0], sizeof c[0], L->flash_used_bytes),
           fmt_count(c[1], sizeof c[1], L->flash_avail_bytes), t->regions[L->flash_region].name,
           fmt_count(c[2], sizeof c[2], L->fw_bytes), fmt_count(c[3], sizeof c[3], L->weights_bytes),
           L->fits_flash ? "fits" : "DOES NOT FIT");
    if (!L->fits_ram || !L->fits_flash)
        printf("warning: the model does not fit target %s\n", t->name);
}

/* --ignore-fit on a model that does not fit: "fit   DOES NOT FIT target ...; simulated with". */
static void print_fit_line(const ts_target *t, const bench_args *a)
{
    char regions[400];

    if (a->fit)
        printf("fit           DOES NOT FIT target %s; simulated with %s (--ignore-fit)\n",
               t->name, fit_regions(t, a->fit, regions, sizeof regions));
}

/* Variable tensors of the engine's model: the layer state --invocations carries. */
static int32_t state_tensors(const ts_engine *e)
{
    return ts_graph_n_variables(ts_ref_graph(ts_engine_ref(e)));
}

static void print_input_line(const bench_args *a, const ts_engine *e)
{
    const ts_engine_totals *T = ts_engine_totals_get(e);

    printf("input         %s\n", tio_input_name(&a->io, ts_ref_n_inputs(ts_engine_ref(e)), 1));
    if (T->invocations > 1)
        printf("invocations   %u in a row, %s, state carried; layer and total figures are sums "
               "over the %u (per invocation: below)\n", (unsigned)T->invocations,
               tio_invocation_inputs(ts_engine_ref(e)), (unsigned)T->invocations);
    else
        tio_print_single_invocation("invocations   ", ts_engine_ref(e));
    printf("\n");
}

/* --invocations N > 1: "per invocation  12,345 cycles (0.257 ms) mean; first 13,000, last
 * 12,300; 1.234 uJ" */
static void print_per_invocation(const ts_target *t, const ts_engine_totals *T,
                                 const ts_energy *en)
{
    char c1[32], c2[32], c3[32], c4[32], c5[48];
    double mean = (double)T->cost.cycles / (double)T->invocations;

    if (T->invocations <= 1)
        return;
    printf("per invocation %s cycles (%s ms) mean of %u; first %s, last %s; %s uJ\n",
           fmt_fixed(c1, sizeof c1, mean, 1),
           fmt_fixed(c2, sizeof c2, mean / (double)t->clock_hz * 1e3, 3),
           (unsigned)T->invocations, fmt_count(c3, sizeof c3, T->first_cycles),
           fmt_count(c4, sizeof c4, T->last_cycles),
           fmt_fixed(c5, sizeof c5, en->total_uj / (double)T->invocations, 3));
}

/* "target        cortex-m4 with --set clock_hz=48000000 (cortex-m4, 48 MHz), " */
static void print_target_head(const ts_target *t, const bench_args *a)
{
    char clock[32], sets[512];

    printf("target        %s%s%s (%s, %s), ", t->name, a->n_sets ? " with " : "",
           fmt_sets(sets, sizeof sets, a->sets, a->n_sets), ts_target_core_name(t->core),
           fmt_clock(clock, sizeof clock, t->clock_hz));
}

static void print_text(const ts_engine *e, const ts_target *t, const bench_args *a)
{
    const ts_engine_totals *T = ts_engine_totals_get(e);
    char c1[32], c2[32], c3[32], c4[32], clock[32];
    ts_engine_layout L;
    ts_energy en;

    printf("model         %s (%d ops)\n", a->model, ts_engine_n_layers(e));
    print_target_head(t, a);
    printf("%s, firmware %s%s\n", units_line(e), ts_engine_firmware(e),
           ts_engine_layout_get(e)->fw_per_model ? " (per-model link)" : "");
    printf("kernels       %s\n", ts_kernels_name(ts_engine_kernels(e)));
    print_fit_line(t, a);
    print_input_line(a, e);
    print_layers(e, t);
    printf("\ncycles        %s (%s ms at %s)\n", fmt_count(c1, sizeof c1, T->cost.cycles),
           fmt_fixed(c4, sizeof c4, (double)T->cost.cycles / (double)t->clock_hz * 1e3, 3),
           fmt_clock(clock, sizeof clock, t->clock_hz));
    printf("instructions  %s (CPI %.3f)\n", fmt_count(c2, sizeof c2, T->cost.insns),
           ratio(T->cost.cycles, T->cost.insns));
    printf("MACs          %s (%.2f cycles/MAC)\n", fmt_count(c3, sizeof c3, T->macs),
           ratio(T->cost.cycles, T->macs));
    printf("stalls        %s wait-state cycles\n", fmt_count(c4, sizeof c4, T->cost.stall_cycles));
    report_regions(t, T->cost.region, T->cost.n_regions);
    ts_energy_of(t, &T->cost, &en);
    report_energy_text(t, &en, T->cost.cycles);
    print_per_invocation(t, T, &en);
    L = shown_layout(ts_engine_layout_get(e), a);
    print_memory(t, &L, T->stack_peak_bytes);
}

/* ---- JSON report ---- */

static void add_traffic(cJSON *o, const ts_target *t, const ts_unit_cost *c, bool regions)
{
    traffic x = sum_traffic(t, c);
    cJSON *arr;

    cJSON_AddNumberToObject(o, "flash_read_accesses", (double)x.flash_rd);
    cJSON_AddNumberToObject(o, "flash_read_bytes", (double)x.flash_rd_b);
    cJSON_AddNumberToObject(o, "ram_read_accesses", (double)x.ram_rd);
    cJSON_AddNumberToObject(o, "ram_read_bytes", (double)x.ram_rd_b);
    cJSON_AddNumberToObject(o, "ram_write_accesses", (double)x.ram_wr);
    cJSON_AddNumberToObject(o, "ram_write_bytes", (double)x.ram_wr_b);
    if (!regions)
        return;
    arr = cJSON_AddArrayToObject(o, "regions");
    for (unsigned i = 0; i < c->n_regions; i++)
        cJSON_AddItemToArray(arr, report_region_json(&t->regions[i], &c->region[i]));
    report_unit_json(o, &c->unit);
}

static cJSON *layers_json(const ts_engine *e, const ts_target *t)
{
    cJSON *arr = cJSON_CreateArray();
    uint64_t total = ts_engine_totals_get(e)->cost.cycles;

    for (int32_t k = 0; k < ts_engine_n_layers(e); k++) {
        const ts_engine_layer *l = ts_engine_layer_at(e, k);
        cJSON *o = cJSON_CreateObject();
        ts_energy en;

        cJSON_AddNumberToObject(o, "index", l->op_index);
        cJSON_AddStringToObject(o, "op", l->name);
        cJSON_AddStringToObject(o, "unit", l->unit);
        cJSON_AddStringToObject(o, "kernels", ts_kernels_name(l->kernels));
        cJSON_AddNumberToObject(o, "cycles", (double)l->cost.cycles);
        cJSON_AddNumberToObject(o, "percent", 100.0 * ratio(l->cost.cycles, total));
        cJSON_AddNumberToObject(o, "macs", (double)l->macs);
        cJSON_AddNumberToObject(o, "cycles_per_mac", ratio(l->cost.cycles, l->macs));
        cJSON_AddNumberToObject(o, "instructions", (double)l->cost.insns);
        cJSON_AddNumberToObject(o, "cpi", ratio(l->cost.cycles, l->cost.insns));
        cJSON_AddNumberToObject(o, "stall_cycles", (double)l->cost.stall_cycles);
        add_traffic(o, t, &l->cost, true);
        ts_energy_of(t, &l->cost, &en);
        report_energy_json(o, t, &en);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *memory_json(const ts_target *t, const ts_engine_layout *L, uint32_t stack_peak)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "arena_bytes", (double)L->arena_bytes);
    cJSON_AddStringToObject(o, "ram_region", t->regions[L->ram_region].name);
    cJSON_AddNumberToObject(o, "ram_used_bytes", (double)L->ram_used_bytes);
    cJSON_AddNumberToObject(o, "ram_available_bytes", (double)L->ram_avail_bytes);
    cJSON_AddNumberToObject(o, "quant_table_bytes", (double)L->quant_bytes);
    cJSON_AddNumberToObject(o, "stack_reserved_bytes", L->stack_bytes);
    cJSON_AddNumberToObject(o, "stack_peak_bytes", stack_peak);
    cJSON_AddBoolToObject(o, "fits_ram", L->fits_ram);
    cJSON_AddStringToObject(o, "flash_region", t->regions[L->flash_region].name);
    cJSON_AddNumberToObject(o, "firmware_bytes", (double)L->fw_bytes);
    cJSON_AddStringToObject(o, "firmware_link",
                            L->fw_user ? "user" : L->fw_per_model ? "model" : "sets");
    cJSON_AddNumberToObject(o, "weights_bytes", (double)L->weights_bytes);
    cJSON_AddNumberToObject(o, "flash_used_bytes", (double)L->flash_used_bytes);
    cJSON_AddNumberToObject(o, "flash_available_bytes", (double)L->flash_avail_bytes);
    cJSON_AddBoolToObject(o, "fits_flash", L->fits_flash);
    return o;
}

static cJSON *output_json(ts_engine *e, int32_t i, const uint8_t *data)
{
    cJSON *o = cJSON_CreateObject(), *vals;
    ts_ref_io io;

    ts_ref_output_info(ts_engine_ref(e), i, &io);
    cJSON_AddNumberToObject(o, "index", i);
    cJSON_AddStringToObject(o, "name", io.name);
    cJSON_AddStringToObject(o, "dtype", ts_dtype_name(io.dtype));
    cJSON_AddNumberToObject(o, "bytes", (double)io.size_bytes);
    vals = cJSON_AddArrayToObject(o, "values");
    for (int64_t k = 0; k < io.n_elems && k < BENCH_JSON_MAX_VALUES; k++) {
        double v = 0.0;
        float f;
        if (io.dtype == TS_DT_INT8)
            v = (int8_t)data[k];
        else if (io.dtype == TS_DT_UINT8)
            v = data[k];
        else if (io.dtype == TS_DT_INT16)
            v = (int16_t)(data[2 * k] | data[2 * k + 1] << 8);
        else if (io.dtype == TS_DT_FLOAT32)
            memcpy(&f, data + 4 * k, 4), v = f;
        cJSON_AddItemToArray(vals, cJSON_CreateNumber(v));
    }
    return o;
}

static void print_json_doc(cJSON *o)
{
    char *text = cJSON_Print(o);

    if (text)
        puts(text);
    free(text);
    cJSON_Delete(o);
}

static cJSON *header_json(const ts_target *t, const bench_args *a, int32_t n_model_inputs)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "model", a->model);
    cJSON_AddStringToObject(o, "target", t->name);
    cJSON_AddStringToObject(o, "core", ts_target_core_name(t->core));
    cJSON_AddNumberToObject(o, "clock_hz", (double)t->clock_hz);
    cJSON_AddItemToObject(o, "sets", record_sets_json(a->sets, a->n_sets));
    if (a->fit) /* --ignore-fit ran a model that does not fit: say so first */
        cJSON_AddItemToObject(o, "ignore_fit", fit_json(t, a->fit));
    cJSON_AddStringToObject(o, "unit", "cpu");
    cJSON_AddStringToObject(o, "rounding", a->rounding == TSK_ROUND_DOUBLE ? "double" : "single");
    cJSON_AddStringToObject(o, "input", tio_input_name(&a->io, n_model_inputs, 0));
    cJSON_AddStringToObject(o, "kernels_requested", a->kernels == KERNELS_AUTO ? "auto"
                                                    : a->kernels == KERNELS_BOTH
                                                        ? "both"
                                                        : ts_kernels_name((ts_kernels)a->kernels));
    return o;
}

/* --invocations N > 1, or a model with state: "invocations" {count, state_tensors, figures
 * (what layers and totals are), and the per-invocation means and the first and last
 * invocation's cycles}. Absent for one invocation of a stateless model, so the report of a
 * single inference is what it always was. */
static void add_invocations_json(cJSON *o, const ts_target *t, const ts_engine *e)
{
    const ts_engine_totals *T = ts_engine_totals_get(e);
    cJSON *inv = cJSON_AddObjectToObject(o, "invocations");
    double n = (double)T->invocations;
    ts_energy en;

    ts_energy_of(t, &T->cost, &en);
    cJSON_AddNumberToObject(inv, "count", n);
    cJSON_AddNumberToObject(inv, "state_tensors", (double)state_tensors(e));
    cJSON_AddStringToObject(inv, "figures", "layers and totals are sums over every invocation");
    cJSON_AddStringToObject(inv, "inputs", tio_invocation_inputs(ts_engine_ref(e)));
    cJSON_AddNumberToObject(inv, "mean_cycles", (double)T->cost.cycles / n);
    cJSON_AddNumberToObject(inv, "mean_latency_ms",
                            (double)T->cost.cycles / n / (double)t->clock_hz * 1e3);
    cJSON_AddNumberToObject(inv, "mean_instructions", (double)T->cost.insns / n);
    cJSON_AddNumberToObject(inv, "mean_energy_uj", en.total_uj / n);
    cJSON_AddNumberToObject(inv, "first_cycles", (double)T->first_cycles);
    cJSON_AddNumberToObject(inv, "last_cycles", (double)T->last_cycles);
}

/* One run's report: kernels, firmware, layers, totals, memory. */
static void add_run_json(cJSON *o, const ts_engine *e, const ts_target *t, const bench_args *a)
{
    ts_engine_layout L = shown_layout(ts_engine_layout_get(e), a);
    const ts_engine_totals *T = ts_engine_totals_get(e);
    ts_energy en;
    cJSON *tot;

    cJSON_AddStringToObject(o, "kernels", ts_kernels_name(ts_engine_kernels(e)));
    if (ts_engine_note(e))
        cJSON_AddStringToObject(o, "note", ts_engine_note(e));
    cJSON_AddStringToObject(o, "firmware", ts_engine_firmware(e));
    cJSON_AddItemToObject(o, "layers", layers_json(e, t));
    if (T->invocations > 1 || state_tensors(e))
        add_invocations_json(o, t, e);
    tot = cJSON_AddObjectToObject(o, "totals");
    cJSON_AddNumberToObject(tot, "cycles", (double)T->cost.cycles);
    cJSON_AddNumberToObject(tot, "latency_ms", (double)T->cost.cycles / (double)t->clock_hz * 1e3);
    cJSON_AddNumberToObject(tot, "instructions", (double)T->cost.insns);
    cJSON_AddNumberToObject(tot, "cpi", ratio(T->cost.cycles, T->cost.insns));
    cJSON_AddNumberToObject(tot, "macs", (double)T->macs);
    cJSON_AddNumberToObject(tot, "cycles_per_mac", ratio(T->cost.cycles, T->macs));
    cJSON_AddNumberToObject(tot, "stall_cycles", (double)T->cost.stall_cycles);
    add_traffic(tot, t, &T->cost, true);
    ts_energy_of(t, &T->cost, &en);
    report_energy_json(tot, t, &en);
    cJSON_AddItemToObject(o, "memory", memory_json(t, &L, T->stack_peak_bytes));
}

static void add_outputs_json(cJSON *o, ts_engine *e, uint8_t *const *outs)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "outputs");

    for (int32_t i = 0; i < ts_ref_n_outputs(ts_engine_ref(e)); i++)
        cJSON_AddItemToArray(arr, output_json(e, i, outs[i]));
}

/* The report of one run, as bench --json prints it. */
static cJSON *report_doc(ts_engine *e, const ts_target *t, const bench_args *a,
                         uint8_t *const *outs)
{
    cJSON *o = header_json(t, a, ts_ref_n_inputs(ts_engine_ref(e)));

    add_run_json(o, e, t, a);
    add_outputs_json(o, e, outs);
    return o;
}

/* ---- the run record: built from the report, printed with --json, stored unless --no-db ---- */

/* Builds the record of report object `run` and adds its "provenance" to it. */
static ts_res_run *record_run(cJSON *run, const ts_target *t, const bench_args *a,
                              const char *status)
{
    record_args ra = {a->model, a->rounding == TSK_ROUND_DOUBLE ? "double" : "single",
                      a->io.n_in ? "files" : "xorshift32 seed 1", a->sets, a->n_sets,
                      a->tags, a->n_tags, a->record_suite, a->record_point};
    ts_res_run *r = record_build(run, t, &ra, status);

    if (r)
        cJSON_AddItemToObject(run, "provenance", record_provenance_json(r));
    return r;
}

/* Writes the records to the database in one transaction each. The report has been printed:
 * a database failure prints its line and makes the exit status 1 (runtime failure). */
static int store_runs(ts_res_run *const *runs, int n, const bench_args *a)
{
    char path[4096];
    ts_results *db = NULL;
    ts_res_err err = {0};
    int rc = TS_EXIT_OK;

    if (a->no_db)
        return TS_EXIT_OK;
    if (!record_db_path(a->db, path, sizeof path))
        return TS_EXIT_FAIL;
    if (record_open(path, true, &db) != TS_EXIT_OK)
        return TS_EXIT_FAIL;
    for (int i = 0; i < n && rc == TS_EXIT_OK; i++)
        if (ts_results_add(db, runs[i], NULL, &err) != TS_RES_OK)
            rc = (record_report(&err), TS_EXIT_FAIL);
    ts_results_close(db);
    return rc;
}

/* ---- outputs: read back, then written to temporary files renamed into place ---- */

/* Writes the --output files (all or nothing). */
static int write_outputs(ts_engine *e, const bench_args *a, uint8_t *const *outs)
{
    return tio_write_outputs(&a->io, ts_engine_ref(e), (const void *const *)outs);
}

/* ---- driver ---- */

/* The footprint of a model that does not fit is a result too: recorded (status = the error
 * line) and, with --json, printed as the document with its "error" (the JSON rule, cli.h). */
static void record_no_fit(const ts_target *t, const ts_model *m, const bench_args *a,
                          const ts_engine_opts *o, const ts_engine_layout *L,
                          const ts_err *fit_err, int rc)
{
    cJSON *j = header_json(t, a, ts_model_graph(m)->n_inputs);
    ts_res_run *run;

    cJSON_AddStringToObject(j, "kernels", ts_kernels_name(o->kernels));
    cJSON_AddItemToObject(j, "memory", memory_json(t, L, 0));
    cJSON_AddItemToObject(j, "error", cli_error_json(rc));
    run = record_run(j, t, a, fit_err->msg);
    if (a->json)
        print_json_doc(j), j = NULL;
    fflush(stdout);
    if (run)
        store_runs(&run, 1, a); /* its failure is printed; the exit status stays */
    ts_res_run_free(run);
    cJSON_Delete(j);
}

/* The model does not fit: footprint with a warning on stdout, the error line on stderr. */
static int report_no_fit(const ts_target *t, const ts_model *m, const bench_args *a,
                         const ts_engine_opts *o, const ts_err *fit_err)
{
    ts_engine_layout L;
    ts_err err;
    int rc;

    ts_err_clear(&err);
    if (ts_engine_footprint(t, ts_model_graph(m), ts_model_source(m), o, &L, &err) != TS_OK)
        return cli_report(fit_err);
    if (!a->json && !a->csv) /* CSV has per-layer rows only: none without a run */
        print_memory(t, &L, 0), fflush(stdout);
    rc = cli_report(fit_err);
    record_no_fit(t, m, a, o, &L, fit_err, rc);
    return rc;
}

/* One engine run: opened with variant k, inputs set, run, outputs read back. */
typedef runner_run bench_run;

static int do_run(const ts_target *t, const ts_model *m, const bench_args *a, ts_kernels k,
                  bench_run *r)
{
    ts_engine_opts o = engine_opts(a, k);
    const ts_target *run_t = a->run_target ? a->run_target : t;
    ts_err err;

    ts_err_clear(&err);
    if (ts_engine_open(run_t, ts_model_graph(m), ts_model_source(m), &o, &r->e, &err) != TS_OK)
        return err.code == TS_ERR_RANGE && strstr(err.msg, "does not fit")
                   ? report_no_fit(t, m, a, &o, &err) : cli_report(&err);
    if (ts_engine_note(r->e))
        fprintf(stderr, "note: %s\n", ts_engine_note(r->e));
    r->invocations = a->invocations ? (uint32_t)a->invocations : 1;
    return runner_run_engine(r, m, a->model, &a->io);
}

/* --kernels both: the variants must agree bit for bit; a difference is tinysim's bug. */
static int compare_outputs(const bench_run *ref, const bench_run *simd, const char *model)
{
    ts_err err;
    ts_ref_io io;
    int i;
    size_t k;

    ts_err_clear(&err);
    if (!runner_outputs_differ(ref, simd, &i, &k))
        return TS_EXIT_OK;
    ts_ref_output_info(ts_engine_ref(ref->e), i, &io);
    ts_err_set(&err, TS_ERR_INTERNAL, "%s: output %d ('%s') byte %zu: ref kernels give 0x%02x, "
               "simd kernels 0x%02x (the variants must agree bit for bit)", model, i, io.name, k,
               ref->outs[i][k], simd->outs[i][k]);
    return cli_report(&err);
}

static void print_compare_layers(const ts_engine *r, const ts_engine *s, const ts_target *t)
{
    char c[6][32];

    printf("%4s %-22s %14s %14s %8s %12s %13s %12s %12s\n", "#", "op", "ref_cycles",
           "simd_cycles", "speedup", "ref_flash_rd", "simd_flash_rd", "ref_ram_rd",
           "simd_ram_rd");
    for (int32_t k = 0; k < ts_engine_n_layers(r); k++) {
        const ts_engine_layer *a = ts_engine_layer_at(r, k), *b = ts_engine_layer_at(s, k);
        traffic x = sum_traffic(t, &a->cost), y = sum_traffic(t, &b->cost);
        printf("%4d %-22.22s %14s %14s %7.2fx %12s %13s %12s %12s\n", a->op_index, a->name,
               fmt_count(c[0], sizeof c[0], a->cost.cycles),
               fmt_count(c[1], sizeof c[1], b->cost.cycles), ratio(a->cost.cycles, b->cost.cycles),
               fmt_count(c[2], sizeof c[2], x.flash_rd), fmt_count(c[3], sizeof c[3], y.flash_rd),
               fmt_count(c[4], sizeof c[4], x.ram_rd), fmt_count(c[5], sizeof c[5], y.ram_rd));
    }
}

static void print_pair(const char *name, uint64_t a, uint64_t b, const char *unit)
{
    char x[32], y[32];

    printf("%-14s %18s %18s%s%s\n", name, fmt_count(x, sizeof x, a), fmt_count(y, sizeof y, b),
           *unit ? "  " : "", unit);
}

static void print_compare_totals(const ts_engine *r, const ts_engine *s, const ts_target *t)
{
    const ts_engine_totals *A = ts_engine_totals_get(r), *B = ts_engine_totals_get(s);
    const ts_engine_layout *L = ts_engine_layout_get(r), *M = ts_engine_layout_get(s);
    traffic x = sum_traffic(t, &A->cost), y = sum_traffic(t, &B->cost);
    double hz = (double)t->clock_hz;
    char clock[32], fa[48], fb[48];
    ts_energy ea, eb;

    printf("\n%-14s %18s %18s\n", "totals", "ref", "simd");
    print_pair("cycles", A->cost.cycles, B->cost.cycles, "");
    printf("%-14s %18s %18s  ms at %s\n", "latency",
           fmt_fixed(fa, sizeof fa, (double)A->cost.cycles / hz * 1e3, 3),
           fmt_fixed(fb, sizeof fb, (double)B->cost.cycles / hz * 1e3, 3),
           fmt_clock(clock, sizeof clock, t->clock_hz));
    printf("%-14s %18.2f %18.2f\n", "cycles/MAC", ratio(A->cost.cycles, A->macs),
           ratio(B->cost.cycles, B->macs));
    print_pair("instructions", A->cost.insns, B->cost.insns, "");
    print_pair("flash_rd", x.flash_rd, y.flash_rd, "accesses");
    print_pair("ram_rd", x.ram_rd, y.ram_rd, "accesses");
    print_pair("ram_wr", x.ram_wr, y.ram_wr, "accesses");
    ts_energy_of(t, &A->cost, &ea);
    ts_energy_of(t, &B->cost, &eb);
    printf("%-14s %18s %18s  uJ\n", "energy", fmt_fixed(fa, sizeof fa, ea.total_uj, 3),
           fmt_fixed(fb, sizeof fb, eb.total_uj, 3));
    print_pair("peak arena", L->arena_bytes, M->arena_bytes, "bytes (incl. kernel scratch)");
    print_pair("ram used", L->ram_used_bytes, M->ram_used_bytes, "bytes");
    print_pair("flash used", L->flash_used_bytes, M->flash_used_bytes, "bytes");
    printf("speedup        %.2fx (ref cycles / simd cycles); outputs identical\n",
           ratio(A->cost.cycles, B->cost.cycles));
}

static void print_compare_text(const bench_run *r, const bench_run *s, const ts_target *t,
                               const bench_args *a)
{
    printf("model         %s (%d ops)\n", a->model, ts_engine_n_layers(r->e));
    print_target_head(t, a);
    printf("unit cpu, firmware %s\n", ts_engine_firmware(r->e));
    if (ts_engine_note(s->e))
        printf("kernels       ref vs simd (%s)\n", ts_engine_note(s->e));
    else
        printf("kernels       ref vs simd\n");
    print_fit_line(t, a);
    print_input_line(a, r->e);
    print_compare_layers(r->e, s->e, t);
    print_compare_totals(r->e, s->e, t);
}

static cJSON *compare_layer_json(const ts_engine_layer *a, const ts_engine_layer *b,
                                 const ts_target *t)
{
    cJSON *o = cJSON_CreateObject();
    traffic x = sum_traffic(t, &a->cost), y = sum_traffic(t, &b->cost);

    cJSON_AddNumberToObject(o, "index", a->op_index);
    cJSON_AddStringToObject(o, "op", a->name);
    cJSON_AddNumberToObject(o, "macs", (double)a->macs);
    cJSON_AddNumberToObject(o, "ref_cycles", (double)a->cost.cycles);
    cJSON_AddNumberToObject(o, "simd_cycles", (double)b->cost.cycles);
    cJSON_AddNumberToObject(o, "speedup", ratio(a->cost.cycles, b->cost.cycles));
    cJSON_AddNumberToObject(o, "ref_flash_read_accesses", (double)x.flash_rd);
    cJSON_AddNumberToObject(o, "simd_flash_read_accesses", (double)y.flash_rd);
    cJSON_AddNumberToObject(o, "ref_ram_read_accesses", (double)x.ram_rd);
    cJSON_AddNumberToObject(o, "simd_ram_read_accesses", (double)y.ram_rd);
    return o;
}

static cJSON *compare_doc(const bench_run *r, const bench_run *s, const ts_target *t,
                          const bench_args *a)
{
    cJSON *o = header_json(t, a, ts_ref_n_inputs(ts_engine_ref(r->e))), *cmp, *arr;
    uint64_t rc = ts_engine_totals_get(r->e)->cost.cycles;
    uint64_t sc = ts_engine_totals_get(s->e)->cost.cycles;

    if (ts_engine_note(s->e))
        cJSON_AddStringToObject(o, "note", ts_engine_note(s->e));
    cJSON_AddBoolToObject(o, "outputs_identical", true);
    add_run_json(cJSON_AddObjectToObject(o, "ref"), r->e, t, a);
    add_run_json(cJSON_AddObjectToObject(o, "simd"), s->e, t, a);
    cmp = cJSON_AddObjectToObject(o, "comparison");
    cJSON_AddNumberToObject(cmp, "ref_cycles", (double)rc);
    cJSON_AddNumberToObject(cmp, "simd_cycles", (double)sc);
    cJSON_AddNumberToObject(cmp, "speedup", ratio(rc, sc));
    arr = cJSON_AddArrayToObject(cmp, "layers");
    for (int32_t k = 0; k < ts_engine_n_layers(r->e); k++)
        cJSON_AddItemToArray(arr, compare_layer_json(ts_engine_layer_at(r->e, k),
                                                     ts_engine_layer_at(s->e, k), t));
    add_outputs_json(o, r->e, r->outs);
    return o;
}

/* Records both variants (two runs), prints the comparison, stores the runs. */
static int finish_both(const bench_run *r, const bench_run *s, const ts_target *t,
                       const bench_args *a)
{
    cJSON *doc = compare_doc(r, s, t, a);
    char status[512];
    const char *st = a->fit ? fit_text(t, a->fit, status, sizeof status) : "ok";
    ts_res_run *runs[2] = {record_run(cJSON_GetObjectItem(doc, "ref"), t, a, st),
                           record_run(cJSON_GetObjectItem(doc, "simd"), t, a, st)};
    int rc = runs[0] && runs[1] ? TS_EXIT_OK : TS_EXIT_FAIL;

    if (rc == TS_EXIT_OK && a->json)
        print_json_doc(doc), doc = NULL;
    else if (rc == TS_EXIT_OK && a->csv)
        csv_objects(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "comparison"), "layers"), NULL,
                    NULL);
    else if (rc == TS_EXIT_OK)
        print_compare_text(r, s, t, a);
    fflush(stdout);
    if (rc == TS_EXIT_OK)
        rc = store_runs(runs, 2, a);
    cJSON_Delete(doc);
    ts_res_run_free(runs[0]), ts_res_run_free(runs[1]);
    return rc;
}

static int run_both(const ts_target *t, const ts_model *m, const bench_args *a)
{
    bench_run r = {0}, s = {0};
    int rc = do_run(t, m, a, TS_KERNELS_REF, &r);

    if (rc == TS_EXIT_OK)
        rc = do_run(t, m, a, TS_KERNELS_SIMD, &s);
    if (rc == TS_EXIT_OK)
        rc = compare_outputs(&r, &s, a->model);
    if (rc == TS_EXIT_OK)
        rc = write_outputs(r.e, a, r.outs);
    if (rc == TS_EXIT_OK)
        rc = finish_both(&r, &s, t, a);
    runner_close(&r);
    runner_close(&s);
    return rc;
}

/* Records the run, prints the report, stores the run. */
static int finish_run(const bench_run *r, const ts_target *t, const bench_args *a)
{
    cJSON *doc = report_doc(r->e, t, a, r->outs);
    char status[512];
    ts_res_run *run = record_run(doc, t, a, a->fit ? fit_text(t, a->fit, status, sizeof status)
                                                   : "ok");
    int rc = run ? TS_EXIT_OK : TS_EXIT_FAIL;

    if (rc == TS_EXIT_OK && a->json)
        print_json_doc(doc), doc = NULL;
    else if (rc == TS_EXIT_OK && a->csv)
        csv_objects(cJSON_GetObjectItem(doc, "layers"), NULL, NULL);
    else if (rc == TS_EXIT_OK)
        print_text(r->e, t, a);
    fflush(stdout);
    if (rc == TS_EXIT_OK)
        rc = store_runs(&run, 1, a);
    cJSON_Delete(doc);
    ts_res_run_free(run);
    return rc;
}

static int run_bench(const ts_target *t, const ts_model *m, const bench_args *a)
{
    bench_run r = {0};
    ts_kernels k;
    int rc;

    if (a->kernels == KERNELS_BOTH)
        return run_both(t, m, a);
    if (a->kernels == KERNELS_AUTO)
        k = runner_kernels_auto(t);
    else
        k = (ts_kernels)a->kernels;
    rc = do_run(t, m, a, k, &r);
    if (rc == TS_EXIT_OK)
        rc = write_outputs(r.e, a, r.outs);
    if (rc == TS_EXIT_OK)
        rc = finish_run(&r, t, a);
    runner_close(&r);
    return rc;
}

/* --suite: checks the database once (a bad one stops the suite before any run), then runs
 * the matrix (suite.c), each run recording itself. */
static int run_suite(const bench_args *a)
{
    char path[4096];
    ts_results *db = NULL;
    suite_opts o = {a->suite, a->models_dir, NULL, a->no_db, a->tags, a->n_tags,
                    a->jobs ? (unsigned)a->jobs : 1};
    int rc;

    if (!a->no_db) {
        if (!record_db_path(a->db, path, sizeof path))
            return TS_EXIT_BAD_INPUT;
        if ((rc = record_open(path, true, &db)) != TS_EXIT_OK)
            return rc;
        ts_results_close(db);
        o.db = path;
    }
    return suite_run(&o);
}

int cmd_bench(int argc, char **argv)
{
    bench_args a;
    ts_target t, big;
    fit_info fit = {0};
    char line[512];
    ts_model *m = NULL;
    ts_err err;
    int rc;

    memset(&a, 0, sizeof a);
    a.kernels = KERNELS_AUTO;
    ts_err_clear(&err);
    if ((rc = parse_args(argc, argv, &a)) != TS_EXIT_OK ||
        (rc = tio_check_outputs(&a.io)) != TS_EXIT_OK)
        return rc;
    if (a.suite)
        return run_suite(&a);
    if (load_target(&a, &t, &err) != TS_OK)
        return cli_report(&err);
    if (ts_model_load_file(a.model, &m, &err) != TS_OK)
        return cli_report(&err);
    rc = a.ignore_fit ? enlarge_target(&t, m, &a, &big, &fit) : TS_EXIT_OK;
    if (rc == TS_EXIT_OK && a.ignore_fit && fit.n) {
        a.fit = &fit, a.run_target = &big;
        fprintf(stderr, "warning: %s\n", fit_text(&t, &fit, line, sizeof line));
    }
    if (rc == TS_EXIT_OK)
        rc = run_bench(&t, m, &a);
    ts_model_free(m);
    return rc;
}
