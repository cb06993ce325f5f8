/* gen_layers.c: the layer functions of gen.h: check the layer against its input, compute
 * the output shape the TFLite way, create filters/biases/outputs and append the op.
 * Layer: sim/gen. Never prints, exits or touches files. Tensor pointers are not held across
 * ts_gen_add_tensor calls (the tensor array may move). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gen_int.h"

#define SQRT2 1.41421356f

/* TFLite output size: SAME ceil(in/stride); VALID floor((in-k)/stride)+1, false if in < k. */
static bool out_dim(int32_t in, int32_t k, int32_t stride, ts_padding pad, int32_t *out)
{
    if (pad == TS_PAD_SAME) {
        *out = (in - 1) / stride + 1;
        return true;
    }
    if (in < k)
        return false;
    *out = (in - k) / stride + 1;
    return true;
}

static const char *kind_name(ts_op_kind kind)
{
    return ts_gen_op_row_of(kind)->name;
}

/* Checks an NHWC input and a window; computes the output height and width. */
static ts_status window_out(const ts_gen *g, ts_op_kind kind, int32_t in, const int32_t k[2],
                            const int32_t s[2], ts_padding pad, int32_t o[2], ts_err *err)
{
    const ts_tensor *x;

    if (in < 0 || in >= g->n_tensors)
        return ts_err_set(err, TS_ERR_RANGE, "gen: layer %d (%s): input tensor %d out of range",
                          g->n_ops, kind_name(kind), in);
    x = &g->tensors[in];
    if (x->rank != 4)
        return ts_err_set(err, TS_ERR_RANGE, "gen: layer %d (%s): input %s has rank %d (expected 4)",
                          g->n_ops, kind_name(kind), x->name, x->rank);
    if (k[0] < 1 || k[1] < 1 || s[0] < 1 || s[1] < 1 || (pad != TS_PAD_SAME && pad != TS_PAD_VALID))
        return ts_err_set(err, TS_ERR_RANGE,
                          "gen: layer %d (%s): window %dx%d stride %dx%d (expected all >= 1)",
                          g->n_ops, kind_name(kind), k[0], k[1], s[0], s[1]);
    if (!out_dim(x->shape[1], k[0], s[0], pad, &o[0]) || !out_dim(x->shape[2], k[1], s[1], pad, &o[1]))
        return ts_err_set(err, TS_ERR_RANGE,
                          "gen: layer %d (%s): window %dx%d larger than input %dx%d with VALID "
                          "padding",
                          g->n_ops, kind_name(kind), k[0], k[1], x->shape[1], x->shape[2]);
    return TS_OK;
}

/* Filter + bias + output of a convolution-like layer; fills *ids = {filter, bias, output}. */
static ts_status weighted(ts_gen *g, ts_op_kind kind, int32_t in, const int32_t *fshape,
                          int32_t axis, int64_t fan_in, const int32_t *oshape, int32_t orank,
                          ts_act act, int32_t ids[3], ts_err *err)
{
    char name[48], sub[64];
    int32_t n_ch = fshape[axis];
    float gain = act == TS_ACT_NONE ? 1.0f : SQRT2, rms_pre = g->rms[in] * gain;
    ts_status st;

    ts_gen_layer_name(g, kind, name, sizeof name);
    snprintf(sub, sizeof sub, "%s/filter", name);
    st = ts_gen_add_tensor(g, sub, TS_DT_INT8, kind == TS_OP_FULLY_CONNECTED ? 2 : 4, fshape,
                           true, &ids[0], err);
    if (st == TS_OK)
        st = ts_gen_fill_filter(g, ids[0], axis, fan_in, gain, err);
    snprintf(sub, sizeof sub, "%s/bias", name);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, sub, TS_DT_INT32, 1, &n_ch, true, &ids[1], err);
    if (st == TS_OK)
        st = ts_gen_fill_bias(g, ids[1], in, ids[0], rms_pre, err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, name, TS_DT_INT8, orank, oshape, false, &ids[2], err);
    if (st == TS_OK)
        st = ts_gen_quant_act(g, ids[2], rms_pre, act, err);
    return st;
}

/* Appends the op of a weighted layer: inputs {in, filter, bias}, output ids[2]. */
static ts_status add_weighted_op(ts_gen *g, ts_op_kind kind, int32_t in, const int32_t ids[3],
                                 const ts_op_opts *opts, ts_err *err)
{
    int32_t ins[3] = {in, ids[0], ids[1]};

    return ts_gen_add_op(g, kind, 3, ins, 1, &ids[2], opts, err);
}

static ts_status check_act(const ts_gen *g, ts_op_kind kind, ts_act act, ts_err *err)
{
    if (act == TS_ACT_NONE || act == TS_ACT_RELU || act == TS_ACT_RELU6)
        return TS_OK;
    return ts_err_set(err, TS_ERR_RANGE,
                      "gen: layer %d (%s): fused activation %d not generated (expected none, "
                      "relu or relu6)",
                      g->n_ops, kind_name(kind), (int)act);
}

