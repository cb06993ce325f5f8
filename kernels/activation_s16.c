/* kernels/activation_s16.c: LOGISTIC and TANH with int16 activations (16x8), bit-exact with
 * TFLite's int16 kernels for power-of-two input scales: the input is gemmlowp fixed point
 * with 3 integer bits (scale 2^-12; TANH also 2^-11, doubled with saturation first), passed
 * through gemmlowp's logistic / tanh evaluated in int16 arithmetic (its FixedPoint<int16_t>
 * scalar path: 16-bit saturating doubling high multiply, rounding shifts, wrapping adds,
 * constants the int32 ones rounded by 2^16; fixedpoint16.h, shared with the int8 LSTM) and
 * written as Q0.15 (scale 1/32768, zero point 0). Other input scales take a TFLite path built
 * on a fixed sigmoid table, which tinysim does not run (its prepare refuses them). Values
 * only: no float, no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"
#include "fixedpoint16.h"

tsk_status tsk_logistic_s16(const tsk_logistic_params *p, int32_t count, const int16_t *in,
                            int16_t *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || p->input_left_shift != 0 ||
        p->input_multiplier != 0 || p->input_zero_point != 0) {
        return TSK_ERR_ARG;
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
    if (p == 0 || in == 0 || out == 0 || count < 0 || p->input_left_shift < 0 ||
        p->input_left_shift > 1 || p->input_multiplier != 0 || p->input_zero_point != 0) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        int32_t x = p->input_left_shift ? tsk_fx16_sat_shl(in[i], 1) : in[i];
        out[i] = (int16_t)tsk_fx16_tanh(x, 3);
    }
    return TSK_OK;
}
