/* model_check.c: semantic validation of a decoded model, file loading and IR accessors.
 * Layer: sim/model. Runs after tflite_read.c has checked the structure; every value here
 * still comes from the file, so every problem is a status with a message, never an assert.
 * Checks: tensor types, shapes (non-negative, product fits int32), buffer indices, constant
 * data size = shape x element size, quantization arrays (length 1 or the channel count,
 * finite positive scales, zero points in the type's range), op/tensor indices, and for
 * supported ops the arity, enum values, strides and the shapes MAC counting relies on. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/file.h"
#include "base/rd.h"
#include "model_int.h"

typedef struct check_state {
    ts_model *m;
    ts_err *err;
    int32_t sg;             /* subgraph being checked */
    ts_subgraph_ir *ir;
} check_state;

/* ---- dtype table ---- */

typedef struct dtype_row {
    size_t size;
    const char *name;
} dtype_row;

static const dtype_row dtype_rows[] = {
#define DTYPE(name, code, size, str) [code] = {size, str},
#include "dtype.def"
#undef DTYPE
};

size_t ts_dtype_size(ts_dtype dt)
{
    return (unsigned)dt < TS_DT_COUNT ? dtype_rows[dt].size : 0;
}

const char *ts_dtype_name(ts_dtype dt)
{
    return (unsigned)dt < TS_DT_COUNT ? dtype_rows[dt].name : "unknown";
}

/* ---- op names ---- */

typedef struct name_row {
    int32_t code;
    const char *name;
} name_row;

static const name_row name_rows[] = {
#define TFLITE_NAME(code, name) {code, name},
#include "tflite_names.def"
#undef TFLITE_NAME
};

const char *ts_tflite_op_name(int32_t code)
{
    for (size_t i = 0; i < sizeof name_rows / sizeof name_rows[0]; i++)
        if (name_rows[i].code == code)
            return name_rows[i].name;
    return NULL;
}

/* ---- tensors ---- */

static ts_status tensor_err(check_state *c, int32_t i, ts_status code, const char *what)
{
    const ts_tensor *t = &c->ir->tensors[i];

    return ts_err_set(c->err, code, "%s: subgraph %d, tensor %d ('%s'): %s", c->m->source,
                      c->sg, i, t->name, what);
}

static ts_status check_shape(check_state *c, int32_t i, ts_tensor *t)
{
    int64_t n = 1;
    char msg[96];
    size_t esize = ts_dtype_size(t->dtype);

    if ((unsigned)t->dtype >= TS_DT_COUNT) {
        snprintf(msg, sizeof msg, "unknown element type %d (expected 0..%d)", (int)t->dtype,
                 TS_DT_COUNT - 1);
        return tensor_err(c, i, TS_ERR_FORMAT, msg);
    }
    for (int32_t d = 0; d < t->rank; d++) {
        if (t->shape[d] < 0) {
            snprintf(msg, sizeof msg, "dimension %d is %d (expected >= 0)", d, t->shape[d]);
            return tensor_err(c, i, TS_ERR_FORMAT, msg);
        }
        n *= t->shape[d];
        if (n > INT32_MAX)
            return tensor_err(c, i, TS_ERR_FORMAT,
                              "element count overflows int32 (shape too large)");
    }
    t->n_elems = n;
    t->size_bytes = (size_t)n * esize;
    return TS_OK;
}

/* Points t->data at its constant bytes, copying them into the arena when the file leaves
 * them unaligned for the element type (kernels read int32/float data in place). */
