/* sweep.c: the points of a sweep (see sweep.h): the spec's grid and points, their validation
 * against the target key table and every target, and the expansion into points with stable
 * ids. Layer: bench/ (prints error lines; runs nothing, opens no store). */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli.h"
#include "record.h"
#include "runner.h"

#define AXIS_MAX_VALUES 10000
#define AXIS_MAX_KEYS   32
#define SWEEP_WHERE_BYTES 320

/* One key of the grid: its "KEY=VALUE" texts, in order. */
typedef struct axis {
    const char *key; /* borrowed from the document */
    char **kv;
    int n;
} axis;

/* What a point's override set resolves to on one target. */
typedef struct resolved {
    char sha[TS_SHA256_HEX_BYTES]; /* of the canonical configuration */
    bool has_dsp;
} resolved;

typedef struct load {
    sweep *s;
    axis axes[AXIS_MAX_KEYS];
    int n_axes;
    int n_errors;
    int n_grid;    /* override sets from the grid (the first ones); the rest are points[] */
    resolved *res; /* n_targets x n_sets */
} load;

static const char *const sweep_members[] = {"name", "description", "models", "generate",
                                            "targets", "kernels", "grid", "points", NULL};

/* One validation error line (the first SWEEP_MAX_ERRORS are printed); returns 2. */
static int error_line(load *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int error_line(load *l, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (l->n_errors++ >= SWEEP_MAX_ERRORS)
        return TS_EXIT_BAD_INPUT;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cli_usage_error("%s: %s", l->s->spec.file, msg);
}

/* ts_target_set's message without its "--set: " and "KEY: " prefixes. */
static const char *problem_of(const char *msg, const char *kv)
{
    size_t n = strcspn(kv, "=");

    if (!strncmp(msg, "--set: ", 7))
        msg += 7;
    if (!strncmp(msg, kv, n) && !strncmp(msg + n, ": ", 2))
        msg += n + 2;
    return msg;
}

static char *dup_str(const char *s)
{
    char *d = malloc(strlen(s) + 1);

    return d ? strcpy(d, s) : NULL;
}

static char *join_kv(const char *key, const char *value)
{
    size_t n = strlen(key) + strlen(value) + 2;
    char *kv = malloc(n);

    if (kv)
        snprintf(kv, n, "%s=%s", key, value);
    return kv;
}

/* The --set text of a JSON value: numbers, booleans and arrays as JSON; strings bare unless
 * the bare text would read as another JSON value ("5"), then quoted. NULL for other types. */
static char *value_text(const cJSON *v)
{
    cJSON *parsed;
    bool quote;

    if (cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsArray(v))
        return cJSON_PrintUnformatted(v);
    if (!cJSON_IsString(v))
        return NULL;
    parsed = cJSON_Parse(v->valuestring);
    quote = parsed && !cJSON_IsString(parsed);
    cJSON_Delete(parsed);
    if (quote)
        return cJSON_PrintUnformatted(v);
    return dup_str(v->valuestring);
}

/* A range value: an integer when it is one, else the shortest %g that reads back. */
static void number_text(double x, char *buf, size_t cap)
{
    if (x == floor(x) && fabs(x) < 9007199254740992.0)
        snprintf(buf, cap, "%.0f", x);
    else if (snprintf(buf, cap, "%.15g", x), strtod(buf, NULL) != x)
        snprintf(buf, cap, "%.17g", x);
}

static int add_kv(load *l, axis *a, const char *value)
{
    char *kv = a->n < AXIS_MAX_VALUES ? join_kv(a->key, value) : NULL;

    if (!kv)
        return error_line(l, "grid.%s: expected at most %d values", a->key, AXIS_MAX_VALUES);
    a->kv[a->n++] = kv;
    return TS_EXIT_OK;
}

/* {"from": a, "to": b, "step": s}: a, a+s, ... <= b. */
static int range_values(load *l, axis *a, const cJSON *r)
{
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(r, "from");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(r, "to");
    const cJSON *step = cJSON_GetObjectItemCaseSensitive(r, "step");
    double n;
    char text[64];
    int rc = TS_EXIT_OK;

    if (!cJSON_IsNumber(from) || !cJSON_IsNumber(to) || !cJSON_IsNumber(step) ||
        cJSON_GetArraySize(r) != 3 || !(step->valuedouble > 0) ||
        !(to->valuedouble >= from->valuedouble))
        return error_line(l, "grid.%s: expected {\"from\": A, \"to\": B, \"step\": S} with "
                          "numbers A <= B and S > 0", a->key);
    n = floor((to->valuedouble - from->valuedouble) / step->valuedouble * (1 + 1e-12)) + 1;
    if (n > AXIS_MAX_VALUES)
        return error_line(l, "grid.%s: range of %.0f values (expected at most %d)", a->key, n,
                          AXIS_MAX_VALUES);
    for (int i = 0; i < (int)n && rc == TS_EXIT_OK; i++) {
        number_text(from->valuedouble + i * step->valuedouble, text, sizeof text);
        rc = add_kv(l, a, text);
    }
    return rc;
}

static int list_values(load *l, axis *a, const cJSON *arr)
{
    const cJSON *v;
    int rc = TS_EXIT_OK, i = 0;

    if (cJSON_GetArraySize(arr) == 0)
        return error_line(l, "grid.%s: expected a non-empty array of values", a->key);
    cJSON_ArrayForEach(v, arr) {
        char *text = value_text(v);
        if (!text)
            rc = error_line(l, "grid.%s[%d]: expected a number, string, bool or array, got %s",
                            a->key, i, cJSON_IsObject(v) ? "an object" : "null");
        else if (rc == TS_EXIT_OK)
            rc = add_kv(l, a, text);
        free(text);
        i++;
    }
    return rc;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const axis *)a)->key, ((const axis *)b)->key);
}

