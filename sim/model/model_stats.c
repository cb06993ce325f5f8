/* model_stats.c: per-op and per-model counts derived from the IR (MACs, weight and
 * activation bytes, parameters). Layer: sim/model. Pure functions over a checked model.
 * A MAC is one multiply-accumulate of a CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED or
 * TRANSPOSE_CONV: the convention of the MLPerf Tiny reference figures (every multiply-accumulate
 * the op's loop nest performs, padding taps included; bias additions and other ops do not
 * count); SVDF (run since ops-rnn) and the LSTMs, which tinysim does not run, are counted the
 * same way from their tensor shapes (below). */
#include "model_int.h"

bool ts_tensor_is_const(const ts_tensor *t)
{
    return t->data != NULL && !t->is_variable;
}

int32_t ts_graph_n_variables(const ts_graph *g)
{
    int32_t n = 0;

    for (int32_t i = 0; i < g->n_tensors; i++)
        n += g->tensors[i].is_variable;
    return n;
}

/* ---- MACs from tensor shapes alone (ops tinysim does not run, and SVDF) ----
 * Options are not used (those of unsupported ops are not decoded), so only shapes are, with the convention of the conv/FC
 * counts: one MAC per weight element per use (per input pixel, time step and batch row);
 * biases, gate activations and elementwise gate products are not MACs. Input layouts:
 * tensorflow/lite/kernels (transpose_conv.cc, svdf.cc, lstm_shared.h). Unsupported ops are
 * not checked by model_check, so every index and shape is guarded here. */

/* BuiltinOperator values (tensorflow/lite/schema/schema.fbs). */
enum { TFL_LSTM = 16, TFL_SVDF = 27, TFL_UNI_LSTM = 44, TFL_BI_LSTM = 52, TFL_TRANSPOSE_CONV = 67 };

/* Input j of op, or NULL when absent or out of range. */
static const ts_tensor *input_of(const ts_graph *g, const ts_op *op, int32_t j)
{
    if (j >= op->n_inputs || op->inputs[j] < 0 || op->inputs[j] >= g->n_tensors)
        return NULL;
    return &g->tensors[op->inputs[j]];
}

/* TRANSPOSE_CONV: inputs output_shape, weights [OC,KH,KW,IC], input [N,H,W,IC]; every input
 * element meets KH*KW*OC weights: N * H*W*IC * KH*KW*OC (also the taps that the output
 * crops, which TFLite's scatter loop visits and skips). Used for the supported op too. */
static uint64_t transpose_conv_macs(const ts_graph *g, const ts_op *op)
{
    const ts_tensor *w = input_of(g, op, 1), *in = input_of(g, op, 2);

    if (!w || !in || w->rank != 4 || w->shape[3] <= 0)
        return 0;
    return (uint64_t)in->n_elems * (uint64_t)(w->n_elems / w->shape[3]);
}

/* SVDF: input [batch, input_size], weights_feature [filters, input_size], weights_time
 * [filters, memory_size]: batch * (filters*input_size + filters*memory_size). */
static uint64_t svdf_macs(const ts_graph *g, const ts_op *op)
{
    const ts_tensor *in = input_of(g, op, 0), *wf = input_of(g, op, 1), *wt = input_of(g, op, 2);

    if (!in || !wf || !wt || wf->rank != 2 || wf->shape[1] <= 0)
        return 0;
    return (uint64_t)(in->n_elems / wf->shape[1]) * (uint64_t)(wf->n_elems + wt->n_elems);
}

/* LSTM, UNIDIRECTIONAL_ and BIDIRECTIONAL_SEQUENCE_LSTM: rows = input elements / n_input
 * (time steps x batch); per row every 2-D constant input is a weight matrix used once (the
 * input-to-gate and recurrent weights, 4 each or 3 with CIFG, the projection; both directions
 * of the bidirectional op, each of which reads every time step) and every peephole vector
 * [n_cell] is one MAC per cell (inputs 9-11, and 26-28 backward). */
static uint64_t lstm_macs(const ts_graph *g, const ts_op *op)
{
    const ts_tensor *in = input_of(g, op, 0);
    uint64_t per_row = 0;

    if (!in || in->rank < 1 || in->shape[in->rank - 1] <= 0)
        return 0;
    for (int32_t j = 1; j < op->n_inputs; j++) {
        const ts_tensor *t = input_of(g, op, j);
        bool peephole = (j >= 9 && j <= 11) || (op->builtin_code == TFL_BI_LSTM && j >= 26 &&
                                                 j <= 28);
        if (t && ts_tensor_is_const(t) && (t->rank == 2 || (peephole && t->rank == 1)))
            per_row += (uint64_t)t->n_elems;
    }
    return (uint64_t)(in->n_elems / in->shape[in->rank - 1]) * per_row;
}

