/* tests/unit/kernels/test_ops_math.c: the ops-math group's kernels (HARD_SWISH, ...) against
 * hand-computed values: int8 results whose real value lies well away from a half step (so the
 * correctly rounded figure is the only right answer), zero points, saturation, the clamps of
 * the float formulas, and argument checks. */
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
