/* kernels/hard_swish.c: HARD_SWISH, x * relu6(x + 3) / 6 (TFLite activations.cc). int8 is
 * TFLite's reference_ops::HardSwish bit for bit: the input rescaled to a "hires" scale (x128),
 * an int16 value on the pre-shift output scale (SaturatingRoundingDoublingHighMul by the Q15
 * output multiplier), an int16 "reluish" factor in [0, 1] (the input rescaled so that the real
 * 3.0 is 32768, saturated, mapped from [-1, 1] to [0, 1]), their product by the non-rounding
 * SaturatingDoublingHighMul, then the output shift and zero point. All in int16 arithmetic as
 * gemmlowp's int16 fixed point. Float: in * min(6, max(0, in + 3)) / 6, TFLite's reference
 * order of operations. Values only. */
#include "kernels.h"
#include "kernels_int.h"

/* gemmlowp SaturatingRoundingDoublingHighMul on int16: a * b / 2^15, ties toward +infinity,
 * INT16_MIN * INT16_MIN saturated. */
static int16_t srdhm16(int16_t a, int16_t b)
{
    int32_t ab = (int32_t)a * (int32_t)b;

    if (a == b && a == INT16_MIN)
        return INT16_MAX;
    return (int16_t)((ab + (ab >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15));
}

/* TFLite's SaturatingDoublingHighMul (hard_swish.h): a * b / 2^15 truncated toward zero. */
static int16_t sdhm16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN)
        return INT16_MAX;
    return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

/* gemmlowp ShiftLeft on int16: saturating. */
static int16_t shl16(int16_t a, int32_t s)
{
    return (int16_t)tsk_clamp_i32((int32_t)a * (1 << s), INT16_MIN, INT16_MAX);
}

static int hard_swish_params_ok(const tsk_hard_swish_params *p)
{
    return p->reluish_exponent >= -15 && p->reluish_exponent <= 15 &&
           p->output_exponent <= 0 && p->output_exponent >= -15 &&
           p->reluish_multiplier >= 0 && p->reluish_multiplier <= INT16_MAX &&
           p->output_multiplier >= 0 && p->output_multiplier <= INT16_MAX &&
           p->input_zero_point >= -128 && p->input_zero_point <= 127 &&
           p->output_zero_point >= -128 && p->output_zero_point <= 127;
}

tsk_status tsk_hard_swish_s8(const tsk_hard_swish_params *p, int32_t n, const int8_t *in,
                             int8_t *out)
{
    if (p == 0 || in == 0 || out == 0 || n < 0 || !hard_swish_params_ok(p))
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        int16_t x = (int16_t)((in[i] - p->input_zero_point) * (1 << 7));
        int16_t pre = srdhm16(x, (int16_t)p->output_multiplier);
        int16_t r = x;
        int32_t v;
        if (p->reluish_exponent > 0)
            r = shl16(r, p->reluish_exponent - 1);
        r = srdhm16(r, (int16_t)p->reluish_multiplier);
        if (p->reluish_exponent > 0)
            r = shl16(r, 1);
        if (p->reluish_exponent < 0)
            r = (int16_t)tsk_rdbpot(r, -p->reluish_exponent);
        r = (int16_t)((r + (1 << 15)) >> 1);
        v = tsk_rdbpot(sdhm16(r, pre), -p->output_exponent) + p->output_zero_point;
        out[i] = (int8_t)tsk_clamp_i32(v, -128, 127);
    }
    return TSK_OK;
}

tsk_status tsk_hard_swish_f32(int32_t n, const float *in, float *out)
{
    if (in == 0 || out == 0 || n < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        float x = in[i], r = x + 3.0f;
        r = r > 0.0f ? r : 0.0f;
        r = r < 6.0f ? r : 6.0f;
        out[i] = x * r / 6.0f;
    }
    return TSK_OK;
}
