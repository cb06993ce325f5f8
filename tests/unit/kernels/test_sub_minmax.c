/* tests/unit/kernels/test_sub_minmax.c: SUB int8/float32 (sub_s8.c, sub_f32.c), MAXIMUM /
 * MINIMUM (maximum_minimum.c) and SQUARED_DIFFERENCE (squared_difference.c): hand-computed values, TFLite broadcasting, saturation and the
 * fused-activation clamp, NaN as TFLite's expressions treat it, and argument checks. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>

#include "kernel_test_util.h"

Test(sub_s8, hand_values_with_equal_scales_saturate_at_the_int8_range)
{
    tsk_dims d = {1, 1, 1, 4};
    const int8_t a[4] = {10, -10, 100, -100}, b[4] = {5, -5, -100, 100};
    const int8_t want[4] = {5, -5, 127, -128};
    int8_t out[4];
    tsk_add_params p;

    cr_assert_eq(tsk_add_prepare_s8(0.1f, 0, 0.1f, 0, 0.1f, 0, TSK_ACT_NONE, TSK_ROUND_SINGLE,
                                    &p), TSK_OK);
    cr_assert_eq(tsk_sub_s8(&p, &d, a, &d, b, &d, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

/* Zero points and a second input of half the scale: real values (q - zp) * s. Input 1: scale
 * 0.5, zp 2; input 2: scale 0.25, zp -4; output: scale 0.5, zp 1. */
Test(sub_s8, zero_points_and_scales_and_the_relu_clamp)
{
    tsk_dims d = {1, 1, 1, 3};
    const int8_t a[3] = {12, 2, 2}, b[3] = {-4, 4, -24};
    /* real: 5 - 0 = 5 -> 10 + 1; 0 - 2 = -2 -> -4 + 1 = -3 (ReLU: 1); 0 - (-5) = 5 -> 11 */
    const int8_t want_none[3] = {11, -3, 11}, want_relu[3] = {11, 1, 11};
    int8_t out[3];
    tsk_add_params p;

    cr_assert_eq(tsk_add_prepare_s8(0.5f, 2, 0.25f, -4, 0.5f, 1, TSK_ACT_NONE, TSK_ROUND_SINGLE,
                                    &p), TSK_OK);
    cr_assert_eq(tsk_sub_s8(&p, &d, a, &d, b, &d, out), TSK_OK);
    cr_assert_arr_eq(out, want_none, sizeof out);
    cr_assert_eq(tsk_add_prepare_s8(0.5f, 2, 0.25f, -4, 0.5f, 1, TSK_ACT_RELU, TSK_ROUND_SINGLE,
                                    &p), TSK_OK);
    cr_assert_eq(tsk_sub_s8(&p, &d, a, &d, b, &d, out), TSK_OK);
    cr_assert_arr_eq(out, want_relu, sizeof out);
}

