/* kernels/depthwise_conv2d_s8_simd.c: DEPTHWISE_CONV_2D int8 for cores with the DSP extension
 * (Cortex-M4/M7/M33), bit-identical to tsk_depthwise_conv2d_s8 (same parameters, statuses and
 * outputs). Per output pixel the window is clipped to the image once and its inside taps are
 * listed in scratch as (input offset, filter offset) pairs; blocks of 4 output channels then
 * run a flat loop over that list with their 4 accumulators in registers (no per-row set-up,
 * no bounds tests, no accumulator loads/stores). Per tap, one word of 4 input bytes is widened
 * with the input offset by SXTAB16 / SXTAB16 ROR 8 and one word of 4 weights by SXTB16 /
 * SXTB16 ROR 8; the matching halfwords meet in SMLABB / SMLATT (one 16x16 MAC each: in a
 * depthwise layer the two products a dual SMLAD would sum belong to different output channels,
 * and re-pairing taps costs more PKHBT/PKHTB than it saves). No im2col (it would not be reused
 * across output channels). With depth multiplier > 1 the 4 input bytes of a block are gathered.
 * On cores without DSP simd_int.h emulates the instructions in C (same values, slow).
 * Values only: no timing, no allocation (scratch from the caller), no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"
#include "simd_int.h"

int32_t tsk_depthwise_conv2d_s8_simd_scratch_size(const tsk_dims *in_dims,
                                                  const tsk_dims *filter_dims,
                                                  const tsk_dims *out_dims)
{
    int64_t bytes;
    if (in_dims == 0 || filter_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(filter_dims) < 0 || tsk_dims_count(out_dims) < 0) {
        return -1;
    }
    bytes = 8 * (int64_t)filter_dims->h * filter_dims->w; /* one offset pair per tap */
    return bytes > INT32_MAX ? -1 : (int32_t)bytes;
}

static tsk_status check_args(const tsk_ctx *ctx,
                             const tsk_dw_conv_params *p,
                             const tsk_quant *q,
                             const tsk_dims *in_dims,
                             const tsk_dims *filter_dims,
                             const tsk_dims *out_dims)
{
    int32_t need = tsk_depthwise_conv2d_s8_simd_scratch_size(in_dims, filter_dims, out_dims);
    tsk_status st = tsk_dw_s8_args(p, q, in_dims, filter_dims, out_dims, need);
    return st != TSK_OK ? st : tsk_scratch_check(ctx, need);
}

/* Everything one call needs, shared by the helpers. */
typedef struct dw_call {
    const tsk_dims *in;
    const tsk_dims *f;
    const tsk_dw_conv_params *p;
    const int8_t *filter; /* [KH, KW, C_out] */
    int32_t *taps;        /* scratch: per inside tap, input offset (bytes from the image) and
                           * filter offset (bytes from filter), both of channel 0 */
    tsk_out_stage os;     /* bias, requantisation, offset, clamp (dw_pixel keeps a copy) */
} dw_call;

/* Taps [*lo, *hi) of a k-tap window starting at `origin` (step `dil`) that fall in [0, size). */
static void
clip_taps(int32_t origin, int32_t dil, int32_t k, int32_t size, int32_t *lo, int32_t *hi)
{
    *lo = origin < 0 ? tsk_min_i32((-origin + dil - 1) / dil, k) : 0;
    *hi = origin >= size ? *lo : tsk_max_i32(tsk_min_i32((size - 1 - origin) / dil + 1, k), *lo);
}

/* Lists the inside taps of the window of output pixel (oy, ox) in c->taps; returns their
 * count. Offsets fit int32: they index the image and the filter, both counted in int32. */
static int32_t list_taps(const dw_call *c, int32_t oy, int32_t ox)
{
    const tsk_dw_conv_params *p = c->p;
    const int32_t y0 = oy * p->stride.h - p->padding.h, x0 = ox * p->stride.w - p->padding.w;
    int32_t ky_lo, ky_hi, kx_lo, kx_hi, ky, kx, n = 0;
    clip_taps(y0, p->dilation.h, c->f->h, c->in->h, &ky_lo, &ky_hi);
    clip_taps(x0, p->dilation.w, c->f->w, c->in->w, &kx_lo, &kx_hi);
    for (ky = ky_lo; ky < ky_hi; ky++) {
        const int32_t row = (y0 + ky * p->dilation.h) * c->in->w;
        for (kx = kx_lo; kx < kx_hi; kx++) {
            c->taps[2 * n] = (row + x0 + kx * p->dilation.w) * c->in->c;
            c->taps[2 * n + 1] = (ky * c->f->w + kx) * c->f->c;
            n++;
        }
    }
    return n;
}

/* The 4 MACs of one tap: acc[j] += w byte j * (x byte j + offset), j = 0..3; the even bytes
 * meet in the bottom halfwords, the odd bytes in the top ones. */
