/* cmd_sweep.c: `tinysim sweep SPEC.json [-j N] [--db PATH] [--dry-run] [--models-dir DIR]
 * [--shard I/N|env:VAR/N] [--only-points FILE] [--pareto METRICS] [--tag TAG]...
 * [--slurm|--emit-sbatch FILE|--collect] ...`: expands and validates the spec
 * (sweep.h), skips the points the store already has, runs the others as child `tinysim
 * bench` processes (batch.h) that record themselves with their point id, records a point
 * whose child failed as a failed run (its error line as status), and prints the Pareto front
 * when asked. Layer: bench/ (prints, exits via its return value).
 *
 * Done points: a point is done when the store has a run of its id that succeeded or that
 * did not fit (deterministic: running it again gives the same); a failed point runs again.
 * Shards: --shard I/N (0 <= I < N) keeps the points whose index in the stable order is I
 * modulo N, before done points are skipped, so N shard runs (array jobs) partition the
 * sweep; env:VAR/N reads I from the environment variable VAR (SLURM_ARRAY_TASK_ID, Kubernetes'
 * JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, BATCH_TASK_INDEX). --only-points FILE
 * keeps the points FILE lists (before sharding: the index is then the index among them).
 * Slurm (--slurm, --emit-sbatch, --collect): sweep_slurm.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "batch.h"
#include "cli.h"
#include "opts.h"
#include "pareto_print.h"
#include "record.h"
#include "sweep.h"
#include "sweep_slurm.h"
#include "tensor_io.h"

#define JOBS_MAX 64

typedef struct sweep_args {
    const char *spec, *db, *models_dir, *pareto;
    const char *tags[RECORD_MAX_TAGS];
    int n_tags;
    unsigned long long jobs;    /* 0: the number of online cores (Slurm: 1 per task) */
    unsigned long long shard_i, shard_n; /* shard_n 0: every point */
    char shard_var[64];         /* VAR of --shard env:VAR/N, "" otherwise */
    const char *only_points;    /* --only-points FILE */
    bool dry_run;
    bool slurm, collect;        /* --slurm, --collect */
    const char *emit;           /* --emit-sbatch FILE */
    const char *partition, *time, *shard_dir;
    unsigned long long array_max; /* 0: SLURM_ARRAY_MAX_DEFAULT */
} sweep_args;

typedef struct run_ctx {
    const sweep *s;
    const sweep_args *a;
    const char *db_path;
    ts_results *db;             /* for the runs of failed points */
    int n_unrecorded;
} run_ctx;

static int bad_shard(const char *v)
{
    return cli_usage_error("sweep: --shard: expected I/N with 0 <= I < N, or env:VAR/N, got "
                           "'%s'", v ? v : "");
}

/* --shard I/N, or env:VAR/N with I the value of VAR. */
static int parse_shard(const char *v, sweep_args *a)
{
    const char *slash = v ? strrchr(v, '/') : NULL, *index;
    char num[80];

    if (!slash || (size_t)(slash - v) >= sizeof num)
        return bad_shard(v);
    snprintf(num, sizeof num, "%.*s", (int)(slash - v), v);
    index = num;
    if (cli_parse_u64(slash + 1, &a->shard_n) || a->shard_n == 0 ||
        a->shard_n > SWEEP_MAX_POINTS)
        return bad_shard(v);
    if (!strncmp(num, "env:", 4)) {
        snprintf(a->shard_var, sizeof a->shard_var, "%.63s", num + 4);
        if (!(index = getenv(a->shard_var)))
            return cli_usage_error("sweep: --shard %s: %s is not set (expected the task's "
                                   "index, 0 to %llu)", v, a->shard_var, a->shard_n - 1);
    }
    if (!cli_parse_u64(index, &a->shard_i) && a->shard_i < a->shard_n)
        return TS_EXIT_OK;
    if (a->shard_var[0])
        return cli_usage_error("sweep: --shard %s: %s is '%s' (expected an index, 0 to %llu)",
                               v, a->shard_var, index, a->shard_n - 1);
    return bad_shard(v);
}

#define PARTITION_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-,"
#define TIME_CHARS "0123456789:-"

/* --partition and --time go into #SBATCH lines: one word of a safe alphabet. */
static int parse_word(const char *opt, const char *v, const char *alphabet, const char **out)
{
    if (!v[0] || strlen(v) > 64 || v[strspn(v, alphabet)])
        return cli_usage_error("sweep: %s: expected 1 to 64 of %s, got '%s'", opt,
                               alphabet[0] == '0' ? "0-9 : - ([D-]HH:MM:SS or minutes)"
                                                  : "letters, digits and . _ - ,", v);
    *out = v;
    return TS_EXIT_OK;
}

