/* Energy of whole runs (sim/energy through `tinysim bench` and the engine):
 * 0. Every shipped target prices its core and each memory region, each with a source.
 * 1. In `bench --json`, every layer's "energy_uj" components add up to its total, the layers'
 *    totals add up to the run's, and the run's components add up to its total (all within
 *    floating-point rounding), on targets with one and with several RAM regions.
 * 2. Sanity band: the MLPerf Tiny models' energy per inference on the M4, M7 and M33 targets
 *    lands within [0.5 x lowest, 2 x highest] of the energies published for the closed-division
 *    submissions on the board each target models (NUMBERS.md section 3.1: NUCLEO-L4R5ZI for
 *    cortex-m4, NUCLEO-H7A3ZI-Q for cortex-m7, NUCLEO-U575ZI-Q for cortex-m33; mlcommons/
 *    tiny_results v0.5-v1.3). Why a factor 2 on top of the published spread: the published
 *    figures are whole-board energies at the board's supply rail (1.8 V, or 3 V behind an SMPS),
 *    regulator losses included, for software stacks whose latency alone spans 4x on one board;
 *    tinysim's per-event energies are scaled from 45 nm figures to assumed process nodes and
 *    voltages, and its core energy per cycle is a datasheet run current (NUMBERS.md 5.1, 5.2),
 *    each uncertain by tens of percent; and the H7A3 runs at 280 MHz where the cortex-m7 target
 *    models a 480 MHz H743. A miss means a wrong unit or an order-of-magnitude error in a
 *    parameter, not a calibration detail. The models come from ../shared (visible skip when
 *    absent). */
#include <cjson/cJSON.h>
#include <math.h>
#include <unistd.h>

#include "cli_run.h"
#include "engine_test.h"
#include "sim/energy/energy.h"

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    cr_assert(cJSON_IsNumber(v), "no number %s", key);
    return v->valuedouble;
}

/* Components of an "energy_uj" object, all but "total", summed. */
static double sum_components(const cJSON *e)
{
    const cJSON *it;
    double s = 0.0;
    int n = 0;

    cJSON_ArrayForEach(it, e) {
        if (strcmp(it->string, "total") != 0)
            s += it->valuedouble, n++;
    }
    cr_expect_geq(n, 4, "core, static and at least two regions");
    return s;
}

static bool close_to(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fabs(b) + 1e-12;
}

static void check_additive(const char *target, const char *spec)
{
    char path[4096];
    const char *model = (need_target_firmware(target), cli_gen_model(spec, path, sizeof path));
    const char *args[] = {"bench", "--target", target, model, "--json", NULL};
    cli_result r = cli_run(args);
    cJSON *j = cJSON_Parse(r.out), *l;
    const cJSON *tot;
    double layers = 0.0;

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(j);
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(j, "layers")) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(l, "energy_uj");
        cr_expect(close_to(sum_components(e), num(e, "total")), "%s layer %g: parts %.9g vs %.9g",
                  target, num(l, "index"), sum_components(e), num(e, "total"));
        cr_expect_gt(num(e, "core"), 0.0);
        layers += num(e, "total");
    }
    tot = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "totals"),
                                           "energy_uj");
    cr_expect(close_to(layers, num(tot, "total")), "%s: layers %.9g vs total %.9g", target,
              layers, num(tot, "total"));
    cr_expect(close_to(sum_components(tot), num(tot, "total")), "%s: parts vs total", target);
    cJSON_Delete(j);
    cli_result_free(&r);
    unlink(model);
}

Test(energy_band, components_and_layers_add_up_to_the_total_in_bench_json)
{
    check_additive("cortex-m4", "ds_cnn");
    check_additive("cortex-m7", "ds_cnn");
}

typedef struct band_row {
    const char *target;
    const char *model;
    double min_uj; /* lowest published energy per inference on that board, uJ */
    double max_uj; /* highest */
} band_row;

