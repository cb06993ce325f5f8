/* Tests for sim/mem's stream accounting: ts_mem_load_stream must count a strided run of loads
 * exactly as the same loads one by one (ts_mem_load_inline), for every stride sign, access
 * size and D-cache shape, including runs that start on a line already at MRU. */
#include <string.h>

#include "tests/unit/core/core_test.h"
#include "sim/mem/mem.h"

static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 17, *s ^= *s << 5;
    return *s;
}

/* Random streams inside flash region 0 of t, both ways, on two memories in lockstep. */
static void check_streams(const ts_target *t, const char *what)
{
    ts_mem *a = NULL, *b = NULL;
    uint32_t seed = 12345;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_mem_open(t, &a, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_mem_open(t, &b, &err), TS_OK, "%s", err.msg);
    ts_mem_region *ra = ts_mem_region_at(a, 0), *rb = ts_mem_region_at(b, 0);
    cr_assert(ra->cfg->kind == TS_MEM_FLASH);
    for (int trial = 0; trial < 3000; trial++) {
        static const uint32_t sizes[] = {1, 2, 4};
        uint32_t size = sizes[next_rand(&seed) % 3];
        int64_t stride = (int64_t)(next_rand(&seed) % 161) - 80;
        uint64_t n = 1 + next_rand(&seed) % 200;
        uint32_t addr = ra->base + 20000 + next_rand(&seed) % 4096;
        uint64_t s1 = 0, s2;

        if (trial % 7 == 0)
            stride = 0;
        for (uint64_t k = 0; k < n; k++)
            s1 += ts_mem_load_inline(ra, (uint32_t)((int64_t)addr + (int64_t)k * stride), size);
        s2 = ts_mem_load_stream(rb, addr, stride, n, size);
        cr_assert_eq(s1, s2, "%s: trial %d (addr 0x%x stride %lld n %llu size %u): stall %llu vs "
                     "stream %llu", what, trial, addr, (long long)stride, (unsigned long long)n,
                     size, (unsigned long long)s1, (unsigned long long)s2);
        cr_assert_eq(memcmp(&ra->n, &rb->n, sizeof ra->n), 0, "%s: trial %d: counters differ "
                     "(reads %llu vs %llu, hits %llu vs %llu)", what, trial,
                     (unsigned long long)ra->n.read_accesses,
                     (unsigned long long)rb->n.read_accesses,
                     (unsigned long long)ra->n.dcache_hits, (unsigned long long)rb->n.dcache_hits);
        cr_assert_eq(ra->last_dtag, rb->last_dtag, "%s: trial %d: last line", what, trial);
    }
    if (ra->cfg->wait_states)
        cr_expect_gt(ra->n.stall_cycles, 0, "%s: the streams never stalled", what);
    else
        cr_expect_eq(ra->n.stall_cycles, 0, "%s: stalls without wait states", what);
    if (ra->cfg->dcache_lines)
        cr_expect_gt(ra->n.dcache_hits, 0, "%s: no D-cache hit counted", what);
    cr_expect_gt(ra->n.read_accesses, 0, "%s: no reads counted", what);
    ts_mem_close(a);
    ts_mem_close(b);
}

Test(mem, load_stream_counts_like_single_loads)
{
    ts_target t = load_target("cortex-m4", false);

    check_streams(&t, "cortex-m4 flash (ART-like D-cache)");
    set_key(&t, "memory[0].cache.dcache_lines", "12");
    check_streams(&t, "3-set D-cache");
    set_key(&t, "memory[0].cache.dcache_lines", "0");
    check_streams(&t, "no D-cache");
    set_key(&t, "memory[0].wait_states", "0");
    check_streams(&t, "zero wait states");
    set_key(&t, "memory[0].cache.dcache_lines", "8"); /* looked up at 0 wait states too */
    check_streams(&t, "zero wait states, D-cache");
}

/* A repeated fetch delta applied n times adds n times what one fetch added. */
Test(mem, fetch_repeat_adds_the_delta_n_times)
{
    ts_target t = load_target("cortex-m4", false);
    ts_mem *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_mem_open(&t, &m, &err), TS_OK, "%s", err.msg);
    ts_mem_region *r = ts_mem_region_at(m, 0);
    ts_mem_counters before;
    ts_mem_fetch(r, r->base + 0x100, 64);
    before = r->n;
    uint32_t stall = ts_mem_fetch(r, r->base + 0x100, 64);
    ts_mem_fetch_delta d = ts_mem_fetch_delta_since(r, &before);
    cr_expect_eq(d.fetch_bytes, 64);
    cr_expect_eq(d.stall_cycles, stall);
    before = r->n;
    ts_mem_fetch_repeat(r, &d, 5);
    cr_expect_eq(r->n.fetch_bytes - before.fetch_bytes, 5 * 64);
    cr_expect_eq(r->n.fetch_accesses - before.fetch_accesses, 5ull * d.fetch_accesses);
    cr_expect_eq(r->n.icache_hits - before.icache_hits, 5ull * d.icache_hits);
    ts_mem_close(m);
}
