/* kernels/strided_slice.c: STRIDED_SLICE of a tensor of up to 4 dimensions (TFLite
 * reference_ops::StridedSlice with strided_slice_logic.h's start/stop rules): output element
 * [n,h,w,c] is input element [s0 + n*t0, s1 + h*t1, s2 + w*t2, s3 + c*t3] with s = p->start,
 * t = p->stride (negative strides walk backwards); the output dims are the counts per axis
 * (a shrunk axis counts 1 and keeps its positive stride: TFLite's loop takes no element of a
 * shrunk axis with a negative stride, TensorFlow refuses it, so do we).
 * tsk_strided_slice_prepare turns the op's begin/end/strides and masks into those parameters,
 * once, on the host (sim/ref) and for sim/gen's output shapes.
 * Elements move unchanged (int8 and int16 keep their quantization). Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

#define SS_LOWEST (-2147483647 - 1)
#define SS_MAX 2147483647

static int32_t clamp(int64_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : v > hi ? hi : (int32_t)v;
}

/* First index along an axis of `size` (StartForAxis): begin_mask takes the first element in
 * the direction of the stride; negative from the end; clamped into the axis. */
static int32_t start_for(int32_t begin, int masked, int32_t stride, int32_t size)
{
    int64_t s = masked ? (stride > 0 ? SS_LOWEST : SS_MAX) : begin;

    if (s < 0)
        s += size;
    return stride > 0 ? clamp(s, 0, size) : clamp(s, -1, size - 1);
}

/* One past the last index (StopForAxis): a shrunk axis stops after its start; end_mask runs
 * to the end in the direction of the stride; negative from the end; clamped. */
static int32_t stop_for(int32_t end, int masked, int shrink, int32_t start, int32_t stride,
                        int32_t size)
{
    int64_t s = masked ? (stride > 0 ? SS_MAX : SS_LOWEST) : end;

    if (shrink)
        return start + 1;
    if (s < 0)
        s += size;
    return stride > 0 ? clamp(s, 0, size) : clamp(s, -1, size - 1);
}

/* An error of the prepare, naming the axis at fault in counts[0]. */
static tsk_status at_fault(int32_t *counts, int32_t axis, tsk_status st)
{
    counts[0] = axis;
    return st;
}

tsk_status tsk_strided_slice_prepare(int32_t rank, const int32_t *shape, const int32_t *begin,
                                     const int32_t *end, const int32_t *strides,
                                     int32_t begin_mask, int32_t end_mask, int32_t shrink_mask,
                                     tsk_strided_slice_params *p, int32_t *counts)
{
    const int32_t lead = 4 - rank;

    if (rank < 0 || rank > 4 || shape == 0 || p == 0 || counts == 0 ||
        (rank > 0 && (begin == 0 || end == 0 || strides == 0))) {
        return counts ? at_fault(counts, -1, TSK_ERR_ARG) : TSK_ERR_ARG;
    }
    for (int32_t i = 0; i < 4; i++) {
        int32_t k = i - lead, size = k < 0 ? 1 : shape[k], shrink = k >= 0 && (shrink_mask >> k) & 1;
        int32_t t = k < 0 ? 1 : strides[k], start, stop;
        int64_t n;
        if (t == 0 || size < 1 || (shrink && t < 0))
            return at_fault(counts, k, TSK_ERR_ARG);
        start = k < 0 ? 0 : start_for(begin[k], (begin_mask >> k) & 1, t, size);
        stop = k < 0 ? 1 : stop_for(end[k], (end_mask >> k) & 1, shrink, start, t, size);
        n = t > 0 ? ((int64_t)stop - start + t - 1) / t
                  : ((int64_t)start - stop - (int64_t)t - 1) / -(int64_t)t; /* t may be INT32_MIN */
        if (n < 1 || start < 0 || start >= size)
            return at_fault(counts, k, TSK_ERR_UNSUPPORTED); /* an empty output */
        p->start[i] = start;
        p->stride[i] = t;
        counts[i] = (int32_t)n;
    }
    return TSK_OK;
}

/* 1 when every walked index stays inside the input. */
static int strided_ok(const tsk_strided_slice_params *p, const tsk_dims *in, const tsk_dims *out)
{
    if (tsk_dims_count(in) < 0 || tsk_dims_count(out) < 0)
        return 0;
    for (int32_t i = 0; i < 4; i++) {
        int64_t last = p->start[i] + (int64_t)(tsk_dim(out, i) - 1) * p->stride[i];
        if (p->stride[i] == 0 || p->start[i] < 0 || p->start[i] >= tsk_dim(in, i) || last < 0 ||
            last >= tsk_dim(in, i))
            return 0;
    }
    return 1;
}

#define STRIDED_SLICE_BODY(TYPE)                                                               \
    if (p == 0 || in_dims == 0 || out_dims == 0 || in == 0 || out == 0 ||                      \
        !strided_ok(p, in_dims, out_dims))                                                     \
        return TSK_ERR_ARG;                                                                    \
    for (int32_t n = 0; n < out_dims->n; n++)                                                  \
        for (int32_t h = 0; h < out_dims->h; h++)                                              \
            for (int32_t w = 0; w < out_dims->w; w++) {                                        \
                const TYPE *x = in + (((p->start[0] + n * p->stride[0]) * in_dims->h +         \
                                       p->start[1] + h * p->stride[1]) * in_dims->w +          \
                                      p->start[2] + w * p->stride[2]) * in_dims->c +           \
                                p->start[3];                                                   \
                for (int32_t c = 0; c < out_dims->c; c++)                                      \
                    *out++ = x[c * p->stride[3]];                                              \
            }                                                                                  \
    return TSK_OK

tsk_status tsk_strided_slice_s8(const tsk_strided_slice_params *p, const tsk_dims *in_dims,
                                const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    STRIDED_SLICE_BODY(int8_t);
}

tsk_status tsk_strided_slice_s16(const tsk_strided_slice_params *p, const tsk_dims *in_dims,
                                 const int16_t *in, const tsk_dims *out_dims, int16_t *out)
{
    STRIDED_SLICE_BODY(int16_t);
}

tsk_status tsk_strided_slice_f32(const tsk_strided_slice_params *p, const tsk_dims *in_dims,
                                 const float *in, const tsk_dims *out_dims, float *out)
{
    STRIDED_SLICE_BODY(float);
}
