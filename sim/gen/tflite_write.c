/* tflite_write.c: serialises a ts_gen model as a TFLite schema-v3 flatbuffer ("TFL3").
 * Layer: sim/gen. Uses only fb_build.h; op codes and option-union numbers come from
 * sim/model/tflite_ops.def and tflite_opts.def. Never prints, exits or touches files.
 *
 * Tables and field ids written (tensorflow/lite/schema/schema.fbs; scalars equal to their
 * default are left out, as FlatBuffers builders do):
 *   Model          0 version:uint=3, 1 operator_codes, 2 subgraphs, 3 description, 4 buffers
 *   OperatorCode   0 deprecated_builtin_code:byte=min(code,127), 2 version:int, 3 builtin_code
 *   SubGraph       0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name
 *   Tensor         0 shape:[int], 1 type:byte, 2 buffer:uint, 3 name, 4 quantization
 *   Quantization   2 scale:[float], 3 zero_point:[long], 6 quantized_dimension:int
 *   Operator       0 opcode_index:uint, 1 inputs, 2 outputs, 3 builtin_options_type:ubyte,
 *                  4 builtin_options, 8 intermediates (when the op has any)
 *   Buffer         0 data:[ubyte] (16-byte aligned); buffer 0 is the empty sentinel
 * Option tables: see write_options(). */
#include <assert.h>
#include <string.h>

#include "fb_build.h"
#include "gen_int.h"

enum opts_type {
#define TFLITE_OPTS(name, type) OPTS_##name = type,
#include "model/tflite_opts.def"
#undef TFLITE_OPTS
};

static const ts_gen_op_row op_rows[TS_OP_COUNT] = {
#define TFLITE_OP(code, kind, opts, name) [TS_OP_##kind] = {code, name, OPTS_##opts},
#include "model/tflite_ops.def"
#undef TFLITE_OP
};

/* OperatorCode.version per kind: what the TFLite converter writes for the int8 forms of these
 * ops (as in the MLPerf Tiny reference files); unlisted kinds get 1. tinysim ignores it. */
static const int32_t op_versions[TS_OP_COUNT] = {
    [TS_OP_ADD] = 2,           [TS_OP_AVERAGE_POOL_2D] = 2, [TS_OP_CONCATENATION] = 2,
    [TS_OP_CONV_2D] = 3,       [TS_OP_DEPTHWISE_CONV_2D] = 3, [TS_OP_FULLY_CONNECTED] = 4,
    [TS_OP_MAX_POOL_2D] = 2,   [TS_OP_MUL] = 2,            [TS_OP_SOFTMAX] = 2,
    [TS_OP_MEAN] = 2,          [TS_OP_TRANSPOSE_CONV] = 3, /* 3: a bias input; 4 with a fused
                                                           * activation (gen_ops.c) */
};

const ts_gen_op_row *ts_gen_op_row_of(ts_op_kind kind)
{
    assert(kind > TS_OP_UNSUPPORTED && kind < TS_OP_COUNT && op_rows[kind].name);
    return &op_rows[kind];
}

int32_t ts_gen_op_version(ts_op_kind kind)
{
    assert(kind > TS_OP_UNSUPPORTED && kind < TS_OP_COUNT);
    return op_versions[kind] ? op_versions[kind] : 1;
}

typedef struct writer {
    ts_fb *fb;
    ts_gen *g;
    ts_fb_ref *refs;             /* scratch: one ref per tensor, op or buffer */
    int32_t code_of[TS_GEN_MAX_CODE]; /* opcode index per builtin code, -1 = unused */
    const ts_op **first; /* first op of each opcode, in opcode-index order (n_ops entries) */
    int32_t n_codes;
    ts_err *err;
} writer;

/* Buffers: 0 empty, then one per constant tensor, in tensor order. Data are written last
 * buffer first, so that in the file they appear in index order. Builder errors are sticky
 * (fb_build.h), so statuses are collected by the last call. */
