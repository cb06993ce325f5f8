/* test_kernel_variants.c: the engine's kernel variant (ts_engine_opts.kernels). On the cores
 * with the DSP extension (cortex-m4, m7, m33) the simd firmware kernels give outputs
 * byte-identical to the host executor's ref kernels, on generated models (always) and on the
 * ../shared MLPerf / TFLM models (skipped visibly when absent); on cortex-m4 they take strictly
 * fewer cycles than ref (ratio logged); on cores without it (cortex-m0plus, m3) simd falls back
 * to ref with the note and exactly ref's cycles. Skips visibly without the firmware. */
#include "engine_test.h"

typedef struct variant_run {
    uint64_t cycles;
    char note[TS_ENGINE_NOTE_BYTES];
    ts_kernels kernels;          /* effective variant */
    int32_t n_simd_layers;       /* layers that ran a simd kernel */
    uint8_t *out[4];
    size_t out_bytes[4];
    int32_t n_out;
} variant_run;

static void free_run(variant_run *v)
{
    for (int32_t i = 0; i < v->n_out; i++)
        free(v->out[i]);
}

static variant_run run_variant(const ts_target *t, const ts_graph *g, const char *src,
                               ts_kernels k, uint32_t seed)
{
    ts_engine_opts o = {.kernels = k};
    variant_run v;
    ts_engine *e = NULL;
    ts_err err;

    memset(&v, 0, sizeof v);
    ts_err_clear(&err);
    cr_assert_eq(ts_engine_open(t, g, src, &o, &e, &err), TS_OK, "%s", err.msg);
    set_seeded_inputs(e, NULL, seed);
    cr_assert_eq(ts_engine_run(e, &err), TS_OK, "%s", err.msg);
    v.cycles = ts_engine_totals_get(e)->cost.cycles;
    v.kernels = ts_engine_kernels(e);
    if (ts_engine_note(e))
        snprintf(v.note, sizeof v.note, "%s", ts_engine_note(e));
    for (int32_t k2 = 0; k2 < ts_engine_n_layers(e); k2++)
        v.n_simd_layers += ts_engine_layer_at(e, k2)->kernels == TS_KERNELS_SIMD;
    v.n_out = ts_ref_n_outputs(ts_engine_ref(e));
    cr_assert_leq(v.n_out, 4);
    for (int32_t i = 0; i < v.n_out; i++) {
        ts_ref_io io;
        ts_ref_output_info(ts_engine_ref(e), i, &io);
        v.out[i] = calloc(1, io.size_bytes + 1);
        cr_assert_eq(ts_engine_output(e, i, v.out[i], io.size_bytes, &v.out_bytes[i], &err),
                     TS_OK, "%s", err.msg);
    }
    ts_engine_close(e);
    return v;
}

/* The host executor with ref kernels on the same inputs: the outputs every variant must give. */
static void check_equals_host_ref(const variant_run *v, const ts_graph *g, const char *src,
                                  const char *target, uint32_t seed)
{
    ts_ref *r = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(g, src, &r, &err), TS_OK, "%s", err.msg);
    set_seeded_inputs(NULL, r, seed);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(v->n_out, ts_ref_n_outputs(r));
    for (int32_t i = 0; i < v->n_out; i++) {
        size_t n = 0;
        const uint8_t *want = ts_ref_output(r, i, &n);
        cr_assert_eq(v->out_bytes[i], n);
        for (size_t k = 0; k < n; k++)
            cr_assert_eq(v->out[i][k], want[k], "%s on %s, %s kernels: output %d byte %zu: "
                         "target %d, host ref %d", src, target, ts_kernels_name(v->kernels), i,
                         k, v->out[i][k], want[k]);
    }
    ts_ref_free(r);
}

static void check_simd_on(const ts_target *t, const ts_graph *g, const char *src)
{
    variant_run v = run_variant(t, g, src, TS_KERNELS_SIMD, 5);

    cr_assert_eq(v.kernels, TS_KERNELS_SIMD, "%s on %s", src, t->name);
    cr_assert_eq(v.note[0], '\0', "%s on %s: unexpected note '%s'", src, t->name, v.note);
    cr_assert_gt(v.n_simd_layers, 0, "%s on %s: no layer ran a simd kernel", src, t->name);
    check_equals_host_ref(&v, g, src, t->name, 5);
    free_run(&v);
}

static const char *const gen_specs[] = {"ds_cnn", "fc_autoencoder", "conv:9,7,5,6,3,3,2",
                                        "conv:8,8,3,8,1,1,1,valid", "dwconv:9,9,6,3,3,2,2",
                                        "dwconv:8,8,3,5,5,1,3", "fc:65,10", "hello_world"};

