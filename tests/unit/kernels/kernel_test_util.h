/* tests/unit/kernels/kernel_test_util.h: helpers shared by the kernel tests: a deterministic
 * PRNG, random tensors, and slow, obviously-correct reference implementations (TFLite loop
 * order, written independently of the optimised kernels) in integer and in double.
 * Test-only code: never linked into a library. */
#ifndef TS_KERNEL_TEST_UTIL_H
#define TS_KERNEL_TEST_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernels/kernels.h"

/* xorshift32; the seed is fixed per test so every run sees the same cases. */
typedef struct rng {
    uint32_t s;
} rng;

static inline uint32_t rng_next(rng *r)
{
    uint32_t x = r->s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->s = x;
    return x;
}

/* Uniform integer in [lo, hi]. */
static inline int32_t rng_int(rng *r, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(rng_next(r) % (uint32_t)(hi - lo + 1));
}

/* Uniform double in [lo, hi). */
static inline double rng_real(rng *r, double lo, double hi)
{
    return lo + (hi - lo) * ((double)rng_next(r) / 4294967296.0);
}

static inline void fill_s8(rng *r, int8_t *p, int32_t n, int32_t lo, int32_t hi)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        p[i] = (int8_t)rng_int(r, lo, hi);
    }
}

static inline void fill_f32(rng *r, float *p, int32_t n, double lo, double hi)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        p[i] = (float)rng_real(r, lo, hi);
    }
}

static inline int32_t dims_count(tsk_dims d)
{
    return d.n * d.h * d.w * d.c;
}

/* Float -> int8 with round-half-away and clamp (the quantisation the float references use). */
static inline int32_t quantize_ref(double real, double scale, int32_t zp)
{
    double q = round(real / scale) + zp;
    return q < -128 ? -128 : (q > 127 ? 127 : (int32_t)q);
}

/* floor(a / 2^k) for k in [0, 62] by true division (no shifts of negative values), so it
 * shares no code or trick with the kernels' single-rounding primitive. */
static inline int64_t floor_div_pot(int64_t a, int32_t k)
{
    int64_t d = (int64_t)1 << k;
    int64_t q = a / d; /* truncates toward zero */
    return (a % d != 0 && a < 0) ? q - 1 : q;
}

/* Independent reference of the requantisation in either mode. SINGLE: the exact product
 * x * m rounded once at 2^(31 - shift), ties toward +infinity, saturated (TFLite's
 * TFLITE_SINGLE_ROUNDING); |x * m| <= 2^62 and the half added is <= 2^61, so int64 is exact.
 * DOUBLE: the separately hand-tested gemmlowp primitive. shift in [-31, 30]. */
static inline int32_t ref_requant(int32_t x, int32_t m, int32_t shift, int32_t rounding)
{
    int32_t t = 31 - shift;
    int64_t r;
    if (rounding == TSK_ROUND_DOUBLE) {
        return tsk_multiply_by_quantized_multiplier_s32(x, m, shift);
    }
    r = floor_div_pot((int64_t)x * m + ((int64_t)1 << (t - 1)), t);
    return r > INT32_MAX ? INT32_MAX : (r < INT32_MIN ? INT32_MIN : (int32_t)r);
}

/* Output size along one axis for explicit padding. */
static inline int32_t conv_out_size(int32_t in, int32_t k, int32_t stride, int32_t dil,
                                    int32_t pad_total)
{
    int32_t eff = (k - 1) * dil + 1;
    return (in + pad_total - eff) / stride + 1;
}

/* Aligned scratch for a kernel call; caller frees ctx->buf. */
static inline tsk_ctx make_ctx(int32_t size)
{
    tsk_ctx c;
    c.size = size;
    c.buf = size > 0 ? aligned_alloc(16, (size_t)((size + 15) & ~15)) : NULL;
    return c;
}

/* Naive int8 convolution in TFLite's loop order: acc over taps inside the image of
 * f * (x + input_offset), + bias, requantised per channel with ref_requant in p->rounding,
 * + output offset, clamped. Grouped like TFLite (groups = in C / filter C). */
