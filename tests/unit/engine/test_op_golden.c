/* Golden tests of single-op models (tests/data/ops/, written by scripts/gen_op_goldens.py from
 * `tinysim gen op:...` models and the outputs of the TensorFlow Lite interpreter, the runtime
 * its manifest names). Per case:
 *   - the model `tinysim gen SPEC --seed N` writes today is the one the goldens were made from
 *     (its SHA-256 is the manifest's; a generator change must regenerate the goldens; the
 *     models themselves are not committed), and the committed inputs follow the seeded input
 *     rule of engine_test.h (so the per-core runs below see the same inputs);
 *   - the host reference executor's output equals TFLite's bit for bit, or, for the integer ops
 *     the manifest gives a tolerance_lsb with its reason, within that many LSB, and then bit
 *     for bit what it names in exact_with: Arm NN's output ("armnn"), or TFLite's output with
 *     the executor in double rounding ("double_rounding");
 *   - on every emulated core (one test per core), the outputs are byte-identical to the host.
 * Needs neither Node nor the runtimes: they ran when the goldens were made. */
#include <cjson/cJSON.h>

#include "cli_run.h"
#include "engine_test.h"
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

/* Sets the committed inputs on r, checking they follow the seeded rule (fill_input). */
static void set_case_inputs(ts_ref *r, const cJSON *c)
{
    const cJSON *ins = cJSON_GetObjectItemCaseSensitive(c, "inputs");
    uint32_t state = case_seed(c) * 0x9E3779B9u;
    char path[4096];
    ts_err err;

    cr_assert_eq(cJSON_GetArraySize(ins), ts_ref_n_inputs(r), "%s: input count",
                 case_str(c, "name"));
    ts_err_clear(&err);
    for (int32_t i = 0; i < ts_ref_n_inputs(r); i++) {
        ts_ref_io io;
        size_t len;
        uint8_t *data, *rule;

        ts_ref_input_info(r, i, &io);
        ops_path(cJSON_GetArrayItem(ins, i)->valuestring, path, sizeof path);
        data = slurp_file(path, &len);
        rule = calloc(1, io.size_bytes + 1);
        fill_input(&io, &state, rule);
        cr_assert(len == io.size_bytes && memcmp(data, rule, len) == 0,
                  "%s: not the seeded input rule of engine_test.h", path);
        cr_assert_eq(ts_ref_set_input(r, i, data, len, &err), TS_OK, "%s", err.msg);
        free(rule);
        free(data);
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

/* The host executor's output 0 for case c, in rounding mode `rounding` (malloc'd). */
static uint8_t *host_output(const cJSON *c, tsk_rounding rounding, size_t *n)
{
    char path[4096];
    ts_model *m = case_model(c, path, sizeof path);
    ts_ref_opts opts = {rounding, TS_KERNELS_REF};
    ts_ref *r = NULL;
    const void *out;
    uint8_t *copy;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_opts(m, &opts, &r, &err), TS_OK, "%s", err.msg);
    set_case_inputs(r, c);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    out = ts_ref_output(r, 0, n);
    copy = malloc(*n + 1);
    cr_assert_not_null(copy);
    memcpy(copy, out, *n);
    ts_ref_free(r);
    ts_model_free(m);
    return copy;
}

/* Where the manifest names an exact witness, it must equal the host byte for byte: "armnn",
 * Arm NN's output file and the default host output `ours`; "double_rounding", TFLite's file
 * and the host in double rounding. */
static void check_exact_witness(const cJSON *c, const uint8_t *ours, size_t n)
{
    const cJSON *with = cJSON_GetObjectItemCaseSensitive(c, "exact_with");
    const char *file;
    char path[4096];
    uint8_t *want, *host = NULL;
    size_t len, host_n = n;

    if (!cJSON_IsString(with))
        return;
    if (strcmp(with->valuestring, "armnn") == 0) {
        file = "armnn_outputs";
    } else {
        cr_assert_str_eq(with->valuestring, "double_rounding", "unknown exact witness");
        file = "outputs";
        ours = host = host_output(c, TSK_ROUND_DOUBLE, &host_n);
    }
    ops_path(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, file), 0)->valuestring,
             path, sizeof path);
    want = slurp_file(path, &len);
    cr_assert(len == host_n && memcmp(want, ours, len) == 0, "%s: host output differs from %s "
              "(exact_with %s)", case_str(c, "name"), path, with->valuestring);
    free(host);
    free(want);
}

static void check_case_on_host(const cJSON *c)
{
    const cJSON *tol = cJSON_GetObjectItemCaseSensitive(c, "tolerance_lsb");
    int allowed = cJSON_IsNumber(tol) ? (int)tol->valuedouble : 0, n_differ, max;
    char path[4096];
    ts_model *m = case_model(c, path, sizeof path);
    ts_ref *r = NULL;
    const uint8_t *ours;
    uint8_t *golden;
    size_t n, len;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    set_case_inputs(r, c);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    ours = ts_ref_output(r, 0, &n);
    ops_path(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "outputs"), 0)->valuestring,
             path, sizeof path);
    golden = slurp_file(path, &len);
    cr_assert_eq(len, n, "%s: %zu bytes (host output has %zu)", path, len, n);
    if (allowed == 0) {
        for (size_t k = 0; k < n; k++)
            cr_assert_eq(ours[k], golden[k], "%s: byte %zu: host %d, TFLite %d",
                         case_str(c, "name"), k, ours[k], golden[k]);
    } else {
        ts_ref_io io;
        ts_ref_output_info(r, 0, &io);
        cr_assert(io.dtype == TS_DT_INT8 || io.dtype == TS_DT_INT16 || io.dtype == TS_DT_INT32,
                  "%s: tolerance on a %s output", case_str(c, "name"), ts_dtype_name(io.dtype));
        max = int_diff(ours, golden, n, ts_dtype_size(io.dtype), &n_differ);
        cr_log_info("%s: %d of %zu elements differ from TFLite (at most %d LSB, %d allowed: %s)",
                    case_str(c, "name"), n_differ, n, max, allowed,
                    case_str(c, "tolerance_reason"));
        cr_assert_leq(max, allowed, "%s: %d LSB from TFLite", case_str(c, "name"), max);
        check_exact_witness(c, ours, n);
    }
    free(golden);
    ts_ref_free(r);
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

/* Every case on target `name`: outputs byte-identical to the host executor's. */
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
        check_bit_exact(&t, ts_model_graph(m), path, case_seed(c));
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

OP_GOLDEN_ON(cortex_m0, "cortex-m0")
OP_GOLDEN_ON(cortex_m0plus, "cortex-m0plus")
OP_GOLDEN_ON(cortex_m3, "cortex-m3")
OP_GOLDEN_ON(cortex_m4, "cortex-m4")
OP_GOLDEN_ON(cortex_m7, "cortex-m7")
OP_GOLDEN_ON(cortex_m33, "cortex-m33")
OP_GOLDEN_ON(cortex_m4_dsp, "cortex-m4-dsp")
OP_GOLDEN_ON(cortex_m4_systolic, "cortex-m4-systolic")
OP_GOLDEN_ON(rp2040, "rp2040")
