#!/usr/bin/env python3
"""gen_bad_targets.py: writes tests/data/bad_targets/NAME.json + NAME.expect, one malformed target
per case, each derived from a small valid base target. NAME.expect: line 1 = status name, line 2 =
a substring the error message must contain. Deterministic; run from the repository root:
    python3 scripts/gen_bad_targets.py
"""
import copy, json, os

OUT = "tests/data/bad_targets"
CLASSES = ["alu", "mul", "mla", "mul_long", "div", "dsp_mac", "dsp_simd", "load", "store",
           "store_reg", "load_double", "store_double", "ldm", "stm", "excl", "branch", "bl",
           "table_branch", "it", "sysreg", "barrier", "hint", "wait", "trap", "fp_alu", "fp_mov",
           "fp_mov2", "fp_mac", "fp_div", "fp_sqrt", "fp_load", "fp_store", "fp_ldm", "fp_stm",
           "unknown"]
BASE = {
    "name": "bad", "class": "mcu", "core": "cortex-m0", "clock_hz": 48000000,
    "memory": [
        {"name": "flash", "kind": "flash", "base": "0x08000000", "size": 65536, "wait_states": 1},
        {"name": "sram", "kind": "sram", "base": "0x20000000", "size": 8192, "wait_states": 0},
    ],
    "pipeline": {"branch_refill_cycles": 2},
    "timing": {c: (None if c.startswith("fp_") else 1) for c in CLASSES},
}

def case(name, status, expect, mutate=None, text=None):
    t = copy.deepcopy(BASE)
    if mutate:
        mutate(t)
    body = text if text is not None else json.dumps(t, indent=1) + "\n"
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        f.write(body)
    with open(os.path.join(OUT, name + ".expect"), "w") as f:
        f.write(status + "\n" + expect + "\n")

