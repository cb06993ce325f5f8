/* report_store.c: report runs from the results store (see report_store.h for the mapping).
 * Layer: bench/; never prints. Uses results.h only; every string the run keeps is copied into
 * the set's arena, since the store's records are borrowed for one callback. */
#include "report_store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#define MAX_REGIONS 32

typedef struct store_ctx {
    report_set *s;
    int n_failed;
    ts_res_status st;
} store_ctx;

typedef struct region_map {
    char name[MAX_REGIONS][64];
    rep_level level[MAX_REGIONS];
    int n;
} region_map;

static const char *copy(report_set *s, const char *v)
{
    return ts_arena_strndup(s->arena, v ? v : "", v ? strlen(v) : 0);
}

/* Region name -> level, from the recorded target configuration. */
static void map_regions(const char *config, region_map *m)
{
    cJSON *cfg = config ? cJSON_Parse(config) : NULL, *r;

    m->n = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(cfg, "memory"))
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(r, "name");
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(r, "kind");
        if (m->n == MAX_REGIONS || !cJSON_IsString(name) || !cJSON_IsString(kind))
            continue;
        snprintf(m->name[m->n], sizeof m->name[0], "%s", name->valuestring);
        m->level[m->n++] = rep_level_of_kind(kind->valuestring);
    }
    cJSON_Delete(cfg);
}

/* "region.NAME.KIND_accesses" or "_bytes": adds value to acc or bytes of NAME's level. */
static void add_region_metric(
    const region_map *m, const char *name, double value, uint64_t *acc, uint64_t *bytes)
{
    const char *dot = strrchr(name, '.');
    size_t n;
    int i = 0;

    if (strncmp(name, "region.", 7) || !dot || dot < name + 7)
        return;
    n = (size_t)(dot - (name + 7));
    while (i < m->n && (strlen(m->name[i]) != n || strncmp(m->name[i], name + 7, n)))
        i++;
    rep_level l = i < m->n ? m->level[i] : REP_LEVEL_LOCAL;
    if (!strcmp(dot, ".fetch_accesses") || !strcmp(dot, ".read_accesses") ||
        !strcmp(dot, ".write_accesses"))
        acc[l] += (uint64_t)value;
    else if (bytes && (!strcmp(dot, ".fetch_bytes") || !strcmp(dot, ".read_bytes") ||
                       !strcmp(dot, ".write_bytes")))
        bytes[l] += (uint64_t)value;
}

static rep_layer *layer_of(rep_run *r, int32_t index)
{
    rep_layer *l = (rep_layer *)r->layers;

    if (index >= 0 && index < r->n_layers && l[index].index == index)
        return &l[index];
    for (int i = 0; i < r->n_layers; i++)
        if (l[i].index == index)
            return &l[i];
    return NULL;
}

/* A whole-run metric; returns false when out of memory. */
static bool run_metric(
    report_set *s, rep_run *r, const region_map *m, const ts_res_metric *x, rep_energy *energy)
{
    if (!strcmp(x->name, "cycles"))
        r->cycles = (uint64_t)x->value;
    else if (!strcmp(x->name, "latency_ms"))
        r->latency_ms = x->value;
    else if (!strcmp(x->name, "instructions"))
        r->instructions = (uint64_t)x->value;
    else if (!strcmp(x->name, "energy_uj." REP_ENERGY_TOTAL))
        return true; /* the sum of the components */
    else if (!strncmp(x->name, "energy_uj.", 10)) {
        energy[r->n_energy] = (rep_energy){copy(s, x->name + 10), x->value};
        if (!energy[r->n_energy++].component)
            return false;
    } else
        add_region_metric(m, x->name, x->value, r->accesses, r->bytes);
    return true;
}

static bool copy_layers(report_set *s, const ts_res_run *src, rep_run *r)
{
    rep_layer *l = ts_arena_array(s->arena, src->n_layers + 1, sizeof *l);

    if (!l)
        return false;
    for (size_t i = 0; i < src->n_layers; i++) {
        l[i] = (rep_layer){
            src->layers[i].index, copy(s, src->layers[i].op), copy(s, src->layers[i].unit), 0, {0}};
        if (!l[i].op || !l[i].unit)
            return false;
    }
    r->layers = l, r->n_layers = (int)src->n_layers;
    return true;
}

