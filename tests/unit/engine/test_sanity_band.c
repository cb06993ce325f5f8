/* Sanity band per core for the MLPerf Tiny models: simulated cycles per inference must land
 * near what real boards publish. A miss means a modelling error of the order of a missing
 * wait state or a double-counted class, not a calibration detail.
 *
 * Published figures: /work/shared/reference/NUMBERS.md section 3.1 (MLPerf Tiny closed
 * division v0.5-v1.1, mlcommons/tiny_results_*), latency x core clock of every Cortex-M
 * submission on that core; systems with an accelerator (Silicon Labs MVP, ST DSP coprocessor)
 * are excluded. Those runs use optimised inference engines (CMSIS-NN, X-CUBE-AI, Plumerai...)
 * and include interpreter overhead tinysim does not model, so the band is
 * [0.5 x fastest published, 1.5 x slowest published]. DSP cores run tinysim's SIMD kernels
 * (the counterpart of CMSIS-NN), the M0+ the plain ones. */
#include "engine_test.h"

typedef struct band_row {
    const char *target;
    const char *model;
    double min_cycles; /* fastest published inference, cycles (ms x MHz x 1000) */
    double max_cycles; /* slowest published inference, cycles */
} band_row;

static const band_row rows[] = {
    /* M4: KWS 47.78 ms @120 (Plumerai v1.1) .. 181.92 ms @120 (reference v0.5) */
    {"cortex-m4", "kws_ds_cnn_int8", 47.78 * 120e3, 181.92 * 120e3},
    /* M4: VWW 98.76 ms @120 (Plumerai v1.1) .. 600.60 ms @120 (reference v0.5) */
    {"cortex-m4", "vww_mobilenetv1_int8", 98.76 * 120e3, 600.60 * 120e3},
    /* M4: IC 167.76 ms @120 (Plumerai v1.1) .. 704.23 ms @120 (reference v0.5) */
    {"cortex-m4", "ic_resnet8_int8", 167.76 * 120e3, 704.23 * 120e3},
    /* M4: AD 4.05 ms @120 (Plumerai v1.1) .. 11.72 ms @120 (OctoML microTVM native v1.0) */
    {"cortex-m4", "ad_autoencoder_int8", 4.05 * 120e3, 11.72 * 120e3},
    /* M7: KWS 18.42 ms @216 (Bosch F746 v1.1) .. 22.29 ms @280 (ST H7A3 v0.7) */
    {"cortex-m7", "kws_ds_cnn_int8", 18.42 * 216e3, 22.29 * 280e3},
    /* M7: AD 1.36 ms @280 (Bosch H7A3 v1.1) .. 2.28 ms @280 (ST H7A3 v0.7) */
    {"cortex-m7", "ad_autoencoder_int8", 1.36 * 280e3, 2.28 * 280e3},
    /* M33: KWS 30.04 ms @160 (Plumerai U575 v1.1) .. 50.57 ms @200 (Renesas RA6M4 v0.7) */
    {"cortex-m33", "kws_ds_cnn_int8", 30.04 * 160e3, 50.57 * 200e3},
    /* M33: AD 3.67 ms @160 (Plumerai U575 v1.1) .. 4.61 ms @200 (Renesas RA6M4 v0.7) */
    {"cortex-m33", "ad_autoencoder_int8", 3.67 * 160e3, 4.61 * 200e3},
    /* M0+: KWS 679.35 ms @64 (Bosch HALE, NUCLEO_G0B1RE v1.1), the only M0+ submission */
    {"cortex-m0plus", "kws_ds_cnn_int8", 679.35 * 64e3, 679.35 * 64e3},
};

/* A figure check against published ranges: the sanitizer build (TS_SANITIZED) leaves it to the
 * plain build; the same models run on the same cores under ASan+UBSan in test_every_core.c. */
Test(sanity_band, mlperf_models_land_within_the_published_cycle_range_of_each_core,
     .disabled = TS_SANITIZED)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char path[4096];
        ts_target t;
        uint64_t cycles;
        double lo = 0.5 * rows[i].min_cycles, hi = 1.5 * rows[i].max_cycles;

        load_target_named(rows[i].target, &t);
        need_firmware(&t);
        shared_model_path(rows[i].model, path, sizeof path);
        cycles = simulate_model_cost(&t, path, t.has_dsp ? TS_KERNELS_SIMD : TS_KERNELS_REF).cycles;
        cr_log_info("%s on %s: %.2f M cycles; published %.2f .. %.2f M (%.2fx .. %.2fx)",
                    rows[i].model, rows[i].target, (double)cycles / 1e6,
                    rows[i].min_cycles / 1e6, rows[i].max_cycles / 1e6,
                    (double)cycles / rows[i].min_cycles, (double)cycles / rows[i].max_cycles);
        cr_expect((double)cycles >= lo && (double)cycles <= hi,
                  "%s on %s: %.2f M cycles outside the band %.2f .. %.2f M", rows[i].model,
                  rows[i].target, (double)cycles / 1e6, lo / 1e6, hi / 1e6);
        ts_target_free(&t);
    }
}