static ts_status attach_data(check_state *c, int32_t i, ts_tensor *t)
{
    const ts_buffer_view *b = &c->m->buffers[t->buffer];
    size_t esize = ts_dtype_size(t->dtype);
    char msg[160];
    uint8_t *copy;

    if (!b->data || b->size_bytes == 0)
        return TS_OK;
    if (c->ir->tensor_sparse[i])
        return tensor_err(c, i, TS_ERR_UNSUPPORTED, "sparse constant tensors are not supported");
    if (esize == 0) {
        snprintf(msg, sizeof msg, "constant data of type %s is not supported",
                 ts_dtype_name(t->dtype));
        return tensor_err(c, i, TS_ERR_UNSUPPORTED, msg);
    }
    if (b->size_bytes != t->size_bytes) {
        snprintf(msg, sizeof msg,
                 "constant data is %zu bytes, shape needs %zu (%lld x %s)", b->size_bytes,
                 t->size_bytes, (long long)t->n_elems, ts_dtype_name(t->dtype));
        return tensor_err(c, i, TS_ERR_FORMAT, msg);
    }
    if ((uintptr_t)b->data % esize == 0) {
        t->data = b->data;
        return TS_OK;
    }
    copy = ts_arena_alloc(c->m->arena, b->size_bytes);
    if (!copy)
        return ts_err_set(c->err, TS_ERR_NOMEM, "%s: out of memory", c->m->source);
    memcpy(copy, b->data, b->size_bytes);
    t->data = copy;
    return TS_OK;
}

static ts_status check_zero_points(check_state *c, int32_t i, const ts_tensor *t)
{
    int32_t lo = INT32_MIN, hi = INT32_MAX;
    char msg[96];

    if (t->dtype == TS_DT_INT8)
        lo = -128, hi = 127;
    else if (t->dtype == TS_DT_UINT8)
        lo = 0, hi = 255;
    else if (t->dtype == TS_DT_INT16)
        lo = -32768, hi = 32767;
    for (int32_t k = 0; k < t->quant.n; k++) {
        int32_t z = t->quant.zero_point[k];
        float s = t->quant.scale[k];
        if (z < lo || z > hi) {
            snprintf(msg, sizeof msg, "zero point %d out of range for %s (expected %d..%d)",
                     z, ts_dtype_name(t->dtype), lo, hi);
            return tensor_err(c, i, TS_ERR_FORMAT, msg);
        }
        if (!isfinite(s) || s <= 0.0f) {
            snprintf(msg, sizeof msg, "quantization scale %d is %g (expected finite and > 0)",
                     k, (double)s);
            return tensor_err(c, i, TS_ERR_FORMAT, msg);
        }
    }
    return TS_OK;
}

static ts_status check_quant(check_state *c, int32_t i, ts_tensor *t)
{
    char msg[128];

    if (t->quant.n <= 1) {
        t->quant.axis = 0;
        return t->quant.n ? check_zero_points(c, i, t) : TS_OK;
    }
    /* A 1-D tensor has one valid axis; some converters write another (person_detect's
     * depthwise biases say 3), which TFLite Micro ignores: so do we. */
    if (t->rank == 1)
        t->quant.axis = 0;
    if (t->quant.axis < 0 || t->quant.axis >= t->rank) {
        snprintf(msg, sizeof msg, "quantized dimension %d outside rank %d", t->quant.axis,
                 t->rank);
        return tensor_err(c, i, TS_ERR_FORMAT, msg);
    }
    if (t->shape[t->quant.axis] != t->quant.n) {
        snprintf(msg, sizeof msg,
                 "quantization has %d scales, expected 1 or %d (dimension %d)", t->quant.n,
                 t->shape[t->quant.axis], t->quant.axis);
        return tensor_err(c, i, TS_ERR_FORMAT, msg);
    }
    return check_zero_points(c, i, t);
}

static ts_status check_tensor(check_state *c, int32_t i)
{
    ts_tensor *t = &c->ir->tensors[i];
    char msg[96];
    ts_status st;

    if ((st = check_shape(c, i, t)) != TS_OK)
        return st;
    if (t->buffer >= (uint32_t)c->m->n_buffers) {
        snprintf(msg, sizeof msg, "buffer index %u, model has %d buffers", t->buffer,
                 c->m->n_buffers);
        return tensor_err(c, i, TS_ERR_FORMAT, msg);
    }
    if ((st = attach_data(c, i, t)) != TS_OK)
        return st;
    return check_quant(c, i, t);
}

/* ---- operators ---- */

