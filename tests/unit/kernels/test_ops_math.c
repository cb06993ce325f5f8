/* tests/unit/kernels/test_ops_math.c: the ops-math group's kernels (HARD_SWISH, TANH, PRELU,
 * ...) against hand-computed values (and the float TANH against libm's double tanh): int8
 * results whose real value lies well away from a half step (so the correctly rounded figure is
 * the only right answer), zero points, saturation, the clamps of the float formulas, and
 * argument checks. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "kernel_test_util.h"

/* Input and output scale 1/16, zero point 0: hires scale 2^-11, output multiplier 2^-7 (Q15
 * 16384, exponent -6), reluish multiplier 16/3 (Q15 21845, exponent 3). Real inputs q / 16:
 * 1.0 -> 0.6667 (10.67 steps), -1.0 -> -0.3333 (-5.33), 3.0 -> 3, -3.0 -> 0, -5 -> 0,
 * 0.5 -> 0.2917 (4.67), -1.5 -> -0.375 (-6), 7.9375 -> itself (127). */
Test(hard_swish_s8, tflite_fixed_point_gives_the_rounded_real_result)
{
    const int8_t in[9] = {16, -16, 48, -48, -80, 8, -24, 127, 0};
    const int8_t want[9] = {11, -5, 48, 0, 0, 5, -6, 127, 0};
    tsk_hard_swish_params p;
    int8_t out[9];

    cr_assert_eq(tsk_hard_swish_prepare_s8(1.0f / 16, 0, 1.0f / 16, 0, &p), TSK_OK);
    cr_expect(p.output_multiplier == 16384 && p.output_exponent == -6);
    cr_expect(p.reluish_multiplier == 21845 && p.reluish_exponent == 3);
    cr_assert_eq(tsk_hard_swish_s8(&p, 9, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof out);
}

/* The final product of TFLite's int8 HardSwish is its non-rounding SaturatingDoublingHighMul
 * (truncation toward zero), not gemmlowp's rounding one (the idea of TFLite's HardSwishBias
 * test). Input scale 1/16, output 1/1024: output multiplier (1/2048) / (1/1024) = 0.5 (Q15
 * 16384, exponent 0, so no later shift hides the last bit), reluish 16/3 (21845, exponent 3).
 * q = 1: x = 128, pre = 128 * 16384 / 2^15 = 64; reluish: 128 << 2 = 512, 512 * 21845 / 2^15 =
 * 341.33 -> 341, << 1 = 682, (682 + 32768) >> 1 = 16725; 16725 * 64 / 2^15 = 32.67 -> 32
 * (rounding would give 33). q = 2: x = 256, pre = 128; 1024 * 21845 / 2^15 = 682.67 -> 683,
 * 1366, 17067; 17067 * 128 / 2^15 = 66.67 -> 66 (not 67). */
Test(hard_swish_s8, the_final_product_truncates_as_tflite)
{
    const int8_t in[3] = {1, 2, 0}, want[3] = {32, 66, 0};
    tsk_hard_swish_params p;
    int8_t out[3];

    cr_assert_eq(tsk_hard_swish_prepare_s8(1.0f / 16, 0, 1.0f / 1024, 0, &p), TSK_OK);
    cr_assert(p.output_multiplier == 16384 && p.output_exponent == 0);
    cr_assert(p.reluish_multiplier == 21845 && p.reluish_exponent == 3);
    cr_assert_eq(tsk_hard_swish_s8(&p, 3, in, out), TSK_OK);
    cr_expect_arr_eq(out, want, sizeof out);
}

/* Input zero point -10 (q = -10 is real 0), output scale 1/8 with zero point 100: real 7.9375
 * (q 117) is 63.5 steps + 100: saturates at 127; real -0.375 (q -34) is -3 + 100 = 97. */
Test(hard_swish_s8, zero_points_and_saturation)
{
    const int8_t in[3] = {-10, 117, -34}, want[3] = {100, 127, 97};
    tsk_hard_swish_params p;
    int8_t out[3];

    cr_assert_eq(tsk_hard_swish_prepare_s8(1.0f / 16, -10, 1.0f / 8, 100, &p), TSK_OK);
    cr_assert_eq(tsk_hard_swish_s8(&p, 3, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof out);
    /* an output scale 16 times the hires input scale's limit: exponent above 0 is refused */
    cr_assert_eq(tsk_hard_swish_prepare_s8(1.0f, 0, 1.0f / 1024, 0, &p), TSK_ERR_ARG);
    p.output_exponent = 1;
    cr_assert_eq(tsk_hard_swish_s8(&p, 3, in, out), TSK_ERR_ARG);
}

Test(hard_swish_f32, both_clamps_and_the_middle)
{
    const float in[5] = {-4.0f, -3.0f, 1.0f, 3.0f, 10.0f};
    float out[5];

    cr_assert_eq(tsk_hard_swish_f32(5, in, out), TSK_OK);
    cr_expect(out[0] == 0.0f && signbit(out[0]), "-4 * 0 / 6 is -0");
    cr_expect(out[1] == 0.0f);
    cr_expect(out[2] == 4.0f / 6.0f);
    cr_expect(out[3] == 3.0f && out[4] == 10.0f);
    cr_assert_eq(tsk_hard_swish_f32(-1, in, out), TSK_ERR_ARG);
}

/* Input scale 1/16 (multiplier 2^23 = 0.5 * 2^24: left shift 24, range radius floor(15 *
 * 2^27 / 2^24) = 120), output 1/128: tanh(1) = 0.76159 (97.48 steps), tanh(0.5) = 0.46212
 * (59.15), tanh(1.5) = 0.90515 (115.86), tanh(2.5) = 0.98661 (126.29), tanh(7.9375) rounds to
 * 128 and saturates; -128 is beyond the radius. Input zero point 5 shifts the same values. */
Test(tanh_s8, gemmlowp_fixed_point_gives_the_rounded_real_result)
{
    const int8_t in[8] = {16, 8, -16, 0, 24, 40, 127, -128};
    const int8_t want[8] = {97, 59, -97, 0, 116, 126, 127, -128};
    const int8_t in_zp[3] = {21, 5, -11}, want_zp[3] = {97, 0, -97};
    tsk_logistic_params p;
    int8_t out[8];

    cr_assert_eq(tsk_logistic_prepare_s8(1.0f / 16, 0, TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_expect(p.input_left_shift == 24 && p.input_range_radius == 120);
    cr_assert_eq(tsk_tanh_s8(&p, 8, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    cr_assert_eq(tsk_logistic_prepare_s8(1.0f / 16, 5, TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_assert_eq(tsk_tanh_s8(&p, 3, in_zp, out), TSK_OK);
    cr_assert_arr_eq(out, want_zp, sizeof want_zp);
    p.rounding = 7;
    cr_assert_eq(tsk_tanh_s8(&p, 3, in_zp, out), TSK_ERR_ARG);
}

/* Distance in ULP between two finite floats of one sign convention. */
static int64_t ulp_distance(float a, float b)
{
    int32_t x, y;

    memcpy(&x, &a, 4);
    memcpy(&y, &b, 4);
    return llabs((int64_t)(x < 0 ? -(x & INT32_MAX) : x) - (int64_t)(y < 0 ? -(y & INT32_MAX) : y));
}

/* The libm-free tanh against libm's double tanh rounded to float, over 0..10 in steps of about
 * 2^-9 relative (both signs; every branch: the series below 0.625, the exp form, 1 beyond 9.1):
 * at most 2 ULP, the bound the golden manifest's tolerance is built on; exact 0, +-1, NaN. */
Test(tanh_f32, within_2_ulp_of_the_correctly_rounded_value)
{
    int64_t worst = 0;
    float out, nan_in = NAN, special[3] = {0.0f, 20.0f, -20.0f}, want[3] = {0.0f, 1.0f, -1.0f};

    for (uint32_t bits = 0x30000000u; bits < 0x41200000u; bits += 1u << 14) {
        for (int s = 0; s < 2; s++) {
            float x, ref;
            memcpy(&x, &bits, 4);
            x = s ? -x : x;
            ref = (float)tanh((double)x);
            cr_assert_eq(tsk_tanh_f32(1, &x, &out), TSK_OK);
            worst = ulp_distance(out, ref) > worst ? ulp_distance(out, ref) : worst;
        }
    }
    cr_expect_leq(worst, 2, "tanh: %lld ULP from the correctly rounded value", (long long)worst);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(tsk_tanh_f32(1, &special[i], &out), TSK_OK);
        cr_expect(out == want[i]);
    }
    cr_assert_eq(tsk_tanh_f32(1, &nan_in, &out), TSK_OK);
    cr_expect(isnan(out));
}

/* Input scale 1/8 (zero point 4), alpha 1/64 (zero point -3: 13 is 0.25, 29 is 0.5, one per
 * channel), output 1/16 (zero point -10): multipliers 2 and 1/32, both exact. x = q - 4:
 * 10 -> 1.25 (20 steps); -10 on channel 1 -> -0.625 (-10); 123 -> saturates; -132 on channel 1
 * -> -132 steps, saturates; -5 on channel 0 -> -2.5 steps: a tie, toward +inf in single
 * rounding (-2), away from zero in double (-3). */
Test(prelu_s8, alpha_broadcast_per_channel_rescaled_about_the_zero_points)
{
    const int8_t in[8] = {14, -6, 4, -16, 127, -128, -1, 4}, alpha[2] = {13, 29};
    const int8_t want[8] = {10, -20, -10, -30, 127, -128, -12, -10};
    const tsk_dims d = {1, 1, 4, 2}, ad = {1, 1, 1, 2};
    tsk_prelu_params p = {{-4, -10, 0, 0, 0, 0, TSK_ROUND_SINGLE}, 3};
    int8_t out[8];

    cr_assert_eq(tsk_quantize_multiplier(2.0, &p.q.identity_multiplier, &p.q.identity_shift),
                 TSK_OK);
    cr_assert_eq(tsk_quantize_multiplier(1.0 / 32, &p.q.alpha_multiplier, &p.q.alpha_shift),
                 TSK_OK);
    cr_assert_eq(tsk_prelu_s8(&p, &d, in, &ad, alpha, &d, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    p.q.rounding = TSK_ROUND_DOUBLE;
    cr_assert_eq(tsk_prelu_s8(&p, &d, in, &ad, alpha, &d, out), TSK_OK);
    cr_expect_eq(out[6], -13);
    cr_assert_eq(tsk_prelu_s8(&p, &d, in, &d, alpha, &ad, out), TSK_ERR_ARG, "output too small");
}

Test(prelu_f32, negative_zero_passes_and_alpha_broadcasts)
{
    const float in[4] = {-0.0f, 2.0f, -2.0f, -4.0f}, alpha[2] = {0.5f, 0.25f};
    const tsk_dims d = {1, 1, 2, 2}, ad = {1, 1, 1, 2};
    float out[4];

    cr_assert_eq(tsk_prelu_f32(&d, in, &ad, alpha, &d, out), TSK_OK);
    cr_expect(out[0] == 0.0f && signbit(out[0]));
    cr_expect(out[1] == 2.0f && out[2] == -1.0f && out[3] == -1.0f);
}

/* Data [2, 3, 2] along the middle axis: ties go to the first index. Float [1, 3, 2]: a later
 * NaN never wins, and a NaN first is never replaced (no comparison with it holds), as TFLite's
 * std::greater loop. */
Test(arg_max, first_of_equal_values_along_the_middle_axis)
{
    const int8_t in[12] = {5, -1, 7, -1, 7, -3, /**/ -128, 0, -128, 0, -128, 127};
    const int32_t want[4] = {1, 0, 0, 2};
    const float fin[6] = {1.0f, NAN, -2.0f, 3.0f, NAN, 3.0f};
    const int32_t fwant[2] = {0, 0};
    tsk_arg_params p = {2, 3, 2}, pf = {1, 3, 2};
    int32_t out[4];

    cr_assert_eq(tsk_arg_max_s8(&p, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    cr_assert_eq(tsk_arg_max_f32(&pf, fin, out), TSK_OK);
    cr_assert_arr_eq(out, fwant, sizeof fwant);
    p.axis_size = 0;
    cr_assert_eq(tsk_arg_max_s8(&p, in, out), TSK_ERR_ARG);
}

Test(arg_min, first_of_equal_smallest_values)
{
    const int8_t in[6] = {5, -1, -7, -1, -7, -1};
    const float fin[4] = {2.0f, -0.5f, -1.0f, -0.5f};
    const int32_t want[2] = {1, 0}, fwant[2] = {1, 0};
    tsk_arg_params p = {1, 3, 2}, pf = {1, 2, 2};
    int32_t out[2];

    cr_assert_eq(tsk_arg_min_s8(&p, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    cr_assert_eq(tsk_arg_min_f32(&pf, fin, out), TSK_OK);
    cr_assert_arr_eq(out, fwant, sizeof fwant);
}

/* The integer square root against libm's sqrtf (IEEE-754 requires it correctly rounded) on a
 * spread of bit patterns, subnormals and large values included; exact specials. */
Test(sqrt_f32, correctly_rounded_as_ieee_sqrt)
{
    const float special[5] = {-0.0f, 0.0f, INFINITY, 4.0f, 0x1p-149f};
    const float want[5] = {-0.0f, 0.0f, INFINITY, 2.0f, 0x1.6a09e6p-75f};
    float in = -1.0f, out[5];
    uint32_t bits;

    for (uint32_t b = 1; b < 0x7f800000u; b += 0x1234u) {
        float x, got;
        memcpy(&x, &b, 4);
        cr_assert_eq(tsk_sqrt_f32(1, &x, &got), TSK_OK);
        cr_assert(got == sqrtf(x), "sqrt of bits %08x", b);
    }
    cr_assert_eq(tsk_sqrt_f32(5, special, out), TSK_OK);
    for (int i = 0; i < 5; i++)
        cr_expect(out[i] == want[i] && signbit(out[i]) == signbit(want[i]), "special %d", i);
    cr_assert_eq(tsk_sqrt_f32(1, &in, out), TSK_OK);
    memcpy(&bits, out, 4);
    cr_expect_eq(bits, 0xffc00000u, "negative input: TFLite's NaN");
}

/* Input scale 1/4 (zero point 0), output 1/64 (zero point -128): real 1 / sqrt(v / 4) =
 * 2 / sqrt(v): v = 4 -> 1 (64 steps), 16 -> 0.5 (32), 9 -> 0.6667 (42.67), 100 -> 0.2 (12.8),
 * 1 -> 2 (128: TFLite's input-1 path); 0 is the largest output. */
Test(rsqrt_s8, fixed_point_inverse_square_root)
{
    const int8_t in[6] = {4, 16, 9, 100, 1, 0}, want[6] = {-64, -96, -85, -115, 0, 127};
    tsk_rsqrt_params p;
    int8_t out[6];

    cr_assert_eq(tsk_rsqrt_prepare_s8(0.25f, 0, 1.0f / 64, -128, TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_assert_eq(tsk_rsqrt_s8(&p, 6, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    p.shift = -20;
    cr_assert_eq(tsk_rsqrt_s8(&p, 6, in, out), TSK_ERR_ARG);
}

Test(rsqrt_f32, one_over_the_exact_square_root)
{
    const float in[5] = {4.0f, 0.0f, -0.0f, INFINITY, 2.0f};
    float out[5], neg = -1.0f;
    uint32_t bits;

    cr_assert_eq(tsk_rsqrt_f32(5, in, out), TSK_OK);
    cr_expect(out[0] == 0.5f && out[1] == INFINITY && out[2] == -INFINITY && out[3] == 0.0f);
    cr_expect(out[4] == 1.0f / sqrtf(2.0f));
    cr_assert_eq(tsk_rsqrt_f32(1, &neg, out), TSK_OK);
    memcpy(&bits, out, 4);
    cr_expect_eq(bits, 0xffc00000u);
}

/* [1, 2, 2, 3] reduced over H and W (mask 0b0110), and over C alone; float: a NaN never wins,
 * all -inf gives TFLite's initial value, the lowest finite float. */
Test(reduce_max, over_any_axes_with_tflite_initial_values)
{
    const int8_t in[12] = {1, -128, 5, 7, -128, -3, 2, -128, 9, -1, -128, 4};
    const int8_t want_hw[3] = {7, -128, 9}, want_c[4] = {5, 7, 9, 4};
    const tsk_dims d = {1, 2, 2, 3}, dhw = {1, 1, 1, 3}, dc = {1, 2, 2, 1}, fd = {1, 1, 2, 2};
    const float fin[4] = {NAN, 1.0f, -INFINITY, -INFINITY};
    const tsk_dims fo = {1, 1, 1, 2};
    int8_t out[4];
    float fout[2];

    cr_assert_eq(tsk_reduce_max_s8(6, &d, in, &dhw, out), TSK_OK);
    cr_assert_arr_eq(out, want_hw, sizeof want_hw);
    cr_assert_eq(tsk_reduce_max_s8(8, &d, in, &dc, out), TSK_OK);
    cr_assert_arr_eq(out, want_c, sizeof want_c);
    cr_assert_eq(tsk_reduce_max_f32(4, &fd, fin, &fo, fout), TSK_OK);
    cr_expect(fout[0] == -FLT_MAX && fout[1] == 1.0f); /* NaN and -inf; 1 and -inf */
    cr_assert_eq(tsk_reduce_max_s8(6, &d, in, &dc, out), TSK_ERR_ARG, "wrong output count");
}

/* Rows of two: (3, 4) has norm 5 -> 0.6, 0.8 (76.8 and 102.4 steps of 1/128); (-6, 8) with
 * zero point 0 -> -0.6, 0.8; (1, 0): the sum 1 takes TFLite's input-1 path (1 / sqrt = 1, 128
 * steps, saturated). Float: the same rows, and a zero row divided by epsilon. */
Test(l2_norm, rows_along_the_last_dimension)
{
    const int8_t in[6] = {3, 4, -6, 8, 1, 0}, want[6] = {77, 102, -77, 102, 127, 0};
    const float fin[6] = {3.0f, 4.0f, -6.0f, 8.0f, 0.0f, 0.0f};
    tsk_l2_norm_params p = {3, 2, 0, TSK_ROUND_SINGLE};
    int8_t out[6];
    float fout[6];

    cr_assert_eq(tsk_l2_norm_s8(&p, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    cr_assert_eq(tsk_l2_norm_f32(&p, fin, fout), TSK_OK);
    cr_expect(fout[0] == 3.0f / 5.0f && fout[1] == 4.0f / 5.0f && fout[2] == -6.0f / 10.0f);
    cr_expect(fout[4] == 0.0f && fout[5] == 0.0f);
    p.depth = 0;
    cr_assert_eq(tsk_l2_norm_s8(&p, in, out), TSK_ERR_ARG);
}

/* Broadcast divisor per channel, the RELU6 clamp, and IEEE specials (x / 0 is inf, 0 / 0 NaN). */
Test(div_f32, broadcast_clamped_ieee_quotients)
{
    const float a[4] = {1.0f, -3.0f, 30.0f, 0.0f}, b[2] = {4.0f, 0.0f};
    const tsk_dims da = {1, 1, 2, 2}, db = {1, 1, 1, 2};
    tsk_eltwise_params_f32 p = {{0.0f, 6.0f}};
    float out[4];

    cr_assert_eq(tsk_div_f32(&p, &da, a, &db, b, &da, out), TSK_OK);
    cr_expect(out[0] == 0.25f && out[1] == 0.0f && out[2] == 6.0f, "RELU6 clamps -inf and 7.5");
    p.act = (tsk_range_f32){-FLT_MAX, FLT_MAX};
    cr_assert_eq(tsk_div_f32(&p, &da, a, &db, b, &da, out), TSK_OK);
    cr_expect(out[1] == -FLT_MAX && out[2] == 7.5f && isnan(out[3]), "NONE is [lowest, max]");
}

/* SUM int8 as TFLite's float rescaling: scale 0.5, input zero point 2, output -1: the row
 * (4, 6, -1) sums to 9 raw, bias -2 * 0.5 * 3 = -3, 4.5 - 3 = 1.5 rounds away from zero to 2,
 * plus -1 = 1 (the real sum (2 + 4 - 3) * 0.5 = 1.5). Scale 1, zero points 0: (127, 127) is 254,
 * which TFLite casts to int8 (-2), not saturated. Float: in row-major order from 0. */
Test(reduce_sum, int8_float_rescaling_and_the_cast)
{
    const int8_t in[3] = {4, 6, -1}, big[4] = {127, 127, -3, 1};
    const tsk_dims d = {1, 1, 1, 3}, o = {1, 1, 1, 1}, d2 = {1, 1, 2, 2}, o2 = {1, 1, 2, 1};
    const float fin[3] = {0.1f, 0.2f, 0.3f};
    tsk_sum_params p = {8, 2, -1, 0.5f};
    int32_t scratch[2];
    tsk_ctx ctx = {scratch, sizeof scratch};
    int8_t out[2];
    float fout;

    cr_assert_eq(tsk_reduce_sum_s8(&ctx, &p, &d, in, &o, out), TSK_OK);
    cr_expect_eq(out[0], 1);
    p = (tsk_sum_params){8, 0, 0, 1.0f};
    cr_assert_eq(tsk_reduce_sum_s8(&ctx, &p, &d2, big, &o2, out), TSK_OK);
    cr_expect(out[0] == -2 && out[1] == -2);
    ctx.size = 4;
    cr_assert_eq(tsk_reduce_sum_s8(&ctx, &p, &d2, big, &o2, out), TSK_ERR_SCRATCH);
    cr_assert_eq(tsk_reduce_sum_f32(8, &d, fin, &o, &fout), TSK_OK);
    cr_expect(fout == (0.1f + 0.2f) + 0.3f);
}

/* lhs [2 batches, 2x3], rhs [1 batch (broadcast), 3x2]; int8 with zero points (lhs 1, rhs -1),
 * multiplier 1/2 (exact); adj_y reads rhs stored as [2x3]. Hand sums: batch 0 row 0 is
 * (1, 2, 3) . columns (1, 0, 1) and (0, 1, 1): 4 and 5. */
Test(batch_matmul, broadcast_batches_adjoints_and_zero_points)
{
    const float a[12] = {1, 2, 3, 4, 5, 6, /**/ -1, 0, 1, 2, 2, 2};
    const float b[6] = {1, 0, 0, 1, 1, 1}, bt[6] = {1, 0, 1, 0, 1, 1};
    const float want[8] = {4, 5, 10, 11, 0, 1, 4, 4};
    const tsk_dims ld = {1, 2, 2, 3}, rd = {1, 1, 3, 2}, rtd = {1, 1, 2, 3}, od = {1, 2, 2, 2};
    tsk_bmm_params p = {0, 0, 0, 0, 0, 0, 0, TSK_ROUND_SINGLE};
    int8_t qa[12], qb[6], qout[8];
    float out[8];

    cr_assert_eq(tsk_batch_matmul_f32(&p, &ld, a, &rd, b, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    p.adj_y = 1;
    cr_assert_eq(tsk_batch_matmul_f32(&p, &ld, a, &rtd, bt, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    for (int i = 0; i < 12; i++)
        qa[i] = (int8_t)(a[i] + 1); /* zero point 1 */
    for (int i = 0; i < 6; i++)
        qb[i] = (int8_t)(bt[i] - 1); /* zero point -1 */
    p = (tsk_bmm_params){0, 1, -1, 1, 3, 0, 0, TSK_ROUND_SINGLE};
    cr_assert_eq(tsk_quantize_multiplier(0.5, &p.multiplier, &p.shift), TSK_OK);
    cr_assert_eq(tsk_batch_matmul_s8(&p, &ld, qa, &rtd, qb, &od, qout), TSK_OK);
    for (int i = 0; i < 8; i++) /* half the sum, ties toward +inf, plus 3 */
        cr_expect_eq(qout[i], (int8_t)(floor(want[i] / 2 + 0.5) + 3), "element %d", i);
    cr_assert_eq(tsk_batch_matmul_f32(&p, &ld, a, &rd, b, &od, out), TSK_ERR_ARG, "adj_y, K 2");
}
