/* record.c: bench's run record: built from the JSON report, shown as JSON, and the database
 * path and error reporting of the CLI (see record.h). Layer: bench/. */
#define _POSIX_C_SOURCE 200809L
#include "record.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/file.h"
#include "build_info.h"
#include "cli.h"

#ifndef TS_VERSION
#define TS_VERSION "0.0.0"
#endif

#define NAME_BYTES 256

/* Array members whose elements are named metric groups, and the prefix they get. */
static const struct {
    const char *array, *prefix;
} named_groups[] = {
    {"regions", "region"},
};

bool record_hash_file(const char *path, char out[TS_SHA256_HEX_BYTES])
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    ts_sha256 s;
    bool ok;

    if (!f) {
        cli_error_line("%s: cannot read for its hash: %s", path, strerror(errno));
        return false;
    }
    ts_sha256_init(&s);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        ts_sha256_update(&s, buf, n);
    ok = !ferror(f);
    fclose(f);
    if (ok)
        ts_sha256_hex(&s, out);
    else
        cli_error_line("%s: read error while hashing", path);
    return ok;
}

static void now_utc(char *buf, size_t cap)
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + strlen(buf), cap - strlen(buf), ".%03ldZ", ts.tv_nsec / 1000000);
}

/* "dir/kws.tflite" -> "kws" */
static void model_name(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = strlen(base);

    if (n > 7 && strcmp(base + n - 7, ".tflite") == 0)
        n -= 7;
    snprintf(out, cap, "%.*s", (int)n, base);
}

static const char *group_prefix(const char *array)
{
    for (size_t g = 0; g < sizeof named_groups / sizeof named_groups[0]; g++)
        if (strcmp(array, named_groups[g].array) == 0)
            return named_groups[g].prefix;
    return array;
}

static bool add_member(ts_res_run *r, int32_t layer, const cJSON *it, const char *prefix);

/* Metrics of every member of object o, names prefixed "prefix." (none when prefix is ""). */
static bool add_object(ts_res_run *r, int32_t layer, const cJSON *o, const char *prefix)
{
    const cJSON *it;
    bool ok = true;

    cJSON_ArrayForEach(it, o)
        ok = ok && add_member(r, layer, it, prefix);
    return ok;
}

/* Metrics of one member: a number or boolean is one metric; an object adds its members; an
 * array of named objects adds each under "group.NAME"; strings and plain arrays are not
 * metrics. */
static bool add_member(ts_res_run *r, int32_t layer, const cJSON *it, const char *prefix)
{
    char name[NAME_BYTES];
    const cJSON *el;
    bool ok = true;

    snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", it->string);
    if (cJSON_IsNumber(it))
        return ts_res_run_add_metric(r, layer, name, it->valuedouble);
    if (cJSON_IsBool(it))
        return ts_res_run_add_metric(r, layer, name, cJSON_IsTrue(it) ? 1.0 : 0.0);
    if (cJSON_IsObject(it))
        return add_object(r, layer, it, name);
    cJSON_ArrayForEach(el, (cJSON_IsArray(it) ? it : NULL)) {
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(el, "name");
        if (!cJSON_IsObject(el) || !cJSON_IsString(nm))
            continue;
        snprintf(name, sizeof name, "%s%s%s.%s", prefix, *prefix ? "." : "",
                 group_prefix(it->string), nm->valuestring);
        ok = ok && add_object(r, layer, el, name);
    }
    return ok;
}

/* Members of a run's report that are not run metrics: layers (per-layer metrics), output
 * values (data), the provenance bench adds. */
static bool skip_member(const char *key)
{
    static const char *const skip[] = {"layers", "outputs", "provenance"};

    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (strcmp(key, skip[i]) == 0)
            return true;
    return false;
}

static const char *str_member(const cJSON *o, const char *key, const char *dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? v->valuestring : dflt;
}

