/* tests/unit/kernels/test_svdf.c: SVDF (svdf.c) on hand-computed cases: int8 with int16 time
 * weights over two invocations (the state moving left, the input zero point, bias and output
 * zero point), int16 state saturation, int8 time weights with rank 2 (TFLite Micro's form,
 * which the TFLite golden runtime cannot witness), float32 over three invocations with a
 * fused RELU, the float rank reduction order (the rank sum is added to the bias, not each
 * projection in turn), and refused parameters that write nothing. */
#include <criterion/criterion.h>

#include <string.h>

#include "kernels/kernels.h"

/* Requantisation by exactly 1: multiplier 2^30 (0.5) with shift 1. */
#define ONE_M (1 << 30)
#define ONE_S 1

static tsk_svdf_params s8_params(int32_t input, int32_t filters, int32_t memory, int32_t rank,
                                 int32_t time_bytes)
{
    tsk_svdf_params p = {1, input, filters, memory, rank, time_bytes, ONE_M, ONE_S, ONE_M,
                         ONE_S, TSK_ROUND_SINGLE, {{0, 0}}};
    return p;
}

Test(svdf, int8_two_invocations_shift_the_state_and_apply_zero_points_and_bias)
{
    tsk_svdf_params p = s8_params(2, 1, 2, 1, 2);
    const int8_t wf[2] = {2, -3}, in1[2] = {4, 2}, in2[2] = {1, 3};
    const int16_t wt[2] = {5, 7};
    const int32_t bias[1] = {10};
    int16_t state[2] = {0, 0};
    int8_t out;

    p.ends.zp.input_offset = -1, p.ends.zp.output_offset = -2;
    /* feature (4-1)*2 + (2-1)*-3 = 3 -> state [0, 3]; time 5*0 + 7*3 = 21; 21 + 10 - 2 = 29 */
    cr_assert_eq(tsk_svdf_s8(&p, in1, wf, wt, bias, state, &out), TSK_OK);
    cr_expect_eq(out, 29);
    cr_expect(state[0] == 3 && state[1] == 0, "state moved left: [%d, %d]", state[0], state[1]);
    /* feature 0*2 + 2*-3 = -6 -> state [3, -6]; time 15 - 42 = -27; -27 + 10 - 2 = -19 */
    cr_assert_eq(tsk_svdf_s8(&p, in2, wf, wt, bias, state, &out), TSK_OK);
    cr_expect_eq(out, -19);
    cr_expect(state[0] == -6 && state[1] == 0);
}

Test(svdf, int8_feature_sums_saturate_to_int16_and_outputs_to_int8)
{
    tsk_svdf_params p = s8_params(2, 1, 1, 1, 2);
    const int8_t wf[2] = {127, 127}, in[2] = {127, 127};
    const int16_t wt[1] = {1};
    int16_t state[1] = {0};
    int8_t out;

    p.ends.zp.input_offset = 128; /* zero point -128: (127 + 128) * 127 * 2 = 64770 -> 32767 */
    p.output_multiplier = ONE_M, p.output_shift = -9; /* 2^-10: 32767 / 1024 = 31.999 -> 32 */
    cr_assert_eq(tsk_svdf_s8(&p, in, wf, wt, NULL, state, &out), TSK_OK);
    cr_expect_eq(out, 32);
    p.output_shift = ONE_S; /* scale 1: 32767 saturates to 127 */
    cr_assert_eq(tsk_svdf_s8(&p, in, wf, wt, NULL, state, &out), TSK_OK);
    cr_expect_eq(out, 127);
}

Test(svdf, int8_time_weights_and_rank_2_sum_two_filters_per_unit)
{
    tsk_svdf_params p = s8_params(1, 2, 1, 2, 1);
    const int8_t wf[2] = {3, -2}, in[1] = {5}, wt[2] = {4, 1};
    const int32_t bias[1] = {7};
    int16_t state[2] = {0, 0};
    int8_t out;

    /* filters 15 and -10; time 4*15 + 1*-10 = 50; 50 + 7 = 57; memory 1: state cleared */
    cr_assert_eq(tsk_svdf_s8(&p, in, wf, wt, bias, state, &out), TSK_OK);
    cr_expect_eq(out, 57);
    cr_expect(state[0] == 0 && state[1] == 0);
}

Test(svdf, float_three_invocations_with_relu)
{
    tsk_svdf_params p = {1, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, {{0, 0}}};
    const float wf[4] = {1.0f, 1.0f, 0.5f, -1.0f}, wt[4] = {2.0f, 1.0f, 1.0f, 2.0f};
    const float bias[1] = {0.5f}, in[3][2] = {{1.0f, 2.0f}, {0.0f, 1.0f}, {-4.0f, 0.0f}};
    const float want[3] = {0.5f, 4.0f, 0.0f};
    float state[4] = {0}, out;

    p.ends.act = (tsk_range_f32){0.0f, 1e30f};
    /* 1: filters 3, -1.5; time 1*3 + 2*-1.5 = 0 -> 0.5. 2: filters 1, -1; states [3,1],
     * [-1.5,-1]; time 7 and -3.5 -> 4. 3: filters -4, -2; states [1,-4], [-1,-2]; time -2 and
     * -5 -> -6.5, RELU -> 0. */
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(tsk_svdf_f32(&p, in[i], wf, wt, bias, state, &out), TSK_OK);
        cr_expect_eq(out, want[i], "invocation %d: %g", i, (double)out);
    }
}

Test(svdf, float_rank_projections_are_summed_before_the_bias_is_added)
{
    tsk_svdf_params p = {1, 1, 2, 1, 2, 0, 0, 0, 0, 0, 0, {{0, 0}}};
    const float tiny = 1.0f / 16777216.0f; /* 2^-24: half an ulp of 1.0 */
    const float wf[2] = {tiny, tiny}, wt[2] = {1.0f, 1.0f}, bias[1] = {1.0f}, in[1] = {1.0f};
    float state[2] = {0}, out;

    p.ends.act = (tsk_range_f32){-1e30f, 1e30f};
    /* (1 + 2^-24) + 2^-24 rounds to 1 twice; 1 + (2^-24 + 2^-24) = 1 + 2^-23 exactly */
    cr_assert_eq(tsk_svdf_f32(&p, in, wf, wt, bias, state, &out), TSK_OK);
    cr_expect_eq(out, 1.0f + 2.0f * tiny);
}

Test(svdf, bad_parameters_are_refused_before_anything_is_written)
{
    tsk_svdf_params p = s8_params(1, 3, 1, 2, 2); /* rank 2 does not divide 3 filters */
    const int8_t wf[3] = {1, 1, 1}, in[1] = {1};
    const int16_t wt[3] = {1, 1, 1};
    int16_t state[3] = {9, 9, 9};
    int8_t out = 42;

    cr_expect_eq(tsk_svdf_s8(&p, in, wf, wt, NULL, state, &out), TSK_ERR_ARG);
    p = s8_params(1, 2, 1, 2, 3); /* time weights of 3 bytes */
    cr_expect_eq(tsk_svdf_s8(&p, in, wf, wt, NULL, state, &out), TSK_ERR_ARG);
    p = s8_params(1, 2, 1, 2, 2);
    p.rounding = 7;
    cr_expect_eq(tsk_svdf_s8(&p, in, wf, wt, NULL, state, &out), TSK_ERR_ARG);
    cr_expect(out == 42 && state[0] == 9 && state[2] == 9, "nothing written");
}
