/* mem.c: memory regions, lookup, counters and the flash line-buffer/cache timing model.
 * Layer: sim/mem. No Unicorn, no printing. Model (NUMBERS.md 2.6, "modelling guidance"):
 * - fetch: each instruction line missing in the I-cache costs the region's wait_states, unless
 *   prefetch is on and the line follows the previous fetched line (sequential prefetch hides it);
 *   without an I-cache the last fetched line acts as a one-line buffer;
 * - load: each access missing in the D-cache costs wait_states; without a D-cache, every access;
 * - store: wait_states per access (no write buffer modelled).
 * Caches are LRU, tags only, and looked up whenever the region has one, also at zero wait
 * states (a flash accelerator stays on at low clocks: its hits and line fills are what the
 * energy model charges); the stalls come from the wait states alone. Not modelled: flash-bank interleaving, cache fill latency beyond the
 * wait states, contention between fetch and data on the same bus. */
#include "mem.h"

#include <assert.h>
#include <string.h>

#include "base/alloc.h"

struct ts_mem {
    unsigned n_regions;
    ts_mem_region regions[TS_TARGET_MAX_REGIONS];
};

static uint32_t log2_u32(uint32_t v)
{
    uint32_t s = 0;

    while ((1u << s) < v)
        s++;
    return s;
}

static bool cache_init(ts_mem_cache *c, uint32_t lines, uint32_t ways, uint32_t line_bytes)
{
    memset(c, 0, sizeof *c);
    if (lines == 0)
        return true;
    c->ways = ways ? ways : 1;
    c->n_sets = lines / c->ways;
    c->line_shift = log2_u32(line_bytes);
    c->set_pow2 = c->n_sets && (c->n_sets & (c->n_sets - 1)) == 0;
    c->set_mask = c->n_sets - 1;
    c->tags = ts_calloc(lines, sizeof c->tags[0]);
    return c->tags != NULL;
}

bool ts_mem_cache_access(ts_mem_cache *c, uint32_t line)
{
    uint32_t set_i = c->set_pow2 ? line & c->set_mask : line % c->n_sets;
    uint32_t *set = c->tags + (size_t)set_i * c->ways;
    uint32_t tag = line + 1, i;

    if (set[0] == tag) /* already MRU */
        return true;
    for (i = 1; i < c->ways && set[i] != tag; i++)
        ;
    bool hit = i < c->ways;
    if (!hit)
        i = c->ways - 1;
    memmove(set + 1, set, i * sizeof set[0]);
    set[0] = tag;
    return hit;
}

ts_status ts_mem_open(const ts_target *t, ts_mem **out, ts_err *err)
{
    ts_mem *m = ts_calloc(1, sizeof *m);

    *out = NULL;
    if (!m)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory (memory regions)", t->name);
    for (unsigned i = 0; i < t->n_regions; i++) {
        const ts_target_region *cfg = &t->regions[i];
        ts_mem_region *r = &m->regions[i];

        m->n_regions = i + 1;
        r->cfg = cfg;
        r->base = (uint32_t)cfg->base;
        r->end = cfg->base + cfg->size_bytes;
        r->probed = cfg->wait_states > 0 || cfg->icache_lines || cfg->dcache_lines;
        r->last_line = UINT32_MAX;
        r->line_shift = log2_u32(cfg->line_bytes);
        r->host = ts_calloc(1, (size_t)cfg->size_bytes);
        if (!r->host ||
            !cache_init(&r->icache, cfg->icache_lines, cfg->ways, cfg->line_bytes) ||
            !cache_init(&r->dcache, cfg->dcache_lines, cfg->ways, cfg->line_bytes)) {
            ts_mem_close(m);
            return ts_err_set(err, TS_ERR_NOMEM, "%s: memory[%u] (%s): out of memory (%llu bytes)",
                              t->name, i, cfg->name, (unsigned long long)cfg->size_bytes);
        }
    }
    *out = m;
    return TS_OK;
}

