/* test_kernel_variants.c: the host executor's kernel variant (ts_ref_opts.kernels): int8
 * CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED record TS_KERNELS_SIMD and size their scratch
 * with the *_simd_scratch_size queries (so the arena plan holds it), every other op stays ref,
 * and the simd executor's outputs are byte-identical to ref's on generated models (always) and
 * on the ../shared models (skipped visibly when absent), in both rounding modes; bad variants
 * are a range error. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/gen/gen.h"
#include "sim/ref/ref.h"

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static ts_ref *prepare(const ts_graph *g, const char *src, ts_kernels k, tsk_rounding rnd)
{
    const ts_ref_opts o = {.rounding = rnd, .kernels = k};
    ts_ref *r = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph_opts(g, src, &o, &r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_kernels(r), k);
    return r;
}

/* Same random inputs (int8 anywhere in range, float32 in [-1, 1)) into both executors. */
static void set_random_inputs(ts_ref *a, ts_ref *b, uint32_t seed)
{
    uint32_t s = seed * 0x9E3779B9u;
    ts_err err;

    ts_err_clear(&err);
    for (int32_t i = 0; i < ts_ref_n_inputs(a); i++) {
        ts_ref_io io;
        uint8_t *buf;
        ts_ref_input_info(a, i, &io);
        buf = calloc(1, io.size_bytes + 1);
        for (int64_t k = 0; k < io.n_elems; k++) {
            uint32_t v = xorshift(&s);
            float f = (float)(-1.0 + 2.0 * (double)(v >> 8) / 16777216.0);
            if (io.dtype == TS_DT_FLOAT32)
                memcpy(buf + 4 * k, &f, 4);
            else
                buf[k * (int64_t)ts_dtype_size(io.dtype)] = (uint8_t)(v >> 24);
        }
        cr_assert_eq(ts_ref_set_input(a, i, buf, io.size_bytes, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_ref_set_input(b, i, buf, io.size_bytes, &err), TS_OK, "%s", err.msg);
        free(buf);
    }
}

/* Runs g with ref and with simd kernels on the same inputs; asserts identical outputs. */
static void check_simd_equals_ref(const ts_graph *g, const char *src, tsk_rounding rnd,
                                  uint32_t seed)
{
    ts_ref *r = prepare(g, src, TS_KERNELS_REF, rnd), *s = prepare(g, src, TS_KERNELS_SIMD, rnd);
    ts_err err;

    ts_err_clear(&err);
    set_random_inputs(r, s, seed);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_invoke(s, &err), TS_OK, "%s", err.msg);
    for (int32_t i = 0; i < ts_ref_n_outputs(r); i++) {
        size_t n = 0, m = 0;
        const uint8_t *x = ts_ref_output(r, i, &n), *y = ts_ref_output(s, i, &m);
        cr_assert_eq(n, m);
        for (size_t k = 0; k < n; k++)
            cr_assert_eq(x[k], y[k], "%s: output %d byte %zu: ref %d, simd %d", src, i, k, x[k],
                         y[k]);
    }
    ts_ref_free(r);
    ts_ref_free(s);
}

static ts_gen *gen_model(const char *spec)
{
    ts_gen *g = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build(spec, 1, &g, &err), TS_OK, "%s", err.msg);
    return g;
}

static bool has_simd_kernel(const ts_ref_op *ro)
{
    return ro->dtype == TS_DT_INT8 &&
           (ro->kind == TS_OP_CONV_2D || ro->kind == TS_OP_DEPTHWISE_CONV_2D ||
            ro->kind == TS_OP_FULLY_CONNECTED);
}

static int32_t simd_scratch(const ts_ref_op *ro)
{
    if (ro->kind == TS_OP_CONV_2D)
        return tsk_conv2d_s8_simd_scratch_size(&ro->in_dims[0], &ro->in_dims[1], &ro->out_dims);
    if (ro->kind == TS_OP_DEPTHWISE_CONV_2D)
        return tsk_depthwise_conv2d_s8_simd_scratch_size(&ro->in_dims[0], &ro->in_dims[1],
                                                         &ro->out_dims);
    return tsk_fully_connected_s8_simd_scratch_size(&ro->in_dims[1]);
}

Test(ref, simd_variant_is_recorded_per_op_and_sizes_scratch_with_the_simd_queries)
{
    ts_gen *g = gen_model("ds_cnn");
    ts_ref *r = prepare(ts_gen_graph(g), "ds_cnn", TS_KERNELS_SIMD, TSK_ROUND_SINGLE);
    const ts_plan *p = ts_ref_plan(r);
    int32_t n_simd = 0;

    for (int32_t k = 0; k < ts_ref_n_ops(r); k++) {
        const ts_ref_op *ro = ts_ref_op_at(r, k);
        if (!has_simd_kernel(ro)) {
            cr_assert_eq(ro->kernels, TS_KERNELS_REF, "op %d (kind %d)", k, (int)ro->kind);
            continue;
        }
        n_simd++;
        cr_assert_eq(ro->kernels, TS_KERNELS_SIMD, "op %d", k);
        cr_assert_eq(ro->scratch_bytes, simd_scratch(ro), "op %d", k);
        if (ro->scratch_bytes > 0) /* planned inside the arena */
            cr_assert_leq((size_t)ro->scratch_offset + (size_t)ro->scratch_bytes,
                          p->arena_bytes, "op %d", k);
    }
    cr_assert_eq(n_simd, 10, "DS-CNN has 5 conv, 4 depthwise and 1 fc op (got %d)", n_simd);
    ts_ref_free(r);
    ts_gen_free(g);
}