/* Appends a CONV_2D (mult == 0) or DEPTHWISE_CONV_2D (mult >= 1). */
static ts_status conv_layer(ts_gen *g, ts_op_kind kind, int32_t in, const ts_gen_conv *c,
                            int32_t *out, ts_err *err)
{
    int32_t k[2] = {c->kh, c->kw}, s[2] = {c->stride_h, c->stride_w}, o[2] = {0, 0}, ids[3], in_c;
    int32_t fshape[4], oshape[4];
    bool dw = kind == TS_OP_DEPTHWISE_CONV_2D;
    ts_op_opts opts;
    ts_status st = window_out(g, kind, in, k, s, c->padding, o, err);

    if (st == TS_OK)
        st = check_act(g, kind, c->act, err);
    if (st == TS_OK && (dw ? c->mult : c->out_c) < 1)
        st = ts_err_set(err, TS_ERR_RANGE, "gen: layer %d (%s): %s %d (expected >= 1)", g->n_ops,
                        kind_name(kind), dw ? "depth multiplier" : "output channels",
                        dw ? c->mult : c->out_c);
    if (st != TS_OK)
        return st;
    in_c = g->tensors[in].shape[3];
    fshape[0] = dw ? 1 : c->out_c;
    fshape[1] = c->kh;
    fshape[2] = c->kw;
    fshape[3] = dw ? in_c * c->mult : in_c;
    if (dw && (int64_t)in_c * c->mult > TS_GEN_MAX_ELEMS)
        fshape[3] = 0; /* rejected by ts_gen_add_tensor */
    oshape[0] = g->tensors[in].shape[0];
    oshape[1] = o[0];
    oshape[2] = o[1];
    oshape[3] = dw ? fshape[3] : c->out_c;
    st = weighted(g, kind, in, fshape, dw ? 3 : 0, (int64_t)c->kh * c->kw * (dw ? 1 : in_c),
                  oshape, 4, c->act, ids, err);
    if (st != TS_OK)
        return st;
    memset(&opts, 0, sizeof opts);
    opts.conv = (ts_conv_opts){.padding = c->padding, .stride_w = c->stride_w,
                               .stride_h = c->stride_h, .dilation_w = 1, .dilation_h = 1,
                               .depth_multiplier = dw ? c->mult : 0, .act = c->act};
    st = add_weighted_op(g, kind, in, ids, &opts, err);
    if (st == TS_OK)
        *out = ids[2];
    return st;
}

ts_status ts_gen_conv2d(ts_gen *g, int32_t in, const ts_gen_conv *c, int32_t *out, ts_err *err)
{
    return conv_layer(g, TS_OP_CONV_2D, in, c, out, err);
}

ts_status ts_gen_dwconv2d(ts_gen *g, int32_t in, const ts_gen_conv *c, int32_t *out,
                          ts_err *err)
{
    return conv_layer(g, TS_OP_DEPTHWISE_CONV_2D, in, c, out, err);
}

/* Checks that `in` names a tensor. */
static ts_status check_in(const ts_gen *g, ts_op_kind kind, int32_t in, ts_err *err)
{
    if (in >= 0 && in < g->n_tensors)
        return TS_OK;
    return ts_err_set(err, TS_ERR_RANGE, "gen: layer %d (%s): input tensor %d out of range",
                      g->n_ops, kind_name(kind), in);
}

ts_status ts_gen_fc(ts_gen *g, int32_t in, int32_t out_features, ts_act act, int32_t *out,
                    ts_err *err)
{
    int32_t fshape[2], oshape[2], ids[3], n_in;
    ts_op_opts opts;
    ts_status st = check_in(g, TS_OP_FULLY_CONNECTED, in, err);

    if (st == TS_OK)
        st = check_act(g, TS_OP_FULLY_CONNECTED, act, err);
    if (st == TS_OK && (g->tensors[in].rank < 1 || out_features < 1))
        st = ts_err_set(err, TS_ERR_RANGE,
                        "gen: layer %d (FULLY_CONNECTED): input rank %d, %d outputs (expected "
                        ">= 1 each)",
                        g->n_ops, g->tensors[in].rank, out_features);
    if (st != TS_OK)
        return st;
    n_in = g->tensors[in].shape[g->tensors[in].rank - 1];
    fshape[0] = out_features;
    fshape[1] = n_in;
    oshape[0] = (int32_t)(g->tensors[in].n_elems / n_in);
    oshape[1] = out_features;
    st = weighted(g, TS_OP_FULLY_CONNECTED, in, fshape, 0, n_in, oshape, 2, act, ids, err);
    if (st != TS_OK)
        return st;
    memset(&opts, 0, sizeof opts);
    opts.fc.act = act;
    st = add_weighted_op(g, TS_OP_FULLY_CONNECTED, in, ids, &opts, err);
    if (st == TS_OK)
        *out = ids[2];
    return st;
}

