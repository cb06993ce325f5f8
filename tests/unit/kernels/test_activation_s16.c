/* tests/unit/kernels/test_activation_s16.c: int16 (16x8) SOFTMAX (softmax_s16.c), LOGISTIC and
 * TANH (activation_s16.c: every input near the double function, symmetric, on both of
 * TFLite's paths; which scale takes which; the sigmoid table against its formula), and SOFTMAX's
 * prepare-time tables (quant_prepare.c): the tables against an independent long-double
 * evaluation of TFLite's gen_lut formula, with every libm-dependent value before rounding at
 * least 1e-4 LSB from a rounding boundary (so no host libm, nor TFLite's, can change a bit);
 * the multiplier; random rows near float softmax (within 64 LSB: TFLite's algorithm
 * interpolates Q0.15 tables, 47 LSB seen; the golden tests pin it bit for bit); uniform rows;
 * in-place use; refusals. */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"
#include "kernels/kernels_int.h"

/* Distance of v from the nearest half-integer (round()'s boundary). */
static long double to_half(long double v)
{
    long double f = v - floorl(v);
    return fabsl(f - 0.5L);
}

/* gen_lut for f = exp over [-10, 0] (exp_lut) or 1/(1+x) over [0, 1], in long double; the
 * smallest margin of its libm-dependent intermediate values from their rounding boundaries,
 * in LSB (the sample and the midpoint are rounded, the next sample enters an average of two
 * that is rounded, i.e. matters at integers, with half its distance). */
static long double lut_ld(int use_exp, int32_t *lut)
{
    const long double lo = use_exp ? -10.0L : 0.0L, hi = use_exp ? 0.0L : 1.0L;
    const long double step = (hi - lo) / 512.0L, q = 32768.0L;
    long double margin = 1.0L;

    for (int i = 0; i <= 512; i++) {
        long double x = lo + i * step, xn = lo + (i + 1) * step, xm = x + step / 2.0L;
        long double v = (use_exp ? expl(x) : 1.0L / (1.0L + x)) * q;
        long double vn = (use_exp ? expl(xn) : 1.0L / (1.0L + xn)) * q;
        long double vm = (use_exp ? expl(xm) : 1.0L / (1.0L + xm)) * q;
        long double sample = roundl(v), interp = roundl((vn + sample) / 2.0L);
        long double bias = roundl((interp - roundl(vm)) / 2.0L);
        int exact = !use_exp || x == 0.0L; /* division is correctly rounded; exp(0) = 1 */
        if (!exact) {
            margin = fminl(margin, to_half(v));
            if (i < 512) {
                margin = fminl(margin, to_half(vm));
                if (xn != 0.0L)
                    margin = fminl(margin, fabsl(vn - roundl(vn)) / 2.0L);
            }
        }
        lut[i] = (int32_t)fminl(fmaxl(i < 512 ? sample - bias : sample, -32768.0L), 32767.0L);
    }
    return margin;
}

Test(softmax_s16, tables_match_long_double_gen_lut_far_from_every_rounding_boundary)
{
    int32_t exp_lut[TSK_SOFTMAX_S16_LUT], recip_lut[TSK_SOFTMAX_S16_LUT];
    int32_t want_exp[TSK_SOFTMAX_S16_LUT], want_recip[TSK_SOFTMAX_S16_LUT];
    tsk_softmax_params p;
    long double margin = lut_ld(1, want_exp);

    lut_ld(0, want_recip);
    cr_assert_eq(tsk_softmax_prepare_s16(1.0f, 1.0f / 4096, TSK_ROUND_SINGLE, &p, exp_lut,
                                         recip_lut), TSK_OK);
    /* The closest is the midpoint of entry 75, 6.50009689 LSB: 9.7e-5 LSB from a boundary,
     * where a double exp within 1 ULP (glibc's, musl's under TFLite's WebAssembly) errs by
     * less than 1e-14 LSB. */
    cr_assert(margin >= 5e-5L, "an exp table value lies %Lg LSB from a rounding boundary",
              margin);
    cr_log_info("exp table: every libm-dependent value >= %Lg LSB from a boundary", margin);
    for (int i = 0; i < TSK_SOFTMAX_S16_LUT; i++) {
        cr_assert_eq(exp_lut[i], want_exp[i], "exp table entry %d", i);
        cr_assert_eq(recip_lut[i], want_recip[i], "1/(1+x) table entry %d", i);
    }
    cr_assert_eq(exp_lut[512], 32767);   /* exp(0) * 32768, clamped */
    cr_assert_eq(recip_lut[0], 32767);   /* 1 / (1 + 0) */
    cr_assert_eq(recip_lut[512], 16384); /* 1 / 2 */
}

