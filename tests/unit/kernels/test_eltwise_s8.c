/* tests/unit/kernels/test_eltwise_s8.c: ADD, MUL and LOGISTIC int8 (add_s8.c, mul_s8.c,
 * logistic_s8.c) and their prepare helpers: random tensors against double references (1 LSB),
 * broadcasting, activation clamps, saturation, and logistic monotonicity. */
#include <criterion/criterion.h>

#include "kernel_test_util.h"

Test(add_s8, prepare_uses_left_shift_20_and_scale_ratios)
{
    tsk_add_params p;
    cr_assert_eq(tsk_add_prepare_s8(0.5f, 3, 0.25f, -4, 1.0f, 1, TSK_ACT_NONE, TSK_ROUND_DOUBLE,
                                    &p),
                 TSK_OK);
    cr_assert(p.left_shift == 20 && p.input1_offset == -3 && p.input2_offset == 4 &&
              p.output_offset == 1);
    /* 0.5 / 1.0 = 0.5 -> (2^30, 0); 0.25 / 1.0 -> (2^30, -1); 1.0 / 2^20 -> (2^30, -19). */
    cr_assert(p.input1_multiplier == (1 << 30) && p.input1_shift == 0);
    cr_assert(p.input2_multiplier == (1 << 30) && p.input2_shift == -1);
    cr_assert(p.output_multiplier == (1 << 30) && p.output_shift == -19);
}

