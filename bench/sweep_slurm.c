/* sweep_slurm.c: a sweep on Slurm (see sweep_slurm.h): the points list and the two batch
 * scripts, their submission (sbatch run by fork and exec, never through a shell), and the
 * merge of the shard databases. Layer: bench/ (prints; never exits). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "sweep_slurm.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/file.h"
#include "batch.h"
#include "cli.h"
#include "outfiles.h"
#include "record.h"
#include "sbuf.h"

#define JOB_ID_BYTES 32

typedef struct script_paths {
    char exe[SLURM_PATH_BYTES], spec[SLURM_PATH_BYTES], db[SLURM_PATH_BYTES];
    char models[SLURM_PATH_BYTES], dir[SLURM_PATH_BYTES], cwd[SLURM_PATH_BYTES];
    char points[SLURM_PATH_BYTES], array[SLURM_PATH_BYTES], collect[SLURM_PATH_BYTES];
} script_paths;

/* ---- paths ---- */

/* The sweep's name with characters other than letters, digits, '.', '_' and '-' replaced by
 * '_': for file names, job names and the scripts' comments. */
static void safe_name(const sweep *s, char *out, size_t cap)
{
    size_t i;

    for (i = 0; s->name[i] && i + 1 < cap; i++)
        out[i] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
                        s->name[i]) ? s->name[i] : '_';
    out[i] = '\0';
}

int slurm_shard_dir(const sweep *s, const char *opt, const char *db, char *buf, size_t cap)
{
    char name[sizeof s->name];

    safe_name(s, name, sizeof name);
    if (opt && snprintf(buf, cap, "%s", opt) < (int)cap)
        return TS_EXIT_OK;
    if (!opt && snprintf(buf, cap, "%s.shards/%s", db, name) < (int)cap)
        return TS_EXIT_OK;
    return cli_usage_error("sweep: shard folder: path longer than %zu bytes", cap - 1);
}

/* path made absolute: realpath when it exists, else the real path of its folder + its name. */
static int abs_path(const char *path, char *out)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');

    if (realpath(path, real))
        return snprintf(out, SLURM_PATH_BYTES, "%s", real) < SLURM_PATH_BYTES ? 0 : -1;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    if (!realpath(dir, real))
        return -1;
    return snprintf(out, SLURM_PATH_BYTES, "%s/%s", real, slash ? slash + 1 : path) <
                   SLURM_PATH_BYTES ? 0 : -1;
}

/* A path that can go into an #SBATCH line as it is: no white space, quote, '%' (Slurm's
 * file-name patterns) or backslash. */