/* beta * scale / (10 / 65535): 2^-12 * 6553.5 = 1.59997... = 0.7999 * 2^1 */
Test(softmax_s16, prepare_folds_beta_and_scale_into_one_multiplier)
{
    int32_t a[TSK_SOFTMAX_S16_LUT], b[TSK_SOFTMAX_S16_LUT];
    tsk_softmax_params p;
    double want = 6553.5 / 4096.0 / 2.0 * 2147483648.0;

    cr_assert_eq(tsk_softmax_prepare_s16(1.0f, 1.0f / 4096, TSK_ROUND_DOUBLE, &p, a, b), TSK_OK);
    cr_assert(p.input_left_shift == 1 && p.input_multiplier == (int32_t)llround(want));
    cr_assert(p.diff_min == 0 && p.rounding == TSK_ROUND_DOUBLE);
    cr_assert_eq(tsk_softmax_prepare_s16(2.0f, 1.0f / 8192, TSK_ROUND_DOUBLE, &p, a, b), TSK_OK);
    cr_assert(p.input_left_shift == 1 && p.input_multiplier == (int32_t)llround(want));
    cr_assert_eq(tsk_softmax_prepare_s16(0.0f, 1.0f, TSK_ROUND_DOUBLE, &p, a, b), TSK_ERR_ARG);
    cr_assert_eq(tsk_softmax_prepare_s16(1.0f, 1.0f, TSK_ROUND_DOUBLE, &p, NULL, b),
                 TSK_ERR_ARG);
}

static void prepared(float beta, float scale, tsk_softmax_params *p, int32_t *e, int32_t *r,
                     tsk_quant *q)
{
    cr_assert_eq(tsk_softmax_prepare_s16(beta, scale, TSK_ROUND_SINGLE, p, e, r), TSK_OK);
    *q = (tsk_quant){e, r, TSK_SOFTMAX_S16_LUT};
}

Test(softmax_s16, random_rows_are_within_64_lsb_of_float_softmax)
{
    static int32_t e[TSK_SOFTMAX_S16_LUT], rc[TSK_SOFTMAX_S16_LUT];
    rng r = {4242u};
    int32_t worst = 0;

    for (int t = 0; t < 200; t++) {
        int32_t n = rng_int(&r, 1, 200);
        tsk_dims d = {1, 1, 1, n};
        float scale = ldexpf(1.0f, rng_int(&r, -15, -11)), beta = (float)rng_real(&r, 0.5, 2.0);
        int16_t in[200], out[200];
        double max = -1e300, sum = 0.0, want[200];
        tsk_softmax_params p;
        tsk_quant q;

        prepared(beta, scale, &p, e, rc, &q);
        for (int i = 0; i < n; i++) {
            in[i] = (int16_t)rng_int(&r, -32768, 32767);
            max = fmax(max, in[i]);
        }
        for (int i = 0; i < n; i++)
            sum += want[i] = exp((double)beta * scale * (in[i] - max));
        cr_assert_eq(tsk_softmax_s16(&p, &q, &d, in, out), TSK_OK);
        for (int i = 0; i < n; i++) {
            int32_t diff = abs(out[i] - (int32_t)lround(want[i] / sum * 32768.0 > 32767.0 ?
                                                        32767.0 : want[i] / sum * 32768.0));
            worst = diff > worst ? diff : worst;
            cr_assert(diff <= 64, "row %d (n %d) element %d: %d, float softmax %g", t, n, i,
                      out[i], want[i] / sum * 32768.0);
        }
    }
    cr_log_info("int16 softmax: at most %d LSB from float softmax", worst);
}

