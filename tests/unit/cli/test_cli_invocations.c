/* test_cli_invocations.c: `bench --invocations N` and `run --invocations N`: N inferences in a
 * row, the report says how many and what its figures are (sums over the N, then the mean per
 * invocation and the first and last invocation's cycles), a single invocation's report is
 * unchanged, compare --invocations runs each target as bench does, and a bad count is one usage line with exit status 2. Skips visibly without the
 * firmware. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <unistd.h>

#include "cli_json.h"
#include "tests/unit/engine/engine_test.h"

static cJSON *bench_json(const char *model, const char *invocations)
{
    const char *args[] = {"bench", "--target", "cortex-m4", model, "--no-db", "--json",
                          invocations ? "--invocations" : NULL, invocations, NULL};

    return cli_run_json(args);
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);

    cr_assert(cJSON_IsNumber(v), "no number '%s'", key);
    return v->valuedouble;
}

Test(cli_invocations, bench_sums_the_layers_over_every_invocation_and_says_so)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"),
                         cli_gen_model("hello_world", path, sizeof path));
    cJSON *one = bench_json(model, NULL), *three = bench_json(model, "3"), *inv, *l;
    double sum = 0, total;

    cr_expect_null(cJSON_GetObjectItem(one, "invocations"), "one invocation: report unchanged");
    inv = cJSON_GetObjectItem(three, "invocations");
    cr_assert_not_null(inv);
    cr_expect_eq(num(inv, "count"), 3.0);
    cJSON_ArrayForEach(l, cJSON_GetObjectItem(three, "layers")) sum += num(l, "cycles");
    total = num(cJSON_GetObjectItem(three, "totals"), "cycles");
    cr_expect_eq(sum, total, "layers sum to the totals over the three");
    cr_expect_eq(num(inv, "mean_cycles") * 3.0, total);
    /* the first invocation is the single-invocation run (same cold start) */
    cr_expect_eq(num(inv, "first_cycles"), num(cJSON_GetObjectItem(one, "totals"), "cycles"));
    cr_expect(num(inv, "last_cycles") <= num(inv, "first_cycles"), "warm caches cost no more");
    cr_expect_eq(num(cJSON_GetObjectItem(three, "totals"), "macs"),
                 3.0 * num(cJSON_GetObjectItem(one, "totals"), "macs"));
    cJSON_Delete(one);
    cJSON_Delete(three);
    unlink(model);
}

Test(cli_invocations, bench_text_names_the_count_and_the_mean_per_invocation)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"),
                         cli_gen_model("hello_world", path, sizeof path));
    const char *args[] = {"bench", "--target", "cortex-m4", model, "--no-db",
                          "--invocations", "4", NULL};
    cli_result r = cli_run(args);

    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "invocations   4 in a row, the same input each time, "
                                     "state carried; layer and total figures are sums over "
                                     "the 4"), "%s", r.out);
    cr_expect_not_null(strstr(r.out, "per invocation "), "%s", r.out);
    cr_expect_not_null(strstr(r.out, " mean of 4; first "), "%s", r.out);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_invocations, a_bad_count_is_one_usage_line_with_status_2)
{
    char path[64];
    const char *model = cli_gen_model("hello_world", path, sizeof path);
    const char *bench0[] = {"bench", "--target", "cortex-m4", model, "--invocations", "0", NULL};
    const char *runx[] = {"run", model, "--invocations", "x", NULL};
    cli_result a = cli_run(bench0), b = cli_run(runx);

    cr_expect_eq(a.status, 2);
    cr_expect_eq(count_lines(a.err), 1, "%s", a.err);
    cr_expect_not_null(strstr(a.err, "--invocations: expected a positive integer, got '0'"),
                       "%s", a.err);
    cr_expect_eq(b.status, 2);
    cr_expect_eq(count_lines(b.err), 1, "%s", b.err);
    cr_expect_not_null(strstr(b.err, "run: --invocations: expected an integer from 1 to"),
                       "%s", b.err);
    cli_result_free(&a);
    cli_result_free(&b);
    unlink(model);
}

