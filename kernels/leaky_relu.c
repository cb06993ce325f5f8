/* kernels/leaky_relu.c: LEAKY_RELU (TFLite leaky_relu.cc). int8 and int16 (reference_ops::
 * QuantizeLeakyRelu, the one template TFLite instantiates for both, bit-exact): x - zero point
 * rescaled to the output by the identity multiplier (input/output scale) when >= 0, by the
 * alpha multiplier (alpha * input/output scale) when < 0, plus the output zero point,
 * saturated to the element type (int16: zero points 0, 16x8). Float: x > 0 ? x : x * alpha.
 * Values only. */
#include "kernels.h"
#include "kernels_int.h"

static int shift_ok(int32_t s)
{
    return s >= -31 && s <= 30;
}

/* The integer loop for element type TYPE saturated to [LO, HI]. */
#define LEAKY_RELU_INT_BODY(TYPE, LO, HI)                                                      \
    if (p == 0 || in == 0 || out == 0 || n < 0 || !shift_ok(p->identity_shift) ||              \
        !shift_ok(p->alpha_shift) || !tsk_rounding_ok(p->rounding))                            \
        return TSK_ERR_ARG;                                                                    \
    for (int32_t i = 0; i < n; i++) {                                                          \
        int32_t x = in[i] + p->input_offset;                                                   \
        int32_t v = x >= 0                                                                     \
                        ? tsk_mbqm_r(x, p->identity_multiplier, p->identity_shift, p->rounding) \
                        : tsk_mbqm_r(x, p->alpha_multiplier, p->alpha_shift, p->rounding);     \
        out[i] = (TYPE)tsk_clamp_i32(v + p->output_offset, LO, HI);                            \
    }                                                                                          \
    return TSK_OK

tsk_status tsk_leaky_relu_s8(const tsk_leaky_relu_params *p, int32_t n, const int8_t *in,
                             int8_t *out)
{
    LEAKY_RELU_INT_BODY(int8_t, -128, 127);
}

tsk_status tsk_leaky_relu_s16(const tsk_leaky_relu_params *p, int32_t n, const int16_t *in,
                              int16_t *out)
{
    LEAKY_RELU_INT_BODY(int16_t, INT16_MIN, INT16_MAX);
}

tsk_status tsk_leaky_relu_f32(const tsk_leaky_relu_params_f32 *p, int32_t n, const float *in,
                              float *out)
{
    if (p == 0 || in == 0 || out == 0 || n < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++)
        out[i] = in[i] > 0.0f ? in[i] : in[i] * p->alpha;
    return TSK_OK;
}
