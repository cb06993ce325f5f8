/* ref.h: the host reference executor: runs a whole model on the host with kernels/, every
 * activation and scratch buffer living at its planned offset (sim/plan) inside ONE arena,
 * exactly as on the emulated target. Also a small bounds-checked .npy reader/writer.
 * Layer: sim/ref (depends on sim/model, sim/plan, kernels/). Values only: no timing here.
 * Never prints or exits.
 *
 * Prepared per-op parameters (ts_ref_op) are plain data without pointers: tensors are named
 * by graph index (a runner maps them to arena offsets via ts_ref_plan() or to its own flash
 * image), requantisation tables by a range of ts_ref_quant_table(). A firmware runner can
 * serialise them into emulated SRAM as they are.
 *
 * Rounding: the int8 requantisation mode (tsk_rounding, kernels/kernel_types.h) is chosen
 * here, once per executor (ts_ref_opts), never inside kernels: TSK_ROUND_SINGLE by default
 * (TFLite's single-rounding build, matching the TFLite interpreter and Arm NN outputs users
 * compare against), TSK_ROUND_DOUBLE for TFLite Micro's reference double rounding. */
#ifndef TS_REF_H
#define TS_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firmware/fw_abi.h"
#include "kernels.h"
#include "model/model.h"
#include "plan/plan.h"

#define TS_REF_MAX_INPUTS 8 /* most op inputs the executor accepts (CONCATENATION) */
/* ... and of the ops that take ext inputs (UNIDIRECTIONAL_SEQUENCE_LSTM; fw_abi.h): inputs
 * past TS_REF_MAX_INPUTS have no dims (in_dims) and reach the kernel through an address table
 * at the start of the op's scratch. */
#define TS_REF_MAX_OP_INPUTS TSFW_MAX_OP_INPUTS

/* Kernel variant of the int8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED ops. */
typedef enum ts_kernels {
    TS_KERNELS_REF = 0,  /* plain C kernels (tsk_conv2d_s8, ...) */
    TS_KERNELS_SIMD = 1, /* DSP-extension kernels (tsk_conv2d_s8_simd, ...) */
    TS_KERNELS_COUNT
} ts_kernels;

/* Prepared parameters of one op (see the header comment for how tensors are named).
 * `rounding` is the executor's requantisation mode, also stored in the `rounding` field of
 * the int8 kernel params in `p` (conv, dw, fc, add, mul, softmax, logistic, mean) so that
 * a runner which copies `p` into emulated memory carries the mode with it; every field is
 * int32-sized and pointer-free. */
typedef struct ts_ref_op {
    int32_t op_index;                     /* index in the graph */
    ts_op_kind kind;
    ts_dtype dtype;                       /* activation dtype: TS_DT_INT8, TS_DT_INT16 (16x8)
                                           * or TS_DT_FLOAT32; TS_DT_INT32: QUANTIZE between
                                           * integer types */
    int32_t n_inputs;
    int32_t in[TS_REF_MAX_OP_INPUTS];     /* tensor indices, -1 = absent (e.g. no bias) */
    int32_t out;                          /* output tensor index */
    tsk_dims in_dims[TS_REF_MAX_INPUTS];  /* 4-D shapes; conv/fc: [1] filter, [2] bias */
    tsk_dims out_dims;
    int32_t quant_first;                  /* first entry of the requant tables, or -1 */
    int32_t n_quant;                      /* entries: 1 per-tensor or the channel count */
    int32_t scratch_bytes;                /* 0 = no scratch */
    int64_t scratch_offset;               /* arena offset of the scratch, -1 = none */
    int32_t axis;                         /* CONCATENATION: axis of [N,H,W,C] */
    int32_t copy_bytes;                   /* RESHAPE: bytes to copy when not a view */
    int32_t rounding;                     /* tsk_rounding of this executor (every op) */
    int32_t kernels;                      /* ts_kernels this op runs: the executor's variant
                                           * for int8 conv/dwconv/fc, else TS_KERNELS_REF */
    int32_t pad_value;                    /* int8 PAD: the pad value (output zero point) */
    tsfw_params p;                        /* the kernel's parameter block: the member named in
                                           * its fw_ops.def row (one union for every runner) */
} ts_ref_op;

/* Shape and quantization of a graph input or output. */
typedef struct ts_ref_io {
    int32_t tensor;             /* graph tensor index */
    const char *name;           /* valid while the model lives */
    ts_dtype dtype;
    int32_t rank;
    int32_t shape[TS_MAX_RANK];
    int64_t n_elems;
    size_t size_bytes;
    bool quantized;             /* scale/zero_point meaningful */
    float scale;                /* per-tensor scale (first entry), 0 if not quantized */
    int32_t zero_point;
} ts_ref_io;

typedef struct ts_ref ts_ref;

/* Executor options. Zero-initialised options are the defaults. */
typedef struct ts_ref_opts {
    tsk_rounding rounding; /* int8 requantisation rounding; default TSK_ROUND_SINGLE */
    ts_kernels kernels;    /* kernel variant (header comment); default TS_KERNELS_REF */
} ts_ref_opts;

