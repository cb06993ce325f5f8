/* suite.c: bench --suite (see suite.h): reads the suite file, expands the matrix, runs each
 * cell as a child `tinysim bench --json` (stdout and stderr to temporary files) that records
 * itself in the store, shows progress, prints the summary. Layer: bench/ (prints). */
#define _POSIX_C_SOURCE 200809L
#include "suite.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "cli.h"
#include "fmt.h"
#include "runner.h"
#include "target/target.h"

#define AXIS_MAX 64     /* entries per axis */
#define ARGV_MAX 160
#define SELF "/proc/self/exe"

typedef struct suite {
    const char *file;
    char name[128];
    char *models[AXIS_MAX];  /* paths, malloc'ed */
    int n_models;
    char *targets[AXIS_MAX]; /* names, malloc'ed */
    bool has_dsp[AXIS_MAX];
    int n_targets;
    const char *kernels[AXIS_MAX]; /* in doc */
    int n_kernels;
    const cJSON *sets;       /* array of arrays of strings, in doc; NULL = one empty variant */
    cJSON *doc;
    char gen_dir[64];        /* temporary folder of generated models, "" when none */
} suite;

enum { JOB_PENDING, JOB_RUNNING, JOB_OK, JOB_NOFIT, JOB_FAIL };

typedef struct job {
    int model, target, kernels, set;
    int state;
    pid_t pid;
    FILE *out, *err;
    double start_s, wall_s;
    double cycles, ms;
    char id[16], msg[320];
} job;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bad(const suite *s, const char *where, const char *what)
{
    return cli_usage_error("%s: %s: %s", s->file, where, what);
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');

    return b ? b + 1 : path;
}

/* ---- the suite file ---- */

static cJSON *read_json(const char *path)
{
    uint8_t *text;
    size_t n;
    cJSON *j;

    if (tio_read_file(path, &text, &n) != TS_EXIT_OK) /* its one line printed */
        return NULL;
    j = cJSON_ParseWithLength((const char *)text, n);
    ts_free(text);
    if (!j)
        cli_usage_error("%s: not a JSON suite file (expected a JSON object, see 'tinysim bench "
                        "--help')", path);
    return j;
}

static char *dup_str(const char *s)
{
    char *d = malloc(strlen(s) + 1);

    return d ? strcpy(d, s) : NULL;
}

/* Fills the strings of array `key` into out[] (borrowed from the document). */
static int string_list(const suite *s, const char *key, const char **out, int *n)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(s->doc, key), *it;

    if (!arr)
        return TS_EXIT_OK;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > AXIS_MAX)
        return bad(s, key, "expected an array of at most 64 strings");
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it))
            return bad(s, key, "expected strings");
        out[(*n)++] = it->valuestring;
    }
    return TS_EXIT_OK;
}

static int load_models(suite *s, const char *models_dir)
{
    const char *names[AXIS_MAX];
    int n = 0, rc = string_list(s, "models", names, &n);
    char path[4096];

    for (int i = 0; i < n && rc == TS_EXIT_OK; i++) {
        if (names[i][0] == '/')
            snprintf(path, sizeof path, "%s", names[i]);
        else
            snprintf(path, sizeof path, "%s/%s", models_dir, names[i]);
        if (access(path, R_OK) != 0)
            rc = cli_usage_error("%s: models[%d]: %s: cannot read: %s (give --models-dir)",
                                 s->file, i, path, strerror(errno));
        else if (!(s->models[s->n_models++] = dup_str(path)))
            rc = cli_usage_error("%s: out of memory", s->file);
    }
    return rc;
}

/* Starts `tinysim ARGV...` with stdout and stderr to the given files; -1 on failure. */
static pid_t spawn(const char *const *argv, FILE *out, FILE *err)
{
    pid_t pid;

    fflush(stdout), fflush(stderr);
    pid = fork();
    if (pid == 0) {
        dup2(fileno(out), STDOUT_FILENO);
        dup2(fileno(err), STDERR_FILENO);
        execv(SELF, (char *const *)argv); /* execv does not modify argv */
        cli_error_line("%s: cannot run: %s", SELF, strerror(errno));
        _exit(TS_EXIT_FAIL);
    }
    return pid;
}

