/* kernels/cast.c: CAST between int8, int16, int32 and float32 (TFLite's cast kernel: every
 * element static_cast to the output type: raw values, quantization ignored; integer
 * narrowing wraps modulo 2^bits as two's complement, float to integer truncates toward zero,
 * in range; integer to float rounds to nearest). Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* Element i of `in`, of type t, as an int32 (integers) or a float (float32: *is_f). */
static int32_t load(int32_t t, const void *in, int32_t i, float *f)
{
    switch (t) {
    case TSK_ELEM_INT8: return ((const int8_t *)in)[i];
    case TSK_ELEM_INT16: return ((const int16_t *)in)[i];
    case TSK_ELEM_INT32: return ((const int32_t *)in)[i];
    default: *f = ((const float *)in)[i]; return 0;
    }
}

tsk_status tsk_cast(const tsk_cast_params *p, int32_t n, const void *in, void *out)
{
    if (p == 0 || in == 0 || out == 0 || n < 0 || (uint32_t)p->from > TSK_ELEM_FLOAT32 ||
        (uint32_t)p->to > TSK_ELEM_FLOAT32)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        float f = 0.0f;
        int32_t v = load(p->from, in, i, &f);
        if (p->from != TSK_ELEM_FLOAT32)
            f = (float)v;
        else
            v = (int32_t)f; /* truncation toward zero */
        switch (p->to) {
        case TSK_ELEM_INT8: ((int8_t *)out)[i] = (int8_t)(uint8_t)((uint32_t)v & 0xffu); break;
        case TSK_ELEM_INT16:
            ((int16_t *)out)[i] = (int16_t)(uint16_t)((uint32_t)v & 0xffffu);
            break;
        case TSK_ELEM_INT32: ((int32_t *)out)[i] = v; break;
        default: ((float *)out)[i] = f; break;
        }
    }
    return TSK_OK;
}
