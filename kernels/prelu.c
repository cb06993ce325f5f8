/* kernels/prelu.c: PRELU with TFLite 4-D broadcasting of input and alpha (TFLite prelu.cc).
 * int8 (reference_ops::BroadcastPrelu4DSlow, bit-exact): x = input - its zero point; x >= 0 is
 * rescaled by multiplier 1 (input / output scale), x < 0 times (alpha - its zero point) by
 * multiplier 2 (input * alpha / output scale); plus the output zero point, saturated to int8.
 * Float: x >= 0 ? x : x * alpha. Values only: no allocation, no I/O. */
#include "eltwise_int.h"
#include "kernels.h"

/* One element; a single requantisation call, its multiplier chosen by the sign (the firmware
 * carries one copy of it). */
static int8_t prelu_one(const tsk_prelu_params *p, int8_t x, int8_t alpha)
{
    const tsk_leaky_relu_params *q = &p->q;
    int32_t v = q->input_offset + x, pos = v >= 0;

    v = tsk_mbqm_r(pos ? v : v * (p->alpha_offset + alpha),
                   pos ? q->identity_multiplier : q->alpha_multiplier,
                   pos ? q->identity_shift : q->alpha_shift, q->rounding);
    return (int8_t)tsk_clamp_i32(v + q->output_offset, -128, 127);
}

static int shift_ok(int32_t s)
{
    return s >= -31 && s <= 30;
}

tsk_status tsk_prelu_s8(const tsk_prelu_params *p, const tsk_dims *in_dims, const int8_t *in,
                        const tsk_dims *alpha_dims, const int8_t *alpha,
                        const tsk_dims *out_dims, int8_t *out)
{
    int32_t s1[4], s2[4];

    if (p == 0 || !shift_ok(p->q.identity_shift) || !shift_ok(p->q.alpha_shift) ||
        !tsk_rounding_ok(p->q.rounding) ||
        !tsk_binary_args(in_dims, in, alpha_dims, alpha, out_dims, out, s1, s2))
        return TSK_ERR_ARG;
    TSK_BROADCAST_4D(int8_t, in, s1, alpha, s2, out_dims, out, prelu_one(p, A, B));
    return TSK_OK;
}

tsk_status tsk_prelu_f32(const tsk_dims *in_dims, const float *in, const tsk_dims *alpha_dims,
                         const float *alpha, const tsk_dims *out_dims, float *out)
{
    int32_t s1[4], s2[4];

    if (!tsk_binary_args(in_dims, in, alpha_dims, alpha, out_dims, out, s1, s2))
        return TSK_ERR_ARG;
    TSK_BROADCAST_4D(float, in, s1, alpha, s2, out_dims, out, A >= 0.0f ? A : A * B);
    return TSK_OK;
}