static ts_status write_buffers(writer *w, ts_fb_ref *out)
{
    const ts_gen *g = w->g;
    ts_fb_ref data;

    for (int32_t i = g->n_tensors; i-- > 0;) {
        const ts_tensor *t = &g->tensors[i];

        if (!t->data)
            continue;
        ts_fb_vec_u8(w->fb, t->data, t->size_bytes, 16, &data, w->err);
        ts_fb_table_begin(w->fb);
        ts_fb_field_ref(w->fb, 0, data);
        ts_fb_table_end(w->fb, &w->refs[t->buffer], w->err);
    }
    ts_fb_table_begin(w->fb);
    ts_fb_table_end(w->fb, &w->refs[0], w->err);
    return ts_fb_vec_refs(w->fb, w->refs, g->n_buffers, out, w->err);
}

static ts_status write_quant(writer *w, const ts_quant *q, ts_fb_ref *out)
{
    int64_t *zp;
    ts_fb_ref scale, zero;

    *out = 0;
    if (q->n == 0)
        return TS_OK;
    zp = ts_malloc((size_t)q->n * sizeof *zp);
    if (!zp)
        return ts_err_set(w->err, TS_ERR_NOMEM, "gen: out of memory writing quantization");
    for (int32_t i = 0; i < q->n; i++)
        zp[i] = q->zero_point[i];
    ts_fb_vec_f32(w->fb, q->scale, (size_t)q->n, &scale, w->err);
    ts_fb_vec_i64(w->fb, zp, (size_t)q->n, &zero, w->err);
    ts_free(zp);
    ts_fb_table_begin(w->fb);
    ts_fb_field_ref(w->fb, 2, scale);
    ts_fb_field_ref(w->fb, 3, zero);
    ts_fb_field_i32(w->fb, 6, q->axis, 0);
    return ts_fb_table_end(w->fb, out, w->err);
}

static ts_status write_tensor(writer *w, const ts_tensor *t, ts_fb_ref *out)
{
    ts_fb_ref shape, name, quant;
    ts_status st = write_quant(w, &t->quant, &quant);

    if (st != TS_OK)
        return st;
    ts_fb_vec_i32(w->fb, t->shape, (size_t)t->rank, &shape, w->err);
    ts_fb_string(w->fb, t->name, &name, w->err);
    ts_fb_table_begin(w->fb);
    ts_fb_field_ref(w->fb, 0, shape);
    ts_fb_field_i8(w->fb, 1, (int8_t)t->dtype, 0);
    ts_fb_field_u32(w->fb, 2, t->buffer, 0);
    ts_fb_field_ref(w->fb, 3, name);
    ts_fb_field_ref(w->fb, 4, quant);
    ts_fb_field_bool(w->fb, 5, t->is_variable, false);
    return ts_fb_table_end(w->fb, out, w->err);
}

/* Fields of Conv2DOptions (depthwise: false) or DepthwiseConv2DOptions (true):
 * Conv2D    0 padding:byte(SAME), 1 stride_w, 2 stride_h, 3 act:byte, 4 dil_w=1, 5 dil_h=1
 * Depthwise 0 padding, 1 stride_w, 2 stride_h, 3 depth_multiplier, 4 act, 5 dil_w=1, 6 dil_h=1 */
static void conv_fields(ts_fb *fb, const ts_conv_opts *c, bool depthwise)
{
    int k = depthwise ? 1 : 0;

    ts_fb_field_i8(fb, 0, (int8_t)c->padding, TS_PAD_SAME);
    ts_fb_field_i32(fb, 1, c->stride_w, 0);
    ts_fb_field_i32(fb, 2, c->stride_h, 0);
    if (depthwise)
        ts_fb_field_i32(fb, 3, c->depth_multiplier, 0);
    ts_fb_field_i8(fb, 3 + k, (int8_t)c->act, TS_ACT_NONE);
    ts_fb_field_i32(fb, 4 + k, c->dilation_w, 1);
    ts_fb_field_i32(fb, 5 + k, c->dilation_h, 1);
}

