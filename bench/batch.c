/* batch.c: the file members and the parallel runner shared by `bench --suite` and `sweep`
 * (see batch.h): models, generated models, targets and kernels of the JSON file; child
 * `tinysim bench --json` processes (stdout and stderr to temporary files) that record
 * themselves in the store, progress, one line per finished run, the summary.
 * Layer: bench/ (prints; never exits). */
#define _POSIX_C_SOURCE 200809L
#include "batch.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "cli.h"
#include "fmt.h"
#include "runner.h"
#include "tensor_io.h"
#include "model/model.h"

#define SELF "/proc/self/exe"

static volatile sig_atomic_t stop_signal; /* SIGINT or SIGTERM received during batch_run */
#define SPEC_MAX_BYTES (1 << 20)

double batch_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int batch_bad(const batch_spec *s, const char *where, const char *what)
{
    return cli_usage_error("%s: %s: %s", s->file, where, what);
}

void batch_model_label(const char *path, char *buf, size_t cap)
{
    const char *b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = strlen(b);

    snprintf(buf, cap, "%.*s", (int)(n > 7 && !strcmp(b + n - 7, ".tflite") ? n - 7 : n), b);
}

/* ---- the file ---- */

static int read_json(batch_spec *s)
{
    const char *end = NULL;
    uint8_t *text;
    size_t n;
    int line, col;

    if (tio_read_file(s->file, &text, &n) != TS_EXIT_OK) /* its one line printed */
        return TS_EXIT_BAD_INPUT;
    if (n >= SPEC_MAX_BYTES) {
        ts_free(text);
        return cli_usage_error("%s: %zu bytes (expected a JSON file below %d bytes)", s->file, n,
                               SPEC_MAX_BYTES);
    }
    s->doc = cJSON_ParseWithLengthOpts((const char *)text, n, &end, false);
    if (!s->doc) {
        fmt_text_position((const char *)text, n, end, &line, &col);
        ts_free(text);
        return cli_usage_error("%s: line %d, column %d: not valid JSON", s->file, line, col);
    }
    ts_free(text);
    return TS_EXIT_OK;
}

/* Every member of the document is one of `known`. */
static int check_members(const batch_spec *s, const char *const *known)
{
    const cJSON *it;
    char what[320];

    if (!cJSON_IsObject(s->doc))
        return batch_bad(s, "(top)", "expected a JSON object");
    cJSON_ArrayForEach(it, s->doc) {
        int k = 0;
        while (known[k] && strcmp(known[k], it->string))
            k++;
        if (known[k])
            continue;
        snprintf(what, sizeof what, "unknown member (expected one of");
        for (k = 0; known[k]; k++)
            snprintf(what + strlen(what), sizeof what - strlen(what), " %s", known[k]);
        strncat(what, ")", sizeof what - strlen(what) - 1);
        return batch_bad(s, it->string, what);
    }
    return TS_EXIT_OK;
}

static char *dup_str(const char *s)
{
    char *d = malloc(strlen(s) + 1);

    return d ? strcpy(d, s) : NULL;
}

int batch_string_list(const batch_spec *s, const char *key, const char **out, int *n)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(s->doc, key), *it;

    if (!arr)
        return TS_EXIT_OK;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > BATCH_AXIS_MAX)
        return batch_bad(s, key, "expected an array of at most 64 strings");
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it))
            return batch_bad(s, key, "expected strings");
        out[(*n)++] = it->valuestring;
    }
    return TS_EXIT_OK;
}

/* The model at path (models[i] or generate[i]) loads: a bad file stops the batch early. */
static int check_model(const batch_spec *s, const char *where, const char *path)
{
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    if (ts_model_load_file(path, &m, &err) != TS_OK) {
        char what[TS_ERR_MSG_BYTES + 8];
        snprintf(what, sizeof what, "%s", err.msg);
        return batch_bad(s, where, what);
    }
    ts_model_free(m);
    return TS_EXIT_OK;
}

