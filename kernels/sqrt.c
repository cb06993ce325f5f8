/* kernels/sqrt.c: SQRT (TFLite elementwise.cc). Float: the correctly rounded square root
 * computed in integers (tsk_sqrt_f32_exact: an integer square root of the significand with a
 * round bit and a sticky remainder, round to nearest even), so it equals every IEEE-754 sqrt
 * bit for bit without libm. (No RSQRT kernel yet.)
 * A negative input gives the quiet NaN 0xffc00000 (what TFLite's std::sqrt gives on x86 and
 * in its WebAssembly build), -0 gives -0. Values only. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

float tsk_sqrt_f32_exact(float x)
{
    uint32_t b, m, bits;
    uint64_t n, r = 0, bit, rem;
    int32_t e;
    float y;

    memcpy(&b, &x, 4);
    if ((b & 0x7fffffffu) == 0 || b == 0x7f800000u || x != x)
        return x; /* +-0, +inf, NaN */
    if (b & 0x80000000u) {
        b = 0xffc00000u; /* negative: the default NaN of x86 SSE and of TFLite's builds */
        memcpy(&y, &b, 4);
        return y;
    }
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
    bits = ((uint32_t)e << 23) | (m & 0x7fffffu);
    memcpy(&y, &bits, 4);
    return y;
}

tsk_status tsk_sqrt_f32(int32_t n, const float *in, float *out)
{
    if (in == 0 || out == 0 || n < 0)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < n; i++)
        out[i] = tsk_sqrt_f32_exact(in[i]);
    return TSK_OK;
}
