/* dsp_model.h: timing model of the "dsp" unit, a HiFi-class integrated DSP (MAC lanes,
 * load/store slots, zero-overhead loops, a local data memory fed by a DMA engine, optional
 * double buffering). Layer: sim/unit. Pure functions of (op shape, ts_target_dsp): timing and
 * event counts only, never values (the unit computes values with kernels/ on the host), no
 * Unicorn, no allocation, never prints.
 *
 * Notation: L = MAC lanes of the op's dtype (mac_lanes_int8 | mac_lanes_int16), A = alu_lanes,
 * S = load_store_slots, B = slot_bytes, e = activation element bytes (1 int8, 2 int16),
 * O = loop_overhead_cycles (0 with zero_overhead_loops), ceil = rounding up.
 *
 * Loop nests. Every op is a few nests; an iteration of a nest works on W elements ("vector
 * width") and issues m MAC vector ops, a ALU vector ops and s load/store slot accesses, which
 * go to different VLIW slots and overlap, so one iteration costs
 *     max(m * ceil(W / L), a * ceil(W / A), ceil(s / S)) + O  cycles.
 * A slot access moves at most B bytes: a vector of n bytes costs ceil(n / B) accesses; a
 * scalar or table look-up costs one access. Events: mac_ops = m * W, alu_ops = a * W per
 * iteration (lane-ops that do useful work), local_read/write_bytes = the bytes the loads and
 * stores move. The requantisation of an output vector (bias add, fixed-point multiply,
 * rounding shift, offset + clamp) is 1 MAC + 3 ALU vector ops.
 *
 * Mapping per op (int8 and int16 activations; float32 and every other op stay on the core):
 *  CONV_2D [N,H,W,Ci] x [Co,Kh,Kw,Ci]: vectorised over output channels: a group of W = min(L,
 *    channels left) output channels; one iteration per (pixel, group, k in Kh*Kw*Ci) is 1 vector
 *    MAC of the broadcast input element with the group's weights (weights reordered offline so
 *    the W weights are contiguous, as HiFi NN libraries do): s = ceil(W*e / B) + 1, reads W*e +
 *    e bytes. Output nest per (pixel, group): requantisation, reads 4*W (int32 bias) + 8*W
 *    (multiplier + shift), writes W*e: s = ceil(12*W / B) + ceil(W*e / B).
 *  FULLY_CONNECTED [N,K] x [Co,K]: CONV_2D with N pixels, Kh = Kw = 1, Ci = K.
 *  DEPTHWISE_CONV_2D: vectorised over output channels (W = min(L, left)); one iteration per
 *    (pixel, group, window tap) is 1 vector MAC of W inputs with W weights: s = 2*ceil(W*e / B),
 *    reads 2*W*e. Output nest as CONV_2D. Padding taps are computed as zeros (not skipped).
 *  AVERAGE_POOL_2D / MAX_POOL_2D: vectorised over channels (W = min(A, left)); one iteration per
 *    (pixel, group, valid window tap) is 1 ALU op (add or max), s = ceil(W*e / B). Output nest
 *    per (pixel, group): average = 1 MAC (times reciprocal) + 2 ALU (shift, clamp); max = 1 ALU
 *    (clamp); s = ceil(W*e / B) store.
 *  ADD / MUL (same shape, no broadcast): vectorised over elements (W = min(A, left)); ADD per
 *    iteration 3 MAC (two input rescales, output rescale) + 5 ALU (offsets, left shift, add,
 *    clamp), MUL 2 MAC (product, rescale) + 4 ALU (two offsets, output offset, clamp);
 *    s = 3*ceil(W*e / B) (two loads, one store).
 *  SOFTMAX (rows of depth D): per row three passes over W = min(A, left) elements: max (1 ALU,
 *    s = ceil(W*e/B)); exp and sum (2 ALU; s = ceil(W*e/B) + W table look-ups of 4 bytes);
 *    normalise (1 MAC + 2 ALU; s = ceil(W*e/B) + W look-ups + ceil(W*e/B) store); plus
 *    div_cycles once per row for the reciprocal of the sum. The 256-entry int32 exp table
 *    (1024 bytes) stays resident in local memory.
 *
 * Tiling. Operands live in system memory; the unit computes on its local memory. Resident
 * data is loaded once per pass and stays: conv/dw/FC weights, int32 bias and the per-channel
 * requantisation words (12 bytes per channel) of the channels in the pass; the softmax table.
 * Streamed data moves in tiles: output rows (conv, dw, pool; FC and softmax: rows of the 2-D
 * view; ADD/MUL: runs of elements) with the input rows they need. Input rows are kept in a
 * circular buffer (HiFi circular addressing): a tile fetches only the rows the previous tile of
 * its pass does not hold (no halo re-fetch), and never padding rows; the buffer is sized for
 * an interior tile's full input rows. Each tile is one DMA transfer
 * per streamed input operand and one per output; each resident operand is one transfer per
 * pass. A tile buffer set counts twice with double buffering. The tiler takes the largest tile
 * that fits beside the resident data; for conv/dw/FC it first tries all output channels in
 * one pass (weights loaded once) and otherwise splits the output channels into passes of as
 * many channels as fit with one-row tiles (input streamed once per pass).
 * "One tile" (minimal tile): one output row (one element run of W = lanes for ADD/MUL) of one
 * channel group (W channels), its input rows, plus the resident data of that group, with one
 * buffer set (with double buffering the tiler falls back to one set when two do not fit). An op
 * whose minimal tile does not fit is not supported (stays on the core): ts_dsp_supports. A local
 * memory smaller than the minimal tile of the smallest supported op (an int8 ADD of one vector:
 * 3 * A bytes) is a configuration error: ts_dsp_check, to be called when the unit is placed on
 * a target (unit init), since target.c knows no op.
 *
 * Time. DMA time of a transfer = dma.setup_cycles + bytes / dma.bytes_per_cycle. busy_cycles =
 * op_setup_cycles + resident DMA time (not overlapped) + the tiles of each pass: single-
 * buffered, each tile costs input DMA + compute + output DMA; double-buffered, a two-stage
 * pipeline where tile i's compute overlaps tile i+1's input and tile i-1's output:
 * in_0 + sum_i max(c_i, in_{i+1} + out_{i-1}) + out_last (steady state: max(compute, DMA) per
 * tile; fill and drain included). With double buffering the tiler tries the largest tile and
 * its halvings (smaller tiles shorten fill and drain, cost more DMA set-ups) and also the
 * single-buffered plan with the whole memory, and keeps the fastest (the library would), so
 * double buffering never costs time. Cycles are unit cycles: ts_dsp_core_cycles converts to
 * core cycles.
 *
 * Not modelled: local-memory bank conflicts, DMA contention with the core on the system bus,
 * instruction fetch of the DSP (code assumed in its local instruction memory), broadcasting
 * ADD/MUL, tiles crossing batches (each batch is tiled alone), splitting a row that does not fit
 * (such an op stays on the core). */
