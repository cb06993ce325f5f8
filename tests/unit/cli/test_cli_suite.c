/* test_cli_suite.c: `tinysim bench --suite`: the matrix is expanded (simd only on DSP cores,
 * every override set), every run is recorded with its suite name, one line per finished run
 * in a pipe, a summary; a failing run makes the suite exit 1 after the others ran; a bad
 * suite file is one line and exit 2. */
#include "tests/unit/results/results_test.h" /* count_rows */

#include <cjson/cJSON.h>

#include "cli_run.h"
#include "tests/unit/engine/engine_test.h"

Test(cli_suite, runs_the_matrix_in_parallel_and_records_every_run_with_its_suite)
{
    char dir[64], suite[128], db[128];
    cli_result r;

    need_target_firmware("cortex-m4");
    need_target_firmware("cortex-m0plus");
    cli_tmp_dir("suite-test", dir, sizeof dir);
    snprintf(suite, sizeof suite, "%s/s.json", dir);
    snprintf(db, sizeof db, "%s/s.db", dir);
    cli_write_text(suite, "{\"name\": \"tiny\", \"generate\": [{\"arch\": \"hello_world\"}, "
                      "{\"arch\": \"fc:16,8\", \"seed\": 3}], \"targets\": [\"cortex-m4\", "
                      "\"cortex-m0plus\"], \"kernels\": [\"ref\", \"simd\"], "
                      "\"sets\": [[], [\"clock_hz=24000000\"]]}");
    r = cli_run((const char *[]){"bench", "--suite", suite, "-j", "3", "--db", db, "--tag",
                                 "t1", NULL});
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    /* 2 models x (cortex-m4: ref+simd, cortex-m0plus: ref) x 2 override sets */
    cr_assert_eq(count_prefix(r.out, "["), 12, "one line per finished run: %s", r.out);
    cr_assert(strstr(r.out, "12 ok, 0 do not fit, 0 failed"), "%s", r.out);
    cr_assert_eq(count_rows(db, "SELECT count(*) FROM runs WHERE suite = 'tiny'"), 12);
    cr_assert_eq(count_rows(db, "SELECT count(*) FROM tags WHERE tag = 't1'"), 12);
    cr_assert_eq(count_rows(db, "SELECT count(*) FROM runs WHERE target = 'cortex-m0plus' AND "
                           "kernels = 'simd'"), 0);
    cr_assert_eq(count_rows(db, "SELECT count(*) FROM overrides WHERE value = '24000000'"), 6);
    cr_assert_eq(count_rows(db, "SELECT count(DISTINCT model_name) FROM runs"), 2);
    cr_assert_str_eq(r.err, "", "no progress line outside a terminal");
    cli_result_free(&r);
    cli_remove_dir(dir);
}

Test(cli_suite, takes_the_job_count_attached_as_make_does)
{
    char dir[64], suite[128];
    const char *forms[][2] = {{"-j2", NULL}, {"-j", "2"}};
    cli_result r;

    need_target_firmware("cortex-m4");
    cli_tmp_dir("suite-test", dir, sizeof dir);
    snprintf(suite, sizeof suite, "%s/s.json", dir);
    cli_write_text(suite, "{\"name\": \"j\", \"generate\": [{\"arch\": \"fc:16,8\"}], "
                      "\"targets\": [\"cortex-m4\"], \"kernels\": [\"ref\", \"simd\"]}");
    for (int i = 0; i < 2; i++) {
        r = cli_run((const char *[]){"bench", "--suite", suite, "--no-db", forms[i][0],
                                     forms[i][1], NULL});
        cr_expect_eq(r.status, 0, "%s %s: %s", forms[i][0], forms[i][1] ? forms[i][1] : "",
                     r.err);
        cr_expect(strstr(r.out, "2 ok, 0 do not fit, 0 failed"), "%s", r.out);
        cli_result_free(&r);
    }
    r = cli_run((const char *[]){"bench", "--suite", suite, "--no-db", "-j0", NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "-j: expected a positive integer, got '0'"), "%s", r.err);
    cli_result_free(&r);
    cli_remove_dir(dir);
}

Test(cli_suite, finishes_the_other_runs_then_exits_1_when_one_fails)
{
    char dir[64], suite[128];
    cli_result r;

    need_target_firmware("cortex-m4");
    cli_tmp_dir("suite-test", dir, sizeof dir);
    snprintf(suite, sizeof suite, "%s/s.json", dir);
    cli_write_text(suite, "{\"name\": \"f\", \"generate\": [{\"arch\": \"hello_world\"}], "
                      "\"targets\": [\"cortex-m4\"], \"kernels\": [\"ref\"], "
                      "\"sets\": [[\"pipeline.branch_refill_cycles=99\"], []]}");
    r = cli_run((const char *[]){"bench", "--suite", suite, "--no-db", NULL});
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "1 ok, 0 do not fit, 1 failed"), "%s", r.out);
    cr_assert(strstr(r.out, "FAILED") && strstr(r.out, "branch_refill_cycles"), "%s", r.out);
    cli_result_free(&r);
    cli_remove_dir(dir);
}

Test(cli_suite, rejects_a_bad_suite_file_with_one_line)
{
    char dir[64], suite[128];
    cli_result r;

    cli_tmp_dir("suite-test", dir, sizeof dir);
    snprintf(suite, sizeof suite, "%s/s.json", dir);
    cli_write_text(suite, "{\"name\": \"b\", \"models\": [\"x.tflite\"], \"targets\": \"all\", "
                      "\"kernels\": [\"fast\"]}");
    r = cli_run((const char *[]){"bench", "--suite", suite, "--no-db", NULL});
    cr_assert_eq(r.status, 2);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cr_assert(strstr(r.err, "s.json: kernels: expected ref, simd or auto"), "%s", r.err);
    cr_assert_str_eq(r.out, "");
    cli_result_free(&r);
    r = cli_run((const char *[]){"bench", "--suite", suite, "--no-db", "--models-dir",
                                 "/nonexistent", NULL});
    cr_assert_eq(r.status, 2);
    cli_result_free(&r);
    cli_remove_dir(dir);
}

/* Every shipped suite parses, names itself, and asks for architectures `gen --list` knows. */
Test(cli_suite, shipped_suites_parse_and_name_known_generators)
{
    char path[512], buf[8192];
    const char *names[] = {"generated.json", "mlperf-tiny.json"};
    cli_result list = cli_run((const char *[]){"gen", "--list", NULL});

    cr_assert_eq(list.status, 0);
    for (int i = 0; i < 2; i++) {
        cJSON *j, *g;
        snprintf(path, sizeof path, "%s/bench/suites/%s", getenv("TS_SOURCE_DIR"), names[i]);
        buf[cli_read_file(path, buf, sizeof buf - 1)] = '\0';
        j = cJSON_Parse(buf);
        cr_assert_not_null(j, "%s: not JSON", path);
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(j, "name")), "%s", path);
        cr_assert_str_eq(cJSON_GetObjectItem(j, "targets")->valuestring, "all");
        cJSON_ArrayForEach(g, cJSON_GetObjectItem(j, "generate")) {
            char line[80];
            snprintf(line, sizeof line, "\n%s ", cJSON_GetObjectItem(g, "arch")->valuestring);
            cr_assert(strstr(list.out, line), "%s: unknown arch %s", path, line + 1);
        }
        cJSON_Delete(j);
    }
    cli_result_free(&list);
}
