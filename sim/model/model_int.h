/* model_int.h: declarations shared by the files of sim/model (reader, checker, stats).
 * Not part of the public API: bench/ and other modules include model.h only. */
#ifndef TS_MODEL_INT_H
#define TS_MODEL_INT_H

#include "base/alloc.h"
#include "model.h"

typedef struct ts_buffer_view {
    const uint8_t *data; /* NULL when the buffer is empty */
    size_t size_bytes;
    size_t file_offset;  /* where the bytes start in the file (for messages) */
} ts_buffer_view;

typedef struct ts_subgraph_ir {
    ts_graph g;          /* the public view */
    ts_tensor *tensors;  /* writable aliases of g.tensors/g.ops during loading */
    ts_op *ops;
    bool *tensor_sparse; /* per tensor: the file has SparsityParameters */
} ts_subgraph_ir;

struct ts_model {
    char *source;          /* path or label, owned (ts_malloc) */
    uint8_t *file;         /* the model's own copy of the bytes (ts_malloc) */
    size_t file_bytes;
    ts_arena *arena;       /* every IR node, name and array */
    uint32_t version;
    const char *description;
    int32_t n_buffers;
    ts_buffer_view *buffers;
    int32_t n_subgraphs;
    ts_subgraph_ir *subgraphs;
    int32_t n_metadata;
    ts_metadata *metadata;
};

/* Semantic validation of a structurally decoded model (model_check.c). */
ts_status ts_model_check(ts_model *m, ts_err *err);

/* "subgraph S, op I (NAME)" style prefix helpers for messages. */
#define TS_OPFMT "%s: subgraph %d, op %d (%s)"

#endif
