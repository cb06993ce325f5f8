/* systolic_model.c: SCALE-Sim v2 semantics for an R x C systolic array, computed per fold
 * instead of cycle by cycle. Layer: sim/unit. Timing and access counts only: never a tensor
 * value, never prints. Every count below names the SCALE-Sim v2 source file whose behaviour
 * it reproduces (scalesim-project/scale-sim-v2, scalesim/...); where tinysim's figure can
 * differ from SCALE-Sim's, the comment says by how much and why.
 *
 * Cycles (compute/systolic_compute_{os,ws,is}.py): each fold is a block of demand lines, one
 * per cycle; SCALE-Sim's memory model (memory/double_buffered_scratchpad_mem.py) walks the
 * lines and reports the service cycle of the last ofmap line, so with no stall the total is
 * folds * lines_per_fold - 1. Lines per fold:
 *   os: T + R + C - 2   (T operand lines, C - 1 drain lines, R - 1 skew lines)
 *   ws, is: 2R + C + T - 2   (R weight/input load lines in front of the os figure)
 * The "folds overlap" is this: the paper's (2R + C + T - 2) per fold counts a load
 * phase the os demand matrices do not have.
 *
 * DRAM reads: in CALC mode SCALE-Sim (memory/read_buffer_estimate_bw.py) cuts each read
 * buffer into 100 sets of floor(words / 100) addresses; the demanded addresses, in demand
 * order, fill the sets, an address already in the sets filled since the last turnover is a
 * hit, and when the 50 sets of the active half are full they are all forgotten (a turnover).
 * Every insertion is a DRAM read. So: DRAM reads = insertions into an address set that is
 * emptied whenever it reaches E = 50 * floor(words / 100) addresses. tinysim keeps that set
 * as a bitmap over the operand's addresses and inserts each fold's block as address
 * intervals (an im2col window row is contiguous in the ifmap). The one approximation: SCALE-
 * Sim's demand order inside a fold is skewed (PE row r reads k = t - r at cycle t); tinysim
 * inserts window row by window row, pixel by pixel, so at a turnover the split of one fold's
 * addresses between the two sets can differ by a few wavefronts (well under 1 % of the reads
 * on the reference layers; see tests/unit/unit/test_systolic_model.c). */
#include "systolic_model.h"

#include <string.h>

#include "base/alloc.h"

/* SCALE-Sim's estimator: 100 sets per buffer, 50 of them active (single_layer_sim.py sets
 * active_buf_frac = 0.5; read_buffer_estimate_bw.py num_items_per_set = total / 100). */
#define SETS_PER_BUFFER 100u
#define ACTIVE_SETS 50u
/* CALC mode prefetches at 10 words/cycle for ifmap and filter and drains the ofmap at C
 * words/cycle ("The number 10 elems per cycle is arbitrary", single_layer_sim.py); they only
 * place the DRAM start/stop cycles of the detailed report. */
#define CALC_READ_BW_WORDS 10u

static const char *const dataflow_names[TS_SYSTOLIC_N_DATAFLOWS] = {"os", "ws", "is"};

const char *ts_systolic_dataflow_name(ts_systolic_dataflow df)
{
    return (unsigned)df < TS_SYSTOLIC_N_DATAFLOWS ? dataflow_names[df] : "?";
}

int ts_systolic_dataflow_parse(const char *s, ts_systolic_dataflow *out)
{
    for (unsigned i = 0; i < TS_SYSTOLIC_N_DATAFLOWS; i++)
        if (strcmp(s, dataflow_names[i]) == 0) {
            *out = (ts_systolic_dataflow)i;
            return 0;
        }
    return -1;
}

void ts_systolic_ctx_init(ts_systolic_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
}

void ts_systolic_ctx_fini(ts_systolic_ctx *ctx)
{
    if (!ctx)
        return;
    ts_free(ctx->bits[0]);
    ts_free(ctx->bits[1]);
    memset(ctx, 0, sizeof *ctx);
}

uint64_t ts_systolic_min_sram_words(const ts_systolic_array *a)
{
    uint64_t tile = 2u * (uint64_t)a->rows * a->cols; /* one R x C tile in each half */

    return tile > 2u * SETS_PER_BUFFER ? tile : 2u * SETS_PER_BUFFER;
}

