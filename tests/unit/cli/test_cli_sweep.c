/* test_cli_sweep.c: `tinysim sweep`: the stable order and ids of the points (the same spec,
 * or its members reordered, gives the same ids; an id is the documented hash of what the run
 * records), resuming (only missing points run), a failed point recorded and the others run,
 * validation (one line per error, exit 2, nothing run), --dry-run, --shard partitions, and
 * the Pareto front of `sweep --pareto` and `results pareto`. Small generated models only. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "results/results.h"
#include "sweep_test.h"

/* hello_world on cortex-m4: 3 clocks x 2 flash wait-state settings, plus one explicit point. */
static const char spec_a[] =
    "{\"name\": \"t\", \"generate\": [{\"arch\": \"hello_world\"}], \"targets\": "
    "[\"cortex-m4\"], \"grid\": {\"memory[0].wait_states\": [0, 5], \"clock_hz\": {\"from\": "
    "40000000, \"to\": 120000000, \"step\": 40000000}}, \"points\": [{\"clock_hz\": "
    "200000000}]}";

/* The same sweep written differently: members and grid keys in another order, the range as a
 * list, another name. */
static const char spec_b[] =
    "{\"points\": [{\"clock_hz\": 200000000}], \"grid\": {\"clock_hz\": [40000000, 80000000, "
    "120000000], \"memory[0].wait_states\": [0, 5]}, \"targets\": [\"cortex-m4\"], "
    "\"generate\": [{\"seed\": 1, \"arch\": \"hello_world\"}], \"name\": \"other\"}";

Test(cli_sweep, the_same_spec_gives_the_same_points_in_the_same_order_with_the_same_ids)
{
    sweep_dir d;
    point_list a, a2, b;
    cli_result r;

    sweep_dir_open(&d, spec_a);
    r = dry_run(&d, NULL, &a);
    cr_assert_eq(a.n, 7, "%s", r.out);
    cr_assert(strstr(r.out, "7 points: 0 done, 7 to run (dry run: nothing ran)"), "%s", r.out);
    /* grid keys in name order, the last varying fastest; explicit points after the grid */
    cr_assert_str_eq(a.overrides[0], "clock_hz=40000000 memory[0].wait_states=0");
    cr_assert_str_eq(a.overrides[1], "clock_hz=40000000 memory[0].wait_states=5");
    cr_assert_str_eq(a.overrides[2], "clock_hz=80000000 memory[0].wait_states=0");
    cr_assert_str_eq(a.overrides[5], "clock_hz=120000000 memory[0].wait_states=5");
    cr_assert_str_eq(a.overrides[6], "clock_hz=200000000");
    for (int i = 0; i < a.n; i++)
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(a.id[i], a.id[j], "points %d and %d share an id", i, j);
    cli_result_free(&r);
    r = dry_run(&d, NULL, &a2);
    cli_result_free(&r);
    sweep_dir_spec(&d, spec_b);
    r = dry_run(&d, NULL, &b);
    cr_assert_eq(a2.n, 7);
    cr_assert_eq(b.n, 7);
    for (int i = 0; i < 7; i++) {
        cr_expect_str_eq(a.id[i], a2.id[i], "point %d: id changed between two runs", i);
        cr_expect_str_eq(a.id[i], b.id[i], "point %d: id changed with the member order", i);
    }
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_sweep, kernels_resolve_per_target_and_repeated_points_are_dropped)
{
    sweep_dir d;
    point_list p;
    cli_result r;

    /* cortex-m4 has DSP: auto = simd (so simd repeats it), ref; cortex-m0plus: auto = ref
     * (ref repeats it), simd not run */
    sweep_dir_open(&d, "{\"generate\": [{\"arch\": \"hello_world\"}], \"targets\": "
                       "[\"cortex-m4\", \"cortex-m0plus\"], \"kernels\": [\"auto\", \"simd\", "
                       "\"ref\"]}");
    r = dry_run(&d, NULL, &p);
    cr_assert_eq(p.n, 3, "%s", r.out);
    cr_assert(strstr(r.out, "2 duplicates dropped"), "%s", r.out);
    cr_assert_str_eq(p.kernels[0], "simd");
    cr_assert_str_eq(p.target[0], "cortex-m4");
    cr_assert_str_eq(p.kernels[1], "ref");
    cr_assert_str_eq(p.target[1], "cortex-m4");
    cr_assert_str_eq(p.kernels[2], "ref");
    cr_assert_str_eq(p.target[2], "cortex-m0plus");
    cli_result_free(&r);
    sweep_dir_close(&d);
}

