/* kernels/transpose_conv.c: TRANSPOSE_CONV int8 (TFLite reference_integer_ops::TransposeConv,
 * per-channel, bit-exact), int16 with int8 weights (16x8: the same reference's int16 overload,
 * int64 accumulators and bias) and float32 (reference_ops::TransposeConv). Both scatter: every input
 * pixel adds its contribution to the KH x KW output pixels its filter covers, at
 * (in_y * stride - pad + ky, in_x * stride - pad + kx); contributions falling outside the
 * output are dropped. int8 accumulates exactly in an int32 scratch image of one batch (the
 * order does not matter), then adds the bias and requantises per channel; its loop nest and
 * output stage (tsk_tconv_s8_scatter) are shared with the DSP-extension variant
 * (transpose_conv_s8_simd.c), which brings its own inner loop. float32 accumulates in the output
 * in the reference's order (input pixel, input channel, ky, kx, output channel), then adds the
 * bias and clamps, so that the float sums round as the reference kernel's do (the TFLite
 * interpreter's XNNPACK delegate sums in another order: tests/unit/engine/tconv_xnnpack.h).
 * Filter layout OHWI [C_out, KH, KW, C_in]. Values only: no timing, no allocation (scratch from
 * the caller), no float in the int8 path, no I/O. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* Accumulators of one output image, then one filter-tap sum per (out channel, ky, kx). */
int32_t tsk_transpose_conv_s8_scratch_size(const tsk_dims *in_dims, const tsk_dims *filter_dims,
                                           const tsk_dims *out_dims)
{
    int64_t acc, taps;

    if (in_dims == 0 || filter_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(filter_dims) < 0 || tsk_dims_count(out_dims) < 0)
        return -1;
    acc = (int64_t)out_dims->h * out_dims->w * out_dims->c;
    taps = (int64_t)filter_dims->n * filter_dims->h * filter_dims->w;
    return acc + taps > INT32_MAX / 4 ? -1 : (int32_t)(4 * (acc + taps));
}

static tsk_status check_args_s8(const tsk_ctx *ctx, const tsk_conv_params *p,
                                const tsk_quant *q, const tsk_dims *in_dims,
                                const tsk_dims *filter_dims, const tsk_dims *out_dims)
{
    int32_t need = tsk_transpose_conv_s8_scratch_size(in_dims, filter_dims, out_dims);
    tsk_status st = tsk_tconv_s8_args(p, q, in_dims, filter_dims, out_dims, need);

    return st != TSK_OK ? st : tsk_scratch_check(ctx, need);
}

void tsk_tconv_s8_scatter(const tsk_conv_params *p, const tsk_quant *q, const int32_t *bias,
                          const tsk_dims *in_dims, const int8_t *in, const tsk_dims *filter_dims,
                          const tsk_dims *out_dims, int32_t *acc, tsk_tconv_pixel_fn fn,
                          const void *arg, int8_t *out)
{
    const tsk_out_stage os = tsk_out_stage_make(q, bias, p->output_offset, p->act, p->rounding);
    const int32_t n_acc = out_dims->h * out_dims->w * out_dims->c;
    tsk_tconv_pixel x;

    for (int32_t b = 0; b < in_dims->n; b++) {
        memset(acc, 0, (size_t)n_acc * sizeof *acc);
        for (int32_t iy = 0; iy < in_dims->h; iy++) {
            x.oy0 = iy * p->stride.h - p->padding.h;
            tsk_tconv_tap_range(iy, p->stride.h, p->padding.h, filter_dims->h, out_dims->h,
                                &x.kr[0], &x.kr[1]);
            for (int32_t ix = 0; ix < in_dims->w; ix++) {
                x.px = in + (((int64_t)b * in_dims->h + iy) * in_dims->w + ix) * in_dims->c;
                x.ox0 = ix * p->stride.w - p->padding.w;
                tsk_tconv_tap_range(ix, p->stride.w, p->padding.w, filter_dims->w, out_dims->w,
                                    &x.kr[2], &x.kr[3]);
                fn(arg, &x, acc);
            }
        }
        for (int32_t i = 0; i < n_acc; i++)
            *out++ = tsk_out_stage_apply(&os, acc[i], i % out_dims->c);
    }
}

/* The plain inner loop's data: tap_sum[(oc * KH + ky) * KW + kx] is input_offset * the sum of
 * that tap's weights, so that sum w * (x + off) is computed as sum w * x + off * sum w
 * (exactly). */
typedef struct plain_arg {
    const tsk_dims *fd, *od;
    const int8_t *filter;
    const int32_t *tap_sum;
} plain_arg;

