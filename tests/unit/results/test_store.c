/* test_store.c: the store's queries (filters, id prefixes, dedup), schema migration from an
 * older file, merge, and concurrent writers. */
#include "results_test.h"

#include <sys/wait.h>

static ts_results *open_ok(const char *path)
{
    ts_results *db = NULL;
    ts_res_err err = {0};

    cr_assert_eq(ts_results_open(path, 0, &db, &err), TS_RES_OK, "%s", err.msg);
    return db;
}

static void add_ok(ts_results *db, ts_res_run *r, bool want_added)
{
    ts_res_err err = {0};
    bool added = !want_added;

    cr_assert_eq(ts_results_add(db, r, &added, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(added, want_added);
    ts_res_run_free(r);
}

static int count_cb(const ts_res_run *r, void *ctx)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static int count_matching(ts_results *db, ts_res_filter f)
{
    int n = 0;
    ts_res_err err = {0};

    cr_assert_eq(ts_results_each(db, &f, count_cb, &n, NULL, &err), TS_RES_OK, "%s", err.msg);
    return n;
}

Test(store, skips_a_run_whose_id_it_already_holds)
{
    ts_results *db = open_ok(":memory:");
    int64_t n = 0;

    add_ok(db, make_run("kws", "cortex-m4", NULL, 2, "1"), true);
    add_ok(db, make_run("kws", "cortex-m4", NULL, 2, "1"), false);
    cr_assert_eq(ts_results_count(db, &n, NULL), TS_RES_OK);
    cr_assert_eq(n, 1);
    ts_results_close(db);
}

Test(store, filters_runs_by_model_target_tag_and_kernels)
{
    ts_results *db = open_ok(":memory:");

    add_ok(db, make_run("kws", "cortex-m4", "nightly", 1, "1"), true);
    add_ok(db, make_run("kws", "cortex-m7", "nightly", 1, "2"), true);
    add_ok(db, make_run("vww", "cortex-m4", "pr", 1, "3"), true);
    cr_assert_eq(count_matching(db, (ts_res_filter){0}), 3);
    cr_assert_eq(count_matching(db, (ts_res_filter){.model = "kws"}), 2);
    cr_assert_eq(count_matching(db, (ts_res_filter){.target = "cortex-m4"}), 2);
    cr_assert_eq(count_matching(db, (ts_res_filter){.tag = "nightly"}), 2);
    cr_assert_eq(count_matching(db, (ts_res_filter){.model = "kws", .tag = "pr"}), 0);
    cr_assert_eq(count_matching(db, (ts_res_filter){.kernels = "ref"}), 0);
    ts_results_close(db);
}

Test(store, resolves_a_unique_id_prefix_and_reports_an_ambiguous_or_unknown_one)
{
    ts_results *db = open_ok(":memory:");
    ts_res_run *a = make_run("kws", "cortex-m4", NULL, 1, "1");
    ts_res_run *b = make_run("kws", "cortex-m4", NULL, 1, "2");
    char id[TS_RES_ID_BYTES];
    ts_res_err err = {0};

    memcpy(a->id, "abcd0", 5), memcpy(b->id, "abcd1", 5);
    add_ok(db, a, true), add_ok(db, b, true);
    cr_assert_eq(ts_results_find(db, "abcd1", id, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(strncmp(id, "abcd1", 5), 0);
    cr_assert_eq(ts_results_find(db, "abcd", id, &err), TS_RES_AMBIGUOUS);
    cr_assert(strstr(err.msg, "ambiguous (expected 1 match, got 2"), "%s", err.msg);
    err = (ts_res_err){0};
    cr_assert_eq(ts_results_find(db, "abce", id, &err), TS_RES_NOTFOUND);
    err = (ts_res_err){0};
    cr_assert_eq(ts_results_find(db, "ab", id, &err), TS_RES_NOTFOUND);
    cr_assert(strstr(err.msg, "expected 4 to 64"), "%s", err.msg);
    ts_results_close(db);
}

/* The schema of version 1 as tinysim 0.1.0 released it, written here independently of
 * results/schema.sql so that a change to the shipped migration 1 is caught. */
static const char schema_v1[] =
    "CREATE TABLE runs (id TEXT PRIMARY KEY, created_utc TEXT NOT NULL, host TEXT, "
    "tinysim_version TEXT, git_commit TEXT, model_path TEXT, model_name TEXT, model_sha256 TEXT, "
    "target TEXT, target_config TEXT, target_sha256 TEXT, kernels TEXT, rounding TEXT, "
    "input TEXT, cc_version TEXT, firmware_sha256 TEXT, status TEXT);"
    "CREATE TABLE tags (run_id TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (run_id, tag));"
    "CREATE TABLE overrides (run_id TEXT NOT NULL, pos INTEGER NOT NULL, key TEXT NOT NULL, "
    "value TEXT NOT NULL, PRIMARY KEY (run_id, pos));"
    "CREATE TABLE layers (run_id TEXT NOT NULL, layer INTEGER NOT NULL, op TEXT NOT NULL, "
    "unit TEXT, kernels TEXT, PRIMARY KEY (run_id, layer));"
    "CREATE TABLE metrics (run_id TEXT NOT NULL, layer INTEGER NOT NULL, name TEXT NOT NULL, "
    "value REAL NOT NULL, PRIMARY KEY (run_id, layer, name));"
    "INSERT INTO runs (id, created_utc, model_name, target, kernels) VALUES ('0123456789abcdef"
    "0123456789abcdef0123456789abcdef0123456789abcdef', '2026-01-01T00:00:00.000Z', 'kws', "
    "'cortex-m4', 'simd');"
    "INSERT INTO tags VALUES ('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',"
    " 'old');"
    "INSERT INTO metrics VALUES ('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
    "ef', -1, 'cycles', 12345);"
    "PRAGMA user_version = 1; PRAGMA application_id = 1414745426;";

static void write_v1(const char *path)
{
    exec_sql(path, schema_v1);
    cr_assert_eq(count_rows(path, "PRAGMA user_version"), 1);
}

Test(store, migrates_a_version_1_file_and_keeps_its_runs)
{
    char dir[64], path[128], id[TS_RES_ID_BYTES];
    ts_results *db;
    ts_res_run *r = NULL;
    ts_res_err err = {0};
    double cycles = 0;

    snprintf(path, sizeof path, "%s/old.db", tmp_dir(dir, sizeof dir));
    write_v1(path);
    db = open_ok(path);
    cr_assert_eq(ts_results_find(db, "0123", id, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(ts_results_load(db, id, &r, &err), TS_RES_OK, "%s", err.msg);
    cr_assert(ts_res_run_metric(r, -1, "cycles", &cycles));
    cr_assert_eq(cycles, 12345);
    cr_assert_null(r->field[TS_RES_F_suite], "a column added by migration 2 is NULL");
    ts_res_run_free(r);
    add_ok(db, make_run("kws", "cortex-m4", "new", 1, "n"), true);
    ts_results_close(db);
    cr_assert_eq(count_rows(path, "PRAGMA user_version"), ts_results_schema_version());
    cr_assert_gt(ts_results_schema_version(), 1);
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM runs"), 2);
}

Test(store, merges_another_file_adding_new_runs_and_skipping_known_ones)
{
    char dir[64], a[128], b[128], old[128];
    ts_results *da, *db;
    ts_res_err err = {0};
    unsigned added = 99, skipped = 99;

    tmp_dir(dir, sizeof dir);
    snprintf(a, sizeof a, "%s/a.db", dir), snprintf(b, sizeof b, "%s/b.db", dir);
    snprintf(old, sizeof old, "%s/old.db", dir);
    da = open_ok(a), db = open_ok(b);
    add_ok(da, make_run("kws", "cortex-m4", NULL, 1, "1"), true);
    add_ok(da, make_run("kws", "cortex-m4", NULL, 1, "2"), true);
    add_ok(db, make_run("kws", "cortex-m4", NULL, 1, "2"), true);
    add_ok(db, make_run("vww", "cortex-m7", "x", 4, "3"), true);
    ts_results_close(db);
    cr_assert_eq(ts_results_merge(da, b, &added, &skipped, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(added, 1);
    cr_assert_eq(skipped, 1);
    write_v1(old);
    cr_assert_eq(ts_results_merge(da, old, &added, &skipped, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(added, 1);
    cr_assert_eq(skipped, 0);
    cr_assert_eq(count_rows(old, "PRAGMA user_version"), 1, "the other file is left as it was");
    ts_results_close(da);
    cr_assert_eq(count_rows(a, "SELECT count(*) FROM runs"), 4);
    cr_assert_eq(count_rows(a, "SELECT count(*) FROM metrics"), 2 * 3 + 9 + 1);
}

#define N_WRITERS 8
#define RUNS_PER_WRITER 25

static void writer(const char *path, int w)
{
    ts_results *db = NULL;
    ts_res_err err = {0};
    char nonce[32];
    int ok = ts_results_open(path, 0, &db, &err) == TS_RES_OK;

    for (int i = 0; ok && i < RUNS_PER_WRITER; i++) {
        ts_res_run *r;
        snprintf(nonce, sizeof nonce, "%d-%d", w, i);
        r = make_run("kws", "cortex-m4", NULL, 5, nonce);
        ok = ts_results_add(db, r, NULL, &err) == TS_RES_OK;
        ts_res_run_free(r);
    }
    if (!ok)
        fprintf(stderr, "writer %d: %s\n", w, err.msg);
    ts_results_close(db);
    _exit(ok ? 0 : 1);
}

Test(store, loses_nothing_when_eight_processes_write_at_once)
{
    char dir[64], path[128];
    pid_t pid[N_WRITERS];
    int status;

    snprintf(path, sizeof path, "%s/shared.db", tmp_dir(dir, sizeof dir));
    for (int w = 0; w < N_WRITERS; w++) {
        pid[w] = fork();
        cr_assert_geq(pid[w], 0);
        if (pid[w] == 0)
            writer(path, w);
    }
    for (int w = 0; w < N_WRITERS; w++) {
        cr_assert_eq(waitpid(pid[w], &status, 0), pid[w]);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d failed", w);
    }
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM runs"), N_WRITERS * RUNS_PER_WRITER);
    cr_assert_eq(count_rows(path, "SELECT count(*) FROM metrics"),
                 N_WRITERS * RUNS_PER_WRITER * (1 + 2 * 5));
}
