/* test_cli_kernels.c: `--kernels` end to end. `tinysim bench --kernels both --json` parsed
 * with cJSON (both runs, identical outputs, a per-layer comparison consistent with each run's
 * layers, simd faster on cortex-m4), the fallback note on cortex-m3, the text reports, bad
 * values (exit 2, one stderr line), and `tinysim run --kernels simd` giving ref's outputs on
 * every shared model. Skips visibly without the firmware or ../shared. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <unistd.h>

#include "cli_run.h"
#include "sim/base/alloc.h"
#include "tests/unit/engine/engine_test.h"

static cJSON *item(const cJSON *o, const char *key)
{
    cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

    cr_assert_not_null(x, "JSON has no '%s'", key);
    return x;
}

static double num(const cJSON *o, const char *key)
{
    cJSON *x = item(o, key);

    cr_assert(cJSON_IsNumber(x), "'%s' is not a number", key);
    return x->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
    cJSON *x = item(o, key);

    cr_assert(cJSON_IsString(x), "'%s' is not a string", key);
    return x->valuestring;
}

static cJSON *bench_json(const char *target, const char *model, const char *kernels,
                         cli_result *res)
{
    const char *args[] = {"bench", "--target", target, model, "--kernels", kernels, "--json",
                          NULL};
    cJSON *doc;

    *res = cli_run(args);
    cr_assert_eq(res->status, 0, "exit %d: %s", res->status, res->err);
    doc = cJSON_Parse(res->out);
    cr_assert_not_null(doc, "not JSON: %s", res->out);
    return doc;
}

/* comparison.layers agree with ref.layers and simd.layers; returns the summed cycles. */
static void check_comparison(const cJSON *doc, uint64_t *ref_sum, uint64_t *simd_sum)
{
    const cJSON *cmp = item(doc, "comparison"), *rl = item(item(doc, "ref"), "layers");
    const cJSON *sl = item(item(doc, "simd"), "layers"), *cl = item(cmp, "layers");
    int n = cJSON_GetArraySize(cl);

    cr_assert_gt(n, 0);
    cr_assert_eq(n, cJSON_GetArraySize(rl));
    cr_assert_eq(n, cJSON_GetArraySize(sl));
    *ref_sum = *simd_sum = 0;
    for (int k = 0; k < n; k++) {
        const cJSON *c = cJSON_GetArrayItem(cl, k), *r = cJSON_GetArrayItem(rl, k);
        const cJSON *s = cJSON_GetArrayItem(sl, k);
        cr_assert_eq(num(c, "ref_cycles"), num(r, "cycles"), "layer %d", k);
        cr_assert_eq(num(c, "simd_cycles"), num(s, "cycles"), "layer %d", k);
        cr_assert_eq(num(c, "ref_flash_read_accesses"), num(r, "flash_read_accesses"));
        cr_assert_eq(num(c, "simd_flash_read_accesses"), num(s, "flash_read_accesses"));
        cr_assert_eq(num(c, "ref_ram_read_accesses"), num(r, "ram_read_accesses"));
        cr_assert_eq(num(c, "simd_ram_read_accesses"), num(s, "ram_read_accesses"));
        cr_assert_float_eq(num(c, "speedup"), num(r, "cycles") / num(s, "cycles"), 1e-9);
        cr_assert_str_eq(str(r, "kernels"), "ref");
        *ref_sum += (uint64_t)num(c, "ref_cycles");
        *simd_sum += (uint64_t)num(c, "simd_cycles");
    }
    cr_assert_eq((double)*ref_sum, num(item(item(doc, "ref"), "totals"), "cycles"));
    cr_assert_eq((double)*simd_sum, num(item(item(doc, "simd"), "totals"), "cycles"));
    cr_assert_eq(num(cmp, "ref_cycles"), (double)*ref_sum);
    cr_assert_eq(num(cmp, "simd_cycles"), (double)*simd_sum);
}

