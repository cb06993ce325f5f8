/* compare_print.c: the reports of `tinysim compare` (see cmd_compare.c): a text table with one
 * column per target (100 columns hold four targets), optional per-layer tables, a JSON
 * document and CSV. Layer: bench/ (prints to stdout; computes nothing but formatting).
 *
 * CSV columns (--csv, one line per target, a header line first): target, core, clock_hz,
 * kernels, fits (1/0), then every figure key in table order (the level keys
 * <kind>_accesses and <kind>_bytes for every region kind of any target, then
 * compare_rows.def), then saving_<key>_percent for each row with a saving; an empty field has
 * no value (target not run, or no region of that kind).
 * --csv --per-layer: one line per target that ran and layer: target, index, op, unit,
 * kernels, macs, cycles, accesses, bytes (accesses and bytes over all levels). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "csv.h"
#include "fmt.h"
#include "record.h"

#define LABEL_W 28 /* text table: label column */
#define COL_W 15   /* text table: one target column, at least (widened to the longest name) */
#define COL_W_MAX 24

static const char *const section_titles[CMP_N_SEC] = {
    /* ORDER cmp_section */
    NULL, "memory accesses and bytes by level (instruction fetches + data reads + writes)",
    "energy", "footprint"};

/* Width of a target column: COL_W, or the longest target name up to COL_W_MAX (longer names
 * are truncated), so that four targets fit 100 columns unless a name is long. */
static int col_w(const cmp *c)
{
    size_t w = COL_W;

    for (int i = 0; i < c->n; i++)
        if (strlen(c->tg[i].t.name) > w)
            w = strlen(c->tg[i].t.name);
    return w < COL_W_MAX ? (int)w : COL_W_MAX;
}

static const char *cell(char *buf, size_t size, const cmp_row *r, bool has, double v)
{
    if (!has)
        return "-";
    if (r->fmt == CMP_FMT_COUNT)
        return fmt_count(buf, size, (uint64_t)v);
    if (r->fmt == CMP_FMT_CLOCK)
        return fmt_clock(buf, size, (uint64_t)llround(v * 1e6));
    return fmt_fixed(buf, size, v, r->fmt == CMP_FMT_FIX2 ? 2 : 3);
}

static void print_label(const char *label, const char *unit)
{
    char buf[LABEL_W * 2];

    snprintf(buf, sizeof buf, *unit ? "%s (%s)" : "%s", label, unit);
    printf("%-*.*s", LABEL_W, LABEL_W, buf);
}

static void print_names(const cmp *c, const char *title)
{
    print_label(title, "");
    for (int i = 0; i < c->n; i++)
        printf(" %*.*s", col_w(c), col_w(c), c->tg[i].t.name);
    printf("\n");
}

static void print_head(const cmp *c)
{
    const cmp_target *f = cmp_first_run(c);
    char b[32], sets[512];
    int n_run = 0;

    for (int i = 0; i < c->n; i++)
        n_run += c->tg[i].run.e != NULL;
    printf("model     %s (%d ops", c->a.model, ts_model_graph(c->m)->n_ops);
    if (f)
        printf(", %s MACs", fmt_count(b, sizeof b, ts_engine_totals_get(f->run.e)->macs /
                                                  (c->a.invocations ? c->a.invocations : 1)));
    printf(")\ninput     %s\n", tio_input_name(&c->a.io, ts_model_graph(c->m)->n_inputs, 1));
    if (c->a.n_sets)
        printf("overrides %s (on every target)\n", fmt_sets(sets, sizeof sets, c->a.sets,
                                                            c->a.n_sets));
    printf("kernels   %s\n", c->a.kernels == CMP_KERNELS_AUTO
                                 ? "auto (simd on cores with the DSP extension, else ref)"
                                 : ts_kernels_name((ts_kernels)c->a.kernels));
    if (c->a.invocations > 1)
        printf("invocations %llu in a row on every target, state carried; figures are sums "
               "over the %llu\n", c->a.invocations, c->a.invocations);
    printf("outputs   identical on the %d target%s that ran%s\n\n", n_run, n_run == 1 ? "" : "s",
           c->a.invocations > 1 ? " (the last invocation's)" : "");
}

