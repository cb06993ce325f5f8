/* tests/unit/kernels/test_rounding.c: the requantisation rounding modes (tsk_rounding):
 * SINGLE (TFLite's TFLITE_SINGLE_ROUNDING MultiplyByQuantizedMultiplier) pinned by hand at
 * ties, negative values, extreme shifts and saturation; a property test against an
 * independent floor-division reference and the round-half-up tie rule; SINGLE vs DOUBLE
 * differing by at most 1; every requantising kernel and prepare helper honouring the mode
 * and rejecting values that are not a tsk_rounding. */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"

#define SR(x, m, s) tsk_requant_s32((x), (m), (s), TSK_ROUND_SINGLE)
#define DR(x, m, s) tsk_requant_s32((x), (m), (s), TSK_ROUND_DOUBLE)

Test(rounding, single_rounds_ties_toward_positive_infinity)
{
    /* multiplier 2^30 with shift 0 is exactly 0.5 */
    cr_assert_eq(SR(5, 1 << 30, 0), 3);   /* 2.5 -> 3 */
    cr_assert_eq(SR(-5, 1 << 30, 0), -2); /* -2.5 -> -2 (not away from zero) */
    cr_assert_eq(SR(3, 1 << 30, 0), 2);   /* 1.5 -> 2 */
    cr_assert_eq(SR(-3, 1 << 30, 0), -1); /* -1.5 -> -1 */
    cr_assert_eq(SR(1, 1 << 30, 0), 1);   /* 0.5 -> 1 */
    cr_assert_eq(SR(-1, 1 << 30, 0), 0);  /* -0.5 -> 0 */
    cr_assert_eq(SR(-6, 1 << 30, -1), -1); /* -1.5 -> -1 */
    cr_assert_eq(SR(-7, 1 << 30, -1), -2); /* -1.75 -> -2 */
    cr_assert_eq(SR(-5, 1 << 30, -1), -1); /* -1.25 -> -1 */
}

Test(rounding, single_and_double_differ_where_double_rounds_twice)
{
    /* 1 * 0.25: SINGLE 0; DOUBLE: SRDHM gives 0.5 -> 1, then 1 / 2 = 0.5 -> away -> 1. */
    cr_assert_eq(SR(1, 1 << 30, -1), 0);
    cr_assert_eq(DR(1, 1 << 30, -1), 1);
    /* -6 * 0.25 = -1.5: SINGLE -1 (half up); DOUBLE -3 / 2 = -1.5 -> away -> -2. */
    cr_assert_eq(SR(-6, 1 << 30, -1), -1);
    cr_assert_eq(DR(-6, 1 << 30, -1), -2);
    /* agreeing away from ties */
    cr_assert_eq(SR(1000, 1 << 30, -3), 63); /* 62.5 -> 63 */
    cr_assert_eq(DR(1000, 1 << 30, -3), 63);
}

Test(rounding, single_handles_the_extreme_shifts)
{
    /* shift -31: x * 2^30 / 2^62 = x / 2^32 */
    cr_assert_eq(SR(INT32_MIN, 1 << 30, -31), 0); /* -0.5 -> 0 */
    cr_assert_eq(SR(INT32_MAX, INT32_MAX, -31), 1); /* (2^62 - 2^32 + 1) / 2^62 */
    cr_assert_eq(SR(INT32_MIN, INT32_MAX, -31), -1); /* -1 + 2^-31 */
    /* shift -30: x / 2^31 */
    cr_assert_eq(SR(INT32_MIN, 1 << 30, -30), -1);
    cr_assert_eq(SR(3 << 29, 1 << 30, -30), 1);  /* 0.75 */
    cr_assert_eq(SR(1 << 30, 1 << 30, -30), 1);  /* 0.5 -> 1 */
    cr_assert_eq(SR(-(1 << 30), 1 << 30, -30), 0); /* -0.5 -> 0 */
    /* shift 30: x * 2^29 (total shift 1) */
    cr_assert_eq(SR(3, 1 << 30, 30), 3 << 29);
    cr_assert_eq(SR(-4, 1 << 30, 30), INT32_MIN); /* exactly -2^31, no saturation needed */
    /* odd multiplier at total shift 1: (2^31 - 1) / 2 = 1073741823.5 -> ...824 */
    cr_assert_eq(SR(1, INT32_MAX, 30), 1073741824);
}

