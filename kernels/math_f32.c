/* kernels/math_f32.c: float helpers for the float32 kernels (SOFTMAX, LOGISTIC, TANH, LSTM)
 * that must not call libm: exp(x) by Cody-Waite range reduction and a degree-7 polynomial,
 * ~2 ulp; tanh(x) (kernels/tanh.c's header describes it).
 * Float path only; never used by int8 kernels. No state, no I/O. */
#include "kernels_int.h"

/* 2^k as a float for k in [-126, 127], built from its bit pattern. */
static float pow2_f32(int32_t k)
{
    return tsk_f32_from_bits((uint32_t)(k + 127) << 23);
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

/* tanh(x) for |x| < 0.625: x + x^3 * P(x^2), P from the Taylor coefficients of tanh
 * (-1/3, 2/15, -17/315, 62/2835, -1382/155925, 21844/6081075, -929569/638512875,
 * 6404582/10854718875, -443861162/1856156927625); the first omitted term is below
 * 2^-26 relative. */
static float tanh_small(float x)
{
    static const float c[9] = {-3.33333343e-1f, 1.33333340e-1f, -5.39682545e-2f,
                               2.18694881e-2f,  -8.86323582e-3f, 3.59212793e-3f,
                               -1.45583437e-3f, 5.90027426e-4f,  -2.39129120e-4f};
    float z = x * x, p = c[8];

    for (int32_t k = 7; k >= 0; k--)
        p = p * z + c[k];
    return x + x * z * p;
}

/* tanh(x), libm-free (kernels/tanh.c's header says how; TANH float and the LSTM call it). */
float tsk_tanh1_f32(float x)
{
    float a = x < 0.0f ? -x : x, t;

    if (x != x)
        return x; /* NaN */
    if (a < 0.625f)
        return tanh_small(x);
    if (a > 9.1f) {
        t = 1.0f;
    } else {
        float e = tsk_exp_f32(-2.0f * a);
        t = (1.0f - e) / (1.0f + e);
    }
    return x < 0.0f ? -t : t;
}