/* Every recorded run carries the id sweep.h documents, computed here from the run's own
 * provenance fields. */
static void check_recorded_ids(const char *db_path, int expect_runs)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = 0;

    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT sweep_point, model_sha256, target_sha256, "
                                        "kernels, suite FROM runs", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char text[512], id[TS_SHA256_HEX_BYTES];
        snprintf(text, sizeof text, "tinysim sweep point v1\n%s\n%s\n%s\n",
                 sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                 sqlite3_column_text(st, 3));
        ts_sha256_of(text, strlen(text), id);
        cr_expect_str_eq((const char *)sqlite3_column_text(st, 0), id);
        cr_expect_str_eq((const char *)sqlite3_column_text(st, 4), "t", "the sweep's name");
        n++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    cr_assert_eq(n, expect_runs);
}

Test(cli_sweep, a_rerun_runs_only_the_points_the_store_lacks)
{
    sweep_dir d;
    cli_result r;

    sweep_need_firmware();
    sweep_dir_open(&d, spec_a);
    r = sweep_cli(&d, "-j", "2", NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert_eq(count_prefix(r.out, "["), 7, "one line per point: %s", r.out);
    cr_assert(strstr(r.out, "7 ok, 0 do not fit, 0 failed"), "%s", r.out);
    check_recorded_ids(d.db, 7);
    cli_result_free(&r);
    /* as if the sweep had been cancelled before these three points were recorded */
    sweep_sql(&d, "DELETE FROM runs WHERE id IN (SELECT id FROM runs ORDER BY sweep_point "
                  "LIMIT 3)");
    r = sweep_cli(&d, "-j", "2", NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "4 already in the store, 3 to run"), "%s", r.out);
    cr_assert_eq(count_prefix(r.out, "["), 3, "only the missing points ran: %s", r.out);
    cr_assert_eq(sweep_count(&d, "SELECT count(DISTINCT sweep_point) FROM runs"), 7);
    cr_assert_eq(sweep_count(&d, "SELECT count(*) FROM runs"), 7);
    cli_result_free(&r);
    r = sweep_cli(&d, NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "nothing to run: every point is in the store"), "%s", r.out);
    cr_assert_eq(count_prefix(r.out, "["), 0);
    cli_result_free(&r);
    r = sweep_cli(&d, "--dry-run", NULL);
    cr_assert(strstr(r.out, "7 points: 7 done, 0 to run"), "%s", r.out);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_sweep, an_interrupted_sweep_stops_cleanly_and_the_rerun_runs_the_rest)
{
    sweep_dir d;
    cli_result r;
    long long n_done;

    sweep_need_firmware();
    /* 6 points of DS-CNN with plain C kernels, one at a time: about 0.2 s each here, so the
     * signal 0.3 s after the points started comes in the middle */
    sweep_dir_open(&d, "{\"name\": \"t\", \"generate\": [{\"arch\": \"ds_cnn\"}], "
                       "\"targets\": [\"cortex-m4\"], \"kernels\": [\"ref\"], \"grid\": "
                       "{\"clock_hz\": {\"from\": 20000000, \"to\": 120000000, \"step\": "
                       "20000000}}}");
    r = sweep_interrupted(&d, 300);
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert(strstr(r.err, "interrupted (signal 2): the same command runs the points left"),
              "%s", r.err);
    cr_assert(strstr(r.out, "not run (interrupted)"), "%s", r.out);
    n_done = sweep_count(&d, "SELECT count(*) FROM runs");
    cr_assert_lt(n_done, 6, "the signal came after the sweep ended: %s", r.out);
    cr_assert_eq(sweep_count(&d, "SELECT count(*) FROM runs WHERE status != 'ok'"), 0,
                 "an interrupted point is not recorded as failed");
    cli_result_free(&r);
    r = sweep_cli(&d, NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert_eq(count_prefix(r.out, "["), 6 - (int)n_done, "%s", r.out);
    cr_assert_eq(sweep_count(&d, "SELECT count(DISTINCT sweep_point) FROM runs"), 6);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_sweep, a_failed_point_is_recorded_as_failed_and_the_others_run)
{
    sweep_dir d;
    cli_result r;

    sweep_need_firmware();
    /* the target file validates with 1024 ALU lanes in 256 bytes of local memory, but the
     * DSP unit refuses it when it is placed (no tile of one vector fits): a run-time failure */
    sweep_dir_open(&d, "{\"name\": \"t\", \"generate\": [{\"arch\": \"hello_world\"}], "
                       "\"targets\": [\"cortex-m4-dsp\"], \"grid\": {\"units.dsp.alu_lanes\": "
                       "[8, 1024], \"units.dsp.local_memory_bytes\": [256]}}");
    r = sweep_cli(&d, "-j", "2", NULL);
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "1 ok, 0 do not fit, 1 failed"), "%s", r.out);
    cr_assert_eq(sweep_count(&d, "SELECT count(*) FROM runs WHERE status = 'ok'"), 1);
    cr_assert_eq(sweep_count(&d, "SELECT count(*) FROM runs WHERE status LIKE "
                                 "'%local_memory_bytes%' AND sweep_point IS NOT NULL AND "
                                 "target_sha256 IS NOT NULL"), 1);
    check_recorded_ids(d.db, 2);
    cli_result_free(&r);
    r = sweep_cli(&d, NULL);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.out, "1 already in the store, 1 to run"), "a failed point runs again: %s",
              r.out);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_sweep, the_shipped_example_expands_without_error)
{
    char path[512];
    cli_result r;

    snprintf(path, sizeof path, "%s/bench/sweeps/example.json", getenv("TS_SOURCE_DIR"));
    r = cli_run((const char *[]){"sweep", path, "--dry-run", "--db", "/nonexistent/x.db", NULL});
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    /* 2 models x 2 kernel variants x 3 clocks x 2 wait-state settings x 3 SRAM sizes */
    cr_assert(strstr(r.out, "72 points: 0 done, 72 to run"), "%s", r.out);
    cli_result_free(&r);
}

