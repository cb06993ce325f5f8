/* cmd_compare.c: `tinysim compare MODEL.tflite --targets A,B,C [--kernels auto|ref|simd]
 * [--per-layer] [--json|--csv] [--set KEY=VALUE]... [--input FILE]... [--input-npy FILE]...
 * [--output FILE]... [--output-npy FILE]...`: runs one model on several targets, each run as
 * `tinysim bench` does it (bench/runner.c: same engine, same default input), and puts them
 * side by side: one column per target, one row per figure (compare_rows.def, plus accesses and
 * bytes of every memory level), then each target's saving against the first, in percent.
 * Layer: bench/ (prints, exits). Tables: compare_print.c.
 *
 * Order: the arguments, every target (with the --set overrides, applied to each) and the
 * model are checked before any simulation (bad name or value: one line, exit 2); then each
 * target's footprint: a target that cannot hold the model is not run and its column says so
 * with the bytes needed and available; then the runs. The outputs of every target that ran
 * must be identical byte for byte, else one line names the two targets and the first
 * differing byte, and the command exits 1 with no table. When no target holds the model the
 * table is printed, then an error line, exit 2. --output files are written (all or nothing)
 * from the first target that ran, after the comparison.
 * Level of a region = its kind in the target (flash, sram, tcm, and later kinds such as a
 * unit's local memory); regions of one kind are summed. accesses = instruction fetches + data
 * reads + data writes; bytes likewise.
 *
 * Test-only: the environment variable TINYSIM_TEST_CORRUPT_OUTPUT=TARGET:BYTE flips byte BYTE
 * of output 0 of target TARGET after its run, so that tests can provoke the mismatch error
 * end to end; it has no other use. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli.h"
#include "compare.h"
#include "energy/energy.h"
#include "opts.h"

/* ---- rows ---- */

typedef struct cmp_src {
    const ts_target *t;
    const ts_engine_totals *T; /* NULL without a run */
    const ts_engine_layout *L;
    uint64_t accesses, bytes; /* all levels */
    ts_energy en;             /* energy of T (zeros without a run) */
} cmp_src;

/* Energy of the run, uJ: component `part` (ts_energy_part), or the memories (part < 0: every
 * region summed), or the total (part == TS_ENERGY_N_PARTS). */
static double energy_uj(const cmp_src *s, int part)
{
    double sum = 0;

    if (part == TS_ENERGY_N_PARTS)
        return s->en.total_uj;
    if (part >= 0)
        return s->en.part_uj[part];
    for (unsigned i = 0; i < s->en.n_regions; i++)
        sum += s->en.region_uj[i];
    return sum;
}

enum {
#define ROW(key, label, unit, fmt, sec, flags, value) DEF_##key,
#include "compare_rows.def"
#undef ROW
    N_DEF_ROWS
};

