/* model.h: the graph IR of a .tflite model, read from untrusted bytes.
 * Layer: sim/model. Depends on sim/base only. Never prints or exits.
 *
 * Lifetime: every pointer reachable from a ts_model (tensors, ops, names, constant data) is
 * a read-only view valid until ts_model_free(). Constant tensor data point into the model's
 * own copy of the file (or an aligned copy of it), so they are never NULL for constants.
 *
 * What a successful load guarantees (checked in tflite_read.c + model_check.c):
 *  - every tensor index in an op or in the subgraph inputs/outputs is in range (-1 only for
 *    optional op inputs), every opcode and buffer index is in range;
 *  - shapes are non-negative and their element count times the element size fits in size_t
 *    and int32 element count; constant data has exactly the bytes the shape needs;
 *  - quantization arrays have length 1 or the size of the quantized axis;
 *  - supported ops have their options decoded, the arity and the shapes they need for
 *    MAC counting checked (e.g. a CONV_2D filter is rank 4 and matches its input depth).
 * Ops that tinysim does not support are kept with kind TS_OP_UNSUPPORTED and their TFLite
 * name; ts_model_require_supported() turns them into TS_ERR_UNSUPPORTED. */
#ifndef TS_MODEL_H
#define TS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

#define TS_MAX_RANK 8          /* deepest tensor rank accepted */
#define TS_MODEL_MAX_BYTES ((size_t)1 << 30) /* 1 GiB file-size limit */

typedef enum ts_dtype {
#define DTYPE(name, code, size, str) TS_DT_##name = code,
#include "dtype.def"
#undef DTYPE
    TS_DT_COUNT
} ts_dtype;

/* Element size in bytes, 0 for types without a fixed size or out-of-range values. */
size_t ts_dtype_size(ts_dtype dt);
/* Lower-case name ("int8"), "unknown" for out-of-range values. */
const char *ts_dtype_name(ts_dtype dt);

typedef enum ts_op_kind {
    TS_OP_UNSUPPORTED = 0,
#define TFLITE_OP(code, kind, opts, name) TS_OP_##kind,
#include "tflite_ops.def"
#undef TFLITE_OP
    TS_OP_COUNT
} ts_op_kind;

/* TFLite's Padding enum. */
typedef enum ts_padding { TS_PAD_SAME = 0, TS_PAD_VALID = 1 } ts_padding;

/* TFLite's ActivationFunctionType enum (fused activation). */
typedef enum ts_act {
    TS_ACT_NONE = 0,
    TS_ACT_RELU = 1,
    TS_ACT_RELU_N1_TO_1 = 2,
    TS_ACT_RELU6 = 3,
    TS_ACT_TANH = 4,
    TS_ACT_SIGN_BIT = 5
} ts_act;

typedef struct ts_quant {
    int32_t n;                 /* number of (scale, zero point) pairs; 0 = not quantized */
    const float *scale;        /* n entries, finite and > 0 */
    const int32_t *zero_point; /* n entries */
    int32_t axis;              /* quantized dimension when n > 1 (per-channel), else 0 */
} ts_quant;

typedef struct ts_tensor {
    const char *name;            /* never NULL ("" when the file has none) */
    ts_dtype dtype;
    int32_t rank;                /* 0 for scalars */
    int32_t shape[TS_MAX_RANK];  /* shape[0..rank-1], each >= 0 */
    int64_t n_elems;             /* product of the shape (1 for scalars) */
    size_t size_bytes;           /* n_elems * element size */
    ts_quant quant;
    const uint8_t *data;         /* constant data (size_bytes long), NULL for activations */
    uint32_t buffer;             /* index into the model's buffers (0 = none) */
    bool is_variable;
} ts_tensor;

typedef struct ts_conv_opts { /* CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV (dilation 1) */
    ts_padding padding;
    int32_t stride_w, stride_h;     /* >= 1 */
    int32_t dilation_w, dilation_h; /* >= 1 */
    int32_t depth_multiplier;       /* DEPTHWISE_CONV_2D only (as in the file; 0 if absent) */
    ts_act act;
} ts_conv_opts;

typedef struct ts_pool_opts { /* AVERAGE_POOL_2D and MAX_POOL_2D */
    ts_padding padding;
    int32_t stride_w, stride_h; /* >= 1 */
    int32_t filter_w, filter_h; /* >= 1 */
    ts_act act;
} ts_pool_opts;

typedef struct ts_fc_opts {
    ts_act act;
    int32_t weights_format; /* 0 = DEFAULT; others are rejected as unsupported */
    bool keep_num_dims;
    bool asymmetric_quantize_inputs;
} ts_fc_opts;