/* Writes one "generate" entry with `tinysim gen` into s->gen_dir. */
static int generate_one(suite *s, int i, const cJSON *g)
{
    const cJSON *arch = cJSON_GetObjectItemCaseSensitive(g, "arch");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(g, "seed");
    char path[256], seed_s[24], where[32];
    const char *argv[8];
    FILE *out = tmpfile(), *err = tmpfile();
    int status = -1, n;
    pid_t pid;

    snprintf(where, sizeof where, "generate[%d]", i);
    if (!cJSON_IsString(arch) || (seed && !cJSON_IsNumber(seed)))
        return bad(s, where, "expected {\"arch\": ARCH, \"seed\": N}");
    snprintf(seed_s, sizeof seed_s, "%d", seed ? seed->valueint : 1);
    n = snprintf(path, sizeof path, "%s/", s->gen_dir);
    for (const char *c = arch->valuestring; *c && n < 200; c++)
        path[n++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
                           *c) ? *c : '_';
    snprintf(path + n, sizeof path - (size_t)n, "%s%s.tflite", seed ? "-s" : "",
             seed ? seed_s : "");
    argv[0] = "tinysim", argv[1] = "gen", argv[2] = arch->valuestring, argv[3] = "--seed";
    argv[4] = seed_s, argv[5] = "-o", argv[6] = path, argv[7] = NULL;
    if (out && err && (pid = spawn(argv, out, err)) > 0)
        waitpid(pid, &status, 0);
    if (out)
        fclose(out);
    if (err)
        fclose(err);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return bad(s, where, "tinysim gen failed (see 'tinysim gen --list')");
    return (s->models[s->n_models++] = dup_str(path)) ? TS_EXIT_OK
                                                      : bad(s, where, "out of memory");
}

static int generate_models(suite *s)
{
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(s->doc, "generate"), *g;
    int rc = TS_EXIT_OK, i = 0;

    if (!gen)
        return TS_EXIT_OK;
    if (!cJSON_IsArray(gen) || cJSON_GetArraySize(gen) + s->n_models > AXIS_MAX)
        return bad(s, "generate", "expected an array of at most 64 {\"arch\": ...} objects");
    snprintf(s->gen_dir, sizeof s->gen_dir, "/tmp/tinysim-suite-XXXXXX");
    if (!mkdtemp(s->gen_dir))
        return s->gen_dir[0] = '\0', cli_usage_error("%s: cannot create a temporary folder: %s",
                                                     s->file, strerror(errno));
    cJSON_ArrayForEach(g, gen)
        if (rc == TS_EXIT_OK)
            rc = generate_one(s, i++, g);
    return rc;
}

/* "all" or an array of names; every target is loaded once to check it and learn has_dsp. */
static int load_targets(suite *s)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(s->doc, "targets");
    const char *names[AXIS_MAX];
    char *files[AXIS_MAX];
    int n = 0, rc = TS_EXIT_OK;

    if (cJSON_IsString(t) && !strcmp(t->valuestring, "all")) {
        int k = cli_list_json(ts_target_dir(NULL), files, AXIS_MAX);
        for (int i = 0; i < k; i++) {
            files[i][strlen(files[i]) - 5] = '\0'; /* NAME.json -> NAME */
            s->targets[s->n_targets++] = files[i];
        }
    } else if ((rc = string_list(s, "targets", names, &n)) == TS_EXIT_OK) {
        for (int i = 0; i < n; i++)
            s->targets[s->n_targets++] = dup_str(names[i]);
    }
    if (rc == TS_EXIT_OK && s->n_targets == 0)
        return bad(s, "targets", "expected \"all\" or a non-empty array of target names");
    for (int i = 0; i < s->n_targets && rc == TS_EXIT_OK; i++) {
        ts_target tg;
        ts_err err;
        ts_err_clear(&err);
        if (!s->targets[i] || runner_load_target(s->targets[i], NULL, 0, "bench", &tg, &err))
            rc = cli_report(&err);
        else
            s->has_dsp[i] = tg.has_dsp;
    }
    return rc;
}