/* bench/sweeps/systolic.json on the MLPerf Tiny models of ../shared (skipped without them). */
Test(cli_sweep, the_shipped_systolic_sweep_expands_without_error)
{
    const char *shared = getenv("TS_SHARED_DIR");
    char path[512], models[512], vww[600];
    cli_result r;

    snprintf(models, sizeof models, "%s/models", shared ? shared : "");
    snprintf(vww, sizeof vww, "%s/vww_mobilenetv1_int8.tflite", models);
    if (!shared || access(vww, R_OK) != 0)
        cr_skip_test("%s not found: the systolic sweep's expansion is not checked", vww);
    snprintf(path, sizeof path, "%s/bench/sweeps/systolic.json", getenv("TS_SOURCE_DIR"));
    r = cli_run((const char *[]){"sweep", path, "--dry-run", "--db", "/nonexistent/x.db",
                                 "--models-dir", models, NULL});
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    /* 2 models x (3 rows x 3 cols x 3 dataflows x 3 ifmap x 3 filter buffer sizes) */
    cr_assert(strstr(r.out, "486 points: 0 done, 486 to run"), "%s", r.out);
    cli_result_free(&r);
}

static void expect_error(const char *spec, const char *line, const char *models_dir)
{
    sweep_dir d;
    cli_result r;

    sweep_dir_open(&d, spec);
    r = models_dir ? sweep_cli(&d, "--models-dir", models_dir, NULL) : sweep_cli(&d, NULL);
    cr_expect_eq(r.status, 2, "%s", spec);
    cr_expect(strstr(r.err, line) != NULL, "expected \"%s\" in:\n%s", line, r.err);
    cr_expect_eq(count_lines(r.err), 1, "one line: %s", r.err);
    cr_expect_eq(strncmp(r.err, "tinysim: ", 9), 0, "%s", r.err);
    cr_expect_str_eq(r.out, "", "nothing listed or run");
    cr_expect(!sweep_db_exists(&d), "no store was written");
    cli_result_free(&r);
    sweep_dir_close(&d);
}

#define HELLO "\"generate\": [{\"arch\": \"hello_world\"}], \"targets\": [\"cortex-m4\"]"

