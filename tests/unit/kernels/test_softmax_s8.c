/* tests/unit/kernels/test_softmax_s8.c: SOFTMAX int8 (softmax_s8.c) and its prepare helper:
 * random rows against float softmax (within 2 LSB), monotonic in the input, uniform rows,
 * saturation of far-below-max inputs to -128, and rows summing to ~1. */
#include <criterion/criterion.h>

#include "kernel_test_util.h"

static void float_softmax(const int8_t *in, int32_t n, double scale, double beta, double *p)
{
    double max = -1e300, sum = 0.0;
    for (int i = 0; i < n; i++)
        max = in[i] > max ? in[i] : max;
    for (int i = 0; i < n; i++) {
        p[i] = exp(beta * scale * (in[i] - max));
        sum += p[i];
    }
    for (int i = 0; i < n; i++)
        p[i] /= sum;
}

Test(softmax_s8, prepare_matches_hand_computed_parameters)
{
    tsk_softmax_params p;
    /* beta * scale * 2^26 = 2^26 * 2^-4 = 2^22 -> multiplier 2^30, shift 23. */
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 0.0625f, TSK_ROUND_DOUBLE, &p), TSK_OK);
    cr_assert(p.input_multiplier == (1 << 30) && p.input_left_shift == 23);
    /* radius = 31 * 2^26 / 2^23 = 248. */
    cr_assert_eq(p.diff_min, -248);
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 0.0f, TSK_ROUND_DOUBLE, &p), TSK_ERR_ARG);
}

Test(softmax_s8, random_rows_are_within_two_lsb_of_float_softmax)
{
    rng r = {777u};
    for (int t = 0; t < 300; t++) {
        int32_t n = rng_int(&r, 1, 100);
        tsk_dims d = {1, 1, rng_int(&r, 1, 3), n};
        float scale = (float)rng_real(&r, 0.01, 0.3), beta = (float)rng_real(&r, 0.5, 2.0);
        int8_t in[300], out[300];
        double want[100];
        tsk_softmax_params p;
        cr_assert_eq(tsk_softmax_prepare_s8(beta, scale,
                                            t % 2 ? TSK_ROUND_SINGLE : TSK_ROUND_DOUBLE, &p),
                     TSK_OK); /* both modes */
        fill_s8(&r, in, dims_count(d), -128, 127);
        cr_assert_eq(tsk_softmax_s8(&p, &d, in, out), TSK_OK);
        for (int row = 0; row < d.w; row++) {
            float_softmax(in + row * n, n, scale, beta, want);
            for (int i = 0; i < n; i++) {
                int32_t q = quantize_ref(want[i], 1.0 / 256.0, -128);
                cr_assert(abs(out[row * n + i] - q) <= 2, "case %d: %d vs %d (p=%f)", t,
                          out[row * n + i], q, want[i]);
            }
        }
    }
}

Test(softmax_s8, output_is_monotonic_in_the_input)
{
    rng r = {17u};
    tsk_dims d = {1, 1, 1, 256};
    int8_t in[256], out[256];
    tsk_softmax_params p;
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 0.05f, TSK_ROUND_DOUBLE, &p), TSK_OK);
    fill_s8(&r, in, 256, -128, 127);
    cr_assert_eq(tsk_softmax_s8(&p, &d, in, out), TSK_OK);
    for (int i = 0; i < 256; i++)
        for (int j = 0; j < 256; j++)
            if (in[i] < in[j])
                cr_assert(out[i] <= out[j], "in %d < %d but out %d > %d", in[i], in[j], out[i],
                          out[j]);
}

Test(softmax_s8, uniform_row_gives_one_over_n_and_one_hot_gives_127)
{
    tsk_dims d = {1, 1, 1, 4}, d1 = {1, 1, 1, 3};
    const int8_t in[4] = {9, 9, 9, 9}, in1[3] = {127, -128, -128};
    int8_t out[4];
    tsk_softmax_params p;
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 0.1f, TSK_ROUND_DOUBLE, &p), TSK_OK);
    cr_assert_eq(tsk_softmax_s8(&p, &d, in, out), TSK_OK);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(out[i], 64 - 128); /* 0.25 * 256 - 128 */
    cr_assert_eq(tsk_softmax_s8(&p, &d1, in1, out), TSK_OK);
    cr_assert(out[0] == 127 && out[1] == -128 && out[2] == -128);
}