Test(softmax_s16, uniform_rows_split_evenly_and_run_in_place)
{
    static int32_t e[TSK_SOFTMAX_S16_LUT], rc[TSK_SOFTMAX_S16_LUT];
    tsk_softmax_params p;
    tsk_quant q;
    tsk_dims d = {1, 1, 2, 4};
    int16_t buf[8] = {100, 100, 100, 100, -5, -5, -5, -5}, out[8];

    prepared(1.0f, 1.0f / 4096, &p, e, rc, &q);
    cr_assert_eq(tsk_softmax_s16(&p, &q, &d, buf, out), TSK_OK);
    for (int i = 0; i < 8; i++)
        cr_assert(abs(out[i] - 8192) <= 2, "element %d: %d (expected about 32768 / 4)", i, out[i]);
    cr_assert_eq(tsk_softmax_s16(&p, &q, &d, buf, buf), TSK_OK); /* in place */
    cr_assert(memcmp(buf, out, sizeof out) == 0);
    q.n = 512;
    cr_assert_eq(tsk_softmax_s16(&p, &q, &d, buf, out), TSK_ERR_ARG);
    q.n = TSK_SOFTMAX_S16_LUT;
    p.input_left_shift = 31;
    cr_assert_eq(tsk_softmax_s16(&p, &q, &d, buf, out), TSK_ERR_ARG);
}

/* ---- LOGISTIC, TANH int16 (activation_s16.c) ---- */

Test(activation_s16, prepare_picks_gemmlowp_for_tflites_power_of_two_scales_else_the_table)
{
    tsk_logistic_params p;

    cr_assert_eq(tsk_logistic_prepare_s16(1.0f / 4096, 0, &p), TSK_OK);
    cr_assert(p.input_left_shift == 0 && p.input_multiplier == 0 && p.input_zero_point == 0);
    cr_assert_eq(tsk_logistic_prepare_s16(1.0f / 2048, 1, &p), TSK_OK);
    cr_assert(p.input_left_shift == 1 && p.input_multiplier == 0);
    cr_assert_eq(tsk_logistic_prepare_s16(1.0005f / 4096, 0, &p), TSK_OK); /* log2 within 1e-3 */
    cr_assert_eq(p.input_multiplier, 0);
    /* table path: scale * 12288 doubled past 16383.5, truncated (worked by hand) */
    cr_assert_eq(tsk_logistic_prepare_s16(1.0f / 2048, 0, &p), TSK_OK); /* 6 * 2^12 */
    cr_assert(p.input_multiplier == 24576 && p.input_left_shift == 12);
    cr_assert_eq(tsk_logistic_prepare_s16(1.0f / 8192, 1, &p), TSK_OK); /* 1.5 * 2^14 */
    cr_assert(p.input_multiplier == 24576 && p.input_left_shift == 14);
    cr_assert_eq(tsk_logistic_prepare_s16(3.0e-4f, 1, &p), TSK_OK); /* 3.6864 * 2^13 */
    cr_assert(p.input_multiplier == 30198 && p.input_left_shift == 13);
    cr_assert_eq(tsk_logistic_prepare_s16(2.0f, 0, &p), TSK_OK); /* 24576, no doubling */
    cr_assert(p.input_multiplier == 24576 && p.input_left_shift == 0);
    cr_assert_eq(tsk_logistic_prepare_s16(5.3f, 0, &p), TSK_OK); /* 65126.4 */
    cr_assert(p.input_multiplier == 65126 && p.input_left_shift == 0);
    /* in * multiplier would overflow int32; a multiplier truncated to 0 */
    cr_assert_eq(tsk_logistic_prepare_s16(5.4f, 0, &p), TSK_ERR_UNSUPPORTED);
    cr_assert_eq(tsk_logistic_prepare_s16(1e-14f, 1, &p), TSK_ERR_UNSUPPORTED);
    cr_assert_eq(tsk_logistic_prepare_s16(0.0f, 1, &p), TSK_ERR_ARG);
    cr_assert_eq(tsk_logistic_prepare_s16(INFINITY, 1, &p), TSK_ERR_ARG);
}

/* The table against its formula (scripts/gen_sigmoid_table.py) evaluated in long double:
 * knot i = sigmoid(i/24) plus half the sag of the chord to knot i + 1 at its middle, in
 * Q0.16, rounded; the last knot 65535. Every value is checked to lie at least 1e-3 LSB from
 * a rounding boundary, so no libm's exp could round it otherwise. Bit-exactness with TFLite
 * is the op goldens' job (one knot changed by 1 fails them). */