static int load_axes(suite *s)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(s->doc, "name"), *v;
    int rc = TS_EXIT_OK;

    if (!cJSON_IsString(name) || !name->valuestring[0])
        return bad(s, "name", "expected a non-empty string");
    snprintf(s->name, sizeof s->name, "%s", name->valuestring);
    if ((rc = string_list(s, "kernels", s->kernels, &s->n_kernels)) != TS_EXIT_OK)
        return rc;
    if (s->n_kernels == 0)
        s->kernels[s->n_kernels++] = "auto";
    for (int i = 0; i < s->n_kernels; i++)
        if (strcmp(s->kernels[i], "ref") && strcmp(s->kernels[i], "simd") &&
            strcmp(s->kernels[i], "auto"))
            return bad(s, "kernels", "expected ref, simd or auto");
    s->sets = cJSON_GetObjectItemCaseSensitive(s->doc, "sets");
    if (s->sets && (!cJSON_IsArray(s->sets) || cJSON_GetArraySize(s->sets) > AXIS_MAX))
        return bad(s, "sets", "expected an array of arrays of \"KEY=VALUE\" strings");
    cJSON_ArrayForEach(v, s->sets) {
        const cJSON *kv;
        if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > 16)
            return bad(s, "sets", "expected arrays of at most 16 \"KEY=VALUE\" strings");
        cJSON_ArrayForEach(kv, v)
            if (!cJSON_IsString(kv) || !strchr(kv->valuestring, '='))
                return bad(s, "sets", "expected \"KEY=VALUE\" strings");
    }
    return rc;
}

static void free_suite(suite *s)
{
    for (int i = 0; i < s->n_models; i++) {
        if (s->gen_dir[0] && strncmp(s->models[i], s->gen_dir, strlen(s->gen_dir)) == 0)
            unlink(s->models[i]);
        free(s->models[i]);
    }
    for (int i = 0; i < s->n_targets; i++)
        free(s->targets[i]);
    if (s->gen_dir[0])
        rmdir(s->gen_dir);
    cJSON_Delete(s->doc);
}

static int load_suite(suite *s, const suite_opts *o)
{
    int rc;

    s->file = o->file;
    if (!(s->doc = read_json(o->file)))
        return TS_EXIT_BAD_INPUT;
    if (!cJSON_IsObject(s->doc))
        return bad(s, "(top)", "expected a JSON object");
    if ((rc = load_axes(s)) != TS_EXIT_OK ||
        (rc = load_models(s, o->models_dir ? o->models_dir : "../shared/models")) ||
        (rc = generate_models(s)) || (rc = load_targets(s)))
        return rc;
    if (s->n_models == 0)
        return bad(s, "models", "expected at least one model (models or generate)");
    return TS_EXIT_OK;
}

/* ---- running ---- */

/* The matrix in order model, target, kernels, set; simd only where the core has DSP. */
static job *expand(const suite *s, int *n_jobs)
{
    int n_sets = s->sets ? cJSON_GetArraySize(s->sets) : 1, n = 0;
    job *jobs = calloc((size_t)(s->n_models * s->n_targets * s->n_kernels * n_sets) + 1,
                       sizeof *jobs);

    for (int m = 0; jobs && m < s->n_models; m++)
        for (int t = 0; t < s->n_targets; t++)
            for (int k = 0; k < s->n_kernels; k++)
                for (int v = 0; v < n_sets; v++)
                    if (strcmp(s->kernels[k], "simd") || s->has_dsp[t])
                        jobs[n++] = (job){.model = m, .target = t, .kernels = k, .set = v};
    *n_jobs = n;
    return jobs;
}

