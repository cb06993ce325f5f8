/* CLI tests for `tinysim inspect`: text and JSON output on the shared models, usage errors. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <string.h>

#include "cli_run.h"

static const struct {
    const char *model;
    double macs;
} published[] = {
    {"kws_ds_cnn_int8.tflite", 2656768},   {"vww_mobilenetv1_int8.tflite", 7489664},
    {"ic_resnet8_int8.tflite", 12501632},  {"ad_autoencoder_int8.tflite", 264192},
    {"micro_speech_int8.tflite", 336000},  {"hello_world_int8.tflite", 288},
};

static cJSON *inspect_json(const char *path, int with_plan)
{
    const char *args[] = {"inspect", "--json", with_plan ? "--plan" : path,
                          with_plan ? path : NULL, NULL};
    cli_result r = cli_run(args);
    cJSON *j;

    cr_assert_eq(r.status, 0, "inspect %s failed: %s", path, r.err);
    j = cJSON_Parse(r.out);
    cr_assert_not_null(j, "inspect --json printed invalid JSON for %s", path);
    cli_result_free(&r);
    return j;
}

Test(cli_inspect, json_mac_totals_equal_the_published_figures_of_the_shared_models)
{
    char buf[512];

    if (!shared_model("kws_ds_cnn_int8.tflite", buf, sizeof buf))
        cr_skip_test("../shared/models not found: published-figure check skipped");
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        cJSON *j = inspect_json(shared_model(published[i].model, buf, sizeof buf), 0);
        cJSON *tot = cJSON_GetObjectItemCaseSensitive(j, "totals");
        double sum = 0;
        cJSON *op;
        cr_expect_eq(cJSON_GetObjectItemCaseSensitive(tot, "macs")->valuedouble,
                     published[i].macs, "%s", published[i].model);
        cJSON_ArrayForEach(op, cJSON_GetObjectItemCaseSensitive(j, "ops"))
            sum += cJSON_GetObjectItemCaseSensitive(op, "macs")->valuedouble;
        cr_expect_eq(sum, published[i].macs, "per-op MACs of %s do not add up",
                     published[i].model);
        cJSON_Delete(j);
    }
}

Test(cli_inspect, the_plan_never_exceeds_the_naive_sum_and_lists_tensor_offsets)
{
    char buf[512];
    cJSON *j, *arena, *t;
    double arena_b, naive_b, live_b;

    if (!shared_model("vww_mobilenetv1_int8.tflite", buf, sizeof buf))
        cr_skip_test("../shared/models not found: plan check skipped");
    j = inspect_json(buf, 1);
    arena = cJSON_GetObjectItemCaseSensitive(j, "arena");
    arena_b = cJSON_GetObjectItemCaseSensitive(arena, "arena_bytes")->valuedouble;
    naive_b = cJSON_GetObjectItemCaseSensitive(arena, "naive_bytes")->valuedouble;
    live_b = cJSON_GetObjectItemCaseSensitive(arena, "peak_live_bytes")->valuedouble;
    cr_expect_leq(arena_b, naive_b);
    cr_expect_geq(arena_b, live_b);
    /* The largest activation of VWW is 48x48x24 int8 = 55,296 bytes; it must fit. */
    cr_expect_geq(arena_b, 55296.0);
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(arena, "tensors"))
    {
        double off = cJSON_GetObjectItemCaseSensitive(t, "offset")->valuedouble;
        double bytes = cJSON_GetObjectItemCaseSensitive(t, "bytes")->valuedouble;
        cr_expect_leq(off + bytes, arena_b);
        cr_expect_eq((long)off % 16, 0, "offsets are 16-byte aligned");
    }
    cJSON_Delete(j);
}

Test(cli_inspect, text_output_has_one_row_per_op_and_the_totals_line)
{
    char buf[512];
    const char *args[] = {"inspect", NULL, NULL};
    cli_result r;

    if (!shared_model("kws_ds_cnn_int8.tflite", buf, sizeof buf))
        cr_skip_test("../shared/models not found: text table check skipped");
    args[1] = buf;
    r = cli_run(args);
    cr_assert_eq(r.status, 0);
    cr_expect(strstr(r.out, "totals: 13 ops, 2,656,768 MACs") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "  12  SOFTMAX") != NULL);
    cr_expect(strstr(r.out, "tensor arena: ") != NULL);
    cli_result_free(&r);
}

Test(cli_inspect, a_missing_file_is_one_line_on_stderr_and_exit_status_2)
{
    const char *args[] = {"inspect", "/nonexistent/model.tflite", NULL};
    cli_result r = cli_run(args);

    cr_expect_eq(r.status, 2);
    cr_expect_eq(count_lines(r.err), 1, "stderr: %s", r.err);
    cr_expect(strncmp(r.err, "tinysim: /nonexistent/model.tflite: cannot open", 47) == 0, "%s",
              r.err);
    cr_expect_str_empty(r.out);
    cli_result_free(&r);
}

Test(cli_inspect, usage_errors_exit_2_with_a_precise_message)
{
    const char *no_model[] = {"inspect", NULL};
    const char *bad_opt[] = {"inspect", "--frobnicate", "x.tflite", NULL};
    const char *unknown[] = {"frobnicate", NULL};
    cli_result r;

    r = cli_run(no_model);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "inspect: no model given") != NULL, "%s", r.err);
    cli_result_free(&r);
    r = cli_run(bad_opt);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "unknown option '--frobnicate'") != NULL, "%s", r.err);
    cli_result_free(&r);
    r = cli_run(unknown);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "unknown command 'frobnicate'") != NULL, "%s", r.err);
    cli_result_free(&r);
}
