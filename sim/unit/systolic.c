/* systolic.c: the "systolic" execution unit: an R x C int8 systolic array (os | ws | is) with
 * double-buffered ifmap/filter/ofmap scratchpads and a DMA path to system memory, beside the
 * core (the course's accelerator that "gets data horizontally and vertically and does matrix
 * multiplication before accessing memory"), reached by the firmware as a memory-mapped device
 * (unit.c runs the doorbell protocol of fw_abi.h). Values: the same kernels on the host over
 * the emulated memory (ts_unit_run_host), so outputs are bit-identical to every other target.
 * Time and events: SCALE-Sim v2's model (systolic_model.h) of the op mapped to a topology row
 * exactly as `tinysim systolic --model` maps it (ts_systolic_row_from_ref, systolic_files.c).
 * Layer: sim/unit. No cycle numbers here (the model and the target file hold them); no values
 * computed here. Never prints.
 *
 * Ops: int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED with unit dilation and a square
 * stride; everything else stays on the core.
 *  - CONV_2D: GEMM M = Ho*Wo, K = Kh*Kw*Ci, N = Co over the ifmap padded as the op pads it
 *    (SAME included) and trimmed to what the windows read; one run per batch.
 *  - DEPTHWISE_CONV_2D, per channel: C runs back to back (ts_systolic_result_repeat) of a
 *    1-channel convolution with depth_multiplier filters: GEMM M = Ho*Wo, K = Kh*Kw, N = mult.
 *    On an os array N = 1 fills one column of C and K = 9 streams for 9 cycles against an
 *    R + C - 2 cycle fill and drain per fold: utilisation collapses to under 1/C (ds_cnn on
 *    8x8: 4.8 % against 70-73 % for its conv layers); reported per layer (pe_cycles), not
 *    hidden. [assumption] The DMA gathers one channel's bytes out of the NHWC tensor at the
 *    cost of contiguous bytes (a 2-D strided transfer; a beat carries neighbouring channels
 *    for the next runs).
 *  - FULLY_CONNECTED: GEMM M = batch (1 for these models: one array row busy), K, N = units.
 *
 * From the model's result to the unit's cost (everything else is SCALE-Sim's figure):
 *  - busy cycles = units.systolic.op_setup_cycles + total cycles (stalls included), array
 *    cycles; converted to core cycles by the clock ratio; stall_cycles likewise.
 *  - mac_ops = the GEMM's MACs (padding taps included: the array computes them);
 *    pe_cycles = R x C x total cycles, so mac_ops / pe_cycles is SCALE-Sim's overall
 *    utilisation, per layer and summed over layers.
 *  - local_read_bytes: operand words the array reads from the ifmap and filter buffers plus
 *    the ofmap words the DMA drains; local_write_bytes: ofmap words the PEs write plus the
 *    words the DMA fills into the ifmap and filter buffers (1 word = 1 byte). The ofmap write
 *    count is the words written (SCALE-Sim's DRAM ofmap writes): its os SRAM report adds R + C
 *    per fold (a report quirk, systolic_model.c) that is no access.
 *  - system-memory (DRAM in SCALE-Sim's words) traffic, charged as DMA bytes to the region of
 *    each operand, one access per bus beat: the ifmap reads at input 0, the filter reads at
 *    input 1, the ofmap writes at the output, plus the output stage's per-channel words read
 *    once per op (int32 bias at input 2, int32 multiplier + shift at the requantisation
 *    tables: 12 bytes per channel, not in SCALE-Sim). [assumption] The DMA inserts the padding
 *    zeros itself: the ifmap reads are scaled by real / padded ifmap words (the SRAM fills,
 *    padding included, are not).
 *  - alu_ops = 4 per output element: the output stage's bias add, fixed-point multiply,
 *    rounding shift and offset + clamp [assumption: a requantisation pipeline on the ofmap
 *    drain, hidden under the drain, as the DSP model counts its requantisation].
 *
 * Not modelled: int32 partial sums of ws/is K-folds (counted as words, as SCALE-Sim does),
 * flash wait states or bus contention on the unit's reads (one bandwidth for every region),
 * DMA descriptors (dma_transfers stays 0), overlap of one op's drain with the next op's fill,
 * DRAM reuse across ops (each op starts with empty buffers). */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "systolic_files.h"
