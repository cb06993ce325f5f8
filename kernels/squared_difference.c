/* kernels/squared_difference.c: SQUARED_DIFFERENCE with TFLite 4-D broadcasting. int8
 * (TFLite squared_difference.cc, bit-exact): offsets applied, both inputs shifted left by
 * left_shift (7) and rescaled to a common scale, their difference squared (at most
 * (255 << 7)^2 / 4: no overflow), rescaled to the output, zero point added, clamped; the
 * parameters are ADD's block as tsk_squared_difference_prepare_s8 fills it. Float: (a - b)^2.
 * Values only: no allocation, no I/O. */
#include "eltwise_int.h"
#include "kernels.h"

static int8_t sqdiff_one(const tsk_add_params *p, int8_t x, int8_t y)
{
    int32_t a = tsk_shl_wrap(p->input1_offset + x, p->left_shift);
    int32_t b = tsk_shl_wrap(p->input2_offset + y, p->left_shift);
    int32_t d = tsk_mbqm_r(a, p->input1_multiplier, p->input1_shift, p->rounding) -
                tsk_mbqm_r(b, p->input2_multiplier, p->input2_shift, p->rounding);
    int32_t v = tsk_mbqm_r(d * d, p->output_multiplier, p->output_shift, p->rounding) +
                p->output_offset;
    return (int8_t)tsk_clamp_i32(v, p->act.min, p->act.max);
}

tsk_status tsk_squared_difference_s8(const tsk_add_params *p, const tsk_dims *in1_dims,
                                     const int8_t *in1, const tsk_dims *in2_dims,
                                     const int8_t *in2, const tsk_dims *out_dims, int8_t *out)
{
    int32_t s1[4], s2[4];

    if (p == 0 || !tsk_add_params_ok(p) || p->left_shift > 7 ||
        !tsk_binary_args(in1_dims, in1, in2_dims, in2, out_dims, out, s1, s2))
        return TSK_ERR_ARG;
    TSK_BROADCAST_4D(int8_t, in1, s1, in2, s2, out_dims, out, sqdiff_one(p, A, B));
    return TSK_OK;
}

tsk_status tsk_squared_difference_f32(const tsk_eltwise_params_f32 *p, const tsk_dims *in1_dims,
                                      const float *in1, const tsk_dims *in2_dims,
                                      const float *in2, const tsk_dims *out_dims, float *out)
{
    int32_t s1[4], s2[4];

    if (p == 0 || !tsk_binary_args(in1_dims, in1, in2_dims, in2, out_dims, out, s1, s2))
        return TSK_ERR_ARG;
    TSK_BROADCAST_4D(float, in1, s1, in2, s2, out_dims, out, (A - B) * (A - B));
    return TSK_OK;
}
