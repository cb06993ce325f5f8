/* dsp_model.c: the DSP unit's timing model (mapping documented in dsp_model.h). Layer:
 * sim/unit. Timing and event counts only: never reads or writes tensor values, no Unicorn, no
 * allocation, never prints. The structural counts below (vector ops per iteration, bytes per
 * requantisation word) describe the mapping, not hardware timing: every cycle figure comes
 * from ts_target_dsp (targets/NAME.json "units.dsp", each value cited there). */
#include "dsp_model.h"
#include "unit.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#define QUANT_BYTES 8u          /* per output channel: int32 multiplier + int32 shift */
#define BIAS_BYTES 4u           /* per output channel: int32 bias */
#define EXP_TABLE_BYTES 1024u   /* SOFTMAX: 256 int32 entries (resident) */
#define EXP_ENTRY_BYTES 4u      /* one table look-up */

/* One loop nest: iters iterations over w elements (dsp_model.h "Loop nests"). */
typedef struct nest {
    uint64_t iters;
    uint32_t w;           /* vector width, elements */
    uint32_t mac, alu;    /* vector ops per iteration */
    uint64_t slots;       /* load/store slot accesses per iteration */
    uint64_t rd, wr;      /* local-memory bytes loaded / stored per iteration */
} nest;

/* The op's shape, reduced to what tiling needs. */
typedef struct geom {
    uint32_t e;             /* activation element bytes */
    uint32_t lanes;         /* MAC lanes L of the dtype */
    uint32_t group_lanes;   /* lanes of the channel groups / runs (L for conv/dw/FC, A else) */
    uint64_t batches;
    uint64_t rows;          /* output rows per batch (tiles are runs of rows) */
    uint64_t chans;         /* output channels (1 for ADD/MUL/SOFTMAX) */
    bool chan_passes;       /* the output channels may be split into passes */
    uint32_t n_inputs;      /* streamed input operands (2 for ADD/MUL) */
} geom;

typedef struct pass_range {
    uint64_t c0, c;        /* first channel and count */
} pass_range;

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static uint64_t vec_slots(const ts_target_dsp *p, uint64_t bytes)
{
    return ceil_div(bytes, p->slot_bytes);
}

static void run_nest(const ts_target_dsp *p, const geom *g, nest n, ts_dsp_cost *a)
{
    uint64_t mac = n.mac ? n.mac * ceil_div(n.w, g->lanes) : 0;
    uint64_t alu = n.alu ? n.alu * ceil_div(n.w, p->alu_lanes) : 0;
    uint64_t ls = ceil_div(n.slots, p->load_store_slots);
    uint64_t over = p->zero_overhead_loops ? 0 : p->loop_overhead_cycles;

    a->compute_cycles += n.iters * (max_u64(max_u64(mac, alu), max_u64(ls, 1)) + over);
    a->mac_ops += n.iters * n.mac * n.w;
    a->alu_ops += n.iters * n.alu * n.w;
    a->local_read_bytes += n.iters * n.rd;
    a->local_write_bytes += n.iters * n.wr;
}

/* Channel groups of `chans` channels in groups of gl lanes: widths w[] and counts n[]
 * (full groups, then the partial one). */
static void split_groups(uint64_t chans, uint32_t gl, uint32_t w[2], uint64_t n[2])
{
    w[0] = gl;
    n[0] = chans / gl;
    w[1] = (uint32_t)(chans % gl);
    n[1] = w[1] ? 1 : 0;
}

static uint32_t elem_bytes(ts_dtype dt)
{
    return dt == TS_DT_INT16 ? 2u : dt == TS_DT_INT8 ? 1u : 0u;
}

/* Output taps of a window of k taps (dilation d) at output o that fall inside [0, size). */
static uint64_t valid_taps(int64_t o, int32_t stride, int32_t pad, int32_t k, int32_t d,
                           int32_t size)
{
    uint64_t n = 0;

    for (int32_t t = 0; t < k; t++) {
        int64_t i = o * stride - pad + (int64_t)t * d;
        n += i >= 0 && i < size;
    }
    return n;
}

