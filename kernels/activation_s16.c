/* kernels/activation_s16.c: LOGISTIC and TANH with int16 activations (16x8), bit-exact with
 * TFLite's int16 kernels, which take one of two paths by input scale:
 * - power of two (input_multiplier 0): the input is gemmlowp fixed point with 3 integer bits
 *   (scale 2^-12; TANH also 2^-11, doubled with saturation first), passed through gemmlowp's
 *   logistic / tanh evaluated in int16 arithmetic (its FixedPoint<int16_t> scalar path:
 *   16-bit saturating doubling high multiply, rounding shifts, wrapping adds, constants the
 *   int32 ones rounded by 2^16; fixedpoint16.h, shared with the int8 LSTM);
 * - any other scale: the input, rescaled to units of 1/(3 * 2^12) (so int16's range covers
 *   +-10.7 rather than +-8), is split into a knot index and a fraction that interpolates
 *   tsk_sigmoid_table_u16 (sigmoid(i / 24), Q0.16); TANH reads it at twice the argument,
 *   tanh(x) = 2 sigmoid(2x) - 1. Both functions are symmetric, so the table covers |x| and
 *   negative inputs are reflected, with TFLite's rounding offsets on each side.
 * Output Q0.15 (scale 1/32768, zero point 0). Values only: no float, no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"
#include "fixedpoint16.h"

/* The input in units of 1/(3 * 2^12): in * multiplier, shifted right with rounding (the
 * prepare keeps the product and the rounding term inside int32). */
static int32_t table_input(const tsk_logistic_params *p, int16_t v)
{
    int32_t s = p->input_left_shift;
    int32_t half = s > 0 ? (int32_t)1 << (s - 1) : 0;

    return ((int32_t)v * p->input_multiplier + half) >> s;
}

/* sigmoid(|x|) interpolated at `frac_bits` fraction bits per knot, scaled by 2^frac_bits
 * (Q0.16 + frac_bits); from the last knot on, `saturated`. */
static uint32_t table_interp(uint32_t a, int32_t frac_bits, uint32_t saturated)
{
    uint32_t k = a >> frac_bits, lo, hi;

    if (k >= TSK_SIGMOID_TABLE_KNOTS - 1)
        return saturated;
    lo = tsk_sigmoid_table_u16[k];
    hi = tsk_sigmoid_table_u16[k + 1];
    return (lo << frac_bits) + (a & ((1u << frac_bits) - 1u)) * (hi - lo);
}

static int16_t logistic_table(const tsk_logistic_params *p, int16_t v)
{
    int32_t x = table_input(p, v);
    /* 9 fraction bits: 2^9 input units = 1/24 */
    uint32_t y = table_interp((uint32_t)(x < 0 ? -x : x), 9, 0x7fffu << 10);

    y = x >= 0 ? y + (1u << 9) : (1u << 25) - y + (1u << 9) - 1u; /* 1 - sigmoid(|x|) */
    return (int16_t)(y >> 10);
}

static int16_t tanh_table(const tsk_logistic_params *p, int16_t v)
{
    int32_t x = table_input(p, v);
    /* 8 fraction bits: 2^8 input units = 1/48, a knot of sigmoid(2x) */
    int32_t y = (int32_t)table_interp((uint32_t)(x < 0 ? -x : x), 8, 0xffffu << 8);

    /* 2 sigmoid - 1 around the Q0.16 one half (2^23 here), +-(result), rounded */
    y = x >= 0 ? y - (1 << 23) + (1 << 7) : -y + (1 << 23) + (1 << 7) - 1;
    return (int16_t)(y >> 8);
}

static int params_ok(const tsk_logistic_params *p, int32_t max_pot_shift)
{
    if (p->input_zero_point != 0)
        return 0;
    if (p->input_multiplier == 0) /* gemmlowp path */
        return p->input_left_shift >= 0 && p->input_left_shift <= max_pot_shift;
    /* in * multiplier + the rounding term within int32: a multiplier below 2^16 unshifted; with
     * a shift at most 32767, what the prepare makes (its doubling stops past 2^14 - 1/2; 65535
     * with shift 31 would overflow, 32768 would not: the bound is conservative) */
    return p->input_multiplier > 0 &&
           p->input_multiplier <= (p->input_left_shift ? 32767 : 65535) &&
           p->input_left_shift >= 0 && p->input_left_shift <= 31;
}

tsk_status tsk_logistic_s16(const tsk_logistic_params *p, int32_t count, const int16_t *in,
                            int16_t *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || !params_ok(p, 0)) {
        return TSK_ERR_ARG;
    }
    if (p->input_multiplier != 0) {
        for (i = 0; i < count; i++) {
            out[i] = logistic_table(p, in[i]);
        }
        return TSK_OK;
    }
    for (i = 0; i < count; i++) {
        out[i] = (int16_t)tsk_fx16_logistic(in[i]);
    }
    return TSK_OK;
}

tsk_status tsk_tanh_s16(const tsk_logistic_params *p, int32_t count, const int16_t *in,
                        int16_t *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || !params_ok(p, 1)) {
        return TSK_ERR_ARG;
    }
    if (p->input_multiplier != 0) {
        for (i = 0; i < count; i++) {
            out[i] = tanh_table(p, in[i]);
        }
        return TSK_OK;
    }
    for (i = 0; i < count; i++) {
        int32_t x = p->input_left_shift ? tsk_fx16_sat_shl(in[i], 1) : in[i];
        out[i] = (int16_t)tsk_fx16_tanh(x, 3);
    }
    return TSK_OK;
}
