/* report_load.c: reads `tinysim bench --json` documents into report runs (see report_load.h
 * for the fields read). Layer: bench/; never prints. The cJSON tree dies in the function
 * that parsed it: every string the runs keep is copied into the set's arena. */
#include "report_load.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"

#define PATH_BYTES 96

typedef struct load_ctx {
    report_set *s;
    const char *src;
    ts_err *err;
} load_ctx;

static ts_status
bad(load_ctx *c, const char *path, const char *key, const char *want, const cJSON *v)
{
    return ts_err_set(c->err, TS_ERR_FORMAT, "%s: %s%s%s: expected %s, got %s", c->src, path,
                      key ? "." : "", key ? key : "", want, fmt_json_type(v));
}

static ts_status nomem(load_ctx *c)
{
    return ts_err_set(c->err, TS_ERR_NOMEM, "%s: out of memory reading the runs", c->src);
}

static ts_status get_str(
    load_ctx *c, const cJSON *o, const char *key, const char *path, bool required, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if ((!v || cJSON_IsNull(v)) && !required)
        return *out = "", TS_OK;
    if (!cJSON_IsString(v))
        return bad(c, path, key, "string", v);
    *out = ts_arena_strndup(c->s->arena, v->valuestring, strlen(v->valuestring));
    return *out ? TS_OK : nomem(c);
}

static ts_status
get_num(load_ctx *c, const cJSON *o, const char *key, const char *path, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || !isfinite(v->valuedouble))
        return bad(c, path, key, "number >= 0", v);
    *out = v->valuedouble;
    return TS_OK;
}

static ts_status
get_count(load_ctx *c, const cJSON *o, const char *key, const char *path, uint64_t *out)
{
    double d;
    ts_status st = get_num(c, o, key, path, &d);

    if (st == TS_OK && (d != floor(d) || d > 9007199254740992.0))
        return bad(c, path, key, "integer count below 2^53", cJSON_GetObjectItem(o, key));
    if (st == TS_OK)
        *out = (uint64_t)d;
    return st;
}

/* Adds the accesses (and bytes, when bytes != NULL) of every region to its level. */
static ts_status
read_regions(load_ctx *c, const cJSON *o, const char *path, uint64_t *acc, uint64_t *bytes)
{
    static const char *const acc_keys[] = {"fetch_accesses", "read_accesses", "write_accesses"};
    static const char *const byte_keys[] = {"fetch_bytes", "read_bytes", "write_bytes"};
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "regions"), *r;
    char rp[PATH_BYTES];
    int i = 0;

    if (!cJSON_IsArray(arr))
        return bad(c, path, "regions", "array", arr);
    cJSON_ArrayForEach(r, arr)
    {
        const char *kind;
        uint64_t v;
        ts_status st;
        snprintf(rp, sizeof rp, "%s.regions[%d]", path, i++);
        if ((st = get_str(c, r, "kind", rp, true, &kind)) != TS_OK)
            return st;
        rep_level l = rep_level_of_kind(kind);
        for (int k = 0; k < 3; k++) {
            if ((st = get_count(c, r, acc_keys[k], rp, &v)) != TS_OK)
                return st;
            acc[l] += v;
            if (bytes && (st = get_count(c, r, byte_keys[k], rp, &v)) != TS_OK)
                return st;
            if (bytes)
                bytes[l] += v;
        }
    }
    return TS_OK;
}

static ts_status read_layer(load_ctx *c, const cJSON *o, const char *path, rep_layer *l)
{
    double index;
    ts_status st;

    if (!cJSON_IsObject(o))
        return bad(c, path, NULL, "object", o);
    if ((st = get_num(c, o, "index", path, &index)) != TS_OK ||
        (st = get_str(c, o, "op", path, true, &l->op)) != TS_OK ||
        (st = get_str(c, o, "unit", path, true, &l->unit)) != TS_OK ||
        (st = get_count(c, o, "cycles", path, &l->cycles)) != TS_OK)
        return st;
    l->index = index < 2147483647.0 ? (int32_t)index : INT32_MAX;
    return read_regions(c, o, path, l->accesses, NULL);
}

static ts_status read_layers(load_ctx *c, const cJSON *run, const char *path, rep_run *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(run, "layers"), *o;
    char lp[PATH_BYTES];
    rep_layer *layers;
    int n = 0;

    if (!cJSON_IsArray(arr))
        return bad(c, path, "layers", "array", arr);
    layers = ts_arena_array(c->s->arena, (size_t)cJSON_GetArraySize(arr) + 1, sizeof *layers);
    if (!layers)
        return nomem(c);
    cJSON_ArrayForEach(o, arr)
    {
        snprintf(lp, sizeof lp, "%s.layers[%d]", path, n);
        ts_status st = read_layer(c, o, lp, &layers[n++]);
        if (st != TS_OK)
            return st;
    }
    r->layers = layers, r->n_layers = n;
    return TS_OK;
}

