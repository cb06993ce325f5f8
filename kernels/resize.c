/* kernels/resize.c: RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR of NHWC tensors.
 *
 * Nearest (TFLite reference_ops::ResizeNearestNeighbor, GetNearestNeighbor): output pixel (y, x)
 * copies input pixel
 * (src(y), src(x)), src(v) = min(floor or round((v + offset) * scale), size - 1), with scale
 * (in - 1) / (out - 1) under align_corners (out > 1), else in / out, and offset 0.5 under
 * half_pixel_centers (then also at least 0). The arithmetic is single-precision float as in
 * TFLite, without libm: floor of a non-negative value is its truncation, and round (ties away
 * from zero) adds 1 when the exactly computed fraction is at least 0.5.
 *
 * Bilinear (TFLite reference_ops::ResizeBilinear, float32, and ResizeBilinearInteger, int8):
 * per axis an output index v maps to the input coordinate s = v * scale, or (v + 0.5) * scale -
 * 0.5 under half_pixel_centers, with the nearest-neighbour scales; the two input rows (columns)
 * are lo = max(floor(s), 0) and hi = min(ceil(s), size - 1), weighted 1 - (s - lo) and s - lo.
 * float32 computes s, the weights and the four-term sum in single precision, each product
 * left to right (value * y weight * x weight) and the terms added in the order (lo, lo), (hi,
 * lo), (lo, hi), (hi, hi) as (row, column), as TFLite does. int8 works in units of 1/1024: the
 * scale is round(1024 * in / out) (align_corners: of (in - 1) / (out - 1)), s = v * scale (or
 * v * scale + scale / 2 - 512), lo = max(s / 1024, 0) and hi = min(ceil(s / 1024), size - 1) in
 * C's truncating division, the fraction f = s - 1024 * lo (negative when s is: then lo = hi,
 * and the weights still sum to 1024), and the sum of value * wy * wx over the four taps, in
 * units of 2^-20, is rounded to an integer: TSK_ROUND_SINGLE adds 2^19 and shifts right by 20
 * (TFLite's TFLITE_SINGLE_ROUNDING build, ties toward +infinity), TSK_ROUND_DOUBLE adds 2^19
 * away from zero and divides truncating (ties away from zero). The sum is bounded by 128 *
 * 2048 * 2048 = 2^29 (each axis' two weights have absolute values summing to at most 2048:
 * f >= -512), so int32 holds it where TFLite uses int64, with the same value. Where TFLite's
 * rounded-up integer scale takes lo past the last row or column ((out - 1) * scale >= 1024 *
 * in, large factors only, e.g. 1 -> 70: scale 15, 69 * 15 = 1035), TFLite reads past the
 * input; here the read stays on the last row (column), with TFLite's weights, which sum to 1:
 * the edge value.
 *
 * Values only: no allocation, no I/O, no libm; libc memcpy only. */
#include <stdbool.h>
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

/* ---- RESIZE_BILINEAR ---- */

/* The two input indices of one output row or column and the weight of the second: frac (float32)
 * or q10 (int8, in 1/1024); the first weighs 1 - frac or 1024 - q10. */
typedef struct bilinear_tap {
    int32_t lo, hi;
    int32_t q10;
    float frac;
} bilinear_tap;

/* floor and ceil of a float whose magnitude fits int32 (no libm). */
static int32_t floor_f32(float x)
{
    int32_t t = (int32_t)x; /* toward zero */
    return (float)t > x ? t - 1 : t;
}

static int32_t ceil_f32(float x)
{
    int32_t t = (int32_t)x;
    return (float)t < x ? t + 1 : t;
}

/* One axis of the resize: its input size and its scale, computed once per call (TFLite
 * computes the scales before its loops): in 1/1024 (q10) or as a float. */
typedef struct bilinear_axis {
    int32_t in, scale_q10;
    float scale;
} bilinear_axis;

static bilinear_axis axis_of(int32_t in, int32_t out, const tsk_resize_params *p, bool q10)
{
    const bool corners = p->align_corners && out > 1;
    bilinear_axis a = {in, 0, 0.0f};

    if (q10)
        a.scale_q10 = corners ? (1024 * (in - 1) + (out - 1) / 2) / (out - 1)
                              : (1024 * in + out / 2) / out;
    else
        a.scale = corners ? (float)(in - 1) / (float)(out - 1) : (float)in / (float)out;
    return a;
}

/* TFLite ComputeInterpolationValues (float) or ComputeInterpolationValuesInteger (q10) for output
 * index v of axis a; lo kept inside the input (see the header). */
