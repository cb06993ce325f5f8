/* kernels/weighted_s16_simd.c: the 16x8 FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D for
 * cores with the DSP extension (Cortex-M4/M7/M33), bit-identical to the plain kernels of
 * weighted_s16.c (same loops, arguments, statuses and outputs): only the dot product differs.
 * int16 activations are already halfword pairs, so SMLAD takes them as loaded (one LDR per
 * two inputs); four int8 weights are widened by SXTB16 / SXTB16 ROR 8 and put back in input
 * order by PKHBT / PKHTB. SMLAD accumulates in 32 bits: each product is at most 2^22 in
 * magnitude (|x| <= 2^15, |w| <= 2^7), so a block of 128 SMLADs (256 products) sums exactly
 * below 2^30 and is then added to the int64 total, which equals the plain kernels' int64 sum.
 * Depthwise keeps channels apart, so SMLAD's sum of two products does not apply there: with
 * multiplier 1 and an even channel count two adjacent channels share one input word and one
 * SXTB16-widened weight pair, accumulated by SMLABB / SMLATT (32 bits, at most 511 taps); other
 * depthwise shapes run the plain loop. On cores without DSP simd_int.h emulates the
 * instructions in C (same values, slow).
 * Values only: no timing, no allocation (no scratch), no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"
#include "simd_int.h"

#define BLOCK_PAIRS 128 /* SMLADs per 32-bit partial sum: 128 * 2 * 2^22 = 2^30 < 2^31 */

/* Contiguous runs (xs = ws = 1): four products per iteration, two SMLADs. */
static TSK_SIMD_NOINLINE int64_t dot_run(const int16_t *x, const int8_t *w, int32_t n)
{
    int64_t total = 0;
    int32_t left = n >> 2, blk, t;
    while (left > 0) {
        int32_t acc = 0;
        blk = left > BLOCK_PAIRS / 2 ? BLOCK_PAIRS / 2 : left;
        left -= blk;
        for (; blk > 0; blk--) {
            int32_t w4 = tsk_simd_load_s8x4(w);
            int32_t even = tsk_simd_sxtb16(w4), odd = tsk_simd_sxtb16_ror8(w4);
            acc = tsk_simd_smlad(tsk_simd_load_s16x2(x), tsk_simd_pkhbt(even, odd), acc);
            acc = tsk_simd_smlad(tsk_simd_load_s16x2(x + 2), tsk_simd_pkhtb(even, odd), acc);
            x += 4;
            w += 4;
        }
        total += acc;
    }
    for (t = 0; t < (n & 3); t++) {
        total += (int32_t)x[t] * (int32_t)w[t];
    }
    return total;
}

/* FC and conv read contiguous runs only (xs = ws = 1). */
static int64_t dot_simd(const int16_t *x, int32_t xs, const int8_t *w, int32_t ws, int32_t n)
{
    (void)xs;
    (void)ws;
    return dot_run(x, w, n);
}

/* Depthwise, channels c and c+1 at one output position: nky x nkx taps, the input pair one word
 * (x: first tap, x_row / x_tap: halfwords to the next row / tap), the weight pair two bytes
 * widened by SXTB16 (w: first tap, w_row / co: bytes to the next row / tap); SMLABB and SMLATT
 * accumulate each channel on its own in 32 bits (the caller keeps nky * nkx <= 511 taps of at
 * most 2^22: below 2^31). */
static TSK_SIMD_NOINLINE void dw_pair(const int16_t *x, int32_t x_row, int32_t x_tap,
                                      const int8_t *w, int32_t w_row, int32_t co, int32_t nky,
                                      int32_t nkx, int32_t acc[2])
{
    int32_t a0 = 0, a1 = 0, ky, kx;
    for (ky = 0; ky < nky; ky++, x += x_row, w += w_row) {
        const int16_t *xp = x;
        const int8_t *wp = w;
        for (kx = 0; kx < nkx; kx++, xp += x_tap, wp += co) {
            int32_t xv = tsk_simd_load_s16x2(xp);
            int32_t wv = tsk_simd_sxtb16(
                (int32_t)((uint32_t)(uint8_t)wp[0] | ((uint32_t)(uint8_t)wp[1] << 16)));
            a0 = tsk_simd_smlabb(xv, wv, a0);
            a1 = tsk_simd_smlatt(xv, wv, a1);
        }
    }
    acc[0] = a0;
    acc[1] = a1;
}