static const band_row rows[] = {
    /* NUCLEO-L4R5ZI (M4 @120 MHz): lowest ST X-CUBE-AI 10.2 v1.3, highest OctoML microTVM
     * native v1.0 (KWS, AD) or the v0.5 reference TFLM + CMSIS-NN (VWW, IC) */
    {"cortex-m4", "kws_ds_cnn_int8", 1430.7, 7950.5},
    {"cortex-m4", "vww_mobilenetv1_int8", 3029.8, 24312.6},
    {"cortex-m4", "ic_resnet8_int8", 5495.9, 29207.0},
    {"cortex-m4", "ad_autoencoder_int8", 160.4, 633.7},
    /* NUCLEO-H7A3ZI-Q (M7 @280 MHz): lowest ST X-CUBE-AI 9.0 v1.2, highest ST v0.7 */
    {"cortex-m7", "kws_ds_cnn_int8", 1375.6, 3713.2},
    {"cortex-m7", "vww_mobilenetv1_int8", 2965.5, 10487.7},
    {"cortex-m7", "ic_resnet8_int8", 5090.3, 11200.2},
    {"cortex-m7", "ad_autoencoder_int8", 165.7, 349.0},
    /* NUCLEO-U575ZI-Q (M33 @160 MHz): lowest ST v1.2, highest ST v0.7 */
    {"cortex-m33", "kws_ds_cnn_int8", 656.2, 1482.4},
    {"cortex-m33", "vww_mobilenetv1_int8", 1354.7, 4031.0},
    {"cortex-m33", "ic_resnet8_int8", 2565.2, 4151.1},
    {"cortex-m33", "ad_autoencoder_int8", 77.2, 152.6},
};

static double simulate_uj(const ts_target *t, const char *path)
{
    ts_unit_cost cost = simulate_model_cost(t, path, TS_KERNELS_SIMD);
    ts_energy en;

    ts_energy_of(t, &cost, &en);
    return en.total_uj;
}

/* A figure check against published ranges: the sanitizer build (TS_SANITIZED) leaves it to the
 * plain build; the same models run on the same cores under ASan+UBSan in test_every_core.c. */
Test(energy_band, mlperf_models_land_within_the_published_energy_range_of_each_board,
     .disabled = TS_SANITIZED)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char path[4096];
        ts_target t;
        double uj, lo = 0.5 * rows[i].min_uj, hi = 2.0 * rows[i].max_uj;

        load_target_named(rows[i].target, &t);
        need_firmware(&t);
        shared_model_path(rows[i].model, path, sizeof path);
        uj = simulate_uj(&t, path);
        cr_log_info("%s on %s: %.1f uJ; published %.1f .. %.1f uJ (%.2fx .. %.2fx)",
                    rows[i].model, rows[i].target, uj, rows[i].min_uj, rows[i].max_uj,
                    uj / rows[i].min_uj, uj / rows[i].max_uj);
        cr_expect(uj >= lo && uj <= hi, "%s on %s: %.1f uJ outside the band %.1f .. %.1f uJ",
                  rows[i].model, rows[i].target, uj, lo, hi);
        ts_target_free(&t);
    }
}

/* targets/NAME.json, parsed (caller deletes). */
static cJSON *read_target_json(const char *name)
{
    static char text[1 << 16];
    char path[4096];
    size_t n;

    snprintf(path, sizeof path, "%s/targets/%s.json", getenv("TS_SOURCE_DIR"), name);
    n = cli_read_file(path, text, sizeof text - 1);
    text[n] = '\0';
    return cJSON_Parse(text);
}

static void expect_priced(const cJSON *o, const char *what, const char *const *keys)
{
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");

    cr_expect(cJSON_IsObject(o), "%s: no energy object", what);
    cr_expect(cJSON_IsString(src) && strlen(src->valuestring) > 20, "%s: energy without a source",
              what);
    for (int k = 0; keys[k]; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, keys[k]);
        cr_expect(cJSON_IsNumber(v) && v->valuedouble >= 0.0, "%s: %s missing", what, keys[k]);
    }
}

Test(energy_band, every_shipped_target_prices_its_core_and_every_region_with_a_source)
{
    static const char *const names[] = {"cortex-m0", "cortex-m0plus", "cortex-m3",
                                        "cortex-m4", "cortex-m7", "cortex-m33"};
    static const char *const core_keys[] = {"core_pj_per_cycle", "static_mw", NULL};
    static const char *const region_keys[] = {"read_pj", "write_pj", NULL};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cJSON *j = read_target_json(names[i]);
        cr_assert(j, "%s: not JSON", names[i]);
        const cJSON *r;
        char what[128];

        expect_priced(cJSON_GetObjectItemCaseSensitive(j, "energy"), names[i], core_keys);
        cr_expect_gt(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j,
                     "energy"), "core_pj_per_cycle")->valuedouble, 0.0, "%s", names[i]);
        cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(j, "memory")) {
            const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "energy");
            snprintf(what, sizeof what, "%s region %s", names[i],
                     cJSON_GetObjectItemCaseSensitive(r, "name")->valuestring);
            expect_priced(e, what, region_keys);
            cr_expect_gt(cJSON_GetObjectItemCaseSensitive(e, "read_pj")->valuedouble, 0.0,
                         "%s: reads cost nothing", what);
        }
        cJSON_Delete(j);
    }
}
