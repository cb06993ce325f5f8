/* tests/unit/kernels/test_weighted_s16.c: the 16x8 weighted kernels (weighted_s16.c and the
 * SIMD variants of weighted_s16_simd.c, run through simd_int.h's C emulation on the host):
 * the int64 MultiplyByQuantizedMultiplier on hand-computed values (ties, the reduced
 * multiplier's top clamp), FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D on small tensors whose
 * outputs are worked out by hand (padding edges, saturation), a sum beyond 32 bits that a
 * 32-bit accumulator would wrap, and the argument refusals; QUANTIZE / DEQUANTIZE to and from
 * int16 and between integer types, int32 inputs included (quantize_s8.c, dequantize_s8.c,
 * requantize.c); MEAN int16's
 * three TFLite paths, its saturation and reduced-count bound (mean_s16.c). */
#include <criterion/criterion.h>

#include <string.h>

#include "kernel_test_util.h"
#include "kernels/kernels_int.h"

/* x * 2^30 (0.5) ... : reduced multiplier 16384, ties toward +infinity. */
Test(weighted_s16, the_int64_requantisation_rounds_ties_up_and_reduces_the_multiplier)
{
    cr_assert_eq(tsk_mbqm64(1000, 1 << 30, 0), 500);
    cr_assert_eq(tsk_mbqm64(1001, 1 << 30, 0), 501);   /* 500.5 -> 501 */
    cr_assert_eq(tsk_mbqm64(-1001, 1 << 30, 0), -500); /* -500.5 -> -500 */
    cr_assert_eq(tsk_mbqm64(127978, 1 << 30, -2), 15997);   /* 15997.25 */
    cr_assert_eq(tsk_mbqm64(-218185, 1 << 30, -2), -27273); /* -27273.125 */
    /* 0x7FFFFFFF reduces to 0x7FFF, not 0x8000: 2^20 * 32767 / 2^15 */
    cr_assert_eq(tsk_mbqm64(1 << 20, 0x7FFFFFFF, 0), 32767 * 32);
    /* (2^30 + 2^15 - 1) >> 16 keeps 16384 (the rounding of the reduction) */
    cr_assert_eq(tsk_mbqm64(3, (1 << 30) + (1 << 15) - 1, 1), 3);
    /* beyond 32 bits: 1000 * 2^22 * 2^-18 */
    cr_assert_eq(tsk_mbqm64((int64_t)1000 << 22, 1 << 30, -17), 16000);
}

static const int32_t half_mult[1] = {1 << 30};
static const int32_t eighth_shift[1] = {-2};

/* Outputs worked out by hand (the second as in the requantisation test above). */
Test(weighted_s16, fully_connected_matches_a_hand_computed_example_in_both_variants)
{
    const int16_t x[4] = {1000, -2000, 300, 32767};
    const int8_t w[8] = {1, 2, 3, 4, -128, 127, 0, 5};
    const int64_t bias[2] = {10, -20};
    tsk_dims in = {1, 1, 1, 4}, f = {2, 1, 1, 4}, out = {1, 1, 1, 2};
    tsk_fc_params p = {0, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};
    tsk_quant q = {half_mult, eighth_shift, 1};
    int16_t got[2], got_simd[2];

    cr_assert_eq(tsk_fully_connected_s16(NULL, &p, &q, &in, x, &f, w, bias, &out, got), TSK_OK);
    cr_assert_eq(got[0], 16122);  /* (1000 - 4000 + 900 + 131068 + 10) / 8 = 16122.25 */
    cr_assert_eq(got[1], -27273); /* (-128000 - 254000 + 163835 - 20) / 8 */
    cr_assert_eq(tsk_fully_connected_s16_simd(NULL, &p, &q, &in, x, &f, w, bias, &out, got_simd),
                 TSK_OK);
    cr_assert_arr_eq(got, got_simd, sizeof got);
    p.act = (tsk_range){-20000, 10000}; /* the clamp */
    cr_assert_eq(tsk_fully_connected_s16(NULL, &p, &q, &in, x, &f, w, NULL, &out, got), TSK_OK);
    cr_assert_eq(got[0], 10000);
    cr_assert_eq(got[1], -20000);
}

/* 1000 products of -32768 * -128 sum to 1000 * 2^22 > 2^31: exact in both variants (the SIMD
 * one sums blocks of 32 bits into int64). An odd depth exercises the tails. */
