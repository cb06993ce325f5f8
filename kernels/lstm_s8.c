/* kernels/lstm_s8.c: UNIDIRECTIONAL_SEQUENCE_LSTM int8, TFLite's "8x8_16" integer LSTM
 * (tensorflow/lite/kernels/lstm_eval.cc: LstmStepInteger8x8_16 with
 * CalculateLstmGateInteger8x8_16, UpdateLstmCellInteger, CalculateLstmOutputInteger8x8_16 and
 * the portable tensor_utils they call), no CIFG, peepholes, projection or layer norm. Per time
 * step t and batch row b, with x the int8 input row, h the int8 output state and c the int16
 * cell state (scale 2^cell_scale), each unit u computes, for the four gates k (input, forget,
 * cell, output):
 *   g_k = sat16(MBQM(bias_k[u] + sum_i (x[i] - input_zp) * W_k[u][i], q[k]))
 *   g_k = sat16(g_k + MBQM(sum_j (h[j] - state_zp) * R_k[u][j], q[4 + k]))
 * (TFLite folds the zero points into a precomputed "effective bias"; exact integers, the same
 * sums), g_k a Q3.12 value; then i, f, o = logistic(g) and g = tanh(g_cell) on int16 Q3.12
 * into Q0.15 (gemmlowp's fixed-point logistic and tanh, 16-bit); the cell
 *   c = sat16(rdbpot(f * c, 15) + rdbpot(i * g, 30 + cell_scale)), clamped to +-cell_clip
 * when cell_clip > 0; the hidden value
 *   y = clamp8(MBQM(o * tanh(c), q[8]) - hidden_zp), tanh read with 15 + cell_scale integer
 * bits: the zero point SUBTRACTED, as TFLite's CwiseMul (portable_tensor_utils.cc
 * PortableCwiseMul and NeonCwiseMul: `value -= output_zp`) does with the hidden zero point it
 * is given; the goldens, whose hidden zero points are not 0, match only so. (Later TFLite
 * sources add it and pass -hidden_zp where a projection follows, b/246629213.) y goes to the output row; the row's output state takes the new y only after every
 * unit (all gates read the previous h). The 16-bit conversions of the two cell products
 * truncate as TFLite's static_cast does (they cannot overflow for cell_scale >= -15).
 * MBQM is MultiplyByQuantizedMultiplier in the parameters' rounding mode. Values only: no
 * floating point, no allocation, no scratch. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* ---- gemmlowp fixed point on int16 raw values (fixedpoint.h's scalar int16 path) ---- */

/* A value reduced to int16 the way C++ int16 arithmetic wraps. */
static int32_t wrap16(int32_t v)
{
    return (int32_t)(((uint32_t)v + 32768u) & 0xffffu) - 32768;
}

static int32_t sat16(int32_t v)
{
    return tsk_clamp_i32(v, -32768, 32767);
}