Test(cli_invocations, run_says_how_many_invocations_gave_the_outputs)
{
    char path[64];
    const char *model = cli_gen_model("hello_world", path, sizeof path);
    const char *args[] = {"run", model, "--invocations", "2", NULL};
    cli_result r = cli_run(args);

    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "invocations: 2 in a row, the same input each time, state "
                                     "carried; outputs of the last"), "%s", r.out);
    cli_result_free(&r);
    unlink(model);
}

/* The golden case op_svdf_int8_1x16_units4_rank2_memory8_s1 (tests/data/ops): its input file
 * holds 6 frames and TFLite's output file the 6 outputs of one interpreter invoked 6 times
 * (tinysim's default rounding gives those bytes exactly in this case). */
#define SVDF_CASE "op_svdf_int8_1x16_units4_rank2_memory8_s1"

static void svdf_case_files(char *model, size_t cap, char *in, char *golden, size_t pcap)
{
    snprintf(in, pcap, "%s/tests/data/ops/" SVDF_CASE ".in0.bin", getenv("TS_SOURCE_DIR"));
    snprintf(golden, pcap, "%s/tests/data/ops/" SVDF_CASE ".out0.tflite.bin",
             getenv("TS_SOURCE_DIR"));
    cli_gen_model("op:svdf,int8,1x16,units=4,rank=2,memory=8", model, cap);
}

Test(cli_invocations, an_input_file_of_one_frame_per_invocation_streams_through_run_and_bench)
{
    char model[64], in[4096], golden[4096], out[64] = "/tmp/ts_svdf_outXXXXXX";
    int8_t want[24], got[4];
    const char *run[] = {"run", model, "--invocations", "6", "--input", in, "--output", out,
                         NULL};
    const char *bench[] = {"bench", "--target", "cortex-m4", model, "--no-db", "--json",
                           "--invocations", "6", "--input", in, NULL};
    cli_result r;
    cJSON *j, *v;
    int k = 0;

    need_target_firmware("cortex-m4");
    svdf_case_files(model, sizeof model, in, golden, sizeof in);
    cr_assert_eq(cli_read_file(golden, want, sizeof want), sizeof want);
    close(mkstemp(out));
    r = cli_run(run);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "invocations: 6 in a row, one input frame per invocation"),
                       "%s", r.out);
    cr_assert_eq(cli_read_file(out, got, sizeof got), sizeof got);
    cr_expect_arr_eq(got, want + 20, 4, "run: the sixth output is TFLite's");
    cli_result_free(&r);
    j = cli_run_json(bench);
    cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "invocations"), "inputs")
                         ->valuestring, "one input frame per invocation");
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j,
                                                                 "outputs"), 0), "values")) {
        cr_expect_eq((int)v->valuedouble, want[20 + k], "bench output %d", k);
        k++;
    }
    cr_expect_eq(k, 4);
    cJSON_Delete(j);
    unlink(out);
    unlink(model);
}

/* compare --invocations N runs every target as bench --invocations N does: the same summed
 * cycles per target, and the last invocation's outputs, which for the SVDF golden case are
 * TFLite's sixth output on every target (state carried on each). */
