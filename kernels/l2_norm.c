/* kernels/l2_norm.c: L2_NORMALIZATION along the last dimension (TFLite l2norm.cc). int8
 * (reference_integer_ops::L2Normalization, bit-exact): the sum of squares of input - zero point
 * (an exact int32), its inverse square root as TFLite's GetInvSqrtQuantizedMultiplierExp, each
 * element rescaled by it to the output scale 1/128 (zero point 0), saturated. Float: the sum of
 * squares in order, the correctly rounded sqrt, at least epsilon 1e-6 (TFLite's), each element
 * divided by it. Values only. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_l2_norm_s8(const tsk_l2_norm_params *p, const int8_t *in, int8_t *out)
{
    if (p == 0 || in == 0 || out == 0 || p->outer < 0 || p->depth < 1 || p->depth > 32768 ||
        !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
    for (int32_t o = 0; o < p->outer; o++, in += p->depth) {
        int32_t acc = 0, m, s;
        for (int32_t i = 0; i < p->depth; i++)
            acc += (in[i] - p->input_zero_point) * (in[i] - p->input_zero_point);
        tsk_inv_sqrt_multiplier(acc, &m, &s);
        for (int32_t i = 0; i < p->depth; i++)
            *out++ = (int8_t)tsk_clamp_i32(tsk_mbqm_r(in[i] - p->input_zero_point, m, s + 7,
                                                      p->rounding),
                                           INT8_MIN, INT8_MAX);
    }
    return TSK_OK;
}

tsk_status tsk_l2_norm_f32(const tsk_l2_norm_params *p, const float *in, float *out)
{
    if (p == 0 || in == 0 || out == 0 || p->outer < 0 || p->depth < 1)
        return TSK_ERR_ARG;
    for (int32_t o = 0; o < p->outer; o++, in += p->depth) {
        float sq = 0.0f, norm;
        for (int32_t i = 0; i < p->depth; i++)
            sq += in[i] * in[i];
        norm = tsk_sqrt_f32_exact(sq);
        norm = norm > 1e-6f ? norm : 1e-6f;
        for (int32_t i = 0; i < p->depth; i++)
            *out++ = in[i] / norm;
    }
    return TSK_OK;
}
