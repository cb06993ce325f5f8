/* ref_int.h: private declarations of sim/ref shared by ref_prepare.c (validation and
 * parameter preparation, host-side double maths through the kernels' prepare helpers) and
 * ref_exec.c (invoke, inputs and outputs). Not part of the public API. */
#ifndef TS_REF_INT_H
#define TS_REF_INT_H

#include "ref.h"

struct ts_ref {
    const ts_graph *g;          /* borrowed */
    const char *source;         /* borrowed, for messages */
    tsk_rounding rounding;      /* from ts_ref_opts, copied into every prepared op */
    ts_kernels kernels;         /* from ts_ref_opts: variant of int8 conv/dwconv/fc */
    ts_plan *plan;              /* owned */
    ts_ref_op *ops;             /* g->n_ops entries, owned */
    int32_t *multiplier;        /* requant tables, n_quant entries each, owned */
    int32_t *shift;
    int32_t n_quant;
    int32_t cap_quant;
    uint8_t *arena_block;       /* owned allocation; arena is its 16-byte aligned start */
    uint8_t *arena;
    size_t arena_bytes;
    uint8_t **tensor_ptr;       /* per tensor: data in the arena or constant data, or NULL */
    uint8_t **const_copy;       /* per tensor: owned aligned copy of misaligned constants */
    uint8_t **input_copy;       /* per graph input: staged bytes (input_frames of them), owned */
    int32_t *input_frames;      /* per graph input: frames held, 0 = 1 (ts_ref_set_input_frames) */
    uint32_t next_frame;        /* invocation count since the inputs were set: the frame staged */
};

/* Per-kind preparation (ref_prepare.c); ro is zeroed except op_index/kind/in/out. */
ts_status ts_ref_prepare_op(ts_ref *r, ts_ref_op *ro, ts_err *err);

#endif