static inline void
mac_tap4(int32_t x, int32_t w, int32_t off2, int32_t *a0, int32_t *a1, int32_t *a2, int32_t *a3)
{
    int32_t x_e = tsk_simd_sxtab16(off2, x), x_o = tsk_simd_sxtab16_ror8(off2, x);
    int32_t w_e = tsk_simd_sxtb16(w), w_o = tsk_simd_sxtb16_ror8(w);
    *a0 = tsk_simd_smlabb(w_e, x_e, *a0);
    *a2 = tsk_simd_smlatt(w_e, x_e, *a2);
    *a1 = tsk_simd_smlabb(w_o, x_o, *a1);
    *a3 = tsk_simd_smlatt(w_o, x_o, *a3);
}

/* acc[j] = sum over the n listed taps t of w[t.w + j] * (x[t.x + j] + off), j = 0..3, with x
 * and w pointing at channel oc of the image and the filter (depth multiplier 1). Kept out of
 * line so that its accumulators, pointers and counter all stay in registers. */
TSK_SIMD_NOINLINE static void mac_block4(
    const int32_t *taps, int32_t n, const int8_t *x, const int8_t *w, int32_t off2, int32_t acc[4])
{
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (; n > 0; n--) {
        mac_tap4(tsk_simd_load_s8x4(x + taps[0]), tsk_simd_load_s8x4(w + taps[1]), off2, &a0, &a1,
                 &a2, &a3);
        taps += 2;
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* mac_block4 for depth multiplier > 1: output channel oc + j reads input channel
 * (oc + j) / ch_mult, so the 4 input bytes of each tap are gathered into a word first. */
static void
mac_block4_mult(const dw_call *c, int32_t n, const int8_t *img, int32_t oc, int32_t acc[4])
{
    const int32_t off2 = tsk_simd_dup16(c->p->input_offset);
    const int32_t *taps = c->taps;
    int32_t ic[4];
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, j;
    for (j = 0; j < 4; j++) {
        ic[j] = (oc + j) / c->p->ch_mult;
    }
    for (; n > 0; n--) {
        const int8_t *px = img + taps[0];
        uint32_t x = (uint32_t)(uint8_t)px[ic[0]] | (uint32_t)(uint8_t)px[ic[1]] << 8 |
                     (uint32_t)(uint8_t)px[ic[2]] << 16 | (uint32_t)(uint8_t)px[ic[3]] << 24;
        mac_tap4((int32_t)x, tsk_simd_load_s8x4(c->filter + taps[1] + oc), off2, &a0, &a1, &a2,
                 &a3);
        taps += 2;
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* One output channel (the C_out % 4 leftovers), plain MACs over the tap list. */
static int32_t mac_one(const dw_call *c, int32_t n, const int8_t *img, int32_t oc)
{
    const int8_t *x = img + oc / c->p->ch_mult, *w = c->filter + oc;
    const int32_t *taps = c->taps;
    int32_t acc = 0;
    for (; n > 0; n--) {
        acc = tsk_add_wrap(acc, (int32_t)w[taps[1]] * ((int32_t)x[taps[0]] + c->p->input_offset));
        taps += 2;
    }
    return acc;
}

/* Every output channel of pixel (oy, ox) of batch image img. */
static void dw_pixel(const dw_call *c, const int8_t *img, int32_t oy, int32_t ox, int8_t *out)
{
    const int32_t c_out = c->f->c, off2 = tsk_simd_dup16(c->p->input_offset);
    const int32_t n = list_taps(c, oy, ox);
    const tsk_out_stage os = c->os;
    int32_t acc[4];
    int32_t oc, j;
    for (oc = 0; oc + 4 <= c_out; oc += 4) {
        if (c->p->ch_mult == 1) {
            mac_block4(c->taps, n, img + oc, c->filter + oc, off2, acc);
        } else {
            mac_block4_mult(c, n, img, oc, acc);
        }
        for (j = 0; j < 4; j++) {
            out[oc + j] = tsk_out_stage_apply(&os, acc[j], oc + j);
        }
    }
    for (; oc < c_out; oc++) {
        out[oc] = tsk_out_stage_apply(&os, mac_one(c, n, img, oc), oc);
    }
}

tsk_status tsk_depthwise_conv2d_s8_simd(const tsk_ctx *ctx,
                                        const tsk_dw_conv_params *p,
                                        const tsk_quant *q,
                                        const tsk_dims *in_dims,
                                        const int8_t *in,
                                        const tsk_dims *filter_dims,
                                        const int8_t *filter,
                                        const int32_t *bias,
                                        const tsk_dims *out_dims,
                                        int8_t *out)
{
    dw_call c;
    int32_t b, oy, ox;
    tsk_status st = check_args(ctx, p, q, in_dims, filter_dims, out_dims);
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    c.in = in_dims;
    c.f = filter_dims;
    c.p = p;
    c.filter = filter;
    c.taps = (int32_t *)ctx->buf;
    c.os = tsk_out_stage_make(q, bias, p->output_offset, p->act, p->rounding);
    for (b = 0; b < out_dims->n; b++) {
        const int8_t *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            for (ox = 0; ox < out_dims->w; ox++) {
                dw_pixel(&c, img, oy, ox, out);
                out += out_dims->c;
            }
        }
    }
    return TSK_OK;
}