Test(add_s8, hand_values_with_equal_scales)
{
    tsk_dims d = {1, 1, 1, 4};
    const int8_t a[4] = {10, -10, 100, -100}, b[4] = {5, -5, 100, -100};
    const int8_t want[4] = {15, -15, 127, -128};
    int8_t out[4];
    tsk_add_params p;
    cr_assert_eq(tsk_add_prepare_s8(0.1f, 0, 0.1f, 0, 0.1f, 0, TSK_ACT_NONE, TSK_ROUND_DOUBLE,
                                    &p),
                 TSK_OK);
    cr_assert_eq(tsk_add_s8(&p, &d, a, &d, b, &d, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

/* Random ADD or MUL against the double answer; in2 broadcast over some axes. */
static void check_random_eltwise(int is_mul, uint32_t seed)
{
    rng r = {seed};
    for (int t = 0; t < 200; t++) {
        tsk_dims od = {rng_int(&r, 1, 2), rng_int(&r, 1, 4), rng_int(&r, 1, 4), rng_int(&r, 1, 9)};
        tsk_dims d2 = od;
        int8_t a[288], b[288], out[288];
        float s1 = (float)rng_real(&r, 0.01, 0.2), s2 = (float)rng_real(&r, 0.01, 0.2), so;
        int32_t z1 = rng_int(&r, -30, 30), z2 = rng_int(&r, -30, 30), zo = rng_int(&r, -30, 30);
        tsk_activation act = rng_int(&r, 0, 1) ? TSK_ACT_NONE : TSK_ACT_RELU;
        tsk_rounding rnd = t % 2 ? TSK_ROUND_SINGLE : TSK_ROUND_DOUBLE; /* both modes */
        tsk_add_params ap;
        tsk_mul_params mp;
        tsk_range range;
        if (rng_int(&r, 0, 1)) d2.h = 1;
        if (rng_int(&r, 0, 1)) d2.c = 1;
        so = is_mul ? (float)(s1 * s2 * 128.0 * rng_real(&r, 0.3, 1.0))
                    : (float)((s1 + s2) * rng_real(&r, 0.6, 1.2));
        fill_s8(&r, a, dims_count(od), -128, 127);
        fill_s8(&r, b, dims_count(d2), -128, 127);
        cr_assert_eq(tsk_activation_range_s8(act, so, zo, &range), TSK_OK);
        if (is_mul) {
            cr_assert_eq(tsk_mul_prepare_s8(s1, z1, s2, z2, so, zo, act, rnd, &mp), TSK_OK);
            cr_assert_eq(tsk_mul_s8(&mp, &od, a, &d2, b, &od, out), TSK_OK);
        } else {
            cr_assert_eq(tsk_add_prepare_s8(s1, z1, s2, z2, so, zo, act, rnd, &ap), TSK_OK);
            cr_assert_eq(tsk_add_s8(&ap, &od, a, &d2, b, &od, out), TSK_OK);
        }
        for (int i = 0; i < dims_count(od); i++) {
            int c = i % od.c, w = (i / od.c) % od.w, h = (i / od.c / od.w) % od.h;
            int n = i / od.c / od.w / od.h;
            int j = ((n * d2.h + (d2.h == 1 ? 0 : h)) * d2.w + w) * d2.c + (d2.c == 1 ? 0 : c);
            double x = s1 * (a[i] - z1), y = s2 * (b[j] - z2);
            int32_t q = quantize_ref(is_mul ? x * y : x + y, so, zo);
            q = q < range.min ? range.min : (q > range.max ? range.max : q);
            cr_assert(abs(out[i] - q) <= 1, "%s case %d elem %d: %d vs %d", is_mul ? "mul" : "add",
                      t, i, out[i], q);
        }
    }
}

Test(add_s8, random_broadcast_tensors_are_within_one_lsb_of_double)
{
    check_random_eltwise(0, 1001u);
}

Test(mul_s8, random_broadcast_tensors_are_within_one_lsb_of_double)
{
    check_random_eltwise(1, 2002u);
}

Test(mul_s8, hand_values_and_saturation)
{
    tsk_dims d = {1, 1, 1, 3}, one = {1, 1, 1, 1};
    const int8_t a[3] = {4, -6, 100}, b[1] = {3};
    const int8_t want[3] = {12, -18, 127};
    int8_t out[3];
    tsk_mul_params p;
    cr_assert_eq(tsk_mul_prepare_s8(1.0f, 0, 1.0f, 0, 1.0f, 0, TSK_ACT_NONE, TSK_ROUND_DOUBLE,
                                    &p),
                 TSK_OK);
    cr_assert_eq(tsk_mul_s8(&p, &d, a, &one, b, &d, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(eltwise_s8, rejects_shapes_that_do_not_broadcast)
{
    tsk_dims d = {1, 1, 2, 3}, bad = {1, 1, 1, 2};
    int8_t a[6] = {0}, b[2] = {0}, out[6];
    tsk_mul_params mp;
    tsk_add_params ap;
    cr_assert_eq(tsk_mul_prepare_s8(1.0f, 0, 1.0f, 0, 1.0f, 0, TSK_ACT_NONE, TSK_ROUND_DOUBLE,
                                    &mp),
                 TSK_OK);
    cr_assert_eq(tsk_add_prepare_s8(1.0f, 0, 1.0f, 0, 1.0f, 0, TSK_ACT_NONE, TSK_ROUND_DOUBLE,
                                    &ap),
                 TSK_OK);
    cr_assert_eq(tsk_mul_s8(&mp, &d, a, &bad, b, &d, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_add_s8(&ap, &d, a, &bad, b, &d, out), TSK_ERR_ARG);
}

Test(logistic_s8, every_input_is_within_one_lsb_of_double_and_monotonic)
{
    const float scales[4] = {0.01f, 0.05f, 0.1f, 0.3f};
    const int32_t zps[4] = {0, -20, 30, -128};
    for (int k = 0; k < 8; k++) { /* 4 scales x both rounding modes */
        tsk_rounding rnd = k < 4 ? TSK_ROUND_DOUBLE : TSK_ROUND_SINGLE;
        int8_t in[256], out[256];
        tsk_logistic_params p;
        for (int i = 0; i < 256; i++)
            in[i] = (int8_t)(i - 128);
        cr_assert_eq(tsk_logistic_prepare_s8(scales[k % 4], zps[k % 4], rnd, &p), TSK_OK);
        cr_assert_eq(tsk_logistic_s8(&p, 256, in, out), TSK_OK);
        for (int i = 0; i < 256; i++) {
            double x = scales[k % 4] * (in[i] - zps[k % 4]);
            int32_t q = quantize_ref(1.0 / (1.0 + exp(-x)), 1.0 / 256.0, -128);
            cr_assert(abs(out[i] - q) <= 1, "scale %f in %d: %d vs %d", scales[k % 4], in[i], out[i], q);
            if (i > 0)
                cr_assert(out[i] >= out[i - 1]);
        }
    }
}

Test(logistic_s8, prepare_gives_hand_computed_multiplier_and_radius)
{
    tsk_logistic_params p;
    /* 0.0625 * 2^27 = 2^23 -> frexp 0.5 * 2^24 -> multiplier 2^30, shift 24;
     * radius = 15 * 2^27 / 2^24 = 120. */
    cr_assert_eq(tsk_logistic_prepare_s8(0.0625f, 3, TSK_ROUND_DOUBLE, &p), TSK_OK);
    cr_assert(p.input_multiplier == (1 << 30) && p.input_left_shift == 24);
    cr_assert_eq(p.input_range_radius, 120);
    cr_assert_eq(p.input_zero_point, 3);
}
