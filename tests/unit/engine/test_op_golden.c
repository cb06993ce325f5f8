/* Golden tests of single-op models (tests/data/ops/, written by scripts/gen_op_goldens.py from
 * `tinysim gen op:...` models and the outputs of the TensorFlow Lite interpreter, the runtime
 * its manifest names). Per case:
 *   - the model `tinysim gen SPEC --seed N` writes today is the one the goldens were made from
 *     (its SHA-256 is the manifest's; a generator change must regenerate the goldens; the
 *     models themselves are not committed), and the committed inputs follow the seeded input
 *     rule of engine_test.h (so the per-core runs below see the same inputs);
 *   - the host reference executor's outputs (every one the manifest lists: out0, out1, ...
 *     for ops with several outputs) equal TFLite's bit for bit, or, for the integer ops
 *     the manifest gives a tolerance_lsb with its reason, within that many LSB, and then bit
 *     for bit what it names in exact_with: Arm NN's output ("armnn"), or TFLite's output with
 *     the executor in double rounding ("double_rounding"); for the float32 ops it gives a
 *     tolerance_abs with its reason, every element within that absolute difference, and TFLite's
 *     output bit for bit the sum in the order its exact_with names ("xnnpack_order":
 *     tconv_xnnpack.h), or a tolerance_ulp (and its reason), within that many units in the
 *     last place, and then bit for bit Arm NN's output where exact_with names it; for
 *     RESIZE_BILINEAR (int8 tolerance_lsb, float32 tolerance_abs) exact_with "xnnpack_bilinear"
 *     holds TFLite's output to XNNPACK's arithmetic (resize_xnnpack.h) bit for bit;
 *     for the LSTM (tolerance_abs) no exact_with: its reason names the test that holds it to
 *     a double-precision reference instead;
 *   - on every emulated core (one test per core), the outputs are byte-identical to the host;
 *   - a case with "invocations": N (recurrent layers) runs N times in a row in one executor,
 *     state carried: input file k holds N slices (invocation i reads slice i; the seeded rule
 *     runs on, invocation after invocation), the golden output files the N outputs in order,
 *     and every core is compared with the host after every invocation.
 * Needs neither Node nor the runtimes: they ran when the goldens were made. */
#include <cjson/cJSON.h>
#include <math.h>

#include "cli_run.h"
#include "engine_test.h"
#include "resize_xnnpack.h"
#include "tconv_xnnpack.h"
#include "results/results.h"
#include "sim/base/alloc.h"

/* The whole file (NUL-terminated: cli_slurp), *len its size. */
static uint8_t *slurp_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;

    cr_assert_not_null(f, "cannot open %s", path);
    buf = cli_slurp(f);
    *len = (size_t)ftell(f);
    fclose(f);
    return (uint8_t *)buf;
}

static void ops_path(const char *file, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/tests/data/ops/%s", getenv("TS_SOURCE_DIR"), file);
}

static cJSON *load_manifest(void)
{
    char path[4096];
    size_t len;
    uint8_t *text;
    cJSON *m;

    ops_path("manifest.json", path, sizeof path);
    text = slurp_file(path, &len);
    text[len] = 0;
    m = cJSON_Parse((const char *)text);
    free(text);
    cr_assert_not_null(m, "tests/data/ops/manifest.json does not parse");
    return m;
}

static const char *case_str(const cJSON *c, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);

    cr_assert(cJSON_IsString(v), "manifest: case field '%s' is not a string", key);
    return v->valuestring;
}

static uint32_t case_seed(const cJSON *c)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "seed");

    cr_assert(cJSON_IsNumber(v), "manifest: case field 'seed' is not a number");
    return (uint32_t)v->valuedouble;
}

/* The case's model as `tinysim gen SPEC --seed N` writes it today, after checking it is the
 * model the goldens were made from (the manifest's model_sha256; models are not committed:
 * tinysim generates them). label: "NAME (op:...)" for messages. */
