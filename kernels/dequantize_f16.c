/* kernels/dequantize_f16.c: DEQUANTIZE float16 -> float32, how TFLite's float16-quantized
 * models widen their constant weights (TFLite dequantize.cc, Float16 input). Every IEEE 754
 * binary16 value is a binary32 value, so the conversion is exact; it is done on the bits (no
 * float arithmetic, so soft-float cores and the host agree bit for bit): normals re-biased
 * (15 -> 127), subnormals m * 2^-24 normalised, zeros and infinities kept with their sign,
 * NaNs kept with sign and payload (moved to the top of the binary32 fraction) and quiet: a
 * signalling NaN becomes quiet (IEEE 754 conversion; what the TFLite build of the goldens,
 * XNNPACK's f16 -> f32, and F16C or Arm FCVT hardware give). Values only: no allocation, no
 * I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* The binary32 bits of binary16 bits h. */
static uint32_t f16_to_f32_bits(uint32_t h)
{
    uint32_t sign = (h & 0x8000u) << 16, e = (h >> 10) & 0x1Fu, m = h & 0x3FFu, p = 9;

    if (e == 0x1Fu) { /* infinity; NaN, quiet bit (binary32 fraction bit 22) set */
        return sign | 0x7F800000u | (m << 13) | (m != 0 ? 0x400000u : 0u);
    }
    if (e != 0) { /* normal: 2^(e - 15) (1 + m / 2^10) */
        return sign | ((e + 112u) << 23) | (m << 13);
    }
    if (m == 0) {
        return sign;
    }
    while ((m >> p) == 0) { /* subnormal m * 2^-24: its leading bit p gives 2^(p - 24) */
        p--;
    }
    return sign | ((p + 103u) << 23) | ((m ^ (1u << p)) << (23 - p));
}

tsk_status tsk_dequantize_f16(int32_t count, const uint16_t *in, float *out)
{
    int32_t i;
    if (in == 0 || out == 0 || count < 0) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        out[i] = tsk_f32_from_bits(f16_to_f32_bits(in[i])); /* by value, no memcpy call */
    }
    return TSK_OK;
}
