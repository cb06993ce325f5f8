/* kernels/requant.c: exported entry points for the integer requantisation primitives
 * (TFLite/gemmlowp semantics, both rounding modes) so the executor, the unit models and the
 * tests can call them; the kernels themselves use the inline versions in kernels_int.h.
 * Integer only: no floating point, no state, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

int32_t tsk_sat_rounding_doubling_high_mul_s32(int32_t a, int32_t b)
{
    return tsk_srdhm(a, b);
}

int32_t tsk_rounding_divide_by_pot_s32(int32_t x, int32_t exponent)
{
    return exponent < 0 ? x : tsk_rdbpot(x, exponent);
}

int32_t tsk_multiply_by_quantized_multiplier_s32(int32_t x, int32_t multiplier, int32_t shift)
{
    return tsk_mbqm(x, multiplier, shift);
}

int32_t tsk_requant_s32(int32_t x, int32_t multiplier, int32_t shift, tsk_rounding rounding)
{
    return tsk_mbqm_r(x, multiplier, shift, (int32_t)rounding);
}
