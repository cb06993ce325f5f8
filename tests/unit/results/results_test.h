/* results_test.h: helpers of the results-store tests: temporary directories and records. */
#ifndef TS_TEST_RESULTS_H
#define TS_TEST_RESULTS_H

#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results/results.h"

/* A new temporary directory; path goes to dir (cap bytes). */
static inline const char *tmp_dir(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/tinysim-results-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

/* A record with provenance, one tag, one override, n_layers layers and metrics. */
static inline ts_res_run *make_run(const char *model, const char *target, const char *tag,
                                   int n_layers, const char *nonce)
{
    ts_res_run *r = ts_res_run_new();
    char name[64];

    cr_assert_not_null(r);
    ts_res_run_set(r, TS_RES_F_created_utc, "2026-12-04T18:00:00.000Z");
    ts_res_run_set(r, TS_RES_F_model_name, model);
    ts_res_run_set(r, TS_RES_F_model_path, model);
    ts_res_run_set(r, TS_RES_F_target, target);
    ts_res_run_set(r, TS_RES_F_kernels, "simd");
    if (tag)
        ts_res_run_add_tag(r, tag);
    ts_res_run_add_override(r, "clock_hz", "80000000");
    ts_res_run_add_metric(r, TS_RES_RUN_LAYER, "cycles", 1000.0 * n_layers);
    for (int i = 0; i < n_layers; i++) {
        ts_res_run_add_layer(r, i, "CONV_2D", "cpu", "simd");
        ts_res_run_add_metric(r, i, "cycles", 1000.0);
        snprintf(name, sizeof name, "region.flash.read_bytes");
        ts_res_run_add_metric(r, i, name, 10.0 * i);
    }
    ts_res_run_make_id(r, nonce);
    return r;
}

/* Number of rows of `sql` (a SELECT count(*)) in the database file path. */
static inline long long count_rows(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long n = -1;

    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Runs sql on the database file path (created if needed). */
static inline void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;

    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg ? msg : "");
    sqlite3_close(db);
}

#endif
