/* tests/unit/kernels/test_unary_eltwise.c: RELU / RELU6 (relu.c), ABS / NEG (abs_neg.c) and
 * LEAKY_RELU (leaky_relu.c, int8 and int16):
 * hand-computed int8 values (zero points, rescaling, the activation ranges TFLite derives,
 * saturation) and float sign handling (-0.0, NaN), and argument checks. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "kernel_test_util.h"

/* tsk_mul_params for input (si, zi) -> output (so, zo), clamp [lo, hi]. */
static tsk_mul_params requant(double si, int32_t zi, double so, int32_t zo, int32_t lo, int32_t hi)
{
    tsk_mul_params p;

    memset(&p, 0, sizeof p);
    cr_assert_eq(tsk_quantize_multiplier(si / so, &p.output_multiplier, &p.output_shift), TSK_OK);
    p.input1_offset = -zi;
    p.output_offset = zo;
    p.act = (tsk_range){lo, hi};
    p.rounding = TSK_ROUND_SINGLE;
    return p;
}

Test(relu_s8, equal_scales_clamp_at_the_zero_point)
{
    const int8_t in[4] = {-128, -5, 0, 100}, want[4] = {-5, -5, 0, 100};
    tsk_mul_params p = requant(0.1, -5, 0.1, -5, -5, 127);
    tsk_range r;
    int8_t out[4];

    cr_assert_eq(tsk_activation_range_s8(TSK_ACT_RELU, 0.1f, -5, &r), TSK_OK);
    cr_assert(r.min == -5 && r.max == 127, "RELU range [%d, %d]", r.min, r.max);
    cr_assert_eq(tsk_relu_s8(&p, 4, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof out);
}

Test(relu_s8, relu6_range_is_zero_point_plus_six_over_scale_and_rescales)
{
    const int8_t in[4] = {-3, 30, 70, 10}, want6[4] = {0, 30, 60, 10};
    const int8_t want_x2[4] = {0, 60, 127, 20};
    tsk_mul_params p = requant(0.1, 0, 0.1, 0, 0, 60);
    tsk_range r;
    int8_t out[4];

    cr_assert_eq(tsk_activation_range_s8(TSK_ACT_RELU6, 0.1f, 0, &r), TSK_OK);
    cr_assert(r.min == 0 && r.max == 60, "RELU6 range [%d, %d]", r.min, r.max);
    cr_assert_eq(tsk_relu_s8(&p, 4, in, out), TSK_OK);
    cr_assert_arr_eq(out, want6, sizeof out);
    p = requant(0.2, 0, 0.1, 0, 0, 127); /* RELU into half the scale: values double */
    cr_assert_eq(tsk_relu_s8(&p, 4, in, out), TSK_OK);
    cr_assert_arr_eq(out, want_x2, sizeof out);
    p.act = (tsk_range){5, 4};
    cr_assert_eq(tsk_relu_s8(&p, 4, in, out), TSK_ERR_ARG);
}

Test(abs_s8, absolute_value_about_the_input_zero_point_saturates)
{
    const int8_t in[4] = {0, 30, -128, 10}, want[4] = {-10, 0, 118, -20};
    tsk_mul_params p = requant(0.1, 10, 0.1, -20, -128, 127);
    int8_t out[4];

    cr_assert_eq(tsk_abs_s8(&p, 4, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof out);
    p = requant(0.1, 10, 0.05, 0, -128, 127); /* 138 * 2 saturates */
    cr_assert_eq(tsk_abs_s8(&p, 4, in, out), TSK_OK);
    cr_assert(out[0] == 20 && out[1] == 40 && out[2] == 127 && out[3] == 0);
    cr_assert_eq(tsk_abs_s8(NULL, 4, in, out), TSK_ERR_ARG);
}

Test(relu_abs_neg_f32, clamp_and_sign_bit_as_tflite)
{
    const float in[5] = {-2.5f, 0.0f, 7.0f, -0.0f, 3.0f};
    const tsk_eltwise_params_f32 relu6 = {{0.0f, 6.0f}};
    float out[5], nan_in = NAN, nan_out;

    cr_assert_eq(tsk_relu_f32(&relu6, 5, in, out), TSK_OK);
    cr_expect(out[0] == 0.0f && out[1] == 0.0f && out[2] == 6.0f && out[4] == 3.0f);
    cr_assert_eq(tsk_abs_f32(5, in, out), TSK_OK);
    cr_expect(out[0] == 2.5f && out[2] == 7.0f && !signbit(out[3]), "abs(-0.0) is +0.0");
    cr_assert_eq(tsk_neg_f32(5, in, out), TSK_OK);
    cr_expect(out[0] == 2.5f && out[2] == -7.0f && signbit(out[1]) && !signbit(out[3]));
    cr_assert_eq(tsk_neg_f32(1, &nan_in, &nan_out), TSK_OK);
    cr_expect(isnan(nan_out));
    cr_assert_eq(tsk_abs_f32(-1, in, out), TSK_ERR_ARG);
}

/* Input scale 0.1, zero point 4; output scale 0.05, zero point -10; alpha 0.25. Real input
 * (q - 4) * 0.1; output real / 0.05 - 10: identity x2, alpha x0.5; the tie -4.5 rounds toward
 * +infinity (TFLite's single rounding) to -4. */
Test(leaky_relu_s8, both_slopes_rescale_about_the_zero_points_and_saturate)
{
    const int8_t in[6] = {4, 14, -6, -5, 100, -128}, want[6] = {-10, 10, -15, -14, 127, -76};
    tsk_leaky_relu_params p = {-4, -10, 0, 0, 0, 0, TSK_ROUND_SINGLE};
    tsk_leaky_relu_params_f32 pf = {0.25f};
    const float fin[3] = {-4.0f, 0.0f, 2.0f};
    int8_t out[6];
    float fout[3];

    cr_assert_eq(tsk_quantize_multiplier(2.0, &p.identity_multiplier, &p.identity_shift), TSK_OK);
    cr_assert_eq(tsk_quantize_multiplier(0.5, &p.alpha_multiplier, &p.alpha_shift), TSK_OK);
    cr_assert_eq(tsk_leaky_relu_s8(&p, 6, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof out);
    cr_assert_eq(tsk_leaky_relu_f32(&pf, 3, fin, fout), TSK_OK);
    cr_expect(fout[0] == -1.0f && fout[1] == 0.0f && fout[2] == 2.0f);
    p.alpha_shift = 31;
    cr_assert_eq(tsk_leaky_relu_s8(&p, 6, in, out), TSK_ERR_ARG);
}

/* int16 (16x8: zero points 0): identity x2 (multiplier 2^30, shift 2), alpha 0.25 (2^30,
 * shift -1), saturated to int16. -6 * 0.25 = -1.5 is a tie: single rounding takes it toward
 * +infinity (-1); double rounding (TFLite's gemmlowp build) first rounds -6 * 0.5 = -3 exactly,
 * then -3 / 2 away from zero (-2). -7 * 0.25 = -1.75 is -2 either way. */
Test(leaky_relu_s16, both_slopes_rescale_saturate_and_round_in_either_mode)
{
    const int16_t in[6] = {0, 100, 20000, -6, -32768, -7};
    const int16_t single[6] = {0, 200, 32767, -1, -8192, -2};
    const int16_t dbl[6] = {0, 200, 32767, -2, -8192, -2};
    tsk_leaky_relu_params p = {0, 0, 0, 0, 0, 0, TSK_ROUND_SINGLE};
    int16_t out[6];

    cr_assert_eq(tsk_quantize_multiplier(2.0, &p.identity_multiplier, &p.identity_shift), TSK_OK);
    cr_assert_eq(tsk_quantize_multiplier(0.25, &p.alpha_multiplier, &p.alpha_shift), TSK_OK);
    cr_assert_eq(tsk_leaky_relu_s16(&p, 6, in, out), TSK_OK);
    cr_assert_arr_eq(out, single, sizeof out);
    p.rounding = TSK_ROUND_DOUBLE;
    cr_assert_eq(tsk_leaky_relu_s16(&p, 6, in, out), TSK_OK);
    cr_assert_arr_eq(out, dbl, sizeof out);
    p.identity_shift = 31;
    cr_assert_eq(tsk_leaky_relu_s16(&p, 6, in, out), TSK_ERR_ARG);
}