bool record_add_report(ts_res_run *r, const cJSON *report)
{
    const char *kernels = str_member(report, "kernels", "");
    const cJSON *it, *l;
    bool ok = true;

    cJSON_ArrayForEach(it, report) {
        if (strcmp(it->string, "totals") == 0)
            ok = ok && add_object(r, TS_RES_RUN_LAYER, it, ""); /* "cycles", not "totals.cycles" */
        else if (!skip_member(it->string))
            ok = ok && add_member(r, TS_RES_RUN_LAYER, it, "");
        cJSON_ArrayForEach(l, (strcmp(it->string, "layers") == 0 ? it : NULL)) {
            const cJSON *idx = cJSON_GetObjectItemCaseSensitive(l, "index"), *m;
            int32_t k = cJSON_IsNumber(idx) ? (int32_t)idx->valuedouble : 0;
            ok = ok && ts_res_run_add_layer(r, k, str_member(l, "op", "?"),
                                            str_member(l, "unit", "cpu"),
                                            str_member(l, "kernels", kernels));
            cJSON_ArrayForEach(m, l)
                if (m != idx) /* the index is the layer's key, not a metric */
                    ok = ok && add_member(r, k, m, "");
        }
    }
    return ok;
}

/* Provenance from the build, the host and the files. */
static bool add_provenance(ts_res_run *r, const cJSON *report, const ts_target *t,
                           const record_args *a)
{
    char when[40], host[256] = "", name[NAME_BYTES], model_hash[TS_SHA256_HEX_BYTES],
        fw_hash[TS_SHA256_HEX_BYTES] = "", cfg_hash[TS_SHA256_HEX_BYTES];
    const char *fw = str_member(report, "firmware", NULL);
    char *cfg = NULL;
    ts_err err;
    bool ok;

    ts_err_clear(&err);
    if (!record_hash_file(a->model_path, model_hash) ||
        (fw && !record_hash_file(fw, fw_hash)))
        return false;
    if (ts_target_to_json(t, &cfg, &err) != TS_OK)
        return cli_report(&err), false;
    ts_sha256_of(cfg, strlen(cfg), cfg_hash);
    now_utc(when, sizeof when);
    gethostname(host, sizeof host - 1);
    model_name(a->model_path, name, sizeof name);
    ok = ts_res_run_set(r, TS_RES_F_created_utc, when) && ts_res_run_set(r, TS_RES_F_host, host) &&
         ts_res_run_set(r, TS_RES_F_tinysim_version, TS_VERSION) &&
         ts_res_run_set(r, TS_RES_F_git_commit, TS_GIT_COMMIT) &&
         ts_res_run_set(r, TS_RES_F_model_path, a->model_path) &&
         ts_res_run_set(r, TS_RES_F_model_name, name) &&
         ts_res_run_set(r, TS_RES_F_model_sha256, model_hash) &&
         ts_res_run_set(r, TS_RES_F_target, t->name) &&
         ts_res_run_set(r, TS_RES_F_target_config, cfg) &&
         ts_res_run_set(r, TS_RES_F_target_sha256, cfg_hash) &&
         ts_res_run_set(r, TS_RES_F_kernels, str_member(report, "kernels", NULL)) &&
         ts_res_run_set(r, TS_RES_F_rounding, a->rounding) &&
         ts_res_run_set(r, TS_RES_F_input, a->input) &&
         ts_res_run_set(r, TS_RES_F_cc_version, TS_CC_VERSION) &&
         ts_res_run_set(r, TS_RES_F_firmware_sha256, fw ? fw_hash : NULL) &&
         ts_res_run_set(r, TS_RES_F_suite, a->suite) &&
         ts_res_run_set(r, TS_RES_F_sweep_point, a->sweep_point) &&
         ts_res_run_set(r, TS_RES_F_firmware_link,
                        str_member(cJSON_GetObjectItemCaseSensitive(report, "memory"),
                                   "firmware_link", NULL));
    ts_free(cfg);
    return ok || (cli_error_line("out of memory building the run record"), false);
}

/* "KEY=VALUE": KEY into key (cap bytes); returns VALUE ("" without '='). */
static const char *split_set(const char *set, char *key, size_t cap)
{
    const char *eq = strchr(set, '=');

    snprintf(key, cap, "%.*s", eq ? (int)(eq - set) : 0, set);
    return eq ? eq + 1 : "";
}

static cJSON *override_json(const char *key, const char *value)
{
    cJSON *kv = cJSON_CreateObject();

    cJSON_AddStringToObject(kv, "key", key);
    cJSON_AddStringToObject(kv, "value", value);
    return kv;
}

