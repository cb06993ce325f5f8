/* kernels/lstm_s8.c: UNIDIRECTIONAL_SEQUENCE_LSTM int8, TFLite's "8x8_16" integer LSTM
 * (tensorflow/lite/kernels/lstm_eval.cc: LstmStepInteger8x8_16 with
 * CalculateLstmGateInteger8x8_16, UpdateLstmCellInteger, CalculateLstmOutputInteger8x8_16 and
 * the portable tensor_utils they call), no CIFG, peepholes, projection or layer norm. Per time
 * step t and batch row b, with x the int8 input row, h the int8 output state and c the int16
 * cell state (scale 2^cell_scale), each unit u computes, for the four gates k (input, forget,
 * cell, output):
 *   g_k = sat16(MBQM(bias_k[u] + sum_i (x[i] - input_zp) * W_k[u][i], q[k]))
 *   g_k = sat16(g_k + MBQM(sum_j (h[j] - state_zp) * R_k[u][j], q[4 + k]))
 * as TFLite computes them: the zero points folded into "effective biases" (bias_k[u] -
 * input_zp * sum_i W_k[u][i] and -state_zp * sum_j R_k[u][j]) once, when the op is prepared
 * (tsk_lstm_prepare_s8 on the host; the kernel reads them after the scales in q), so a step
 * adds a bias to each plain dot product; g_k a Q3.12 value; then i, f, o =
 * logistic(g) and g = tanh(g_cell) on int16 Q3.12 into Q0.15 (gemmlowp's fixed-point
 * logistic and tanh, 16-bit: fixedpoint16.h); the cell
 *   c = sat16(rdbpot(f * c, 15) + rdbpot(i * g, 30 + cell_scale)), clamped to +-cell_clip
 * when cell_clip > 0; the hidden value
 *   y = clamp8(MBQM(o * tanh(c), q[8]) - hidden_zp), tanh read with 15 + cell_scale integer
 * bits: the zero point SUBTRACTED, as TFLite's CwiseMul (portable_tensor_utils.cc
 * PortableCwiseMul and NeonCwiseMul: `value -= output_zp`) does with the hidden zero point it
 * is given; the goldens, whose hidden zero points are not 0, match only so. (Later TFLite
 * sources add it and pass -hidden_zp where a projection follows, b/246629213.) y goes to the
 * output row; the row's output state takes the new y only after every
 * unit (all gates read the previous h). The 16-bit conversions of the two cell products
 * truncate as TFLite's static_cast does (they cannot overflow for cell_scale >= -15).
 * MBQM is MultiplyByQuantizedMultiplier in the parameters' rounding mode. Values only: no
 * floating point, no allocation, no scratch. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"
#include "fixedpoint16.h"

/* ---- the LSTM ---- */

/* Gate k's effective biases for unit u: the input matmul's bias_k[u] - input_zp * sum_i
 * W_k[u][i], the recurrent matmul's -state_zp * sum_j R_k[u][j] (in int32 that
 * wraps, as TFLite's does). The bias is read before *b_in is written (it may be the same int32). */
static void eff_bias(const tsk_lstm_s8_params *p, const void *const *in, int32_t k, int32_t u,
                     int32_t *b_in, int32_t *b_rec)
{
    int32_t n_in = p->input_size, n = p->units;
    const int8_t *w = (const int8_t *)in[TSK_LSTM_W_INPUT + k] + (size_t)u * (size_t)n_in;
    const int8_t *rw = (const int8_t *)in[TSK_LSTM_W_RECURRENT + k] + (size_t)u * (size_t)n;

    /* in uint32 (defined wrap, as TFLite's int32 arithmetic wraps on its targets): a model's
     * extreme bias and zero point must not make this undefined behaviour */
    *b_in = (int32_t)((uint32_t)((const int32_t *)in[TSK_LSTM_BIAS + k])[u] -
                      (uint32_t)p->input_zp * (uint32_t)tsk_sum_s8(w, n_in));
    *b_rec = (int32_t)(0u - (uint32_t)p->state_zp * (uint32_t)tsk_sum_s8(rw, n));
}

/* One batch row at one time step: x [input_size] in, y [units] out; h and c its states. The
 * op's effective biases follow the scales in q (bi, br). */
