/* Round-trip tests for sim/gen/tflite_write.c through sim/model's reader: every generated
 * architecture loads back with the structure the generator built (tensors, quantization,
 * constant bytes, ops and options), the MAC totals of the real models, 16-byte-aligned
 * buffers, and (when the third-party models are present) the op sequence of the reference
 * MLPerf Tiny files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb_peek.h"
#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/model/model.h"

typedef struct generated {
    ts_gen *g;
    uint8_t *bytes;
    size_t len;
    ts_model *m;
} generated;

static const char *sample_spec(const ts_gen_arch *a)
{
    if (strcmp(a->name, "conv") == 0)
        return "conv:12,10,3,8,3,3,2,valid";
    if (strcmp(a->name, "dwconv") == 0)
        return "dwconv:9,9,4,3,3,2,2";
    if (strcmp(a->name, "fc") == 0)
        return "fc:10,5";
    if (strcmp(a->name, "op") == 0)
        return "op:add,int8,2x4x3,4x1";
    return a->name;
}

/* Builds, writes and reads back one spec (asserted). */
static generated gen_and_load(const char *spec, uint32_t seed)
{
    generated x = {0};
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build(spec, seed, &x.g, &err), TS_OK, "%s: %s", spec, err.msg);
    cr_assert_eq(ts_gen_write(x.g, &x.bytes, &x.len, &err), TS_OK, "%s: %s", spec, err.msg);
    cr_assert_eq(ts_model_load_buffer(x.bytes, x.len, spec, &x.m, &err), TS_OK, "%s: %s", spec,
                 err.msg);
    return x;
}

static void release(generated *x)
{
    ts_model_free(x->m);
    ts_free(x->bytes);
    ts_gen_free(x->g);
}

static void compare_quant(const char *what, const ts_quant *a, const ts_quant *b)
{
    cr_assert_eq(a->n, b->n, "%s: quant n", what);
    if (a->n > 1)
        cr_expect_eq(a->axis, b->axis, "%s: quantized dimension", what);
    for (int32_t i = 0; i < a->n; i++) {
        cr_expect_eq(a->scale[i], b->scale[i], "%s: scale[%d]", what, i);
        cr_expect_eq(a->zero_point[i], b->zero_point[i], "%s: zero point[%d]", what, i);
    }
}

static void compare_tensor(const char *spec, int32_t i, const ts_tensor *a, const ts_tensor *b)
{
    cr_expect_str_eq(a->name, b->name, "%s: tensor %d name", spec, i);
    cr_expect_eq(a->dtype, b->dtype, "%s: tensor %d dtype", spec, i);
    cr_assert_eq(a->rank, b->rank, "%s: tensor %d rank", spec, i);
    for (int32_t d = 0; d < a->rank; d++)
        cr_expect_eq(a->shape[d], b->shape[d], "%s: tensor %d dim %d", spec, i, d);
    cr_expect_eq(a->n_elems, b->n_elems, "%s: tensor %d elements", spec, i);
    cr_expect_eq(a->size_bytes, b->size_bytes, "%s: tensor %d bytes", spec, i);
    compare_quant(a->name, &a->quant, &b->quant);
    cr_assert_eq(a->data == NULL, b->data == NULL, "%s: tensor %d constness", spec, i);
    if (a->data)
        cr_expect_eq(memcmp(a->data, b->data, a->size_bytes), 0, "%s: tensor %d data", spec, i);
    cr_expect_eq(a->buffer, b->buffer, "%s: tensor %d buffer", spec, i);
    cr_expect_eq(a->is_variable, b->is_variable);
}