static ts_model *case_model(const cJSON *c, char *label, size_t cap)
{
    const char *spec = case_str(c, "spec");
    char sha[TS_SHA256_HEX_BYTES];
    uint8_t *gen = NULL;
    size_t gen_len = 0;
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    snprintf(label, cap, "%s (%s)", case_str(c, "name"), spec);
    cr_assert_eq(ts_gen_spec_bytes(spec, case_seed(c), &gen, &gen_len, &err), TS_OK, "%s",
                 err.msg);
    ts_sha256_of(gen, gen_len, sha);
    cr_assert_str_eq(sha, case_str(c, "model_sha256"),
                     "%s: tinysim gen %s --seed %u no longer writes the model the goldens were "
                     "made from: regenerate them with scripts/gen_op_goldens.py", label, spec,
                     case_seed(c));
    cr_assert_eq(ts_model_load_buffer(gen, gen_len, label, &m, &err), TS_OK, "%s", err.msg);
    ts_free(gen);
    return m;
}

/* Invocations in a row of case c ("invocations", default 1). */
static uint32_t case_invocations(const cJSON *c)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "invocations");

    return cJSON_IsNumber(v) ? (uint32_t)v->valuedouble : 1u;
}

/* Sets invocation inv's slice of the committed inputs on r, checking that the files follow the
 * seeded rule (fill_input), continued over the invocations: each invocation's inputs, in input
 * order, then the next invocation's. */
static void set_case_inputs_at(ts_ref *r, const cJSON *c, uint32_t inv)
{
    const cJSON *ins = cJSON_GetObjectItemCaseSensitive(c, "inputs");
    uint32_t state = case_seed(c) * 0x9E3779B9u, n_inv = case_invocations(c);
    int32_t n_in = ts_ref_n_inputs(r);
    uint8_t *data[TS_REF_MAX_INPUTS], *rule[TS_REF_MAX_INPUTS];
    ts_ref_io io[TS_REF_MAX_INPUTS];
    char path[4096];
    ts_err err;

    cr_assert_eq(cJSON_GetArraySize(ins), n_in, "%s: input count", case_str(c, "name"));
    ts_err_clear(&err);
    for (int32_t i = 0; i < n_in; i++) {
        size_t len;
        ts_ref_input_info(r, i, &io[i]);
        ops_path(cJSON_GetArrayItem(ins, i)->valuestring, path, sizeof path);
        data[i] = slurp_file(path, &len);
        cr_assert_eq(len, io[i].size_bytes * n_inv, "%s: %zu bytes", path, len);
        rule[i] = calloc(1, len + 1);
    }
    for (uint32_t k = 0; k < n_inv; k++)
        for (int32_t i = 0; i < n_in; i++)
            fill_input(&io[i], &state, rule[i] + k * io[i].size_bytes);
    for (int32_t i = 0; i < n_in; i++) {
        cr_assert(memcmp(data[i], rule[i], io[i].size_bytes * n_inv) == 0,
                  "%s: input %d is not the seeded input rule of engine_test.h",
                  case_str(c, "name"), i);
        cr_assert_eq(ts_ref_set_input(r, i, data[i] + inv * io[i].size_bytes,
                                      io[i].size_bytes, &err), TS_OK, "%s", err.msg);
        free(rule[i]);
        free(data[i]);
    }
}

/* Element k of a little-endian signed integer array of elem (1, 2 or 4) bytes. */
static int64_t int_at(const uint8_t *a, size_t k, size_t elem)
{
    uint32_t u = 0;

    for (size_t i = 0; i < elem; i++)
        u |= (uint32_t)a[k + i] << (8 * i);
    return elem == 4 ? (int32_t)u : elem == 2 ? (int16_t)u : (int8_t)u;
}

/* Largest |host - golden| of int8, int16 or int32 outputs (elem bytes each) of n bytes;
 * *n_differ counts the elements that differ. */
static int int_diff(const uint8_t *a, const uint8_t *b, size_t n, size_t elem, int *n_differ)
{
    int max = 0;

    *n_differ = 0;
    for (size_t k = 0; k + elem <= n; k += elem) {
        int64_t d64 = int_at(a, k, elem) - int_at(b, k, elem);
        int64_t m = d64 < 0 ? -d64 : d64;
        int d = m > 1000000 ? 1000000 : (int)m;
        *n_differ += d != 0;
        max = d > max ? d : max;
    }
    return max;
}