static uint64_t dims_elems(tsk_dims d)
{
    return (uint64_t)d.n * (uint64_t)d.h * (uint64_t)d.w * (uint64_t)d.c;
}

static bool is_conv_like(ts_op_kind k)
{
    return k == TS_OP_CONV_2D || k == TS_OP_FULLY_CONNECTED || k == TS_OP_DEPTHWISE_CONV_2D;
}

static bool is_pool(ts_op_kind k)
{
    return k == TS_OP_AVERAGE_POOL_2D || k == TS_OP_MAX_POOL_2D;
}

/* Reduction length of one output of conv/FC (Kh*Kw*Ci) or dw (Kh*Kw). */
static uint64_t reduction(const ts_dsp_op *op)
{
    uint64_t taps = (uint64_t)op->filter.h * (uint64_t)op->filter.w;

    return op->kind == TS_OP_DEPTHWISE_CONV_2D ? taps : taps * (uint64_t)op->filter.c;
}

static uint32_t quant_bytes(const ts_dsp_op *op)
{
    return QUANT_BYTES + (op->has_bias ? BIAS_BYTES : 0);
}

/* Requantisation of `iters` output vectors of w channels (1 MAC + 3 ALU vector ops). */
static void output_nest(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op,
                        uint64_t iters, uint32_t w, ts_dsp_cost *a)
{
    uint64_t q = (uint64_t)quant_bytes(op) * w;

    run_nest(p, g, (nest){iters, w, 1, 3, vec_slots(p, q) + vec_slots(p, (uint64_t)w * g->e), q,
                          (uint64_t)w * g->e}, a);
}

/* CONV_2D, FULLY_CONNECTED, DEPTHWISE_CONV_2D: one output row, channels of the pass. */
static void conv_row(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op, uint64_t chans,
                     ts_dsp_cost *a)
{
    uint64_t pixels = op->kind == TS_OP_FULLY_CONNECTED ? 1 : (uint64_t)op->out.w;
    uint64_t k = reduction(op);
    uint32_t w[2];
    uint64_t n[2];

    split_groups(chans, g->group_lanes, w, n);
    for (int i = 0; i < 2; i++) {
        uint64_t wb = (uint64_t)w[i] * g->e;
        nest mac = {pixels * k * n[i], w[i], 1, 0, vec_slots(p, wb) + 1, wb + g->e, 0};

        if (!n[i])
            continue;
        if (op->kind == TS_OP_DEPTHWISE_CONV_2D)
            mac = (nest){pixels * k * n[i], w[i], 1, 0, 2 * vec_slots(p, wb), 2 * wb, 0};
        run_nest(p, g, mac, a);
        output_nest(p, g, op, pixels * n[i], w[i], a);
    }
}

/* AVERAGE/MAX_POOL_2D: output row ho, channels of the pass. */
static void pool_row(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op, uint64_t ho,
                     uint64_t chans, ts_dsp_cost *a)
{
    bool avg = op->kind == TS_OP_AVERAGE_POOL_2D;
    uint64_t taps_w = 0, taps;
    uint32_t w[2];
    uint64_t n[2];

    for (int32_t wo = 0; wo < op->out.w; wo++)
        taps_w += valid_taps(wo, op->stride.w, op->padding.w, op->filter.w, 1, op->in.w);
    taps = taps_w * valid_taps((int64_t)ho, op->stride.h, op->padding.h, op->filter.h, 1,
                               op->in.h);
    split_groups(chans, g->group_lanes, w, n);
    for (int i = 0; i < 2; i++) {
        uint64_t wb = (uint64_t)w[i] * g->e;

        if (!n[i])
            continue;
        run_nest(p, g, (nest){taps * n[i], w[i], 0, 1, vec_slots(p, wb), wb, 0}, a);
        run_nest(p, g, (nest){(uint64_t)op->out.w * n[i], w[i], avg ? 1 : 0, avg ? 2 : 1,
                              vec_slots(p, wb), 0, wb}, a);
    }
}

