/* ref_exec.c: ts_ref_invoke: places the staged inputs at their arena offsets and runs every
 * prepared op with kernels/, reading and writing tensors and scratch inside the one arena.
 * Layer: sim/ref. Values only: no timing, no printing, no allocation. Which kernel runs an
 * op is decided here (by kind, dtype and the op's recorded variant), never inside kernels/. */
#include <assert.h>
#include <string.h>

#include "ref_int.h"

typedef tsk_status (*run_fn)(const ts_ref *r, const ts_ref_op *ro);

static const void *in_ptr(const ts_ref *r, const ts_ref_op *ro, int32_t j)
{
    return ro->in[j] >= 0 ? r->tensor_ptr[ro->in[j]] : NULL;
}

static void *out_ptr(const ts_ref *r, const ts_ref_op *ro)
{
    return r->tensor_ptr[ro->out];
}

static tsk_ctx scratch(const ts_ref *r, const ts_ref_op *ro)
{
    tsk_ctx ctx = {NULL, 0};

    if (ro->scratch_bytes > 0 && ro->scratch_offset >= 0)
        ctx = (tsk_ctx){r->arena + ro->scratch_offset, ro->scratch_bytes};
    return ctx;
}

static tsk_quant requant(const ts_ref *r, const ts_ref_op *ro)
{
    tsk_quant q = {r->multiplier + ro->quant_first, r->shift + ro->quant_first, ro->n_quant};
    return q;
}

static int32_t count(const tsk_dims *d)
{
    return d->n * d->h * d->w * d->c;
}

static tsk_status run_conv(const ts_ref *r, const ts_ref_op *ro)
{
    tsk_ctx ctx = scratch(r, ro);
    tsk_quant q;

    if (ro->dtype == TS_DT_FLOAT32)
        return tsk_conv2d_f32(&ro->p.conv_f32, &ro->in_dims[0], in_ptr(r, ro, 0),
                              &ro->in_dims[1], in_ptr(r, ro, 1), in_ptr(r, ro, 2),
                              &ro->out_dims, out_ptr(r, ro));
    q = requant(r, ro);
    if (ro->kernels == TS_KERNELS_SIMD)
        return tsk_conv2d_s8_simd(&ctx, &ro->p.conv, &q, &ro->in_dims[0], in_ptr(r, ro, 0),
                                  &ro->in_dims[1], in_ptr(r, ro, 1), in_ptr(r, ro, 2),
                                  &ro->out_dims, out_ptr(r, ro));
    return tsk_conv2d_s8(&ctx, &ro->p.conv, &q, &ro->in_dims[0], in_ptr(r, ro, 0),
                         &ro->in_dims[1], in_ptr(r, ro, 1), in_ptr(r, ro, 2), &ro->out_dims,
                         out_ptr(r, ro));
}

static tsk_status run_dwconv(const ts_ref *r, const ts_ref_op *ro)
{
    tsk_ctx ctx = scratch(r, ro);
    tsk_quant q;

    if (ro->dtype == TS_DT_FLOAT32)
        return tsk_depthwise_conv2d_f32(&ro->p.dw_f32, &ro->in_dims[0], in_ptr(r, ro, 0),
                                        &ro->in_dims[1], in_ptr(r, ro, 1), in_ptr(r, ro, 2),
                                        &ro->out_dims, out_ptr(r, ro));
    q = requant(r, ro);
    if (ro->kernels == TS_KERNELS_SIMD)
        return tsk_depthwise_conv2d_s8_simd(&ctx, &ro->p.dw, &q, &ro->in_dims[0],
                                            in_ptr(r, ro, 0), &ro->in_dims[1], in_ptr(r, ro, 1),
                                            in_ptr(r, ro, 2), &ro->out_dims, out_ptr(r, ro));
    return tsk_depthwise_conv2d_s8(&ctx, &ro->p.dw, &q, &ro->in_dims[0], in_ptr(r, ro, 0),
                                   &ro->in_dims[1], in_ptr(r, ro, 1), in_ptr(r, ro, 2),
                                   &ro->out_dims, out_ptr(r, ro));
}

