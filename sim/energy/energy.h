/* energy.h: the energy model. Energy = event counts x per-event energies from the target file
 * + static power x time, split by component: the core (active energy per cycle), each memory
 * region by name (per read and write access, sim/mem/counters.def `event`), non-CPU unit
 * compute, unit local memory and DMA (sim/unit/unit_counters.def `event`), and static power.
 * Layer: sim/energy (above sim/unit, sim/mem, sim/target). Pure arithmetic on a cost: no
 * emulation, no printing. Linear in the counts: the energy of a sum of costs is the sum of their
 * energies (up to rounding), so per-layer energies add up to the total.
 * Caches in front of a region (with wait states): an access costs a cache read, a miss also a
 * line fill from the region.
 * Not modelled: energy that depends on data values or on which instructions run (one energy
 * per cycle), cache tag and write-back energy, caches in front of regions without wait states
 * (not simulated), DVFS and sleep states, regulator losses. */
#ifndef TS_ENERGY_H
#define TS_ENERGY_H

#include "target/target.h"
#include "unit/unit.h"

typedef enum ts_energy_part {
#define TS_ENERGY_PART(id, key, regions, meaning) TS_ENERGY_##id,
#include "target/energy_parts.def"
#undef TS_ENERGY_PART
    TS_ENERGY_N_PARTS
} ts_energy_part;

/* Energy of one cost, microjoules. */
typedef struct ts_energy {
    double total_uj;                          /* sum of every part and region */
    double part_uj[TS_ENERGY_N_PARTS];        /* by ts_energy_part */
    unsigned n_regions;                       /* as the target */
    double region_uj[TS_TARGET_MAX_REGIONS];  /* by target region index */
} ts_energy;

/* One row of energy_parts.def. */
typedef struct ts_energy_part_info {
    const char *key;     /* "core" */
    bool regions_follow; /* the region components come right after this part in reports */
    const char *meaning;
} ts_energy_part_info;

/* Row i (< TS_ENERGY_N_PARTS); static storage. */
const ts_energy_part_info *ts_energy_part_at(unsigned i);

/* Energy of cost c on target t, from t's energy parameters (0 when the file has none).
 * c->n_regions must not exceed t->n_regions. */
void ts_energy_of(const ts_target *t, const ts_unit_cost *c, ts_energy *out);

#endif
