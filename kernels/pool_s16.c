/* kernels/pool_s16.c: AVERAGE_POOL_2D and MAX_POOL_2D with int16 activations (16x8), bit-exact
 * with TFLite reference_integer_ops AveragePool / MaxPool for int16: the window clipped to the
 * image; the average divides the sum by the clipped count rounding half away from zero; then
 * the activation clamp. Input and output share quantisation. One loop serves both (lean
 * firmware). Values only: no allocation, no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* Channel c over rows [y0, y1) and columns [x0, x1) of one image: the maximum, or the average. */
static int32_t window_value(const tsk_dims *d, const int16_t *img, int32_t y0, int32_t y1,
                            int32_t x0, int32_t x1, int32_t c, int is_max)
{
    int32_t acc = is_max ? INT16_MIN : 0, count = (y1 - y0) * (x1 - x0), y, x;
    for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) {
            int32_t v = img[((int64_t)y * d->w + x) * d->c + c];
            acc = is_max ? tsk_max_i32(acc, v) : acc + v;
        }
    }
    if (is_max) {
        return acc;
    }
    return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}

static tsk_status pool_s16(const tsk_pool_params *p, const tsk_dims *in_dims, const int16_t *in,
                           const tsk_dims *out_dims, int16_t *out, int is_max)
{
    int32_t b, oy, ox, c, y0, y1, x0, x1;
    if (p == 0 || in == 0 || out == 0 || !tsk_range_ok_s16(&p->act) ||
        tsk_pool_check(p->stride, p->padding, p->filter, in_dims, out_dims) != TSK_OK) {
        return TSK_ERR_ARG;
    }
    for (b = 0; b < out_dims->n; b++) {
        const int16_t *img = in + (int64_t)b * in_dims->h * in_dims->w * in_dims->c;
        for (oy = 0; oy < out_dims->h; oy++) {
            tsk_pool_range(oy, p->stride.h, p->padding.h, p->filter.h, in_dims->h, &y0, &y1);
            for (ox = 0; ox < out_dims->w; ox++) {
                tsk_pool_range(ox, p->stride.w, p->padding.w, p->filter.w, in_dims->w, &x0, &x1);
                for (c = 0; c < out_dims->c; c++) {
                    int32_t v = window_value(in_dims, img, y0, y1, x0, x1, c, is_max);
                    *out++ = (int16_t)tsk_clamp_i32(v, p->act.min, p->act.max);
                }
            }
        }
    }
    return TSK_OK;
}

tsk_status tsk_avg_pool_s16(const tsk_pool_params *p, const tsk_dims *in_dims, const int16_t *in,
                            const tsk_dims *out_dims, int16_t *out)
{
    return pool_s16(p, in_dims, in, out_dims, out, 0);
}

tsk_status tsk_max_pool_s16(const tsk_pool_params *p, const tsk_dims *in_dims, const int16_t *in,
                            const tsk_dims *out_dims, int16_t *out)
{
    return pool_s16(p, in_dims, in, out_dims, out, 1);
}