/* The variant that ran (after the engine's fallback on a core without DSP), else the one
 * requested. */
static ts_kernels kernels_used(const cmp_target *x)
{
    return x->run.e ? ts_engine_kernels(x->run.e) : x->kernels;
}

static const char *fit_word(const cmp_target *x)
{
    if (x->fits)
        return "yes";
    if (!x->L.fits_ram && !x->L.fits_flash)
        return "NO: RAM+flash";
    return x->L.fits_ram ? "NO: flash" : "NO: RAM";
}

/* The firmware image the footprint counts: a prebuilt op-set image, or one linked with only
 * the model's kernels because the op-set image did not fit (sim/engine, ts_fw_link). */
static const char *firmware_word(const cmp_target *x)
{
    return x->L.fw_per_model ? "per model" : "op set";
}

/* The rows that are words: core, kernel variant, whether the target holds the model, the
 * firmware image. */
static void print_strings(const cmp *c)
{
    static const char *const labels[] = {"core", "kernels", "holds the model", "firmware"};

    for (int k = 0; k < 4; k++) {
        print_label(labels[k], "");
        for (int i = 0; i < c->n; i++) {
            const cmp_target *x = &c->tg[i];
            printf(" %*s", col_w(c), k == 0   ? ts_target_core_name(x->t.core)
                                  : k == 1 ? ts_kernels_name(kernels_used(x))
                                  : k == 2 ? fit_word(x)
                                           : firmware_word(x));
        }
        printf("\n");
    }
}

/* True when some target ran a layer on a unit with a MAC array. */
static bool any_array(const cmp *c)
{
    for (int i = 0; i < c->n; i++)
        if (c->tg[i].run.e && ts_engine_totals_get(c->tg[i].run.e)->cost.unit.pe_cycles)
            return true;
    return false;
}

static void print_rows(const cmp *c)
{
    char b[40];
    int sec = -1;

    for (int r = 0; r < c->n_rows; r++) {
        const cmp_row *row = &c->rows[r];
        if ((row->flags & CMP_ARRAY) && !any_array(c)) /* no array among the targets */
            continue;
        if (row->sec != sec && section_titles[row->sec])
            printf("\n%s\n", section_titles[row->sec]);
        sec = row->sec;
        print_label(row->label, row->unit);
        for (int i = 0; i < c->n; i++)
            printf(" %*s", col_w(c), cell(b, sizeof b, row, c->tg[i].has[r], c->tg[i].val[r]));
        printf("\n");
    }
}

static void print_savings(const cmp *c)
{
    char title[LABEL_W + 64];
    double pct;

    if (!c->tg[0].run.e) {
        printf("\nno savings: the first target, %s, cannot hold the model\n", c->tg[0].t.name);
        return;
    }
    snprintf(title, sizeof title, "saving vs %s, percent", c->tg[0].t.name);
    printf("\n%s (100 * (%s - target) / %s)\n", title, c->tg[0].t.name, c->tg[0].t.name);
    for (int r = 0; r < c->n_rows; r++) {
        if (!(c->rows[r].flags & CMP_SAVE))
            continue;
        print_label(c->rows[r].label, c->rows[r].unit);
        printf(" %*s", col_w(c), "baseline");
        for (int i = 1; i < c->n; i++) {
            char b[32] = "-";
            if (cmp_saving(c, r, i, &pct))
                snprintf(b, sizeof b, "%+.1f%%", pct);
            printf(" %*s", col_w(c), b);
        }
        printf("\n");
    }
}

static void print_no_fit(const cmp *c)
{
    char b[4][32];

    for (int i = 0; i < c->n; i++) {
        const ts_engine_layout *L = &c->tg[i].L;
        if (c->tg[i].fits)
            continue;
        printf("\n%s cannot hold the model:\n  RAM %s bytes needed, %s available; flash %s "
               "bytes needed, %s available\n", c->tg[i].t.name,
               fmt_count(b[0], sizeof b[0], L->ram_used_bytes),
               fmt_count(b[1], sizeof b[1], L->ram_avail_bytes),
               fmt_count(b[2], sizeof b[2], L->flash_used_bytes),
               fmt_count(b[3], sizeof b[3], L->flash_avail_bytes));
    }
}

