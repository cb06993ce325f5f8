/* kernels/reduce.c: REDUCE_MAX (and SUM) over any subset of the axes of [N,H,W,C] (TFLite
 * reduce.cc, reference_ops::ReduceGeneric): every output element starts at the reduction's
 * initial value and takes the input elements in row-major order. REDUCE_MAX: initial value the
 * type's lowest, x > current ? x : current (a NaN never wins; int8 on raw values, input and
 * output share the quantization). Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* Output strides of the input's axes (0 along reduced ones); the output count, or -1. */
static int32_t reduce_strides(int32_t axis_mask, const tsk_dims *in_dims, const void *in,
                              const tsk_dims *out_dims, const void *out, int32_t st[4])
{
    int32_t stride = 1;

    if (in_dims == 0 || in == 0 || out_dims == 0 || out == 0 || axis_mask < 0 ||
        axis_mask > 15 || tsk_dims_count(in_dims) < 0)
        return -1;
    for (int32_t i = 3; i >= 0; i--) {
        int32_t reduced = (axis_mask >> i) & 1;
        st[i] = reduced ? 0 : stride;
        stride *= reduced ? 1 : tsk_dim(in_dims, i);
    }
    return tsk_dims_count(out_dims) == stride ? stride : -1;
}

/* acc[output of each input element] = COMBINE(acc[..], x), in row-major input order. */
#define REDUCE_WALK(TYPE, in, in_dims, st, acc, COMBINE)                                      \
    do {                                                                                       \
        const TYPE *x_ = (in);                                                                 \
        for (int32_t n_ = 0; n_ < (in_dims)->n; n_++)                                          \
            for (int32_t h_ = 0; h_ < (in_dims)->h; h_++)                                      \
                for (int32_t w_ = 0; w_ < (in_dims)->w; w_++)                                  \
                    for (int32_t c_ = 0; c_ < (in_dims)->c; c_++, x_++) {                      \
                        int32_t o_ = n_ * (st)[0] + h_ * (st)[1] + w_ * (st)[2] + c_ * (st)[3];\
                        (acc)[o_] = COMBINE((acc)[o_], *x_);                                   \
                    }                                                                          \
    } while (0)

#define MAX_OF(cur, x) ((x) > (cur) ? (x) : (cur))

tsk_status tsk_reduce_max_s8(int32_t axis_mask, const tsk_dims *in_dims, const int8_t *in,
                             const tsk_dims *out_dims, int8_t *out)
{
    int32_t st[4], n_out = reduce_strides(axis_mask, in_dims, in, out_dims, out, st);

    if (n_out < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n_out; i++)
        out[i] = INT8_MIN;
    REDUCE_WALK(int8_t, in, in_dims, st, out, MAX_OF);
    return TSK_OK;
}

tsk_status tsk_reduce_max_f32(int32_t axis_mask, const tsk_dims *in_dims, const float *in,
                              const tsk_dims *out_dims, float *out)
{
    int32_t st[4], n_out = reduce_strides(axis_mask, in_dims, in, out_dims, out, st);

    if (n_out < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n_out; i++)
        out[i] = -3.40282347e+38f; /* numeric_limits<float>::lowest() */
    REDUCE_WALK(float, in, in_dims, st, out, MAX_OF);
    return TSK_OK;
}
