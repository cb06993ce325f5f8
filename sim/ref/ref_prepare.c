/* ref_prepare.c: per-op validation and kernel-parameter preparation of the reference
 * executor: dtype combinations, TFLite padding (ComputePaddingHeightWidth), per-channel
 * requantisation and activation ranges via the kernels' prepare helpers, scratch sizes via
 * their _scratch_size queries (the plain or the SIMD query, as the op's kernel variant).
 * Layer: sim/ref. Runs once per model on the host; everything here comes from the file, so
 * every problem is a status naming the op, never an assert.
 * Must not run kernels or time anything. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "ref_int.h"

typedef struct prep {
    ts_ref *r;
    const ts_op *op;
    ts_ref_op *ro;
    ts_err *err;
    int32_t data_in; /* weighted ops: op input of the activation (0; TRANSPOSE_CONV 2) */
    int32_t bias_in; /* ... and of the bias (2; TRANSPOSE_CONV 3); the weights are input 1 */
} prep;

typedef ts_status (*prep_fn)(prep *c);

/* ---- messages and tensor access ---- */

static ts_status op_fail(const prep *c, ts_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "int8 [1,8]" of tensor t (index into the graph, -1 = absent: "-") at buf + *n. */
static void describe_tensor(const ts_graph *g, int32_t t, char *buf, size_t size, size_t *n)
{
    const ts_tensor *x = t >= 0 ? &g->tensors[t] : NULL;

    if (*n >= size)
        return;
    if (!x) {
        *n += (size_t)snprintf(buf + *n, size - *n, "-");
        return;
    }
    *n += (size_t)snprintf(buf + *n, size - *n, "%s [", ts_dtype_name(x->dtype));
    for (int32_t i = 0; i < x->rank && *n < size; i++)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s%d", i ? "," : "", x->shape[i]);
    if (*n < size)
        *n += (size_t)snprintf(buf + *n, size - *n, "]");
}

/* The op's tensors, "int8 [1,8], int32 [2] -> int8 [1,4]" (at most 4 inputs, then "..."). */
static void describe_op(const prep *c, char *buf, size_t size)
{
    const ts_op *op = c->op;
    size_t n = 0;

    buf[0] = '\0';
    for (int32_t j = 0; j < op->n_inputs && j < 4 && n < size; j++) {
        if (j)
            n += (size_t)snprintf(buf + n, size - n, ", ");
        describe_tensor(c->r->g, op->inputs[j], buf, size, &n);
    }
    if (op->n_inputs > 4 && n < size)
        n += (size_t)snprintf(buf + n, size - n, ", ...");
    for (int32_t j = 0; j < op->n_outputs && j < 2 && n < size; j++) {
        n += (size_t)snprintf(buf + n, size - n, j ? ", " : " -> ");
        describe_tensor(c->r->g, op->outputs[j], buf, size, &n);
    }
}

/* Sets err to "SOURCE: op K (NAME): WHAT"; an op that is refused as unsupported also gets its
 * tensors' dtypes and shapes ("...; int8 [1,8] -> int8 [1,4]"), so that the one line says
 * exactly what a user would have to change. */
static ts_status op_fail(const prep *c, ts_status code, const char *fmt, ...)
{
    char what[224], sig[160] = "";
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (code == TS_ERR_UNSUPPORTED)
        describe_op(c, sig, sizeof sig);
    return ts_err_set(c->err, code, "%s: op %d (%s): %s%s%s", c->r->source, c->ro->op_index,
                      c->op->name, what, sig[0] ? "; " : "", sig);
}

static const ts_tensor *tin(const prep *c, int32_t j)
{
    if (j >= c->op->n_inputs || c->op->inputs[j] < 0)
        return NULL;
    return &c->r->g->tensors[c->op->inputs[j]];
}

static const ts_tensor *tout(const prep *c)
{
    return &c->r->g->tensors[c->op->outputs[0]];
}

static const char *dt(const ts_tensor *t)
{
    return t ? ts_dtype_name(t->dtype) : "absent";
}

/* 4-D [N,H,W,C] view of a tensor of rank <= 4 (leading 1s, TFLite's ExtendedShape). */
static ts_status dims4(const prep *c, const ts_tensor *t, const char *role, tsk_dims *d)
{
    int32_t v[4] = {1, 1, 1, 1};

    if (t->rank > 4)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s '%s' has rank %d (at most 4 supported)", role,
                       t->name, t->rank);
    for (int32_t i = 0; i < t->rank; i++)
        v[4 - t->rank + i] = t->shape[i];
    *d = (tsk_dims){v[0], v[1], v[2], v[3]};
    return TS_OK;
}

/* Per-tensor scale and zero point of an int8 or int16 activation tensor (int16: symmetric,
 * zero point 0, as TFLite's 16x8 kernels require). */
static ts_status qparams(const prep *c, const ts_tensor *t, const char *role, float *scale,
                         int32_t *zp)
{
    if (t->quant.n < 1)
        return op_fail(c, TS_ERR_FORMAT, "%s %s '%s' has no quantization parameters",
                       ts_dtype_name(t->dtype), role, t->name);
    if (t->quant.n > 1)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s '%s' is quantized per channel (%d scales; "
                       "expected 1)", role, t->name, t->quant.n);
    *scale = t->quant.scale[0];
    *zp = t->quant.zero_point[0];
    if (t->dtype == TS_DT_INT16 && *zp != 0)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int16 %s '%s' zero point %d (expected 0: 16x8 "
                       "quantization is symmetric)", role, t->name, (int)*zp);
    if (*zp < -128 || *zp > 127)
        return op_fail(c, TS_ERR_FORMAT, "%s '%s' zero point %d (expected -128..127)", role,
                       t->name, (int)*zp);
    return TS_OK;
}

static bool same_quant(const ts_tensor *a, const ts_tensor *b)
{
    return a->quant.n >= 1 && b->quant.n >= 1 && a->quant.scale[0] == b->quant.scale[0] &&
           a->quant.zero_point[0] == b->quant.zero_point[0];
}

static ts_status map_act(const prep *c, ts_act a, tsk_activation *out)
{
    switch (a) {
    case TS_ACT_NONE: *out = TSK_ACT_NONE; return TS_OK;
    case TS_ACT_RELU: *out = TSK_ACT_RELU; return TS_OK;
    case TS_ACT_RELU_N1_TO_1: *out = TSK_ACT_RELU_N1_TO_1; return TS_OK;
    case TS_ACT_RELU6: *out = TSK_ACT_RELU6; return TS_OK;
    case TS_ACT_TANH:
        return op_fail(c, TS_ERR_UNSUPPORTED, "fused activation TANH is not supported");
    case TS_ACT_SIGN_BIT:
        return op_fail(c, TS_ERR_UNSUPPORTED, "fused activation SIGN_BIT is not supported");
    }
    return op_fail(c, TS_ERR_FORMAT, "fused activation %d (expected 0..5)", (int)a);
}

static ts_status act_s8(const prep *c, ts_act a, tsk_range *range)
{
    tsk_activation ka = TSK_ACT_NONE;
    float scale = 0.0f;
    int32_t zp = 0;
    ts_status st;

    if ((st = map_act(c, a, &ka)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &scale, &zp)) != TS_OK)
        return st;
    if ((tout(c)->dtype == TS_DT_INT16 ? tsk_activation_range_s16(ka, scale, zp, range)
                                        : tsk_activation_range_s8(ka, scale, zp, range)) != TSK_OK)
        return op_fail(c, TS_ERR_FORMAT, "output scale %g gives no activation range", scale);
    return TS_OK;
}

static ts_status act_f32(const prep *c, ts_act a, tsk_range_f32 *range)
{
    tsk_activation ka = TSK_ACT_NONE;
    ts_status st = map_act(c, a, &ka);

    if (st == TS_OK && tsk_activation_range_f32(ka, range) != TSK_OK)
        return op_fail(c, TS_ERR_INTERNAL, "no float range for activation %d", (int)a);
    return st;
}

/* ---- dtypes ---- */

/* CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED: int8 with int32 bias, 16x8 (int16 activations,
 * int8 weights, int64 bias), or all float32. */
static ts_status weighted_dtype(prep *c)
{
    const ts_tensor *in = tin(c, c->data_in), *w = tin(c, 1), *b = tin(c, c->bias_in);
    const ts_tensor *out = tout(c);

    if (in->dtype == TS_DT_INT8 && w->dtype == TS_DT_INT8 && out->dtype == TS_DT_INT8 &&
        (!b || b->dtype == TS_DT_INT32)) {
        c->ro->dtype = TS_DT_INT8;
        return TS_OK;
    }
    if (in->dtype == TS_DT_INT16 && w->dtype == TS_DT_INT8 && out->dtype == TS_DT_INT16 &&
        (!b || b->dtype == TS_DT_INT64)) {
        c->ro->dtype = TS_DT_INT16;
        return TS_OK;
    }
    if (in->dtype == TS_DT_FLOAT32 && w->dtype == TS_DT_FLOAT32 &&
        out->dtype == TS_DT_FLOAT32 && (!b || b->dtype == TS_DT_FLOAT32)) {
        c->ro->dtype = TS_DT_FLOAT32;
        return TS_OK;
    }
    if (in->dtype == TS_DT_FLOAT32 && (w->dtype == TS_DT_INT8 || w->dtype == TS_DT_UINT8))
        return op_fail(c, TS_ERR_UNSUPPORTED, "float32 input with %s weights (hybrid) is not "
                       "supported", dt(w));
    return op_fail(c, TS_ERR_UNSUPPORTED, "%s input, %s weights, %s bias, %s output is not "
                   "supported (expected int8 with int32 bias, int16 with int8 weights and int64 bias, or "
                   "float32)", dt(in), dt(w), dt(b),
                   dt(out));
}

/* Every listed input and the output share one dtype, int8 or float32. */
static ts_status uniform_dtype(prep *c, int32_t n_in)
{
    const ts_tensor *out = tout(c);

    if (out->dtype != TS_DT_INT8 && out->dtype != TS_DT_FLOAT32)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s output is not supported (expected int8 or "
                       "float32)", dt(out));
    for (int32_t j = 0; j < n_in; j++) {
        const ts_tensor *t = tin(c, j);
        if (t && t->dtype != out->dtype)
            return op_fail(c, TS_ERR_UNSUPPORTED, "%s input %d with %s output is not "
                           "supported (expected the same dtype)", dt(t), j, dt(out));
    }
    c->ro->dtype = out->dtype;
    return TS_OK;
}

/* 16x8 ops of one dtype: when the output is int16, every listed input must be int16 too
 * (dtype INT16); otherwise uniform_dtype's int8 / float32 rule. */
static ts_status int16_same(prep *c, int32_t n_in)
{
    if (tout(c)->dtype != TS_DT_INT16)
        return uniform_dtype(c, n_in);
    for (int32_t j = 0; j < n_in; j++) {
        const ts_tensor *t = tin(c, j);
        if (t && t->dtype != TS_DT_INT16)
            return op_fail(c, TS_ERR_UNSUPPORTED, "%s input %d with int16 output is not "
                           "supported (expected the same dtype)", dt(t), j);
    }
    c->ro->dtype = TS_DT_INT16;
    return TS_OK;
}

/* int8 ops that do not requantise: input and output quantization must be equal. */
static ts_status same_io_quant(prep *c, const ts_tensor *in)
{
    float s;
    int32_t zp;
    ts_status st;

    if ((st = qparams(c, in, "input", &s, &zp)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &s, &zp)) != TS_OK)
        return st;
    if (!same_quant(in, tout(c)))
        return op_fail(c, TS_ERR_UNSUPPORTED, "output quantization (scale %g, zero point %d) "
                       "differs from input '%s' (scale %g, zero point %d)",
                       tout(c)->quant.scale[0], (int)tout(c)->quant.zero_point[0], in->name,
                       in->quant.scale[0], (int)in->quant.zero_point[0]);
    return TS_OK;
}

/* ---- geometry ---- */

typedef struct axis_geom {
    const char *name; /* "height" / "width" */
    int32_t in, k, stride, dil, out;
} axis_geom;

/* TFLite ComputeOutSize + ComputePaddingHeightWidth for one axis. */
static ts_status pad_axis(const prep *c, ts_padding pad, const axis_geom *a, int32_t *padding)
{
    int64_t eff = (int64_t)(a->k - 1) * a->dil + 1;
    int64_t want, total;

    if (pad == TS_PAD_SAME)
        want = ((int64_t)a->in + a->stride - 1) / a->stride;
    else
        want = ((int64_t)a->in - eff + a->stride) / a->stride;
    if (want < 1 || want != a->out)
        return op_fail(c, TS_ERR_FORMAT, "output %s %d (expected %lld from input %d, window "
                       "%lld, stride %d, %s padding)", a->name, a->out, (long long)want, a->in,
                       (long long)eff, a->stride, pad == TS_PAD_SAME ? "SAME" : "VALID");
    total = (want - 1) * a->stride + eff - a->in;
    *padding = total > 0 ? (int32_t)(total / 2) : 0;
    return TS_OK;
}

static ts_status window(const prep *c, ts_padding pad, const tsk_hw *k, const tsk_hw *stride,
                        const tsk_hw *dil, tsk_hw *padding)
{
    const tsk_dims *in = &c->ro->in_dims[0], *out = &c->ro->out_dims;
    axis_geom h = {"height", in->h, k->h, stride->h, dil->h, out->h};
    axis_geom w = {"width", in->w, k->w, stride->w, dil->w, out->w};
    ts_status st;

    if (in->n != out->n)
        return op_fail(c, TS_ERR_FORMAT, "output batch %d (expected input batch %d)", out->n,
                       in->n);
    if ((st = pad_axis(c, pad, &h, &padding->h)) != TS_OK)
        return st;
    return pad_axis(c, pad, &w, &padding->w);
}

/* ---- requantisation tables ---- */

static ts_status quant_alloc(prep *c, int32_t n, int32_t *first)
{
    ts_ref *r = c->r;

    if (r->n_quant + n > r->cap_quant) {
        int32_t cap = (r->cap_quant + n) * 2;
        int32_t *m = ts_realloc(r->multiplier, (size_t)cap * sizeof *m);
        int32_t *s = m ? ts_realloc(r->shift, (size_t)cap * sizeof *s) : NULL;
        if (m)
            r->multiplier = m;
        if (!s)
            return op_fail(c, TS_ERR_NOMEM, "out of memory for %d requantisation entries", cap);
        r->shift = s;
        r->cap_quant = cap;
    }
    *first = r->n_quant;
    r->n_quant += n;
    return TS_OK;
}

/* Per-channel (or per-tensor) output multipliers of a weighted op, weights quantized along
 * `axis` when per channel; weight zero points must be 0 except per-tensor FC weights. */
static ts_status weight_quant(prep *c, int32_t n_out, int32_t axis, int32_t *w_zp)
{
    const ts_tensor *w = tin(c, 1);
    float s_in = 0.0f, s_out = 0.0f;
    int32_t zp_in, zp_out, first = 0;
    ts_status st;

    if ((st = qparams(c, tin(c, c->data_in), "input", &s_in, &zp_in)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &s_out, &zp_out)) != TS_OK)
        return st;
    if (w->quant.n != 1 && w->quant.n != n_out)
        return op_fail(c, TS_ERR_FORMAT, "weights '%s' have %d scales (expected 1 or %d)",
                       w->name, w->quant.n, n_out);
    if (w->quant.n > 1 && w->quant.axis != axis)
        return op_fail(c, TS_ERR_UNSUPPORTED, "weights '%s' quantized along axis %d (expected "
                       "%d)", w->name, w->quant.axis, axis);
    for (int32_t i = 0; i < w->quant.n; i++)
        if (w->quant.zero_point[i] != 0 && (w_zp == NULL || w->quant.n > 1))
            return op_fail(c, TS_ERR_UNSUPPORTED, "weights '%s' zero point %d (expected 0)",
                           w->name, (int)w->quant.zero_point[i]);
    if (w_zp)
        *w_zp = w->quant.zero_point[0];
    if ((st = quant_alloc(c, w->quant.n, &first)) != TS_OK)
        return st;
    if (tsk_conv_prepare_s8(s_in, w->quant.scale, w->quant.n, s_out, c->r->multiplier + first,
                            c->r->shift + first) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "requantisation scale out of range (input %g, "
                       "output %g)", s_in, s_out);
    c->ro->quant_first = first;
    c->ro->n_quant = w->quant.n;
    return TS_OK;
}

static ts_status set_scratch(prep *c, int32_t bytes)
{
    if (bytes < 0)
        return op_fail(c, TS_ERR_FORMAT, "the kernel rejects these shapes (scratch size query "
                       "returned %d)", (int)bytes);
    c->ro->scratch_bytes = bytes;
    return TS_OK;
}