/* "ref" / "simd"; "?" for a value outside the enum. */
const char *ts_kernels_name(ts_kernels k);
/* The variant called `name` ("ref", "simd"); false (and *out untouched) for any other. */
bool ts_kernels_from_name(const char *name, ts_kernels *out);

/* Validates every op of the model's main graph, prepares kernel parameters (padding,
 * requantisation, activation ranges, scratch sizes), plans the arena with scratch buffers in
 * it and allocates it. The model is borrowed and must outlive the executor. *out is set only
 * on success (NULL on failure). Errors: TS_ERR_UNSUPPORTED naming op index, name and dtypes
 * ("m.tflite: op 3 (FULLY_CONNECTED): float32 input with int8 weights (hybrid) is not
 * supported"), TS_ERR_FORMAT (shapes inconsistent with the op), TS_ERR_NOMEM. */
ts_status ts_ref_prepare(const ts_model *m, ts_ref **out, ts_err *err);

/* ts_ref_prepare with options (NULL = defaults; ts_ref_prepare uses the defaults). Also
 * TS_ERR_RANGE for a rounding value that is not a tsk_rounding ("m.tflite: rounding mode 7
 * is not supported (expected 0 single or 1 double)") or a kernels value that is not a
 * ts_kernels ("m.tflite: kernel variant 5 is not supported (expected 0 ref or 1 simd)"). */
ts_status ts_ref_prepare_opts(const ts_model *m, const ts_ref_opts *opts, ts_ref **out,
                              ts_err *err);

/* Same for a graph that is not loaded from a file (e.g. sim/gen's ts_gen_graph). `source`
 * names it in messages; g and source are borrowed and must outlive the executor. */
ts_status ts_ref_prepare_graph(const ts_graph *g, const char *source, ts_ref **out,
                               ts_err *err);
ts_status ts_ref_prepare_graph_opts(const ts_graph *g, const char *source,
                                    const ts_ref_opts *opts, ts_ref **out, ts_err *err);

/* Whether op k of g can run: the per-op checks ts_ref_prepare makes (operator kind, dtypes,
 * quantization, shapes), on that op alone, without an executor. The one support check:
 * `run` and `bench` refuse exactly the ops that fail it (bench's firmware has a kernel for
 * every kind and dtype the executor accepts, kernels/firmware/fw_ops.def) and `inspect`
 * flags them. Returns TS_OK, or the status and message ts_ref_prepare would give for the op
 * ("m.tflite: op 3 (FULLY_CONNECTED): float32 input with int8 weights (hybrid) is not
 * supported"), TS_ERR_NOMEM. */
ts_status ts_ref_check_op(const ts_graph *g, const char *source, int32_t k, ts_err *err);

/* The rounding mode the executor was prepared with. */
tsk_rounding ts_ref_rounding(const ts_ref *r);
/* The kernel variant the executor was prepared with (ts_ref_opts.kernels). */
ts_kernels ts_ref_kernels(const ts_ref *r);

void ts_ref_free(ts_ref *r); /* NULL-safe */

/* The graph r was prepared from (borrowed: valid while the model is). */
const ts_graph *ts_ref_graph(const ts_ref *r);

int32_t ts_ref_n_inputs(const ts_ref *r);
int32_t ts_ref_n_outputs(const ts_ref *r);
/* [out] info of input/output i (i in range, asserted). */
void ts_ref_input_info(const ts_ref *r, int32_t i, ts_ref_io *info);
void ts_ref_output_info(const ts_ref *r, int32_t i, ts_ref_io *info);

/* Copies `bytes` bytes of raw little-endian tensor data for input i. The executor keeps its
 * own copy and places it in the arena at every invoke, so inputs stay set across invokes.
 * Errors: TS_ERR_RANGE for i out of range or a wrong size ("m.tflite: input 0 ('x'): 9215
 * bytes (expected 9216 for int8 [1,96,96,1])"). Inputs never set are all zero bytes. */
ts_status ts_ref_set_input(ts_ref *r, int32_t i, const void *data, size_t bytes, ts_err *err);

/* Variable tensors (is_variable: the state of SVDF and LSTM layers) live in the arena for
 * the whole run and are never reused by another tensor (sim/plan). An invoke reads and
 * updates them, so state carries from one ts_ref_invoke to the next. They start, and
 * ts_ref_reset_state puts them back, as TFLite resets them: int8 to its zero point, every
 * other dtype to zero bytes. */
void ts_ref_reset_state(ts_ref *r);

/* Input i as n_frames frames, one per invocation (a stream: audio frames into a recurrent
 * model): `bytes` = n_frames x the tensor's bytes; invocation k (counted from this call)
 * reads frame k % n_frames. ts_ref_set_input is n_frames 1 (every invocation the same).
 * Errors as ts_ref_set_input ("...: 90 bytes (expected 3 frames of 16 for int8 [1,16])"),
 * TS_ERR_NOMEM. */
ts_status ts_ref_set_input_frames(ts_ref *r, int32_t i, const void *data, size_t bytes,
                                  int32_t n_frames, ts_err *err);
