/* tests/unit/kernels/test_golden_vectors.c: SOFTMAX and LOGISTIC int8 (and their prepare
 * helpers) bit-exactly against golden vectors from scripts/gen_kernel_vectors.py, an
 * independent big-integer Python model of the TFLite / gemmlowp fixed-point arithmetic. */
#include <criterion/criterion.h>

#include "kernels/kernels.h"
#include "kernels/kernels_int.h"
#include "tests/data/vectors/softmax_logistic_s8.h"

Test(golden_vectors, softmax_s8_prepare_and_output_are_bit_exact)
{
    size_t i;
    for (i = 0; i < sizeof softmax_vectors / sizeof softmax_vectors[0]; i++) {
        const softmax_vector *v = &softmax_vectors[i];
        tsk_softmax_params p;
        tsk_dims d = {1, 1, 1, v->n};
        int8_t out[64];
        cr_assert_eq(tsk_softmax_prepare_s8(v->beta, v->scale, TSK_ROUND_DOUBLE, &p), TSK_OK);
        cr_assert(p.input_multiplier == v->mult && p.input_left_shift == v->shift &&
                      p.diff_min == v->diff_min,
                  "vector %zu: params %d %d %d", i, p.input_multiplier, p.input_left_shift,
                  p.diff_min);
        cr_assert_eq(tsk_softmax_s8(&p, &d, v->in, out), TSK_OK);
        cr_assert_arr_eq(out, v->out, (size_t)v->n, "vector %zu", i);
    }
}

Test(golden_vectors, logistic_s8_prepare_and_output_are_bit_exact)
{
    size_t i;
    for (i = 0; i < sizeof logistic_vectors / sizeof logistic_vectors[0]; i++) {
        const logistic_vector *v = &logistic_vectors[i];
        tsk_logistic_params p;
        int8_t in[256], out[256];
        int k;
        for (k = 0; k < 256; k++) {
            in[k] = (int8_t)(k - 128);
        }
        cr_assert_eq(tsk_logistic_prepare_s8(v->scale, v->zero_point, TSK_ROUND_DOUBLE, &p),
                     TSK_OK); /* the vectors are TFLite Micro's (double rounding) */
        cr_assert(p.input_multiplier == v->mult && p.input_left_shift == v->shift &&
                      p.input_range_radius == v->radius,
                  "vector %zu", i);
        cr_assert_eq(tsk_logistic_s8(&p, 256, in, out), TSK_OK);
        cr_assert_arr_eq(out, v->out, 256, "vector %zu", i);
    }
}

Test(golden_vectors, fixed_point_exp_on_negative_values_is_bit_exact)
{
    size_t i;
    for (i = 0; i < sizeof exp_vectors / sizeof exp_vectors[0]; i++) {
        cr_assert_eq(tsk_fx_exp_on_negative_values(exp_vectors[i][1], exp_vectors[i][0]),
                     exp_vectors[i][2], "vector %zu: a = %d", i, exp_vectors[i][1]);
    }
}