static inline void naive_conv_s8(const tsk_conv_params *p, const tsk_quant *q, tsk_dims id,
                                 const int8_t *in, tsk_dims fd, const int8_t *f,
                                 const int32_t *bias, tsk_dims od, int8_t *out)
{
    int32_t b, oy, ox, oc, ky, kx, ic;
    int32_t groups = id.c / fd.c, per_group = od.c / groups;
    for (b = 0; b < od.n; b++)
        for (oy = 0; oy < od.h; oy++)
            for (ox = 0; ox < od.w; ox++)
                for (oc = 0; oc < od.c; oc++) {
                    int32_t acc = 0, g = oc / per_group, qi = q->n == 1 ? 0 : oc;
                    for (ky = 0; ky < fd.h; ky++)
                        for (kx = 0; kx < fd.w; kx++) {
                            int32_t iy = oy * p->stride.h - p->padding.h + ky * p->dilation.h;
                            int32_t ix = ox * p->stride.w - p->padding.w + kx * p->dilation.w;
                            if (iy < 0 || iy >= id.h || ix < 0 || ix >= id.w)
                                continue;
                            for (ic = 0; ic < fd.c; ic++) {
                                int32_t x = in[((b * id.h + iy) * id.w + ix) * id.c + g * fd.c + ic];
                                int32_t w = f[((oc * fd.h + ky) * fd.w + kx) * fd.c + ic];
                                acc += w * (x + p->input_offset);
                            }
                        }
                    if (bias)
                        acc += bias[oc];
                    acc = ref_requant(acc, q->multiplier[qi], q->shift[qi], p->rounding);
                    acc += p->output_offset;
                    acc = acc < p->act.min ? p->act.min : (acc > p->act.max ? p->act.max : acc);
                    out[((b * od.h + oy) * od.w + ox) * od.c + oc] = (int8_t)acc;
                }
}

/* Double-precision convolution on dequantised values (scales per output channel), quantised
 * at the end: the "real number" answer the int8 kernel approximates. */
static inline void float_ref_conv_s8(const tsk_conv_params *p, double in_scale,
                                     const double *w_scale, double out_scale, tsk_dims id,
                                     const int8_t *in, tsk_dims fd, const int8_t *f,
                                     const int32_t *bias, tsk_dims od, int32_t *out)
{
    int32_t b, oy, ox, oc, ky, kx, ic;
    int32_t groups = id.c / fd.c, per_group = od.c / groups;
    for (b = 0; b < od.n; b++)
        for (oy = 0; oy < od.h; oy++)
            for (ox = 0; ox < od.w; ox++)
                for (oc = 0; oc < od.c; oc++) {
                    double acc = 0.0;
                    int32_t g = oc / per_group, q;
                    for (ky = 0; ky < fd.h; ky++)
                        for (kx = 0; kx < fd.w; kx++) {
                            int32_t iy = oy * p->stride.h - p->padding.h + ky * p->dilation.h;
                            int32_t ix = ox * p->stride.w - p->padding.w + kx * p->dilation.w;
                            if (iy < 0 || iy >= id.h || ix < 0 || ix >= id.w)
                                continue;
                            for (ic = 0; ic < fd.c; ic++) {
                                double x = in_scale * (in[((b * id.h + iy) * id.w + ix) * id.c +
                                                          g * fd.c + ic] +
                                                       p->input_offset);
                                double w = w_scale[oc] * f[((oc * fd.h + ky) * fd.w + kx) * fd.c + ic];
                                acc += x * w;
                            }
                        }
                    if (bias)
                        acc += bias[oc] * in_scale * w_scale[oc];
                    q = quantize_ref(acc, out_scale, p->output_offset);
                    q = q < p->act.min ? p->act.min : (q > p->act.max ? p->act.max : q);
                    out[((b * od.h + oy) * od.w + ox) * od.c + oc] = q;
                }
}

#endif /* TS_KERNEL_TEST_UTIL_H */
