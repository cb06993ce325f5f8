/* kernels/weighted_s16.c: FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D with 16x8
 * quantization (int16 activations of zero point 0, int8 symmetric weights per channel or per
 * tensor, int64 bias), bit-exact with TFLite's reference_integer_ops FullyConnected,
 * ConvPerChannel and DepthwiseConvPerChannel for int16: the exact sum of products in an int64
 * accumulator, plus the bias, requantised by the int64 MultiplyByQuantizedMultiplier
 * (tsk_mbqm64), plus the output zero point, clamped. The loops take the dot product as a
 * parameter, so the DSP-extension variants (weighted_s16_simd.c) run the same geometry.
 * Values only: no timing, no allocation (no scratch), no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

int16_t tsk_out_s16(const tsk_quant *q, int64_t acc, int32_t oc, int32_t out_off,
                    tsk_range act)
{
    int32_t i = q->n != 1 ? oc : 0;
    int32_t v = tsk_add_wrap(tsk_mbqm64(acc, q->multiplier[i], q->shift[i]), out_off);
    return (int16_t)tsk_clamp_i32(v, act.min, act.max);
}

int64_t tsk_dot_s16(const int16_t *x, int32_t xs, const int8_t *w, int32_t ws, int32_t n)
{
    int64_t acc = 0;
    for (; n > 0; n--, x += xs, w += ws) {
        acc += (int32_t)*x * (int32_t)*w;
    }
    return acc;
}

/* The common checks: quantization table, int16 clamp range, zero input offset (TFLite
 * requires zero points 0 for int16 activations). */
static int common_ok(const tsk_quant *q, int32_t channels, const tsk_range *act,
                     int32_t input_offset)
{
    return tsk_quant_ok(q, channels) && tsk_range_ok_s16(act) && input_offset == 0;
}

static tsk_status fc_args(const tsk_fc_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                          const tsk_dims *filter_dims, const tsk_dims *out_dims)
{
    int32_t n_in, n_out, depth;
    if (p == 0 || in_dims == 0 || filter_dims == 0 || out_dims == 0) {
        return TSK_ERR_ARG;
    }
    n_in = tsk_dims_count(in_dims);
    n_out = tsk_dims_count(out_dims);
    depth = tsk_dims_count(filter_dims) < 0 ? -1 : filter_dims->h * filter_dims->w * filter_dims->c;
    if (n_in < 0 || n_out < 0 || depth < 1 || n_in % depth != 0 ||
        (int64_t)(n_in / depth) * filter_dims->n != n_out ||
        !common_ok(q, filter_dims->n, &p->act, p->input_offset) || p->filter_offset != 0) {
        return TSK_ERR_ARG;
    }
    return TSK_OK;
}

tsk_status tsk_fc_s16_run(const tsk_fc_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                          const int16_t *in, const tsk_dims *filter_dims, const int8_t *filter,
                          const int64_t *bias, const tsk_dims *out_dims, int16_t *out,
                          tsk_dot_s16_fn dot)
{
    int32_t depth, batches, b, oc;
    tsk_status st = fc_args(p, q, in_dims, filter_dims, out_dims);
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    depth = filter_dims->h * filter_dims->w * filter_dims->c;
    batches = tsk_dims_count(in_dims) / depth;
    for (b = 0; b < batches; b++) {
        const int16_t *x = in + (int64_t)b * depth;
        for (oc = 0; oc < filter_dims->n; oc++) {
            int64_t acc = dot(x, 1, filter + (int64_t)oc * depth, 1, depth);
            *out++ = tsk_out_s16(q, acc + (bias != 0 ? bias[oc] : 0), oc, p->output_offset,
                                 p->act);
        }
    }
    return TSK_OK;
}

/* The window geometry shared by conv and depthwise: for output position o along an axis, the
 * first input coordinate (origin) and the taps [*k0, *k1) that fall inside [0, in_size)
 * (TFLite's is_point_inside_image test, solved for the tap index). */
void tsk_s16_taps(int32_t o, int32_t stride, int32_t pad, int32_t dil, int32_t k,
                  int32_t in_size, int32_t *origin, int32_t *k0, int32_t *k1)
{
    int32_t org = o * stride - pad, last = in_size - 1 - org;
    *origin = org;
    *k0 = org >= 0 ? 0 : (-org + dil - 1) / dil;
    *k1 = last < 0 ? 0 : tsk_min_i32(k, last / dil + 1);
    if (*k1 < *k0) {
        *k1 = *k0;
    }
}