/* Depthwise multiplier 1 with an even channel count: channel pairs through dw_pair. */
static void dw_pairs(const tsk_dw_conv_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                     const int16_t *img, const tsk_dims *f, const int8_t *filter,
                     const int64_t *bias, int32_t oy, int32_t ox, int16_t *out)
{
    const int32_t c = in_dims->c, w_in = in_dims->w;
    int32_t iy0, ix0, ky0, ky1, kx0, kx1, ch, acc[2] = {0, 0};
    const int16_t *x;
    const int8_t *w;
    tsk_s16_taps(oy, p->stride.h, p->padding.h, p->dilation.h, f->h, in_dims->h, &iy0, &ky0,
                 &ky1);
    tsk_s16_taps(ox, p->stride.w, p->padding.w, p->dilation.w, f->w, w_in, &ix0, &kx0, &kx1);
    x = img + ((int64_t)(iy0 + ky0 * p->dilation.h) * w_in + ix0 + kx0 * p->dilation.w) * c;
    w = filter + ((int64_t)ky0 * f->w + kx0) * c;
    for (ch = 0; ch < c; ch += 2) {
        if (ky0 < ky1 && kx0 < kx1) {
            dw_pair(x + ch, p->dilation.h * w_in * c, p->dilation.w * c, w + ch, f->w * c, c,
                    ky1 - ky0, kx1 - kx0, acc);
        }
        out[ch] = tsk_out_s16(q, acc[0] + (bias != 0 ? bias[ch] : 0), ch, p->output_offset,
                              p->act);
        out[ch + 1] = tsk_out_s16(q, acc[1] + (bias != 0 ? bias[ch + 1] : 0), ch + 1,
                                  p->output_offset, p->act);
    }
}

tsk_status tsk_fully_connected_s16_simd(const tsk_ctx *ctx, const tsk_fc_params *p,
                                        const tsk_quant *q, const tsk_dims *in_dims,
                                        const int16_t *in, const tsk_dims *filter_dims,
                                        const int8_t *filter, const int64_t *bias,
                                        const tsk_dims *out_dims, int16_t *out)
{
    (void)ctx;
    return tsk_fc_s16_run(p, q, in_dims, in, filter_dims, filter, bias, out_dims, out, dot_simd);
}

tsk_status tsk_conv2d_s16_simd(const tsk_ctx *ctx, const tsk_conv_params *p, const tsk_quant *q,
                               const tsk_dims *in_dims, const int16_t *in,
                               const tsk_dims *filter_dims, const int8_t *filter,
                               const int64_t *bias, const tsk_dims *out_dims, int16_t *out)
{
    (void)ctx;
    return tsk_conv_s16_run(p, q, in_dims, in, filter_dims, filter, bias, out_dims, out,
                            dot_simd);
}

tsk_status tsk_depthwise_conv2d_s16_simd(const tsk_ctx *ctx, const tsk_dw_conv_params *p,
                                         const tsk_quant *q, const tsk_dims *in_dims,
                                         const int16_t *in, const tsk_dims *filter_dims,
                                         const int8_t *filter, const int64_t *bias,
                                         const tsk_dims *out_dims, int16_t *out)
{
    int32_t b, oy, ox;
    tsk_status st = tsk_dw_s16_args(p, q, in_dims, in, filter_dims, filter, out_dims, out);
    (void)ctx;
    if (st != TSK_OK) {
        return st;
    }
    if (p->ch_mult != 1 || (in_dims->c & 1) != 0 ||
        (int64_t)filter_dims->h * filter_dims->w > 511) { /* the plain loop */
        return tsk_dw_s16_run(p, q, in_dims, in, filter_dims, filter, bias, out_dims, out,
                              tsk_dot_s16);
    }
    for (b = 0; b < in_dims->n; b++) {
        const int16_t *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            for (ox = 0; ox < out_dims->w; ox++, out += out_dims->c) {
                dw_pairs(p, q, in_dims, img, filter_dims, filter, bias, oy, ox, out);
            }
        }
    }
    return TSK_OK;
}
