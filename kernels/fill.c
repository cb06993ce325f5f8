/* kernels/fill.c: FILL (TFLite reference_ops::Fill: every output element is the scalar value
 * input, int8 keeping its quantization), ZEROS_LIKE (float32 zeros of the input's shape;
 * TFLite defines it for int32, int64 and float32 only) and SHAPE (the input's dimensions as
 * int32): outputs that do not depend on the input's values. Values only: no allocation, no
 * I/O. */
#include "kernels.h"
#include "kernels_int.h"

#define FILL_BODY                                                                              \
    int32_t n = out_dims ? tsk_dims_count(out_dims) : -1;                                      \
    if (n < 0 || value == 0 || out == 0)                                                       \
        return TSK_ERR_ARG;                                                                    \
    for (int32_t i = 0; i < n; i++)                                                            \
        out[i] = *value;                                                                       \
    return TSK_OK

tsk_status tsk_fill_s8(const tsk_dims *out_dims, const int8_t *value, int8_t *out)
{
    FILL_BODY;
}

tsk_status tsk_fill_f32(const tsk_dims *out_dims, const float *value, float *out)
{
    FILL_BODY;
}

tsk_status tsk_zeros_like_f32(int32_t n, const float *in, float *out)
{
    (void)in; /* only its shape matters */
    if (n < 0 || out == 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++)
        out[i] = 0.0f;
    return TSK_OK;
}

tsk_status tsk_shape_s32(const tsk_shape_params *p, int32_t *out)
{
    if (p == 0 || out == 0 || p->rank < 0 || p->rank > 4)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < p->rank; i++)
        out[i] = p->dims[i];
    return TSK_OK;
}
