/* cmd_sweep.c: `tinysim sweep SPEC.json [-j N] [--db PATH] [--dry-run] [--models-dir DIR]
 * [--shard I/N] [--pareto METRICS] [--tag TAG]...`: expands and validates the spec
 * (sweep.h), skips the points the store already has, runs the others as child `tinysim
 * bench` processes (batch.h) that record themselves with their point id, records a point
 * whose child failed as a failed run (its error line as status), and prints the Pareto front
 * when asked. Layer: bench/ (prints, exits via its return value).
 *
 * Done points: a point is done when the store has a run of its id that succeeded or that
 * did not fit (deterministic: running it again gives the same); a failed point runs again.
 * Shards: --shard I/N (0 <= I < N) keeps the points whose index in the stable order is I
 * modulo N, before done points are skipped, so N shard runs (array jobs) partition the
 * sweep. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "opts.h"
#include "pareto_print.h"
#include "record.h"
#include "sweep.h"

#define JOBS_MAX 64

typedef struct sweep_args {
    const char *spec, *db, *models_dir, *pareto;
    const char *tags[RECORD_MAX_TAGS];
    int n_tags;
    unsigned long long jobs;    /* 0: the number of online cores */
    unsigned long long shard_i, shard_n; /* shard_n 0: every point */
    bool dry_run;
} sweep_args;

typedef struct run_ctx {
    const sweep *s;
    const sweep_args *a;
    const char *db_path;
    ts_results *db;             /* for the runs of failed points */
    int n_unrecorded;
} run_ctx;

static int parse_shard(const char *v, sweep_args *a)
{
    const char *slash = v ? strchr(v, '/') : NULL;
    char num[32];

    if (slash && (size_t)(slash - v) < sizeof num) {
        snprintf(num, sizeof num, "%.*s", (int)(slash - v), v);
        if (!cli_parse_u64(num, &a->shard_i) && !cli_parse_u64(slash + 1, &a->shard_n) &&
            a->shard_n > 0 && a->shard_i < a->shard_n && a->shard_n <= SWEEP_MAX_POINTS)
            return TS_EXIT_OK;
    }
    return cli_usage_error("sweep: --shard: expected I/N with 0 <= I < N, got '%s'",
                           v ? v : "");
}

enum { OPT_DB, OPT_MODELS_DIR, OPT_PARETO, OPT_JOBS, OPT_SHARD, OPT_TAG, OPT_DRY_RUN };

static const opts_spec sweep_opts[] = {
    {"--db", OPT_DB, OPTS_VALUE, 0},
    {"--models-dir", OPT_MODELS_DIR, OPTS_VALUE, 0},
    {"--pareto", OPT_PARETO, OPTS_VALUE, 0},
    {"-j", OPT_JOBS, OPTS_VALUE, 0},
    {"--shard", OPT_SHARD, OPTS_VALUE, 0},
    {"--tag", OPT_TAG, OPTS_VALUE | OPTS_REPEAT, 0},
    {"--dry-run", OPT_DRY_RUN, 0, 0},
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    sweep_args *a = ctx;
    const char **slot[] = {&a->db, &a->models_dir, &a->pareto}; /* ORDER OPT_DB..OPT_PARETO */

    (void)name;
    switch (id) {
    case OPTS_ARG:
        if (a->spec)
            return cli_usage_error("sweep: more than one spec given ('%s', '%s')", a->spec, v);
        a->spec = v;
        break;
    case OPT_DB: case OPT_MODELS_DIR: case OPT_PARETO: *slot[id] = v; break;
    case OPT_JOBS:
        if (cli_parse_u64(v, &a->jobs) || a->jobs == 0 || a->jobs > JOBS_MAX)
            return cli_usage_error("sweep: -j: expected 1 to %d, got '%s'", JOBS_MAX, v);
        break;
    case OPT_SHARD: return parse_shard(v, a);
    case OPT_TAG:
        if (a->n_tags == RECORD_MAX_TAGS)
            return cli_usage_error("sweep: --tag: expected at most %d tags", RECORD_MAX_TAGS);
        a->tags[a->n_tags++] = v;
        break;
    case OPT_DRY_RUN: a->dry_run = true; break;
    default: break;
    }
    return TS_EXIT_OK;
}

