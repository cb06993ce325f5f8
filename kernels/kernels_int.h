/* kernels/kernels_int.h: module-private helpers of libtskernels: the integer requantisation
 * primitives (TFLite/gemmlowp semantics, bit-exact), gemmlowp-style fixed-point functions,
 * the int8 dot product and shape checks. Included by kernel files and white-box tests only.
 * Must not use floating point (except the float-only helpers at the end), allocate, or
 * depend on anything but <float.h>/<stdint.h>/<string.h>. */
#ifndef TS_KERNELS_INT_H
#define TS_KERNELS_INT_H

#include <float.h>
#include <stdint.h>

#include "kernel_types.h"

/* The primitives below rely on >> of a negative int32 being an arithmetic shift
 * (true for GCC and Clang on every target we build). Fail the build otherwise. */
typedef char tsk_arith_shift_check[((-8 >> 1) == -4) ? 1 : -1];
typedef char tsk_arith_shift64_check[((INT64_C(-8) >> 1) == -4) ? 1 : -1];

/* The float kernels and the float prepare paths reproduce TFLite bit for bit (the int16-out
 * SOFTMAX's expf table from the float product -input_scale * beta, its float sum, reciprocal
 * and rounding; quant_prepare.c's float scale arithmetic) only if every float expression is
 * evaluated, and rounded, in float as TFLite's builds do: C99 5.2.4.2.2 lets a compiler widen
 * it instead (FLT_EVAL_METHOD 1: double, 2: long double, as x87 code does), which would round
 * differently. Every kernel file includes this header, so every kernel build is checked. */
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "kernels need FLT_EVAL_METHOD == 0 (float expressions evaluated in float)"
#endif