static ts_status read_energy(load_ctx *c, const cJSON *tot, const char *path, rep_run *r)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(tot, "energy_uj"), *v;
    rep_energy *e;
    int n = 0;

    if (!o)
        return TS_OK;
    if (!cJSON_IsObject(o))
        return bad(c, path, "energy_uj", "object", o);
    e = ts_arena_array(c->s->arena, (size_t)cJSON_GetArraySize(o) + 1, sizeof *e);
    if (!e)
        return nomem(c);
    cJSON_ArrayForEach(v, o)
    {
        if (!strcmp(v->string, REP_ENERGY_TOTAL))
            continue;
        e[n].component = ts_arena_strndup(c->s->arena, v->string, strlen(v->string));
        if (!e[n].component)
            return nomem(c);
        if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || !isfinite(v->valuedouble))
            return bad(c, path, "energy_uj", "numbers >= 0 (microjoules)", v);
        e[n++].uj = v->valuedouble;
    }
    r->energy = e, r->n_energy = n;
    return TS_OK;
}

static ts_status read_totals(load_ctx *c, const cJSON *run, const char *path, rep_run *r)
{
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(run, "totals");
    char tp[PATH_BYTES];
    ts_status st;

    snprintf(tp, sizeof tp, "%s.totals", path);
    if (!cJSON_IsObject(tot))
        return bad(c, path, "totals", "object", tot);
    if ((st = get_count(c, tot, "cycles", tp, &r->cycles)) != TS_OK ||
        (st = get_num(c, tot, "latency_ms", tp, &r->latency_ms)) != TS_OK ||
        (st = get_count(c, tot, "instructions", tp, &r->instructions)) != TS_OK ||
        (st = read_regions(c, tot, tp, r->accesses, r->bytes)) != TS_OK)
        return st;
    return read_energy(c, tot, tp, r);
}

static ts_status read_tags(load_ctx *c, const cJSON *doc, const char *path, rep_run *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "tags"), *v;
    const char **tags;
    int n = 0;

    if (!arr)
        return TS_OK;
    if (!cJSON_IsArray(arr))
        return bad(c, path, "tags", "array of strings", arr);
    tags = ts_arena_array(c->s->arena, (size_t)cJSON_GetArraySize(arr) + 1, sizeof *tags);
    if (!tags)
        return nomem(c);
    cJSON_ArrayForEach(v, arr)
    {
        if (!cJSON_IsString(v))
            return bad(c, path, "tags[]", "string", v);
        if (!(tags[n++] = ts_arena_strndup(c->s->arena, v->valuestring, strlen(v->valuestring))))
            return nomem(c);
    }
    r->tags = tags, r->n_tags = n;
    return TS_OK;
}

/* One run: header fields from doc, metrics from run (doc itself, or $.ref / $.simd). */
/* "KEY=VALUE KEY=VALUE" of provenance.overrides ([{"key", "value"}], optional). */
static ts_status read_overrides(load_ctx *c, const cJSON *prov, const char *path, rep_run *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(prov, "overrides"), *kv;
    size_t n = 1;
    char *o;

    cJSON_ArrayForEach(kv, arr) {
        const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(kv, "key"));
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(kv, "value"));
        if (!k || !v)
            return bad(c, path, "overrides[]", "{\"key\": string, \"value\": string}", kv);
        n += strlen(k) + strlen(v) + 2;
    }
    if (!(o = ts_arena_alloc(c->s->arena, n)))
        return nomem(c);
    o[0] = '\0';
    cJSON_ArrayForEach(kv, arr)
        snprintf(o + strlen(o), n - strlen(o), "%s%s=%s", o[0] ? " " : "",
                 cJSON_GetObjectItemCaseSensitive(kv, "key")->valuestring,
                 cJSON_GetObjectItemCaseSensitive(kv, "value")->valuestring);
    r->overrides = o;
    return TS_OK;
}

/* Id, timestamp, tags, model name, sweep point and overrides from the run's "provenance"
 * (bench --json when the run was recorded in the store) when present, else run_id,
 * timestamp and tags of the header. */
static ts_status read_meta(
    load_ctx *c, const cJSON *doc, const cJSON *run, const char *path, const char **id, rep_run *r)
{
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(run, "provenance");
    const char *name = "";
    char pp[PATH_BYTES];
    ts_status st;

    if (!prov) {
        if ((st = get_str(c, doc, "timestamp", "$", false, &r->timestamp)) != TS_OK ||
            (st = get_str(c, doc, "run_id", "$", false, id)) != TS_OK)
            return st;
        return read_tags(c, doc, "$", r);
    }
    snprintf(pp, sizeof pp, "%s.provenance", path);
    if ((st = get_str(c, prov, "created_utc", pp, false, &r->timestamp)) != TS_OK ||
        (st = get_str(c, prov, "id", pp, true, id)) != TS_OK ||
        (st = get_str(c, prov, "model_name", pp, false, &name)) != TS_OK ||
        (st = read_tags(c, prov, pp, r)) != TS_OK ||
        (st = get_str(c, prov, "sweep_point", pp, false, &r->point)) != TS_OK ||
        (st = read_overrides(c, prov, pp, r)) != TS_OK)
        return st;
    if (name[0])
        r->model = name;
    return TS_OK;
}