cJSON *record_sets_json(const char *const *sets, int n)
{
    cJSON *arr = cJSON_CreateArray();

    for (int i = 0; i < n; i++) {
        char key[NAME_BYTES];
        const char *value = split_set(sets[i], key, sizeof key);
        cJSON_AddItemToArray(arr, override_json(key, value));
    }
    return arr;
}

static bool add_args(ts_res_run *r, const record_args *a)
{
    bool ok = true;

    for (int i = 0; i < a->n_tags && ok; i++)
        ok = ts_res_run_add_tag(r, a->tags[i]);
    for (int i = 0; i < a->n_sets && ok; i++) {
        char key[NAME_BYTES];
        const char *value = split_set(a->sets[i], key, sizeof key);
        ok = ts_res_run_add_override(r, key, value);
    }
    return ok;
}

ts_res_run *record_build(const cJSON *report, const ts_target *t, const record_args *a,
                         const char *status)
{
    static unsigned long serial; /* runs recorded by this process */
    ts_res_run *r = ts_res_run_new();
    char nonce[96];
    struct timespec ts;

    if (!r || !add_provenance(r, report, t, a))
        goto out_free;
    if (!add_args(r, a) || !ts_res_run_set(r, TS_RES_F_status, status) ||
        !record_add_report(r, report)) {
        cli_error_line("out of memory building the run record");
        goto out_free;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(nonce, sizeof nonce, "%ld:%lu:%lld.%09ld", (long)getpid(), ++serial,
             (long long)ts.tv_sec, ts.tv_nsec);
    ts_res_run_make_id(r, nonce);
    return r;
out_free:
    ts_res_run_free(r);
    return NULL;
}

/* ---- JSON form ---- */

static void add_field(cJSON *o, const ts_res_run *r, int f)
{
    const char *v = r->field[f];
    cJSON *cfg;

    if (f == TS_RES_F_target_config && v && (cfg = cJSON_Parse(v)) != NULL)
        cJSON_AddItemToObject(o, "target_config", cfg);
    else if (v)
        cJSON_AddStringToObject(o, ts_res_field_name((ts_res_field)f), v);
    else
        cJSON_AddNullToObject(o, ts_res_field_name((ts_res_field)f));
}

cJSON *record_provenance_json(const ts_res_run *r)
{
    cJSON *o = cJSON_CreateObject(), *tags, *ovr;

    cJSON_AddStringToObject(o, "id", r->id);
    for (int f = 0; f < TS_RES_N_FIELDS; f++)
        add_field(o, r, f);
    tags = cJSON_AddArrayToObject(o, "tags");
    for (size_t i = 0; i < r->n_tags; i++)
        cJSON_AddItemToArray(tags, cJSON_CreateString(r->tags[i]));
    ovr = cJSON_AddArrayToObject(o, "overrides");
    for (size_t i = 0; i < r->n_overrides; i++)
        cJSON_AddItemToArray(ovr, override_json(r->overrides[i].key, r->overrides[i].value));
    return o;
}

/* A number as the shortest of %.15g, %.16g, %.17g that reads back as the same double: cJSON
 * prints 15 digits whenever they come within an epsilon of the value, which loses the last
 * bits of some metrics (energy, cpi), and an exported baseline must compare equal to the
 * store's doubles. Not finite (never in a record): null. */
static void add_exact_number(cJSON *o, const char *name, double v)
{
    char buf[40];

    if (!isfinite(v)) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    cJSON_AddRawToObject(o, name, buf);
}

/* {"name": value, ...} of the metrics of one layer (or the run). */
static cJSON *metrics_json(const ts_res_run *r, int32_t layer)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < r->n_metrics; i++)
        if (r->metrics[i].layer == layer)
            add_exact_number(o, r->metrics[i].name, r->metrics[i].value);
    return o;
}

