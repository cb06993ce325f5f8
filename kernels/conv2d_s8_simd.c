/* kernels/conv2d_s8_simd.c: CONV_2D int8 for cores with the DSP extension (Cortex-M4/M7/M33),
 * bit-identical to tsk_conv2d_s8 (same parameters, statuses and outputs). CMSIS-NN structure:
 * per pair of output pixels, the receptive fields are gathered (int8) and widened into an
 * int16 im2col buffer with the input offset added (SXTAB16; padding becomes 0); the mat-mult
 * core then computes 2 output channels x 2 pixels per pass, expanding each packed int8 weight
 * word with SXTB16 / SXTB16 ROR 8 once and feeding it to 4 SMLADs, so every loaded word is
 * used twice. The im2col words are stored in the order SXTB16 produces (even taps, odd taps),
 * which saves re-packing the weights. Requantisation happens once per output, outside the MAC
 * loop. On cores without DSP (host, M0+/M3) simd_int.h emulates the instructions in C: same
 * values, no speed-up (the engine does not pick this kernel there).
 * Values only: no timing, no allocation (scratch from the caller), no float, no I/O. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"
#include "simd_int.h"

/* int32 words of one widened im2col column of k values: 2 per group of 4 (the even and the
 * odd int16 pair), 1 per leftover value. */
static int64_t col_words(int64_t k)
{
    return (k / 4) * 2 + k % 4;
}

int32_t tsk_conv2d_s8_simd_scratch_size(const tsk_dims *in_dims,
                                        const tsk_dims *filter_dims,
                                        const tsk_dims *out_dims)
{
    int64_t k, bytes;
    if (in_dims == 0 || filter_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(filter_dims) < 0 || tsk_dims_count(out_dims) < 0) {
        return -1;
    }
    k = (int64_t)filter_dims->h * filter_dims->w * filter_dims->c;
    bytes = 4 * 2 * col_words(k) + ((k + 3) & ~(int64_t)3); /* 2 columns + int8 staging row */
    return bytes > INT32_MAX ? -1 : (int32_t)bytes;
}

static tsk_status check_args(const tsk_ctx *ctx,
                             const tsk_conv_params *p,
                             const tsk_quant *q,
                             const tsk_dims *in_dims,
                             const tsk_dims *filter_dims,
                             const tsk_dims *out_dims)
{
    int32_t need = tsk_conv2d_s8_simd_scratch_size(in_dims, filter_dims, out_dims);
    tsk_status st = tsk_conv_s8_args(p, q, in_dims, filter_dims, out_dims, need);
    return st != TSK_OK ? st : tsk_scratch_check(ctx, need);
}

/* Everything one call needs, shared by the helpers. */
typedef struct conv_call {
    const tsk_dims *in;
    const tsk_dims *f;
    const tsk_dims *out;
    const tsk_conv_params *p;
    const int8_t *filter; /* [C_out, K] rows */
    int32_t k;            /* filter H * W * C: length of a filter row and an im2col column */
    int32_t groups;
    int8_t pad_value; /* input zero point: widened to 0 by the input offset */
    tsk_out_stage os; /* bias, requantisation, offset, clamp (mac_channels keeps a copy) */
} conv_call;

/* Copies one filter row (KW taps of filter C channels) of input row in_row into dst. */
static void
gather_taps(const conv_call *c, const int8_t *in_row, int32_t x0, int32_t ch0, int8_t *dst)
{
    const int32_t cf = c->f->c;
    int32_t kx;
    if (c->groups == 1 && c->p->dilation.w == 1) { /* contiguous run: pad | copy | pad */
        int32_t lo = tsk_clamp_i32(-x0, 0, c->f->w);
        int32_t hi = tsk_clamp_i32(c->in->w - x0, lo, c->f->w);
        memset(dst, c->pad_value, (size_t)(lo * cf));
        memcpy(dst + lo * cf, in_row + (x0 + lo) * cf, (size_t)((hi - lo) * cf));
        memset(dst + hi * cf, c->pad_value, (size_t)((c->f->w - hi) * cf));
        return;
    }
    for (kx = 0; kx < c->f->w; kx++) {
        int32_t ix = x0 + kx * c->p->dilation.w;
        if (ix >= 0 && ix < c->in->w) {
            memcpy(dst + kx * cf, in_row + ix * c->in->c + ch0, (size_t)cf);
        } else {
            memset(dst + kx * cf, c->pad_value, (size_t)cf);
        }
    }
}