ts_status ts_gen_pool2d(ts_gen *g, int32_t in, const ts_gen_pool *p, int32_t *out, ts_err *err)
{
    ts_op_kind kind = p->is_max ? TS_OP_MAX_POOL_2D : TS_OP_AVERAGE_POOL_2D;
    int32_t k[2] = {p->fh, p->fw}, s[2] = {p->stride_h, p->stride_w}, o[2] = {0, 0}, oshape[4], y;
    char name[48];
    ts_op_opts opts;
    ts_status st = window_out(g, kind, in, k, s, p->padding, o, err);

    if (st != TS_OK)
        return st;
    oshape[0] = g->tensors[in].shape[0];
    oshape[1] = o[0];
    oshape[2] = o[1];
    oshape[3] = g->tensors[in].shape[3];
    ts_gen_layer_name(g, kind, name, sizeof name);
    st = ts_gen_add_tensor(g, name, TS_DT_INT8, 4, oshape, false, &y, err);
    if (st != TS_OK)
        return st;
    ts_gen_quant_same(g, y, in);
    memset(&opts, 0, sizeof opts);
    opts.pool = (ts_pool_opts){.padding = p->padding, .stride_w = p->stride_w,
                               .stride_h = p->stride_h, .filter_w = p->fw, .filter_h = p->fh,
                               .act = TS_ACT_NONE};
    st = ts_gen_add_op(g, kind, 1, &in, 1, &y, &opts, err);
    if (st == TS_OK)
        *out = y;
    return st;
}

static bool same_shape(const ts_tensor *a, const ts_tensor *b)
{
    return a->rank == b->rank && memcmp(a->shape, b->shape, (size_t)a->rank * sizeof a->shape[0]) == 0;
}

ts_status ts_gen_add(ts_gen *g, int32_t a, int32_t b, ts_act act, int32_t *out, ts_err *err)
{
    int32_t ins[2] = {a, b}, y, shape[TS_MAX_RANK], rank;
    char name[48];
    ts_op_opts opts;
    float ra, rb;
    ts_status st = check_in(g, TS_OP_ADD, a, err);

    if (st == TS_OK)
        st = check_in(g, TS_OP_ADD, b, err);
    if (st == TS_OK)
        st = check_act(g, TS_OP_ADD, act, err);
    if (st == TS_OK && !same_shape(&g->tensors[a], &g->tensors[b]))
        st = ts_err_set(err, TS_ERR_RANGE, "gen: layer %d (ADD): inputs %s and %s differ in shape",
                        g->n_ops, g->tensors[a].name, g->tensors[b].name);
    if (st != TS_OK)
        return st;
    rank = g->tensors[a].rank;
    memcpy(shape, g->tensors[a].shape, sizeof shape);
    ra = g->rms[a];
    rb = g->rms[b];
    ts_gen_layer_name(g, TS_OP_ADD, name, sizeof name);
    st = ts_gen_add_tensor(g, name, TS_DT_INT8, rank, shape, false, &y, err);
    if (st == TS_OK)
        st = ts_gen_quant_act(g, y, sqrtf(ra * ra + rb * rb), act, err);
    memset(&opts, 0, sizeof opts);
    opts.eltwise.act = act;
    if (st == TS_OK)
        st = ts_gen_add_op(g, TS_OP_ADD, 2, ins, 1, &y, &opts, err);
    if (st == TS_OK)
        *out = y;
    return st;
}

ts_status ts_gen_softmax(ts_gen *g, int32_t in, int32_t *out, ts_err *err)
{
    int32_t y, shape[TS_MAX_RANK], rank;
    char name[48];
    ts_op_opts opts;
    ts_status st = check_in(g, TS_OP_SOFTMAX, in, err);

    if (st != TS_OK)
        return st;
    rank = g->tensors[in].rank;
    memcpy(shape, g->tensors[in].shape, sizeof shape);
    ts_gen_layer_name(g, TS_OP_SOFTMAX, name, sizeof name);
    st = ts_gen_add_tensor(g, name, TS_DT_INT8, rank, shape, false, &y, err);
    if (st == TS_OK) /* TFLite's int8 softmax output quantization */
        st = ts_gen_quant_fixed(g, y, 1.0f / 256.0f, -128, err);
    memset(&opts, 0, sizeof opts);
    opts.softmax.beta = 1.0f;
    if (st == TS_OK)
        st = ts_gen_add_op(g, TS_OP_SOFTMAX, 1, &in, 1, &y, &opts, err);
    if (st == TS_OK)
        *out = y;
    return st;
}

