/* kernels/quantize_s8.c: QUANTIZE float32 -> int8 and -> int16 (TFLite
 * reference_ops::AffineQuantize: round(x / scale) half away from zero, + zero point, clamped to
 * the output type). A float boundary op,
 * so it may use float; no libm (rounding done by hand), no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* round(v) half away from zero, saturated to int32 range; NaN gives 0. */
static int32_t round_sat(float v)
{
    int32_t t;
    float frac;
    if (v != v) {
        return 0;
    }
    if (v >= 2147483520.0f) { /* largest float below 2^31 */
        return INT32_MAX;
    }
    if (v <= -2147483648.0f) {
        return INT32_MIN;
    }
    t = (int32_t)v; /* truncates toward zero */
    frac = v - (float)t;
    if (frac >= 0.5f) {
        t++;
    } else if (frac <= -0.5f) {
        t--;
    }
    return t;
}

tsk_status tsk_quantize_s16(const tsk_affine_params *p, int32_t count, const float *in,
                            int16_t *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || !(p->scale > 0.0f) ||
        p->zero_point < INT16_MIN || p->zero_point > INT16_MAX) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        int32_t q = tsk_clamp_i32(round_sat(in[i] / p->scale), -(1 << 20), 1 << 20) +
                    p->zero_point;
        out[i] = (int16_t)tsk_clamp_i32(q, INT16_MIN, INT16_MAX);
    }
    return TSK_OK;
}

tsk_status tsk_quantize_s8(const tsk_affine_params *p, int32_t count, const float *in,
                           int8_t *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || !(p->scale > 0.0f) ||
        p->zero_point < -128 || p->zero_point > 127) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        /* pre-clamp so adding the zero point cannot overflow; same result after the int8 clamp */
        int32_t q = tsk_clamp_i32(round_sat(in[i] / p->scale), -65536, 65536) + p->zero_point;
        out[i] = (int8_t)tsk_clamp_i32(q, INT8_MIN, INT8_MAX);
    }
    return TSK_OK;
}
