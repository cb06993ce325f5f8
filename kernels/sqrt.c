/* kernels/sqrt.c: SQRT and RSQRT (TFLite elementwise.cc). int8 RSQRT is TFLite's
 * RsqrtEvalQuantizedInt8 bit for bit (the fixed-point 1 / sqrt of input - zero point, then two
 * requantisations; input - zero point must not be negative, TFLite refuses such inputs: here a
 * negative counts as 1, what TFLite's helper does with it). Float: the correctly rounded square
 * root computed in integers (tsk_sqrt_f32_exact: an integer square root of the significand with
 * a round bit and a sticky remainder, round to nearest even), so it equals every IEEE-754
 * sqrt bit for bit without libm; RSQRT is 1 / that in float, as TFLite's 1.f / std::sqrt(f).
 * A negative input gives the quiet NaN 0xffc00000 (what TFLite's std::sqrt gives on x86 and
 * in its WebAssembly build), -0 gives -0. Values only. */
#include "kernels.h"
#include "kernels_int.h"

float tsk_sqrt_f32_exact(float x)
{
    uint32_t b = tsk_f32_bits(x), m;
    uint64_t n, r = 0, bit, rem;
    int32_t e;

    if ((b & 0x7fffffffu) == 0 || b == 0x7f800000u || x != x)
        return x; /* +-0, +inf, NaN */
    if (b & 0x80000000u) /* negative: the default NaN of x86 SSE and of TFLite's builds */
        return tsk_f32_from_bits(0xffc00000u);
    e = (int32_t)(b >> 23);
    m = b & 0x7fffffu;
    if (e == 0) { /* subnormal: normalise the significand */
        e = 1;
        while (!(m & 0x800000u)) {
            m <<= 1;
            e--;
        }
    } else {
        m |= 0x800000u;
    }
    e -= 127; /* x = m * 2^(e - 23), m in [2^23, 2^24) */
    if (e & 1) {
        m <<= 1;
        e--;
    }
    n = (uint64_t)m << 25; /* x = n * 2^(e - 48), sqrt(n) in [2^24, 2^25) */
    rem = n;
    for (bit = (uint64_t)1 << 50; bit != 0; bit >>= 2) { /* bit-by-bit integer square root */
        if (rem >= r + bit) {
            rem -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
    }
    m = (uint32_t)(r >> 1); /* 24 bits; r & 1 is the round bit, rem the sticky part */
    if ((r & 1u) && (rem != 0 || (m & 1u)))
        m++;
    e = e / 2 + 127;
    if (m == 0x1000000u) {
        m >>= 1;
        e++;
    }
    return tsk_f32_from_bits(((uint32_t)e << 23) | (m & 0x7fffffu));
}

tsk_status tsk_sqrt_f32(int32_t n, const float *in, float *out)
{
    if (in == 0 || out == 0 || n < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++)
        out[i] = tsk_sqrt_f32_exact(in[i]);
    return TSK_OK;
}

tsk_status tsk_rsqrt_f32(int32_t n, const float *in, float *out)
{
    if (in == 0 || out == 0 || n < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        float s = tsk_sqrt_f32_exact(in[i]);
        out[i] = s != s ? s : 1.0f / s; /* a NaN as is: no core's default-NaN mode applies */
    }
    return TSK_OK;
}

/* TFLite GetInvSqrtQuantizedMultiplierExp (common.h) with reverse_shift -1: 1 / sqrt(input) as
 * a Q31 multiplier and a left shift (<= 0): input normalised to [2^27, 2^29) by bit pairs,
 * five Newton-Raphson steps x = 1.5 x - (input / 2) x^3 in gemmlowp Q3.28, times sqrt(2) / 2.
 * Inputs <= 1 (1, and the invalid 0 and negatives) give (INT32_MAX, 0) as there. */
void tsk_inv_sqrt_multiplier(int32_t input, int32_t *multiplier, int32_t *shift)
{
    const int32_t half_three = (1 << 28) + (1 << 27), half_sqrt_2 = 1518500250;
    int32_t s = 11, pairs = -1, x = 1 << 28, half_input;

    if (input <= 1) {
        *multiplier = INT32_MAX;
        *shift = 0;
        return;
    }
    while (input >= (1 << 29)) {
        input /= 4;
        s++;
    }
    for (uint32_t v = (uint32_t)input; !(v & 0x80000000u); v <<= 1)
        pairs++; /* leading zeros - 1 */
    pairs = pairs / 2 - 1;
    s -= pairs;
    input <<= 2 * pairs;
    half_input = tsk_rdbpot(input >> 1, 1);
    for (int32_t i = 0; i < 5; i++) {
        int32_t x3 = tsk_sat_shl(tsk_srdhm(tsk_srdhm(x, x), x), 6);
        x = tsk_sat_shl((int32_t)((uint32_t)tsk_srdhm(half_three, x) -
                                  (uint32_t)tsk_srdhm(half_input, x3)),
                        3);
    }
    x = tsk_srdhm(x, half_sqrt_2);
    if (s < 0) {
        x = tsk_shl_wrap(x, -s);
        s = 0;
    }
    *multiplier = x;
    *shift = -s;
}

tsk_status tsk_rsqrt_s8(const tsk_rsqrt_params *p, int32_t n, const int8_t *in, int8_t *out)
{
    enum { KEEP_SHIFT = 20 }; /* TFLite's kShift: keeps the 1 / sqrt integer */

    if (p == 0 || in == 0 || out == 0 || n < 0 || p->shift > 30 || p->shift < -31 + KEEP_SHIFT ||
        !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++) {
        int32_t value = in[i] - p->input_zero_point, m, s, v;
        if (value == 0) {
            out[i] = INT8_MAX; /* TFLite: a value at zero is the largest output */
            continue;
        }
        tsk_inv_sqrt_multiplier(value, &m, &s);
        v = tsk_mbqm_r(tsk_mbqm_r(1, m, s + KEEP_SHIFT, p->rounding), p->multiplier,
                       p->shift - KEEP_SHIFT, p->rounding) +
            p->output_zero_point;
        out[i] = (int8_t)tsk_clamp_i32(v, INT8_MIN, INT8_MAX);
    }
    return TSK_OK;
}