static int load_models(batch_spec *s, const char *models_dir)
{
    const char *names[BATCH_AXIS_MAX];
    int n = 0, rc = batch_string_list(s, "models", names, &n);
    char path[4096], where[32];

    for (int i = 0; i < n && rc == TS_EXIT_OK; i++) {
        snprintf(where, sizeof where, "models[%d]", i);
        if (names[i][0] == '/')
            snprintf(path, sizeof path, "%s", names[i]);
        else
            snprintf(path, sizeof path, "%s/%s", models_dir, names[i]);
        if (access(path, R_OK) != 0)
            rc = cli_usage_error("%s: %s: %s: cannot read: %s (give --models-dir)", s->file,
                                 where, path, strerror(errno));
        else if ((rc = check_model(s, where, path)) != TS_EXIT_OK)
            break;
        else if (!(s->models[s->n_models++] = dup_str(path)))
            rc = batch_bad(s, where, "out of memory");
    }
    return rc;
}

/* Forks; the child gets out and err as stdout and stderr and runs this executable (prog
 * NULL) or prog, searched in PATH. */
static pid_t spawn(const char *prog, const char *const *argv, FILE *out, FILE *err)
{
    pid_t pid;

    fflush(stdout), fflush(stderr);
    pid = fork();
    if (pid == 0) {
        dup2(fileno(out), STDOUT_FILENO);
        dup2(fileno(err), STDERR_FILENO);
        if (!prog) {
            execv(SELF, (char *const *)argv); /* execv does not modify argv */
            cli_error_line("%s: cannot run: %s", SELF, strerror(errno));
            _exit(TS_EXIT_FAIL);
        }
        execvp(prog, (char *const *)argv);
        fprintf(stderr, "%s\n", strerror(errno));
        _exit(BATCH_EXEC_FAILED);
    }
    return pid;
}

pid_t batch_spawn(const char *const *argv, FILE *out, FILE *err)
{
    return spawn(NULL, argv, out, err);
}

pid_t batch_spawn_program(const char *const *argv, FILE *out, FILE *err)
{
    return spawn(argv[0], argv, out, err);
}

/* Writes one "generate" entry with `tinysim gen` into s->gen_dir. */
static int generate_one(batch_spec *s, int i, const cJSON *g)
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
        return batch_bad(s, where, "expected {\"arch\": ARCH, \"seed\": N}");
    snprintf(seed_s, sizeof seed_s, "%d", seed ? seed->valueint : 1);
    n = snprintf(path, sizeof path, "%s/", s->gen_dir);
    for (const char *c = arch->valuestring; *c && n < 200; c++)
        path[n++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
                           *c) ? *c : '_';
    snprintf(path + n, sizeof path - (size_t)n, "%s%s.tflite", seed ? "-s" : "",
             seed ? seed_s : "");
    argv[0] = "tinysim", argv[1] = "gen", argv[2] = arch->valuestring, argv[3] = "--seed";
    argv[4] = seed_s, argv[5] = "-o", argv[6] = path, argv[7] = NULL;
    if (out && err && (pid = batch_spawn(argv, out, err)) > 0)
        waitpid(pid, &status, 0);
    if (out)
        fclose(out);
    if (err)
        fclose(err);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return batch_bad(s, where, "tinysim gen failed (see 'tinysim gen --list')");
    return (s->models[s->n_models++] = dup_str(path)) ? TS_EXIT_OK
                                                      : batch_bad(s, where, "out of memory");
}

static int generate_models(batch_spec *s)
{
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(s->doc, "generate"), *g;
    int rc = TS_EXIT_OK, i = 0;

    if (!gen)
        return TS_EXIT_OK;
    if (!cJSON_IsArray(gen) || cJSON_GetArraySize(gen) + s->n_models > BATCH_AXIS_MAX)
        return batch_bad(s, "generate", "expected an array of at most 64 {\"arch\": ...} "
                         "objects");
    snprintf(s->gen_dir, sizeof s->gen_dir, "/tmp/tinysim-batch-XXXXXX");
    if (!mkdtemp(s->gen_dir))
        return s->gen_dir[0] = '\0', cli_usage_error("%s: cannot create a temporary folder: %s",
                                                     s->file, strerror(errno));
    cJSON_ArrayForEach(g, gen)
        if (rc == TS_EXIT_OK)
            rc = generate_one(s, i++, g);
    return rc;
}