Test(weighted_s16, a_sum_beyond_32_bits_is_exact_in_both_variants)
{
    static int16_t x[1003];
    static int8_t w[1003];
    const int32_t sh[1] = {-17};
    tsk_dims in = {1, 1, 1, 1003}, f = {1, 1, 1, 1003}, out = {1, 1, 1, 1};
    tsk_fc_params p = {0, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};
    tsk_quant q = {half_mult, sh, 1};
    int16_t a, b;

    for (int i = 0; i < 1003; i++)
        x[i] = -32768, w[i] = -128;
    cr_assert_eq(tsk_fully_connected_s16(NULL, &p, &q, &in, x, &f, w, NULL, &out, &a), TSK_OK);
    cr_assert_eq(tsk_fully_connected_s16_simd(NULL, &p, &q, &in, x, &f, w, NULL, &out, &b),
                 TSK_OK);
    cr_assert_eq(a, 16048); /* 1003 * 2^22 / 2^18 = 1003 * 16 */
    cr_assert_eq(b, a);
}

static const int32_t unit_mult[2] = {1 << 30, 1 << 30};
static const int32_t unit_shift[2] = {1, 1}; /* 0.5 * 2: scale 1 */

/* 3x3 input 100..900, a 3x3 filter of ones, SAME padding: each output is the sum over the
 * window part inside the image (corner 100+200+400+500, centre all nine). */
Test(weighted_s16, conv_sums_only_the_taps_inside_the_image)
{
    const int16_t x[9] = {100, 200, 300, 400, 500, 600, 700, 800, 900};
    int8_t w[18];
    tsk_dims in = {1, 3, 3, 1}, f = {2, 3, 3, 1}, out = {1, 3, 3, 2};
    tsk_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};
    tsk_quant q = {unit_mult, unit_shift, 2};
    const int64_t bias[2] = {0, 7};
    int16_t got[18], got_simd[18];

    for (int i = 0; i < 9; i++)
        w[i] = 1, w[9 + i] = -1; /* channel 1: the negated sums, plus 7 */
    cr_assert_eq(tsk_conv2d_s16(NULL, &p, &q, &in, x, &f, w, bias, &out, got), TSK_OK);
    cr_assert_eq(got[0], 1200);         /* (0,0) channel 0 */
    cr_assert_eq(got[1], -1193);        /* (0,0) channel 1 */
    cr_assert_eq(got[2 * 4], 4500);     /* (1,1) */
    cr_assert_eq(got[2 * 8 + 1], -2793); /* (2,2): -(500+600+800+900) + 7 */
    cr_assert_eq(tsk_conv2d_s16_simd(NULL, &p, &q, &in, x, &f, w, bias, &out, got_simd), TSK_OK);
    cr_assert_arr_eq(got, got_simd, sizeof got);
}

/* Dilation 2 on a 5x5 ramp: a 2x2 filter of ones reads (y, x), (y, x+2), (y+2, x), (y+2, x+2). */
Test(weighted_s16, conv_with_dilation_reads_spread_taps)
{
    int16_t x[25], got[9], got_simd[9];
    const int8_t w[4] = {1, 1, 1, 1};
    tsk_dims in = {1, 5, 5, 1}, f = {1, 2, 2, 1}, out = {1, 3, 3, 1};
    tsk_conv_params p = {{1, 1}, {0, 0}, {2, 2}, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};
    tsk_quant q = {unit_mult, unit_shift, 1};

    for (int i = 0; i < 25; i++)
        x[i] = (int16_t)i;
    cr_assert_eq(tsk_conv2d_s16(NULL, &p, &q, &in, x, &f, w, NULL, &out, got), TSK_OK);
    cr_assert_eq(got[0], 0 + 2 + 10 + 12);
    cr_assert_eq(got[8], 12 + 14 + 22 + 24);
    cr_assert_eq(tsk_conv2d_s16_simd(NULL, &p, &q, &in, x, &f, w, NULL, &out, got_simd), TSK_OK);
    cr_assert_arr_eq(got, got_simd, sizeof got);
}

/* Depthwise, 2 channels, multiplier 1: channel 0 sums its 3x3 window, channel 1 negates it;
 * the input's channel 1 is ten times channel 0. */