/* ---- per layer ---- */

/* Accesses and bytes of one layer over all levels. */
static void layer_traffic(const cmp_target *x, const ts_engine_layer *l, uint64_t *acc,
                          uint64_t *bytes)
{
    runner_levels lv;

    runner_sum_levels(&x->t, &l->cost, &lv);
    cmp_level_totals(&lv, acc, bytes);
}

/* "cpu" when every target that ran put layer k on the same unit, else "cpu/dsp/-" in target
 * order ("-": did not run). */
static const char *layer_units(const cmp *c, int32_t k, char *buf, size_t size)
{
    const char *same = NULL;
    bool differ = false;
    size_t n = 0;

    for (int i = 0; i < c->n; i++) {
        const char *u = c->tg[i].run.e ? ts_engine_layer_at(c->tg[i].run.e, k)->unit : "-";
        if (c->tg[i].run.e && same && strcmp(same, u))
            differ = true;
        if (c->tg[i].run.e && !same)
            same = u;
        n += (size_t)snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, "%s%s",
                              i ? "/" : "", u);
    }
    return differ || !same ? buf : same;
}

/* The per-layer tables (ORDER layer_titles). */
enum { LT_CYCLES, LT_ACCESSES, LT_UTIL, LT_N };
static const char *const layer_titles[LT_N] = {
    "cycles", "memory accesses (all levels)",
    "array MAC utilisation (% of PE-cycles; -: not on an array)"};

/* Layer l's cell of table `what` on target x ("-": no value). */
static const char *layer_cell(const cmp_target *x, const ts_engine_layer *l, int what, char *b,
                              size_t n)
{
    uint64_t v = l->cost.cycles, bytes;

    if (what == LT_UTIL) {
        if (!l->cost.unit.pe_cycles)
            return "-";
        snprintf(b, n, "%.1f", 100.0 * (double)l->cost.unit.mac_ops /
                                   (double)l->cost.unit.pe_cycles);
        return b;
    }
    if (what == LT_ACCESSES)
        layer_traffic(x, l, &v, &bytes);
    return fmt_count(b, n, v);
}

/* Width of the unit column: the longest "cpu/dsp/-" list of a layer, 4 to 32 characters. */
static int unit_w(const cmp *c, const cmp_target *f)
{
    char u[64];
    size_t w = 4;

    for (int32_t k = 0; k < ts_engine_n_layers(f->run.e); k++)
        if (strlen(layer_units(c, k, u, sizeof u)) > w)
            w = strlen(u);
    return w < 32 ? (int)w : 32;
}

static void print_layer_table(const cmp *c, const cmp_target *f, int what)
{
    char b[40], u[64];
    int uw = unit_w(c, f);

    printf("%s per layer\n%3s %-18s %-*s", layer_titles[what], "#", "op", uw, "unit");
    for (int i = 0; i < c->n; i++)
        printf(" %*.*s", col_w(c), col_w(c), c->tg[i].t.name);
    printf("\n");
    for (int32_t k = 0; k < ts_engine_n_layers(f->run.e); k++) {
        const ts_engine_layer *l = ts_engine_layer_at(f->run.e, k);
        printf("%3d %-18.18s %-*.*s", l->op_index, l->name, uw, uw,
               layer_units(c, k, u, sizeof u));
        for (int i = 0; i < c->n; i++) {
            const cmp_target *x = &c->tg[i];
            printf(" %*s", col_w(c),
                   x->run.e ? layer_cell(x, ts_engine_layer_at(x->run.e, k), what, b, sizeof b)
                            : "-");
        }
        printf("\n");
    }
    printf("\n");
}

