/* gen_int.h: declarations shared by the files of sim/gen (not part of its API).
 * Layer: sim/gen. The model under construction is kept in the reader's own IR types
 * (ts_tensor, ts_op from model.h), so tests compare a generated model with its read-back
 * form field by field. Nothing here prints, exits or touches files. */
#ifndef TS_GEN_INT_H
#define TS_GEN_INT_H

#include "base/alloc.h"
#include "gen.h"

#define TS_GEN_MAX_IO 16                  /* graph inputs / outputs */
#define TS_GEN_MAX_ELEMS ((int64_t)1 << 26) /* elements of any one tensor (64 Mi) */
#define TS_GEN_MAX_CODE 256               /* builtin operator codes the writer handles */

struct ts_gen {
    ts_arena *arena;      /* names, shapes, quant arrays, constant data, op tensor lists */
    ts_tensor *tensors;   /* ts_realloc'd; tensors[0 .. n_tensors) */
    float *rms;           /* per tensor: estimated root mean square of its real values */
    int32_t n_tensors, cap_tensors;
    ts_op *ops;           /* ts_realloc'd; in execution order */
    int32_t n_ops, cap_ops;
    int32_t inputs[TS_GEN_MAX_IO], n_inputs;
    int32_t outputs[TS_GEN_MAX_IO], n_outputs;
    uint32_t n_buffers;   /* buffers used so far, the empty buffer 0 included */
    uint32_t rng;         /* xorshift32 state, never 0 */
    const char *description;
    const char *name;
    ts_graph graph;       /* view returned by ts_gen_graph */
};

/* The row of tflite_ops.def for an op kind. */
typedef struct ts_gen_op_row {
    int32_t code;         /* BuiltinOperator */
    const char *name;     /* "CONV_2D" */
    uint8_t opts_type;    /* BuiltinOptions union type (0 = NONE) */
} ts_gen_op_row;

/* Row of a supported kind (asserted). Defined in tflite_write.c. */
const ts_gen_op_row *ts_gen_op_row_of(ts_op_kind kind);

/* OperatorCode.version written for an op kind (tflite_write.c). */
int32_t ts_gen_op_version(ts_op_kind kind);

/* ---- gen_model.c: building blocks of the layer functions ---- */

uint32_t ts_gen_rand(ts_gen *g); /* next xorshift32 value */

/* Appends a tensor (int8/int32 activations or constants) named `name`; shape copied.
 * For a constant, allocates zeroed data and a fresh buffer index. */
ts_status ts_gen_add_tensor(ts_gen *g, const char *name, ts_dtype dt, int32_t rank,
                            const int32_t *shape, bool constant, int32_t *out, ts_err *err);

/* Per-tensor activation quantization for a tensor whose pre-activation rms is `rms_pre`
 * (see gen.h); records the post-activation rms. */
ts_status ts_gen_quant_act(ts_gen *g, int32_t t, float rms_pre, ts_act act, ts_err *err);

/* Per-tensor quantization with the given parameters (softmax output). */
ts_status ts_gen_quant_fixed(ts_gen *g, int32_t t, float scale, int32_t zero_point,
                            ts_err *err);

/* Gives t the quantization (and rms) of tensor `like` (pooling, reshape, mean). */
void ts_gen_quant_same(ts_gen *g, int32_t t, int32_t like);

/* Fills constant int8 filter t with random weights, per-channel scales along `axis` (the
 * channel count is shape[axis]); `fan_in` inputs per output, `gain` as in gen.h. */
ts_status ts_gen_fill_filter(ts_gen *g, int32_t t, int32_t axis, int64_t fan_in, float gain,
                             ts_err *err);

/* Fills constant int32 bias t [n] for input tensor `in` and filter `w`, pre-activation rms
 * `rms_pre`. */
ts_status ts_gen_fill_bias(ts_gen *g, int32_t t, int32_t in, int32_t w, float rms_pre,
                           ts_err *err);

/* Appends an op of `kind` with copied tensor lists and options (TS_OP_UNSUPPORTED: builtin
 * code -1 and name "?" until the caller sets them, as ts_gen_builtin_op does). */
ts_status ts_gen_add_op(ts_gen *g, ts_op_kind kind, int32_t n_in, const int32_t *in,
                        int32_t n_out, const int32_t *out, const ts_op_opts *opts, ts_err *err);
/* The last op added gets these n intermediate tensors (TFLite Operator.intermediates). */
ts_status ts_gen_op_intermediates(ts_gen *g, int32_t n, const int32_t *ids, ts_err *err);

/* A constant int32 tensor [n] named "LAYER/WHAT" holding v (gen_layers.c). */
ts_status ts_gen_const_ints(ts_gen *g, const char *layer, const char *what, int32_t n,
                            const int32_t *v, int32_t *out, ts_err *err);

/* gen_ops.c: the `op:NAME,DTYPE,SHAPE[,SHAPE]` architecture (its builder in gen_archs.def). */
ts_status ts_gen_build_op(ts_gen *g, const char *spec, const char *args, ts_err *err);

/* gen_rnn.c: `op:svdf,...` (args after "svdf,"), dispatched from ts_gen_build_op. */
ts_status ts_gen_build_svdf(ts_gen *g, const char *spec, const char *args, ts_err *err);
/* gen_rnn.c: `op:lstm,...` (args after "lstm,"): UNIDIRECTIONAL_SEQUENCE_LSTM float32. */
ts_status ts_gen_build_lstm(ts_gen *g, const char *spec, const char *args, ts_err *err);

/* A fused activation named in a spec, "none", "relu", "relu6" or "relu_n1_to_1" (the
 * [s, s+len) after "act="), into *out; false for any other word (gen_model.c). */
bool ts_gen_act_named(const char *s, size_t len, ts_act *out);
#define TS_GEN_ACT_WORDS "none|relu|relu6|relu_n1_to_1"

/* "depthwise_conv_2d_3": the lower-case op name and the index the next op will get. */
void ts_gen_layer_name(const ts_gen *g, ts_op_kind kind, char *buf, size_t size);

#endif
