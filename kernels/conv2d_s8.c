/* kernels/conv2d_s8.c: CONV_2D int8, bit-exact with TFLite reference_integer_ops::ConvPerChannel
 * (incl. grouped convolution). Per output pixel the receptive field is gathered once into an
 * im2col row (padding filled with the input zero point, so it contributes zero), then every
 * output channel is a contiguous int8 dot product; the input offset is applied once through
 * precomputed filter sums: sum f*(x+off) == sum f*x + off*sum f, exactly.
 * Values only: no timing, no allocation (scratch from the caller), no float, no I/O. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* Bytes of one im2col row, rounded up to a multiple of 4. */
static int32_t row_bytes(const tsk_dims *filter_dims)
{
    int64_t k = (int64_t)filter_dims->h * filter_dims->w * filter_dims->c;
    return k > INT32_MAX - 3 ? -1 : (int32_t)((k + 3) & ~(int64_t)3);
}

int32_t tsk_conv2d_s8_scratch_size(const tsk_dims *in_dims, const tsk_dims *filter_dims,
                                   const tsk_dims *out_dims)
{
    int32_t row;
    if (in_dims == 0 || filter_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(filter_dims) < 0 || tsk_dims_count(out_dims) < 0) {
        return -1;
    }
    row = row_bytes(filter_dims);
    if (row < 0 || out_dims->c > (INT32_MAX - row) / 4) {
        return -1;
    }
    return 4 * out_dims->c + row;
}

static tsk_status check_args(const tsk_ctx *ctx, const tsk_conv_params *p, const tsk_quant *q,
                             const tsk_dims *in_dims, const tsk_dims *filter_dims,
                             const tsk_dims *out_dims)
{
    int32_t need = tsk_conv2d_s8_scratch_size(in_dims, filter_dims, out_dims);
    tsk_status st = tsk_conv_s8_args(p, q, in_dims, filter_dims, out_dims, need);
    return st != TSK_OK ? st : tsk_scratch_check(ctx, need);
}

/* Geometry shared by the helpers of one call. */
typedef struct conv_geom {
    const tsk_dims *in;
    const tsk_dims *f;
    const tsk_conv_params *p;
    int32_t groups;
    int8_t pad_value; /* input zero point: contributes 0 after the offset */
} conv_geom;

/* Copies one filter row (KW taps of filter C channels) for input row iy into dst. */
static void gather_taps(const conv_geom *g, const int8_t *in_row, int32_t x0, int32_t ch0,
                        int8_t *dst)
{
    const int32_t cf = g->f->c;
    int32_t kx;
    if (g->groups == 1 && g->p->dilation.w == 1) { /* contiguous run: pad | copy | pad */
        int32_t lo = tsk_clamp_i32(-x0, 0, g->f->w);
        int32_t hi = tsk_clamp_i32(g->in->w - x0, lo, g->f->w);
        memset(dst, g->pad_value, (size_t)(lo * cf));
        memcpy(dst + lo * cf, in_row + (x0 + lo) * cf, (size_t)((hi - lo) * cf));
        memset(dst + hi * cf, g->pad_value, (size_t)((g->f->w - hi) * cf));
        return;
    }
    for (kx = 0; kx < g->f->w; kx++) {
        int32_t ix = x0 + kx * g->p->dilation.w;
        if (ix >= 0 && ix < g->in->w) {
            memcpy(dst + kx * cf, in_row + ix * g->in->c + ch0, (size_t)cf);
        } else {
            memset(dst + kx * cf, g->pad_value, (size_t)cf);
        }
    }
}

/* The im2col row [KH, KW, Cf] of output pixel (oy, ox), group `grp`, batch image `img`. */
static const int8_t *gather_row(const conv_geom *g, const int8_t *img, int32_t oy, int32_t ox,
                                int32_t grp, int8_t *row)
{
    const int32_t y0 = oy * g->p->stride.h - g->p->padding.h;
    const int32_t x0 = ox * g->p->stride.w - g->p->padding.w;
    const int32_t taps_bytes = g->f->w * g->f->c;
    int32_t ky;
    if (g->f->h == 1 && g->f->w == 1 && g->groups == 1 && y0 >= 0 && y0 < g->in->h && x0 >= 0 &&
        x0 < g->in->w) {
        return img + ((int64_t)y0 * g->in->w + x0) * g->in->c; /* 1x1: the pixel itself */
    }
    for (ky = 0; ky < g->f->h; ky++) {
        int32_t iy = y0 + ky * g->p->dilation.h;
        if (iy < 0 || iy >= g->in->h) {
            memset(row + ky * taps_bytes, g->pad_value, (size_t)taps_bytes);
        } else {
            gather_taps(g, img + (int64_t)iy * g->in->w * g->in->c, x0, grp * g->f->c,
                        row + ky * taps_bytes);
        }
    }
    return row;
}

tsk_status tsk_conv2d_s8(const tsk_ctx *ctx, const tsk_conv_params *p, const tsk_quant *q,
                         const tsk_dims *in_dims, const int8_t *in, const tsk_dims *filter_dims,
                         const int8_t *filter, const int32_t *bias, const tsk_dims *out_dims,
                         int8_t *out)
{
    conv_geom g;
    int32_t *fsum;
    int8_t *row;
    int32_t k, oc_per_group, b, oy, ox, grp, oc;
    tsk_status st = check_args(ctx, p, q, in_dims, filter_dims, out_dims);
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    const tsk_out_stage os = tsk_out_stage_make(q, 0, p->output_offset, p->act, p->rounding);
    g.in = in_dims;
    g.f = filter_dims;
    g.p = p;
    g.groups = in_dims->c / filter_dims->c;
    g.pad_value = (int8_t)(-p->input_offset);
    k = filter_dims->h * filter_dims->w * filter_dims->c;
    oc_per_group = out_dims->c / g.groups;
    fsum = (int32_t *)ctx->buf;
    row = (int8_t *)(fsum + out_dims->c);
    for (oc = 0; oc < out_dims->c; oc++) {
        fsum[oc] = p->input_offset * tsk_sum_s8(filter + (int64_t)oc * k, k) +
                   (bias != 0 ? bias[oc] : 0);
    }
    for (b = 0; b < in_dims->n; b++) {
        const int8_t *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            for (ox = 0; ox < out_dims->w; ox++) {
                for (grp = 0; grp < g.groups; grp++) {
                    const int8_t *r = gather_row(&g, img, oy, ox, grp, row);
                    for (oc = grp * oc_per_group; oc < (grp + 1) * oc_per_group; oc++) {
                        int32_t acc = tsk_dot_s8(r, filter + (int64_t)oc * k, k) + fsum[oc];
                        out[oc] = tsk_out_stage_apply(&os, acc, oc);
                    }
                }
                out += out_dims->c;
            }
        }
    }
    return TSK_OK;
}
