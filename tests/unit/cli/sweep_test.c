/* sweep_test.c: helpers of the sweep tests (see sweep_test.h). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "tests/unit/results/results_test.h" /* count_rows, exec_sql */
#include "tests/unit/engine/engine_test.h"
#include "sweep_test.h"

void sweep_dir_open(sweep_dir *d, const char *spec_text)
{
    cli_tmp_dir("sweep-test", d->dir, sizeof d->dir);
    snprintf(d->spec, sizeof d->spec, "%s/spec.json", d->dir);
    snprintf(d->db, sizeof d->db, "%s/s.db", d->dir);
    cli_write_text(d->spec, spec_text);
}

void sweep_dir_spec(sweep_dir *d, const char *spec_text)
{
    cli_write_text(d->spec, spec_text);
}

void sweep_dir_close(sweep_dir *d)
{
    cli_remove_dir(d->dir);
}

cli_result sweep_cli(const sweep_dir *d, ...)
{
    const char *argv[24] = {"sweep", d->spec, "--db", d->db};
    int n = 4;
    va_list ap;

    va_start(ap, d);
    for (const char *a = va_arg(ap, const char *); a && n < 23; a = va_arg(ap, const char *))
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return cli_run(argv);
}

void sweep_sql(const sweep_dir *d, const char *sql)
{
    exec_sql(d->db, sql);
}

long long sweep_count(const sweep_dir *d, const char *sql)
{
    return count_rows(d->db, sql);
}

bool sweep_db_exists(const sweep_dir *d)
{
    return access(d->db, F_OK) == 0;
}

/* A listing row starts with 12 hex digits and two spaces. */
static bool is_row(const char *line)
{
    return strspn(line, "0123456789abcdef") == 12 && !strncmp(line + 12, "  ", 2);
}

static void parse_row(const char *line, point_list *p)
{
    char model[64];
    int at = 0, k = p->n;
    const char *rest;

    cr_assert_lt(k, SWEEP_TEST_MAX_POINTS);
    cr_assert_eq(sscanf(line, "%12s %63s %31s %7s %n", p->id[k], model, p->target[k],
                        p->kernels[k], &at), 4, "%s", line);
    rest = line + at;
    rest += !strncmp(rest, "to do", 5) ? 5 : !strncmp(rest, "done", 4) ? 4 : 0;
    rest += strspn(rest, " ");
    snprintf(p->overrides[k], sizeof p->overrides[k], "%.*s", (int)strcspn(rest, "\n"), rest);
    p->n++;
}

void parse_points(const char *out, point_list *p)
{
    memset(p, 0, sizeof *p);
    for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (is_row(l))
            parse_row(l, p);
}

/* The whole file at path (malloc'd; "" when it cannot be opened). */
static char *read_path(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;

    if (!f)
        return calloc(1, 1);
    s = cli_slurp(f);
    fclose(f);
    return s;
}

/* The sweep printed its header line: the points are running. */
static bool has_header(const char *out_path)
{
    char *s = read_path(out_path);
    bool yes = strstr(s, " to run, ") != NULL;

    free(s);
    return yes;
}

/* The child's stdout and stderr are files of the test folder opened for appending, so that
 * reading them meanwhile (through another open file) cannot move the child's writes. */
cli_result sweep_interrupted(const sweep_dir *d, long delay_ms)
{
    const char *bin = getenv("TS_TINYSIM");
    char out[128], err[128];
    cli_result r = {-1, NULL, NULL};
    int st = 0;
    pid_t pid;

    cr_assert_not_null(bin);
    snprintf(out, sizeof out, "%s/int.out", d->dir);
    snprintf(err, sizeof err, "%s/int.err", d->dir);
    fflush(NULL);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        dup2(open(out, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600), 1);
        dup2(open(err, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600), 2);
        execl(bin, bin, "sweep", d->spec, "--db", d->db, "-j", "1", (char *)NULL);
        _exit(127);
    }
    for (int t = 0; t < 3000 && !has_header(out); t++) /* up to 30 s of set-up */
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
    nanosleep(&(struct timespec){delay_ms / 1000, (delay_ms % 1000) * 1000000L}, NULL);
    kill(pid, SIGINT); /* the sweep alone, as `kill -INT PID` would */
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = read_path(out), r.err = read_path(err);
    return r;
}

void sweep_need_firmware(void)
{
    need_target_firmware("cortex-m4");
}

cli_result dry_run(const sweep_dir *d, const char *shard, point_list *p)
{
    cli_result r = shard ? sweep_cli(d, "--dry-run", "--shard", shard, NULL)
                         : sweep_cli(d, "--dry-run", NULL);

    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    parse_points(r.out, p);
    return r;
}
