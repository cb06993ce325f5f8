/* kernels/fully_connected_s8.c: FULLY_CONNECTED int8, bit-exact with TFLite
 * reference_integer_ops::FullyConnected (and FullyConnectedPerChannel when q->n == C_out).
 * sum (w+fo)(x+io) is expanded exactly as sum w*x + io*sum w + fo*sum x + D*fo*io so the inner
 * loop is a plain contiguous int8 dot product; the weight-side terms live in scratch.
 * Values only: no timing, no allocation (scratch from the caller), no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

int32_t tsk_fully_connected_s8_scratch_size(const tsk_dims *filter_dims)
{
    if (filter_dims == 0 || tsk_dims_count(filter_dims) < 0 || filter_dims->n > INT32_MAX / 4) {
        return -1;
    }
    return 4 * filter_dims->n;
}

static tsk_status check_args(const tsk_ctx *ctx, const tsk_fc_params *p, const tsk_quant *q,
                             const tsk_dims *in_dims, const tsk_dims *filter_dims,
                             const tsk_dims *out_dims)
{
    int32_t need = tsk_fully_connected_s8_scratch_size(filter_dims);
    tsk_status st = tsk_fc_s8_args(p, q, in_dims, filter_dims, out_dims, need);
    return st != TSK_OK ? st : tsk_scratch_check(ctx, need);
}

tsk_status tsk_fully_connected_s8(const tsk_ctx *ctx, const tsk_fc_params *p, const tsk_quant *q,
                                  const tsk_dims *in_dims, const int8_t *in,
                                  const tsk_dims *filter_dims, const int8_t *filter,
                                  const int32_t *bias, const tsk_dims *out_dims, int8_t *out)
{
    int32_t *wterm;
    int32_t depth, batches, b, oc;
    tsk_status st = check_args(ctx, p, q, in_dims, filter_dims, out_dims);
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    depth = filter_dims->h * filter_dims->w * filter_dims->c;
    batches = tsk_dims_count(in_dims) / depth;
    const tsk_out_stage os = tsk_out_stage_make(q, 0, p->output_offset, p->act, p->rounding);
    wterm = (int32_t *)ctx->buf;
    for (oc = 0; oc < filter_dims->n; oc++) {
        wterm[oc] = p->input_offset * tsk_sum_s8(filter + (int64_t)oc * depth, depth) +
                    depth * p->filter_offset * p->input_offset + (bias != 0 ? bias[oc] : 0);
    }
    for (b = 0; b < batches; b++) {
        const int8_t *x = in + (int64_t)b * depth;
        int32_t xterm = p->filter_offset != 0 ? p->filter_offset * tsk_sum_s8(x, depth) : 0;
        for (oc = 0; oc < filter_dims->n; oc++) {
            int32_t acc = tsk_dot_s8(x, filter + (int64_t)oc * depth, depth) + wterm[oc] + xterm;
            *out++ = tsk_out_stage_apply(&os, acc, oc);
        }
    }
    return TSK_OK;
}
