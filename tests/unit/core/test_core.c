/* Tests for sim/core + sim/exec behaviour other than cycle counts: semihosting output and exit
 * codes, fault reports, the instruction budget, bare mode, function calls and statistics. */
#include <string.h>

#include "core_test.h"

typedef struct capture {
    char text[256];
    size_t len;
} capture;

static void capture_out(void *opaque, const char *bytes, size_t n)
{
    capture *c = opaque;

    if (c->len + n < sizeof c->text) {
        memcpy(c->text + c->len, bytes, n);
        c->len += n;
    }
}

Test(core, semihosting_output_goes_to_the_callback_and_exit_code_is_returned)
{
    ts_target t = load_target("cortex-m4", false);
    capture cap = {{0}, 0};
    ts_core_config cfg = {.output = capture_out, .output_opaque = &cap};
    ts_core_stats s;
    char path[512];
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "hello");
    cr_assert_eq(ts_exec_file(&t, path, &cfg, &s, &err), TS_OK, "%s", err.msg);
    cr_expect_str_eq(cap.text, "hello, world!");
    cr_expect(s.exited);
    cr_expect_eq(s.exit_code, 3);
    cr_expect_eq(s.exit_reason, 0x20026u);
    cr_expect_eq(s.semihost_calls, 4);
}

Test(core, unmapped_load_reports_pc_address_and_core)
{
    ts_target t = load_target("cortex-m4", false);
    char path[512], want[64];
    ts_core_stats s;
    ts_elf *e;
    uint32_t pc;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "fault");
    cr_assert_eq(ts_elf_load(path, &e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_elf_symbol(e, "fault_pc", &pc, &err), TS_OK, "%s", err.msg);
    ts_elf_free(e);
    cr_assert_eq(ts_exec_file(&t, path, NULL, &s, &err), TS_ERR_EMU);
    snprintf(want, sizeof want, "pc 0x%08x", pc & ~1u);
    cr_expect(strstr(err.msg, want), "%s (want %s)", err.msg, want);
    cr_expect(strstr(err.msg, "read from unmapped address 0x40000000"), "%s", err.msg);
    cr_expect(strstr(err.msg, "cortex-m4"), "%s", err.msg);
    cr_expect(strstr(err.msg, "UC_ERR_READ_UNMAPPED"), "%s", err.msg);
    cr_expect(strstr(err.msg, "fault.elf"), "%s", err.msg);
}

Test(core, infinite_loop_stops_at_the_instruction_budget)
{
    ts_target t = load_target("cortex-m4", false);
    ts_core_config cfg = {.max_insns = 100000};
    char path[512];
    ts_core_stats s;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "spin");
    cr_assert_eq(ts_exec_file(&t, path, &cfg, &s, &err), TS_ERR_EMU);
    cr_expect(strstr(err.msg, "instruction budget of 100000 exceeded"), "%s", err.msg);
    cr_expect(strstr(err.msg, "pc 0x08"), "%s", err.msg);
    cr_expect(s.insns > 100000 && s.insns < 100000 + 1000);
}

