/* kernels/math_f32.c: float helpers for the float32 kernels (SOFTMAX, LOGISTIC) that must
 * not call libm: exp(x) by Cody-Waite range reduction and a degree-7 polynomial, ~2 ulp.
 * Float path only; never used by int8 kernels. No state, no I/O. */
#include <string.h>

#include "kernels_int.h"

/* 2^k as a float for k in [-126, 127], built from its bit pattern. */
static float pow2_f32(int32_t k)
{
    uint32_t bits = (uint32_t)(k + 127) << 23;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

float tsk_exp_f32(float x)
{
    const float log2e = 1.44269504088896341f;
    const float ln2_hi = 0.693145751953125f;      /* few mantissa bits: k * ln2_hi is exact */
    const float ln2_lo = 1.42860682030941723e-6f; /* ln2 - ln2_hi */
    float r;
    float p;
    int32_t k;

    if (x != x) {
        return x; /* NaN */
    }
    if (x > 88.72283f) {
        return pow2_f32(127) * 2.0f; /* overflows to +inf */
    }
    if (x < -103.97208f) {
        return 0.0f;
    }
    k = (int32_t)(x * log2e + (x >= 0.0f ? 0.5f : -0.5f));
    r = (x - (float)k * ln2_hi) - (float)k * ln2_lo; /* |r| <= ~0.35 */
    p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6.0f + r * (1.0f / 24.0f +
        r * (1.0f / 120.0f + r * (1.0f / 720.0f + r * (1.0f / 5040.0f)))))));
    if (k < -126) { /* subnormal result: scale in two steps */
        return p * pow2_f32(k + 64) * pow2_f32(-64);
    }
    if (k > 127) {
        return p * pow2_f32(k - 1) * 2.0f;
    }
    return p * pow2_f32(k);
}