enum { OPT_DB, OPT_MODELS_DIR, OPT_PARETO, OPT_ONLY_POINTS, OPT_EMIT, OPT_SHARD_DIR, OPT_JOBS,
       OPT_SHARD, OPT_TAG, OPT_DRY_RUN, OPT_SLURM, OPT_COLLECT, OPT_PARTITION, OPT_TIME,
       OPT_ARRAY_MAX };

/* excludes: 1 the modes and --shard, 2 the modes and --only-points, 4 the modes and --dry-run,
 * 8 the submissions and --pareto (nothing has run yet) */
static const opts_spec sweep_opts[] = {
    {"--db", OPT_DB, OPTS_VALUE, 0},
    {"--models-dir", OPT_MODELS_DIR, OPTS_VALUE, 0},
    {"--pareto", OPT_PARETO, OPTS_VALUE, 8},
    {"--only-points", OPT_ONLY_POINTS, OPTS_VALUE, 2},
    {"--emit-sbatch", OPT_EMIT, OPTS_VALUE, 1 | 2 | 4 | 8},
    {"--shard-dir", OPT_SHARD_DIR, OPTS_VALUE, 0},
    {"-j", OPT_JOBS, OPTS_VALUE, 0},
    {"--shard", OPT_SHARD, OPTS_VALUE, 1},
    {"--tag", OPT_TAG, OPTS_VALUE | OPTS_REPEAT, 0},
    {"--dry-run", OPT_DRY_RUN, 0, 4},
    {"--slurm", OPT_SLURM, 0, 1 | 2 | 4 | 8},
    {"--collect", OPT_COLLECT, 0, 1 | 2 | 4},
    {"--partition", OPT_PARTITION, OPTS_VALUE, 0},
    {"--time", OPT_TIME, OPTS_VALUE, 0},
    {"--array-max", OPT_ARRAY_MAX, OPTS_VALUE, 0},
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    sweep_args *a = ctx;
    /* ORDER OPT_DB..OPT_SHARD_DIR */
    const char **slot[] = {&a->db, &a->models_dir, &a->pareto, &a->only_points, &a->emit,
                           &a->shard_dir};

    (void)name;
    switch (id) {
    case OPTS_ARG:
        if (a->spec)
            return cli_usage_error("sweep: more than one spec given ('%s', '%s')", a->spec, v);
        a->spec = v;
        break;
    case OPT_DB: case OPT_MODELS_DIR: case OPT_PARETO: case OPT_ONLY_POINTS: case OPT_EMIT:
    case OPT_SHARD_DIR:
        *slot[id] = v;
        break;
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
    case OPT_SLURM: a->slurm = true; break;
    case OPT_COLLECT: a->collect = true; break;
    case OPT_PARTITION: return parse_word("--partition", v, PARTITION_CHARS, &a->partition);
    case OPT_TIME: return parse_word("--time", v, TIME_CHARS, &a->time);
    case OPT_ARRAY_MAX:
        if (cli_parse_u64(v, &a->array_max) || a->array_max == 0 ||
            a->array_max > SWEEP_MAX_POINTS)
            return cli_usage_error("sweep: --array-max: expected 1 to %d, got '%s'",
                                   SWEEP_MAX_POINTS, v);
        break;
    default: break;
    }
    return TS_EXIT_OK;
}

static bool submits(const sweep_args *a)
{
    return a->slurm || a->emit;
}

/* Options that mean something only with another. */
static int check_combinations(const sweep_args *a)
{
    if ((a->partition || a->time || a->array_max) && !submits(a))
        return cli_usage_error("sweep: --%s needs --slurm or --emit-sbatch FILE",
                               a->partition ? "partition" : a->time ? "time" : "array-max");
    if (a->shard_dir && !submits(a) && !a->collect)
        return cli_usage_error("sweep: --shard-dir needs --slurm, --emit-sbatch FILE or "
                               "--collect");
    return TS_EXIT_OK;
}