#include "unit.h"

#define REQUANT_ALU_OPS 4u /* per output element: bias add, multiply, shift, offset + clamp */
#define BIAS_BYTES 4u      /* per output channel: int32 bias */
#define QUANT_BYTES 8u     /* per requantisation entry: int32 multiplier + int32 shift */

typedef struct systolic_unit {
    ts_unit base; /* first member */
    ts_unit_cfg cfg;
    const ts_target_systolic *p;
    ts_systolic_array array;
    ts_systolic_ctx ctx;
    uint64_t n_ops, busy_cycles, mac_ops, pe_cycles;
} systolic_unit;

/* The SCALE-Sim key ts_systolic_array_check names -> the units.systolic key it comes from. */
static const char *const key_map[][2] = {
    {"ArrayHeight", "rows"},
    {"ArrayWidth", "cols"},
    {"IfmapSramSzkB", "ifmap_sram_bytes"},
    {"FilterSramSzkB", "filter_sram_bytes"},
    {"OfmapSramSzkB", "ofmap_sram_bytes"},
    {"Bandwidth", "bandwidth_bytes_per_cycle"},
};

/* The model's array from the target's keys (bytes are words: int8 operands). */
static void array_from_target(const ts_target_systolic *p, ts_systolic_array *a)
{
    memset(a, 0, sizeof *a);
    a->rows = p->rows;
    a->cols = p->cols;
    a->dataflow = (ts_systolic_dataflow)p->dataflow;
    a->sram_words[TS_SYS_IFMAP] = p->ifmap_sram_bytes;
    a->sram_words[TS_SYS_FILTER] = p->filter_sram_bytes;
    a->sram_words[TS_SYS_OFMAP] = p->ofmap_sram_bytes;
    a->bandwidth_words_per_cycle = p->bandwidth_bytes_per_cycle;
    a->user_bandwidth = p->interface_bandwidth == TS_SYSTOLIC_IFBW_USER;
}

/* ts_systolic_array_check in the target's terms: "t.json: units.systolic.rows: ...". */
static ts_status check_array(const systolic_unit *s, ts_err *err)
{
    const char *key = NULL, *why;
    ts_err sub;
    ts_status st;

    ts_err_clear(&sub);
    if (!(st = ts_systolic_array_check(&s->array, &key, &sub)))
        return TS_OK;
    why = strstr(sub.msg, ": ");
    for (size_t i = 0; i < sizeof key_map / sizeof key_map[0]; i++)
        if (key && strcmp(key, key_map[i][0]) == 0)
            return ts_err_set(err, st, "%s: units.systolic.%s: %s", s->cfg.target->path,
                              key_map[i][1], why ? why + 2 : sub.msg);
    return ts_err_set(err, st, "%s: units.systolic: %s", s->cfg.target->path, sub.msg);
}

static ts_status systolic_init(ts_unit *u, const ts_unit_cfg *cfg, ts_err *err)
{
    systolic_unit *s = (systolic_unit *)u;

    assert(cfg->platform && cfg->target && cfg->source);
    s->cfg = *cfg;
    s->p = &cfg->target->systolic;
    ts_systolic_ctx_init(&s->ctx);
    if (!s->p->present)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: units.systolic: missing (the target has an "
                          "mmio region 'systolic' but no systolic unit parameters)",
                          cfg->target->path);
    array_from_target(s->p, &s->array);
    return check_array(s, err);
}

/* The op as a topology row; UNSUPPORTED for what the array does not run. */
static ts_status op_row(const systolic_unit *s, const ts_unit_op *op, ts_systolic_row *row,
                        ts_err *err)
{
    if (op->prep->dtype != TS_DT_INT8)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): %s activations (the "
                          "systolic unit runs int8 only)", s->cfg.source, op->index, op->name,
                          ts_dtype_name(op->prep->dtype));
    return ts_systolic_row_from_ref(s->cfg.source, op->prep, op->name, row, err);
}