/* The grid's keys (name order) and values. */
static int load_grid(load *l)
{
    const cJSON *grid = cJSON_GetObjectItemCaseSensitive(l->s->spec.doc, "grid"), *it;
    int rc = TS_EXIT_OK;

    if (grid && (!cJSON_IsObject(grid) || cJSON_GetArraySize(grid) > AXIS_MAX_KEYS))
        return error_line(l, "grid: expected an object of at most %d \"KEY\": [values] "
                          "members", AXIS_MAX_KEYS);
    cJSON_ArrayForEach(it, grid) {
        axis *a = &l->axes[l->n_axes++];
        *a = (axis){it->string, NULL, 0};
        for (int i = 0; i + 1 < l->n_axes; i++)
            if (!strcmp(l->axes[i].key, a->key))
                rc = error_line(l, "grid.%s: given twice", a->key);
        if (!ts_target_key_known(a->key)) {
            rc = error_line(l, "grid.%s: unknown key (see tinysim targets --keys)", a->key);
            continue;
        }
        if (!(a->kv = calloc(AXIS_MAX_VALUES, sizeof *a->kv)))
            return error_line(l, "grid: out of memory");
        if (cJSON_IsArray(it))
            rc |= list_values(l, a, it);
        else if (cJSON_IsObject(it))
            rc |= range_values(l, a, it);
        else
            rc = error_line(l, "grid.%s: expected an array of values or {\"from\": A, \"to\": "
                            "B, \"step\": S}", a->key);
    }
    qsort(l->axes, (size_t)l->n_axes, sizeof l->axes[0], by_key);
    return rc ? TS_EXIT_BAD_INPUT : TS_EXIT_OK;
}

/* Every value of every grid key on every target, alone. */
static int check_grid_values(load *l)
{
    const batch_spec *b = &l->s->spec;
    int rc = TS_EXIT_OK;

    for (int a = 0; a < l->n_axes; a++)
        for (int i = 0; i < l->axes[a].n; i++)
            for (int t = 0; t < b->n_targets; t++) {
                ts_target tg = b->loaded[t];
                ts_err err;
                const char *kv = l->axes[a].kv[i];
                ts_err_clear(&err);
                if (runner_apply_sets(&tg, &kv, 1, "grid", &err) != TS_OK)
                    rc = error_line(l, "grid.%s[%d]: target %s: %s", l->axes[a].key, i,
                                    b->targets[t], problem_of(err.msg, kv));
            }
    return rc;
}

