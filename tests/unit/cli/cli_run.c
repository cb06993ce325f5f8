/* cli_run.c: runs the tinysim binary in a child process with stdout/stderr captured to
 * temporary files (test helper; fork/exec so no shell quoting is involved). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* setgroups */
#include "cli_run.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/base/alloc.h"
#include "sim/gen/gen.h"

char *cli_slurp(FILE *f)
{
    long n;
    char *buf;

    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = calloc((size_t)n + 1, 1);
    cr_assert_not_null(buf);
    if (n > 0)
        cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    return buf;
}

/* In the child: stdout, umask and user as env says, then exec; exits 127 on failure. */
static void exec_child(const char *bin, const char *const *argv, const cli_env *env, int out,
                       int err)
{
    int fd = env->stdout_path ? open(env->stdout_path, O_WRONLY) : out;

    if (fd < 0 || dup2(fd, 1) < 0 || dup2(err, 2) < 0)
        _exit(127);
    if (env->umask >= 0)
        umask((mode_t)env->umask);
    if (env->uid >= 0 && (setgroups(0, NULL) != 0 || setgid((gid_t)env->uid) != 0 ||
                          setuid((uid_t)env->uid) != 0))
        _exit(127);
    execvp(bin, (char *const *)argv);
    _exit(127);
}

static const cli_env no_env = {NULL, -1, -1};

/* Runs bin with args in a child set up as env says, stdout/stderr captured. */
static cli_result run_child(const char *bin, const char *const *args, const cli_env *env)
{
    const char *argv[32];
    FILE *out = tmpfile(), *err = tmpfile();
    cli_result r = {-1, NULL, NULL};
    int n = 0, st;
    pid_t pid;

    cr_assert(out && err);
    argv[n++] = bin;
    while (args[n - 1] && n < 31) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    fflush(NULL);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0)
        exec_child(bin, argv, env, fileno(out), fileno(err));
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = cli_slurp(out);
    r.err = cli_slurp(err);
    fclose(out);
    fclose(err);
    return r;
}

static const char *tinysim(void)
{
    const char *bin = getenv("TS_TINYSIM");

    cr_assert_not_null(bin, "TS_TINYSIM is not set (run the suite through ctest)");
    return bin;
}

cli_result cli_run(const char *const *args)
{
    return run_child(tinysim(), args, &no_env);
}

cli_result cli_run_with(const char *const *args, const cli_env *env)
{
    return run_child(tinysim(), args, env);
}

cli_result cli_run_prog(const char *bin, const char *const *args)
{
    return run_child(bin, args, &no_env);
}

void cli_result_free(cli_result *r)
{
    free(r->out);
    free(r->err);
}

const char *shared_model(const char *name, char *buf, size_t size)
{
    const char *dir = getenv("TS_SHARED_DIR");
    struct stat sb;

    if (!dir)
        return NULL;
    snprintf(buf, size, "%s/models/%s", dir, name);
    return stat(buf, &sb) == 0 ? buf : NULL;
}

void cli_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    cr_assert_not_null(f, "cannot create %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

size_t cli_read_file(const char *path, void *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    cr_assert_not_null(f, "cannot open %s", path);
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

const char *cli_gen_model(const char *spec, char *path, size_t cap)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_err err;
    FILE *f;
    int fd;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes(spec, 1, &bytes, &len, &err), TS_OK, "%s", err.msg);
    snprintf(path, cap, "/tmp/ts_model_XXXXXX");
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    f = fdopen(fd, "wb");
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    ts_free(bytes);
    return path;
}

int count_lines(const char *s)
{
    int n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

int count_prefix(const char *text, const char *prefix)
{
    int n = 0;

    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += strncmp(p, prefix, strlen(prefix)) == 0;
    return n;
}

const char *cli_tmp_dir(const char *tag, char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/tinysim-%s-XXXXXX", tag);
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

void cli_remove_dir(const char *dir)
{
    char cmd[160];

    cr_assert_eq(strncmp(dir, "/tmp/tinysim-", 13), 0, "not a test folder: %s", dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
