/* kernels/softmax_s8.c: SOFTMAX int8 -> int8 over the innermost dimension, bit-exact with
 * TFLite Micro's int8 softmax (reference_ops::Softmax, quantized): differences to the row
 * maximum are scaled to Q5.26, exponentiated in gemmlowp fixed point, summed in Q12.19,
 * normalised with a fixed-point reciprocal and written with scale 1/256, zero point -128.
 * Values only: no float, no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

enum {
    SCALED_DIFF_INTEGER_BITS = 5, /* integer bits of the scaled input differences */
    ACCUM_INTEGER_BITS = 12       /* integer bits of the sum of exponentials */
};

/* exp(beta * scale * diff) in Q0.31 for diff = x - max <= 0 (diff >= diff_min). */
static int32_t exp_of_diff(const tsk_softmax_params *p, int32_t diff)
{
    int32_t scaled = tsk_mbqm_r(diff, p->input_multiplier, p->input_left_shift, p->rounding);
    return tsk_fx_exp_on_negative_values(scaled, SCALED_DIFF_INTEGER_BITS);
}

static void softmax_row(const tsk_softmax_params *p, const int8_t *in, int32_t depth,
                        int8_t *out)
{
    int32_t max_in = INT8_MIN;
    int32_t sum = 0; /* Q12.19 */
    int32_t scale, bits_over_unit, c;
    for (c = 0; c < depth; c++) {
        max_in = tsk_max_i32(max_in, in[c]);
    }
    for (c = 0; c < depth; c++) {
        int32_t diff = (int32_t)in[c] - max_in;
        if (diff >= p->diff_min) {
            sum = tsk_add_wrap(sum, tsk_rdbpot(exp_of_diff(p, diff), ACCUM_INTEGER_BITS));
        }
    }
    scale = tsk_fx_reciprocal(sum, ACCUM_INTEGER_BITS, &bits_over_unit);
    for (c = 0; c < depth; c++) {
        int32_t diff = (int32_t)in[c] - max_in;
        int32_t v = INT8_MIN;
        if (diff >= p->diff_min) {
            int32_t prob = tsk_srdhm(scale, exp_of_diff(p, diff));
            v = tsk_rdbpot(prob, bits_over_unit + 31 - 8) + INT8_MIN;
        }
        out[c] = (int8_t)tsk_clamp_i32(v, INT8_MIN, INT8_MAX);
    }
}

tsk_status tsk_softmax_s8(const tsk_softmax_params *p, const tsk_dims *dims, const int8_t *in,
                          int8_t *out)
{
    int32_t count, rows, r;
    if (p == 0 || dims == 0 || in == 0 || out == 0 || p->input_left_shift < 0 ||
        p->input_left_shift > 30 || p->diff_min > 0 || !tsk_rounding_ok(p->rounding)) {
        return TSK_ERR_ARG;
    }
    count = tsk_dims_count(dims);
    if (count < 0) {
        return TSK_ERR_ARG;
    }
    rows = count / dims->c;
    for (r = 0; r < rows; r++) {
        softmax_row(p, in + (int64_t)r * dims->c, dims->c, out + (int64_t)r * dims->c);
    }
    return TSK_OK;
}
