/* kernels/fixedpoint.c: gemmlowp-style fixed-point transcendental functions on raw int32
 * values (exp on negative values, 1/(1+x), reciprocal, logistic) used by the int8 SOFTMAX
 * and LOGISTIC kernels. Bit-exact with gemmlowp's fixedpoint.h scalar path as TFLite uses it.
 * A value "with k integer bits" means raw / 2^(31-k). No floating point, no state. */
#include "kernels_int.h"

/* exp(a) for a in [-1/4, 0), a and result Q0.31: Taylor expansion around -1/8. */
static int32_t exp_on_quarter_interval(int32_t a)
{
    const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0.31 */
    const int32_t one_third = 715827883;             /* 1/3 in Q0.31 */
    int32_t x = tsk_add_wrap(a, 1 << 28);            /* a + 1/8 */
    int32_t x2 = tsk_srdhm(x, x);
    int32_t x3 = tsk_srdhm(x2, x);
    int32_t x4 = tsk_srdhm(x2, x2);
    int32_t x4_over_4 = tsk_rdbpot(x4, 2);
    int32_t poly = tsk_rdbpot(
        tsk_add_wrap(tsk_srdhm(tsk_add_wrap(x4_over_4, x3), one_third), x2), 1);
    return tsk_add_wrap(exp_minus_one_eighth,
                        tsk_srdhm(exp_minus_one_eighth, tsk_add_wrap(x, poly)));
}

int32_t tsk_fx_exp_on_negative_values(int32_t a, int32_t integer_bits)
{
    /* exp(-2^k) in Q0.31 for k = -2 .. 4 (gemmlowp's barrel-shifter constants). */
    static const int32_t exp_of_minus_pot[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                39332535,   720401,     242};
    const int32_t frac_bits = 31 - integer_bits;
    const int32_t quarter = (int32_t)(UINT32_C(1) << (frac_bits - 2));
    int32_t a_mod = (a & (quarter - 1)) - quarter; /* in [-1/4, 0) */
    int32_t rescaled = integer_bits > 0 ? tsk_sat_shl(a_mod, integer_bits) : a_mod;
    int32_t result = exp_on_quarter_interval(rescaled);
    uint32_t remainder = (uint32_t)(a_mod - a); /* multiple of 1/4, >= 0 */
    int32_t k;

    for (k = 0; k < 7; k++) {
        int32_t exponent = k - 2;
        if (integer_bits > exponent &&
            (remainder & (UINT32_C(1) << (frac_bits + exponent))) != 0) {
            result = tsk_srdhm(result, exp_of_minus_pot[k]);
        }
    }
    if (integer_bits > 5 && a < -(int32_t)(UINT32_C(1) << (36 - integer_bits))) {
        result = 0; /* below -32: exp underflows Q0.31 */
    }
    return a == 0 ? INT32_MAX : result;
}

/* gemmlowp RoundingHalfSum: (a + b) / 2 rounded away from zero. */
static int32_t rounding_half_sum(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + (int64_t)b;
    int64_t sign = sum >= 0 ? 1 : -1;
    return (int32_t)((sum + sign) / 2);
}

int32_t tsk_fx_one_over_one_plus_x(int32_t a)
{
    const int32_t c48_over_17 = 1515870810;      /* 48/17 in Q2.29 */
    const int32_t cneg32_over_17 = -1010580540;  /* -32/17 in Q2.29 */
    const int32_t one_q2 = 1 << 29;
    int32_t half_denominator = rounding_half_sum(a, INT32_MAX); /* (1 + a) / 2, Q0.31 */
    int32_t x = tsk_add_wrap(c48_over_17, tsk_srdhm(half_denominator, cneg32_over_17));
    int32_t i;

    for (i = 0; i < 3; i++) { /* Newton-Raphson steps for 1 / half_denominator */
        int32_t hd_times_x = tsk_srdhm(half_denominator, x);                  /* Q2.29 */
        int32_t one_minus = one_q2 - hd_times_x;                              /* Q2.29 */
        x = tsk_add_wrap(x, tsk_sat_shl(tsk_srdhm(x, one_minus), 2));         /* Q4 -> Q2 */
    }
    return tsk_sat_shl(x, 1); /* halve (Q2 -> Q1 reinterpretation) then Q1 -> Q0 */
}

int32_t tsk_fx_reciprocal(int32_t x, int32_t x_integer_digits, int32_t *num_bits_over_unit)
{
    int32_t headroom_plus_one = tsk_clz32((uint32_t)x);
    int32_t shifted_minus_one;
    *num_bits_over_unit = x_integer_digits - headroom_plus_one;
    shifted_minus_one =
        (int32_t)(((uint32_t)x << headroom_plus_one) - (UINT32_C(1) << 31));
    return tsk_fx_one_over_one_plus_x(shifted_minus_one);
}

int32_t tsk_fx_logistic(int32_t a, int32_t integer_bits)
{
    int32_t abs_a;
    int32_t positive;
    if (a == 0) {
        return 1 << 30; /* 0.5 */
    }
    abs_a = a > 0 ? a : -a;
    positive = tsk_fx_one_over_one_plus_x(tsk_fx_exp_on_negative_values(-abs_a, integer_bits));
    return a > 0 ? positive : INT32_MAX - positive;
}