typedef struct s16_geom {
    tsk_hw stride, padding, dilation;
    const tsk_dims *in, *f, *out;
} s16_geom;

static int geom_ok(const s16_geom *g)
{
    return tsk_dims_count(g->in) > 0 && tsk_dims_count(g->f) > 0 && tsk_dims_count(g->out) > 0 &&
           g->in->n == g->out->n && g->stride.h >= 1 && g->stride.w >= 1 &&
           g->dilation.h >= 1 && g->dilation.w >= 1;
}

/* Sum over the taps of output (oy, ox), channel oc, of one conv filter (fw: its [KH,KW,C]). */
static int64_t conv_point(const s16_geom *g, const int16_t *img, const int8_t *fw, int32_t oy,
                          int32_t ox, tsk_dot_s16_fn dot)
{
    const int32_t c = g->in->c, kw = g->f->w;
    int32_t iy0, ix0, ky0, ky1, kx0, kx1, ky, kx;
    int64_t acc = 0;
    tsk_s16_taps(oy, g->stride.h, g->padding.h, g->dilation.h, g->f->h, g->in->h, &iy0, &ky0,
                 &ky1);
    tsk_s16_taps(ox, g->stride.w, g->padding.w, g->dilation.w, kw, g->in->w, &ix0, &kx0, &kx1);
    for (ky = ky0; ky < ky1 && kx0 < kx1; ky++) {
        const int16_t *row = img + (int64_t)(iy0 + ky * g->dilation.h) * g->in->w * c;
        const int8_t *frow = fw + (int64_t)ky * kw * c;
        if (g->dilation.w == 1) { /* the taps of a row are one contiguous run */
            acc += dot(row + (int64_t)(ix0 + kx0) * c, 1, frow + kx0 * c, 1, (kx1 - kx0) * c);
            continue;
        }
        for (kx = kx0; kx < kx1; kx++) {
            acc += dot(row + (int64_t)(ix0 + kx * g->dilation.w) * c, 1, frow + kx * c, 1, c);
        }
    }
    return acc;
}

tsk_status tsk_conv_s16_run(const tsk_conv_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                            const int16_t *in, const tsk_dims *filter_dims, const int8_t *filter,
                            const int64_t *bias, const tsk_dims *out_dims, int16_t *out,
                            tsk_dot_s16_fn dot)
{
    s16_geom g;
    int32_t b, oy, ox, oc, k;
    if (p == 0 || in_dims == 0 || filter_dims == 0 || out_dims == 0) {
        return TSK_ERR_ARG;
    }
    g = (s16_geom){p->stride, p->padding, p->dilation, in_dims, filter_dims, out_dims};
    if (!geom_ok(&g) || filter_dims->c != in_dims->c || filter_dims->n != out_dims->c ||
        !common_ok(q, out_dims->c, &p->act, p->input_offset)) {
        return TSK_ERR_ARG; /* no grouped convolution in 16x8 */
    }
    if (in == 0 || filter == 0 || out == 0) {
        return TSK_ERR_ARG;
    }
    k = filter_dims->h * filter_dims->w * filter_dims->c;
    for (b = 0; b < in_dims->n; b++) {
        const int16_t *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            for (ox = 0; ox < out_dims->w; ox++) {
                for (oc = 0; oc < out_dims->c; oc++) {
                    int64_t acc = conv_point(&g, img, filter + (int64_t)oc * k, oy, ox, dot);
                    *out++ = tsk_out_s16(q, acc + (bias != 0 ? bias[oc] : 0), oc,
                                         p->output_offset, p->act);
                }
            }
        }
    }
    return TSK_OK;
}

/* Depthwise: output channel oc reads input channel oc / ch_mult; filter [1, KH, KW, C_out]. */
static int64_t dw_point(const s16_geom *g, const int16_t *img, const int8_t *filter,
                        int32_t mult, int32_t oy, int32_t ox, int32_t oc, tsk_dot_s16_fn dot)
{
    const int32_t c = g->in->c, co = g->out->c;
    int32_t iy0, ix0, ky0, ky1, kx0, kx1, ky;
    int64_t acc = 0;
    tsk_s16_taps(oy, g->stride.h, g->padding.h, g->dilation.h, g->f->h, g->in->h, &iy0, &ky0,
                 &ky1);
    tsk_s16_taps(ox, g->stride.w, g->padding.w, g->dilation.w, g->f->w, g->in->w, &ix0, &kx0,
                 &kx1);
    for (ky = ky0; ky < ky1 && kx0 < kx1; ky++) {
        const int16_t *x = img + ((int64_t)(iy0 + ky * g->dilation.h) * g->in->w +
                                  ix0 + kx0 * g->dilation.w) * c + oc / mult;
        const int8_t *w = filter + ((int64_t)ky * g->f->w + kx0) * co + oc;
        acc += dot(x, g->dilation.w * c, w, co, kx1 - kx0);
    }
    return acc;
}

