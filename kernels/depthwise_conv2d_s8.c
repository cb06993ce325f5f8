/* kernels/depthwise_conv2d_s8.c: DEPTHWISE_CONV_2D int8, bit-exact with TFLite
 * reference_integer_ops::DepthwiseConvPerChannel (any depth multiplier, dilation, padding).
 * Per output pixel, int32 accumulators for all output channels (scratch) are updated tap by
 * tap over contiguous channels, then requantised.
 * Values only: no timing, no allocation (scratch from the caller), no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

int32_t tsk_depthwise_conv2d_s8_scratch_size(const tsk_dims *in_dims,
                                             const tsk_dims *filter_dims,
                                             const tsk_dims *out_dims)
{
    if (in_dims == 0 || filter_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(filter_dims) < 0 || tsk_dims_count(out_dims) < 0 ||
        out_dims->c > INT32_MAX / 4) {
        return -1;
    }
    return 4 * out_dims->c;
}

static tsk_status check_args(const tsk_ctx *ctx, const tsk_dw_conv_params *p, const tsk_quant *q,
                             const tsk_dims *in_dims, const tsk_dims *filter_dims,
                             const tsk_dims *out_dims)
{
    int32_t need = tsk_depthwise_conv2d_s8_scratch_size(in_dims, filter_dims, out_dims);
    tsk_status st = tsk_dw_s8_args(p, q, in_dims, filter_dims, out_dims, need);
    return st != TSK_OK ? st : tsk_scratch_check(ctx, need);
}

/* acc[ic * M + m] += w[ic * M + m] * (x[ic] + offset) for one tap. */
static void accumulate_tap(int32_t *acc, const int8_t *x, const int8_t *w, int32_t in_c,
                           int32_t mult, int32_t offset)
{
    int32_t ic, m;
    if (mult == 1) {
        for (ic = 0; ic < in_c; ic++) {
            acc[ic] += (int32_t)w[ic] * ((int32_t)x[ic] + offset);
        }
        return;
    }
    for (ic = 0; ic < in_c; ic++) {
        int32_t xv = (int32_t)x[ic] + offset;
        for (m = 0; m < mult; m++) {
            acc[ic * mult + m] += (int32_t)w[ic * mult + m] * xv;
        }
    }
}

/* Accumulates every tap of the window at (y0, x0) that lies inside the image. */
static void accumulate_window(int32_t *acc, const tsk_dw_conv_params *p, const tsk_dims *in_dims,
                              const int8_t *img, const tsk_dims *fd, const int8_t *filter,
                              int32_t y0, int32_t x0)
{
    int32_t ky, kx;
    for (ky = 0; ky < fd->h; ky++) {
        int32_t iy = y0 + ky * p->dilation.h;
        if (iy < 0 || iy >= in_dims->h) {
            continue;
        }
        for (kx = 0; kx < fd->w; kx++) {
            int32_t ix = x0 + kx * p->dilation.w;
            if (ix < 0 || ix >= in_dims->w) {
                continue;
            }
            accumulate_tap(acc, img + ((int64_t)iy * in_dims->w + ix) * in_dims->c,
                           filter + (ky * fd->w + kx) * fd->c, in_dims->c, p->ch_mult,
                           p->input_offset);
        }
    }
}

tsk_status tsk_depthwise_conv2d_s8(const tsk_ctx *ctx, const tsk_dw_conv_params *p,
                                   const tsk_quant *q, const tsk_dims *in_dims,
                                   const int8_t *in, const tsk_dims *filter_dims,
                                   const int8_t *filter, const int32_t *bias,
                                   const tsk_dims *out_dims, int8_t *out)
{
    int32_t *acc;
    int32_t b, oy, ox, oc;
    tsk_status st = check_args(ctx, p, q, in_dims, filter_dims, out_dims);
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    const tsk_out_stage os = tsk_out_stage_make(q, 0, p->output_offset, p->act, p->rounding);
    acc = (int32_t *)ctx->buf;
    for (b = 0; b < out_dims->n; b++) {
        const int8_t *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            for (ox = 0; ox < out_dims->w; ox++) {
                for (oc = 0; oc < out_dims->c; oc++) {
                    acc[oc] = bias != 0 ? bias[oc] : 0;
                }
                accumulate_window(acc, p, in_dims, img, filter_dims, filter,
                                  oy * p->stride.h - p->padding.h,
                                  ox * p->stride.w - p->padding.w);
                for (oc = 0; oc < out_dims->c; oc++) {
                    *out++ = tsk_out_stage_apply(&os, acc[oc], oc);
                }
            }
        }
    }
    return TSK_OK;
}
