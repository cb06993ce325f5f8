/* kernels/tanh.c: TANH. int8 is TFLite Micro's reference_integer_ops::Tanh bit for bit (the
 * LOGISTIC scheme: inputs beyond the range radius saturate, others are rescaled to Q4.27 and
 * passed through gemmlowp's fixed-point tanh, written with scale 1/128, zero point 0), with
 * LOGISTIC's parameters (tsk_logistic_prepare_s8 computes what TFLite's tanh Prepare does).
 * Float: libm-free, sign(x) * (1 - e) / (1 + e) with e = exp(-2|x|) (tsk_exp_f32) for
 * |x| >= 0.625, the Taylor series of tanh to x^19 below (no cancellation there), +-1 beyond
 * 9.1 (tanh rounds to 1 in float); within a few ULP of the correctly rounded value, not
 * bit-identical to any libm (the golden manifest states the tolerance). Values only. */
#include "kernels.h"
#include "kernels_int.h"

enum { INPUT_INTEGER_BITS = 4, OUTPUT_FRACTION_BITS = 7 };

/* gemmlowp tanh(a), a with integer_bits integer bits, result Q0.31:
 * neg_tanh_on_negative_values(-|a|) = one_minus_x_over_one_plus_x(exp(2 * -|a|)) (the doubling
 * is a reinterpretation with one more integer bit), negated for a < 0, 0 for a == 0. Its
 * Newton-Raphson quotient x (Q2.29) is Rescale<0>(x - 1); tsk_fx_one_over_one_plus_x returns
 * Rescale<0>(x / 2) = SaturatingRoundingMultiplyByPOT<1>(x), so (x - 1) * 4 = 2 * r - 1 exactly,
 * and both saturate together (at x >= 2^30). */
static int32_t fx_tanh(int32_t a, int32_t integer_bits)
{
    int32_t r, t;

    if (a == 0)
        return 0;
    r = tsk_fx_one_over_one_plus_x(tsk_fx_exp_on_negative_values(a < 0 ? a : -a,
                                                                 integer_bits + 1));
    t = r == INT32_MAX ? INT32_MAX : (int32_t)(2 * (int64_t)r - ((int64_t)1 << 31));
    return a < 0 ? -t : t;
}

tsk_status tsk_tanh_s8(const tsk_logistic_params *p, int32_t count, const int8_t *in,
                       int8_t *out)
{
    if (p == 0 || in == 0 || out == 0 || count < 0 || p->input_left_shift > 30 ||
        p->input_left_shift < -31 || p->input_range_radius < 0 || !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < count; i++) {
        int32_t x = (int32_t)in[i] - p->input_zero_point, y;
        if (x <= -p->input_range_radius || x >= p->input_range_radius)
            y = x < 0 ? INT8_MIN : INT8_MAX; /* saturated beyond the radius */
        else
            y = tsk_rdbpot(fx_tanh(tsk_mbqm_r(x, p->input_multiplier, p->input_left_shift,
                                              p->rounding),
                                   INPUT_INTEGER_BITS),
                           31 - OUTPUT_FRACTION_BITS);
        out[i] = (int8_t)tsk_clamp_i32(y, INT8_MIN, INT8_MAX);
    }
    return TSK_OK;
}

tsk_status tsk_tanh_f32(int32_t count, const float *in, float *out)
{
    if (in == 0 || out == 0 || count < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < count; i++)
        out[i] = tsk_tanh1_f32(in[i]);
    return TSK_OK;
}
