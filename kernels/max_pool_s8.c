/* kernels/max_pool_s8.c: MAX_POOL_2D int8, bit-exact with TFLite reference_integer_ops::
 * MaxPool: maximum over the window clipped to the image, then clamped to the activation range.
 * Values only: no allocation, no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

enum { CHUNK = 64 }; /* channels reduced per pass (stack accumulators) */

/* Max of channels [c0, c0 + n) of one window into out. */
static void max_chunk(const tsk_pool_params *p, const tsk_dims *in_dims, const int8_t *img,
                      int32_t y0, int32_t y1, int32_t x0, int32_t x1, int32_t c0, int32_t n,
                      int8_t *out)
{
    int8_t m[CHUNK];
    int32_t y, x, c;
    for (c = 0; c < n; c++) {
        m[c] = INT8_MIN;
    }
    for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) {
            const int8_t *src = img + ((int64_t)y * in_dims->w + x) * in_dims->c + c0;
            for (c = 0; c < n; c++) {
                m[c] = src[c] > m[c] ? src[c] : m[c];
            }
        }
    }
    for (c = 0; c < n; c++) {
        out[c] = (int8_t)tsk_clamp_i32(m[c], p->act.min, p->act.max);
    }
}

tsk_status tsk_max_pool_s8(const tsk_pool_params *p, const tsk_dims *in_dims, const int8_t *in,
                           const tsk_dims *out_dims, int8_t *out)
{
    int32_t b, oy, ox, c0, y0, y1, x0, x1;
    if (p == 0 || in == 0 || out == 0 || !tsk_range_ok_s8(&p->act) ||
        tsk_pool_check(p->stride, p->padding, p->filter, in_dims, out_dims) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    for (b = 0; b < out_dims->n; b++) {
        const int8_t *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            tsk_pool_range(oy, p->stride.h, p->padding.h, p->filter.h, in_dims->h, &y0, &y1);
            for (ox = 0; ox < out_dims->w; ox++) {
                tsk_pool_range(ox, p->stride.w, p->padding.w, p->filter.w, in_dims->w, &x0, &x1);
                for (c0 = 0; c0 < out_dims->c; c0 += CHUNK) {
                    max_chunk(p, in_dims, img, y0, y1, x0, x1, c0,
                              tsk_min_i32(CHUNK, out_dims->c - c0), out + c0);
                }
                out += out_dims->c;
            }
        }
    }
    return TSK_OK;
}
