/* Tests for sim/gen (gen_model.c, gen_layers.c, gen_archs.c) without the model reader:
 * shapes, quantization rules, MAC totals of the architectures, spec errors, determinism and
 * out-of-memory behaviour, all checked on the generator's own IR (ts_gen_graph). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/gen/gen.h"

/* A spec that exercises each arch (parameterised ones get sample parameters). */
static const char *sample_spec(const ts_gen_arch *a)
{
    if (strcmp(a->name, "conv") == 0)
        return "conv:12,10,3,8,3,3,2,valid";
    if (strcmp(a->name, "dwconv") == 0)
        return "dwconv:9,9,4,3,3,2,2";
    if (strcmp(a->name, "fc") == 0)
        return "fc:10,5";
    if (strcmp(a->name, "op") == 0)
        return "op:add,int8,2x4x3,4x1";
    return a->name;
}

static ts_gen *build(const char *spec, uint32_t seed)
{
    ts_gen *g = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build(spec, seed, &g, &err), TS_OK, "%s: %s", spec, err.msg);
    return g;
}

/* MACs as the brief defines them, computed here independently of sim/model. */
static uint64_t graph_macs(const ts_graph *gr)
{
    uint64_t total = 0;

    for (int32_t i = 0; i < gr->n_ops; i++) {
        const ts_op *op = &gr->ops[i];
        const ts_tensor *out = &gr->tensors[op->outputs[0]];
        const ts_tensor *w = op->n_inputs > 1 ? &gr->tensors[op->inputs[1]] : NULL;
        uint64_t n = (uint64_t)out->n_elems;

        if (op->kind == TS_OP_CONV_2D)
            total += n * (uint64_t)w->shape[1] * (uint64_t)w->shape[2] * (uint64_t)w->shape[3];
        else if (op->kind == TS_OP_DEPTHWISE_CONV_2D)
            total += n * (uint64_t)w->shape[1] * (uint64_t)w->shape[2];
        else if (op->kind == TS_OP_FULLY_CONNECTED)
            total += n * (uint64_t)w->shape[1];
    }
    return total;
}

Test(gen_layers, mlperf_architectures_have_the_mac_totals_of_the_real_models)
{
    int32_t checked = 0;

    for (int32_t i = 0; i < ts_gen_n_archs(); i++) {
        const ts_gen_arch *a = ts_gen_arch_at(i);
        ts_gen *g;

        if (!a->macs)
            continue;
        g = build(a->name, 1);
        cr_expect_eq(graph_macs(ts_gen_graph(g)), a->macs, "%s: %llu MACs, expected %llu",
                     a->name, (unsigned long long)graph_macs(ts_gen_graph(g)),
                     (unsigned long long)a->macs);
        ts_gen_free(g);
        checked++;
    }
    cr_expect_eq(checked, 5);
}

Test(gen_layers, the_arch_table_holds_the_published_mac_counts)
{
    static const struct {
        const char *name;
        uint64_t macs;
    } want[] = {{"ds_cnn", 2656768},        {"mobilenet_v1_025", 7489664},
                {"resnet8", 12501632},      {"fc_autoencoder", 264192},
                {"hello_world", 288}};

    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        bool found = false;

        for (int32_t i = 0; i < ts_gen_n_archs(); i++)
            if (strcmp(ts_gen_arch_at(i)->name, want[k].name) == 0) {
                found = true;
                cr_expect_eq(ts_gen_arch_at(i)->macs, want[k].macs, "%s", want[k].name);
            }
        cr_expect(found, "%s missing from gen_archs.def", want[k].name);
    }
}