/* SOFTMAX: one row of depth D (three passes and one reciprocal). */
static void softmax_row(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op,
                        ts_dsp_cost *a)
{
    uint32_t w[2];
    uint64_t n[2];

    split_groups((uint64_t)op->in.c, g->group_lanes, w, n);
    for (int i = 0; i < 2; i++) {
        uint64_t wb = (uint64_t)w[i] * g->e, lut = (uint64_t)w[i] * EXP_ENTRY_BYTES;

        if (!n[i])
            continue;
        run_nest(p, g, (nest){n[i], w[i], 0, 1, vec_slots(p, wb), wb, 0}, a);
        run_nest(p, g, (nest){n[i], w[i], 0, 2, vec_slots(p, wb) + w[i], wb + lut, 0}, a);
        run_nest(p, g, (nest){n[i], w[i], 1, 2, 2 * vec_slots(p, wb) + w[i], wb + lut, wb}, a);
    }
    a->compute_cycles += p->div_cycles;
}

/* Elements of the ADD/MUL runs [r0, r1) (a run is group_lanes elements, the last shorter). */
static uint64_t run_elems(const geom *g, const ts_dsp_op *op, uint64_t r0, uint64_t r1)
{
    uint64_t n = dims_elems(op->out);

    return min_u64(r1 * g->group_lanes, n) - min_u64(r0 * g->group_lanes, n);
}

/* Compute of output row `row` (a run for ADD/MUL) over the pass's channels. */
static void row_compute(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op,
                        uint64_t row, uint64_t chans, ts_dsp_cost *a)
{
    if (is_conv_like(op->kind)) {
        conv_row(p, g, op, chans, a);
    } else if (is_pool(op->kind)) {
        pool_row(p, g, op, row, chans, a);
    } else if (op->kind == TS_OP_SOFTMAX) {
        softmax_row(p, g, op, a);
    } else {
        uint64_t len = run_elems(g, op, row, row + 1), b = len * g->e;
        bool add = op->kind == TS_OP_ADD;

        run_nest(p, g, (nest){1, (uint32_t)len, add ? 3 : 2, add ? 5 : 4, 3 * vec_slots(p, b),
                              2 * b, b}, a);
    }
}

/* Input rows a tile of output rows [r0, r1) of a spatial op needs in local memory. With
 * fetch, the rows its DMA transfer brings: the input rows live in a circular buffer (HiFi
 * circular addressing), so rows the previous tile of the pass already holds (the halo) and
 * padding rows are not fetched. Without, the worst case of an interior tile (buffer sizing). */
static uint64_t input_rows(const ts_dsp_op *op, uint64_t r0, uint64_t r1, bool fetch)
{
    int64_t reach = (int64_t)(op->filter.h - 1) * op->dilation.h + 1;
    int64_t span = (int64_t)(r1 - r0 - 1) * op->stride.h + reach;
    int64_t lo = (int64_t)r0 * op->stride.h - op->padding.h, hi = lo + span;

    if (!fetch)
        return min_u64((uint64_t)span, (uint64_t)op->in.h);
    if (r0 > 0 && lo < (int64_t)(r0 - 1) * op->stride.h - op->padding.h + reach)
        lo = (int64_t)(r0 - 1) * op->stride.h - op->padding.h + reach;
    lo = lo < 0 ? 0 : lo;
    hi = hi > op->in.h ? op->in.h : hi;
    return hi > lo ? (uint64_t)(hi - lo) : 0;
}

/* Bytes of one streamed input operand for output rows [r0, r1) and `chans` output channels. */
static uint64_t tile_in_bytes(const geom *g, const ts_dsp_op *op, uint64_t r0, uint64_t r1,
                              uint64_t chans, bool fetch)
{
    uint64_t rows = r1 - r0, cin;

    if (op->kind == TS_OP_FULLY_CONNECTED)
        return rows * reduction(op) * g->e;
    if (op->kind == TS_OP_SOFTMAX)
        return rows * (uint64_t)op->in.c * g->e;
    if (op->kind == TS_OP_ADD || op->kind == TS_OP_MUL)
        return run_elems(g, op, r0, r1) * g->e;
    cin = op->kind == TS_OP_CONV_2D ? (uint64_t)op->in.c
                                    : ceil_div(chans * (uint64_t)op->in.c, (uint64_t)op->out.c);
    return input_rows(op, r0, r1, fetch) * (uint64_t)op->in.w * cin * g->e;
}

