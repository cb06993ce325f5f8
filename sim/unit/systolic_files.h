/* systolic_files.h: SCALE-Sim v2's input files for the systolic model: the topology CSV
 * (one conv layer per row) and the .cfg configuration, and the mapping of a .tflite's conv,
 * depthwise and fully connected ops onto topology rows. Layer: sim/unit. Untrusted input:
 * every problem is a status with `FILE: line N: field X: problem (expected/actual)`; never
 * prints, never exits. */
#ifndef TS_SYSTOLIC_FILES_H
#define TS_SYSTOLIC_FILES_H

#include <stddef.h>

#include "model/model.h"
#include "ref/ref.h"
#include "systolic_model.h"

#define TS_SYSTOLIC_NAME_BYTES 64

/* One row of a topology: a layer run `instances` times back to back (1 for a topology CSV;
 * the channel count for a depthwise op mapped per channel). */
typedef struct ts_systolic_row {
    char name[TS_SYSTOLIC_NAME_BYTES];
    ts_systolic_layer layer;
    uint32_t instances;
} ts_systolic_row;

typedef struct ts_systolic_topology {
    ts_systolic_row *rows; /* owned */
    size_t n;
} ts_systolic_topology;

/* Reads a SCALE-Sim topology CSV: a header line starting "Layer name", then rows
 * "name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter,
 * Strides," (trailing comma optional, blank lines skipped). *out is set only on success. */
ts_status ts_systolic_topology_read(const char *path, ts_systolic_topology *out, ts_err *err);

/* Maps the CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED ops of the main graph to rows:
 * convolution over the input padded as the op pads it (SAME included) and trimmed to what
 * the windows read, one instance per batch; depthwise per channel (C x batch instances of a
 * 1-channel layer with depth_multiplier filters); fully connected as a 1x1 convolution over a
 * batch x 1 ifmap with K channels (GEMM M = batch). Dilated convolutions and unequal strides
 * are UNSUPPORTED. */
ts_status ts_systolic_topology_from_model(const ts_model *m, ts_systolic_topology *out,
                                          ts_err *err);

/* One op of graph g (src names it in messages) as a row, mapped as above. UNSUPPORTED for
 * other ops. */
ts_status ts_systolic_row_from_op(const char *src, const ts_graph *g, int32_t i,
                                  ts_systolic_row *row, ts_err *err);

/* The same mapping from a prepared op (sim/ref: filter in_dims[1], out_dims, the stride,
 * dilation and depth multiplier of its params), as the `systolic` unit receives ops; `name`
 * is the op's name for the row and messages. Same rows as ts_systolic_row_from_op. */
ts_status ts_systolic_row_from_ref(const char *src, const ts_ref_op *ro, const char *name,
                                   ts_systolic_row *row, ts_err *err);

void ts_systolic_topology_free(ts_systolic_topology *t); /* NULL-safe */

/* Reads a SCALE-Sim .cfg (sections and keys: systolic_cfg.def) into *out and checks it with
 * ts_systolic_array_check, naming the offending line. run_name (cap bytes) gets
 * [general] run_name or "". */
ts_status ts_systolic_config_read(const char *path, ts_systolic_array *out, char *run_name,
                                  size_t cap, ts_err *err);

#endif
