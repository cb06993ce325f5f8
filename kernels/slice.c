/* kernels/slice.c: SLICE of a tensor of up to 4 dimensions (TFLite reference_ops::Slice):
 * output element [n,h,w,c] is input element [n + b0, h + b1, w + b2, c + b3] with b =
 * p->begin; the output dims are the slice's sizes. Elements move unchanged (int8 keeps its
 * quantization). Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* 1 when every begin is >= 0 and begin + output size fits the input. */
static int slice_ok(const tsk_slice_params *p, const tsk_dims *in, const tsk_dims *out)
{
    if (tsk_dims_count(in) < 0 || tsk_dims_count(out) < 0)
        return 0;
    for (int32_t i = 0; i < 4; i++)
        if (p->begin[i] < 0 || p->begin[i] > tsk_dim(in, i) - tsk_dim(out, i))
            return 0;
    return 1;
}

#define SLICE_BODY(TYPE)                                                                       \
    if (p == 0 || in_dims == 0 || out_dims == 0 || in == 0 || out == 0 ||                      \
        !slice_ok(p, in_dims, out_dims))                                                       \
        return TSK_ERR_ARG;                                                                    \
    for (int32_t n = 0; n < out_dims->n; n++)                                                  \
        for (int32_t h = 0; h < out_dims->h; h++)                                              \
            for (int32_t w = 0; w < out_dims->w; w++) {                                        \
                const TYPE *x = in + (((n + p->begin[0]) * in_dims->h + h + p->begin[1]) *     \
                                          in_dims->w + w + p->begin[2]) * in_dims->c +         \
                                p->begin[3];                                                   \
                for (int32_t c = 0; c < out_dims->c; c++)                                      \
                    *out++ = x[c];                                                             \
            }                                                                                  \
    return TSK_OK

tsk_status tsk_slice_s8(const tsk_slice_params *p, const tsk_dims *in_dims, const int8_t *in,
                        const tsk_dims *out_dims, int8_t *out)
{
    SLICE_BODY(int8_t);
}

tsk_status tsk_slice_f32(const tsk_slice_params *p, const tsk_dims *in_dims, const float *in,
                         const tsk_dims *out_dims, float *out)
{
    SLICE_BODY(float);
}