/* Pool2DOptions 0 padding, 1 stride_w, 2 stride_h, 3 filter_width, 4 filter_height, 5 act. */
static void pool_fields(ts_fb *fb, const ts_pool_opts *p)
{
    ts_fb_field_i8(fb, 0, (int8_t)p->padding, TS_PAD_SAME);
    ts_fb_field_i32(fb, 1, p->stride_w, 0);
    ts_fb_field_i32(fb, 2, p->stride_h, 0);
    ts_fb_field_i32(fb, 3, p->filter_w, 0);
    ts_fb_field_i32(fb, 4, p->filter_h, 0);
    ts_fb_field_i8(fb, 5, (int8_t)p->act, TS_ACT_NONE);
}

/* The options table of op (union type in *type; *out 0 for NONE). Other tables:
 * FullyConnectedOptions 0 act, 1 weights_format, 2 keep_num_dims, 3 asymmetric_quantize_inputs;
 * SoftmaxOptions 0 beta:float; ConcatenationOptions 0 axis, 1 act; AddOptions/MulOptions 0 act;
 * ReshapeOptions 0 new_shape:[int]; ReducerOptions 0 keep_dims:bool; Pad/Quantize/Dequantize
 * options are empty tables; SubOptions 0 act; MaximumMinimumOptions is empty; LeakyReluOptions
 * 0 alpha:float; PackOptions 0 values_count, 1 axis; GatherOptions 0 axis, 1 batch_dims;
 * TransposeConvOptions 0 padding, 1 stride_w, 2 stride_h, 3 act; SplitOptions,
 * SplitVOptions 0 num_splits; UnpackOptions 0 num, 1 axis; StridedSliceOptions 0 begin_mask,
 * 1 end_mask, 2 ellipsis_mask, 3 new_axis_mask, 4 shrink_axis_mask, 5 offset:bool;
 * SpaceToDepthOptions, DepthToSpaceOptions 0 block_size; ResizeNearestNeighborOptions
 * 0 align_corners, 1 half_pixel_centers; ResizeBilinearOptions 2 align_corners,
 * 3 half_pixel_centers (0 and 1 deprecated, not written); ShapeOptions 0 out_type. */
