/* kernels/quant_prepare.c: prepare-time (host) helpers that turn the float scales of a model
 * into the integer parameters of the int8 kernels, exactly as TFLite / TFLite Micro prepare
 * them (QuantizeMultiplier, PreprocessSoftmaxScaling, CalculateInputRadius, the ADD/MUL/MEAN
 * multipliers, CalculateActivationRange[Quantized]). Uses double and libm, so it is excluded
 * from the firmware archives; nothing here runs per inference. No allocation, no I/O. */
#include <float.h>
#include <math.h>

#include "kernels.h"
#include "kernels_int.h"

static int rounding_ok(tsk_rounding rounding)
{
    return rounding == TSK_ROUND_SINGLE || rounding == TSK_ROUND_DOUBLE;
}

tsk_status tsk_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift)
{
    int exponent = 0;
    double q;
    int64_t q_fixed;
    if (multiplier == 0 || shift == 0 || !isfinite(real)) {
        return TSK_ERR_ARG;
    }
    if (real == 0.0) {
        *multiplier = 0;
        *shift = 0;
        return TSK_OK;
    }
    q = frexp(real, &exponent); /* real = q * 2^exponent, 0.5 <= |q| < 1 */
    q_fixed = (int64_t)round(q * 2147483648.0);
    if (q_fixed == ((int64_t)1 << 31)) {
        q_fixed /= 2;
        exponent++;
    }
    if (exponent < -31) { /* flushed to zero, as TFLite does */
        q_fixed = 0;
        exponent = 0;
    }
    if (exponent > 30) {
        return TSK_ERR_ARG;
    }
    *multiplier = (int32_t)q_fixed;
    *shift = (int32_t)exponent;
    return TSK_OK;
}

/* TFLite QuantizeMultiplierSmallerThanOneExp: 0 < real < 1, shift <= 0. */
static tsk_status quantize_smaller_than_one(double real, int32_t *multiplier, int32_t *shift)
{
    int32_t m, s;
    if (!(real > 0.0 && real < 1.0) || tsk_quantize_multiplier(real, &m, &s) != TSK_OK ||
        s > 0) {
        return TSK_ERR_ARG;
    }
    *multiplier = m;
    *shift = s;
    return TSK_OK;
}

tsk_status tsk_conv_prepare_s8(float input_scale, const float *filter_scales, int32_t n_channels,
                               float output_scale, int32_t *multiplier, int32_t *shift)
{
    int32_t i;
    if (filter_scales == 0 || multiplier == 0 || shift == 0 || n_channels < 1 ||
        !(input_scale > 0.0f) || !(output_scale > 0.0f)) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < n_channels; i++) {
        double real = (double)input_scale * (double)filter_scales[i] / (double)output_scale;
        if (!(filter_scales[i] >= 0.0f) ||
            tsk_quantize_multiplier(real, &multiplier[i], &shift[i]) != TSK_OK) {
            return TSK_ERR_ARG;
        }
    }
    return TSK_OK;
}

/* zero_point + round(f / scale) in float, as TFLite's quantize lambda. */
static int32_t quantize_value(float f, float scale, int32_t zero_point)
{
    return zero_point + (int32_t)roundf(f / scale);
}

/* TFLite CalculateActivationRangeQuantizedImpl for a quantized type of range [qmin, qmax]. */
static tsk_status activation_range_q(tsk_activation act, float output_scale,
                                     int32_t output_zero_point, int32_t qmin, int32_t qmax,
                                     tsk_range *range)
{
    int32_t lo = qmin, hi = qmax;
    if (range == 0 || !(output_scale > 0.0f)) {
        return TSK_ERR_ARG;
    }
    switch (act) {
    case TSK_ACT_NONE:
        break;
    case TSK_ACT_RELU:
        lo = quantize_value(0.0f, output_scale, output_zero_point);
        break;
    case TSK_ACT_RELU6:
        lo = quantize_value(0.0f, output_scale, output_zero_point);
        hi = quantize_value(6.0f, output_scale, output_zero_point);
        break;
    case TSK_ACT_RELU_N1_TO_1:
        lo = quantize_value(-1.0f, output_scale, output_zero_point);
        hi = quantize_value(1.0f, output_scale, output_zero_point);
        break;
    default:
        return TSK_ERR_UNSUPPORTED;
    }
    range->min = lo > qmin ? lo : qmin;
    range->max = hi < qmax ? hi : qmax;
    return TSK_OK;
}

