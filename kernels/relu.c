/* kernels/relu.c: RELU and RELU6 as standalone operators (TFLite activations.cc; the fused
 * activations of other ops are their clamps). int8 (TFLite QuantizedReluX, bit-exact): the
 * input is rescaled to the output's scale, out = clamp(output_offset + MBQM(x + input1_offset,
 * output_multiplier, output_shift), act.min, act.max), the range [zero point, 127] for RELU,
 * [zero point, zero point + round(6 / scale)] clipped for RELU6 (the caller's p->act). Float:
 * clamp to p->act ([0, +inf) or [0, 6]; a NaN stays NaN, as in TFLite's reference).
 * The int8 parameters use MUL's block (tsk_mul_params: input1_offset, output_offset,
 * output_multiplier/shift, act, rounding; input2_offset unused). Values only. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_relu_s8(const tsk_mul_params *p, int32_t n, const int8_t *in, int8_t *out)
{
    if (p == 0 || in == 0 || out == 0 || n < 0 || !tsk_range_ok_s8(&p->act) ||
        p->output_shift > 30 || p->output_shift < -31 || !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        int32_t v = p->output_offset + tsk_mbqm_r(in[i] + p->input1_offset, p->output_multiplier,
                                                  p->output_shift, p->rounding);
        out[i] = (int8_t)tsk_clamp_i32(v, p->act.min, p->act.max);
    }
    return TSK_OK;
}

tsk_status tsk_relu_f32(const tsk_eltwise_params_f32 *p, int32_t n, const float *in, float *out)
{
    if (p == 0 || in == 0 || out == 0 || n < 0 || !(p->act.min <= p->act.max))
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++)
        out[i] = tsk_clamp_f32(in[i], p->act.min, p->act.max);
    return TSK_OK;
}