static void check_generated_on(const char *target)
{
    ts_target t;

    load_target_named(target, &t);
    need_firmware(&t);
    for (size_t i = 0; i < sizeof gen_specs / sizeof gen_specs[0]; i++) {
        ts_gen *g = NULL;
        ts_err err;
        ts_err_clear(&err);
        cr_assert_eq(ts_gen_build(gen_specs[i], 1, &g, &err), TS_OK, "%s", err.msg);
        check_simd_on(&t, ts_gen_graph(g), gen_specs[i]);
        ts_gen_free(g);
    }
}

Test(kernels, simd_matches_the_host_ref_kernels_on_generated_models_on_cortex_m4)
{
    check_generated_on("cortex-m4");
}

Test(kernels, simd_matches_the_host_ref_kernels_on_generated_models_on_cortex_m7)
{
    check_generated_on("cortex-m7");
}

Test(kernels, simd_matches_the_host_ref_kernels_on_generated_models_on_cortex_m33)
{
    check_generated_on("cortex-m33");
}

static const char *const shared_models[] = {"kws_ds_cnn_int8", "vww_mobilenetv1_int8",
                                            "ic_resnet8_int8", "ad_autoencoder_int8",
                                            "person_detect_int8", "micro_speech_int8"};

static void check_shared_on(const char *target, const char *name)
{
    char path[4096];
    ts_model *m = NULL;
    ts_target t;
    ts_err err;

    ts_err_clear(&err);
    load_target_named(target, &t);
    need_firmware(&t);
    shared_model_path(name, path, sizeof path);
    cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s", err.msg);
    check_simd_on(&t, ts_model_graph(m), path);
    ts_model_free(m);
}