/* Float32 outputs: the largest distance in units in the last place between a[k] and b[k]
 * (floats mapped to integers in their order; two NaNs agree, a NaN and a number do not);
 * *n_differ counts the elements that differ. */
static int64_t f32_ulp_diff(const uint8_t *a, const uint8_t *b, size_t n, int *n_differ)
{
    int64_t max = 0;

    *n_differ = 0;
    for (size_t k = 0; k + 4 <= n; k += 4) {
        int32_t x, y;
        int64_t d;
        float fx, fy;
        memcpy(&x, a + k, 4);
        memcpy(&y, b + k, 4);
        memcpy(&fx, a + k, 4);
        memcpy(&fy, b + k, 4);
        if (isnan(fx) || isnan(fy))
            d = isnan(fx) && isnan(fy) ? 0 : INT64_MAX / 2;
        else
            d = llabs((int64_t)(x < 0 ? -(x & INT32_MAX) : x) -
                      (int64_t)(y < 0 ? -(y & INT32_MAX) : y));
        *n_differ += d != 0;
        max = d > max ? d : max;
    }
    return max;
}

/* The host executor's output `i` for case c, in rounding mode `rounding`, after each of the
 * case's invocations, one after the other (malloc'd; *n bytes in all). */
static uint8_t *host_output(const cJSON *c, tsk_rounding rounding, int32_t i, size_t *n)
{
    char path[4096];
    ts_model *m = case_model(c, path, sizeof path);
    ts_ref_opts opts = {rounding, TS_KERNELS_REF};
    uint32_t n_inv = case_invocations(c);
    ts_ref *r = NULL;
    uint8_t *all = NULL;
    size_t one = 0;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_opts(m, &opts, &r, &err), TS_OK, "%s", err.msg);
    for (uint32_t k = 0; k < n_inv; k++) {
        const void *out;
        set_case_inputs_at(r, c, k);
        cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
        out = ts_ref_output(r, i, &one);
        if (!all)
            cr_assert_not_null(all = malloc(one * n_inv + 1));
        memcpy(all + k * one, out, one);
    }
    *n = one * n_inv;
    ts_ref_free(r);
    ts_model_free(m);
    return all;
}

/* Where the manifest names an exact witness, it must equal the host byte for byte: "armnn",
 * Arm NN's file of output i and the default host output `ours`; "double_rounding", TFLite's
 * file and the host in double rounding. */
static void check_exact_witness(const cJSON *c, int32_t i, const uint8_t *ours, size_t n)
{
    const cJSON *with = cJSON_GetObjectItemCaseSensitive(c, "exact_with");
    const char *file;
    char path[4096];
    uint8_t *want, *host = NULL;
    size_t len, host_n = n;

    if (!cJSON_IsString(with) || strcmp(with->valuestring, "xnnpack_bilinear") == 0)
        return; /* xnnpack_bilinear: check_xnnpack_order */
    if (strcmp(with->valuestring, "armnn") == 0) {
        file = "armnn_outputs";
    } else {
        cr_assert_str_eq(with->valuestring, "double_rounding", "unknown exact witness");
        file = "outputs";
        ours = host = host_output(c, TSK_ROUND_DOUBLE, i, &host_n);
    }
    ops_path(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, file), i)->valuestring,
             path, sizeof path);
    want = slurp_file(path, &len);
    cr_assert(len == host_n && memcmp(want, ours, len) == 0, "%s: host output differs from %s "
              "(exact_with %s)", case_str(c, "name"), path, with->valuestring);
    free(host);
    free(want);
}

