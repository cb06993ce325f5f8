/* kernels/fully_connected_f32.c: FULLY_CONNECTED float32 (TFLite reference_ops::
 * FullyConnected: out[b][o] = clamp(sum_d x[b][d] * w[o][d] + bias[o])).
 * Values only: no timing, no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_fully_connected_f32(const tsk_fc_params_f32 *p, const tsk_dims *in_dims,
                                   const float *in, const tsk_dims *filter_dims,
                                   const float *filter, const float *bias,
                                   const tsk_dims *out_dims, float *out)
{
    int32_t n_in, n_out, depth, batches, b, oc, d;
    if (p == 0 || in_dims == 0 || filter_dims == 0 || out_dims == 0 || in == 0 || filter == 0 ||
        out == 0 || !(p->act.min <= p->act.max)) {
        return TSK_ERR_ARG;
    }
    n_in = tsk_dims_count(in_dims);
    n_out = tsk_dims_count(out_dims);
    if (n_in < 0 || n_out < 0 || tsk_dims_count(filter_dims) < 0) {
        return TSK_ERR_ARG;
    }
    depth = filter_dims->h * filter_dims->w * filter_dims->c;
    if (n_in % depth != 0 || (int64_t)(n_in / depth) * filter_dims->n != n_out) {
        return TSK_ERR_ARG;
    }
    batches = n_in / depth;
    for (b = 0; b < batches; b++) {
        const float *x = in + (int64_t)b * depth;
        for (oc = 0; oc < filter_dims->n; oc++) {
            const float *w = filter + (int64_t)oc * depth;
            float total = 0.0f;
            for (d = 0; d < depth; d++) {
                total += x[d] * w[d];
            }
            total += bias != 0 ? bias[oc] : 0.0f;
            *out++ = tsk_clamp_f32(total, p->act.min, p->act.max);
        }
    }
    return TSK_OK;
}
