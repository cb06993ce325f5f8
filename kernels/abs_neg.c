/* kernels/abs_neg.c: ABS (int8 and float32) and NEG (float32), TFLite elementwise.cc / neg.cc.
 * int8 ABS (TFLite AbsEvalQuantized, bit-exact): |x + input1_offset| rescaled to the output
 * (MBQM with the input/output scale ratio; for equal scales the multiplier is exactly 1), plus
 * output_offset, saturated to int8 (p: tsk_mul_params as in relu.c). Float: the sign bit
 * cleared (ABS) or flipped (NEG), as fabsf and unary minus do (-0.0 and NaN included).
 * Values only. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_abs_s8(const tsk_mul_params *p, int32_t n, const int8_t *in, int8_t *out)
{
    if (p == 0 || in == 0 || out == 0 || n < 0 || p->output_shift > 30 ||
        p->output_shift < -31 || !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        int32_t x = in[i] + p->input1_offset;
        int32_t v = p->output_offset + tsk_mbqm_r(x < 0 ? -x : x, p->output_multiplier,
                                                  p->output_shift, p->rounding);
        out[i] = (int8_t)tsk_clamp_i32(v, -128, 127);
    }
    return TSK_OK;
}

/* Each element with its sign bit and-ed with `and_mask`, xor-ed with `xor_mask`. */
static tsk_status sign_op(int32_t n, const float *in, float *out, uint32_t and_mask,
                          uint32_t xor_mask)
{
    if (in == 0 || out == 0 || n < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        out[i] = tsk_f32_from_bits((tsk_f32_bits(in[i]) & and_mask) ^ xor_mask);
    }
    return TSK_OK;
}

tsk_status tsk_abs_f32(int32_t n, const float *in, float *out)
{
    return sign_op(n, in, out, 0x7FFFFFFFu, 0u);
}

tsk_status tsk_neg_f32(int32_t n, const float *in, float *out)
{
    return sign_op(n, in, out, 0xFFFFFFFFu, 0x80000000u);
}