/* Float32 outputs within an absolute difference `tol` of TFLite's (its reason logged). */
static void check_float_tolerance(const cJSON *c, const uint8_t *ours, const uint8_t *golden,
                                  size_t n, double tol)
{
    double max = 0.0;

    cr_assert(strcmp(case_str(c, "dtype"), "float32") == 0 && n % 4 == 0,
              "%s: tolerance_abs on a case that is not float32", case_str(c, "name"));
    for (size_t k = 0; k < n; k += 4) {
        float a, b;
        memcpy(&a, ours + k, 4);
        memcpy(&b, golden + k, 4);
        cr_assert(fabs((double)a - (double)b) <= tol, "%s: element %zu: host %.9g, TFLite %.9g "
                  "(tolerance %g)", case_str(c, "name"), k / 4, (double)a, (double)b, tol);
        max = fmax(max, fabs((double)a - (double)b));
    }
    cr_log_info("%s: at most %g from TFLite (%g allowed: %s)", case_str(c, "name"), max, tol,
                case_str(c, "tolerance_reason"));
}

/* exact_with "xnnpack_order" (float TRANSPOSE_CONV): TFLite's output is, bit for bit, the sum
 * in XNNPACK's order of model m on the committed input (tconv_xnnpack.h); "xnnpack_bilinear"
 * (RESIZE_BILINEAR, int8 or float32): XNNPACK's resize-bilinear arithmetic (resize_xnnpack.h).
 * A tolerance_abs needs one of the two, or none (float LSTM: no runtime computes tinysim's
 * order) with a reason that names the test holding the kernel to an independent reference. */
static void check_xnnpack_order(const cJSON *c, const ts_model *m, const uint8_t *golden,
                                size_t n)
{
    const cJSON *with = cJSON_GetObjectItemCaseSensitive(c, "exact_with");
    bool bilinear = cJSON_IsString(with) && strcmp(with->valuestring, "xnnpack_bilinear") == 0;
    char path[4096];
    uint8_t *in, *want;
    size_t len;

    if (!with) {
        cr_assert_not_null(strstr(case_str(c, "tolerance_reason"), "tests/unit/"),
                           "%s: tolerance_abs without exact_with names no reference test",
                           case_str(c, "name"));
        return;
    }
    cr_assert(bilinear || (cJSON_IsString(with) && strcmp(with->valuestring,
                                                          "xnnpack_order") == 0),
              "%s: tolerance_abs needs exact_with xnnpack_order or xnnpack_bilinear",
              case_str(c, "name"));
    ops_path(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "inputs"), 0)->valuestring,
             path, sizeof path);
    in = slurp_file(path, &len);
    want = malloc(n + 4);
    cr_assert_not_null(want);
    if (bilinear)
        xnn_resize_bilinear(ts_model_graph(m), in, want);
    else
        xnn_tconv_f32(ts_model_graph(m), (const float *)in, (float *)want);
    cr_assert(memcmp(want, golden, n) == 0, "%s: TFLite's output is not XNNPACK's (%s)",
              case_str(c, "name"), with->valuestring);
    free(want);
    free(in);
}

/* Host output i of case c (model m; ours: its n bytes, every invocation's) against the
 * manifest's TFLite file i. */