static int parse_args(int argc, char **argv, sweep_args *a)
{
    int rc = opts_parse("sweep", sweep_opts, OPTS_N(sweep_opts), argc, argv, 1, on_option, a);

    if (rc == TS_EXIT_OK && !a->spec)
        rc = cli_usage_error("sweep: expected SPEC.json (see 'tinysim sweep --help')");
    if (rc == TS_EXIT_OK && a->pareto && !pareto_metrics_valid(a->pareto))
        rc = pareto_metrics_error(a->pareto);
    if (rc == TS_EXIT_OK && a->jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        a->jobs = n < 1 ? 1 : n > JOBS_MAX ? JOBS_MAX : (unsigned long long)n;
    }
    return rc;
}

/* ---- the points the store has ---- */

typedef struct done_set {
    char (*id)[TS_SHA256_HEX_BYTES]; /* sorted */
    int n, cap;
    bool oom;
} done_set;

static int take_done(const ts_res_run *r, void *ctx)
{
    done_set *d = ctx;
    const char *p = r->field[TS_RES_F_sweep_point], *st = r->field[TS_RES_F_status];

    if (!p || strlen(p) != TS_SHA256_HEX_BYTES - 1 ||
        (st && strcmp(st, "ok") && !strstr(st, "does not fit")))
        return 0;
    if (d->n == d->cap) {
        void *g = realloc(d->id, (size_t)(d->cap ? 2 * d->cap : 256) * sizeof *d->id);
        if (!g)
            return d->oom = true, 1;
        d->id = g, d->cap = d->cap ? 2 * d->cap : 256;
    }
    memcpy(d->id[d->n++], p, TS_SHA256_HEX_BYTES);
    return 0;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int read_done(ts_results *db, done_set *d)
{
    ts_res_filter f = {.swept = true};
    ts_res_err err = {0};

    if (!db)
        return TS_EXIT_OK;
    if (ts_results_each_head(db, &f, take_done, d, &err) != TS_RES_OK)
        return record_report(&err);
    if (d->oom)
        return cli_usage_error("sweep: out of memory reading the store");
    if (d->n) /* qsort's base may not be NULL, even for 0 elements */
        qsort(d->id, (size_t)d->n, sizeof *d->id, by_id);
    return TS_EXIT_OK;
}

static bool is_done(const done_set *d, const char *id)
{
    return d->n && bsearch(id, d->id, (size_t)d->n, sizeof *d->id, by_id);
}

/* ---- listing and running ---- */

static void print_header(const sweep *s, const sweep_args *a, int n_shard, int n_todo,
                         const char *db_path)
{
    printf("sweep %s: %d points (%d models x %d targets x %d kernel variants x %d override "
           "sets", s->name, s->n_points, s->spec.n_models, s->spec.n_targets,
           s->spec.n_kernels, s->n_sets);
    if (s->n_duplicates)
        printf(", %d duplicates dropped", s->n_duplicates);
    printf(")");
    if (a->shard_n)
        printf(", shard %llu/%llu: %d points", a->shard_i, a->shard_n, n_shard);
    printf(", %d already in the store, %d to run", n_shard - n_todo, n_todo);
    if (!a->dry_run)
        printf(", %llu at once", a->jobs);
    printf(", database %s\n", db_path);
}

static void list_points(const sweep *s, const int *shard, int n_shard, const done_set *d)
{
    char model[128];

    printf("%-12s  %-24s %-14s %-5s %-5s %s\n", "point", "model", "target", "kern", "state",
           "overrides");
    for (int i = 0; i < n_shard; i++) {
        const sweep_point *p = &s->points[shard[i]];
        batch_model_label(s->spec.models[p->model], model, sizeof model);
        printf("%.12s  %-24.24s %-14s %-5s %-5s %s\n", p->id, model, s->spec.targets[p->target],
               p->kernels, is_done(d, p->id) ? "done" : "to do",
               s->sets[p->set].label[0] ? s->sets[p->set].label : "-");
    }
}

static void argv_of(const batch_job *j, const char **argv, void *ctx)
{
    const run_ctx *r = ctx;
    const sweep_point *p = &r->s->points[j->ref];
    const sweep_set *set = &r->s->sets[p->set];
    int n = 0;

    argv[n++] = "tinysim", argv[n++] = "bench", argv[n++] = "--target", argv[n++] = j->target;
    argv[n++] = "--kernels", argv[n++] = j->kernels, argv[n++] = j->model;
    argv[n++] = "--json", argv[n++] = "--record-suite", argv[n++] = r->s->name;
    argv[n++] = "--record-sweep-point", argv[n++] = p->id;
    for (int i = 0; i < set->n && n < BATCH_ARGV_MAX - 2 * RECORD_MAX_TAGS - 4; i++)
        argv[n++] = "--set", argv[n++] = set->kv[i];
    for (int i = 0; i < r->a->n_tags; i++)
        argv[n++] = "--tag", argv[n++] = r->a->tags[i];
    argv[n++] = "--db", argv[n++] = r->db_path;
    argv[n] = NULL;
}

/* A failed point is recorded as a failed run (its error line as status), so that the store
 * says what happened to every point; it runs again on the next sweep. */
static void finished(batch_job *j, void *ctx)
{
    run_ctx *r = ctx;
    const sweep_point *p = &r->s->points[j->ref];
    const sweep_set *set = &r->s->sets[p->set];
    record_args ra = {j->model, "single", "xorshift32 seed 1", (const char *const *)set->kv,
                      set->n, r->a->tags, r->a->n_tags, r->s->name, p->id};
    cJSON *report = cJSON_CreateObject();
    ts_res_run *run = NULL;
    ts_res_err err = {0};
    ts_target t;
    ts_err terr;

    ts_err_clear(&terr);
    if (j->state != BATCH_FAIL)
        goto out_free;
    if (!report || !cJSON_AddStringToObject(report, "kernels", p->kernels) ||
        sweep_point_target(r->s, p, &t, &terr) != TS_OK ||
        !(run = record_build(report, &t, &ra, j->msg)) ||
        ts_results_add(r->db, run, NULL, &err) != TS_RES_OK) {
        if (err.code != TS_RES_OK)
            record_report(&err);
        r->n_unrecorded++;
    }
out_free:
    ts_res_run_free(run);
    cJSON_Delete(report);
}

static int run_points(const sweep *s, const sweep_args *a, const int *todo, int n,
                      run_ctx *ctx)
{
    batch_job *jobs = calloc((size_t)n + 1, sizeof *jobs);
    char title[160];
    int failed;

    if (!jobs)
        return cli_usage_error("sweep: out of memory");
    for (int i = 0; i < n; i++) {
        const sweep_point *p = &s->points[todo[i]];
        jobs[i] = (batch_job){.ref = todo[i], .model = s->spec.models[p->model],
                              .target = s->spec.targets[p->target], .kernels = p->kernels,
                              .detail = s->sets[p->set].label, .column = p->id};
    }
    snprintf(title, sizeof title, "sweep %s", s->name);
    batch_opts bo = {(unsigned)a->jobs, title, "point", 12, true, argv_of, finished, ctx};
    failed = batch_run(jobs, n, &bo);
    free(jobs);
    if (ctx->n_unrecorded)
        fprintf(stderr, "tinysim: sweep: %d failed points could not be recorded in %s\n",
                ctx->n_unrecorded, ctx->db_path);
    if (batch_interrupted())
        fprintf(stderr, "tinysim: sweep: interrupted (signal %d): the same command runs the "
                "points left\n", batch_interrupted());
    return failed || batch_interrupted() ? TS_EXIT_FAIL : TS_EXIT_OK;
}

/* The front over every point of the sweep (all shards). */
static int print_pareto(const sweep *s, const sweep_args *a, ts_results *db)
{
    char (*ids)[TS_SHA256_HEX_BYTES] = calloc((size_t)s->n_points + 1, sizeof *ids);
    pareto_query q = {a->pareto, {0}, NULL, s->n_points};
    int rc;

    if (!ids)
        return cli_usage_error("sweep: out of memory");
    for (int i = 0; i < s->n_points; i++)
        memcpy(ids[i], s->points[i].id, sizeof ids[i]);
    qsort(ids, (size_t)s->n_points, sizeof *ids, by_id);
    q.points = (const char (*)[TS_SHA256_HEX_BYTES])ids;
    printf("\n");
    rc = pareto_print(db, &q);
    free(ids);
    return rc;
}

/* The store: opened (created) for a run; for a dry run only read, when it exists. */
static int open_store(const sweep_args *a, char *path, size_t cap, ts_results **db)
{
    ts_res_err err = {0};

    *db = NULL;
    if (!record_db_path(a->db, path, cap))
        return TS_EXIT_BAD_INPUT;
    if (!a->dry_run)
        return record_open(path, true, db);
    if (access(path, F_OK) != 0)
        return TS_EXIT_OK;
    if (ts_results_open(path, TS_RES_OPEN_READONLY | TS_RES_OPEN_EXISTING, db, &err))
        return record_report(&err);
    return TS_EXIT_OK;
}

static int sweep_points(const sweep *s, const sweep_args *a, ts_results *db,
                        const char *db_path)
{
    done_set d = {0};
    int *shard = calloc((size_t)s->n_points + 1, sizeof *shard), n_shard = 0, n_todo = 0;
    int *todo = calloc((size_t)s->n_points + 1, sizeof *todo);
    run_ctx ctx = {s, a, db_path, db, 0};
    int rc = shard && todo ? read_done(db, &d) : cli_usage_error("sweep: out of memory");

    for (int i = 0; i < s->n_points && rc == TS_EXIT_OK; i++)
        if (!a->shard_n || sweep_in_shard(i, (int)a->shard_i, (int)a->shard_n)) {
            shard[n_shard++] = i;
            if (!is_done(&d, s->points[i].id))
                todo[n_todo++] = i;
        }
    if (rc == TS_EXIT_OK)
        print_header(s, a, n_shard, n_todo, db_path);
    if (rc == TS_EXIT_OK && a->dry_run) {
        list_points(s, shard, n_shard, &d);
        printf("%d points: %d done, %d to run (dry run: nothing ran)\n", n_shard,
               n_shard - n_todo, n_todo);
    } else if (rc == TS_EXIT_OK && n_todo == 0) {
        printf("nothing to run: every point is in the store\n");
    } else if (rc == TS_EXIT_OK) {
        fflush(stdout);
        rc = run_points(s, a, todo, n_todo, &ctx);
    }
    free(shard), free(todo), free(d.id);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args a = {0};
    sweep s;
    ts_results *db = NULL;
    char path[4096];
    int rc = parse_args(argc, argv, &a), prc;

    if (rc != TS_EXIT_OK)
        return rc;
    rc = sweep_load(&s, a.spec, a.models_dir);
    if (rc == TS_EXIT_OK)
        rc = open_store(&a, path, sizeof path, &db);
    if (rc == TS_EXIT_OK)
        rc = sweep_points(&s, &a, db, path);
    if (rc != TS_EXIT_BAD_INPUT && a.pareto && db) {
        prc = print_pareto(&s, &a, db);
        rc = prc != TS_EXIT_OK ? prc : rc;
    }
    ts_results_close(db);
    sweep_free(&s);
    return rc;
}