static bool systolic_supports(const ts_unit *u, const ts_unit_op *op)
{
    ts_systolic_row row;
    ts_err err;

    ts_err_clear(&err);
    return op_row((const systolic_unit *)u, op, &row, &err) == TS_OK;
}

/* Real input words / padded ifmap words the windows read (<= 1): the share of the ifmap's
 * DRAM reads that is not padding. */
static double real_share(const ts_ref_op *ro, const ts_systolic_layer *l)
{
    tsk_hw pad = ro->kind == TS_OP_CONV_2D            ? ro->p.conv.padding
                 : ro->kind == TS_OP_DEPTHWISE_CONV_2D ? ro->p.dw.padding
                                                       : (tsk_hw){0, 0};
    int64_t h = (int64_t)l->ifmap_h - pad.h, w = (int64_t)l->ifmap_w - pad.w;

    if (ro->kind == TS_OP_FULLY_CONNECTED)
        return 1.0;
    h = h < ro->in_dims[0].h ? h : ro->in_dims[0].h;
    w = w < ro->in_dims[0].w ? w : ro->in_dims[0].w;
    if (h <= 0 || w <= 0)
        return 0.0;
    return (double)(h * w) / ((double)l->ifmap_h * (double)l->ifmap_w);
}

/* System-memory bytes of one op (besides the array's words): the output stage's words. */
static uint64_t stage_bytes(const ts_ref_op *ro, uint64_t *bias, uint64_t *quant)
{
    bool has_bias = ro->n_inputs > 2 && ro->in[2] >= 0;

    *bias = has_bias ? (uint64_t)BIAS_BYTES * (uint64_t)ro->out_dims.c : 0;
    *quant = ro->quant_first >= 0 ? (uint64_t)QUANT_BYTES * (uint64_t)ro->n_quant : 0;
    return *bias + *quant;
}

/* System-memory bytes of one op per operand (region charges and dma_bytes). */
typedef struct sys_traffic {
    uint64_t ifmap_rd, filter_rd, ofmap_wr, bias_rd, quant_rd;
} sys_traffic;

/* The unit's cost of an op from the model's result r of its row: cycles in core cycles, the
 * unit's counters, and (into *x) its system-memory bytes per operand. */
static void result_cost(const systolic_unit *s, const ts_ref_op *ro, const ts_systolic_row *row,
                        const ts_systolic_result *r, sys_traffic *x, ts_unit_cost *cost)
{
    const tsk_dims *o = &ro->out_dims;
    uint64_t outputs = (uint64_t)o->n * (uint64_t)o->h * (uint64_t)o->w * (uint64_t)o->c;
    uint64_t busy = s->p->op_setup_cycles + r->total_cycles, stage;
    uint64_t core_hz = s->cfg.target->clock_hz;

    x->ifmap_rd = (uint64_t)llround((double)r->dram_reads[0] * real_share(ro, &row->layer));
    x->filter_rd = r->dram_reads[1];
    x->ofmap_wr = r->dram_ofmap_writes;
    stage = stage_bytes(ro, &x->bias_rd, &x->quant_rd);
    memset(cost, 0, sizeof *cost);
    cost->cycles = ts_unit_core_cycles(s->p->clock_hz, core_hz, busy);
    cost->stall_cycles = ts_unit_core_cycles(s->p->clock_hz, core_hz, r->stall_cycles);
    cost->unit.busy_cycles = busy;
    cost->unit.mac_ops = r->macs;
    cost->unit.alu_ops = REQUANT_ALU_OPS * outputs;
    cost->unit.local_read_bytes = r->sram_reads[0] + r->sram_reads[1] + r->dram_ofmap_writes;
    cost->unit.local_write_bytes = r->dram_ofmap_writes + r->dram_reads[0] + r->dram_reads[1];
    cost->unit.dma_bytes = x->ifmap_rd + x->filter_rd + x->ofmap_wr + stage;
    cost->unit.pe_cycles = (uint64_t)s->array.rows * s->array.cols * r->total_cycles;
}