Test(rounding, single_saturates_to_int32)
{
    cr_assert_eq(SR(4, 1 << 30, 30), INT32_MAX); /* 2^31 */
    cr_assert_eq(SR(-5, 1 << 30, 30), INT32_MIN);
    cr_assert_eq(SR(INT32_MAX, INT32_MAX, 30), INT32_MAX);
    cr_assert_eq(SR(INT32_MIN, INT32_MAX, 1), INT32_MIN);
    cr_assert_eq(SR(INT32_MIN, INT32_MIN, 0), INT32_MAX); /* (-1) * (-1) = 1.0 * 2^31 */
    cr_assert_eq(SR(INT32_MAX, 1 << 30, 1), INT32_MAX);   /* exactly 2^31 - 1: fits */
}

/* Random (x, multiplier, shift) with x drawn at every magnitude. */
static void random_triple(rng *r, int32_t *x, int32_t *m, int32_t *shift)
{
    int32_t bits = rng_int(r, 0, 31);
    int64_t v = (int64_t)(rng_next(r) & (uint32_t)((UINT64_C(1) << bits) - 1u));
    *x = (int32_t)(rng_int(r, 0, 1) ? -v : v);
    if (rng_int(r, 0, 50) == 0)
        *x = rng_int(r, 0, 1) ? INT32_MIN : INT32_MAX;
    *m = rng_int(r, 0, 40) == 0 ? 0 : (int32_t)((UINT32_C(1) << 30) | (rng_next(r) >> 2));
    *shift = rng_int(r, -31, 30);
}

Test(rounding, single_equals_the_exactly_rounded_product_for_random_triples)
{
    rng r = {20240607u};
    int64_t n_checked_bounds = 0;
    for (int i = 0; i < 200000; i++) {
        int32_t x, m, shift, got, t;
        int64_t p, lo, hi;
        random_triple(&r, &x, &m, &shift);
        got = SR(x, m, shift);
        cr_assert_eq(got, ref_requant(x, m, shift, TSK_ROUND_SINGLE), "x %d m %d shift %d", x, m,
                     shift);
        if (got == INT32_MAX || got == INT32_MIN)
            continue;
        /* the tie rule: got - 1/2 <= x*m / 2^t < got + 1/2, i.e. round half toward +inf */
        t = 31 - shift;
        p = (int64_t)x * m;
        lo = (int64_t)got * ((int64_t)1 << t) - ((int64_t)1 << (t - 1));
        hi = (int64_t)got * ((int64_t)1 << t) + ((int64_t)1 << (t - 1));
        cr_assert(lo <= p && p < hi, "x %d m %d shift %d -> %d", x, m, shift, got);
        n_checked_bounds++;
    }
    cr_assert_gt(n_checked_bounds, 150000);
}

/* floor((x*m + 2^(t-1)) / 2^t) in 64-bit arithmetic, saturated: the formula tsk_mbqm_sr uses
 * for every total shift t, and for t < 32 (its 32-bit path for t >= 32 must agree). */
static int32_t single_64(int32_t x, int32_t m, int32_t shift)
{
    int32_t t = 31 - (shift > 30 ? 30 : shift);
    int64_t p = (int64_t)x * m;

    if (t > 63)
        return 0;
    p = ((p >> (t - 1)) + 1) >> 1;
    return p > INT32_MAX ? INT32_MAX : p < INT32_MIN ? INT32_MIN : (int32_t)p;
}

Test(rounding, single_high_word_path_equals_the_64_bit_formula_for_any_multiplier)
{
    static const int32_t edge[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30), -3, -1, 0, 1, 3,
                                   1 << 30, INT32_MAX - 1, INT32_MAX};
    rng r = {77u};

    for (int shift = -40; shift <= 30; shift++)
        for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
            for (size_t j = 0; j < sizeof edge / sizeof edge[0]; j++)
                cr_assert_eq(SR(edge[i], edge[j], shift), single_64(edge[i], edge[j], shift),
                             "x %d m %d shift %d", edge[i], edge[j], shift);
    for (int i = 0; i < 500000; i++) {
        int32_t x = (int32_t)rng_next(&r) >> rng_int(&r, 0, 31);
        int32_t m = (int32_t)rng_next(&r), shift = rng_int(&r, -33, 30);
        cr_assert_eq(SR(x, m, shift), single_64(x, m, shift), "x %d m %d shift %d", x, m, shift);
    }
}

Test(rounding, single_rounds_constructed_negative_and_positive_ties_up)
{
    rng r = {4242u};
    for (int i = 0; i < 20000; i++) {
        int32_t e = rng_int(&r, 1, 20), shift = 1 - e; /* m = 2^30: x * 2^30 / 2^(31 - shift) */
        int32_t k = rng_int(&r, -(1 << (30 - e)), (1 << (30 - e)) - 1);
        int32_t x = k * (1 << e) + (1 << (e - 1)); /* x / 2^e = k + 1/2 exactly */
        cr_assert_eq(SR(x, 1 << 30, shift), k + 1, "x %d e %d", x, e);
        /* DOUBLE: for e = 1 the tie is met by SRDHM (up), else by RoundingDivideByPOT (away) */
        cr_assert_eq(DR(x, 1 << 30, shift), e == 1 || k >= 0 ? k + 1 : k, "x %d e %d", x, e);
    }
}