Test(gen_layers, conv_output_shapes_follow_tflite_same_and_valid_padding)
{
    ts_gen *g = build("conv:10,9,3,5,3,3,2,same", 1);
    const ts_graph *gr = ts_gen_graph(g);
    const ts_tensor *out = &gr->tensors[gr->outputs[0]];

    cr_expect_eq(out->shape[1], 5); /* ceil(10/2) */
    cr_expect_eq(out->shape[2], 5); /* ceil(9/2) */
    cr_expect_eq(out->shape[3], 5);
    ts_gen_free(g);
    g = build("conv:10,9,3,5,3,3,2,valid", 1);
    gr = ts_gen_graph(g);
    out = &gr->tensors[gr->outputs[0]];
    cr_expect_eq(out->shape[1], 4); /* (10-3)/2+1 */
    cr_expect_eq(out->shape[2], 4); /* (9-3)/2+1 */
    ts_gen_free(g);
    g = build("dwconv:7,7,3,3,3,2,4", 1);
    gr = ts_gen_graph(g);
    out = &gr->tensors[gr->outputs[0]];
    cr_expect_eq(out->shape[1], 4);
    cr_expect_eq(out->shape[3], 12); /* C * mult */
    cr_expect_eq(gr->ops[0].opts.conv.depth_multiplier, 4);
    ts_gen_free(g);
}

/* Checks a weighted op's filter and bias quantization. */
static void check_weights(const ts_graph *gr, const ts_op *op)
{
    const ts_tensor *in = &gr->tensors[op->inputs[0]];
    const ts_tensor *w = &gr->tensors[op->inputs[1]];
    const ts_tensor *b = &gr->tensors[op->inputs[2]];
    int32_t axis = op->kind == TS_OP_DEPTHWISE_CONV_2D ? 3 : 0;

    cr_assert_eq(w->dtype, TS_DT_INT8);
    cr_assert_eq(w->quant.axis, axis, "%s", w->name);
    cr_assert_eq(w->quant.n, w->shape[axis], "%s", w->name);
    cr_assert_not_null(w->data);
    cr_assert_eq(b->dtype, TS_DT_INT32);
    cr_assert_eq(b->quant.n, w->quant.n, "%s", b->name);
    for (int32_t c = 0; c < w->quant.n; c++) {
        cr_expect_eq(w->quant.zero_point[c], 0);
        cr_expect(w->quant.scale[c] > 0.0f && isfinite(w->quant.scale[c]));
        cr_expect_eq(b->quant.zero_point[c], 0);
        cr_expect_eq(b->quant.scale[c], in->quant.scale[0] * w->quant.scale[c], "%s[%d]",
                     b->name, c);
    }
    for (int64_t i = 0; i < w->n_elems; i++)
        cr_expect_neq((int8_t)w->data[i], -128, "%s: symmetric weights stay in [-127,127]",
                      w->name);
}

/* Activation quantization rules of gen.h, for every op of a graph. */
static void check_activations(const ts_graph *gr)
{
    for (int32_t i = 0; i < gr->n_ops; i++) {
        const ts_op *op = &gr->ops[i];
        const ts_tensor *y = &gr->tensors[op->outputs[0]];
        const ts_tensor *x = &gr->tensors[op->inputs[0]];

        cr_assert_eq(y->dtype, TS_DT_INT8);
        cr_assert_eq(y->quant.n, 1, "%s", y->name);
        cr_expect(y->quant.scale[0] > 0.0f && isfinite(y->quant.scale[0]), "%s", y->name);
        cr_expect(y->quant.zero_point[0] >= -128 && y->quant.zero_point[0] <= 127);
        if (op->kind == TS_OP_CONV_2D || op->kind == TS_OP_DEPTHWISE_CONV_2D ||
            op->kind == TS_OP_FULLY_CONNECTED)
            check_weights(gr, op);
        if (op->kind == TS_OP_AVERAGE_POOL_2D || op->kind == TS_OP_RESHAPE) {
            cr_expect_eq(y->quant.scale[0], x->quant.scale[0], "%s", y->name);
            cr_expect_eq(y->quant.zero_point[0], x->quant.zero_point[0], "%s", y->name);
        }
        if (op->kind == TS_OP_SOFTMAX) {
            cr_expect_eq(y->quant.scale[0], 1.0f / 256.0f);
            cr_expect_eq(y->quant.zero_point[0], -128);
        }
        if ((op->kind == TS_OP_CONV_2D || op->kind == TS_OP_DEPTHWISE_CONV_2D) &&
            op->opts.conv.act == TS_ACT_RELU)
            cr_expect_eq(y->quant.zero_point[0], -128, "%s: relu output starts at 0", y->name);
    }
}

