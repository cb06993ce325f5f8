/* kernels/eltwise_s16.c: ADD, SUB and MUL with int16 activations (16x8, zero points 0),
 * bit-exact with TFLite's general int16 paths: ADD/SUB as the int8 ones with a left shift of
 * 15 (each input shifted, rescaled to the common scale, added or subtracted, rescaled to the
 * output), MUL the product requantised by one multiplier; clamped to the int16 activation
 * range; 4-D broadcasting (TSK_BROADCAST_4D). Values only: no float, no allocation, no I/O. */
#include "eltwise_int.h"
#include "kernels.h"
#include "simd_int.h" /* TSK_SIMD_NOINLINE */

/* a + sign * b at the common scale, rescaled to the output (sign 1: ADD, -1: SUB). */
static TSK_SIMD_NOINLINE int16_t add_one(const tsk_add_params *p, int32_t x, int32_t y,
                                         int32_t sign)
{
    int32_t a = tsk_mbqm_r(tsk_shl_wrap(x, p->left_shift), p->input1_multiplier,
                           p->input1_shift, p->rounding);
    int32_t b = tsk_mbqm_r(tsk_shl_wrap(y, p->left_shift), p->input2_multiplier,
                           p->input2_shift, p->rounding);
    int32_t v = tsk_mbqm_r(a + sign * b, p->output_multiplier, p->output_shift, p->rounding);
    return (int16_t)tsk_clamp_i32(v, p->act.min, p->act.max);
}

static int add_ok(const tsk_add_params *p)
{
    return p != 0 && p->input1_offset == 0 && p->input2_offset == 0 && p->output_offset == 0 &&
           p->left_shift >= 0 && p->left_shift <= 15 && p->input1_shift <= 0 &&
           p->input1_shift >= -31 && p->input2_shift <= 0 && p->input2_shift >= -31 &&
           p->output_shift <= 30 && p->output_shift >= -31 && tsk_range_ok_s16(&p->act) &&
           tsk_rounding_ok(p->rounding);
}

/* ADD (sign 1) and SUB (sign -1): one loop, so the firmware holds the rescaling once. */
static tsk_status add_sub(const tsk_add_params *p, const tsk_dims *in1_dims, const int16_t *in1,
                          const tsk_dims *in2_dims, const int16_t *in2, const tsk_dims *out_dims,
                          int16_t *out, int32_t sign)
{
    int32_t s1[4], s2[4];
    if (!add_ok(p) || !tsk_binary_args(in1_dims, in1, in2_dims, in2, out_dims, out, s1, s2)) {
        return TSK_ERR_ARG;
    }
    TSK_BROADCAST_4D(int16_t, in1, s1, in2, s2, out_dims, out, add_one(p, A, B, sign));
    return TSK_OK;
}

tsk_status tsk_add_s16(const tsk_add_params *p, const tsk_dims *in1_dims, const int16_t *in1,
                       const tsk_dims *in2_dims, const int16_t *in2, const tsk_dims *out_dims,
                       int16_t *out)
{
    return add_sub(p, in1_dims, in1, in2_dims, in2, out_dims, out, 1);
}

tsk_status tsk_sub_s16(const tsk_add_params *p, const tsk_dims *in1_dims, const int16_t *in1,
                       const tsk_dims *in2_dims, const int16_t *in2, const tsk_dims *out_dims,
                       int16_t *out)
{
    return add_sub(p, in1_dims, in1, in2_dims, in2, out_dims, out, -1);
}

static int16_t mul_one(const tsk_mul_params *p, int32_t x, int32_t y)
{
    int32_t v = tsk_mbqm_r(x * y, p->output_multiplier, p->output_shift, p->rounding);
    return (int16_t)tsk_clamp_i32(v, p->act.min, p->act.max);
}

tsk_status tsk_mul_s16(const tsk_mul_params *p, const tsk_dims *in1_dims, const int16_t *in1,
                       const tsk_dims *in2_dims, const int16_t *in2, const tsk_dims *out_dims,
                       int16_t *out)
{
    int32_t s1[4], s2[4];
    if (p == 0 || p->input1_offset != 0 || p->input2_offset != 0 || p->output_offset != 0 ||
        p->output_shift > 30 || p->output_shift < -31 || !tsk_range_ok_s16(&p->act) ||
        !tsk_rounding_ok(p->rounding) ||
        !tsk_binary_args(in1_dims, in1, in2_dims, in2, out_dims, out, s1, s2)) {
        return TSK_ERR_ARG;
    }
    TSK_BROADCAST_4D(int16_t, in1, s1, in2, s2, out_dims, out, mul_one(p, A, B));
    return TSK_OK;
}