/* ---- CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED ---- */

static ts_status conv_dims(prep *c)
{
    ts_ref_op *ro = c->ro;
    ts_status st;

    if ((st = dims4(c, tin(c, c->data_in), "input", &ro->in_dims[0])) != TS_OK ||
        (st = dims4(c, tin(c, 1), "filter", &ro->in_dims[1])) != TS_OK)
        return st;
    if (tin(c, c->bias_in))
        ro->in_dims[2] = (tsk_dims){1, 1, 1, (int32_t)tin(c, c->bias_in)->n_elems};
    return dims4(c, tout(c), "output", &ro->out_dims);
}

static ts_status prep_conv(prep *c)
{
    const ts_conv_opts *o = &c->op->opts.conv;
    ts_ref_op *ro = c->ro;
    tsk_conv_params *p = &ro->p.conv;
    tsk_hw k, pad, stride = {o->stride_h, o->stride_w}, dil = {o->dilation_h, o->dilation_w};
    ts_status st;

    if ((st = weighted_dtype(c)) != TS_OK || (st = conv_dims(c)) != TS_OK)
        return st;
    k = (tsk_hw){ro->in_dims[1].h, ro->in_dims[1].w};
    if ((st = window(c, o->padding, &k, &stride, &dil, &pad)) != TS_OK)
        return st;
    if (ro->dtype == TS_DT_FLOAT32) {
        ro->p.conv_f32 = (tsk_conv_params_f32){stride, pad, dil, {0.0f, 0.0f}};
        return act_f32(c, o->act, &ro->p.conv_f32.act);
    }
    if ((st = weight_quant(c, ro->out_dims.c, 0, NULL)) != TS_OK ||
        (st = act_s8(c, o->act, &p->act)) != TS_OK)
        return st;
    p->stride = stride, p->padding = pad, p->dilation = dil;
    p->input_offset = -tin(c, 0)->quant.zero_point[0];
    p->output_offset = tout(c)->quant.zero_point[0];
    p->rounding = ro->rounding;
    ro->kernels = (int32_t)c->r->kernels;
    if (ro->dtype == TS_DT_INT16 && ro->in_dims[1].c != ro->in_dims[0].c)
        return op_fail(c, TS_ERR_UNSUPPORTED, "grouped int16 convolution (filter depth %d, input "
                       "depth %d) is not supported", ro->in_dims[1].c, ro->in_dims[0].c);
    if (ro->dtype == TS_DT_INT16) /* no scratch */
        return TS_OK;
    if (ro->kernels == TS_KERNELS_SIMD)
        return set_scratch(c, tsk_conv2d_s8_simd_scratch_size(&ro->in_dims[0], &ro->in_dims[1],
                                                              &ro->out_dims));
    return set_scratch(c, tsk_conv2d_s8_scratch_size(&ro->in_dims[0], &ro->in_dims[1],
                                                     &ro->out_dims));
}

/* The depth multiplier is taken from the shapes (output depth / input depth), which
 * model_check guarantees to divide; the option field is not trusted. */
static ts_status prep_dwconv(prep *c)
{
    const ts_conv_opts *o = &c->op->opts.conv;
    ts_ref_op *ro = c->ro;
    tsk_dw_conv_params *p = &ro->p.dw;
    tsk_hw k, pad, stride = {o->stride_h, o->stride_w}, dil = {o->dilation_h, o->dilation_w};
    int32_t mult;
    ts_status st;

    if ((st = weighted_dtype(c)) != TS_OK || (st = conv_dims(c)) != TS_OK)
        return st;
    k = (tsk_hw){ro->in_dims[1].h, ro->in_dims[1].w};
    mult = ro->out_dims.c / ro->in_dims[0].c;
    if ((st = window(c, o->padding, &k, &stride, &dil, &pad)) != TS_OK)
        return st;
    if (ro->dtype == TS_DT_FLOAT32) {
        ro->p.dw_f32 = (tsk_dw_conv_params_f32){stride, pad, dil, mult, {0.0f, 0.0f}};
        return act_f32(c, o->act, &ro->p.dw_f32.act);
    }
    if ((st = weight_quant(c, ro->out_dims.c, 3, NULL)) != TS_OK ||
        (st = act_s8(c, o->act, &p->act)) != TS_OK)
        return st;
    p->stride = stride, p->padding = pad, p->dilation = dil, p->ch_mult = mult;
    p->input_offset = -tin(c, 0)->quant.zero_point[0];
    p->output_offset = tout(c)->quant.zero_point[0];
    p->rounding = ro->rounding;
    ro->kernels = (int32_t)c->r->kernels;
    if (ro->dtype == TS_DT_INT16) /* no scratch */
        return TS_OK;
    if (ro->kernels == TS_KERNELS_SIMD)
        return set_scratch(c, tsk_depthwise_conv2d_s8_simd_scratch_size(
                                  &ro->in_dims[0], &ro->in_dims[1], &ro->out_dims));
    return set_scratch(c, tsk_depthwise_conv2d_s8_scratch_size(&ro->in_dims[0],
                                                               &ro->in_dims[1], &ro->out_dims));
}

/* ---- TRANSPOSE_CONV: inputs (output_shape, weights OHWI, input, bias?) ---- */

/* TFLite transpose_conv.cc: the padding of the conv this op transposes, i.e.
 * ComputePaddingHeightWidth over the OUTPUT size (stride, dilation 1): total
 * (ComputeOutSize(out) - 1) * stride + k - out, halved (top/left), never negative. */
static int32_t transpose_pad(ts_padding pad, int32_t out, int32_t k, int32_t stride)
{
    int32_t n = pad == TS_PAD_SAME ? (out + stride - 1) / stride : (out - k + stride) / stride;
    int64_t total = (int64_t)(n - 1) * stride + k - out;

    return total > 0 ? (int32_t)(total / 2) : 0;
}

/* The kernels take the weighted ops' (input, filter, bias): the prepared op's inputs are
 * reordered so; output_shape must be constant (model_check matched it with the output). */
static ts_status prep_transpose_conv(prep *c)
{
    const ts_conv_opts *o = &c->op->opts.conv;
    ts_ref_op *ro = c->ro;
    tsk_hw stride = {o->stride_h, o->stride_w}, dil = {1, 1}, pad;
    ts_status st;

    c->data_in = 2, c->bias_in = 3;
    if (!ts_tensor_is_const(tin(c, 0)))
        return op_fail(c, TS_ERR_UNSUPPORTED, "output_shape '%s' is computed at run time "
                       "(expected a constant: dynamic output shapes are not supported)",
                       tin(c, 0)->name);
    if ((st = weighted_dtype(c)) != TS_OK || (st = conv_dims(c)) != TS_OK)
        return st;
    ro->in[0] = c->op->inputs[2];
    ro->in[1] = c->op->inputs[1];
    ro->in[2] = tin(c, 3) ? c->op->inputs[3] : -1;
    ro->in[3] = -1, ro->n_inputs = 3;
    pad = (tsk_hw){transpose_pad(o->padding, ro->out_dims.h, ro->in_dims[1].h, stride.h),
                   transpose_pad(o->padding, ro->out_dims.w, ro->in_dims[1].w, stride.w)};
    if (ro->dtype == TS_DT_FLOAT32) {
        ro->p.conv_f32 = (tsk_conv_params_f32){stride, pad, dil, {0.0f, 0.0f}};
        return act_f32(c, o->act, &ro->p.conv_f32.act);
    }
    if ((st = weight_quant(c, ro->out_dims.c, 0, NULL)) != TS_OK ||
        (st = act_s8(c, o->act, &ro->p.conv.act)) != TS_OK)
        return st;
    ro->p.conv.stride = stride, ro->p.conv.padding = pad, ro->p.conv.dilation = dil;
    ro->p.conv.input_offset = -tin(c, c->data_in)->quant.zero_point[0];
    ro->p.conv.output_offset = tout(c)->quant.zero_point[0];
    ro->p.conv.rounding = ro->rounding;
    if (ro->dtype == TS_DT_INT16) /* 16x8: one plain kernel (TFLite has no other either) */
        return set_scratch(c, tsk_transpose_conv_s16_scratch_size(
                                  &ro->in_dims[0], &ro->in_dims[1], &ro->out_dims));
    ro->kernels = (int32_t)c->r->kernels;
    if (ro->kernels == TS_KERNELS_SIMD)
        return set_scratch(c, tsk_transpose_conv_s8_simd_scratch_size(
                                  &ro->in_dims[0], &ro->in_dims[1], &ro->out_dims));
    return set_scratch(c, tsk_transpose_conv_s8_scratch_size(&ro->in_dims[0], &ro->in_dims[1],
                                                             &ro->out_dims));
}

/* Input flattened to [batches, 1, 1, D], weights [U, 1, 1, D], output [batches, 1, 1, U]. */
static ts_status prep_fc(prep *c)
{
    const ts_tensor *w = tin(c, 1), *out = tout(c);
    ts_ref_op *ro = c->ro;
    int32_t d = w->shape[1], u = w->shape[0], w_zp;
    int64_t batches = tin(c, 0)->n_elems / d;
    ts_status st;

    if (c->op->opts.fc.weights_format != 0)
        return op_fail(c, TS_ERR_UNSUPPORTED, "weights format %d is not supported (expected 0, "
                       "DEFAULT)", (int)c->op->opts.fc.weights_format);
    if ((st = weighted_dtype(c)) != TS_OK)
        return st;
    if (batches * u != out->n_elems)
        return op_fail(c, TS_ERR_FORMAT, "output has %lld elements (expected %lld batches x %d)",
                       (long long)out->n_elems, (long long)batches, u);
    ro->in_dims[0] = (tsk_dims){(int32_t)batches, 1, 1, d};
    ro->in_dims[1] = (tsk_dims){u, 1, 1, d};
    ro->in_dims[2] = (tsk_dims){1, 1, 1, u};
    ro->out_dims = (tsk_dims){(int32_t)batches, 1, 1, u};
    if (ro->dtype == TS_DT_FLOAT32)
        return act_f32(c, c->op->opts.fc.act, &ro->p.fc_f32.act);
    if ((st = weight_quant(c, u, 0, &w_zp)) != TS_OK ||
        (st = act_s8(c, c->op->opts.fc.act, &ro->p.fc.act)) != TS_OK)
        return st;
    ro->p.fc.input_offset = -tin(c, 0)->quant.zero_point[0];
    ro->p.fc.filter_offset = -w_zp;
    ro->p.fc.output_offset = out->quant.zero_point[0];
    ro->p.fc.rounding = ro->rounding;
    ro->kernels = (int32_t)c->r->kernels;
    if (ro->dtype == TS_DT_INT16 && w_zp != 0)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int16 input with weights '%s' of zero point %d "
                       "(expected 0)", w->name, (int)w_zp);
    if (ro->dtype == TS_DT_INT16) /* no scratch */
        return TS_OK;
    if (ro->kernels == TS_KERNELS_SIMD)
        return set_scratch(c, tsk_fully_connected_s8_simd_scratch_size(&ro->in_dims[1]));
    return set_scratch(c, tsk_fully_connected_s8_scratch_size(&ro->in_dims[1]));
}

/* ---- pooling ---- */

static ts_status prep_pool(prep *c)
{
    const ts_pool_opts *o = &c->op->opts.pool;
    ts_ref_op *ro = c->ro;
    tsk_hw k = {o->filter_h, o->filter_w}, stride = {o->stride_h, o->stride_w}, one = {1, 1};
    tsk_hw pad;
    ts_status st = int16_same(c, 1);

    if (st != TS_OK || (st = dims4(c, tin(c, 0), "input", &ro->in_dims[0])) != TS_OK ||
        (st = dims4(c, tout(c), "output", &ro->out_dims)) != TS_OK)
        return st;
    if (ro->in_dims[0].c != ro->out_dims.c)
        return op_fail(c, TS_ERR_FORMAT, "output depth %d (expected input depth %d)",
                       ro->out_dims.c, ro->in_dims[0].c);
    if ((st = window(c, o->padding, &k, &stride, &one, &pad)) != TS_OK)
        return st;
    if (ro->dtype == TS_DT_FLOAT32) {
        ro->p.pool_f32 = (tsk_pool_params_f32){stride, pad, k, {0.0f, 0.0f}};
        return act_f32(c, o->act, &ro->p.pool_f32.act);
    }
    ro->p.pool = (tsk_pool_params){stride, pad, k, {0, 0}};
    if ((st = same_io_quant(c, tin(c, 0))) != TS_OK)
        return st;
    return act_s8(c, o->act, &ro->p.pool.act);
}

/* ---- ADD, MUL, SUB, MAXIMUM, MINIMUM ---- */

/* TFLite CheckedLog2: whether the scale is a power of two (log2 within 1e-3 of an integer). */
static bool pow2(float scale)
{
    double l = log2((double)scale);

    return fabs(l - round(l)) < 1e-3;
}

static ts_status broadcast_dims(prep *c)
{
    ts_ref_op *ro = c->ro;
    ts_status st;

    if ((st = dims4(c, tin(c, 0), "input 0", &ro->in_dims[0])) != TS_OK ||
        (st = dims4(c, tin(c, 1), "input 1", &ro->in_dims[1])) != TS_OK ||
        (st = dims4(c, tout(c), "output", &ro->out_dims)) != TS_OK)
        return st;
    for (int32_t j = 0; j < 2; j++) {
        const int32_t *a = &ro->in_dims[j].n, *o = &ro->out_dims.n;
        for (int32_t i = 0; i < 4; i++)
            if (a[i] != o[i] && a[i] != 1)
                return op_fail(c, TS_ERR_FORMAT, "input %d dimension %d is %d (expected %d or "
                               "1 to broadcast)", j, i, a[i], o[i]);
    }
    return TS_OK;
}

/* 16x8 ADD, SUB, MUL: int16 inputs and output (zero points 0, qparams); ADD/SUB take
 * TFLite's general int16 path, the one its converter asks for with pot_scale_int16 false (the
 * power-of-two path it otherwise takes for power-of-two scales is refused). */
static ts_status prep_eltwise_s16(prep *c)
{
    const ts_tensor *a = tin(c, 0), *b = tin(c, 1), *out = tout(c);
    ts_ref_op *ro = c->ro;
    float sa = 0.0f, sb = 0.0f, so = 0.0f;
    int32_t z = 0;
    tsk_activation act = TSK_ACT_NONE;
    tsk_status ks;
    ts_status st;

    if (a->dtype != TS_DT_INT16 || b->dtype != TS_DT_INT16 || ro->kind == TS_OP_SQUARED_DIFFERENCE)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s and %s inputs with an int16 output are not "
                       "supported (expected int16 inputs; no int16 SQUARED_DIFFERENCE)", dt(a),
                       dt(b));
    if ((st = broadcast_dims(c)) != TS_OK || (st = qparams(c, a, "input 0", &sa, &z)) != TS_OK ||
        (st = qparams(c, b, "input 1", &sb, &z)) != TS_OK ||
        (st = qparams(c, out, "output", &so, &z)) != TS_OK ||
        (st = map_act(c, c->op->opts.eltwise.act, &act)) != TS_OK)
        return st;
    ro->dtype = TS_DT_INT16;
    if (ro->kind == TS_OP_MUL)
        ks = tsk_mul_prepare_s16(sa, sb, so, act, c->r->rounding, &ro->p.mul);
    else if (!c->op->opts.eltwise.general_int16 && pow2(sa) && pow2(sb) && pow2(so))
        return op_fail(c, TS_ERR_UNSUPPORTED, "int16 power-of-two scales with pot_scale_int16 "
                       "set (TFLite's power-of-two kernel) are not supported");
    else
        ks = tsk_add_prepare_s16(sa, sb, so, act, c->r->rounding, &ro->p.add);
    if (ks != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "scales %g, %g -> %g cannot be requantised",
                       sa, sb, so);
    return TS_OK;
}

