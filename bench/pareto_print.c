/* pareto_print.c: the Pareto front of the sweep points in the store, per model (see
 * pareto_print.h; the front itself is pareto.c's). Layer: bench/ (prints). */
#define _POSIX_C_SOURCE 200809L
#include "pareto_print.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "pareto.h"
#include "record.h"

#define OVERRIDES_BYTES 512

/* The latest successful run of one sweep point. */
typedef struct cand {
    char point[TS_SHA256_HEX_BYTES];
    char run[13];
    char *model, *target, *kernels;
    char overrides[OVERRIDES_BYTES]; /* "KEY=VALUE KEY=VALUE" */
    double v[PARETO_MAX_METRICS];    /* NaN when the run lacks the metric */
    int order;                       /* position among the runs read (oldest first) */
} cand;

typedef struct collect_ctx {
    const pareto_query *q;
    const pareto_metric *m[PARETO_MAX_METRICS];
    int k;
    cand *c;
    int n, cap;
    bool oom;
} collect_ctx;

static int by_point(const void *a, const void *b)
{
    return strcmp(a, b);
}

static char *dup_str(const char *s)
{
    char *d = malloc(strlen(s ? s : "") + 1);

    return d ? strcpy(d, s ? s : "") : NULL;
}

static bool wanted(const pareto_query *q, const ts_res_run *r)
{
    const char *point = r->field[TS_RES_F_sweep_point], *status = r->field[TS_RES_F_status];

    if (!point || strlen(point) != TS_SHA256_HEX_BYTES - 1 || (status && strcmp(status, "ok")))
        return false;
    return !q->points ||
           bsearch(point, q->points, (size_t)q->n_points, sizeof q->points[0], by_point);
}

static int take(const ts_res_run *r, void *ctx)
{
    collect_ctx *x = ctx;
    cand *c;

    if (!wanted(x->q, r))
        return 0;
    if (x->n == x->cap) {
        cand *g = realloc(x->c, (size_t)(x->cap ? 2 * x->cap : 64) * sizeof *g);
        if (!g)
            return x->oom = true, 1;
        x->c = g, x->cap = x->cap ? 2 * x->cap : 64;
    }
    c = &x->c[x->n];
    memset(c, 0, sizeof *c);
    snprintf(c->point, sizeof c->point, "%s", r->field[TS_RES_F_sweep_point]);
    snprintf(c->run, sizeof c->run, "%.12s", r->id);
    c->order = x->n;
    for (size_t i = 0; i < r->n_overrides; i++)
        snprintf(c->overrides + strlen(c->overrides), OVERRIDES_BYTES - strlen(c->overrides),
                 "%s%s=%s", i ? " " : "", r->overrides[i].key, r->overrides[i].value);
    for (int m = 0; m < x->k; m++)
        if (!pareto_value(r, x->m[m], &c->v[m]))
            c->v[m] = NAN;
    c->model = dup_str(r->field[TS_RES_F_model_name]);
    c->target = dup_str(r->field[TS_RES_F_target]);
    c->kernels = dup_str(r->field[TS_RES_F_kernels]);
    x->n++;
    if (!c->model || !c->target || !c->kernels)
        return x->oom = true, 1;
    return 0;
}

static void free_cands(collect_ctx *x)
{
    for (int i = 0; i < x->n; i++)
        free(x->c[i].model), free(x->c[i].target), free(x->c[i].kernels);
    free(x->c);
}

/* Point id, then the later run first. */
static int by_point_latest(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    int c = strcmp(x->point, y->point);

    return c ? c : (y->order > x->order) - (y->order < x->order);
}

/* Keeps the latest run of each point. */
static void keep_latest(collect_ctx *x)
{
    int n = 0;

    qsort(x->c, (size_t)x->n, sizeof *x->c, by_point_latest);
    for (int i = 0; i < x->n; i++) {
        if (n > 0 && !strcmp(x->c[n - 1].point, x->c[i].point)) {
            free(x->c[i].model), free(x->c[i].target), free(x->c[i].kernels);
            continue;
        }
        x->c[n++] = x->c[i];
    }
    x->n = n;
}

/* Model, then the first metric, then the others, then the point id. */
static int k_for_sort; /* metrics compared by by_model_metric (qsort passes no context) */

static int by_model_metric(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    int c = strcmp(x->model, y->model);

    for (int m = 0; !c && m < k_for_sort; m++)
        c = (x->v[m] > y->v[m]) - (x->v[m] < y->v[m]);
    return c ? c : strcmp(x->point, y->point);
}

/* "cycles,energy" (list is modified) into x->m; 2 when empty, too long or a name is empty. */
static int parse_metrics(collect_ctx *x, char *list, pareto_metric *scratch)
{
    char *tok = list;

    while (tok) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        if (x->k == PARETO_MAX_METRICS || !*tok)
            return TS_EXIT_BAD_INPUT;
        x->m[x->k] = pareto_metric_find(tok, &scratch[x->k]);
        x->k++;
        tok = comma ? comma + 1 : NULL;
    }
    return TS_EXIT_OK;
}