Test(sub_s8, broadcasts_a_row_against_a_column_and_rejects_bad_shapes)
{
    tsk_dims da = {1, 1, 3, 1}, db = {1, 1, 1, 2}, dout = {1, 1, 3, 2}, bad = {1, 1, 2, 2};
    const int8_t a[3] = {10, 20, 30}, b[2] = {1, 2};
    const int8_t want[6] = {9, 8, 19, 18, 29, 28};
    int8_t out[6];
    tsk_add_params p;

    cr_assert_eq(tsk_add_prepare_s8(0.1f, 0, 0.1f, 0, 0.1f, 0, TSK_ACT_NONE, TSK_ROUND_SINGLE,
                                    &p), TSK_OK);
    cr_assert_eq(tsk_sub_s8(&p, &da, a, &db, b, &dout, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    cr_assert_eq(tsk_sub_s8(&p, &da, a, &bad, b, &dout, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_sub_s8(NULL, &da, a, &db, b, &dout, out), TSK_ERR_ARG);
    p.left_shift = 31;
    cr_assert_eq(tsk_sub_s8(&p, &da, a, &db, b, &dout, out), TSK_ERR_ARG);
}

Test(sub_f32, subtracts_with_broadcasting_and_clamps_to_relu6)
{
    tsk_dims da = {1, 1, 2, 2}, db = {1, 1, 1, 2};
    const float a[4] = {1.0f, 10.0f, -3.0f, 2.5f}, b[2] = {2.0f, 1.0f};
    const float want_none[4] = {-1.0f, 9.0f, -5.0f, 1.5f}, want_relu6[4] = {0, 6, 0, 1.5f};
    tsk_eltwise_params_f32 none = {{-FLT_MAX, FLT_MAX}}, relu6 = {{0.0f, 6.0f}};
    float out[4];

    cr_assert_eq(tsk_sub_f32(&none, &da, a, &db, b, &da, out), TSK_OK);
    cr_assert_arr_eq(out, want_none, sizeof out);
    cr_assert_eq(tsk_sub_f32(&relu6, &da, a, &db, b, &da, out), TSK_OK);
    cr_assert_arr_eq(out, want_relu6, sizeof out);
    cr_assert_eq(tsk_sub_f32(&relu6, &db, b, &da, a, &db, out), TSK_ERR_ARG); /* out too small */
}

Test(maximum_minimum, int8_compare_stored_values_with_broadcasting)
{
    tsk_dims da = {1, 2, 1, 3}, db = {1, 1, 1, 3};
    const int8_t a[6] = {-128, 0, 127, 5, -5, 0}, b[3] = {-1, 0, 1};
    const int8_t want_max[6] = {-1, 0, 127, 5, 0, 1}, want_min[6] = {-128, 0, 1, -1, -5, 0};
    int8_t out[6];

    cr_assert_eq(tsk_maximum_s8(&da, a, &db, b, &da, out), TSK_OK);
    cr_assert_arr_eq(out, want_max, sizeof out);
    cr_assert_eq(tsk_minimum_s8(&da, a, &db, b, &da, out), TSK_OK);
    cr_assert_arr_eq(out, want_min, sizeof out);
    cr_assert_eq(tsk_maximum_s8(&da, a, &db, NULL, &da, out), TSK_ERR_ARG);
}

Test(maximum_minimum, float_follows_tflites_expressions_nan_included)
{
    tsk_dims d = {1, 1, 1, 4};
    const float a[4] = {1.0f, -2.0f, NAN, 3.0f}, b[4] = {0.5f, 4.0f, 1.0f, NAN};
    float out[4];

    cr_assert_eq(tsk_maximum_f32(&d, a, &d, b, &d, out), TSK_OK);
    cr_expect(out[0] == 1.0f && out[1] == 4.0f);
    cr_expect(out[2] == 1.0f, "a > b ? a : b with a NaN: b"); /* NaN > 1 is false */
    cr_expect(isnan(out[3]), "a > NaN is false: the NaN");
    cr_assert_eq(tsk_minimum_f32(&d, a, &d, b, &d, out), TSK_OK);
    cr_expect(out[0] == 0.5f && out[1] == -2.0f && out[2] == 1.0f && isnan(out[3]));
}

/* Equal input scales 0.1 (zero point 0), output scale 0.04, zero point -128: out = (a - b)^2
 * * 0.01 / 0.04 - 128 = (a - b)^2 / 4 - 128, saturating at 127; the prepare helper gives
 * TFLite's left shift 7 and multipliers 1/2, 1/2 and (0.2)^2 / (2^14 * 0.04). */
Test(squared_difference_s8, hand_values_with_broadcasting_and_saturation)
{
    tsk_dims da = {1, 1, 1, 4}, db = {1, 1, 1, 1};
    const int8_t a[4] = {0, 10, -10, 127}, b[1] = {-6};
    const int8_t want[4] = {-119, -64, -124, 127}; /* 36/4 = 9, 256/4 = 64, 16/4 = 4 */
    const float fa[3] = {1.5f, -2.0f, 0.0f}, fb[1] = {0.5f};
    tsk_eltwise_params_f32 none = {{-FLT_MAX, FLT_MAX}};
    tsk_add_params p;
    int8_t out[4];
    float fout[3];

    cr_assert_eq(tsk_squared_difference_prepare_s8(0.1f, 0, 0.1f, 0, 0.04f, -128,
                                                   TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_assert_eq(p.left_shift, 7);
    cr_assert_eq(tsk_squared_difference_s8(&p, &da, a, &db, b, &da, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof out);
    cr_assert_eq(tsk_squared_difference_s8(&p, &da, a, &da, a, &db, out), TSK_ERR_ARG);
    da.c = 3;
    cr_assert_eq(tsk_squared_difference_f32(&none, &da, fa, &db, fb, &da, fout), TSK_OK);
    cr_expect(fout[0] == 1.0f && fout[1] == 6.25f && fout[2] == 0.25f);
}