/* One run: header fields from doc, metrics from run (doc itself, or $.ref / $.simd). Without
 * a recorded id, the id is the file name, suffixed for the two runs of `--kernels both`. */
static ts_status read_run(load_ctx *c,
                          const cJSON *doc,
                          const cJSON *run,
                          const char *path,
                          const char *suffix,
                          rep_run *r)
{
    const char *id = "";
    char *full;
    ts_status st;

    *r = (rep_run){0};
    if ((st = get_str(c, doc, "model", "$", true, &r->model)) != TS_OK ||
        (st = get_str(c, doc, "target", "$", true, &r->target)) != TS_OK ||
        (st = read_meta(c, doc, run, path, &id, r)) != TS_OK ||
        (st = get_str(c, run, "kernels", path, true, &r->kernels)) != TS_OK ||
        (st = read_layers(c, run, path, r)) != TS_OK || (st = read_totals(c, run, path, r)))
        return st;
    if (cJSON_GetObjectItemCaseSensitive(run, "provenance"))
        suffix = "";
    if (!id[0])
        id = c->src;
    full = ts_arena_alloc(c->s->arena, strlen(id) + strlen(suffix) + 1);
    if (!full)
        return nomem(c);
    strcpy(full, id), strcat(full, suffix);
    r->id = full;
    return TS_OK;
}

static cJSON *parse_doc(load_ctx *c, const char *json, size_t len)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    int line, col;

    if (root && cJSON_IsObject(root))
        return root;
    cJSON_Delete(root);
    if (root) {
        ts_err_set(c->err, TS_ERR_FORMAT, "%s: $: expected a bench --json object", c->src);
        return NULL;
    }
    fmt_text_position(json, len, end, &line, &col);
    ts_err_set(c->err, TS_ERR_FORMAT,
               "%s: line %d, column %d: not valid JSON (expected the "
               "output of tinysim bench --json)",
               c->src, line, col);
    return NULL;
}

int report_set_reserve(report_set *s, int extra)
{
    rep_run *runs;
    int cap;

    if (!s->arena && !(s->arena = ts_arena_new()))
        return -1;
    if (s->n_runs + extra <= s->cap)
        return 0;
    cap = s->cap ? s->cap * 2 : 16;
    while (cap < s->n_runs + extra)
        cap *= 2;
    runs = ts_arena_array(s->arena, (size_t)cap, sizeof *runs);
    if (!runs)
        return -1;
    if (s->n_runs)
        memcpy(runs, s->runs, (size_t)s->n_runs * sizeof *runs);
    s->runs = runs, s->cap = cap;
    return 0;
}

static ts_status grow(load_ctx *c, int extra)
{
    if (c->s->n_runs + extra > REPORT_MAX_RUNS)
        return ts_err_set(c->err, TS_ERR_RANGE, "%s: too many runs (at most %d)", c->src,
                          REPORT_MAX_RUNS);
    return report_set_reserve(c->s, extra) ? nomem(c) : TS_OK;
}

ts_status
report_set_add_json(report_set *s, const char *source, const char *json, size_t len, ts_err *err)
{
    load_ctx c = {s, source, err};
    const cJSON *ref, *simd;
    cJSON *doc;
    ts_status st;

    if (!(doc = parse_doc(&c, json, len)))
        return err->code;
    ref = cJSON_GetObjectItemCaseSensitive(doc, "ref");
    simd = cJSON_GetObjectItemCaseSensitive(doc, "simd");
    if (ref && simd) {
        st = grow(&c, 2);
        if (st == TS_OK)
            st = read_run(&c, doc, ref, "$.ref", "#ref", &s->runs[s->n_runs]);
        if (st == TS_OK)
            st = read_run(&c, doc, simd, "$.simd", "#simd", &s->runs[s->n_runs + 1]);
        s->n_runs += st == TS_OK ? 2 : 0;
    } else {
        st = grow(&c, 1);
        if (st == TS_OK)
            st = read_run(&c, doc, doc, "$", "", &s->runs[s->n_runs]);
        s->n_runs += st == TS_OK;
    }
    cJSON_Delete(doc);
    return st;
}

void report_set_free(report_set *s)
{
    if (!s)
        return;
    ts_arena_free(s->arena);
    *s = (report_set){0};
}