Test(gen_layers, every_arch_has_valid_per_tensor_and_per_channel_quantization)
{
    for (int32_t i = 0; i < ts_gen_n_archs(); i++) {
        ts_gen *g = build(sample_spec(ts_gen_arch_at(i)), 3);

        check_activations(ts_gen_graph(g));
        ts_gen_free(g);
    }
}

Test(gen_layers, requantization_multipliers_stay_below_one)
{
    ts_gen *g = build("resnet8", 1);
    const ts_graph *gr = ts_gen_graph(g);

    for (int32_t i = 0; i < gr->n_ops; i++) {
        const ts_op *op = &gr->ops[i];
        const ts_tensor *w, *y = &gr->tensors[op->outputs[0]];

        if (op->kind != TS_OP_CONV_2D && op->kind != TS_OP_FULLY_CONNECTED)
            continue;
        w = &gr->tensors[op->inputs[1]];
        for (int32_t c = 0; c < w->quant.n; c++) {
            double m = (double)gr->tensors[op->inputs[0]].quant.scale[0] * w->quant.scale[c] /
                       y->quant.scale[0];
            cr_expect(m > 1e-6 && m < 1.0, "op %d channel %d: multiplier %g", i, c, m);
        }
    }
    ts_gen_free(g);
}

Test(gen_layers, ds_cnn_has_the_reference_op_sequence)
{
    static const ts_op_kind want[] = {
        TS_OP_CONV_2D, TS_OP_DEPTHWISE_CONV_2D, TS_OP_CONV_2D, TS_OP_DEPTHWISE_CONV_2D,
        TS_OP_CONV_2D, TS_OP_DEPTHWISE_CONV_2D, TS_OP_CONV_2D, TS_OP_DEPTHWISE_CONV_2D,
        TS_OP_CONV_2D, TS_OP_AVERAGE_POOL_2D, TS_OP_RESHAPE, TS_OP_FULLY_CONNECTED,
        TS_OP_SOFTMAX};
    ts_gen *g = build("ds_cnn", 1);
    const ts_graph *gr = ts_gen_graph(g);

    cr_assert_eq(gr->n_ops, 13);
    for (int32_t i = 0; i < 13; i++)
        cr_expect_eq(gr->ops[i].kind, want[i], "op %d", i);
    cr_expect_eq(gr->tensors[gr->ops[0].outputs[0]].shape[1], 25);
    cr_expect_eq(gr->tensors[gr->ops[0].outputs[0]].shape[2], 5);
    cr_expect_eq(gr->tensors[gr->outputs[0]].shape[1], 12);
    ts_gen_free(g);
}

/* Expects spec to fail with `code` and exactly `msg` (or a message containing it). */
static void expect_spec_error(const char *spec, ts_status code, const char *msg, bool exact)
{
    ts_gen *g = (ts_gen *)1;
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_gen_build(spec, 1, &g, &err), code, "%s: %s", spec, err.msg);
    cr_expect_null(g, "%s: out-parameter set on failure", spec);
    if (exact)
        cr_expect_str_eq(err.msg, msg);
    else
        cr_expect(strstr(err.msg, msg) != NULL, "%s: '%s' lacks '%s'", spec, err.msg, msg);
}

