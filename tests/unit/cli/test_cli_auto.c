/* `tinysim bench` without --kernels picks the variant a deployment would: the DSP-extension
 * kernels on a core that has the extension, the plain ones (without a note) elsewhere. */
#include <cjson/cJSON.h>

#include "cli_run.h"
#include "tests/unit/engine/engine_test.h"

static cJSON *bench_default(const char *target, const char *model, cli_result *r)
{
    const char *args[] = {"bench", "--json", "--target", target, model, NULL};

    *r = cli_run(args);
    cr_assert_eq(r->status, 0, "bench on %s failed: %s", target, r->err);
    return cJSON_Parse(r->out);
}

Test(cli_auto, the_default_variant_is_simd_on_dsp_cores_and_ref_without_a_note_elsewhere)
{
    static const struct {
        const char *target, *kernels;
    } cases[] = {{"cortex-m4", "simd"}, {"cortex-m7", "simd"}, {"cortex-m33", "simd"},
                 {"cortex-m3", "ref"}, {"cortex-m0plus", "ref"}};
    char model[4096];
    ts_target t;

    load_target_named("cortex-m4", &t);
    need_firmware(&t);
    ts_target_free(&t);
    snprintf(model, sizeof model, "%s/cli_auto_hello.tflite", getenv("TS_BUILD_DIR"));
    {
        const char *gen[] = {"gen", "hello_world", "-o", model, NULL};
        cli_result g = cli_run(gen);
        cr_assert_eq(g.status, 0, "%s", g.err);
        cli_result_free(&g);
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result r;
        cJSON *doc = bench_default(cases[i].target, model, &r);
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(doc, "kernels");
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(doc, "kernels_requested");

        cr_assert_not_null(doc, "invalid JSON on %s", cases[i].target);
        cr_expect(cJSON_IsString(k) && !strcmp(k->valuestring, cases[i].kernels),
                  "%s ran %s, expected %s", cases[i].target, cJSON_IsString(k) ? k->valuestring : "?",
                  cases[i].kernels);
        cr_expect(cJSON_IsString(req) && !strcmp(req->valuestring, "auto"));
        cr_expect_str_empty(r.err, "%s: unexpected stderr: %s", cases[i].target, r.err);
        cJSON_Delete(doc);
        cli_result_free(&r);
    }
}
