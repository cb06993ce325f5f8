/* kernels/logistic_f32.c: LOGISTIC float32, 1 / (1 + exp(-x)) with the libm-free
 * tsk_exp_f32. Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_logistic_f32(int32_t count, const float *in, float *out)
{
    int32_t i;
    if (in == 0 || out == 0 || count < 0) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        out[i] = 1.0f / (1.0f + tsk_exp_f32(-in[i]));
    }
    return TSK_OK;
}
