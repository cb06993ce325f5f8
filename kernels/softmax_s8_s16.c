/* kernels/softmax_s8_s16.c: SOFTMAX int8 -> int16 over the innermost dimension, bit-exact with
 * TFLite's interpreter, which runs its float-table kernel for this pair of types
 * (tensorflow/lite/kernels/activations.cc SoftmaxEval -> optimized_ops::Softmax<int8_t,
 * int16_t>, the table from PopulateSoftmaxLookupTable): per row, the float sum of the table's
 * exp(-input_scale * beta * (max - x)) in element order, one reciprocal of the sum times the
 * output scale, and each output round(entry * reciprocal) (half away from zero) plus the zero
 * point, clamped to int16. Single-precision IEEE-754 arithmetic in that order (the build's
 * -std=c11 keeps the compiler from fusing a multiply and an add); the table comes from the
 * host (tsk_softmax_prepare_s8_s16) as the requantisation multipliers, float bit patterns.
 * No allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

static float table_entry(const int32_t *lut, int32_t d)
{
    return tsk_f32_from_bits((uint32_t)lut[d]);
}

static void softmax_row(const tsk_softmax_s8_s16_params *p, const int32_t *lut,
                        const int8_t *in, int32_t depth, int16_t *out)
{
    int32_t max_in = INT8_MIN, c;
    float sum = 0.0f, inv;
    for (c = 0; c < depth; c++) {
        max_in = tsk_max_i32(max_in, in[c]);
    }
    for (c = 0; c < depth; c++) {
        sum += table_entry(lut, max_in - in[c]);
    }
    inv = 1.0f / (sum * p->output_scale);
    for (c = 0; c < depth; c++) {
        float prob = table_entry(lut, max_in - in[c]) * inv;
        /* prob >= 0 and the zero point in int16: the sum cannot overflow in 64 bits */
        int64_t v = (int64_t)tsk_round_f32(prob) + p->output_zero_point;
        out[c] = (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
    }
}

tsk_status tsk_softmax_s8_s16(const tsk_softmax_s8_s16_params *p, const tsk_quant *lut,
                              const tsk_dims *dims, const int8_t *in, int16_t *out)
{
    int32_t count, r;
    if (p == 0 || lut == 0 || lut->multiplier == 0 || lut->n != TSK_SOFTMAX_S8_S16_LUT ||
        dims == 0 || in == 0 || out == 0 || !(p->output_scale > 0.0f) ||
        p->output_zero_point < INT16_MIN || p->output_zero_point > INT16_MAX) {
        return TSK_ERR_ARG;
    }
    count = tsk_dims_count(dims);
    if (count < 0 || dims->c < 1) {
        return TSK_ERR_ARG;
    }
    for (r = 0; r < count / dims->c; r++) {
        softmax_row(p, lut->multiplier, in + (int64_t)r * dims->c, dims->c,
                    out + (int64_t)r * dims->c);
    }
    return TSK_OK;
}
