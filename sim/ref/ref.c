/* ref.c: life cycle of the host reference executor: prepare every op (ref_prepare.c), plan
 * the arena with per-op scratch (sim/plan), allocate it, bind tensors to arena offsets or
 * constant data, and the input/output/inspection accessors. Layer: sim/ref.
 * Values only: no timing, no printing. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "ref_int.h"

#define ARENA_ALIGN 16

static ts_ref *ref_new(const ts_graph *g, const char *source)
{
    ts_ref *r = ts_calloc(1, sizeof *r);

    if (!r)
        return NULL;
    r->g = g;
    r->source = source;
    r->ops = ts_calloc((size_t)g->n_ops + 1, sizeof *r->ops);
    r->tensor_ptr = ts_calloc((size_t)g->n_tensors + 1, sizeof *r->tensor_ptr);
    r->const_copy = ts_calloc((size_t)g->n_tensors + 1, sizeof *r->const_copy);
    r->input_copy = ts_calloc((size_t)g->n_inputs + 1, sizeof *r->input_copy);
    r->input_frames = ts_calloc((size_t)g->n_inputs + 1, sizeof *r->input_frames);
    if (!r->ops || !r->tensor_ptr || !r->const_copy || !r->input_copy || !r->input_frames) {
        ts_ref_free(r);
        return NULL;
    }
    return r;
}

/* Fills op k's executor record from the graph and prepares it (ts_ref_prepare_op). */
static ts_status prepare_one(ts_ref *r, int32_t k, ts_err *err)
{
    const ts_op *op = &r->g->ops[k];
    ts_ref_op *ro = &r->ops[k];

    ro->op_index = k;
    ro->kind = op->kind;
    ro->n_inputs = op->n_inputs < TS_REF_MAX_OP_INPUTS ? op->n_inputs : TS_REF_MAX_OP_INPUTS;
    for (int32_t j = 0; j < TS_REF_MAX_OP_INPUTS; j++)
        ro->in[j] = j < ro->n_inputs ? op->inputs[j] : -1;
    ro->out = op->n_outputs > 0 ? op->outputs[0] : -1;
    ro->quant_first = -1;
    ro->scratch_offset = -1;
    ro->rounding = (int32_t)r->rounding;
    ro->kernels = TS_KERNELS_REF; /* ts_ref_prepare_op sets the variant where it applies */
    return ts_ref_prepare_op(r, ro, err);
}

static ts_status prepare_ops(ts_ref *r, ts_err *err)
{
    ts_status st = TS_OK;

    for (int32_t k = 0; k < r->g->n_ops && st == TS_OK; k++)
        st = prepare_one(r, k, err);
    return st;
}

ts_status ts_ref_check_op(const ts_graph *g, const char *source, int32_t k, ts_err *err)
{
    ts_ref *r;
    ts_status st;

    assert(g && source && k >= 0 && k < g->n_ops);
    if (!(r = ref_new(g, source)))
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory checking op %d", source, k);
    r->rounding = TSK_ROUND_SINGLE;
    r->kernels = TS_KERNELS_REF;
    st = prepare_one(r, k, err);
    ts_ref_free(r);
    return st;
}

static ts_status plan_arena(ts_ref *r, ts_err *err)
{
    size_t *scratch = ts_calloc((size_t)r->g->n_ops + 1, sizeof *scratch);
    ts_plan_opts opts = {ARENA_ALIGN, scratch};
    ts_status st;

    if (!scratch)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory planning the arena", r->source);
    for (int32_t k = 0; k < r->g->n_ops; k++)
        scratch[k] = (size_t)r->ops[k].scratch_bytes;
    st = ts_plan_compute(r->g, &opts, &r->plan, err);
    ts_free(scratch);
    if (st != TS_OK)
        return st;
    for (int32_t k = 0; k < r->g->n_ops; k++)
        r->ops[k].scratch_offset = r->plan->scratch_offset[k];
    r->arena_bytes = r->plan->arena_bytes;
    r->arena_block = ts_calloc(1, r->arena_bytes + ARENA_ALIGN);
    if (!r->arena_block)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory for a %zu-byte arena",
                          r->source, r->arena_bytes);
    r->arena = r->arena_block + (ARENA_ALIGN - (uintptr_t)r->arena_block % ARENA_ALIGN) %
                                    ARENA_ALIGN;
    return TS_OK;
}