static void lstm_row(const tsk_lstm_s8_params *p, const tsk_quant *q, const void *const *in,
                     const int8_t *x, int8_t *h, int16_t *c, int8_t *y)
{
    const int32_t *m = q->multiplier, *s = q->shift;
    const int32_t *bi = m + TSK_LSTM_S8_Q_BIAS, *br = s + TSK_LSTM_S8_Q_BIAS;
    int32_t n_in = p->input_size, n = p->units, r = p->rounding;

    for (int32_t u = 0; u < n; u++) {
        int32_t gate[4], cell, act;
        for (int32_t k = 0; k < 4; k++) {
            const int8_t *w = (const int8_t *)in[TSK_LSTM_W_INPUT + k] + (size_t)u * (size_t)n_in;
            const int8_t *rw = (const int8_t *)in[TSK_LSTM_W_RECURRENT + k] + (size_t)u * (size_t)n;
            int32_t b_in = bi[k * n + u], b_rec = br[k * n + u], g;
            g = tsk_sat16(tsk_mbqm_r((int32_t)((uint32_t)b_in + (uint32_t)tsk_dot_s8(x, w, n_in)),
                                     m[TSK_LSTM_S8_Q_INPUT + k],
                                     s[TSK_LSTM_S8_Q_INPUT + k], r));
            gate[k] = tsk_sat16(g + tsk_mbqm_r((int32_t)((uint32_t)b_rec +
                                                          (uint32_t)tsk_dot_s8(h, rw, n)),
                                               m[TSK_LSTM_S8_Q_RECURRENT + k],
                                               s[TSK_LSTM_S8_Q_RECURRENT + k], r));
        }
        /* TFLite's CwiseMul(f, c, 15), CwiseMul(i, g, 30 + cell_scale), CwiseAdd, clip */
        cell = tsk_wrap16(tsk_rdbpot(tsk_fx16_logistic(gate[1]) * c[u], 15)) +
               tsk_wrap16(tsk_rdbpot(tsk_fx16_logistic(gate[0]) * tsk_fx16_tanh(gate[2], 3),
                                     30 + p->cell_scale));
        cell = tsk_sat16(cell);
        if (p->cell_clip > 0)
            cell = tsk_clamp_i32(cell, -p->cell_clip, p->cell_clip);
        c[u] = (int16_t)cell;
        act = tsk_fx16_logistic(gate[3]) * tsk_fx16_tanh(cell, 15 + p->cell_scale);
        act = tsk_mbqm_r(act, m[TSK_LSTM_S8_Q_HIDDEN], s[TSK_LSTM_S8_Q_HIDDEN], r) - p->hidden_zp;
        y[u] = (int8_t)tsk_clamp_i32(act, -128, 127);
    }
    memcpy(h, y, (size_t)n);
}

/* The scales and the effective biases of `units` units. */
static int quant_ok(const tsk_quant *q, int32_t units)
{
    return q->multiplier != 0 && q->shift != 0 && units <= (INT32_MAX - TSK_LSTM_S8_N_QUANT) / 4 &&
           q->n == TSK_LSTM_S8_N_QUANT + 4 * units;
}

tsk_status tsk_lstm_s8(const tsk_lstm_s8_params *p, const tsk_quant *q, const void *const *in,
                       int8_t *out)
{
    int8_t *h;
    int16_t *c;

    if (p == 0 || q == 0 || in == 0 || out == 0 || p->batch < 1 || p->time < 1 ||
        p->input_size < 1 || p->units < 1 || (p->time_major != 0 && p->time_major != 1) ||
        p->cell_scale < -15 || p->cell_scale > -9 || p->cell_clip < 0 || p->cell_clip > 32767 ||
        p->input_zp < -128 || p->input_zp > 127 || p->state_zp < -128 || p->state_zp > 127 ||
        p->hidden_zp < -128 || p->hidden_zp > 127 || !tsk_rounding_ok(p->rounding) ||
        !quant_ok(q, p->units) || !tsk_lstm_inputs_ok(in))
        return TSK_ERR_ARG;
    h = (int8_t *)(uintptr_t)in[TSK_LSTM_OUTPUT_STATE];
    c = (int16_t *)(uintptr_t)in[TSK_LSTM_CELL_STATE];
    for (int32_t t = 0; t < p->time; t++)
        for (int32_t b = 0; b < p->batch; b++) {
            size_t row = tsk_lstm_row(p->time_major, p->batch, p->time, t, b);
            const int8_t *x = (const int8_t *)in[TSK_LSTM_INPUT] + row * (size_t)p->input_size;
            lstm_row(p, q, in, x, h + (size_t)b * (size_t)p->units,
                     c + (size_t)b * (size_t)p->units, out + row * (size_t)p->units);
        }
    return TSK_OK;
}

tsk_status tsk_lstm_prepare_s8(const tsk_lstm_s8_params *p, const void *const *in,
                               int32_t *eff_in, int32_t *eff_rec)
{
    if (p == 0 || in == 0 || eff_in == 0 || eff_rec == 0 || p->input_size < 1 || p->units < 1 ||
        p->input_zp < -128 || p->input_zp > 127 || p->state_zp < -128 || p->state_zp > 127)
        return TSK_ERR_ARG;
    for (int32_t k = 0; k < 4; k++)
        if (in[TSK_LSTM_W_INPUT + k] == 0 || in[TSK_LSTM_W_RECURRENT + k] == 0 ||
            in[TSK_LSTM_BIAS + k] == 0)
            return TSK_ERR_ARG;
    for (int32_t k = 0; k < 4; k++)
        for (int32_t u = 0; u < p->units; u++)
            eff_bias(p, in, k, u, eff_in + (size_t)k * (size_t)p->units + u,
                     eff_rec + (size_t)k * (size_t)p->units + u);
    return TSK_OK;
}