static int parse_args(int argc, char **argv, sweep_args *a)
{
    int rc = opts_parse("sweep", sweep_opts, OPTS_N(sweep_opts), argc, argv, 1, on_option, a);

    if (rc == TS_EXIT_OK && !a->spec)
        rc = cli_usage_error("sweep: expected SPEC.json (see 'tinysim sweep --help')");
    if (rc == TS_EXIT_OK)
        rc = check_combinations(a);
    if (rc == TS_EXIT_OK && a->pareto && !pareto_metrics_valid(a->pareto))
        rc = pareto_metrics_error(a->pareto);
    if (rc == TS_EXIT_OK && a->jobs == 0 && submits(a))
        a->jobs = 1; /* per array task: its --cpus-per-task */
    if (rc == TS_EXIT_OK && a->jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        a->jobs = n < 1 ? 1 : n > JOBS_MAX ? JOBS_MAX : (unsigned long long)n;
    }
    return rc;
}

/* ---- sets of point ids ---- */

typedef struct id_set {
    char (*id)[TS_SHA256_HEX_BYTES]; /* sorted by sort_ids */
    int n, cap;
    bool oom;
} id_set;

static bool add_id(id_set *d, const char *id)
{
    if (d->n == d->cap) {
        void *g = realloc(d->id, (size_t)(d->cap ? 2 * d->cap : 256) * sizeof *d->id);
        if (!g)
            return !(d->oom = true);
        d->id = g, d->cap = d->cap ? 2 * d->cap : 256;
    }
    snprintf(d->id[d->n++], TS_SHA256_HEX_BYTES, "%s", id);
    return true;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void sort_ids(id_set *d)
{
    if (d->n) /* qsort's base may not be NULL, even for 0 elements */
        qsort(d->id, (size_t)d->n, sizeof *d->id, by_id);
}

static bool has_id(const id_set *d, const char *id)
{
    return d->n && bsearch(id, d->id, (size_t)d->n, sizeof *d->id, by_id);
}

/* ---- the points the store has ---- */

static int take_done(const ts_res_run *r, void *ctx)
{
    const char *p = r->field[TS_RES_F_sweep_point], *st = r->field[TS_RES_F_status];

    if (!p || strlen(p) != TS_SHA256_HEX_BYTES - 1 ||
        (st && strcmp(st, "ok") && !strstr(st, "does not fit")))
        return 0;
    return add_id(ctx, p) ? 0 : 1;
}

/* Adds the done points of db (NULL: none) to d (unsorted). */
static int read_done(ts_results *db, id_set *d)
{
    ts_res_filter f = {.swept = true};
    ts_res_err err = {0};

    if (!db)
        return TS_EXIT_OK;
    if (ts_results_each_head(db, &f, take_done, d, &err) != TS_RES_OK)
        return record_report(&err);
    if (d->oom)
        return cli_usage_error("sweep: out of memory reading the store");
    return TS_EXIT_OK;
}

/* The done points of a shard database; one that cannot be read (a task killed while it
 * created it) is left out with a note: its points run again. */
static int read_done_shard(const char *path, id_set *d)
{
    ts_results *db = NULL;
    ts_res_err err = {0};
    int rc;

    if (ts_results_open(path, TS_RES_OPEN_READONLY | TS_RES_OPEN_EXISTING, &db, &err)) {
        fprintf(stderr, "tinysim: sweep: note: left out (its points count as not done): %s\n",
                err.msg);
        return TS_EXIT_OK;
    }
    rc = read_done(db, d);
    ts_results_close(db);
    return rc;
}

/* The points done: in the store and, for a submission, in the shard databases of earlier
 * submissions that were not merged yet. Sorted. */
static int done_points(const sweep_args *a, ts_results *db, const char *shard_dir, id_set *d)
{
    char **paths = NULL;
    int n = 0, rc = read_done(db, d);

    if (rc == TS_EXIT_OK && submits(a))
        rc = slurm_shard_files(shard_dir, &paths, &n);
    for (int i = 0; i < n && rc == TS_EXIT_OK; i++)
        rc = read_done_shard(paths[i], d);
    slurm_free_paths(paths, n);
    sort_ids(d);
    return rc;
}

/* ---- --only-points FILE ---- */

/* One line of the list: blank and '#' lines are skipped; an id must be a point of s. */
static int only_line(const sweep *s, const id_set *all, const char *file, int no, char *line,
                     id_set *only)
{
    size_t n = strlen(line);

    while (n && strchr(" \t\r", line[n - 1]))
        line[--n] = '\0';
    if (!n || line[0] == '#')
        return TS_EXIT_OK;
    if (n != TS_SHA256_HEX_BYTES - 1 || strspn(line, "0123456789abcdef") != n)
        return cli_usage_error("%s: line %d: expected a point id (64 hex digits), got '%.70s'",
                               file, no, line);
    if (!has_id(all, line))
        return cli_usage_error("%s: line %d: %.12s is not a point of %s (was the spec changed "
                               "after the list was written?)", file, no, line, s->spec.file);
    return add_id(only, line) ? TS_EXIT_OK : cli_usage_error("sweep: out of memory");
}

static int read_only_points(const sweep *s, const char *file, id_set *only)
{
    id_set all = {0};
    uint8_t *bytes;
    size_t n;
    char *text, *line, *save = NULL;
    int rc = TS_EXIT_OK, no = 0;

    if (tio_read_file(file, &bytes, &n) != TS_EXIT_OK) /* its one line printed */
        return TS_EXIT_BAD_INPUT;
    text = calloc(1, n + 1);
    for (int i = 0; i < s->n_points && text; i++)
        add_id(&all, s->points[i].id);
    if (!text || all.oom)
        rc = cli_usage_error("sweep: out of memory");
    else
        memcpy(text, bytes, n);
    sort_ids(&all);
    for (line = text; rc == TS_EXIT_OK && line; line = save) {
        save = strchr(line, '\n');
        if (save)
            *save++ = '\0';
        rc = only_line(s, &all, file, ++no, line, only);
    }
    sort_ids(only);
    ts_free(bytes);
    free(text), free(all.id);
    return rc;
}

/* ---- listing and running ---- */

/* The points of this run: those listed (--only-points), of this shard, and not done. */
typedef struct selection {
    int *shard, n_shard; /* indices into s->points */
    int *todo, n_todo;
    int n_listed;
} selection;

static void select_points(const sweep *s, const sweep_args *a, const id_set *only,
                          const id_set *done, selection *sel)
{
    for (int i = 0; i < s->n_points; i++) {
        if (a->only_points && !has_id(only, s->points[i].id))
            continue;
        if (!a->shard_n || sweep_in_shard(sel->n_listed, (int)a->shard_i, (int)a->shard_n)) {
            sel->shard[sel->n_shard++] = i;
            if (!has_id(done, s->points[i].id))
                sel->todo[sel->n_todo++] = i;
        }
        sel->n_listed++;
    }
}

static void print_header(const sweep *s, const sweep_args *a, const selection *sel,
                         const char *db_path)
{
    printf("sweep %s: %d points (%d models x %d targets x %d kernel variants x %d override "
           "sets", s->name, s->n_points, s->spec.n_models, s->spec.n_targets,
           s->spec.n_kernels, s->n_sets);
    if (s->n_duplicates)
        printf(", %d duplicates dropped", s->n_duplicates);
    printf(")");
    if (a->only_points)
        printf(", %d listed in %s", sel->n_listed, a->only_points);
    if (a->shard_n)
        printf(", shard %llu/%llu%s%s%s: %d points", a->shard_i, a->shard_n,
               a->shard_var[0] ? " (" : "", a->shard_var, a->shard_var[0] ? ")" : "",
               sel->n_shard);
    printf(", %d already in the store, %d to run", sel->n_shard - sel->n_todo, sel->n_todo);
    if (!a->dry_run && !submits(a))
        printf(", %llu at once", a->jobs);
    printf(", database %s\n", db_path);
}

static void list_points(const sweep *s, const selection *sel, const id_set *d)
{
    char model[128];

    printf("%-12s  %-24s %-14s %-5s %-5s %s\n", "point", "model", "target", "kern", "state",
           "overrides");
    for (int i = 0; i < sel->n_shard; i++) {
        const sweep_point *p = &s->points[sel->shard[i]];
        batch_model_label(s->spec.models[p->model], model, sizeof model);
        printf("%.12s  %-24.24s %-14s %-5s %-5s %s\n", p->id, model, s->spec.targets[p->target],
               p->kernels, has_id(d, p->id) ? "done" : "to do",
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

/* The store: opened (created) for a run or a merge; for a dry run or a submission only read,
 * when it exists. */
static int open_store(const sweep_args *a, char *path, size_t cap, ts_results **db)
{
    ts_res_err err = {0};

    *db = NULL;
    if (!record_db_path(a->db, path, cap))
        return TS_EXIT_BAD_INPUT;
    if (!a->dry_run && !submits(a))
        return record_open(path, true, db);
    if (access(path, F_OK) != 0)
        return TS_EXIT_OK;
    if (ts_results_open(path, TS_RES_OPEN_READONLY | TS_RES_OPEN_EXISTING, db, &err))
        return record_report(&err);
    return TS_EXIT_OK;
}

static int submit(const sweep *s, const sweep_args *a, const selection *sel,
                  const char *db_path, const char *shard_dir)
{
    /* the default models folder is relative: the scripts get it absolute */
    const char *models = a->models_dir ? a->models_dir
                         : cJSON_GetObjectItemCaseSensitive(s->spec.doc, "models")
                             ? BATCH_MODELS_DIR : NULL;
    slurm_opts o = {a->spec, db_path, models, shard_dir, a->partition, a->time,
                    a->emit, a->tags, a->n_tags, (unsigned)a->jobs,
                    a->array_max ? (int)a->array_max : SLURM_ARRAY_MAX_DEFAULT};

    return slurm_submit(s, &o, sel->todo, sel->n_todo);
}

static int sweep_points(const sweep *s, const sweep_args *a, ts_results *db,
                        const char *db_path, const char *shard_dir)
{
    id_set done = {0}, only = {0};
    selection sel = {calloc((size_t)s->n_points + 1, sizeof(int)), 0,
                     calloc((size_t)s->n_points + 1, sizeof(int)), 0, 0};
    run_ctx ctx = {s, a, db_path, db, 0};
    int rc = sel.shard && sel.todo ? TS_EXIT_OK : cli_usage_error("sweep: out of memory");

    if (rc == TS_EXIT_OK && a->only_points)
        rc = read_only_points(s, a->only_points, &only);
    if (rc == TS_EXIT_OK)
        rc = done_points(a, db, shard_dir, &done);
    if (rc == TS_EXIT_OK) {
        select_points(s, a, &only, &done, &sel);
        print_header(s, a, &sel, db_path);
    }
    if (rc == TS_EXIT_OK && a->dry_run) {
        list_points(s, &sel, &done);
        printf("%d points: %d done, %d to run (dry run: nothing ran)\n", sel.n_shard,
               sel.n_shard - sel.n_todo, sel.n_todo);
    } else if (rc == TS_EXIT_OK && sel.n_todo == 0) {
        printf("nothing to run: every point is in the store\n");
    } else if (rc == TS_EXIT_OK && submits(a)) {
        rc = submit(s, a, &sel, db_path, shard_dir);
    } else if (rc == TS_EXIT_OK) {
        fflush(stdout);
        rc = run_points(s, a, sel.todo, sel.n_todo, &ctx);
    }
    free(sel.shard), free(sel.todo), free(done.id), free(only.id);
    return rc;
}

/* --collect: the shard databases merged into the store, then how many points it has. */
static int collect(const sweep *s, ts_results *db, const char *shard_dir, const char *db_path)
{
    id_set done = {0};
    int rc = slurm_collect(shard_dir, db), n_done = 0, drc;

    if (rc == TS_EXIT_BAD_INPUT)
        return rc;
    drc = read_done(db, &done);
    sort_ids(&done);
    for (int i = 0; i < s->n_points && drc == TS_EXIT_OK; i++)
        n_done += has_id(&done, s->points[i].id);
    if (drc == TS_EXIT_OK)
        printf("sweep %s: %d of %d points in the store %s%s\n", s->name, n_done, s->n_points,
               db_path, n_done < s->n_points ? " (the same --slurm command runs the others)"
                                             : "");
    free(done.id);
    return rc != TS_EXIT_OK ? rc : drc;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args a = {0};
    sweep s;
    ts_results *db = NULL;
    char path[4096], shard_dir[SLURM_PATH_BYTES] = "";
    int rc = parse_args(argc, argv, &a), prc;

    if (rc != TS_EXIT_OK)
        return rc;
    rc = sweep_load(&s, a.spec, a.models_dir);
    if (rc == TS_EXIT_OK)
        rc = open_store(&a, path, sizeof path, &db);
    if (rc == TS_EXIT_OK && (submits(&a) || a.collect))
        rc = slurm_shard_dir(&s, a.shard_dir, path, shard_dir, sizeof shard_dir);
    if (rc == TS_EXIT_OK)
        rc = a.collect ? collect(&s, db, shard_dir, path)
                       : sweep_points(&s, &a, db, path, shard_dir);
    if (rc != TS_EXIT_BAD_INPUT && a.pareto && db) {
        prc = print_pareto(&s, &a, db);
        rc = prc != TS_EXIT_OK ? prc : rc;
    }
    ts_results_close(db);
    sweep_free(&s);
    return rc;
}