static void check_output_on_host(const cJSON *c, const ts_model *m, const uint8_t *ours,
                                 size_t n, int32_t i)
{
    const cJSON *tol = cJSON_GetObjectItemCaseSensitive(c, "tolerance_lsb");
    const cJSON *tol_abs = cJSON_GetObjectItemCaseSensitive(c, "tolerance_abs");
    const cJSON *tol_ulp = cJSON_GetObjectItemCaseSensitive(c, "tolerance_ulp"), *with;
    int allowed = cJSON_IsNumber(tol) ? (int)tol->valuedouble : 0, n_differ, max;
    char path[4096];
    uint8_t *golden;
    size_t len;

    ops_path(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "outputs"), i)->valuestring,
             path, sizeof path);
    golden = slurp_file(path, &len);
    cr_assert_eq(len, n, "%s: %zu bytes (host output has %zu)", path, len, n);
    if (cJSON_IsNumber(tol_abs)) {
        check_float_tolerance(c, ours, golden, n, tol_abs->valuedouble);
        check_xnnpack_order(c, m, golden, n);
    } else if (cJSON_IsNumber(tol_ulp)) {
        int64_t ulp, ulp_allowed = (int64_t)tol_ulp->valuedouble;
        cr_assert(strcmp(case_str(c, "dtype"), "float32") == 0, "ULP tolerance on int8");
        ulp = f32_ulp_diff(ours, golden, n, &n_differ);
        cr_log_info("%s: %d of %zu elements differ from TFLite (at most %lld ULP, %lld allowed: "
                    "%s)", case_str(c, "name"), n_differ, n / 4, (long long)ulp,
                    (long long)ulp_allowed, case_str(c, "tolerance_reason"));
        cr_assert_leq(ulp, ulp_allowed, "%s: %lld ULP from TFLite", case_str(c, "name"),
                      (long long)ulp);
        check_exact_witness(c, i, ours, n);
    } else if (allowed == 0) {
        for (size_t k = 0; k < n; k++)
            cr_assert_eq(ours[k], golden[k], "%s: output %d byte %zu: host %d, TFLite %d",
                         case_str(c, "name"), i, k, ours[k], golden[k]);
    } else {
        const ts_graph *g = ts_model_graph(m);
        ts_dtype dtype = g->tensors[g->outputs[i]].dtype;
        cr_assert(dtype == TS_DT_INT8 || dtype == TS_DT_INT16 || dtype == TS_DT_INT32,
                  "%s: tolerance on a %s output", case_str(c, "name"), ts_dtype_name(dtype));
        max = int_diff(ours, golden, n, ts_dtype_size(dtype), &n_differ);
        cr_log_info("%s: %d of %zu elements differ from TFLite (at most %d LSB, %d allowed: %s)",
                    case_str(c, "name"), n_differ, n / ts_dtype_size(dtype), max, allowed,
                    case_str(c, "tolerance_reason"));
        cr_assert_leq(max, allowed, "%s: %d LSB from TFLite", case_str(c, "name"), max);
        check_exact_witness(c, i, ours, n);
        with = cJSON_GetObjectItemCaseSensitive(c, "exact_with");
        if (cJSON_IsString(with) && strcmp(with->valuestring, "xnnpack_bilinear") == 0)
            check_xnnpack_order(c, m, golden, n);
    }
    free(golden);
}

static void check_case_on_host(const cJSON *c)
{
    char label[4096];
    ts_model *m = case_model(c, label, sizeof label);
    int32_t n_out = ts_model_graph(m)->n_outputs;

    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "outputs")), n_out,
                 "%s: the manifest lists one file per model output", label);
    for (int32_t i = 0; i < n_out; i++) {
        size_t n = 0;
        uint8_t *ours = host_output(c, TSK_ROUND_SINGLE, i, &n);
        check_output_on_host(c, m, ours, n, i);
        free(ours);
    }
    ts_model_free(m);
}

Test(op_golden, every_single_op_model_matches_tflite_on_the_host)
{
    cJSON *man = load_manifest(), *cases = cJSON_GetObjectItemCaseSensitive(man, "cases");
    const cJSON *c;

    cr_assert_gt(cJSON_GetArraySize(cases), 0);
    cJSON_ArrayForEach(c, cases)
        check_case_on_host(c);
    cJSON_Delete(man);
}

/* Host output 0 of `spec` (seed of case c) on c's inputs, *n its bytes. */
static uint8_t *host_output_of_spec(const cJSON *c, const char *spec, size_t *n)
{
    ts_ref_opts opts = {TSK_ROUND_SINGLE, TS_KERNELS_REF};
    uint8_t *gen = NULL, *copy;
    size_t gen_len = 0;
    ts_model *m = NULL;
    ts_ref *r = NULL;
    const void *out;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes(spec, case_seed(c), &gen, &gen_len, &err), TS_OK, "%s: %s",
                 spec, err.msg);
    cr_assert_eq(ts_model_load_buffer(gen, gen_len, spec, &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare_opts(m, &opts, &r, &err), TS_OK, "%s", err.msg);
    set_case_inputs_at(r, c, 0);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    out = ts_ref_output(r, 0, n);
    cr_assert_not_null(copy = malloc(*n + 1));
    memcpy(copy, out, *n);
    ts_ref_free(r);
    ts_model_free(m);
    ts_free(gen);
    return copy;
}