Test(gen_layers, bad_specs_fail_with_one_precise_message)
{
    expect_spec_error("conv:3,3", TS_ERR_CONFIG,
                      "gen: conv:3,3: expected 6 to 8 comma-separated fields (got 2)", true);
    expect_spec_error("fc:1,2,3", TS_ERR_CONFIG,
                      "gen: fc:1,2,3: expected 2 comma-separated fields (got 3)", true);
    expect_spec_error("fc:", TS_ERR_CONFIG, "(got 0)", false);
    expect_spec_error("dwconv:8,8,x,3,3", TS_ERR_CONFIG,
                      "gen: dwconv:8,8,x,3,3: field 3 (C): expected a decimal integer (got \"x\")",
                      true);
    expect_spec_error("fc:0,3", TS_ERR_RANGE, "field 1 (IN): 0 out of range [1, 65536]", false);
    expect_spec_error("conv:8,8,3,4,3,3,1,diagonal", TS_ERR_CONFIG,
                      "field 8 (padding): expected same or valid (got \"diagonal\")", false);
    expect_spec_error("nope", TS_ERR_CONFIG, "gen: unknown architecture 'nope' (expected one of "
                      "ds_cnn, ", false);
    expect_spec_error("ds_cnn:1", TS_ERR_CONFIG, "gen: ds_cnn:1: ds_cnn takes no parameters",
                      true);
    expect_spec_error("conv", TS_ERR_CONFIG, "gen: conv: missing parameters", false);
    expect_spec_error("conv:4,4,3,8,5,5,1,valid", TS_ERR_RANGE,
                      "gen: layer 0 (CONV_2D): window 5x5 larger than input 4x4 with VALID "
                      "padding", true);
    expect_spec_error("conv:65536,65536,3,8,3,3", TS_ERR_RANGE, "elements", false);
    expect_spec_error("op:add,int8", TS_ERR_CONFIG,
                      "gen: op:add,int8: expected NAME,DTYPE,SHAPE[,SHAPE][,PARAM=V...]", true);
    expect_spec_error("op:nope,int8,3", TS_ERR_CONFIG,
                      "gen: op:nope,int8,3: unknown operator \"nope\" (expected one of add, ",
                      false);
    expect_spec_error("op:maximum,int16,3", TS_ERR_CONFIG,
                      "gen: op:maximum,int16,3: maximum is written as int8 or float32", true);
    expect_spec_error("op:add,int4,3", TS_ERR_CONFIG,
                      "gen: op:add,int4,3: dtype \"int4\" (expected int8, int16 or float32; "
                      "int32 for quantize, float16 for dequantize)", true);
    expect_spec_error("op:add,int32,3", TS_ERR_CONFIG, "dtype \"int32\" (expected", false);
    expect_spec_error("op:conv_2d,int8,1x4x4x2,filter=3.3.2,stride=1.1,act=tanh",
                      TS_ERR_CONFIG, "\"act=tanh\": expected act=none|relu|relu6|relu_n1_to_1",
                      false);
    expect_spec_error("op:conv_2d,int16,4x4x2,filter=3.3.2,stride=1.1", TS_ERR_RANGE,
                      "expected an NHWC input, filter=KH.KW.N and stride=SH.SW[.V]", false);
    expect_spec_error("op:depthwise_conv_2d,int16,1x2x2x2,filter=3.3.1,stride=1.1.1",
                      TS_ERR_RANGE, "filter 3x3 larger than the input 2x2 with VALID padding",
                      false);
    expect_spec_error("op:max_pool_2d,int16,1x4x4x2,filter=2.2.2,stride=1.1", TS_ERR_RANGE,
                      "expected an NHWC input, filter=KH.KW and stride=SH.SW[.V]", false);
    expect_spec_error("op:softmax,int16,2x3,scale=3", TS_ERR_RANGE, "expected scale=E, one "
                      "exponent in [-24, 0] (input scale 2^E, int8 or int16), and beta > 0",
                      false);
    expect_spec_error("op:softmax,int16,2x3,beta=0", TS_ERR_RANGE, "and beta > 0", false);
    expect_spec_error("op:logistic,float32,4,scale=-12", TS_ERR_RANGE, "expected scale=E", false);
    expect_spec_error("op:tanh,int16,4,beta=2", TS_ERR_CONFIG, "tanh takes the parameters "
                      "scale as NAME=V[.V...]", false);
    expect_spec_error("op:softmax,int16,2x3,beta=-1", TS_ERR_CONFIG, "beta \"-1\" (expected a "
                      "decimal in [0, 10) with at most 4 decimals, as 0.2)", false);
    expect_spec_error("op:pad,int16,2x3,paddings=1.1.1", TS_ERR_RANGE,
                      "paddings needs 4 values (before and after per dimension)", false);
    expect_spec_error("op:concatenation,int16,2x3,3x3,axis=1", TS_ERR_RANGE,
                      "inputs differ in dimension 0", false);
    expect_spec_error("op:fully_connected,int16,2x8,units=0", TS_ERR_RANGE,
                      "units must be one value >= 1", false);
    expect_spec_error("op:quantize,float32,4,to=32", TS_ERR_RANGE, "expected quantize from "
                      "float32 or int32 to=8|16, from int8/int16 to=8|16|32, or dequantize "
                      "from int8/int16/float16", false);
    expect_spec_error("op:quantize,int8,4,to=12", TS_ERR_RANGE, "to=8|16|32", false);
    expect_spec_error("op:dequantize,float32,4", TS_ERR_RANGE, "dequantize from int8/int16",
                      false);
    expect_spec_error("op:add,int8,2x0", TS_ERR_CONFIG, "shape \"2x0\": expected 1 to 4 "
                      "dimensions in [1, 4096] joined by 'x'", false);
    expect_spec_error("op:add,int8,1x2x3x4x5", TS_ERR_CONFIG, "expected 1 to 4", false);
    expect_spec_error("op:add,int8,4x3,2x3", TS_ERR_RANGE,
                      "gen: op:add,int8,4x3,2x3: shapes do not broadcast", false);
    expect_spec_error("op:add,int8,3,3,3", TS_ERR_CONFIG, "add takes 2 input shape(s) (got 3)",
                      false);
    expect_spec_error("op:transpose,int8,2x3", TS_ERR_CONFIG,
                      "gen: op:transpose,int8,2x3: transpose needs perm (NAME=V[.V...])", true);
    expect_spec_error("op:transpose,int8,2x3,perm=1.1", TS_ERR_RANGE,
                      "perm is not a permutation of 0..1", false);
    expect_spec_error("op:transpose,int8,2x3,perm=1", TS_ERR_RANGE,
                      "perm has 1 entries (the input has rank 2)", false);
    expect_spec_error("op:add,int8,3,alpha=2", TS_ERR_CONFIG, "add takes no parameter", false);
    expect_spec_error("op:expand_dims,int8,3,axis=x", TS_ERR_CONFIG,
                      "expected axis=V[.V...] with 1 to 4 integers", false);
    expect_spec_error("op:expand_dims,int8,3,axis=3", TS_ERR_RANGE, "axis must be one value",
                      false);
    expect_spec_error("op:squeeze,int8,1x1", TS_ERR_RANGE, "every dimension is 1", false);
}

