/* kernels/activation_s16.c: LOGISTIC and TANH with int16 activations (16x8), bit-exact with
 * TFLite's int16 kernels for power-of-two input scales: the input is gemmlowp fixed point
 * with 3 integer bits (scale 2^-12; TANH also 2^-11, doubled with saturation first), passed
 * through gemmlowp's logistic / tanh evaluated in int16 arithmetic (its FixedPoint<int16_t>
 * scalar path: 16-bit saturating doubling high multiply, rounding shifts, wrapping adds,
 * constants the int32 ones rounded by 2^16) and written as Q0.15 (scale 1/32768, zero point
 * 0). Other input scales take a TFLite path built on a fixed sigmoid table, which tinysim
 * does not run (its prepare refuses them). Values only: no float, no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

enum { FX16_ONE = 32767 }; /* FixedPoint<int16_t, 0>::One() */

/* The int16 value of x modulo 2^16 (gemmlowp's int16 adds wrap). */
static int32_t wrap16(int32_t x)
{
    return (int32_t)((uint32_t)(x + 32768) & 0xFFFFu) - 32768;
}

/* An int32 gemmlowp constant as its int16 raw value (RoundingDivideByPOT by 16). */
static int32_t c16(int32_t c32)
{
    return tsk_rdbpot(c32, 16);
}

/* SaturatingRoundingDoublingHighMul on int16: a * b / 2^15, ties away from zero in the
 * nudge form, -32768 * -32768 saturated. */
static int32_t srdhm16(int32_t a, int32_t b)
{
    int32_t ab = a * b;
    if (a == b && a == INT16_MIN) {
        return INT16_MAX;
    }
    return (ab + (ab >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15);
}

/* SaturatingRoundingMultiplyByPOT<e>, e >= 1, on int16: x << e saturated. */
static int32_t sat_shl16(int32_t x, int32_t e)
{
    int32_t thr = (1 << (15 - e)) - 1;
    return x > thr ? INT16_MAX : x < -thr ? INT16_MIN : x * (1 << e);
}

/* exp(a) for a in [-1/4, 0), Q0.15: gemmlowp's Taylor expansion around -1/8. */
static int32_t exp_quarter16(int32_t a)
{
    const int32_t k = c16(1895147668), third = c16(715827883); /* exp(-1/8), 1/3 */
    int32_t x = wrap16(a + (1 << 12)), x2 = srdhm16(x, x), x3 = srdhm16(x2, x);
    int32_t x4 = srdhm16(x2, x2);
    int32_t poly = tsk_rdbpot(wrap16(srdhm16(wrap16(tsk_rdbpot(x4, 2) + x3), third) + x2), 1);
    return tsk_clamp_i32(k + srdhm16(k, wrap16(x + poly)), INT16_MIN, INT16_MAX);
}

/* exp(a), a <= 0 with `ib` integer bits (ib in 1..5), result Q0.15. */
static int32_t exp_neg16(int32_t a, int32_t ib)
{
    static const int32_t exp_of_minus_pot[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                39332535,   720401,     242};
    const int32_t frac = 15 - ib, quarter = 1 << (frac - 2);
    int32_t a_mod = wrap16((a & (quarter - 1)) - quarter);
    int32_t result = exp_quarter16(sat_shl16(a_mod, ib));
    int32_t rem = wrap16(a_mod - a), k;

    for (k = 0; k < 7 && ib > k - 2; k++) { /* exp(-2^(k-2)) for each bit of the rest */
        if ((rem & (1 << (frac + k - 2))) != 0) {
            result = srdhm16(result, c16(exp_of_minus_pot[k]));
        }
    }
    return a == 0 ? FX16_ONE : result;
}

/* gemmlowp's Newton-Raphson 1 / (1 + a) for a in [0, 1], Q0.15 in, Q2.13 out (x / 2). */
static int32_t recip_half16(int32_t a)
{
    const int32_t c48_17 = c16(1515870810), cneg32_17 = c16(-1010580540); /* Q2.13 */
    int32_t sum = a + FX16_ONE, half = (sum + (sum >= 0 ? 1 : -1)) / 2, x, i;

    x = wrap16(c48_17 + srdhm16(half, cneg32_17));
    for (i = 0; i < 3; i++) {
        int32_t one_minus = wrap16((1 << 13) - srdhm16(half, x));
        x = wrap16(x + sat_shl16(srdhm16(x, one_minus), 2));
    }
    return x; /* 1 / half_denominator = 2 / (1 + a), Q2.13 */
}

static int32_t logistic16(int32_t a)
{
    int32_t abs_a, pos;
    if (a == 0) {
        return c16(1 << 30); /* one half */
    }
    abs_a = a > 0 ? a : wrap16(-a);
    pos = sat_shl16(recip_half16(exp_neg16(wrap16(-abs_a), 3)), 1); /* 1 / (1 + e^-|a|) */
    return a > 0 ? pos : wrap16(FX16_ONE - pos);
}

/* tanh(a), a with ib integer bits: (1 - e) / (1 + e) with e = exp(-2|a|) (the doubling a
 * reinterpretation with one more integer bit), its sign restored. */
static int32_t tanh16(int32_t a, int32_t ib)
{
    int32_t n = a < 0 ? a : wrap16(-a), t;
    if (a == 0) {
        return 0;
    }
    t = sat_shl16(wrap16(recip_half16(exp_neg16(n, ib + 1)) - (1 << 13)), 2);
    return a < 0 ? wrap16(-t) : t;
}

tsk_status tsk_logistic_s16(const tsk_logistic_params *p, int32_t count, const int16_t *in,
                            int16_t *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || p->input_left_shift != 0 ||
        p->input_multiplier != 0 || p->input_zero_point != 0) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        out[i] = (int16_t)logistic16(in[i]);
    }
    return TSK_OK;
}

tsk_status tsk_tanh_s16(const tsk_logistic_params *p, int32_t count, const int16_t *in,
                        int16_t *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || p->input_left_shift < 0 ||
        p->input_left_shift > 1 || p->input_multiplier != 0 || p->input_zero_point != 0) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        int32_t x = p->input_left_shift ? sat_shl16(in[i], 1) : in[i];
        out[i] = (int16_t)tanh16(x, 3);
    }
    return TSK_OK;
}
