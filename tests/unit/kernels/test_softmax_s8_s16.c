/* tests/unit/kernels/test_softmax_s8_s16.c: SOFTMAX int8 -> int16 (softmax_s8_s16.c), TFLite's
 * float-table kernel, and its table (tsk_softmax_prepare_s8_s16): the table is exp of the
 * float product (known entries from decimal arithmetic, every entry within 1 ulp of exp in
 * double), rows are within 1 LSB of a double-precision softmax, ties round away from zero
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

/* Beta 2 and input scale 0.5 make the float product exactly -1, so entry d is e^-d rounded to
 * float. The bit patterns were computed with 80-digit decimal arithmetic (Python's decimal
 * exp), not with any libm: normal values, the last normal (87), subnormals (88, 100, 103) and
 * the underflow to 0 (104, 255). TFLite's table holds std::exp(float), which a libm rounds
 * correctly at these points (glibc's expf: under 0.502 ulp everywhere). */
Test(softmax_s8_s16, table_entries_are_exp_rounded_to_float)
{
    static const struct {
        int32_t d;
        int32_t bits;
    } known[] = {{0, 0x3f800000}, {1, 0x3ebc5ab2}, {2, 0x3e0a9555}, {10, 0x383e6bce},
                 {50, 0x1b692beb}, {87, 0x00b33687}, {88, 0x0041edc4}, {100, 0x1b},
                 {103, 0x1},       {104, 0},          {255, 0}};
    int32_t lut[N];

    cr_assert_eq(tsk_softmax_prepare_s8_s16(2.0f, 0.5f, lut), TSK_OK);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        cr_assert_eq(lut[known[i].d], known[i].bits, "entry %d: 0x%08x, e^-%d is 0x%08x",
                     known[i].d, (unsigned)lut[known[i].d], known[i].d, (unsigned)known[i].bits);
}

/* Every entry d is exp(x) within 1 ulp, x the float product (-input_scale * beta) * d, with
 * exp evaluated in double and rounded once to float: the reference shares no code with the
 * table's expf (the double product of two floats is exact, so (float) of it is the float
 * product). The bound is the libm's expf error (correct rounding would be 0.5 ulp). It holds the
 * order of the float products: a table of exp(-input_scale * beta * d) with the product in
 * double is off by up to 12, 32 and 55 ulp in 125, 182 and 126 of the 256 entries for these
 * three (scale, beta) pairs. The entries are not negative, so the ulp distance is the distance
 * of the bit patterns. */
Test(softmax_s8_s16, table_is_exp_of_the_float_product_within_one_ulp)
{
    static const float pairs[][2] = {{0.0546875f, 0.7f}, {0.1f, 1.3f}, {0.3f, 2.0f}};
    int32_t lut[N];

    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        float scale = pairs[k][0], beta = pairs[k][1], s = -(scale * beta);
        cr_assert_eq(tsk_softmax_prepare_s8_s16(beta, scale, lut), TSK_OK);
        for (int32_t d = 0; d < N; d++) {
            float x = (float)((double)s * d), want = (float)exp((double)x);
            int64_t dist = (int64_t)lut[d] - f32_bits(want);
            cr_assert(dist >= -1 && dist <= 1,
                      "scale %g beta %g entry %d: %.9g, exp in double %.9g", (double)scale,
                      (double)beta, d, (double)bits_f32(lut[d]), (double)want);
        }
    }
    cr_assert_eq(tsk_softmax_prepare_s8_s16(0.0f, 0.5f, lut), TSK_ERR_ARG);
    cr_assert_eq(tsk_softmax_prepare_s8_s16(0.7f, -1.0f, lut), TSK_ERR_ARG);
    cr_assert_eq(tsk_softmax_prepare_s8_s16(0.7f, 0.5f, NULL), TSK_ERR_ARG);
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