/* Adds input pixel x times every tap in range to the accumulator image acc. */
static void scatter_pixel_s8(const void *arg, const tsk_tconv_pixel *x, int32_t *acc)
{
    const plain_arg *g = arg;
    const int32_t ic = g->fd->c;

    for (int32_t ky = x->kr[0]; ky < x->kr[1]; ky++)
        for (int32_t kx = x->kr[2]; kx < x->kr[3]; kx++) {
            int32_t *a = acc + ((int64_t)(x->oy0 + ky) * g->od->w + x->ox0 + kx) * g->od->c;
            for (int32_t oc = 0; oc < g->od->c; oc++) {
                int64_t tap = ((int64_t)oc * g->fd->h + ky) * g->fd->w + kx;
                a[oc] += tsk_dot_s8(x->px, g->filter + tap * ic, ic) + g->tap_sum[tap];
            }
        }
}

tsk_status tsk_transpose_conv_s8(const tsk_ctx *ctx, const tsk_conv_params *p,
                                 const tsk_quant *q, const tsk_dims *in_dims, const int8_t *in,
                                 const tsk_dims *filter_dims, const int8_t *filter,
                                 const int32_t *bias, const tsk_dims *out_dims, int8_t *out)
{
    tsk_status st = check_args_s8(ctx, p, q, in_dims, filter_dims, out_dims);
    int32_t *acc, *tap_sum, ic, n_taps;

    if (st != TSK_OK || in == 0 || filter == 0 || out == 0)
        return st != TSK_OK ? st : TSK_ERR_ARG;
    ic = in_dims->c, n_taps = filter_dims->n * filter_dims->h * filter_dims->w;
    acc = (int32_t *)ctx->buf;
    tap_sum = acc + out_dims->h * out_dims->w * out_dims->c;
    for (int32_t t = 0; t < n_taps; t++)
        tap_sum[t] = p->input_offset * tsk_sum_s8(filter + (int64_t)t * ic, ic);
    const plain_arg arg = {filter_dims, out_dims, filter, tap_sum};
    tsk_tconv_s8_scatter(p, q, bias, in_dims, in, filter_dims, out_dims, acc, scatter_pixel_s8,
                         &arg, out);
    return TSK_OK;
}

/* ---- 16x8: int16 input and output (zero points 0), int8 weights, int64 bias ---- */

int32_t tsk_transpose_conv_s16_scratch_size(const tsk_dims *in_dims, const tsk_dims *filter_dims,
                                            const tsk_dims *out_dims)
{
    int64_t acc;

    if (in_dims == 0 || filter_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(filter_dims) < 0 || tsk_dims_count(out_dims) < 0)
        return -1;
    acc = (int64_t)out_dims->h * out_dims->w * out_dims->c;
    return acc > INT32_MAX / 8 ? -1 : (int32_t)(8 * acc);
}

