/* record.c: the run record (ts_res_run) in memory: construction, lookup, run id. Layer:
 * results/. No SQLite and no I/O here; the record owns its strings (malloc'd). */
#include "results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const field_names[] = {
#define RUN_FIELD(name, meaning) #name,
#include "run_fields.def"
#undef RUN_FIELD
};

static const char *const field_meanings[] = {
#define RUN_FIELD(name, meaning) meaning,
#include "run_fields.def"
#undef RUN_FIELD
};

const char *ts_res_field_name(ts_res_field f)
{
    return (unsigned)f < TS_RES_N_FIELDS ? field_names[f] : NULL;
}

const char *ts_res_field_meaning(ts_res_field f)
{
    return (unsigned)f < TS_RES_N_FIELDS ? field_meanings[f] : NULL;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);

    if (d)
        memcpy(d, s ? s : "", n);
    return d;
}

/* Grows *arr (elements of `size` bytes) so that index n fits; false when out of memory. */
static bool grow(void **arr, size_t n, size_t size)
{
    void *p;

    if (n != 0 && (n < 8 || (n & (n - 1)) != 0)) /* capacity: 8, then powers of two */
        return true;
    p = realloc(*arr, (n ? 2 * n : 8) * size);
    if (!p)
        return false;
    *arr = p;
    return true;
}

ts_res_run *ts_res_run_new(void)
{
    return calloc(1, sizeof(ts_res_run));
}

void ts_res_run_free(ts_res_run *r)
{
    if (!r)
        return;
    for (int f = 0; f < TS_RES_N_FIELDS; f++)
        free(r->field[f]);
    for (size_t i = 0; i < r->n_tags; i++)
        free(r->tags[i]);
    for (size_t i = 0; i < r->n_overrides; i++)
        free(r->overrides[i].key), free(r->overrides[i].value);
    for (size_t i = 0; i < r->n_layers; i++)
        free(r->layers[i].op), free(r->layers[i].unit), free(r->layers[i].kernels);
    for (size_t i = 0; i < r->n_metrics; i++)
        free(r->metrics[i].name);
    free(r->tags), free(r->overrides), free(r->layers), free(r->metrics);
    free(r);
}

bool ts_res_run_set(ts_res_run *r, ts_res_field f, const char *value)
{
    char *d = value ? dup_str(value) : NULL;

    if (value && !d)
        return false;
    free(r->field[f]);
    r->field[f] = d;
    return true;
}

bool ts_res_run_add_tag(ts_res_run *r, const char *tag)
{
    char *d;

    for (size_t i = 0; i < r->n_tags; i++)
        if (strcmp(r->tags[i], tag) == 0)
            return true; /* a tag is a set member: given twice, kept once */
    if (!grow((void **)&r->tags, r->n_tags, sizeof *r->tags) || !(d = dup_str(tag)))
        return false;
    r->tags[r->n_tags++] = d;
    return true;
}

bool ts_res_run_add_override(ts_res_run *r, const char *key, const char *value)
{
    ts_res_kv kv = {dup_str(key), dup_str(value)};

    if (!kv.key || !kv.value ||
        !grow((void **)&r->overrides, r->n_overrides, sizeof *r->overrides)) {
        free(kv.key), free(kv.value);
        return false;
    }
    r->overrides[r->n_overrides++] = kv;
    return true;
}

bool ts_res_run_add_layer(ts_res_run *r, int32_t index, const char *op, const char *unit,
                          const char *kernels)
{
    ts_res_layer l = {index, dup_str(op), dup_str(unit), dup_str(kernels)};

    if (!l.op || !l.unit || !l.kernels ||
        !grow((void **)&r->layers, r->n_layers, sizeof *r->layers)) {
        free(l.op), free(l.unit), free(l.kernels);
        return false;
    }
    r->layers[r->n_layers++] = l;
    return true;
}

bool ts_res_run_add_metric(ts_res_run *r, int32_t layer, const char *name, double value)
{
    ts_res_metric m = {layer, dup_str(name), value};

    if (!m.name || !grow((void **)&r->metrics, r->n_metrics, sizeof *r->metrics)) {
        free(m.name);
        return false;
    }
    r->metrics[r->n_metrics++] = m;
    return true;
}

bool ts_res_run_metric(const ts_res_run *r, int32_t layer, const char *name, double *value)
{
    for (size_t i = 0; i < r->n_metrics; i++)
        if (r->metrics[i].layer == layer && strcmp(r->metrics[i].name, name) == 0) {
            *value = r->metrics[i].value;
            return true;
        }
    return false;
}

/* Hashes s with its length first, so that field boundaries cannot shift between fields. */
static void hash_str(ts_sha256 *h, const char *s)
{
    char len[24];

    snprintf(len, sizeof len, "%zu:", s ? strlen(s) : (size_t)0);
    ts_sha256_update(h, len, strlen(len));
    if (s)
        ts_sha256_update(h, s, strlen(s));
}

void ts_res_run_make_id(ts_res_run *r, const char *nonce)
{
    ts_sha256 h;

    ts_sha256_init(&h);
    hash_str(&h, "tinysim run v1");
    for (int f = 0; f < TS_RES_N_FIELDS; f++)
        hash_str(&h, r->field[f]);
    for (size_t i = 0; i < r->n_tags; i++)
        hash_str(&h, r->tags[i]);
    for (size_t i = 0; i < r->n_overrides; i++)
        hash_str(&h, r->overrides[i].key), hash_str(&h, r->overrides[i].value);
    hash_str(&h, nonce);
    ts_sha256_hex(&h, r->id);
}
