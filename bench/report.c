/* report.c: tables shared by the CLI's reports (see report.h). Layer: bench/. */
#include "report.h"

#include <stdio.h>

void report_regions(const ts_target *t, const ts_mem_counters *r, unsigned n)
{
    printf("%-10s %-6s %14s %14s %14s %14s %14s %14s %12s\n", "region", "kind", "fetch_acc",
           "fetch_B", "read_acc", "read_B", "write_acc", "write_B", "stall_cyc");
    for (unsigned i = 0; i < n; i++)
        printf("%-10s %-6s %14llu %14llu %14llu %14llu %14llu %14llu %12llu\n",
               t->regions[i].name, ts_target_kind_name(t->regions[i].kind),
               (unsigned long long)r[i].fetch_accesses, (unsigned long long)r[i].fetch_bytes,
               (unsigned long long)r[i].read_accesses, (unsigned long long)r[i].read_bytes,
               (unsigned long long)r[i].write_accesses, (unsigned long long)r[i].write_bytes,
               (unsigned long long)r[i].stall_cycles);
}
