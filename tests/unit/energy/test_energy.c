/* Tests for sim/energy: the energy of a synthetic cost checked by hand arithmetic, every
 * component (including the non-CPU unit terms no unit produces yet) priced from its own
 * parameter, components adding up to the total, linearity (so per-layer energies add up to the
 * total of a run). (That every shipped target prices its energy with a source: engine suite,
 * test_energy_band.c.) */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "sim/energy/energy.h"

/* A target with round prices: 100 MHz, core 100 pJ/cycle, static 5 mW; flash read 200 pJ per
 * 64-bit access, cache hit 20 pJ, 16-byte lines of an I- and D-cache (a fill is 2 reads), one
 * wait state; SRAM read 10 / write 20 pJ; unit MAC 0.5, ALU 0.1, local read 1, local write 2,
 * DMA 3 pJ. */
static ts_target synthetic_target(void)
{
    ts_target t;

    memset(&t, 0, sizeof t);
    strcpy(t.name, "synthetic");
    t.clock_hz = 100000000;
    t.energy_core_pj_per_cycle = 100.0;
    t.energy_static_mw = 5.0;
    t.n_regions = 2;
    strcpy(t.regions[0].name, "flash");
    t.regions[0].kind = TS_MEM_FLASH;
    t.regions[0].read_pj = 200.0;
    t.regions[0].cache_hit_pj = 20.0;
    t.regions[0].wait_states = 1;
    t.regions[0].width_bits = 64;
    t.regions[0].line_bytes = 16;
    t.regions[0].icache_lines = 4;
    t.regions[0].dcache_lines = 4;
    strcpy(t.regions[1].name, "sram");
    t.regions[1].kind = TS_MEM_SRAM;
    t.regions[1].read_pj = 10.0;
    t.regions[1].write_pj = 20.0;
    t.unit_mac_pj = 0.5;
    t.unit_alu_pj = 0.1;
    t.unit_local_read_pj_per_byte = 1.0;
    t.unit_local_write_pj_per_byte = 2.0;
    t.unit_dma_pj_per_byte = 3.0;
    return t;
}

static ts_unit_cost synthetic_cost(void)
{
    ts_unit_cost c;

    memset(&c, 0, sizeof c);
    c.cycles = 1000;
    c.n_regions = 2;
    c.region[0].fetch_accesses = 300;
    c.region[0].fetch_bytes = 4800;   /* bytes, stalls and cache counts cost nothing */
    c.region[0].read_accesses = 50;
    c.region[0].stall_cycles = 77;
    c.region[0].icache_hits = 99;
    c.region[0].icache_misses = 10;
    c.region[0].dcache_hits = 45; /* every load looked up in the D-cache */
    c.region[0].dcache_misses = 5;
    c.region[1].read_accesses = 100;
    c.region[1].write_accesses = 40;
    c.region[1].write_bytes = 160;
    c.unit.busy_cycles = 500;
    c.unit.mac_ops = 1000;
    c.unit.alu_ops = 200;
    c.unit.local_read_bytes = 400;
    c.unit.local_write_bytes = 100;
    c.unit.dma_bytes = 64;
    c.unit.dma_transfers = 2;
    return c;
}

static double sum_parts(const ts_energy *e)
{
    double s = 0.0;

    for (unsigned p = 0; p < TS_ENERGY_N_PARTS; p++)
        s += e->part_uj[p];
    for (unsigned i = 0; i < e->n_regions; i++)
        s += e->region_uj[i];
    return s;
}