static uint64_t unsupported_macs(const ts_graph *g, const ts_op *op)
{
    switch (op->is_custom ? -1 : op->builtin_code) {
    case TFL_TRANSPOSE_CONV: return transpose_conv_macs(g, op);
    case TFL_SVDF: return svdf_macs(g, op);
    case TFL_LSTM: case TFL_UNI_LSTM: case TFL_BI_LSTM: return lstm_macs(g, op);
    default: return 0;
    }
}

uint64_t ts_op_macs(const ts_graph *g, const ts_op *op)
{
    const ts_tensor *w, *out;

    if (op->kind == TS_OP_UNSUPPORTED || op->kind == TS_OP_SVDF ||
        op->kind == TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM)
        return unsupported_macs(g, op); /* SVDF: counted from shapes alike, run or not */
    if (op->kind == TS_OP_TRANSPOSE_CONV)
        return transpose_conv_macs(g, op);
    if (op->n_inputs < 2 || op->inputs[0] < 0 || op->inputs[1] < 0 || op->n_outputs < 1)
        return 0;
    w = &g->tensors[op->inputs[1]];
    out = &g->tensors[op->outputs[0]];
    /* BATCH_MATMUL per output element: the inner dimension K of lhs ([.., M, K], or [.., K, M]
     * with adj_x), as FULLY_CONNECTED counts its input features (MLPerf Tiny convention) */
    if (op->kind == TS_OP_BATCH_MATMUL) {
        const ts_tensor *lhs = &g->tensors[op->inputs[0]];
        if (lhs->rank < 2)
            return 0;
        return (uint64_t)out->n_elems *
               (uint64_t)lhs->shape[lhs->rank - (op->opts.bmm.adj_x ? 2 : 1)];
    }
    /* CONV_2D per output element: KH * KW * (C / groups); DEPTHWISE: KH * KW;
     * FULLY_CONNECTED: the input features. */
    if (op->kind == TS_OP_CONV_2D)
        return (uint64_t)out->n_elems * (uint64_t)w->shape[1] * (uint64_t)w->shape[2] *
               (uint64_t)w->shape[3];
    if (op->kind == TS_OP_DEPTHWISE_CONV_2D)
        return (uint64_t)out->n_elems * (uint64_t)w->shape[1] * (uint64_t)w->shape[2];
    if (op->kind == TS_OP_FULLY_CONNECTED)
        return (uint64_t)out->n_elems * (uint64_t)w->shape[1];
    return 0;
}

uint64_t ts_op_weight_bytes(const ts_graph *g, const ts_op *op)
{
    uint64_t n = 0;

    for (int32_t j = 0; j < op->n_inputs; j++)
        if (op->inputs[j] >= 0 && ts_tensor_is_const(&g->tensors[op->inputs[j]]))
            n += g->tensors[op->inputs[j]].size_bytes;
    return n;
}

uint64_t ts_op_activation_bytes(const ts_graph *g, const ts_op *op)
{
    uint64_t n = 0;

    for (int32_t j = 0; j < op->n_inputs; j++)
        if (op->inputs[j] >= 0 && !ts_tensor_is_const(&g->tensors[op->inputs[j]]))
            n += g->tensors[op->inputs[j]].size_bytes;
    for (int32_t j = 0; j < op->n_outputs; j++)
        n += g->tensors[op->outputs[j]].size_bytes;
    return n;
}

void ts_model_param_totals(const ts_model *m, uint64_t *n_params, uint64_t *weight_bytes)
{
    const ts_graph *g = ts_model_graph(m);
    uint64_t p = 0, b = 0;

    /* Count each buffer once: two tensors may share one constant buffer. */
    for (int32_t i = 0; i < g->n_tensors; i++) {
        const ts_tensor *t = &g->tensors[i];
        bool seen = false;
        if (!ts_tensor_is_const(t))
            continue;
        for (int32_t j = 0; j < i && !seen; j++)
            seen = ts_tensor_is_const(&g->tensors[j]) && g->tensors[j].buffer == t->buffer;
        if (seen)
            continue;
        p += (uint64_t)t->n_elems;
        b += t->size_bytes;
    }
    *n_params = p;
    *weight_bytes = b;
}