/* Options of the op's kind, field by field. */
static void compare_opts(const char *what, ts_op_kind kind, const ts_op_opts *a,
                         const ts_op_opts *b)
{
    if (kind == TS_OP_CONV_2D || kind == TS_OP_DEPTHWISE_CONV_2D ||
        kind == TS_OP_TRANSPOSE_CONV) {
        cr_expect_eq(a->conv.padding, b->conv.padding, "%s: padding", what);
        cr_expect_eq(a->conv.stride_w, b->conv.stride_w, "%s: stride_w", what);
        cr_expect_eq(a->conv.stride_h, b->conv.stride_h, "%s: stride_h", what);
        cr_expect_eq(a->conv.dilation_w, b->conv.dilation_w, "%s: dilation_w", what);
        cr_expect_eq(a->conv.dilation_h, b->conv.dilation_h, "%s: dilation_h", what);
        cr_expect_eq(a->conv.act, b->conv.act, "%s: act", what);
        if (kind == TS_OP_DEPTHWISE_CONV_2D)
            cr_expect_eq(a->conv.depth_multiplier, b->conv.depth_multiplier, "%s: mult", what);
    } else if (kind == TS_OP_AVERAGE_POOL_2D || kind == TS_OP_MAX_POOL_2D) {
        cr_expect_eq(memcmp(&a->pool, &b->pool, sizeof a->pool), 0, "%s: pool options", what);
    } else if (kind == TS_OP_FULLY_CONNECTED) {
        cr_expect_eq(a->fc.act, b->fc.act, "%s: act", what);
        cr_expect_eq(a->fc.weights_format, b->fc.weights_format, "%s", what);
        cr_expect_eq(a->fc.keep_num_dims, b->fc.keep_num_dims, "%s", what);
    } else if (kind == TS_OP_SOFTMAX) {
        cr_expect_eq(a->softmax.beta, b->softmax.beta, "%s: beta", what);
    } else if (kind == TS_OP_ADD || kind == TS_OP_SUB || kind == TS_OP_MUL ||
               kind == TS_OP_DIV) {
        cr_expect_eq(a->eltwise.act, b->eltwise.act, "%s: act", what);
        cr_expect_eq(a->eltwise.general_int16, b->eltwise.general_int16,
                     "%s: pot_scale_int16", what);
    } else if (kind == TS_OP_LEAKY_RELU) {
        cr_expect_eq(a->leaky_relu.alpha, b->leaky_relu.alpha, "%s: alpha", what);
    } else if (kind == TS_OP_PACK) {
        cr_expect_eq(a->pack.values_count, b->pack.values_count, "%s: values_count", what);
        cr_expect_eq(a->pack.axis, b->pack.axis, "%s: axis", what);
    } else if (kind == TS_OP_GATHER) {
        cr_expect_eq(a->gather.axis, b->gather.axis, "%s: axis", what);
        cr_expect_eq(a->gather.batch_dims, b->gather.batch_dims, "%s: batch_dims", what);
    } else if (kind == TS_OP_BATCH_MATMUL) {
        cr_expect(a->bmm.adj_x == b->bmm.adj_x && a->bmm.adj_y == b->bmm.adj_y, "%s: adj", what);
    } else if (kind == TS_OP_ARG_MAX || kind == TS_OP_ARG_MIN) {
        cr_expect_eq(a->arg.output_type, b->arg.output_type, "%s: output_type", what);
    } else if (kind == TS_OP_SVDF) {
        cr_expect_eq(a->svdf.rank, b->svdf.rank, "%s: rank", what);
        cr_expect_eq(a->svdf.act, b->svdf.act, "%s: act", what);
        cr_expect_eq(a->svdf.asymmetric_quantize_inputs, b->svdf.asymmetric_quantize_inputs,
                     "%s: asymmetric_quantize_inputs", what);
    } else if (kind == TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM) {
        cr_expect(a->lstm.act == b->lstm.act && a->lstm.cell_clip == b->lstm.cell_clip &&
                  a->lstm.proj_clip == b->lstm.proj_clip &&
                  a->lstm.time_major == b->lstm.time_major &&
                  a->lstm.asymmetric_quantize_inputs == b->lstm.asymmetric_quantize_inputs &&
                  a->lstm.diagonal_recurrent_tensors == b->lstm.diagonal_recurrent_tensors,
                  "%s: UnidirectionalSequenceLSTMOptions", what);
    } else if (kind == TS_OP_RESHAPE) {
        cr_assert_eq(a->reshape.n_new_shape, b->reshape.n_new_shape, "%s: new_shape", what);
        for (int32_t i = 0; i < a->reshape.n_new_shape; i++)
            cr_expect_eq(a->reshape.new_shape[i], b->reshape.new_shape[i], "%s", what);
    } else if (kind == TS_OP_MEAN || kind == TS_OP_REDUCE_MAX || kind == TS_OP_SUM) {
        cr_expect_eq(a->reducer.keep_dims, b->reducer.keep_dims, "%s: keep_dims", what);
    } else if (kind == TS_OP_SPLIT || kind == TS_OP_SPLIT_V) { /* ops-move */
        cr_expect_eq(a->split.num_splits, b->split.num_splits, "%s: num_splits", what);
    } else if (kind == TS_OP_STRIDED_SLICE) {
        cr_expect_eq(memcmp(&a->strided_slice, &b->strided_slice, sizeof a->strided_slice), 0,
                     "%s: strided slice options", what);
    } else if (kind == TS_OP_SPACE_TO_DEPTH || kind == TS_OP_DEPTH_TO_SPACE) {
        cr_expect_eq(a->block.block_size, b->block.block_size, "%s: block_size", what);
    } else if (kind == TS_OP_RESIZE_NEAREST_NEIGHBOR || kind == TS_OP_RESIZE_BILINEAR) {
        cr_expect_eq(a->resize.align_corners, b->resize.align_corners, "%s", what);
        cr_expect_eq(a->resize.half_pixel_centers, b->resize.half_pixel_centers, "%s", what);
    } else if (kind == TS_OP_SHAPE) {
        cr_expect_eq(a->shape.out_type, b->shape.out_type, "%s: out_type", what);
    } else if (kind == TS_OP_UNPACK) {
        cr_expect_eq(a->unpack.num, b->unpack.num, "%s: num", what);
        cr_expect_eq(a->unpack.axis, b->unpack.axis, "%s: axis", what);
    }
}