static bool copy_metrics(report_set *s, const ts_res_run *src, rep_run *r)
{
    rep_energy *energy = ts_arena_array(s->arena, src->n_metrics + 1, sizeof *energy);
    region_map m;

    if (!energy)
        return false;
    map_regions(src->field[TS_RES_F_target_config], &m);
    for (size_t i = 0; i < src->n_metrics; i++) {
        const ts_res_metric *x = &src->metrics[i];
        rep_layer *l = x->layer == TS_RES_RUN_LAYER ? NULL : layer_of(r, x->layer);
        if (x->layer == TS_RES_RUN_LAYER && !run_metric(s, r, &m, x, energy))
            return false;
        if (l && !strcmp(x->name, "cycles"))
            l->cycles = (uint64_t)x->value;
        else if (l)
            add_region_metric(&m, x->name, x->value, l->accesses, NULL);
    }
    r->energy = r->n_energy ? energy : NULL;
    return true;
}

/* "KEY=VALUE KEY=VALUE" of the run's overrides, in the set's arena. */
static const char *copy_overrides(report_set *s, const ts_res_run *src)
{
    size_t n = 1;
    char *o;

    for (size_t i = 0; i < src->n_overrides; i++)
        n += strlen(src->overrides[i].key) + strlen(src->overrides[i].value) + 2;
    if (!(o = ts_arena_alloc(s->arena, n)))
        return NULL;
    o[0] = '\0';
    for (size_t i = 0; i < src->n_overrides; i++)
        strcat(strcat(strcat(strcat(o, i ? " " : ""), src->overrides[i].key), "="),
               src->overrides[i].value);
    return o;
}

static bool copy_run(report_set *s, const ts_res_run *src, rep_run *r)
{
    const char *const *f = (const char *const *)src->field;
    const char **tags = ts_arena_array(s->arena, src->n_tags + 1, sizeof *tags);

    *r = (rep_run){0};
    if (!tags)
        return false;
    for (size_t i = 0; i < src->n_tags; i++)
        if (!(tags[i] = copy(s, src->tags[i])))
            return false;
    r->tags = tags, r->n_tags = (int)src->n_tags;
    r->id = copy(s, src->id);
    r->timestamp = copy(s, f[TS_RES_F_created_utc]);
    r->model = copy(s, f[TS_RES_F_model_name] ? f[TS_RES_F_model_name] : f[TS_RES_F_model_path]);
    r->target = copy(s, f[TS_RES_F_target]);
    r->kernels = copy(s, f[TS_RES_F_kernels]);
    r->point = copy(s, f[TS_RES_F_sweep_point]);
    r->overrides = copy_overrides(s, src);
    return r->id && r->timestamp && r->model && r->target && r->kernels && r->point &&
           r->overrides && copy_layers(s, src, r) && copy_metrics(s, src, r);
}

static int add_one(const ts_res_run *src, void *arg)
{
    store_ctx *c = arg;
    report_set *s = c->s;
    const char *status = src->field[TS_RES_F_status];

    if (status && strcmp(status, "ok"))
        return c->n_failed++, 0;
    if (s->n_runs >= REPORT_MAX_RUNS)
        return c->st = TS_RES_BAD_RECORD, 1;
    if (report_set_reserve(s, 1) || !copy_run(s, src, &s->runs[s->n_runs]))
        return c->st = TS_RES_NOMEM, 1;
    s->n_runs++;
    return 0;
}

ts_res_status report_set_add_store(
    report_set *s, ts_results *db, const ts_res_filter *f, int *n_failed, ts_res_err *err)
{
    store_ctx c = {s, 0, TS_RES_OK};

    err->code = TS_RES_OK, err->msg[0] = '\0';
    ts_res_status st;

    st = ts_results_each(db, f, add_one, &c, NULL, err);
    if (st == TS_RES_OK && c.st != TS_RES_OK) {
        st = err->code = c.st;
        if (c.st == TS_RES_NOMEM)
            snprintf(err->msg, sizeof err->msg, "report: out of memory reading the runs");
        else
            snprintf(err->msg, sizeof err->msg, "report: more than %d runs selected",
                     REPORT_MAX_RUNS);
    }
    if (n_failed)
        *n_failed = c.n_failed;
    return st;
}