/* Every metric is present in some candidate (a misspelt name is not silently empty). */
static int check_present(const collect_ctx *x)
{
    for (int m = 0; m < x->k; m++) {
        int i = 0;
        while (i < x->n && isnan(x->c[i].v[m]))
            i++;
        if (i == x->n && x->n > 0)
            return cli_usage_error("pareto: metric '%s': no selected run has it (expected "
                                   "cycles, latency, energy, ram, area or a recorded whole-run "
                                   "metric such as region.flash.read_bytes)", x->m[m]->name);
    }
    return TS_EXIT_OK;
}

static void print_header(const collect_ctx *x)
{
    char head[64];

    printf("  %-12s  %-14s %-5s", "point", "target", "kern");
    for (int m = 0; m < x->k; m++) {
        snprintf(head, sizeof head, "%s%s%s", x->m[m]->name, *x->m[m]->unit ? " " : "",
                 !strcmp(x->m[m]->unit, x->m[m]->name) ? "" : x->m[m]->unit);
        printf(" %16s", head);
    }
    printf("  %-12s  %s\n", "run", "overrides");
}

/* The front of candidates c[0..n) (one model); returns 0, or -1 when out of memory. */
static int print_model(const collect_ctx *x, const cand *c, int n)
{
    double *v = malloc(((size_t)n * (size_t)x->k + 1) * sizeof *v);
    bool *front = calloc((size_t)n + 1, sizeof *front);
    char num[32];
    int on;

    if (!v || !front)
        return free(v), free(front), -1;
    for (int i = 0; i < n; i++)
        for (int m = 0; m < x->k; m++)
            v[i * x->k + m] = c[i].v[m];
    on = pareto_front(v, n, x->k, front);
    printf("\nmodel %s: %d of %d point%s on the front\n", c[0].model, on, n, n == 1 ? "" : "s");
    print_header(x);
    for (int i = 0; i < n; i++) {
        if (!front[i])
            continue;
        printf("  %.12s  %-14s %-5s", c[i].point, c[i].target, c[i].kernels);
        for (int m = 0; m < x->k; m++)
            printf(" %16s", fmt_number(num, sizeof num, c[i].v[m]));
        printf("  %-12s  %s\n", c[i].run, c[i].overrides[0] ? c[i].overrides : "-");
    }
    free(v), free(front);
    return 0;
}

static void print_fronts(collect_ctx *x)
{
    k_for_sort = x->k;
    qsort(x->c, (size_t)x->n, sizeof *x->c, by_model_metric);
    printf("pareto front per model, lower is better in every metric:");
    for (int m = 0; m < x->k; m++)
        printf("%s %s (%s)", m ? "," : "", x->m[m]->name,
               x->m[m]->metric ? x->m[m]->metric : x->m[m]->meaning);
    printf("; %d sweep point%s with a successful run\n", x->n, x->n == 1 ? "" : "s");
    for (int i = 0, j; i < x->n; i = j) {
        for (j = i; j < x->n && !strcmp(x->c[j].model, x->c[i].model); j++)
            ;
        if (print_model(x, &x->c[i], j - i))
            x->oom = true;
    }
}

bool pareto_metrics_valid(const char *list)
{
    collect_ctx x = {0};
    pareto_metric scratch[PARETO_MAX_METRICS];
    char copy[256];

    snprintf(copy, sizeof copy, "%s", list ? list : "");
    return parse_metrics(&x, copy, scratch) == TS_EXIT_OK;
}

int pareto_metrics_error(const char *list)
{
    return cli_usage_error("pareto: metrics: expected 1 to %d names separated by commas "
                           "(cycles, latency, energy, ram, area or a recorded whole-run "
                           "metric), got '%s'", PARETO_MAX_METRICS, list ? list : "");
}

int pareto_print(ts_results *db, const pareto_query *q)
{
    collect_ctx x = {.q = q};
    pareto_metric scratch[PARETO_MAX_METRICS];
    ts_res_filter f = q->filter;
    ts_res_err err = {0};
    char list[256];
    int rc;

    snprintf(list, sizeof list, "%s", q->metrics ? q->metrics : "");
    if (parse_metrics(&x, list, scratch) != TS_EXIT_OK)
        return pareto_metrics_error(q->metrics);
    f.swept = true;
    if (ts_results_each(db, &f, take, &x, NULL, &err) != TS_RES_OK) {
        free_cands(&x);
        return record_report(&err);
    }
    keep_latest(&x);
    rc = x.oom ? cli_usage_error("pareto: out of memory") : check_present(&x);
    if (rc == TS_EXIT_OK && x.n == 0)
        printf("pareto: no successful run of a sweep point matches (run tinysim sweep first)\n");
    else if (rc == TS_EXIT_OK)
        print_fronts(&x);
    if (rc == TS_EXIT_OK && x.oom)
        rc = cli_usage_error("pareto: out of memory");
    free_cands(&x);
    return rc;
}
