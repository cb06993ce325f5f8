/* tests/unit/kernels/test_softmax_s8_s16.c: SOFTMAX int8 -> int16 (softmax_s8_s16.c), TFLite's
 * float-table kernel, and its table (tsk_softmax_prepare_s8_s16): the table is expf of the
 * float product, rows are within 1 LSB of a double-precision softmax, ties round away from zero
 * (std::round), a lone maximum saturates to 32767, the float sum runs in element order, and
 * bad arguments are refused before anything is written. */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"

#define N TSK_SOFTMAX_S8_S16_LUT

static float bits_f32(int32_t b)
{
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

static int32_t f32_bits(float f)
{
    int32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

static tsk_status run(const int32_t *lut, float out_scale, int32_t zp, int32_t rows,
                      int32_t depth, const int8_t *in, int16_t *out)
{
    tsk_softmax_s8_s16_params p = {out_scale, zp};
    int32_t shifts[N] = {0};
    tsk_quant q = {lut, shifts, N};
    tsk_dims d = {1, 1, rows, depth};
    return tsk_softmax_s8_s16(&p, &q, &d, in, out);
}

Test(softmax_s8_s16, table_is_expf_of_the_float_product)
{
    int32_t lut[N];
    float scale = 0.0546875f, beta = 0.7f, s = -scale * beta;

    cr_assert_eq(tsk_softmax_prepare_s8_s16(beta, scale, lut), TSK_OK);
    cr_assert_eq(bits_f32(lut[0]), 1.0f);
    for (int32_t d = 0; d < N; d++)
        cr_assert_eq(lut[d], f32_bits(expf(s * (float)d)), "entry %d", d);
    cr_assert_eq(tsk_softmax_prepare_s8_s16(0.0f, scale, lut), TSK_ERR_ARG);
    cr_assert_eq(tsk_softmax_prepare_s8_s16(beta, -1.0f, lut), TSK_ERR_ARG);
    cr_assert_eq(tsk_softmax_prepare_s8_s16(beta, scale, NULL), TSK_ERR_ARG);
}

Test(softmax_s8_s16, random_rows_are_within_one_lsb_of_a_double_softmax)
{
    rng r = {4242u};
    for (int t = 0; t < 200; t++) {
        int32_t n = rng_int(&r, 1, 120), lut[N];
        float scale = (float)rng_real(&r, 0.005, 0.3), beta = (float)rng_real(&r, 0.3, 2.0);
        int8_t in[120];
        int16_t out[120];
        double sum = 0.0, max = -200.0;
        for (int32_t i = 0; i < n; i++)
            in[i] = (int8_t)rng_int(&r, -128, 127), max = in[i] > max ? in[i] : max;
        for (int32_t i = 0; i < n; i++)
            sum += exp((double)beta * scale * (in[i] - max));
        cr_assert_eq(tsk_softmax_prepare_s8_s16(beta, scale, lut), TSK_OK);
        cr_assert_eq(run(lut, 1.0f / 65536, -32768, 1, n, in, out), TSK_OK);
        for (int32_t i = 0; i < n; i++) {
            double want = exp((double)beta * scale * (in[i] - max)) / sum * 65536.0 - 32768.0;
            want = want > 32767.0 ? 32767.0 : want;
            cr_assert(fabs(out[i] - want) <= 1.0, "case %d elem %d: %d vs %.3f", t, i, out[i],
                      want);
        }
    }
}

/* One element: sum 1, reciprocal 1 / output scale. Scale 2 gives 0.5 and 0.4 gives 2.5 (1 /
 * 0.4f rounds to 2.5f): half away from zero makes them 1 and 3 (half to even: 0 and 2). */
Test(softmax_s8_s16, ties_round_away_from_zero)
{
    int32_t lut[N];
    int8_t in[1] = {17};
    int16_t out[1];

    cr_assert_eq(tsk_softmax_prepare_s8_s16(1.0f, 0.1f, lut), TSK_OK);
    cr_assert_eq(run(lut, 2.0f, 0, 1, 1, in, out), TSK_OK);
    cr_assert_eq(out[0], 1);
    cr_assert_eq(run(lut, 0.4f, 0, 1, 1, in, out), TSK_OK);
    cr_assert_eq(out[0], 3);
    /* TFLite's own quantization: a lone maximum is 65536 - 32768, clamped to 32767 */
    cr_assert_eq(run(lut, 1.0f / 65536, -32768, 1, 1, in, out), TSK_OK);
    cr_assert_eq(out[0], 32767);
}

/* The sum is accumulated in float, in element order. A hand table: entry 0 = 1, entry 1 =
 * 2^-24 (half an ulp of 1: lost when added to 1, kept when added to its own kind). A row of
 * 1,000 with the maximum first sums to exactly 1, so the maximum reads 65536 - 32768, clamped
 * to 32767; with the maximum last the 999 small ones sum to 999 * 2^-24 first, the sum is
 * 1 + 500 * 2^-23 (the tie to even) and the maximum round(65536 / sum) - 32768 = 32764. */
Test(softmax_s8_s16, float_sum_in_element_order)
{
    int32_t lut[N] = {0};
    static int8_t in[1000];
    static int16_t out[1000];

    lut[0] = f32_bits(1.0f);
    lut[1] = f32_bits(0x1p-24f);
    memset(in, 4, sizeof in);
    in[0] = 5;
    cr_assert_eq(run(lut, 1.0f / 65536, -32768, 1, 1000, in, out), TSK_OK);
    cr_assert_eq(out[0], 32767);
    cr_assert_eq(out[1], -32768); /* 2^-24 * 65536 = 2^-8 rounds to 0 */
    in[0] = 4, in[999] = 5;
    cr_assert_eq(run(lut, 1.0f / 65536, -32768, 1, 1000, in, out), TSK_OK);
    cr_assert_eq(out[999], 32764);
}

Test(softmax_s8_s16, bad_arguments_are_refused)
{
    int32_t lut[N] = {0}, shifts[N] = {0};
    int8_t in[4] = {0};
    int16_t out[4] = {7, 7, 7, 7};
    tsk_softmax_s8_s16_params p = {1.0f / 65536, -32768};
    tsk_quant q = {lut, shifts, N - 1};
    tsk_dims d = {1, 1, 1, 4};

    cr_assert_eq(tsk_softmax_s8_s16(&p, &q, &d, in, out), TSK_ERR_ARG);
    q.n = N;
    p.output_scale = 0.0f;
    cr_assert_eq(tsk_softmax_s8_s16(&p, &q, &d, in, out), TSK_ERR_ARG);
    p.output_scale = 1.0f / 65536, p.output_zero_point = -32769;
    cr_assert_eq(tsk_softmax_s8_s16(&p, &q, &d, in, out), TSK_ERR_ARG);
    p.output_zero_point = -32768, d.c = 0;
    cr_assert_eq(tsk_softmax_s8_s16(&p, &q, &d, in, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_softmax_s8_s16(NULL, &q, &d, in, out), TSK_ERR_ARG);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(out[i], 7);
}