Test(core, bare_mode_runs_the_program_without_counting)
{
    ts_target t = load_target("cortex-m4", false);
    capture cap = {{0}, 0};
    ts_core_config cfg = {.bare = true, .output = capture_out, .output_opaque = &cap};
    char path[512];
    ts_core_stats s;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "dot_small");
    cr_assert_eq(ts_exec_file(&t, path, &cfg, &s, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(s.cycles, 0);
    cr_expect_eq(s.exit_code, 0);
    cr_expect_gt(cap.len, 0);
}

Test(core, accounted_and_bare_runs_print_the_same_checksum)
{
    ts_target t = load_target("cortex-m4", false);
    capture a = {{0}, 0}, b = {{0}, 0};
    ts_core_config ca = {.output = capture_out, .output_opaque = &a};
    ts_core_config cb = {.bare = true, .output = capture_out, .output_opaque = &b};
    char path[512];
    ts_core_stats s;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "dot_small");
    cr_assert_eq(ts_exec_file(&t, path, &ca, &s, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_exec_file(&t, path, &cb, &s, &err), TS_OK, "%s", err.msg);
    cr_expect_str_eq(a.text, b.text);
}

/* Weights are const int8 in flash: every load of them goes through the flash hook and the
 * ART-like D-cache (8 lines of 16 bytes): 4 rows x 256 bytes = 64 distinct lines. */
Test(core, flash_data_loads_are_counted_and_miss_once_per_line)
{
    ts_target t = load_target("cortex-m4", false);
    ts_core_stats s = run_fw(&t, "dot_small");
    const ts_mem_counters *fl = &s.region[0];

    /* 64 weight lines (65 if misaligned) plus a few literal-pool lines */
    cr_expect(fl->dcache_misses >= 64 && fl->dcache_misses <= 80, "misses %llu",
              (unsigned long long)fl->dcache_misses);
    cr_expect(fl->read_bytes >= 1024);
    cr_expect_gt(fl->stall_cycles, 0);
    cr_expect_gt(s.region[1].write_accesses, 0);
}

Test(core, exact_memory_mode_sees_the_same_flash_traffic)
{
    ts_target t = load_target("cortex-m4", false);
    ts_core_config cfg = {.exact_mem = true};
    ts_core_stats a = run_fw(&t, "dot_small"), b;
    char path[512];
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "dot_small");
    cr_assert_eq(ts_exec_file(&t, path, &cfg, &b, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(a.region[0].read_accesses, b.region[0].read_accesses);
    cr_expect_eq(a.cycles, b.cycles);
    cr_expect_eq(a.region[1].write_accesses, b.region[1].write_accesses);
}

Test(core, call_runs_a_function_and_returns_r0)
{
    ts_target t = load_target("cortex-m4", true);
    ts_core *c;
    ts_elf *e;
    uint32_t entry, fn, ret = 0;
    char path[512];
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "hello");
    cr_assert_eq(ts_elf_load(path, &e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_core_open(&t, NULL, &c, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_exec_load(c, e, &entry, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_elf_symbol(e, "main", &fn, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_core_call(c, fn, NULL, 0, &ret, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(ret, 3);
    cr_expect_gt(ts_core_get_stats(c)->cycles, 0);
    ts_core_close(c);
    ts_elf_free(e);
}

/* Unicorn's M0 model runs Thumb-2/DSP code; a real Cortex-M0 does not (ARMv6-M ARM, DDI 0419). */
Test(core, armv7m_code_on_an_m0_target_is_reported_not_run)
{
    ts_target t = load_target("cortex-m0", false);
    char path[512];
    ts_core_stats s;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "dot_small");
    cr_assert_eq(ts_exec_file(&t, path, NULL, &s, &err), TS_ERR_EMU);
    cr_expect(strstr(err.msg, "is not ARMv6-M") || strstr(err.msg, "not implemented by this core"),
              "%s", err.msg);
    cr_expect(strstr(err.msg, "pc 0x08"), "%s", err.msg);
}

Test(core, fast_memory_mode_runs_the_same_instructions_without_flash_stalls)
{
    ts_target t = load_target("cortex-m4", false);
    ts_core_config cfg = {.fast_mem = true};
    ts_core_stats a = run_fw(&t, "dot_small"), b;
    char path[512];
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "dot_small");
    cr_assert_eq(ts_exec_file(&t, path, &cfg, &b, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(a.insns, b.insns);
    cr_expect_lt(b.cycles, a.cycles);
    cr_expect_eq(b.region[0].read_accesses, 0);
    cr_expect_eq(b.region[1].read_accesses, b.static_loads);
}

/* A reset handler that returns without SYS_EXIT returns to LR's reset value 0xFFFFFFFF (ARMv7-M
 * ARM B1.5.5 TakeReset); it is reported as such, with the PC of the return, on a part with flash
 * at 0x08000000 (nothing at 0) and on one with flash at 0. */
Test(core, returning_from_the_reset_handler_is_reported_as_a_missing_sys_exit)
{
    static const struct {
        const char *target, *fw;
    } runs[] = {{"cortex-m4", "ret"}, {"cortex-m0plus", "m0plus_ret"}};

    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        ts_target t = load_target(runs[i].target, false);
        char path[512], want[64];
        ts_core_stats s;
        ts_err err;

        ts_err_clear(&err);
        fw_path(path, sizeof path, runs[i].fw);
        cr_expect_eq(ts_exec_file(&t, path, NULL, &s, &err), TS_ERR_EMU);
        snprintf(want, sizeof want, "pc 0x%08x: program returned from its reset handler",
                 fw_symbol(path, "ret_pc"));
        cr_expect(strstr(err.msg, want), "%s (want %s)", err.msg, want);
        cr_expect(strstr(err.msg, "lr=0xffffffff") && strstr(err.msg, "without semihosting "
                  "SYS_EXIT"), "%s", err.msg);
        cr_expect(!strstr(err.msg, "unmapped"), "%s", err.msg);
    }
}

static const char *count_polls(void *opaque, uint64_t cycles, uint64_t insns)
{
    (void)cycles, (void)insns;
    ++*(int *)opaque;
    return NULL;
}

/* A poll settles a deferred loop run in its middle to give exact cycles; the run then goes on
 * as if it had not been split (replayed loads restart from the registers then): the same
 * figures as a run without polls. dot_long: flash loads in a repeating inner loop, polled
 * every 997 instructions, on targets with different flash caches. */
Test(core, polling_between_blocks_changes_no_figure)
{
    static const char *const names[] = {"cortex-m4", "cortex-m7", "cortex-m33"};

    for (int k = 0; k < 3; k++) {
        ts_target t = load_target(names[k], false);
        int polls = 0;
        ts_core_config cfg = {.poll = count_polls, .poll_opaque = &polls, .poll_insns = 997};
        ts_core_stats a = run_fw(&t, "dot_long"), b = run_fw_cfg(&t, "dot_long", &cfg);

        cr_assert_gt(polls, 1000, "%s: %d polls", names[k], polls);
        cr_expect_eq(a.insns, b.insns);
        cr_expect_eq(a.cycles, b.cycles, "%s: %llu vs %llu with polls", names[k],
                     (unsigned long long)a.cycles, (unsigned long long)b.cycles);
        cr_expect_eq(a.mem_stall_cycles, b.mem_stall_cycles, "%s", names[k]);
        for (unsigned i = 0; i < a.n_regions; i++)
            cr_expect_eq(memcmp(&a.region[i], &b.region[i], sizeof a.region[i]), 0,
                         "%s: region %u", names[k], i);
    }
}
