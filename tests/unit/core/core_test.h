/* core_test.h: helpers shared by the core, mem and exec tests: load a target from targets/, run a firmware
 * ELF from the build's fw/ folder, and return its statistics. */
#ifndef TS_CORE_TEST_H
#define TS_CORE_TEST_H

#include <criterion/criterion.h>
#include <stdio.h>

#include "sim/exec/exec.h"

/* Loads targets/NAME.json; wait_states = 0 on every region when zero_wait is true
 * (the TRM tables assume "a system with zero wait states"). */
static inline ts_target load_target(const char *name, bool zero_wait)
{
    char path[512], key[64];
    ts_target t;
    ts_err err;

    ts_err_clear(&err);
    snprintf(path, sizeof path, "%s/%s.json", TS_TARGETS_DIR, name);
    cr_assert_eq(ts_target_load(path, &t, &err), TS_OK, "%s", err.msg);
    for (unsigned i = 0; zero_wait && i < t.n_regions; i++) {
        snprintf(key, sizeof key, "memory[%u].wait_states", i);
        cr_assert_eq(ts_target_set(&t, key, "0", &err), TS_OK, "%s", err.msg);
    }
    return t;
}

/* Sets target key `key` to `value` (as --set does); asserts it is accepted. */
static inline void set_key(ts_target *t, const char *key, const char *value)
{
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_target_set(t, key, value, &err), TS_OK, "%s=%s: %s", key, value, err.msg);
}

static inline void fw_path(char *out, size_t n, const char *fw)
{
    snprintf(out, n, "%s/%s.elf", TS_FW_DIR, fw);
}

/* Address of symbol `name` of the ELF at path, Thumb bit cleared; asserts it exists. */
static inline uint32_t fw_symbol(const char *path, const char *name)
{
    ts_elf *e;
    uint32_t a = 0;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_elf_load(path, &e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_elf_symbol(e, name, &a, &err), TS_OK, "%s: %s", path, err.msg);
    ts_elf_free(e);
    return a & ~1u;
}

/* Runs fw on t with core configuration cfg (NULL: defaults); asserts it exits 0 and returns
 * the stats. */
static inline ts_core_stats run_fw_cfg(const ts_target *t, const char *fw,
                                       const ts_core_config *cfg)
{
    char path[512];
    ts_core_stats s;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, fw);
    cr_assert_eq(ts_exec_file(t, path, cfg, &s, &err), TS_OK, "%s", err.msg);
    cr_assert(s.exited);
    cr_assert_eq(s.exit_code, 0);
    return s;
}

static inline ts_core_stats run_fw(const ts_target *t, const char *fw)
{
    return run_fw_cfg(t, fw, NULL);
}

/* Cycles of micro.S snippet `bench` on target `name` at zero wait states: the difference with
 * the BENCH_none build. prefix is the firmware family ("m4", "m0", "m0plus"). */
static inline long long snippet_cycles(const char *name, const char *prefix, const char *bench)
{
    ts_target t = load_target(name, true);
    char fw[64], none[64];

    snprintf(fw, sizeof fw, "%s_%s", prefix, bench);
    snprintf(none, sizeof none, "%s_none", prefix);
    return (long long)run_fw(&t, fw).cycles - (long long)run_fw(&t, none).cycles;
}

#endif