static void compare_op(const char *spec, int32_t i, const ts_op *a, const ts_op *b)
{
    char what[96];

    snprintf(what, sizeof what, "%s: op %d (%s)", spec, i, a->name);
    cr_assert_eq(a->kind, b->kind, "%s: kind", what);
    cr_expect_eq(a->builtin_code, b->builtin_code, "%s: builtin code", what);
    cr_expect_eq(a->version, b->version, "%s: version", what);
    cr_expect_not(b->is_custom, "%s", what);
    cr_assert_eq(a->n_inputs, b->n_inputs, "%s: inputs", what);
    cr_assert_eq(a->n_outputs, b->n_outputs, "%s: outputs", what);
    for (int32_t k = 0; k < a->n_inputs; k++)
        cr_expect_eq(a->inputs[k], b->inputs[k], "%s: input %d", what, k);
    for (int32_t k = 0; k < a->n_outputs; k++)
        cr_expect_eq(a->outputs[k], b->outputs[k], "%s: output %d", what, k);
    compare_opts(what, a->kind, &a->opts, &b->opts);
    cr_assert_eq(a->n_intermediates, b->n_intermediates, "%s: intermediates", what);
    for (int32_t k = 0; k < a->n_intermediates; k++)
        cr_expect_eq(a->intermediates[k], b->intermediates[k], "%s: intermediate %d", what, k);
}

static void compare_graph(const char *spec, const ts_graph *a, const ts_graph *b)
{
    cr_expect_str_eq(a->name, b->name, "%s: subgraph name", spec);
    cr_assert_eq(a->n_tensors, b->n_tensors, "%s: tensors", spec);
    cr_assert_eq(a->n_ops, b->n_ops, "%s: ops", spec);
    cr_assert_eq(a->n_inputs, b->n_inputs, "%s: inputs", spec);
    cr_assert_eq(a->n_outputs, b->n_outputs, "%s: outputs", spec);
    for (int32_t i = 0; i < a->n_inputs; i++)
        cr_expect_eq(a->inputs[i], b->inputs[i], "%s: input %d", spec, i);
    for (int32_t i = 0; i < a->n_outputs; i++)
        cr_expect_eq(a->outputs[i], b->outputs[i], "%s: output %d", spec, i);
    for (int32_t i = 0; i < a->n_tensors; i++)
        compare_tensor(spec, i, &a->tensors[i], &b->tensors[i]);
    for (int32_t i = 0; i < a->n_ops; i++)
        compare_op(spec, i, &a->ops[i], &b->ops[i]);
}

Test(gen_roundtrip, every_arch_reads_back_with_identical_structure)
{
    for (int32_t i = 0; i < ts_gen_n_archs(); i++) {
        const char *spec = sample_spec(ts_gen_arch_at(i));
        generated x = gen_and_load(spec, 11);
        ts_err err;

        cr_expect_eq(ts_model_schema_version(x.m), 3u, "%s", spec);
        cr_expect_eq(ts_model_n_subgraphs(x.m), 1, "%s", spec);
        cr_expect_str_eq(ts_model_description(x.m), ts_gen_description(x.g));
        ts_err_clear(&err);
        cr_expect_eq(ts_model_require_supported(x.m, &err), TS_OK, "%s: %s", spec, err.msg);
        compare_graph(spec, ts_gen_graph(x.g), ts_model_graph(x.m));
        release(&x);
    }
}

/* The options of the newer operators survive the writer and the reader (LeakyReluOptions
 * alpha, PackOptions, GatherOptions, SubOptions), and every single-op model reads back
 * supported, with its constant inputs (perm, axis, begin/size, indices) as written. */