void ts_mem_close(ts_mem *m)
{
    if (!m)
        return;
    for (unsigned i = 0; i < m->n_regions; i++) {
        ts_free(m->regions[i].host);
        ts_free(m->regions[i].icache.tags);
        ts_free(m->regions[i].dcache.tags);
    }
    ts_free(m);
}

unsigned ts_mem_n_regions(const ts_mem *m)
{
    return m->n_regions;
}

ts_mem_region *ts_mem_region_at(ts_mem *m, unsigned i)
{
    assert(i < m->n_regions);
    return &m->regions[i];
}

int ts_mem_find(const ts_mem *m, uint64_t addr)
{
    for (unsigned i = 0; i < m->n_regions; i++)
        if (addr >= m->regions[i].base && addr < m->regions[i].end)
            return (int)i;
    return -1;
}

/* The host bytes of [addr, addr+n), which must lie inside one region; NULL (error set) else. */
static uint8_t *span_bytes(ts_mem *m, uint64_t addr, size_t n, const char *what, ts_err *err)
{
    int i = ts_mem_find(m, addr);

    if (i < 0 || n > m->regions[i].end - addr) {
        ts_err_set(err, TS_ERR_RANGE, "%s: [0x%llx, 0x%llx) does not fit in one memory region "
                   "of the target", what, (unsigned long long)addr,
                   (unsigned long long)(addr + n));
        return NULL;
    }
    return m->regions[i].host + (addr - m->regions[i].base);
}

ts_status ts_mem_write(ts_mem *m, uint64_t addr, const void *src, size_t n, const char *what,
                       ts_err *err)
{
    uint8_t *p = span_bytes(m, addr, n, what, err);

    if (!p)
        return TS_ERR_RANGE;
    memcpy(p, src, n);
    return TS_OK;
}

ts_status ts_mem_read(ts_mem *m, uint64_t addr, void *dst, size_t n, const char *what,
                      ts_err *err)
{
    const uint8_t *p = span_bytes(m, addr, n, what, err);

    if (!p)
        return TS_ERR_RANGE;
    memcpy(dst, p, n);
    return TS_OK;
}

void ts_mem_reset_counters(ts_mem *m)
{
    for (unsigned i = 0; i < m->n_regions; i++) {
        ts_mem_region *r = &m->regions[i];
        const ts_target_region *cfg = r->cfg;

        memset(&r->n, 0, sizeof r->n);
        r->last_line = UINT32_MAX;
        r->last_dtag = 0;
        if (r->icache.tags)
            memset(r->icache.tags, 0, (size_t)cfg->icache_lines * sizeof r->icache.tags[0]);
        if (r->dcache.tags)
            memset(r->dcache.tags, 0, (size_t)cfg->dcache_lines * sizeof r->dcache.tags[0]);
    }
}

uint32_t ts_mem_fetch(ts_mem_region *r, uint32_t addr, uint32_t size_bytes)
{
    uint32_t wbytes = r->cfg->width_bits / 8;

    if (size_bytes == 0)
        return 0;
    return ts_mem_fetch_block(r, addr, size_bytes,
                              (addr + size_bytes - 1) / wbytes - addr / wbytes + 1);
}

uint32_t ts_mem_load(ts_mem_region *r, uint32_t addr, uint32_t size_bytes)
{
    bool hit;

    r->n.read_accesses++;
    r->n.read_bytes += size_bytes;
    if (!r->probed)
        return 0;
    if (r->dcache.n_sets) {
        hit = ts_mem_cache_access(&r->dcache, addr >> r->dcache.line_shift);
        r->last_dtag = (addr >> r->dcache.line_shift) + 1;
        r->n.dcache_hits += hit;
        r->n.dcache_misses += !hit;
        if (hit)
            return 0;
    }
    r->n.stall_cycles += r->cfg->wait_states;
    return r->cfg->wait_states;
}

