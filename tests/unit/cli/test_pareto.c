/* test_pareto.c: the Pareto front (bench/pareto.c) on hand-made point sets whose fronts are
 * worked out by hand in the comments: ordinary sets, ties in one metric, duplicates, NaN,
 * one and three metrics; the metric names; the on-chip bytes (area proxy) of a hand-written
 * configuration. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pareto.h"

/* The indices on the front, as a string "0 2 5" (for readable failures). */
static const char *front_of(const double *v, int n, int k, int *count)
{
    static char buf[128];
    bool on[32];

    cr_assert_leq(n, 32);
    memset(on, 0xAA, sizeof on);
    *count = pareto_front(v, n, k, on);
    buf[0] = '\0';
    for (int i = 0; i < n; i++)
        if (on[i])
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", buf[0] ? " " : "", i);
    return buf;
}

Test(pareto, an_empty_set_has_an_empty_front_and_one_point_is_its_own_front)
{
    int n;

    cr_assert_str_eq(front_of(NULL, 0, 2, &n), "");
    cr_assert_eq(n, 0);
    cr_assert_str_eq(front_of((double[]){7, 9}, 1, 2, &n), "0");
    cr_assert_eq(n, 1);
}

Test(pareto, dominated_points_are_left_out)
{
    /* (1,5) (2,2) (5,1) trade off; (3,3) and (2,4) are dominated by (2,2), (6,6) by all */
    const double v[] = {3, 3, 1, 5, 6, 6, 2, 2, 2, 4, 5, 1};
    int n;

    cr_assert_str_eq(front_of(v, 6, 2, &n), "1 3 5");
    cr_assert_eq(n, 3);
}

Test(pareto, a_tie_in_one_metric_is_decided_by_the_other)
{
    /* same cycles, more energy: dominated; same energy, more cycles: dominated */
    const double v[] = {10, 4, 10, 5, 12, 4, 9, 8};
    int n;

    cr_assert_str_eq(front_of(v, 4, 2, &n), "0 3");
    cr_assert_eq(n, 2);
}

Test(pareto, duplicates_do_not_dominate_each_other)
{
    /* two equal optimal points are both on the front; two equal dominated points are not */
    const double v[] = {1, 5, 1, 5, 3, 1, 4, 4, 4, 4};
    int n;

    cr_assert_str_eq(front_of(v, 5, 2, &n), "0 1 2");
    cr_assert_eq(n, 3);
}

Test(pareto, a_point_without_a_metric_is_never_on_the_front_nor_dominates)
{
    /* (0, NaN) would dominate everything if NaN compared as small */
    const double v[] = {0, NAN, 2, 2, 3, 1};
    int n;

    cr_assert_str_eq(front_of(v, 3, 2, &n), "1 2");
    cr_assert_eq(n, 2);
}

Test(pareto, one_metric_keeps_the_minima_and_three_metrics_keep_every_trade_off)
{
    const double one[] = {5, 3, 4, 3};
    /* (1,1,9) (9,1,1) (1,9,1) trade off; (2,2,9) is dominated by (1,1,9); (5,5,5) by none */
    const double three[] = {1, 1, 9, 9, 1, 1, 2, 2, 9, 1, 9, 1, 5, 5, 5};
    int n;

    cr_assert_str_eq(front_of(one, 4, 1, &n), "1 3");
    cr_assert_str_eq(front_of(three, 5, 3, &n), "0 1 3 4");
    cr_assert_eq(n, 4);
}

Test(pareto, short_metric_names_map_to_recorded_metrics_and_others_pass_through)
{
    pareto_metric scratch;
    const pareto_metric *m = pareto_metric_find("energy", &scratch);

    cr_assert_str_eq(m->metric, "energy_uj.total");
    cr_assert_str_eq(pareto_metric_find("cycles", &scratch)->metric, "cycles");
    cr_assert_str_eq(pareto_metric_find("latency", &scratch)->metric, "latency_ms");
    cr_assert_null(pareto_metric_find("area", &scratch)->metric, "area is computed");
    m = pareto_metric_find("region.flash.read_bytes", &scratch);
    cr_assert_eq(m, &scratch);
    cr_assert_str_eq(m->metric, "region.flash.read_bytes");
}

Test(pareto, area_counts_sram_tcm_and_unit_buffers_but_not_flash)
{
    /* 1000 (sram) + 24 (tcm) + 512 + 8 (units' *_bytes) = 1544; flash, mmio, the region
     * "base" and a per-byte energy ("_byte") are not memory of the part */
    const char *cfg =
        "{\"memory\": [{\"kind\": \"flash\", \"size\": 9999, \"base\": 4096}, {\"kind\": "
        "\"sram\", \"size\": 1000}, {\"kind\": \"tcm\", \"size\": 24}, {\"kind\": \"mmio\", "
        "\"size\": 4096}], \"units\": {\"dsp\": {\"local_memory_bytes\": 512, \"energy\": "
        "{\"pj_per_local_read_byte\": 7}}, \"x\": {\"y\": {\"buf_bytes\": 8}}}}";
    double v = -1;

    cr_assert(pareto_onchip_bytes(cfg, &v));
    cr_assert_float_eq(v, 1544.0, 1e-9);
    cr_assert_not(pareto_onchip_bytes("{\"name\": 1}", &v), "no memory array");
    cr_assert_not(pareto_onchip_bytes("not json", &v));
}