Test(weighted_s16, depthwise_keeps_channels_apart)
{
    int16_t x[18], got[18], got_simd[18];
    int8_t w[18];
    tsk_dims in = {1, 3, 3, 2}, f = {1, 3, 3, 2}, out = {1, 3, 3, 2};
    tsk_dw_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 1, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};
    tsk_quant q = {unit_mult, unit_shift, 2};

    for (int i = 0; i < 9; i++) {
        x[2 * i] = (int16_t)(i + 1), x[2 * i + 1] = (int16_t)(10 * (i + 1));
        w[2 * i] = 1, w[2 * i + 1] = -1;
    }
    cr_assert_eq(tsk_depthwise_conv2d_s16(NULL, &p, &q, &in, x, &f, w, NULL, &out, got), TSK_OK);
    cr_assert_eq(got[0], 1 + 2 + 4 + 5);
    cr_assert_eq(got[1], -120);
    cr_assert_eq(got[2 * 4], 45);
    cr_assert_eq(got[2 * 4 + 1], -450);
    cr_assert_eq(tsk_depthwise_conv2d_s16_simd(NULL, &p, &q, &in, x, &f, w, NULL, &out,
                                               got_simd), TSK_OK);
    cr_assert_arr_eq(got, got_simd, sizeof got);
}

Test(weighted_s16, refuses_an_input_offset_a_range_beyond_int16_and_grouped_conv)
{
    const int16_t x[4] = {0};
    const int8_t w[8] = {0};
    int16_t o[2];
    tsk_dims in = {1, 1, 1, 4}, f = {2, 1, 1, 4}, out = {1, 1, 1, 2};
    tsk_fc_params p = {1, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};
    tsk_quant q = {unit_mult, unit_shift, 1};
    tsk_conv_params cp = {{1, 1}, {0, 0}, {1, 1}, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};
    tsk_dims cin = {1, 1, 1, 4}, cf = {2, 1, 1, 2}, cout = {1, 1, 1, 2};

    cr_assert_eq(tsk_fully_connected_s16(NULL, &p, &q, &in, x, &f, w, NULL, &out, o),
                 TSK_ERR_ARG);
    p.input_offset = 0;
    p.act.max = 32768;
    cr_assert_eq(tsk_fully_connected_s16_simd(NULL, &p, &q, &in, x, &f, w, NULL, &out, o),
                 TSK_ERR_ARG);
    cr_assert_eq(tsk_conv2d_s16(NULL, &cp, &q, &cin, x, &cf, w, NULL, &cout, o), TSK_ERR_ARG);
}

/* QUANTIZE float32 -> int16: round half away from zero, saturate; DEQUANTIZE back. */
Test(quantize_s16, rounds_half_away_from_zero_saturates_and_dequantizes_back)
{
    const float in[6] = {0.25f, -0.25f, 0.75f, 1000.0f, -1000.0f, 0.0f};
    const tsk_affine_params p = {0.5f, 0};
    int16_t q[6];
    float back[6];

    cr_assert_eq(tsk_quantize_s16(&p, 6, in, q), TSK_OK);
    cr_assert_eq(q[0], 1);  /* 0.5 -> 1 */
    cr_assert_eq(q[1], -1); /* -0.5 -> -1 */
    cr_assert_eq(q[2], 2);  /* 1.5 -> 2 */
    cr_assert_eq(q[3], 2000);
    cr_assert_eq(q[4], -2000);
    cr_assert_eq(q[5], 0);
    cr_assert_eq(tsk_quantize_s16(&(tsk_affine_params){1e-4f, 0}, 2, in + 3, q), TSK_OK);
    cr_assert_eq(q[0], 32767);
    cr_assert_eq(q[1], -32768);
    q[0] = -32768;
    cr_assert_eq(tsk_dequantize_s16(&p, 1, q, back), TSK_OK);
    cr_assert_eq(back[0], -16384.0f);
    cr_assert_eq(tsk_dequantize_s16(&(tsk_affine_params){0.0f, 0}, 1, q, back), TSK_ERR_ARG);
}