static tsk_status check_args_s16(const tsk_ctx *ctx, const tsk_conv_params *p,
                                 const tsk_quant *q, const tsk_dims *in_dims,
                                 const tsk_dims *filter_dims, const tsk_dims *out_dims)
{
    int32_t need = tsk_transpose_conv_s16_scratch_size(in_dims, filter_dims, out_dims);

    if (p == 0 || need < 0 ||
        !tsk_tconv_shapes_ok(p->stride, p->padding, in_dims, filter_dims, out_dims) ||
        !tsk_quant_ok(q, out_dims->c) || !tsk_range_ok_s16(&p->act) || p->input_offset != 0 ||
        p->output_offset != 0 || !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
    return tsk_scratch_check(ctx, need);
}

/* The int64 scatter of one batch image: each in-range tap of input pixel px adds, for every
 * output channel, the exact dot product of the pixel's C_in values with that tap's weights
 * (the reference adds the same products one at a time; int64 sums do not depend on order). */
static void scatter_image_s16(const tsk_conv_params *p, const tsk_dims *in_dims,
                              const int16_t *img, const tsk_dims *fd, const int8_t *filter,
                              const tsk_dims *od, int64_t *acc)
{
    const int32_t ic = in_dims->c;
    int32_t kr[4];

    for (int32_t iy = 0; iy < in_dims->h; iy++) {
        const int32_t oy0 = iy * p->stride.h - p->padding.h;
        tsk_tconv_tap_range(iy, p->stride.h, p->padding.h, fd->h, od->h, &kr[0], &kr[1]);
        for (int32_t ix = 0; ix < in_dims->w; ix++) {
            const int16_t *px = img + ((int64_t)iy * in_dims->w + ix) * ic;
            const int32_t ox0 = ix * p->stride.w - p->padding.w;
            tsk_tconv_tap_range(ix, p->stride.w, p->padding.w, fd->w, od->w, &kr[2], &kr[3]);
            for (int32_t ky = kr[0]; ky < kr[1]; ky++)
                for (int32_t kx = kr[2]; kx < kr[3]; kx++) {
                    int64_t *a = acc + ((int64_t)(oy0 + ky) * od->w + ox0 + kx) * od->c;
                    for (int32_t oc = 0; oc < od->c; oc++)
                        a[oc] += tsk_dot_s16(px, 1,
                                             filter + (((int64_t)oc * fd->h + ky) * fd->w + kx) *
                                                          ic,
                                             1, ic);
                }
        }
    }
}

/* Without a bias input TFLite's 16x8 TRANSPOSE_CONV takes its int32 path (the accumulator type
 * follows the bias type, int32 when there is none): the sum kept to 32 bits (two's complement
 * wrap, as that path's int32 adds) and the int32 MultiplyByQuantizedMultiplier in the op's
 * rounding mode (single measured against TFLite; double, TFLite Micro's, is an assumption),
 * not the int64 one with its 16-bit multiplier. Measured: the int64 form is
 * 1 LSB off TFLite in 3 of 54 outputs of such a model (the golden case without bias), this one
 * exact. */
static int16_t out_no_bias_s16(const tsk_conv_params *p, const tsk_quant *q, int64_t acc,
                               int32_t oc)
{
    int32_t k = q->n != 1 ? oc : 0;
    int32_t v = tsk_mbqm_r((int32_t)(uint32_t)(uint64_t)acc, q->multiplier[k], q->shift[k],
                           p->rounding);

    return (int16_t)tsk_clamp_i32(v, p->act.min, p->act.max);
}

tsk_status tsk_transpose_conv_s16(const tsk_ctx *ctx, const tsk_conv_params *p,
                                  const tsk_quant *q, const tsk_dims *in_dims, const int16_t *in,
                                  const tsk_dims *filter_dims, const int8_t *filter,
                                  const int64_t *bias, const tsk_dims *out_dims, int16_t *out)
{
    tsk_status st = check_args_s16(ctx, p, q, in_dims, filter_dims, out_dims);
    int64_t *acc;
    int32_t n_acc, oc;

    if (st != TSK_OK || in == 0 || filter == 0 || out == 0)
        return st != TSK_OK ? st : TSK_ERR_ARG;
    acc = (int64_t *)ctx->buf;
    n_acc = out_dims->h * out_dims->w * out_dims->c;
    for (int32_t b = 0; b < in_dims->n; b++) {
        memset(acc, 0, (size_t)n_acc * sizeof *acc);
        scatter_image_s16(p, in_dims, in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c,
                          filter_dims, filter, out_dims, acc);
        for (int32_t i = 0; i < n_acc; i++) { /* bias after every product, as the reference */
            oc = i % out_dims->c;
            *out++ = bias != 0 ? tsk_out_s16(q, acc[i] + bias[oc], oc, 0, p->act)
                               : out_no_bias_s16(p, q, acc[i], oc);
        }
    }
    return TSK_OK;
}

/* One input value x of channel c at output origin (oy0, ox0), in the reference's order. */
static void scatter_value_f32(const tsk_dims *fd, const tsk_dims *od, float x, int32_t c,
                              const float *filter, int32_t oy0, int32_t ox0, const int32_t kr[4],
                              float *img)
{
    for (int32_t ky = kr[0]; ky < kr[1]; ky++)
        for (int32_t kx = kr[2]; kx < kr[3]; kx++) {
            float *o = img + ((int64_t)(oy0 + ky) * od->w + ox0 + kx) * od->c;
            for (int32_t oc = 0; oc < od->c; oc++)
                o[oc] += x * filter[(((int64_t)oc * fd->h + ky) * fd->w + kx) * fd->c + c];
        }
}

tsk_status tsk_transpose_conv_f32(const tsk_conv_params_f32 *p, const tsk_dims *in_dims,
                                  const float *in, const tsk_dims *filter_dims,
                                  const float *filter, const float *bias,
                                  const tsk_dims *out_dims, float *out)
{
    int32_t kr[4], n_img;

    if (p == 0 || in == 0 || filter == 0 || out == 0 || !(p->act.min <= p->act.max) ||
        !tsk_tconv_shapes_ok(p->stride, p->padding, in_dims, filter_dims, out_dims))
        return TSK_ERR_ARG;
    n_img = out_dims->h * out_dims->w * out_dims->c;
    for (int32_t b = 0; b < in_dims->n; b++) {
        float *img = out + (int64_t)b * n_img;
        for (int32_t i = 0; i < n_img; i++)
            img[i] = 0.0f;
        for (int32_t iy = 0; iy < in_dims->h; iy++) {
            tsk_tconv_tap_range(iy, p->stride.h, p->padding.h, filter_dims->h, out_dims->h,
                                &kr[0], &kr[1]);
            for (int32_t ix = 0; ix < in_dims->w; ix++) {
                const float *px = in + (((int64_t)b * in_dims->h + iy) * in_dims->w + ix) *
                                           in_dims->c;
                tsk_tconv_tap_range(ix, p->stride.w, p->padding.w, filter_dims->w, out_dims->w,
                                    &kr[2], &kr[3]);
                for (int32_t c = 0; c < in_dims->c; c++)
                    scatter_value_f32(filter_dims, out_dims, px[c], c, filter,
                                      iy * p->stride.h - p->padding.h,
                                      ix * p->stride.w - p->padding.w, kr, img);
            }
        }
        for (int32_t i = 0; i < n_img; i++) /* bias after every product, as the reference */
            img[i] = tsk_clamp_f32(bias != 0 ? img[i] + bias[i % out_dims->c] : img[i],
                                   p->act.min, p->act.max);
    }
    return TSK_OK;
}
