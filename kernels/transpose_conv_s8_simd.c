/* kernels/transpose_conv_s8_simd.c: TRANSPOSE_CONV int8, DSP-extension variant of
 * tsk_transpose_conv_s8 (same arguments, statuses and outputs, bit for bit). Each input pixel
 * is widened once, with the input offset added, into packed int16 pairs (SXTAB16 and its
 * ROR #8 form: channels 0/2 and 1/3 of every 4); every (filter tap, output channel) is then a
 * dot product of those pairs with the tap's weights, two SMLAD per 4 channels, two output
 * channels at a time so each pixel word is loaded once for both. The offset is inside the pairs,
 * so no filter-tap sums are needed; integer sums are exact, so the scatter order does not
 * matter. The int32 accumulators and the output stage are the plain kernel's. Values only: no
 * timing, no allocation (scratch from the caller), no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"
#include "simd_int.h"

/* Accumulators of one output image + the widened pixel (two words per 4 input channels). */
int32_t tsk_transpose_conv_s8_simd_scratch_size(const tsk_dims *in_dims,
                                                const tsk_dims *filter_dims,
                                                const tsk_dims *out_dims)
{
    int64_t acc, col;

    if (in_dims == 0 || filter_dims == 0 || out_dims == 0 || tsk_dims_count(in_dims) < 0 ||
        tsk_dims_count(filter_dims) < 0 || tsk_dims_count(out_dims) < 0)
        return -1;
    acc = (int64_t)out_dims->h * out_dims->w * out_dims->c;
    col = 2 * (((int64_t)in_dims->c + 3) / 4);
    return acc + col > INT32_MAX / 4 ? -1 : (int32_t)(4 * (acc + col));
}

/* The pixel's channels in groups of 4 as (x0 + off, x2 + off), (x1 + off, x3 + off). */
static void widen_pixel(const int8_t *px, int32_t ic, int32_t off16, int32_t *col)
{
    for (int32_t i = 0; i + 4 <= ic; i += 4, col += 2) {
        int32_t w = tsk_simd_load_s8x4(px + i);
        col[0] = tsk_simd_sxtab16(off16, w);
        col[1] = tsk_simd_sxtab16_ror8(off16, w);
    }
}

/* Adds the dot products of the widened pixel with the taps w0 (output channel oc) and w1
 * (oc + 1, when w1 is not NULL) to a[0] and a[1]; channels past the last multiple of 4 from
 * the raw pixel px. */
static TSK_SIMD_NOINLINE void dot_pair(const int32_t *col, const int8_t *px, int32_t ic,
                                       int32_t off, const int8_t *w0, const int8_t *w1,
                                       int32_t *a)
{
    int32_t s0 = 0, s1 = 0, i = 0;

    for (; i + 4 <= ic; i += 4, col += 2) {
        int32_t c0 = col[0], c1 = col[1], k0 = tsk_simd_load_s8x4(w0 + i);
        s0 = tsk_simd_smlad(c0, tsk_simd_sxtb16(k0), s0);
        s0 = tsk_simd_smlad(c1, tsk_simd_sxtb16_ror8(k0), s0);
        if (w1 != 0) {
            int32_t k1 = tsk_simd_load_s8x4(w1 + i);
            s1 = tsk_simd_smlad(c0, tsk_simd_sxtb16(k1), s1);
            s1 = tsk_simd_smlad(c1, tsk_simd_sxtb16_ror8(k1), s1);
        }
    }
    for (; i < ic; i++) {
        s0 += (px[i] + off) * w0[i];
        s1 += w1 != 0 ? (px[i] + off) * w1[i] : 0;
    }
    a[0] += s0;
    if (w1 != 0)
        a[1] += s1;
}

/* The inner loop's data: the widened pixel's words (scratch) and the input offset. */
typedef struct simd_arg {
    const tsk_dims *fd, *od;
    const int8_t *filter;
    int32_t *col;
    int32_t off;
} simd_arg;

/* Widens pixel x, then adds its contribution to every output pixel of its tap ranges. */
static void scatter_pixel(const void *arg, const tsk_tconv_pixel *x, int32_t *acc)
{
    const simd_arg *g = arg;
    const tsk_dims *fd = g->fd, *od = g->od;
    const int64_t oc_stride = (int64_t)fd->h * fd->w * fd->c;

    widen_pixel(x->px, fd->c, tsk_simd_dup16(g->off), g->col);
    for (int32_t ky = x->kr[0]; ky < x->kr[1]; ky++)
        for (int32_t kx = x->kr[2]; kx < x->kr[3]; kx++) {
            int32_t *a = acc + ((int64_t)(x->oy0 + ky) * od->w + x->ox0 + kx) * od->c;
            const int8_t *w = g->filter + ((int64_t)ky * fd->w + kx) * fd->c;
            for (int32_t oc = 0; oc < od->c; oc += 2, w += 2 * oc_stride)
                dot_pair(g->col, x->px, fd->c, g->off, w, oc + 1 < od->c ? w + oc_stride : 0,
                         a + oc);
        }
}

tsk_status tsk_transpose_conv_s8_simd(const tsk_ctx *ctx, const tsk_conv_params *p,
                                      const tsk_quant *q, const tsk_dims *in_dims,
                                      const int8_t *in, const tsk_dims *filter_dims,
                                      const int8_t *filter, const int32_t *bias,
                                      const tsk_dims *out_dims, int8_t *out)
{
    int32_t need = tsk_transpose_conv_s8_simd_scratch_size(in_dims, filter_dims, out_dims);
    tsk_status st = tsk_tconv_s8_args(p, q, in_dims, filter_dims, out_dims, need);
    int32_t *acc;

    st = st != TSK_OK ? st : tsk_scratch_check(ctx, need);
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0)
        return st != TSK_OK ? st : TSK_ERR_ARG;
    acc = (int32_t *)ctx->buf;
    const simd_arg arg = {filter_dims, out_dims, filter,
                          acc + out_dims->h * out_dims->w * out_dims->c, p->input_offset};
    tsk_tconv_s8_scatter(p, q, bias, in_dims, in, filter_dims, out_dims, acc, scatter_pixel,
                         &arg, out);
    return TSK_OK;
}