/* The int8 receptive field [KH, KW, Cf] of flat output pixel `pix` (over N*H_out*W_out),
 * group `grp`: a pointer into the input for an inside 1x1 conv, else gathered into `stage`. */
static const int8_t *
gather_row(const conv_call *c, const int8_t *in, int32_t pix, int32_t grp, int8_t *stage)
{
    const int32_t per_img = c->out->h * c->out->w;
    const int32_t oy = (pix % per_img) / c->out->w;
    const int32_t y0 = oy * c->p->stride.h - c->p->padding.h;
    const int32_t x0 = (pix % c->out->w) * c->p->stride.w - c->p->padding.w;
    const int32_t taps_bytes = c->f->w * c->f->c;
    const int8_t *img = in + (int64_t)(pix / per_img) * c->in->h * c->in->w * c->in->c;
    int32_t ky;
    if (c->f->h == 1 && c->f->w == 1 && c->groups == 1 && y0 >= 0 && y0 < c->in->h && x0 >= 0 &&
        x0 < c->in->w) {
        return img + ((int64_t)y0 * c->in->w + x0) * c->in->c; /* 1x1: the pixel itself */
    }
    for (ky = 0; ky < c->f->h; ky++) {
        int32_t iy = y0 + ky * c->p->dilation.h;
        if (iy < 0 || iy >= c->in->h) {
            memset(stage + ky * taps_bytes, c->pad_value, (size_t)taps_bytes);
        } else {
            gather_taps(c, img + (int64_t)iy * c->in->w * c->in->c, x0, grp * c->f->c,
                        stage + ky * taps_bytes);
        }
    }
    return stage;
}

/* Widens k int8 values + offset into column `col` (0 or 1) of the interleaved im2col pair:
 * group g of 4 values -> cols[4g + 2col] = (x0, x2), cols[4g + 2col + 1] = (x1, x3) as int16
 * pairs (SXTB16 order); leftover t -> cols[4 * (k / 4) + 2t + col] as a plain int32. */
static void widen_column(const int8_t *src, int32_t k, int32_t offset, int32_t col, int32_t *cols)
{
    const int32_t off2 = tsk_simd_dup16(offset);
    int32_t *dst = cols + 2 * col;
    int32_t i;
    for (i = 0; i + 4 <= k; i += 4) {
        int32_t x = tsk_simd_load_s8x4(src + i);
        dst[0] = tsk_simd_sxtab16(off2, x);
        dst[1] = tsk_simd_sxtab16_ror8(off2, x);
        dst += 4;
    }
    dst = cols + 4 * (k / 4) + col;
    for (; i < k; i++) {
        *dst = (int32_t)src[i] + offset;
        dst += 2;
    }
}

/* acc[2r + c] = row r of weights (w0, w1) . column c of the im2col pair, for r, c in {0, 1}.
 * Per 4 taps: 2 weight loads + 4 SXTB16, 4 column loads, 8 SMLAD. */
static void
mac_2x2(const int8_t *w0, const int8_t *w1, const int32_t *cols, int32_t k, int32_t acc[4])
{
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
    int32_t n, t;
    for (n = k >> 2; n > 0; n--) {
        int32_t wa = tsk_simd_load_s8x4(w0);
        int32_t wb = tsk_simd_load_s8x4(w1);
        int32_t wa_e = tsk_simd_sxtb16(wa), wa_o = tsk_simd_sxtb16_ror8(wa);
        int32_t wb_e = tsk_simd_sxtb16(wb), wb_o = tsk_simd_sxtb16_ror8(wb);
        a00 = tsk_simd_smlad(wa_e, cols[0], a00);
        a10 = tsk_simd_smlad(wb_e, cols[0], a10);
        a00 = tsk_simd_smlad(wa_o, cols[1], a00);
        a10 = tsk_simd_smlad(wb_o, cols[1], a10);
        a01 = tsk_simd_smlad(wa_e, cols[2], a01);
        a11 = tsk_simd_smlad(wb_e, cols[2], a11);
        a01 = tsk_simd_smlad(wa_o, cols[3], a01);
        a11 = tsk_simd_smlad(wb_o, cols[3], a11);
        w0 += 4;
        w1 += 4;
        cols += 4;
    }
    for (t = 0; t < (k & 3); t++) {
        a00 = tsk_add_wrap(a00, (int32_t)w0[t] * cols[2 * t]);
        a01 = tsk_add_wrap(a01, (int32_t)w0[t] * cols[2 * t + 1]);
        a10 = tsk_add_wrap(a10, (int32_t)w1[t] * cols[2 * t]);
        a11 = tsk_add_wrap(a11, (int32_t)w1[t] * cols[2 * t + 1]);
    }
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
}