static const char *const sram_keys[TS_SYS_N_OPERANDS] = {"IfmapSramSzkB", "FilterSramSzkB",
                                                         "OfmapSramSzkB"};

ts_status ts_systolic_array_check(const ts_systolic_array *a, const char **key, ts_err *err)
{
    uint64_t min = ts_systolic_min_sram_words(a);
    const char *dummy;

    if (!key)
        key = &dummy;
    if (a->rows < 1)
        return *key = "ArrayHeight",
               ts_err_set(err, TS_ERR_CONFIG, "field ArrayHeight: must be >= 1 (got %u)", a->rows);
    if (a->cols < 1)
        return *key = "ArrayWidth",
               ts_err_set(err, TS_ERR_CONFIG, "field ArrayWidth: must be >= 1 (got %u)", a->cols);
    for (int i = 0; i < TS_SYS_N_OPERANDS; i++)
        if (a->sram_words[i] < min)
            return *key = sram_keys[i],
                   ts_err_set(err, TS_ERR_CONFIG,
                              "field %s: buffer smaller than one %ux%u fold tile per half "
                              "(expected >= %llu words, got %llu)",
                              sram_keys[i], a->rows, a->cols, (unsigned long long)min,
                              (unsigned long long)a->sram_words[i]);
    if (!(a->bandwidth_words_per_cycle >= 0) ||
        (a->user_bandwidth && !(a->bandwidth_words_per_cycle > 0)))
        return *key = "Bandwidth",
               ts_err_set(err, TS_ERR_CONFIG, "field Bandwidth: must be %s words/cycle%s (got %g)",
                          a->user_bandwidth ? "> 0" : ">= 0",
                          a->user_bandwidth ? " with InterfaceBandwidth USER" : "",
                          a->bandwidth_words_per_cycle);
    return TS_OK;
}

/* Folds one evaluation walks at most (about a second of work). */
#define MAX_FOLDS 100000000u

/* Upper bound on every dimension: keeps all products below 2^63. */
#define MAX_DIM 1000000u

ts_status ts_systolic_layer_check(const ts_systolic_layer *l, ts_err *err)
{
    const struct { const char *name; uint32_t v; } f[] = {
        {"IFMAP Height", l->ifmap_h}, {"IFMAP Width", l->ifmap_w},
        {"Filter Height", l->filter_h}, {"Filter Width", l->filter_w},
        {"Channels", l->channels}, {"Num Filter", l->filters}, {"Strides", l->stride}};

    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].v < 1 || f[i].v > MAX_DIM)
            return ts_err_set(err, TS_ERR_RANGE, "field %s: must be in 1..%u (got %u)", f[i].name,
                              MAX_DIM, f[i].v);
    if (l->filter_h > l->ifmap_h)
        return ts_err_set(err, TS_ERR_RANGE,
                          "field Filter Height: larger than the ifmap (expected <= %u, got %u)",
                          l->ifmap_h, l->filter_h);
    if (l->filter_w > l->ifmap_w)
        return ts_err_set(err, TS_ERR_RANGE,
                          "field Filter Width: larger than the ifmap (expected <= %u, got %u)",
                          l->ifmap_w, l->filter_w);
    if ((uint64_t)l->ifmap_h * l->ifmap_w * l->channels > ((uint64_t)1 << 40) ||
        (uint64_t)l->filter_h * l->filter_w * l->channels * l->filters > ((uint64_t)1 << 40))
        return ts_err_set(err, TS_ERR_RANGE, "field Channels: tensors larger than 2^40 words");
    return TS_OK;
}

/* ---- geometry ---------------------------------------------------------------------- */

typedef struct geom {
    uint64_t ho, wo, m, k, n;     /* GEMM */
    uint64_t sr, sc, t;           /* spatial rows, spatial cols, streamed */
    uint64_t r, c;                /* array */
    uint64_t fr, fc;              /* folds */
    uint64_t last_r, last_c;      /* rows/cols used by the last row/col fold */
    uint64_t lines;               /* demand lines per fold */
} geom;

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