cJSON *record_to_json(const ts_res_run *r)
{
    cJSON *o = record_provenance_json(r), *layers;

    cJSON_AddItemToObject(o, "metrics", metrics_json(r, TS_RES_RUN_LAYER));
    layers = cJSON_AddArrayToObject(o, "layers");
    for (size_t i = 0; i < r->n_layers; i++) {
        const ts_res_layer *l = &r->layers[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "index", l->index);
        cJSON_AddStringToObject(j, "op", l->op);
        cJSON_AddStringToObject(j, "unit", l->unit);
        cJSON_AddStringToObject(j, "kernels", l->kernels);
        cJSON_AddItemToObject(j, "metrics", metrics_json(r, l->index));
        cJSON_AddItemToArray(layers, j);
    }
    return o;
}

/* Provenance that differs between two runs of one configuration on one build (time, host,
 * temporary model paths, the id made from them) or that names the build rather than the
 * configuration (version, commit, compiler, firmware hash), and the target configuration,
 * which target_sha256 stands for: left out of a stable export. */
static const ts_res_field unstable_fields[] = {
    TS_RES_F_created_utc, TS_RES_F_host, TS_RES_F_tinysim_version, TS_RES_F_git_commit,
    TS_RES_F_model_path, TS_RES_F_target_config, TS_RES_F_cc_version, TS_RES_F_firmware_sha256,
};

cJSON *record_to_json_stable(const ts_res_run *r)
{
    cJSON *o = record_to_json(r);
    const char *path = r->field[TS_RES_F_model_path], *status = r->field[TS_RES_F_status];
    const char *name;
    size_t n = path ? strlen(path) : 0, cap;
    char *text;

    cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
    for (size_t i = 0; i < sizeof unstable_fields / sizeof unstable_fields[0]; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(o, ts_res_field_name(unstable_fields[i]));
    if (!status || !n || strncmp(status, path, n) || strncmp(status + n, ": ", 2))
        return o;
    /* "/tmp/x/kws.tflite: does not fit ..." -> "kws: does not fit ..." */
    name = r->field[TS_RES_F_model_name] ? r->field[TS_RES_F_model_name] : "";
    cap = strlen(name) + strlen(status + n) + 1;
    if ((text = malloc(cap)) != NULL) {
        snprintf(text, cap, "%s%s", name, status + n);
        cJSON_ReplaceItemInObjectCaseSensitive(o, "status", cJSON_CreateString(text));
    }
    free(text);
    return o;
}

/* ---- the database ---- */

const char *record_db_path(const char *opt, char *buf, size_t cap)
{
    const char *env = getenv("TINYSIM_DB");
    char dir[4096];
    int r;

    if (opt || (env && *env)) {
        if ((size_t)snprintf(buf, cap, "%s", opt ? opt : env) >= cap)
            return cli_usage_error("results database path longer than %zu bytes", cap - 1), NULL;
        return buf;
    }
    if ((r = ts_user_dir(TS_USER_DATA, dir, sizeof dir)) == -1)
        return cli_usage_error("no results database: set TINYSIM_DB or HOME, or give --db"),
               NULL;
    if (r != 0)
        return cli_usage_error("per-user data folder path longer than %zu bytes",
                               sizeof dir - 1), NULL;
    if (strlen(dir) + sizeof "/results.db" > cap)
        return cli_usage_error("results database path longer than %zu bytes", cap - 1), NULL;
    if (ts_make_dirs(dir, NULL) != 0)
        return cli_error_line("%s: cannot create: %s", dir, strerror(errno)), NULL;
    snprintf(buf, cap, "%s/results.db", dir);
    return buf;
}

int record_report(const ts_res_err *err)
{
    cli_error_line("%s", err->msg);
    switch (err->code) {
    case TS_RES_NOTDB: case TS_RES_NEWER: case TS_RES_NOTFOUND: case TS_RES_AMBIGUOUS:
    case TS_RES_OPEN:
        return TS_EXIT_BAD_INPUT;
    case TS_RES_OK: case TS_RES_NOMEM: case TS_RES_WRITE: case TS_RES_BUSY:
    case TS_RES_BAD_RECORD:
        break;
    }
    return TS_EXIT_FAIL;
}

int record_open(const char *db_path, bool create, ts_results **db)
{
    ts_res_err err = {0};

    if (ts_results_open(db_path, create ? 0 : TS_RES_OPEN_EXISTING, db, &err) != TS_RES_OK)
        return record_report(&err);
    return TS_EXIT_OK;
}