Test(cli_invocations, compare_runs_every_target_n_times_in_a_row_as_bench_does)
{
    char model[64], in[4096], golden[4096], out[64] = "/tmp/ts_svdf_cmpXXXXXX";
    int8_t want[24], got[4];
    const char *cmp[] = {"compare", model, "--targets", "cortex-m4,cortex-m0plus", "--json",
                         "--invocations", "6", "--input", in, "--output", out, NULL};
    const char *text[] = {"compare", model, "--targets", "cortex-m4", "--invocations", "6",
                          "--input", in, NULL};
    const char *bad[] = {"compare", model, "--targets", "cortex-m4", "--invocations", "0", NULL};
    cli_result r;
    cJSON *j, *b, *t;
    int n = 0;

    need_target_firmware("cortex-m4");
    need_target_firmware("cortex-m0plus");
    svdf_case_files(model, sizeof model, in, golden, sizeof in);
    cr_assert_eq(cli_read_file(golden, want, sizeof want), sizeof want);
    close(mkstemp(out));
    j = cli_run_json(cmp);
    cr_expect_eq(num(j, "invocations"), 6.0);
    cr_assert_eq(cli_read_file(out, got, sizeof got), sizeof got);
    cr_expect_arr_eq(got, want + 20, 4, "compare: the sixth output is TFLite's");
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(j, "targets")) {
        const char *name = cJSON_GetObjectItem(t, "target")->valuestring;
        const char *args[] = {"bench", "--target", name, model, "--no-db", "--json",
                              "--invocations", "6", "--input", in, NULL};
        b = cli_run_json(args);
        cr_expect_eq(num(cJSON_GetObjectItem(t, "figures"), "cycles"),
                     num(cJSON_GetObjectItem(b, "totals"), "cycles"), "%s", name);
        cJSON_Delete(b);
        n++;
    }
    cr_expect_eq(n, 2);
    cJSON_Delete(j);
    r = cli_run(text);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "invocations 6 in a row on every target, state carried; "
                                     "figures are sums over the 6"), "%s", r.out);
    cli_result_free(&r);
    r = cli_run(bad);
    cr_expect_eq(r.status, 2);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    cli_result_free(&r);
    unlink(out);
    unlink(model);
}

/* A model with state says how many invocations ran even without --invocations (one, from the
 * reset state), in bench's text and JSON and in run; a stateless one stays silent (above). */
Test(cli_invocations, a_stateful_model_run_once_says_so)
{
    char model[64];
    const char *text[] = {"bench", "--target", "cortex-m4", model, "--no-db", NULL};
    const char *run[] = {"run", model, NULL};
    cli_result r;
    cJSON *j, *inv;

    need_target_firmware("cortex-m4");
    cli_gen_model("op:svdf,int8,1x16,units=4,rank=2,memory=8", model, sizeof model);
    r = cli_run(text);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "invocations   1, state (1 variable tensor) as TFLite "
                                     "resets it; --invocations N carries it"), "%s", r.out);
    cli_result_free(&r);
    r = cli_run(run);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "invocations: 1, state (1 variable tensor)"), "%s", r.out);
    cli_result_free(&r);
    j = bench_json(model, NULL);
    cr_assert_not_null(inv = cJSON_GetObjectItem(j, "invocations"));
    cr_expect_eq(num(inv, "count"), 1.0);
    cr_expect_eq(num(inv, "state_tensors"), 1.0);
    cr_expect_eq(num(inv, "first_cycles"), num(cJSON_GetObjectItem(j, "totals"), "cycles"));
    cJSON_Delete(j);
    unlink(model);
}

Test(cli_invocations, an_input_of_neither_one_frame_nor_one_per_invocation_is_one_line)
{
    char model[64], in[4096], golden[4096];
    const char *args[] = {"run", model, "--invocations", "4", "--input", in, NULL};
    cli_result r;

    svdf_case_files(model, sizeof model, in, golden, sizeof in);
    r = cli_run(args); /* 6 frames for 4 invocations */
    cr_expect_eq(r.status, 2);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    cr_expect_not_null(strstr(r.err, ": 96 bytes (expected 16 for int8 [1,16], or 4 x 16: one "
                                     "frame per invocation)"), "%s", r.err);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_invocations, inspect_plan_marks_the_state_tensor_as_kept_across_invocations)
{
    char model[64];
    const char *text[] = {"inspect", "--plan", model, NULL};
    const char *json[] = {"inspect", "--plan", "--json", model, NULL};
    cli_result r;

    cli_gen_model("op:svdf,int8,1x16,units=4,rank=2,memory=8", model, sizeof model);
    r = cli_run(text);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "svdf/state"), "%s", r.out);
    cr_expect_not_null(strstr(r.out, " (state: kept across invocations)"), "%s", r.out);
    cli_result_free(&r);
    r = cli_run(json);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "\"variable\":\ttrue"), "%s", r.out);
    cli_result_free(&r);
    unlink(model);
}