/* topology_utils.py: ofmap = ceil((H - Fh + S) / S), valid convolution. */
static void geom_init(geom *g, const ts_systolic_array *a, const ts_systolic_layer *l)
{
    g->ho = ceil_div((uint64_t)l->ifmap_h - l->filter_h + l->stride, l->stride);
    g->wo = ceil_div((uint64_t)l->ifmap_w - l->filter_w + l->stride, l->stride);
    g->m = g->ho * g->wo;
    g->k = (uint64_t)l->filter_h * l->filter_w * l->channels;
    g->n = l->filters;
    g->r = a->rows;
    g->c = a->cols;
    if (a->dataflow == TS_SYSTOLIC_OS) {
        g->sr = g->m, g->sc = g->n, g->t = g->k;
        g->lines = g->t + g->r + g->c - 2;
    } else {
        g->sr = g->k;
        g->sc = a->dataflow == TS_SYSTOLIC_WS ? g->n : g->m;
        g->t = a->dataflow == TS_SYSTOLIC_WS ? g->m : g->n;
        g->lines = 2 * g->r + g->c + g->t - 2;
    }
    g->fr = ceil_div(g->sr, g->r);
    g->fc = ceil_div(g->sc, g->c);
    g->last_r = g->sr - (g->fr - 1) * g->r;
    g->last_c = g->sc - (g->fc - 1) * g->c;
}

/* Compute utilisation and mapping efficiency: SCALE-Sim averages them over folds. The
 * utilisation's per-fold cycle count is the one its compute files use: lines for os, and
 * the filter (ws) or ifmap (is) demand block's rows + C - 1 = 2R + 2C + T - 3 for ws/is.
 * Summed fold by fold in SCALE-Sim's order and rounding, so the report digits agree. */
static void utilisation(const geom *g, ts_systolic_dataflow df, ts_systolic_result *o)
{
    uint64_t pes = g->r * g->c;
    uint64_t cyc = df == TS_SYSTOLIC_OS ? g->lines : 2 * g->r + 2 * g->c + g->t - 3;
    double map = 0, util = 0, folds = (double)(g->fr * g->fc);

    for (uint64_t fc = 0; fc < g->fc; fc++)
        for (uint64_t fr = 0; fr < g->fr; fr++) {
            uint64_t used = (fr + 1 == g->fr ? g->last_r : g->r) *
                            (fc + 1 == g->fc ? g->last_c : g->c);

            map += (double)used / (double)pes;
            util += (double)(used * g->t) / (double)(pes * cyc);
        }
    o->mapping_eff_pct = map / folds * 100.0;
    o->compute_util_pct = util / folds * 100.0;
}

/* SRAM access counts (compute/systolic_compute_*.py, the *_reads / ofmap_writes fields):
 * every demanded operand entry, including the out-of-ifmap (-1) ones of a window that
 * overhangs the ifmap. The os ofmap count adds R + C per fold: SCALE-Sim's os compute adds
 * the flipped demand block's shape[0] + shape[1] to ofmap_writes (a quirk; reproduced so
 * the reports agree, and left out of the DRAM writes, which count real outputs). */
static void sram_counts(const geom *g, ts_systolic_dataflow df, ts_systolic_result *o)
{
    uint64_t folds = g->fr * g->fc;

    if (df == TS_SYSTOLIC_OS) {
        o->sram_reads[0] = g->fc * g->t * g->sr;
        o->sram_reads[1] = g->fr * g->t * g->sc;
        o->sram_ofmap_writes = g->sr * g->sc + folds * (g->r + g->c);
        o->dram_ofmap_writes = g->sr * g->sc;
    } else if (df == TS_SYSTOLIC_WS) { /* ifmap streamed, filter stationary, psums per K-fold */
        o->sram_reads[0] = g->fc * g->t * g->sr;
        o->sram_reads[1] = g->sr * g->sc;
        o->sram_ofmap_writes = g->fr * g->t * g->sc;
        o->dram_ofmap_writes = o->sram_ofmap_writes;
    } else { /* is: ifmap stationary, filter streamed, partial sums per K-fold */
        o->sram_reads[0] = g->sr * g->sc;
        o->sram_reads[1] = g->fc * g->t * g->sr;
        o->sram_ofmap_writes = g->fr * g->t * g->sc;
        o->dram_ofmap_writes = o->sram_ofmap_writes;
    }
}