static ts_status prep_eltwise(prep *c)
{
    const ts_tensor *a = tin(c, 0), *b = tin(c, 1), *out = tout(c);
    ts_ref_op *ro = c->ro;
    float sa = 0.0f, sb = 0.0f, so = 0.0f;
    int32_t za = 0, zb = 0, zo = 0;
    tsk_activation act = TSK_ACT_NONE;
    bool sqdiff = ro->kind == TS_OP_SQUARED_DIFFERENCE;
    tsk_status ks;
    ts_status st;

    if (out->dtype == TS_DT_INT16)
        return prep_eltwise_s16(c);
    if ((st = uniform_dtype(c, 2)) != TS_OK || (st = broadcast_dims(c)) != TS_OK)
        return st;
    if (ro->dtype == TS_DT_FLOAT32) /* SQUARED_DIFFERENCE: no options, act NONE */
        return act_f32(c, sqdiff ? TS_ACT_NONE : c->op->opts.eltwise.act, &ro->p.elt_f32.act);
    if ((st = qparams(c, a, "input 0", &sa, &za)) != TS_OK ||
        (st = qparams(c, b, "input 1", &sb, &zb)) != TS_OK ||
        (st = qparams(c, out, "output", &so, &zo)) != TS_OK ||
        (st = map_act(c, sqdiff ? TS_ACT_NONE : c->op->opts.eltwise.act, &act)) != TS_OK)
        return st;
    if (sqdiff)
        ks = tsk_squared_difference_prepare_s8(sa, za, sb, zb, so, zo, c->r->rounding,
                                               &ro->p.add);
    else if (ro->kind == TS_OP_ADD || ro->kind == TS_OP_SUB) /* TFLite prepares SUB as ADD */
        ks = tsk_add_prepare_s8(sa, za, sb, zb, so, zo, act, c->r->rounding, &ro->p.add);
    else
        ks = tsk_mul_prepare_s8(sa, za, sb, zb, so, zo, act, c->r->rounding, &ro->p.mul);
    if (ks != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "scales %g, %g -> %g cannot be requantised",
                       sa, sb, so);
    return TS_OK;
}

/* MAXIMUM, MINIMUM: no parameters; int8 compares stored values, so both inputs must have the
 * output's quantization (what the TFLite converter writes; TFLite itself does not check). */
static ts_status prep_minmax(prep *c)
{
    ts_status st;

    if ((st = uniform_dtype(c, 2)) != TS_OK || (st = broadcast_dims(c)) != TS_OK)
        return st;
    if (c->ro->dtype == TS_DT_FLOAT32)
        return TS_OK;
    if ((st = same_io_quant(c, tin(c, 0))) != TS_OK)
        return st;
    return same_io_quant(c, tin(c, 1));
}

/* ---- RELU, RELU6, ABS, NEG (one input, element-wise, any shape: flattened) ---- */

/* The activation range of a RELU/RELU6 op (ABS, NEG: none). */
static ts_act unary_act(ts_op_kind kind)
{
    return kind == TS_OP_RELU ? TS_ACT_RELU : kind == TS_OP_RELU6 ? TS_ACT_RELU6 : TS_ACT_NONE;
}

/* int8: input rescaled to the output (TFLite QuantizeMultiplier of input / output scale). */
static ts_status unary_requant_s8(prep *c)
{
    tsk_mul_params *p = &c->ro->p.mul;
    float si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0;
    ts_status st;

    if (c->ro->kind == TS_OP_NEG)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int8 input is not supported (TFLite defines NEG "
                       "for float32 and integer tensors, not quantized int8)");
    if ((st = qparams(c, tin(c, 0), "input", &si, &zi)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &so, &zo)) != TS_OK ||
        (st = act_s8(c, unary_act(c->ro->kind), &p->act)) != TS_OK)
        return st;
    /* TFLite divides the float scales in float, then quantizes the double */
    if (tsk_quantize_multiplier((double)(si / so), &p->output_multiplier, &p->output_shift) !=
        TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "input scale %g / output scale %g cannot be "
                       "requantised", si, so);
    p->input1_offset = -zi;
    p->output_offset = zo;
    p->rounding = c->r->rounding;
    return TS_OK;
}

/* One input and an output of as many elements, of one dtype: both seen as [1,1,1,n]; int16
 * only where the op has a 16x8 kernel (allow16). */
static ts_status flat_unary(prep *c, bool allow16)
{
    const ts_tensor *in = tin(c, 0);
    ts_status st = allow16 ? int16_same(c, 1) : uniform_dtype(c, 1);

    if (st != TS_OK)
        return st;
    if (in->n_elems != tout(c)->n_elems || in->n_elems > INT32_MAX)
        return op_fail(c, TS_ERR_FORMAT, "output has %lld elements (expected %lld)",
                       (long long)tout(c)->n_elems, (long long)in->n_elems);
    c->ro->in_dims[0] = (tsk_dims){1, 1, 1, (int32_t)in->n_elems};
    c->ro->out_dims = c->ro->in_dims[0];
    return TS_OK;
}

static ts_status prep_unary_eltwise(prep *c)
{
    ts_ref_op *ro = c->ro;
    ts_status st = flat_unary(c, false);

    if (st != TS_OK)
        return st;
    if (ro->dtype == TS_DT_INT8)
        return unary_requant_s8(c);
    return act_f32(c, unary_act(ro->kind), &ro->p.elt_f32.act);
}

/* LEAKY_RELU: int8 and int16 (16x8: qparams refuses a zero point other than 0) identity and
 * alpha multipliers (TFLite's leaky_relu.cc Prepare computes both products and quotients in
 * float, then quantizes them, for either type). */
static ts_status prep_leaky_relu(prep *c)
{
    ts_ref_op *ro = c->ro;
    const ts_tensor *in = tin(c, 0);
    float alpha = c->op->opts.leaky_relu.alpha, si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0;
    ts_status st = flat_unary(c, true);

    if (st != TS_OK)
        return st;
    if (ro->dtype == TS_DT_FLOAT32) {
        ro->p.leaky_f32.alpha = alpha;
        return TS_OK;
    }
    if ((st = qparams(c, in, "input", &si, &zi)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &so, &zo)) != TS_OK)
        return st;
    if (tsk_quantize_multiplier((double)(si / so), &ro->p.leaky.identity_multiplier,
                                &ro->p.leaky.identity_shift) != TSK_OK ||
        tsk_quantize_multiplier((double)(si * alpha / so), &ro->p.leaky.alpha_multiplier,
                                &ro->p.leaky.alpha_shift) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "alpha %g with input scale %g and output scale "
                       "%g cannot be requantised", alpha, si, so);
    ro->p.leaky.input_offset = -zi;
    ro->p.leaky.output_offset = zo;
    ro->p.leaky.rounding = c->r->rounding;
    return TS_OK;
}

/* ---- ops-math group: HARD_SWISH, TANH ---- */

/* A one-input element-wise op (flat_unary); int8 also gets its input and output scales and
 * zero points. */
static ts_status flat_unary_q(prep *c, float *si, int32_t *zi, float *so, int32_t *zo)
{
    ts_status st = flat_unary(c, false);

    if (st != TS_OK || c->ro->dtype == TS_DT_FLOAT32)
        return st;
    if ((st = qparams(c, tin(c, 0), "input", si, zi)) != TS_OK)
        return st;
    return qparams(c, tout(c), "output", so, zo);
}

static ts_status prep_hard_swish(prep *c)
{
    float si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0;
    ts_status st = flat_unary_q(c, &si, &zi, &so, &zo);

    if (st != TS_OK || c->ro->dtype == TS_DT_FLOAT32)
        return st;
    if (tsk_hard_swish_prepare_s8(si, zi, so, zo, &c->ro->p.hard_swish) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "input scale %g and output scale %g cannot be "
                       "requantised (TFLite's int16 multipliers need output exponent in "
                       "[-15, 0])", si, so);
    return TS_OK;
}

/* SQRT: float32 only (TFLite's int8 SQRT, dequantize-sqrt-truncate in float, is newer than
 * the runtimes the goldens come from: refused). */
static ts_status prep_sqrt(prep *c)
{
    ts_status st = flat_unary(c, false);

    if (st == TS_OK && c->ro->dtype != TS_DT_FLOAT32)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s SQRT is not supported (expected float32)",
                       ts_dtype_name(c->ro->dtype));
    return st;
}

/* RSQRT: int8 as TFLite's RsqrtEvalQuantizedInt8 (its multiplier from the float scales). */
static ts_status prep_rsqrt(prep *c)
{
    float si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0;
    ts_status st = flat_unary_q(c, &si, &zi, &so, &zo);

    if (st != TS_OK || c->ro->dtype == TS_DT_FLOAT32)
        return st;
    if (tsk_rsqrt_prepare_s8(si, zi, so, zo, c->r->rounding, &c->ro->p.rsqrt) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "input scale %g and output scale %g cannot be "
                       "requantised", si, so);
    return TS_OK;
}

/* L2_NORMALIZATION: rows along the last dimension; no fused activation; int8 output 1/128,
 * zero point 0 (what TFLite's Prepare requires). */
static ts_status prep_l2_norm(prep *c)
{
    const ts_tensor *in = tin(c, 0);
    float si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0, depth = in->rank > 0 ? in->shape[in->rank - 1] : 1;
    ts_status st = flat_unary_q(c, &si, &zi, &so, &zo);

    if (st != TS_OK)
        return st;
    if (c->op->opts.eltwise.act != TS_ACT_NONE)
        return op_fail(c, TS_ERR_UNSUPPORTED, "fused activation %d is not supported",
                       (int)c->op->opts.eltwise.act);
    if (depth < 1 || depth > 32768)
        return op_fail(c, TS_ERR_UNSUPPORTED, "last dimension %d (expected 1 to 32768)", depth);
    c->ro->p.l2_norm = (tsk_l2_norm_params){(int32_t)(in->n_elems / depth), depth, zi,
                                            c->r->rounding};
    if (c->ro->dtype == TS_DT_FLOAT32)
        return TS_OK;
    if (fabs((double)so - 1.0 / 128) > 0.001 / 128 || zo != 0)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int8 output scale %g, zero point %d (expected "
                       "1/128, 0)", so, (int)zo);
    return TS_OK;
}

/* DIV: float32 as ADD's float path (broadcast, fused activation); TFLite has no int8 DIV. */
static ts_status prep_div(prep *c)
{
    ts_status st = uniform_dtype(c, 2);

    if (st == TS_OK && c->ro->dtype != TS_DT_FLOAT32)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s DIV is not supported (expected float32, as "
                       "TFLite defines it)", ts_dtype_name(c->ro->dtype));
    return st == TS_OK ? prep_eltwise(c) : st;
}

/* BATCH_MATMUL: two operands of rank 2 to 4 (seen as [b0, b1, rows, cols]), batch dimensions
 * broadcast to the output's, inner dimensions agreeing after adj_x / adj_y; int8 per-tensor,
 * the multiplier as TFLite's GetQuantizedConvolutionMultipler (the scale product in float). */
static ts_status prep_bmm(prep *c)
{
    const ts_tensor *a = tin(c, 0), *b = tin(c, 1), *out = tout(c);
    ts_ref_op *ro = c->ro;
    tsk_bmm_params *p = &ro->p.bmm;
    const tsk_dims *l = &ro->in_dims[0], *r = &ro->in_dims[1], *o = &ro->out_dims;
    float sa = 0.0f, sb = 0.0f, so = 0.0f;
    int32_t za = 0, zb = 0, zo = 0;
    ts_status st;

    if ((st = uniform_dtype(c, 2)) != TS_OK ||
        (st = dims4(c, a, "lhs", &ro->in_dims[0])) != TS_OK ||
        (st = dims4(c, b, "rhs", &ro->in_dims[1])) != TS_OK ||
        (st = dims4(c, out, "output", &ro->out_dims)) != TS_OK)
        return st;
    *p = (tsk_bmm_params){c->op->opts.bmm.adj_x, c->op->opts.bmm.adj_y, 0, 0, 0, 0, 0,
                          c->r->rounding};
    if (a->rank < 2 || b->rank < 2 || (p->adj_x ? l->c : l->w) != o->w ||
        (p->adj_y ? r->w : r->c) != o->c || (p->adj_x ? l->w : l->c) != (p->adj_y ? r->c : r->w) ||
        (l->n != o->n && l->n != 1) || (r->n != o->n && r->n != 1) ||
        (l->h != o->h && l->h != 1) || (r->h != o->h && r->h != 1))
        return op_fail(c, TS_ERR_FORMAT, "lhs, rhs (adj_x %d, adj_y %d) and output shapes do "
                       "not make a batched matrix product", p->adj_x, p->adj_y);
    if (ro->dtype == TS_DT_FLOAT32)
        return TS_OK;
    if ((st = qparams(c, a, "lhs", &sa, &za)) != TS_OK ||
        (st = qparams(c, b, "rhs", &sb, &zb)) != TS_OK ||
        (st = qparams(c, out, "output", &so, &zo)) != TS_OK)
        return st;
    if (tsk_quantize_multiplier((double)(sa * sb) / (double)so, &p->multiplier, &p->shift) !=
        TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "scales %g * %g -> %g cannot be requantised", sa,
                       sb, so);
    p->lhs_offset = -za;
    p->rhs_offset = -zb;
    p->output_offset = zo;
    return TS_OK;
}

/* LOGISTIC, TANH int16 (zero points 0, qparams checked them): output scale 2^-15; the input
 * scale picks TFLite's path (gemmlowp for its power-of-two scales, the sigmoid table for the
 * rest), and only scales whose rescale TFLite itself would overflow are refused. */
static ts_status prep_logistic_s16(prep *c, float si, float so, bool is_tanh)
{
    if (fabs((double)so - 1.0 / 32768) > 0.001 / 32768)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int16 output scale %g (expected 1/32768)", so);
    if (tsk_logistic_prepare_s16(si, is_tanh, &c->ro->p.logistic) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int16 input scale %g is not supported (expected "
                       "%g .. 5.33: outside it TFLite's rescale to 1/12288 overflows int32 or "
                       "truncates to 0)", si, ldexp(1.0, -31) / 12288.0);
    return TS_OK;
}

/* TANH: int8 output scale 1/128, zero point 0 (what reference_integer_ops::Tanh writes); the
 * input stage is LOGISTIC's. */
static ts_status prep_tanh(prep *c)
{
    float si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0;
    ts_status st = flat_unary(c, true);

    if (st != TS_OK || c->ro->dtype == TS_DT_FLOAT32)
        return st;
    if ((st = qparams(c, tin(c, 0), "input", &si, &zi)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &so, &zo)) != TS_OK)
        return st;
    if (c->ro->dtype == TS_DT_INT16)
        return prep_logistic_s16(c, si, so, true);
    if (fabs((double)so - 1.0 / 128) > 0.001 / 128 || zo != 0)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int8 output scale %g, zero point %d (expected "
                       "1/128, 0)", so, (int)zo);
    if (tsk_logistic_prepare_s8(si, zi, c->r->rounding, &c->ro->p.logistic) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "input scale %g cannot be rescaled to Q4.27", si);
    return TS_OK;
}

/* PRELU: input and alpha of the output's dtype, broadcast to it; int8 multipliers as TFLite's
 * prelu.cc Prepare computes them (float products and quotients of the float scales, then
 * QuantizeMultiplier). */
static ts_status prep_prelu(prep *c)
{
    ts_ref_op *ro = c->ro;
    tsk_prelu_params *p = &ro->p.prelu;
    float si = 0.0f, sa = 0.0f, so = 0.0f;
    int32_t zi = 0, za = 0, zo = 0;
    ts_status st;

    if ((st = uniform_dtype(c, 2)) != TS_OK || (st = broadcast_dims(c)) != TS_OK ||
        ro->dtype == TS_DT_FLOAT32)
        return st;
    if ((st = qparams(c, tin(c, 0), "input", &si, &zi)) != TS_OK ||
        (st = qparams(c, tin(c, 1), "alpha", &sa, &za)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &so, &zo)) != TS_OK)
        return st;
    if (tsk_quantize_multiplier((double)(si / so), &p->q.identity_multiplier,
                                &p->q.identity_shift) != TSK_OK ||
        tsk_quantize_multiplier((double)(si * sa / so), &p->q.alpha_multiplier,
                                &p->q.alpha_shift) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "input scale %g, alpha scale %g and output scale "
                       "%g cannot be requantised", si, sa, so);
    p->q.input_offset = -zi;
    p->alpha_offset = -za;
    p->q.output_offset = zo;
    p->q.rounding = c->r->rounding;
    return TS_OK;
}

/* ---- SOFTMAX, LOGISTIC ---- */

/* int8 probabilities: TFLite requires output scale 1/256 and zero point -128; int16 ones
 * scale 1/32768 (zero point 0, which qparams checks). */
static ts_status prob_output(prep *c)
{
    const ts_tensor *out = tout(c);
    float s = 0.0f;
    int32_t zp = 0;
    ts_status st = qparams(c, out, "output", &s, &zp);

    if (st != TS_OK)
        return st;
    if (out->dtype == TS_DT_INT16 && fabs((double)s - 1.0 / 32768) > 0.001 / 32768)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int16 output scale %g (expected 1/32768)", s);
    if (out->dtype == TS_DT_INT8 && (fabs((double)s - 1.0 / 256) > 0.001 / 256 || zp != -128))
        return op_fail(c, TS_ERR_UNSUPPORTED, "int8 output scale %g, zero point %d (expected "
                       "1/256, -128)", s, (int)zp);
    return TS_OK;
}