tsk_status tsk_activation_range_s8(tsk_activation act, float output_scale,
                                   int32_t output_zero_point, tsk_range *range)
{
    return activation_range_q(act, output_scale, output_zero_point, INT8_MIN, INT8_MAX, range);
}

tsk_status tsk_activation_range_s16(tsk_activation act, float output_scale,
                                    int32_t output_zero_point, tsk_range *range)
{
    return activation_range_q(act, output_scale, output_zero_point, INT16_MIN, INT16_MAX,
                              range);
}

tsk_status tsk_activation_range_f32(tsk_activation act, tsk_range_f32 *range)
{
    if (range == 0) {
        return TSK_ERR_ARG;
    }
    switch (act) {
    case TSK_ACT_NONE:
        range->min = -FLT_MAX;
        range->max = FLT_MAX;
        return TSK_OK;
    case TSK_ACT_RELU:
        range->min = 0.0f;
        range->max = FLT_MAX;
        return TSK_OK;
    case TSK_ACT_RELU6:
        range->min = 0.0f;
        range->max = 6.0f;
        return TSK_OK;
    case TSK_ACT_RELU_N1_TO_1:
        range->min = -1.0f;
        range->max = 1.0f;
        return TSK_OK;
    default:
        return TSK_ERR_UNSUPPORTED;
    }
}

/* The part ADD, SUB and SQUARED_DIFFERENCE share (TFLite's PrepareGeneralSubOp / ADD /
 * squared_difference Prepare): offsets, left shift, rounding, and both inputs rescaled to
 * twice the larger input scale (*twice_max). TSK_ERR_ARG for bad scales or rounding. */
