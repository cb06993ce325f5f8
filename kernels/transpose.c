/* kernels/transpose.c: TRANSPOSE of a tensor of up to 4 dimensions (TFLite reference_ops::
 * Transpose): output dimension i is input dimension p->perm[i]; elements are moved unchanged
 * (int8 keeps its quantization, float32 its bits). Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* Input strides (elements) for walking the output in row-major order; 0 on a bad shape. */
static int perm_strides(const tsk_transpose_params *p, const tsk_dims *in, const tsk_dims *out,
                        int32_t s[4])
{
    const int32_t stride[4] = {in->h * in->w * in->c, in->w * in->c, in->c, 1};
    int32_t seen = 0;

    if (tsk_dims_count(in) < 0 || tsk_dims_count(out) < 0)
        return 0;
    for (int32_t i = 0; i < 4; i++) {
        int32_t k = p->perm[i];
        if (k < 0 || k > 3 || (seen & (1 << k)) || tsk_dim(in, k) != tsk_dim(out, i))
            return 0;
        seen |= 1 << k;
        s[i] = stride[k];
    }
    return 1;
}

#define TRANSPOSE_BODY(TYPE)                                                                   \
    int32_t s[4];                                                                              \
                                                                                               \
    if (p == 0 || in_dims == 0 || out_dims == 0 || in == 0 || out == 0 ||                      \
        !perm_strides(p, in_dims, out_dims, s))                                                \
        return TSK_ERR_ARG;                                                                    \
    for (int32_t n = 0; n < out_dims->n; n++)                                                  \
        for (int32_t h = 0; h < out_dims->h; h++)                                              \
            for (int32_t w = 0; w < out_dims->w; w++) {                                        \
                const TYPE *x = in + n * s[0] + h * s[1] + w * s[2];                           \
                for (int32_t c = 0; c < out_dims->c; c++)                                      \
                    *out++ = x[c * s[3]];                                                      \
            }                                                                                  \
    return TSK_OK

tsk_status tsk_transpose_s8(const tsk_transpose_params *p, const tsk_dims *in_dims,
                            const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    TRANSPOSE_BODY(int8_t);
}

tsk_status tsk_transpose_f32(const tsk_transpose_params *p, const tsk_dims *in_dims,
                             const float *in, const tsk_dims *out_dims, float *out)
{
    TRANSPOSE_BODY(float);
}