Test(gen_layers, single_op_models_broadcast_as_tflite_and_quantize_from_the_seed)
{
    ts_gen *g = build("op:add,int8,2x1x3,5x1", 1);
    const ts_graph *gr = ts_gen_graph(g);
    const ts_tensor *out = &gr->tensors[gr->outputs[0]];

    cr_assert_eq(gr->n_ops, 1);
    cr_assert_eq(gr->n_inputs, 2);
    cr_assert_eq(out->rank, 3);
    cr_expect(out->shape[0] == 2 && out->shape[1] == 5 && out->shape[2] == 3);
    for (int32_t i = 0; i < 2; i++) {
        const ts_tensor *in = &gr->tensors[gr->inputs[i]];
        float s = in->quant.scale[0];
        int32_t zp = in->quant.zero_point[0];
        cr_expect(s >= 4.0f / 256 && s <= 16.0f / 256, "input %d scale %g", i, s);
        cr_expect(zp >= -20 && zp <= 20, "input %d zero point %d", i, zp);
    }
    ts_gen_free(g);
    g = build("op:mul,float32,7", 1);
    gr = ts_gen_graph(g);
    cr_expect_eq(gr->tensors[gr->inputs[1]].shape[0], 7, "second input defaults to the first");
    cr_expect_eq(gr->tensors[gr->outputs[0]].dtype, TS_DT_FLOAT32);
    cr_expect_eq(gr->tensors[gr->outputs[0]].quant.n, 0);
    ts_gen_free(g);
    g = build("op:transpose,int8,2x3x4,perm=2.0.1", 1);
    gr = ts_gen_graph(g);
    out = &gr->tensors[gr->outputs[0]];
    cr_expect(out->rank == 3 && out->shape[0] == 4 && out->shape[1] == 2 && out->shape[2] == 3);
    cr_assert_eq(gr->ops[0].n_inputs, 2, "perm is the second input");
    cr_expect_eq(gr->tensors[gr->ops[0].inputs[1]].n_elems, 3);
    ts_gen_free(g);
    g = build("op:expand_dims,float32,3x4,axis=-1", 1);
    gr = ts_gen_graph(g);
    out = &gr->tensors[gr->outputs[0]];
    cr_expect(out->rank == 3 && out->shape[0] == 3 && out->shape[1] == 4 && out->shape[2] == 1);
    ts_gen_free(g);
}