static ts_status write_options(writer *w, const ts_op *op, uint8_t *type, ts_fb_ref *out)
{
    const ts_op_opts *o = &op->opts;
    ts_fb *fb = w->fb;
    ts_fb_ref v = 0;

    *type = op->kind == TS_OP_UNSUPPORTED ? OPTS_NONE : ts_gen_op_row_of(op->kind)->opts_type;
    *out = 0;
    if (*type == OPTS_NONE)
        return TS_OK;
    if (*type == OPTS_RESHAPE && o->reshape.n_new_shape > 0)
        ts_fb_vec_i32(fb, o->reshape.new_shape, (size_t)o->reshape.n_new_shape, &v, w->err);
    ts_fb_table_begin(fb);
    switch ((enum opts_type)*type) {
    case OPTS_CONV2D:
    case OPTS_DEPTHWISE:
        conv_fields(fb, &o->conv, *type == OPTS_DEPTHWISE);
        break;
    case OPTS_POOL2D:
        pool_fields(fb, &o->pool);
        break;
    case OPTS_TRANSPOSE_CONV:
        ts_fb_field_i8(fb, 0, (int8_t)o->conv.padding, TS_PAD_SAME);
        ts_fb_field_i32(fb, 1, o->conv.stride_w, 0);
        ts_fb_field_i32(fb, 2, o->conv.stride_h, 0);
        ts_fb_field_i8(fb, 3, (int8_t)o->conv.act, TS_ACT_NONE);
        break;
    case OPTS_FULLY_CONNECTED:
        ts_fb_field_i8(fb, 0, (int8_t)o->fc.act, TS_ACT_NONE);
        ts_fb_field_i8(fb, 1, (int8_t)o->fc.weights_format, 0);
        ts_fb_field_bool(fb, 2, o->fc.keep_num_dims, false);
        ts_fb_field_bool(fb, 3, o->fc.asymmetric_quantize_inputs, false);
        break;
    case OPTS_SOFTMAX:
        ts_fb_field_f32(fb, 0, o->softmax.beta, 0.0f);
        break;
    case OPTS_GATHER:
        ts_fb_field_i32(fb, 0, o->gather.axis, 0);
        ts_fb_field_i32(fb, 1, o->gather.batch_dims, 0);
        break;
    case OPTS_PACK:
        ts_fb_field_i32(fb, 0, o->pack.values_count, 0);
        ts_fb_field_i32(fb, 1, o->pack.axis, 0);
        break;
    case OPTS_BATCH_MATMUL:
        ts_fb_field_bool(fb, 0, o->bmm.adj_x, false);
        ts_fb_field_bool(fb, 1, o->bmm.adj_y, false);
        break;
    case OPTS_ARG_MAX:
    case OPTS_ARG_MIN:
        ts_fb_field_i8(fb, 0, (int8_t)o->arg.output_type, 0);
        break;
    case OPTS_LEAKY_RELU:
        ts_fb_field_f32(fb, 0, o->leaky_relu.alpha, 0.0f);
        break;
    case OPTS_SPLIT:
    case OPTS_SPLIT_V:
        ts_fb_field_i32(fb, 0, o->split.num_splits, 0);
        break;
    case OPTS_STRIDED_SLICE:
        ts_fb_field_i32(fb, 0, o->strided_slice.begin_mask, 0);
        ts_fb_field_i32(fb, 1, o->strided_slice.end_mask, 0);
        ts_fb_field_i32(fb, 2, o->strided_slice.ellipsis_mask, 0);
        ts_fb_field_i32(fb, 3, o->strided_slice.new_axis_mask, 0);
        ts_fb_field_i32(fb, 4, o->strided_slice.shrink_axis_mask, 0);
        ts_fb_field_bool(fb, 5, o->strided_slice.offset, false);
        break;
    case OPTS_SPACE_TO_DEPTH:
    case OPTS_DEPTH_TO_SPACE:
        ts_fb_field_i32(fb, 0, o->block.block_size, 0);
        break;
    case OPTS_RESIZE_NEAREST:
        ts_fb_field_bool(fb, 0, o->resize.align_corners, false);
        ts_fb_field_bool(fb, 1, o->resize.half_pixel_centers, false);
        break;
    case OPTS_RESIZE_BILINEAR:
        ts_fb_field_bool(fb, 2, o->resize.align_corners, false);
        ts_fb_field_bool(fb, 3, o->resize.half_pixel_centers, false);
        break;
    case OPTS_SHAPE:
        ts_fb_field_i8(fb, 0, (int8_t)o->shape.out_type, 0);
        break;
    case OPTS_UNPACK:
        ts_fb_field_i32(fb, 0, o->unpack.num, 0);
        ts_fb_field_i32(fb, 1, o->unpack.axis, 0);
        break;
    case OPTS_UNI_LSTM:
        ts_fb_field_i8(fb, 0, (int8_t)o->lstm.act, TS_ACT_NONE);
        ts_fb_field_f32(fb, 1, o->lstm.cell_clip, 0.0f);
        ts_fb_field_f32(fb, 2, o->lstm.proj_clip, 0.0f);
        ts_fb_field_bool(fb, 3, o->lstm.time_major, false);
        ts_fb_field_bool(fb, 4, o->lstm.asymmetric_quantize_inputs, false);
        ts_fb_field_bool(fb, 5, o->lstm.diagonal_recurrent_tensors, false);
        break;
    case OPTS_SVDF:
        ts_fb_field_i32(fb, 0, o->svdf.rank, 0);
        ts_fb_field_i8(fb, 1, (int8_t)o->svdf.act, TS_ACT_NONE);
        ts_fb_field_bool(fb, 2, o->svdf.asymmetric_quantize_inputs, false);
        break;
    case OPTS_CONCATENATION:
        ts_fb_field_i32(fb, 0, o->concat.axis, 0);
        ts_fb_field_i8(fb, 1, (int8_t)o->concat.act, TS_ACT_NONE);
        break;
    case OPTS_L2_NORM:
    case OPTS_DIV:
    case OPTS_ADD:
    case OPTS_SUB:
        ts_fb_field_bool(fb, 1, !o->eltwise.general_int16, true); /* pot_scale_int16 */
        ts_fb_field_i8(fb, 0, (int8_t)o->eltwise.act, TS_ACT_NONE);
        break;
    case OPTS_MUL:
        ts_fb_field_i8(fb, 0, (int8_t)o->eltwise.act, TS_ACT_NONE);
        break;
    case OPTS_RESHAPE:
        ts_fb_field_ref(fb, 0, v);
        break;
    case OPTS_REDUCER:
        ts_fb_field_bool(fb, 0, o->reducer.keep_dims, false);
        break;
    case OPTS_NONE:
    case OPTS_PAD:
    case OPTS_DEQUANTIZE:
    case OPTS_QUANTIZE:
    case OPTS_MAXIMUM_MINIMUM:
        break;
    }
    return ts_fb_table_end(fb, out, w->err);
}