uint64_t ts_mem_load_stream(ts_mem_region *r, uint32_t addr, int64_t stride, uint64_t n,
                            uint32_t size_bytes)
{
    uint64_t stall = 0, k = 0;
    uint32_t shift = r->dcache.line_shift;

    if (!r->probed || !r->dcache.n_sets) {
        uint64_t s = r->probed ? n * r->cfg->wait_states : 0;

        r->n.read_accesses += n;
        r->n.read_bytes += n * size_bytes;
        r->n.stall_cycles += s;
        return s;
    }
    while (k < n) {
        int64_t a = (int64_t)addr + (int64_t)k * stride;
        uint64_t line = (uint64_t)a >> shift, same;

        /* the first access to this line: the inline fast path or a full lookup */
        stall += ts_mem_load_inline(r, (uint32_t)a, size_bytes);
        /* the following accesses that stay in the line hit its MRU entry */
        if (stride == 0)
            same = n - k - 1;
        else if (stride > 0)
            same = (uint64_t)((int64_t)(((line + 1) << shift) - 1) - a) / (uint64_t)stride;
        else
            same = (uint64_t)(a - (int64_t)(line << shift)) / (uint64_t)-stride;
        if (same > n - k - 1)
            same = n - k - 1;
        r->n.read_accesses += same;
        r->n.read_bytes += same * size_bytes;
        r->n.dcache_hits += same;
        k += 1 + same;
    }
    return stall;
}

ts_mem_fetch_delta ts_mem_fetch_delta_since(const ts_mem_region *r, const ts_mem_counters *before)
{
    ts_mem_fetch_delta d;

#define TS_MEM_COUNTER(field, units, json_key, column, width, fetch, event, meaning) \
    TS_MEM_IF_FETCH_##fetch(d.field = (uint32_t)(r->n.field - before->field);)
#include "counters.def"
#undef TS_MEM_COUNTER
    return d;
}

void ts_mem_fetch_repeat(ts_mem_region *r, const ts_mem_fetch_delta *d, uint64_t n)
{
#define TS_MEM_COUNTER(field, units, json_key, column, width, fetch, event, meaning) \
    TS_MEM_IF_FETCH_##fetch(r->n.field += n * d->field;)
#include "counters.def"
#undef TS_MEM_COUNTER
}

static const ts_mem_counter_info counter_table[TS_MEM_N_COUNTERS] = {
#define TS_MEM_COUNTER(field, units, json_key, column, width, fetch, event, meaning) \
    {#field, units, json_key, column, width, fetch, event, meaning, offsetof(ts_mem_counters, field)},
#include "counters.def"
#undef TS_MEM_COUNTER
};

const ts_mem_counter_info *ts_mem_counter_at(unsigned i)
{
    assert(i < TS_MEM_N_COUNTERS);
    return &counter_table[i];
}

void ts_mem_counters_add(ts_mem_counters *sum, const ts_mem_counters *c)
{
#define TS_MEM_COUNTER(field, units, json_key, column, width, fetch, event, meaning) \
    sum->field += c->field;
#include "counters.def"
#undef TS_MEM_COUNTER
}

void ts_mem_counters_diff(ts_mem_counters *out, const ts_mem_counters *before,
                          const ts_mem_counters *after)
{
#define TS_MEM_COUNTER(field, units, json_key, column, width, fetch, event, meaning) \
    out->field = after->field - before->field;
#include "counters.def"
#undef TS_MEM_COUNTER
}

uint32_t ts_mem_store(ts_mem_region *r, uint32_t addr, uint32_t size_bytes)
{
    (void)addr;
    r->n.write_accesses++;
    r->n.write_bytes += size_bytes;
    if (!r->probed)
        return 0;
    r->n.stall_cycles += r->cfg->wait_states;
    return r->cfg->wait_states;
}

uint64_t ts_mem_store_n(ts_mem_region *r, uint64_t n, uint32_t size_bytes)
{
    uint64_t stall = r->probed ? n * r->cfg->wait_states : 0;

    r->n.write_accesses += n;
    r->n.write_bytes += n * size_bytes;
    r->n.stall_cycles += stall;
    return stall;
}