static tsk_status add_inputs_prepare(float input1_scale, int32_t input1_zero_point,
                                     float input2_scale, int32_t input2_zero_point,
                                     float output_scale, int32_t output_zero_point,
                                     int32_t left_shift, tsk_rounding rounding,
                                     tsk_add_params *r, double *twice_max)
{
    if (!(input1_scale > 0.0f) || !(input2_scale > 0.0f) || !(output_scale > 0.0f) ||
        !rounding_ok(rounding)) {
        return TSK_ERR_ARG;
    }
    r->input1_offset = -input1_zero_point;
    r->input2_offset = -input2_zero_point;
    r->output_offset = output_zero_point;
    r->left_shift = left_shift;
    r->rounding = (int32_t)rounding;
    *twice_max = 2.0 * (double)(input1_scale > input2_scale ? input1_scale : input2_scale);
    if (quantize_smaller_than_one((double)input1_scale / *twice_max, &r->input1_multiplier,
                                  &r->input1_shift) != TSK_OK ||
        quantize_smaller_than_one((double)input2_scale / *twice_max, &r->input2_multiplier,
                                  &r->input2_shift) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    return TSK_OK;
}

tsk_status tsk_add_prepare_s8(float input1_scale, int32_t input1_zero_point, float input2_scale,
                              int32_t input2_zero_point, float output_scale,
                              int32_t output_zero_point, tsk_activation act,
                              tsk_rounding rounding, tsk_add_params *p)
{
    tsk_add_params r;
    double twice_max;
    /* TFLite uses left shift 20 for int8 in both rounding builds */
    if (p == 0 || add_inputs_prepare(input1_scale, input1_zero_point, input2_scale,
                                     input2_zero_point, output_scale, output_zero_point, 20,
                                     rounding, &r, &twice_max) != TSK_OK ||
        quantize_smaller_than_one(twice_max / ((double)(1 << 20) * (double)output_scale),
                                  &r.output_multiplier, &r.output_shift) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    if (tsk_activation_range_s8(act, output_scale, output_zero_point, &r.act) != TSK_OK) {
        return TSK_ERR_UNSUPPORTED;
    }
    *p = r;
    return TSK_OK;
}

/* TFLite squared_difference.cc Prepare (int8): left shift 7; input multipliers scale_i / twice
 * the larger input scale; output multiplier (2 max)^2 / (2^14 output_scale), the denominator
 * computed in float as TFLite does; no activation (int8 range). */
tsk_status tsk_squared_difference_prepare_s8(float input1_scale, int32_t input1_zero_point,
                                             float input2_scale, int32_t input2_zero_point,
                                             float output_scale, int32_t output_zero_point,
                                             tsk_rounding rounding, tsk_add_params *p)
{
    tsk_add_params r;
    double twice_max;
    if (p == 0 || add_inputs_prepare(input1_scale, input1_zero_point, input2_scale,
                                     input2_zero_point, output_scale, output_zero_point, 7,
                                     rounding, &r, &twice_max) != TSK_OK ||
        quantize_smaller_than_one(twice_max * twice_max /
                                      (double)((float)(1 << 14) * output_scale),
                                  &r.output_multiplier, &r.output_shift) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    r.act = (tsk_range){-128, 127};
    *p = r;
    return TSK_OK;
}

tsk_status tsk_mul_prepare_s8(float input1_scale, int32_t input1_zero_point, float input2_scale,
                              int32_t input2_zero_point, float output_scale,
                              int32_t output_zero_point, tsk_activation act,
                              tsk_rounding rounding, tsk_mul_params *p)
{
    tsk_mul_params r;
    double real;
    if (p == 0 || !(input1_scale > 0.0f) || !(input2_scale > 0.0f) || !(output_scale > 0.0f) ||
        !rounding_ok(rounding)) {
        return TSK_ERR_ARG;
    }
    r.input1_offset = -input1_zero_point;
    r.input2_offset = -input2_zero_point;
    r.output_offset = output_zero_point;
    r.rounding = (int32_t)rounding;
    real = (double)input1_scale * (double)input2_scale / (double)output_scale;
    if (tsk_quantize_multiplier(real, &r.output_multiplier, &r.output_shift) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    if (tsk_activation_range_s8(act, output_scale, output_zero_point, &r.act) != TSK_OK) {
        return TSK_ERR_UNSUPPORTED;
    }
    *p = r;
    return TSK_OK;
}

/* 16x8 ADD/SUB (TFLite add.cc / sub.cc general int16 path: left shift 15, so 65535 << 15
 * stays below 2^31) and MUL: the int8 parameters with the int16 clamp. */
tsk_status tsk_add_prepare_s16(float input1_scale, float input2_scale, float output_scale,
                               tsk_activation act, tsk_rounding rounding, tsk_add_params *p)
{
    tsk_add_params r;
    double twice_max;
    if (p == 0 || add_inputs_prepare(input1_scale, 0, input2_scale, 0, output_scale, 0, 15,
                                     rounding, &r, &twice_max) != TSK_OK ||
        quantize_smaller_than_one(twice_max / ((double)(1 << 15) * (double)output_scale),
                                  &r.output_multiplier, &r.output_shift) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    if (tsk_activation_range_s16(act, output_scale, 0, &r.act) != TSK_OK) {
        return TSK_ERR_UNSUPPORTED;
    }
    *p = r;
    return TSK_OK;
}

tsk_status tsk_mul_prepare_s16(float input1_scale, float input2_scale, float output_scale,
                               tsk_activation act, tsk_rounding rounding, tsk_mul_params *p)
{
    tsk_status st = tsk_mul_prepare_s8(input1_scale, 0, input2_scale, 0, output_scale, 0,
                                       TSK_ACT_NONE, rounding, p);
    if (st == TSK_OK && tsk_activation_range_s16(act, output_scale, 0, &p->act) != TSK_OK) {
        return TSK_ERR_UNSUPPORTED;
    }
    return st;
}

/* TFLite CalculateInputRadius: largest |input| (in input units) not saturating the
 * integer_bits fixed-point representation after a left shift of left_shift. */
static int32_t input_radius(int32_t integer_bits, int32_t left_shift)
{
    double max_rescaled = 1.0 * (double)((1 << integer_bits) - 1) *
                          (double)((int64_t)1 << (31 - integer_bits)) /
                          (double)((int64_t)1 << left_shift);
    return (int32_t)floor(max_rescaled);
}

tsk_status tsk_softmax_prepare_s8(float beta, float input_scale, tsk_rounding rounding,
                                  tsk_softmax_params *p)
{
    const int32_t integer_bits = 5;
    /* TFLite caps the real multiplier at 2^31 - 1, or at 2^30 - 1 in its single-rounding
     * build (whose MultiplyByQuantizedMultiplier takes shifts up to 30 only). */
    const double max_real = rounding == TSK_ROUND_SINGLE ? 1073741823.0 : 2147483647.0;
    double real;
    int32_t m, s;
    if (p == 0 || !(input_scale > 0.0f) || !(beta > 0.0f) || !rounding_ok(rounding)) {
        return TSK_ERR_ARG;
    }
    real = (double)beta * (double)input_scale * (double)(1 << (31 - integer_bits));
    if (real > max_real) {
        real = max_real;
    }
    if (tsk_quantize_multiplier(real, &m, &s) != TSK_OK || s < 0) {
        return TSK_ERR_ARG; /* QuantizeMultiplierGreaterThanOne requires shift >= 0 */
    }
    p->input_multiplier = m;
    p->input_left_shift = s;
    p->diff_min = -input_radius(integer_bits, s);
    p->rounding = (int32_t)rounding;
    return TSK_OK;
}

void tsk_lut_s16(double (*f)(double), double lo, double hi, int32_t *lut)
{
    const int32_t steps = TSK_SOFTMAX_S16_LUT - 1;
    const double step = (hi - lo) / steps, half = step / 2.0, q = 32768.0;
    int32_t i;
    for (i = 0; i < steps; i++) {
        double x = lo + i * step;
        double sample = round(f(x) * q);
        /* the rounded midpoint of the interpolation from this (rounded) sample to the next,
         * against the rounded value at the midpoint: half that error is taken off */
        double interp = round((f(lo + (i + 1) * step) * q + sample) / 2.0);
        double bias = round((interp - round(f(x + half) * q)) / 2.0);
        lut[i] = (int32_t)fmin(fmax(sample - bias, -32768.0), 32767.0);
    }
    lut[steps] = (int32_t)fmin(fmax(round(f(hi) * q), -32768.0), 32767.0);
}

static double one_over_one_plus(double x)
{
    return 1.0 / (1.0 + x);
}

tsk_status tsk_softmax_prepare_s16(float beta, float input_scale, tsk_rounding rounding,
                                   tsk_softmax_params *p, int32_t *exp_lut, int32_t *recip_lut)
{
    /* TFLite multiplies the two floats in float, then divides in double: the input
     * differences [-65535, 0] are to span [-10, 0] */
    float scaled = beta * input_scale;
    int32_t m, s;
    if (p == 0 || exp_lut == 0 || recip_lut == 0 || !(input_scale > 0.0f) || !(beta > 0.0f) ||
        !rounding_ok(rounding) ||
        tsk_quantize_multiplier((double)scaled / (10.0 / 65535.0), &m, &s) != TSK_OK ||
        s < -31) {
        return TSK_ERR_ARG;
    }
    p->input_multiplier = m;
    p->input_left_shift = s;
    p->diff_min = 0;
    p->rounding = (int32_t)rounding;
    tsk_lut_s16(exp, -10.0, 0.0, exp_lut);
    tsk_lut_s16(one_over_one_plus, 0.0, 1.0, recip_lut);
    return TSK_OK;
}

tsk_status tsk_softmax_prepare_s8_s16(float beta, float input_scale, int32_t *exp_table)
{
    /* both factors in float, as TFLite's PopulateSoftmaxLookupTable multiplies them */
    float scale = -input_scale * beta;
    int32_t d;
    if (exp_table == 0 || !(input_scale > 0.0f) || !(beta > 0.0f) || !isfinite(scale)) {
        return TSK_ERR_ARG;
    }
    for (d = 0; d < TSK_SOFTMAX_S8_S16_LUT; d++) {
        exp_table[d] = (int32_t)tsk_f32_bits(expf(scale * (float)d));
    }
    return TSK_OK;
}

tsk_status tsk_logistic_prepare_s16(float input_scale, int is_tanh, tsk_logistic_params *p)
{
    /* TFLite's CheckedLog2: log2 in float, a power of two when within 1e-3 of an integer */
    float l = logf(input_scale) * (1.0f / logf(2.0f)), r = roundf(l);
    int32_t shift = (15 - 3) + (int32_t)r;
    double m;
    if (p == 0 || !(input_scale > 0.0f) || !isfinite(input_scale)) {
        return TSK_ERR_ARG;
    }
    p->input_zero_point = 0;
    p->input_range_radius = 0;
    p->rounding = (int32_t)TSK_ROUND_SINGLE; /* unused: no requantisation */
    if (fabsf(l - r) < 1e-3f && shift >= 0 && shift <= (is_tanh ? 1 : 0)) {
        p->input_multiplier = 0; /* gemmlowp path */
        p->input_left_shift = shift;
        return TSK_OK;
    }
    /* table path: the input rescaled to units of 1/(3 * 2^12), the multiplier doubled (in
     * double, as TFLite's Prepare) until it passes 2^14 - 1/2 or the shift reaches 31 */
    m = (double)input_scale * 4096.0 * 3.0;
    for (shift = 0; m <= 32767.0 / 2.0 && shift <= 30; shift++) {
        m *= 2.0;
    }
    if (!(m >= 1.0) || m >= 65536.0) { /* truncates to 0, or in * m overflows int32 */
        return TSK_ERR_UNSUPPORTED;
    }
    p->input_multiplier = (int32_t)m;
    p->input_left_shift = shift;
    return TSK_OK;
}

tsk_status tsk_logistic_prepare_s8(float input_scale, int32_t input_zero_point,
                                   tsk_rounding rounding, tsk_logistic_params *p)
{
    const int32_t integer_bits = 4;
    int exponent = 0;
    double q;
    int64_t q_fixed;
    if (p == 0 || !(input_scale > 0.0f) || !rounding_ok(rounding)) {
        return TSK_ERR_ARG;
    }
    /* TFLite uses frexp + round directly here (no QuantizeMultiplier clean-up); the 2^31
     * rounding carry, where TFLite would overflow, is normalised instead. */
    q = frexp((double)input_scale * (double)(1 << (31 - integer_bits)), &exponent);
    q_fixed = (int64_t)round(q * 2147483648.0);
    if (q_fixed == ((int64_t)1 << 31)) {
        q_fixed /= 2;
        exponent++;
    }
    if (exponent > 30 || exponent < 0) {
        return TSK_ERR_ARG;
    }
    p->input_zero_point = input_zero_point;
    p->input_multiplier = (int32_t)q_fixed;
    p->input_left_shift = (int32_t)exponent;
    p->input_range_radius = input_radius(integer_bits, p->input_left_shift);
    p->rounding = (int32_t)rounding;
    return TSK_OK;
}

tsk_status tsk_mean_prepare_s8(float input_scale, int32_t input_zero_point, float output_scale,
                               int32_t output_zero_point, int32_t axis_mask,
                               tsk_rounding rounding, tsk_mean_params *p)
{
    int32_t m, s;
    if (p == 0 || !(input_scale > 0.0f) || !(output_scale > 0.0f) || axis_mask < 0 ||
        axis_mask > 15 || !rounding_ok(rounding)) {
        return TSK_ERR_ARG;
    }
    if (tsk_quantize_multiplier((double)input_scale / (double)output_scale, &m, &s) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    p->axis_mask = axis_mask;
    p->input_zero_point = input_zero_point;
    p->output_zero_point = output_zero_point;
    p->multiplier = m;
    p->shift = s;
    p->rounding = (int32_t)rounding;
    return TSK_OK;
}

/* The path TFLite's EvalMean takes for int16 (tsk_mean_s16_params). */
static int32_t mean_s16_path(float input_scale, float output_scale, int keep_dims,
                             int32_t input_rank, const int32_t *axes, int32_t n_axes)
{
    /* reference_integer_ops::Mean: the literal axes (1, 2) or (2, 1), not -3 or -2 */
    if (keep_dims && input_rank == 4 && n_axes == 2 && axes != 0 &&
        ((axes[0] == 1 && axes[1] == 2) || (axes[0] == 2 && axes[1] == 1)))
        return TSK_MEAN_HW;
    return input_scale == output_scale ? TSK_MEAN_SAME : TSK_MEAN_SCALED;
}

tsk_status tsk_mean_prepare_s16(float input_scale, float output_scale, int32_t axis_mask,
                                int keep_dims, int32_t input_rank, const int32_t *axes,
                                int32_t n_axes, tsk_rounding rounding, tsk_mean_s16_params *p)
{
    int32_t m, s;

    if (p == 0 || !(input_scale > 0.0f) || !(output_scale > 0.0f) || axis_mask < 0 ||
        axis_mask > 15 || !rounding_ok(rounding) || n_axes < 0)
        return TSK_ERR_ARG;
    /* TFLite's PrepareMeanOrSum: the double quotient of the float scales */
    if (tsk_quantize_multiplier((double)input_scale / (double)output_scale, &m, &s) != TSK_OK)
        return TSK_ERR_ARG;
    p->axis_mask = axis_mask;
    p->path = mean_s16_path(input_scale, output_scale, keep_dims, input_rank, axes, n_axes);
    p->multiplier = m;
    p->shift = s;
    p->scale = input_scale / output_scale; /* QuantizedMeanOrSum divides the floats */
    p->rounding = (int32_t)rounding;
    return TSK_OK;
}

/* ---- ops-math group ---- */

/* TFLite DownScaleInt32ToInt16Multiplier: a Q31 multiplier (>= 0) rounded to Q15. */
static int32_t downscale_q15(int32_t m)
{
    if (m >= INT32_MAX - (1 << 15))
        return INT16_MAX;
    return (m + (1 << 15)) >> 16;
}

tsk_status tsk_hard_swish_prepare_s8(float input_scale, int32_t input_zero_point,
                                     float output_scale, int32_t output_zero_point,
                                     tsk_hard_swish_params *p)
{
    /* the float arithmetic of TFLite's HardSwishPrepare (activations.cc), in float */
    const float hires_input_scale = (1.0f / 128.0f) * input_scale;
    const float reluish_scale = 3.0f / 32768.0f;
    int32_t om, os, rm, rs;
    if (p == 0 || !(input_scale > 0.0f) || !(output_scale > 0.0f) ||
        tsk_quantize_multiplier((double)(hires_input_scale / output_scale), &om, &os) !=
            TSK_OK ||
        tsk_quantize_multiplier((double)(hires_input_scale / reluish_scale), &rm, &rs) !=
            TSK_OK ||
        os > 0 || os < -15 || rs > 15 || rs < -15) {
        return TSK_ERR_ARG;
    }
    p->input_zero_point = input_zero_point;
    p->output_zero_point = output_zero_point;
    p->output_multiplier = downscale_q15(om);
    p->output_exponent = os;
    p->reluish_multiplier = downscale_q15(rm);
    p->reluish_exponent = rs;
    return TSK_OK;
}

tsk_status tsk_rsqrt_prepare_s8(float input_scale, int32_t input_zero_point, float output_scale,
                                int32_t output_zero_point, tsk_rounding rounding,
                                tsk_rsqrt_params *p)
{
    int32_t m, s;
    if (p == 0 || !(input_scale > 0.0f) || !(output_scale > 0.0f) || !rounding_ok(rounding) ||
        tsk_quantize_multiplier(1.0 / (double)(sqrtf(input_scale) * output_scale), &m, &s) !=
            TSK_OK ||
        s < -11) {
        return TSK_ERR_ARG;
    }
    *p = (tsk_rsqrt_params){input_zero_point, output_zero_point, m, s, (int32_t)rounding};
    return TSK_OK;
}
