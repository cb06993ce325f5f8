/* kernels/requantize.c: QUANTIZE between integer types (int8/int16 in, int8/int16/int32 out;
 * int32 in, int8/int16 out: TFLite Micro's quantize_common.cc), TFLite reference_ops::
 * Requantize: (x - input zero point) rescaled by the multiplier of input scale / output scale
 * (MultiplyByQuantizedMultiplier in the call's rounding mode), plus the output zero point,
 * clamped to the output type. Where TFLite's int32 arithmetic would overflow (only an int32
 * input can take it there) the subtraction and a left shift wrap modulo 2^32, as the compiled
 * TFLite Micro does on a Cortex-M; the sum with the output zero point is clamped without
 * wrapping. Elements are read and written by size, so one kernel serves every pair. Values
 * only: no allocation, no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

static int32_t load_elem(const void *in, int32_t bytes, int32_t i)
{
    if (bytes == 1) {
        return (int32_t)((const int8_t *)in)[i];
    }
    return bytes == 2 ? (int32_t)((const int16_t *)in)[i] : ((const int32_t *)in)[i];
}

/* Stores rescaled value v plus zero point zp: int8/int16 clamped (the sum taken exactly, so a
 * saturated v stays at the rail), int32 as TFLite's int32 sum (wrapping). */
static void store_elem(void *out, int32_t bytes, int32_t i, int32_t v, int32_t zp)
{
    int32_t lo = bytes == 1 ? INT8_MIN : INT16_MIN, hi = bytes == 1 ? INT8_MAX : INT16_MAX;

    if (bytes == 4) {
        ((int32_t *)out)[i] = tsk_add_wrap(v, zp);
        return;
    }
    v = v > hi - zp ? hi : (v < lo - zp ? lo : v + zp); /* |zp| <= 2^15: no overflow */
    if (bytes == 1) {
        ((int8_t *)out)[i] = (int8_t)v;
    } else {
        ((int16_t *)out)[i] = (int16_t)v;
    }
}

tsk_status tsk_requantize(const tsk_requant_params *p, int32_t count, const void *in, void *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 ||
        (p->in_bytes != 1 && p->in_bytes != 2 && p->in_bytes != 4) ||
        (p->out_bytes != 1 && p->out_bytes != 2 && p->out_bytes != 4) ||
        (p->in_bytes == 4 && p->out_bytes == 4) || !tsk_rounding_ok(p->rounding) ||
        (p->out_bytes != 4 && (p->output_zero_point < INT16_MIN ||
                               p->output_zero_point > INT16_MAX))) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        int32_t x = tsk_sub_wrap(load_elem(in, p->in_bytes, i), p->input_zero_point);
        store_elem(out, p->out_bytes, i, tsk_mbqm_r(x, p->multiplier, p->shift, p->rounding),
                   p->output_zero_point);
    }
    return TSK_OK;
}
