/* report.c: tables shared by the CLI's reports (see report.h), generated from the counter
 * tables (sim/mem/counters.def, sim/unit/unit_counters.def). Layer: bench/. Counts are printed
 * with thousands separators (fmt_count), as every table of the CLI. */
#include "report.h"

#include <stdio.h>

#include "fmt.h"

void report_regions(const ts_target *t, const ts_mem_counters *r, unsigned n)
{
    printf("%-10s %-6s", "region", "kind");
    for (unsigned k = 0; k < TS_MEM_N_COUNTERS; k++) {
        const ts_mem_counter_info *ci = ts_mem_counter_at(k);
        if (ci->width)
            printf(" %*s", ci->width, ci->column);
    }
    printf("\n");
    for (unsigned i = 0; i < n; i++) {
        printf("%-10s %-6s", t->regions[i].name, ts_target_kind_name(t->regions[i].kind));
        for (unsigned k = 0; k < TS_MEM_N_COUNTERS; k++) {
            const ts_mem_counter_info *ci = ts_mem_counter_at(k);
            char c[32];
            if (ci->width)
                printf(" %*s", ci->width, fmt_count(c, sizeof c, ts_mem_counter_get(&r[i], ci)));
        }
        printf("\n");
    }
}

cJSON *report_region_json(const ts_target_region *r, const ts_mem_counters *n)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddStringToObject(o, "kind", ts_target_kind_name(r->kind));
    for (unsigned k = 0; k < TS_MEM_N_COUNTERS; k++) {
        const ts_mem_counter_info *ci = ts_mem_counter_at(k);
        if (ci->json_key)
            cJSON_AddNumberToObject(o, ci->json_key, (double)ts_mem_counter_get(n, ci));
    }
    return o;
}

void report_unit_json(cJSON *o, const ts_unit_counters *n)
{
    cJSON *u;

    if (!ts_unit_counters_any(n))
        return;
    u = cJSON_AddObjectToObject(o, "unit_counters");
    for (unsigned k = 0; k < TS_UNIT_N_COUNTERS; k++) {
        const ts_unit_counter_info *ci = ts_unit_counter_at(k);
        cJSON_AddNumberToObject(u, ci->json_key, (double)ts_unit_counter_get(n, ci));
    }
}

void report_energy_json(cJSON *o, const ts_target *t, const ts_energy *en)
{
    cJSON *e = cJSON_AddObjectToObject(o, "energy_uj");

    cJSON_AddNumberToObject(e, "total", en->total_uj);
    for (unsigned p = 0; p < TS_ENERGY_N_PARTS; p++) {
        const ts_energy_part_info *pi = ts_energy_part_at(p);

        cJSON_AddNumberToObject(e, pi->key, en->part_uj[p]);
        for (unsigned i = 0; pi->regions_follow && i < en->n_regions; i++)
            cJSON_AddNumberToObject(e, t->regions[i].name, en->region_uj[i]);
    }
}

static void energy_line(const char *name, double uj, double total)
{
    char v[48];

    printf("  %-12s %14s uJ %6.2f%%\n", name, fmt_fixed(v, sizeof v, uj, 3),
           total > 0.0 ? 100.0 * uj / total : 0.0);
}

void report_energy_text(const ts_target *t, const ts_energy *en, uint64_t cycles)
{
    double s = (double)cycles / (double)t->clock_hz;
    char a[48], b[48], c[48];

    printf("energy        %s uJ (%s mW average over %s ms)\n",
           fmt_fixed(a, sizeof a, en->total_uj, 3),
           fmt_fixed(b, sizeof b, s > 0.0 ? en->total_uj * 1e-3 / s : 0.0, 2),
           fmt_fixed(c, sizeof c, s * 1e3, 3));
    for (unsigned p = 0; p < TS_ENERGY_N_PARTS; p++) {
        const ts_energy_part_info *pi = ts_energy_part_at(p);

        if (p <= TS_ENERGY_STATIC || en->part_uj[p] != 0.0)
            energy_line(pi->key, en->part_uj[p], en->total_uj);
        for (unsigned i = 0; pi->regions_follow && i < en->n_regions; i++)
            energy_line(t->regions[i].name, en->region_uj[i], en->total_uj);
    }
}
