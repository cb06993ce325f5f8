/* regress.c: pairs of runs and their metric rows (see regress.h for the rules). Layer:
 * bench/; never prints. Metrics of a pair are walked as two lists sorted by (layer, name), so
 * a pair costs O(n log n) in its metrics rather than a lookup per metric. */
#include "regress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const rg_metric_def rg_metrics[] = {
#define REGRESS_METRIC(name, pattern, dir, meaning) {#name, pattern, RG_##dir, meaning},
#include "regress_metrics.def"
#undef REGRESS_METRIC
};
const size_t rg_n_metrics = sizeof rg_metrics / sizeof rg_metrics[0];

bool rg_glob(const char *p, const char *s)
{
    const char *star = NULL, *resume = NULL;

    while (*s) {
        if (*p == '*')
            star = p++, resume = s;
        else if (*p == *s)
            p++, s++;
        else if (star)
            p = star + 1, s = ++resume;
        else
            return false;
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

rg_dir rg_direction(const char *metric)
{
    for (size_t i = 0; i < rg_n_metrics; i++)
        if (rg_glob(rg_metrics[i].pattern, metric))
            return rg_metrics[i].dir;
    return RG_LOWER;
}

const rg_metric_def *rg_find_metric(const char *name)
{
    for (size_t i = 0; i < rg_n_metrics; i++)
        if (strcmp(rg_metrics[i].name, name) == 0)
            return &rg_metrics[i];
    return NULL;
}

const char *rg_status_word(const ts_res_run *r)
{
    const char *s = r->field[TS_RES_F_status] ? r->field[TS_RES_F_status] : "ok";

    return !strcmp(s, "ok") ? "ok" : strstr(s, "does not fit") ? "no fit" : "error";
}

void rg_result_free(rg_result *r)
{
    if (!r)
        return;
    free(r->pairs);
    free(r->rows);
    *r = (rg_result){0};
}

static rg_row *new_row(rg_result *res, size_t pair, ts_err *err)
{
    if (res->n_rows == res->cap_rows) {
        size_t cap = res->cap_rows ? 2 * res->cap_rows : 256;
        rg_row *p = realloc(res->rows, cap * sizeof *p);
        if (!p)
            return ts_err_set(err, TS_ERR_NOMEM, "out of memory comparing the runs"), NULL;
        res->rows = p, res->cap_rows = cap;
    }
    res->rows[res->n_rows] = (rg_row){.pair = pair, .layer = TS_RES_RUN_LAYER};
    return &res->rows[res->n_rows++];
}

/* ---- verdicts ---- */

/* Equal, or equal to the 15 significant digits a `bench --json` document carries (cJSON
 * prints 15 when they come within an epsilon of the value): such a number read back prints
 * the same 15 digits as the double it came from. */
static bool same_value(double a, double b)
{
    char x[32], y[32];

    if (a == b)
        return true;
    snprintf(x, sizeof x, "%.15g", a), snprintf(y, sizeof y, "%.15g", b);
    return strcmp(x, y) == 0;
}

static void judge(rg_row *w, rg_dir dir, const rg_opts *o)
{
    double diff = w->cand - w->base;
    bool worse = dir == RG_LOWER ? diff > 0 : diff < 0;

    w->change_pct = w->base != 0 ? diff / fabs(w->base) * 100.0 : diff > 0 ? INFINITY : -INFINITY;
    if (same_value(w->base, w->cand))
        w->verdict = RG_SAME;
    else if (dir == RG_NONE)
        w->verdict = RG_CHANGED;
    else if (worse && fabs(w->change_pct) > o->threshold_pct)
        w->verdict = RG_WORSE;
    else
        w->verdict = worse ? RG_TOLERATED : RG_BETTER;
    w->fails = w->verdict == RG_WORSE || (o->exact && w->verdict != RG_SAME);
}

/* The status row: "ok" = 1, anything else 0, higher is better; "no fit" -> "error" is a
 * change without a direction. */
static void judge_status(rg_row *w, const ts_res_run *b, const ts_res_run *c, const rg_opts *o)
{
    w->metric = "status";
    w->base_text = rg_status_word(b), w->cand_text = rg_status_word(c);
    w->base = !strcmp(w->base_text, "ok"), w->cand = !strcmp(w->cand_text, "ok");
    judge(w, RG_HIGHER, o);
    if (w->verdict == RG_SAME && strcmp(w->base_text, w->cand_text)) {
        w->verdict = RG_CHANGED;
        w->fails = o->exact;
    }
    w->change_pct = 0;
}

/* ---- provenance ---- */

static const ts_res_layer *find_layer(const ts_res_run *r, int32_t index)
{
    for (size_t i = 0; i < r->n_layers; i++)
        if (r->layers[i].index == index)
            return &r->layers[i];
    return NULL;
}

/* A provenance difference: added to the pair's note and listed as a row without a direction
 * (which fails with --exact). */
static ts_status differs(rg_result *res, size_t pair, const char *what, const char *b,
                         const char *c, const rg_opts *o, ts_err *err)
{
    rg_pair *p = &res->pairs[pair];
    size_t n = strlen(p->note);
    rg_row *w = new_row(res, pair, err);

    if (!w)
        return err->code;
    snprintf(p->note + n, sizeof p->note - n, "%s%s differs", n ? "; " : "", what);
    w->metric = what, w->base_text = b, w->cand_text = c;
    w->verdict = RG_CHANGED, w->fails = o->exact;
    res->n_verdict[RG_CHANGED]++;
    res->n_failing += w->fails;
    return TS_OK;
}

/* Fields that say what was measured beyond the key, and the op of each layer. */
static ts_status compare_provenance(rg_result *res, size_t pair, const rg_opts *o, ts_err *err)
{
    static const struct {
        ts_res_field f;
        const char *what;
    } fields[] = {{TS_RES_F_model_sha256, "model_sha256"},
                  {TS_RES_F_target_sha256, "target_sha256"},
                  {TS_RES_F_rounding, "rounding"},
                  {TS_RES_F_input, "input"}};
    const ts_res_run *b = res->pairs[pair].base->run, *c = res->pairs[pair].cand->run;
    ts_status st = TS_OK;

    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && st == TS_OK; i++) {
        const char *x = b->field[fields[i].f], *y = c->field[fields[i].f];
        if (x && y && strcmp(x, y))
            st = differs(res, pair, fields[i].what, x, y, o, err);
    }
    for (size_t i = 0; i < b->n_layers && st == TS_OK; i++) {
        const ts_res_layer *l = find_layer(c, b->layers[i].index);
        if (l && strcmp(l->op, b->layers[i].op))
            st = differs(res, pair, "layer ops", b->layers[i].op, l->op, o, err);
    }
    return st;
}

/* ---- metrics ---- */

static int by_layer_name(const void *a, const void *b)
{
    const ts_res_metric *x = *(const ts_res_metric *const *)a;
    const ts_res_metric *y = *(const ts_res_metric *const *)b;

    if (x->layer != y->layer)
        return x->layer < y->layer ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* r's metrics sorted by (layer, name), run metrics first; malloc'd, NULL when out of memory. */
static const ts_res_metric **sorted_metrics(const ts_res_run *r)
{
    const ts_res_metric **m = malloc((r->n_metrics + 1) * sizeof *m);

    if (!m)
        return NULL;
    for (size_t i = 0; i < r->n_metrics; i++)
        m[i] = &r->metrics[i];
    qsort(m, r->n_metrics, sizeof *m, by_layer_name);
    return m;
}

/* Whether metric x is compared; *dir gets its direction. */
static bool selected(const ts_res_metric *x, const rg_opts *o, rg_result *res, rg_dir *dir)
{
    bool hit = false;

    if (x->layer != TS_RES_RUN_LAYER && !o->per_layer)
        return false;
    for (int i = 0; i < o->n_select; i++) {
        if (!rg_glob(o->select[i], x->name))
            continue;
        if (!hit)
            *dir = o->dir[i];
        hit = true;
        res->select_hits[i]++;
    }
    if (!hit && o->all)
        *dir = rg_direction(x->name), hit = true;
    return hit;
}

/* One row for metric b (baseline) and/or c (candidate) of the same (layer, name). */
static ts_status metric_row(rg_result *res, size_t pair, const ts_res_metric *b,
                            const ts_res_metric *c, const rg_opts *o, ts_err *err)
{
    const ts_res_metric *x = b ? b : c;
    const ts_res_layer *l;
    rg_dir dir = RG_LOWER;
    rg_row *w;

    if (!selected(x, o, res, &dir))
        return TS_OK;
    if (!(w = new_row(res, pair, err)))
        return err->code;
    w->layer = x->layer, w->metric = x->name;
    l = find_layer((b ? res->pairs[pair].base : res->pairs[pair].cand)->run, x->layer);
    w->op = x->layer == TS_RES_RUN_LAYER ? NULL : l ? l->op : "?";
    w->base = b ? b->value : 0, w->cand = c ? c->value : 0;
    if (b && c) {
        judge(w, dir, o);
        res->n_compared++;
    } else {
        w->verdict = b ? RG_ONLY_BASE : RG_ONLY_CAND;
        w->fails = o->exact;
    }
    res->n_verdict[w->verdict]++;
    res->n_failing += w->fails;
    return TS_OK;
}

static ts_status compare_metrics(rg_result *res, size_t pair, const rg_opts *o, ts_err *err)
{
    const ts_res_run *b = res->pairs[pair].base->run, *c = res->pairs[pair].cand->run;
    const ts_res_metric **mb = sorted_metrics(b), **mc = sorted_metrics(c);
    size_t i = 0, j = 0;
    ts_status st = TS_OK;

    if (!mb || !mc)
        st = ts_err_set(err, TS_ERR_NOMEM, "out of memory comparing the runs");
    while (st == TS_OK && (i < b->n_metrics || j < c->n_metrics)) {
        int k = i == b->n_metrics   ? 1
                : j == c->n_metrics ? -1
                                    : by_layer_name(&mb[i], &mc[j]);
        st = metric_row(res, pair, k <= 0 ? mb[i] : NULL, k >= 0 ? mc[j] : NULL, o, err);
        i += k <= 0, j += k >= 0;
    }
    free(mb), free(mc);
    return st;
}

/* The rows of one pair: status and metrics, or one "run" row for a pair on one side only. */
static ts_status compare_pair(rg_result *res, size_t pair, const rg_opts *o, ts_err *err)
{
    rg_pair *p = &res->pairs[pair];
    rg_row *w = new_row(res, pair, err);
    ts_status st;

    if (!w)
        return err->code;
    if (!p->base || !p->cand) {
        w->metric = "run";
        w->verdict = p->base ? RG_ONLY_BASE : RG_ONLY_CAND;
        w->base_text = p->base ? rg_status_word(p->base->run) : "-";
        w->cand_text = p->cand ? rg_status_word(p->cand->run) : "-";
        w->fails = o->exact;
        res->n_pairs_only[p->base ? 0 : 1]++;
        res->n_failing += w->fails;
        return TS_OK;
    }
    res->n_matched++;
    judge_status(w, p->base->run, p->cand->run, o);
    res->n_verdict[w->verdict]++;
    res->n_compared++;
    res->n_failing += w->fails;
    st = compare_provenance(res, pair, o, err);
    return st == TS_OK ? compare_metrics(res, pair, o, err) : st;
}

ts_status rg_compare(const runset *base, const runset *cand, const rg_opts *o, rg_result *out,
                     ts_err *err)
{
    size_t i = 0, j = 0;
    ts_status st = TS_OK;

    *out = (rg_result){0};
    if (!(out->pairs = calloc(base->n + cand->n + 1, sizeof *out->pairs)))
        return ts_err_set(err, TS_ERR_NOMEM, "out of memory comparing the runs");
    while (i < base->n || j < cand->n) { /* both sorted by key: a merge */
        int k = i == base->n   ? 1
                : j == cand->n ? -1
                               : strcmp(base->items[i].key, cand->items[j].key);
        rg_pair *p = &out->pairs[out->n_pairs++];
        p->base = k <= 0 ? &base->items[i++] : NULL;
        p->cand = k >= 0 ? &cand->items[j++] : NULL;
    }
    for (size_t p = 0; p < out->n_pairs && st == TS_OK; p++)
        st = compare_pair(out, p, o, err);
    if (st != TS_OK)
        rg_result_free(out);
    return st;
}