static uint64_t tile_out_bytes(const geom *g, const ts_dsp_op *op, uint64_t r0, uint64_t r1,
                               uint64_t chans)
{
    uint64_t rows = r1 - r0;

    if (op->kind == TS_OP_FULLY_CONNECTED)
        return rows * chans * g->e;
    if (op->kind == TS_OP_SOFTMAX)
        return rows * (uint64_t)op->in.c * g->e;
    if (op->kind == TS_OP_ADD || op->kind == TS_OP_MUL)
        return run_elems(g, op, r0, r1) * g->e;
    return rows * (uint64_t)op->out.w * chans * g->e;
}

/* Worst-case buffer bytes of a tile of t rows (one set; doubled by the caller). */
static uint64_t tile_bytes(const geom *g, const ts_dsp_op *op, uint64_t t, uint64_t chans)
{
    return g->n_inputs * tile_in_bytes(g, op, 0, t, chans, false) +
           tile_out_bytes(g, op, 0, t, chans);
}

/* Resident bytes of a pass over `chans` output channels: [0] weights (or table), [1] bias and
 * requantisation words. */
static void resident_bytes(const ts_dsp_op *op, uint64_t chans, uint64_t out[2])
{
    out[0] = out[1] = 0;
    if (is_conv_like(op->kind)) {
        out[0] = chans * reduction(op);
        out[1] = chans * quant_bytes(op);
    } else if (op->kind == TS_OP_SOFTMAX) {
        out[0] = EXP_TABLE_BYTES;
    }
}

/* Largest tile (rows) of a pass of `chans` channels with `sets` buffer sets; 0 = none fits. */
static uint64_t largest_tile(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op,
                             uint64_t chans, uint64_t sets)
{
    uint64_t res[2], lo = 0, hi = g->rows;

    resident_bytes(op, chans, res);
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2;

        if (res[0] + res[1] + sets * tile_bytes(g, op, mid, chans) <= p->local_memory_bytes)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Fills g for a supported kind and dtype; false otherwise. */
static bool op_geom(const ts_target_dsp *p, const ts_dsp_op *op, geom *g)
{
    memset(g, 0, sizeof *g);
    g->e = elem_bytes(op->dtype);
    if (!g->e || !p->present)
        return false;
    g->lanes = op->dtype == TS_DT_INT16 ? p->mac_lanes_int16 : p->mac_lanes_int8;
    g->group_lanes = is_conv_like(op->kind) ? g->lanes : p->alu_lanes;
    g->batches = (uint64_t)op->out.n;
    g->rows = (uint64_t)op->out.h;
    g->chans = (uint64_t)op->out.c;
    g->chan_passes = is_conv_like(op->kind) || is_pool(op->kind);
    g->n_inputs = 1;
    if (op->kind == TS_OP_CONV_2D || op->kind == TS_OP_DEPTHWISE_CONV_2D || is_pool(op->kind))
        return true;
    g->batches = 1;
    if (op->kind == TS_OP_FULLY_CONNECTED) {
        g->rows = (uint64_t)op->out.n * (uint64_t)op->out.h * (uint64_t)op->out.w;
        return true;
    }
    g->chans = 1;
    if (op->kind == TS_OP_ADD || op->kind == TS_OP_MUL) {
        g->rows = ceil_div(dims_elems(op->out), p->alu_lanes);
        g->n_inputs = 2;
        return dims_elems(op->in) == dims_elems(op->out) &&
               dims_elems(op->in2) == dims_elems(op->out);
    }
    g->rows = (uint64_t)op->in.n * (uint64_t)op->in.h * (uint64_t)op->in.w;
    return op->kind == TS_OP_SOFTMAX;
}

/* Channels of the smallest pass: one channel group. */
static uint64_t min_pass_chans(const geom *g)
{
    return g->chan_passes ? min_u64(g->group_lanes, g->chans) : g->chans;
}

typedef struct plan {
    uint64_t pass_chans;  /* output channels per pass */
    uint64_t tile_rows;   /* output rows per tile */
} plan;

/* The tiler (dsp_model.h "Tiling") with `sets` tile buffer sets; false when nothing fits. */
static bool make_plan(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op, uint64_t sets,
                      plan *out)
{
    uint64_t lo = min_pass_chans(g), hi = g->chans;

    out->pass_chans = g->chans;
    out->tile_rows = largest_tile(p, g, op, g->chans, sets);
    if (out->tile_rows)
        return true;
    if (!g->chan_passes || !largest_tile(p, g, op, lo, sets))
        return false;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2;

        if (largest_tile(p, g, op, mid, sets))
            lo = mid;
        else
            hi = mid - 1;
    }
    if (lo > g->group_lanes)
        lo -= lo % g->group_lanes;
    out->pass_chans = lo;
    out->tile_rows = largest_tile(p, g, op, lo, sets);
    return true;
}