/* "all" or an array of names; every target is loaded once. */
static int load_targets(batch_spec *s)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(s->doc, "targets");
    const char *names[BATCH_AXIS_MAX];
    char *files[BATCH_AXIS_MAX];
    int n = 0, rc = TS_EXIT_OK;

    if (cJSON_IsString(t) && !strcmp(t->valuestring, "all")) {
        int k = cli_list_json(ts_target_dir(NULL), files, BATCH_AXIS_MAX);
        for (int i = 0; i < k; i++) {
            files[i][strlen(files[i]) - 5] = '\0'; /* NAME.json -> NAME */
            s->targets[s->n_targets++] = files[i];
        }
    } else if ((rc = batch_string_list(s, "targets", names, &n)) == TS_EXIT_OK) {
        for (int i = 0; i < n; i++)
            s->targets[s->n_targets++] = dup_str(names[i]);
    }
    if (rc == TS_EXIT_OK && s->n_targets == 0)
        return batch_bad(s, "targets", "expected \"all\" or a non-empty array of target names");
    if (rc == TS_EXIT_OK && !(s->loaded = calloc((size_t)s->n_targets, sizeof *s->loaded)))
        return batch_bad(s, "targets", "out of memory");
    for (int i = 0; i < s->n_targets && rc == TS_EXIT_OK; i++) {
        ts_err err;
        ts_err_clear(&err);
        if (!s->targets[i] ||
            runner_load_target(s->targets[i], NULL, 0, "bench", &s->loaded[i], &err))
            rc = cli_report(&err);
    }
    return rc;
}

static int load_kernels(batch_spec *s)
{
    int rc = batch_string_list(s, "kernels", s->kernels, &s->n_kernels);

    if (rc == TS_EXIT_OK && s->n_kernels == 0)
        s->kernels[s->n_kernels++] = "auto";
    for (int i = 0; i < s->n_kernels && rc == TS_EXIT_OK; i++)
        if (strcmp(s->kernels[i], "ref") && strcmp(s->kernels[i], "simd") &&
            strcmp(s->kernels[i], "auto"))
            rc = batch_bad(s, "kernels", "expected ref, simd or auto");
    return rc;
}

int batch_spec_load(batch_spec *s, const char *file, const char *models_dir,
                    const char *const *known)
{
    int rc;

    memset(s, 0, sizeof *s);
    s->file = file;
    if ((rc = read_json(s)) != TS_EXIT_OK || (rc = check_members(s, known)) != TS_EXIT_OK ||
        (rc = load_kernels(s)) != TS_EXIT_OK ||
        (rc = load_models(s, models_dir ? models_dir : BATCH_MODELS_DIR)) != TS_EXIT_OK ||
        (rc = generate_models(s)) != TS_EXIT_OK || (rc = load_targets(s)) != TS_EXIT_OK)
        return rc;
    if (s->n_models == 0)
        return batch_bad(s, "models", "expected at least one model (models or generate)");
    return TS_EXIT_OK;
}

void batch_spec_free(batch_spec *s)
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
    free(s->loaded);
    cJSON_Delete(s->doc);
    memset(s, 0, sizeof *s);
}

bool batch_kernels_apply(const batch_spec *s, int k, int t)
{
    return strcmp(s->kernels[k], "simd") != 0 || s->loaded[t].has_dsp;
}

/* ---- running ---- */

static int start_job(const batch_opts *o, batch_job *j)
{
    const char *argv[BATCH_ARGV_MAX];

    o->argv_of(j, argv, o->ctx);
    j->out = tmpfile(), j->err = tmpfile();
    j->start_s = batch_now_s();
    j->pid = j->out && j->err ? batch_spawn(argv, j->out, j->err) : -1;
    j->state = BATCH_RUNNING;
    if (j->pid > 0)
        return 1;
    if (j->out)
        fclose(j->out);
    if (j->err)
        fclose(j->err);
    j->out = j->err = NULL;
    return 0;
}

char *batch_slurp(FILE *f)
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