/* ---- override sets ---- */

static int set_label(sweep_set *set)
{
    size_t n = 1;

    for (int i = 0; i < set->n; i++)
        n += strlen(set->kv[i]) + 1;
    if (!(set->label = malloc(n)))
        return -1;
    set->label[0] = '\0';
    for (int i = 0; i < set->n; i++)
        strcat(strcat(set->label, i ? " " : ""), set->kv[i]);
    return 0;
}

/* The cartesian product of the axes, the last varying fastest. */
static int grid_sets(load *l, long n_grid)
{
    sweep *s = l->s;
    int idx[AXIS_MAX_KEYS] = {0};

    for (long g = 0; g < n_grid; g++) {
        sweep_set *set = &s->sets[s->n_sets++];
        if (!(set->kv = calloc((size_t)l->n_axes + 1, sizeof *set->kv)))
            return error_line(l, "grid: out of memory");
        for (int a = 0; a < l->n_axes; a++)
            if (!(set->kv[set->n++] = dup_str(l->axes[a].kv[idx[a]])))
                return error_line(l, "grid: out of memory");
        if (set_label(set))
            return error_line(l, "grid: out of memory");
        for (int a = l->n_axes - 1; a >= 0 && ++idx[a] == l->axes[a].n; a--)
            idx[a] = 0;
    }
    return TS_EXIT_OK;
}

/* points[i]: {"KEY": value, ...}. */
static int point_set(load *l, int i, const cJSON *p, sweep_set *set)
{
    const cJSON *it;
    int rc = TS_EXIT_OK;

    if (!cJSON_IsObject(p) || cJSON_GetArraySize(p) > AXIS_MAX_KEYS)
        return error_line(l, "points[%d]: expected an object of at most %d \"KEY\": value "
                          "members", i, AXIS_MAX_KEYS);
    if (!(set->kv = calloc((size_t)cJSON_GetArraySize(p) + 1, sizeof *set->kv)))
        return error_line(l, "points: out of memory");
    cJSON_ArrayForEach(it, p) {
        char *text = value_text(it);
        if (!ts_target_key_known(it->string))
            rc = error_line(l, "points[%d].%s: unknown key (see tinysim targets --keys)", i,
                            it->string);
        else if (!text)
            rc = error_line(l, "points[%d].%s: expected a number, string, bool or array", i,
                            it->string);
        else if (!(set->kv[set->n++] = join_kv(it->string, text)))
            rc = error_line(l, "points: out of memory");
        free(text);
    }
    if (rc == TS_EXIT_OK && set_label(set))
        rc = error_line(l, "points: out of memory");
    return rc;
}

static int load_sets(load *l)
{
    sweep *s = l->s;
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(s->spec.doc, "points"), *p;
    long n_grid = l->n_axes && !l->n_errors ? 1 : 0, n_pts = cJSON_GetArraySize(pts);
    int rc = TS_EXIT_OK, i = 0;

    for (int a = 0; a < l->n_axes && n_grid <= SWEEP_MAX_SETS; a++)
        n_grid *= l->axes[a].n;
    if (pts && !cJSON_IsArray(pts))
        return error_line(l, "points: expected an array of {\"KEY\": value} objects");
    if ((n_grid + n_pts) * s->spec.n_targets > SWEEP_MAX_SETS)
        return error_line(l, "grid: %ld override sets on %d targets (expected at most %d "
                          "sets x targets)", n_grid + n_pts, s->spec.n_targets,
                          SWEEP_MAX_SETS);
    if (!(s->sets = calloc((size_t)(n_grid + n_pts + 1), sizeof *s->sets)))
        return error_line(l, "grid: out of memory");
    l->n_grid = (int)n_grid;
    rc = grid_sets(l, n_grid);
    cJSON_ArrayForEach(p, pts) {
        if (rc == TS_EXIT_OK)
            rc = point_set(l, i, p, &s->sets[s->n_sets + i]);
        i++;
    }
    s->n_sets += n_pts;
    if (s->n_sets == 0) /* neither grid nor points: one point without override */
        rc = set_label(&s->sets[s->n_sets++]) ? error_line(l, "out of memory") : rc;
    return rc;
}