Test(gen_layers, same_seed_gives_identical_bytes_and_another_seed_other_weights)
{
    uint8_t *a = NULL, *b = NULL, *c = NULL;
    size_t la = 0, lb = 0, lc = 0;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("ds_cnn", 5, &a, &la, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_spec_bytes("ds_cnn", 5, &b, &lb, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_spec_bytes("ds_cnn", 6, &c, &lc, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(la, lb);
    cr_expect_eq(memcmp(a, b, la), 0);
    cr_expect(la != lc || memcmp(a, c, la) != 0);
    ts_free(a);
    ts_free(b);
    ts_free(c);
}

Test(gen_layers, generation_survives_out_of_memory_at_every_allocation)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_status st = TS_ERR_NOMEM;
    ts_err err;
    long n;

    for (n = 0; n < 2000 && st != TS_OK; n++) {
        ts_err_clear(&err);
        ts_alloc_fail_after(n);
        st = ts_gen_spec_bytes("resnet8", 1, &bytes, &len, &err);
        ts_alloc_fail_after(-1);
        if (st != TS_OK) {
            cr_expect_eq(st, TS_ERR_NOMEM, "allocation %ld: %s", n, err.msg);
            cr_expect_null(bytes);
        }
    }
    cr_expect_eq(st, TS_OK, "still failing after %ld allocations", n);
    ts_free(bytes);
}

Test(gen_layers, layers_reject_inputs_they_cannot_take)
{
    ts_gen *g = NULL;
    int32_t shape[2] = {1, 8}, t, y;
    ts_gen_conv c = {.out_c = 4, .kh = 3, .kw = 3, .stride_h = 1, .stride_w = 1};
    int32_t bad_axes[2] = {1, 1};
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_new(1, &g, &err), TS_OK);
    cr_assert_eq(ts_gen_input(g, 2, shape, &t, &err), TS_OK);
    cr_expect_eq(ts_gen_conv2d(g, t, &c, &y, &err), TS_ERR_RANGE);
    cr_expect(strstr(err.msg, "rank 2 (expected 4)") != NULL, "%s", err.msg);
    ts_err_clear(&err);
    cr_expect_eq(ts_gen_mean(g, t, 2, bad_axes, false, &y, &err), TS_ERR_RANGE);
    ts_err_clear(&err);
    shape[1] = 7;
    cr_expect_eq(ts_gen_reshape(g, t, 2, shape, &y, &err), TS_ERR_RANGE);
    ts_err_clear(&err);
    cr_expect_eq(ts_gen_write(g, &(uint8_t *){NULL}, &(size_t){0}, &err), TS_ERR_CONFIG);
    ts_gen_free(g);
}

Test(gen_layers, mean_reduces_the_given_axes)
{
    ts_gen *g = NULL;
    int32_t shape[4] = {1, 6, 5, 8}, axes[2] = {1, 2}, t, y;
    const ts_graph *gr;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_new(1, &g, &err), TS_OK);
    cr_assert_eq(ts_gen_input(g, 4, shape, &t, &err), TS_OK);
    cr_assert_eq(ts_gen_mean(g, t, 2, axes, true, &y, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_mean(g, t, 2, axes, false, &y, &err), TS_OK, "%s", err.msg);
    gr = ts_gen_graph(g);
    cr_expect_eq(gr->tensors[gr->ops[0].outputs[0]].rank, 4);
    cr_expect_eq(gr->tensors[gr->ops[0].outputs[0]].shape[1], 1);
    cr_expect_eq(gr->tensors[y].rank, 2);
    cr_expect_eq(gr->tensors[y].shape[1], 8);
    cr_expect(gr->ops[0].opts.reducer.keep_dims);
    ts_gen_free(g);
}