/* Constant data the kernels read as int32/float must be 4-byte aligned (int64 bias 8-byte:
 * the host's alignment of int64_t); copy if it is not (ts_malloc aligns for any type). */
static ts_status bind_const(ts_ref *r, int32_t t, ts_err *err)
{
    const ts_tensor *x = &r->g->tensors[t];

    if ((uintptr_t)x->data % (x->dtype == TS_DT_INT64 ? 8 : 4) == 0) {
        r->tensor_ptr[t] = (uint8_t *)(uintptr_t)x->data;
        return TS_OK;
    }
    r->const_copy[t] = ts_malloc(x->size_bytes ? x->size_bytes : 1);
    if (!r->const_copy[t])
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory copying tensor %d", r->source,
                          t);
    memcpy(r->const_copy[t], x->data, x->size_bytes);
    r->tensor_ptr[t] = r->const_copy[t];
    return TS_OK;
}

static ts_status bind_tensors(ts_ref *r, ts_err *err)
{
    const ts_graph *g = r->g;
    ts_status st;

    for (int32_t t = 0; t < g->n_tensors; t++) {
        if (ts_tensor_is_const(&g->tensors[t])) {
            if ((st = bind_const(r, t, err)) != TS_OK)
                return st;
        } else if (r->plan->tensor_offset[t] >= 0) {
            r->tensor_ptr[t] = r->arena + r->plan->tensor_offset[t];
        }
    }
    for (int32_t i = 0; i < g->n_inputs + g->n_outputs; i++) {
        int32_t t = i < g->n_inputs ? g->inputs[i] : g->outputs[i - g->n_inputs];
        if (!r->tensor_ptr[t])
            return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: graph %s tensor %d ('%s') is not "
                              "read or written by any op", r->source,
                              i < g->n_inputs ? "input" : "output", t, g->tensors[t].name);
    }
    for (int32_t i = 0; i < g->n_inputs; i++) {
        r->input_copy[i] = ts_calloc(1, g->tensors[g->inputs[i]].size_bytes + 1);
        if (!r->input_copy[i])
            return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory for input %d", r->source, i);
    }
    ts_ref_reset_state(r);
    return TS_OK;
}

/* A variable tensor starts as TFLite's ResetVariableTensor leaves it (tensorflow/lite/core/
 * api/tensor_utils.cc): every byte the zero point for int8, zero for every other dtype; a
 * buffer in the file is ignored there too (its TODO b/115961645). */
void ts_ref_reset_state(ts_ref *r)
{
    const ts_graph *g = r->g;

    for (int32_t t = 0; t < g->n_tensors; t++) {
        const ts_tensor *x = &g->tensors[t];
        int fill = x->dtype == TS_DT_INT8 && x->quant.n > 0 ? x->quant.zero_point[0] : 0;
        if (x->is_variable && r->tensor_ptr[t])
            memset(r->tensor_ptr[t], fill & 0xff, x->size_bytes);
    }
}