typedef struct ts_softmax_opts {
    float beta;
} ts_softmax_opts;

typedef struct ts_concat_opts {
    int32_t axis; /* normalised to [0, rank) of the output */
    ts_act act;
} ts_concat_opts;

typedef struct ts_eltwise_opts { /* ADD, MUL, SUB */
    ts_act act;
    bool general_int16; /* ADD, SUB: the file's pot_scale_int16 is false (int16 only) */
} ts_eltwise_opts;

typedef struct ts_reshape_opts {
    int32_t n_new_shape;      /* 0 when the option is absent */
    const int32_t *new_shape;
} ts_reshape_opts;

typedef struct ts_reducer_opts { /* MEAN */
    bool keep_dims;
} ts_reducer_opts;

typedef struct ts_pack_opts {
    int32_t values_count; /* number of inputs (0 when absent) */
    int32_t axis;         /* may be negative: counted from the end of the output's rank */
} ts_pack_opts;

typedef struct ts_gather_opts {
    int32_t axis;       /* may be negative: counted from the end of the data's rank */
    int32_t batch_dims; /* only 0 is supported */
} ts_gather_opts;

typedef struct ts_split_opts { /* SPLIT, SPLIT_V */
    int32_t num_splits; /* number of outputs */
} ts_split_opts;

typedef struct ts_unpack_opts { /* UNPACK */
    int32_t num;  /* number of outputs (0 when absent) */
    int32_t axis; /* may be negative: counted from the end of the input's rank */
} ts_unpack_opts;

typedef struct ts_strided_slice_opts { /* STRIDED_SLICE: bit i of a mask is axis i */
    int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
    bool offset; /* end is relative to begin (newer schema; not supported) */
} ts_strided_slice_opts;
typedef struct ts_arg_opts { /* ARG_MAX, ARG_MIN */
    int32_t output_type; /* TFLite TensorType of the output: 2 INT32 (4 INT64: refused) */
} ts_arg_opts;
typedef struct ts_svdf_opts {
    int32_t rank;                    /* >= 1, divides the filter count */
    ts_act act;
    bool asymmetric_quantize_inputs; /* hybrid models only (refused) */
} ts_svdf_opts;

typedef struct ts_block_opts { /* SPACE_TO_DEPTH, DEPTH_TO_SPACE */
    int32_t block_size;
} ts_block_opts;

typedef struct ts_resize_opts { /* RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR */
    bool align_corners, half_pixel_centers;
} ts_resize_opts;

typedef struct ts_shape_opts { /* SHAPE */
    int32_t out_type; /* TFLite TensorType: 2 INT32 (the default), 4 INT64 */
} ts_shape_opts;

typedef struct ts_bmm_opts { /* BATCH_MATMUL */
    bool adj_x, adj_y; /* lhs / rhs transposed in their last two dimensions */
} ts_bmm_opts;

typedef struct ts_lstm_opts { /* UNIDIRECTIONAL_SEQUENCE_LSTM */
    ts_act act;                      /* of the cell gate and the cell state (TANH supported) */
    float cell_clip, proj_clip;      /* 0 = no clipping */
    bool time_major;                 /* input [time, batch, input] instead of [batch, time, ..] */
    bool asymmetric_quantize_inputs; /* hybrid models only (refused) */
    bool diagonal_recurrent_tensors; /* recurrent weights as diagonals (refused) */
} ts_lstm_opts;

typedef struct ts_leaky_relu_opts {
    float alpha; /* slope for negative inputs */
} ts_leaky_relu_opts;

typedef union ts_op_opts {
    ts_conv_opts conv;
    ts_pool_opts pool;
    ts_fc_opts fc;
    ts_softmax_opts softmax;
    ts_concat_opts concat;
    ts_eltwise_opts eltwise;
    ts_reshape_opts reshape;
    ts_reducer_opts reducer;
    ts_leaky_relu_opts leaky_relu;
    ts_pack_opts pack;
    ts_gather_opts gather;
    ts_split_opts split;
    ts_unpack_opts unpack;
    ts_strided_slice_opts strided_slice;
    ts_arg_opts arg;
    ts_block_opts block;
    ts_resize_opts resize;
    ts_shape_opts shape;
    ts_svdf_opts svdf;
    ts_bmm_opts bmm;
    ts_lstm_opts lstm;
} ts_op_opts;

