/* systolic_model.h: the timing model of an R x C int8 systolic array (output-, weight- or
 * input-stationary) with double-buffered ifmap/filter/ofmap scratchpads and a DRAM interface,
 * with SCALE-Sim v2's semantics (scalesim-project/scale-sim-v2; NUMBERS.md section 6.1).
 * Layer: sim/unit. Timing and access counts only: it never sees a tensor value, never prints,
 * never exits. The `systolic` device unit and `tinysim systolic` are built on it.
 *
 * A layer is one SCALE-Sim topology row (valid convolution over an already padded ifmap):
 * GEMM M x K times K x N with M = ofmap pixels, K = Fh*Fw*C, N = filters. The array maps
 * (rows, cols, streamed) = (M, N, K) for os, (K, N, M) for ws, (K, M, N) for is, folded by
 * R and C; folds run column-fold outer, row-fold inner, as SCALE-Sim orders them.
 *
 * Cost of an evaluation: closed form for cycles, utilisation and SRAM counts; per fold
 * interval arithmetic on a bitmap of the operand's address space for the DRAM reads (no
 * cycle-by-cycle work). All counts are in words (one int8 element). */
#ifndef TS_SYSTOLIC_MODEL_H
#define TS_SYSTOLIC_MODEL_H

#include <stdint.h>

#include "base/status.h"

typedef enum ts_systolic_dataflow {
    TS_SYSTOLIC_OS, /* output stationary */
    TS_SYSTOLIC_WS, /* weight stationary */
    TS_SYSTOLIC_IS, /* input stationary */
    TS_SYSTOLIC_N_DATAFLOWS
} ts_systolic_dataflow;

/* Operands, in SCALE-Sim's report order. */
enum { TS_SYS_IFMAP, TS_SYS_FILTER, TS_SYS_OFMAP, TS_SYS_N_OPERANDS };

/* The array and its memories (a SCALE-Sim .cfg). */
typedef struct ts_systolic_array {
    uint32_t rows, cols;                       /* ArrayHeight, ArrayWidth (PEs) */
    ts_systolic_dataflow dataflow;
    uint64_t sram_words[TS_SYS_N_OPERANDS];    /* whole double buffer, words (kB * 1024) */
    uint64_t offset[TS_SYS_N_OPERANDS];        /* IfmapOffset, FilterOffset, OfmapOffset */
    double bandwidth_words_per_cycle;          /* Bandwidth: used when user_bandwidth */
    int user_bandwidth;                        /* InterfaceBandwidth USER (1) or CALC (0) */
} ts_systolic_array;

/* One layer (a SCALE-Sim topology row). */
typedef struct ts_systolic_layer {
    uint32_t ifmap_h, ifmap_w;      /* padded input, pixels */
    uint32_t filter_h, filter_w;
    uint32_t channels, filters;
    uint32_t stride;                /* both directions */
} ts_systolic_layer;

/* What SCALE-Sim's three reports hold for a layer, plus the mapping. Cycles are array
 * cycles; "start/stop" cycles may be negative (prefetch before the first compute cycle). */
typedef struct ts_systolic_result {
    uint64_t gemm_m, gemm_n, gemm_k, macs;
    uint64_t row_folds, col_folds, fold_cycles; /* fold_cycles: demand lines per fold */
    uint64_t total_cycles, stall_cycles;
    double overall_util_pct, mapping_eff_pct, compute_util_pct;
    uint64_t sram_reads[2];          /* ifmap, filter */
    uint64_t sram_ofmap_writes;
    uint64_t dram_reads[2];          /* ifmap, filter */
    uint64_t dram_ofmap_writes;
    int64_t sram_start_cycle[TS_SYS_N_OPERANDS], sram_stop_cycle[TS_SYS_N_OPERANDS];
    int64_t dram_start_cycle[TS_SYS_N_OPERANDS], dram_stop_cycle[TS_SYS_N_OPERANDS];
    double avg_sram_bw[TS_SYS_N_OPERANDS];     /* words per cycle */
    double avg_dram_bw[TS_SYS_N_OPERANDS];
    double peak_dram_bw[TS_SYS_N_OPERANDS];    /* largest per-fold need, words per cycle */
} ts_systolic_result;

/* Model state that lives across layers: the DRAM-reuse bitmaps (grown with ts_realloc). */
typedef struct ts_systolic_ctx {
    uint64_t *bits[2];
    uint64_t bits_words[2];
} ts_systolic_ctx;

void ts_systolic_ctx_init(ts_systolic_ctx *ctx);
void ts_systolic_ctx_fini(ts_systolic_ctx *ctx); /* NULL-safe */

const char *ts_systolic_dataflow_name(ts_systolic_dataflow df); /* "os", "ws", "is" */
/* Parses "os"/"ws"/"is"; returns 0 on success. */
int ts_systolic_dataflow_parse(const char *s, ts_systolic_dataflow *out);

/* Smallest accepted double buffer in words: one R x C tile per half, and at least the 100
 * sets of SCALE-Sim's bandwidth estimator (read_buffer_estimate_bw.py) per buffer. */
uint64_t ts_systolic_min_sram_words(const ts_systolic_array *a);

/* Checks the array (rows/cols >= 1, buffers >= the minimum, bandwidth > 0 in USER mode);
 * on failure *key (may be NULL) is the SCALE-Sim key at fault and the message starts
 * "field ArrayHeight: must be >= 1 (got 0)". The dataflow is trusted (an enum). */
ts_status ts_systolic_array_check(const ts_systolic_array *a, const char **key, ts_err *err);

/* Checks a layer's shape (filter within the ifmap, non-zero dims, sizes that fit 64 bits);
 * the message starts "field <topology column>: ". */
ts_status ts_systolic_layer_check(const ts_systolic_layer *l, ts_err *err);

/* Evaluates one layer; the array and layer must have passed their checks. Fills *out.
 * Returns TS_ERR_NOMEM when a bitmap cannot grow, TS_ERR_RANGE for more than 1e8 folds
 * (message "layer: N folds on a RxC array (expected <= 100000000)"). */
ts_status ts_systolic_eval(ts_systolic_ctx *ctx, const ts_systolic_array *a,
                           const ts_systolic_layer *l, ts_systolic_result *out, ts_err *err);

/* Turns the result of one run into that of n identical runs back to back (a depthwise op
 * mapped per channel): counts, cycles and stalls times n, stop cycles shifted, utilisation
 * and mapping efficiency unchanged, average bandwidths recomputed. */
void ts_systolic_result_repeat(ts_systolic_result *o, uint32_t n);

#endif