Test(cli_sweep, a_bad_spec_gets_one_line_per_error_and_exit_2_before_any_run)
{
    sweep_dir d;
    cli_result r;

    expect_error("{" HELLO ", \"grid\": {\"units.foo\": [1]}}",
                 "/spec.json: grid.units.foo: unknown key (see tinysim targets --keys)\n",
                 NULL);
    expect_error("{" HELLO ", \"grid\": {\"clock_hz\": [48000000, 12]}}",
                 "/spec.json: grid.clock_hz[1]: target cortex-m4: expected integer in "
                 "[1000, 5000000000], got 12\n", NULL);
    expect_error("{" HELLO ", \"points\": [{\"memory[5].wait_states\": 1}]}",
                 "/spec.json: points[0]: target cortex-m4: memory[5].wait_states: no "
                 "region 5 (target has 2)\n", NULL);
    expect_error("{\"models\": [\"missing.tflite\"], \"targets\": [\"cortex-m4\"]}",
                 "models[0]: /tmp/tinysim-no-models/missing.tflite: cannot read",
                 "/tmp/tinysim-no-models");
    expect_error("{" HELLO ", \"grid\": {\"clock_hz\": {\"from\": 2, \"to\": 1, \"step\": 1}}}",
                 "/spec.json: grid.clock_hz: expected {\"from\": A, \"to\": B, \"step\": S}", NULL);
    expect_error("{" HELLO ", \"gird\": {}}", "/spec.json: gird: unknown member", NULL);
    /* several errors: one line each */
    sweep_dir_open(&d, "{" HELLO ", \"grid\": {\"units.foo\": [1], \"clock_hz\": [1], "
                       "\"memory[0].wait_states\": [999]}, \"points\": [{\"bar\": 1}]}");
    r = sweep_cli(&d, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert_eq(count_lines(r.err), 4, "%s", r.err);
    cr_assert_eq(count_prefix(r.err, "tinysim: /tmp/tinysim-sweep-test-"), 4, "%s", r.err);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_sweep, shards_partition_the_points)
{
    sweep_dir d;
    point_list all, part[3];
    cli_result r;
    int total = 0;

    sweep_dir_open(&d, spec_a);
    r = dry_run(&d, NULL, &all);
    cli_result_free(&r);
    for (int s = 0; s < 3; s++) {
        char shard[16];
        snprintf(shard, sizeof shard, "%d/3", s);
        r = dry_run(&d, shard, &part[s]);
        total += part[s].n;
        cli_result_free(&r);
    }
    cr_assert_eq(total, all.n, "the shards' sizes add up to the sweep's");
    for (int i = 0; i < all.n; i++) {
        int found = 0;
        for (int s = 0; s < 3; s++)
            for (int k = 0; k < part[s].n; k++)
                found += !strcmp(all.id[i], part[s].id[k]);
        cr_expect_eq(found, 1, "point %s is in %d shards", all.id[i], found);
    }
    r = sweep_cli(&d, "--dry-run", "--shard", "3/3", NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--shard: expected I/N with 0 <= I < N, or env:VAR/N, got '3/3'"), "%s", r.err);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

/* Front of (cycles, latency): cycles do not depend on the clock and do not fall when flash
 * wait states rise, and latency is cycles / clock. So among the grid the 120 MHz point
 * without wait states dominates every other, and the explicit 200 MHz point (the file's 5
 * wait states) has more cycles but the lowest latency: two points on the front. */
Test(cli_sweep, the_pareto_front_lists_the_non_dominated_points_with_their_overrides)
{
    sweep_dir d;
    cli_result r;
    char db_arg[160], page[160];
    static char html[1 << 20];

    sweep_need_firmware();
    sweep_dir_open(&d, spec_a);
    r = sweep_cli(&d, "-j", "2", "--pareto", "cycles,latency", NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "model hello_world: 2 of 7 points on the front"), "%s", r.out);
    cr_assert(strstr(r.out, "clock_hz=120000000 memory[0].wait_states=0\n"), "%s", r.out);
    cr_assert(strstr(r.out, "clock_hz=200000000\n"), "%s", r.out);
    cli_result_free(&r);
    snprintf(db_arg, sizeof db_arg, "%s", d.db);
    r = cli_run((const char *[]){"results", "pareto", "--metric", "cycles,latency", "--db",
                                 db_arg, "--suite", "t", NULL});
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "model hello_world: 2 of 7 points on the front"), "%s", r.out);
    cli_result_free(&r);
    snprintf(page, sizeof page, "%s/sweep.html", d.dir);
    r = cli_run((const char *[]){"report", "--db", db_arg, "--suite", "t", "-o", page, NULL});
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    html[cli_read_file(page, html, sizeof html - 1)] = '\0';
    cr_assert(strstr(html, "data-chart=\"sweep-1\""), "the report has the sweep's chart");
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "pareto", "--metric", "cycles,energi", "--db",
                                 db_arg, NULL});
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "metric 'energi': no selected run has it"), "%s", r.err);
    cli_result_free(&r);
    r = sweep_cli(&d, "--pareto", "cycles,,energy", NULL);
    cr_assert_eq(r.status, 2, "a malformed list stops the sweep before it runs");
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cli_result_free(&r);
    sweep_dir_close(&d);
}
