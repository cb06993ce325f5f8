/* Consistency tests over the counter tables: sim/mem/counters.def and
 * sim/unit/unit_counters.def, and the functions generated from them (add, diff, the fetch
 * delta, the unit counters of ts_unit_cost). A row whose generated code misses a field, or a
 * table with duplicate keys, fails here. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/mem/mem.h"
#include "sim/unit/unit.h"

/* Every counter of n set to base + its index (distinct per field). */
static void fill_mem(ts_mem_counters *n, uint64_t base)
{
    for (unsigned k = 0; k < TS_MEM_N_COUNTERS; k++)
        *(uint64_t *)(void *)((char *)n + ts_mem_counter_at(k)->offset) = base + k;
}

Test(counter_tables, mem_rows_cover_the_struct_without_overlap)
{
    cr_assert_eq(sizeof(ts_mem_counters), TS_MEM_N_COUNTERS * sizeof(uint64_t));
    for (unsigned i = 0; i < TS_MEM_N_COUNTERS; i++) {
        const ts_mem_counter_info *a = ts_mem_counter_at(i);

        cr_expect_eq(a->offset, i * sizeof(uint64_t), "%s: rows in struct order", a->name);
        cr_expect(a->meaning && a->meaning[0] && a->unit && a->unit[0], "%s: documented",
                  a->name);
        cr_expect(!a->width == !a->column, "%s: a shown column has a header", a->name);
        for (unsigned j = 0; j < i; j++) {
            const ts_mem_counter_info *b = ts_mem_counter_at(j);
            cr_expect(strcmp(a->name, b->name), "%s twice", a->name);
            cr_expect(!a->json_key || !b->json_key || strcmp(a->json_key, b->json_key),
                      "JSON key %s twice", a->json_key);
        }
    }
}

Test(counter_tables, mem_add_and_diff_touch_every_counter)
{
    ts_mem_counters a, b, sum, d;

    fill_mem(&a, 100);
    fill_mem(&b, 1000);
    sum = a;
    ts_mem_counters_add(&sum, &b);
    ts_mem_counters_diff(&d, &a, &sum);
    for (unsigned k = 0; k < TS_MEM_N_COUNTERS; k++) {
        const ts_mem_counter_info *ci = ts_mem_counter_at(k);
        cr_expect_eq(ts_mem_counter_get(&sum, ci), 1100 + 2 * k, "%s: add", ci->name);
        cr_expect_eq(ts_mem_counter_get(&d, ci), 1000 + k, "%s: diff", ci->name);
    }
}

Test(counter_tables, fetch_delta_carries_exactly_the_fetch_rows)
{
    static ts_target_region cfg = {.name = "flash", .kind = TS_MEM_FLASH};
    ts_mem_region r = {.cfg = &cfg};
    ts_mem_counters before;
    ts_mem_fetch_delta d;
    unsigned n_fetch = 0;

    fill_mem(&before, 10);
    fill_mem(&r.n, 50);
    d = ts_mem_fetch_delta_since(&r, &before);
    ts_mem_fetch_repeat(&r, &d, 3);
    for (unsigned k = 0; k < TS_MEM_N_COUNTERS; k++) {
        const ts_mem_counter_info *ci = ts_mem_counter_at(k);
        uint64_t want = ci->fetch ? 50 + k + 3 * 40 : 50 + k;
        cr_expect_eq(ts_mem_counter_get(&r.n, ci), want, "%s", ci->name);
        n_fetch += ci->fetch;
    }
    cr_expect_eq(sizeof d, n_fetch * sizeof(uint32_t));
}

Test(counter_tables, unit_rows_are_the_contract_with_the_unit_models)
{
    static const char *const want[] = {"busy_cycles", "mac_ops", "alu_ops", "local_read_bytes",
                                       "local_write_bytes", "dma_bytes", "dma_transfers",
                                       "pe_cycles"};

    cr_assert_eq(TS_UNIT_N_COUNTERS, sizeof want / sizeof want[0]);
    cr_assert_eq(sizeof(ts_unit_counters), TS_UNIT_N_COUNTERS * sizeof(uint64_t));
    for (unsigned i = 0; i < TS_UNIT_N_COUNTERS; i++) {
        const ts_unit_counter_info *ci = ts_unit_counter_at(i);
        cr_expect_str_eq(ci->name, want[i]);
        cr_expect_str_eq(ci->json_key, want[i]);
        cr_expect_eq(ci->offset, i * sizeof(uint64_t));
        cr_expect(ci->meaning && ci->meaning[0]);
    }
}

Test(counter_tables, unit_cost_add_and_diff_include_the_unit_counters)
{
    ts_unit_cost sum, c;
    ts_unit_counters d;

    memset(&sum, 0, sizeof sum);
    memset(&c, 0, sizeof c);
    cr_expect(!ts_unit_counters_any(&c.unit));
    c.n_regions = 2;
    c.cycles = 7;
    fill_mem(&c.region[1], 5);
    for (unsigned k = 0; k < TS_UNIT_N_COUNTERS; k++)
        *(uint64_t *)(void *)((char *)&c.unit + ts_unit_counter_at(k)->offset) = 1 + k;
    cr_expect(ts_unit_counters_any(&c.unit));
    ts_unit_cost_add(&sum, &c);
    ts_unit_cost_add(&sum, &c);
    cr_expect_eq(sum.cycles, 14);
    cr_expect_eq(sum.n_regions, 2);
    cr_expect_eq(sum.region[1].stall_cycles, 2 * (5 + TS_MEM_CTR_stall_cycles));
    ts_unit_counters_diff(&d, &c.unit, &sum.unit);
    for (unsigned k = 0; k < TS_UNIT_N_COUNTERS; k++) {
        const ts_unit_counter_info *ci = ts_unit_counter_at(k);
        cr_expect_eq(ts_unit_counter_get(&sum.unit, ci), 2 * (1 + k), "%s: add", ci->name);
        cr_expect_eq(ts_unit_counter_get(&d, ci), 1 + k, "%s: diff", ci->name);
    }
}
