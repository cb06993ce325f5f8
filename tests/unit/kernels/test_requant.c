/* tests/unit/kernels/test_requant.c: the integer requantisation primitives (requant.c), the
 * gemmlowp fixed-point functions (fixedpoint.c) and the prepare-time helpers
 * (quant_prepare.c) against hand-computed values, including negative rounding ties and the
 * INT32_MIN * INT32_MIN saturation. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>

#include "kernel_test_util.h"
#include "kernels/kernels.h"
#include "kernels/kernels_int.h"

#define SRDHM tsk_sat_rounding_doubling_high_mul_s32
#define RDBPOT tsk_rounding_divide_by_pot_s32
#define MBQM tsk_multiply_by_quantized_multiplier_s32

Test(requant, srdhm_multiplies_by_the_q31_value)
{
    cr_assert_eq(SRDHM(1 << 30, 1 << 30), 1 << 29);     /* 0.5 * 0.5 = 0.25 */
    cr_assert_eq(SRDHM(-(1 << 30), 1 << 30), -(1 << 29));
    cr_assert_eq(SRDHM(100, 1 << 30), 50);
    cr_assert_eq(SRDHM(INT32_MAX, INT32_MAX), 2147483646);
    cr_assert_eq(SRDHM(0, INT32_MIN), 0);
}

Test(requant, srdhm_rounds_ties_toward_positive_infinity)
{
    cr_assert_eq(SRDHM(1, 1 << 30), 1);   /* +0.5 -> 1 */
    cr_assert_eq(SRDHM(-1, 1 << 30), 0);  /* -0.5 -> 0 */
    cr_assert_eq(SRDHM(3, 1 << 30), 2);   /* +1.5 -> 2 */
    cr_assert_eq(SRDHM(-3, 1 << 30), -1); /* -1.5 -> -1 */
    cr_assert_eq(SRDHM(-5, 1 << 29), -1); /* -1.25 -> -1 */
    cr_assert_eq(SRDHM(-7, 1 << 29), -2); /* -1.75 -> -2 */
}

Test(requant, srdhm_saturates_int32_min_times_int32_min)
{
    cr_assert_eq(SRDHM(INT32_MIN, INT32_MIN), INT32_MAX);
    cr_assert_eq(SRDHM(INT32_MIN, INT32_MAX), -2147483647);
    cr_assert_eq(SRDHM(INT32_MIN, 1 << 30), -(1 << 30));
}

Test(requant, rounding_divide_by_pot_rounds_ties_away_from_zero)
{
    cr_assert_eq(RDBPOT(5, 1), 3);   /* 2.5 */
    cr_assert_eq(RDBPOT(-5, 1), -3); /* -2.5 */
    cr_assert_eq(RDBPOT(-4, 1), -2);
    cr_assert_eq(RDBPOT(6, 2), 2);   /* 1.5 */
    cr_assert_eq(RDBPOT(-6, 2), -2); /* -1.5 */
    cr_assert_eq(RDBPOT(-5, 2), -1); /* -1.25 */
    cr_assert_eq(RDBPOT(-7, 2), -2); /* -1.75 */
    cr_assert_eq(RDBPOT(7, 0), 7);
    cr_assert_eq(RDBPOT(-1, 3), 0);  /* -0.125 */
}

Test(requant, rounding_divide_by_pot_handles_extreme_values)
{
    cr_assert_eq(RDBPOT(INT32_MIN, 31), -1);
    cr_assert_eq(RDBPOT(INT32_MAX, 31), 1);
    cr_assert_eq(RDBPOT(INT32_MAX, 32), 0);
    cr_assert_eq(RDBPOT(1 << 30, 31), 1); /* exactly 0.5 */
    cr_assert_eq(RDBPOT(-(1 << 30), 31), -1);
}

Test(requant, mbqm_splits_left_and_right_shifts)
{
    cr_assert_eq(MBQM(100, 1 << 30, 0), 50);
    cr_assert_eq(MBQM(100, 1 << 30, -1), 25);
    cr_assert_eq(MBQM(3, 1 << 30, 2), 6);
    cr_assert_eq(MBQM(-3, 1 << 30, -1), -1);   /* -0.75 */
    cr_assert_eq(MBQM(-101, 1 << 30, -1), -25); /* -25.25 */
}

Test(requant, mbqm_rounds_twice_like_tflite_reference)
{
    /* 101 * 0.25 = 25.25, but SRDHM first gives 50.5 -> 51, then 51 / 2 = 25.5 -> 26. */
    cr_assert_eq(MBQM(101, 1 << 30, -1), 26);
    cr_assert_eq(MBQM(INT32_MIN, INT32_MIN, 0), INT32_MAX);
}

Test(requant, quantize_multiplier_gives_hand_computed_pairs)
{
    int32_t m = -1, s = -1;
    cr_assert_eq(tsk_quantize_multiplier(0.5, &m, &s), TSK_OK);
    cr_assert(m == (1 << 30) && s == 0);
    cr_assert_eq(tsk_quantize_multiplier(0.25, &m, &s), TSK_OK);
    cr_assert(m == (1 << 30) && s == -1);
    cr_assert_eq(tsk_quantize_multiplier(1.0, &m, &s), TSK_OK);
    cr_assert(m == (1 << 30) && s == 1);
    cr_assert_eq(tsk_quantize_multiplier(0.75, &m, &s), TSK_OK);
    cr_assert(m == 1610612736 && s == 0);
    cr_assert_eq(tsk_quantize_multiplier(0.0, &m, &s), TSK_OK);
    cr_assert(m == 0 && s == 0);
}