Test(cli_kernels, bench_kernels_both_json_compares_ref_and_simd_per_layer_on_cortex_m4)
{
    char model[64];
    cli_result res, single;
    cJSON *doc, *one;
    uint64_t rs, ss;
    int n_simd = 0;

    need_target_firmware("cortex-m4");
    cli_gen_model("ds_cnn", model, sizeof model);
    doc = bench_json("cortex-m4", model, "both", &res);
    cr_assert_str_eq(str(doc, "kernels_requested"), "both");
    cr_assert(cJSON_IsTrue(item(doc, "outputs_identical")));
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(doc, "note"));
    cr_assert_str_eq(str(item(doc, "ref"), "kernels"), "ref");
    cr_assert_str_eq(str(item(doc, "simd"), "kernels"), "simd");
    check_comparison(doc, &rs, &ss);
    cr_assert_lt(ss, rs);
    cr_assert_gt(num(item(doc, "comparison"), "speedup"), 1.0);
    for (int k = 0; k < cJSON_GetArraySize(item(item(doc, "simd"), "layers")); k++)
        n_simd += !strcmp(str(cJSON_GetArrayItem(item(item(doc, "simd"), "layers"), k),
                              "kernels"), "simd");
    cr_assert_eq(n_simd, 10, "DS-CNN: 5 conv + 4 depthwise + 1 fc run simd (got %d)", n_simd);
    /* the outputs are those of a plain --kernels ref run */
    one = bench_json("cortex-m4", model, "ref", &single);
    cr_assert(cJSON_Compare(item(doc, "outputs"), item(one, "outputs"), true));
    cr_assert_str_eq(str(one, "kernels"), "ref");
    cr_log_info("ds_cnn on cortex-m4: ref %llu, simd %llu cycles (%.2fx)",
                (unsigned long long)rs, (unsigned long long)ss, (double)rs / (double)ss);
    cJSON_Delete(one);
    cJSON_Delete(doc);
    cli_result_free(&single);
    cli_result_free(&res);
    unlink(model);
}

Test(cli_kernels, bench_kernels_both_on_cortex_m3_notes_the_fallback_and_equal_cycles)
{
    const char *note = "cortex-m3 has no DSP extension: --kernels simd runs the plain kernels";
    char model[64], line[192];
    cli_result res;
    cJSON *doc;
    uint64_t rs, ss;

    need_target_firmware("cortex-m3");
    cli_gen_model("conv:8,8,3,8,3,3,2", model, sizeof model);
    doc = bench_json("cortex-m3", model, "both", &res);
    snprintf(line, sizeof line, "note: %s\n", note);
    cr_assert_str_eq(res.err, line);
    cr_assert_str_eq(str(doc, "note"), note);
    cr_assert_str_eq(str(item(doc, "simd"), "kernels"), "ref");
    check_comparison(doc, &rs, &ss);
    cr_assert_eq(rs, ss);
    cr_assert_float_eq(num(item(doc, "comparison"), "speedup"), 1.0, 1e-12);
    cJSON_Delete(doc);
    cli_result_free(&res);
    unlink(model);
}

Test(cli_kernels, bench_text_reports_name_the_variant_and_compare_per_layer)
{
    const char *simd[] = {"bench", "--target", "cortex-m4", NULL, "--kernels", "simd", NULL};
    const char *both[] = {"bench", "--target", "cortex-m4", NULL, "--kernels", "both", NULL};
    char model[64];
    cli_result a, b;

    need_target_firmware("cortex-m4");
    simd[3] = both[3] = cli_gen_model("fc:64,10", model, sizeof model);
    a = cli_run(simd);
    b = cli_run(both);
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_assert(strstr(a.out, "\nkernels       simd\n"), "%s", a.out);
    cr_assert_str_eq(a.err, "");
    cr_assert(strstr(b.out, "\nkernels       ref vs simd\n"), "%s", b.out);
    cr_assert(strstr(b.out, "ref_cycles") && strstr(b.out, "simd_cycles") &&
              strstr(b.out, "speedup") && strstr(b.out, "ref_flash_rd") &&
              strstr(b.out, "simd_ram_rd"), "%s", b.out);
    cr_assert(strstr(b.out, "outputs identical\n"), "%s", b.out);
    cli_result_free(&a);
    cli_result_free(&b);
    unlink(model);
}