Test(activation_s16, sigmoid_table_is_its_formula_far_from_every_rounding_boundary)
{
    long double margin = 1.0L;

    for (int i = 0; i < TSK_SIGMOID_TABLE_KNOTS - 1; i++) {
        long double x = i / 24.0L, h = 1.0L / 24.0L;
        long double s = 1.0L / (1.0L + expl(-x)), sn = 1.0L / (1.0L + expl(-(x + h)));
        long double sm = 1.0L / (1.0L + expl(-(x + h / 2.0L)));
        long double v = 65536.0L * (s + (sm - (s + sn) / 2.0L) / 2.0L);

        if (i > 0)
            margin = fminl(margin, to_half(v));
        cr_assert_eq(tsk_sigmoid_table_u16[i], (uint16_t)floorl(v + 0.5L), "knot %d: %u, formula "
                     "%.4Lf", i, tsk_sigmoid_table_u16[i], v);
        cr_assert(tsk_sigmoid_table_u16[i] <= tsk_sigmoid_table_u16[i + 1] &&
                  (tsk_sigmoid_table_u16[i] < tsk_sigmoid_table_u16[i + 1] || i > 150),
                  "knot %d not increasing", i);
    }
    cr_assert_eq(tsk_sigmoid_table_u16[TSK_SIGMOID_TABLE_KNOTS - 1], 65535);
    cr_assert(margin >= 1e-3L, "a knot lies %Lg LSB from a rounding boundary", margin);
    cr_log_info("sigmoid table: every knot >= %Lg LSB from a rounding boundary", margin);
}

/* The table path, every int16 input at one input scale: within `tol` LSB of the double
 * function at the input's real value; monotonic (the interpolation of an increasing table);
 * with `sym` (no rounding in the rescale: shift 0), logistic(-x) = 32768 - logistic(x) and
 * tanh odd, the reflections TFLite's offsets build in. */
static void check_table_path(int is_tanh, float scale, int32_t tol, int sym)
{
    static int16_t in[65536], out[65536];
    tsk_logistic_params p;
    int32_t worst = 0;

    cr_assert_eq(tsk_logistic_prepare_s16(scale, is_tanh, &p), TSK_OK);
    cr_assert_neq(p.input_multiplier, 0, "scale %g takes the gemmlowp path", (double)scale);
    cr_assert_eq(sym, p.input_left_shift == 0);
    for (int32_t i = 0; i < 65536; i++)
        in[i] = (int16_t)(i - 32768);
    cr_assert_eq(is_tanh ? tsk_tanh_s16(&p, 65536, in, out) : tsk_logistic_s16(&p, 65536, in, out),
                 TSK_OK);
    for (int32_t i = 0; i < 65536; i++) {
        double x = (double)in[i] * scale;
        double want = (is_tanh ? tanh(x) : 1.0 / (1.0 + exp(-x))) * 32768.0;
        int32_t d = abs(out[i] - (int32_t)lround(fmin(want, 32767.0)));
        worst = d > worst ? d : worst;
        cr_assert(d <= tol, "%s x %d (scale %g): %d, expected about %.2f",
                  is_tanh ? "tanh" : "logistic", in[i], (double)scale, out[i], want);
        cr_assert(i == 0 || out[i] >= out[i - 1], "not monotonic at %d", in[i]);
        if (sym && i > 0 && in[i] != 0)
            cr_assert_eq(out[65536 - i], is_tanh ? -out[i] : 32768 - out[i], "symmetry at %d",
                         in[i]);
    }
    cr_log_info("%s int16 table path (input scale %g): at most %d LSB from double",
                is_tanh ? "tanh" : "logistic", (double)scale, worst);
}

Test(activation_s16, logistic_table_path_every_input_near_double_monotonic_and_symmetric)
{
    check_table_path(0, 14.0f / 32768, 1, 0); /* a seeded generator scale */
    check_table_path(0, 1.0f / 1024, 1, 0);
    check_table_path(0, 2.0f, 1, 1);
}

Test(activation_s16, tanh_table_path_every_input_near_double_monotonic_and_odd)
{
    check_table_path(1, 14.0f / 32768, 2, 0);
    check_table_path(1, 1.0f / 8192, 2, 0);
    check_table_path(1, 2.0f, 2, 1);
}

/* Every int16 input: within `tol` LSB of the double function (gemmlowp's int16 evaluation
 * is that coarse, and not even monotonic: TFLite's outputs, which the goldens pin bit for bit,
 * are the same), and the symmetry gemmlowp builds in (logistic(-x) = 1 - logistic(x) with
 * One() = 32767; tanh odd). */
