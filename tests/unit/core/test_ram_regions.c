/* Tests that data traffic is charged to the RAM region that holds each address (core.c
 * track_ram: loads and stores replayed from decode on targets with several RAM regions), with
 * the same counts as exact_mem's Unicorn memory hooks, the reference. Firmware: ram_regions.S
 * on the Cortex-M7 target (itcm, flash, dtcm, axisram), stack in one region, data in another,
 * stack moved to a third half-way. */
#include <string.h>

#include "core_test.h"

static ts_core_stats run_mode(const ts_target *t, const char *fw, ts_core_config cfg)
{
    return run_fw_cfg(t, fw, &cfg);
}

static int region_of(const ts_target *t, const char *name)
{
    for (unsigned i = 0; i < t->n_regions; i++)
        if (!strcmp(t->regions[i].name, name))
            return (int)i;
    cr_assert_fail("target %s has no region %s", t->name, name);
    return -1;
}

/* Every region's data counters of a equal those of b. */
static void expect_same_traffic(const ts_target *t, const ts_core_stats *a,
                                const ts_core_stats *b, const char *fw, const char *what)
{
    cr_expect_eq(a->cycles, b->cycles, "%s %s: cycles %llu vs %llu", fw, what,
                 (unsigned long long)a->cycles, (unsigned long long)b->cycles);
    for (unsigned i = 0; i < t->n_regions; i++) {
        const ts_mem_counters *x = &a->region[i], *y = &b->region[i];
        const char *r = t->regions[i].name;

        cr_expect_eq(x->read_accesses, y->read_accesses, "%s %s: %s reads %llu vs %llu", fw,
                     what, r, (unsigned long long)x->read_accesses,
                     (unsigned long long)y->read_accesses);
        cr_expect_eq(x->read_bytes, y->read_bytes, "%s %s: %s read bytes", fw, what, r);
        cr_expect_eq(x->write_accesses, y->write_accesses, "%s %s: %s writes %llu vs %llu", fw,
                     what, r, (unsigned long long)x->write_accesses,
                     (unsigned long long)y->write_accesses);
        cr_expect_eq(x->write_bytes, y->write_bytes, "%s %s: %s write bytes", fw, what, r);
    }
}

/* fw writes and reads in each of the named regions, and the counts match exact_mem, and
 * accounting each block run at its hook (per_block) instead of deferring repeats. */
static void check_fw(const char *fw, const char *const regions[3])
{
    ts_target t = load_target("cortex-m7", false);
    ts_core_stats a = run_mode(&t, fw, (ts_core_config){0});
    ts_core_stats e = run_mode(&t, fw, (ts_core_config){.exact_mem = true});
    ts_core_stats p = run_mode(&t, fw, (ts_core_config){.per_block = true});

    for (int k = 0; k < 3; k++) {
        const ts_mem_counters *n = &e.region[region_of(&t, regions[k])];
        cr_expect_gt(n->write_accesses, 0, "%s: exact_mem sees no write in %s", fw, regions[k]);
        cr_expect_gt(n->read_accesses, 0, "%s: exact_mem sees no read in %s", fw, regions[k]);
    }
    expect_same_traffic(&t, &a, &e, fw, "vs exact_mem");
    expect_same_traffic(&t, &a, &p, fw, "vs per_block");
}

Test(ram_regions, stack_in_dtcm_data_in_axisram_is_charged_as_exact_mem_charges_it)
{
    static const char *const regions[3] = {"dtcm", "axisram", "itcm"};

    check_fw("m7_ram_a", regions);
}

Test(ram_regions, stack_in_axisram_data_in_dtcm_is_charged_as_exact_mem_charges_it)
{
    static const char *const regions[3] = {"axisram", "dtcm", "dtcm"};

    check_fw("m7_ram_b", regions);
}

Test(ram_regions, one_ram_region_keeps_the_static_count)
{
    /* cortex-m4 has one RAM region: its traffic is counted statically (no replay), and what
     * the static count includes beyond exact_mem's hooks is IT-skipped accesses only */
    ts_target t = load_target("cortex-m4", false);
    ts_core_stats a = run_mode(&t, "dot_small", (ts_core_config){0});
    ts_core_stats e = run_mode(&t, "dot_small", (ts_core_config){.exact_mem = true});
    int s = region_of(&t, "sram");

    cr_expect_eq(a.region[s].write_accesses, e.region[s].write_accesses);
    cr_expect_eq(a.region[s].read_accesses, e.region[s].read_accesses);
}

/* The vector table's SP is in AXI SRAM; the start-up code moves the stack to DTCM, where the
 * data also live (m7_sp_move). Every data access lands in DTCM (and flash): exact_mem's hooks
 * say so, the default replay too, and --fast-mem, which counts data traffic in the stack's
 * region, must follow the stack when it moves instead of charging the initial SP's region. */
Test(ram_regions, a_stack_moved_from_axisram_to_dtcm_is_charged_to_dtcm_in_every_mode)
{
    ts_target t = load_target("cortex-m7", false);
    int dtcm = region_of(&t, "dtcm"), axi = region_of(&t, "axisram");
    ts_core_stats e = run_mode(&t, "m7_sp_move", (ts_core_config){.exact_mem = true});
    ts_core_stats a = run_mode(&t, "m7_sp_move", (ts_core_config){0});
    ts_core_stats f = run_mode(&t, "m7_sp_move", (ts_core_config){.fast_mem = true});
    const ts_core_stats *modes[3] = {&e, &a, &f};
    static const char *const names[3] = {"exact_mem", "default", "fast_mem"};

    for (int m = 0; m < 3; m++) {
        const ts_mem_counters *x = &modes[m]->region[axi], *d = &modes[m]->region[dtcm];
        /* fast_mem counts flash loads in the stack's region: crt0's literal load of
         * __stack_top, made before the move, is one read in axisram */
        uint64_t before_move = modes[m] == &f ? 1 : 0;

        cr_expect_eq(x->read_accesses, before_move, "%s: %llu reads charged to axisram",
                     names[m], (unsigned long long)x->read_accesses);
        cr_expect_eq(x->write_accesses, 0, "%s: %llu writes charged to axisram", names[m],
                     (unsigned long long)x->write_accesses);
        cr_expect_gt(d->read_accesses, 0, "%s: no read in dtcm", names[m]);
        cr_expect_gt(d->write_accesses, 0, "%s: no write in dtcm", names[m]);
    }
    expect_same_traffic(&t, &a, &e, "m7_sp_move", "vs exact_mem");
    /* fast_mem: every decoded access in the stack's region (flash loads included) */
    cr_expect_eq(f.region[dtcm].read_accesses, f.static_loads - 1);
    cr_expect_eq(f.region[dtcm].write_accesses, f.static_stores);
}