static int start_job(const suite *s, const suite_opts *o, job *j)
{
    const char *argv[ARGV_MAX];
    const cJSON *kv, *set = s->sets ? cJSON_GetArrayItem(s->sets, j->set) : NULL;
    int n = 0;

    argv[n++] = "tinysim", argv[n++] = "bench", argv[n++] = "--target";
    argv[n++] = s->targets[j->target], argv[n++] = "--kernels";
    argv[n++] = s->kernels[j->kernels], argv[n++] = s->models[j->model];
    argv[n++] = "--json", argv[n++] = "--record-suite", argv[n++] = s->name;
    cJSON_ArrayForEach(kv, set)
        argv[n++] = "--set", argv[n++] = kv->valuestring;
    for (int i = 0; i < o->n_tags; i++)
        argv[n++] = "--tag", argv[n++] = o->tags[i];
    if (o->no_db)
        argv[n++] = "--no-db";
    else
        argv[n++] = "--db", argv[n++] = o->db;
    argv[n] = NULL;
    j->out = tmpfile(), j->err = tmpfile();
    j->start_s = now_s();
    j->pid = j->out && j->err ? spawn(argv, j->out, j->err) : -1;
    j->state = JOB_RUNNING;
    return j->pid > 0;
}

static char *slurp(FILE *f)
{
    long n;
    char *text;

    fflush(f);
    n = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
    if (text && n > 0 && fread(text, 1, (size_t)n, f) != (size_t)n)
        text[0] = '\0';
    return text;
}

/* Reads a finished job's report (cycles, latency, run id) or its last error line. */
static void collect(job *j, const char *model, int status)
{
    char *out = slurp(j->out), *err = slurp(j->err), *nl;
    const char *last;
    cJSON *doc = out ? cJSON_Parse(out) : NULL, *tot, *prov;

    j->wall_s = now_s() - j->start_s;
    tot = cJSON_GetObjectItemCaseSensitive(doc, "totals");
    prov = cJSON_GetObjectItemCaseSensitive(doc, "provenance");
    j->cycles = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(tot, "cycles"));
    j->ms = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(tot, "latency_ms"));
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(prov, "id")))
        snprintf(j->id, sizeof j->id, "%.12s", cJSON_GetObjectItem(prov, "id")->valuestring);
    while (err && *err && (nl = strrchr(err, '\n')) && !nl[1])
        *nl = '\0';
    last = err ? (strrchr(err, '\n') ? strrchr(err, '\n') + 1 : err) : "";
    if (!strncmp(last, "tinysim: ", 9)) /* the line names tinysim and often the model file */
        last += 9;
    if (!strncmp(last, model, strlen(model)) && !strncmp(last + strlen(model), ": ", 2))
        last += strlen(model) + 2;
    snprintf(j->msg, sizeof j->msg, "%s", last);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        j->state = JOB_OK;
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 2 && strstr(j->msg, "does not fit"))
        j->state = JOB_NOFIT;
    else
        j->state = JOB_FAIL;
    if (!WIFEXITED(status))
        snprintf(j->msg, sizeof j->msg, "tinysim bench was killed by signal %d",
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    cJSON_Delete(doc);
    free(out), free(err);
    fclose(j->out), fclose(j->err);
    j->out = j->err = NULL;
}

static const char *state_name(int state)
{
    return state == JOB_OK ? "ok" : state == JOB_NOFIT ? "no fit" : "FAILED";
}

static void model_label(const suite *s, const job *j, char *buf, size_t cap)
{
    const char *b = base_name(s->models[j->model]);
    size_t n = strlen(b);

    snprintf(buf, cap, "%.*s", (int)(n > 7 && !strcmp(b + n - 7, ".tflite") ? n - 7 : n), b);
}

static void print_finished(const suite *s, const job *j, int done, int total)
{
    char model[128], c[32];

    model_label(s, j, model, sizeof model);
    printf("[%*d/%d] %-6s %-24.24s %-14s %-4s", total >= 100 ? 3 : 2, done, total,
           state_name(j->state), model, s->targets[j->target], s->kernels[j->kernels]);
    if (s->sets && cJSON_GetArraySize(cJSON_GetArrayItem(s->sets, j->set)) > 0)
        printf(" set#%d", j->set);
    if (j->state == JOB_OK)
        printf(" %14s cycles %10.3f ms  run %s  (%.2f s)\n",
               fmt_count(c, sizeof c, (uint64_t)j->cycles), j->ms, j->id, j->wall_s);
    else
        printf("  %s\n", j->msg);
}

