/* test_cli_invocations.c: `bench --invocations N` and `run --invocations N`: N inferences in a
 * row, the report says how many and what its figures are (sums over the N, then the mean per
 * invocation and the first and last invocation's cycles), a single invocation's report is
 * unchanged, and a bad count is one usage line with exit status 2. Skips visibly without the
 * firmware. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <unistd.h>

#include "cli_run.h"
#include "tests/unit/engine/engine_test.h"

static cJSON *bench_json(const char *model, const char *invocations)
{
    const char *args[] = {"bench", "--target", "cortex-m4", model, "--no-db", "--json",
                          invocations ? "--invocations" : NULL, invocations, NULL};
    cli_result r = cli_run(args);
    cJSON *j = cJSON_Parse(r.out);

    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_not_null(j, "not JSON: %.200s", r.out);
    cli_result_free(&r);
    return j;
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
