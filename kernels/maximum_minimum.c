/* kernels/maximum_minimum.c: MAXIMUM and MINIMUM, int8 and float32, with TFLite 4-D
 * broadcasting (TFLite's maximum_minimum.cc, reference kernel: the larger / smaller input
 * element; int8 compares the stored values, which is exact because the converter gives both
 * inputs and the output one quantization, a condition the executor checks). Both dtypes use
 * TFLite's MaximumOp/MinimumOp expressions, `a > b ? a : b` and `a < b ? a : b` (so a float
 * NaN in either input gives the second input). Values only: no allocation, no I/O. */
#include "eltwise_int.h"
#include "kernels.h"

/* One kernel: argument checks, then EXPR of A (in1) and B (in2) for every output element. */
#define MINMAX_KERNEL(name, TYPE, EXPR)                                                        \
    tsk_status name(const tsk_dims *in1_dims, const TYPE *in1, const tsk_dims *in2_dims,      \
                    const TYPE *in2, const tsk_dims *out_dims, TYPE *out)                      \
    {                                                                                          \
        int32_t s1[4], s2[4];                                                                  \
                                                                                               \
        if (!tsk_binary_args(in1_dims, in1, in2_dims, in2, out_dims, out, s1, s2))             \
            return TSK_ERR_ARG;                                                                \
        TSK_BROADCAST_4D(TYPE, in1, s1, in2, s2, out_dims, out, EXPR);                         \
        return TSK_OK;                                                                         \
    }

MINMAX_KERNEL(tsk_maximum_s8, int8_t, A > B ? A : B)
MINMAX_KERNEL(tsk_minimum_s8, int8_t, A < B ? A : B)
MINMAX_KERNEL(tsk_maximum_f32, float, A > B ? A : B)
MINMAX_KERNEL(tsk_minimum_f32, float, A < B ? A : B)
