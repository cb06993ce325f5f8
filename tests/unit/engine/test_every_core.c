/* The central invariant on every core: each shared model's outputs on the emulated core are
 * byte-identical to the host reference executor. Where a core's reference part is too small
 * for a model, its flash and RAM regions are enlarged (functional check only; the footprint
 * verdict is tested elsewhere). Exception, for suite time: the float VWW model on cores
 * without an FPU (M0, M0+, M3) takes 1.7 G soft-float cycles (11-16 s); soft-float paths on
 * those cores are covered by hello_world_float. */
#include "engine_test.h"

static const char *const models[] = {
    "hello_world_int8",   "hello_world_float",    "micro_speech_int8",
    "person_detect_int8", "kws_ds_cnn_int8",      "vww_mobilenetv1_int8",
    "vww_mobilenetv1_float", "ic_resnet8_int8",   "ad_autoencoder_int8",
};

/* The cores: one test each at the end of this file (cortex-m4: test_engine.c). On
 * cortex-m4-dsp and cortex-m4-systolic the int8 ops their unit supports run on it (values from
 * the kernels on the host over emulated SRAM), the rest on the core. */

/* Enlarges t's flash region so that g fits (RAM: grow_ram_if_needed). */
static void grow_flash_if_needed(ts_target *t, const ts_graph *g, const char *src)
{
    ts_engine_layout L;
    char key[64], val[32];
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_engine_footprint(t, g, src, NULL, &L, &err), TS_OK, "%s", err.msg);
    if (L.fits_flash)
        return;
    snprintf(key, sizeof key, "memory[%d].size", L.flash_region);
    snprintf(val, sizeof val, "%llu",
             (unsigned long long)((L.flash_used_bytes + (1u << 20)) & ~0xFFFFFull));
    cr_assert_eq(ts_target_set(t, key, val, &err), TS_OK, "%s", err.msg);
}

/* Every shared model on core c (one test per core, so that the suite's jobs share them out). */
static void check_every_model_on(const char *core)
{
    char path[4096];

    shared_model_path(models[0], path, sizeof path);
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        ts_target t;
        ts_model *m = NULL;
        ts_err err;

        load_target_named(core, &t);
        need_firmware(&t);
        if (!t.has_fpu && strstr(models[i], "vww") && strstr(models[i], "float")) {
            ts_target_free(&t);
            continue;
        }
        shared_model_path(models[i], path, sizeof path);
        ts_err_clear(&err);
        cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s", err.msg);
        grow_flash_if_needed(&t, ts_model_graph(m), path);
        grow_ram_if_needed(&t, ts_model_graph(m), path);
        check_bit_exact(&t, ts_model_graph(m), path, 1);
        ts_model_free(m);
        ts_target_free(&t);
    }
}

#define EVERY_MODEL_ON(id, core)                                                                \
    Test(every_core, every_shared_model_matches_the_host_executor_on_##id)                     \
    {                                                                                          \
        check_every_model_on(core);                                                            \
    }

/* Under the sanitizers (TS_SANITIZED) only the two targets with a unit beside the core (the
 * DSP unit and the systolic array, whose host code runs nowhere else on the shared models)
 * run here; the cores alone are left to the plain build, for suite time: their host code
 * (ARMv6-M and ARMv7-M decode, the table-driven timing of sim/core, the cpu unit) runs under
 * the sanitizers on the shared models on the M4 and on small models on every core
 * (test_engine.c), and in the op goldens on the M0+, M4 and M7 (test_op_golden.c). */
#if !TS_SANITIZED
EVERY_MODEL_ON(cortex_m0, "cortex-m0")
EVERY_MODEL_ON(cortex_m0plus, "cortex-m0plus")
EVERY_MODEL_ON(cortex_m3, "cortex-m3")
EVERY_MODEL_ON(cortex_m7, "cortex-m7")
EVERY_MODEL_ON(cortex_m33, "cortex-m33")
#endif
EVERY_MODEL_ON(cortex_m4_dsp, "cortex-m4-dsp")
EVERY_MODEL_ON(cortex_m4_systolic, "cortex-m4-systolic")