static inline int32_t tsk_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline int32_t tsk_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t tsk_clamp_i32(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}
static inline float tsk_clamp_f32(float v, float lo, float hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Two's-complement wrapping add, subtract and left shift (no signed-overflow UB). */
static inline int32_t tsk_add_wrap(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int32_t tsk_sub_wrap(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}
static inline int32_t tsk_shl_wrap(int32_t x, int32_t s)
{
    return (int32_t)((uint32_t)x << s);
}

/* gemmlowp SaturatingRoundingDoublingHighMul: a * b / 2^31 rounded to nearest with ties
 * toward +infinity (0.5 -> 1, -0.5 -> 0), the single overflowing case INT32_MIN * INT32_MIN
 * saturated to INT32_MAX. */
static inline int32_t tsk_srdhm(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t nudge;
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* gemmlowp RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero.
 * e in [0, 31]; e >= 32 returns the mathematically rounded value 0 (gemmlowp asserts). */
static inline int32_t tsk_rdbpot(int32_t x, int32_t e)
{
    int32_t mask;
    int32_t rem;
    int32_t thr;
    if (e >= 32) {
        return 0;
    }
    mask = (int32_t)(((int64_t)1 << e) - 1);
    rem = x & mask;
    thr = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> e) + (rem > thr ? 1 : 0);
}

/* TFLite MultiplyByQuantizedMultiplier (the double-rounding reference variant):
 * left shift first (shift > 0), then SRDHM, then rounding right shift (shift < 0). */
static inline int32_t tsk_mbqm(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0;
    int32_t right = shift > 0 ? 0 : -shift;
    return tsk_rdbpot(tsk_srdhm(tsk_shl_wrap(x, left), multiplier), right);
}

/* TFLite's single-rounding MultiplyByQuantizedMultiplier (TFLITE_SINGLE_ROUNDING):
 * round(x * multiplier / 2^(31 - shift)) with ONE rounding of the exact 64-bit product, ties
 * toward +infinity (2.5 -> 3, -2.5 -> -2), saturated to int32 (TFLite only DCHECKs the range).
 * shift in [-31, 30]: total shift 1..62 and |x * multiplier| <= 2^62, so the product cannot
 * overflow; (p >> (t - 1)) + 1) >> 1 equals floor((p + 2^(t-1)) / 2^t) without adding the
 * rounding constant to p (CMSIS-NN's form); for t >= 32 the high word of p alone gives it. Shifts below -31 still give the exactly rounded
 * value; shift > 30 is a caller bug (treated as 30). */
static inline int32_t tsk_mbqm_sr(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t total = 31 - (shift > 30 ? 30 : shift);
    int64_t r = (int64_t)x * (int64_t)multiplier;
    if (total > 63) {
        return 0; /* |r| / 2^total <= 1/4 */
    }
    if (total >= 32) {
        /* The usual case (scale < 0.5), from the two 32-bit halves of the product (one SMULL
         * on a Cortex-M, no 64-bit shift): with s = total - 32, floor((r + 2^(total-1)) /
         * 2^total) is hi + (lo >> 31) for s = 0 and floor(hi / 2^s) plus bit s-1 of hi
         * otherwise (the rounding bit; lo only matters below it). |r| <= 2^62: no overflow. */
        int32_t hi = (int32_t)(r >> 32), s = total - 32;
        uint32_t lo = (uint32_t)r;
        if (s == 0) {
            return hi + (int32_t)(lo >> 31);
        }
        return (hi >> s) + ((hi >> (s - 1)) & 1);
    }
    r = ((r >> (total - 1)) + 1) >> 1;
    if (r > INT32_MAX) {
        return INT32_MAX;
    }
    return r < INT32_MIN ? INT32_MIN : (int32_t)r;
}

/* MultiplyByQuantizedMultiplier in the requested rounding mode (a tsk_rounding value; any
 * value other than TSK_ROUND_DOUBLE means single). The branch is uniform per kernel call and
 * sits outside every MAC loop. */
static inline int32_t tsk_mbqm_r(int32_t x, int32_t multiplier, int32_t shift, int32_t rounding)
{
    return rounding == TSK_ROUND_DOUBLE ? tsk_mbqm(x, multiplier, shift)
                                        : tsk_mbqm_sr(x, multiplier, shift);
}

/* The output stage of the int8 weighted kernels (conv, depthwise, fully connected; plain and
 * SIMD): bias (when the kernel has not folded it into the accumulator), requantisation in the
 * call's rounding mode, output offset and clamp. Its constants are gathered once per call;
 * kernels keep a local copy, so the per-output code does not reload them through the
 * parameter pointers (which it must after every call the compiler cannot see into). */
typedef struct tsk_out_stage {
    const int32_t *mult;  /* [n] Q31 multipliers */
    const int32_t *shift; /* [n] exponents */
    const int32_t *bias;  /* [C_out] added here, or NULL */
    int32_t per_channel;  /* 1: index by output channel; 0: one multiplier for all */
    int32_t rounding;     /* tsk_rounding */
    int32_t out_off;      /* output zero point */
    int32_t lo, hi;       /* activation clamp */
} tsk_out_stage;

static inline tsk_out_stage tsk_out_stage_make(const tsk_quant *q, const int32_t *bias,
                                               int32_t out_off, tsk_range act, int32_t rounding)
{
    tsk_out_stage s;
    s.mult = q->multiplier;
    s.shift = q->shift;
    s.bias = bias;
    s.per_channel = q->n != 1;
    s.rounding = rounding;
    s.out_off = out_off;
    s.lo = act.min;
    s.hi = act.max;
    return s;
}

/* Output channel oc's int8 value for accumulator acc. */
static inline int8_t tsk_out_stage_apply(const tsk_out_stage *s, int32_t acc, int32_t oc)
{
    int32_t i = s->per_channel ? oc : 0;
    if (s->bias != 0) {
        acc = tsk_add_wrap(acc, s->bias[oc]);
    }
    acc = tsk_mbqm_r(acc, s->mult[i], s->shift[i], s->rounding) + s->out_off;
    return (int8_t)tsk_clamp_i32(acc, s->lo, s->hi);
}

/* TFLite MultiplyByQuantizedMultiplier for an int64 accumulator (the 16x8 kernels): the
 * multiplier reduced to 16 bits (rounded; 0x7FFF from 0x7FFF0000 up), then ONE rounding of
 * x * reduced / 2^(15 - shift), ties toward +infinity. TFLite's two builds (single and double
 * rounding) share this form, so it has no rounding parameter. TFLite assumes |x| < 2^47 and
 * shift in [-31, 7] and casts the result to int32 (it DCHECKs the range): the product is
 * taken mod 2^64 and the result mod 2^32 the same way; shift > 14 is treated as 14. */
static inline int32_t tsk_mbqm64(int64_t x, int32_t multiplier, int32_t shift)
{
    int32_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    int32_t total = 15 - (shift > 14 ? 14 : shift);
    int64_t r = (int64_t)((uint64_t)x * (uint64_t)(int64_t)reduced);
    r = (int64_t)((uint64_t)r + ((uint64_t)1 << (total - 1))) >> total;
    return (int32_t)(uint32_t)(uint64_t)r;
}

/* Output channel oc's int16 value for an int64 accumulator (bias included): requantised per
 * channel (q->n > 1) or per tensor, plus the output offset, clamped to act (weighted_s16.c;
 * out of line: the 64-bit requantisation is long in Thumb code and runs once per output). */
int16_t tsk_out_s16(const tsk_quant *q, int64_t acc, int32_t oc, int32_t out_off,
                    tsk_range act);

/* Quantized clamp range valid for int16 output. */
static inline int tsk_range_ok_s16(const tsk_range *r)
{
    return r->min >= -32768 && r->max <= 32767 && r->min <= r->max;
}

/* The 16x8 weighted kernels (weighted_s16.c) share their loops between the plain and the
 * DSP-extension variants, which differ only in the dot product: the exact int64 sum over
 * x[i * xs] * w[i * ws], i < n (int16 activations, int8 weights). The plain one is
 * tsk_dot_s16; the SIMD one (weighted_s16_simd.c) gives the same sums. */
typedef int64_t (*tsk_dot_s16_fn)(const int16_t *x, int32_t xs, const int8_t *w, int32_t ws,
                                  int32_t n);
int64_t tsk_dot_s16(const int16_t *x, int32_t xs, const int8_t *w, int32_t ws, int32_t n);
tsk_status tsk_fc_s16_run(const tsk_fc_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                          const int16_t *in, const tsk_dims *filter_dims, const int8_t *filter,
                          const int64_t *bias, const tsk_dims *out_dims, int16_t *out,
                          tsk_dot_s16_fn dot);
tsk_status tsk_conv_s16_run(const tsk_conv_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                            const int16_t *in, const tsk_dims *filter_dims, const int8_t *filter,
                            const int64_t *bias, const tsk_dims *out_dims, int16_t *out,
                            tsk_dot_s16_fn dot);
/* The depthwise argument checks (TSK_OK or TSK_ERR_ARG) and, for output position o along an
 * axis, the first input coordinate and the taps [*k0, *k1) inside [0, in_size). */
tsk_status tsk_dw_s16_args(const tsk_dw_conv_params *p, const tsk_quant *q,
                           const tsk_dims *in_dims, const void *in, const tsk_dims *filter_dims,
                           const void *filter, const tsk_dims *out_dims, const void *out);
void tsk_s16_taps(int32_t o, int32_t stride, int32_t pad, int32_t dil, int32_t k,
                  int32_t in_size, int32_t *origin, int32_t *k0, int32_t *k1);
tsk_status tsk_dw_s16_run(const tsk_dw_conv_params *p, const tsk_quant *q,
                          const tsk_dims *in_dims, const int16_t *in, const tsk_dims *filter_dims,
                          const int8_t *filter, const int64_t *bias, const tsk_dims *out_dims,
                          int16_t *out, tsk_dot_s16_fn dot);

/* 1 for a valid tsk_rounding value (kernels reject anything else with TSK_ERR_ARG). */
static inline int tsk_rounding_ok(int32_t rounding)
{
    return rounding == TSK_ROUND_SINGLE || rounding == TSK_ROUND_DOUBLE;
}

/* gemmlowp SaturatingRoundingMultiplyByPOT for a positive exponent e in [0, 30]. */
static inline int32_t tsk_sat_shl(int32_t x, int32_t e)
{
    int32_t thr = (int32_t)((UINT32_C(1) << (31 - e)) - 1u);
    if (x > thr) {
        return INT32_MAX;
    }
    if (x < -thr) {
        return INT32_MIN;
    }
    return tsk_shl_wrap(x, e);
}

/* gemmlowp fixed point (raw int32 with a given number of integer bits), see fixedpoint.c:
 * exp(a) for a <= 0 with `integer_bits` integer bits in a; result Q0.31. */
int32_t tsk_fx_exp_on_negative_values(int32_t a, int32_t integer_bits);
/* 1 / (1 + a) for a in [0, 1) as Q0.31; result Q0.31. */
int32_t tsk_fx_one_over_one_plus_x(int32_t a);
/* TFLite GetReciprocal: 1/x for x with x_integer_digits integer bits; returns the Q0.31
 * scale and the number of bits of x above one in *num_bits_over_unit. x > 0. */
int32_t tsk_fx_reciprocal(int32_t x, int32_t x_integer_digits, int32_t *num_bits_over_unit);
/* gemmlowp logistic(a) for a with integer_bits integer bits; result Q0.31. */
int32_t tsk_fx_logistic(int32_t a, int32_t integer_bits);

/* Number of leading zero bits of a 32-bit value (32 for 0), without a compiler builtin (the
 * same C on the host and every core). */
static inline int32_t tsk_clz32(uint32_t x)
{
    int32_t n = 0;
    while ((x & UINT32_C(0x80000000)) == 0 && n < 32) {
        x <<= 1;
        n++;
    }
    return n;
}

/* An int32 value reduced to int16 the way C++ int16 arithmetic wraps, and saturated. */
static inline int32_t tsk_wrap16(int32_t v)
{
    return (int32_t)(((uint32_t)v + 32768u) & 0xffffu) - 32768;
}

static inline int32_t tsk_sat16(int32_t v)
{
    return tsk_clamp_i32(v, -32768, 32767);
}

/* Exact sum over a[i]*b[i], i < n, of int8 values. Blocks of 16 with a fixed trip count
 * let the host compiler vectorise at -O2; the result is independent of the blocking. */
static inline int32_t tsk_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
{
    int32_t acc = 0;
    int32_t i = 0;
    int32_t j;
    for (; i + 16 <= n; i += 16) {
        int32_t s = 0;
        for (j = 0; j < 16; j++) {
            s += (int32_t)a[i + j] * (int32_t)b[i + j];
        }
        acc += s;
    }
    for (; i < n; i++) {
        acc += (int32_t)a[i] * (int32_t)b[i];
    }
    return acc;
}

/* Sum of n int8 values. */
static inline int32_t tsk_sum_s8(const int8_t *a, int32_t n)
{
    int32_t acc = 0;
    int32_t i;
    for (i = 0; i < n; i++) {
        acc += (int32_t)a[i];
    }
    return acc;
}

/* Element count of a shape: -1 when a dimension is < 1 or the count exceeds INT32_MAX. */
static inline int32_t tsk_dims_count(const tsk_dims *d)
{
    int64_t n;
    if (d->n < 1 || d->h < 1 || d->w < 1 || d->c < 1) {
        return -1;
    }
    n = (int64_t)d->n * d->h;
    n *= d->w;
    if (n > INT32_MAX) {
        return -1;
    }
    n *= d->c;
    return n > INT32_MAX ? -1 : (int32_t)n;
}

/* 1 when the four dimensions are equal. */
static inline int tsk_dims_equal(const tsk_dims *a, const tsk_dims *b)
{
    return a->n == b->n && a->h == b->h && a->w == b->w && a->c == b->c;
}

/* Dimension i (0=N, 1=H, 2=W, 3=C) of a shape. */
static inline int32_t tsk_dim(const tsk_dims *d, int32_t i)
{
    return i == 0 ? d->n : (i == 1 ? d->h : (i == 2 ? d->w : d->c));
}

/* Quantized clamp range valid for int8 output. */
static inline int tsk_range_ok_s8(const tsk_range *r)
{
    return r->min >= -128 && r->max <= 127 && r->min <= r->max;
}

/* Requantisation table valid for `channels` output channels. */
static inline int tsk_quant_ok(const tsk_quant *q, int32_t channels)
{
    return q != 0 && q->multiplier != 0 && q->shift != 0 && (q->n == 1 || q->n == channels);
}

/* TSK_OK when ctx's scratch buffer holds `need` bytes and is word-aligned, else
 * TSK_ERR_SCRATCH. */
static inline tsk_status tsk_scratch_check(const tsk_ctx *ctx, int32_t need)
{
    if (ctx == 0 || ctx->buf == 0 || ctx->size < need || ((uintptr_t)ctx->buf & 3u) != 0) {
        return TSK_ERR_SCRATCH;
    }
    return TSK_OK;
}

/* Argument checks of the int8 conv, depthwise and fully connected kernels, shared by the plain
 * and SIMD variants (args_s8.c): TSK_ERR_ARG or TSK_OK; need is the variant's scratch size
 * (< 0: the dimensions are invalid). The scratch itself is checked by tsk_scratch_check. */
tsk_status tsk_conv_s8_args(const tsk_conv_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                            const tsk_dims *filter_dims, const tsk_dims *out_dims, int32_t need);
tsk_status tsk_dw_s8_args(const tsk_dw_conv_params *p, const tsk_quant *q,
                          const tsk_dims *in_dims, const tsk_dims *filter_dims,
                          const tsk_dims *out_dims, int32_t need);
tsk_status tsk_fc_s8_args(const tsk_fc_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                          const tsk_dims *filter_dims, const tsk_dims *out_dims, int32_t need);

/* Element-wise broadcast: strides (elements) of `in` when walked over `out`'s index
 * space; 0 on broadcast axes. Returns 0 when a dimension neither matches nor is 1. */
int tsk_broadcast_strides(const tsk_dims *in, const tsk_dims *out, int32_t strides[4]);

/* Input coordinates [*start, *end) covered by the pooling window of output position o
 * along one axis, clipped to the input (TFLite's filter_start/filter_end rule). */
static inline void tsk_pool_range(int32_t o, int32_t stride, int32_t pad, int32_t filter,
                                  int32_t in_size, int32_t *start, int32_t *end)
{
    int32_t origin = o * stride - pad;
    *start = origin + tsk_max_i32(0, -origin);
    *end = origin + tsk_min_i32(filter, in_size - origin);
}

/* TRANSPOSE_CONV: the filter taps [*k0, *k1) of input coordinate i whose output coordinate
 * i * stride - pad + k lies in [0, size) (the rest of the scatter falls outside the output). */
static inline void tsk_tconv_tap_range(int32_t i, int32_t stride, int32_t pad, int32_t k,
                                       int32_t size, int32_t *k0, int32_t *k1)
{
    int32_t origin = i * stride - pad;

    *k0 = tsk_clamp_i32(-origin, 0, k);
    *k1 = tsk_clamp_i32(size - origin, *k0, k);
}

/* One input pixel of the int8 TRANSPOSE_CONV scatter: its C_in values, the output coordinates
 * of its tap (0, 0) and the taps [kr[0], kr[1]) x [kr[2], kr[3]) that land inside the output. */
typedef struct tsk_tconv_pixel {
    const int8_t *px;
    int32_t oy0, ox0;
    int32_t kr[4];
} tsk_tconv_pixel;

/* A variant's inner loop: adds pixel x's contribution to the accumulator image acc. */
typedef void (*tsk_tconv_pixel_fn)(const void *arg, const tsk_tconv_pixel *x, int32_t *acc);

/* The loop nest of both int8 TRANSPOSE_CONV variants (transpose_conv.c), arguments checked by
 * the caller: per batch image, zeroes acc (H_out * W_out * C_out int32), calls fn(arg, ...) for
 * every input pixel, then writes the image through the output stage (bias, requantisation,
 * offset, clamp). */
void tsk_tconv_s8_scatter(const tsk_conv_params *p, const tsk_quant *q, const int32_t *bias,
                          const tsk_dims *in_dims, const int8_t *in, const tsk_dims *filter_dims,
                          const tsk_dims *out_dims, int32_t *acc, tsk_tconv_pixel_fn fn,
                          const void *arg, int8_t *out);

/* Argument checks of the int8 TRANSPOSE_CONV kernels, plain and SIMD (args_s8.c); need is the
 * variant's scratch size (< 0: invalid dimensions); the scratch itself is checked by the
 * kernel. The shape part (tsk_tconv_shapes_ok) is the float kernel's too. */
int tsk_tconv_shapes_ok(tsk_hw stride, tsk_hw pad, const tsk_dims *in_dims,
                        const tsk_dims *filter_dims, const tsk_dims *out_dims);
tsk_status tsk_tconv_s8_args(const tsk_conv_params *p, const tsk_quant *q,
                             const tsk_dims *in_dims, const tsk_dims *filter_dims,
                             const tsk_dims *out_dims, int32_t need);

/* Pool geometry check: positive shapes, N and C preserved, stride/filter >= 1 and every
 * window overlapping the input (see shape.c). */
tsk_status tsk_pool_check(tsk_hw stride, tsk_hw pad, tsk_hw filter, const tsk_dims *in_dims,
                          const tsk_dims *out_dims);

/* A float's IEEE-754 bit pattern and back, by value through a union (C11 6.5.2.3: the bytes
 * reinterpreted). Not memcpy: the -ffreestanding firmware (-fno-builtin) turns each memcpy into
 * a library call, per element in the float kernels; and not __builtin_memcpy from a pointer,
 * which armv6-m still calls when it cannot prove the pointer aligned. By value both compile to
 * at most a register move on every core. */
typedef union tsk_f32_word {
    float f;
    uint32_t u;
} tsk_f32_word;
static inline uint32_t tsk_f32_bits(float f)
{
    tsk_f32_word v;
    v.f = f;
    return v.u;
}
static inline float tsk_f32_from_bits(uint32_t u)
{
    tsk_f32_word v;
    v.u = u;
    return v.f;
}

/* std::round of a float (half away from zero) as int32, saturated to the int32 range (a NaN
 * gives 0; reduce.c): TfLiteRound in TFLite's float rescalings (SUM, MEAN int16). */
int32_t tsk_round_f32(float x);
/* exp(x) in float, ~2 ulp, no libm (see math_f32.c). */
float tsk_exp_f32(float x);
/* tanh(x) without libm (math_f32.c): the TANH float kernel's and the LSTM's, one function so
 * that both round alike and an image with the LSTM links no TANH kernel. */
float tsk_tanh1_f32(float x);
/* The correctly rounded square root of x (sqrt.c): bit-identical to IEEE-754 sqrt, no libm;
 * a negative x gives the quiet NaN 0xffc00000. */
float tsk_sqrt_f32_exact(float x);
/* TFLite GetInvSqrtQuantizedMultiplierExp with reverse shift -1 (sqrt.c): 1 / sqrt(input) as a
 * Q31 multiplier and a shift <= 0 (inputs <= 1 give INT32_MAX, 0); RSQRT, L2_NORMALIZATION. */
void tsk_inv_sqrt_multiplier(int32_t input, int32_t *multiplier, int32_t *shift);

/* UNIDIRECTIONAL_SEQUENCE_LSTM (lstm_f32.c, lstm_s8.c): whether input j is one the kernels
 * read (input, the 8 weight matrices, the 4 biases, both states; the rest must be absent). */
static inline int tsk_lstm_input_needed(int32_t j)
{
    return j == TSK_LSTM_INPUT || (j >= TSK_LSTM_W_INPUT && j < TSK_LSTM_PEEPHOLE) ||
           (j >= TSK_LSTM_BIAS && j < TSK_LSTM_PROJECTION) || j == TSK_LSTM_OUTPUT_STATE ||
           j == TSK_LSTM_CELL_STATE;
}

/* The inputs the LSTM kernels need all present, the ones they do not support all absent. */
static inline int tsk_lstm_inputs_ok(const void *const *in)
{
    for (int32_t j = 0; j < TSK_LSTM_N_INPUTS; j++)
        if ((in[j] != 0) != tsk_lstm_input_needed(j))
            return 0;
    return 1;
}

/* Row of batch b at time step t in an LSTM's input/output ([batch, time] or time-major). */
static inline size_t tsk_lstm_row(int32_t time_major, int32_t batch, int32_t time, int32_t t,
                                  int32_t b)
{
    return time_major ? (size_t)t * (size_t)batch + (size_t)b
                      : (size_t)b * (size_t)time + (size_t)t;
}

/* sigmoid(i / 24) in Q0.16 at the 256 knots TFLite's int16 LOGISTIC and TANH interpolate
 * (kernels/sigmoid_table.c, written by scripts/gen_sigmoid_table.py). */
#define TSK_SIGMOID_TABLE_KNOTS 256
extern const uint16_t tsk_sigmoid_table_u16[TSK_SIGMOID_TABLE_KNOTS];

#endif /* TS_KERNELS_INT_H */
