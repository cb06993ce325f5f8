/* test_report_store.c: report runs read from the results store (bench/report_store.c), and
 * `tinysim report --db`: the mapping of stored records (metrics by name, region levels from
 * the recorded target configuration, energy), failed runs left out, id prefixes. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "report_store.h"

/* Region "axi.sram" has a dot in its name, on purpose. */
static const char config[] = "{\"name\": \"m7\", \"memory\": [{\"name\": \"itcm\", \"kind\": "
                             "\"tcm\"}, {\"name\": \"flash\", \"kind\": \"flash\"}, {\"name\": "
                             "\"axi.sram\", \"kind\": \"sram\"}]}";

static void metric(ts_res_run *r, int32_t layer, const char *name, double v)
{
    cr_assert(ts_res_run_add_metric(r, layer, name, v));
}

static ts_res_run *
stored(const char *target, const char *created, double cycles, const char *status)
{
    static unsigned serial;
    ts_res_run *r = ts_res_run_new();
    char nonce[32];

    cr_assert_not_null(r);
    cr_assert(
        ts_res_run_set(r, TS_RES_F_model_name, "kws") &&
        ts_res_run_set(r, TS_RES_F_model_path, "/m/kws.tflite") &&
        ts_res_run_set(r, TS_RES_F_target, target) && ts_res_run_set(r, TS_RES_F_kernels, "simd") &&
        ts_res_run_set(r, TS_RES_F_created_utc, created) &&
        ts_res_run_set(r, TS_RES_F_status, status) &&
        ts_res_run_set(r, TS_RES_F_target_config, config) && ts_res_run_add_tag(r, "nightly"));
    if (!strcmp(status, "ok")) {
        cr_assert(ts_res_run_add_layer(r, 0, "CONV_2D", "cpu", "simd") &&
                  ts_res_run_add_layer(r, 1, "SOFTMAX", "cpu", "simd"));
        metric(r, -1, "cycles", cycles), metric(r, -1, "latency_ms", cycles / 480e3);
        metric(r, -1, "instructions", 900), metric(r, -1, "memory.arena_bytes", 1000);
        metric(r, -1, "region.flash.fetch_accesses", 100);
        metric(r, -1, "region.flash.read_accesses", 20);
        metric(r, -1, "region.flash.read_bytes", 80);
        metric(r, -1, "region.itcm.read_accesses", 7);
        metric(r, -1, "region.axi.sram.write_accesses", 5);
        metric(r, -1, "region.axi.sram.write_bytes", 20);
        metric(r, -1, "energy_uj.core", 2.5), metric(r, -1, "energy_uj.flash", 0.5);
        metric(r, -1, "energy_uj.total", 3.0); /* as bench records it: not a component */
        metric(r, 0, "cycles", cycles * 0.75), metric(r, 0, "region.flash.read_accesses", 3);
        metric(r, 1, "cycles", cycles * 0.25), metric(r, 1, "region.axi.sram.read_accesses", 2);
    }
    snprintf(nonce, sizeof nonce, "test-%u", ++serial);
    ts_res_run_make_id(r, nonce);
    return r;
}

static void add(ts_results *db, ts_res_run *r)
{
    ts_res_err err = {0};
    cr_assert_eq(ts_results_add(db, r, NULL, &err), TS_RES_OK, "%s", err.msg);
    ts_res_run_free(r);
}

static ts_results *store_at(const char *path)
{
    ts_res_err err = {0};
    ts_results *db = NULL;

    cr_assert_eq(ts_results_open(path, 0, &db, &err), TS_RES_OK, "%s", err.msg);
    add(db, stored("cortex-m7", "2026-12-01T10:00:00.000Z", 4000, "ok"));
    add(db, stored("cortex-m3", "2026-12-01T10:00:01.000Z", 0, "model does not fit"));
    add(db, stored("cortex-m7", "2026-12-02T10:00:00.000Z", 3000, "ok"));
    return db;
}

