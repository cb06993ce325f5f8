/* kernels/mul_f32.c: MUL float32 with TFLite 4-D broadcasting (each input dimension equals
 * the output's or is 1), output clamped to the fused activation range.
 * Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_mul_f32(const tsk_eltwise_params_f32 *p, const tsk_dims *in1_dims,
                       const float *in1, const tsk_dims *in2_dims, const float *in2,
                       const tsk_dims *out_dims, float *out)
{
    int32_t s1[4], s2[4];
    int32_t n, h, w, c;
    if (p == 0 || in1_dims == 0 || in2_dims == 0 || out_dims == 0 || in1 == 0 || in2 == 0 ||
        out == 0 || !(p->act.min <= p->act.max) || tsk_dims_count(in1_dims) < 0 ||
        tsk_dims_count(in2_dims) < 0 || tsk_dims_count(out_dims) < 0 ||
        !tsk_broadcast_strides(in1_dims, out_dims, s1) ||
        !tsk_broadcast_strides(in2_dims, out_dims, s2)) {
        return TSK_ERR_ARG;
    }
    for (n = 0; n < out_dims->n; n++) {
        for (h = 0; h < out_dims->h; h++) {
            for (w = 0; w < out_dims->w; w++) {
                const float *a = in1 + n * s1[0] + h * s1[1] + w * s1[2];
                const float *b = in2 + n * s2[0] + h * s2[1] + w * s2[2];
                for (c = 0; c < out_dims->c; c++) {
                    *out++ = tsk_clamp_f32(a[c * s1[3]] * b[c * s2[3]], p->act.min, p->act.max);
                }
            }
        }
    }
    return TSK_OK;
}