/* Charges `n` transfers moving `bytes` (system -> local when in, else local -> system) of
 * operand `which`; returns their DMA time in unit cycles. */
static double dma(const ts_target_dsp *p, uint64_t n, uint64_t bytes, ts_dsp_operand which,
                  bool in, ts_dsp_cost *a)
{
    if (!bytes)
        return 0.0;
    a->dma_transfers += n;
    a->dma_bytes += bytes;
    if (in) {
        a->sys_read_bytes[which] += bytes;
        a->local_write_bytes += bytes;
    } else {
        a->sys_write_bytes[which] += bytes;
        a->local_read_bytes += bytes;
    }
    return (double)n * p->dma_setup_cycles + (double)bytes / p->dma_bytes_per_cycle;
}

/* Resident data of one pass: weights, then bias (if any) and requantisation words. */
static double load_resident(const ts_target_dsp *p, const ts_dsp_op *op, uint64_t chans,
                            ts_dsp_cost *a)
{
    uint64_t res[2];
    bool conv = is_conv_like(op->kind);

    resident_bytes(op, chans, res);
    return dma(p, 1, res[0], TS_DSP_WEIGHTS, true, a) +
           dma(p, conv && op->has_bias ? 2 : 1, res[1], TS_DSP_BIAS, true, a);
}

/* Time of a sequence of tiles. Single-buffered: each tile costs in + compute + out.
 * Double-buffered (a two-stage pipeline): the first input is loaded alone, then while tile i
 * computes the DMA loads tile i+1 and stores tile i-1, and the last output is stored alone:
 *     in_0 + sum_i max(c_i, in_{i+1} + out_{i-1}) + out_last. */
typedef struct pipe {
    bool overlap;
    uint64_t n;                 /* tiles seen */
    double time;                /* closed so far */
    double c, out, prev_out;    /* compute and output DMA of the last tile, output of the one before */
} pipe;

static void pipe_tile(pipe *q, double in, double c, double out)
{
    if (!q->overlap)
        q->time += in + c + out;
    else if (!q->n)
        q->time += in;
    else
        q->time += q->c > in + q->prev_out ? q->c : in + q->prev_out;
    q->prev_out = q->out;
    q->c = c;
    q->out = out;
    q->n++;
}

static double pipe_drain(pipe *q)
{
    double t = q->time;

    if (q->overlap && q->n)
        t += (q->c > q->prev_out ? q->c : q->prev_out) + q->out;
    *q = (pipe){.overlap = q->overlap};
    return t;
}

