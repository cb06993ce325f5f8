/* report.h: tables shared by the CLI's reports (bench, exec). Layer: bench/ (prints). */
#ifndef TS_REPORT_H
#define TS_REPORT_H

#include "mem/mem.h"
#include "target/target.h"

/* The per-region traffic table: fetch/read/write accesses and bytes, stall cycles; one row
 * per region of t (n entries of r, in the target's region order). */
void report_regions(const ts_target *t, const ts_mem_counters *r, unsigned n);

#endif
