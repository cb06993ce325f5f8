/* runset.c: run records keyed by configuration, read from export and bench --json documents
 * and from the store (see runset.h for the formats). Layer: bench/; never prints. The cJSON
 * tree dies in the function that parsed it; the records own copies of what they keep. */
#include "runset.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "record.h"

#define PATH_BYTES 128
#define KEY_SEP "\x1f"

typedef struct parse_ctx {
    const char *src;
    ts_err *err;
} parse_ctx;

void runset_free(runset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        ts_res_run_free(s->items[i].run);
        free(s->items[i].overrides);
        free(s->items[i].key);
    }
    free(s->items);
    *s = (runset){0};
}

/* ---- keys ---- */

static const char *field(const ts_res_run *r, ts_res_field f)
{
    return r->field[f] ? r->field[f] : "";
}

/* "KEY=VALUE,..." of r's overrides sorted by key (stable); malloc'd, NULL when out of
 * memory. */
static char *sorted_overrides(const ts_res_run *r)
{
    size_t n = 1, *order = malloc((r->n_overrides + 1) * sizeof *order);
    char *out;

    for (size_t i = 0; i < r->n_overrides; i++)
        n += strlen(r->overrides[i].key) + strlen(r->overrides[i].value) + 2;
    if (!order || !(out = malloc(n)))
        return free(order), NULL;
    for (size_t i = 0; i < r->n_overrides; i++) { /* insertion sort: a handful of items */
        size_t j = i;
        for (; j > 0 && strcmp(r->overrides[order[j - 1]].key, r->overrides[i].key) > 0; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    out[0] = '\0';
    for (size_t i = 0, o = 0; i < r->n_overrides; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%s=%s", i ? "," : "",
                              r->overrides[order[i]].key, r->overrides[order[i]].value);
    free(order);
    return out;
}

static char *make_key(const ts_res_run *r, const char *overrides)
{
    size_t n = strlen(field(r, TS_RES_F_model_name)) + strlen(field(r, TS_RES_F_target)) +
               strlen(field(r, TS_RES_F_kernels)) + strlen(overrides) + 4;
    char *key = malloc(n);

    if (key)
        snprintf(key, n, "%s" KEY_SEP "%s" KEY_SEP "%s" KEY_SEP "%s",
                 field(r, TS_RES_F_model_name), field(r, TS_RES_F_target),
                 field(r, TS_RES_F_kernels), overrides);
    return key;
}

ts_status runset_add(runset *s, ts_res_run *r, ts_err *err)
{
    runset_item it = {r, NULL, NULL, s->n};

    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        runset_item *p = realloc(s->items, cap * sizeof *p);
        if (!p)
            goto out_nomem;
        s->items = p, s->cap = cap;
    }
    if (!(it.overrides = sorted_overrides(r)) || !(it.key = make_key(r, it.overrides)))
        goto out_nomem;
    s->items[s->n++] = it;
    return TS_OK;
out_nomem:
    free(it.overrides);
    ts_res_run_free(r);
    return ts_err_set(err, TS_ERR_NOMEM, "out of memory reading the runs");
}

/* Key, then time, then arrival: the newest run of a key sorts last among its equals. */
static int by_key_then_age(const void *a, const void *b)
{
    const runset_item *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    if (c == 0)
        c = strcmp(field(x->run, TS_RES_F_created_utc), field(y->run, TS_RES_F_created_utc));
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

size_t runset_keep_newest(runset *s)
{
    size_t kept = 0, n = s->n;

    if (s->n > 1)
        qsort(s->items, s->n, sizeof *s->items, by_key_then_age);
    for (size_t i = 0; i < s->n; i++) {
        if (i + 1 < s->n && strcmp(s->items[i].key, s->items[i + 1].key) == 0) {
            ts_res_run_free(s->items[i].run);
            free(s->items[i].overrides);
            free(s->items[i].key);
        } else {
            s->items[kept++] = s->items[i];
        }
    }
    s->n = kept;
    return n - kept;
}

/* ---- JSON documents ---- */

static ts_status bad(parse_ctx *c, const char *path, const char *key, const char *want,
                     const cJSON *v)
{
    return ts_err_set(c->err, TS_ERR_FORMAT, "%s: %s%s%s: expected %s, got %s", c->src, path,
                      key ? "." : "", key ? key : "", want, fmt_json_type(v));
}

static ts_status nomem(parse_ctx *c)
{
    return ts_err_set(c->err, TS_ERR_NOMEM, "%s: out of memory reading the runs", c->src);
}

static const cJSON *member(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* One provenance field: a string, null or absent (unknown); target_config also an object. */
static ts_status parse_field(parse_ctx *c, const cJSON *p, const char *path, ts_res_field f,
                             ts_res_run *r)
{
    const char *name = ts_res_field_name(f);
    const cJSON *v = member(p, name);
    char *text;
    bool ok;

    if (!v || cJSON_IsNull(v))
        return TS_OK;
    if (f == TS_RES_F_target_config && cJSON_IsObject(v)) {
        if (!(text = cJSON_PrintUnformatted(v)))
            return nomem(c);
        ok = ts_res_run_set(r, f, text);
        free(text);
        return ok ? TS_OK : nomem(c);
    }
    if (!cJSON_IsString(v))
        return bad(c, path, name, "string", v);
    return ts_res_run_set(r, f, v->valuestring) ? TS_OK : nomem(c);
}

static ts_status parse_tags_and_overrides(parse_ctx *c, const cJSON *p, const char *path,
                                          ts_res_run *r)
{
    const cJSON *tags = member(p, "tags"), *ovr = member(p, "overrides"), *t;

    if (tags && !cJSON_IsArray(tags))
        return bad(c, path, "tags", "array of strings", tags);
    if (ovr && !cJSON_IsArray(ovr))
        return bad(c, path, "overrides", "array of {key, value}", ovr);
    cJSON_ArrayForEach(t, tags) {
        if (!cJSON_IsString(t))
            return bad(c, path, "tags[]", "string", t);
        if (!ts_res_run_add_tag(r, t->valuestring))
            return nomem(c);
    }
    cJSON_ArrayForEach(t, ovr) {
        const cJSON *k = member(t, "key"), *v = member(t, "value");
        if (!cJSON_IsString(k) || !cJSON_IsString(v))
            return bad(c, path, "overrides[]", "{\"key\": string, \"value\": string}", t);
        if (!ts_res_run_add_override(r, k->valuestring, v->valuestring))
            return nomem(c);
    }
    return TS_OK;
}

/* Provenance (fields, id, tags, overrides) from object p; model_name and target required. */
static ts_status parse_provenance(parse_ctx *c, const cJSON *p, const char *path, ts_res_run *r)
{
    const cJSON *id = member(p, "id");
    ts_status st = TS_OK;

    if (!cJSON_IsObject(p))
        return bad(c, path, NULL, "object", p);
    for (int f = 0; f < TS_RES_N_FIELDS && st == TS_OK; f++)
        st = parse_field(c, p, path, (ts_res_field)f, r);
    if (st != TS_OK)
        return st;
    if (!r->field[TS_RES_F_model_name])
        return bad(c, path, "model_name", "string", member(p, "model_name"));
    if (!r->field[TS_RES_F_target])
        return bad(c, path, "target", "string", member(p, "target"));
    if (cJSON_IsString(id))
        snprintf(r->id, sizeof r->id, "%.64s", id->valuestring);
    return parse_tags_and_overrides(c, p, path, r);
}

/* {"name": number, ...} as metrics of layer `layer`. */
static ts_status parse_metrics(parse_ctx *c, const cJSON *m, const char *path, int32_t layer,
                               ts_res_run *r)
{
    char mp[PATH_BYTES];
    const cJSON *v;

    if (!cJSON_IsObject(m))
        return bad(c, path, "metrics", "object", m);
    snprintf(mp, sizeof mp, "%s.metrics", path);
    cJSON_ArrayForEach(v, m) {
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            return bad(c, mp, v->string, "number", v);
        if (!ts_res_run_add_metric(r, layer, v->string, v->valuedouble))
            return nomem(c);
    }
    return TS_OK;
}

static ts_status parse_layer(parse_ctx *c, const cJSON *l, const char *path, ts_res_run *r)
{
    const cJSON *idx = member(l, "index"), *op = member(l, "op");
    const cJSON *unit = member(l, "unit"), *k = member(l, "kernels");
    int32_t i;

    if (!cJSON_IsObject(l))
        return bad(c, path, NULL, "object", l);
    if (!cJSON_IsNumber(idx) || idx->valuedouble < 0 || idx->valuedouble > 1e6 ||
        idx->valuedouble != floor(idx->valuedouble))
        return bad(c, path, "index", "integer 0..1000000", idx);
    if (!cJSON_IsString(op))
        return bad(c, path, "op", "string", op);
    i = (int32_t)idx->valuedouble;
    if (!ts_res_run_add_layer(r, i, op->valuestring,
                              cJSON_IsString(unit) ? unit->valuestring : "",
                              cJSON_IsString(k) ? k->valuestring : ""))
        return nomem(c);
    return parse_metrics(c, member(l, "metrics"), path, i, r);
}

/* One record of an export's $.runs. */
static ts_status parse_record(parse_ctx *c, const cJSON *o, const char *path, ts_res_run *r)
{
    const cJSON *layers = member(o, "layers"), *l;
    char lp[PATH_BYTES];
    int k = 0;
    ts_status st;

    if ((st = parse_provenance(c, o, path, r)) != TS_OK ||
        (st = parse_metrics(c, member(o, "metrics"), path, TS_RES_RUN_LAYER, r)) != TS_OK)
        return st;
    if (layers && !cJSON_IsArray(layers))
        return bad(c, path, "layers", "array", layers);
    cJSON_ArrayForEach(l, layers) {
        snprintf(lp, sizeof lp, "%s.layers[%d]", path, k++);
        if ((st = parse_layer(c, l, lp, r)) != TS_OK)
            return st;
    }
    return TS_OK;
}

/* One run of a bench --json document: provenance from .provenance, metrics from the report. */
static ts_status parse_bench_run(parse_ctx *c, const cJSON *o, const char *path, ts_res_run *r)
{
    char pp[PATH_BYTES];
    ts_status st;

    snprintf(pp, sizeof pp, "%s.provenance", path);
    if (!cJSON_IsObject(o))
        return bad(c, path, NULL, "object", o);
    if ((st = parse_provenance(c, member(o, "provenance"), pp, r)) != TS_OK)
        return st;
    return record_add_report(r, o) ? TS_OK : nomem(c);
}

typedef ts_status (*parse_fn)(parse_ctx *c, const cJSON *o, const char *path, ts_res_run *r);

static ts_status add_parsed(runset *s, parse_ctx *c, parse_fn fn, const cJSON *o,
                            const char *path)
{
    ts_res_run *r = ts_res_run_new();
    ts_status st;

    if (!r)
        return nomem(c);
    if ((st = fn(c, o, path, r)) != TS_OK) {
        ts_res_run_free(r);
        return st;
    }
    return runset_add(s, r, c->err) == TS_OK ? TS_OK : nomem(c);
}

static ts_status add_export(runset *s, parse_ctx *c, const cJSON *doc)
{
    const cJSON *version = member(doc, "version"), *runs = member(doc, "runs"), *o;
    char path[PATH_BYTES];
    int k = 0;
    ts_status st = TS_OK;

    if (!cJSON_IsNumber(version))
        return bad(c, "$", "version", "1", version);
    if (version->valuedouble != 1)
        return ts_err_set(c->err, TS_ERR_FORMAT,
                          "%s: $.version: expected 1, got %g (an export of a newer tinysim?)",
                          c->src, version->valuedouble);
    if (!cJSON_IsArray(runs))
        return bad(c, "$", "runs", "array", runs);
    cJSON_ArrayForEach(o, runs) {
        snprintf(path, sizeof path, "$.runs[%d]", k++);
        if ((st = add_parsed(s, c, parse_record, o, path)) != TS_OK)
            break;
    }
    return st;
}

ts_status runset_add_json(runset *s, const char *source, const char *json, size_t len,
                          ts_err *err)
{
    parse_ctx c = {source, err};
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(json, len, &end, false);
    const cJSON *format = member(doc, "format"), *ref = member(doc, "ref");
    size_t before = s->n;
    int line, col;
    ts_status st;

    if (!doc) {
        fmt_text_position(json, len, end, &line, &col);
        return ts_err_set(err, TS_ERR_FORMAT, "%s: line %d, column %d: not valid JSON", source,
                          line, col);
    }
    if (cJSON_IsString(format) && strcmp(format->valuestring, "tinysim-results") == 0)
        st = add_export(s, &c, doc);
    else if (member(doc, "provenance"))
        st = add_parsed(s, &c, parse_bench_run, doc, "$");
    else if (ref && member(doc, "simd"))
        st = add_parsed(s, &c, parse_bench_run, ref, "$.ref") ?:
             add_parsed(s, &c, parse_bench_run, member(doc, "simd"), "$.simd");
    else
        st = ts_err_set(err, TS_ERR_FORMAT,
                        "%s: $: expected a `tinysim results export --format json` document "
                        "(\"format\": \"tinysim-results\") or `tinysim bench --json` output",
                        source);
    cJSON_Delete(doc);
    while (st != TS_OK && s->n > before) { /* keep the runs the set had */
        runset_item *it = &s->items[--s->n];
        ts_res_run_free(it->run), free(it->overrides), free(it->key);
    }
    return st;
}

/* ---- the store ---- */

typedef struct id_list {
    char (*id)[TS_RES_ID_BYTES];
    size_t n, cap;
    bool oom;
} id_list;

static int collect_id(const ts_res_run *r, void *ctx)
{
    id_list *l = ctx;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        void *p = realloc(l->id, cap * sizeof *l->id);
        if (!p)
            return l->oom = true, 1;
        l->id = p, l->cap = cap;
    }
    memcpy(l->id[l->n++], r->id, TS_RES_ID_BYTES);
    return 0;
}

ts_res_status runset_add_store(runset *s, ts_results *db, const ts_res_filter *f,
                               ts_res_err *err)
{
    id_list ids = {0};
    ts_res_status st = ts_results_each(db, f, collect_id, &ids, NULL, err);
    ts_res_run *r;
    ts_err e;

    if (st == TS_RES_OK && ids.oom)
        st = err->code = TS_RES_NOMEM;
    for (size_t i = 0; i < ids.n && st == TS_RES_OK; i++) {
        if ((st = ts_results_load(db, ids.id[i], &r, err)) != TS_RES_OK)
            break;
        ts_err_clear(&e);
        if (runset_add(s, r, &e) != TS_OK)
            st = err->code = TS_RES_NOMEM;
    }
    if (st == TS_RES_NOMEM)
        snprintf(err->msg, sizeof err->msg, "out of memory reading the runs");
    free(ids.id);
    return st;
}
