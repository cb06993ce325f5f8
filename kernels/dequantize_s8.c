/* kernels/dequantize_s8.c: DEQUANTIZE int8 (and int16) -> float32 (TFLite reference_ops::Dequantize:
 * scale * (x - zero_point); the product of a float scale and a 9-bit integer is rounded once,
 * so float arithmetic gives the same value as TFLite's double). A float boundary op.
 * No allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* int16: the product of a float scale and a 17-bit integer is also rounded once. */
tsk_status tsk_dequantize_s16(const tsk_affine_params *p, int32_t count, const int16_t *in,
                              float *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || !(p->scale > 0.0f) ||
        p->zero_point < INT16_MIN || p->zero_point > INT16_MAX) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        out[i] = p->scale * (float)((int32_t)in[i] - p->zero_point);
    }
    return TSK_OK;
}

tsk_status tsk_dequantize_s8(const tsk_affine_params *p, int32_t count, const int8_t *in,
                             float *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || !(p->scale > 0.0f) ||
        p->zero_point < -128 || p->zero_point > 127) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        out[i] = p->scale * (float)((int32_t)in[i] - p->zero_point);
    }
    return TSK_OK;
}