/* On a terminal: one status line on stderr, redrawn in place. */
static void print_progress(const suite *s, const job *jobs, int n, int done, double t0)
{
    double el = now_s() - t0, left = done ? el / done * (n - done) : 0;
    char model[128] = "";

    for (int i = 0; i < n; i++)
        if (jobs[i].state == JOB_RUNNING) {
            model_label(s, &jobs[i], model, sizeof model);
            snprintf(model + strlen(model), sizeof model - strlen(model), " on %s",
                     s->targets[jobs[i].target]);
            break;
        }
    fprintf(stderr, "\r\033[K%d/%d done, %d:%02d elapsed, ~%d:%02d left  %s", done, n,
            (int)el / 60, (int)el % 60, (int)left / 60, (int)left % 60, model);
    fflush(stderr);
}

static void print_summary(const suite *s, const job *jobs, int n, double wall_s)
{
    int count[JOB_FAIL + 1] = {0};
    char model[128], c[32];

    printf("\nsuite %s: %d runs\n%-24s %-14s %-4s %-3s %14s %10s  %-6s %s\n", s->name, n,
           "model", "target", "kern", "set", "cycles", "ms", "status", "run or reason");
    for (int i = 0; i < n; i++) {
        const job *j = &jobs[i];
        count[j->state]++;
        model_label(s, j, model, sizeof model);
        printf("%-24.24s %-14s %-4s %3d %14s ", model, s->targets[j->target],
               s->kernels[j->kernels], j->set,
               j->state == JOB_OK ? fmt_count(c, sizeof c, (uint64_t)j->cycles) : "-");
        if (j->state == JOB_OK)
            printf("%10.3f  %-6s %s\n", j->ms, state_name(j->state), j->id);
        else
            printf("%10s  %-6s %.90s\n", "-", state_name(j->state), j->msg);
    }
    printf("%d ok, %d do not fit, %d failed in %.1f s\n", count[JOB_OK], count[JOB_NOFIT],
           count[JOB_FAIL], wall_s);
}

/* Runs every job, at most o->jobs at once; returns the number that failed. */
static int run_jobs(const suite *s, const suite_opts *o, job *jobs, int n)
{
    bool tty = isatty(STDERR_FILENO);
    int next = 0, running = 0, done = 0, failed = 0, status;
    double t0 = now_s();

    while (done < n) {
        while (next < n && running < (int)o->jobs) {
            if (start_job(s, o, &jobs[next]))
                running++;
            else
                jobs[next].state = JOB_FAIL, done++,
                snprintf(jobs[next].msg, sizeof jobs[next].msg, "cannot start tinysim bench");
            next++;
        }
        if (tty)
            print_progress(s, jobs, n, done, t0);
        pid_t pid = running ? waitpid(-1, &status, 0) : -1;
        for (int i = 0; pid > 0 && i < n; i++)
            if (jobs[i].state == JOB_RUNNING && jobs[i].pid == pid) {
                collect(&jobs[i], s->models[jobs[i].model], status);
                running--, done++;
                failed += jobs[i].state == JOB_FAIL;
                if (tty)
                    fprintf(stderr, "\r\033[K");
                print_finished(s, &jobs[i], done, n);
                fflush(stdout);
            }
        if (pid < 0 && running)
            break; /* no child left to wait for: cannot happen unless waitpid fails */
    }
    if (tty)
        fprintf(stderr, "\r\033[K");
    print_summary(s, jobs, n, now_s() - t0);
    return failed;
}

int suite_run(const suite_opts *o)
{
    suite s;
    job *jobs = NULL;
    int n = 0, rc;

    memset(&s, 0, sizeof s);
    rc = load_suite(&s, o);
    if (rc == TS_EXIT_OK && !(jobs = expand(&s, &n)))
        rc = cli_usage_error("%s: out of memory", o->file);
    if (rc == TS_EXIT_OK) {
        printf("suite %s: %d runs (%d models x %d targets x %d kernel variants x %d override "
               "sets), %u at once, database %s\n", s.name, n, s.n_models, s.n_targets,
               s.n_kernels, s.sets ? cJSON_GetArraySize(s.sets) : 1, o->jobs,
               o->no_db ? "none (--no-db)" : o->db);
        rc = run_jobs(&s, o, jobs, n) ? TS_EXIT_FAIL : TS_EXIT_OK;
    }
    free(jobs);
    free_suite(&s);
    return rc;
}
