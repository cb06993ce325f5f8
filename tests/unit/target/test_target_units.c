/* test_target_units.c: the optional `units` sections of a target (units.dsp, units.systolic):
 * the shipped mcu+dsp and mcu+systolic targets load with their values, every number may carry
 * its own source, and --set reaches unit keys only on a target that has the unit. Malformed unit sections are cases in
 * tests/data/bad_targets (scripts/gen_bad_targets.py). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "sim/target/target.h"
#include "target_test.h"

Test(target_units, the_dsp_target_has_the_m4_part_plus_its_dsp_unit)
{
    ts_target m4 = load_ok("cortex-m4"), t = load_ok("cortex-m4-dsp");

    cr_expect_eq(t.cls, TS_CLASS_MCU_DSP);
    cr_expect(t.dsp.present);
    cr_expect_not(m4.dsp.present);
    cr_expect_eq(t.dsp.mac_lanes_int8, 8);
    cr_expect_eq(t.dsp.load_store_slots, 2);
    cr_expect_eq(t.dsp.slot_bytes, 8);
    cr_expect_eq(t.dsp.local_memory_bytes, 131072);
    cr_expect(t.dsp.zero_overhead_loops && t.dsp.double_buffering);
    cr_expect_eq(t.dsp.dma_bytes_per_cycle, 4.0);
    /* the same core part: clock, memories and timing table */
    cr_expect_eq(t.clock_hz, m4.clock_hz);
    /* the M4's regions, then the unit's register block (an mmio region named after it) */
    cr_expect_eq(t.n_regions, m4.n_regions + 1);
    cr_expect(memcmp(t.regions, m4.regions, m4.n_regions * sizeof t.regions[0]) == 0);
    cr_expect_eq(t.regions[m4.n_regions].kind, TS_MEM_MMIO);
    cr_expect_str_eq(t.regions[m4.n_regions].name, "dsp");
    cr_expect(memcmp(t.cycles, m4.cycles, sizeof t.cycles) == 0);
}

Test(target_units, a_number_may_be_written_with_its_own_source)
{
    const char *json =
        "{\"name\":\"x\",\"class\":\"mcu\",\"core\":\"cortex-m0\","
        "\"clock_hz\":{\"value\":48000000,\"source\":\"datasheet\"},"
        "\"memory\":[{\"name\":\"flash\",\"kind\":\"flash\",\"base\":0,\"size\":4096}],"
        "\"pipeline\":{\"branch_refill_cycles\":1},\"timing\":{}}";
    ts_target t;
    ts_err err;

    ts_err_clear(&err);
    /* the timing table is incomplete: the first error is past clock_hz, which was accepted */
    cr_expect_eq(ts_target_parse("x.json", json, strlen(json), &t, &err), TS_ERR_CONFIG);
    cr_expect(strstr(err.msg, "timing.alu: missing required key"), "%s", err.msg);
}

Test(target_units, set_reaches_dsp_keys_and_validates_them)
{
    ts_target t = load_ok("cortex-m4-dsp"), before;
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "units.dsp.mac_lanes_int8", "16", &err), TS_OK, "%s", err.msg);
    cr_expect_eq(t.dsp.mac_lanes_int8, 16);
    cr_expect_eq(ts_target_set(&t, "units.dsp.dma.bytes_per_cycle", "2.5", &err), TS_OK, "%s",
                 err.msg);
    cr_expect_eq(t.dsp.dma_bytes_per_cycle, 2.5);
    cr_expect_eq(ts_target_set(&t, "units.dsp.double_buffering", "false", &err), TS_OK);
    cr_expect_not(t.dsp.double_buffering);
    before = t;
    cr_expect_eq(ts_target_set(&t, "units.dsp.mac_lanes_int8", "0", &err), TS_ERR_RANGE);
    cr_expect_str_eq(err.msg, "--set: units.dsp.mac_lanes_int8: expected integer in [1, 1024], "
                     "got 0");
    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "units.dsp.dma.bytes_per_cycle", "-1", &err), TS_ERR_RANGE);
    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "units.dsp", "{}", &err), TS_ERR_CONFIG);
    cr_expect(memcmp(&t, &before, sizeof t) == 0, "failed --set changed the target");
}

