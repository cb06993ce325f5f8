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
#define COL_W 15   /* text table: one target column (names truncated) */

static const char *const section_titles[CMP_N_SEC] = {
    /* ORDER cmp_section */
    NULL, "memory accesses and bytes by level (instruction fetches + data reads + writes)",
    "energy", "footprint"};

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
        printf(" %*.*s", COL_W, COL_W, c->tg[i].t.name);
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
        printf(", %s MACs", fmt_count(b, sizeof b, ts_engine_totals_get(f->run.e)->macs));
    printf(")\ninput     %s\n", c->a.io.n_in ? "from --input files"
                                            : "xorshift32 seed 1 (golden manifest rand1 rule)");
    if (c->a.n_sets)
        printf("overrides %s (on every target)\n", fmt_sets(sets, sizeof sets, c->a.sets,
                                                            c->a.n_sets));
    printf("kernels   %s\n", c->a.kernels == CMP_KERNELS_AUTO
                                 ? "auto (simd on cores with the DSP extension, else ref)"
                                 : ts_kernels_name((ts_kernels)c->a.kernels));
    printf("outputs   identical on the %d target%s that ran\n\n", n_run, n_run == 1 ? "" : "s");
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

/* The rows that are words: core, kernel variant, whether the target holds the model. */
static void print_strings(const cmp *c)
{
    static const char *const labels[] = {"core", "kernels", "holds the model"};

    for (int k = 0; k < 3; k++) {
        print_label(labels[k], "");
        for (int i = 0; i < c->n; i++) {
            const cmp_target *x = &c->tg[i];
            printf(" %*s", COL_W, k == 0   ? ts_target_core_name(x->t.core)
                                  : k == 1 ? ts_kernels_name(kernels_used(x))
                                           : fit_word(x));
        }
        printf("\n");
    }
}

static void print_rows(const cmp *c)
{
    char b[40];
    int sec = -1;

    for (int r = 0; r < c->n_rows; r++) {
        const cmp_row *row = &c->rows[r];
        if (row->sec != sec && section_titles[row->sec])
            printf("\n%s\n", section_titles[row->sec]);
        sec = row->sec;
        print_label(row->label, row->unit);
        for (int i = 0; i < c->n; i++)
            printf(" %*s", COL_W, cell(b, sizeof b, row, c->tg[i].has[r], c->tg[i].val[r]));
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
        printf(" %*s", COL_W, "baseline");
        for (int i = 1; i < c->n; i++) {
            char b[32] = "-";
            if (cmp_saving(c, r, i, &pct))
                snprintf(b, sizeof b, "%+.1f%%", pct);
            printf(" %*s", COL_W, b);
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

/* One per-layer table: cycles (what = 0) or accesses over all levels (what = 1). */
static void print_layer_table(const cmp *c, const cmp_target *f, int what)
{
    char b[40], u[64];

    printf("%s per layer\n%3s %-18s %-11s", what ? "memory accesses (all levels)" : "cycles",
           "#", "op", "unit");
    for (int i = 0; i < c->n; i++)
        printf(" %*.*s", COL_W, COL_W, c->tg[i].t.name);
    printf("\n");
    for (int32_t k = 0; k < ts_engine_n_layers(f->run.e); k++) {
        const ts_engine_layer *l = ts_engine_layer_at(f->run.e, k);
        printf("%3d %-18.18s %-11.11s", l->op_index, l->name, layer_units(c, k, u, sizeof u));
        for (int i = 0; i < c->n; i++) {
            const cmp_target *x = &c->tg[i];
            uint64_t v = 0, bytes;
            if (x->run.e && what)
                layer_traffic(x, ts_engine_layer_at(x->run.e, k), &v, &bytes);
            else if (x->run.e)
                v = ts_engine_layer_at(x->run.e, k)->cost.cycles;
            printf(" %*s", COL_W, x->run.e ? fmt_count(b, sizeof b, v) : "-");
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
        print_layer_table(c, f, 0);
        print_layer_table(c, f, 1);
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
    cJSON_AddStringToObject(o, "input", c->a.io.n_in ? "files" : "xorshift32 seed 1");
    cJSON_AddStringToObject(o, "kernels_requested",
                            c->a.kernels == CMP_KERNELS_AUTO
                                ? "auto" : ts_kernels_name((ts_kernels)c->a.kernels));
    cJSON_AddItemToObject(o, "sets", record_sets_json(c->a.sets, c->a.n_sets));
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