/* int16 SOFTMAX: the input multiplier, and the exp and 1/(1+x) tables as the op's
 * requantisation table pair (TSK_SOFTMAX_S16_LUT entries each, int16 values held as int32:
 * 4,104 bytes per op). */
static ts_status prep_softmax_s16(prep *c, float input_scale)
{
    float beta = c->op->opts.softmax.beta;
    int32_t first = 0;
    ts_status st = quant_alloc(c, TSK_SOFTMAX_S16_LUT, &first);

    if (st != TS_OK)
        return st;
    if (tsk_softmax_prepare_s16(beta, input_scale, c->r->rounding, &c->ro->p.softmax,
                                c->r->multiplier + first, c->r->shift + first) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "beta %g with input scale %g is out of range "
                       "(beta * scale / (10 / 65535) must be a positive multiplier below 2^30)",
                       beta, input_scale);
    c->ro->quant_first = first;
    c->ro->n_quant = TSK_SOFTMAX_S16_LUT;
    return TS_OK;
}

/* SOFTMAX int8 -> int16: TFLite's interpreter takes its float-table kernel (any output
 * quantization); TFLite Micro requires zero point -32768 and scale 1/65536 (within 0.1 %),
 * which is what is run here. The exp table (TSK_SOFTMAX_S8_S16_LUT floats, 1,024 bytes, and
 * as many unused shifts) is the op's requantisation table pair; prepared dtype INT32, the
 * mark of an op between integer types (fw_ops.def). The unused 1,024 bytes stay in emulated
 * RAM: the shifts are indexed with the multipliers (quant_first), and a shorter shift run
 * would need its own index and length in ts_ref_op, ts_ref_quant_table, ref_exec.c, the
 * engine's layout, table write and op addresses, and the systolic unit's table bytes. */
static ts_status prep_softmax_s8_s16(prep *c)
{
    ts_ref_op *ro = c->ro;
    float si = 0.0f, so = 0.0f, beta = c->op->opts.softmax.beta;
    int32_t zi = 0, zo = 0, first = 0;
    ts_status st;

    if ((st = dims4(c, tin(c, 0), "input", &ro->in_dims[0])) != TS_OK ||
        (st = dims4(c, tout(c), "output", &ro->out_dims)) != TS_OK)
        return st;
    if (tin(c, 0)->n_elems != tout(c)->n_elems)
        return op_fail(c, TS_ERR_FORMAT, "output has %lld elements (expected %lld)",
                       (long long)tout(c)->n_elems, (long long)tin(c, 0)->n_elems);
    if ((st = qparams(c, tin(c, 0), "input", &si, &zi)) != TS_OK)
        return st;
    if (tout(c)->quant.n != 1) /* not qparams: its int16 zero point is 0 (16x8) */
        return op_fail(c, TS_ERR_UNSUPPORTED, "int16 output '%s' has %d scales (expected 1)",
                       tout(c)->name, tout(c)->quant.n);
    so = tout(c)->quant.scale[0], zo = tout(c)->quant.zero_point[0];
    if (fabs((double)so - 1.0 / 65536) > 0.001 / 65536 || zo != -32768)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int8 input with int16 output: output scale %g, "
                       "zero point %d (expected 1/65536, -32768)", so, (int)zo);
    if ((st = quant_alloc(c, TSK_SOFTMAX_S8_S16_LUT, &first)) != TS_OK)
        return st;
    if (tsk_softmax_prepare_s8_s16(beta, si, c->r->multiplier + first) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "beta %g with input scale %g is out of range "
                       "(both must be positive and finite)", beta, si);
    memset(c->r->shift + first, 0, TSK_SOFTMAX_S8_S16_LUT * sizeof *c->r->shift);
    ro->quant_first = first;
    ro->n_quant = TSK_SOFTMAX_S8_S16_LUT;
    ro->p.softmax816 = (tsk_softmax_s8_s16_params){so, zo};
    ro->dtype = TS_DT_INT32;
    return TS_OK;
}

static ts_status prep_unary_prob(prep *c)
{
    ts_ref_op *ro = c->ro;
    const ts_tensor *in = tin(c, 0);
    float s = 0.0f;
    int32_t zp = 0;
    ts_status st;

    if (ro->kind == TS_OP_SOFTMAX && in->dtype == TS_DT_INT8 && tout(c)->dtype == TS_DT_INT16)
        return prep_softmax_s8_s16(c);
    if ((st = int16_same(c, 1)) != TS_OK ||
        (st = dims4(c, in, "input", &ro->in_dims[0])) != TS_OK ||
        (st = dims4(c, tout(c), "output", &ro->out_dims)) != TS_OK)
        return st;
    if (in->n_elems != tout(c)->n_elems)
        return op_fail(c, TS_ERR_FORMAT, "output has %lld elements (expected %lld)",
                       (long long)tout(c)->n_elems, (long long)in->n_elems);
    if (ro->kind == TS_OP_SOFTMAX && ro->dtype == TS_DT_FLOAT32)
        ro->p.softmax_beta = c->op->opts.softmax.beta;
    if (ro->dtype == TS_DT_FLOAT32)
        return TS_OK;
    if ((st = qparams(c, in, "input", &s, &zp)) != TS_OK || (st = prob_output(c)) != TS_OK)
        return st;
    if (ro->dtype == TS_DT_INT16 && ro->kind == TS_OP_LOGISTIC)
        return prep_logistic_s16(c, s, tout(c)->quant.scale[0], false);
    if (ro->dtype == TS_DT_INT16)
        return prep_softmax_s16(c, s);
    if (ro->kind == TS_OP_SOFTMAX &&
        tsk_softmax_prepare_s8(c->op->opts.softmax.beta, s, c->r->rounding, &ro->p.softmax) !=
            TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "beta %g with input scale %g is out of range",
                       c->op->opts.softmax.beta, s);
    if (ro->kind == TS_OP_LOGISTIC &&
        tsk_logistic_prepare_s8(s, zp, c->r->rounding, &ro->p.logistic) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "input scale %g is out of range", s);
    return TS_OK;
}

/* ---- RESHAPE, SQUEEZE, EXPAND_DIMS (views: the planner shares storage; copied only when it
 * does not; the output tensor's shape is the new shape, so squeeze_dims and axis need not be
 * read) ---- */

static ts_status prep_reshape(prep *c)
{
    ts_status st = int16_same(c, 1);

    if (st != TS_OK)
        return st;
    if (tin(c, 0)->size_bytes != tout(c)->size_bytes)
        return op_fail(c, TS_ERR_FORMAT, "output has %zu bytes (expected %zu)",
                       tout(c)->size_bytes, tin(c, 0)->size_bytes);
    c->ro->copy_bytes = (int32_t)tout(c)->size_bytes;
    return TS_OK;
}

/* ---- PAD, MEAN: constant int32 side inputs ---- */

static ts_status const_i32(prep *c, const ts_tensor *t, const char *role, int64_t n)
{
    if (!t || !ts_tensor_is_const(t) || t->dtype != TS_DT_INT32)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s must be a constant int32 tensor (got %s%s)",
                       role, t && !ts_tensor_is_const(t) ? "non-constant " : "", dt(t));
    if (n >= 0 && t->n_elems != n)
        return op_fail(c, TS_ERR_FORMAT, "%s '%s' has %lld elements (expected %lld)", role,
                       t->name, (long long)t->n_elems, (long long)n);
    return TS_OK;
}

static int32_t i32_at(const ts_tensor *t, int64_t i)
{
    int32_t v;

    memcpy(&v, t->data + i * 4, 4);
    return v;
}

/* One activation input and an output of one dtype, both as 4-D dims (in_dims[0], out_dims);
 * int16 only where the op has a 16x8 kernel (allow16). */
static ts_status unary_dims4(prep *c, bool allow16)
{
    ts_status st = allow16 ? int16_same(c, 1) : uniform_dtype(c, 1);

    if (st == TS_OK)
        st = dims4(c, tin(c, 0), "input", &c->ro->in_dims[0]);
    if (st == TS_OK)
        st = dims4(c, tout(c), "output", &c->ro->out_dims);
    return st;
}

static ts_status prep_pad(prep *c)
{
    const ts_tensor *in = tin(c, 0), *pads = tin(c, 1);
    ts_ref_op *ro = c->ro;
    int32_t lead = 4 - in->rank;
    ts_status st;

    if ((st = unary_dims4(c, true)) != TS_OK ||
        (st = const_i32(c, pads, "paddings", 2 * (int64_t)in->rank)) != TS_OK)
        return st;
    for (int32_t i = 0; i < in->rank; i++) {
        int32_t b = i32_at(pads, 2 * i), a = i32_at(pads, 2 * i + 1);
        int64_t want = (int64_t)b + a + in->shape[i];
        if (b < 0 || a < 0 || want != tout(c)->shape[i])
            return op_fail(c, TS_ERR_FORMAT, "paddings [%d,%d] on dimension %d of size %d give "
                           "%lld (output has %d)", b, a, i, in->shape[i], (long long)want,
                           tout(c)->shape[i]);
        ro->p.pad.before[lead + i] = b;
        ro->p.pad.after[lead + i] = a;
    }
    if (ro->dtype == TS_DT_FLOAT32)
        return TS_OK;
    ro->pad_value = tout(c)->quant.n > 0 ? tout(c)->quant.zero_point[0] : 0;
    return same_io_quant(c, in);
}

static ts_status mean_axes(prep *c, int32_t *mask)
{
    const ts_tensor *in = tin(c, 0), *axes = tin(c, 1);
    ts_status st = const_i32(c, axes, "axes", -1);

    *mask = 0;
    for (int64_t i = 0; st == TS_OK && i < axes->n_elems; i++) {
        int32_t a = i32_at(axes, i);
        int32_t n = a < 0 ? a + in->rank : a;
        if (n < 0 || n >= in->rank)
            return op_fail(c, TS_ERR_FORMAT, "axis %d outside input rank %d", a, in->rank);
        *mask |= 1 << (n + 4 - in->rank);
    }
    return st;
}

/* TRANSPOSE: perm (constant int32 [rank]) padded to 4-D with leading identity entries. */
/* Dimension i (0=N .. 3=C) of a 4-D shape. */
static int32_t dim_at(const tsk_dims *d, int32_t i)
{
    const int32_t v[4] = {d->n, d->h, d->w, d->c};

    return v[i];
}

static ts_status prep_transpose(prep *c)
{
    const ts_tensor *in = tin(c, 0), *perm = tin(c, 1);
    ts_ref_op *ro = c->ro;
    int32_t lead = 4 - in->rank, seen = 0;
    ts_status st;

    if ((st = unary_dims4(c, false)) != TS_OK ||
        (st = const_i32(c, perm, "perm", in->rank)) != TS_OK)
        return st;
    for (int32_t i = 0; i < 4; i++) {
        int32_t v = i < lead ? 0 : i32_at(perm, i - lead);
        int32_t k = i < lead ? i : (v >= 0 && v < in->rank ? v + lead : -1);
        if (k < 0 || (seen & (1 << k)) ||
            dim_at(&ro->in_dims[0], k) != dim_at(&ro->out_dims, i))
            return op_fail(c, TS_ERR_FORMAT, "perm entry %d is not a permutation of the input "
                           "dimensions giving the output's shape", i - lead);
        seen |= 1 << k;
        ro->p.transpose.perm[i] = k;
    }
    return ro->dtype == TS_DT_FLOAT32 ? TS_OK : same_io_quant(c, in);
}

/* SLICE: begin and size constant int32 [rank] (size -1: to the end), padded to 4-D. */
static ts_status prep_slice(prep *c)
{
    const ts_tensor *in = tin(c, 0), *begin = tin(c, 1), *size = tin(c, 2);
    ts_ref_op *ro = c->ro;
    int32_t lead = 4 - in->rank;
    ts_status st;

    if ((st = unary_dims4(c, false)) != TS_OK ||
        (st = const_i32(c, begin, "begin", in->rank)) != TS_OK ||
        (st = const_i32(c, size, "size", in->rank)) != TS_OK)
        return st;
    if (tout(c)->rank != in->rank)
        return op_fail(c, TS_ERR_FORMAT, "output rank %d (expected the input's, %d)",
                       tout(c)->rank, in->rank);
    for (int32_t i = 0; i < in->rank; i++) {
        int32_t b = i32_at(begin, i), s = i32_at(size, i);
        int64_t n = s == -1 ? (int64_t)in->shape[i] - b : s;
        if (b < 0 || b > in->shape[i] || n < 0 || (int64_t)b + n > in->shape[i] ||
            n != tout(c)->shape[i])
            return op_fail(c, TS_ERR_FORMAT, "begin %d, size %d on dimension %d of size %d "
                           "(output has %d)", b, s, i, in->shape[i], tout(c)->shape[i]);
        ro->p.slice.begin[lead + i] = b;
    }
    return ro->dtype == TS_DT_FLOAT32 ? TS_OK : same_io_quant(c, in);
}

/* GATHER (batch_dims 0): data int8/float32 of up to 4-D, int32 indices (constant or not),
 * output data.shape[:axis] + indices.shape + data.shape[axis+1:]. */
static ts_status prep_gather(prep *c)
{
    const ts_tensor *in = tin(c, 0), *idx = tin(c, 1), *out = tout(c);
    ts_ref_op *ro = c->ro;
    tsk_gather_params *p = &ro->p.gather;
    int32_t axis = c->op->opts.gather.axis, k = 0;
    ts_status st;

    if ((st = uniform_dtype(c, 1)) != TS_OK)
        return st;
    axis = axis < 0 ? axis + in->rank : axis;
    if (!idx || idx->dtype != TS_DT_INT32 || c->op->opts.gather.batch_dims != 0 || in->rank > 4)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s indices, batch_dims %d, data rank %d (expected "
                       "int32 indices, batch_dims 0, rank at most 4)", dt(idx),
                       c->op->opts.gather.batch_dims, in->rank);
    if (axis < 0 || axis >= in->rank || out->rank != in->rank - 1 + idx->rank)
        return op_fail(c, TS_ERR_FORMAT, "axis %d of a rank-%d input with rank-%d indices gives "
                       "rank %d (output has %d)", c->op->opts.gather.axis, in->rank, idx->rank,
                       in->rank - 1 + idx->rank, out->rank);
    *p = (tsk_gather_params){1, in->shape[axis], 1, (int32_t)idx->n_elems};
    for (int32_t i = 0; i < in->rank; i++) {
        if (i < axis)
            p->outer *= in->shape[i];
        else if (i > axis)
            p->inner *= in->shape[i];
        for (int32_t j = 0; j < (i == axis ? idx->rank : 1); j++, k++)
            if (out->shape[k] != (i == axis ? idx->shape[j] : in->shape[i]))
                return op_fail(c, TS_ERR_FORMAT, "output dimension %d is %d (expected %d)", k,
                               out->shape[k], i == axis ? idx->shape[j] : in->shape[i]);
    }
    ro->in_dims[0] = (tsk_dims){1, 1, 1, (int32_t)in->n_elems};
    ro->in_dims[1] = (tsk_dims){1, 1, 1, (int32_t)idx->n_elems};
    ro->out_dims = (tsk_dims){1, 1, 1, (int32_t)out->n_elems};
    for (int64_t i = 0; ts_tensor_is_const(idx) && i < idx->n_elems; i++)
        if (i32_at(idx, i) < 0 || i32_at(idx, i) >= p->axis_size)
            return op_fail(c, TS_ERR_FORMAT, "index %d at %lld outside [0, %d)", i32_at(idx, i),
                           (long long)i, p->axis_size);
    return ro->dtype == TS_DT_FLOAT32 ? TS_OK : same_io_quant(c, in);
}

/* MEAN, REDUCE_MAX, SUM: one input of rank <= 4 and constant axes; the output's dims are the
 * input's with the reduced axes at 1 (whatever keep_dims, the element count must match);
 * int16 where the op has a 16x8 kernel (allow16). */
static ts_status reduce_dims(prep *c, bool allow16)
{
    const ts_tensor *in = tin(c, 0), *out = tout(c);
    ts_ref_op *ro = c->ro;
    int32_t mask, *d = &ro->out_dims.n;
    ts_status st;

    if ((st = allow16 ? int16_same(c, 1) : uniform_dtype(c, 1)) != TS_OK ||
        (st = dims4(c, in, "input", &ro->in_dims[0])) != TS_OK ||
        (st = mean_axes(c, &mask)) != TS_OK)
        return st;
    ro->out_dims = ro->in_dims[0];
    for (int32_t i = 0; i < 4; i++)
        d[i] = mask & (1 << i) ? 1 : d[i];
    if ((int64_t)d[0] * d[1] * d[2] * d[3] != out->n_elems)
        return op_fail(c, TS_ERR_FORMAT, "output has %lld elements (expected %lld)",
                       (long long)out->n_elems, (long long)d[0] * d[1] * d[2] * d[3]);
    ro->p.mean.axis_mask = mask;
    return TS_OK;
}