#ifndef TS_DSP_MODEL_H
#define TS_DSP_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "model/model.h"
#include "ref/ref.h"
#include "target/target.h"
#include "kernel_types.h"

/* Operands whose system-memory traffic is reported (ADD/MUL's second input counts as input). */
typedef enum ts_dsp_operand {
    TS_DSP_INPUT,
    TS_DSP_WEIGHTS, /* filter / weights, and the softmax exp table */
    TS_DSP_BIAS,    /* int32 bias and per-channel requantisation words */
    TS_DSP_OUTPUT,
    TS_DSP_N_OPERANDS
} ts_dsp_operand;

/* One op, as the model needs it (the unit fills it from the prepared op, sim/ref ts_ref_op:
 * in_dims[0], in_dims[1], out_dims and the stride/padding/dilation of its params). filter,
 * stride, padding and dilation are read only for conv, depthwise, FC and pooling. */
typedef struct ts_dsp_op {
    ts_op_kind kind;
    ts_dtype dtype;    /* activations: TS_DT_INT8 or TS_DT_INT16 (anything else: unsupported) */
    tsk_dims in;       /* [N,H,W,C]; FC: [N,1,1,K]; SOFTMAX: [1,1,rows,depth] */
    tsk_dims in2;      /* ADD/MUL second input (same element count, no broadcasting) */
    tsk_dims filter;   /* conv [Co,Kh,Kw,Ci]; dw [1,Kh,Kw,Co]; FC [Co,1,1,K]; pool [1,Kh,Kw,1] */
    tsk_dims out;      /* [N,Ho,Wo,Co] */
    tsk_hw stride;     /* >= 1 (1 for ops without) */
    tsk_hw padding;    /* top/left implicit padding rows/columns */
    tsk_hw dilation;   /* >= 1 */
    bool has_bias;
} ts_dsp_op;

