/* kernels/add_s8.c: ADD int8, bit-exact with TFLite reference_integer_ops AddFunc: offsets
 * applied, both inputs shifted left by left_shift (20) and rescaled to a common scale, summed,
 * rescaled to the output, zero point added, clamped. 4-D broadcasting as BroadcastAdd4DSlow.
 * Values only: no float, no allocation, no I/O. */
#include "eltwise_int.h"
#include "kernels.h"

static int8_t add_one(const tsk_add_params *p, int8_t x, int8_t y)
{
    int32_t a = tsk_shl_wrap(p->input1_offset + x, p->left_shift);
    int32_t b = tsk_shl_wrap(p->input2_offset + y, p->left_shift);
    int32_t sum = tsk_mbqm_r(a, p->input1_multiplier, p->input1_shift, p->rounding) +
                  tsk_mbqm_r(b, p->input2_multiplier, p->input2_shift, p->rounding);
    int32_t v = tsk_mbqm_r(sum, p->output_multiplier, p->output_shift, p->rounding) +
                p->output_offset;
    return (int8_t)tsk_clamp_i32(v, p->act.min, p->act.max);
}

tsk_status tsk_add_s8(const tsk_add_params *p, const tsk_dims *in1_dims, const int8_t *in1,
                      const tsk_dims *in2_dims, const int8_t *in2, const tsk_dims *out_dims,
                      int8_t *out)
{
    int32_t s1[4], s2[4];
    int32_t n, h, w, c;
    if (p == 0 || in1_dims == 0 || in2_dims == 0 || out_dims == 0 || in1 == 0 || in2 == 0 ||
        out == 0 || !tsk_add_params_ok(p) || tsk_dims_count(in1_dims) < 0 ||
        tsk_dims_count(in2_dims) < 0 || tsk_dims_count(out_dims) < 0 ||
        !tsk_broadcast_strides(in1_dims, out_dims, s1) ||
        !tsk_broadcast_strides(in2_dims, out_dims, s2)) {
        return TSK_ERR_ARG;
    }
    for (n = 0; n < out_dims->n; n++) {
        for (h = 0; h < out_dims->h; h++) {
            for (w = 0; w < out_dims->w; w++) {
                const int8_t *a = in1 + n * s1[0] + h * s1[1] + w * s1[2];
                const int8_t *b = in2 + n * s2[0] + h * s2[1] + w * s2[2];
                for (c = 0; c < out_dims->c; c++) {
                    *out++ = add_one(p, a[c * s1[3]], b[c * s2[3]]);
                }
            }
        }
    }
    return TSK_OK;
}
