/* test_unit.c: the execution-unit interface (registry, method table, version) and the cpu
 * unit on its own: an op whose output address is unmapped faults inside the firmware and is
 * reported as TS_ERR_EMU naming the op, the PC, the address and the core; the firmware ELFs
 * follow the link convention and carry this build's ABI words (fw_abi.h). */
#include "tests/unit/engine/engine_test.h"
#include "sim/platform/platform.h"
#include "kernels/firmware/fw_abi.h"
#include "sim/exec/exec.h"

Test(unit, the_registry_finds_cpu_and_rejects_unknown_names)
{
    const ts_unit_ops *cpu = ts_unit_find("cpu");
    ts_unit *u = (ts_unit *)&cpu;
    ts_unit_cfg cfg = {0};
    ts_err err;

    ts_err_clear(&err);
    cr_assert_not_null(cpu);
    cr_assert_eq(cpu->version, TS_UNIT_VERSION);
    cr_assert_geq(cpu->state_size, sizeof(ts_unit));
    cr_assert(cpu->init && cpu->supports && cpu->estimate && cpu->execute && cpu->stats &&
              cpu->fini);
    cr_assert_eq(ts_unit_class_at(0), cpu);
    cr_assert_null(ts_unit_class_at(ts_unit_n_classes()));
    cr_assert_null(ts_unit_find("systolic9"));
    cr_assert_eq(ts_unit_open("systolic9", &cfg, &u, &err), TS_ERR_CONFIG);
    cr_assert_null(u);
    cr_assert(strstr(err.msg, "unit 'systolic9' does not exist (expected one of: cpu, dsp, "
                     "systolic)"), "%s", err.msg);
}

Test(unit, fw_abi_layout_is_fixed_width)
{
    cr_assert_eq(offsetof(tsfw_op, p), 224);
    cr_assert_eq(sizeof(tsfw_op) % 4, 0);
    cr_assert_eq(_Alignof(tsfw_op), 4);
    cr_assert_eq(TSFW_ABI_N_WORDS, 21);
    cr_assert_eq(TSFW_MAX_INPUTS, TS_REF_MAX_INPUTS);
}

/* The kernels of fw_ops.def's rows, with the op set and variant of each row. */
static const struct fw_row {
    const char *kernel;
    int set;
    bool simd;
} fw_rows[] = {
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param) \
    {#kernel, TSFW_SET_##shape, sizeof #variant == sizeof "simd"},
#include "kernels/firmware/fw_ops.def"
};

/* True when image `set` (a set or TSFW_SET_ALL) of a core with (simd) or without the SIMD
 * kernels should link `kernel`: some row that calls it belongs to a set the image holds. */
static bool image_should_link(const char *kernel, int set, bool simd)
{
    for (size_t i = 0; i < sizeof fw_rows / sizeof fw_rows[0]; i++)
        if (strcmp(fw_rows[i].kernel, kernel) == 0 && (!fw_rows[i].simd || simd) &&
            (fw_rows[i].set == TSFW_SET_BASE || fw_rows[i].set == set || set == TSFW_SET_ALL))
            return true;
    return false;
}

/* Every firmware ELF (both kernel variants, every op-set image): linked at the first flash base
 * of its targets JSON, no writable segment, tsfw_abi_info equal to this build's words; every
 * kernel of fw_ops.def present exactly when the image holds a row that calls it: the SIMD
 * kernels only in the images of cores with the DSP extension, and not in their _ref images,
 * an extended set's kernels only in its own image and _all. */