/* SaturatingRoundingDoublingHighMul, 16-bit: a * b / 2^15, ties away from zero. */
static int32_t srdhm16(int32_t a, int32_t b)
{
    int32_t ab = a * b;

    if (a == -32768 && b == -32768)
        return 32767;
    return (ab + (ab >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15);
}

/* SaturatingRoundingMultiplyByPOT for a left shift e in [1, 14]. */
static int32_t sat_shl16(int32_t x, int32_t e)
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
static const int16_t exp_of_minus_pot16[7] = {25520, 19875, 12055, 4435, 600, 11, 0};

/* exp(a) for a in [-1/4, 0), Q0.15: the Taylor expansion around -1/8. */
static int32_t exp_quarter16(int32_t a)
{
    int32_t x = wrap16(a + (1 << 12)); /* a + 1/8 */
    int32_t x2 = srdhm16(x, x), x3 = srdhm16(x2, x), x4 = srdhm16(x2, x2);
    int32_t poly = tsk_rdbpot(
        wrap16(srdhm16(wrap16(tsk_rdbpot(x4, 2) + x3), FX16_ONE_THIRD) + x2), 1);

    return sat16(FX16_EXP_M1_8 + srdhm16(FX16_EXP_M1_8, wrap16(x + poly)));
}

/* exp(a) for a <= 0 with ib integer bits (1..7); result Q0.15. */
static int32_t exp_neg16(int32_t a, int32_t ib)
{
    int32_t frac = 15 - ib, quarter = 1 << (frac - 2);
    int32_t a_mod = wrap16((a & (quarter - 1)) - quarter);
    int32_t result = exp_quarter16(sat_shl16(a_mod, ib));
    int32_t remainder = wrap16(a_mod - a);

    for (int32_t k = 0; k < 7; k++)
        if (ib > k - 2 && (remainder & (1 << (frac + k - 2))) != 0)
            result = srdhm16(result, exp_of_minus_pot16[k]);
    if (ib > 5 && a < -(1 << (20 - ib)))
        result = 0; /* below -32 */
    return a == 0 ? 32767 : result;
}

/* Newton-Raphson for 1 / ((1 + a) / 2), a in [0, 1) Q0.15; result Q2.13. */
static int32_t recip_half16(int32_t a)
{
    int32_t sum = a + 32767;
    int32_t half_den = (sum + (sum >= 0 ? 1 : -1)) / 2; /* RoundingHalfSum */
    int32_t x = wrap16(FX16_48_17 + srdhm16(half_den, FX16_M32_17));

    for (int32_t i = 0; i < 3; i++) {
        int32_t one_minus = wrap16((1 << 13) - srdhm16(half_den, x));
        x = wrap16(x + sat_shl16(srdhm16(x, one_minus), 2));
    }
    return x;
}

/* gemmlowp logistic of a Q3.12 value; result Q0.15. */
static int32_t logistic16(int32_t a)
{
    int32_t pos;

    if (a == 0)
        return 1 << 14;
    /* exp(-|a|): -|a| is a itself for a < 0 (the int16 negation of -32768 wraps back) */
    pos = sat_shl16(recip_half16(exp_neg16(a > 0 ? -a : a, 3)), 1);
    return a > 0 ? pos : wrap16(32767 - pos);
}

/* gemmlowp tanh of a value with ib integer bits (0..6); result Q0.15. */
static int32_t tanh16(int32_t a, int32_t ib)
{
    int32_t t;

    if (a == 0)
        return 0;
    t = recip_half16(exp_neg16(a < 0 ? a : -a, ib + 1)); /* exp(-2|a|) */
    t = sat_shl16(wrap16(t - (1 << 13)), 2);             /* (1 - e) / (1 + e) */
    return a < 0 ? -t : t;
}

/* ---- the LSTM ---- */

/* sum (v[i] - zp) * w[i], i < n, exact in int32 for the sizes tinysim accepts. */
static int32_t dot_off(const int8_t *v, int32_t zp, const int8_t *w, int32_t n)
{
    return tsk_dot_s8(v, w, n) - zp * tsk_sum_s8(w, n);
}

/* One batch row at one time step: x [input_size] in, y [units] out; h and c its states. */
static void lstm_row(const tsk_lstm_s8_params *p, const tsk_quant *q, const void *const *in,
                     const int8_t *x, int8_t *h, int16_t *c, int8_t *y)
{
    const int32_t *m = q->multiplier, *s = q->shift;
    int32_t n_in = p->input_size, n = p->units, r = p->rounding;

    for (int32_t u = 0; u < n; u++) {
        int32_t gate[4], cell, act;
        for (int32_t k = 0; k < 4; k++) {
            const int8_t *w = (const int8_t *)in[TSK_LSTM_W_INPUT + k] + (size_t)u * (size_t)n_in;
            const int8_t *rw = (const int8_t *)in[TSK_LSTM_W_RECURRENT + k] + (size_t)u * (size_t)n;
            int32_t acc = ((const int32_t *)in[TSK_LSTM_BIAS + k])[u] + dot_off(x, p->input_zp, w, n_in);
            int32_t g = sat16(tsk_mbqm_r(acc, m[TSK_LSTM_S8_Q_INPUT + k],
                                         s[TSK_LSTM_S8_Q_INPUT + k], r));
            acc = dot_off(h, p->state_zp, rw, n);
            gate[k] = sat16(g + tsk_mbqm_r(acc, m[TSK_LSTM_S8_Q_RECURRENT + k],
                                           s[TSK_LSTM_S8_Q_RECURRENT + k], r));
        }
        /* TFLite's CwiseMul(f, c, 15), CwiseMul(i, g, 30 + cell_scale), CwiseAdd, clip */
        cell = wrap16(tsk_rdbpot(logistic16(gate[1]) * c[u], 15)) +
               wrap16(tsk_rdbpot(logistic16(gate[0]) * tanh16(gate[2], 3), 30 + p->cell_scale));
        cell = sat16(cell);
        if (p->cell_clip > 0)
            cell = tsk_clamp_i32(cell, -p->cell_clip, p->cell_clip);
        c[u] = (int16_t)cell;
        act = logistic16(gate[3]) * tanh16(cell, 15 + p->cell_scale);
        act = tsk_mbqm_r(act, m[TSK_LSTM_S8_Q_HIDDEN], s[TSK_LSTM_S8_Q_HIDDEN], r) - p->hidden_zp;
        y[u] = (int8_t)tsk_clamp_i32(act, -128, 127);
    }
    memcpy(h, y, (size_t)n);
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
        q->n != TSK_LSTM_S8_N_QUANT || q->multiplier == 0 || q->shift == 0 || !tsk_lstm_inputs_ok(in))
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