Test(gen_roundtrip, single_op_models_of_every_gen_ops_row_read_back_identically)
{
    static const char *const specs[] = {
        "op:sub,int8,2x3,3",          "op:maximum,float32,4",
        "op:minimum,int8,4,1",        "op:squared_difference,int8,2x2",
        "op:relu,int8,5",             "op:relu6,float32,5",
        "op:leaky_relu,int8,5,alpha=0.125", "op:abs,int8,5",
        "op:neg,float32,5",           "op:transpose,int8,2x3x4,perm=1.2.0",
        "op:expand_dims,int8,3x4,axis=1", "op:squeeze,float32,1x3x1",
        "op:pack,int8,3x2,axis=-1",   "op:slice,int8,4x5,begin=1.2,size=2.-1",
        "op:gather,float32,4x3,indices=3.0,axis=0",
        "op:transpose_conv,int8,1x3x3x2,filter=3.2.2,stride=2.2.1.1",
        "op:transpose_conv,float32,1x2x4x3,filter=2.3.3,stride=1.2",
        "op:transpose_conv,int8,2x2x2x4,filter=3.1.3.0,stride=1.3.1", /* no bias: 3 inputs */
        "op:transpose_conv,int16,1x2x3x3,filter=2.2.2,stride=2.2.0.3", /* 16x8, RELU6 */
        /* ops-move */
        "op:split,int8,4x6,num=3,axis=1", "op:split_v,float32,4x6,sizes=1.-1,axis=-1",
        "op:unpack,int8,2x3,axis=-1",
        "op:strided_slice,float32,4x6,begin=1.-1,end=0.0,strides=1.-2,masks=0.1.1",
        /* ops-math group */
        "op:hard_swish,int8,5",       "op:tanh,int8,2x3",
        "op:prelu,int8,2x3,3",        "op:arg_max,float32,3x4,axis=-1",
        "op:arg_min,int8,2x5,axis=0",   "op:sqrt,float32,6",
        "op:space_to_depth,int8,1x2x4x1,block=2", "op:depth_to_space,float32,1x1x1x4,block=2",
        "op:resize_nearest_neighbor,int8,1x2x2x1,size=3.3,flags=0.1",
        "op:fill,int8,2x3", "op:zeros_like,float32,4", "op:shape,int8,2x3",
        "op:cast,int16>float32,3",
        /* recurrent layers: a variable state tensor, int16 constants, SVDFOptions */
        "op:svdf,int8,2x5,units=3,rank=2,memory=4",
        "op:svdf,int8,1x5,units=2,rank=1,memory=3,time=int8,bias=0",
        "op:svdf,float32,1x4,units=2,rank=3,memory=2,act=relu6",
        /* UNIDIRECTIONAL_SEQUENCE_LSTM: 20 inputs with absent ones, two variable states */
        "op:lstm,float32,2x3x4,units=3", "op:lstm,float32,1x2x3,units=2,time_major=1,clip=2.5",
        /* int8 (8x8_16): int16 cell state, int32 biases, five Operator.intermediates */
        "op:lstm,int8,2x3x4,units=3", "op:lstm,int8,1x2x3,units=2,time_major=1,clip=0.5",
        /* 16x8: int16 activations, per-channel int8 filters, int64 biases */
        "op:fully_connected,int16,2x6,units=3", "op:conv_2d,int16,1x5x5x2,filter=3.2.3,stride=2.1",
        "op:depthwise_conv_2d,int16,1x4x4x3,filter=3.3.2,stride=1.1.1",
        "op:quantize,float32,6,to=16", "op:quantize,int16,2x3,to=32", "op:dequantize,int16,7",
        "op:add,int16,2x3,3", "op:sub,int16,4", "op:mul,int16,2x2",
        "op:average_pool_2d,int16,1x4x4x2,filter=2.2,stride=2.2",
        "op:max_pool_2d,int16,1x5x4x3,filter=3.2,stride=1.1.1",
        "op:pad,int16,1x2x3x2,paddings=0.0.1.1.0.2.0.0", "op:pad,float32,4,paddings=1.2",
        "op:concatenation,int16,2x3,2x2,axis=-1", "op:concatenation,int8,1x2,3x2,axis=0",
        "op:rsqrt,int8,2x4",          "op:reduce_max,int8,2x3x4,axis=0.2,keep_dims=1",
        "op:l2_normalization,int8,3x4", "op:div,float32,2x3,3",
        "op:sum,int8,2x3x4,axis=1,keep_dims=0",
        "op:batch_matmul,int8,2x3x4,4x5,adj=0.0",
        "op:leaky_relu,int16,5,alpha=0.125",
        "op:strided_slice,int16,4x6,begin=1.-1,end=0.0,strides=1.-2,masks=0.1.1",
        "op:shape,int16,2x3",
        "op:resize_bilinear,int8,1x2x3x2,size=5.2,flags=1.0",
        "op:resize_bilinear,float32,2x3x3x1,size=2.4,flags=0.1",
        "op:resize_bilinear,int8,1x2x2x1,size=4.3",
        "op:mean,int16,1x3x4x2,axis=1.2,keep_dims=1", "op:mean,int8,2x3x4,axis=-1,keep_dims=0",
        "op:mean,float32,4x5,axis=0,keep_dims=1",
        "op:softmax,int16,3x7,scale=-12,beta=2.5", "op:softmax,int8,2x9",
        "op:logistic,int16,2x5,scale=-12", "op:tanh,int16,7,scale=-11",
        /* fused activations, weight layouts, RESHAPE */
        "op:add,int8,2x3,3,act=relu6", "op:sub,int16,4,act=relu", "op:mul,float32,2x2,act=relu",
        "op:div,float32,2x3,act=relu_n1_to_1",
        "op:conv_2d,int16,1x4x4x2,filter=3.3.2,stride=1.1,act=relu6,weights=per_tensor",
        "op:fully_connected,int16,2x6,units=3,weights=per_channel,act=relu_n1_to_1",
        "op:max_pool_2d,int16,1x4x4x2,filter=2.2,stride=2.2,act=relu6",
        "op:reshape,int8,2x3x4,shape=4.-1", "op:reshape,float32,6,shape=1.2.3",
    };

    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        generated x = gen_and_load(specs[i], 3);
        ts_err err;

        ts_err_clear(&err);
        cr_expect_eq(ts_model_require_supported(x.m, &err), TS_OK, "%s: %s", specs[i], err.msg);
        compare_graph(specs[i], ts_gen_graph(x.g), ts_model_graph(x.m));
        release(&x);
    }
}

