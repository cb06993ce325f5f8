/* Tests for the hook-free flash load accounting (core.c replays the loads decode.c tracked from
 * each block's entry registers; blocks with untracked addresses get code hooks on their loads):
 * it must give the same flash reads, D-cache hits/misses and stall cycles as the exact path
 * (exact_mem: Unicorn memory hooks on every region). */
#include "core_test.h"

static ts_core_stats run_cfg(const ts_target *t, const char *fw, bool exact)
{
    ts_core_config cfg = {.exact_mem = exact};
    char path[512];
    ts_core_stats s;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, fw);
    cr_assert_eq(ts_exec_file(t, path, &cfg, &s, &err), TS_OK, "%s", err.msg);
    cr_assert(s.exited);
    cr_assert_eq(s.exit_code, 0);
    return s;
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
    ts_err err;

    expect_same_flash_reads(&t, "loads", "(D-cache)");
    /* without a D-cache every flash load stalls: the counts alone decide */
    /* 3 sets: not a power of two */
    ts_err_clear(&err);
    cr_assert_eq(ts_target_set(&t, "memory[0].cache.dcache_lines", "12", &err), TS_OK, "%s",
                 err.msg);
    expect_same_flash_reads(&t, "loads", "(3-set D-cache)");
    cr_assert_eq(ts_target_set(&t, "memory[0].cache.dcache_lines", "0", &err), TS_OK, "%s",
                 err.msg);
    expect_same_flash_reads(&t, "loads", "(no D-cache)");
    expect_same_flash_reads(&t, "dot_mid", "(no D-cache)");
}
