/* Tests for sim/model/model_check.c (and model_stats.c) on real models: the nine shared
 * third-party .tflite files load, their MAC totals match the published figures, and the IR
 * carries the facts the README of ../shared documents (depth multipliers, per-channel
 * quantization, 1-D biases that declare axis 3). Skipped visibly when ../shared is absent. */
#include <stdint.h>

#include "model_test.h"

static const char *const shared_stems[] = {
    "ad_autoencoder_int8", "hello_world_float", "hello_world_int8",
    "ic_resnet8_int8", "kws_ds_cnn_int8", "micro_speech_int8",
    "person_detect_int8", "vww_mobilenetv1_float", "vww_mobilenetv1_int8"};

static ts_model *load_shared(const char *stem)
{
    char path[1024];
    ts_model *m = NULL;
    ts_err err;

    shared_model(path, sizeof path, stem);
    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s: %s", stem, err.msg);
    return m;
}

static ts_model *load_good(const char *stem)
{
    char path[1024];
    ts_model *m = NULL;
    ts_err err;

    snprintf(path, sizeof path, "%s/tests/data/good/%s.tflite", source_dir(), stem);
    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s: %s", stem, err.msg);
    return m;
}

static const ts_tensor *op_input(const ts_graph *g, const ts_op *op, int32_t j)
{
    cr_assert_lt(j, op->n_inputs);
    cr_assert_geq(op->inputs[j], 0);
    return &g->tensors[op->inputs[j]];
}

Test(model_check, all_nine_shared_models_load_and_are_fully_supported)
{
    for (size_t i = 0; i < sizeof shared_stems / sizeof shared_stems[0]; i++) {
        ts_model *m = load_shared(shared_stems[i]);
        ts_err err;
        ts_err_clear(&err);
        cr_expect_gt(ts_model_graph(m)->n_ops, 0, "%s has no ops", shared_stems[i]);
        cr_expect_eq(ts_model_require_supported(m, &err), TS_OK, "%s", err.msg);
        walk_model(m);
        ts_model_free(m);
    }
}

Test(model_check, mac_totals_match_the_published_figures)
{
    static const struct {
        const char *stem;
        uint64_t macs;
    } rows[] = {{"kws_ds_cnn_int8", 2656768},   {"vww_mobilenetv1_int8", 7489664},
                {"vww_mobilenetv1_float", 7489664}, {"ic_resnet8_int8", 12501632},
                {"ad_autoencoder_int8", 264192}, {"micro_speech_int8", 336000},
                {"hello_world_int8", 288},       {"hello_world_float", 288}};

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ts_model *m = load_shared(rows[i].stem);
        cr_expect_eq(graph_macs(ts_model_graph(m)), rows[i].macs, "%s: %llu MACs, published %llu",
                     rows[i].stem, (unsigned long long)graph_macs(ts_model_graph(m)),
                     (unsigned long long)rows[i].macs);
        ts_model_free(m);
    }
}

static const ts_op *first_op_of(const ts_graph *g, ts_op_kind kind)
{
    for (int32_t k = 0; k < g->n_ops; k++)
        if (g->ops[k].kind == kind)
            return &g->ops[k];
    cr_assert_fail("no op of kind %d", (int)kind);
    return NULL;
}

static void expect_depth_multiplier_8(const char *stem)
{
    ts_model *m = load_shared(stem);
    const ts_graph *g = ts_model_graph(m);
    const ts_op *dw = first_op_of(g, TS_OP_DEPTHWISE_CONV_2D);
    const ts_tensor *in = op_input(g, dw, 0), *out = &g->tensors[dw->outputs[0]];

    cr_expect_eq(dw->opts.conv.depth_multiplier, 8, "%s: depth multiplier %d", stem,
                 dw->opts.conv.depth_multiplier);
    cr_expect_eq(out->shape[3], 8 * in->shape[3], "%s: output depth %d, input depth %d", stem,
                 out->shape[3], in->shape[3]);
    ts_model_free(m);
}

Test(model_check, first_depthwise_of_person_detect_and_micro_speech_has_depth_multiplier_8)
{
    expect_depth_multiplier_8("person_detect_int8");
    expect_depth_multiplier_8("micro_speech_int8");
}

Test(model_check, person_detect_one_dimensional_biases_load_with_axis_0)
{
    ts_model *m = load_shared("person_detect_int8");
    const ts_graph *g = ts_model_graph(m);
    int n_dw_biases = 0;

    for (int32_t k = 0; k < g->n_ops; k++) {
        const ts_op *op = &g->ops[k];
        const ts_tensor *b;
        if (op->kind != TS_OP_DEPTHWISE_CONV_2D)
            continue;
        b = op_input(g, op, 2);
        cr_expect_eq(b->rank, 1, "op %d bias rank %d", k, b->rank);
        cr_expect_eq(b->quant.axis, 0, "op %d bias axis %d", k, b->quant.axis);
        cr_expect_eq(b->quant.n, b->shape[0], "op %d: %d bias scales for %d channels", k,
                     b->quant.n, b->shape[0]);
        n_dw_biases += b->quant.n > 1;
    }
    cr_expect_eq(n_dw_biases, 14, "%d per-channel depthwise biases (README: 14)", n_dw_biases);
    ts_model_free(m);
}