/* ---- the turnover set (read_buffer_estimate_bw.py semantics, see the file header) ---- */

typedef struct epoch {
    uint64_t *bits;
    uint64_t cap;            /* E: addresses before a turnover */
    uint64_t fill;           /* addresses in the set now */
    uint64_t misses;         /* insertions = DRAM reads */
    uint64_t turnovers;
    uint64_t dirty_lo, dirty_hi; /* bitmap words touched since the last turnover */
} epoch;

/* Bits set in v (SWAR; no dependency on a popcount instruction). */
static uint64_t popcount64(uint64_t v)
{
    v = v - ((v >> 1) & 0x5555555555555555u);
    v = (v & 0x3333333333333333u) + ((v >> 2) & 0x3333333333333333u);
    v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (v * 0x0101010101010101u) >> 56;
}

static void epoch_turnover(epoch *e)
{
    if (e->dirty_hi > e->dirty_lo)
        memset(e->bits + e->dirty_lo, 0, (size_t)(e->dirty_hi - e->dirty_lo) * 8u);
    e->dirty_lo = UINT64_MAX;
    e->dirty_hi = 0;
    e->fill = 0;
    e->turnovers++;
}

/* Inserts addresses [lo, hi) in increasing order. */
static void epoch_insert(epoch *e, uint64_t lo, uint64_t hi)
{
    while (lo < hi) {
        uint64_t w = lo >> 6, b = lo & 63, nb = 64 - b;

        if (nb > hi - lo)
            nb = hi - lo;
        uint64_t mask = (nb == 64 ? ~(uint64_t)0 : (((uint64_t)1 << nb) - 1)) << b;
        uint64_t fresh = ~e->bits[w] & mask;
        uint64_t cnt = popcount64(fresh), room = e->cap - e->fill;

        if (w < e->dirty_lo)
            e->dirty_lo = w;
        if (w + 1 > e->dirty_hi)
            e->dirty_hi = w + 1;
        if (cnt < room) {
            e->bits[w] |= fresh;
            e->fill += cnt;
            e->misses += cnt;
            lo += nb;
            continue;
        }
        for (uint64_t i = 1; i < room; i++)
            fresh &= fresh - 1;          /* drop the room-1 lowest new addresses */
        e->misses += room;               /* the room-th one completes the set */
        lo = (w << 6) + (uint64_t)__builtin_ctzll(fresh) + 1;
        epoch_turnover(e);
    }
}

/* One fold's ifmap block: output pixels [p0, p1) x window entries [k0, k1)
 * (operand_matrix.py: address = (iy * W + ix) * C + c, k = (ky * Fw + kx) * C + c; entries
 * outside the ifmap are -1 and never fetched). SCALE-Sim's skewed stream reads, at each
 * cycle, about the same k on every PE row, so the insertion order is k-major: one window
 * column (kx: C contiguous words) for every pixel, then the next. When a window row is short
 * (Fw * C <= 64 words) the skew spans it anyway and the whole row is one interval. */
static void ifmap_block(epoch *e, const geom *g, const ts_systolic_layer *l, uint64_t p0,
                        uint64_t p1, uint64_t k0, uint64_t k1)
{
    uint64_t ch = l->channels, fwc = (uint64_t)l->filter_w * ch, wc = (uint64_t)l->ifmap_w * ch;
    uint64_t step = fwc <= 64 ? fwc : ch;

    for (uint64_t q = k0 - k0 % step; q < k1; q += step) {
        uint64_t ky = q / fwc, col = q - ky * fwc; /* chunk [col, col + step) of row ky */
        uint64_t r_lo = k0 > q ? col + (k0 - q) : col;
        uint64_t r_hi = k1 < q + step ? col + (k1 - q) : col + step;
        uint64_t oy = p0 / g->wo, ox = p0 % g->wo, run_lo = 0, run_hi = 0;

        /* consecutive pixels of one output row give increasing, often touching intervals:
         * a touching one extends the pending run, which inserts the same addresses in the
         * same order as pixel by pixel, except that an overlap demanded again right after a
         * turnover is not fetched again (AlexNet Conv1: 20 reads of 527,063) */
        for (uint64_t p = p0; p < p1; p++) {
            uint64_t iy = oy * l->stride + ky, x0 = ox * l->stride;

            if (iy < l->ifmap_h && x0 < l->ifmap_w) {
                uint64_t lim = (l->ifmap_w - x0) * ch, hi = r_hi < lim ? r_hi : lim;
                uint64_t base = iy * wc + x0 * ch;

                if (r_lo < hi && base + r_lo <= run_hi && base + r_lo >= run_lo) {
                    if (base + hi > run_hi)
                        run_hi = base + hi;
                } else if (r_lo < hi) {
                    epoch_insert(e, run_lo, run_hi);
                    run_lo = base + r_lo, run_hi = base + hi;
                }
            }
            if (++ox == g->wo)
                ox = 0, oy++;
        }
        epoch_insert(e, run_lo, run_hi);
    }
}