#define EXPECT_UJ(got, want) \
    cr_expect(fabs((got) - (want)) <= 1e-12 * fabs(want) + 1e-15, "%s = %.12g, want %.12g", \
              #got, (double)(got), (double)(want))

Test(energy, synthetic_cost_matches_hand_arithmetic)
{
    ts_target t = synthetic_target();
    ts_unit_cost c = synthetic_cost();
    ts_energy e;

    ts_energy_of(&t, &c, &e);
    EXPECT_UJ(e.part_uj[TS_ENERGY_CORE], 0.1);           /* 1000 cycles x 100 pJ */
    EXPECT_UJ(e.part_uj[TS_ENERGY_STATIC], 0.05);        /* 5 mW x 10 us */
    /* (300 fetches + 50 loads) x 20 pJ from the caches + (10 + 5) line fills x 2 x 200 pJ */
    EXPECT_UJ(e.region_uj[0], 0.013);
    EXPECT_UJ(e.region_uj[1], 0.0018);                   /* 100 x 10 + 40 x 20 pJ */
    EXPECT_UJ(e.part_uj[TS_ENERGY_UNIT_COMPUTE], 520e-6); /* 1000 x 0.5 + 200 x 0.1 pJ */
    EXPECT_UJ(e.part_uj[TS_ENERGY_UNIT_LOCAL], 600e-6);  /* 400 x 1 + 100 x 2 pJ */
    EXPECT_UJ(e.part_uj[TS_ENERGY_DMA], 192e-6);         /* 64 x 3 pJ */
    EXPECT_UJ(e.total_uj, 0.166112);
    cr_expect_eq(e.n_regions, 2);
}

Test(energy, cycles_asleep_in_wfi_cost_the_sleep_share_of_the_core_energy)
{
    ts_target t = synthetic_target();
    ts_unit_cost c = synthetic_cost();
    ts_energy e;

    t.energy_core_sleep_ratio = 0.25;
    c.wait_cycles = 600; /* of the 1000 cycles, 600 asleep waiting for a unit */
    ts_energy_of(&t, &c, &e);
    EXPECT_UJ(e.part_uj[TS_ENERGY_CORE], 0.055);  /* (400 + 600 x 0.25) x 100 pJ */
    EXPECT_UJ(e.part_uj[TS_ENERGY_STATIC], 0.05); /* static power runs the whole time */
}

Test(energy, a_cache_without_wait_states_still_serves_and_no_cache_charges_every_access)
{
    ts_target t = synthetic_target();
    ts_unit_cost c = synthetic_cost();
    ts_energy e;

    t.regions[0].wait_states = 0; /* the caches are still there: hits and fills as above */
    ts_energy_of(&t, &c, &e);
    EXPECT_UJ(e.region_uj[0], 0.013);
    t.regions[0].icache_lines = t.regions[0].dcache_lines = 0;
    c.region[0].icache_hits = c.region[0].icache_misses = 0;
    c.region[0].dcache_hits = c.region[0].dcache_misses = 0;
    ts_energy_of(&t, &c, &e);
    EXPECT_UJ(e.region_uj[0], 0.07); /* (300 + 50) reads x 200 pJ */
    EXPECT_UJ(e.total_uj, 0.223112);
}

/* Loads never looked up in the region's D-cache (a unit's DMA, --fast-mem's static count)
 * are reads of the region itself: 20 more reads than the cache saw cost 20 x 200 pJ, not
 * 20 x 20 pJ. */
Test(energy, loads_the_cache_never_saw_cost_a_read_of_the_region)
{
    ts_target t = synthetic_target();
    ts_unit_cost c = synthetic_cost();
    ts_energy base, e;

    ts_energy_of(&t, &c, &base);
    c.region[0].read_accesses += 20;
    ts_energy_of(&t, &c, &e);
    EXPECT_UJ(e.region_uj[0] - base.region_uj[0], 0.004); /* 20 x 200 pJ */
}

Test(energy, components_add_up_to_the_total_and_costs_add_linearly)
{
    ts_target t = synthetic_target();
    uint32_t seed = 7;

    for (int trial = 0; trial < 200; trial++) {
        ts_unit_cost a, b, sum;
        ts_energy ea, eb, es;

        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        a.n_regions = b.n_regions = 2;
        for (size_t k = 0; k < sizeof a / sizeof(uint64_t) - 1; k++) {
            seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
            ((uint64_t *)(void *)&a)[k] = seed % 100000;
            ((uint64_t *)(void *)&b)[k] = (seed >> 7) % 100000;
        }
        a.n_regions = b.n_regions = 2;
        a.wait_cycles %= a.cycles + 1, b.wait_cycles %= b.cycles + 1; /* asleep within cycles */
        memset(&sum, 0, sizeof sum);
        ts_unit_cost_add(&sum, &a);
        ts_unit_cost_add(&sum, &b);
        ts_energy_of(&t, &a, &ea);
        ts_energy_of(&t, &b, &eb);
        ts_energy_of(&t, &sum, &es);
        EXPECT_UJ(sum_parts(&ea), ea.total_uj);
        EXPECT_UJ(sum_parts(&es), es.total_uj);
        cr_expect(fabs(ea.total_uj + eb.total_uj - es.total_uj) <= 1e-9 * es.total_uj,
                  "trial %d: %.12g + %.12g != %.12g", trial, ea.total_uj, eb.total_uj,
                  es.total_uj);
    }
}

Test(energy, a_target_without_energy_parameters_costs_nothing)
{
    ts_target t = synthetic_target();
    ts_unit_cost c = synthetic_cost();
    ts_energy e;

    t.energy_core_pj_per_cycle = t.energy_static_mw = 0.0;
    t.regions[0].read_pj = t.regions[1].read_pj = t.regions[1].write_pj = 0.0;
    t.regions[0].cache_hit_pj = 0.0;
    t.unit_mac_pj = t.unit_alu_pj = t.unit_local_read_pj_per_byte = 0.0;
    t.unit_local_write_pj_per_byte = t.unit_dma_pj_per_byte = 0.0;
    ts_energy_of(&t, &c, &e);
    cr_expect_eq(e.total_uj, 0.0);
}

Test(energy, part_table_names_every_component_once_and_regions_follow_one)
{
    unsigned n_follow = 0;

    for (unsigned i = 0; i < TS_ENERGY_N_PARTS; i++) {
        const ts_energy_part_info *a = ts_energy_part_at(i);

        n_follow += a->regions_follow;
        cr_expect(a->meaning && a->meaning[0]);
        for (unsigned j = 0; j < i; j++)
            cr_expect(strcmp(a->key, ts_energy_part_at(j)->key), "%s twice", a->key);
    }
    cr_expect_eq(n_follow, 1);
}