static bilinear_tap tap_of(int32_t v, const bilinear_axis *a, const tsk_resize_params *p,
                           bool q10)
{
    bilinear_tap t = {0, 0, 0, 0.0f};

    if (q10) {
        const int32_t scale = a->scale_q10;
        const int32_t s = p->half_pixel_centers ? v * scale + scale / 2 - 512 : v * scale;
        t.lo = tsk_max_i32(s / 1024, 0);
        t.hi = tsk_min_i32((s + 1023) / 1024, a->in - 1);
        t.q10 = s - 1024 * t.lo;
    } else {
        const float s = p->half_pixel_centers ? ((float)v + 0.5f) * a->scale - 0.5f
                                              : (float)v * a->scale;
        t.lo = tsk_max_i32(floor_f32(s), 0);
        t.hi = tsk_min_i32(ceil_f32(s), a->in - 1);
        t.frac = s - (float)t.lo;
    }
    t.lo = tsk_min_i32(t.lo, a->in - 1);
    return t;
}

/* One output pixel's n channels from the input pixels at offsets o: (lo, lo), (hi, lo), (lo, hi),
 * (hi, hi) as (row, column). */
static void lerp_s8(const int8_t *in, const size_t o[4], const bilinear_tap *ty,
                    const bilinear_tap *tx, size_t n, int32_t rounding, int8_t *out)
{
    const int32_t wy0 = 1024 - ty->q10, wy1 = ty->q10, wx0 = 1024 - tx->q10, wx1 = tx->q10;

    for (size_t ch = 0; ch < n; ch++) {
        const int32_t sum = in[o[0] + ch] * wy0 * wx0 + in[o[1] + ch] * wy1 * wx0 +
                            in[o[2] + ch] * wy0 * wx1 + in[o[3] + ch] * wy1 * wx1;
        out[ch] = (int8_t)(rounding == TSK_ROUND_DOUBLE
                               ? (sum + (sum > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20)
                               : (sum + (1 << 19)) >> 20);
    }
}

static void lerp_f32(const float *in, const size_t o[4], const bilinear_tap *ty,
                     const bilinear_tap *tx, size_t n, float *out)
{
    const float wy0 = 1.0f - ty->frac, wy1 = ty->frac, wx0 = 1.0f - tx->frac, wx1 = tx->frac;

    for (size_t ch = 0; ch < n; ch++) /* TFLite's order; + 0.0f: its rounding offset of float */
        out[ch] = in[o[0] + ch] * wy0 * wx0 + in[o[1] + ch] * wy1 * wx0 +
                  in[o[2] + ch] * wy0 * wx1 + in[o[3] + ch] * wy1 * wx1 + 0.0f;
}

/* Offset of pixel (n, y, x), channel 0, in an NHWC tensor of dims d. */
static size_t pixel(const tsk_dims *d, int32_t n, int32_t y, int32_t x)
{
    return (((size_t)n * (size_t)d->h + (size_t)y) * (size_t)d->w + (size_t)x) * (size_t)d->c;
}

static tsk_status bilinear(const tsk_resize_params *p, const tsk_dims *in_dims, const void *in,
                           const tsk_dims *out_dims, void *out, bool q10)
{
    size_t k = 0;
    bilinear_axis ay, ax;

    if (p == 0 || in_dims == 0 || out_dims == 0 || in == 0 || out == 0 ||
        tsk_dims_count(in_dims) < 1 || tsk_dims_count(out_dims) < 1 || in_dims->n != out_dims->n ||
        in_dims->c != out_dims->c || (p->align_corners && p->half_pixel_centers))
        return TSK_ERR_ARG;
    ay = axis_of(in_dims->h, out_dims->h, p, q10);
    ax = axis_of(in_dims->w, out_dims->w, p, q10);
    for (int32_t n = 0; n < out_dims->n; n++)
        for (int32_t y = 0; y < out_dims->h; y++) {
            const bilinear_tap ty = tap_of(y, &ay, p, q10);
            for (int32_t x = 0; x < out_dims->w; x++, k += (size_t)out_dims->c) {
                const bilinear_tap tx = tap_of(x, &ax, p, q10);
                const size_t o[4] = {
                    pixel(in_dims, n, ty.lo, tx.lo), pixel(in_dims, n, ty.hi, tx.lo),
                    pixel(in_dims, n, ty.lo, tx.hi), pixel(in_dims, n, ty.hi, tx.hi)};
                if (q10)
                    lerp_s8(in, o, &ty, &tx, (size_t)out_dims->c, p->rounding, (int8_t *)out + k);
                else
                    lerp_f32(in, o, &ty, &tx, (size_t)out_dims->c, (float *)out + k);
            }
        }
    return TSK_OK;
}

tsk_status tsk_resize_bilinear_s8(const tsk_resize_params *p, const tsk_dims *in_dims,
                                  const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    return bilinear(p, in_dims, in, out_dims, out, true);
}

tsk_status tsk_resize_bilinear_f32(const tsk_resize_params *p, const tsk_dims *in_dims,
                                   const float *in, const tsk_dims *out_dims, float *out)
{
    return bilinear(p, in_dims, in, out_dims, out, false);
}