static tsk_status run_fc(const ts_ref *r, const ts_ref_op *ro)
{
    tsk_ctx ctx = scratch(r, ro);
    tsk_quant q;

    if (ro->dtype == TS_DT_FLOAT32)
        return tsk_fully_connected_f32(&ro->p.fc_f32, &ro->in_dims[0], in_ptr(r, ro, 0),
                                       &ro->in_dims[1], in_ptr(r, ro, 1), in_ptr(r, ro, 2),
                                       &ro->out_dims, out_ptr(r, ro));
    q = requant(r, ro);
    if (ro->kernels == TS_KERNELS_SIMD)
        return tsk_fully_connected_s8_simd(&ctx, &ro->p.fc, &q, &ro->in_dims[0],
                                           in_ptr(r, ro, 0), &ro->in_dims[1], in_ptr(r, ro, 1),
                                           in_ptr(r, ro, 2), &ro->out_dims, out_ptr(r, ro));
    return tsk_fully_connected_s8(&ctx, &ro->p.fc, &q, &ro->in_dims[0], in_ptr(r, ro, 0),
                                  &ro->in_dims[1], in_ptr(r, ro, 1), in_ptr(r, ro, 2),
                                  &ro->out_dims, out_ptr(r, ro));
}

static tsk_status run_pool(const ts_ref *r, const ts_ref_op *ro)
{
    const tsk_dims *id = &ro->in_dims[0], *od = &ro->out_dims;
    bool avg = ro->kind == TS_OP_AVERAGE_POOL_2D;

    if (ro->dtype == TS_DT_FLOAT32)
        return avg ? tsk_avg_pool_f32(&ro->p.pool_f32, id, in_ptr(r, ro, 0), od, out_ptr(r, ro))
                   : tsk_max_pool_f32(&ro->p.pool_f32, id, in_ptr(r, ro, 0), od, out_ptr(r, ro));
    return avg ? tsk_avg_pool_s8(&ro->p.pool, id, in_ptr(r, ro, 0), od, out_ptr(r, ro))
               : tsk_max_pool_s8(&ro->p.pool, id, in_ptr(r, ro, 0), od, out_ptr(r, ro));
}

static tsk_status run_eltwise(const ts_ref *r, const ts_ref_op *ro)
{
    const tsk_dims *a = &ro->in_dims[0], *b = &ro->in_dims[1], *o = &ro->out_dims;
    const void *x = in_ptr(r, ro, 0), *y = in_ptr(r, ro, 1);
    void *z = out_ptr(r, ro);
    bool add = ro->kind == TS_OP_ADD;

    if (ro->dtype == TS_DT_FLOAT32)
        return add ? tsk_add_f32(&ro->p.elt_f32, a, x, b, y, o, z)
                   : tsk_mul_f32(&ro->p.elt_f32, a, x, b, y, o, z);
    return add ? tsk_add_s8(&ro->p.add, a, x, b, y, o, z) : tsk_mul_s8(&ro->p.mul, a, x, b, y, o, z);
}

static tsk_status run_softmax(const ts_ref *r, const ts_ref_op *ro)
{
    if (ro->dtype == TS_DT_FLOAT32)
        return tsk_softmax_f32(ro->p.softmax_beta, &ro->in_dims[0], in_ptr(r, ro, 0),
                               out_ptr(r, ro));
    return tsk_softmax_s8(&ro->p.softmax, &ro->in_dims[0], in_ptr(r, ro, 0), out_ptr(r, ro));
}

static tsk_status run_logistic(const ts_ref *r, const ts_ref_op *ro)
{
    int32_t n = count(&ro->in_dims[0]);

    if (ro->dtype == TS_DT_FLOAT32)
        return tsk_logistic_f32(n, in_ptr(r, ro, 0), out_ptr(r, ro));
    return tsk_logistic_s8(&ro->p.logistic, n, in_ptr(r, ro, 0), out_ptr(r, ro));
}

/* A view when the planner gave both tensors the same storage; a copy otherwise (e.g. a
 * constant input). */
static tsk_status run_reshape(const ts_ref *r, const ts_ref_op *ro)
{
    const void *in = in_ptr(r, ro, 0);
    void *out = out_ptr(r, ro);

    if (in != out)
        memmove(out, in, (size_t)ro->copy_bytes);
    return TSK_OK;
}

static tsk_status run_pad(const ts_ref *r, const ts_ref_op *ro)
{
    if (ro->dtype == TS_DT_FLOAT32)
        return tsk_pad_f32(&ro->p.pad.p, 0.0f, &ro->in_dims[0], in_ptr(r, ro, 0), &ro->out_dims,
                           out_ptr(r, ro));
    return tsk_pad_s8(&ro->p.pad.p, (int8_t)ro->p.pad.value_s8, &ro->in_dims[0],
                      in_ptr(r, ro, 0), &ro->out_dims, out_ptr(r, ro));
}

