/* Golden-output tests of the reference executor: every case of ../shared/golden/manifest.json
 * (TFLite via XNNPACK and Arm NN CpuRef outputs, see ../shared/README.md). Tolerance: int8
 * within 1 LSB of the TFLite file on every element (within 1 LSB of either runtime where they
 * disagree); float32 within 1e-4 * max(1, |golden|), asserted for the executor's DEFAULT
 * rounding (single). Elements that differ at all are counted and logged per model (goal 0),
 * for the default and, for comparison only (not asserted: TFLite Micro's double rounding is
 * known to drift several LSB from these runtimes), for TSK_ROUND_DOUBLE.
 * Skipped with a visible note when ../shared is absent. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/ref/ref.h"

typedef struct tally {
    int cases;
    long long elems, n_differ, n_bad;
    int max_lsb;       /* int8: largest |ours - tflite| */
    double max_rel;    /* float: largest |ours - tflite| / max(1, |tflite|) */
} tally;

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    cr_assert(cJSON_IsString(v), "manifest: '%s' is not a string", key);
    return v->valuestring;
}

static uint8_t *golden_file(const char *gdir, const cJSON *files, const char *rt, size_t *len)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(files, rt);
    char path[4096];

    if (!cJSON_IsString(f))
        return NULL;
    snprintf(path, sizeof path, "%s/%s", gdir, f->valuestring);
    return slurp(path, len);
}

static void compare_int8(const int8_t *ours, const int8_t *tf, const int8_t *arm, size_t n,
                         tally *t)
{
    for (size_t i = 0; i < n; i++) {
        int d = abs(ours[i] - tf[i]), da = arm ? abs(ours[i] - arm[i]) : d;
        t->n_differ += d != 0;
        t->max_lsb = d > t->max_lsb ? d : t->max_lsb;
        t->n_bad += (d < da ? d : da) > 1;
    }
}

static void compare_f32(const uint8_t *ours, const uint8_t *tf, const uint8_t *arm, size_t n,
                        tally *t)
{
    for (size_t i = 0; i < n; i++) {
        float a, g, h;
        double rel, rel_arm;
        memcpy(&a, ours + 4 * i, 4), memcpy(&g, tf + 4 * i, 4);
        h = g;
        if (arm)
            memcpy(&h, arm + 4 * i, 4);
        rel = fabs((double)a - g) / fmax(1.0, fabs((double)g));
        rel_arm = fabs((double)a - h) / fmax(1.0, fabs((double)h));
        t->n_differ += a != g;
        t->max_rel = fmax(t->max_rel, rel);
        t->n_bad += fmin(rel, rel_arm) > 1e-4;
    }
}

static void check_output(const char *gdir, const cJSON *o, const void *ours, size_t bytes,
                         tally *t)
{
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(o, "files");
    size_t ltf = 0, larm = 0;
    uint8_t *tf = golden_file(gdir, files, "tflite", &ltf);
    uint8_t *arm = golden_file(gdir, files, "armnn", &larm);
    int is_int8 = strcmp(str_of(o, "dtype"), "int8") == 0;

    cr_assert_not_null(tf, "manifest: output without a tflite file");
    cr_assert_eq(ltf, bytes, "golden has %zu bytes, ours %zu", ltf, bytes);
    if (arm && larm != bytes) {
        free(arm);
        arm = NULL;
    }
    if (is_int8)
        compare_int8(ours, (const int8_t *)tf, (const int8_t *)arm, bytes, t);
    else
        compare_f32(ours, tf, arm, bytes / 4, t);
    t->elems += (long long)(is_int8 ? bytes : bytes / 4);
    free(tf);
    free(arm);
}