static bool sbatch_safe(const char *path)
{
    for (const char *c = path; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+,=@:~-",
                    *c))
            return false;
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void slurm_free_paths(char **paths, int n)
{
    for (int i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

static bool is_shard_name(const char *name)
{
    size_t n = strlen(name);

    return n > 9 && !strncmp(name, "shard-", 6) && !strcmp(name + n - 3, ".db");
}

int slurm_shard_files(const char *dir, char ***paths, int *n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int cap = 0;

    *paths = NULL, *n = 0;
    if (!d)
        return errno == ENOENT ? TS_EXIT_OK
                               : (cli_error_line("%s: cannot read: %s", dir, strerror(errno)),
                                  TS_EXIT_FAIL);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if (!is_shard_name(e->d_name))
            continue;
        if (*n == cap) {
            char **g = realloc(*paths, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *g);
            if (!g)
                break;
            *paths = g;
        }
        if (((*paths)[*n] = malloc(len)) == NULL)
            break;
        snprintf((*paths)[(*n)++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (e) {
        slurm_free_paths(*paths, *n), *paths = NULL, *n = 0;
        return cli_error_line("sweep: out of memory listing %s", dir), TS_EXIT_FAIL;
    }
    if (*n)
        qsort(*paths, (size_t)*n, sizeof **paths, by_name);
    return TS_EXIT_OK;
}

/* ---- the files ---- */

/* Appends s as one single-quoted shell word ('...', a quote written '\''). */
static void shell_word(sbuf *b, const char *s)
{
    sbuf_puts(b, " '");
    for (; *s; s++)
        sbuf_puts(b, *s == '\'' ? "'\\''" : (char[]){*s, '\0'});
    sbuf_puts(b, "'");
}

/* The #SBATCH lines both scripts share. */
static void sbatch_common(sbuf *b, const slurm_opts *o, const script_paths *p)
{
    sbuf_printf(b, "#SBATCH --chdir=%s\n", p->cwd);
    if (o->partition)
        sbuf_printf(b, "#SBATCH --partition=%s\n", o->partition);
}

/* "exec 'EXE' sweep 'SPEC' [--models-dir 'DIR']" */
static void command_head(sbuf *b, const script_paths *p)
{
    sbuf_puts(b, "exec");
    shell_word(b, p->exe);
    sbuf_puts(b, " sweep");
    shell_word(b, p->spec);
    if (p->models[0]) {
        sbuf_puts(b, " --models-dir");
        shell_word(b, p->models);
    }
}

static void array_script(sbuf *b, const sweep *s, const slurm_opts *o, const script_paths *p,
                         int n_points, int n_tasks)
{
    char name[sizeof s->name];

    safe_name(s, name, sizeof name);
    sbuf_printf(b, "#!/bin/sh\n# tinysim sweep %s: %d points in %d array tasks, each into its "
                "own store (shard-JOB_TASK.db);\n# written by 'tinysim sweep --slurm'. Submit: "
                "jid=$(sbatch --parsable THIS) && sbatch --dependency=afterany:$jid %s\n",
                name, n_points, n_tasks, p->collect);
    sbuf_printf(b, "#SBATCH --job-name=tinysim-%.40s\n#SBATCH --array=0-%d\n"
                "#SBATCH --cpus-per-task=%u\n#SBATCH --output=%s/slurm-%%A_%%a.out\n",
                name, n_tasks - 1, o->cpus, p->dir);
    sbatch_common(b, o, p);
    if (o->time)
        sbuf_printf(b, "#SBATCH --time=%s\n", o->time);
    command_head(b, p);
    sbuf_printf(b, " --shard env:SLURM_ARRAY_TASK_ID/%d --only-points", n_tasks);
    shell_word(b, p->points);
    sbuf_printf(b, " -j %u", o->cpus);
    for (int i = 0; i < o->n_tags; i++) {
        sbuf_puts(b, " --tag");
        shell_word(b, o->tags[i]);
    }
    sbuf_puts(b, " --db");
    shell_word(b, p->dir);
    sbuf_puts(b, "/shard-\"$SLURM_ARRAY_JOB_ID\"_\"$SLURM_ARRAY_TASK_ID\".db\n");
}

static void collect_script(sbuf *b, const sweep *s, const slurm_opts *o, const script_paths *p)
{
    char name[sizeof s->name];

    safe_name(s, name, sizeof name);
    sbuf_printf(b, "#!/bin/sh\n# tinysim sweep %s: merges the shard databases of %s into the "
                "store %s;\n# written by 'tinysim sweep --slurm', submitted after the array job "
                "(--dependency=afterany:JOB)\n", name, p->dir, p->db);
    sbuf_printf(b, "#SBATCH --job-name=tinysim-%.40s-collect\n#SBATCH --cpus-per-task=1\n"
                "#SBATCH --output=%s/slurm-%%j-collect.out\n", name, p->dir);
    sbatch_common(b, o, p);
    command_head(b, p);
    sbuf_puts(b, " --collect --shard-dir");
    shell_word(b, p->dir);
    sbuf_puts(b, " --db");
    shell_word(b, p->db);
    sbuf_puts(b, "\n");
}

/* The ids of todo[], one per line after a comment; *hash: the first 12 hex digits of its
 * SHA-256. */
static void points_list(sbuf *b, const sweep *s, const int *todo, int n, char hash[13])
{
    char full[TS_SHA256_HEX_BYTES], name[sizeof s->name];

    safe_name(s, name, sizeof name);

    sbuf_printf(b, "# tinysim sweep %s: the %d points to run (point ids, one per line), "
                "written by 'tinysim sweep --slurm'\n", name, n);
    for (int i = 0; i < n; i++)
        sbuf_printf(b, "%s\n", s->points[todo[i]].id);
    ts_sha256_of(b->p ? b->p : "", b->n, full);
    snprintf(hash, 13, "%.12s", full);
}

static int resolve_paths(const slurm_opts *o, script_paths *p)
{
    ssize_t n = readlink("/proc/self/exe", p->exe, sizeof p->exe - 1);
    const char *what = "the executable";

    memset(p->models, 0, sizeof p->models);
    if (n > 0 && (p->exe[n] = '\0', what = o->spec, abs_path(o->spec, p->spec) == 0) &&
        (what = o->db, abs_path(o->db, p->db) == 0) &&
        (what = "the working folder", getcwd(p->cwd, sizeof p->cwd)) &&
        (!o->models_dir || (what = o->models_dir, abs_path(o->models_dir, p->models) == 0))) {
        char dir[SLURM_PATH_BYTES];
        snprintf(dir, sizeof dir, "%s", o->shard_dir);
        if (ts_make_dirs(dir, NULL) != 0 || abs_path(o->shard_dir, p->dir) != 0)
            return cli_usage_error("%s: cannot create the shard folder: %s", o->shard_dir,
                                   strerror(errno));
        if (strlen(p->dir) > 4000)
            return cli_usage_error("%s: shard folder path longer than 4000 bytes", p->dir);
        if (!sbatch_safe(p->dir) || !sbatch_safe(p->cwd))
            return cli_usage_error("sweep: %s: a path with characters other than letters, "
                                   "digits and /._+,=@:~- cannot go into an #SBATCH line "
                                   "(give --shard-dir, or run from another folder)",
                                   sbatch_safe(p->dir) ? p->cwd : p->dir);
        return TS_EXIT_OK;
    }
    return cli_usage_error("sweep: %s: cannot make an absolute path: %s", what,
                           strerror(errno));
}

/* Writes the points list and the scripts (into the shard folder, or o->emit). */
static int write_files(const sweep *s, const slurm_opts *o, script_paths *p, const int *todo,
                       int n, int n_tasks)
{
    sbuf list = {0}, arr = {0}, col = {0};
    outfiles out = {0};
    char hash[13];
    int rc;

    points_list(&list, s, todo, n, hash);
    snprintf(p->points, sizeof p->points, "%.4000s/points-%s.txt", p->dir, hash);
    if (o->emit) {
        snprintf(p->array, sizeof p->array, "%s", o->emit);
        snprintf(p->collect, sizeof p->collect, "%.4080s.collect", o->emit);
    } else {
        snprintf(p->array, sizeof p->array, "%.4000s/array-%s.sbatch", p->dir, hash);
        snprintf(p->collect, sizeof p->collect, "%.4000s/collect-%s.sbatch", p->dir, hash);
    }
    array_script(&arr, s, o, p, n, n_tasks);
    collect_script(&col, s, o, p);
    if (list.oom || arr.oom || col.oom)
        rc = cli_usage_error("sweep: out of memory");
    else if ((rc = outfiles_stage(&out, p->points, NULL, 0, list.p, list.n)) == TS_EXIT_OK &&
             (rc = outfiles_stage(&out, p->array, NULL, 0, arr.p, arr.n)) == TS_EXIT_OK &&
             (rc = outfiles_stage(&out, p->collect, NULL, 0, col.p, col.n)) == TS_EXIT_OK)
        rc = outfiles_commit(&out);
    if (rc != TS_EXIT_OK)
        outfiles_abort(&out);
    sbuf_free(&list), sbuf_free(&arr), sbuf_free(&col);
    return rc;
}

/* ---- sbatch ---- */

/* The last non-empty line of text (cut at its end), "" when none. */
static const char *last_line(char *text)
{
    char *nl;

    if (!text)
        return "";
    while ((nl = strrchr(text, '\n')) != NULL && nl[1] == '\0')
        *nl = '\0';
    return nl ? nl + 1 : text;
}

/* The job id at the start of sbatch --parsable's output ("42" or "42;cluster"). */
static bool parse_job_id(const char *out, char id[JOB_ID_BYTES])
{
    size_t n = strspn(out ? out : "", "0123456789");

    if (n == 0 || n >= JOB_ID_BYTES || (out[n] && !strchr(";\n", out[n])))
        return false;
    snprintf(id, JOB_ID_BYTES, "%.*s", (int)n, out);
    return true;
}

/* Why sbatch failed, as one error line (e: its standard error, o: its output). */
static int sbatch_failed(const char *script, int status, char *o, char *e)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == BATCH_EXEC_FAILED)
        cli_error_line("sweep: cannot run sbatch: %s (is Slurm's client on PATH? --emit-sbatch "
                       "FILE writes the scripts without submitting them)", last_line(e));
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        cli_error_line("sweep: sbatch %s failed (exit status %d): %s", script,
                       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                       last_line(e)[0] ? last_line(e) : "no message");
    else
        cli_error_line("sweep: sbatch %s: expected a job id on its output, got '%.60s'", script,
                       last_line(o));
    return TS_EXIT_FAIL;
}

/* Runs `sbatch --parsable [--dependency=afterany:DEP] SCRIPT` and reads the job id. */
static int sbatch(const char *script, const char *dep, char id[JOB_ID_BYTES])
{
    char dependency[64];
    const char *argv[] = {"sbatch", "--parsable", script, NULL, NULL};
    FILE *out = tmpfile(), *err = tmpfile();
    char *o = NULL, *e = NULL;
    int status = -1, rc = TS_EXIT_FAIL;
    pid_t pid = -1;

    if (dep) {
        snprintf(dependency, sizeof dependency, "--dependency=afterany:%s", dep);
        argv[2] = dependency, argv[3] = script;
    }
    if (out && err)
        pid = batch_spawn_program(argv, out, err);
    if (pid > 0 && waitpid(pid, &status, 0) == pid)
        o = batch_slurp(out), e = batch_slurp(err);
    if (!o || !e)
        cli_error_line("sweep: cannot run sbatch: %s", strerror(errno));
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && parse_job_id(o, id))
        rc = TS_EXIT_OK;
    else
        rc = sbatch_failed(script, status, o, e);
    free(o), free(e);
    if (out)
        fclose(out);
    if (err)
        fclose(err);
    return rc;
}

int slurm_submit(const sweep *s, const slurm_opts *o, const int *todo, int n)
{
    script_paths *p = calloc(1, sizeof *p);
    int n_tasks = n < o->array_max ? n : o->array_max, per = (n + n_tasks - 1) / n_tasks;
    char array_id[JOB_ID_BYTES], collect_id[JOB_ID_BYTES];
    int rc = p ? resolve_paths(o, p) : cli_usage_error("sweep: out of memory");

    if (rc == TS_EXIT_OK)
        rc = write_files(s, o, p, todo, n, n_tasks);
    if (rc == TS_EXIT_OK && o->emit) {
        printf("wrote %s (array job: %d tasks, %d points, at most %d each) and %s (the merge "
               "into %s); submit them with\n  jid=$(sbatch --parsable %s) && sbatch "
               "--dependency=afterany:$jid %s\n", p->array, n_tasks, n, per, p->collect, p->db,
               p->array, p->collect);
    } else if (rc == TS_EXIT_OK && (rc = sbatch(p->array, NULL, array_id)) == TS_EXIT_OK) {
        if ((rc = sbatch(p->collect, array_id, collect_id)) != TS_EXIT_OK)
            cli_error_line("sweep: array job %s was submitted: merge its shards by hand once "
                           "it ends (tinysim sweep %s --collect)", array_id, o->spec);
        else
            printf("submitted array job %s (%d tasks, %d points, at most %d each, %u CPU%s "
                   "each) and collect job %s (after %s ends: merges into %s)\nfiles and logs: "
                   "%s\nfollow with: squeue -j %s,%s\n", array_id, n_tasks, n, per, o->cpus,
                   o->cpus == 1 ? "" : "s", collect_id, array_id, p->db, p->dir, array_id,
                   collect_id);
    }
    free(p);
    return rc;
}

/* ---- collect ---- */

int slurm_collect(const char *dir, ts_results *db)
{
    char **paths;
    int n, rc = slurm_shard_files(dir, &paths, &n);
    unsigned added, skipped, total_added = 0, total_skipped = 0;

    if (rc == TS_EXIT_OK && n == 0)
        rc = cli_usage_error("sweep: --collect: no shard database (shard-*.db) in %s", dir);
    for (int i = 0; i < n; i++) {
        ts_res_err err = {0};
        if (ts_results_merge(db, paths[i], &added, &skipped, &err) != TS_RES_OK) {
            record_report(&err);
            rc = TS_EXIT_FAIL;
            continue;
        }
        printf("%s: %u runs added, %u already in the store\n", paths[i], added, skipped);
        total_added += added, total_skipped += skipped;
    }
    if (n)
        printf("merged %d shard databases: %u runs added, %u already in the store\n", n,
               total_added, total_skipped);
    slurm_free_paths(paths, n);
    return rc;
}
