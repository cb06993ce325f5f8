/* Tests for the hook-free flash load accounting (core.c replays the loads decode.c tracked from
 * each block's entry registers; blocks with untracked addresses get code hooks on their loads):
 * it must give the same flash reads, D-cache hits/misses and stall cycles as the exact path
 * (exact_mem: Unicorn memory hooks on every region). */
#include <string.h>

#include "core_test.h"

static ts_core_stats run_cfg(const ts_target *t, const char *fw, bool exact)
{
    ts_core_config cfg = {.exact_mem = exact};

    return run_fw_cfg(t, fw, &cfg);
}

/* Runs fw both ways on t and compares cycles and the flash region's read traffic. */
static void expect_same_flash_reads(const ts_target *t, const char *fw, const char *what)
{
    ts_core_stats a = run_cfg(t, fw, false), e = run_cfg(t, fw, true);
    unsigned n_flash = 0;

    cr_expect_eq(a.insns, e.insns, "%s %s: insns", fw, what);
    cr_expect_eq(a.cycles, e.cycles, "%s %s: cycles %llu vs exact %llu", fw, what,
                 (unsigned long long)a.cycles, (unsigned long long)e.cycles);
    cr_expect_eq(a.mem_stall_cycles, e.mem_stall_cycles, "%s %s: stalls %llu vs exact %llu", fw,
                 what, (unsigned long long)a.mem_stall_cycles,
                 (unsigned long long)e.mem_stall_cycles);
    for (unsigned i = 0; i < t->n_regions; i++) {
        const ts_mem_counters *x = &a.region[i], *y = &e.region[i];

        if (t->regions[i].kind != TS_MEM_FLASH)
            continue;
        n_flash++;
        cr_expect_gt(y->read_accesses, 0, "%s %s: no flash reads at all", fw, what);
        cr_expect_eq(x->read_accesses, y->read_accesses, "%s %s: flash reads %llu vs exact %llu",
                     fw, what, (unsigned long long)x->read_accesses,
                     (unsigned long long)y->read_accesses);
        cr_expect_eq(x->read_bytes, y->read_bytes, "%s %s: flash read bytes", fw, what);
        cr_expect_eq(x->dcache_hits, y->dcache_hits, "%s %s: D-cache hits", fw, what);
        cr_expect_eq(x->dcache_misses, y->dcache_misses, "%s %s: D-cache misses", fw, what);
        cr_expect_eq(x->stall_cycles, y->stall_cycles, "%s %s: flash stall cycles", fw, what);
    }
    cr_expect_eq(n_flash, 1);
}

Test(loads, tracked_accounting_matches_exact_hooks_on_flash_weight_firmware)
{
    ts_target t = load_target("cortex-m4", false);

    expect_same_flash_reads(&t, "dot_small", "(D-cache)");
    expect_same_flash_reads(&t, "dot_mid", "(D-cache)");
}

Test(loads, tracked_accounting_matches_exact_hooks_on_every_load_form)
{
    ts_target t = load_target("cortex-m4", false);

    expect_same_flash_reads(&t, "loads", "(D-cache)");
    /* 3 sets: not a power of two; without a D-cache every flash load stalls */
    set_key(&t, "memory[0].cache.dcache_lines", "12");
    expect_same_flash_reads(&t, "loads", "(3-set D-cache)");
    set_key(&t, "memory[0].cache.dcache_lines", "0");
    expect_same_flash_reads(&t, "loads", "(no D-cache)");
    expect_same_flash_reads(&t, "dot_mid", "(no D-cache)");
}

/* A block that runs again right after itself is accounted in one step when the run ends
 * (core.c settle_run): every counter must equal accounting each run at its block hook. */
static void expect_same_as_per_block(const ts_target *t, const char *fw, bool exact)
{
    ts_core_config cfg = {.exact_mem = exact}, per = {.exact_mem = exact, .per_block = true};
    char path[512];
    ts_core_stats a, b;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, fw);
    cr_assert_eq(ts_exec_file(t, path, &cfg, &a, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_exec_file(t, path, &per, &b, &err), TS_OK, "%s", err.msg);
    cr_assert(a.exited && b.exited);
    cr_expect_gt(a.insns, 0, "%s on %s: nothing ran", fw, t->name);
    cr_expect_eq(a.cycles, b.cycles, "%s on %s: cycles %llu vs per block %llu", fw, t->name,
                 (unsigned long long)a.cycles, (unsigned long long)b.cycles);
    cr_expect_eq(a.insns, b.insns, "%s on %s: insns", fw, t->name);
    cr_expect_eq(a.blocks, b.blocks, "%s on %s: blocks", fw, t->name);
    cr_expect_eq(a.taken_branches, b.taken_branches, "%s on %s: taken branches", fw, t->name);
    cr_expect_eq(a.mem_stall_cycles, b.mem_stall_cycles, "%s on %s: stalls", fw, t->name);
    cr_expect_eq(a.div_extra_cycles, b.div_extra_cycles, "%s on %s: divides", fw, t->name);
    cr_expect_eq(memcmp(a.class_insns, b.class_insns, sizeof a.class_insns), 0,
                 "%s on %s: op class histogram", fw, t->name);
    for (unsigned i = 0; i < t->n_regions; i++)
        cr_expect_eq(memcmp(&a.region[i], &b.region[i], sizeof a.region[i]), 0,
                     "%s on %s: traffic of region %s (fetches %llu vs %llu, reads %llu vs %llu, "
                     "I-cache hits %llu vs %llu)", fw, t->name, t->regions[i].name,
                     (unsigned long long)a.region[i].fetch_accesses,
                     (unsigned long long)b.region[i].fetch_accesses,
                     (unsigned long long)a.region[i].read_accesses,
                     (unsigned long long)b.region[i].read_accesses,
                     (unsigned long long)a.region[i].icache_hits,
                     (unsigned long long)b.region[i].icache_hits);
}

Test(loads, deferred_repeat_runs_match_per_block_accounting)
{
    static const char *const fws[] = {"dot_small", "dot_mid", "loads", "hello", "m4_udiv"};
    static const char *const targets[] = {"cortex-m4", "cortex-m7", "cortex-m33"};

    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        ts_target t = load_target(targets[i], false);

        for (size_t j = 0; j < sizeof fws / sizeof fws[0]; j++) {
            expect_same_as_per_block(&t, fws[j], false);
            expect_same_as_per_block(&t, fws[j], true);
        }
    }
    /* flash without a D-cache (every load stalls) and without an I-cache (line buffer) */
    ts_target t = load_target("cortex-m4", false);
    set_key(&t, "memory[0].cache.dcache_lines", "0");
    set_key(&t, "memory[0].cache.icache_lines", "0");
    for (size_t j = 0; j < sizeof fws / sizeof fws[0]; j++)
        expect_same_as_per_block(&t, fws[j], false);
    /* a 2-line I-cache with 8-byte lines (the M0/M3 parts' prefetch buffer): most loop
     * blocks do not fit it, and miss on every repeat */
    set_key(&t, "memory[0].cache.ways", "2");
    set_key(&t, "memory[0].cache.icache_lines", "2");
    set_key(&t, "memory[0].cache.line_bytes", "8");
    for (size_t j = 0; j < sizeof fws / sizeof fws[0]; j++)
        expect_same_as_per_block(&t, fws[j], false);
}
