/* cli_run.c: runs the tinysim binary in a child process with stdout/stderr captured to
 * temporary files (test helper; fork/exec so no shell quoting is involved). */
#define _POSIX_C_SOURCE 200809L
#include "cli_run.h"

#include <criterion/criterion.h>
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

cli_result cli_run(const char *const *args)
{
    const char *bin = getenv("TS_TINYSIM");
    const char *argv[32];
    FILE *out = tmpfile(), *err = tmpfile();
    cli_result r = {-1, NULL, NULL};
    int n = 0, st;
    pid_t pid;

    cr_assert_not_null(bin, "TS_TINYSIM is not set (run the suite through ctest)");
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
    if (pid == 0) {
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = cli_slurp(out);
    r.err = cli_slurp(err);
    fclose(out);
    fclose(err);
    return r;
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

void cli_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
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
