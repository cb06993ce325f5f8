/* report.h: tables shared by the CLI's reports (bench, exec). Layer: bench/ (prints). */
#ifndef TS_REPORT_H
#define TS_REPORT_H

#include <cjson/cJSON.h>

#include "energy/energy.h"
#include "mem/mem.h"
#include "target/target.h"
#include "unit/unit.h"

/* The per-region traffic table: one column per reported counter of counters.def (fetch/read/
 * write accesses and bytes, stall cycles); one row per region of t (n entries of r, in the
 * target's region order). */
void report_regions(const ts_target *t, const ts_mem_counters *r, unsigned n);

/* A JSON object for region r with counters n: name, kind, then every counter of counters.def
 * that has a json_key, in table order. Caller owns the object. */
cJSON *report_region_json(const ts_target_region *r, const ts_mem_counters *n);

/* Adds object "unit" to o with every counter of unit_counters.def, only when some is nonzero
 * (the cpu unit's reports are unchanged). */
void report_unit_json(cJSON *o, const ts_unit_counters *n);

/* Adds object "energy_uj" to o: total, then every component of en in report order (core,
 * static, each region of t by name, unit compute, unit local memory, DMA), microjoules. */
void report_energy_json(cJSON *o, const ts_target *t, const ts_energy *en);

/* The energy block of a text report: the total (and average power over `cycles`), then one line
 * per component with its share; unit components only when nonzero. */
void report_energy_text(const ts_target *t, const ts_energy *en, uint64_t cycles);

#endif