/* Requantize: multiplier 2^30 is 0.5, so shift -1 scales by 1/4 and shift 9 by 256. */
Test(requantize, rescales_between_integer_types_and_clamps)
{
    const int16_t in16[4] = {1000, -1002, 32767, -6};
    const int8_t in8[3] = {-128, 5, 127};
    tsk_requant_params p = {0, 3, 1 << 30, -1, TSK_ROUND_SINGLE, 2, 1};
    int8_t o8[4];
    int32_t o32[3];

    cr_assert_eq(tsk_requantize(&p, 4, in16, o8), TSK_OK);
    cr_assert_eq(o8[0], 127);    /* 250 + 3, clamped */
    cr_assert_eq(o8[1], -128);   /* -250.5 -> -250, + 3 = -247, clamped */
    cr_assert_eq(o8[3], 2);      /* -1.5 -> -1 (ties up), + 3 */
    p.rounding = TSK_ROUND_DOUBLE;
    cr_assert_eq(tsk_requantize(&p, 4, in16, o8), TSK_OK);
    cr_assert_eq(o8[3], 1);      /* -1.5 -> -2 (away from zero), + 3 */
    p = (tsk_requant_params){-128, 0, 1 << 30, 9, TSK_ROUND_SINGLE, 1, 4}; /* 0.5 * 2^9 = 256 */
    cr_assert_eq(tsk_requantize(&p, 3, in8, o32), TSK_OK);
    cr_assert_eq(o32[0], 0);
    cr_assert_eq(o32[1], 133 * 256);
    cr_assert_eq(o32[2], 255 * 256);
    p.out_bytes = 3;
    cr_assert_eq(tsk_requantize(&p, 3, in8, o32), TSK_ERR_ARG);
}

/* Requantize of an int32 input (TFLite Micro): multiplier 2^30 and shift -20 scale by 2^-21;
 * the input zero point -7 is subtracted first, the output zero point added before the clamp. */
Test(requantize, rescales_int32_inputs_to_int8_and_int16_and_clamps)
{
    const int32_t in[6] = {10 * (1 << 21) - 7, 3 * (1 << 20) - 7, -3 * (1 << 20) - 7,
                           INT32_MIN + 7, 2000000000, -7};
    tsk_requant_params p = {-7, -5, 1 << 30, -20, TSK_ROUND_SINGLE, 4, 1};
    int8_t o8[6];
    int16_t o16[6];

    cr_assert_eq(tsk_requantize(&p, 6, in, o8), TSK_OK);
    cr_assert_eq(o8[0], 5);    /* 10 - 5 */
    cr_assert_eq(o8[1], -3);   /* 1.5 -> 2, - 5 */
    cr_assert_eq(o8[2], -6);   /* -1.5 -> -1 (ties up), - 5 */
    cr_assert_eq(o8[3], -128); /* -1024 - 5, clamped */
    cr_assert_eq(o8[4], 127);  /* 2000000007 / 2^21 = 953.67 -> 954, clamped */
    cr_assert_eq(o8[5], -5);
    p.rounding = TSK_ROUND_DOUBLE;
    cr_assert_eq(tsk_requantize(&p, 6, in, o8), TSK_OK);
    cr_assert_eq(o8[2], -7);   /* -1.5 -> -2 (away from zero), - 5 */
    p.out_bytes = 2, p.output_zero_point = 0;
    cr_assert_eq(tsk_requantize(&p, 6, in, o16), TSK_OK);
    cr_assert_eq(o16[0], 10);
    cr_assert_eq(o16[3], -1024);
    cr_assert_eq(o16[4], 954);
    /* a quotient of 1 (0.5 * 2^1): the rescaled value saturates at the int32 rails, and the
     * output zero point 100 does not wrap it to the other end */
    p = (tsk_requant_params){0, 100, 1 << 30, 1, TSK_ROUND_SINGLE, 4, 1};
    cr_assert_eq(tsk_requantize(&p, 2, (const int32_t[]){INT32_MAX, INT32_MIN}, o8), TSK_OK);
    cr_assert_eq(o8[0], 127);
    cr_assert_eq(o8[1], -128);
    p.out_bytes = 4; /* int32 to int32: not a TFLite path */
    cr_assert_eq(tsk_requantize(&p, 2, in, o8), TSK_ERR_ARG);
}

/* ADD/SUB int16 with every scale 1: each input shifted left by 15 and scaled by 1/2 (its scale
 * over twice the larger one), the sum scaled by 2 / 2^15: the exact sum or difference,
 * clamped. MUL as the comment below. */