/* One fold's filter block: window entries [k0, k1) x filters [n0, n1)
 * (operand_matrix.py: address = n * K + k). */
static void filter_block(epoch *e, const geom *g, uint64_t k0, uint64_t k1, uint64_t n0,
                         uint64_t n1)
{
    for (uint64_t n = n0; n < n1; n++)
        epoch_insert(e, n * g->k + k0, n * g->k + k1);
}

/* ---- stalls with a user bandwidth ------------------------------------------------------
 * Double buffering at fold granularity (memory/double_buffered_scratchpad_mem.py): fold f's
 * new DRAM words are fetched, at the bandwidth, while fold f-1 computes (not before fold f-1
 * starts, nor before fold f-1's own fetch ends); fold f starts when its data is in and when
 * the ofmap half it writes has drained (fold f-2's outputs). Fold 0's data is fetched before
 * cycle 0, as SCALE-Sim's prefetch_active_buffer does at negative cycles. The stalls of a
 * fold are the cycles it starts late; ifmap, filter and ofmap run in parallel (one port each,
 * each at the user bandwidth, as single_layer_sim.py gives every buffer bws[0]), so the
 * largest wins, as in SCALE-Sim's max(ifmap, filter, ofmap) stall per line. [assumption]
 * SCALE-Sim's own user-bandwidth buffer (read_buffer.py) refills in half-buffer chunks on a
 * miss; this model spreads the same words over the previous fold, so with a tight bandwidth
 * its stall count is the fold-level one, not SCALE-Sim's line-level one. */
typedef struct pace {
    double bw;                 /* words per cycle; 0 = CALC (no stalls) */
    uint64_t lines;
    uint64_t start;            /* start cycle of the current fold */
    uint64_t fetch_end[2];
    uint64_t drain_end[2];     /* ofmap drains of the previous two folds */
    uint64_t stalls;
} pace;