typedef struct ts_op {
    ts_op_kind kind;          /* TS_OP_UNSUPPORTED for ops tinysim does not run */
    int32_t builtin_code;     /* TFLite BuiltinOperator value */
    const char *name;         /* "CONV_2D", "TANH", or the custom op's name; never NULL */
    bool is_custom;           /* a CUSTOM op (name is its custom_code) */
    int32_t version;          /* operator-code version from the file */
    int32_t n_inputs;
    const int32_t *inputs;    /* tensor indices; -1 = optional input absent */
    int32_t n_outputs;
    const int32_t *outputs;
    ts_op_opts opts;          /* the member for `kind`; zeroed for unsupported ops */
    int32_t n_intermediates;  /* Operator.intermediates (the integer LSTM's quantization */
    const int32_t *intermediates; /* carriers: tensor indices, -1 absent), usually none */
} ts_op;

typedef struct ts_graph {
    const char *name;
    int32_t n_tensors;
    const ts_tensor *tensors;
    int32_t n_ops;
    const ts_op *ops;         /* in execution order */
    int32_t n_inputs;
    const int32_t *inputs;
    int32_t n_outputs;
    const int32_t *outputs;
} ts_graph;

typedef struct ts_metadata {
    const char *name;
    const uint8_t *data; /* may be NULL when the buffer is empty */
    size_t size_bytes;
} ts_metadata;

typedef struct ts_model ts_model;

/* Reads and validates a .tflite file. `*out` is set only on success (NULL on failure).
 * Errors: TS_ERR_IO (cannot read), TS_ERR_FORMAT (malformed: message names the offset or the
 * subgraph/op/tensor), TS_ERR_NOMEM. Messages start with `path`. */
ts_status ts_model_load_file(const char *path, ts_model **out, ts_err *err);

/* Same from memory; the bytes are copied. `source` names the input in messages. */
ts_status ts_model_load_buffer(const void *bytes, size_t len, const char *source, ts_model **out,
                               ts_err *err);

void ts_model_free(ts_model *m); /* NULL-safe */

const char *ts_model_source(const ts_model *m);      /* the path or source label */
const char *ts_model_description(const ts_model *m); /* "" when absent */
uint32_t ts_model_schema_version(const ts_model *m);
size_t ts_model_file_bytes(const ts_model *m);
int32_t ts_model_n_subgraphs(const ts_model *m);
const ts_graph *ts_model_subgraph(const ts_model *m, int32_t i); /* i in range */
const ts_graph *ts_model_graph(const ts_model *m);               /* subgraph 0, the main one */
int32_t ts_model_n_metadata(const ts_model *m);
const ts_metadata *ts_model_metadata(const ts_model *m, int32_t i); /* i in range */

/* TS_OK when every op of the main graph is supported; else TS_ERR_UNSUPPORTED naming the
 * first unsupported op: "<src>: op 7 (TANH): operator not supported". */
ts_status ts_model_require_supported(const ts_model *m, ts_err *err);

/* Name of a TFLite builtin operator code ("CONV_2D"), or NULL for codes the schema lacks. */
const char *ts_tflite_op_name(int32_t builtin_code);

/* ---- analysis (model_stats.c) ---- */

/* Multiply-accumulates of one op of graph g: CONV_2D out_elems * kh * kw * (in_c / groups),
 * DEPTHWISE_CONV_2D out_elems * kh * kw, FULLY_CONNECTED out_elems * in_features; from
 * shapes alone, TRANSPOSE_CONV in_elems * kh * kw * out_c, SVDF batch * (feature + time weight
 * elements), LSTM / UNIDIRECTIONAL_ / BIDIRECTIONAL_SEQUENCE_LSTM time steps * batch *
 * (weight-matrix + peephole elements), from tensor shapes (model_stats.c); every other op 0
 * (model_stats.c says what counts as a MAC). */
uint64_t ts_op_macs(const ts_graph *g, const ts_op *op);

/* Bytes of constant (flash) data the op reads: sum of its constant inputs. */
uint64_t ts_op_weight_bytes(const ts_graph *g, const ts_op *op);

/* Bytes of non-constant tensors the op reads and writes. */
uint64_t ts_op_activation_bytes(const ts_graph *g, const ts_op *op);

/* True when tensor t is constant (has data in the file) and not a variable. */
bool ts_tensor_is_const(const ts_tensor *t);

/* Number of variable tensors of graph g: the state (SVDF, LSTM) carried across invocations. */
int32_t ts_graph_n_variables(const ts_graph *g);

/* Number of parameters (elements of constant tensors) and their bytes in the main graph,
 * each constant buffer counted once. */
void ts_model_param_totals(const ts_model *m, uint64_t *n_params, uint64_t *weight_bytes);

#endif
