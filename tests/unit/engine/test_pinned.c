/* test_pinned.c: every figure of `tinysim bench --json` pinned in tests/data/pinned/bench.json
 * (tinysim's generated models on every target and kernel variant, written by
 * scripts/pin_bench.py) is reproduced unchanged: cycles, instructions, traffic per region,
 * footprints, outputs, and the refusal line of a model that does not fit. Fields the report
 * gains later are allowed; a pinned field that changes or disappears fails.
 * These figures were produced by tinysim itself: the test proves that a refactor changed
 * nothing, not that the figures are right (the cycle, sanity-band and golden tests do that).
 * A commit that means to change figures reruns the script; the diff is its review. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <unistd.h>

#include "cli_run.h"
#include "engine_test.h"

/* First difference of `want` within `got` (got may have more fields), as a path; NULL when
 * every pinned field is equal. */
static const char *first_diff(const cJSON *want, const cJSON *got, char *path, size_t cap)
{
    size_t n = strlen(path);
    const cJSON *w;
    int k = 0;

    if (!got || (want->type & 0xff) != (got->type & 0xff))
        return path;
    if (cJSON_IsNumber(want))
        return want->valuedouble == got->valuedouble ? NULL : path;
    if (cJSON_IsString(want))
        return strcmp(want->valuestring, got->valuestring) ? path : NULL;
    if (cJSON_IsArray(want) && cJSON_GetArraySize(want) != cJSON_GetArraySize(got))
        return path;
    cJSON_ArrayForEach(w, want) {
        const cJSON *g = cJSON_IsArray(want) ? cJSON_GetArrayItem(got, k)
                                             : cJSON_GetObjectItemCaseSensitive(got, w->string);
        if (cJSON_IsArray(want))
            snprintf(path + n, cap - n, "[%d]", k);
        else
            snprintf(path + n, cap - n, ".%s", w->string);
        if (first_diff(w, g, path, cap))
            return path;
        path[n] = '\0';
        k++;
    }
    return NULL;
}

static cJSON *load_pinned(void)
{
    char path[4096];
    FILE *f;
    long n;
    char *text;
    cJSON *j;

    snprintf(path, sizeof path, "%s/tests/data/pinned/bench.json", getenv("TS_SOURCE_DIR"));
    f = fopen(path, "rb");
    cr_assert_not_null(f, "%s: cannot open", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)n + 1);
    cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    j = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(j, "%s: not JSON", path);
    return j;
}

static void check_case(const cJSON *c, const char *model)
{
    const char *target = cJSON_GetObjectItem(c, "target")->valuestring;
    const char *kernels = cJSON_GetObjectItem(c, "kernels")->valuestring;
    const char *args[] = {"bench", "--target", target, "--kernels", kernels, model, "--json",
                          NULL};
    const cJSON *want = cJSON_GetObjectItem(c, "report");
    int status = cJSON_GetObjectItem(c, "status")->valueint;
    char where[256] = "";
    cli_result r = cli_run(args);
    const char *spec = cJSON_GetObjectItem(c, "spec")->valuestring;

    cr_assert_eq(r.status, status, "%s on %s (%s): exit %d, pinned %d: %s", spec, target,
                 kernels, r.status, status, r.err);
    if (want) {
        cJSON *got = cJSON_Parse(r.out);
        cr_assert_not_null(got, "%s on %s: not JSON", spec, target);
        cr_assert_null(first_diff(want, got, where, sizeof where),
                       "%s on %s (%s kernels): %s differs from the pinned figure", spec, target,
                       kernels, where);
        cJSON_Delete(got);
    } else {
        const char *line = cJSON_GetObjectItem(c, "error")->valuestring;
        const char *at = strstr(line, "MODEL");
        cr_assert_not_null(at);
        cr_assert_not_null(strstr(r.err, at + 5), "%s on %s: error line changed: %s", spec,
                           target, r.err);
    }
    cli_result_free(&r);
}

/* A figure check: the sanitizer build (TS_SANITIZED) computes the same figures on the same
 * code paths, which every_core and the cli suites run under ASan+UBSan, so it leaves this to the
 * plain build (scripts/test.sh). */
Test(pinned, every_pinned_bench_figure_of_the_generated_models_is_unchanged,
     .disabled = TS_SANITIZED)
{
    cJSON *pin, *c;
    char model[64] = "", spec[64] = "";
    int n = 0;

    need_target_firmware("cortex-m0");
    need_target_firmware("cortex-m4");
    pin = load_pinned();
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(pin, "cases")) {
        const char *s = cJSON_GetObjectItem(c, "spec")->valuestring;
        if (strcmp(s, spec)) {
            if (model[0])
                unlink(model);
            snprintf(spec, sizeof spec, "%s", s);
            cli_gen_model(spec, model, sizeof model);
        }
        check_case(c, model);
        n++;
    }
    if (model[0])
        unlink(model);
    cr_assert_gt(n, 60, "only %d pinned cases", n);
    cJSON_Delete(pin);
}

Test(pinned, the_comparison_catches_a_changed_figure)
{
    cJSON *want = cJSON_Parse("{\"a\":{\"cycles\":5,\"v\":[1,2]},\"s\":\"x\"}");
    cJSON *same = cJSON_Parse("{\"a\":{\"cycles\":5,\"v\":[1,2],\"new\":1},\"s\":\"x\"}");
    cJSON *changed = cJSON_Parse("{\"a\":{\"cycles\":6,\"v\":[1,2]},\"s\":\"x\"}");
    cJSON *shorter = cJSON_Parse("{\"a\":{\"cycles\":5,\"v\":[1]},\"s\":\"x\"}");
    char p[128] = "";

    cr_assert_null(first_diff(want, same, p, sizeof p), "%s", p);
    cr_assert_str_eq(first_diff(want, changed, p, sizeof p), ".a.cycles");
    p[0] = '\0';
    cr_assert_str_eq(first_diff(want, shorter, p, sizeof p), ".a.v");
    cJSON_Delete(want), cJSON_Delete(same), cJSON_Delete(changed), cJSON_Delete(shorter);
}