ts_status ts_ref_prepare_graph_opts(const ts_graph *g, const char *source,
                                    const ts_ref_opts *opts, ts_ref **out, ts_err *err)
{
    ts_ref_opts o = {TSK_ROUND_SINGLE, TS_KERNELS_REF};
    ts_ref *r;
    ts_status st;

    assert(g && source && out);
    *out = NULL;
    if (opts)
        o = *opts;
    if (o.rounding != TSK_ROUND_SINGLE && o.rounding != TSK_ROUND_DOUBLE)
        return ts_err_set(err, TS_ERR_RANGE, "%s: rounding mode %d is not supported (expected "
                          "0 single or 1 double)", source, (int)o.rounding);
    if ((unsigned)o.kernels >= TS_KERNELS_COUNT)
        return ts_err_set(err, TS_ERR_RANGE, "%s: kernel variant %d is not supported (expected "
                          "0 ref or 1 simd)", source, (int)o.kernels);
    r = ref_new(g, source);
    if (!r)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory preparing the executor",
                          source);
    r->rounding = o.rounding;
    r->kernels = o.kernels;
    if ((st = prepare_ops(r, err)) != TS_OK || (st = plan_arena(r, err)) != TS_OK ||
        (st = bind_tensors(r, err)) != TS_OK) {
        ts_ref_free(r);
        return st;
    }
    *out = r;
    return TS_OK;
}

ts_status ts_ref_prepare_graph(const ts_graph *g, const char *source, ts_ref **out,
                               ts_err *err)
{
    return ts_ref_prepare_graph_opts(g, source, NULL, out, err);
}

ts_status ts_ref_prepare_opts(const ts_model *m, const ts_ref_opts *opts, ts_ref **out,
                              ts_err *err)
{
    assert(m);
    return ts_ref_prepare_graph_opts(ts_model_graph(m), ts_model_source(m), opts, out, err);
}

ts_status ts_ref_prepare(const ts_model *m, ts_ref **out, ts_err *err)
{
    return ts_ref_prepare_opts(m, NULL, out, err);
}

tsk_rounding ts_ref_rounding(const ts_ref *r)
{
    assert(r);
    return r->rounding;
}

ts_kernels ts_ref_kernels(const ts_ref *r)
{
    assert(r);
    return r->kernels;
}

/* ORDER ts_kernels */
static const char *const kernels_names[TS_KERNELS_COUNT] = {"ref", "simd"};

const char *ts_kernels_name(ts_kernels k)
{
    return (unsigned)k < TS_KERNELS_COUNT ? kernels_names[k] : "?";
}

bool ts_kernels_from_name(const char *name, ts_kernels *out)
{
    for (int k = 0; name && k < TS_KERNELS_COUNT; k++)
        if (!strcmp(name, kernels_names[k])) {
            *out = (ts_kernels)k;
            return true;
        }
    return false;
}

void ts_ref_free(ts_ref *r)
{
    if (!r)
        return;
    for (int32_t t = 0; r->const_copy && t < r->g->n_tensors; t++)
        ts_free(r->const_copy[t]);
    for (int32_t i = 0; r->input_copy && i < r->g->n_inputs; i++)
        ts_free(r->input_copy[i]);
    ts_free(r->const_copy);
    ts_free(r->input_copy);
    ts_free(r->input_frames);
    ts_free(r->tensor_ptr);
    ts_free(r->arena_block);
    ts_free(r->multiplier);
    ts_free(r->shift);
    ts_free(r->ops);
    ts_plan_free(r->plan);
    ts_free(r);
}

/* ---- inputs and outputs ---- */

const ts_graph *ts_ref_graph(const ts_ref *r)
{
    return r->g;
}

int32_t ts_ref_n_inputs(const ts_ref *r)
{
    return r->g->n_inputs;
}

int32_t ts_ref_n_outputs(const ts_ref *r)
{
    return r->g->n_outputs;
}

static void io_info(const ts_ref *r, int32_t t, ts_ref_io *info)
{
    const ts_tensor *x = &r->g->tensors[t];

    memset(info, 0, sizeof *info);
    info->tensor = t;
    info->name = x->name;
    info->dtype = x->dtype;
    info->rank = x->rank;
    memcpy(info->shape, x->shape, sizeof info->shape);
    info->n_elems = x->n_elems;
    info->size_bytes = x->size_bytes;
    info->quantized = x->quant.n > 0;
    info->scale = x->quant.n > 0 ? x->quant.scale[0] : 0.0f;
    info->zero_point = x->quant.n > 0 ? x->quant.zero_point[0] : 0;
}

