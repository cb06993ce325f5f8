/* kernels/concatenation.c: CONCATENATION of N tensors along one axis of [N,H,W,C], for int8
 * and float32 (TFLite reference_ops::Concatenation: a plain copy; int8 inputs already share
 * the output quantisation). Both dtypes share one element-size-generic copy, which is why this
 * file holds two entry points. Values only: no allocation, no I/O; libc memcpy only. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* Product of the dimensions before / from `axis` (outer count, inner element count). */
static int64_t outer_count(const tsk_dims *d, int32_t axis)
{
    int64_t n = 1;
    int32_t i;
    for (i = 0; i < axis; i++) {
        n *= tsk_dim(d, i);
    }
    return n;
}

static int64_t inner_count(const tsk_dims *d, int32_t axis)
{
    int64_t n = 1;
    int32_t i;
    for (i = axis; i < 4; i++) {
        n *= tsk_dim(d, i);
    }
    return n;
}

/* 0 when input i's shape does not match the output outside `axis`. */
static int input_ok(int32_t axis, const tsk_dims *in_dims, const tsk_dims *out_dims)
{
    int32_t k;
    if (tsk_dims_count(in_dims) < 0) {
        return 0;
    }
    for (k = 0; k < 4; k++) {
        if (k != axis && tsk_dim(in_dims, k) != tsk_dim(out_dims, k)) {
            return 0;
        }
    }
    return 1;
}

static tsk_status check_args(int32_t axis, int32_t n_inputs, const tsk_dims *in_dims,
                             const tsk_dims *out_dims, const void *out)
{
    int64_t axis_sum = 0;
    int32_t i;
    if (axis < 0 || axis > 3 || n_inputs < 1 || in_dims == 0 || out_dims == 0 || out == 0 ||
        tsk_dims_count(out_dims) < 0) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < n_inputs; i++) {
        if (!input_ok(axis, &in_dims[i], out_dims)) {
            return TSK_ERR_ARG;
        }
        axis_sum += tsk_dim(&in_dims[i], axis);
    }
    return axis_sum == tsk_dim(out_dims, axis) ? TSK_OK : TSK_ERR_ARG;
}

/* Copies one input into its slot of every outer slice of out; returns the slot width. */
static size_t place_input(const tsk_dims *in_dims, const void *in, int32_t axis,
                          const tsk_dims *out_dims, unsigned char *out, size_t offset,
                          size_t elem_size)
{
    const size_t in_bytes = (size_t)inner_count(in_dims, axis) * elem_size;
    const size_t out_bytes = (size_t)inner_count(out_dims, axis) * elem_size;
    const int64_t outer = outer_count(out_dims, axis);
    int64_t o;
    for (o = 0; o < outer; o++) {
        memcpy(out + (size_t)o * out_bytes + offset,
               (const unsigned char *)in + (size_t)o * in_bytes, in_bytes);
    }
    return in_bytes;
}

tsk_status tsk_concatenation_s8(int32_t axis, int32_t n_inputs, const tsk_dims *in_dims,
                                const int8_t *const *in, const tsk_dims *out_dims, int8_t *out)
{
    size_t offset = 0;
    int32_t i;
    tsk_status st = check_args(axis, n_inputs, in_dims, out_dims, out);
    if (st != TSK_OK || in == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    for (i = 0; i < n_inputs; i++) {
        if (in[i] == 0) {
            return TSK_ERR_ARG;
        }
    }
    for (i = 0; i < n_inputs; i++) {
        offset += place_input(&in_dims[i], in[i], axis, out_dims, (unsigned char *)out, offset,
                              sizeof(int8_t));
    }
    return TSK_OK;
}

tsk_status tsk_concatenation_f32(int32_t axis, int32_t n_inputs, const tsk_dims *in_dims,
                                 const float *const *in, const tsk_dims *out_dims, float *out)
{
    size_t offset = 0;
    int32_t i;
    tsk_status st = check_args(axis, n_inputs, in_dims, out_dims, out);
    if (st != TSK_OK || in == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    for (i = 0; i < n_inputs; i++) {
        if (in[i] == 0) {
            return TSK_ERR_ARG;
        }
    }
    for (i = 0; i < n_inputs; i++) {
        offset += place_input(&in_dims[i], in[i], axis, out_dims, (unsigned char *)out, offset,
                              sizeof(float));
    }
    return TSK_OK;
}

/* int16 (16x8): the int8 / float32 bodies above are left as they are (the base firmware images
 * hold them byte for byte); this one shares their helpers. */
tsk_status tsk_concatenation_s16(int32_t axis, int32_t n_inputs, const tsk_dims *in_dims,
                                 const int16_t *const *in, const tsk_dims *out_dims,
                                 int16_t *out)
{
    size_t offset = 0;
    int32_t i;
    tsk_status st = check_args(axis, n_inputs, in_dims, out_dims, out);
    for (i = 0; st == TSK_OK && in != 0 && i < n_inputs; i++) {
        st = in[i] == 0 ? TSK_ERR_ARG : TSK_OK;
    }
    if (st != TSK_OK || in == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    for (i = 0; i < n_inputs; i++) {
        offset += place_input(&in_dims[i], in[i], axis, out_dims, (unsigned char *)out, offset,
                              sizeof(int16_t));
    }
    return TSK_OK;
}
