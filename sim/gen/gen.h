/* gen.h: synthetic int8 TFLite models: a layer-list builder (ts_gen_*), a TFLite schema-v3
 * writer, and named architectures (MLPerf Tiny shapes, single layers).
 * Layer: sim/gen. Depends on sim/base and the types of sim/model/model.h (no reader calls).
 * Never prints, exits or touches files: it returns bytes; bench/ writes them.
 *
 * Quantization of generated models (all deterministic from the seed):
 *  - activations int8 per tensor; the builder tracks an estimate of each tensor's root mean
 *    square r (real units). Without activation: scale 8r/255, zero point 0 (range +-4r).
 *    ReLU/ReLU6: scale 4r_pre/255 (ReLU6: min(4r_pre, 6)/255), zero point -128. Pooling,
 *    reshape and mean keep their input's quantization; softmax outputs 1/256, -128.
 *  - conv/FC filters int8 per channel along axis 0 ([out,kh,kw,in], [out,in]), depthwise
 *    filters along axis 3 ([1,kh,kw,c*mult]); zero point 0; values uniform in [-127,127];
 *    scale[c] = gain / (73.61 * sqrt(fan_in)) * jitter, gain sqrt(2) before a ReLU else 1
 *    (He-style, so r stays about constant through layers), jitter in [0.75,1.25).
 *  - biases int32 per channel, scale in_scale * w_scale[c], zero point 0, real values within
 *    +-0.1 r_pre.
 * The network input is int8 with scale 8/255, zero point 0 (r = 1).
 * Pseudo-random numbers: xorshift32 (Marsaglia 2003, shifts 13/17/5), seeded with
 * seed * 0x9e3779b9 + 0x6d2b79f5 (0x6d2b79f5 if that is 0). */
#ifndef TS_GEN_H
#define TS_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "model/model.h"

typedef struct ts_gen ts_gen;

/* Creates an empty model. `*out` is set only on success. Errors: TS_ERR_NOMEM. */
ts_status ts_gen_new(uint32_t seed, ts_gen **out, ts_err *err);
void ts_gen_free(ts_gen *g); /* NULL-safe */

/* Texts written to the file: Model.description and SubGraph.name (copied). */
ts_status ts_gen_set_description(ts_gen *g, const char *description, ts_err *err);
ts_status ts_gen_set_name(ts_gen *g, const char *name, ts_err *err);

/* ---- layers: each takes tensor indices, appends one op and returns its output tensor ----
 * Shapes follow TFLite: SAME -> ceil(in/stride), VALID -> floor((in-k)/stride)+1. Errors:
 * TS_ERR_RANGE for shapes that do not fit (message names the layer), TS_ERR_NOMEM. */

/* Adds a graph input, int8 [shape], as described above. */
ts_status ts_gen_input(ts_gen *g, int32_t rank, const int32_t *shape, int32_t *out, ts_err *err);

/* Marks tensor t as a graph output (call in output order). */
ts_status ts_gen_output(ts_gen *g, int32_t t, ts_err *err);

typedef struct ts_gen_conv {
    int32_t out_c;              /* CONV_2D: output channels */
    int32_t mult;               /* DEPTHWISE_CONV_2D: depth multiplier (>= 1) */
    int32_t kh, kw;             /* kernel */
    int32_t stride_h, stride_w; /* >= 1 */
    ts_padding padding;
    ts_act act;                 /* NONE, RELU or RELU6 */
} ts_gen_conv;

/* CONV_2D on an NHWC input: filter [out_c,kh,kw,in_c], bias [out_c]. */
ts_status ts_gen_conv2d(ts_gen *g, int32_t in, const ts_gen_conv *c, int32_t *out, ts_err *err);

/* DEPTHWISE_CONV_2D on NHWC: filter [1,kh,kw,in_c*mult], bias [in_c*mult]. */
ts_status ts_gen_dwconv2d(ts_gen *g, int32_t in, const ts_gen_conv *c, int32_t *out,
                          ts_err *err);

/* FULLY_CONNECTED: in_features = last dim of `in`; output [n_elems/in_features, out_features];
 * filter [out,in], bias [out]. */
ts_status ts_gen_fc(ts_gen *g, int32_t in, int32_t out_features, ts_act act, int32_t *out,
                    ts_err *err);

typedef struct ts_gen_pool {
    bool is_max;                /* MAX_POOL_2D, else AVERAGE_POOL_2D */
    int32_t fh, fw;             /* filter */
    int32_t stride_h, stride_w;
    ts_padding padding;
} ts_gen_pool;

ts_status ts_gen_pool2d(ts_gen *g, int32_t in, const ts_gen_pool *p, int32_t *out, ts_err *err);

/* ADD of two same-shape tensors (no broadcasting), with fused activation. */
ts_status ts_gen_add(ts_gen *g, int32_t a, int32_t b, ts_act act, int32_t *out, ts_err *err);

/* SOFTMAX over the last dimension, beta 1. */
ts_status ts_gen_softmax(ts_gen *g, int32_t in, int32_t *out, ts_err *err);

