/* kernels/div.c: DIV float32 (TFLite div.cc: in1 / in2, IEEE division, so bit-exact) with TFLite
 * 4-D broadcasting, clamped to the fused activation range. TFLite defines DIV for float32,
 * int32 and uint8, not int8: there is no int8 kernel. Values only: no allocation, no I/O. */
#include "eltwise_int.h"
#include "kernels.h"

tsk_status tsk_div_f32(const tsk_eltwise_params_f32 *p, const tsk_dims *in1_dims,
                       const float *in1, const tsk_dims *in2_dims, const float *in2,
                       const tsk_dims *out_dims, float *out)
{
    int32_t s1[4], s2[4];

    if (p == 0 || !(p->act.min <= p->act.max) ||
        !tsk_binary_args(in1_dims, in1, in2_dims, in2, out_dims, out, s1, s2))
        return TSK_ERR_ARG;
    TSK_BROADCAST_4D(float, in1, s1, in2, s2, out_dims, out,
                     tsk_clamp_f32(A / B, p->act.min, p->act.max));
    return TSK_OK;
}
