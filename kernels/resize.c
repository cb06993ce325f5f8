/* kernels/resize.c: RESIZE_NEAREST_NEIGHBOR of NHWC tensors (TFLite reference_ops::
 * ResizeNearestNeighbor, GetNearestNeighbor): output pixel (y, x) copies input pixel
 * (src(y), src(x)), src(v) = min(floor or round((v + offset) * scale), size - 1), with scale
 * (in - 1) / (out - 1) under align_corners (out > 1), else in / out, and offset 0.5 under
 * half_pixel_centers (then also at least 0). The arithmetic is single-precision float as in
 * TFLite, without libm: floor of a non-negative value is its truncation, and round (ties away
 * from zero) adds 1 when the exactly computed fraction is at least 0.5. Values only: no
 * allocation, no I/O; libc memcpy only. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* The input row or column of output index v (GetNearestNeighbor). */
static int32_t nearest(int32_t v, int32_t in, int32_t out, const tsk_resize_params *p)
{
    const float scale = p->align_corners && out > 1 ? (float)(in - 1) / (float)(out - 1)
                                                    : (float)in / (float)out;
    const float x = ((float)v + (p->half_pixel_centers ? 0.5f : 0.0f)) * scale;
    int32_t r = x > 0.0f ? (int32_t)x : 0; /* x >= 0: floor */

    if (p->align_corners && x - (float)r >= 0.5f) /* round, ties away from zero */
        r++;
    return r < in - 1 ? r : in - 1;
}

static tsk_status nearest_bytes(const tsk_resize_params *p, const tsk_dims *in_dims,
                                const void *in, const tsk_dims *out_dims, void *out, size_t elem)
{
    const size_t run = (size_t)(in_dims ? in_dims->c : 0) * elem;
    unsigned char *dst = out;

    if (p == 0 || in_dims == 0 || out_dims == 0 || in == 0 || out == 0 ||
        tsk_dims_count(in_dims) < 1 || tsk_dims_count(out_dims) < 1 || in_dims->n != out_dims->n ||
        in_dims->c != out_dims->c)
        return TSK_ERR_ARG;
    for (int32_t n = 0; n < out_dims->n; n++)
        for (int32_t y = 0; y < out_dims->h; y++) {
            int32_t sy = nearest(y, in_dims->h, out_dims->h, p);
            for (int32_t x = 0; x < out_dims->w; x++, dst += run) {
                int32_t sx = nearest(x, in_dims->w, out_dims->w, p);
                memcpy(dst, (const unsigned char *)in +
                                (((size_t)n * (size_t)in_dims->h + (size_t)sy) *
                                     (size_t)in_dims->w + (size_t)sx) * run, run);
            }
        }
    return TSK_OK;
}

tsk_status tsk_resize_nearest_s8(const tsk_resize_params *p, const tsk_dims *in_dims,
                                 const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    return nearest_bytes(p, in_dims, in, out_dims, out, sizeof(int8_t));
}

tsk_status tsk_resize_nearest_f32(const tsk_resize_params *p, const tsk_dims *in_dims,
                                  const float *in, const tsk_dims *out_dims, float *out)
{
    return nearest_bytes(p, in_dims, in, out_dims, out, sizeof(float));
}