void ts_ref_input_info(const ts_ref *r, int32_t i, ts_ref_io *info)
{
    assert(i >= 0 && i < r->g->n_inputs);
    io_info(r, r->g->inputs[i], info);
}

void ts_ref_output_info(const ts_ref *r, int32_t i, ts_ref_io *info)
{
    assert(i >= 0 && i < r->g->n_outputs);
    io_info(r, r->g->outputs[i], info);
}

static void shape_str(const ts_tensor *t, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "[");

    for (int32_t d = 0; d < t->rank && n < cap; d++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%d", d ? "," : "", t->shape[d]);
    if (n < cap)
        snprintf(buf + n, cap - n, "]");
}

ts_status ts_ref_set_input(ts_ref *r, int32_t i, const void *data, size_t bytes, ts_err *err)
{
    return ts_ref_set_input_frames(r, i, data, bytes, 1, err);
}

ts_status ts_ref_set_input_frames(ts_ref *r, int32_t i, const void *data, size_t bytes,
                                  int32_t n_frames, ts_err *err)
{
    const ts_tensor *t;
    uint8_t *copy;
    char shape[96];

    if (i < 0 || i >= r->g->n_inputs)
        return ts_err_set(err, TS_ERR_RANGE, "%s: input %d does not exist (model has %d "
                          "input%s)", r->source, i, r->g->n_inputs,
                          r->g->n_inputs == 1 ? "" : "s");
    t = &r->g->tensors[r->g->inputs[i]];
    if (n_frames < 1 || bytes != t->size_bytes * (size_t)n_frames) {
        shape_str(t, shape, sizeof shape);
        if (n_frames > 1)
            return ts_err_set(err, TS_ERR_RANGE, "%s: input %d ('%s'): %zu bytes (expected %d "
                              "frames of %zu for %s %s)", r->source, i, t->name, bytes,
                              (int)n_frames, t->size_bytes, ts_dtype_name(t->dtype), shape);
        return ts_err_set(err, TS_ERR_RANGE, "%s: input %d ('%s'): %zu bytes (expected %zu for "
                          "%s %s)", r->source, i, t->name, bytes, t->size_bytes,
                          ts_dtype_name(t->dtype), shape);
    }
    if (n_frames > 1 || r->input_frames[i] > 1) {
        if (!(copy = ts_malloc(bytes + 1)))
            return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory for input %d", r->source, i);
        ts_free(r->input_copy[i]);
        r->input_copy[i] = copy;
    }
    memcpy(r->input_copy[i], data, bytes);
    r->input_frames[i] = n_frames;
    r->next_frame = 0;
    return TS_OK;
}

int32_t ts_ref_input_frames(const ts_ref *r, int32_t i)
{
    assert(i >= 0 && i < r->g->n_inputs);
    return r->input_frames[i] > 1 ? r->input_frames[i] : 1;
}

const void *ts_ref_output(const ts_ref *r, int32_t i, size_t *bytes)
{
    int32_t t;

    assert(i >= 0 && i < r->g->n_outputs);
    t = r->g->outputs[i];
    if (bytes)
        *bytes = r->g->tensors[t].size_bytes;
    return r->tensor_ptr[t];
}

/* ---- the prepared form ---- */

const ts_plan *ts_ref_plan(const ts_ref *r)
{
    return r->plan;
}

int32_t ts_ref_n_ops(const ts_ref *r)
{
    return r->g->n_ops;
}

const ts_ref_op *ts_ref_op_at(const ts_ref *r, int32_t k)
{
    assert(k >= 0 && k < r->g->n_ops);
    return &r->ops[k];
}

void ts_ref_quant_table(const ts_ref *r, const int32_t **multiplier, const int32_t **shift,
                        int32_t *n)
{
    *multiplier = r->multiplier;
    *shift = r->shift;
    *n = r->n_quant;
}

uint8_t *ts_ref_arena(const ts_ref *r, size_t *bytes)
{
    if (bytes)
        *bytes = r->arena_bytes;
    return r->arena;
}