/* The last line of a child's stderr without "tinysim: " and the model path in front. */
static void last_error_line(char *err, const char *model, char *out, size_t cap)
{
    const char *last;
    char *nl;

    while (err && *err && (nl = strrchr(err, '\n')) && !nl[1])
        *nl = '\0';
    last = err ? (strrchr(err, '\n') ? strrchr(err, '\n') + 1 : err) : "";
    if (!strncmp(last, "tinysim: ", 9)) /* the line names tinysim and often the model file */
        last += 9;
    if (!strncmp(last, model, strlen(model)) && !strncmp(last + strlen(model), ": ", 2))
        last += strlen(model) + 2;
    snprintf(out, cap, "%s", last);
}

/* Reads a finished job's report (cycles, latency, run id) or its last error line. */
static void collect(batch_job *j, int status)
{
    char *out = batch_slurp(j->out), *err = batch_slurp(j->err);
    cJSON *doc = out ? cJSON_Parse(out) : NULL, *tot, *prov;

    j->wall_s = batch_now_s() - j->start_s;
    tot = cJSON_GetObjectItemCaseSensitive(doc, "totals");
    prov = cJSON_GetObjectItemCaseSensitive(doc, "provenance");
    j->cycles = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(tot, "cycles"));
    j->ms = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(tot, "latency_ms"));
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(prov, "id")))
        snprintf(j->id, sizeof j->id, "%.12s", cJSON_GetObjectItem(prov, "id")->valuestring);
    last_error_line(err, j->model, j->msg, sizeof j->msg);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        j->state = BATCH_OK;
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 2 && strstr(j->msg, "does not fit"))
        j->state = BATCH_NOFIT;
    else
        j->state = stop_signal ? BATCH_CANCELLED : BATCH_FAIL;
    if (j->state == BATCH_CANCELLED)
        snprintf(j->msg, sizeof j->msg, "interrupted");
    else if (!WIFEXITED(status))
        snprintf(j->msg, sizeof j->msg, "tinysim bench was killed by signal %d",
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    else if (j->state == BATCH_FAIL && !j->msg[0])
        snprintf(j->msg, sizeof j->msg, "tinysim bench exited with status %d",
                 WEXITSTATUS(status));
    cJSON_Delete(doc);
    free(out), free(err);
    fclose(j->out), fclose(j->err);
    j->out = j->err = NULL;
}

static const char *state_name(int state)
{
    return state == BATCH_OK ? "ok" : state == BATCH_NOFIT ? "no fit"
           : state == BATCH_FAIL ? "FAILED" : "cancel";
}

static void print_finished(const batch_job *j, int done, int total)
{
    char model[128], c[32];

    batch_model_label(j->model, model, sizeof model);
    printf("[%*d/%d] %-6s %-24.24s %-14s %-4s", total >= 100 ? 3 : 2, done, total,
           state_name(j->state), model, j->target, j->kernels);
    if (j->detail && j->detail[0])
        printf(" %s", j->detail);
    if (j->state == BATCH_OK)
        printf(" %14s cycles %10.3f ms  run %s  (%.2f s)\n",
               fmt_count(c, sizeof c, (uint64_t)j->cycles), j->ms, j->id, j->wall_s);
    else
        printf("  %s\n", j->msg);
}

/* On a terminal: one status line on stderr, redrawn in place. */
static void print_progress(const batch_job *jobs, int n, int done, double t0)
{
    double el = batch_now_s() - t0, left = done ? el / done * (n - done) : 0;
    char model[128] = "";

    for (int i = 0; i < n; i++)
        if (jobs[i].state == BATCH_RUNNING) {
            batch_model_label(jobs[i].model, model, sizeof model);
            snprintf(model + strlen(model), sizeof model - strlen(model), " on %s",
                     jobs[i].target);
            break;
        }
    fprintf(stderr, "\r\033[K%d/%d done, %.2f runs/s, %d:%02d elapsed, ~%d:%02d left  %s", done,
            n, el > 0 ? done / el : 0.0, (int)el / 60, (int)el % 60, (int)left / 60,
            (int)left % 60, model);
    fflush(stderr);
}