static void run_case(const char *gdir, const cJSON *c, ts_ref *r, tally *t)
{
    const cJSON *ins = cJSON_GetObjectItemCaseSensitive(c, "inputs");
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(c, "outputs");
    const cJSON *x;
    int32_t i = 0;
    ts_err err;

    ts_err_clear(&err);
    cJSON_ArrayForEach(x, ins) {
        char path[4096];
        size_t len;
        uint8_t *buf;
        snprintf(path, sizeof path, "%s/%s", gdir, str_of(x, "file"));
        buf = slurp(path, &len);
        cr_assert_eq(ts_ref_set_input(r, i++, buf, len, &err), TS_OK, "%s", err.msg);
        free(buf);
    }
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    i = 0;
    cJSON_ArrayForEach(x, outs) {
        size_t bytes;
        const void *out = ts_ref_output(r, i++, &bytes);
        check_output(gdir, x, out, bytes, t);
    }
    t->cases++;
}

static void check_model(const char *stem)
{
    const char *dir = getenv("TS_SHARED_DIR");
    char gdir[1024], path[4096];
    struct stat sb;
    size_t len;
    uint8_t *text;
    cJSON *root;
    const cJSON *c;
    ts_model *m = NULL;
    ts_ref *r = NULL, *rd = NULL;
    const ts_ref_opts dbl = {.rounding = TSK_ROUND_DOUBLE};
    ts_err err;
    tally t = {0, 0, 0, 0, 0, 0.0}, td = t;

    snprintf(gdir, sizeof gdir, "%s/golden", dir ? dir : "");
    snprintf(path, sizeof path, "%s/manifest.json", gdir);
    if (!dir || stat(path, &sb) != 0)
        cr_skip_test("golden manifest not found (%s): skipped", path);
    text = slurp(path, &len);
    root = cJSON_ParseWithLength((const char *)text, len);
    cr_assert_not_null(root, "manifest.json does not parse");
    ts_err_clear(&err);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases")) {
        if (strcmp(str_of(c, "stem"), stem) != 0)
            continue;
        if (!m) {
            snprintf(path, sizeof path, "%s/%s", gdir, str_of(c, "model"));
            cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s", err.msg);
            cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
            cr_assert_eq(ts_ref_rounding(r), TSK_ROUND_SINGLE);
            cr_assert_eq(ts_ref_prepare_opts(m, &dbl, &rd, &err), TS_OK, "%s", err.msg);
        }
        run_case(gdir, c, r, &t);
        run_case(gdir, c, rd, &td);
    }
    cr_log_info("golden %s: %d cases, %lld elements, %lld differ from tflite (max %d LSB, max "
                "rel %.2g), %lld outside tolerance", stem, t.cases, t.elems, t.n_differ,
                t.max_lsb, t.max_rel, t.n_bad);
    cr_log_info("golden %s [double rounding, not asserted]: %lld differ from tflite (max %d "
                "LSB), %lld outside tolerance", stem, td.n_differ, td.max_lsb, td.n_bad);
    cr_expect_gt(t.cases, 0, "no case for %s in the manifest", stem);
    cr_expect_eq(t.n_bad, 0, "%s: %lld of %lld elements outside tolerance (max %d LSB from "
                 "tflite, %lld differ)", stem, t.n_bad, t.elems, t.max_lsb, t.n_differ);
    ts_ref_free(r);
    ts_ref_free(rd);
    ts_model_free(m);
    cJSON_Delete(root);
    free(text);
}

Test(golden, hello_world_int8_matches) { check_model("hello_world_int8"); }
Test(golden, hello_world_float_matches) { check_model("hello_world_float"); }
Test(golden, micro_speech_int8_matches) { check_model("micro_speech_int8"); }
Test(golden, person_detect_int8_matches) { check_model("person_detect_int8"); }
Test(golden, kws_ds_cnn_int8_matches) { check_model("kws_ds_cnn_int8"); }
Test(golden, vww_mobilenetv1_int8_matches) { check_model("vww_mobilenetv1_int8"); }
Test(golden, vww_mobilenetv1_float_matches) { check_model("vww_mobilenetv1_float"); }
Test(golden, ic_resnet8_int8_matches) { check_model("ic_resnet8_int8"); }
Test(golden, ad_autoencoder_int8_matches) { check_model("ad_autoencoder_int8"); }
