/* mem.h: the memory system of an emulated target: regions (flash/SRAM/TCM) with host backing
 * buffers, region lookup, per-region traffic counters, and the flash line-buffer/cache model
 * (wait states, prefetch, set-associative LRU I/D caches). Layer: sim/mem.
 * No Unicorn calls here (sim/core maps the buffers); no printing. Timing functions only count:
 * they never touch the backing bytes. Not modelled: bus contention, write buffers, SRAM banks,
 * MMIO devices, caches in front of non-flash regions. */
#ifndef TS_MEM_H
#define TS_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "target/target.h"

/* What one count of a counter costs in energy (counters.def `event`; priced in sim/energy). */
typedef enum ts_mem_event {
    TS_MEM_EV_NONE,  /* no energy of its own (bytes, cycles, cache hits) */
    TS_MEM_EV_FETCH, /* one instruction fetch access: from the I-cache when the region has one
                        (and wait states), else from the region */
    TS_MEM_EV_LOAD,  /* one data load: from the D-cache when the region has one, else the region */
    TS_MEM_EV_WRITE, /* one write access of the region */
    TS_MEM_EV_IFILL, /* one I-cache line filled from the region */
    TS_MEM_EV_DFILL, /* one D-cache line filled from the region */
} ts_mem_event;

/* Traffic counters of one region, one uint64_t per row of counters.def. */
typedef struct ts_mem_counters {
#define TS_MEM_COUNTER(field, units, json_key, column, width, fetch, event, meaning) uint64_t field;
#include "counters.def"
#undef TS_MEM_COUNTER
} ts_mem_counters;

/* Index of each counter in the table (TS_MEM_CTR_fetch_accesses, ...). */
enum {
#define TS_MEM_COUNTER(field, units, json_key, column, width, fetch, event, meaning) \
    TS_MEM_CTR_##field,
#include "counters.def"
#undef TS_MEM_COUNTER
    TS_MEM_N_COUNTERS
};

/* One row of counters.def, with the member's offset in ts_mem_counters. */
typedef struct ts_mem_counter_info {
    const char *name;     /* the field name */
    const char *unit;     /* "accesses", "bytes", ... */
    const char *json_key; /* NULL: internal, not reported */
    const char *column;   /* text table header; NULL when width is 0 */
    int width;            /* text table column width, 0 = not shown */
    bool fetch;           /* changed by instruction fetch */
    ts_mem_event event;
    const char *meaning;
    size_t offset;        /* offsetof(ts_mem_counters, field) */
} ts_mem_counter_info;

/* Row i of counters.def (i < TS_MEM_N_COUNTERS); static storage. */
const ts_mem_counter_info *ts_mem_counter_at(unsigned i);

/* The value of counter ci in n. */
static inline uint64_t ts_mem_counter_get(const ts_mem_counters *n, const ts_mem_counter_info *ci)
{
    return *(const uint64_t *)(const void *)((const char *)n + ci->offset);
}

/* sum += c, counter by counter. */
void ts_mem_counters_add(ts_mem_counters *sum, const ts_mem_counters *c);

/* out = after - before, counter by counter (after counted on from before). */
void ts_mem_counters_diff(ts_mem_counters *out, const ts_mem_counters *before,
                          const ts_mem_counters *after);

/* A set-associative LRU cache of line tags (no data: timing only). */
typedef struct ts_mem_cache {
    uint32_t n_sets;     /* 0 = no cache */
    uint32_t ways;
    uint32_t line_shift; /* log2(line_bytes) */
    uint32_t set_mask;   /* n_sets - 1 */
    bool set_pow2;       /* n_sets is a power of two: set = line & set_mask */
    uint32_t *tags;      /* n_sets * ways entries, line number + 1, 0 = empty; MRU first */
} ts_mem_cache;

typedef struct ts_mem_region {
    const ts_target_region *cfg; /* borrowed from the target */
    uint32_t base;               /* first byte address */
    uint64_t end;                /* one past the last byte address */
    uint8_t *host;               /* backing bytes, zero-filled, owned by ts_mem */
    ts_mem_counters n;
    ts_mem_cache icache, dcache;
    uint32_t last_line; /* last instruction line fetched, for prefetch/line-buffer hits */
    uint32_t line_shift; /* log2(cfg->line_bytes): instruction lines for fetch timing */
    uint32_t last_dtag; /* D-cache line number + 1 of the last load (MRU of its set), 0 = none */
    bool probed;        /* wait states or a cache: fetches and loads are looked up */
} ts_mem_region;

typedef struct ts_mem ts_mem;

/* Creates the regions of target t (which must outlive the ts_mem). [out] out: NULL on failure.
 * Returns TS_OK or TS_ERR_NOMEM. */
ts_status ts_mem_open(const ts_target *t, ts_mem **out, ts_err *err);

/* NULL-safe. */
void ts_mem_close(ts_mem *m);

unsigned ts_mem_n_regions(const ts_mem *m);

/* Region i (i < ts_mem_n_regions), valid until ts_mem_close. */
ts_mem_region *ts_mem_region_at(ts_mem *m, unsigned i);

/* Index of the region holding addr, or -1. */
int ts_mem_find(const ts_mem *m, uint64_t addr);

/* Copies n bytes to/from [addr, addr+n), which must lie inside one region; `what` names the
 * data in messages ("program.elf: segment 1"). TS_ERR_RANGE otherwise. Not counted as traffic. */