/* ---- resolution and points ---- */

/* Where override set `set` comes from, for messages. */
static void where_of(const load *l, int set, char *buf, size_t cap)
{
    if (set >= l->n_grid)
        snprintf(buf, cap, "points[%d]", set - l->n_grid);
    else
        snprintf(buf, cap, "grid point %s", l->s->sets[set].label);
}

/* Every override set on every target, with the hash of the resolved configuration. */
static int resolve_sets(load *l)
{
    sweep *s = l->s;
    int rc = TS_EXIT_OK;
    char where[SWEEP_WHERE_BYTES];

    if (!(l->res = calloc((size_t)(s->spec.n_targets * s->n_sets), sizeof *l->res)))
        return error_line(l, "out of memory");
    for (int t = 0; t < s->spec.n_targets; t++)
        for (int v = 0; v < s->n_sets; v++) {
            sweep_point p = {.target = t, .set = v};
            ts_target tg;
            ts_err err;
            char *cfg = NULL;
            ts_err_clear(&err);
            if (sweep_point_target(s, &p, &tg, &err) != TS_OK) {
                where_of(l, v, where, sizeof where);
                rc = error_line(l, "%s: target %s: %s", where, s->spec.targets[t],
                                problem_of(err.msg, ""));
                continue;
            }
            if (ts_target_to_json(&tg, &cfg, &err) != TS_OK)
                return error_line(l, "out of memory");
            ts_sha256_of(cfg, strlen(cfg), l->res[t * s->n_sets + v].sha);
            l->res[t * s->n_sets + v].has_dsp = tg.has_dsp;
            ts_free(cfg);
        }
    return rc;
}

static void point_id(const char *model_sha, const char *target_sha, const char *kernels,
                     char out[TS_SHA256_HEX_BYTES])
{
    ts_sha256 h;
    const char *parts[] = {"tinysim sweep point v1", model_sha, target_sha, kernels};

    ts_sha256_init(&h);
    for (int i = 0; i < 4; i++) {
        ts_sha256_update(&h, parts[i], strlen(parts[i]));
        ts_sha256_update(&h, "\n", 1);
    }
    ts_sha256_hex(&h, out);
}

/* The kernel variant of spec kernels k on a target with(out) DSP; NULL: not run. */
static const char *kernels_of(const char *k, bool has_dsp)
{
    if (!strcmp(k, "auto"))
        return has_dsp ? "simd" : "ref";
    return !strcmp(k, "simd") && !has_dsp ? NULL : k;
}

static int by_id(const void *a, const void *b)
{
    const sweep_point *x = a, *y = b;
    int c = strcmp(x->id, y->id);

    return c ? c : (x->set > y->set) - (x->set < y->set); /* set holds the order here */
}

/* Drops every point whose id repeats an earlier point's, keeping the order. */
static int drop_duplicates(sweep *s)
{
    sweep_point *sorted = malloc(((size_t)s->n_points + 1) * sizeof *sorted);
    char *dup = calloc((size_t)s->n_points + 1, 1);
    int n = 0;

    if (!sorted || !dup)
        return free(sorted), free(dup), -1;
    for (int i = 0; i < s->n_points; i++)
        sorted[i] = s->points[i], sorted[i].set = i;
    qsort(sorted, (size_t)s->n_points, sizeof *sorted, by_id);
    for (int i = 1; i < s->n_points; i++)
        if (!strcmp(sorted[i].id, sorted[i - 1].id))
            dup[sorted[i].set] = 1;
    for (int i = 0; i < s->n_points; i++)
        if (!dup[i])
            s->points[n++] = s->points[i];
    s->n_duplicates = s->n_points - n;
    s->n_points = n;
    free(sorted), free(dup);
    return 0;
}

