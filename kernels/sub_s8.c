/* kernels/sub_s8.c: SUB int8, bit-exact with TFLite reference_integer_ops SubElementwise (as
 * TFLite Micro's sub.cc): offsets applied, both inputs shifted left by left_shift (20) and
 * rescaled to a common scale, the second subtracted from the first, rescaled to the output,
 * zero point added, clamped. Parameters are ADD's (tsk_add_prepare_s8: TFLite's
 * PrepareGeneralSubOp computes the same multipliers). 4-D broadcasting.
 * Values only: no float, no allocation, no I/O. */
#include "eltwise_int.h"
#include "kernels.h"

static int8_t sub_one(const tsk_add_params *p, int8_t x, int8_t y)
{
    int32_t a = tsk_shl_wrap(p->input1_offset + x, p->left_shift);
    int32_t b = tsk_shl_wrap(p->input2_offset + y, p->left_shift);
    int32_t diff = tsk_mbqm_r(a, p->input1_multiplier, p->input1_shift, p->rounding) -
                   tsk_mbqm_r(b, p->input2_multiplier, p->input2_shift, p->rounding);
    int32_t v = tsk_mbqm_r(diff, p->output_multiplier, p->output_shift, p->rounding) +
                p->output_offset;
    return (int8_t)tsk_clamp_i32(v, p->act.min, p->act.max);
}

tsk_status tsk_sub_s8(const tsk_add_params *p, const tsk_dims *in1_dims, const int8_t *in1,
                      const tsk_dims *in2_dims, const int8_t *in2, const tsk_dims *out_dims,
                      int8_t *out)
{
    int32_t s1[4], s2[4];

    if (p == 0 || !tsk_add_params_ok(p) ||
        !tsk_binary_args(in1_dims, in1, in2_dims, in2, out_dims, out, s1, s2))
        return TSK_ERR_ARG;
    TSK_BROADCAST_4D(int8_t, in1, s1, in2, s2, out_dims, out, sub_one(p, A, B));
    return TSK_OK;
}