/* One test per (core, model) so that criterion's jobs spread the long ones. */
#define SHARED_TESTS(core, id)                                                                \
    Test(kernels, simd_matches_host_ref_on_shared_kws_on_##id)                                \
    {                                                                                         \
        check_shared_on(core, shared_models[0]);                                              \
    }                                                                                         \
    Test(kernels, simd_matches_host_ref_on_shared_vww_on_##id)                                \
    {                                                                                         \
        check_shared_on(core, shared_models[1]);                                              \
    }                                                                                         \
    Test(kernels, simd_matches_host_ref_on_shared_ic_on_##id)                                 \
    {                                                                                         \
        check_shared_on(core, shared_models[2]);                                              \
    }                                                                                         \
    Test(kernels, simd_matches_host_ref_on_shared_ad_and_tflm_models_on_##id)                 \
    {                                                                                         \
        for (size_t i = 3; i < sizeof shared_models / sizeof shared_models[0]; i++)           \
            check_shared_on(core, shared_models[i]);                                          \
    }

SHARED_TESTS("cortex-m4", cortex_m4)
/* Under the sanitizers (TS_SANITIZED) the M7 and M33 runs are left to the plain build, for
 * suite time: the kernels run as Thumb code in the emulator, out of the sanitizers' sight, and
 * the host code around them is the M4's. */
#if !TS_SANITIZED
SHARED_TESTS("cortex-m7", cortex_m7)
SHARED_TESTS("cortex-m33", cortex_m33)
#endif

/* ref vs simd cycles on cortex-m4 for g: simd strictly fewer, same outputs; logs the ratio. */
static void check_fewer_cycles_on_m4(const ts_graph *g, const char *src)
{
    ts_target t;
    variant_run r, s;

    load_target_named("cortex-m4", &t);
    need_firmware(&t);
    r = run_variant(&t, g, src, TS_KERNELS_REF, 9);
    s = run_variant(&t, g, src, TS_KERNELS_SIMD, 9);
    cr_assert_eq(r.n_simd_layers, 0);
    cr_assert_gt(s.n_simd_layers, 0);
    for (int32_t i = 0; i < r.n_out; i++)
        cr_assert_eq(memcmp(r.out[i], s.out[i], r.out_bytes[i]), 0, "%s: output %d differs", src,
                     i);
    cr_log_info("%s on cortex-m4: ref %llu cycles, simd %llu cycles, ratio %.3f (%.2fx)", src,
                (unsigned long long)r.cycles, (unsigned long long)s.cycles,
                (double)s.cycles / (double)r.cycles, (double)r.cycles / (double)s.cycles);
    cr_assert_lt(s.cycles, r.cycles, "%s: simd %llu cycles, ref %llu", src,
                 (unsigned long long)s.cycles, (unsigned long long)r.cycles);
    free_run(&r);
    free_run(&s);
}

Test(kernels, simd_takes_fewer_cycles_than_ref_for_a_generated_conv_on_cortex_m4)
{
    ts_gen *g = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build("conv:16,16,16,16,3,3", 1, &g, &err), TS_OK, "%s", err.msg);
    check_fewer_cycles_on_m4(ts_gen_graph(g), "conv:16,16,16,16,3,3");
    ts_gen_free(g);
}

Test(kernels, simd_takes_fewer_cycles_than_ref_for_kws_on_cortex_m4)
{
    char path[4096];
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    shared_model_path("kws_ds_cnn_int8", path, sizeof path);
    cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s", err.msg);
    check_fewer_cycles_on_m4(ts_model_graph(m), path);
    ts_model_free(m);
}

/* Without the DSP extension simd runs the plain kernels: the note, ref's cycles, ref's outputs. */
static void check_fallback_on(const char *target, const char *spec)
{
    char want[TS_ENGINE_NOTE_BYTES];
    ts_target t;
    ts_gen *g = NULL;
    variant_run r, s;
    ts_err err;

    ts_err_clear(&err);
    load_target_named(target, &t);
    need_firmware(&t);
    cr_assert(!t.has_dsp, "%s has the DSP extension", target);
    cr_assert_eq(ts_gen_build(spec, 1, &g, &err), TS_OK, "%s", err.msg);
    grow_ram_if_needed(&t, ts_gen_graph(g), spec);
    r = run_variant(&t, ts_gen_graph(g), spec, TS_KERNELS_REF, 4);
    s = run_variant(&t, ts_gen_graph(g), spec, TS_KERNELS_SIMD, 4);
    snprintf(want, sizeof want, "%s has no DSP extension: --kernels simd runs the plain kernels",
             target);
    cr_assert_str_eq(s.note, want);
    cr_assert_str_eq(r.note, "");
    cr_assert_eq(s.kernels, TS_KERNELS_REF);
    cr_assert_eq(s.n_simd_layers, 0);
    cr_assert_eq(s.cycles, r.cycles, "%s on %s: fallback %llu cycles, ref %llu", spec, target,
                 (unsigned long long)s.cycles, (unsigned long long)r.cycles);
    check_equals_host_ref(&s, ts_gen_graph(g), spec, target, 4);
    free_run(&r);
    free_run(&s);
    ts_gen_free(g);
}

Test(kernels, simd_falls_back_to_ref_with_a_note_on_cortex_m0plus_and_m3)
{
    const char *targets[] = {"cortex-m0plus", "cortex-m3"};
    const char *specs[] = {"conv:8,8,3,8,3,3,2", "dwconv:8,8,8,3,3,1,2", "fc:64,10"};

    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < sizeof specs / sizeof specs[0]; j++)
            check_fallback_on(targets[i], specs[j]);
}

static uint64_t align16(int64_t v)
{
    return (uint64_t)(v + 15) / 16 * 16;
}

Test(kernels, the_footprint_plans_the_scratch_of_the_selected_variant)
{
    const tsk_dims in = {1, 8, 8, 16}, f = {8, 3, 3, 16}, out = {1, 8, 8, 8};
    ts_engine_opts ro = {.kernels = TS_KERNELS_REF}, so = {.kernels = TS_KERNELS_SIMD};
    ts_engine_layout a, b;
    ts_target t;
    ts_gen *g = NULL;
    ts_err err;

    ts_err_clear(&err);
    load_target_named("cortex-m4", &t);
    need_firmware(&t);
    cr_assert_eq(ts_gen_build("conv:8,8,16,8,3,3", 1, &g, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_footprint(&t, ts_gen_graph(g), "c", &ro, &a, &err), TS_OK, "%s",
                 err.msg);
    cr_assert_eq(ts_engine_footprint(&t, ts_gen_graph(g), "c", &so, &b, &err), TS_OK, "%s",
                 err.msg);
    /* one op: input, output and the op's scratch live at once (16-byte aligned each) */
    cr_assert_geq(a.arena_bytes, 1024 + 512 + align16(tsk_conv2d_s8_scratch_size(&in, &f, &out)));
    cr_assert_geq(b.arena_bytes,
                  1024 + 512 + align16(tsk_conv2d_s8_simd_scratch_size(&in, &f, &out)));
    cr_log_info("conv:8,8,16,8,3,3 arena on cortex-m4: ref %llu bytes, simd %llu bytes",
                (unsigned long long)a.arena_bytes, (unsigned long long)b.arena_bytes);
    ts_gen_free(g);
}