Test(gen_roundtrip, the_description_names_the_arch_and_the_seed)
{
    generated x = gen_and_load("conv:8,8,3,4,3,3", 42);

    cr_expect_str_eq(ts_model_description(x.m), "generated by tinysim gen conv:8,8,3,4,3,3 seed 42");
    release(&x);
}

Test(gen_roundtrip, read_back_mac_totals_equal_the_real_models)
{
    for (int32_t i = 0; i < ts_gen_n_archs(); i++) {
        const ts_gen_arch *a = ts_gen_arch_at(i);
        generated x;
        const ts_graph *g;
        uint64_t macs = 0;

        if (!a->macs)
            continue;
        x = gen_and_load(a->name, 1);
        g = ts_model_graph(x.m);
        for (int32_t k = 0; k < g->n_ops; k++)
            macs += ts_op_macs(g, &g->ops[k]);
        cr_expect_eq(macs, a->macs, "%s: %llu MACs, expected %llu", a->name,
                     (unsigned long long)macs, (unsigned long long)a->macs);
        release(&x);
    }
}

Test(gen_roundtrip, buffers_start_at_16_byte_offsets_and_buffer_0_is_empty)
{
    generated x = gen_and_load("mobilenet_v1_025", 1);
    const uint8_t *d = x.bytes;
    size_t root = peek_root(d), bufs, b, data;
    uint32_t n, n_data;

    cr_expect_eq(memcmp(d + 4, "TFL3", 4), 0);
    bufs = peek_vector(d, peek_field(d, root, 4), &n);
    cr_assert_eq(n, ts_gen_n_buffers(x.g));
    cr_expect_eq(peek_field(d, peek_elem_ref(d, bufs, 0), 0), 0, "buffer 0 has data");
    for (uint32_t i = 1; i < n; i++) {
        b = peek_elem_ref(d, bufs, i);
        data = peek_vector(d, peek_field(d, b, 0), &n_data);
        cr_expect_eq(data % 16, 0, "buffer %u data at offset %zu", i, data);
        cr_expect_gt(n_data, 0u);
    }
    release(&x);
}