/* Frames input i holds (1 unless ts_ref_set_input_frames gave more); i in range (asserted). */
int32_t ts_ref_input_frames(const ts_ref *r, int32_t i);

/* Runs every op in order. Errors: TS_ERR_RANGE when the input data is outside an op's domain
 * (ts_ref_kernel_status), TS_ERR_INTERNAL when a kernel rejects its arguments (prepare should
 * have caught it); the message names the op and the kernel status. */
ts_status ts_ref_invoke(ts_ref *r, ts_err *err);

/* The two halves of ts_ref_invoke, for runners that step or time ops one by one:
 * ts_ref_stage_inputs places the staged inputs (the next frame of each) at their arena
 * offsets; ts_ref_invoke_op runs
 * op k alone on the arena as it is (ops 0..k-1 must have run since staging). Errors as
 * ts_ref_invoke; k in range (asserted). */
void ts_ref_stage_inputs(ts_ref *r);
ts_status ts_ref_invoke_op(ts_ref *r, int32_t k, ts_err *err);

/* The status of a kernel's (or the firmware's) return value ks (tsk_status, TSFW_ERR_*):
 * TS_ERR_RANGE for TSK_ERR_DATA (the model's input data is outside the op's domain, e.g. a
 * GATHER index beyond its axis: a user's error), TS_ERR_INTERNAL for every other error (tinysim
 * prepared the op wrongly), TS_OK for TSK_OK. */
ts_status ts_ref_kernel_status(int32_t ks);

/* Output i read from its planned arena offset; *bytes (may be NULL) gets its size. The view
 * is valid until the next ts_ref_invoke or ts_ref_free. */
const void *ts_ref_output(const ts_ref *r, int32_t i, size_t *bytes);

/* The kind (kernels/firmware/fw_ops.def row) whose kernel runs ro: the row of ro's op kind,
 * activation dtype and kernel variant; TSFW_OP_NONE when no row matches. */
tsfw_kind ts_ref_op_fw_kind(const ts_ref_op *ro);

/* The most inputs an op of kind `op` may have: TS_REF_MAX_OP_INPUTS when a fw_ops.def row of
 * that op reads ext inputs (UNIDIRECTIONAL_SEQUENCE_LSTM), else TS_REF_MAX_INPUTS. */
int32_t ts_ref_op_max_inputs(ts_op_kind op);

/* [out] d: the descriptor of ro that every runner executes (tsfw_invoke on the core,
 * tsfw_run_ptrs/tsfw_run_mapped on the host), with every address 0: the runner fills in_addr,
 * out_addr, scratch_addr, multiplier_addr and shift_addr where it placed them. */
void ts_ref_op_desc(const ts_ref_op *ro, tsfw_op *d);

/* ---- the prepared form, for runners and tests (views valid until ts_ref_free) ---- */
const ts_plan *ts_ref_plan(const ts_ref *r);
int32_t ts_ref_n_ops(const ts_ref *r);
const ts_ref_op *ts_ref_op_at(const ts_ref *r, int32_t k); /* k in range */
/* Requantisation tables (Q31 multipliers and shifts), *n entries each. */
void ts_ref_quant_table(const ts_ref *r, const int32_t **multiplier, const int32_t **shift,
                        int32_t *n);
/* The arena (16-byte aligned) and its size in bytes. */
uint8_t *ts_ref_arena(const ts_ref *r, size_t *bytes);

/* ============================ .npy (NumPy format v1/v2/v3) ============================ */

#define TS_NPY_MAX_HEADER_BYTES 65536

/* A parsed .npy file: a view into the caller's bytes. */
typedef struct ts_npy {
    ts_dtype dtype;             /* INT8 ('i1'), UINT8 ('u1'), INT16 ('<i2'), INT32 ('<i4'),
                                 * FLOAT32 ('<f4') */
    int32_t rank;
    int64_t shape[TS_MAX_RANK];
    int64_t n_elems;
    const uint8_t *data;        /* points into the parsed bytes */
    size_t data_bytes;          /* n_elems * element size */
} ts_npy;

/* Parses .npy bytes: magic, version 1.0/2.0/3.0, the header dict ('descr', 'fortran_order'
 * False, 'shape'), and a payload of exactly n_elems * element size. `source` names the input
 * in messages ("x.npy: header: unknown descr '>f8' (expected '<i1', '|i1', 'u1', '<i4' or
 * '<f4')"). *out is set only on success. Errors: TS_ERR_FORMAT, TS_ERR_UNSUPPORTED. */
ts_status ts_npy_parse(const uint8_t *bytes, size_t len, const char *source, ts_npy *out,
                       ts_err *err);

/* Writes a version 1.0 header (magic through the '\n' that pads it to a multiple of 64
 * bytes) for C-order data of `dtype` and `shape` into buf. *len gets the header size.
 * Errors: TS_ERR_UNSUPPORTED for dtypes other than the five above, TS_ERR_RANGE when buf
 * is too small (128 bytes + 24 per dimension always suffice). */
ts_status ts_npy_header(ts_dtype dtype, int32_t rank, const int32_t *shape, char *buf,
                        size_t cap, size_t *len, ts_err *err);

#endif
