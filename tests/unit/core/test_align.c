/* ARMv6-M alignment faults: on a Cortex-M0/M0+ a halfword or word access (LDR, LDRH, STR, STRH,
 * LDM) at an address that is not a multiple of its size takes a HardFault (ARMv6-M ARM, DDI 0419,
 * A3.2 "Alignment support"); Unicorn's M0 model returns data instead. tinysim reports it as a
 * fault naming the instruction's PC and the address, with the replayed accounting and with
 * exact_mem's memory hooks alike. Firmware: unaligned.S, one access per build. */
#include <string.h>

#include "core_test.h"

typedef struct access_case {
    const char *name;
    unsigned bytes;
    const char *kind; /* "load from" or "store to" */
    const char *sym;  /* symbol the address is relative to */
    uint32_t off;     /* address = sym + off */
} access_case;

static const access_case cases[] = {
    {"ldr", 4, "load from", "buf", 1},     {"ldrh", 2, "load from", "buf", 1},
    {"str", 4, "store to", "buf", 2},      {"strh", 2, "store to", "buf", 3},
    {"ldm", 4, "load from", "buf", 2},     {"ldr_flash", 4, "load from", "table", 2},
    {"loop", 4, "load from", "buf", 2}, /* second iteration of a loop */
};

/* Every case faults on target `name` (firmware family prefix) with the PC of the access and
 * its address, in the given core mode. */
static void expect_faults(const char *name, const char *prefix, ts_core_config cfg)
{
    ts_target t = load_target(name, false);

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const access_case *k = &cases[i];
        char fw[64], path[512], want[128];
        ts_core_stats s;
        ts_err err;

        snprintf(fw, sizeof fw, "%s_unaligned_%s", prefix, k->name);
        fw_path(path, sizeof path, fw);
        ts_err_clear(&err);
        cr_expect_eq(ts_exec_file(&t, path, &cfg, &s, &err), TS_ERR_EMU, "%s: no fault", fw);
        snprintf(want, sizeof want, "pc 0x%08x: unaligned %u-byte %s 0x%08x",
                 fw_symbol(path, "fault_pc"), k->bytes, k->kind, fw_symbol(path, k->sym) + k->off);
        cr_expect(strstr(err.msg, want), "%s: %s (want %s)", fw, err.msg, want);
        cr_expect(strstr(err.msg, "HardFault"), "%s", err.msg);
    }
}

Test(align, armv6m_unaligned_halfword_and_word_accesses_fault_with_pc_and_address)
{
    expect_faults("cortex-m0plus", "m0plus", (ts_core_config){0});
    expect_faults("cortex-m0", "m0", (ts_core_config){0});
}

Test(align, exact_memory_hooks_report_the_same_faults)
{
    expect_faults("cortex-m0plus", "m0plus", (ts_core_config){.exact_mem = true});
}

Test(align, byte_accesses_never_fault_and_armv7m_accepts_unaligned_ldr)
{
    ts_target m0 = load_target("cortex-m0", false), m4 = load_target("cortex-m4", false);

    run_fw(&m0, "m0_unaligned_ldrb");
    /* ARMv7-M A3.2.1: LDR/LDRH/STR/STRH support unaligned addresses (CCR.UNALIGN_TRP = 0) */
    run_fw(&m4, "m0_unaligned_ldr");
    run_fw(&m4, "m0_unaligned_strh");
}