Test(eltwise_s16, add_sub_and_mul_give_hand_computed_values_and_clamp)
{
    const int16_t a[3] = {1000, -32768, 30000}, b[3] = {-7, -5, 30000};
    tsk_dims d = {1, 1, 1, 3};
    tsk_add_params ap;
    tsk_mul_params mp;
    int16_t o[3];

    cr_assert_eq(tsk_add_prepare_s16(1.0f, 1.0f, 1.0f, TSK_ACT_NONE, TSK_ROUND_SINGLE, &ap),
                 TSK_OK);
    cr_assert_eq(ap.left_shift, 15);
    cr_assert_eq(tsk_add_s16(&ap, &d, a, &d, b, &d, o), TSK_OK);
    cr_assert_eq(o[0], 993);
    cr_assert_eq(o[1], -32768); /* -32773 clamped */
    cr_assert_eq(o[2], 32767);  /* 60000 clamped */
    cr_assert_eq(tsk_sub_s16(&ap, &d, a, &d, b, &d, o), TSK_OK);
    cr_assert_eq(o[0], 1007);
    cr_assert_eq(o[1], -32763);
    cr_assert_eq(o[2], 0);
    /* MUL: scales 0.5 * 0.25 / 2^-10 = 128: 1000 * -7 * 128 clamps; 2 * 3 * 128 = 768 */
    cr_assert_eq(tsk_mul_prepare_s16(0.5f, 0.25f, 1.0f / 1024, TSK_ACT_RELU, TSK_ROUND_SINGLE,
                                     &mp), TSK_OK);
    cr_assert_eq(tsk_mul_s16(&mp, &d, (const int16_t[]){1000, 2, -3}, &d,
                             (const int16_t[]){-7, 3, 4}, &d, o), TSK_OK);
    cr_assert_eq(o[0], 0); /* RELU: -896000 -> 0 */
    cr_assert_eq(o[1], 768);
    cr_assert_eq(o[2], 0);
    ap.input1_offset = 1; /* int16 is symmetric */
    cr_assert_eq(tsk_add_s16(&ap, &d, a, &d, b, &d, o), TSK_ERR_ARG);
}

/* A 2x2 image, one channel, 2x2 windows with SAME padding (stride 1): the window of (0,0) holds
 * all four values, that of (1,1) only its own. Averages round half away from zero. */
Test(pool_s16, average_rounds_half_away_from_zero_and_max_takes_the_clipped_window)
{
    const int16_t in[4] = {-32768, -3, 5, 32764};
    tsk_dims d = {1, 2, 2, 1};
    tsk_pool_params p = {{1, 1}, {0, 0}, {2, 2}, {-32768, 32767}};
    int16_t o[4];

    cr_assert_eq(tsk_avg_pool_s16(&p, &d, in, &d, o), TSK_OK);
    cr_assert_eq(o[0], -1);     /* -2 / 4 = -0.5 -> -1 */
    cr_assert_eq(o[1], 16381);  /* 32761 / 2 = 16380.5 -> 16381 */
    cr_assert_eq(o[2], 16385);  /* 32769 / 2 = 16384.5 -> 16385 */
    cr_assert_eq(o[3], 32764);
    cr_assert_eq(tsk_max_pool_s16(&p, &d, in, &d, o), TSK_OK);
    cr_assert_eq(o[0], 32764);
    cr_assert_eq(o[1], 32764);
    p.act = (tsk_range){-100, 100};
    cr_assert_eq(tsk_max_pool_s16(&p, &d, (const int16_t[]){-500, -400, -300, -200}, &d, o),
                 TSK_OK);
    cr_assert_eq(o[0], -100); /* -200 clamped */
    cr_assert_eq(o[3], -100);
    p.act.max = 40000;
    cr_assert_eq(tsk_avg_pool_s16(&p, &d, in, &d, o), TSK_ERR_ARG);
}

/* PAD int16 with pad value -7 (a zero point TFLite would not give int16, to see it placed) and
 * CONCATENATION of [1,2] and [1,1] along the last axis. */
Test(data_movement_s16, pad_and_concatenation_place_every_element)
{
    const int16_t a[2] = {-32768, 32767}, b[1] = {1234};
    const int16_t *ins[2] = {a, b};
    tsk_dims in = {1, 1, 1, 2}, pout = {1, 1, 2, 3}, dims[2] = {{1, 1, 1, 2}, {1, 1, 1, 1}};
    tsk_dims cout = {1, 1, 1, 3};
    tsk_pad_params p = {{0, 0, 1, 0}, {0, 0, 0, 1}};
    int16_t o[6];

    cr_assert_eq(tsk_pad_s16(&p, -7, &in, a, &pout, o), TSK_OK);
    cr_assert_arr_eq(o, ((int16_t[]){-7, -7, -7, -32768, 32767, -7}), sizeof o);
    cr_assert_eq(tsk_concatenation_s16(3, 2, dims, ins, &cout, o), TSK_OK);
    cr_assert_arr_eq(o, ((int16_t[]){-32768, 32767, 1234}), 3 * sizeof o[0]);
}

