/* test_dsp_unit.c: the DSP unit behind the MMIO doorbell, end to end through `tinysim bench`:
 * on cortex-m4-dsp the generated DS-CNN is split between the DSP (conv, depthwise, pooling,
 * FC, softmax) and the core (RESHAPE), its outputs equal the plain M4's byte for byte, an
 * offloaded layer costs the core's few instructions plus the sleep until the unit is done, and
 * the unit's counters, DMA traffic and energy are reported. Skips visibly without firmware. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <unistd.h>

#include "tests/unit/cli/cli_run.h"
#include "tests/unit/engine/engine_test.h"

static cJSON *bench_json(const char *target, const char *model)
{
    const char *args[] = {"bench", "--no-db", "--target", target, model, "--json", NULL};
    cli_result r = cli_run(args);
    cJSON *j;

    cr_assert_eq(r.status, 0, "%s: %s", target, r.err);
    j = cJSON_Parse(r.out);
    cr_assert_not_null(j);
    cli_result_free(&r);
    return j;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);

    cr_assert(cJSON_IsNumber(v), "%s missing", k);
    return v->valuedouble;
}

Test(dsp_unit, a_model_split_across_core_and_dsp_gives_the_m4s_outputs_at_the_units_cost)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("ds_cnn", path,
                                                                         sizeof path));
    cJSON *m4 = bench_json("cortex-m4", model), *dsp = bench_json("cortex-m4-dsp", model);
    cJSON *l, *u;
    char *o1 = cJSON_PrintUnformatted(cJSON_GetObjectItem(m4, "outputs"));
    char *o2 = cJSON_PrintUnformatted(cJSON_GetObjectItem(dsp, "outputs"));
    int n_dsp = 0, n_cpu = 0;
    double busy = 0;

    cr_assert_str_eq(o1, o2, "outputs differ between the core and the DSP");
    cJSON_ArrayForEach(l, cJSON_GetObjectItem(dsp, "layers")) {
        const char *unit = cJSON_GetObjectItem(l, "unit")->valuestring;
        if (strcmp(unit, "dsp") == 0) {
            n_dsp++;
            u = cJSON_GetObjectItem(l, "unit_counters");
            cr_assert_not_null(u, "an offloaded layer reports the unit's counters");
            cr_assert_gt(num(u, "busy_cycles"), 0);
            cr_assert_gt(num(u, "dma_bytes"), 0);
            busy += num(u, "busy_cycles");
            /* the core writes no kernel: a handful of instructions, then sleeps in WFI */
            cr_assert_lt(num(l, "instructions"), 100);
            cr_assert_geq(num(l, "cycles"), num(u, "busy_cycles"),
                          "the core waits at least as long as the unit works (same clock)");
        } else {
            cr_assert_str_eq(unit, "cpu");
            n_cpu++;
        }
    }
    cr_assert_gt(n_dsp, 8, "conv, depthwise, pool, FC and softmax run on the DSP");
    cr_assert_gt(n_cpu, 0, "RESHAPE stays on the core");
    cr_assert_lt(num(cJSON_GetObjectItem(dsp, "totals"), "cycles"),
                 num(cJSON_GetObjectItem(m4, "totals"), "cycles") / 4);
    cr_assert_gt(num(cJSON_GetObjectItem(dsp, "totals"), "cycles"), busy);
    unlink(model);
    free(o1), free(o2);
    cJSON_Delete(m4), cJSON_Delete(dsp);
}

Test(dsp_unit, every_op_stays_on_the_core_when_the_target_has_no_dsp_registers)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("ds_cnn", path,
                                                                         sizeof path));
    cJSON *m4 = bench_json("cortex-m4", model), *l;

    cJSON_ArrayForEach(l, cJSON_GetObjectItem(m4, "layers"))
        cr_assert_str_eq(cJSON_GetObjectItem(l, "unit")->valuestring, "cpu");
    unlink(model);
    cJSON_Delete(m4);
}

/* compare's energy rows are the engine's energy model on each target's totals: equal to what
 * bench --json reports, and the components add up to the total. */
Test(dsp_unit, compare_reports_each_targets_energy_by_component_as_bench_does)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("ds_cnn", path,
                                                                         sizeof path));
    const char *args[] = {"compare", model, "--targets", "cortex-m4,cortex-m4-dsp", "--json",
                          NULL};
    const char *names[] = {"cortex-m4", "cortex-m4-dsp"};
    cli_result r = cli_run(args);
    cJSON *c = cJSON_Parse(r.out), *t;
    int k = 0;

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(c);
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(c, "targets")) {
        const cJSON *f = cJSON_GetObjectItem(t, "figures");
        cJSON *b = bench_json(names[k++], model);
        const cJSON *e = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "totals"), "energy_uj");
        double parts = num(f, "energy_core_uj") + num(f, "energy_static_uj") +
                       num(f, "energy_memories_uj") + num(f, "energy_unit_compute_uj") +
                       num(f, "energy_unit_local_uj") + num(f, "energy_dma_uj");

        cr_assert_float_eq(num(f, "energy_uj"), num(e, "total"), 1e-9 * num(e, "total"));
        cr_assert_float_eq(parts, num(f, "energy_uj"), 1e-9 * num(f, "energy_uj"));
        cJSON_Delete(b);
    }
    cr_assert_eq(k, 2);
    unlink(model);
    cli_result_free(&r);
    cJSON_Delete(c);
}

Test(dsp_unit, the_text_report_marks_the_layers_the_dsp_ran)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("ds_cnn", path,
                                                                         sizeof path));
    const char *args[] = {"bench", "--no-db", "--target", "cortex-m4-dsp", model, NULL};
    cli_result r = cli_run(args);

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "units cpu + dsp"), "%s", r.out);
    cr_assert(strstr(r.out, "DEPTHWISE_CONV_2D [dsp]"), "%s", r.out);
    cr_assert(strstr(r.out, " RESHAPE "), "RESHAPE stays on the core, unmarked: %s", r.out);
    unlink(model);
    cli_result_free(&r);
}
