/* kernels/split.c: SPLIT, SPLIT_V and UNPACK of a tensor of up to 4 dimensions into n outputs
 * along one axis of [N,H,W,C] (TFLite reference_ops::Split / Unpack: the inverse of
 * concatenation; UNPACK's outputs are seen with a 1 at the axis). Output i takes the next
 * out_dims[i] axis entries of every outer slice. Elements move unchanged (int8 outputs keep
 * the input's quantization). Both dtypes share one element-size-generic copy. Values only: no
 * allocation, no I/O; libc memcpy only. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* Elements per step of dimension `axis` and beyond (inner), and before it (outer). */
static int64_t span(const tsk_dims *d, int32_t from, int32_t to)
{
    int64_t n = 1;

    for (int32_t i = from; i < to; i++)
        n *= tsk_dim(d, i);
    return n;
}

/* TSK_OK when every output matches the input outside `axis` and their axis sizes sum to the
 * input's, and no pointer is NULL. */
static tsk_status split_ok(int32_t axis, int32_t n, const tsk_dims *in_dims, const void *in,
                           const tsk_dims *out_dims, void *const *out)
{
    int64_t sum = 0;

    if (axis < 0 || axis > 3 || n < 1 || in_dims == 0 || in == 0 || out_dims == 0 || out == 0 ||
        tsk_dims_count(in_dims) < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        if (out[i] == 0 || tsk_dims_count(&out_dims[i]) < 0)
            return TSK_ERR_ARG;
        for (int32_t k = 0; k < 4; k++)
            if (k != axis && tsk_dim(&out_dims[i], k) != tsk_dim(in_dims, k))
                return TSK_ERR_ARG;
        sum += tsk_dim(&out_dims[i], axis);
    }
    return sum == tsk_dim(in_dims, axis) ? TSK_OK : TSK_ERR_ARG;
}

static tsk_status split_bytes(int32_t axis, int32_t n, const tsk_dims *in_dims, const void *in,
                              const tsk_dims *out_dims, void *const *out, size_t elem)
{
    const int64_t outer = span(in_dims, 0, axis);
    const size_t in_row = (size_t)span(in_dims, axis, 4) * elem;
    size_t offset = 0;
    tsk_status st = split_ok(axis, n, in_dims, in, out_dims, out);

    if (st != TSK_OK)
        return st;
    for (int32_t i = 0; i < n; i++) {
        const size_t row = (size_t)span(&out_dims[i], axis, 4) * elem;
        for (int64_t o = 0; o < outer; o++)
            memcpy((unsigned char *)out[i] + (size_t)o * row,
                   (const unsigned char *)in + (size_t)o * in_row + offset, row);
        offset += row;
    }
    return TSK_OK;
}

tsk_status tsk_split_s8(int32_t axis, int32_t n_outputs, const tsk_dims *in_dims,
                        const int8_t *in, const tsk_dims *out_dims, int8_t *const *out)
{
    return split_bytes(axis, n_outputs, in_dims, in, out_dims, (void *const *)out,
                       sizeof(int8_t));
}

tsk_status tsk_split_f32(int32_t axis, int32_t n_outputs, const tsk_dims *in_dims,
                         const float *in, const tsk_dims *out_dims, float *const *out)
{
    return split_bytes(axis, n_outputs, in_dims, in, out_dims, (void *const *)out,
                       sizeof(float));
}

tsk_status tsk_split_v_sizes(int32_t n, const int32_t *splits, int32_t dim, int32_t *sizes,
                             int32_t *bad)
{
    int64_t sum = 0;
    int32_t rest = -1;

    if (n < 1 || splits == 0 || sizes == 0 || bad == 0)
        return TSK_ERR_ARG;
    *bad = -1;
    for (int32_t j = 0; j < n; j++) {
        sizes[j] = splits[j];
        if (sizes[j] == -1 && rest < 0)
            rest = j;
        else if (sizes[j] < 1)
            return *bad = j, TSK_ERR_ARG;
        else
            sum += sizes[j];
    }
    if (rest >= 0 && sum == dim)
        return *bad = rest, TSK_ERR_UNSUPPORTED;
    if (rest >= 0 && sum < dim)
        sizes[rest] = dim - (int32_t)sum, sum = dim;
    return sum == dim ? TSK_OK : TSK_ERR_ARG;
}