/* A fused-activation case tests the clamp only where it changes the result: gen draws the same
 * quantization, weights and inputs with and without act=, so the case's output (held to
 * TFLite's above) must differ from the same spec's without its act= field in some elements. */
Test(op_golden, every_fused_activation_case_clamps_some_outputs)
{
    cJSON *man = load_manifest(), *cases = cJSON_GetObjectItemCaseSensitive(man, "cases");
    const cJSON *c;
    int n_cases = 0;

    cJSON_ArrayForEach(c, cases) {
        const char *spec = case_str(c, "spec"), *act = strstr(spec, ",act=");
        char plain[512];
        size_t n_with = 0, n_without = 0, n_changed = 0;
        uint8_t *with, *without;

        if (!act || strncmp(spec, "op:svdf,", 8) == 0 || strncmp(act, ",act=none", 9) == 0)
            continue;
        snprintf(plain, sizeof plain, "%.*s%s", (int)(act - spec), spec,
                 act + 1 + strcspn(act + 1, ","));
        with = host_output_of_spec(c, spec, &n_with);
        without = host_output_of_spec(c, plain, &n_without);
        cr_assert_eq(n_with, n_without, "%s", spec);
        for (size_t k = 0; k < n_with; k++)
            n_changed += with[k] != without[k];
        cr_expect_gt(n_changed, 0, "%s: the activation clamps nothing (same bytes as %s)", spec,
                     plain);
        free(with);
        free(without);
        n_cases++;
    }
    cr_expect_geq(n_cases, 40, "%d fused-activation cases in the manifest", n_cases);
    cJSON_Delete(man);
}

/* Every case on target `name`: outputs byte-identical to the host executor's. On cortex-m0
 * (64 KiB of flash) every case whose op-set image does not fit (any op of the _x set: that image
 * alone is larger than the flash) runs a per-model image linked for it (sim/platform/fw_link.c),
 * so these cases also hold every such image to the host. */
static void check_cases_on(const char *name)
{
    cJSON *man = load_manifest(), *cases = cJSON_GetObjectItemCaseSensitive(man, "cases");
    const cJSON *c;

    cJSON_ArrayForEach(c, cases) {
        char path[4096];
        ts_model *m = case_model(c, path, sizeof path);
        ts_target t;

        load_target_named(name, &t);
        need_firmware(&t);
        grow_ram_if_needed(&t, ts_model_graph(m), path);
        check_bit_exact_n(&t, ts_model_graph(m), path, case_seed(c), case_invocations(c));
        ts_target_free(&t);
        ts_model_free(m);
    }
    cJSON_Delete(man);
}

#define OP_GOLDEN_ON(id, core)                                                                 \
    Test(op_golden, every_single_op_model_matches_the_host_on_##id)                            \
    {                                                                                          \
        check_cases_on(core);                                                                  \
    }

/* Under the sanitizers (TS_SANITIZED) the M0, the M3, the M33, rp2040 and the M4's DSP and
 * systolic targets are left to the plain build, for suite time: the host code they run
 * (decode, table-driven timing, the cpu unit) is that of the M0+ (ARMv6-M) and the M4/M7
 * (ARMv7-M), which run here in both builds; the units' host code runs under the sanitizers in
 * test_every_core.c. */
#if !TS_SANITIZED
OP_GOLDEN_ON(cortex_m0, "cortex-m0")
OP_GOLDEN_ON(cortex_m3, "cortex-m3")
OP_GOLDEN_ON(rp2040, "rp2040")
OP_GOLDEN_ON(cortex_m33, "cortex-m33")
OP_GOLDEN_ON(cortex_m4_dsp, "cortex-m4-dsp")
OP_GOLDEN_ON(cortex_m4_systolic, "cortex-m4-systolic")
#endif
OP_GOLDEN_ON(cortex_m0plus, "cortex-m0plus")
OP_GOLDEN_ON(cortex_m4, "cortex-m4")
OP_GOLDEN_ON(cortex_m7, "cortex-m7")
