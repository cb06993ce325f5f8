/* kernels/mean_f32.c: MEAN float32 over any subset of the axes of [N,H,W,C] (TFLite
 * reference_ops::Mean: float sums, divided by the reduced element count). Sums accumulate in
 * the output buffer. Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_mean_f32(int32_t axis_mask, const tsk_dims *in_dims, const float *in,
                        const tsk_dims *out_dims, float *out)
{
    int32_t st[4];
    int32_t stride = 1, n_out = 1, n_red = 1;
    int32_t n, h, w, c, i;
    if (in_dims == 0 || in == 0 || out_dims == 0 || out == 0 || axis_mask < 0 ||
        axis_mask > 15 || tsk_dims_count(in_dims) < 0) {
        return TSK_ERR_ARG;
    }
    for (i = 3; i >= 0; i--) {
        int reduced = (axis_mask >> i) & 1;
        st[i] = reduced ? 0 : stride;
        stride *= reduced ? 1 : tsk_dim(in_dims, i);
        n_red *= reduced ? tsk_dim(in_dims, i) : 1;
    }
    n_out = stride;
    if (tsk_dims_count(out_dims) != n_out) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < n_out; i++) {
        out[i] = 0.0f;
    }
    for (n = 0; n < in_dims->n; n++) {
        for (h = 0; h < in_dims->h; h++) {
            for (w = 0; w < in_dims->w; w++) {
                float *row = out + n * st[0] + h * st[1] + w * st[2];
                for (c = 0; c < in_dims->c; c++) {
                    row[c * st[3]] += *in++;
                }
            }
        }
    }
    for (i = 0; i < n_out; i++) {
        out[i] = out[i] / (float)n_red;
    }
    return TSK_OK;
}
