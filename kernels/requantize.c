/* kernels/requantize.c: QUANTIZE between integer types (int8/int16 in, int8/int16/int32 out),
 * TFLite reference_ops::Requantize: (x - input zero point) rescaled by the multiplier of
 * input scale / output scale (MultiplyByQuantizedMultiplier in the call's rounding mode),
 * plus the output zero point, clamped to the output type. Elements are read and written by
 * size, so one kernel serves every pair. Values only: no allocation, no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

static int32_t load_elem(const void *in, int32_t bytes, int32_t i)
{
    return bytes == 1 ? (int32_t)((const int8_t *)in)[i] : (int32_t)((const int16_t *)in)[i];
}

static void store_elem(void *out, int32_t bytes, int32_t i, int32_t v)
{
    if (bytes == 1) {
        ((int8_t *)out)[i] = (int8_t)tsk_clamp_i32(v, INT8_MIN, INT8_MAX);
    } else if (bytes == 2) {
        ((int16_t *)out)[i] = (int16_t)tsk_clamp_i32(v, INT16_MIN, INT16_MAX);
    } else {
        ((int32_t *)out)[i] = v;
    }
}

tsk_status tsk_requantize(const tsk_requant_params *p, int32_t count, const void *in, void *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || (p->in_bytes != 1 && p->in_bytes != 2) ||
        (p->out_bytes != 1 && p->out_bytes != 2 && p->out_bytes != 4) ||
        !tsk_rounding_ok(p->rounding)) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        int32_t x = load_elem(in, p->in_bytes, i) - p->input_zero_point;
        int32_t v = tsk_add_wrap(tsk_mbqm_r(x, p->multiplier, p->shift, p->rounding),
                                 p->output_zero_point);
        store_elem(out, p->out_bytes, i, v);
    }
    return TSK_OK;
}