/* REDUCE_MAX (ops-math group): int8 compares raw values, so input and output share the
 * quantization (what the converter writes). */
static ts_status prep_reduce_max(prep *c)
{
    ts_status st = reduce_dims(c, false);

    if (st != TS_OK || c->ro->dtype == TS_DT_FLOAT32)
        return st;
    return same_io_quant(c, tin(c, 0));
}

/* SUM (ops-math group): int8 with TFLite's float rescaling (scale = input / output scale as a
 * float) and int32 sums in scratch. */
static ts_status prep_sum(prep *c)
{
    float si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0;
    ts_status st = reduce_dims(c, false);

    if (st != TS_OK || c->ro->dtype == TS_DT_FLOAT32)
        return st;
    if ((st = qparams(c, tin(c, 0), "input", &si, &zi)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &so, &zo)) != TS_OK)
        return st;
    c->ro->p.sum = (tsk_sum_params){c->ro->p.mean.axis_mask, zi, zo, si / so};
    return set_scratch(c, tsk_mean_s8_scratch_size(&c->ro->in_dims[0], c->ro->p.sum.axis_mask));
}

/* MEAN int16 (16x8, zero points 0: qparams): TFLite's EvalMean path for the op (the literal
 * axes decide reference_integer_ops::Mean), int32 sums of at most TSK_MEAN_S16_MAX_REDUCED
 * elements per output. */
static ts_status prep_mean_s16(prep *c, float si, float so)
{
    const ts_tensor *in = tin(c, 0), *axes = tin(c, 1);
    ts_ref_op *ro = c->ro;
    int32_t mask = ro->p.mean.axis_mask, a[2] = {0, 0}, n_axes = (int32_t)axes->n_elems;
    int64_t n_red = in->n_elems / (ro->out_dims.n * ro->out_dims.h * ro->out_dims.w *
                                   (int64_t)ro->out_dims.c);

    for (int32_t i = 0; i < 2 && i < n_axes; i++)
        a[i] = i32_at(axes, i);
    if (n_red > TSK_MEAN_S16_MAX_REDUCED)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%lld int16 elements reduce into each output "
                       "(at most %d: the sums are int32)", (long long)n_red,
                       TSK_MEAN_S16_MAX_REDUCED);
    if (tsk_mean_prepare_s16(si, so, mask, c->op->opts.reducer.keep_dims, in->rank, a,
                             n_axes, c->r->rounding, &ro->p.mean16) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "scales %g -> %g cannot be requantised", si, so);
    return set_scratch(c, tsk_mean_s16_scratch_size(&ro->in_dims[0], mask));
}

static ts_status prep_mean(prep *c)
{
    const ts_tensor *in = tin(c, 0), *out = tout(c);
    ts_ref_op *ro = c->ro;
    int32_t mask;
    float si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0;
    ts_status st = reduce_dims(c, true);

    if (st != TS_OK || ro->dtype == TS_DT_FLOAT32)
        return st;
    mask = ro->p.mean.axis_mask;
    if ((st = qparams(c, in, "input", &si, &zi)) != TS_OK ||
        (st = qparams(c, out, "output", &so, &zo)) != TS_OK)
        return st;
    if (ro->dtype == TS_DT_INT16)
        return prep_mean_s16(c, si, so);
    if (tsk_mean_prepare_s8(si, zi, so, zo, mask, c->r->rounding, &ro->p.mean) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "scales %g -> %g cannot be requantised", si, so);
    return set_scratch(c, tsk_mean_s8_scratch_size(&ro->in_dims[0], mask));
}

/* ---- CONCATENATION ---- */

static ts_status prep_concat(prep *c)
{
    const ts_tensor *out = tout(c);
    ts_ref_op *ro = c->ro;
    int32_t n = c->op->n_inputs, sum = 0;
    ts_status st;

    if (n > TS_REF_MAX_INPUTS)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%d inputs (at most %d supported)", n,
                       TS_REF_MAX_INPUTS);
    if (c->op->opts.concat.act != TS_ACT_NONE)
        return op_fail(c, TS_ERR_UNSUPPORTED, "fused activation %d is not supported",
                       (int)c->op->opts.concat.act);
    if ((st = int16_same(c, n)) != TS_OK ||
        (st = dims4(c, out, "output", &ro->out_dims)) != TS_OK)
        return st;
    ro->axis = c->op->opts.concat.axis + 4 - out->rank;
    for (int32_t j = 0; j < n; j++) {
        const ts_tensor *t = tin(c, j);
        if (t->rank != out->rank)
            return op_fail(c, TS_ERR_FORMAT, "input %d has rank %d (expected %d)", j, t->rank,
                           out->rank);
        if ((st = dims4(c, t, "input", &ro->in_dims[j])) != TS_OK ||
            (ro->dtype != TS_DT_FLOAT32 && (st = same_io_quant(c, t)) != TS_OK))
            return st;
        sum += (&ro->in_dims[j].n)[ro->axis];
    }
    if (sum != (&ro->out_dims.n)[ro->axis])
        return op_fail(c, TS_ERR_FORMAT, "inputs sum to %d along the axis (output has %d)", sum,
                       (&ro->out_dims.n)[ro->axis]);
    return TS_OK;
}

/* ---- PACK: a concatenation along the new axis of inputs each seen with a 1 there ---- */

static ts_status prep_pack(prep *c)
{
    const ts_tensor *out = tout(c);
    ts_ref_op *ro = c->ro;
    int32_t n = c->op->n_inputs, axis = c->op->opts.pack.axis;
    ts_status st;

    if (n > TS_REF_MAX_INPUTS)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%d inputs (at most %d supported)", n,
                       TS_REF_MAX_INPUTS);
    if ((st = int16_same(c, n)) != TS_OK ||
        (st = dims4(c, out, "output", &ro->out_dims)) != TS_OK)
        return st;
    axis = axis < 0 ? axis + out->rank : axis;
    if (axis < 0 || axis >= out->rank || out->shape[axis] != n ||
        (c->op->opts.pack.values_count != 0 && c->op->opts.pack.values_count != n))
        return op_fail(c, TS_ERR_FORMAT, "axis %d, values_count %d: the output (rank %d) must "
                       "have the %d inputs along the axis", c->op->opts.pack.axis,
                       c->op->opts.pack.values_count, out->rank, n);
    ro->axis = axis + 4 - out->rank;
    for (int32_t j = 0; j < n; j++) {
        const ts_tensor *t = tin(c, j);
        for (int32_t i = 0, k = 0; i < out->rank; i++)
            if (i != axis && (k >= t->rank || t->shape[k++] != out->shape[i]))
                return op_fail(c, TS_ERR_FORMAT, "input %d '%s' is not the output's shape "
                               "without the packed axis", j, t->name);
        if (t->rank != out->rank - 1)
            return op_fail(c, TS_ERR_FORMAT, "input %d has rank %d (expected %d)", j, t->rank,
                           out->rank - 1);
        ro->in_dims[j] = ro->out_dims;
        (&ro->in_dims[j].n)[ro->axis] = 1;
        if (ro->dtype != TS_DT_FLOAT32 && (st = same_io_quant(c, t)) != TS_OK)
            return st;
    }
    return TS_OK;
}

/* ---- ops-math group: ARG_MAX, ARG_MIN ---- */

/* ARG_MAX / ARG_MIN: int8 or float32 data (up to 4-D), a constant int32 axis of one element
 * (negative from the end), an int32 output of the data's shape without the axis. */
static ts_status prep_arg(prep *c)
{
    const ts_tensor *in = tin(c, 0), *axis = tin(c, 1), *out = tout(c);
    ts_ref_op *ro = c->ro;
    tsk_arg_params *p = &ro->p.arg;
    int32_t a;
    ts_status st;

    if ((in->dtype != TS_DT_INT8 && in->dtype != TS_DT_FLOAT32) || out->dtype != TS_DT_INT32 ||
        in->rank > 4)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s input of rank %d to %s output is not "
                       "supported (expected int8 or float32 of rank at most 4, int32 output)",
                       dt(in), in->rank, dt(out));
    if ((st = const_i32(c, axis, "axis", 1)) != TS_OK)
        return st;
    a = i32_at(axis, 0);
    a = a < 0 ? a + in->rank : a;
    if (a < 0 || a >= in->rank || out->rank != in->rank - 1)
        return op_fail(c, TS_ERR_FORMAT, "axis %d of a rank-%d input (output rank %d; expected "
                       "%d)", i32_at(axis, 0), in->rank, out->rank, in->rank - 1);
    if (in->shape[a] < 1)
        return op_fail(c, TS_ERR_FORMAT, "axis %d is empty (input dimension %d is %d, expected "
                       "at least 1: no index to return)", i32_at(axis, 0), a, in->shape[a]);
    *p = (tsk_arg_params){1, in->shape[a], 1};
    for (int32_t i = 0, k = 0; i < in->rank; i++) {
        if (i == a)
            continue;
        if (out->shape[k++] != in->shape[i])
            return op_fail(c, TS_ERR_FORMAT, "output dimension %d is %d (expected %d)", k - 1,
                           out->shape[k - 1], in->shape[i]);
        *(i < a ? &p->outer : &p->inner) *= in->shape[i];
    }
    ro->dtype = in->dtype;
    ro->in_dims[0] = (tsk_dims){1, 1, 1, (int32_t)in->n_elems};
    ro->in_dims[1] = (tsk_dims){1, 1, 1, 1};
    ro->out_dims = (tsk_dims){1, 1, 1, (int32_t)out->n_elems};
    return TS_OK;
}

/* ---- QUANTIZE (float32 -> int8/int16, int8/int16 -> int8/int16/int32, int32 -> int8/int16),
 * DEQUANTIZE (int8/int16/float16 -> float32) ---- */

static bool is_q16(ts_dtype d)
{
    return d == TS_DT_INT8 || d == TS_DT_INT16;
}

/* An int32 side of a conversion between integer types: one scale, and any zero point (TFLite
 * writes 0; TFLite Micro subtracts or adds whatever the tensor holds). */
static ts_status qparams_i32(const prep *c, const ts_tensor *t, const char *role, float *scale,
                             int32_t *zp)
{
    if (t->quant.n != 1)
        return op_fail(c, TS_ERR_FORMAT, "int32 %s '%s' has %d scales (expected 1)", role,
                       t->name, t->quant.n);
    *scale = t->quant.scale[0], *zp = t->quant.zero_point[0];
    return TS_OK;
}

/* Between integer types: TFLite quantize.cc Prepare's (and TFLite Micro quantize_common.cc
 * PrepareQuantizeReference's) QuantizeMultiplier of the double quotient input scale / output
 * scale; Eval's Requantize. */
static ts_status prep_requant(prep *c, const ts_tensor *in, const ts_tensor *out)
{
    tsk_requant_params *p = &c->ro->p.requant;
    float si = 0.0f, so = 0.0f;
    int32_t zi = 0, zo = 0;
    ts_status st;

    st = in->dtype == TS_DT_INT32 ? qparams_i32(c, in, "input", &si, &zi)
                                  : qparams(c, in, "input", &si, &zi);
    if (st == TS_OK)
        st = out->dtype == TS_DT_INT32 ? qparams_i32(c, out, "output", &so, &zo)
                                       : qparams(c, out, "output", &so, &zo);
    if (st != TS_OK)
        return st;
    if (tsk_quantize_multiplier((double)si / (double)so, &p->multiplier, &p->shift) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "input scale %g / output scale %g cannot be "
                       "requantised", si, so);
    p->input_zero_point = zi, p->output_zero_point = zo, p->rounding = c->r->rounding;
    p->in_bytes = (int32_t)ts_dtype_size(in->dtype);
    p->out_bytes = (int32_t)ts_dtype_size(out->dtype);
    c->ro->dtype = TS_DT_INT32;
    return TS_OK;
}

/* QUANTIZE's dtype pairs: float32 to int8/int16, int8/int16 to int8/int16/int32 (TFLite), and
 * int32 to int8/int16 (TFLite Micro only). */
static bool quantize_pair_ok(ts_dtype in, ts_dtype out)
{
    if (in == TS_DT_FLOAT32 || in == TS_DT_INT32)
        return is_q16(out);
    return is_q16(in) && (is_q16(out) || out == TS_DT_INT32);
}

static ts_status prep_affine(prep *c)
{
    const ts_tensor *in = tin(c, 0), *out = tout(c);
    bool q = c->ro->kind == TS_OP_QUANTIZE;
    const ts_tensor *qt = q ? out : in;
    bool f16 = !q && in->dtype == TS_DT_FLOAT16;
    bool ok = q ? quantize_pair_ok(in->dtype, out->dtype)
                : (is_q16(in->dtype) || f16) && out->dtype == TS_DT_FLOAT32;

    if (!ok)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s input to %s output is not supported "
                       "(expected %s)", dt(in), dt(out), q ? "float32 or int32 to int8/int16, "
                       "or int8/int16 to int8/int16/int32" : "int8/int16/float16 to float32");
    if (in->n_elems != out->n_elems)
        return op_fail(c, TS_ERR_FORMAT, "output has %lld elements (expected %lld)",
                       (long long)out->n_elems, (long long)in->n_elems);
    c->ro->in_dims[0] = (tsk_dims){1, 1, 1, (int32_t)in->n_elems};
    c->ro->out_dims = c->ro->in_dims[0];
    if (q && in->dtype != TS_DT_FLOAT32)
        return prep_requant(c, in, out);
    c->ro->dtype = qt->dtype;
    if (f16) /* an exact widening: no quantization parameters */
        return TS_OK;
    return qparams(c, qt, q ? "output" : "input", &c->ro->p.affine.scale,
                   &c->ro->p.affine.zero_point);
}

/* ---- ops-move: ops with several outputs (SPLIT, SPLIT_V, UNPACK) ----
 * The prepared op holds its data input in slot 0 and its outputs in slots 1..n (in, in_dims;
 * the descriptor's layout for several outputs, fw_abi.h), out / out_dims repeating slot 1. */

/* One output of a split of `in` along axis (of in's rank): its shape is in's with `size` at
 * the axis, or, for UNPACK (drop), in's without the axis; int8 keeps in's quantization. */
static ts_status split_output(prep *c, const ts_tensor *in, int32_t axis, int32_t j,
                              int32_t size, bool drop)
{
    const ts_tensor *t = &c->r->g->tensors[c->op->outputs[j]];
    ts_ref_op *ro = c->ro;
    int32_t k = 0;

    if (t->dtype != in->dtype)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s output %d with %s input is not supported "
                       "(expected the same dtype)", dt(t), j, dt(in));
    for (int32_t i = 0; i < in->rank; i++) {
        if (drop && i == axis)
            continue;
        if (k >= t->rank || t->shape[k] != (i == axis ? size : in->shape[i]))
            return op_fail(c, TS_ERR_FORMAT, "output %d '%s' is not the input's shape %s %d "
                           "at axis %d", j, t->name, drop ? "without its" : "with", size, axis);
        k++;
    }
    if (t->rank != in->rank - drop)
        return op_fail(c, TS_ERR_FORMAT, "output %d has rank %d (expected %d)", j, t->rank,
                       in->rank - drop);
    if (in->dtype == TS_DT_INT8 && !same_quant(in, t))
        return op_fail(c, TS_ERR_UNSUPPORTED, "output %d '%s' quantization differs from input "
                       "'%s' (expected the same scale and zero point)", j, t->name, in->name);
    ro->in[1 + j] = c->op->outputs[j];
    ro->in_dims[1 + j] = ro->in_dims[0];
    (&ro->in_dims[1 + j].n)[ro->axis] = size;
    return TS_OK;
}

/* The slots of a split of data input `in_index` along axis (normalised, < in's rank) into the
 * op's outputs, output j taking sizes[j] entries of the axis. */
static ts_status split_slots(prep *c, int32_t in_index, int32_t axis, const int32_t *sizes,
                             bool drop)
{
    const ts_tensor *in = tin(c, in_index);
    ts_ref_op *ro = c->ro;
    int32_t n = c->op->n_outputs, zp;
    float scale;
    ts_status st;

    if (n > TS_REF_MAX_INPUTS - 1)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%d outputs (at most %d supported)", n,
                       TS_REF_MAX_INPUTS - 1);
    if (in->dtype != TS_DT_INT8 && in->dtype != TS_DT_FLOAT32)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s input is not supported (expected int8 or "
                       "float32)", dt(in));
    if ((st = dims4(c, in, "input", &ro->in_dims[0])) != TS_OK)
        return st;
    if (in->dtype == TS_DT_INT8 && (st = qparams(c, in, "input", &scale, &zp)))
        return st;
    ro->dtype = in->dtype;
    ro->axis = axis + 4 - in->rank;
    ro->n_inputs = 1 + n;
    ro->in[0] = c->op->inputs[in_index];
    for (int32_t j = 0; j < n; j++)
        if ((st = split_output(c, in, axis, j, sizes[j], drop)) != TS_OK)
            return st;
    ro->out = ro->in[1];
    ro->out_dims = ro->in_dims[1];
    return TS_OK;
}