/* The OperatorCode of op: one per builtin code, and one per custom code of CUSTOM ops. */
static int32_t opcode_index(const writer *w, const ts_op *op)
{
    if (!op->is_custom) /* a custom op never takes a plain op's code 32 entry */
        return w->code_of[op->builtin_code];
    for (int32_t i = 0; i < w->n_codes; i++)
        if (w->first[i]->is_custom && strcmp(w->first[i]->name, op->name) == 0)
            return i;
    return -1;
}

static ts_status write_op(writer *w, const ts_op *op, ts_fb_ref *out)
{
    ts_fb_ref in, outs, opts, inter = 0;
    uint8_t type;
    ts_status st = write_options(w, op, &type, &opts);

    if (st != TS_OK)
        return st;
    ts_fb_vec_i32(w->fb, op->inputs, (size_t)op->n_inputs, &in, w->err);
    ts_fb_vec_i32(w->fb, op->outputs, (size_t)op->n_outputs, &outs, w->err);
    if (op->n_intermediates > 0)
        ts_fb_vec_i32(w->fb, op->intermediates, (size_t)op->n_intermediates, &inter, w->err);
    ts_fb_table_begin(w->fb);
    ts_fb_field_u32(w->fb, 0, (uint32_t)opcode_index(w, op), 0);
    ts_fb_field_ref(w->fb, 1, in);
    ts_fb_field_ref(w->fb, 2, outs);
    ts_fb_field_u8(w->fb, 3, type, 0);
    ts_fb_field_ref(w->fb, 4, opts);
    ts_fb_field_ref(w->fb, 8, inter);
    return ts_fb_table_end(w->fb, out, w->err);
}

/* The one subgraph: tensors, inputs, outputs, operators, name. */
static ts_status write_subgraph(writer *w, ts_fb_ref *out)
{
    const ts_gen *g = w->g;
    ts_fb_ref tensors, ops, ins, outs, name;
    ts_status st = TS_OK;

    for (int32_t i = 0; i < g->n_tensors && st == TS_OK; i++)
        st = write_tensor(w, &g->tensors[i], &w->refs[i]);
    if (st == TS_OK)
        st = ts_fb_vec_refs(w->fb, w->refs, (size_t)g->n_tensors, &tensors, w->err);
    for (int32_t i = 0; i < g->n_ops && st == TS_OK; i++)
        st = write_op(w, &g->ops[i], &w->refs[i]);
    if (st != TS_OK)
        return st;
    ts_fb_vec_refs(w->fb, w->refs, (size_t)g->n_ops, &ops, w->err);
    ts_fb_vec_i32(w->fb, g->inputs, (size_t)g->n_inputs, &ins, w->err);
    ts_fb_vec_i32(w->fb, g->outputs, (size_t)g->n_outputs, &outs, w->err);
    ts_fb_string(w->fb, g->name, &name, w->err);
    ts_fb_table_begin(w->fb);
    ts_fb_field_ref(w->fb, 0, tensors);
    ts_fb_field_ref(w->fb, 1, ins);
    ts_fb_field_ref(w->fb, 2, outs);
    ts_fb_field_ref(w->fb, 3, ops);
    ts_fb_field_ref(w->fb, 4, name);
    return ts_fb_table_end(w->fb, out, w->err);
}

/* OperatorCodes, one per builtin code used (and per custom code), in order of first use,
 * with that op's version. */
