/* test_store_failures.c: what the store does with a writer killed mid-transaction, a database
 * from a newer tinysim, a corrupt or foreign file, a path it cannot open, and a full disk:
 * one error line naming the file, and nothing partial or lost. */
#include "results_test.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <sys/wait.h>

static ts_res_status open_status(const char *path, ts_res_err *err)
{
    ts_results *db = NULL;
    ts_res_status s = ts_results_open(path, 0, &db, err);

    cr_assert_eq(s == TS_RES_OK, db != NULL, "the handle is set only on success");
    ts_results_close(db);
    return s;
}

static int kill_fd = -1;

/* Test hook: tells the parent where the writer is, then waits to be killed. */
static void pause_at(int step, void *ctx)
{
    int want = *(int *)ctx;

    if (step == want) {
        char c = (char)step;
        cr_assert_eq(write(kill_fd, &c, 1), 1);
        for (;;)
            pause();
    }
}

static void kill_writer_at(int step)
{
    char dir[64], path[128], c;
    int fds[2], status;
    pid_t pid;
    ts_results *db;
    ts_res_err err = {0};

    snprintf(path, sizeof path, "%s/k.db", tmp_dir(dir, sizeof dir));
    cr_assert_eq(ts_results_open(path, 0, &db, &err), TS_RES_OK, "%s", err.msg);
    ts_results_close(db);
    cr_assert_eq(pipe(fds), 0);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        ts_res_run *r = make_run("kws", "cortex-m4", "t", 40, "k");
        kill_fd = fds[1];
        cr_assert_eq(ts_results_open(path, 0, &db, &err), TS_RES_OK);
        ts_results_set_test_hook(db, pause_at, &step);
        ts_results_add(db, r, NULL, &err);
        _exit(3); /* not reached: the hook never returns */
    }
    cr_assert_eq(read(fds[0], &c, 1), 1, "the writer reached step %d", step);
    cr_assert_eq(kill(pid, SIGKILL), 0);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    cr_assert_eq(ts_results_open(path, 0, &db, &err), TS_RES_OK, "%s", err.msg);
    {
        ts_res_run *r = make_run("kws", "cortex-m4", NULL, 1, "after");
        cr_assert_eq(ts_results_add(db, r, NULL, &err), TS_RES_OK, "%s", err.msg);
        ts_res_run_free(r);
    }
    ts_results_close(db);
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM runs"), 1, "only the later run");
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM metrics"), 3);
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM layers"), 1);
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM tags"), 0);
}

Test(store_failures, leaves_no_trace_of_a_writer_killed_after_its_run_row)
{
    kill_writer_at(1);
}

Test(store_failures, leaves_no_trace_of_a_writer_killed_after_its_layers)
{
    kill_writer_at(2);
}

Test(store_failures, leaves_no_trace_of_a_writer_killed_halfway_through_its_metrics)
{
    kill_writer_at(3);
}

Test(store_failures, refuses_a_database_from_a_newer_tinysim_and_leaves_it_alone)
{
    char dir[64], path[128];
    ts_res_err err = {0};

    snprintf(path, sizeof path, "%s/new.db", tmp_dir(dir, sizeof dir));
    exec_sql(path, "CREATE TABLE runs (id TEXT, future TEXT); PRAGMA user_version = 99; "
                   "PRAGMA application_id = 1414745426;");
    cr_assert_eq(open_status(path, &err), TS_RES_NEWER);
    cr_assert(strstr(err.msg, path) == err.msg, "%s", err.msg);
    cr_assert(strstr(err.msg, "schema version 99 is newer than this tinysim knows (expected at "
                              "most "), "%s", err.msg);
    cr_assert_eq(count_rows(path, "PRAGMA user_version"), 99);
}

Test(store_failures, refuses_a_file_that_is_not_a_database)
{
    char dir[64], path[128], junk[8192];
    ts_res_err err = {0};
    FILE *f;

    snprintf(path, sizeof path, "%s/junk.db", tmp_dir(dir, sizeof dir));
    memset(junk, 'x', sizeof junk);
    f = fopen(path, "wb");
    cr_assert_eq(fwrite(junk, 1, sizeof junk, f), sizeof junk);
    fclose(f);
    cr_assert_eq(open_status(path, &err), TS_RES_NOTDB);
    cr_assert(strstr(err.msg, ": not a tinysim results database (sqlite: file is not a "
                              "database)"), "%s", err.msg);
}

Test(store_failures, refuses_another_programs_sqlite_database)
{
    char dir[64], path[128];
    ts_res_err err = {0};

    snprintf(path, sizeof path, "%s/other.db", tmp_dir(dir, sizeof dir));
    exec_sql(path, "CREATE TABLE contacts (name TEXT);");
    cr_assert_eq(open_status(path, &err), TS_RES_NOTDB);
    cr_assert(strstr(err.msg, "not a tinysim results database (application_id 0x00000000 with "
                              "1 tables, expected 0x54534d52)"), "%s", err.msg);
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM sqlite_master"), 1, "left unchanged");
}

Test(store_failures, reports_a_path_it_cannot_create)
{
    ts_res_err err = {0};

    cr_assert_eq(open_status("/proc/no-such-dir/results.db", &err), TS_RES_OPEN);
    cr_assert(strstr(err.msg, "/proc/no-such-dir/results.db: cannot open: "), "%s", err.msg);
}

/* The child records a run larger than the file-size limit allows (RLIMIT_FSIZE with SIGXFSZ
 * ignored, so writes fail with EFBIG as on a full disk). */
static void write_past_limit(const char *path, rlim_t limit)
{
    struct rlimit rl = {limit, limit};
    ts_results *db = NULL;
    ts_res_err err = {0};
    ts_res_run *r = make_run("kws", "cortex-m4", NULL, 3000, "big");
    ts_res_status s;

    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0 || ts_results_open(path, 0, &db, &err) != TS_RES_OK)
        _exit(10);
    s = ts_results_add(db, r, NULL, &err);
    fprintf(stderr, "%s\n", err.msg);
    _exit(s == TS_RES_WRITE && strstr(err.msg, path) == err.msg &&
                  strstr(err.msg, "cannot record the run")
              ? 0 : 11);
}

Test(store_failures, fails_cleanly_on_a_full_disk_and_keeps_earlier_runs)
{
    char dir[64], path[128];
    struct stat sb;
    ts_results *db;
    ts_res_err err = {0};
    ts_res_run *r = make_run("kws", "cortex-m4", NULL, 2, "early");
    int status;
    pid_t pid;

    snprintf(path, sizeof path, "%s/full.db", tmp_dir(dir, sizeof dir));
    cr_assert_eq(ts_results_open(path, 0, &db, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(ts_results_add(db, r, NULL, &err), TS_RES_OK, "%s", err.msg);
    ts_results_close(db); /* checkpoints the WAL into the main file */
    cr_assert_eq(stat(path, &sb), 0);
    pid = fork();
    if (pid == 0)
        write_past_limit(path, (rlim_t)sb.st_size);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM runs"), 1);
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM metrics"), 5);
    ts_res_run_free(r);
}
