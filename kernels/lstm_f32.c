/* kernels/lstm_f32.c: UNIDIRECTIONAL_SEQUENCE_LSTM float32, one invocation over every time
 * step. Per time step t and batch row b, with x the input row and h, c that row's output and
 * cell state, each unit u computes its four gates, in TFLite's order of operations
 * (tensorflow/lite/kernels/lstm_eval.cc, LstmStepWithAuxInput, float path without CIFG,
 * peepholes, projection or layer norm):
 *   gate_k = (bias_k[u] + dot(W_k[u], x)) + dot(R_k[u], h)   k = input, forget, cell, output
 *   (each dot product starts at 0 and adds its terms in index order, then is added to the
 *   gate: TFLite's portable MatrixBatchVectorMultiplyAccumulate)
 *   i = sigmoid(gate_input), f = sigmoid(gate_forget), g = tanh(gate_cell),
 *   o = sigmoid(gate_output)
 *   c[u] = f * c[u], then c[u] = c[u] + g * i, clamped to +-cell_clip when cell_clip > 0
 *   y[u] = o * tanh(c[u])
 * and only after every unit of the row the new h becomes the row's output state (the gates
 * of all units read the previous h). The cell state is updated in place unit by unit (no
 * gate of another unit reads it: no peepholes), the new h is written straight into the
 * output row and copied to the output state, so the kernel needs no scratch. Rows are
 * independent, so batch-major and time-major layouts only change where x and y are.
 * sigmoid and tanh are the libm-free functions of the LOGISTIC and TANH kernels (tanh through
 * math_f32.c's tsk_tanh1_f32, so that an image with the LSTM links no TANH kernel), so the host
 * and every core compute the same bits; TFLite's own (XNNPACK/Eigen) differ from them by a few
 * ULP (the golden manifest states the tolerance). Values only: no allocation, no I/O. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* dot(w, x) over n terms, from 0, in index order. */
static float dot_f32(const float *w, const float *x, int32_t n)
{
    float s = 0.0f;

    for (int32_t i = 0; i < n; i++)
        s += w[i] * x[i];
    return s;
}

static float sigmoid_f32(float x)
{
    float y;

    (void)tsk_logistic_f32(1, &x, &y);
    return y;
}

/* One batch row at one time step: x [input_size] in, y [units] out; h and c its states. */
static void lstm_row(const tsk_lstm_params *p, const void *const *in, const float *x, float *h,
                     float *c, float *y)
{
    int32_t n_in = p->input_size, n = p->units;

    for (int32_t u = 0; u < n; u++) {
        float gate[4], cell;
        for (int32_t k = 0; k < 4; k++) {
            const float *w = (const float *)in[TSK_LSTM_W_INPUT + k] + (size_t)u * (size_t)n_in;
            const float *r = (const float *)in[TSK_LSTM_W_RECURRENT + k] + (size_t)u * (size_t)n;
            float g = ((const float *)in[TSK_LSTM_BIAS + k])[u];
            g += dot_f32(w, x, n_in);
            g += dot_f32(r, h, n);
            gate[k] = g;
        }
        cell = sigmoid_f32(gate[1]) * c[u];
        cell += tsk_tanh1_f32(gate[2]) * sigmoid_f32(gate[0]);
        if (p->cell_clip > 0.0f)
            cell = tsk_clamp_f32(cell, -p->cell_clip, p->cell_clip);
        c[u] = cell;
        y[u] = sigmoid_f32(gate[3]) * tsk_tanh1_f32(cell);
    }
    memcpy(h, y, (size_t)n * sizeof *h);
}

tsk_status tsk_lstm_f32(const tsk_lstm_params *p, const void *const *in, float *out)
{
    float *h, *c;

    if (p == 0 || in == 0 || out == 0 || p->batch < 1 || p->time < 1 || p->input_size < 1 ||
        p->units < 1 || (p->time_major != 0 && p->time_major != 1) || !(p->cell_clip >= 0.0f) ||
        !tsk_lstm_inputs_ok(in))
        return TSK_ERR_ARG;
    h = (float *)(uintptr_t)in[TSK_LSTM_OUTPUT_STATE];
    c = (float *)(uintptr_t)in[TSK_LSTM_CELL_STATE];
    for (int32_t t = 0; t < p->time; t++)
        for (int32_t b = 0; b < p->batch; b++) {
            size_t row = tsk_lstm_row(p->time_major, p->batch, p->time, t, b);
            const float *x = (const float *)in[TSK_LSTM_INPUT] + row * (size_t)p->input_size;
            lstm_row(p, in, x, h + (size_t)b * (size_t)p->units,
                     c + (size_t)b * (size_t)p->units, out + row * (size_t)p->units);
        }
    return TSK_OK;
}
