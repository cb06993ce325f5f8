/* kernels/mean_s8.c: MEAN int8 over any subset of the axes of [N,H,W,C], bit-exact with the
 * integer path of TFLite reference_ops::QuantizedMeanOrSum (used by TFLite Micro's MEAN): raw
 * int32 sums, minus zp_in * count, requantised by the input/output scale multiplier with 1/count
 * folded into it (multiplier * 2^s / count, s = floor(log2 count)), + zp_out, clamped.
 * Values only: no float, no allocation (sums in caller scratch), no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* Output element count and reduced element count for an axis mask. */
static void reduce_counts(const tsk_dims *d, int32_t axis_mask, int32_t *n_out, int32_t *n_red)
{
    int32_t i;
    *n_out = 1;
    *n_red = 1;
    for (i = 0; i < 4; i++) {
        if ((axis_mask >> i) & 1) {
            *n_red *= tsk_dim(d, i);
        } else {
            *n_out *= tsk_dim(d, i);
        }
    }
}

int32_t tsk_mean_s8_scratch_size(const tsk_dims *in_dims, int32_t axis_mask)
{
    int32_t n_out, n_red;
    if (in_dims == 0 || tsk_dims_count(in_dims) < 0 || axis_mask < 0 || axis_mask > 15) {
        return -1;
    }
    reduce_counts(in_dims, axis_mask, &n_out, &n_red);
    return n_out > INT32_MAX / 4 ? -1 : 4 * n_out;
}

/* Output-index strides of each input axis (0 on reduced axes). */
static void out_strides(const tsk_dims *d, int32_t axis_mask, int32_t st[4])
{
    int32_t stride = 1;
    int32_t i;
    for (i = 3; i >= 0; i--) {
        int reduced = (axis_mask >> i) & 1;
        st[i] = reduced ? 0 : stride;
        stride *= reduced ? 1 : tsk_dim(d, i);
    }
}

/* floor(log2(x)) for x >= 1. */
static int32_t floor_log2(uint32_t x)
{
    int32_t n = -1;
    while (x != 0) {
        x >>= 1;
        n++;
    }
    return n;
}

static void sum_inputs(const tsk_dims *d, int32_t axis_mask, const int8_t *in, int32_t *sums,
                       int32_t n_out)
{
    int32_t st[4];
    int32_t n, h, w, c, i;
    out_strides(d, axis_mask, st);
    for (i = 0; i < n_out; i++) {
        sums[i] = 0;
    }
    for (n = 0; n < d->n; n++) {
        for (h = 0; h < d->h; h++) {
            for (w = 0; w < d->w; w++) {
                int32_t *row = sums + n * st[0] + h * st[1] + w * st[2];
                for (c = 0; c < d->c; c++) {
                    row[c * st[3]] += *in++;
                }
            }
        }
    }
}

tsk_status tsk_mean_s8(const tsk_ctx *ctx, const tsk_mean_params *p, const tsk_dims *in_dims,
                       const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    int32_t need, n_out, n_red, shift, mult, i;
    int32_t *sums;
    if (p == 0 || in == 0 || out == 0 || out_dims == 0) {
        return TSK_ERR_ARG;
    }
    need = tsk_mean_s8_scratch_size(in_dims, p->axis_mask);
    if (need < 0 || p->shift > 30 || p->shift < -31 || !tsk_rounding_ok(p->rounding)) {
        return TSK_ERR_ARG;
    }
    reduce_counts(in_dims, p->axis_mask, &n_out, &n_red);
    if (tsk_dims_count(out_dims) != n_out) {
        return TSK_ERR_ARG;
    }
    if (tsk_scratch_check(ctx, need) != TSK_OK) {
        return TSK_ERR_SCRATCH;
    }
    sums = (int32_t *)ctx->buf;
    sum_inputs(in_dims, p->axis_mask, in, sums, n_out);
    shift = tsk_max_i32(0, tsk_min_i32(floor_log2((uint32_t)n_red), 31 + p->shift));
    mult = (int32_t)(((int64_t)p->multiplier << shift) / n_red);
    for (i = 0; i < n_out; i++) {
        int32_t v = sums[i] - p->input_zero_point * n_red;
        v = tsk_mbqm_r(v, mult, p->shift - shift, p->rounding) + p->output_zero_point;
        out[i] = (int8_t)tsk_clamp_i32(v, INT8_MIN, INT8_MAX);
    }
    return TSK_OK;
}
