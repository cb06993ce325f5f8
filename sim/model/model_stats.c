/* model_stats.c: per-op and per-model counts derived from the IR (MACs, weight and
 * activation bytes, parameters). Layer: sim/model. Pure functions over a checked model.
 * A MAC is one multiply-accumulate of a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED:
 * the convention of the MLPerf Tiny reference figures (padding taps count as MACs, bias
 * additions and other ops do not). */
#include "model_int.h"

bool ts_tensor_is_const(const ts_tensor *t)
{
    return t->data != NULL && !t->is_variable;
}

uint64_t ts_op_macs(const ts_graph *g, const ts_op *op)
{
    const ts_tensor *w, *out;

    if (op->n_inputs < 2 || op->inputs[0] < 0 || op->inputs[1] < 0 || op->n_outputs < 1)
        return 0;
    w = &g->tensors[op->inputs[1]];
    out = &g->tensors[op->outputs[0]];
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