Test(gen_roundtrip, different_seeds_change_weights_but_not_structure)
{
    generated a = gen_and_load("resnet8", 1), b = gen_and_load("resnet8", 2);
    const ts_graph *ga = ts_model_graph(a.m), *gb = ts_model_graph(b.m);
    int32_t differing = 0;

    cr_assert_eq(ga->n_tensors, gb->n_tensors);
    cr_assert_eq(ga->n_ops, gb->n_ops);
    for (int32_t i = 0; i < ga->n_tensors; i++) {
        cr_expect_eq(ga->tensors[i].size_bytes, gb->tensors[i].size_bytes);
        if (ga->tensors[i].data && gb->tensors[i].data &&
            memcmp(ga->tensors[i].data, gb->tensors[i].data, ga->tensors[i].size_bytes) != 0)
            differing++;
    }
    cr_expect_gt(differing, 10);
    release(&a);
    release(&b);
}

/* Op kinds and output element counts of the reference file `file` (in TS_SHARED_DIR/models);
 * returns the op count, or -1 when the file is absent. */
static int32_t reference_ops(const char *file, ts_op_kind *kinds, int64_t *out_elems, int32_t max)
{
    const char *dir = getenv("TS_SHARED_DIR");
    char path[512];
    ts_model *m = NULL;
    const ts_graph *g;
    int32_t n;
    ts_err err;

    if (!dir)
        return -1;
    snprintf(path, sizeof path, "%s/models/%s", dir, file);
    ts_err_clear(&err);
    if (ts_model_load_file(path, &m, &err) != TS_OK)
        return -1;
    g = ts_model_graph(m);
    n = g->n_ops < max ? g->n_ops : max;
    for (int32_t i = 0; i < n; i++) {
        kinds[i] = g->ops[i].kind;
        out_elems[i] = g->tensors[g->ops[i].outputs[0]].n_elems;
    }
    ts_model_free(m);
    return n;
}

Test(gen_roundtrip, mlperf_archs_have_the_op_sequence_and_output_sizes_of_the_reference_files)
{
    static const char *const pairs[][2] = {{"ds_cnn", "kws_ds_cnn_int8.tflite"},
                                           {"mobilenet_v1_025", "vww_mobilenetv1_int8.tflite"},
                                           {"resnet8", "ic_resnet8_int8.tflite"},
                                           {"fc_autoencoder", "ad_autoencoder_int8.tflite"},
                                           {"hello_world", "hello_world_int8.tflite"}};
    ts_op_kind kinds[64];
    int64_t elems[64];

    if (reference_ops(pairs[0][1], kinds, elems, 64) < 0)
        cr_skip_test("../shared/models not found: reference op sequences not compared");
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
        int32_t n = reference_ops(pairs[p][1], kinds, elems, 64);
        generated x;
        const ts_graph *g;

        cr_assert_geq(n, 0, "%s missing from ../shared/models", pairs[p][1]);
        x = gen_and_load(pairs[p][0], 1);
        g = ts_model_graph(x.m);
        cr_expect_eq(g->n_ops, n, "%s: %d ops, reference has %d", pairs[p][0], g->n_ops, n);
        for (int32_t i = 0; i < n && i < g->n_ops; i++) {
            cr_expect_eq(g->ops[i].kind, kinds[i], "%s: op %d kind", pairs[p][0], i);
            cr_expect_eq(g->tensors[g->ops[i].outputs[0]].n_elems, elems[i],
                         "%s: op %d output elements", pairs[p][0], i);
        }
        release(&x);
    }
}

/* Each of the n specs is refused as TS_ERR_CONFIG with a message that contains `want`. */
static void expect_malformed(const char *const *bad, size_t n, const char *want)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_err err;

    for (size_t i = 0; i < n; i++) {
        ts_err_clear(&err);
        cr_expect_eq(ts_gen_spec_bytes(bad[i], 1, &bytes, &len, &err), TS_ERR_CONFIG, "%s",
                     bad[i]);
        cr_expect(strstr(err.msg, want) != NULL, "%s: %s", bad[i], err.msg);
    }
}

/* act= and weights= reach the file: the option's activation, one filter scale (per tensor) or
 * one per output (per channel); RESHAPE resolves a -1 in its output shape and keeps it in its
 * shape input and options, as TFLite's converter writes them. */
