/* kernels/max_pool_f32.c: MAX_POOL_2D float32 (TFLite reference_ops::MaxPool: maximum
 * over the window clipped to the image, clamped).
 * Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* Maximum of channel c over the input rectangle [y0,y1) x [x0,x1). */
static float window_max(const tsk_dims *in_dims, const float *img, int32_t y0, int32_t y1,
                         int32_t x0, int32_t x1, int32_t c)
{
    float m = -3.40282347e38f; /* lowest float */
    int32_t y, x;
    for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) {
            float v = img[((int64_t)y * in_dims->w + x) * in_dims->c + c];
            m = v > m ? v : m;
        }
    }
    return m;
}

tsk_status tsk_max_pool_f32(const tsk_pool_params_f32 *p, const tsk_dims *in_dims,
                            const float *in, const tsk_dims *out_dims, float *out)
{
    int32_t b, oy, ox, c, y0, y1, x0, x1;
    if (p == 0 || in == 0 || out == 0 || !(p->act.min <= p->act.max) ||
        tsk_pool_check(p->stride, p->padding, p->filter, in_dims, out_dims) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    for (b = 0; b < out_dims->n; b++) {
        const float *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            tsk_pool_range(oy, p->stride.h, p->padding.h, p->filter.h, in_dims->h, &y0, &y1);
            for (ox = 0; ox < out_dims->w; ox++) {
                tsk_pool_range(ox, p->stride.w, p->padding.w, p->filter.w, in_dims->w, &x0, &x1);
                for (c = 0; c < out_dims->c; c++) {
                    float v = window_max(in_dims, img, y0, y1, x0, x1, c);
                    *out++ = tsk_clamp_f32(v, p->act.min, p->act.max);
                }
            }
        }
    }
    return TSK_OK;
}