/* A constant int32 vector tensor "<layer>/<what>" holding v[0..n). */
ts_status ts_gen_const_ints(ts_gen *g, const char *layer, const char *what, int32_t n,
                            const int32_t *v, int32_t *out, ts_err *err)
{
    char name[64];
    uint8_t *data;
    ts_status st;

    snprintf(name, sizeof name, "%s/%s", layer, what);
    st = ts_gen_add_tensor(g, name, TS_DT_INT32, 1, &n, true, out, err);
    if (st != TS_OK)
        return st;
    data = (uint8_t *)g->tensors[*out].data;
    for (int32_t i = 0; i < n; i++)
        for (int k = 0; k < 4; k++) /* little-endian, as in the file */
            data[4 * i + k] = (uint8_t)((uint32_t)v[i] >> (8 * k));
    return TS_OK;
}

ts_status ts_gen_reshape(ts_gen *g, int32_t in, int32_t rank, const int32_t *shape, int32_t *out,
                         ts_err *err)
{
    int32_t ins[2] = {in, 0}, y;
    int64_t n = 1;
    char name[48];
    ts_op_opts opts;
    ts_status st = check_in(g, TS_OP_RESHAPE, in, err);

    for (int32_t i = 0; i < rank && i < TS_MAX_RANK && n <= TS_GEN_MAX_ELEMS; i++)
        n *= shape[i] > 0 ? shape[i] : 0;
    if (st == TS_OK && (rank < 1 || rank > TS_MAX_RANK || n != g->tensors[in].n_elems))
        st = ts_err_set(err, TS_ERR_RANGE,
                        "gen: layer %d (RESHAPE): new shape of rank %d has %lld elements, input "
                        "%s has %lld",
                        g->n_ops, rank, (long long)n, g->tensors[in].name,
                        (long long)g->tensors[in].n_elems);
    if (st != TS_OK)
        return st;
    ts_gen_layer_name(g, TS_OP_RESHAPE, name, sizeof name);
    st = ts_gen_const_ints(g, name, "shape", rank, shape, &ins[1], err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, name, TS_DT_INT8, rank, shape, false, &y, err);
    if (st != TS_OK)
        return st;
    ts_gen_quant_same(g, y, in);
    memset(&opts, 0, sizeof opts);
    opts.reshape.n_new_shape = rank;
    opts.reshape.new_shape = shape;
    st = ts_gen_add_op(g, TS_OP_RESHAPE, 2, ins, 1, &y, &opts, err);
    if (st == TS_OK)
        *out = y;
    return st;
}

/* Output shape of MEAN over axes; false for repeated or out-of-range axes. */
static bool mean_shape(const ts_tensor *x, int32_t n_axes, const int32_t *axes, bool keep,
                       int32_t shape[TS_MAX_RANK], int32_t *rank)
{
    bool reduced[TS_MAX_RANK] = {false};

    if (n_axes < 1 || n_axes > x->rank)
        return false;
    for (int32_t i = 0; i < n_axes; i++) {
        if (axes[i] < 0 || axes[i] >= x->rank || reduced[axes[i]])
            return false;
        reduced[axes[i]] = true;
    }
    *rank = 0;
    for (int32_t d = 0; d < x->rank; d++)
        if (keep || !reduced[d])
            shape[(*rank)++] = reduced[d] ? 1 : x->shape[d];
    return true;
}

ts_status ts_gen_mean(ts_gen *g, int32_t in, int32_t n_axes, const int32_t *axes, bool keep_dims,
                      int32_t *out, ts_err *err)
{
    int32_t ins[2] = {in, 0}, y, shape[TS_MAX_RANK], rank = 0;
    char name[48];
    ts_op_opts opts;
    ts_status st = check_in(g, TS_OP_MEAN, in, err);

    if (st == TS_OK && !mean_shape(&g->tensors[in], n_axes, axes, keep_dims, shape, &rank))
        st = ts_err_set(err, TS_ERR_RANGE,
                        "gen: layer %d (MEAN): %d axes for input %s of rank %d (expected distinct "
                        "axes in [0, rank))",
                        g->n_ops, n_axes, g->tensors[in].name, g->tensors[in].rank);
    if (st != TS_OK)
        return st;
    ts_gen_layer_name(g, TS_OP_MEAN, name, sizeof name);
    st = ts_gen_const_ints(g, name, "axes", n_axes, axes, &ins[1], err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, name, TS_DT_INT8, rank, shape, false, &y, err);
    if (st != TS_OK)
        return st;
    ts_gen_quant_same(g, y, in);
    memset(&opts, 0, sizeof opts);
    opts.reducer.keep_dims = keep_dims;
    st = ts_gen_add_op(g, TS_OP_MEAN, 2, ins, 1, &y, &opts, err);
    if (st == TS_OK)
        *out = y;
    return st;
}