Test(gen_roundtrip, act_weights_and_reshape_parameters_are_written_as_given)
{
    static const struct {
        const char *spec;
        ts_act act;
        int32_t n_scales; /* of input 1 (the filter), 0: not weighted */
    } cases[] = {
        {"op:add,int16,2x3,act=relu", TS_ACT_RELU, 0},
        {"op:div,float32,4,act=relu_n1_to_1", TS_ACT_RELU_N1_TO_1, 0},
        {"op:average_pool_2d,int16,1x4x4x2,filter=2.2,stride=2.2,act=relu6", TS_ACT_RELU6, 0},
        {"op:fully_connected,int16,2x6,units=3", TS_ACT_NONE, 1},
        {"op:fully_connected,int16,2x6,units=3,weights=per_channel,act=relu", TS_ACT_RELU, 3},
        {"op:conv_2d,int16,1x4x4x2,filter=3.3.5,stride=1.1", TS_ACT_NONE, 5},
        {"op:conv_2d,int16,1x4x4x2,filter=3.3.5,stride=1.1,weights=per_tensor", TS_ACT_NONE, 1},
        {"op:depthwise_conv_2d,int16,1x4x4x2,filter=3.3.2,stride=1.1,act=relu6,"
         "weights=per_tensor", TS_ACT_RELU6, 1},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        generated x = gen_and_load(cases[i].spec, 2);
        const ts_graph *g = ts_model_graph(x.m);
        const ts_op *op = &g->ops[0];
        ts_act act = op->kind == TS_OP_FULLY_CONNECTED ? op->opts.fc.act
                     : op->kind == TS_OP_CONV_2D || op->kind == TS_OP_DEPTHWISE_CONV_2D
                         ? op->opts.conv.act
                     : op->kind == TS_OP_AVERAGE_POOL_2D ? op->opts.pool.act
                                                         : op->opts.eltwise.act;

        cr_expect_eq(act, cases[i].act, "%s: act %d", cases[i].spec, (int)act);
        if (cases[i].n_scales)
            cr_expect_eq(g->tensors[op->inputs[1]].quant.n, cases[i].n_scales, "%s: scales",
                         cases[i].spec);
        release(&x);
    }
    generated r = gen_and_load("op:reshape,int16,2x3x4,shape=2.-1.3", 1);
    const ts_graph *g = ts_model_graph(r.m);
    const ts_tensor *out = &g->tensors[g->ops[0].outputs[0]];
    const ts_tensor *shape = &g->tensors[g->ops[0].inputs[1]];
    int32_t v[3];

    cr_assert_eq(out->rank, 3);
    cr_expect(out->shape[0] == 2 && out->shape[1] == 4 && out->shape[2] == 3, "[%d,%d,%d]",
              out->shape[0], out->shape[1], out->shape[2]);
    cr_assert_eq(shape->n_elems, 3);
    memcpy(v, shape->data, sizeof v);
    cr_expect(v[0] == 2 && v[1] == -1 && v[2] == 3, "shape input %d.%d.%d", v[0], v[1], v[2]);
    cr_expect_eq(g->ops[0].opts.reshape.new_shape[1], -1);
    release(&r);
}

Test(gen_roundtrip, a_bad_act_or_weights_field_names_what_it_expects)
{
    static const char *const no_act[] = {"op:relu,int8,4,act=relu", "op:pack,int8,3,axis=0,"
                                         "act=relu6", "op:concatenation,int16,2x3,axis=0,act=relu"};
    static const char *const bad_act[] = {"op:add,int8,4,act=tanh", "op:mul,int16,4,act=",
                                          "op:max_pool_2d,int16,1x4x4x1,filter=2.2,stride=2.2,"
                                          "act=relu7"};
    static const char *const no_weights[] = {"op:add,int8,4,weights=per_tensor",
                                             "op:transpose_conv,int16,1x2x2x1,filter=1.1.1,"
                                             "stride=1.1,weights=per_tensor"};
    static const char *const bad_weights[] = {"op:conv_2d,int16,1x4x4x1,filter=1.1.1,stride=1.1,"
                                              "weights=per_axis"};
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_err err;

    expect_malformed(no_act, 3, "takes no fused activation");
    expect_malformed(bad_act, 3, "expected act=none|relu|relu6|relu_n1_to_1");
    expect_malformed(no_weights, 2, "has no weights");
    expect_malformed(bad_weights, 1, "expected weights=per_channel|per_tensor");
    ts_err_clear(&err);
    cr_expect_eq(ts_gen_spec_bytes("op:reshape,int8,6x4,shape=5.-1", 1, &bytes, &len, &err),
                 TS_ERR_RANGE);
    cr_expect(strstr(err.msg, "holding the input's 24 elements") != NULL, "%s", err.msg);
    ts_err_clear(&err);
    cr_expect_eq(ts_gen_spec_bytes("op:reshape,int8,6x4,shape=-1.-1", 1, &bytes, &len, &err),
                 TS_ERR_RANGE, "two -1 entries");
}