Test(ref, ref_variant_keeps_the_plain_scratch_queries)
{
    ts_gen *g = gen_model("conv:8,8,3,8,3,3,2");
    ts_ref *r = prepare(ts_gen_graph(g), "conv", TS_KERNELS_REF, TSK_ROUND_SINGLE);
    const ts_ref_op *ro = ts_ref_op_at(r, 0);

    cr_assert_eq(ro->kernels, TS_KERNELS_REF);
    cr_assert_eq(ro->scratch_bytes,
                 tsk_conv2d_s8_scratch_size(&ro->in_dims[0], &ro->in_dims[1], &ro->out_dims));
    ts_ref_free(r);
    ts_gen_free(g);
}

Test(ref, simd_outputs_equal_ref_on_generated_models_in_both_rounding_modes)
{
    const char *specs[] = {"hello_world", "ds_cnn", "fc_autoencoder", "resnet8",
                           "mobilenet_v1_025", "conv:9,7,5,6,3,3,2", "conv:8,8,3,8,1,1,1,valid",
                           "conv:6,6,4,4,5,5,1,valid", "dwconv:9,9,6,3,3,2,2",
                           "dwconv:8,8,3,5,5,1,3", "fc:65,10", "fc:7,3"};

    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        ts_gen *g = gen_model(specs[i]);
        check_simd_equals_ref(ts_gen_graph(g), specs[i], TSK_ROUND_SINGLE, (uint32_t)i + 1);
        check_simd_equals_ref(ts_gen_graph(g), specs[i], TSK_ROUND_DOUBLE, (uint32_t)i + 101);
        ts_gen_free(g);
    }
}

Test(ref, simd_outputs_equal_ref_on_every_shared_model)
{
    const char *models[] = {"hello_world_int8", "hello_world_float", "micro_speech_int8",
                            "person_detect_int8", "kws_ds_cnn_int8", "vww_mobilenetv1_int8",
                            "vww_mobilenetv1_float", "ic_resnet8_int8", "ad_autoencoder_int8"};
    const char *d = getenv("TS_SHARED_DIR");
    struct stat sb;

    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        char path[4096];
        ts_model *m = NULL;
        ts_err err;
        ts_err_clear(&err);
        snprintf(path, sizeof path, "%s/models/%s.tflite", d ? d : "", models[i]);
        if (!d || stat(path, &sb) != 0)
            cr_skip_test("shared model %s not found (TS_SHARED_DIR=%s): skipped", models[i],
                         d ? d : "unset");
        cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s", err.msg);
        for (uint32_t seed = 1; seed <= 2; seed++)
            check_simd_equals_ref(ts_model_graph(m), path, TSK_ROUND_SINGLE, seed);
        check_simd_equals_ref(ts_model_graph(m), path, TSK_ROUND_DOUBLE, 3);
        ts_model_free(m);
    }
}

Test(ref, an_unknown_kernel_variant_is_a_range_error)
{
    const ts_ref_opts bad = {.kernels = (ts_kernels)5};
    ts_gen *g = gen_model("fc:4,2");
    ts_ref *r = (ts_ref *)1;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph_opts(ts_gen_graph(g), "fc.tflite", &bad, &r, &err),
                 TS_ERR_RANGE);
    cr_assert_null(r);
    cr_assert_str_eq(err.msg, "fc.tflite: kernel variant 5 is not supported (expected 0 ref or "
                              "1 simd)");
    ts_gen_free(g);
}

Test(ref, kernel_variant_names_round_trip)
{
    ts_kernels k = TS_KERNELS_COUNT;

    cr_assert_str_eq(ts_kernels_name(TS_KERNELS_REF), "ref");
    cr_assert_str_eq(ts_kernels_name(TS_KERNELS_SIMD), "simd");
    cr_assert_str_eq(ts_kernels_name(TS_KERNELS_COUNT), "?");
    cr_assert(ts_kernels_from_name("simd", &k) && k == TS_KERNELS_SIMD);
    cr_assert(ts_kernels_from_name("ref", &k) && k == TS_KERNELS_REF);
    cr_assert(!ts_kernels_from_name("both", &k) && k == TS_KERNELS_REF);
    cr_assert(!ts_kernels_from_name(NULL, &k));
}
