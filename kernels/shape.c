/* kernels/shape.c: shape helpers shared by several kernels: broadcast strides for the
 * element-wise kernels (ADD, MUL; TFLite rule: each input dimension equals the output's or
 * is 1) and window validation for the pooling kernels. Integer only; no allocation, no I/O. */
#include "kernels_int.h"

int tsk_broadcast_strides(const tsk_dims *in, const tsk_dims *out, int32_t strides[4])
{
    int32_t stride = 1;
    int32_t i;
    for (i = 3; i >= 0; i--) {
        int32_t d_in = tsk_dim(in, i);
        int32_t d_out = tsk_dim(out, i);
        if (d_in == d_out) {
            strides[i] = d_in == 1 ? 0 : stride;
        } else if (d_in == 1) {
            strides[i] = 0;
        } else {
            return 0;
        }
        stride *= d_in;
    }
    return 1;
}

/* 1 when every output position along one axis sees at least one input element. */
static int axis_windows_ok(int32_t out_size, int32_t stride, int32_t pad, int32_t filter,
                           int32_t in_size)
{
    int32_t o;
    for (o = 0; o < out_size; o++) {
        int32_t start;
        int32_t end;
        tsk_pool_range(o, stride, pad, filter, in_size, &start, &end);
        if (end <= start) {
            return 0;
        }
    }
    return 1;
}

tsk_status tsk_pool_check(tsk_hw stride, tsk_hw pad, tsk_hw filter, const tsk_dims *in_dims,
                          const tsk_dims *out_dims)
{
    if (in_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(out_dims) < 0 || in_dims->n != out_dims->n || in_dims->c != out_dims->c) {
        return TSK_ERR_ARG;
    }
    if (stride.h < 1 || stride.w < 1 || filter.h < 1 || filter.w < 1) {
        return TSK_ERR_ARG;
    }
    if (!axis_windows_ok(out_dims->h, stride.h, pad.h, filter.h, in_dims->h) ||
        !axis_windows_ok(out_dims->w, stride.w, pad.w, filter.w, in_dims->w)) {
        return TSK_ERR_ARG;
    }
    return TSK_OK;
}