static int expand(load *l)
{
    sweep *s = l->s;
    const batch_spec *b = &s->spec;
    long n = (long)b->n_models * b->n_targets * b->n_kernels * s->n_sets;

    if (n > SWEEP_MAX_POINTS)
        return error_line(l, "%ld points (expected at most %d)", n, SWEEP_MAX_POINTS);
    if (!(s->points = calloc((size_t)n + 1, sizeof *s->points)))
        return error_line(l, "out of memory");
    for (int m = 0; m < b->n_models; m++)
        for (int t = 0; t < b->n_targets; t++)
            for (int k = 0; k < b->n_kernels; k++)
                for (int v = 0; v < s->n_sets; v++) {
                    const resolved *r = &l->res[t * s->n_sets + v];
                    const char *kern = kernels_of(b->kernels[k], r->has_dsp);
                    sweep_point *p = &s->points[s->n_points];
                    if (!kern)
                        continue;
                    *p = (sweep_point){m, t, v, kern, ""};
                    point_id(s->model_sha[m], r->sha, kern, p->id);
                    s->n_points++;
                }
    return drop_duplicates(s) ? error_line(l, "out of memory") : TS_EXIT_OK;
}

static int load_name(sweep *s)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(s->spec.doc, "name");
    const char *base = strrchr(s->spec.file, '/') ? strrchr(s->spec.file, '/') + 1 : s->spec.file;
    size_t n = strlen(base);

    if (name && (!cJSON_IsString(name) || !name->valuestring[0]))
        return batch_bad(&s->spec, "name", "expected a non-empty string");
    if (name)
        snprintf(s->name, sizeof s->name, "%s", name->valuestring);
    else
        snprintf(s->name, sizeof s->name, "%.*s",
                 (int)(n > 5 && !strcmp(base + n - 5, ".json") ? n - 5 : n), base);
    return TS_EXIT_OK;
}

static int hash_models(sweep *s)
{
    for (int m = 0; m < s->spec.n_models; m++)
        if (!record_hash_file(s->spec.models[m], s->model_sha[m]))
            return TS_EXIT_BAD_INPUT;
    return TS_EXIT_OK;
}

static void free_axes(load *l)
{
    for (int a = 0; a < l->n_axes; a++) {
        for (int i = 0; i < l->axes[a].n; i++)
            free(l->axes[a].kv[i]);
        free(l->axes[a].kv);
    }
    free(l->res);
}

int sweep_load(sweep *s, const char *file, const char *models_dir)
{
    load l = {.s = s};
    int rc;

    memset(s, 0, sizeof *s);
    rc = batch_spec_load(&s->spec, file, models_dir, sweep_members);
    if (rc == TS_EXIT_OK)
        rc = load_name(s);
    if (rc == TS_EXIT_OK) { /* every key and value error, then the combinations if none */
        load_grid(&l);
        check_grid_values(&l);
        load_sets(&l);
        if (l.n_errors == 0)
            resolve_sets(&l);
        if (l.n_errors == 0)
            rc = hash_models(s);
        if (l.n_errors == 0 && rc == TS_EXIT_OK)
            expand(&l);
        rc = l.n_errors ? TS_EXIT_BAD_INPUT : rc;
    }
    if (l.n_errors > SWEEP_MAX_ERRORS)
        cli_usage_error("%s: %d more errors", file, l.n_errors - SWEEP_MAX_ERRORS);
    free_axes(&l);
    return rc;
}

void sweep_free(sweep *s)
{
    for (int v = 0; v < s->n_sets; v++) {
        for (int i = 0; i < s->sets[v].n; i++)
            free(s->sets[v].kv[i]);
        free(s->sets[v].kv);
        free(s->sets[v].label);
    }
    free(s->sets);
    free(s->points);
    batch_spec_free(&s->spec);
    memset(s, 0, sizeof *s);
}

ts_status sweep_point_target(const sweep *s, const sweep_point *p, ts_target *t, ts_err *err)
{
    const sweep_set *set = &s->sets[p->set];

    *t = s->spec.loaded[p->target];
    return runner_apply_sets(t, (const char *const *)set->kv, set->n, "sweep", err);
}
