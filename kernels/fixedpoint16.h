/* kernels/fixedpoint16.h: gemmlowp's fixed-point exp, logistic and tanh evaluated on int16
 * raw values (fixedpoint.h's scalar FixedPoint<int16_t> path: 16-bit saturating rounding
 * doubling high multiply, rounding shifts, int16 adds that wrap, the 32-bit constants rounded
 * by 2^16), as TFLite's int16 LOGISTIC and TANH (activation_s16.c) and its integer LSTM's
 * gates (lstm_s8.c) compute them. One source for both, static inline: each kernel's loop
 * inlines them as TFLite's templates do (out of line they cost the int16 LOGISTIC and TANH
 * 8 to 11 % more cycles on cortex-m4). Values only: no float, no I/O. */
#ifndef TINYSIM_KERNELS_FIXEDPOINT16_H
#define TINYSIM_KERNELS_FIXEDPOINT16_H

#include "kernels_int.h"

/* SaturatingRoundingDoublingHighMul, 16-bit: a * b / 2^15, ties away from zero. */
static inline int32_t tsk_fx16_srdhm(int32_t a, int32_t b)
{
    int32_t ab = a * b;

    if (a == -32768 && b == -32768)
        return 32767;
    return (ab + (ab >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15);
}

/* SaturatingRoundingMultiplyByPOT for a left shift e in [1, 14]. */
static inline int32_t tsk_fx16_sat_shl(int32_t x, int32_t e)
{
    int32_t thr = (1 << (15 - e)) - 1;

    return x > thr ? 32767 : x < -thr ? -32768 : x * (1 << e);
}

/* The 16-bit forms of gemmlowp's 32-bit constants: RescaleConstantInitializer's rounding
 * shift by 16 of exp(-1/8), 1/3, exp(-2^k) for k = -2..4, 48/17 and -32/17. */
#define FX16_EXP_M1_8 28918
#define FX16_ONE_THIRD 10923
#define FX16_48_17 23130
#define FX16_M32_17 (-15420)
static const int16_t tsk_fx16_exp_of_minus_pot[7] = {25520, 19875, 12055, 4435, 600, 11, 0};

/* exp(a) for a in [-1/4, 0), Q0.15: the Taylor expansion around -1/8. */
static inline int32_t tsk_fx16_exp_quarter(int32_t a)
{
    int32_t x = tsk_wrap16(a + (1 << 12)); /* a + 1/8 */
    int32_t x2 = tsk_fx16_srdhm(x, x), x3 = tsk_fx16_srdhm(x2, x), x4 = tsk_fx16_srdhm(x2, x2);
    int32_t poly = tsk_rdbpot(
        tsk_wrap16(tsk_fx16_srdhm(tsk_wrap16(tsk_rdbpot(x4, 2) + x3), FX16_ONE_THIRD) + x2), 1);

    return tsk_sat16(FX16_EXP_M1_8 + tsk_fx16_srdhm(FX16_EXP_M1_8, tsk_wrap16(x + poly)));
}

/* exp(a) for a <= 0 with ib integer bits (1..7); result Q0.15. */
static inline int32_t tsk_fx16_exp_neg(int32_t a, int32_t ib)
{
    int32_t frac = 15 - ib, quarter = 1 << (frac - 2);
    int32_t a_mod = tsk_wrap16((a & (quarter - 1)) - quarter);
    int32_t result = tsk_fx16_exp_quarter(tsk_fx16_sat_shl(a_mod, ib));
    int32_t remainder = tsk_wrap16(a_mod - a);

    for (int32_t k = 0; k < 7; k++)
        if (ib > k - 2 && (remainder & (1 << (frac + k - 2))) != 0)
            result = tsk_fx16_srdhm(result, tsk_fx16_exp_of_minus_pot[k]);
    if (ib > 5 && a < -(1 << (20 - ib)))
        result = 0; /* below -32 */
    return a == 0 ? 32767 : result;
}

/* Newton-Raphson for 1 / ((1 + a) / 2), a in [0, 1) Q0.15; result Q2.13. */
static inline int32_t tsk_fx16_recip_half(int32_t a)
{
    int32_t sum = a + 32767;
    int32_t half_den = (sum + (sum >= 0 ? 1 : -1)) / 2; /* RoundingHalfSum */
    int32_t x = tsk_wrap16(FX16_48_17 + tsk_fx16_srdhm(half_den, FX16_M32_17));

    for (int32_t i = 0; i < 3; i++) {
        int32_t one_minus = tsk_wrap16((1 << 13) - tsk_fx16_srdhm(half_den, x));
        x = tsk_wrap16(x + tsk_fx16_sat_shl(tsk_fx16_srdhm(x, one_minus), 2));
    }
    return x;
}

/* gemmlowp logistic of a Q3.12 value; result Q0.15. */
static inline int32_t tsk_fx16_logistic(int32_t a)
{
    int32_t pos;

    if (a == 0)
        return 1 << 14;
    /* exp(-|a|): -|a| is a itself for a < 0 (the int16 negation of -32768 wraps back) */
    pos = tsk_fx16_sat_shl(tsk_fx16_recip_half(tsk_fx16_exp_neg(a > 0 ? -a : a, 3)), 1);
    return a > 0 ? pos : tsk_wrap16(32767 - pos);
}

/* gemmlowp tanh of a value with ib integer bits (0..6); result Q0.15. */
static inline int32_t tsk_fx16_tanh(int32_t a, int32_t ib)
{
    int32_t t;

    if (a == 0)
        return 0;
    t = tsk_fx16_recip_half(tsk_fx16_exp_neg(a < 0 ? a : -a, ib + 1)); /* exp(-2|a|) */
    t = tsk_fx16_sat_shl(tsk_wrap16(t - (1 << 13)), 2);  /* (1 - e) / (1 + e) */
    return a < 0 ? -t : t;
}

#endif