static const struct def_row {
    const char *key, *label, *unit;
    int fmt, sec, flags;
} def_rows[] = {
#define ROW(key, label, unit, fmt, sec, flags, value)                                           \
    {#key, label, unit, CMP_FMT_##fmt, CMP_SEC_##sec, flags},
#include "compare_rows.def"
#undef ROW
};

static double def_value(int id, const cmp_src *s)
{
    switch (id) {
#define ROW(key, label, unit, fmt, sec, flags, value)                                           \
    case DEF_##key:                                                                             \
        return (value);
#include "compare_rows.def"
#undef ROW
    default:
        break;
    }
    return 0.0;
}

static cmp_row *add_row(cmp *c, const char *key, const char *label, int sec, int flags)
{
    cmp_row *r = &c->rows[c->n_rows++];

    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    snprintf(r->label, sizeof r->label, "%s", label);
    r->unit = "", r->sec = sec, r->flags = flags, r->def = -1;
    return r;
}

static void add_level_rows(cmp *c, int kind)
{
    const char *name = ts_target_kind_name(kind);
    char key[CMP_KEY_BYTES], label[CMP_KEY_BYTES];

    for (int b = 0; b < 2; b++) {
        cmp_row *r;
        snprintf(key, sizeof key, "%s_%s", name, b ? "bytes" : "accesses");
        snprintf(label, sizeof label, "%s %s", name, b ? "bytes" : "accesses");
        r = add_row(c, key, label, CMP_SEC_MEM, CMP_RUN);
        r->kind = kind, r->level_bytes = b;
    }
}

/* The level kinds of every target, ascending: the union of their level lists. */
static void union_levels(const cmp *c, runner_levels *u)
{
    memset(u, 0, sizeof *u);
    for (int i = 0; i < c->n; i++)
        for (unsigned k = 0; k < c->tg[i].lv.n; k++)
            runner_level_add(u, c->tg[i].lv.kind[k]);
}

/* Rows in display order: per section, the level rows first in MEM, then compare_rows.def. */
static void build_rows(cmp *c)
{
    runner_levels u;

    union_levels(c, &u);
    assert(2 * u.n + N_DEF_ROWS <= CMP_MAX_ROWS);
    for (int sec = 0; sec < CMP_N_SEC; sec++) {
        for (unsigned k = 0; sec == CMP_SEC_MEM && k < u.n; k++)
            add_level_rows(c, u.kind[k]);
        for (int d = 0; d < N_DEF_ROWS; d++) {
            cmp_row *r;
            if (def_rows[d].sec != sec)
                continue;
            r = add_row(c, def_rows[d].key, def_rows[d].label, sec, def_rows[d].flags);
            r->unit = def_rows[d].unit, r->fmt = def_rows[d].fmt, r->def = d;
        }
    }
}

void cmp_level_totals(const runner_levels *lv, uint64_t *accesses, uint64_t *bytes)
{
    *accesses = *bytes = 0;
    for (unsigned k = 0; k < lv->n; k++) {
        const ts_mem_counters *n = &lv->sum[k];
        *accesses += n->fetch_accesses + n->read_accesses + n->write_accesses;
        *bytes += n->fetch_bytes + n->read_bytes + n->write_bytes;
    }
}

/* Target x's value on level row r. False when x has no run or no region of that kind. */
static bool level_value(const cmp_target *x, const cmp_row *r, double *v)
{
    int at = runner_level_index(&x->lv, r->kind);
    const ts_mem_counters *n = at >= 0 ? &x->lv.sum[at] : NULL;

    if (!x->run.e || !n)
        return false;
    *v = r->level_bytes ? (double)(n->fetch_bytes + n->read_bytes + n->write_bytes)
                        : (double)(n->fetch_accesses + n->read_accesses + n->write_accesses);
    return true;
}

/* Values of target x on every row (levels summed already). */
static void fill_values(const cmp *c, cmp_target *x)
{
    const ts_engine_totals *T = x->run.e ? ts_engine_totals_get(x->run.e) : NULL;
    cmp_src s;

    memset(&s, 0, sizeof s);
    s.t = &x->t, s.T = T, s.L = &x->L;
    cmp_level_totals(&x->lv, &s.accesses, &s.bytes);
    if (T)
        ts_energy_of(&x->t, &T->cost, &s.en); /* once; the energy rows read it */
    for (int r = 0; r < c->n_rows; r++) {
        const cmp_row *row = &c->rows[r];
        x->val[r] = 0.0;
        if (row->def < 0)
            x->has[r] = level_value(x, row, &x->val[r]);
        else if ((x->has[r] = (T || !(row->flags & CMP_RUN)) &&
                              (!(row->flags & CMP_ARRAY) || (T && T->cost.unit.pe_cycles))))
            x->val[r] = def_value(row->def, &s);
    }
}

bool cmp_saving(const cmp *c, int r, int i, double *pct)
{
    const cmp_target *b = &c->tg[0], *x = &c->tg[i];

    if (!b->has[r] || !x->has[r] || b->val[r] == 0.0)
        return false;
    *pct = 100.0 * (b->val[r] - x->val[r]) / b->val[r];
    return true;
}

/* ---- arguments ---- */

/* Splits "A,B,C" into a->targets: no empty name, no name twice, at most CMP_MAX_TARGETS. */
static int split_targets(cmp_args *a, const char *v)
{
    char *p;

    if (!*v)
        return cli_usage_error("compare: --targets needs a value (A,B,...)");
    if (strlen(v) >= sizeof a->targets_buf)
        return cli_usage_error("compare: --targets: list longer than %zu characters",
                               sizeof a->targets_buf - 1);
    snprintf(a->targets_buf, sizeof a->targets_buf, "%s", v);
    for (p = a->targets_buf;; p++) {
        char *end = strchr(p, ',');
        if (end)
            *end = '\0';
        if (!*p)
            return cli_usage_error("compare: --targets: empty target name in '%s'", v);
        for (int i = 0; i < a->n_targets; i++)
            if (!strcmp(a->targets[i], p))
                return cli_usage_error("compare: --targets: '%s' given twice", p);
        if (a->n_targets == CMP_MAX_TARGETS)
            return cli_usage_error("compare: --targets: more than %d targets", CMP_MAX_TARGETS);
        a->targets[a->n_targets++] = p;
        if (!end)
            return TS_EXIT_OK;
        p = end;
    }
}

static int parse_kernels(const char *v, int *out)
{
    ts_kernels k;

    if (!strcmp(v, "auto"))
        *out = CMP_KERNELS_AUTO;
    else if (ts_kernels_from_name(v, &k))
        *out = (int)k;
    else
        return cli_usage_error("compare: --kernels: expected auto, ref or simd, got '%s'", v);
    return TS_EXIT_OK;
}

enum { OPT_TARGETS, OPT_KERNELS, OPT_SET, OPT_PER_LAYER, OPT_JSON, OPT_CSV, OPT_INVOCATIONS,
       OPT_IO };

#define EX_FORMAT 1u /* --json | --csv */

static const opts_spec compare_opts[] = {
    {"--targets", OPT_TARGETS, OPTS_VALUE, 0},
    {"--kernels", OPT_KERNELS, OPTS_VALUE, 0},
    {"--set", OPT_SET, OPTS_VALUE | OPTS_REPEAT, 0},
    {"--per-layer", OPT_PER_LAYER, 0, 0},
    {"--json", OPT_JSON, 0, EX_FORMAT},
    {"--csv", OPT_CSV, 0, EX_FORMAT},
    {"--invocations", OPT_INVOCATIONS, OPTS_VALUE, 0},
    TIO_OPTS(OPT_IO),
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    cmp_args *a = ctx;

    switch (id) {
    case OPTS_ARG:
        if (a->model)
            return cli_usage_error("compare: more than one model given ('%s', '%s')", a->model,
                                   v);
        a->model = v;
        return TS_EXIT_OK;
    case OPT_TARGETS: return split_targets(a, v);
    case OPT_KERNELS: return parse_kernels(v, &a->kernels);
    case OPT_SET:
        if (a->n_sets == CMP_MAX_SETS)
            return cli_usage_error("compare: more than %d --set options", CMP_MAX_SETS);
        a->sets[a->n_sets++] = v;
        return TS_EXIT_OK;
    case OPT_PER_LAYER: a->per_layer = true; break;
    case OPT_JSON: a->json = true; break;
    case OPT_CSV: a->csv = true; break;
    case OPT_INVOCATIONS:
        return cli_parse_count("compare", name, v, RUNNER_MAX_INVOCATIONS, &a->invocations);
    default: return tio_option(&a->io, "compare", id - OPT_IO, name, v);
    }
    return TS_EXIT_OK;
}

static int parse_args(int argc, char **argv, cmp_args *a)
{
    int rc = opts_parse("compare", compare_opts, OPTS_N(compare_opts), argc, argv, 1, on_option,
                        a);

    if (rc == TS_EXIT_OK && (!a->n_targets || !a->model))
        rc = cli_usage_error("compare: expected MODEL.tflite and --targets A,B,...");
    return rc;
}

/* ---- runs ---- */

static ts_engine_opts engine_opts(const cmp_target *x)
{
    ts_engine_opts o;

    memset(&o, 0, sizeof o);
    o.kernels = x->kernels;
    return o;
}

/* Every target loaded (with the overrides) and its footprint computed: no simulation yet. */
static int load_targets(cmp *c)
{
    ts_err err;

    ts_err_clear(&err);
    for (int i = 0; i < c->n; i++) {
        cmp_target *x = &c->tg[i];
        if (runner_load_target(c->a.targets[i], c->a.sets, c->a.n_sets, "compare", &x->t,
                               &err) != TS_OK)
            return cli_report(&err);
        x->kernels = c->a.kernels == CMP_KERNELS_AUTO ? runner_kernels_auto(&x->t)
                                                      : (ts_kernels)c->a.kernels;
    }
    if (ts_model_load_file(c->a.model, &c->m, &err) != TS_OK)
        return cli_report(&err);
    for (int i = 0; i < c->n; i++) {
        cmp_target *x = &c->tg[i];
        ts_engine_opts o = engine_opts(x);
        if (ts_engine_footprint(&x->t, ts_model_graph(c->m), ts_model_source(c->m), &o, &x->L,
                                &err) != TS_OK)
            return cli_report(&err);
        x->fits = x->L.fits_ram && x->L.fits_flash;
    }
    return TS_EXIT_OK;
}

/* The test-only corruption (file header). */
static void corrupt_for_test(cmp_target *x)
{
    const char *v = getenv("TINYSIM_TEST_CORRUPT_OUTPUT");
    const char *colon = v ? strrchr(v, ':') : NULL;
    unsigned long long byte;
    ts_ref_io io;

    if (!colon || strncmp(v, x->t.name, (size_t)(colon - v)) || x->t.name[colon - v] ||
        cli_parse_u64(colon + 1, &byte) || x->run.n_out < 1)
        return;
    ts_ref_output_info(ts_engine_ref(x->run.e), 0, &io);
    if (byte < io.size_bytes)
        x->run.outs[0][byte] ^= 0xffu;
}

static int run_target(cmp *c, cmp_target *x)
{
    ts_engine_opts o = engine_opts(x);
    int rc;
    ts_err err;

    ts_err_clear(&err);
    if (ts_engine_open(&x->t, ts_model_graph(c->m), ts_model_source(c->m), &o, &x->run.e,
                       &err) != TS_OK)
        return cli_report(&err);
    if (ts_engine_note(x->run.e))
        fprintf(stderr, "note: %s\n", ts_engine_note(x->run.e));
    x->run.invocations = (uint32_t)c->a.invocations;
    if ((rc = runner_run_engine(&x->run, c->m, c->a.model, &c->a.io)) != TS_EXIT_OK)
        return rc;
    corrupt_for_test(x);
    x->L = *ts_engine_layout_get(x->run.e);
    runner_sum_levels(&x->t, &ts_engine_totals_get(x->run.e)->cost, &x->lv);
    return TS_EXIT_OK;
}

const cmp_target *cmp_first_run(const cmp *c)
{
    for (int i = 0; i < c->n; i++)
        if (c->tg[i].run.e)
            return &c->tg[i];
    return NULL;
}

/* Every target that ran gave the bytes of the first that ran; else one line, exit 1. */
static int check_outputs(const cmp *c)
{
    const cmp_target *f = cmp_first_run(c);
    ts_err err;
    ts_ref_io io;
    size_t k;
    int o;

    ts_err_clear(&err);
    for (int i = 0; f && i < c->n; i++) {
        const cmp_target *x = &c->tg[i];
        if (x == f || !x->run.e || !runner_outputs_differ(&f->run, &x->run, &o, &k))
            continue;
        ts_ref_output_info(ts_engine_ref(f->run.e), o, &io);
        ts_err_set(&err, TS_ERR_INTERNAL, "%s: outputs differ between targets %s and %s: "
                   "output %d ('%s') byte %zu: 0x%02x vs 0x%02x (every target must give the "
                   "same bytes)", c->a.model, f->t.name, x->t.name, o, io.name, k,
                   f->run.outs[o][k], x->run.outs[o][k]);
        return cli_report(&err);
    }
    return TS_EXIT_OK;
}

static int run_all(cmp *c)
{
    int rc = load_targets(c);

    for (int i = 0; i < c->n && rc == TS_EXIT_OK; i++) {
        if (c->tg[i].fits)
            rc = run_target(c, &c->tg[i]);
        else
            runner_sum_levels(&c->tg[i].t, NULL, &c->tg[i].lv);
    }
    if (rc == TS_EXIT_OK)
        rc = check_outputs(c);
    return rc;
}

/* Prints the report; writes the --output files from the first target that ran. */
static int report(cmp *c)
{
    const cmp_target *f = cmp_first_run(c);
    ts_err err;
    int rc = TS_EXIT_OK;

    ts_err_clear(&err);
    build_rows(c);
    for (int i = 0; i < c->n; i++)
        fill_values(c, &c->tg[i]);
    if (f && c->a.io.n_out)
        rc = tio_write_outputs(&c->a.io, ts_engine_ref(f->run.e),
                               (const void *const *)f->run.outs);
    if (rc != TS_EXIT_OK)
        return rc;
    if (!f) /* reported first, so that --json's document can carry it */
        ts_err_set(&err, TS_ERR_RANGE, "%s: none of the targets can hold the model", c->a.model);
    if (c->a.json) {
        rc = f ? TS_EXIT_OK : cli_report(&err);
        cmp_print_json(c, rc);
        return rc;
    }
    if (c->a.csv)
        cmp_print_csv(c);
    else
        cmp_print_text(c);
    fflush(stdout);
    return f ? TS_EXIT_OK : cli_report(&err);
}

int cmd_compare(int argc, char **argv)
{
    cmp *c = ts_calloc(1, sizeof *c);
    int rc;

    if (!c)
        return cli_usage_error("compare: out of memory");
    c->a.kernels = CMP_KERNELS_AUTO;
    rc = parse_args(argc, argv, &c->a);
    if (rc == TS_EXIT_OK)
        rc = tio_check_outputs(&c->a.io);
    if (rc == TS_EXIT_OK && !(c->tg = ts_calloc((size_t)c->a.n_targets, sizeof *c->tg)))
        rc = cli_usage_error("compare: out of memory");
    c->n = rc == TS_EXIT_OK ? c->a.n_targets : 0;
    if (rc == TS_EXIT_OK)
        rc = run_all(c);
    if (rc == TS_EXIT_OK)
        rc = report(c);
    for (int i = 0; i < c->n; i++)
        runner_close(&c->tg[i].run);
    ts_free(c->tg);
    ts_model_free(c->m);
    ts_free(c);
    return rc;
}