/* mac_2x2 for a single weight row (odd channel count): acc[c] = w0 . column c. */
static void mac_1x2(const int8_t *w0, const int32_t *cols, int32_t k, int32_t acc[2])
{
    int32_t a0 = 0, a1 = 0;
    int32_t n, t;
    for (n = k >> 2; n > 0; n--) {
        int32_t wa = tsk_simd_load_s8x4(w0);
        int32_t wa_e = tsk_simd_sxtb16(wa), wa_o = tsk_simd_sxtb16_ror8(wa);
        a0 = tsk_simd_smlad(wa_e, cols[0], a0);
        a0 = tsk_simd_smlad(wa_o, cols[1], a0);
        a1 = tsk_simd_smlad(wa_e, cols[2], a1);
        a1 = tsk_simd_smlad(wa_o, cols[3], a1);
        w0 += 4;
        cols += 4;
    }
    for (t = 0; t < (k & 3); t++) {
        a0 = tsk_add_wrap(a0, (int32_t)w0[t] * cols[2 * t]);
        a1 = tsk_add_wrap(a1, (int32_t)w0[t] * cols[2 * t + 1]);
    }
    acc[0] = a0;
    acc[1] = a1;
}

/* Output channels [oc0, oc1) of both pixels of the im2col pair, 2 channels at a time. */
static void mac_channels(
    const conv_call *c, const int32_t *cols, int32_t oc0, int32_t oc1, int8_t *out_a, int8_t *out_b)
{
    const tsk_out_stage os = c->os;
    int32_t acc[4];
    int32_t oc;
    for (oc = oc0; oc + 2 <= oc1; oc += 2) {
        const int8_t *w = c->filter + (int64_t)oc * c->k;
        mac_2x2(w, w + c->k, cols, c->k, acc);
        out_a[oc] = tsk_out_stage_apply(&os, acc[0], oc);
        out_b[oc] = tsk_out_stage_apply(&os, acc[1], oc);
        out_a[oc + 1] = tsk_out_stage_apply(&os, acc[2], oc + 1);
        out_b[oc + 1] = tsk_out_stage_apply(&os, acc[3], oc + 1);
    }
    if (oc < oc1) {
        mac_1x2(c->filter + (int64_t)oc * c->k, cols, c->k, acc);
        out_a[oc] = tsk_out_stage_apply(&os, acc[0], oc);
        out_b[oc] = tsk_out_stage_apply(&os, acc[1], oc);
    }
}

tsk_status tsk_conv2d_s8_simd(const tsk_ctx *ctx,
                              const tsk_conv_params *p,
                              const tsk_quant *q,
                              const tsk_dims *in_dims,
                              const int8_t *in,
                              const tsk_dims *filter_dims,
                              const int8_t *filter,
                              const int32_t *bias,
                              const tsk_dims *out_dims,
                              int8_t *out)
{
    conv_call c;
    int32_t *cols;
    int8_t *stage;
    int32_t n_pix, per_group, pix, grp;
    tsk_status st = check_args(ctx, p, q, in_dims, filter_dims, out_dims);
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    c.in = in_dims;
    c.f = filter_dims;
    c.out = out_dims;
    c.p = p;
    c.filter = filter;
    c.os = tsk_out_stage_make(q, bias, p->output_offset, p->act, p->rounding);
    c.k = filter_dims->h * filter_dims->w * filter_dims->c;
    c.groups = in_dims->c / filter_dims->c;
    c.pad_value = (int8_t)(-p->input_offset);
    per_group = out_dims->c / c.groups;
    cols = (int32_t *)ctx->buf;
    stage = (int8_t *)(cols + 2 * col_words(c.k));
    n_pix = out_dims->n * out_dims->h * out_dims->w;
    for (pix = 0; pix < n_pix; pix += 2) {
        /* An odd last pixel is paired with itself: both halves write the same values. */
        int32_t pix_b = pix + 1 < n_pix ? pix + 1 : pix;
        for (grp = 0; grp < c.groups; grp++) {
            widen_column(gather_row(&c, in, pix, grp, stage), c.k, p->input_offset, 0, cols);
            widen_column(gather_row(&c, in, pix_b, grp, stage), c.k, p->input_offset, 1, cols);
            mac_channels(&c, cols, grp * per_group, (grp + 1) * per_group,
                         out + (int64_t)pix * out_dims->c, out + (int64_t)pix_b * out_dims->c);
        }
    }
    return TSK_OK;
}
