/* kernels/logistic_s8.c: LOGISTIC int8 -> int8, bit-exact with TFLite
 * reference_integer_ops::Logistic: inputs beyond the range radius saturate; others are
 * rescaled to Q4.27, passed through gemmlowp's fixed-point logistic and written with scale
 * 1/256, zero point -128. Values only: no float, no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

enum { INPUT_INTEGER_BITS = 4, OUTPUT_INTEGER_BITS = 8 };

tsk_status tsk_logistic_s8(const tsk_logistic_params *p, int32_t count, const int8_t *in,
                           int8_t *out)
{
    int32_t i;
    if (p == 0 || in == 0 || out == 0 || count < 0 || p->input_left_shift > 30 ||
        p->input_left_shift < -31 || p->input_range_radius < 0 || !tsk_rounding_ok(p->rounding)) {
        return TSK_ERR_ARG;
    }
    for (i = 0; i < count; i++) {
        int32_t x = (int32_t)in[i] - p->input_zero_point;
        if (x <= -p->input_range_radius) {
            out[i] = INT8_MIN;
        } else if (x >= p->input_range_radius) {
            out[i] = INT8_MAX;
        } else {
            int32_t x_q4 =
                tsk_mbqm_r(x, p->input_multiplier, p->input_left_shift, p->rounding);
            int32_t y_q0 = tsk_fx_logistic(x_q4, INPUT_INTEGER_BITS);
            int32_t y = tsk_rdbpot(y_q0, 31 - OUTPUT_INTEGER_BITS) + INT8_MIN;
            out[i] = (int8_t)tsk_clamp_i32(y, INT8_MIN, INT8_MAX);
        }
    }
    return TSK_OK;
}