/* MEAN int16 of [1,2,2,2] over H and W (4 elements per output): channel sums 46 (10..13) and
 * -47 (-10, -11, -12, -14). Scale 0.3: HW (keep_dims, 4-D, axes 1, 2) requantises first,
 * 46 * 0.3 = 13.8 -> 14, then (14 + 2) / 4 = 4 and (-14 - 2) / 4 = -4; SCALED (keep_dims 0)
 * divides first in float, 11.5 * 0.3 = 3.45 -> 3 and -11.75 * 0.3 = -3.525 -> -4 (half away
 * from zero); SAME (equal scales) truncates, 46 / 4 = 11 and -47 / 4 = -11. */
Test(mean_s16, the_three_tflite_paths_round_where_tflite_rounds)
{
    const int16_t in[8] = {10, -10, 11, -11, 12, -12, 13, -14};
    const int32_t axes[2] = {1, 2}, negative[2] = {-3, -2};
    const tsk_dims d = {1, 2, 2, 2}, od = {1, 1, 1, 2};
    int32_t scratch[2];
    tsk_ctx ctx = {scratch, (int32_t)sizeof scratch};
    tsk_mean_s16_params p;
    int16_t out[2];

    cr_assert_eq(tsk_mean_s16_scratch_size(&d, 6), 8);
    cr_assert_eq(tsk_mean_prepare_s16(0.3f, 1.0f, 6, 1, 4, axes, 2, TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_assert_eq(p.path, TSK_MEAN_HW);
    cr_assert_eq(tsk_mean_s16(&ctx, &p, &d, in, &od, out), TSK_OK);
    cr_expect(out[0] == 4 && out[1] == -4, "HW: %d %d", out[0], out[1]);
    cr_assert_eq(tsk_mean_prepare_s16(0.3f, 1.0f, 6, 0, 4, axes, 2, TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_assert_eq(p.path, TSK_MEAN_SCALED);
    cr_assert_eq(tsk_mean_s16(&ctx, &p, &d, in, &od, out), TSK_OK);
    cr_expect(out[0] == 3 && out[1] == -4, "SCALED: %d %d", out[0], out[1]);
    /* TFLite compares the literal axes: -3, -2 of a 4-D input is not its HW case */
    cr_assert_eq(tsk_mean_prepare_s16(0.3f, 1.0f, 6, 1, 4, negative, 2, TSK_ROUND_SINGLE, &p),
                 TSK_OK);
    cr_assert_eq(p.path, TSK_MEAN_SCALED);
    cr_assert_eq(tsk_mean_prepare_s16(0.5f, 0.5f, 6, 0, 4, axes, 2, TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_assert_eq(p.path, TSK_MEAN_SAME);
    cr_assert_eq(tsk_mean_s16(&ctx, &p, &d, in, &od, out), TSK_OK);
    cr_expect(out[0] == 11 && out[1] == -11, "SAME: %d %d", out[0], out[1]);
    ctx.size = 4; /* one int32 sum short */
    cr_assert_eq(tsk_mean_s16(&ctx, &p, &d, in, &od, out), TSK_ERR_SCRATCH);
}

/* Results clamp to int16 (mean 31383.5 x 2 = 62767 -> 32767), and no more than 65,536
 * elements reduce into one output (int32 sums of int16 stay exact up to 2^16 x 2^15). */
Test(mean_s16, results_saturate_and_the_reduced_count_is_bounded)
{
    const int16_t in[2] = {30000, 32767};
    const tsk_dims d = {1, 1, 2, 1}, od = {1, 1, 1, 1};
    const tsk_dims most = {1, 256, 256, 1}, over = {1, 257, 256, 1};
    int32_t scratch[1];
    tsk_ctx ctx = {scratch, (int32_t)sizeof scratch};
    tsk_mean_s16_params p;
    int16_t out[1];

    cr_assert_eq(tsk_mean_prepare_s16(0.5f, 0.25f, 4, 0, 4, NULL, 0, TSK_ROUND_SINGLE, &p),
                 TSK_OK);
    cr_assert_eq(tsk_mean_s16(&ctx, &p, &d, in, &od, out), TSK_OK);
    cr_expect_eq(out[0], 32767);
    cr_expect_eq(tsk_mean_s16_scratch_size(&most, 6), 4);
    cr_expect_eq(tsk_mean_s16_scratch_size(&over, 6), -1);
    cr_expect_eq(tsk_mean_s16_scratch_size(&over, 4), 4 * 257);
}