def main():
    os.makedirs(OUT, exist_ok=True)
    case("unknown_key", "CONFIG", "bad_targets/unknown_key.json: clok_hz: unknown key",
         lambda t: t.update(clok_hz=1))
    case("wait_states_negative", "RANGE",
         "bad_targets/wait_states_negative.json: memory[1].wait_states: expected integer in [0, 255], got -1",
         lambda t: t["memory"][1].update(wait_states=-1))
    case("clock_wrong_type", "CONFIG", "clock_hz: expected integer in [1000, 5000000000], got \"fast\"",
         lambda t: t.update(clock_hz="fast"))
    case("clock_fractional", "CONFIG", "clock_hz: expected integer in [1000, 5000000000], got 1.5",
         lambda t: t.update(clock_hz=1.5))
    case("missing_core", "CONFIG", "core: missing required key", lambda t: t.pop("core"))
    case("missing_region_size", "CONFIG", "memory[0].size: missing required key",
         lambda t: t["memory"][0].pop("size"))
    case("bad_core_name", "CONFIG", "core: expected one of cortex-m0plus | cortex-m0 | cortex-m3",
         lambda t: t.update(core="cortex-m85"))
    case("unknown_op_class", "CONFIG", "timing.fma: unknown op class",
         lambda t: t["timing"].update(fma=1))
    case("missing_op_class", "CONFIG", "timing.div: missing required key",
         lambda t: t["timing"].pop("div"))
    case("cost_min_above_max", "RANGE", "timing.div: expected cycles in [0, 1000] with min <= max, got [12, 2]",
         lambda t: t["timing"].update(div=[12, 2]))
    case("cost_wrong_type", "CONFIG", "timing.load: expected integer, [min,max] or null, got string",
         lambda t: t["timing"].update(load="two"))
    case("cost_object_unknown_key", "CONFIG", "timing.alu.cycle: unknown key",
         lambda t: t["timing"].update(alu={"cycle": 1}))
    case("regions_overlap", "CONFIG", "memory[1]: overlaps memory[0] (flash, 0x08000000-0x0800ffff)",
         lambda t: t["memory"][1].update(base="0x08008000"))
    case("region_not_page_aligned", "CONFIG", "memory[1]: base and size must be multiples of 4096",
         lambda t: t["memory"][1].update(base="0x20000100"))
    case("region_past_4gib", "RANGE", "memory[1]: region ends past 4 GiB",
         lambda t: t["memory"][1].update(base="0xfffff000", size=8192))
    case("no_regions", "RANGE", "memory: expected 1 to 8 regions, got 0",
         lambda t: t.update(memory=[]))
    case("duplicate_region_name", "CONFIG", "memory[1].name: duplicate region name \"flash\"",
         lambda t: t["memory"][1].update(name="flash"))
    case("bad_hex_base", "CONFIG", "memory[0].base: expected integer or \"0x...\" string",
         lambda t: t["memory"][0].update(base="0x8zz"))
    case("fpu_without_fp_costs", "CONFIG", "timing.fp_alu: expected a cost because has_fpu is true, got null",
         lambda t: t.update(core="cortex-m4", has_fpu=True))
    # has_dsp / has_fpu against the core (sim/target/cores.def)
    case("dsp_on_core_without_dsp", "CONFIG",
         "dsp_on_core_without_dsp.json: has_dsp: true, but core cortex-m0 has no DSP extension "
         "(has_dsp needs cortex-m4, cortex-m7 or cortex-m33)",
         lambda t: t.update(has_dsp=True))
    case("fpu_on_core_without_fpu", "CONFIG",
         "fpu_on_core_without_fpu.json: has_fpu: true, but core cortex-m3 has no FPU "
         "(has_fpu needs cortex-m4, cortex-m7 or cortex-m33)",
         lambda t: (t.update(core="cortex-m3", has_fpu=True),
                    t["timing"].update({c: 1 for c in CLASSES if c.startswith("fp_")})))
    case("fpu_core_without_fpu", "CONFIG",
         "fpu_core_without_fpu.json: has_fpu: false, but tinysim models core cortex-m4 with its "
         "FPU only",
         lambda t: t.update(core="cortex-m4"))
    case("line_bytes_not_power_of_two", "CONFIG", "memory[0].cache.line_bytes: expected a power of two, got 24",
         lambda t: t["memory"][0].update(cache={"line_bytes": 24}))
    case("source_not_string", "CONFIG", "pipeline.source: expected string, got number",
         lambda t: t["pipeline"].update(source=5))
    # units.dsp: a valid DSP section, then one fault each
    def dsp(t, **over):
        t["class"] = "mcu+dsp"
        d = {"mac_lanes_int8": 8, "mac_lanes_int16": 4, "alu_lanes": 8, "load_store_slots": 2,
             "slot_bytes": 8, "local_memory_bytes": 65536, "dma": {"bytes_per_cycle": 4}}
        d.update(over)
        t["units"] = {"dsp": d}
    case("dsp_zero_lanes", "RANGE",
         "units.dsp.mac_lanes_int8: expected integer in [1, 1024], got 0",
         lambda t: dsp(t, mac_lanes_int8=0))
    case("dsp_zero_bandwidth", "RANGE",
         "units.dsp.dma.bytes_per_cycle: expected number in [0.001, 1024], got 0",
         lambda t: dsp(t, dma={"bytes_per_cycle": 0}))
    case("dsp_negative_bandwidth", "RANGE",
         "units.dsp.dma.bytes_per_cycle: expected number in [0.001, 1024], got -2",
         lambda t: dsp(t, dma={"bytes_per_cycle": {"value": -2, "source": "typo"}}))
    case("dsp_tiny_local_memory", "RANGE",
         "units.dsp.local_memory_bytes: expected integer in [256, 67108864], got 16",
         lambda t: dsp(t, local_memory_bytes=16))
    case("dsp_missing_lanes", "CONFIG",
         "units.dsp.mac_lanes_int16: missing required key",
         lambda t: (dsp(t), t["units"]["dsp"].pop("mac_lanes_int16")))
    case("dsp_unknown_key", "CONFIG", "units.dsp.mac_lanes: unknown key",
         lambda t: dsp(t, mac_lanes=8))
    case("dsp_class_mcu", "CONFIG",
         "units.dsp: class mcu cannot have a units.dsp section (expected class mcu+dsp exactly when units.dsp is present)",
         lambda t: (dsp(t), t.update({"class": "mcu"})))
    case("dsp_class_without_unit", "CONFIG",
         "class: class mcu+dsp needs a units.dsp section",
         lambda t: t.update({"class": "mcu+dsp"}))
    # units.systolic: a valid array section, then one fault each (buffers below one fold tile
    # and a zero user bandwidth are refused when the unit is placed: tests/unit/unit)
    def systolic(t, **over):
        t["class"] = "mcu+systolic"
        a = {"rows": 8, "cols": 8, "dataflow": "os", "ifmap_sram_bytes": 32768,
             "filter_sram_bytes": 32768, "ofmap_sram_bytes": 16384}
        a.update(over)
        t["units"] = {"systolic": a}
    case("systolic_zero_rows", "RANGE",
         "units.systolic.rows: expected integer in [1, 4096], got 0",
         lambda t: systolic(t, rows=0))
    case("systolic_zero_cols", "RANGE",
         "units.systolic.cols: expected integer in [1, 4096], got 0",
         lambda t: systolic(t, cols=0))
    case("systolic_negative_bandwidth", "RANGE",
         "units.systolic.bandwidth_bytes_per_cycle: expected number in [0, 1024], got -4",
         lambda t: systolic(t, interface_bandwidth="user", bandwidth_bytes_per_cycle=-4))
    case("systolic_bad_dataflow", "CONFIG",
         "units.systolic.dataflow: expected one of os | ws | is, got \"rs\"",
         lambda t: systolic(t, dataflow="rs"))
    case("systolic_bad_interface", "CONFIG",
         "units.systolic.interface_bandwidth: expected one of calc | user, got \"CALC\"",
         lambda t: systolic(t, interface_bandwidth="CALC"))
    case("systolic_missing_buffer", "CONFIG",
         "units.systolic.ofmap_sram_bytes: missing required key",
         lambda t: (systolic(t), t["units"]["systolic"].pop("ofmap_sram_bytes")))
    case("systolic_class_mcu", "CONFIG",
         "units.systolic: class mcu cannot have a units.systolic section (expected class mcu+systolic exactly when units.systolic is present)",
         lambda t: (systolic(t), t.update({"class": "mcu"})))
    case("systolic_class_without_unit", "CONFIG",
         "class: class mcu+systolic needs a units.systolic section",
         lambda t: t.update({"class": "mcu+systolic"}))
    def dsp_and_systolic(t):
        dsp(t)
        d = t["units"]["dsp"]
        systolic(t)
        t["units"]["dsp"] = d
        t["class"] = "mcu+dsp"
    case("systolic_on_dsp_class", "CONFIG",
         "units.systolic: class mcu+dsp cannot have a units.systolic section",
         dsp_and_systolic)
    case("cited_number_unknown_key", "CONFIG", "clock_hz.cite: unknown key (expected value, source or note)",
         lambda t: t.update(clock_hz={"value": 48000000, "cite": "x"}))
    case("top_level_array", "CONFIG", "top level: expected object, got array", text="[1, 2]\n")
    case("syntax_missing_comma", "FORMAT", "syntax_missing_comma.json: line 3, column 2: syntax error",
         text='{\n "name": "x"\n "class": "mcu"\n}\n')
    case("syntax_trailing_garbage", "FORMAT", "line 2, column 1: syntax error", text='{}\n}\n')
    case("duplicate_key", "CONFIG", "name: duplicate key",
         text='{"name": "a", "name": "b"}\n')

if __name__ == "__main__":
    main()