/* Cost of one op on the unit. Cycles are unit cycles. */
typedef struct ts_dsp_cost {
    uint64_t busy_cycles;       /* op set-up + resident DMA + tiles */
    uint64_t compute_cycles;    /* loop nests alone (part of busy_cycles) */
    uint64_t dma_cycles;        /* every transfer alone, set-up included */
    uint64_t mac_ops;           /* MAC lane-ops */
    uint64_t alu_ops;           /* ALU lane-ops */
    uint64_t local_read_bytes;  /* loads by the nests + bytes the DMA reads out of local memory */
    uint64_t local_write_bytes; /* stores by the nests + bytes the DMA writes into local memory */
    uint64_t dma_bytes;         /* both directions */
    uint64_t dma_transfers;
    uint64_t n_tiles;           /* streamed tiles over all passes */
    uint64_t n_passes;          /* output-channel passes (1 unless the weights do not fit) */
    uint64_t sys_read_bytes[TS_DSP_N_OPERANDS];  /* system memory -> local, per operand */
    uint64_t sys_write_bytes[TS_DSP_N_OPERANDS]; /* local -> system memory (output only) */
} ts_dsp_cost;

/* Fills *out from a prepared op (dims, stride, padding, dilation, window, bias). */
void ts_dsp_op_from_ref(const ts_ref_op *r, ts_dsp_op *out);

/* Checks the unit parameters against the smallest supported op (header: "minimal tile").
 * `source` names the target file in messages ("t.json: units.dsp.local_memory_bytes: smaller
 * than one tile of the smallest supported op (expected >= 48, got 32)"). Returns TS_OK or
 * TS_ERR_CONFIG (also for a target without units.dsp). */
ts_status ts_dsp_check(const ts_target_dsp *p, const char *source, ts_err *err);

/* Local memory bytes the op's minimal tile needs (resident data included, tile buffers twice
 * with double buffering); 0 when the op kind or dtype is not supported at all. */
uint64_t ts_dsp_min_tile_bytes(const ts_target_dsp *p, const ts_dsp_op *op);

/* True when the unit runs the op: a supported kind and dtype whose minimal tile fits. */
bool ts_dsp_supports(const ts_target_dsp *p, const ts_dsp_op *op);

/* Models one op. [out] cost: written only on success. Errors: TS_ERR_UNSUPPORTED when
 * ts_dsp_supports is false ("op CONV_2D float32: not supported by the dsp unit ..."). */
ts_status ts_dsp_estimate(const ts_target_dsp *p, const ts_dsp_op *op, ts_dsp_cost *cost,
                          ts_err *err);

/* Unit cycles -> core cycles (rounded up): the unit clock is units.dsp.clock_hz, or the core's
 * when that is 0. */
uint64_t ts_dsp_core_cycles(const ts_target_dsp *p, uint64_t core_clock_hz, uint64_t unit_cycles);

#endif
