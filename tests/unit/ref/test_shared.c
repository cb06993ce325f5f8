/* Tests of the reference executor against the third-party data in ../shared (README there):
 * (a) the published-input expectations (exact pass/fail: hello_world within 0.05 of sin(x),
 * person/no_person, micro_speech yes/no), (b) every case of golden/manifest.json: int8 within
 * 1 LSB of the TFLite golden (of either runtime where they disagree), float within
 * 1e-4 * max(1, |golden|); elements differing at all are counted and logged per model.
 * The published-input expectations are checked in both rounding modes (default single, and
 * TFLite Micro's double rounding), which must each meet them.
 * Skipped with a visible note when ../shared is absent. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/ref/ref.h"

static const char *shared_dir(void)
{
    const char *d = getenv("TS_SHARED_DIR");
    char p[4096];
    struct stat sb;

    if (!d)
        return NULL;
    snprintf(p, sizeof p, "%s/models", d);
    return stat(p, &sb) == 0 ? d : NULL;
}

static const char *need_shared(void)
{
    const char *d = shared_dir();

    if (!d)
        cr_skip_test("shared test data not found (TS_SHARED_DIR=%s): skipped",
                     getenv("TS_SHARED_DIR") ? getenv("TS_SHARED_DIR") : "unset");
    return d;
}

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
    fclose(f);
    *len = (size_t)n;
    return buf;
}

typedef struct runner {
    ts_model *m;
    ts_ref *r;
} runner;

static runner open_model_mode(const char *dir, const char *file, tsk_rounding mode)
{
    const ts_ref_opts o = {.rounding = mode};
    char path[4096];
    runner x = {NULL, NULL};
    ts_err err;

    snprintf(path, sizeof path, "%s/models/%s", dir, file);
    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(path, &x.m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare_opts(x.m, &o, &x.r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_rounding(x.r), mode);
    return x;
}

static runner open_model(const char *dir, const char *file)
{
    return open_model_mode(dir, file, TSK_ROUND_SINGLE);
}

static const void *run(runner *x, const void *in, size_t len)
{
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_set_input(x->r, 0, in, len, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_invoke(x->r, &err), TS_OK, "%s", err.msg);
    return ts_ref_output(x->r, 0, NULL);
}

static void close_model(runner *x)
{
    ts_ref_free(x->r);
    ts_model_free(x->m);
}

/* ---- (a) published inputs ---- */

static void check_hello_world_int8(tsk_rounding mode)
{
    static const int8_t q[4] = {-96, -63, -34, 0}; /* hello_world_golden_int8.csv */
    static const double x[4] = {0.77, 1.57, 2.3, 3.14};
    runner h = open_model_mode(need_shared(), "hello_world_int8.tflite", mode);

    for (int i = 0; i < 4; i++) {
        int8_t out = *(const int8_t *)run(&h, &q[i], 1);
        double y = (out - 5) * 0.00829096;
        cr_log_info("hello_world int8 (rounding %d): x=%.2f q=%d -> %d (%.4f), sin %.4f",
                    (int)mode, x[i], q[i], out, y, sin(x[i]));
        cr_expect_leq(fabs(y - sin(x[i])), 0.05, "x=%.2f: %.4f vs sin %.4f", x[i], y, sin(x[i]));
    }
    close_model(&h);
}

Test(shared, hello_world_int8_is_within_0_05_of_sine)
{
    check_hello_world_int8(TSK_ROUND_SINGLE);
}

Test(shared, hello_world_int8_is_within_0_05_of_sine_with_double_rounding)
{
    check_hello_world_int8(TSK_ROUND_DOUBLE);
}

Test(shared, hello_world_float_is_within_0_05_of_sine)
{
    static const float x[4] = {0.0f, 1.0f, 3.0f, 5.0f}; /* hello_world_golden_float.csv */
    runner h = open_model(need_shared(), "hello_world_float.tflite");

    for (int i = 0; i < 4; i++) {
        float y;
        memcpy(&y, run(&h, &x[i], 4), 4);
        cr_expect_leq(fabs(y - sin(x[i])), 0.05, "x=%g: %.4f vs sin %.4f", x[i], y, sin(x[i]));
    }
    close_model(&h);
}

/* Runs model on an input file and returns the arg-max of an int8 output of n classes. */
static int top_class_mode(const char *model, const char *input, int n, int8_t *scores,
                          tsk_rounding mode)
{
    const char *dir = need_shared();
    char path[4096];
    size_t len;
    uint8_t *in;
    runner x = open_model_mode(dir, model, mode);
    int best = 0;

    snprintf(path, sizeof path, "%s/inputs/%s", dir, input);
    in = slurp(path, &len);
    memcpy(scores, run(&x, in, len), (size_t)n);
    for (int i = 1; i < n; i++)
        best = scores[i] > scores[best] ? i : best;
    cr_log_info("%s on %s (rounding %d): top %d (scores %d %d %d %d)", model, input, (int)mode,
                best, scores[0], scores[1], n > 2 ? scores[2] : 0, n > 3 ? scores[3] : 0);
    free(in);
    close_model(&x);
    return best;
}

static int top_class(const char *model, const char *input, int n, int8_t *scores)
{
    return top_class_mode(model, input, n, scores, TSK_ROUND_SINGLE);
}

Test(shared, person_detect_finds_the_person)
{
    int8_t s[2];

    cr_expect_eq(top_class("person_detect_int8.tflite", "person_96x96x1_int8.raw", 2, s), 1);
    cr_expect_gt(s[1], s[0]);
}

Test(shared, person_detect_finds_no_person)
{
    int8_t s[2];

    cr_expect_eq(top_class("person_detect_int8.tflite", "no_person_96x96x1_int8.raw", 2, s), 0);
    cr_expect_gt(s[0], s[1]);
}

Test(shared, micro_speech_hears_yes)
{
    int8_t s[4];

    cr_expect_eq(top_class("micro_speech_int8.tflite", "micro_speech_yes_49x40_int8.bin", 4, s),
                 2);
}

Test(shared, micro_speech_hears_no)
{
    int8_t s[4];

    cr_expect_eq(top_class("micro_speech_int8.tflite", "micro_speech_no_49x40_int8.bin", 4, s),
                 3);
}

/* ---- (a') the same published-input expectations with TFLite Micro's double rounding ---- */

Test(shared, double_rounding_person_detect_finds_the_person_and_no_person)
{
    int8_t s[2];

    cr_expect_eq(top_class_mode("person_detect_int8.tflite", "person_96x96x1_int8.raw", 2, s,
                                TSK_ROUND_DOUBLE), 1);
    cr_expect_gt(s[1], s[0]);
    cr_expect_eq(top_class_mode("person_detect_int8.tflite", "no_person_96x96x1_int8.raw", 2, s,
                                TSK_ROUND_DOUBLE), 0);
    cr_expect_gt(s[0], s[1]);
}

Test(shared, double_rounding_micro_speech_hears_yes_and_no)
{
    int8_t s[4];

    cr_expect_eq(top_class_mode("micro_speech_int8.tflite", "micro_speech_yes_49x40_int8.bin", 4,
                                s, TSK_ROUND_DOUBLE), 2);
    cr_expect_eq(top_class_mode("micro_speech_int8.tflite", "micro_speech_no_49x40_int8.bin", 4,
                                s, TSK_ROUND_DOUBLE), 3);
}