ts_status ts_mem_write(ts_mem *m, uint64_t addr, const void *src, size_t n, const char *what,
                       ts_err *err);
ts_status ts_mem_read(ts_mem *m, uint64_t addr, void *dst, size_t n, const char *what,
                      ts_err *err);

/* Zeroes every counter and empties the caches. */
void ts_mem_reset_counters(ts_mem *m);

/* Timing: instructions [addr, addr+size_bytes) are fetched from r. Counts the fetch and
 * returns the wait-state stall cycles (0 for regions without wait states). */
uint32_t ts_mem_fetch(ts_mem_region *r, uint32_t addr, uint32_t size_bytes);

/* Looks line `line` up in c (n_sets > 0); on a miss inserts it. Moves it to MRU. True on a hit. */
bool ts_mem_cache_access(ts_mem_cache *c, uint32_t line);

/* ts_mem_fetch for a block whose bus accesses (n_accesses) are precomputed; size_bytes > 0.
 * Inline: a line already MRU of its I-cache set costs one compare. */
static inline uint32_t ts_mem_fetch_block(ts_mem_region *r, uint32_t addr, uint32_t size_bytes,
                                          uint32_t n_accesses)
{
    uint32_t first_line = addr >> r->line_shift;
    uint32_t n_lines = ((addr + size_bytes - 1) >> r->line_shift) - first_line + 1;
    uint32_t stall = 0;

    r->n.fetch_bytes += size_bytes;
    r->n.fetch_accesses += n_accesses;
    if (!r->probed)
        return 0;
    for (uint32_t line = first_line; line < first_line + n_lines; line++) {
        bool sequential = r->cfg->prefetch && line == r->last_line + 1, hit;

        if (r->icache.n_sets) {
            const ts_mem_cache *c = &r->icache;
            uint32_t set = c->set_pow2 ? line & c->set_mask : line % c->n_sets;

            hit = c->tags[(size_t)set * c->ways] == line + 1 || ts_mem_cache_access(&r->icache, line);
            r->n.icache_hits += hit;
            r->n.icache_misses += !hit;
        } else {
            hit = line == r->last_line;
        }
        r->last_line = line;
        stall += hit || sequential ? 0 : r->cfg->wait_states;
    }
    r->n.stall_cycles += stall;
    return stall;
}

/* Timing: the same instruction bytes (n_accesses bus accesses, n_lines I-cache lines) fetched
 * again right after themselves, nothing fetched in between: all cache hits. Returns 0. */
static inline uint32_t ts_mem_refetch(ts_mem_region *r, uint32_t size_bytes,
                                      uint32_t n_accesses, uint32_t n_lines)
{
    r->n.fetch_bytes += size_bytes;
    r->n.fetch_accesses += n_accesses;
    if (r->probed)
        r->n.icache_hits += n_lines;
    return 0;
}

/* Timing: a data load of size_bytes at addr from r. Counts it; returns stall cycles. */
uint32_t ts_mem_load(ts_mem_region *r, uint32_t addr, uint32_t size_bytes);

/* ts_mem_load with an inline fast path: a load from the D-cache line of the previous load
 * (the most recently used line of its set) is a hit and changes no cache state. */
static inline uint32_t ts_mem_load_inline(ts_mem_region *r, uint32_t addr, uint32_t size_bytes)
{
    if (r->last_dtag && (addr >> r->dcache.line_shift) + 1 == r->last_dtag) {
        r->n.read_accesses++;
        r->n.read_bytes += size_bytes;
        r->n.dcache_hits++;
        return 0;
    }
    return ts_mem_load(r, addr, size_bytes);
}

/* Timing: n loads of size_bytes at addr, addr + stride, ..., addr + (n - 1) * stride (no
 * wrap-around; the caller checks), counted exactly as n calls of ts_mem_load_inline in that
 * order would count them, in one step per D-cache line visited. Returns the stall cycles. */
uint64_t ts_mem_load_stream(ts_mem_region *r, uint32_t addr, int64_t stride, uint64_t n,
                            uint32_t size_bytes);

/* Counter deltas of a repeated instruction fetch (ts_mem_fetch_delta): the counters.def rows
 * with fetch = 1. */
#define TS_MEM_IF_FETCH_0(x)
#define TS_MEM_IF_FETCH_1(x) x
typedef struct ts_mem_fetch_delta {
#define TS_MEM_COUNTER(field, units, json_key, column, width, fetch, event, meaning) \
    TS_MEM_IF_FETCH_##fetch(uint32_t field;)
#include "counters.def"
#undef TS_MEM_COUNTER
} ts_mem_fetch_delta;

/* What the fetch between counters `before` and r's counters now added, as a delta. */
ts_mem_fetch_delta ts_mem_fetch_delta_since(const ts_mem_region *r, const ts_mem_counters *before);

/* Adds n times delta d to r's counters. */
void ts_mem_fetch_repeat(ts_mem_region *r, const ts_mem_fetch_delta *d, uint64_t n);

/* Timing: n data stores of size_bytes each to r, in one step (no cache is written: the order
 * and the addresses do not matter). Returns the stall cycles. */
uint64_t ts_mem_store_n(ts_mem_region *r, uint64_t n, uint32_t size_bytes);

/* Timing: a data store. Counts it; returns stall cycles (wait states unless a cache hits). */
uint32_t ts_mem_store(ts_mem_region *r, uint32_t addr, uint32_t size_bytes);

#endif