Test(unit, every_firmware_elf_matches_the_link_convention_and_the_host_abi)
{
    static const uint32_t want[TSFW_ABI_N_WORDS] = {
#define W(v) (uint32_t)(v),
        TSFW_ABI_WORDS(W)
#undef W
    };
    const char *cores[] = {"cortex-m0", "cortex-m0plus", "cortex-m3",
                           "cortex-m4", "cortex-m7",     "cortex-m33"};

    for (size_t c = 0; c < sizeof cores / sizeof cores[0]; c++) {
        char path[TS_ENGINE_PATH_BYTES];
        ts_target t;
        ts_elf *elf = NULL;
        uint32_t abi = 0, flash = 0;
        ts_err err;
        ts_err_clear(&err);
        load_target_named(cores[c], &t);
        need_firmware(&t);
        /* every kernel variant x every image: the sets, and _all with 2+ extended sets */
        int n_images = TSFW_N_SETS > 2 ? TSFW_N_SETS + 1 : TSFW_N_SETS;
        for (int ks = 0; ks < n_images * TS_KERNELS_COUNT; ks++) {
            int k = ks % TS_KERNELS_COUNT, set = ks / TS_KERNELS_COUNT;
            uint32_t simd_sym = 0, sym = 0;
            cr_assert_eq(ts_platform_firmware_path_set(t.core, (ts_kernels)k, set, path,
                                                       sizeof path, &err), TS_OK);
            cr_assert_eq(ts_elf_load(path, &elf, &err), TS_OK, "%s", err.msg);
            bool has_simd = ts_elf_symbol(elf, "tsk_conv2d_s8_simd", &simd_sym, &err) == TS_OK;
            cr_assert_eq(has_simd, t.has_dsp && k == TS_KERNELS_SIMD, "%s: SIMD kernels %s", path,
                         has_simd ? "present" : "missing");
            cr_assert_eq(strstr(path, "_ref") != NULL, t.has_dsp && k == TS_KERNELS_REF, "%s",
                         path);
            for (size_t i = 0; i < sizeof fw_rows / sizeof fw_rows[0]; i++) {
                bool want_k = image_should_link(fw_rows[i].kernel, set,
                                                t.has_dsp && k == TS_KERNELS_SIMD);
                bool has_k = ts_elf_symbol(elf, fw_rows[i].kernel, &sym, &err) == TS_OK;
                cr_assert_eq(has_k, want_k, "%s: kernel %s %s", path, fw_rows[i].kernel,
                             has_k ? "linked, no row of this image calls it" : "missing");
            }
            for (uint32_t i = t.n_regions; i-- > 0;)
                flash = t.regions[i].kind == TS_MEM_FLASH ? (uint32_t)t.regions[i].base : flash;
            cr_assert_eq(elf->segments[0].vaddr, flash, "%s linked at 0x%08x", path,
                         elf->segments[0].vaddr);
            for (unsigned s = 0; s < elf->n_segments; s++)
                cr_assert_eq(elf->segments[s].flags & 2u, 0, "%s: writable segment %u", path, s);
            cr_assert_eq(ts_elf_symbol(elf, "tsfw_abi_info", &abi, &err), TS_OK, "%s", err.msg);
            abi = abi - elf->segments[0].vaddr + elf->segments[0].offset;
            cr_assert_leq(abi + sizeof want, elf->len);
            cr_assert_eq(memcmp(elf->bytes + abi, want, sizeof want), 0, "%s: ABI words differ",
                         path);
            ts_elf_free(elf);
            elf = NULL;
        }
    }
}

Test(unit, a_fault_inside_the_firmware_names_op_pc_address_and_core)
{
    ts_target t;
    ts_gen *g = NULL;
    ts_ref *r = NULL;
    ts_platform *p = NULL;
    ts_core_config cc = {0};
    ts_unit *u = NULL;
    ts_unit_io io;
    ts_unit_cost cost;
    ts_err err;

    ts_err_clear(&err);
    memset(&io, 0, sizeof io);
    load_target_named("cortex-m4", &t);
    need_firmware(&t);
    cr_assert_eq(ts_gen_build("fc:16,4", 1, &g, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare_graph(ts_gen_graph(g), "fc", &r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_platform_open(&t, NULL, TS_KERNELS_REF, &p, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_platform_boot(p, &cc, 0x20008000u, 2048, &err), TS_OK, "%s", err.msg);
    ts_unit_cfg cfg = {&t, p, "fc", 0x20000100u};
    cr_assert_eq(ts_unit_open("cpu", &cfg, &u, &err), TS_OK, "%s", err.msg);
    ts_unit_op op = {0, "FULLY_CONNECTED", ts_ref_op_at(r, 0), 64};
    cr_assert(ts_unit_supports(u, &op));
    cr_assert_eq(ts_unit_estimate(u, &op, &cost, &err), TS_ERR_UNSUPPORTED);
    ts_err_clear(&err);
    io.in_addr[0] = 0x20001000u, io.in_addr[1] = 0x20002000u, io.in_addr[2] = 0x20003000u;
    io.out_addr = 0x70000000u; /* unmapped */
    io.multiplier_addr = 0x20004000u, io.shift_addr = 0x20004100u;
    io.scratch_addr = 0x20005000u;
    cr_assert_eq(ts_unit_execute(u, &op, &io, &cost, &err), TS_ERR_EMU, "%s", err.msg);
    cr_assert(strstr(err.msg, "fc: op 0 (FULLY_CONNECTED): "), "%s", err.msg);
    cr_assert(strstr(err.msg, "pc 0x080"), "%s", err.msg);
    cr_assert(strstr(err.msg, "0x70000000"), "%s", err.msg);
    cr_assert(strstr(err.msg, "cortex-m4"), "%s", err.msg);
    ts_unit_close(u);
    ts_platform_close(p);
    ts_ref_free(r);
    ts_gen_free(g);
}