static void check_all_inputs(int is_tanh, int32_t shift, int32_t tol)
{
    static int16_t in[65536], out[65536];
    tsk_logistic_params p;
    int32_t worst = 0;

    cr_assert_eq(tsk_logistic_prepare_s16(ldexpf(1.0f, shift - 12), is_tanh, &p), TSK_OK);
    for (int32_t i = 0; i < 65536; i++)
        in[i] = (int16_t)(i - 32768);
    cr_assert_eq(is_tanh ? tsk_tanh_s16(&p, 65536, in, out) : tsk_logistic_s16(&p, 65536, in, out),
                 TSK_OK);
    for (int32_t i = 0; i < 65536; i++) {
        double x = ldexp((double)in[i], shift - 12);
        double want = (is_tanh ? tanh(x) : 1.0 / (1.0 + exp(-x))) * 32768.0;
        int32_t d = abs(out[i] - (int32_t)lround(fmin(want, 32767.0)));
        worst = d > worst ? d : worst;
        cr_assert(d <= tol, "%s x %d: %d, expected about %.2f", is_tanh ? "tanh" : "logistic",
                  in[i], out[i], want);
        if (i > 0 && in[i] != 0)
            cr_assert_eq(out[65536 - i], is_tanh ? -out[i] : 32767 - out[i], "symmetry at %d",
                         in[i]);
    }
    cr_log_info("%s int16 (input scale 2^%d): at most %d LSB from double", is_tanh ? "tanh" :
                "logistic", shift - 12, worst);
}

Test(activation_s16, logistic_every_input_within_6_lsb_of_double_and_symmetric)
{
    check_all_inputs(0, 0, 6);
}

Test(activation_s16, tanh_every_input_within_12_lsb_of_double_and_odd_at_both_scales)
{
    check_all_inputs(1, 0, 12);
    check_all_inputs(1, 1, 12);
}

Test(activation_s16, zero_maps_to_one_half_and_zero_and_bad_params_are_refused)
{
    tsk_logistic_params p;
    int16_t x = 0, y = -1;

    cr_assert_eq(tsk_logistic_prepare_s16(1.0f / 4096, 1, &p), TSK_OK);
    cr_assert(tsk_logistic_s16(&p, 1, &x, &y) == TSK_OK && y == 16384);
    cr_assert(tsk_tanh_s16(&p, 1, &x, &y) == TSK_OK && y == 0);
    cr_assert_eq(tsk_logistic_prepare_s16(1e-3f, 1, &p), TSK_OK); /* table path */
    cr_assert(tsk_logistic_s16(&p, 1, &x, &y) == TSK_OK && y == 16384);
    cr_assert(tsk_tanh_s16(&p, 1, &x, &y) == TSK_OK && y == 0);
    p.input_multiplier = 65536; /* in * multiplier could overflow int32 */
    cr_assert_eq(tsk_tanh_s16(&p, 1, &x, &y), TSK_ERR_ARG);
    p.input_multiplier = 30000;
    p.input_left_shift = 32;
    cr_assert_eq(tsk_logistic_s16(&p, 1, &x, &y), TSK_ERR_ARG);
    p.input_multiplier = 65535; /* shift 31: 32767 * 65535 + 2^30 overflows int32 (UBSan) */
    p.input_left_shift = 31;
    cr_assert_eq(tsk_logistic_s16(&p, 1, &x, &y), TSK_ERR_ARG);
    p.input_multiplier = 32768; /* refused with any shift: above what the prepare makes (its
                                   doubling stops past 2^14 - 1/2), a conservative bound */
    cr_assert_eq(tsk_logistic_s16(&p, 1, &x, &y), TSK_ERR_ARG);
    p.input_multiplier = 32767; /* the largest the prepare makes with a shift: runs */
    p.input_left_shift = 20;
    x = 32767;
    cr_assert(tsk_logistic_s16(&p, 1, &x, &y) == TSK_OK && y > 16384);
    x = 0;
    p.input_multiplier = 0;
    p.input_left_shift = 1; /* gemmlowp path: LOGISTIC takes shift 0 only, TANH 0 and 1 */
    cr_assert_eq(tsk_logistic_s16(&p, 1, &x, &y), TSK_ERR_ARG);
    cr_assert_eq(tsk_tanh_s16(&p, 1, &x, &y), TSK_OK);
    p.input_left_shift = 2;
    cr_assert_eq(tsk_tanh_s16(&p, 1, &x, &y), TSK_ERR_ARG);
    p.input_left_shift = 0;
    p.input_zero_point = 3;
    cr_assert_eq(tsk_logistic_s16(&p, 1, &x, &y), TSK_ERR_ARG);
}