/* One tile: rows [r0, r1) of a pass, fed to the pipeline. */
static void run_tile(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op, uint64_t r0,
                     uint64_t r1, uint64_t chans, pipe *q, ts_dsp_cost *a)
{
    uint64_t before = a->compute_cycles;
    double in, out;

    for (uint64_t r = r0; r < r1; r++)
        row_compute(p, g, op, r, chans, a);
    in = dma(p, g->n_inputs, g->n_inputs * tile_in_bytes(g, op, r0, r1, chans, true),
             TS_DSP_INPUT, true, a);
    out = dma(p, 1, tile_out_bytes(g, op, r0, r1, chans), TS_DSP_OUTPUT, false, a);
    a->n_tiles++;
    pipe_tile(q, in, (double)(a->compute_cycles - before), out);
}

/* Every pass: its resident data (not overlapped), then its tiles over all batches. */
static void eval_plan(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op, plan pl,
                      bool overlap, ts_dsp_cost *a)
{
    double busy = p->op_setup_cycles, all_dma;
    pipe q = {.overlap = overlap};

    memset(a, 0, sizeof *a);
    for (uint64_t c0 = 0; c0 < g->chans; c0 += pl.pass_chans) {
        uint64_t c = min_u64(pl.pass_chans, g->chans - c0);

        busy += load_resident(p, op, c, a);
        a->n_passes++;
        for (uint64_t b = 0; b < g->batches; b++)
            for (uint64_t r0 = 0; r0 < g->rows; r0 += pl.tile_rows)
                run_tile(p, g, op, r0, min_u64(g->rows, r0 + pl.tile_rows), c, &q, a);
        busy += pipe_drain(&q);
    }
    all_dma = (double)a->dma_transfers * p->dma_setup_cycles +
              (double)a->dma_bytes / p->dma_bytes_per_cycle;
    a->dma_cycles = (uint64_t)ceil(all_dma);
    a->busy_cycles = (uint64_t)ceil(busy);
}

/* Double-buffered: the fastest of the largest tile that fits and its halvings (more, smaller
 * tiles shorten the pipeline's fill and drain but pay more DMA set-ups and halo rows). */
static void eval_double(const ts_target_dsp *p, const geom *g, const ts_dsp_op *op, plan pl,
                        ts_dsp_cost *best)
{
    ts_dsp_cost c;

    eval_plan(p, g, op, pl, true, best);
    for (pl.tile_rows /= 2; pl.tile_rows >= 1; pl.tile_rows /= 2) {
        eval_plan(p, g, op, pl, true, &c);
        if (c.busy_cycles < best->busy_cycles)
            *best = c;
    }
}

static bool shape_ok(const ts_dsp_op *op)
{
    const tsk_dims *d[3] = {&op->in, &op->out, &op->filter};
    bool windowed = is_conv_like(op->kind) || is_pool(op->kind);

    for (int i = 0; i < (windowed ? 3 : 2); i++)
        if (d[i]->n < 1 || d[i]->h < 1 || d[i]->w < 1 || d[i]->c < 1)
            return false;
    return !windowed || (op->stride.h >= 1 && op->stride.w >= 1 && op->dilation.h >= 1 &&
           op->dilation.w >= 1 && op->padding.h >= 0 && op->padding.w >= 0);
}

uint64_t ts_dsp_min_tile_bytes(const ts_target_dsp *p, const ts_dsp_op *op)
{
    geom g;
    uint64_t res[2], c;

    assert(p && op);
    if (!shape_ok(op) || !op_geom(p, op, &g))
        return 0;
    c = min_pass_chans(&g);
    resident_bytes(op, c, res);
    return res[0] + res[1] + tile_bytes(&g, op, 1, c);
}

bool ts_dsp_supports(const ts_target_dsp *p, const ts_dsp_op *op)
{
    uint64_t need = ts_dsp_min_tile_bytes(p, op);

    return need > 0 && need <= p->local_memory_bytes;
}