Test(cli_kernels, a_bad_kernels_value_is_a_usage_error)
{
    const char *bench[] = {"bench", "--target", "cortex-m4", "m.tflite", "--kernels", "fast",
                           NULL};
    const char *run[] = {"run", "m.tflite", "--kernels", "both", NULL};
    cli_result a = cli_run(bench), b = cli_run(run);

    cr_assert_eq(a.status, 2);
    cr_assert_str_eq(a.err, "tinysim: bench: --kernels: expected auto, ref, simd or both, got 'fast'\n");
    cr_assert_eq(b.status, 2);
    cr_assert_str_eq(b.err, "tinysim: run: --kernels: expected ref or simd, got 'both'\n");
    cli_result_free(&a);
    cli_result_free(&b);
}

static uint8_t *slurp_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long len;

    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = calloc(1, (size_t)len + 1);
    cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* Random bytes of input 0's size into a temporary file. */
static void write_input(const char *model, char *path, size_t cap, uint32_t seed)
{
    ts_model *m = NULL;
    ts_ref *r = NULL;
    ts_ref_io io;
    ts_err err;
    FILE *f;
    int fd;

    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(model, &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_n_inputs(r), 1);
    ts_ref_input_info(r, 0, &io);
    snprintf(path, cap, "/tmp/ts_kin_XXXXXX");
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    f = fdopen(fd, "wb");
    for (size_t k = 0; k < io.size_bytes; k++)
        fputc(io.dtype == TS_DT_FLOAT32 && k % 4 == 3 ? 0x3e : (int)(test_xorshift(&seed) >> 24),
              f);
    fclose(f);
    ts_ref_free(r);
    ts_model_free(m);
}

static uint8_t *run_output(const char *model, const char *input, const char *kernels, size_t *n)
{
    char out[64];
    const char *args[] = {"run", model, "--input", input, "--output", out, "--kernels", kernels,
                          "--quiet", NULL};
    cli_result res;
    uint8_t *bytes;
    int fd;

    snprintf(out, sizeof out, "/tmp/ts_kout_XXXXXX");
    fd = mkstemp(out);
    cr_assert_geq(fd, 0);
    close(fd);
    res = cli_run(args);
    cr_assert_eq(res.status, 0, "%s --kernels %s: exit %d: %s", model, kernels, res.status,
                 res.err);
    bytes = slurp_file(out, n);
    unlink(out);
    cli_result_free(&res);
    return bytes;
}

Test(cli_kernels, run_kernels_simd_prints_ref_outputs_on_every_shared_model)
{
    const char *models[] = {"hello_world_int8", "hello_world_float", "micro_speech_int8",
                            "person_detect_int8", "kws_ds_cnn_int8", "vww_mobilenetv1_int8",
                            "vww_mobilenetv1_float", "ic_resnet8_int8", "ad_autoencoder_int8"};

    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        char path[4096], input[64];
        size_t nr = 0, ns = 0;
        uint8_t *r, *s;
        shared_model_path(models[i], path, sizeof path);
        write_input(path, input, sizeof input, (uint32_t)i + 11);
        r = run_output(path, input, "ref", &nr);
        s = run_output(path, input, "simd", &ns);
        cr_assert_gt(nr, 0);
        cr_assert_eq(nr, ns);
        cr_assert_eq(memcmp(r, s, nr), 0, "%s: run --kernels simd differs from ref", models[i]);
        free(r);
        free(s);
        unlink(input);
    }
}