Test(requant, quantize_multiplier_normalises_rounding_carry_and_flushes_tiny_values)
{
    int32_t m = -1, s = -1;
    cr_assert_eq(tsk_quantize_multiplier(1.0 - ldexp(1.0, -34), &m, &s), TSK_OK);
    cr_assert(m == (1 << 30) && s == 1, "m=%d s=%d", m, s);
    cr_assert_eq(tsk_quantize_multiplier(ldexp(1.0, -40), &m, &s), TSK_OK);
    cr_assert(m == 0 && s == 0);
    cr_assert_eq(tsk_quantize_multiplier(ldexp(1.0, 31), &m, &s), TSK_ERR_ARG);
    cr_assert_eq(tsk_quantize_multiplier(NAN, &m, &s), TSK_ERR_ARG);
}

Test(requant, quantize_multiplier_is_accurate_to_half_a_q31_step)
{
    rng r = {12345u};
    int i;
    for (i = 0; i < 2000; i++) {
        double real = ldexp(rng_real(&r, 0.5, 1.0), rng_int(&r, -20, 10));
        int32_t m, s;
        cr_assert_eq(tsk_quantize_multiplier(real, &m, &s), TSK_OK);
        cr_assert(m >= (1 << 30));
        cr_assert(fabs(ldexp((double)m, s - 31) - real) <= ldexp(1.0, s - 32) * 1.0000001);
    }
}

Test(requant, activation_range_s8_follows_tflite_rounding)
{
    tsk_range r;
    cr_assert_eq(tsk_activation_range_s8(TSK_ACT_RELU, 0.05f, -10, &r), TSK_OK);
    cr_assert(r.min == -10 && r.max == 127);
    cr_assert_eq(tsk_activation_range_s8(TSK_ACT_RELU6, 0.05f, -10, &r), TSK_OK);
    cr_assert(r.min == -10 && r.max == 110);
    cr_assert_eq(tsk_activation_range_s8(TSK_ACT_RELU_N1_TO_1, 0.05f, -10, &r), TSK_OK);
    cr_assert(r.min == -30 && r.max == 10);
    cr_assert_eq(tsk_activation_range_s8(TSK_ACT_RELU6, 0.01f, 0, &r), TSK_OK);
    cr_assert(r.min == 0 && r.max == 127);
    cr_assert_eq(tsk_activation_range_s8(TSK_ACT_NONE, 0.01f, 5, &r), TSK_OK);
    cr_assert(r.min == -128 && r.max == 127);
    cr_assert_eq(tsk_activation_range_s8((tsk_activation)7, 0.01f, 5, &r), TSK_ERR_UNSUPPORTED);
}

Test(requant, activation_range_f32_maps_each_activation)
{
    tsk_range_f32 r;
    cr_assert_eq(tsk_activation_range_f32(TSK_ACT_RELU6, &r), TSK_OK);
    cr_assert(r.min == 0.0f && r.max == 6.0f);
    cr_assert_eq(tsk_activation_range_f32(TSK_ACT_RELU_N1_TO_1, &r), TSK_OK);
    cr_assert(r.min == -1.0f && r.max == 1.0f);
    cr_assert_eq(tsk_activation_range_f32(TSK_ACT_NONE, &r), TSK_OK);
    cr_assert(r.min == -FLT_MAX && r.max == FLT_MAX);
    cr_assert_eq(tsk_activation_range_f32(TSK_ACT_RELU, &r), TSK_OK);
    cr_assert(r.min == 0.0f && r.max == FLT_MAX);
}

/* Tolerance: gemmlowp evaluates exp on [-1/4, 0) with a degree-4 Taylor expansion around
 * -1/8, whose truncation error is about 2.5e-7; bit-exactness is checked by the golden
 * vectors in test_golden_vectors.c. */
Test(fixedpoint, exp_on_negative_values_matches_exp)
{
    int32_t bits;
    for (bits = 4; bits <= 5; bits++) {
        int32_t a;
        cr_assert_eq(tsk_fx_exp_on_negative_values(0, bits), INT32_MAX);
        for (a = 0; a > -(int32_t)((1u << 31) - 1) / 2; a -= 1234567) {
            double x = ldexp((double)a, bits - 31);
            double want = exp(x) * 2147483648.0;
            double got = tsk_fx_exp_on_negative_values(a, bits);
            cr_assert(fabs(got - want) <= 2147483648.0 * 5e-7 + 8, "a=%d got %f want %f", a, got,
                      want);
        }
    }
}

Test(fixedpoint, one_over_one_plus_x_matches_division)
{
    int32_t a;
    for (a = 0; a < INT32_MAX - 9999999; a += 9999991) {
        double x = ldexp((double)a, -31);
        double want = 2147483648.0 / (1.0 + x);
        double got = tsk_fx_one_over_one_plus_x(a);
        cr_assert(fabs(got - want) <= 64.0, "a=%d got %f want %f", a, got, want);
    }
}

Test(fixedpoint, logistic_is_symmetric_and_accurate)
{
    int32_t a;
    cr_assert_eq(tsk_fx_logistic(0, 4), 1 << 30);
    for (a = -(1 << 30); a <= (1 << 30); a += 7654321) {
        double x = ldexp((double)a, 4 - 31);
        double want = 2147483648.0 / (1.0 + exp(-x));
        double got = tsk_fx_logistic(a, 4);
        cr_assert(fabs(got - want) <= 2147483648.0 * 5e-7 + 8, "a=%d got %f want %f", a, got,
                  want);
    }
}