Test(gen_roundtrip, a_malformed_svdf_spec_names_the_form_it_expects)
{
    static const char *const bad[] = {
        "op:svdf,int8,1x16,units=4,rank=3,memory=8x", "op:svdf,int16,1x16,units=4,rank=1,memory=2",
        "op:svdf,int8,16,units=4,rank=1,memory=2", "op:svdf,int8,1x16,units=0,rank=1,memory=2",
        "op:svdf,int8,1x16,units=4,rank=1,memory=2,time=int32",
        "op:svdf,int8,1x16,units=4,rank=1,memory=2,act=tanh",
    };

    expect_malformed(bad, sizeof bad / sizeof bad[0],
                     "expected op:svdf,int8|float32,BATCHxINPUT,units=U,rank=R,memory=M");
}

Test(gen_roundtrip, a_malformed_lstm_spec_names_the_form_it_expects)
{
    static const char *const bad[] = {
        "op:lstm,int16,1x2x3,units=2", "op:lstm,float32,1x2,units=2",
        "op:lstm,float32,1x2x3,units=0", "op:lstm,float32,1x2x3,units=2,clip=-1",
        "op:lstm,float32,1x2x3,units=2,time_major=2", "op:lstm,float32,1x2x3,units=2,peep=1",
        "op:lstm,float32,1x2x3,units=2,clip=1x",
    };

    expect_malformed(bad, sizeof bad / sizeof bad[0],
                     "expected op:lstm,float32|int8,BATCHxTIMExINPUT,units=U");
}

/* UNIDIRECTIONAL_SEQUENCE_LSTM MACs, now that it runs, as before from shapes: 4 gates x units
 * x (input + units) per time step and batch row: 4 x 16 x (10 + 16) x 8 = 13,312; the int8
 * LSTM the same, and it reads back its five intermediates, the fifth the hidden state's
 * quantization (the output's). */
Test(gen_roundtrip, an_lstm_counts_four_gate_matrices_per_step_and_row)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("op:lstm,float32,1x8x10,units=16", 1, &bytes, &len, &err),
                 TS_OK, "%s", err.msg);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "lstm.tflite", &m, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(ts_op_macs(ts_model_graph(m), &ts_model_graph(m)->ops[0]), 13312);
    cr_expect_eq(ts_model_graph(m)->ops[0].kind, TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM);
    cr_expect_eq(ts_model_graph(m)->ops[0].n_intermediates, 0);
    ts_model_free(m);
    ts_free(bytes);
    {
        generated q = gen_and_load("op:lstm,int8,1x8x10,units=16", 1);
        const ts_graph *g = ts_model_graph(q.m);
        const ts_op *op = &g->ops[0];
        const ts_tensor *h, *out = &g->tensors[op->outputs[0]];
        cr_expect_eq(ts_op_macs(g, op), 13312);
        cr_assert_eq(op->n_intermediates, 5);
        h = &g->tensors[op->intermediates[4]];
        cr_expect_eq(h->dtype, TS_DT_INT8);
        cr_expect(h->quant.n == 1 && out->quant.n == 1 && h->quant.scale[0] == out->quant.scale[0] &&
                  h->quant.zero_point[0] == out->quant.zero_point[0]);
        cr_expect_eq(g->tensors[op->intermediates[0]].quant.scale[0], 1.0f / 4096.0f);
        release(&q);
    }
}

/* BATCH_MATMUL MACs by the MLPerf Tiny convention (as FULLY_CONNECTED: one per output element
 * and inner-dimension step), read back from the file: [2,1,4,6] x [3,5,6] with adj_y gives
 * [2,3,4,5] = 120 outputs of K = 6, 720 MACs; with adj_x, lhs [7,3] is [K=7, M=3]: 3 x 4 x 7. */
Test(gen_roundtrip, batch_matmul_macs_count_the_inner_dimension)
{
    generated x = gen_and_load("op:batch_matmul,int8,2x1x4x6,3x5x6,adj=0.1", 1);
    generated y = gen_and_load("op:batch_matmul,float32,7x3,7x4,adj=1.0", 1);

    cr_expect(ts_model_graph(x.m)->ops[0].opts.bmm.adj_y && !ts_model_graph(x.m)->ops[0].opts.bmm.adj_x);
    cr_expect_eq(ts_op_macs(ts_model_graph(x.m), &ts_model_graph(x.m)->ops[0]), 720);
    cr_expect_eq(ts_op_macs(ts_model_graph(y.m), &ts_model_graph(y.m)->ops[0]), 3 * 4 * 7);
    release(&x);
    release(&y);
}