static ts_status op_err(check_state *c, int32_t k, ts_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static ts_status op_err(check_state *c, int32_t k, ts_status code, const char *fmt, ...)
{
    char what[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ts_err_set(c->err, code, TS_OPFMT ": %s", c->m->source, c->sg, k,
                      c->ir->ops[k].name, what);
}

static ts_status check_indices(check_state *c, int32_t k)
{
    const ts_op *op = &c->ir->ops[k];
    int32_t n = c->ir->g.n_tensors;

    for (int32_t j = 0; j < op->n_inputs; j++) {
        int32_t t = op->inputs[j];
        if (t < -1 || t >= n)
            return op_err(c, k, TS_ERR_FORMAT, "input %d is tensor %d, subgraph has %d tensors",
                          j, t, n);
    }
    for (int32_t j = 0; j < op->n_outputs; j++) {
        int32_t t = op->outputs[j];
        if (t < 0 || t >= n)
            return op_err(c, k, TS_ERR_FORMAT, "output %d is tensor %d, subgraph has %d tensors",
                          j, t, n);
        if (c->ir->tensors[t].data)
            return op_err(c, k, TS_ERR_FORMAT, "output %d is tensor %d, which is constant", j, t);
    }
    return TS_OK;
}

static const ts_tensor *tensor_at(check_state *c, const ts_op *op, int32_t j)
{
    if (j >= op->n_inputs || op->inputs[j] < 0)
        return NULL;
    return &c->ir->tensors[op->inputs[j]];
}

/* min_in..max_in inputs (the first min_in present) and 1..max_out outputs. */
static ts_status check_arity_outs(check_state *c, int32_t k, int32_t min_in, int32_t max_in,
                                  int32_t max_out)
{
    const ts_op *op = &c->ir->ops[k];

    if (op->n_inputs < min_in || op->n_inputs > max_in)
        return op_err(c, k, TS_ERR_FORMAT, "has %d inputs (expected %d to %d)", op->n_inputs,
                      min_in, max_in);
    if (op->n_outputs < 1 || op->n_outputs > max_out) {
        if (max_out == 1)
            return op_err(c, k, TS_ERR_FORMAT, "has %d outputs (expected 1)", op->n_outputs);
        return op_err(c, k, TS_ERR_FORMAT, "has %d outputs (expected 1 to %d)", op->n_outputs,
                      max_out);
    }
    for (int32_t j = 0; j < min_in; j++)
        if (op->inputs[j] < 0)
            return op_err(c, k, TS_ERR_FORMAT, "required input %d is absent (-1)", j);
    return TS_OK;
}

static ts_status check_arity(check_state *c, int32_t k, int32_t min_in, int32_t max_in)
{
    return check_arity_outs(c, k, min_in, max_in, 1);
}

static ts_status check_rank(check_state *c, int32_t k, const ts_tensor *t, const char *role,
                            int32_t rank)
{
    if (t->rank != rank)
        return op_err(c, k, TS_ERR_FORMAT, "%s '%s' has rank %d (expected %d)", role, t->name,
                      t->rank, rank);
    return TS_OK;
}

static ts_status check_enums(check_state *c, int32_t k, ts_padding pad, ts_act act,
                             int32_t sw, int32_t sh)
{
    if ((unsigned)pad > TS_PAD_VALID)
        return op_err(c, k, TS_ERR_FORMAT, "padding %d (expected 0 SAME or 1 VALID)", (int)pad);
    if ((unsigned)act > TS_ACT_SIGN_BIT)
        return op_err(c, k, TS_ERR_FORMAT, "fused activation %d (expected 0..5)", (int)act);
    if (sw < 1 || sh < 1)
        return op_err(c, k, TS_ERR_FORMAT, "stride %dx%d (expected >= 1)", sw, sh);
    return TS_OK;
}

/* CONV_2D: input [N,H,W,C], filter [O,KH,KW,C/groups], bias [O], output [N,OH,OW,O].
 * DEPTHWISE_CONV_2D: filter [1,KH,KW,O] with O a multiple of C. */
static ts_status check_conv(check_state *c, int32_t k, bool dw)
{
    const ts_op *op = &c->ir->ops[k];
    const ts_conv_opts *o = &op->opts.conv;
    const ts_tensor *in, *w, *out, *b;
    ts_status st;

    if ((st = check_arity(c, k, 2, 3)) != TS_OK ||
        (st = check_enums(c, k, o->padding, o->act, o->stride_w, o->stride_h)) != TS_OK)
        return st;
    if (o->dilation_w < 1 || o->dilation_h < 1)
        return op_err(c, k, TS_ERR_FORMAT, "dilation %dx%d (expected >= 1)", o->dilation_w,
                      o->dilation_h);
    in = tensor_at(c, op, 0), w = tensor_at(c, op, 1), b = tensor_at(c, op, 2);
    out = &c->ir->tensors[op->outputs[0]];
    if ((st = check_rank(c, k, in, "input", 4)) != TS_OK ||
        (st = check_rank(c, k, w, "filter", 4)) != TS_OK ||
        (st = check_rank(c, k, out, "output", 4)) != TS_OK)
        return st;
    if (dw && (w->shape[0] != 1 || w->shape[3] != out->shape[3] || in->shape[3] == 0 ||
               out->shape[3] % in->shape[3] != 0))
        return op_err(c, k, TS_ERR_FORMAT,
                      "depthwise filter [%d,%d,%d,%d] does not fit input depth %d and output "
                      "depth %d", w->shape[0], w->shape[1], w->shape[2], w->shape[3],
                      in->shape[3], out->shape[3]);
    if (!dw && (w->shape[0] != out->shape[3] || w->shape[3] == 0 ||
                in->shape[3] % w->shape[3] != 0))
        return op_err(c, k, TS_ERR_FORMAT,
                      "filter [%d,%d,%d,%d] does not fit input depth %d and output depth %d",
                      w->shape[0], w->shape[1], w->shape[2], w->shape[3], in->shape[3],
                      out->shape[3]);
    if (b && b->n_elems != out->shape[3])
        return op_err(c, k, TS_ERR_FORMAT, "bias has %lld elements (expected %d)",
                      (long long)b->n_elems, out->shape[3]);
    return TS_OK;
}

/* TRANSPOSE_CONV along one axis: input coordinate i scatters to i * stride - pad + [0, kernel)
 * cropped to [0, out), and the padding computes out + stride - 1 (pad <= kernel / 2): all of it
 * stays in int32 when (in - 1) * stride + stride + kernel + out does. */
static ts_status check_tconv_axis(check_state *c, int32_t k, const char *axis, int32_t stride,
                                  int32_t in, int32_t kernel, int32_t out)
{
    if ((int64_t)(in - 1) * stride + stride + kernel + out > INT32_MAX)
        return op_err(c, k, TS_ERR_FORMAT, "stride_%c %d with input %s %d, weights %s %d and "
                      "output %s %d leaves int32 (expected (%d - 1) * stride + stride + %d + %d "
                      "<= %d)", axis[0], stride, axis, in, axis, kernel, axis, out, in, kernel,
                      out, INT32_MAX);
    return TS_OK;
}

/* TRANSPOSE_CONV: inputs output_shape int32 [4], weights [O,KH,KW,C], input [N,H,W,C],
 * optional bias [O]; output [N,OH,OW,O], equal to output_shape when that is constant. */
static ts_status check_transpose_conv(check_state *c, int32_t k)
{
    const ts_op *op = &c->ir->ops[k];
    const ts_conv_opts *o = &op->opts.conv;
    const ts_tensor *shape, *w, *in, *b, *out;
    ts_status st;

    if ((st = check_arity(c, k, 3, 4)) != TS_OK ||
        (st = check_enums(c, k, o->padding, o->act, o->stride_w, o->stride_h)) != TS_OK)
        return st;
    shape = tensor_at(c, op, 0), w = tensor_at(c, op, 1), in = tensor_at(c, op, 2);
    b = tensor_at(c, op, 3), out = &c->ir->tensors[op->outputs[0]];
    if ((st = check_rank(c, k, w, "weights", 4)) != TS_OK ||
        (st = check_rank(c, k, in, "input", 4)) != TS_OK ||
        (st = check_rank(c, k, out, "output", 4)) != TS_OK)
        return st;
    if (shape->dtype != TS_DT_INT32 || shape->n_elems != 4)
        return op_err(c, k, TS_ERR_FORMAT, "output_shape '%s' is %s with %lld elements "
                      "(expected int32 with 4)", shape->name, ts_dtype_name(shape->dtype),
                      (long long)shape->n_elems);
    for (int32_t i = 0; i < 4 && ts_tensor_is_const(shape); i++) {
        ts_rd r = {shape->data, shape->size_bytes};
        int32_t v = 0;
        if (!rd_i32(&r, 4 * (size_t)i, &v) || v != out->shape[i])
            return op_err(c, k, TS_ERR_FORMAT, "output_shape[%d] is %d (output '%s' has %d)", i,
                          (int)v, out->name, out->shape[i]);
    }
    if (w->shape[0] != out->shape[3] || w->shape[3] != in->shape[3] ||
        in->shape[0] != out->shape[0])
        return op_err(c, k, TS_ERR_FORMAT, "weights [%d,%d,%d,%d] do not fit input depth %d and "
                      "output depth %d (or the batches %d and %d differ)", w->shape[0],
                      w->shape[1], w->shape[2], w->shape[3], in->shape[3], out->shape[3],
                      in->shape[0], out->shape[0]);
    if (b && b->n_elems != out->shape[3])
        return op_err(c, k, TS_ERR_FORMAT, "bias has %lld elements (expected %d)",
                      (long long)b->n_elems, out->shape[3]);
    if ((st = check_tconv_axis(c, k, "height", o->stride_h, in->shape[1], w->shape[1],
                               out->shape[1])) != TS_OK)
        return st;
    return check_tconv_axis(c, k, "width", o->stride_w, in->shape[2], w->shape[2],
                            out->shape[2]);
}

/* FULLY_CONNECTED: filter [U,I], input with a multiple of I elements, output [..,U]. */
static ts_status check_fc(check_state *c, int32_t k)
{
    const ts_op *op = &c->ir->ops[k];
    const ts_tensor *in, *w, *out, *b;
    ts_status st;

    if ((st = check_arity(c, k, 2, 3)) != TS_OK)
        return st;
    if ((unsigned)op->opts.fc.act > TS_ACT_SIGN_BIT)
        return op_err(c, k, TS_ERR_FORMAT, "fused activation %d (expected 0..5)",
                      (int)op->opts.fc.act);
    in = tensor_at(c, op, 0), w = tensor_at(c, op, 1), b = tensor_at(c, op, 2);
    out = &c->ir->tensors[op->outputs[0]];
    if ((st = check_rank(c, k, w, "weights", 2)) != TS_OK)
        return st;
    if (w->shape[1] == 0 || in->n_elems % w->shape[1] != 0)
        return op_err(c, k, TS_ERR_FORMAT,
                      "input has %lld elements, not a multiple of the %d weight columns",
                      (long long)in->n_elems, w->shape[1]);
    if (out->rank < 1 || out->shape[out->rank - 1] != w->shape[0])
        return op_err(c, k, TS_ERR_FORMAT, "output's last dimension is not the %d weight rows",
                      w->shape[0]);
    if (b && b->n_elems != w->shape[0])
        return op_err(c, k, TS_ERR_FORMAT, "bias has %lld elements (expected %d)",
                      (long long)b->n_elems, w->shape[0]);
    return TS_OK;
}

static ts_status check_pool(check_state *c, int32_t k)
{
    const ts_op *op = &c->ir->ops[k];
    const ts_pool_opts *o = &op->opts.pool;
    ts_status st;

    if ((st = check_arity(c, k, 1, 1)) != TS_OK ||
        (st = check_enums(c, k, o->padding, o->act, o->stride_w, o->stride_h)) != TS_OK)
        return st;
    if (o->filter_w < 1 || o->filter_h < 1)
        return op_err(c, k, TS_ERR_FORMAT, "filter %dx%d (expected >= 1)", o->filter_w,
                      o->filter_h);
    if ((st = check_rank(c, k, tensor_at(c, op, 0), "input", 4)) != TS_OK)
        return st;
    return check_rank(c, k, &c->ir->tensors[op->outputs[0]], "output", 4);
}

static ts_status check_concat(check_state *c, int32_t k)
{
    ts_op *op = &c->ir->ops[k];
    const ts_tensor *out;
    int32_t axis = op->opts.concat.axis;
    ts_status st;

    if ((st = check_arity(c, k, 1, INT32_MAX)) != TS_OK)
        return st;
    for (int32_t j = 0; j < op->n_inputs; j++)
        if (op->inputs[j] < 0)
            return op_err(c, k, TS_ERR_FORMAT, "input %d is absent (-1)", j);
    out = &c->ir->tensors[op->outputs[0]];
    if (axis < 0)
        axis += out->rank;
    if (axis < 0 || axis >= out->rank)
        return op_err(c, k, TS_ERR_FORMAT, "axis %d outside output rank %d",
                      op->opts.concat.axis, out->rank);
    op->opts.concat.axis = axis;
    return TS_OK;
}

static ts_status check_reshape(check_state *c, int32_t k)
{
    const ts_op *op = &c->ir->ops[k];
    const ts_tensor *in, *out;
    ts_status st;

    if ((st = check_arity(c, k, 1, 2)) != TS_OK)
        return st;
    in = tensor_at(c, op, 0);
    out = &c->ir->tensors[op->outputs[0]];
    if (in->n_elems != out->n_elems)
        return op_err(c, k, TS_ERR_FORMAT, "output has %lld elements, input %lld",
                      (long long)out->n_elems, (long long)in->n_elems);
    return TS_OK;
}

/* SVDF: input, feature weights, time weights, bias (optional: -1), state (a variable). */
static ts_status check_svdf(check_state *c, int32_t k)
{
    const ts_op *op = &c->ir->ops[k];
    ts_status st = check_arity(c, k, 3, 5);

    if (st == TS_OK && (op->n_inputs != 5 || op->inputs[4] < 0))
        return op_err(c, k, TS_ERR_FORMAT, "has no state input (expected 5 inputs: input, "
                      "weights_feature, weights_time, bias, state)");
    return st;
}

/* UNIDIRECTIONAL_SEQUENCE_LSTM: 20 inputs, or 24 with the layer-norm coefficients
 * (tensorflow/lite/kernels/lstm_shared.h); many are optional (-1), the input and the two
 * states (18 output state, 19 cell state: variables) never. */
static ts_status check_lstm(check_state *c, int32_t k)
{
    const ts_op *op = &c->ir->ops[k];
    ts_status st = check_arity(c, k, 1, 24);

    if (st == TS_OK && op->n_inputs != 20 && op->n_inputs != 24)
        return op_err(c, k, TS_ERR_FORMAT, "has %d inputs (expected 20 or 24)", op->n_inputs);
    if (st == TS_OK && (op->inputs[18] < 0 || op->inputs[19] < 0))
        return op_err(c, k, TS_ERR_FORMAT, "has no %s state input (input %d is absent: -1)",
                      op->inputs[18] < 0 ? "output" : "cell", op->inputs[18] < 0 ? 18 : 19);
    return st;
}

/* Arity, enums and the shapes later stages rely on, for supported ops. */
static ts_status check_op(check_state *c, int32_t k)
{
    const ts_op *op = &c->ir->ops[k];

    switch (op->kind) {
    case TS_OP_CONV_2D:
        return check_conv(c, k, false);
    case TS_OP_DEPTHWISE_CONV_2D:
        return check_conv(c, k, true);
    case TS_OP_FULLY_CONNECTED:
        return check_fc(c, k);
    case TS_OP_TRANSPOSE_CONV:
        return check_transpose_conv(c, k);
    case TS_OP_AVERAGE_POOL_2D:
    case TS_OP_MAX_POOL_2D:
        return check_pool(c, k);
    case TS_OP_CONCATENATION:
        return check_concat(c, k);
    case TS_OP_RESHAPE:
        return check_reshape(c, k);
    case TS_OP_ADD:
    case TS_OP_MUL:
    case TS_OP_SUB:
    case TS_OP_TRANSPOSE:
    case TS_OP_EXPAND_DIMS:
    case TS_OP_GATHER:
    case TS_OP_SQUARED_DIFFERENCE:
    case TS_OP_PRELU: /* ops-math group */
    case TS_OP_REDUCE_MAX:
    case TS_OP_DIV:
    case TS_OP_SUM:
    case TS_OP_BATCH_MATMUL:
    case TS_OP_ARG_MAX:
    case TS_OP_ARG_MIN:
    case TS_OP_MAXIMUM:
    case TS_OP_MINIMUM:
    case TS_OP_PAD:
    case TS_OP_MEAN:
        return check_arity(c, k, 2, 2);
    case TS_OP_PACK:
        return check_arity(c, k, 1, 1 << 16);
    case TS_OP_SLICE:
        return check_arity(c, k, 3, 3);
    case TS_OP_SPLIT:
        return check_arity_outs(c, k, 2, 2, 1 << 16);
    case TS_OP_SPLIT_V:
        return check_arity_outs(c, k, 3, 3, 1 << 16);
    case TS_OP_UNPACK:
        return check_arity_outs(c, k, 1, 1, 1 << 16);
    case TS_OP_STRIDED_SLICE:
        return check_arity(c, k, 4, 4);
    case TS_OP_SPACE_TO_DEPTH:
    case TS_OP_DEPTH_TO_SPACE:
        return check_arity(c, k, 1, 1);
    case TS_OP_RESIZE_NEAREST_NEIGHBOR:
    case TS_OP_RESIZE_BILINEAR:
    case TS_OP_FILL:
        return check_arity(c, k, 2, 2);
    case TS_OP_ZEROS_LIKE:
    case TS_OP_SHAPE:
    case TS_OP_CAST:
        return check_arity(c, k, 1, 1);
    case TS_OP_SVDF:
        return check_svdf(c, k);
    case TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM:
        return check_lstm(c, k);
    case TS_OP_SOFTMAX:
    case TS_OP_LOGISTIC:
    case TS_OP_RELU:
    case TS_OP_RELU6:
    case TS_OP_ABS:
    case TS_OP_NEG:
    case TS_OP_SQUEEZE:
    case TS_OP_LEAKY_RELU:
    case TS_OP_HARD_SWISH: /* ops-math group */
    case TS_OP_TANH:
    case TS_OP_SQRT:
    case TS_OP_RSQRT:
    case TS_OP_L2_NORMALIZATION:
    case TS_OP_QUANTIZE:
    case TS_OP_DEQUANTIZE:
        return check_arity(c, k, 1, 1);
    case TS_OP_UNSUPPORTED:
    case TS_OP_COUNT:
        break;
    }
    return TS_OK;
}

static ts_status check_graph_io(check_state *c)
{
    const ts_graph *g = &c->ir->g;

    for (int32_t j = 0; j < g->n_inputs; j++)
        if (g->inputs[j] < 0 || g->inputs[j] >= g->n_tensors)
            return ts_err_set(c->err, TS_ERR_FORMAT,
                              "%s: subgraph %d: input %d is tensor %d, subgraph has %d tensors",
                              c->m->source, c->sg, j, g->inputs[j], g->n_tensors);
    for (int32_t j = 0; j < g->n_outputs; j++)
        if (g->outputs[j] < 0 || g->outputs[j] >= g->n_tensors)
            return ts_err_set(c->err, TS_ERR_FORMAT,
                              "%s: subgraph %d: output %d is tensor %d, subgraph has %d tensors",
                              c->m->source, c->sg, j, g->outputs[j], g->n_tensors);
    return TS_OK;
}

/* Every tensor has at most one producer (a graph input or one output of one op), and every
 * graph output has one (or is constant): a second writer would clobber the first, and an output
 * nobody writes would be read uninitialised. by[t]: 0 none, -1 the graph's inputs, k + 1 op k. */
static ts_status check_producers(check_state *c, int32_t *by)
{
    const ts_graph *g = &c->ir->g;

    for (int32_t j = 0; j < g->n_inputs; j++)
        by[g->inputs[j]] = -1;
    for (int32_t k = 0; k < g->n_ops; k++)
        for (int32_t j = 0; j < g->ops[k].n_outputs; j++) {
            int32_t t = g->ops[k].outputs[j];
            if (by[t] < 0)
                return op_err(c, k, TS_ERR_FORMAT, "output %d is tensor %d '%s', a graph "
                              "input (expected one producer per tensor)", j, t,
                              g->tensors[t].name);
            if (by[t] > 0)
                return op_err(c, k, TS_ERR_FORMAT, "output %d is tensor %d '%s', already "
                              "written by op %d (expected one producer per tensor)", j, t,
                              g->tensors[t].name, by[t] - 1);
            by[t] = k + 1;
        }
    for (int32_t j = 0; j < g->n_outputs; j++) {
        const ts_tensor *t = &g->tensors[g->outputs[j]];
        if (by[g->outputs[j]] == 0 && !t->data)
            return ts_err_set(c->err, TS_ERR_FORMAT, "%s: subgraph %d: output %d is tensor %d "
                              "'%s', which no op writes (expected an op output, a graph input "
                              "or a constant)", c->m->source, c->sg, j, g->outputs[j], t->name);
    }
    return TS_OK;
}

ts_status ts_model_check(ts_model *m, ts_err *err)
{
    check_state c = {m, err, 0, NULL};
    int32_t *by;
    ts_status st;

    if (m->n_buffers == 0)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: model has no buffers (expected at least the "
                          "empty buffer 0)", m->source);
    for (c.sg = 0; c.sg < m->n_subgraphs; c.sg++) {
        c.ir = &m->subgraphs[c.sg];
        for (int32_t i = 0; i < c.ir->g.n_tensors; i++)
            if ((st = check_tensor(&c, i)) != TS_OK)
                return st;
        if ((st = check_graph_io(&c)) != TS_OK)
            return st;
        for (int32_t k = 0; k < c.ir->g.n_ops; k++) {
            if ((st = check_indices(&c, k)) != TS_OK)
                return st;
            if ((st = check_op(&c, k)) != TS_OK)
                return st;
        }
        by = ts_calloc((size_t)c.ir->g.n_tensors + 1, sizeof *by);
        if (!by)
            return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", m->source);
        st = check_producers(&c, by);
        ts_free(by);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

/* ---- loading from a file, accessors ---- */

ts_status ts_model_load_file(const char *path, ts_model **out, ts_err *err)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_status st;

    *out = NULL;
    st = ts_file_read(path, TS_MODEL_MAX_BYTES, &bytes, &len, err);
    if (st != TS_OK)
        return st;
    st = ts_model_load_buffer(bytes, len, path, out, err);
    ts_free(bytes);
    return st;
}

const char *ts_model_source(const ts_model *m)
{
    return m->source;
}

const char *ts_model_description(const ts_model *m)
{
    return m->description;
}

uint32_t ts_model_schema_version(const ts_model *m)
{
    return m->version;
}

size_t ts_model_file_bytes(const ts_model *m)
{
    return m->file_bytes;
}

int32_t ts_model_n_subgraphs(const ts_model *m)
{
    return m->n_subgraphs;
}

const ts_graph *ts_model_subgraph(const ts_model *m, int32_t i)
{
    return &m->subgraphs[i].g;
}

const ts_graph *ts_model_graph(const ts_model *m)
{
    return &m->subgraphs[0].g;
}

int32_t ts_model_n_metadata(const ts_model *m)
{
    return m->n_metadata;
}

const ts_metadata *ts_model_metadata(const ts_model *m, int32_t i)
{
    return &m->metadata[i];
}

ts_status ts_model_require_supported(const ts_model *m, ts_err *err)
{
    const ts_graph *g = ts_model_graph(m);

    for (int32_t k = 0; k < g->n_ops; k++)
        if (g->ops[k].kind == TS_OP_UNSUPPORTED)
            return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): operator not supported",
                              m->source, k, g->ops[k].name);
    return TS_OK;
}
