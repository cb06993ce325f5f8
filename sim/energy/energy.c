/* energy.c: energy of a cost from the target's per-event energies (see energy.h). Layer:
 * sim/energy. Arithmetic only: never prints, never emulates. The events each counter stands for
 * come from the counter tables (counters.def, unit_counters.def); the prices from the target. */
#include "energy.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#define PJ_PER_UJ 1e6

static const ts_energy_part_info parts[TS_ENERGY_N_PARTS] = {
#define TS_ENERGY_PART(id, key, regions, meaning) {key, regions, meaning},
#include "target/energy_parts.def"
#undef TS_ENERGY_PART
};

/* ORDER ts_unit_event (unit.h): the part each unit event is charged to and its price in
 * ts_target (offset of a double, pJ per count). */
static const struct {
    int part; /* ts_energy_part, -1 = none */
    size_t price;
} unit_events[] = {
    {-1, 0},
    {TS_ENERGY_UNIT_COMPUTE, offsetof(ts_target, unit_mac_pj)},
    {TS_ENERGY_UNIT_COMPUTE, offsetof(ts_target, unit_alu_pj)},
    {TS_ENERGY_UNIT_LOCAL, offsetof(ts_target, unit_local_read_pj_per_byte)},
    {TS_ENERGY_UNIT_LOCAL, offsetof(ts_target, unit_local_write_pj_per_byte)},
    {TS_ENERGY_DMA, offsetof(ts_target, unit_dma_pj_per_byte)},
};

const ts_energy_part_info *ts_energy_part_at(unsigned i)
{
    assert(i < TS_ENERGY_N_PARTS);
    return &parts[i];
}

/* Energy of one event of region r, pJ. In a region with a cache (sim/mem looks it up at any
 * wait states) an access is a cache read and a miss also fills a line from the region, one
 * read_pj per width_bits of the line. */
static double event_pj(const ts_target_region *r, ts_mem_event ev)
{
    bool icache = r->icache_lines != 0, dcache = r->dcache_lines != 0;
    uint32_t w = r->width_bits ? r->width_bits : 32;
    double fill = r->read_pj * (double)((r->line_bytes * 8 + w - 1) / w);

    switch (ev) {
    case TS_MEM_EV_FETCH: return icache ? r->cache_hit_pj : r->read_pj;
    case TS_MEM_EV_LOAD: return dcache ? r->cache_hit_pj : r->read_pj;
    case TS_MEM_EV_WRITE: return r->write_pj;
    case TS_MEM_EV_IFILL: return icache ? fill : 0.0;
    case TS_MEM_EV_DFILL: return dcache ? fill : 0.0;
    case TS_MEM_EV_NONE: break;
    }
    return 0.0;
}

/* Energy of region r's counters n, pJ. The table prices every load of a region with a
 * D-cache as a cache read; loads that were never looked up in it (a unit's DMA reads,
 * ts_unit_charge_dma; --fast-mem's statically counted loads) are reads of the region itself:
 * read_accesses beyond the D-cache's hits and misses cost read_pj instead. [assumption] A
 * unit's DMA bypasses the core's flash cache (the ART serves the core's I-code and D-code
 * buses; RM0090 sect. 3.5 describes no DMA path through it). */
static double region_pj(const ts_target_region *r, const ts_mem_counters *n)
{
    double pj = 0.0;
    uint64_t looked_up = n->dcache_hits + n->dcache_misses;

    for (unsigned k = 0; k < TS_MEM_N_COUNTERS; k++) {
        const ts_mem_counter_info *ci = ts_mem_counter_at(k);

        pj += (double)ts_mem_counter_get(n, ci) * event_pj(r, ci->event);
    }
    if (r->dcache_lines) /* linear in the counters, so layer energies add up to the run's */
        pj += ((double)n->read_accesses - (double)looked_up) * (r->read_pj - r->cache_hit_pj);
    return pj;
}

static void add_unit_parts(const ts_target *t, const ts_unit_counters *u, ts_energy *out)
{
    for (unsigned k = 0; k < TS_UNIT_N_COUNTERS; k++) {
        const ts_unit_counter_info *ci = ts_unit_counter_at(k);
        double price;

        assert((size_t)ci->event < sizeof unit_events / sizeof unit_events[0]);
        if (unit_events[ci->event].part < 0)
            continue;
        memcpy(&price, (const char *)t + unit_events[ci->event].price, sizeof price);
        out->part_uj[unit_events[ci->event].part] +=
            (double)ts_unit_counter_get(u, ci) * price / PJ_PER_UJ;
    }
}

void ts_energy_of(const ts_target *t, const ts_unit_cost *c, ts_energy *out)
{
    assert(t && c && out && c->n_regions <= t->n_regions);
    memset(out, 0, sizeof *out);
    /* cycles asleep in WFI (waiting for a unit) at the sleep-mode share of the run energy */
    out->part_uj[TS_ENERGY_CORE] = ((double)(c->cycles - c->wait_cycles) +
                                    (double)c->wait_cycles * t->energy_core_sleep_ratio) *
                                   t->energy_core_pj_per_cycle / PJ_PER_UJ;
    /* mW x s = mJ = 1e3 uJ */
    out->part_uj[TS_ENERGY_STATIC] = t->energy_static_mw * ((double)c->cycles /
                                                            (double)t->clock_hz) * 1e3;
    out->n_regions = c->n_regions;
    for (unsigned i = 0; i < c->n_regions; i++)
        out->region_uj[i] = region_pj(&t->regions[i], &c->region[i]) / PJ_PER_UJ;
    add_unit_parts(t, &c->unit, out);
    for (unsigned p = 0; p < TS_ENERGY_N_PARTS; p++)
        out->total_uj += out->part_uj[p];
    for (unsigned i = 0; i < out->n_regions; i++)
        out->total_uj += out->region_uj[i];
}
