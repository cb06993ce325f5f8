/* kernels/reduce.c: REDUCE_MAX and SUM over any subset of the axes of [N,H,W,C] (TFLite
 * reduce.cc, reference_ops::ReduceGeneric): every output element starts at the reduction's
 * initial value and takes the input elements in row-major order. REDUCE_MAX: initial value the
 * type's lowest, x > current ? x : current (a NaN never wins; int8 on raw values, input and
 * output share the quantization). SUM: from 0, current + x; int8 sums the raw values in int32
 * (scratch) and rescales them as TFLite's QuantizedMeanOrSum with compute_sum: in float,
 * round(sum * scale + bias) with scale = input / output scale and bias = -input zero point *
 * scale * count, plus the output zero point, cast to int8 (TFLite casts, it does not
 * saturate). Values only: no allocation, no I/O. */
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

#define SUM_OF(cur, x) ((cur) + (x))

tsk_status tsk_reduce_sum_f32(int32_t axis_mask, const tsk_dims *in_dims, const float *in,
                       const tsk_dims *out_dims, float *out)
{
    int32_t st[4], n_out = reduce_strides(axis_mask, in_dims, in, out_dims, out, st);

    if (n_out < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n_out; i++)
        out[i] = 0.0f;
    REDUCE_WALK(float, in, in_dims, st, out, SUM_OF);
    return TSK_OK;
}

int32_t tsk_round_f32(float x)
{
    int32_t t;
    float frac;

    if (!(x > -2147483520.0f))
        return x != x ? 0 : INT32_MIN;
    if (x > 2147483520.0f)
        return INT32_MAX;
    t = (int32_t)x; /* toward zero; x - t is exact below 2^31 */
    frac = x - (float)t;
    return t + (frac >= 0.5f ? 1 : 0) - (frac <= -0.5f ? 1 : 0);
}

tsk_status tsk_reduce_sum_s8(const tsk_ctx *ctx, const tsk_sum_params *p, const tsk_dims *in_dims,
                      const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    int32_t st[4], n_out, n_red, *sums;
    float bias;
    tsk_status s;

    if (p == 0 || ctx == 0)
        return TSK_ERR_ARG;
    n_out = reduce_strides(p->axis_mask, in_dims, in, out_dims, out, st);
    if (n_out < 1 || n_out > INT32_MAX / 4)
        return TSK_ERR_ARG;
    if ((s = tsk_scratch_check(ctx, 4 * n_out)) != TSK_OK)
        return s;
    sums = (int32_t *)ctx->buf;
    n_red = tsk_dims_count(in_dims) / n_out;
    for (int32_t i = 0; i < n_out; i++)
        sums[i] = 0;
    REDUCE_WALK(int8_t, in, in_dims, st, sums, SUM_OF);
    /* TFLite's float rescaling: round(sum * scale + bias) + output zero point, cast to int8 */
    bias = (float)(-p->input_zero_point) * p->scale * (float)n_red;
    for (int32_t i = 0; i < n_out; i++)
        out[i] = (int8_t)(uint8_t)((uint32_t)tsk_round_f32((float)sums[i] * p->scale + bias) +
                                   (uint32_t)p->output_zero_point);
    return TSK_OK;
}