/* Per-channel filters: CONV_2D along axis 0 (output channels), DEPTHWISE along axis 3;
 * biases along their only axis; activations per-tensor. */
static void expect_per_channel_layout(const char *stem)
{
    ts_model *m = load_shared(stem);
    const ts_graph *g = ts_model_graph(m);

    for (int32_t k = 0; k < g->n_ops; k++) {
        const ts_op *op = &g->ops[k];
        const ts_tensor *w, *b, *in, *out;
        bool dw = op->kind == TS_OP_DEPTHWISE_CONV_2D;
        if (op->kind != TS_OP_CONV_2D && !dw)
            continue;
        in = op_input(g, op, 0), w = op_input(g, op, 1), b = op_input(g, op, 2);
        out = &g->tensors[op->outputs[0]];
        cr_expect_eq(w->quant.axis, dw ? 3 : 0, "%s op %d: filter axis %d", stem, k,
                     w->quant.axis);
        cr_expect_eq(w->quant.n, out->shape[3], "%s op %d: %d filter scales, %d channels", stem,
                     k, w->quant.n, out->shape[3]);
        cr_expect_eq(b->quant.n, out->shape[3], "%s op %d: %d bias scales", stem, k, b->quant.n);
        cr_expect_eq(in->quant.n, 1, "%s op %d: input has %d scales", stem, k, in->quant.n);
        cr_expect_eq(out->quant.n, 1, "%s op %d: output has %d scales", stem, k, out->quant.n);
    }
    ts_model_free(m);
}

Test(model_check, mlperf_tiny_int8_models_carry_per_channel_quantization)
{
    expect_per_channel_layout("kws_ds_cnn_int8");
    expect_per_channel_layout("vww_mobilenetv1_int8");
    expect_per_channel_layout("ic_resnet8_int8");
}

Test(model_check, kws_ds_cnn_decodes_to_the_ds_cnn_op_sequence)
{
    static const ts_op_kind want[] = {
        TS_OP_CONV_2D, TS_OP_DEPTHWISE_CONV_2D, TS_OP_CONV_2D, TS_OP_DEPTHWISE_CONV_2D,
        TS_OP_CONV_2D, TS_OP_DEPTHWISE_CONV_2D, TS_OP_CONV_2D, TS_OP_DEPTHWISE_CONV_2D,
        TS_OP_CONV_2D, TS_OP_AVERAGE_POOL_2D, TS_OP_RESHAPE, TS_OP_FULLY_CONNECTED,
        TS_OP_SOFTMAX};
    ts_model *m = load_shared("kws_ds_cnn_int8");
    const ts_graph *g = ts_model_graph(m);

    cr_assert_eq(g->n_ops, (int32_t)(sizeof want / sizeof want[0]));
    for (int32_t k = 0; k < g->n_ops; k++)
        cr_expect_eq(g->ops[k].kind, want[k], "op %d is %s", k, g->ops[k].name);
    cr_expect_eq(g->n_inputs, 1);
    cr_expect_eq(g->tensors[g->inputs[0]].dtype, TS_DT_INT8);
    cr_expect_eq(g->tensors[g->inputs[0]].n_elems, 49 * 10);
    ts_model_free(m);
}

Test(model_check, constant_data_is_aligned_to_its_element_size_in_every_model)
{
    for (size_t i = 0; i < sizeof shared_stems / sizeof shared_stems[0]; i++) {
        ts_model *m = load_shared(shared_stems[i]);
        const ts_graph *g = ts_model_graph(m);
        for (int32_t t = 0; t < g->n_tensors; t++) {
            const ts_tensor *x = &g->tensors[t];
            if (!x->data)
                continue;
            cr_expect_eq((uintptr_t)x->data % ts_dtype_size(x->dtype), 0, "%s tensor %d",
                         shared_stems[i], t);
            cr_expect_eq(x->size_bytes, (size_t)x->n_elems * ts_dtype_size(x->dtype));
        }
        ts_model_free(m);
    }
}

Test(model_check, generated_model_keeps_its_per_channel_scales_and_zero_points)
{
    ts_model *m = load_good("conv_fc_int8");
    const ts_graph *g = ts_model_graph(m);
    const ts_tensor *filter = op_input(g, &g->ops[0], 1), *in = op_input(g, &g->ops[0], 0);

    cr_assert_eq(filter->quant.n, 3);
    cr_expect_float_eq(filter->quant.scale[2], 0.03f, 1e-9f);
    cr_expect_eq(filter->quant.axis, 0);
    cr_expect_eq(in->quant.n, 1);
    cr_expect_eq(in->quant.zero_point[0], -3);
    cr_expect_eq(op_input(g, &g->ops[1], 1)->quant.n, 4);
    cr_expect_eq(g->ops[0].opts.conv.padding, TS_PAD_VALID);
    cr_expect_eq(g->ops[0].opts.conv.act, TS_ACT_RELU);
    cr_expect_eq(g->ops[0].opts.conv.dilation_w, 1, "absent dilation takes the schema default");
    cr_expect_str_eq(ts_model_description(m), "tinysim malformed-input corpus base model");
    cr_expect_str_eq(g->name, "main");
    ts_model_free(m);
}