static ts_status write_opcodes(writer *w, ts_fb_ref *out)
{
    for (int32_t i = 0; i < w->n_codes; i++) {
        int32_t code = w->first[i]->builtin_code;
        ts_fb_ref custom = 0;

        if (w->first[i]->is_custom)
            ts_fb_string(w->fb, w->first[i]->name, &custom, w->err);
        ts_fb_table_begin(w->fb);
        ts_fb_field_i8(w->fb, 0, (int8_t)(code < 127 ? code : 127), 0);
        ts_fb_field_ref(w->fb, 1, custom);
        ts_fb_field_i32(w->fb, 2, w->first[i]->version, 1);
        ts_fb_field_i32(w->fb, 3, code, 0);
        ts_fb_table_end(w->fb, &w->refs[i], w->err);
    }
    return ts_fb_vec_refs(w->fb, w->refs, (size_t)w->n_codes, out, w->err);
}

static void index_opcodes(writer *w)
{
    for (int32_t k = 0; k < TS_GEN_MAX_CODE; k++)
        w->code_of[k] = -1;
    w->n_codes = 0;
    for (int32_t i = 0; i < w->g->n_ops; i++) {
        int32_t code = w->g->ops[i].builtin_code;

        assert(code >= 0 && code < TS_GEN_MAX_CODE);
        if (w->g->ops[i].is_custom ? opcode_index(w, &w->g->ops[i]) < 0 : w->code_of[code] < 0) {
            if (!w->g->ops[i].is_custom)
                w->code_of[code] = w->n_codes;
            w->first[w->n_codes++] = &w->g->ops[i];
        }
    }
}

/* Model: written bottom-up (buffers, subgraph, opcodes, description) then the root. */
static ts_status write_model(writer *w)
{
    ts_fb_ref bufs, sub, subs, codes, desc, root;
    ts_status st = write_buffers(w, &bufs);

    if (st == TS_OK)
        st = write_subgraph(w, &sub);
    if (st == TS_OK)
        st = write_opcodes(w, &codes);
    if (st != TS_OK)
        return st;
    ts_fb_vec_refs(w->fb, &sub, 1, &subs, w->err);
    ts_fb_string(w->fb, w->g->description, &desc, w->err);
    ts_fb_table_begin(w->fb);
    ts_fb_field_u32(w->fb, 0, 3, 0);
    ts_fb_field_ref(w->fb, 1, codes);
    ts_fb_field_ref(w->fb, 2, subs);
    ts_fb_field_ref(w->fb, 3, desc);
    ts_fb_field_ref(w->fb, 4, bufs);
    st = ts_fb_table_end(w->fb, &root, w->err);
    return st == TS_OK ? ts_fb_finish(w->fb, root, "TFL3", w->err) : st;
}

ts_status ts_gen_write(ts_gen *g, uint8_t **bytes, size_t *len, ts_err *err)
{
    writer w = {.g = g, .err = err};
    size_t n_refs = (size_t)g->n_tensors + (size_t)g->n_ops + g->n_buffers + TS_OP_COUNT;
    ts_status st;

    if (g->n_outputs == 0) /* no input: a model of constants (DEQUANTIZE of float16 weights) */
        return ts_err_set(err, TS_ERR_CONFIG, "gen: model has %d inputs and %d outputs (expected "
                          ">= 1 output)", g->n_inputs, g->n_outputs);
    w.refs = ts_calloc(n_refs, sizeof *w.refs);
    w.first = ts_calloc((size_t)g->n_ops + 1, sizeof *w.first);
    if (!w.refs || !w.first) {
        ts_free(w.refs);
        ts_free(w.first);
        return ts_err_set(err, TS_ERR_NOMEM, "gen: out of memory writing the model");
    }
    index_opcodes(&w);
    st = ts_fb_new(&w.fb, err);
    if (st == TS_OK)
        st = write_model(&w);
    if (st == TS_OK)
        ts_fb_release(w.fb, bytes, len);
    ts_fb_free(w.fb);
    ts_free(w.refs);
    ts_free(w.first);
    return st;
}