void cmp_print_text(const cmp *c)
{
    const cmp_target *f = cmp_first_run(c);

    print_head(c);
    if (c->a.per_layer && f) {
        print_layer_table(c, f, LT_CYCLES);
        print_layer_table(c, f, LT_ACCESSES);
        if (any_array(c))
            print_layer_table(c, f, LT_UTIL);
    }
    print_names(c, "");
    print_strings(c);
    print_rows(c);
    if (c->n > 1)
        print_savings(c);
    print_no_fit(c);
}

/* ---- JSON ---- */

static void add_value(cJSON *o, const char *key, bool has, double v)
{
    cJSON_AddItemToObject(o, key, has ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

static cJSON *levels_json(const cmp_target *x)
{
    cJSON *arr = cJSON_CreateArray();

    for (unsigned k = 0; k < x->lv.n; k++) {
        const ts_mem_counters *n = &x->lv.sum[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "level", ts_target_kind_name(x->lv.kind[k]));
        cJSON_AddNumberToObject(o, "regions", x->lv.n_regions[k]);
        cJSON_AddNumberToObject(o, "fetch_accesses", (double)n->fetch_accesses);
        cJSON_AddNumberToObject(o, "fetch_bytes", (double)n->fetch_bytes);
        cJSON_AddNumberToObject(o, "read_accesses", (double)n->read_accesses);
        cJSON_AddNumberToObject(o, "read_bytes", (double)n->read_bytes);
        cJSON_AddNumberToObject(o, "write_accesses", (double)n->write_accesses);
        cJSON_AddNumberToObject(o, "write_bytes", (double)n->write_bytes);
        cJSON_AddNumberToObject(o, "stall_cycles", (double)n->stall_cycles);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *layers_json(const cmp_target *x)
{
    cJSON *arr = cJSON_CreateArray();

    for (int32_t k = 0; k < ts_engine_n_layers(x->run.e); k++) {
        const ts_engine_layer *l = ts_engine_layer_at(x->run.e, k);
        cJSON *o = cJSON_CreateObject();
        uint64_t acc, bytes;
        layer_traffic(x, l, &acc, &bytes);
        cJSON_AddNumberToObject(o, "index", l->op_index);
        cJSON_AddStringToObject(o, "op", l->name);
        cJSON_AddStringToObject(o, "unit", l->unit);
        cJSON_AddStringToObject(o, "kernels", ts_kernels_name(l->kernels));
        cJSON_AddNumberToObject(o, "macs", (double)l->macs);
        cJSON_AddNumberToObject(o, "cycles", (double)l->cost.cycles);
        cJSON_AddNumberToObject(o, "accesses", (double)acc);
        cJSON_AddNumberToObject(o, "bytes", (double)bytes);
        if (l->cost.unit.pe_cycles)
            cJSON_AddNumberToObject(o, "array_util_pct", 100.0 * (double)l->cost.unit.mac_ops /
                                                             (double)l->cost.unit.pe_cycles);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static void add_figures_json(cJSON *o, const cmp *c, int i)
{
    cJSON *fig = cJSON_AddObjectToObject(o, "figures");
    cJSON *sav = cJSON_AddObjectToObject(o, "savings_percent");
    double pct = 0.0;

    for (int r = 0; r < c->n_rows; r++) {
        add_value(fig, c->rows[r].key, c->tg[i].has[r], c->tg[i].val[r]);
        if (c->rows[r].flags & CMP_SAVE) {
            bool has = cmp_saving(c, r, i, &pct);
            add_value(sav, c->rows[r].key, has, pct);
        }
    }
}

static cJSON *target_json(const cmp *c, int i)
{
    const cmp_target *x = &c->tg[i];
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "target", x->t.name);
    cJSON_AddStringToObject(o, "core", ts_target_core_name(x->t.core));
    cJSON_AddNumberToObject(o, "clock_hz", (double)x->t.clock_hz);
    cJSON_AddStringToObject(o, "kernels", ts_kernels_name(kernels_used(x)));
    cJSON_AddBoolToObject(o, "fits", x->fits);
    if (x->run.e && ts_engine_note(x->run.e))
        cJSON_AddStringToObject(o, "note", ts_engine_note(x->run.e));
    cJSON_AddBoolToObject(o, "fits_ram", x->L.fits_ram);
    cJSON_AddBoolToObject(o, "fits_flash", x->L.fits_flash);
    cJSON_AddStringToObject(o, "firmware_link", x->L.fw_per_model ? "model" : "sets");
    add_figures_json(o, c, i);
    if (x->run.e) {
        cJSON_AddItemToObject(o, "levels", levels_json(x));
        cJSON_AddItemToObject(o, "layers", layers_json(x));
    }
    return o;
}

void cmp_print_json(const cmp *c, int error_rc)
{
    cJSON *o = cJSON_CreateObject(), *arr;
    char *text;

    if (error_rc)
        cJSON_AddItemToObject(o, "error", cli_error_json(error_rc));
    cJSON_AddStringToObject(o, "model", c->a.model);
    cJSON_AddStringToObject(o, "input",
                            tio_input_name(&c->a.io, ts_model_graph(c->m)->n_inputs, 0));
    cJSON_AddStringToObject(o, "kernels_requested",
                            c->a.kernels == CMP_KERNELS_AUTO
                                ? "auto" : ts_kernels_name((ts_kernels)c->a.kernels));
    cJSON_AddItemToObject(o, "sets", record_sets_json(c->a.sets, c->a.n_sets));
    cJSON_AddNumberToObject(o, "invocations", c->a.invocations ? (double)c->a.invocations : 1);
    cJSON_AddStringToObject(o, "baseline", c->tg[0].t.name);
    cJSON_AddBoolToObject(o, "outputs_identical", cmp_first_run(c) != NULL);
    arr = cJSON_AddArrayToObject(o, "targets");
    for (int i = 0; i < c->n; i++)
        cJSON_AddItemToArray(arr, target_json(c, i));
    text = cJSON_Print(o);
    if (text)
        puts(text);
    free(text);
    cJSON_Delete(o);
}

/* ---- CSV ---- */

static void csv_totals(const cmp *c)
{
    double pct = 0.0;

    printf("target,core,clock_hz,kernels,fits");
    for (int r = 0; r < c->n_rows; r++)
        printf(",%s", c->rows[r].key);
    for (int r = 0; r < c->n_rows; r++)
        if (c->rows[r].flags & CMP_SAVE)
            printf(",saving_%s_percent", c->rows[r].key);
    printf("\n");
    for (int i = 0; i < c->n; i++) {
        const cmp_target *x = &c->tg[i];
        csv_field(x->t.name, false);
        printf("%s,%llu,%s,%d", ts_target_core_name(x->t.core),
               (unsigned long long)x->t.clock_hz, ts_kernels_name(kernels_used(x)), x->fits);
        for (int r = 0; r < c->n_rows; r++) {
            putchar(',');
            csv_number(x->has[r], x->val[r], c->rows[r].fmt == CMP_FMT_COUNT);
        }
        for (int r = 0; r < c->n_rows; r++)
            if (c->rows[r].flags & CMP_SAVE) {
                bool has = cmp_saving(c, r, i, &pct);
                putchar(',');
                csv_number(has, pct, false);
            }
        printf("\n");
    }
}

static void csv_layers(const cmp *c)
{
    printf("target,index,op,unit,kernels,macs,cycles,accesses,bytes\n");
    for (int i = 0; i < c->n; i++) {
        const cmp_target *x = &c->tg[i];
        for (int32_t k = 0; x->run.e && k < ts_engine_n_layers(x->run.e); k++) {
            const ts_engine_layer *l = ts_engine_layer_at(x->run.e, k);
            uint64_t acc, bytes;
            layer_traffic(x, l, &acc, &bytes);
            csv_field(x->t.name, false);
            printf("%d,%s,", l->op_index, l->name);
            csv_field(l->unit, false);
            printf("%s,%llu,%llu,%llu,%llu\n", ts_kernels_name(l->kernels),
                   (unsigned long long)l->macs, (unsigned long long)l->cost.cycles,
                   (unsigned long long)acc, (unsigned long long)bytes);
        }
    }
}

void cmp_print_csv(const cmp *c)
{
    if (c->a.per_layer)
        csv_layers(c);
    else
        csv_totals(c);
}