Test(target_units, set_of_a_dsp_key_on_a_target_without_the_unit_is_refused)
{
    ts_target t = load_ok("cortex-m4");
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "units.dsp.mac_lanes_int8", "8", &err), TS_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "--set: units.dsp.mac_lanes_int8: target cortex-m4 has no "
                     "units.dsp section (expected a target whose file has one)");
    cr_expect_not(t.dsp.present);
}

Test(target_units, the_systolic_target_has_the_m4_part_plus_an_8x8_os_array)
{
    ts_target m4 = load_ok("cortex-m4"), t = load_ok("cortex-m4-systolic");

    cr_expect_eq(t.cls, TS_CLASS_MCU_SYSTOLIC);
    cr_expect(t.systolic.present);
    cr_expect_not(t.dsp.present);
    cr_expect_not(m4.systolic.present);
    cr_expect_eq(t.systolic.rows, 8);
    cr_expect_eq(t.systolic.cols, 8);
    cr_expect_eq(t.systolic.dataflow, 0, "os");
    cr_expect_eq(t.systolic.ifmap_sram_bytes, 32768);
    cr_expect_eq(t.systolic.filter_sram_bytes, 32768);
    cr_expect_eq(t.systolic.ofmap_sram_bytes, 16384);
    cr_expect_eq(t.systolic.interface_bandwidth, TS_SYSTOLIC_IFBW_USER);
    cr_expect_eq(t.systolic.bandwidth_bytes_per_cycle, 4.0);
    cr_expect_eq(t.systolic.clock_hz, 0);
    cr_expect_eq(t.clock_hz, m4.clock_hz);
    cr_expect_eq(t.n_regions, m4.n_regions + 1);
    cr_expect(memcmp(t.regions, m4.regions, m4.n_regions * sizeof t.regions[0]) == 0);
    cr_expect_eq(t.regions[m4.n_regions].kind, TS_MEM_MMIO);
    cr_expect_str_eq(t.regions[m4.n_regions].name, "systolic");
    cr_expect(memcmp(t.cycles, m4.cycles, sizeof t.cycles) == 0);
}

/* The dataflow names are ts_systolic_dataflow's order (sim/unit/systolic_model.h: os, ws, is). */
Test(target_units, set_reaches_systolic_keys_and_dataflows_keep_the_models_order)
{
    static const char *const names[] = {"os", "ws", "is"};
    ts_target t = load_ok("cortex-m4-systolic"), before;
    ts_err err;

    ts_err_clear(&err);
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(ts_target_set(&t, "units.systolic.dataflow", names[i], &err), TS_OK, "%s",
                     err.msg);
        cr_expect_eq(t.systolic.dataflow, i, "%s", names[i]);
    }
    cr_expect_eq(ts_target_set(&t, "units.systolic.rows", "16", &err), TS_OK, "%s", err.msg);
    cr_expect_eq(t.systolic.rows, 16);
    cr_expect_eq(ts_target_set(&t, "units.systolic.interface_bandwidth", "calc", &err), TS_OK);
    cr_expect_eq(t.systolic.interface_bandwidth, TS_SYSTOLIC_IFBW_CALC);
    before = t;
    cr_expect_eq(ts_target_set(&t, "units.systolic.cols", "0", &err), TS_ERR_RANGE);
    cr_expect_str_eq(err.msg, "--set: units.systolic.cols: expected integer in [1, 4096], got 0");
    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "units.systolic.dataflow", "rs", &err), TS_ERR_CONFIG);
    cr_expect(memcmp(&t, &before, sizeof t) == 0, "failed --set changed the target");
}

Test(target_units, set_of_a_systolic_key_on_a_target_without_the_array_is_refused)
{
    ts_target t = load_ok("cortex-m4-dsp");
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "units.systolic.rows", "16", &err), TS_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "--set: units.systolic.rows: target cortex-m4-dsp has no "
                     "units.systolic section (expected a target whose file has one)");
}