static void print_summary(const batch_opts *o, const batch_job *jobs, int n, double wall_s)
{
    int count[BATCH_CANCELLED + 1] = {0};
    char model[128], c[32];

    for (int i = 0; i < n; i++)
        count[jobs[i].state]++;
    printf("\n%s: %d runs\n", o->title, n);
    if (!o->failures_only || count[BATCH_FAIL] > 0)
        printf("%-24s %-14s %-4s %-*s %14s %10s  %-6s %s\n", "model", "target", "kern",
               o->column_width, o->column_head, "cycles", "ms", "status", "run or reason");
    for (int i = 0; i < n; i++) {
        const batch_job *j = &jobs[i];
        if (o->failures_only && j->state != BATCH_FAIL)
            continue;
        batch_model_label(j->model, model, sizeof model);
        printf("%-24.24s %-14s %-4s %-*.*s %14s ", model, j->target, j->kernels,
               o->column_width, o->column_width, j->column,
               j->state == BATCH_OK ? fmt_count(c, sizeof c, (uint64_t)j->cycles) : "-");
        if (j->state == BATCH_OK)
            printf("%10.3f  %-6s %s\n", j->ms, state_name(j->state), j->id);
        else
            printf("%10s  %-6s %.90s\n", "-", state_name(j->state), j->msg);
    }
    printf("%d ok, %d do not fit, %d failed", count[BATCH_OK], count[BATCH_NOFIT],
           count[BATCH_FAIL]);
    if (stop_signal)
        printf(", %d not run (interrupted)", count[BATCH_PENDING] + count[BATCH_CANCELLED]);
    printf(" in %.1f s\n", wall_s);
}

/* Job `pid` finished: collects it, reports it; returns 1 when it failed. */
static int finish(const batch_opts *o, batch_job *jobs, int n, pid_t pid, int status, int done,
                  bool tty)
{
    for (int i = 0; i < n; i++) {
        batch_job *j = &jobs[i];
        if (j->state != BATCH_RUNNING || j->pid != pid)
            continue;
        collect(j, status);
        if (o->finished)
            o->finished(j, o->ctx);
        if (tty)
            fprintf(stderr, "\r\033[K");
        print_finished(j, done, n);
        fflush(stdout);
        return j->state == BATCH_FAIL;
    }
    return 0;
}

static void on_stop(int sig)
{
    stop_signal = sig;
}

int batch_interrupted(void)
{
    return stop_signal;
}

/* Interrupted: the running children are asked to stop. */
static void cancel_running(const batch_job *jobs, int n)
{
    for (int i = 0; i < n; i++)
        if (jobs[i].state == BATCH_RUNNING)
            kill(jobs[i].pid, SIGTERM);
}

int batch_run(batch_job *jobs, int n, const batch_opts *o)
{
    bool tty = isatty(STDERR_FILENO), cancelled = false;
    int next = 0, running = 0, done = 0, failed = 0, status;
    double t0 = batch_now_s();
    struct sigaction sa = {0}, old_int, old_term;

    stop_signal = 0;
    sa.sa_handler = on_stop; /* no SA_RESTART: waitpid returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int), sigaction(SIGTERM, &sa, &old_term);
    while (done < n && !(stop_signal && running == 0)) {
        if (stop_signal && !cancelled)
            cancel_running(jobs, n), cancelled = true;
        while (!stop_signal && next < n && running < (int)o->jobs) {
            batch_job *j = &jobs[next++];
            if (start_job(o, j)) {
                running++;
                continue;
            }
            j->state = BATCH_FAIL, done++, failed++;
            snprintf(j->msg, sizeof j->msg, "cannot start tinysim bench");
            if (o->finished)
                o->finished(j, o->ctx);
            print_finished(j, done, n);
        }
        if (tty)
            print_progress(jobs, n, done, t0);
        pid_t pid = running ? waitpid(-1, &status, 0) : -1;
        if (pid > 0) {
            running--, done++;
            failed += finish(o, jobs, n, pid, status, done, tty);
        } else if (running && errno != EINTR) {
            break; /* no child left to wait for: cannot happen unless waitpid fails */
        }
    }
    sigaction(SIGINT, &old_int, NULL), sigaction(SIGTERM, &old_term, NULL);
    if (tty)
        fprintf(stderr, "\r\033[K");
    print_summary(o, jobs, n, batch_now_s() - t0);
    return failed;
}