Test(report_store, maps_a_stored_record_to_a_report_run)
{
    ts_results *db = store_at(":memory:");
    ts_res_err err = {0};
    report_set s = {0};
    int failed = -1;

    cr_assert_eq(report_set_add_store(&s, db, &(ts_res_filter){0}, &failed, &err), TS_RES_OK, "%s",
                 err.msg);
    cr_assert_eq(s.n_runs, 2, "the failed run is left out");
    cr_expect_eq(failed, 1);
    const rep_run *r = &s.runs[1];
    cr_expect_str_eq(r->model, "kws");
    cr_expect_str_eq(r->target, "cortex-m7");
    cr_expect_str_eq(r->timestamp, "2026-12-02T10:00:00.000Z");
    cr_expect_eq(strlen(r->id), 64);
    cr_expect_eq(r->cycles, 3000);
    cr_expect_eq(r->instructions, 900);
    cr_expect_eq(r->accesses[REP_LEVEL_FLASH], 120);
    cr_expect_eq(r->bytes[REP_LEVEL_FLASH], 80);
    cr_expect_eq(r->accesses[REP_LEVEL_TCM], 7);
    cr_expect_eq(r->accesses[REP_LEVEL_SRAM], 5, "region axi.sram is SRAM by its kind");
    cr_expect_eq(r->bytes[REP_LEVEL_SRAM], 20);
    cr_expect_eq(r->accesses[REP_LEVEL_LOCAL], 0);
    cr_assert_eq(r->n_layers, 2);
    cr_expect_str_eq(r->layers[1].op, "SOFTMAX");
    cr_expect_eq(r->layers[0].cycles, 2250);
    cr_expect_eq(r->layers[0].accesses[REP_LEVEL_FLASH], 3);
    cr_expect_eq(r->layers[1].accesses[REP_LEVEL_SRAM], 2);
    cr_assert_eq(r->n_energy, 2);
    cr_expect_str_eq(r->energy[0].component, "core");
    cr_expect_float_eq(r->energy[1].uj, 0.5, 1e-12);
    cr_assert_eq(r->n_tags, 1);
    cr_expect_str_eq(r->tags[0], "nightly");
    report_set_free(&s);
    ts_results_close(db);
}

static char *read_text(const char *path)
{
    char *page = calloc(1, 1 << 20);
    cli_read_file(path, page, (1 << 20) - 1);
    return page;
}

static int first_id(const ts_res_run *r, void *ctx)
{
    snprintf(ctx, TS_RES_ID_BYTES, "%s", r->id);
    return 1;
}

static void remove_store(const char *dir, const char *db_path, const char *out)
{
    char p[128];

    unlink(out), unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path), unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path), unlink(p);
    rmdir(dir);
}

Test(report_cli, reads_the_runs_of_the_store_selected_by_id_prefix)
{
    char dir[] = "/tmp/ts_report_XXXXXX", db_path[96], out[96], id[TS_RES_ID_BYTES] = "";
    char prefix[16], *page;
    ts_res_err err = {0};
    ts_results *db;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(db_path, sizeof db_path, "%s/r.db", dir), snprintf(out, sizeof out, "%s/r.html", dir);
    db = store_at(db_path);
    cr_assert_eq(ts_results_each(db, &(ts_res_filter){0}, first_id, id, NULL, &err), TS_RES_OK);
    ts_results_close(db);
    cli_result r = cli_run((const char *[]){"report", "--db", db_path, "-o", out, NULL});
    cr_expect_eq(r.status, 0, "%s", r.err);
    page = read_text(out);
    cr_expect_not_null(strstr(page, "2 runs selected from 2 in the store"));
    cr_expect_not_null(strstr(page, "1 failed run left out"));
    cr_expect_not_null(strstr(page, "data-chart=\"history-1\""), "two cortex-m7 runs");
    cr_expect_not_null(strstr(page, "data-chart=\"energy\""));
    free(page), cli_result_free(&r);
    snprintf(prefix, sizeof prefix, "%.8s", id);
    r = cli_run((const char *[]){"report", "--db", db_path, "--run", prefix, "-o", out, NULL});
    cr_expect_eq(r.status, 0, "%s", r.err);
    page = read_text(out);
    cr_expect_not_null(strstr(page, "1 run selected from 1 in the store"));
    cr_expect_not_null(strstr(page, id), "the selected run's id");
    free(page), cli_result_free(&r);
    remove_store(dir, db_path, out);
}

Test(report_cli, a_missing_store_gives_one_line_and_no_page)
{
    char dir[] = "/tmp/ts_report_XXXXXX", out[96];

    cr_assert_not_null(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/r.html", dir);
    cli_result r =
        cli_run((const char *[]){"report", "--db", "/nonexistent/r.db", "-o", out, NULL});
    cr_expect_eq(r.status, 2);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    cr_expect_not_null(strstr(r.err, "/nonexistent/r.db"), "%s", r.err);
    cr_expect_neq(access(out, F_OK), 0, "no page after an error");
    cli_result_free(&r);
    rmdir(dir);
}