/* RESHAPE to `shape` (same element count): new-shape given both as a constant int32 input
 * tensor and as ReshapeOptions.new_shape. */
ts_status ts_gen_reshape(ts_gen *g, int32_t in, int32_t rank, const int32_t *shape, int32_t *out,
                         ts_err *err);

/* MEAN over `axes` (constant int32 input tensor), ReducerOptions.keep_dims. */
ts_status ts_gen_mean(ts_gen *g, int32_t in, int32_t n_axes, const int32_t *axes, bool keep_dims,
                      int32_t *out, ts_err *err);

/* ---- any operator on any tensors: test models of what tinysim does not run ----
 * For tests of the reader, `inspect` and the executors' refusals (an LSTM, an SVDF, a
 * TRANSPOSE_CONV, an int16 or hybrid float layer). Not quantized like the layers above. */

/* Adds a tensor of dtype dt [shape]; a constant gets zero-filled data in its own buffer.
 * scale > 0: per-tensor quantization (scale, zero point 0); else none. Errors: TS_ERR_RANGE
 * (shape, dtype), TS_ERR_NOMEM. */
ts_status ts_gen_tensor(ts_gen *g, const char *name, ts_dtype dt, int32_t rank,
                        const int32_t *shape, bool constant, float scale, int32_t *out,
                        ts_err *err);

/* Marks tensor t (made by ts_gen_tensor) as a graph input (call in input order). */
ts_status ts_gen_input_tensor(ts_gen *g, int32_t t, ts_err *err);

/* Appends an op with TFLite builtin operator code `code` (0..255) on the given tensors. The
 * code of an op tinysim supports (tflite_ops.def) gets that kind with zeroed options (the
 * schema defaults of FULLY_CONNECTED, ADD...; not for ops whose defaults are invalid, as
 * CONV_2D's stride 0); any other code is written with no options and reads back as
 * unsupported, named from tflite_names.def. Errors: TS_ERR_RANGE (code), TS_ERR_NOMEM. */
ts_status ts_gen_builtin_op(ts_gen *g, int32_t code, int32_t n_in, const int32_t *in,
                            int32_t n_out, const int32_t *out, ts_err *err);

/* Appends a CUSTOM op (builtin code 32) named by custom_code (1 to 63 characters), with no
 * options: how a model carries an operator TFLite does not define; it reads back as
 * unsupported, named by its custom code. Errors: TS_ERR_RANGE (name), TS_ERR_NOMEM. */
ts_status ts_gen_custom_op(ts_gen *g, const char *custom_code, int32_t n_in, const int32_t *in,
                           int32_t n_out, const int32_t *out, ts_err *err);

/* ---- inspection (views valid until the next call that adds to g, or ts_gen_free) ---- */

/* The model as the reader would present it (inputs, outputs, tensors with data and quant,
 * ops with kinds, builtin codes, versions and options). */
const ts_graph *ts_gen_graph(ts_gen *g);
const char *ts_gen_description(const ts_gen *g);
uint32_t ts_gen_n_buffers(const ts_gen *g); /* buffer 0 (empty) included */

/* ---- writing ---- */

/* Serialises the model as a TFLite schema-v3 flatbuffer ("TFL3"). `*bytes` (ts_malloc'd,
 * caller frees with ts_free) and `*len` are set only on success. Errors: TS_ERR_CONFIG for a
 * model without inputs or outputs, TS_ERR_NOMEM, TS_ERR_RANGE (file would exceed 2 GiB). */
ts_status ts_gen_write(ts_gen *g, uint8_t **bytes, size_t *len, ts_err *err);

/* ---- architectures (rows of gen_archs.def) ---- */

typedef struct ts_gen_arch {
    const char *name;  /* "ds_cnn", "conv" */
    const char *usage; /* "ds_cnn", "conv:H,W,C,K,KH,KW[,stride[,same|valid]]" */
    const char *help;  /* one line */
    uint64_t macs;     /* MACs of the real model it mirrors; 0 for parameterised layers */
} ts_gen_arch;

int32_t ts_gen_n_archs(void);
const ts_gen_arch *ts_gen_arch_at(int32_t i); /* i in [0, ts_gen_n_archs()) */

/* Builds the model a spec names: an architecture ("ds_cnn") or a parameterised layer
 * ("conv:8,8,3,16,3,3,2,valid"). The description is "generated by tinysim gen SPEC seed N".
 * Errors: TS_ERR_CONFIG (unknown name, bad syntax: "gen: conv:3,3: expected 6 to 8
 * comma-separated fields (got 2)"), TS_ERR_RANGE (values out of range), TS_ERR_NOMEM. */
ts_status ts_gen_build(const char *spec, uint32_t seed, ts_gen **out, ts_err *err);

/* ts_gen_build + ts_gen_write. */
ts_status ts_gen_spec_bytes(const char *spec, uint32_t seed, uint8_t **bytes, size_t *len,
                            ts_err *err);

#endif