/* SPLIT: constant int32 axis (input 0) and data (input 1) into num_splits equal parts. */
static ts_status prep_split(prep *c)
{
    const ts_tensor *ax = tin(c, 0), *in = tin(c, 1);
    int32_t n = c->op->n_outputs, axis, sizes[TS_REF_MAX_INPUTS];
    ts_status st;

    if ((st = const_i32(c, ax, "axis", 1)) != TS_OK)
        return st;
    axis = i32_at(ax, 0) < 0 ? i32_at(ax, 0) + in->rank : i32_at(ax, 0);
    if (axis < 0 || axis >= in->rank || in->shape[axis] % n != 0 ||
        (c->op->opts.split.num_splits != 0 && c->op->opts.split.num_splits != n))
        return op_fail(c, TS_ERR_FORMAT, "axis %d, num_splits %d: %d outputs must split a "
                       "dimension of the rank-%d input evenly", i32_at(ax, 0),
                       c->op->opts.split.num_splits, n, in->rank);
    for (int32_t j = 0; j < n && j < TS_REF_MAX_INPUTS; j++)
        sizes[j] = in->shape[axis] / n;
    return split_slots(c, 1, axis, sizes, false);
}

/* SPLIT_V: data (input 0), constant int32 size_splits [n] (at most one -1: the rest of the
 * axis) and constant int32 axis (input 2). */
static ts_status prep_split_v(prep *c)
{
    const ts_tensor *in = tin(c, 0), *sz = tin(c, 1), *ax = tin(c, 2);
    int32_t n = c->op->n_outputs, axis, splits[TS_REF_MAX_INPUTS], sizes[TS_REF_MAX_INPUTS];
    int32_t m = n < TS_REF_MAX_INPUTS ? n : TS_REF_MAX_INPUTS, bad, rest = 0;
    int64_t sum = 0;
    tsk_status ks;
    ts_status st;

    if ((st = const_i32(c, ax, "axis", 1)) != TS_OK ||
        (st = const_i32(c, sz, "size_splits", n)) != TS_OK)
        return st;
    axis = i32_at(ax, 0) < 0 ? i32_at(ax, 0) + in->rank : i32_at(ax, 0);
    if (axis < 0 || axis >= in->rank ||
        (c->op->opts.split.num_splits != 0 && c->op->opts.split.num_splits != n))
        return op_fail(c, TS_ERR_FORMAT, "axis %d, num_splits %d of a rank-%d input with %d "
                       "outputs", i32_at(ax, 0), c->op->opts.split.num_splits, in->rank, n);
    for (int32_t j = 0; j < m; j++)
        splits[j] = i32_at(sz, j);
    ks = tsk_split_v_sizes(m, splits, in->shape[axis], sizes, &bad);
    if (ks == TSK_ERR_UNSUPPORTED)
        return op_fail(c, TS_ERR_UNSUPPORTED, "size_splits[%d] is -1 but the other sizes "
                       "already fill dimension %d (%d): TFLite makes output %d zero-sized "
                       "(empty outputs are not supported)", bad, axis, in->shape[axis], bad);
    if (ks != TSK_OK && bad >= 0)
        return op_fail(c, splits[bad] ? TS_ERR_FORMAT : TS_ERR_UNSUPPORTED, "size_splits[%d] "
                       "is %d (expected >= 1, or one -1)", bad, splits[bad]);
    for (int32_t j = 0; j < m && ks != TSK_OK; j++)
        splits[j] == -1 ? (void)(rest = 1) : (void)(sum += splits[j]);
    if (ks != TSK_OK)
        return op_fail(c, TS_ERR_FORMAT, "size_splits sum to %lld%s (dimension %d has %d)",
                       (long long)sum, rest ? " without the -1" : "", axis, in->shape[axis]);
    return split_slots(c, 0, axis, sizes, false);
}

/* UNPACK: the input's slices along axis (negative from the end), each output the input's
 * shape without it (seen with a 1 there: a split into parts of 1). */
static ts_status prep_unpack(prep *c)
{
    const ts_tensor *in = tin(c, 0);
    int32_t n = c->op->n_outputs, axis = c->op->opts.unpack.axis;
    int32_t sizes[TS_REF_MAX_INPUTS] = {1, 1, 1, 1, 1, 1, 1, 1};

    axis = axis < 0 ? axis + in->rank : axis;
    if (axis < 0 || axis >= in->rank || in->shape[axis] != n ||
        (c->op->opts.unpack.num != 0 && c->op->opts.unpack.num != n))
        return op_fail(c, TS_ERR_FORMAT, "axis %d, num %d: the rank-%d input must have the %d "
                       "outputs along the axis", c->op->opts.unpack.axis, c->op->opts.unpack.num,
                       in->rank, n);
    return split_slots(c, 0, axis, sizes, true);
}

/* ---- ops-move: STRIDED_SLICE ---- */

/* The real cause of a failed tsk_strided_slice_prepare, whose counts[0] named the axis. */
static ts_status strided_slice_fail(prep *c, tsk_status ks, int32_t a, int32_t rank,
                                    const int32_t *shape, const int32_t *b, const int32_t *e,
                                    const int32_t *s)
{
    const int32_t shrink = c->op->opts.strided_slice.shrink_axis_mask;

    if (a < 0 || a >= rank)
        return op_fail(c, TS_ERR_INTERNAL, "strided slice parameters refused (rank %d)", rank);
    if (shape[a] < 1)
        return op_fail(c, TS_ERR_FORMAT, "input dimension %d is %d (expected at least 1)", a,
                       shape[a]);
    if (ks == TSK_ERR_ARG && s[a] < 0 && ((shrink >> a) & 1))
        return op_fail(c, TS_ERR_UNSUPPORTED, "axis %d is shrunk with stride %d (expected a "
                       "positive stride: TFLite's loop takes no element there, TensorFlow "
                       "refuses it)", a, s[a]);
    if (ks == TSK_ERR_ARG)
        return op_fail(c, TS_ERR_FORMAT, "strides[%d] is 0 (expected non-zero)", a);
    return op_fail(c, TS_ERR_UNSUPPORTED, "the slice is empty along axis %d (begin %d, end %d, "
                   "stride %d of %d elements; empty outputs are not supported)", a, b[a], e[a],
                   s[a], shape[a]);
}

/* Constant int32 begin, end, strides [rank]; begin, end and shrink masks; ellipsis and new-axis
 * masks and the offset option refused. The output is the counts of the non-shrunk axes. int8,
 * int16 (16x8) and float32 elements move unchanged: integer input and output share the
 * quantization. */
static ts_status prep_strided_slice(prep *c)
{
    const ts_strided_slice_opts *o = &c->op->opts.strided_slice;
    const ts_tensor *in = tin(c, 0), *out = tout(c);
    int32_t r = in->rank, b[4], e[4], s[4], counts[4], k = 0;
    ts_status st;
    tsk_status ks;

    if ((st = unary_dims4(c, true)) != TS_OK || (st = const_i32(c, tin(c, 1), "begin", r)) != TS_OK ||
        (st = const_i32(c, tin(c, 2), "end", r)) != TS_OK ||
        (st = const_i32(c, tin(c, 3), "strides", r)) != TS_OK)
        return st;
    if (o->ellipsis_mask || o->new_axis_mask || o->offset)
        return op_fail(c, TS_ERR_UNSUPPORTED, "ellipsis_mask %d, new_axis_mask %d, offset %d "
                       "(expected 0, 0, false)", o->ellipsis_mask, o->new_axis_mask, o->offset);
    for (int32_t i = 0; i < r; i++)
        b[i] = i32_at(tin(c, 1), i), e[i] = i32_at(tin(c, 2), i), s[i] = i32_at(tin(c, 3), i);
    ks = tsk_strided_slice_prepare(r, in->shape, b, e, s, o->begin_mask, o->end_mask,
                                   o->shrink_axis_mask, &c->ro->p.strided_slice, counts);
    if (ks != TSK_OK)
        return strided_slice_fail(c, ks, counts[0], r, in->shape, b, e, s);
    for (int32_t i = 0; i < r; i++) {
        if ((o->shrink_axis_mask >> i) & 1)
            continue;
        if (k >= out->rank || out->shape[k] != counts[4 - r + i])
            return op_fail(c, TS_ERR_FORMAT, "output dimension %d is %d (expected %d from "
                           "begin, end, strides and masks)", k, k < out->rank ? out->shape[k] : 0,
                           counts[4 - r + i]);
        k++;
    }
    if (k != out->rank)
        return op_fail(c, TS_ERR_FORMAT, "output rank %d (expected %d)", out->rank, k);
    c->ro->out_dims = (tsk_dims){counts[0], counts[1], counts[2], counts[3]};
    return c->ro->dtype == TS_DT_FLOAT32 ? TS_OK : same_io_quant(c, in);
}

/* ---- ops-move: SPACE_TO_DEPTH, DEPTH_TO_SPACE ---- */

/* 4-D input and output related by block_size b (>= 1): space [N,H*b,W*b,C], depth
 * [N,H,W,C*b*b]; int8 keeps the input's quantization. */
static ts_status prep_space_depth(prep *c)
{
    const ts_tensor *in = tin(c, 0), *out = tout(c);
    bool to_depth = c->ro->kind == TS_OP_SPACE_TO_DEPTH;
    int32_t b = c->op->opts.block.block_size;
    const tsk_dims *space, *depth;
    ts_status st;

    if ((st = unary_dims4(c, false)) != TS_OK)
        return st;
    if (in->rank != 4 || out->rank != 4)
        return op_fail(c, TS_ERR_FORMAT, "input rank %d, output rank %d (expected 4 and 4)",
                       in->rank, out->rank);
    space = to_depth ? &c->ro->in_dims[0] : &c->ro->out_dims;
    depth = to_depth ? &c->ro->out_dims : &c->ro->in_dims[0];
    if (b < 1 || space->n != depth->n || space->h != depth->h * b || space->w != depth->w * b ||
        (int64_t)depth->c != (int64_t)space->c * b * b)
        return op_fail(c, TS_ERR_FORMAT, "block_size %d does not relate [%d,%d,%d,%d] (space) and "
                       "[%d,%d,%d,%d] (depth)", b, space->n, space->h, space->w, space->c,
                       depth->n, depth->h, depth->w, depth->c);
    c->ro->p.block.block = b;
    return c->ro->dtype == TS_DT_FLOAT32 ? TS_OK : same_io_quant(c, in);
}

/* ---- ops-move: RESIZE_NEAREST_NEIGHBOR ---- */

/* 4-D input, constant int32 size [2] equal to the output's height and width (batch and
 * channels kept); align_corners and half_pixel_centers into the parameters. */
static ts_status resize_common(prep *c)
{
    const ts_tensor *in = tin(c, 0), *out = tout(c), *size = tin(c, 1);
    ts_status st;

    if ((st = unary_dims4(c, false)) != TS_OK || (st = const_i32(c, size, "size", 2)) != TS_OK)
        return st;
    if (in->rank != 4 || out->rank != 4 || out->shape[0] != in->shape[0] ||
        out->shape[3] != in->shape[3] || out->shape[1] != i32_at(size, 0) ||
        out->shape[2] != i32_at(size, 1))
        return op_fail(c, TS_ERR_FORMAT, "size [%d,%d] of a rank-%d input gives no rank-%d "
                       "output of that height and width with the input's batch and channels",
                       i32_at(size, 0), i32_at(size, 1), in->rank, out->rank);
    c->ro->p.resize = (tsk_resize_params){c->op->opts.resize.align_corners,
                                          c->op->opts.resize.half_pixel_centers,
                                          c->r->rounding};
    return TS_OK;
}

static ts_status prep_resize_nearest(prep *c)
{
    ts_status st = resize_common(c);

    if (st != TS_OK || c->ro->dtype == TS_DT_FLOAT32)
        return st;
    return same_io_quant(c, tin(c, 0));
}

/* RESIZE_BILINEAR: as nearest, and TFLite's Prepare refusal of both options set (its kernels
 * assume half_pixel_centers excludes align_corners). int8 interpolates the raw values, which
 * needs the output's quantization to be the input's (the converter writes it so). */
static ts_status prep_resize_bilinear(prep *c)
{
    ts_status st = resize_common(c);

    if (st != TS_OK)
        return st;
    if (c->op->opts.resize.align_corners && c->op->opts.resize.half_pixel_centers)
        return op_fail(c, TS_ERR_FORMAT, "align_corners and half_pixel_centers both set "
                       "(expected at most one: TFLite refuses the pair)");
    return c->ro->dtype == TS_DT_FLOAT32 ? TS_OK : same_io_quant(c, tin(c, 0));
}

/* ---- ops-move: FILL, ZEROS_LIKE ---- */

/* FILL: constant int32 dims [rank] equal to the output's shape, a scalar value (input 1, may
 * be a graph input: read when the op runs) of the output's dtype and, int8, quantization. */
static ts_status prep_fill(prep *c)
{
    const ts_tensor *dims = tin(c, 0), *value = tin(c, 1), *out = tout(c);
    ts_ref_op *ro = c->ro;
    ts_status st;

    if (!value || value->rank != 0 || value->dtype != out->dtype ||
        (out->dtype != TS_DT_INT8 && out->dtype != TS_DT_FLOAT32))
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s value of rank %d with %s output is not "
                       "supported (expected a scalar of the output's dtype, int8 or float32)",
                       dt(value), value ? value->rank : -1, dt(out));
    if ((st = const_i32(c, dims, "dims", out->rank)) != TS_OK ||
        (st = dims4(c, out, "output", &ro->out_dims)) != TS_OK)
        return st;
    for (int32_t i = 0; i < out->rank; i++)
        if (i32_at(dims, i) != out->shape[i])
            return op_fail(c, TS_ERR_FORMAT, "dims[%d] is %d (output has %d)", i,
                           i32_at(dims, i), out->shape[i]);
    ro->dtype = out->dtype;
    ro->n_inputs = 1;
    ro->in[0] = c->op->inputs[1];
    ro->in[1] = -1;
    ro->in_dims[0] = (tsk_dims){1, 1, 1, 1};
    return ro->dtype == TS_DT_FLOAT32 ? TS_OK : same_io_quant(c, value);
}

/* ZEROS_LIKE: float32 only, as TFLite defines it (int32 and int64 too, which tinysim does not
 * run as activations). */
static ts_status prep_zeros_like(prep *c)
{
    ts_status st = unary_dims4(c, false);

    if (st == TS_OK && c->ro->dtype != TS_DT_FLOAT32)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s input is not supported (TFLite's ZEROS_LIKE "
                       "takes float32, int32 or int64; tinysim float32)", dt(tin(c, 0)));
    return st;
}

/* SHAPE: an int8, int16 or float32 input of rank <= 4 (its values are not read), an int32
 * [rank] output holding its shape (out_type INT32; INT64 refused). */
static ts_status prep_shape(prep *c)
{
    const ts_tensor *in = tin(c, 0), *out = tout(c);
    tsk_shape_params *p = &c->ro->p.shape;

    if ((in->dtype != TS_DT_INT8 && in->dtype != TS_DT_INT16 && in->dtype != TS_DT_FLOAT32) ||
        out->dtype != TS_DT_INT32 || in->rank > 4)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s input of rank %d with %s output is not "
                       "supported (expected int8, int16 or float32 of rank <= 4, int32 output)",
                       dt(in), in->rank, dt(out));
    if (out->n_elems != in->rank || out->rank != 1)
        return op_fail(c, TS_ERR_FORMAT, "output has rank %d and %lld elements (expected [%d])",
                       out->rank, (long long)out->n_elems, in->rank);
    c->ro->dtype = in->dtype;
    c->ro->out_dims = (tsk_dims){1, 1, 1, in->rank};
    c->ro->in_dims[0] = (tsk_dims){1, 1, 1, (int32_t)in->n_elems};
    p->rank = in->rank;
    for (int32_t i = 0; i < in->rank; i++)
        p->dims[i] = in->shape[i];
    return TS_OK;
}

/* CAST: the element type of dtype dt among the four CAST converts, or -1. */
static int32_t cast_elem(ts_dtype dt)
{
    static const struct {
        ts_dtype dt;
        int32_t elem;
    } map[] = {{TS_DT_INT8, TSK_ELEM_INT8}, {TS_DT_INT16, TSK_ELEM_INT16},
               {TS_DT_INT32, TSK_ELEM_INT32}, {TS_DT_FLOAT32, TSK_ELEM_FLOAT32}};

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].dt == dt)
            return map[i].elem;
    return -1;
}

