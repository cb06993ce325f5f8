/* kernels/eltwise_int.h: the 4-D broadcasting walk of the element-wise kernels added with the
 * second op set (sub, maximum/minimum), and the int8 ADD/SUB parameter check they share.
 * Included by kernel files only. Must not allocate or depend on anything but kernels_int.h. */
#ifndef TS_ELTWISE_INT_H
#define TS_ELTWISE_INT_H

#include "kernels_int.h"

/* Checks a binary op's shapes (each input dimension equals the output's or is 1) and fills
 * the inputs' broadcast strides. Returns 0 on a bad shape or a NULL pointer. */
static inline int tsk_binary_args(const tsk_dims *d1, const void *in1, const tsk_dims *d2,
                                  const void *in2, const tsk_dims *od, const void *out,
                                  int32_t s1[4], int32_t s2[4])
{
    return d1 != 0 && d2 != 0 && od != 0 && in1 != 0 && in2 != 0 && out != 0 &&
           tsk_dims_count(d1) >= 0 && tsk_dims_count(d2) >= 0 && tsk_dims_count(od) >= 0 &&
           tsk_broadcast_strides(d1, od, s1) && tsk_broadcast_strides(d2, od, s2);
}

/* For every output element in row-major order: `*out++ = EXPR`, EXPR reading A (the element of
 * in1) and B (of in2) through the strides of tsk_binary_args (as TFLite's BroadcastBinary4D). */
#define TSK_BROADCAST_4D(TYPE, in1, s1, in2, s2, od, out, EXPR)                                \
    do {                                                                                       \
        for (int32_t n_ = 0; n_ < (od)->n; n_++)                                               \
            for (int32_t h_ = 0; h_ < (od)->h; h_++)                                           \
                for (int32_t w_ = 0; w_ < (od)->w; w_++) {                                     \
                    const TYPE *a_ = (in1) + n_ * (s1)[0] + h_ * (s1)[1] + w_ * (s1)[2];       \
                    const TYPE *b_ = (in2) + n_ * (s2)[0] + h_ * (s2)[1] + w_ * (s2)[2];       \
                    for (int32_t c_ = 0; c_ < (od)->c; c_++) {                                 \
                        TYPE A = a_[c_ * (s1)[3]], B = b_[c_ * (s2)[3]];                       \
                        *(out)++ = (EXPR);                                                     \
                    }                                                                          \
                }                                                                              \
    } while (0)

/* tsk_add_params as tsk_add_prepare_s8 fills them (int8 ADD and SUB). */
static inline int tsk_add_params_ok(const tsk_add_params *p)
{
    return p->input1_offset >= -127 && p->input1_offset <= 128 && p->input2_offset >= -127 &&
           p->input2_offset <= 128 && p->left_shift >= 0 && p->left_shift <= 30 &&
           p->input1_shift <= 0 && p->input1_shift >= -31 && p->input2_shift <= 0 &&
           p->input2_shift >= -31 && p->output_shift <= 0 && p->output_shift >= -31 &&
           tsk_range_ok_s8(&p->act) && tsk_rounding_ok(p->rounding);
}

#endif /* TS_ELTWISE_INT_H */