ts_status ts_dsp_estimate(const ts_target_dsp *p, const ts_dsp_op *op, ts_dsp_cost *cost,
                          ts_err *err)
{
    geom g;
    plan one, two;
    ts_dsp_cost single, dbl;

    assert(p && op && cost);
    if (!ts_dsp_supports(p, op) || !op_geom(p, op, &g) || !make_plan(p, &g, op, 1, &one))
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "op kind %d dtype %d: not supported by the "
                          "dsp unit (int8/int16 conv, depthwise, FC, pooling, ADD, MUL, SOFTMAX "
                          "whose minimal tile of %llu bytes fits %llu bytes of local memory)",
                          (int)op->kind, (int)op->dtype,
                          (unsigned long long)ts_dsp_min_tile_bytes(p, op),
                          (unsigned long long)p->local_memory_bytes);
    eval_plan(p, &g, op, one, false, &single);
    *cost = single;
    if (p->double_buffering && make_plan(p, &g, op, 2, &two)) {
        eval_double(p, &g, op, two, &dbl);
        if (dbl.busy_cycles <= single.busy_cycles)
            *cost = dbl;
    }
    return TS_OK;
}

ts_status ts_dsp_check(const ts_target_dsp *p, const char *source, ts_err *err)
{
    ts_dsp_op add = {.kind = TS_OP_ADD, .dtype = TS_DT_INT8};
    uint64_t need;

    assert(p && source);
    if (!p->present)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: units.dsp: missing (the dsp unit needs its "
                          "parameters)", source);
    if (!p->mac_lanes_int8 || !p->mac_lanes_int16 || !p->alu_lanes || !p->load_store_slots ||
        !p->slot_bytes)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: units.dsp: lanes, slots and slot bytes must "
                          "be >= 1 (got mac_lanes_int8 %u, mac_lanes_int16 %u, alu_lanes %u, "
                          "load_store_slots %u, slot_bytes %u)", source, p->mac_lanes_int8,
                          p->mac_lanes_int16, p->alu_lanes, p->load_store_slots, p->slot_bytes);
    if (!(p->dma_bytes_per_cycle > 0))
        return ts_err_set(err, TS_ERR_CONFIG, "%s: units.dsp.dma.bytes_per_cycle: expected > 0, "
                          "got %g", source, p->dma_bytes_per_cycle);
    add.in = add.in2 = add.out = (tsk_dims){1, 1, 1, (int32_t)p->alu_lanes};
    add.filter = (tsk_dims){1, 1, 1, 1};
    add.stride = add.dilation = (tsk_hw){1, 1};
    need = ts_dsp_min_tile_bytes(p, &add);
    if (p->local_memory_bytes < need)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: units.dsp.local_memory_bytes: smaller than "
                          "one tile of the smallest supported op, an int8 ADD of one %u-lane "
                          "vector (expected >= %llu, got %llu)", source, p->alu_lanes,
                          (unsigned long long)need, (unsigned long long)p->local_memory_bytes);
    return TS_OK;
}

uint64_t ts_dsp_core_cycles(const ts_target_dsp *p, uint64_t core_clock_hz, uint64_t unit_cycles)
{
    return ts_unit_core_cycles(p->clock_hz, core_clock_hz, unit_cycles);
}

void ts_dsp_op_from_ref(const ts_ref_op *r, ts_dsp_op *out)
{
    assert(r && out);
    memset(out, 0, sizeof *out);
    out->kind = r->kind;
    out->dtype = r->dtype;
    out->in = r->in_dims[0];
    out->in2 = r->in_dims[1];
    out->filter = r->in_dims[1];
    out->out = r->out_dims;
    out->stride = out->dilation = (tsk_hw){1, 1};
    out->has_bias = r->n_inputs > 2 && r->in[2] >= 0;
    if (r->kind == TS_OP_CONV_2D) {
        out->stride = r->p.conv.stride;
        out->padding = r->p.conv.padding;
        out->dilation = r->p.conv.dilation;
    } else if (r->kind == TS_OP_DEPTHWISE_CONV_2D) {
        out->stride = r->p.dw.stride;
        out->padding = r->p.dw.padding;
        out->dilation = r->p.dw.dilation;
    } else if (is_pool(r->kind)) {
        out->stride = r->p.pool.stride;
        out->padding = r->p.pool.padding;
        out->filter = (tsk_dims){1, r->p.pool.filter.h, r->p.pool.filter.w, 1};
    }
}
