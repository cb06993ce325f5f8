/* kernels/pad.c: PAD / PADV2 for int8 and float32 on up to 4 dims of [N,H,W,C] (TFLite
 * reference_ops::Pad: the input placed at offset `before`, everything else the pad value; for
 * int8 the pad value is the output zero point or the quantized constant). Both dtypes share
 * one element-size-generic implementation, hence two entry points in this file.
 * Values only: no allocation, no I/O; libc memcpy/memset only. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* Writes n copies of the elem_size-byte value at `value` to dst: one element, then the
 * filled part copied after itself (log2(n) memcpy calls, not one per element). */
static void fill(unsigned char *dst, const void *value, size_t elem_size, int64_t n)
{
    size_t done = 1, total = (size_t)n;
    if (elem_size == 1) {
        memset(dst, *(const unsigned char *)value, total);
        return;
    }
    if (n <= 0) {
        return;
    }
    memcpy(dst, value, elem_size);
    while (done < total) {
        size_t k = done < total - done ? done : total - done;
        memcpy(dst + done * elem_size, dst, k * elem_size);
        done += k;
    }
}

static tsk_status check_args(const tsk_pad_params *p, const tsk_dims *in_dims,
                             const tsk_dims *out_dims)
{
    int32_t i;
    if (p == 0 || in_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(out_dims) < 0) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < 4; i++) {
        if (p->before[i] < 0 || p->after[i] < 0 ||
            (int64_t)p->before[i] + tsk_dim(in_dims, i) + p->after[i] != tsk_dim(out_dims, i)) {
            return TSK_ERR_ARG;
        }
    }
    return TSK_OK;
}

static tsk_status pad_generic(const tsk_pad_params *p, const void *value, const tsk_dims *in_dims,
                              const void *in, const tsk_dims *out_dims, void *out,
                              size_t es)
{
    const unsigned char *src = (const unsigned char *)in;
    unsigned char *dst = (unsigned char *)out;
    const int64_t row = (int64_t)out_dims->c; /* elements per output (n, h, w) row */
    int32_t n, h, w;
    tsk_status st = check_args(p, in_dims, out_dims);
    if (st != TSK_OK || in == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    for (n = 0; n < out_dims->n; n++) {
        int inside_n = n >= p->before[0] && n < p->before[0] + in_dims->n;
        for (h = 0; h < out_dims->h; h++) {
            int inside_h = inside_n && h >= p->before[1] && h < p->before[1] + in_dims->h;
            for (w = 0; w < out_dims->w; w++) {
                if (!inside_h || w < p->before[2] || w >= p->before[2] + in_dims->w) {
                    fill(dst, value, es, row);
                } else {
                    fill(dst, value, es, p->before[3]);
                    memcpy(dst + (size_t)p->before[3] * es, src, (size_t)in_dims->c * es);
                    fill(dst + (size_t)(p->before[3] + in_dims->c) * es, value, es, p->after[3]);
                    src += (size_t)in_dims->c * es;
                }
                dst += (size_t)row * es;
            }
        }
    }
    return TSK_OK;
}

tsk_status tsk_pad_s8(const tsk_pad_params *p, int8_t pad_value, const tsk_dims *in_dims,
                      const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    return pad_generic(p, &pad_value, in_dims, in, out_dims, out, sizeof(int8_t));
}

tsk_status tsk_pad_f32(const tsk_pad_params *p, float pad_value, const tsk_dims *in_dims,
                       const float *in, const tsk_dims *out_dims, float *out)
{
    return pad_generic(p, &pad_value, in_dims, in, out_dims, out, sizeof(float));
}

tsk_status tsk_pad_s16(const tsk_pad_params *p, int16_t pad_value, const tsk_dims *in_dims,
                       const int16_t *in, const tsk_dims *out_dims, int16_t *out)
{
    return pad_generic(p, &pad_value, in_dims, in, out_dims, out, sizeof(int16_t));
}