static uint64_t transfer_cycles(uint64_t words, double bw)
{
    double c = (double)words / bw;
    uint64_t u = (uint64_t)c;

    return (double)u < c ? u + 1 : u;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static void pace_fold(pace *p, uint64_t fold, const uint64_t fetch[2], uint64_t writes)
{
    if (p->bw <= 0)
        return;
    if (fold > 0) {
        uint64_t prev = p->start, s = prev + p->lines;

        for (int op = 0; op < 2; op++) {
            uint64_t fs = max_u64(p->fetch_end[op], prev);

            p->fetch_end[op] = fs + transfer_cycles(fetch[op], p->bw);
            s = max_u64(s, p->fetch_end[op]);
        }
        s = max_u64(s, p->drain_end[1]);
        p->stalls += s - (prev + p->lines);
        p->start = s;
    }
    p->drain_end[1] = p->drain_end[0];
    p->drain_end[0] = max_u64(p->start + p->lines, p->drain_end[0]) +
                      transfer_cycles(writes, p->bw);
}

/* ---- the fold walk ------------------------------------------------------------------- */

typedef struct walk {
    epoch ep[2];
    uint64_t key[2][4];        /* last block of each operand, and the turnovers before it */
    uint64_t key_turnovers[2];
    int have_key[2];
    int64_t last_turnover_cycle[2];
    uint64_t ofmap_cum, ofmap_first_drain; /* ofmap words so far; cycle of the first drain */
    int ofmap_drained;
} walk;

/* Inserts one operand's block unless it repeats the previous block and no turnover came
 * since that one started (then every address is still in the set: all hits). */
static uint64_t walk_block(walk *w, int op, const geom *g, const ts_systolic_layer *l,
                           const uint64_t key[4])
{
    epoch *e = &w->ep[op];
    uint64_t before = e->misses, turn = e->turnovers;

    if (w->have_key[op] && memcmp(w->key[op], key, sizeof w->key[op]) == 0 &&
        w->key_turnovers[op] == turn)
        return 0;
    if (op == TS_SYS_IFMAP)
        ifmap_block(e, g, l, key[0], key[1], key[2], key[3]);
    else
        filter_block(e, g, key[0], key[1], key[2], key[3]);
    memcpy(w->key[op], key, sizeof w->key[op]);
    w->key_turnovers[op] = turn;
    w->have_key[op] = 1;
    return e->misses - before;
}

/* The blocks of fold (fr, fc): ifmap {p0, p1, k0, k1}, filter {k0, k1, n0, n1}. */
static void fold_blocks(const geom *g, ts_systolic_dataflow df, uint64_t fr, uint64_t fc,
                        uint64_t kif[4], uint64_t kfl[4])
{
    uint64_t r0 = fr * g->r, r1 = r0 + (fr + 1 == g->fr ? g->last_r : g->r);
    uint64_t c0 = fc * g->c, c1 = c0 + (fc + 1 == g->fc ? g->last_c : g->c);

    if (df == TS_SYSTOLIC_OS) {        /* rows = pixels, cols = filters, stream = K */
        kif[0] = r0, kif[1] = r1, kif[2] = 0, kif[3] = g->k;
        kfl[0] = 0, kfl[1] = g->k, kfl[2] = c0, kfl[3] = c1;
    } else if (df == TS_SYSTOLIC_WS) { /* rows = K, cols = filters, stream = pixels */
        kif[0] = 0, kif[1] = g->m, kif[2] = r0, kif[3] = r1;
        kfl[0] = r0, kfl[1] = r1, kfl[2] = c0, kfl[3] = c1;
    } else {                           /* rows = K, cols = pixels, stream = filters */
        kif[0] = c0, kif[1] = c1, kif[2] = r0, kif[3] = r1;
        kfl[0] = r0, kfl[1] = r1, kfl[2] = 0, kfl[3] = g->n;
    }
}

/* Output words fold (fr, fc) writes: the R x C results (os) or T x C partial sums. */
static uint64_t fold_writes(const geom *g, ts_systolic_dataflow df, uint64_t fr, uint64_t fc)
{
    uint64_t ur = fr + 1 == g->fr ? g->last_r : g->r, uc = fc + 1 == g->fc ? g->last_c : g->c;

    return df == TS_SYSTOLIC_OS ? ur * uc : g->t * uc;
}

static void walk_folds(walk *w, pace *p, const geom *g, const ts_systolic_array *a,
                       const ts_systolic_layer *l, ts_systolic_result *o)
{
    uint64_t fold = 0, half_o = a->sram_words[TS_SYS_OFMAP] / 2;

    for (uint64_t fc = 0; fc < g->fc; fc++)
        for (uint64_t fr = 0; fr < g->fr; fr++, fold++) {
            uint64_t kb[2][4], got[2], t0[2] = {w->ep[0].turnovers, w->ep[1].turnovers};
            uint64_t wr = fold_writes(g, a->dataflow, fr, fc);

            fold_blocks(g, a->dataflow, fr, fc, kb[0], kb[1]);
            for (int op = 0; op < 2; op++)
                got[op] = walk_block(w, op, g, l, kb[op]);
            pace_fold(p, fold, got, wr);
            uint64_t start = p->bw > 0 ? p->start : fold * g->lines;

            for (int op = 0; op < 2; op++) {
                if (w->ep[op].turnovers != t0[op])
                    w->last_turnover_cycle[op] = (int64_t)(start + g->lines / 2);
                if (fold > 0 && (double)got[op] / (double)g->lines > o->peak_dram_bw[op])
                    o->peak_dram_bw[op] = (double)got[op] / (double)g->lines;
            }
            if ((double)wr / (double)g->lines > o->peak_dram_bw[TS_SYS_OFMAP])
                o->peak_dram_bw[TS_SYS_OFMAP] = (double)wr / (double)g->lines;
            w->ofmap_cum += wr;
            if (!w->ofmap_drained && w->ofmap_cum > half_o) {
                w->ofmap_drained = 1;
                w->ofmap_first_drain = start + g->lines - 1;
            }
        }
}

/* Grows ctx's bitmap for operand op to cover `addrs` addresses. */
static ts_status bitmap_reserve(ts_systolic_ctx *ctx, int op, uint64_t addrs, ts_err *err)
{
    uint64_t words = addrs / 64 + 1;

    if (words > ctx->bits_words[op]) {
        size_t bytes;
        uint64_t *nb;

        if (!ts_mul_size((size_t)words, 8u, &bytes) || !(nb = ts_realloc(ctx->bits[op], bytes)))
            return ts_err_set(err, TS_ERR_NOMEM,
                              "systolic: %llu-word bitmap: out of memory",
                              (unsigned long long)words);
        ctx->bits[op] = nb;
        ctx->bits_words[op] = words;
    }
    memset(ctx->bits[op], 0, (size_t)words * 8u);
    return TS_OK;
}

/* The detailed report's start/stop cycles. These are tinysim's estimates of where SCALE-Sim
 * puts them (the agreement test does not check them):
 * - SRAM: reads start at cycle 1 (hit latency 1) and stop at the last demand line of the
 *   last fold; ofmap writes start after the first fold's T - 1 (os) or 2R - 1 (ws, is)
 *   prefix lines and stop at the last cycle.
 * - DRAM reads (read_buffer_estimate_bw.py): the first set of the active half is fetched
 *   before cycle 0 at the prefetch bandwidth; the last fetch ends at the last turnover
 *   (cycle -1 when there is none).
 * - DRAM writes (write_buffer.py): the first drain when the written words exceed the active
 *   half; the last drain, of what remains, after the last cycle at the drain bandwidth. */
static void report_cycles(const walk *w, const geom *g, const ts_systolic_array *a,
                          ts_systolic_result *o)
{
    int os = a->dataflow == TS_SYSTOLIC_OS, is = a->dataflow == TS_SYSTOLIC_IS;
    int64_t last = (int64_t)(o->total_cycles - g->lines + 1); /* last fold's start */
    double rbw = a->user_bandwidth ? a->bandwidth_words_per_cycle : CALC_READ_BW_WORDS;
    double wbw = a->user_bandwidth ? a->bandwidth_words_per_cycle : (double)a->cols;
    uint64_t half_o = a->sram_words[TS_SYS_OFMAP] / 2;

    o->sram_start_cycle[0] = o->sram_start_cycle[1] = 1;
    o->sram_stop_cycle[0] = last + (int64_t)(os ? g->t + g->last_r - 1
                                             : is ? g->r : g->r + g->t + g->last_r - 1);
    o->sram_stop_cycle[1] = last + (int64_t)(os ? g->t + g->last_c - 1
                                             : is ? g->r + g->t + g->last_r - 1 : g->r);
    o->sram_start_cycle[2] = (int64_t)(os ? g->t - 1 + (g->r - (g->fr > 1 ? g->r : g->last_r))
                                          : 2 * g->r - 1);
    o->sram_stop_cycle[2] = (int64_t)o->total_cycles;
    for (int op = 0; op < 2; op++) {
        const epoch *e = &w->ep[op];
        uint64_t first = e->turnovers ? e->cap : e->misses;

        o->dram_start_cycle[op] = -(int64_t)transfer_cycles(first, rbw);
        o->dram_stop_cycle[op] = e->turnovers ? w->last_turnover_cycle[op] : -1;
    }
    uint64_t rem = o->dram_ofmap_writes % (half_o ? half_o : 1);

    if (rem == 0 && o->dram_ofmap_writes)
        rem = half_o;
    o->dram_start_cycle[2] = (int64_t)(w->ofmap_drained ? w->ofmap_first_drain : o->total_cycles);
    o->dram_stop_cycle[2] = (int64_t)o->total_cycles + (int64_t)transfer_cycles(rem, wbw) - 1;
}

static void report_bandwidths(ts_systolic_result *o)
{
    double cyc = (double)o->total_cycles;
    uint64_t dram[TS_SYS_N_OPERANDS] = {o->dram_reads[0], o->dram_reads[1], o->dram_ofmap_writes};

    o->avg_sram_bw[0] = (double)o->sram_reads[0] / cyc;
    o->avg_sram_bw[1] = (double)o->sram_reads[1] / cyc;
    o->avg_sram_bw[2] = (double)o->sram_ofmap_writes / cyc;
    for (int op = 0; op < TS_SYS_N_OPERANDS; op++) {
        int64_t span = o->dram_stop_cycle[op] - o->dram_start_cycle[op] + 1;

        o->avg_dram_bw[op] = span > 0 ? (double)dram[op] / (double)span : 0.0;
    }
}

ts_status ts_systolic_eval(ts_systolic_ctx *ctx, const ts_systolic_array *a,
                           const ts_systolic_layer *l, ts_systolic_result *out, ts_err *err)
{
    geom g;
    walk w;
    pace p;
    ts_systolic_result o;
    ts_status st;

    memset(&o, 0, sizeof o);
    memset(&w, 0, sizeof w);
    memset(&p, 0, sizeof p);
    geom_init(&g, a, l);
    if (g.fr * g.fc > MAX_FOLDS) /* the fold walk is linear in folds: bound the work */
        return ts_err_set(err, TS_ERR_RANGE, "layer: %llu folds on a %ux%u array (expected <= "
                          "%llu)", (unsigned long long)(g.fr * g.fc), a->rows, a->cols,
                          (unsigned long long)MAX_FOLDS);
    if ((st = bitmap_reserve(ctx, 0, (uint64_t)l->ifmap_h * l->ifmap_w * l->channels, err)) ||
        (st = bitmap_reserve(ctx, 1, g.k * g.n, err)))
        return st;
    for (int op = 0; op < 2; op++) {
        w.ep[op].bits = ctx->bits[op];
        w.ep[op].cap = ACTIVE_SETS * (a->sram_words[op] / SETS_PER_BUFFER);
        w.ep[op].dirty_lo = UINT64_MAX;
    }
    p.bw = a->user_bandwidth ? a->bandwidth_words_per_cycle : 0.0;
    p.lines = g.lines;
    o.gemm_m = g.m, o.gemm_n = g.n, o.gemm_k = g.k, o.macs = g.m * g.n * g.k;
    o.row_folds = g.fr, o.col_folds = g.fc, o.fold_cycles = g.lines;
    utilisation(&g, a->dataflow, &o);
    sram_counts(&g, a->dataflow, &o);
    walk_folds(&w, &p, &g, a, l, &o);
    o.dram_reads[0] = w.ep[0].misses;
    o.dram_reads[1] = w.ep[1].misses;
    o.stall_cycles = p.stalls;
    o.total_cycles = g.fr * g.fc * g.lines - 1 + p.stalls;
    o.overall_util_pct = 100.0 * (double)o.macs /
                         ((double)o.total_cycles * (double)a->rows * (double)a->cols);
    report_cycles(&w, &g, a, &o);
    report_bandwidths(&o);
    *out = o;
    return TS_OK;
}

void ts_systolic_result_repeat(ts_systolic_result *o, uint32_t n)
{
    uint64_t one = o->total_cycles + 1; /* demand lines of one run, stalls included */
    int64_t shift = (int64_t)(one * (n - 1));

    if (n <= 1)
        return;
    o->macs *= n;
    o->total_cycles = one * n - 1;
    o->stall_cycles *= n;
    o->sram_reads[0] *= n, o->sram_reads[1] *= n, o->sram_ofmap_writes *= n;
    o->dram_reads[0] *= n, o->dram_reads[1] *= n, o->dram_ofmap_writes *= n;
    for (int op = 0; op < TS_SYS_N_OPERANDS; op++) {
        o->sram_stop_cycle[op] += shift;
        o->dram_stop_cycle[op] += o->dram_stop_cycle[op] >= 0 ? shift : 0;
    }
    report_bandwidths(o);
}