/* Models op: its row evaluated (repeated per instance) and turned into the unit's cost. */
static ts_status model_cost(systolic_unit *s, const ts_unit_op *op, sys_traffic *x,
                            ts_unit_cost *cost, ts_err *err)
{
    ts_systolic_row row;
    ts_systolic_result r;
    ts_status st;
    ts_err sub;

    if ((st = op_row(s, op, &row, err)))
        return st;
    ts_err_clear(&sub);
    if ((st = ts_systolic_eval(&s->ctx, &s->array, &row.layer, &r, &sub)))
        return ts_err_set(err, st, "%s: op %d (%s): systolic unit: %s", s->cfg.source,
                          op->index, op->name, sub.msg);
    ts_systolic_result_repeat(&r, row.instances);
    result_cost(s, op->prep, &row, &r, x, cost);
    return TS_OK;
}

static ts_status systolic_estimate(ts_unit *u, const ts_unit_op *op, ts_unit_cost *cost,
                                   ts_err *err)
{
    sys_traffic x;

    return model_cost((systolic_unit *)u, op, &x, cost, err);
}

/* Charges the op's system-memory traffic where each operand lives (see the file header). */
static void charge_operands(const systolic_unit *s, const sys_traffic *x, const ts_unit_io *io,
                            ts_unit_cost *cost)
{
    const ts_unit_cfg *c = &s->cfg;

    cost->n_regions = c->target->n_regions;
    ts_unit_charge_dma(c, cost, io->in_addr[0], x->ifmap_rd, false);
    ts_unit_charge_dma(c, cost, io->in_addr[1], x->filter_rd, false);
    ts_unit_charge_dma(c, cost, io->in_addr[2], x->bias_rd, false);
    ts_unit_charge_dma(c, cost, io->multiplier_addr, x->quant_rd, false);
    ts_unit_charge_dma(c, cost, io->out_addr, x->ofmap_wr, true);
}

/* Called from the doorbell (unit.c) with the addresses of the descriptor the firmware wrote. */
static ts_status systolic_execute(ts_unit *u, const ts_unit_op *op, const ts_unit_io *io,
                                  ts_unit_cost *cost, ts_err *err)
{
    systolic_unit *s = (systolic_unit *)u;
    sys_traffic x;
    ts_status st;

    st = ts_unit_run_host(op, io, ts_unit_map_memory, ts_platform_core(s->cfg.platform),
                          s->cfg.source, err);
    if (!st)
        st = model_cost(s, op, &x, cost, err);
    if (st)
        return st;
    charge_operands(s, &x, io, cost);
    s->n_ops++;
    s->busy_cycles += cost->unit.busy_cycles;
    s->mac_ops += cost->unit.mac_ops;
    s->pe_cycles += cost->unit.pe_cycles;
    return TS_OK;
}

static void systolic_stats(const ts_unit *u, const ts_unit_sink *sink)
{
    const systolic_unit *s = (const systolic_unit *)u;

    sink->fn(sink->opaque, "ops", (double)s->n_ops);
    sink->fn(sink->opaque, "busy_cycles", (double)s->busy_cycles);
    sink->fn(sink->opaque, "mac_ops", (double)s->mac_ops);
    sink->fn(sink->opaque, "pe_cycles", (double)s->pe_cycles);
}

static void systolic_fini(ts_unit *u)
{
    ts_systolic_ctx_fini(&((systolic_unit *)u)->ctx);
}

const ts_unit_ops ts_unit_systolic_ops = {
    .version = TS_UNIT_VERSION,
    .name = "systolic",
    .state_size = sizeof(systolic_unit),
    .init = systolic_init,
    .supports = systolic_supports,
    .estimate = systolic_estimate,
    .execute = systolic_execute,
    .stats = systolic_stats,
    .fini = systolic_fini,
    .device = true,
};
