/* plan.h: the offline tensor-arena planner.
 * Layer: sim/plan (depends on sim/model, sim/base). Never prints.
 *
 * Every non-constant tensor of a graph that an op reads or writes (plus optional per-op
 * scratch buffers) gets an offset in one arena. Lifetimes: a graph input lives from op 0,
 * a graph output until the last op, a variable tensor for the whole run, any other tensor
 * from the op that writes it to the last op that reads it. Placement is greedy by size
 * (largest first, lowest offset that does not overlap any placed buffer whose lifetime
 * intersects), as TFLite Micro's GreedyMemoryPlanner does; sizes are rounded up to
 * `align_bytes`. RESHAPE, SQUEEZE and EXPAND_DIMS outputs are views: they share their input's storage when the input
 * is not constant, and the shared buffer lives as long as either tensor. */
#ifndef TS_PLAN_H
#define TS_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

typedef struct ts_plan_opts {
    size_t align_bytes;             /* 0 = 16, TFLite Micro's arena alignment */
    const size_t *op_scratch_bytes; /* per op of the graph, or NULL for none */
} ts_plan_opts;

typedef struct ts_plan {
    int32_t n_tensors;
    int64_t *tensor_offset;    /* per tensor: arena offset in bytes, -1 = not in the arena */
    int32_t *storage_of;       /* per tensor: tensor whose buffer it uses (itself unless a view) */
    int32_t *first_op;         /* per tensor: first op of its lifetime, -1 if not planned */
    int32_t *last_op;          /* per tensor: last op of its lifetime, -1 if not planned */
    int32_t n_ops;
    int64_t *scratch_offset;   /* per op: scratch buffer offset, -1 = none */
    size_t arena_bytes;        /* planned arena size: max end of any buffer */
    size_t naive_bytes;        /* sum of all buffer sizes: the arena without reuse */
    size_t peak_live_bytes;    /* largest sum of live buffer sizes during one op */
    int32_t peak_op;           /* the op where peak_live_bytes occurs (-1 for no ops) */
} ts_plan;

/* Plans graph g. `opts` may be NULL. *out is set only on success; caller frees it with
 * ts_plan_free. Errors: TS_ERR_NOMEM; TS_ERR_FORMAT when an op reads a non-constant tensor
 * that no earlier op writes and that is not a graph input or variable. */
ts_status ts_plan_compute(const ts_graph *g, const ts_plan_opts *opts, ts_plan **out,
                         ts_err *err);

void ts_plan_free(ts_plan *p); /* NULL-safe */

#endif