/* CAST between int8, int16, int32 and float32 (the pairs TFLite Micro's CAST runs among
 * them), raw values, any shape of rank <= 4 (same element count in and out). */
static ts_status prep_cast(prep *c)
{
    const ts_tensor *in = tin(c, 0), *out = tout(c);
    int32_t from = cast_elem(in->dtype), to = cast_elem(out->dtype);

    if (from < 0 || to < 0 || from == to)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s input to %s output is not supported "
                       "(expected two different types among int8, int16, int32, float32)",
                       dt(in), dt(out));
    if (in->n_elems != out->n_elems || in->n_elems > INT32_MAX)
        return op_fail(c, TS_ERR_FORMAT, "output has %lld elements (expected %lld)",
                       (long long)out->n_elems, (long long)in->n_elems);
    c->ro->dtype = in->dtype;
    c->ro->in_dims[0] = (tsk_dims){1, 1, 1, (int32_t)in->n_elems};
    c->ro->out_dims = c->ro->in_dims[0];
    c->ro->p.cast = (tsk_cast_params){from, to};
    return TS_OK;
}

/* Kinds with several outputs (the rest have exactly one). */
static bool several_outputs(ts_op_kind k)
{
    return k == TS_OP_SPLIT || k == TS_OP_SPLIT_V || k == TS_OP_UNPACK;
}

/* ---- dispatch table: one row per supported op kind; NULL = not supported ---- */

/* ---- recurrent layers (ops-rnn) ---- */

/* SVDF dtypes: int8 input, feature weights and output, int16 or int8 time weights, int32 bias,
 * int16 state (TFLite's full-integer SVDF; int8 time weights as TFLite Micro reads them); or
 * float32 throughout. ro->dtype and p->time_bytes are set. */
static ts_status svdf_dtype(prep *c, tsk_svdf_params *p)
{
    const ts_tensor *in = tin(c, 0), *wf = tin(c, 1), *wt = tin(c, 2), *b = tin(c, 3);
    const ts_tensor *st = tin(c, 4), *out = tout(c);

    if (in->dtype == TS_DT_INT8 && wf->dtype == TS_DT_INT8 && out->dtype == TS_DT_INT8 &&
        (wt->dtype == TS_DT_INT16 || wt->dtype == TS_DT_INT8) && st->dtype == TS_DT_INT16 &&
        (!b || b->dtype == TS_DT_INT32)) {
        c->ro->dtype = TS_DT_INT8;
        p->time_bytes = wt->dtype == TS_DT_INT16 ? 2 : 1;
        return TS_OK;
    }
    if (in->dtype == TS_DT_FLOAT32 && wf->dtype == TS_DT_FLOAT32 && wt->dtype == TS_DT_FLOAT32 &&
        st->dtype == TS_DT_FLOAT32 && out->dtype == TS_DT_FLOAT32 &&
        (!b || b->dtype == TS_DT_FLOAT32)) {
        c->ro->dtype = TS_DT_FLOAT32;
        return TS_OK;
    }
    if (in->dtype == TS_DT_FLOAT32 && wf->dtype == TS_DT_INT8)
        return op_fail(c, TS_ERR_UNSUPPORTED, "float32 input with int8 weights (hybrid) is not "
                       "supported");
    return op_fail(c, TS_ERR_UNSUPPORTED, "%s input, %s feature weights, %s time weights, %s "
                   "bias, %s state, %s output is not supported (expected int8, int8, int16 or "
                   "int8, int32, int16, int8; or float32 throughout)", dt(in), dt(wf), dt(wt),
                   dt(b), dt(st), dt(out));
}

/* One per-tensor scale of a quantized SVDF tensor whose zero point must be 0 (weights, the
 * int16 state: TFLite's kernel assumes them symmetric). */
static ts_status svdf_scale(prep *c, const ts_tensor *t, const char *role, float *scale)
{
    if (t->quant.n != 1)
        return op_fail(c, t->quant.n ? TS_ERR_UNSUPPORTED : TS_ERR_FORMAT, "%s '%s' has %d "
                       "scales (expected 1)", role, t->name, t->quant.n);
    if (t->quant.zero_point[0] != 0)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s '%s' zero point %d (expected 0: symmetric)",
                       role, t->name, (int)t->quant.zero_point[0]);
    *scale = t->quant.scale[0];
    return TS_OK;
}

/* int8 SVDF: offsets and the two multipliers as TFLite's svdf.cc Prepare computes them: the
 * effective scales are float products and quotients of the float32 scales (then widened to
 * double for QuantizeMultiplier). No activation beyond the int8 clamp (kernels/svdf.c), so
 * only NONE and RELU, which TFLite's integer kernel computes alike, are accepted. */
static ts_status svdf_quant(prep *c, tsk_svdf_params *p)
{
    float s_in, s_out, s_wf, s_wt, s_st, e1, e2;
    int32_t zp_in, zp_out;
    ts_status st;

    if (c->op->opts.svdf.act != TS_ACT_NONE && c->op->opts.svdf.act != TS_ACT_RELU)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int8 with fused activation %d is not supported "
                       "(TFLite's integer SVDF applies none: expected NONE or RELU)",
                       (int)c->op->opts.svdf.act);
    if ((st = qparams(c, tin(c, 0), "input", &s_in, &zp_in)) != TS_OK ||
        (st = qparams(c, tout(c), "output", &s_out, &zp_out)) != TS_OK ||
        (st = svdf_scale(c, tin(c, 1), "feature weights", &s_wf)) != TS_OK ||
        (st = svdf_scale(c, tin(c, 2), "time weights", &s_wt)) != TS_OK ||
        (st = svdf_scale(c, tin(c, 4), "state", &s_st)) != TS_OK)
        return st;
    e1 = s_in * s_wf / s_st;
    e2 = s_st * s_wt / s_out;
    if (tsk_quantize_multiplier((double)e1, &p->feature_multiplier, &p->feature_shift) != TSK_OK ||
        tsk_quantize_multiplier((double)e2, &p->output_multiplier, &p->output_shift) != TSK_OK)
        return op_fail(c, TS_ERR_UNSUPPORTED, "effective scales %g and %g cannot be represented "
                       "(expected below 2^31)", (double)e1, (double)e2);
    p->ends.zp.input_offset = -zp_in, p->ends.zp.output_offset = zp_out;
    p->rounding = c->ro->rounding;
    return TS_OK;
}

/* ---- UNIDIRECTIONAL_SEQUENCE_LSTM (ops-lstm) ---- */

/* Input j's role, TFLite's names (tensorflow/lite/kernels/lstm_shared.h). */
static const char *const lstm_role[TSK_LSTM_N_INPUTS] = {
    "input", "input_to_input_weights", "input_to_forget_weights", "input_to_cell_weights",
    "input_to_output_weights", "recurrent_to_input_weights", "recurrent_to_forget_weights",
    "recurrent_to_cell_weights", "recurrent_to_output_weights", "cell_to_input_weights",
    "cell_to_forget_weights", "cell_to_output_weights", "input_gate_bias", "forget_gate_bias",
    "cell_gate_bias", "output_gate_bias", "projection_weights", "projection_bias",
    "output_state", "cell_state", "input_layer_norm_coefficients",
    "forget_layer_norm_coefficients", "cell_layer_norm_coefficients",
    "output_layer_norm_coefficients"};

/* The variants tinysim does not run, each named by the input that makes it so: CIFG (no
 * input gate), peepholes, projection, layer norm; then the options (activation, clips,
 * diagonal recurrent weights). */
static ts_status lstm_variant(prep *c)
{
    const ts_lstm_opts *o = &c->op->opts.lstm;
    static const struct {
        int32_t first, last;
        const char *what;
    } optional[] = {{9, 11, "peephole (cell-to-gate) weights"},
                    {16, 17, "projection"},
                    {20, 23, "layer normalization"}};

    if (!tin(c, 1) || !tin(c, 5))
        return op_fail(c, TS_ERR_UNSUPPORTED, "CIFG (coupled input and forget gate: input %d "
                       "%s absent) is not supported (expected an input gate)", tin(c, 1) ? 5 : 1,
                       lstm_role[tin(c, 1) ? 5 : 1]);
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++)
        for (int32_t j = optional[i].first; j <= optional[i].last; j++)
            if (tin(c, j))
                return op_fail(c, TS_ERR_UNSUPPORTED, "%s (input %d %s '%s') is not supported "
                               "(expected absent: -1)", optional[i].what, j, lstm_role[j],
                               tin(c, j)->name);
    if (o->act != TS_ACT_TANH)
        return op_fail(c, TS_ERR_UNSUPPORTED, "activation %d is not supported (expected 4 "
                       "TANH)", (int)o->act);
    if (!(o->cell_clip >= 0.0f) || !(o->proj_clip >= 0.0f))
        return op_fail(c, TS_ERR_FORMAT, "cell_clip %g, proj_clip %g (expected >= 0)",
                       (double)o->cell_clip, (double)o->proj_clip);
    if (o->diagonal_recurrent_tensors)
        return op_fail(c, TS_ERR_UNSUPPORTED, "diagonal recurrent weights are not supported "
                       "(expected diagonal_recurrent_tensors false)");
    return TS_OK;
}

/* Whether input j is one the LSTM kernels read (input, weights, biases, both states). */
static bool lstm_needed(int32_t j)
{
    return j == TSK_LSTM_INPUT || (j >= TSK_LSTM_W_INPUT && j < TSK_LSTM_PEEPHOLE) ||
           (j >= TSK_LSTM_BIAS && j < TSK_LSTM_PROJECTION) || j == TSK_LSTM_OUTPUT_STATE ||
           j == TSK_LSTM_CELL_STATE;
}

/* Input j of an int8 LSTM (TFLite's 8x8_16): int8 input, weights and output state, int32
 * biases, int16 cell state. */
static ts_status lstm_dtype_s8(prep *c, int32_t j, const ts_tensor *t)
{
    ts_dtype want = j >= TSK_LSTM_BIAS && j < TSK_LSTM_PROJECTION ? TS_DT_INT32
                    : j == TSK_LSTM_CELL_STATE                    ? TS_DT_INT16
                                                                  : TS_DT_INT8;

    if (t->dtype == want)
        return TS_OK;
    return op_fail(c, TS_ERR_UNSUPPORTED, "%s %s (input %d) is not supported in an int8 LSTM "
                   "(expected %s: TFLite's 8x8_16 integer LSTM)", dt(t), lstm_role[j], j,
                   ts_dtype_name(want));
}

/* Every input the kernel reads present with its dtype: all float32, or the int8 LSTM's
 * (q8); hybrid float/int8-weight LSTMs refused, naming the first tensor that is not so. */
static ts_status lstm_dtypes(prep *c, bool q8)
{
    const ts_tensor *out = tout(c);
    ts_dtype want = q8 ? TS_DT_INT8 : TS_DT_FLOAT32;
    ts_status st;

    for (int32_t j = 0; j < TSK_LSTM_N_INPUTS; j++) {
        const ts_tensor *t = tin(c, j);
        if (!lstm_needed(j))
            continue;
        if (!t)
            return op_fail(c, TS_ERR_FORMAT, "input %d (%s) is absent (required)", j,
                           lstm_role[j]);
        if (q8) {
            if ((st = lstm_dtype_s8(c, j, t)) != TS_OK)
                return st;
            continue;
        }
        if (t->dtype == TS_DT_FLOAT32)
            continue;
        if (t->dtype == TS_DT_INT8)
            return op_fail(c, TS_ERR_UNSUPPORTED, "float32 input with int8 %s (input %d, "
                           "hybrid) is not supported (expected float32)", lstm_role[j], j);
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s %s (input %d) is not supported (expected "
                       "float32 as the input is)", dt(t), lstm_role[j], j);
    }
    if (out->dtype != want)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s output is not supported (expected %s as the "
                       "input is)", dt(out), ts_dtype_name(want));
    return TS_OK;
}

/* Per-tensor scale and zero point of tensor j, checked: per tensor, zero point 0 when
 * `symmetric`. zp may be NULL. */
static ts_status lstm_scale(prep *c, int32_t j, bool symmetric, float *scale, int32_t *zp_out)
{
    const ts_tensor *t = tin(c, j);
    int32_t zp;
    ts_status st = qparams(c, t, lstm_role[j], scale, &zp);

    if (st != TS_OK)
        return st;
    if (symmetric && zp != 0)
        return op_fail(c, TS_ERR_UNSUPPORTED, "%s (input %d '%s') zero point %d (expected 0: "
                       "TFLite's integer LSTM takes weights as symmetric)", lstm_role[j], j,
                       t->name, (int)zp);
    if (!(*scale > 0.0f))
        return op_fail(c, TS_ERR_FORMAT, "%s (input %d '%s') scale %g (expected > 0)",
                       lstm_role[j], j, t->name, (double)*scale);
    if (zp_out)
        *zp_out = zp;
    return TS_OK;
}

/* The hidden state's quantization: the op's fifth intermediate tensor, as TFLite reads it
 * (Operator.intermediates: 5 for the 8x8_16 LSTM; 12 is the 8x8_8 one). */
static ts_status lstm_hidden(prep *c, float *scale, int32_t *zp)
{
    const ts_op *op = c->op;
    const ts_tensor *h;
    int32_t k;

    if (op->n_intermediates == 12)
        return op_fail(c, TS_ERR_UNSUPPORTED, "12 intermediates: the 8x8_8 integer LSTM is not "
                       "supported (expected 5: 8x8_16)");
    if (op->n_intermediates != 5)
        return op_fail(c, TS_ERR_FORMAT, "%d intermediate tensors (expected 5: TFLite's int8 "
                       "LSTM reads the hidden state's quantization from the fifth)",
                       (int)op->n_intermediates);
    k = op->intermediates[4];
    if (k < 0 || k >= c->r->g->n_tensors)
        return op_fail(c, TS_ERR_FORMAT, "intermediate 4 is tensor %d (expected 0..%d)", (int)k,
                       (int)c->r->g->n_tensors - 1);
    h = &c->r->g->tensors[k];
    if (h->quant.n < 1)
        return op_fail(c, TS_ERR_FORMAT, "intermediate 4 '%s' (the hidden state) has no "
                       "quantization parameters", h->name);
    *scale = h->quant.scale[0], *zp = h->quant.zero_point[0];
    if (!(*scale > 0.0f) || *zp < -128 || *zp > 127)
        return op_fail(c, TS_ERR_FORMAT, "intermediate 4 '%s' scale %g zero point %d (expected "
                       "> 0 and -128..127)", h->name, (double)*scale, (int)*zp);
    return TS_OK;
}

/* int8 LSTM: the effective biases after the scales in the op's table pair (kernel_types.h),
 * folded once here as TFLite's Prepare folds them (PopulatePrecomputedZPTimesWeightsWithBias),
 * so the weights and biases must be constant; the biases are copied into the table (a model's
 * bytes need not be 4-aligned) and folded there in place (tsk_lstm_prepare_s8). */
static ts_status lstm_eff_bias(prep *c, const tsk_lstm_s8_params *p, int32_t first)
{
    const void *in[TSK_LSTM_N_INPUTS] = {0};
    int32_t *eff_in = c->r->multiplier + first + TSK_LSTM_S8_Q_BIAS;
    int32_t *eff_rec = c->r->shift + first + TSK_LSTM_S8_Q_BIAS;

    for (int32_t j = TSK_LSTM_W_INPUT; j < TSK_LSTM_PROJECTION; j++) {
        const ts_tensor *t = tin(c, j);
        if (!lstm_needed(j))
            continue;
        if (!ts_tensor_is_const(t))
            return op_fail(c, TS_ERR_UNSUPPORTED, "%s (input %d '%s') is not constant (expected "
                           "constant: the int8 LSTM folds the zero points into its biases at "
                           "prepare, as TFLite does)", lstm_role[j], j, t->name);
        in[j] = t->data;
    }
    for (int32_t k = 0; k < 4; k++) {
        for (int32_t u = 0; u < p->units; u++)
            eff_in[k * p->units + u] = i32_at(tin(c, TSK_LSTM_BIAS + k), u);
        in[TSK_LSTM_BIAS + k] = eff_in + k * p->units;
    }
    if (tsk_lstm_prepare_s8(p, in, eff_in, eff_rec) != TSK_OK)
        return op_fail(c, TS_ERR_INTERNAL, "the effective biases were refused");
    return TS_OK;
}

