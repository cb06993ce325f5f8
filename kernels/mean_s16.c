/* kernels/mean_s16.c: MEAN int16 (16x8: zero points 0) over any subset of the axes of
 * [N,H,W,C], bit-exact with the three int16 paths of TFLite's reduce.cc EvalMean, which picks
 * one per op (tsk_mean_prepare_s16 records it):
 *   HW      keep_dims, 4-D input, axes exactly {1, 2}: reference_integer_ops::Mean; the int32
 *           sum requantised by input / output scale (MultiplyByQuantizedMultiplier), then
 *           divided by the count rounded half away from zero ((acc +- count / 2) / count);
 *   SAME    input and output quantization equal: reference_ops::Mean, sum / count truncated;
 *   SCALED  otherwise QuantizedMeanOrSum: in float, round(float(sum) / float(count) * scale)
 *           with scale = input / output scale as a float (its bias, -zero point * scale, is 0);
 * every result clamped to int16. Sums are int32 (exact up to TSK_MEAN_S16_MAX_REDUCED reduced
 * elements per output, which the scratch-size query enforces), in caller scratch.
 * Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* Output strides of the input's axes (0 along reduced ones); *n_out and *n_red the output and
 * reduced element counts. */
static void mean_strides(const tsk_dims *d, int32_t axis_mask, int32_t st[4], int32_t *n_out,
                         int32_t *n_red)
{
    *n_out = 1;
    *n_red = 1;
    for (int32_t i = 3; i >= 0; i--) {
        int32_t reduced = (axis_mask >> i) & 1;
        st[i] = reduced ? 0 : *n_out;
        *(reduced ? n_red : n_out) *= tsk_dim(d, i);
    }
}

int32_t tsk_mean_s16_scratch_size(const tsk_dims *in_dims, int32_t axis_mask)
{
    int32_t st[4], n_out, n_red;

    if (in_dims == 0 || tsk_dims_count(in_dims) < 1 || axis_mask < 0 || axis_mask > 15)
        return -1;
    mean_strides(in_dims, axis_mask, st, &n_out, &n_red);
    return n_red > TSK_MEAN_S16_MAX_REDUCED || n_out > INT32_MAX / 4 ? -1 : 4 * n_out;
}

/* One output from its sum of n elements, by the path of p. */
static int32_t mean_of(const tsk_mean_s16_params *p, int32_t sum, int32_t n)
{
    int32_t acc;

    if (p->path == TSK_MEAN_SAME)
        return sum / n;
    if (p->path == TSK_MEAN_SCALED)
        return tsk_round_f32((float)sum / (float)n * p->scale);
    acc = tsk_mbqm_r(sum, p->multiplier, p->shift, p->rounding);
    /* (acc +- n / 2) / n; in 64 bits only where acc lies within n / 2 of the int32 range */
    if (acc > INT32_MAX - n / 2 || acc < INT32_MIN + n / 2)
        return (int32_t)(acc > 0 ? ((int64_t)acc + n / 2) / n : ((int64_t)acc - n / 2) / n);
    return acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
}

tsk_status tsk_mean_s16(const tsk_ctx *ctx, const tsk_mean_s16_params *p, const tsk_dims *in_dims,
                        const int16_t *in, const tsk_dims *out_dims, int16_t *out)
{
    int32_t st[4], n_out, n_red, need, *sums;

    if (p == 0 || in == 0 || out == 0 || out_dims == 0 || p->path < TSK_MEAN_HW ||
        p->path > TSK_MEAN_SCALED || p->shift > 30 || p->shift < -31 ||
        !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
    need = tsk_mean_s16_scratch_size(in_dims, p->axis_mask);
    if (need < 0)
        return TSK_ERR_ARG;
    mean_strides(in_dims, p->axis_mask, st, &n_out, &n_red);
    if (tsk_dims_count(out_dims) != n_out)
        return TSK_ERR_ARG;
    if (tsk_scratch_check(ctx, need) != TSK_OK)
        return TSK_ERR_SCRATCH;
    sums = (int32_t *)ctx->buf;
    for (int32_t i = 0; i < n_out; i++)
        sums[i] = 0;
    for (int32_t n = 0; n < in_dims->n; n++)
        for (int32_t h = 0; h < in_dims->h; h++)
            for (int32_t w = 0; w < in_dims->w; w++) {
                int32_t *row = sums + n * st[0] + h * st[1] + w * st[2];
                for (int32_t c = 0; c < in_dims->c; c++)
                    row[c * st[3]] += *in++;
            }
    for (int32_t i = 0; i < n_out; i++)
        out[i] = (int16_t)tsk_clamp_i32(mean_of(p, sums[i], n_red), INT16_MIN, INT16_MAX);
    return TSK_OK;
}