tsk_status tsk_dw_s16_args(const tsk_dw_conv_params *p, const tsk_quant *q,
                           const tsk_dims *in_dims, const void *in, const tsk_dims *filter_dims,
                           const void *filter, const tsk_dims *out_dims, const void *out)
{
    s16_geom g;
    if (p == 0 || in_dims == 0 || filter_dims == 0 || out_dims == 0) {
        return TSK_ERR_ARG;
    }
    g = (s16_geom){p->stride, p->padding, p->dilation, in_dims, filter_dims, out_dims};
    if (!geom_ok(&g) || p->ch_mult < 1 || filter_dims->n != 1 || filter_dims->c != out_dims->c ||
        (int64_t)in_dims->c * p->ch_mult != out_dims->c ||
        !common_ok(q, out_dims->c, &p->act, p->input_offset)) {
        return TSK_ERR_ARG;
    }
    return in == 0 || filter == 0 || out == 0 ? TSK_ERR_ARG : TSK_OK;
}

tsk_status tsk_dw_s16_run(const tsk_dw_conv_params *p, const tsk_quant *q,
                          const tsk_dims *in_dims, const int16_t *in, const tsk_dims *filter_dims,
                          const int8_t *filter, const int64_t *bias, const tsk_dims *out_dims,
                          int16_t *out, tsk_dot_s16_fn dot)
{
    s16_geom g;
    int32_t b, oy, ox, oc;
    tsk_status st = tsk_dw_s16_args(p, q, in_dims, in, filter_dims, filter, out_dims, out);
    if (st != TSK_OK) {
        return st;
    }
    g = (s16_geom){p->stride, p->padding, p->dilation, in_dims, filter_dims, out_dims};
    for (b = 0; b < in_dims->n; b++) {
        const int16_t *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            for (ox = 0; ox < out_dims->w; ox++) {
                for (oc = 0; oc < out_dims->c; oc++) {
                    int64_t acc = dw_point(&g, img, filter, p->ch_mult, oy, ox, oc, dot);
                    *out++ = tsk_out_s16(q, acc + (bias != 0 ? bias[oc] : 0), oc,
                                         p->output_offset, p->act);
                }
            }
        }
    }
    return TSK_OK;
}

/* The plain entry points (kernels.h). */
tsk_status tsk_fully_connected_s16(const tsk_ctx *ctx, const tsk_fc_params *p, const tsk_quant *q,
                                   const tsk_dims *in_dims, const int16_t *in,
                                   const tsk_dims *filter_dims, const int8_t *filter,
                                   const int64_t *bias, const tsk_dims *out_dims, int16_t *out)
{
    (void)ctx;
    return tsk_fc_s16_run(p, q, in_dims, in, filter_dims, filter, bias, out_dims, out,
                          tsk_dot_s16);
}

tsk_status tsk_conv2d_s16(const tsk_ctx *ctx, const tsk_conv_params *p, const tsk_quant *q,
                          const tsk_dims *in_dims, const int16_t *in, const tsk_dims *filter_dims,
                          const int8_t *filter, const int64_t *bias, const tsk_dims *out_dims,
                          int16_t *out)
{
    (void)ctx;
    return tsk_conv_s16_run(p, q, in_dims, in, filter_dims, filter, bias, out_dims, out,
                            tsk_dot_s16);
}

tsk_status tsk_depthwise_conv2d_s16(const tsk_ctx *ctx, const tsk_dw_conv_params *p,
                                    const tsk_quant *q, const tsk_dims *in_dims,
                                    const int16_t *in, const tsk_dims *filter_dims,
                                    const int8_t *filter, const int64_t *bias,
                                    const tsk_dims *out_dims, int16_t *out)
{
    (void)ctx;
    return tsk_dw_s16_run(p, q, in_dims, in, filter_dims, filter, bias, out_dims, out,
                          tsk_dot_s16);
}
