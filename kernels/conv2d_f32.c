/* kernels/conv2d_f32.c: CONV_2D float32 (TFLite reference_ops::Conv semantics: sum over the
 * taps inside the image, + bias, clamped; grouped when input C is a multiple of filter C).
 * Direct loop nest; float accumulation order is taps-then-channels like the reference.
 * Values only: no timing, no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

static tsk_status check_args(const tsk_conv_params_f32 *p, const tsk_dims *in_dims,
                             const tsk_dims *filter_dims, const tsk_dims *out_dims)
{
    if (p == 0 || in_dims == 0 || filter_dims == 0 || out_dims == 0 ||
        tsk_dims_count(in_dims) < 0 || tsk_dims_count(filter_dims) < 0 ||
        tsk_dims_count(out_dims) < 0) {
        return TSK_ERR_ARG;
    }
    if (in_dims->n != out_dims->n || filter_dims->n != out_dims->c ||
        in_dims->c % filter_dims->c != 0 || out_dims->c % (in_dims->c / filter_dims->c) != 0) {
        return TSK_ERR_ARG;
    }
    if (p->stride.h < 1 || p->stride.w < 1 || p->dilation.h < 1 || p->dilation.w < 1 ||
        !(p->act.min <= p->act.max)) {
        return TSK_ERR_ARG;
    }
    return TSK_OK;
}

/* One output value: the filter of output channel oc over the window at (y0, x0). */
static float conv_point(const tsk_conv_params_f32 *p, const tsk_dims *in_dims, const float *img,
                        const tsk_dims *fd, const float *w, int32_t y0, int32_t x0, int32_t ch0)
{
    float total = 0.0f;
    int32_t ky, kx, c;
    for (ky = 0; ky < fd->h; ky++) {
        int32_t iy = y0 + ky * p->dilation.h;
        if (iy < 0 || iy >= in_dims->h) {
            continue;
        }
        for (kx = 0; kx < fd->w; kx++) {
            int32_t ix = x0 + kx * p->dilation.w;
            const float *src;
            const float *wk = w + (ky * fd->w + kx) * fd->c;
            if (ix < 0 || ix >= in_dims->w) {
                continue;
            }
            src = img + ((int64_t)iy * in_dims->w + ix) * in_dims->c + ch0;
            for (c = 0; c < fd->c; c++) {
                total += src[c] * wk[c];
            }
        }
    }
    return total;
}

tsk_status tsk_conv2d_f32(const tsk_conv_params_f32 *p, const tsk_dims *in_dims, const float *in,
                          const tsk_dims *filter_dims, const float *filter, const float *bias,
                          const tsk_dims *out_dims, float *out)
{
    int32_t b, oy, ox, oc, k, oc_per_group;
    tsk_status st = check_args(p, in_dims, filter_dims, out_dims);
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    k = filter_dims->h * filter_dims->w * filter_dims->c;
    oc_per_group = out_dims->c / (in_dims->c / filter_dims->c);
    for (b = 0; b < out_dims->n; b++) {
        const float *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            for (ox = 0; ox < out_dims->w; ox++) {
                for (oc = 0; oc < out_dims->c; oc++) {
                    float v = conv_point(p, in_dims, img, filter_dims, filter + (int64_t)oc * k,
                                         oy * p->stride.h - p->padding.h,
                                         ox * p->stride.w - p->padding.w,
                                         (oc / oc_per_group) * filter_dims->c);
                    v += bias != 0 ? bias[oc] : 0.0f;
                    *out++ = tsk_clamp_f32(v, p->act.min, p->act.max);
                }
            }
        }
    }
    return TSK_OK;
}
