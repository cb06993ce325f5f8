/* kernels/softmax_f32.c: SOFTMAX float32 over the innermost dimension (TFLite
 * reference_ops::Softmax: exp((x - max) * beta) / sum), with the libm-free tsk_exp_f32.
 * Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_softmax_f32(float beta, const tsk_dims *dims, const float *in, float *out)
{
    int32_t count, rows, r, c;
    if (dims == 0 || in == 0 || out == 0) {
        return TSK_ERR_ARG;
    }
    count = tsk_dims_count(dims);
    if (count < 0) {
        return TSK_ERR_ARG;
    }
    rows = count / dims->c;
    for (r = 0; r < rows; r++) {
        const float *x = in + (int64_t)r * dims->c;
        float *y = out + (int64_t)r * dims->c;
        float max = x[0];
        float sum = 0.0f;
        for (c = 1; c < dims->c; c++) {
            max = x[c] > max ? x[c] : max;
        }
        for (c = 0; c < dims->c; c++) {
            y[c] = tsk_exp_f32((x[c] - max) * beta);
            sum += y[c];
        }
        for (c = 0; c < dims->c; c++) {
            y[c] = y[c] / sum;
        }
    }
    return TSK_OK;
}
