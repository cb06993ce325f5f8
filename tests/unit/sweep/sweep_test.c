/* sweep_test.c: helpers of the sweep tests (see sweep_test.h). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "tests/unit/results/results_test.h" /* count_rows, exec_sql */
#include "engine_test.h"
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