Test(rounding, single_and_double_differ_by_at_most_one)
{
    rng r = {777u};
    int n_differ = 0;
    for (int i = 0; i < 200000; i++) {
        int32_t x, m, shift, s, d;
        random_triple(&r, &x, &m, &shift);
        if (shift > 0 && (x >= (INT32_C(1) << (31 - shift)) || x < -(INT32_C(1) << (31 - shift))))
            continue; /* DOUBLE's left shift would wrap (TFLite: undefined) */
        s = SR(x, m, shift);
        d = DR(x, m, shift);
        cr_assert(abs(s - d) <= 1, "x %d m %d shift %d: single %d double %d", x, m, shift, s, d);
        n_differ += s != d;
    }
    cr_assert_gt(n_differ, 0, "the modes never differed: the test cannot tell them apart");
}

/* ---- kernels honour p->rounding ---- */

Test(rounding, conv_depthwise_and_fc_apply_their_rounding_field)
{
    /* one input 1 (zero point 0), weight 1, scale 0.25: SINGLE 0, DOUBLE 1 (see above) */
    tsk_dims one = {1, 1, 1, 1};
    const int8_t in[1] = {1}, f[1] = {1};
    int8_t out[1];
    int32_t mult = 1 << 30, shift = -1;
    tsk_quant q = {&mult, &shift, 1};
    tsk_conv_params cp = {{1, 1}, {0, 0}, {1, 1}, 0, 0, {-128, 127}, TSK_ROUND_SINGLE};
    tsk_dw_conv_params dp = {{1, 1}, {0, 0}, {1, 1}, 1, 0, 0, {-128, 127}, TSK_ROUND_SINGLE};
    tsk_fc_params fp = {0, 0, 0, {-128, 127}, TSK_ROUND_SINGLE};
    tsk_ctx ctx = make_ctx(64);
    for (int mode = 0; mode < 2; mode++) {
        int8_t want = mode == TSK_ROUND_SINGLE ? 0 : 1;
        cp.rounding = dp.rounding = fp.rounding = mode;
        cr_assert_eq(tsk_conv2d_s8(&ctx, &cp, &q, &one, in, &one, f, NULL, &one, out), TSK_OK);
        cr_assert_eq(out[0], want, "conv mode %d", mode);
        cr_assert_eq(tsk_depthwise_conv2d_s8(&ctx, &dp, &q, &one, in, &one, f, NULL, &one, out),
                     TSK_OK);
        cr_assert_eq(out[0], want, "dw mode %d", mode);
        cr_assert_eq(tsk_fully_connected_s8(&ctx, &fp, &q, &one, in, &one, f, NULL, &one, out),
                     TSK_OK);
        cr_assert_eq(out[0], want, "fc mode %d", mode);
    }
    cp.rounding = dp.rounding = fp.rounding = 2;
    memset(out, 0x5a, sizeof out);
    cr_assert_eq(tsk_conv2d_s8(&ctx, &cp, &q, &one, in, &one, f, NULL, &one, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_depthwise_conv2d_s8(&ctx, &dp, &q, &one, in, &one, f, NULL, &one, out),
                 TSK_ERR_ARG);
    cr_assert_eq(tsk_fully_connected_s8(&ctx, &fp, &q, &one, in, &one, f, NULL, &one, out),
                 TSK_ERR_ARG);
    cr_assert_eq(out[0], 0x5a);
    free(ctx.buf);
}

Test(rounding, mean_ties_round_up_in_single_and_away_in_double)
{
    /* channel means of {1,2,3,4} = 2.5 and {-1,-2,-3,-4} = -2.5 */
    tsk_dims id = {1, 2, 2, 2}, od = {1, 1, 1, 2};
    const int8_t in[8] = {1, -1, 2, -2, 3, -3, 4, -4};
    int8_t out[2];
    tsk_mean_params p;
    tsk_ctx ctx = make_ctx(8);
    cr_assert_eq(tsk_mean_prepare_s8(0.1f, 0, 0.1f, 0, 0x6, TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_assert_eq(p.rounding, TSK_ROUND_SINGLE);
    cr_assert_eq(tsk_mean_s8(&ctx, &p, &id, in, &od, out), TSK_OK);
    cr_assert(out[0] == 3 && out[1] == -2, "single: %d %d", out[0], out[1]);
    p.rounding = TSK_ROUND_DOUBLE;
    cr_assert_eq(tsk_mean_s8(&ctx, &p, &id, in, &od, out), TSK_OK);
    cr_assert(out[0] == 3 && out[1] == -3, "double: %d %d", out[0], out[1]);
    p.rounding = -1;
    cr_assert_eq(tsk_mean_s8(&ctx, &p, &id, in, &od, out), TSK_ERR_ARG);
    free(ctx.buf);
}

Test(rounding, mul_and_add_follow_the_mode_at_a_negative_tie)
{
    /* MUL (-6) * 1 with scales 1 * 1 / 4 = 0.25 -> -1.5: SINGLE -1 (half up); DOUBLE: SRDHM
     * gives -3 exactly, then -3 / 2 rounds away from zero to -2. */
    tsk_dims d = {1, 1, 1, 1};
    const int8_t a[1] = {-6}, b[1] = {1};
    int8_t out[1];
    tsk_mul_params mp;
    tsk_add_params ap;
    cr_assert_eq(tsk_mul_prepare_s8(1.0f, 0, 1.0f, 0, 4.0f, 0, TSK_ACT_NONE, TSK_ROUND_SINGLE,
                                    &mp), TSK_OK);
    cr_assert(mp.output_multiplier == (1 << 30) && mp.output_shift == -1 &&
              mp.rounding == TSK_ROUND_SINGLE);
    cr_assert_eq(tsk_mul_s8(&mp, &d, a, &d, b, &d, out), TSK_OK);
    cr_assert_eq(out[0], -1);
    mp.rounding = TSK_ROUND_DOUBLE;
    cr_assert_eq(tsk_mul_s8(&mp, &d, a, &d, b, &d, out), TSK_OK);
    cr_assert_eq(out[0], -2);
    mp.rounding = 5;
    cr_assert_eq(tsk_mul_s8(&mp, &d, a, &d, b, &d, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_add_prepare_s8(1.0f, 0, 1.0f, 0, 1.0f, 0, TSK_ACT_NONE, TSK_ROUND_DOUBLE,
                                    &ap), TSK_OK);
    cr_assert_eq(ap.rounding, TSK_ROUND_DOUBLE);
    ap.rounding = 2;
    cr_assert_eq(tsk_add_s8(&ap, &d, a, &d, b, &d, out), TSK_ERR_ARG);
}

Test(rounding, softmax_prepare_caps_the_multiplier_as_tflite_does_per_mode)
{
    tsk_softmax_params p;
    /* beta * scale * 2^26 = 2^31: SINGLE caps at 2^30 - 1 -> (2^31 - 2, 30), radius
     * floor(31 * 2^26 / 2^30) = 1; DOUBLE caps at 2^31 - 1, which needs shift 31: rejected. */
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 32.0f, TSK_ROUND_SINGLE, &p), TSK_OK);
    cr_assert(p.input_multiplier == 2147483646 && p.input_left_shift == 30, "%d %d",
              p.input_multiplier, p.input_left_shift);
    cr_assert_eq(p.diff_min, -1);
    cr_assert_eq(p.rounding, TSK_ROUND_SINGLE);
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 32.0f, TSK_ROUND_DOUBLE, &p), TSK_ERR_ARG);
    /* below the caps both modes prepare the same numbers */
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 0.0625f, TSK_ROUND_DOUBLE, &p), TSK_OK);
    cr_assert(p.input_multiplier == (1 << 30) && p.input_left_shift == 23 &&
              p.rounding == TSK_ROUND_DOUBLE);
}

Test(rounding, softmax_and_logistic_reject_an_unknown_mode)
{
    tsk_dims d = {1, 1, 1, 2};
    const int8_t in[2] = {3, -3};
    int8_t out[2] = {0x5a, 0x5a};
    tsk_softmax_params sp;
    tsk_logistic_params lp;
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 0.1f, (tsk_rounding)3, &sp), TSK_ERR_ARG);
    cr_assert_eq(tsk_logistic_prepare_s8(0.1f, 0, (tsk_rounding)3, &lp), TSK_ERR_ARG);
    cr_assert_eq(tsk_softmax_prepare_s8(1.0f, 0.1f, TSK_ROUND_SINGLE, &sp), TSK_OK);
    cr_assert_eq(tsk_logistic_prepare_s8(0.1f, 0, TSK_ROUND_SINGLE, &lp), TSK_OK);
    cr_assert_eq(lp.rounding, TSK_ROUND_SINGLE);
    sp.rounding = lp.rounding = 3;
    cr_assert_eq(tsk_softmax_s8(&sp, &d, in, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_logistic_s8(&lp, 2, in, out), TSK_ERR_ARG);
    cr_assert(out[0] == 0x5a && out[1] == 0x5a);
}
