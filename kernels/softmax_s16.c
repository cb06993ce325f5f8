/* kernels/softmax_s16.c: SOFTMAX int16 -> int16 over the innermost dimension (16x8), bit-exact
 * with TFLite's reference SoftmaxInt16: each difference to the row maximum is scaled so that
 * [-65535, 0] spans [-10, 0] (beta * input scale folded into one multiplier), moved to the
 * symmetric int16 range and looked up, with linear interpolation, in a 513-entry exp table;
 * the Q0.15 exponentials are summed, the sum normalised to [1, 2) and its reciprocal looked up
 * in a 513-entry 1/(1+x) table; each exponential times the reciprocal, shifted back, is the
 * output (scale 1/32768, zero point 0). Both tables come from the host
 * (tsk_softmax_prepare_s16) through the requantisation table pair: multipliers = exp(x) over
 * [-10, 0], shifts = 1/(1+x) over [0, 1], int16 values held as int32. The exponentials are
 * staged in the output row (written at the index just read, so in and out may alias).
 * Values only: no float, no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* A 513-entry table over the int16 range: entry 256 + (v >> 7) plus the slope to the next
 * entry times the low 7 bits, rounded (TFLite's int16 table lookup with interpolation). */
static int32_t lut_lookup(const int32_t *lut, int32_t v)
{
    int32_t i = 256 + (v >> 7), base = lut[i];
    return base + (((lut[i + 1] - base) * (v & 0x7f) + 64) >> 7);
}

static void softmax_row(const tsk_softmax_params *p, const int32_t *exp_lut,
                        const int32_t *recip_lut, const int16_t *in, int32_t depth, int16_t *out)
{
    int32_t max_in = INT16_MIN, sum = 0, c, lz, shift, recip;
    int64_t shifted;

    for (c = 0; c < depth; c++) {
        max_in = tsk_max_i32(max_in, in[c]);
    }
    for (c = 0; c < depth; c++) {
        int32_t scaled = tsk_mbqm_r((int32_t)in[c] - max_in, p->input_multiplier,
                                    p->input_left_shift, p->rounding);
        int32_t e = lut_lookup(exp_lut, tsk_clamp_i32(scaled + 32767, INT16_MIN, INT16_MAX));
        out[c] = (int16_t)e;
        sum += e; /* Q16.15; at least exp(0) ~ 1, at most depth < 2^16 */
    }
    /* sum = 2^(31 - lz) * (1 + x), x in [0, 1): x in Q0.16, moved to [-32768, 32767] */
    lz = tsk_clz32((uint32_t)sum);
    shifted = (((int64_t)sum << (lz - 1)) + (1 << 13)) >> 14;
    recip = lut_lookup(recip_lut, tsk_clamp_i32((int32_t)shifted - (65536 + 32768), INT16_MIN,
                                                INT16_MAX));
    shift = 31 - lz;
    for (c = 0; c < depth; c++) {
        int64_t v = ((int64_t)out[c] * recip + ((int64_t)1 << (shift - 1))) >> shift;
        out[c] = (int16_t)tsk_clamp_i32((int32_t)v, 0, INT16_MAX);
    }
}

tsk_status tsk_softmax_s16(const tsk_softmax_params *p, const tsk_quant *luts,
                           const tsk_dims *dims, const int16_t *in, int16_t *out)
{
    int32_t count, r;
    if (p == 0 || luts == 0 || luts->multiplier == 0 || luts->shift == 0 ||
        luts->n != TSK_SOFTMAX_S16_LUT || dims == 0 || in == 0 || out == 0 ||
        p->input_left_shift < -31 || p->input_left_shift > 30 ||
        !tsk_rounding_ok(p->rounding)) {
        return TSK_ERR_ARG;
    }
    count = tsk_dims_count(dims);
    if (count < 0 || dims->c < 1) {
        return TSK_ERR_ARG;
    }
    for (r = 0; r < count / dims->c; r++) {
        softmax_row(p, luts->multiplier, luts->shift, in + (int64_t)r * dims->c, dims->c,
                    out + (int64_t)r * dims->c);
    }
    return TSK_OK;
}
