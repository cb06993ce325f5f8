/* The DWT cycle counter and SysTick (sim/core/scs.c) as a benchmark's timing port uses them.
 * Firmware: scs.S, which stores what it reads; expected values are worked out by hand from the
 * architecture (ARMv7-M ARM DDI 0403E C1.8.8 CYCCNT, B3.3 SysTick) and the TRM cycle costs of
 * the instructions between two reads (M4: ARM DDI 0439D Table 3-1, NOP 1, LDR 2, B 1+P with
 * P = 2 in targets/cortex-m4.json), at zero wait states. */
#include <string.h>

#include "core_test.h"

#define N_RESULTS 14

/* Runs fw on target `name` at zero wait states; fills r[] from the firmware's `results`. */
static ts_core_stats run_scs(const char *name, const char *fw, uint32_t r[N_RESULTS],
                             uint32_t *wfi_wake)
{
    ts_target t = load_target(name, true);
    char path[512];
    ts_core *c = NULL;
    ts_elf *e = NULL;
    uint32_t entry, at;
    ts_core_stats s;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, fw);
    cr_assert_eq(ts_elf_load(path, &e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_elf_symbol(e, "results", &at, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_core_open(&t, NULL, &c, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_exec_load(c, e, &entry, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_core_run(c, entry, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_core_read(c, at, r, N_RESULTS * sizeof r[0], &err), TS_OK, "%s", err.msg);
    s = *ts_core_get_stats(c);
    *wfi_wake = t.wfi_wake_cycles;
    ts_core_close(c);
    ts_elf_free(e);
    cr_assert_eq(s.exit_code, 0);
    return s;
}

Test(scs, cyccnt_counts_core_cycles_while_trcena_and_cyccntena_are_set)
{
    uint32_t r[N_RESULTS], wake;

    run_scs("cortex-m4", "m4_scs", r, &wake);
    cr_expect_eq(r[0], 0, "CYCCNTENA without DEMCR.TRCENA does not count (got %u)", r[0]);
    cr_expect_eq(r[1], 8 + 2, "8 NOPs + LDR (got %u)", r[1]);
    cr_expect_eq(r[2], 3 + 2, "B to the next instruction 1+P + LDR (got %u)", r[2]);
    cr_expect_eq(r[3], 1000 + 2, "written 1000, read by an LDR (got %u)", r[3]);
    cr_expect_eq(r[4], 0, "stopped when CYCCNTENA is cleared (got %u)", r[4]);
    cr_expect_eq(r[5], 0x0D000001u, "DWT_CTRL: NOTRCPKT|NOEXTTRIG|NOPRFCNT, NOCYCCNT = 0, "
                 "CYCCNTENA (got 0x%08x)", r[5]);
}

Test(scs, systick_counts_down_from_reload_with_countflag_cleared_on_read)
{
    uint32_t r[N_RESULTS], wake;
    ts_core_stats s = run_scs("cortex-m4", "m4_scs", r, &wake);

    /* enabled with CURRENT = 0: tick 1 loads 99, tick k reads 100 - k; 10 NOPs + LDR = 12 */
    cr_expect_eq(r[6], 88, "CURRENT (got %u)", r[6]);
    cr_expect_eq(r[7], 0x5u, "ENABLE | CLKSOURCE, no count to 0 yet (got 0x%x)", r[7]);
    cr_expect_eq(r[8], 0x10005u, "COUNTFLAG after a wrap (got 0x%x)", r[8]);
    cr_expect_eq(r[9], 0x5u, "COUNTFLAG cleared by the read (got 0x%x)", r[9]);
    cr_expect_eq(r[10], 0x5u, "COUNTFLAG cleared by the write to CURRENT (got 0x%x)", r[10]);
    cr_expect_eq(r[11], 0xC0000000u, "CALIB: NOREF, SKEW, TENMS 0 (got 0x%08x)", r[11]);
    cr_expect_eq(r[12], 0, "disabled: CURRENT holds (got %u)", r[12]);
    /* WFI wakes at the count to 0, 1000 ticks after enabling; the LDRs around it cancel */
    cr_expect_eq(r[13], 1000 + wake, "CYCCNT across the WFI (got %u)", r[13]);
    cr_expect(s.notes & TS_CORE_NOTE_SYSTICK_IRQ, "TICKINT set: the caller is told the "
              "exception is not taken");
    cr_expect(!(s.notes & TS_CORE_NOTE_NO_CYCCNT));
}

Test(scs, armv6m_has_no_cyccnt_reads_zero_and_keeps_systick)
{
    uint32_t r[N_RESULTS], wake;
    ts_core_stats s = run_scs("cortex-m0plus", "m0plus_scs", r, &wake);

    for (int i = 0; i < 6; i++)
        cr_expect_eq(r[i], 0, "result %d: ARMv6-M has no CYCCNT (RAZ/WI) (got %u)", i, r[i]);
    cr_expect(s.notes & TS_CORE_NOTE_NO_CYCCNT);
    /* M0+: NOP 1, LDR 2 (DDI 0484, NUMBERS.md 2.2): the same 12 ticks */
    cr_expect_eq(r[6], 88, "CURRENT (got %u)", r[6]);
    cr_expect_eq(r[8], 0x10005u, "COUNTFLAG (got 0x%x)", r[8]);
    cr_expect_eq(r[9], 0x5u);
    cr_expect_eq(r[13], 0, "no CYCCNT around the WFI (got %u)", r[13]);
}