/* int8 LSTM: the effective scales and offsets as TFLite's PopulateQuantizedLstmParams8x8_16
 * computes them (float products and quotients of the float32 scales, then QuantizeMultiplier):
 * gate k's input matmul s_wk * s_in / 2^-12 and recurrent matmul s_rk * s_state / 2^-12 (the
 * Q3.12 gate accumulator: without layer norm TFLite fixes it and ignores intermediates 0-3),
 * the hidden 2^-15 / s_hidden * 2^-15; the cell state's scale a power of two 2^-15 .. 2^-9
 * (TFLite's CheckedLog2; its integer tanh takes 15 + that exponent integer bits, 0..6); the
 * cell clip quantized as TFLite does, truncated to int16. */
static ts_status lstm_quant_s8(prep *c, tsk_lstm_s8_params *p)
{
    const ts_tensor *cs = tin(c, TSK_LSTM_CELL_STATE);
    float s_in = 0.0f, s_state = 0.0f, s_cell = 0.0f, s_hidden = 0.0f, s_w = 0.0f;
    float e[TSK_LSTM_S8_N_QUANT];
    const float gate_scale = 1.0f / 4096.0f, q15 = 1.0f / 32768.0f;
    int32_t zp, first, ex;
    ts_status st;

    if ((st = lstm_scale(c, TSK_LSTM_INPUT, false, &s_in, &p->input_zp)) != TS_OK ||
        (st = lstm_scale(c, TSK_LSTM_OUTPUT_STATE, false, &s_state, &p->state_zp)) != TS_OK ||
        (st = lstm_scale(c, TSK_LSTM_CELL_STATE, true, &s_cell, NULL)) != TS_OK ||
        (st = lstm_hidden(c, &s_hidden, &p->hidden_zp)) != TS_OK)
        return st;
    if (frexpf(s_cell, &ex) != 0.5f || ex - 1 < -15 || ex - 1 > -9)
        return op_fail(c, TS_ERR_UNSUPPORTED, "cell_state '%s' scale %g (expected a power of two "
                       "2^-15 .. 2^-9: TFLite's integer tanh of the cell)", cs->name,
                       (double)s_cell);
    p->cell_scale = ex - 1;
    for (int32_t k = 0; k < 4; k++) {
        if ((st = lstm_scale(c, TSK_LSTM_W_INPUT + k, true, &s_w, NULL)) != TS_OK)
            return st;
        e[TSK_LSTM_S8_Q_INPUT + k] = s_w * s_in;
        e[TSK_LSTM_S8_Q_INPUT + k] = e[TSK_LSTM_S8_Q_INPUT + k] / gate_scale;
        if ((st = lstm_scale(c, TSK_LSTM_W_RECURRENT + k, true, &s_w, NULL)) != TS_OK)
            return st;
        e[TSK_LSTM_S8_Q_RECURRENT + k] = s_w * s_state;
        e[TSK_LSTM_S8_Q_RECURRENT + k] = e[TSK_LSTM_S8_Q_RECURRENT + k] / gate_scale;
    }
    e[TSK_LSTM_S8_Q_HIDDEN] = q15 / s_hidden;
    e[TSK_LSTM_S8_Q_HIDDEN] = e[TSK_LSTM_S8_Q_HIDDEN] * q15;
    if ((st = quant_alloc(c, TSK_LSTM_S8_N_QUANT + 4 * p->units, &first)) != TS_OK ||
        (st = lstm_eff_bias(c, p, first)) != TS_OK)
        return st;
    for (int32_t i = 0; i < TSK_LSTM_S8_N_QUANT; i++)
        if (tsk_quantize_multiplier((double)e[i], c->r->multiplier + first + i,
                                    c->r->shift + first + i) != TSK_OK)
            return op_fail(c, TS_ERR_UNSUPPORTED, "effective scale %d (%g) cannot be "
                           "represented (expected below 2^31)", (int)i, (double)e[i]);
    c->ro->quant_first = first;
    c->ro->n_quant = TSK_LSTM_S8_N_QUANT + 4 * p->units;
    zp = 0;
    if (c->op->opts.lstm.cell_clip > 0.0f) {
        float q = c->op->opts.lstm.cell_clip / s_cell;
        zp = (int32_t)(int16_t)(q < -32768.0f ? -32768.0f : q > 32767.0f ? 32767.0f : q);
    }
    p->cell_clip = zp;
    p->rounding = c->ro->rounding;
    return TS_OK;
}

/* True when tensor j has exactly the shape {a, b} (b < 0: 1-D {a}). */
static bool lstm_shape(const prep *c, int32_t j, int32_t a, int32_t b)
{
    const ts_tensor *t = tin(c, j);

    return b < 0 ? t->rank == 1 && t->shape[0] == a
                 : t->rank == 2 && t->shape[0] == a && t->shape[1] == b;
}

/* UNIDIRECTIONAL_SEQUENCE_LSTM float32: input [batch, time, input_size] ([time, batch, ..]
 * when time_major), input-to-gate weights [units, input_size], recurrent weights [units,
 * units], gate biases [units], both states [batch, units] (variable tensors), output [batch,
 * time, units] (or time-major): shapes as TFLite's unidirectional_sequence_lstm.cc Prepare
 * without projection. Inputs past the descriptor's slots go as ext inputs: the scratch is
 * their address table (fw_abi.h), the kernel needs none of its own. */
static ts_status prep_lstm(prep *c)
{
    const ts_tensor *in = tin(c, 0), *out = tout(c);
    const ts_lstm_opts *o = &c->op->opts.lstm;
    ts_ref_op *ro = c->ro;
    tsk_lstm_params *p = &ro->p.lstm;
    int32_t batch, time, n_in, units;
    ts_status st;

    bool q8 = in->dtype == TS_DT_INT8;

    if (in->dtype == TS_DT_INT16)
        return op_fail(c, TS_ERR_UNSUPPORTED, "int16 input (16x8 LSTM) is not supported "
                       "(expected int8 or float32)");
    if ((st = lstm_variant(c)) != TS_OK ||
        (st = lstm_dtypes(c, q8)) != TS_OK)
        return st;
    for (int32_t j = TSK_LSTM_OUTPUT_STATE; j <= TSK_LSTM_CELL_STATE; j++)
        if (!tin(c, j)->is_variable)
            return op_fail(c, TS_ERR_FORMAT, "%s (input %d '%s') is not a variable tensor",
                           lstm_role[j], j, tin(c, j)->name);
    if (in->rank != 3 || tin(c, 2)->rank != 2)
        return op_fail(c, TS_ERR_FORMAT, "input is %d-D, input_to_forget_weights %d-D "
                       "(expected 3-D and 2-D)", in->rank, tin(c, 2)->rank);
    time = in->shape[o->time_major ? 0 : 1], batch = in->shape[o->time_major ? 1 : 0];
    n_in = in->shape[2], units = tin(c, 2)->shape[0];
    for (int32_t j = TSK_LSTM_W_INPUT; j < TSK_LSTM_PROJECTION; j++) {
        bool ok = j < TSK_LSTM_W_RECURRENT ? lstm_shape(c, j, units, n_in)
                  : j < TSK_LSTM_PEEPHOLE  ? lstm_shape(c, j, units, units)
                  : j < TSK_LSTM_BIAS      ? true
                                           : lstm_shape(c, j, units, -1);
        if (!ok && j >= TSK_LSTM_BIAS)
            return op_fail(c, TS_ERR_FORMAT, "%s (input %d) shape disagrees (expected 1-D [%d])",
                           lstm_role[j], j, units);
        if (!ok)
            return op_fail(c, TS_ERR_FORMAT, "%s (input %d) shape disagrees (expected 2-D "
                           "[%d,%d])", lstm_role[j], j, units,
                           j < TSK_LSTM_W_RECURRENT ? n_in : units);
    }
    for (int32_t j = TSK_LSTM_OUTPUT_STATE; j <= TSK_LSTM_CELL_STATE; j++)
        if (tin(c, j)->n_elems != (int64_t)batch * units)
            return op_fail(c, TS_ERR_FORMAT, "%s (input %d) has %lld elements (expected batch "
                           "%d x units %d)", lstm_role[j], j, (long long)tin(c, j)->n_elems,
                           batch, units);
    if (out->rank != 3 || out->shape[0] != in->shape[0] || out->shape[1] != in->shape[1] ||
        out->shape[2] != units)
        return op_fail(c, TS_ERR_FORMAT, "output shape disagrees (expected [%d,%d,%d])",
                       in->shape[0], in->shape[1], units);
    if (q8) {
        tsk_lstm_s8_params *p8 = &ro->p.lstm8;
        memset(p8, 0, sizeof *p8);
        p8->batch = batch, p8->time = time, p8->input_size = n_in, p8->units = units;
        p8->time_major = o->time_major ? 1 : 0;
        if ((st = lstm_quant_s8(c, p8)) != TS_OK)
            return st;
    } else {
        *p = (tsk_lstm_params){batch, time, n_in, units, o->time_major ? 1 : 0, o->cell_clip};
    }
    ro->dtype = q8 ? TS_DT_INT8 : TS_DT_FLOAT32;
    ro->in_dims[0] = (tsk_dims){1, in->shape[0], in->shape[1], n_in};
    ro->out_dims = (tsk_dims){1, out->shape[0], out->shape[1], units};
    return set_scratch(c, TSFW_EXT_BYTES(ro->n_inputs));
}

/* SVDF: input [batch, input_size], weights_feature [filters, input_size], weights_time
 * [filters, memory], bias [filters / rank] or absent, state [batch, filters * memory] (a
 * variable tensor), output [batch, filters / rank]; shapes as TFLite's svdf.cc Prepare. */
static ts_status prep_svdf(prep *c)
{
    const ts_tensor *in = tin(c, 0), *wf = tin(c, 1), *wt = tin(c, 2), *b = tin(c, 3);
    const ts_tensor *state = tin(c, 4), *out = tout(c);
    ts_ref_op *ro = c->ro;
    tsk_svdf_params *p = &ro->p.svdf;
    int32_t rank = c->op->opts.svdf.rank, f, u;
    ts_status st;

    if (!state || !state->is_variable)
        return op_fail(c, TS_ERR_FORMAT, "state (input 4) is not a variable tensor");
    if ((st = svdf_dtype(c, p)) != TS_OK)
        return st;
    if (in->rank != 2 || wf->rank != 2 || wt->rank != 2 || state->rank != 2 || out->rank != 2 ||
        (b && b->rank != 1))
        return op_fail(c, TS_ERR_FORMAT, "input, weights, state and output must be 2-D, bias "
                       "1-D");
    f = wf->shape[0];
    if (rank < 1 || f % rank != 0)
        return op_fail(c, TS_ERR_FORMAT, "rank %d does not divide the %d filters", rank, f);
    u = f / rank;
    *p = (tsk_svdf_params){in->shape[0], in->shape[1], f, wt->shape[1], rank, p->time_bytes,
                           0, 0, 0, 0, 0, {{0, 0}}};
    if (wf->shape[1] != p->input_size || wt->shape[0] != f || (b && b->shape[0] != u) ||
        state->shape[0] != p->batch || (int64_t)state->shape[1] != (int64_t)f * p->memory ||
        out->shape[0] != p->batch || out->shape[1] != u)
        return op_fail(c, TS_ERR_FORMAT, "shapes disagree (expected feature weights [%d,%d], "
                       "time weights [%d,M], bias [%d], state [%d,%d*M], output [%d,%d])", f,
                       p->input_size, f, u, p->batch, f, p->batch, u);
    ro->in_dims[0] = (tsk_dims){p->batch, 1, 1, p->input_size};
    ro->in_dims[1] = (tsk_dims){f, 1, 1, p->input_size};
    ro->in_dims[2] = (tsk_dims){f, 1, 1, p->memory};
    ro->in_dims[3] = (tsk_dims){1, 1, 1, u};
    ro->in_dims[4] = (tsk_dims){p->batch, 1, 1, f * p->memory};
    ro->out_dims = (tsk_dims){p->batch, 1, 1, u};
    if (ro->dtype == TS_DT_INT8)
        return svdf_quant(c, p);
    return act_f32(c, c->op->opts.svdf.act, &p->ends.act);
}

static const prep_fn prep_fns[TS_OP_COUNT] = {
    [TS_OP_CONV_2D] = prep_conv,
    [TS_OP_DEPTHWISE_CONV_2D] = prep_dwconv,
    [TS_OP_FULLY_CONNECTED] = prep_fc,
    [TS_OP_TRANSPOSE_CONV] = prep_transpose_conv,
    [TS_OP_AVERAGE_POOL_2D] = prep_pool,
    [TS_OP_MAX_POOL_2D] = prep_pool,
    [TS_OP_ADD] = prep_eltwise,
    [TS_OP_MUL] = prep_eltwise,
    [TS_OP_SUB] = prep_eltwise,
    [TS_OP_SQUARED_DIFFERENCE] = prep_eltwise,
    [TS_OP_MAXIMUM] = prep_minmax,
    [TS_OP_MINIMUM] = prep_minmax,
    [TS_OP_RELU] = prep_unary_eltwise,
    [TS_OP_RELU6] = prep_unary_eltwise,
    [TS_OP_ABS] = prep_unary_eltwise,
    [TS_OP_NEG] = prep_unary_eltwise,
    [TS_OP_TRANSPOSE] = prep_transpose,
    [TS_OP_LEAKY_RELU] = prep_leaky_relu,
    [TS_OP_PACK] = prep_pack,
    [TS_OP_SLICE] = prep_slice,
    [TS_OP_GATHER] = prep_gather,
    [TS_OP_SQUEEZE] = prep_reshape,
    [TS_OP_EXPAND_DIMS] = prep_reshape,
    [TS_OP_SOFTMAX] = prep_unary_prob,
    [TS_OP_LOGISTIC] = prep_unary_prob,
    [TS_OP_RESHAPE] = prep_reshape,
    [TS_OP_PAD] = prep_pad,
    [TS_OP_MEAN] = prep_mean,
    [TS_OP_CONCATENATION] = prep_concat,
    [TS_OP_QUANTIZE] = prep_affine,
    [TS_OP_DEQUANTIZE] = prep_affine,
    /* ops-move */
    [TS_OP_SPLIT] = prep_split,
    [TS_OP_SPLIT_V] = prep_split_v,
    [TS_OP_UNPACK] = prep_unpack,
    [TS_OP_STRIDED_SLICE] = prep_strided_slice,
    /* ops-math group */
    [TS_OP_HARD_SWISH] = prep_hard_swish,
    [TS_OP_TANH] = prep_tanh,
    [TS_OP_PRELU] = prep_prelu,
    [TS_OP_ARG_MAX] = prep_arg,
    [TS_OP_ARG_MIN] = prep_arg,
    [TS_OP_SQRT] = prep_sqrt,
    [TS_OP_SPACE_TO_DEPTH] = prep_space_depth,
    [TS_OP_DEPTH_TO_SPACE] = prep_space_depth,
    [TS_OP_RESIZE_NEAREST_NEIGHBOR] = prep_resize_nearest,
    [TS_OP_RESIZE_BILINEAR] = prep_resize_bilinear,
    [TS_OP_FILL] = prep_fill,
    [TS_OP_ZEROS_LIKE] = prep_zeros_like,
    [TS_OP_SHAPE] = prep_shape,
    [TS_OP_CAST] = prep_cast,
    [TS_OP_SVDF] = prep_svdf,
    [TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM] = prep_lstm,
    [TS_OP_RSQRT] = prep_rsqrt,
    [TS_OP_REDUCE_MAX] = prep_reduce_max,
    [TS_OP_L2_NORMALIZATION] = prep_l2_norm,
    [TS_OP_DIV] = prep_div,
    [TS_OP_SUM] = prep_sum,
    [TS_OP_BATCH_MATMUL] = prep_bmm,
};

ts_status ts_ref_prepare_op(ts_ref *r, ts_ref_op *ro, ts_err *err)
{
    prep c = {r, &r->g->ops[ro->op_index], ro, err, 0, 2};

    if (c.op->is_custom)
        return op_fail(&c, TS_ERR_UNSUPPORTED, "custom operator (TFLite CUSTOM, custom code "
                       "'%s') not supported", c.op->name);
    if ((unsigned)ro->kind >= TS_OP_COUNT || !prep_fns[ro->kind])
        return op_fail(&c, TS_ERR_UNSUPPORTED, "operator not supported");
    if (c.op->n_outputs != 1 && (c.op->n_outputs < 1 || !several_outputs(ro->kind)))
        return op_fail(&c, TS_ERR_FORMAT, "has %d outputs (expected 1)", c.op->n_outputs);
    if (c.op->n_inputs > ts_ref_op_max_inputs(ro->kind))
        return op_fail(&c, TS_ERR_UNSUPPORTED, "%d inputs (at most %d supported)",
                       c.op->n_inputs, (int)ts_ref_op_max_inputs(ro->kind));
    if (!tin(&c, 0))
        return op_fail(&c, TS_ERR_FORMAT, "input 0 is absent");
    return prep_fns[ro->kind](&c);
}