static tsk_status run_mean(const ts_ref *r, const ts_ref_op *ro)
{
    tsk_ctx ctx = scratch(r, ro);

    if (ro->dtype == TS_DT_FLOAT32)
        return tsk_mean_f32(ro->p.mean.axis_mask, &ro->in_dims[0], in_ptr(r, ro, 0),
                            &ro->out_dims, out_ptr(r, ro));
    return tsk_mean_s8(&ctx, &ro->p.mean, &ro->in_dims[0], in_ptr(r, ro, 0), &ro->out_dims,
                       out_ptr(r, ro));
}

static tsk_status run_concat(const ts_ref *r, const ts_ref_op *ro)
{
    const void *in[TS_REF_MAX_INPUTS];

    for (int32_t j = 0; j < ro->n_inputs; j++)
        in[j] = in_ptr(r, ro, j);
    if (ro->dtype == TS_DT_FLOAT32)
        return tsk_concatenation_f32(ro->axis, ro->n_inputs, ro->in_dims,
                                     (const float *const *)in, &ro->out_dims, out_ptr(r, ro));
    return tsk_concatenation_s8(ro->axis, ro->n_inputs, ro->in_dims, (const int8_t *const *)in,
                                &ro->out_dims, out_ptr(r, ro));
}

static tsk_status run_affine(const ts_ref *r, const ts_ref_op *ro)
{
    int32_t n = count(&ro->in_dims[0]);

    if (ro->kind == TS_OP_QUANTIZE)
        return tsk_quantize_s8(&ro->p.affine, n, in_ptr(r, ro, 0), out_ptr(r, ro));
    return tsk_dequantize_s8(&ro->p.affine, n, in_ptr(r, ro, 0), out_ptr(r, ro));
}

/* One row per op kind ts_ref_prepare_op accepts (keep in step with prep_fns). */
static const run_fn run_fns[TS_OP_COUNT] = {
    [TS_OP_CONV_2D] = run_conv,
    [TS_OP_DEPTHWISE_CONV_2D] = run_dwconv,
    [TS_OP_FULLY_CONNECTED] = run_fc,
    [TS_OP_AVERAGE_POOL_2D] = run_pool,
    [TS_OP_MAX_POOL_2D] = run_pool,
    [TS_OP_ADD] = run_eltwise,
    [TS_OP_MUL] = run_eltwise,
    [TS_OP_SOFTMAX] = run_softmax,
    [TS_OP_LOGISTIC] = run_logistic,
    [TS_OP_RESHAPE] = run_reshape,
    [TS_OP_PAD] = run_pad,
    [TS_OP_MEAN] = run_mean,
    [TS_OP_CONCATENATION] = run_concat,
    [TS_OP_QUANTIZE] = run_affine,
    [TS_OP_DEQUANTIZE] = run_affine,
};

static const char *tsk_status_name(tsk_status s)
{
    switch (s) {
    case TSK_OK: return "TSK_OK";
    case TSK_ERR_ARG: return "TSK_ERR_ARG";
    case TSK_ERR_SCRATCH: return "TSK_ERR_SCRATCH";
    case TSK_ERR_UNSUPPORTED: return "TSK_ERR_UNSUPPORTED";
    }
    return "unknown";
}

void ts_ref_stage_inputs(ts_ref *r)
{
    const ts_graph *g = r->g;

    for (int32_t i = 0; i < g->n_inputs; i++)
        memcpy(r->tensor_ptr[g->inputs[i]], r->input_copy[i],
               g->tensors[g->inputs[i]].size_bytes);
}

ts_status ts_ref_invoke_op(ts_ref *r, int32_t k, ts_err *err)
{
    const ts_ref_op *ro;
    tsk_status ks;

    assert(k >= 0 && k < r->g->n_ops);
    ro = &r->ops[k];
    ks = run_fns[ro->kind](r, ro);
    if (ks != TSK_OK)
        return ts_err_set(err, TS_ERR_INTERNAL, "%s: op %d (%s): kernel returned %s (%d)",
                          r->source, k, r->g->ops[k].name, tsk_status_name(ks), (int)ks);
    return TS_OK;
}

ts_status ts_ref_invoke(ts_ref *r, ts_err *err)
{
    ts_status st = TS_OK;

    ts_ref_stage_inputs(r);
    for (int32_t k = 0; k < r->g->n_ops && st == TS_OK; k++)
        st = ts_ref_invoke_op(r, k, err);
    return st;
}
