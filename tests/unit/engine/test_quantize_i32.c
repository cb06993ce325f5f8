/* tests/unit/engine/test_quantize_i32.c: QUANTIZE int32 -> int8 and int32 -> int16, the path
 * TFLite Micro's quantize_common.cc has (Requantize of an int32 input) and desktop TFLite
 * does not, so there is no runtime golden. Instead, on `tinysim gen op:quantize,int32,...`
 * models with inputs over the whole int32 range (the extremes, rounding ties, random words):
 *   - the host executor equals a reference written here, independent of kernels/: the
 *     multiplier of double input scale / double output scale by frexp (TFLite's
 *     QuantizeMultiplier), then TFLite Micro's rounding (--rounding double: gemmlowp's
 *     doubling high multiply rounded half up, then a right shift rounded half away from
 *     zero) or TFLite's single rounding (the exact product rounded half up once), the output
 *     zero point added and the sum clamped, the input zero point subtracted modulo 2^32 as
 *     the compiled TFLite Micro does;
 *   - every unclamped, unwrapped output is within 1 (double rounding) or 1/2 (single) of the
 *     real quotient (x - input zero point) * input scale / output scale in double precision;
 *   - every emulated core gives the host's bytes, in both rounding modes. */
#include <math.h>

#include "engine_test.h"

static const char *const cores[] = {"cortex-m0", "cortex-m0plus", "cortex-m3",
                                    "cortex-m4", "cortex-m7",     "cortex-m33"};

#define N_ELEMS 64

/* The inputs: the extremes, the zero point, values whose real quotients lie nearest to
 * halves (k + 1/2 of the output step: where the two roundings part), and xorshift words over
 * the whole range. */
static void fill_inputs(int32_t *x, int32_t zi, double step)
{
    static const int32_t k[4] = {0, -1, 3, -4};
    uint32_t s = 0x51ED270Bu;

    x[0] = INT32_MIN, x[1] = INT32_MAX, x[2] = 0, x[3] = zi, x[4] = -1, x[5] = 1;
    for (int32_t i = 0; i < 4; i++)
        x[6 + i] = zi + (int32_t)llround((k[i] + 0.5) * step);
    for (int32_t i = 10; i < N_ELEMS; i++)
        x[i] = (int32_t)test_xorshift(&s);
}

/* TFLite's QuantizeMultiplier, in double: q in [0.5, 1) times 2^31, rounded. */
static int32_t ref_multiplier(double ratio, int32_t *shift)
{
    int e = 0;
    long long m = llround(frexp(ratio, &e) * 2147483648.0);

    if (m == 2147483648LL)
        m /= 2, e++;
    *shift = e;
    return (int32_t)m;
}

/* floor(v / 2^e + 1/2), e in 1..62. */
static int64_t round_half_up(int64_t v, int32_t e)
{
    int64_t d = (int64_t)1 << e, q = v / d, r = v % d;

    if (r < 0)
        q -= 1, r += d; /* floor division */
    return q + (2 * r >= d);
}

/* v / 2^e rounded half away from zero. */
static int64_t round_half_away(int64_t v, int32_t e)
{
    return v < 0 ? -round_half_up(-v, e) : round_half_up(v, e);
}

/* The rescaled value of d = x - input zero point (mod 2^32), multiplier m, shift sh <= 0. */
static int64_t ref_rescale(int32_t d, int32_t m, int32_t sh, tsk_rounding rounding)
{
    int64_t p = (int64_t)d * m;

    if (rounding == TSK_ROUND_SINGLE)
        return round_half_up(p, 31 - sh);
    return round_half_away(round_half_up(p, 31), -sh);
}

typedef struct quant_case {
    float si, so;
    int32_t zi, zo;
    int32_t lo, hi;
} quant_case;

static quant_case case_of(const ts_graph *g)
{
    const ts_tensor *in = &g->tensors[g->ops[0].inputs[0]];
    const ts_tensor *out = &g->tensors[g->ops[0].outputs[0]];
    bool i8 = out->dtype == TS_DT_INT8;

    cr_assert_eq(in->dtype, TS_DT_INT32);
    return (quant_case){in->quant.scale[0], out->quant.scale[0], in->quant.zero_point[0],
                        out->quant.zero_point[0], i8 ? -128 : -32768, i8 ? 127 : 32767};
}

/* Element i of the host output (int8 or int16) against the reference. */
static void expect_reference(const quant_case *q, const int32_t *x, const void *out, bool i8,
                             tsk_rounding rounding)
{
    int32_t sh = 0, m = ref_multiplier((double)q->si / (double)q->so, &sh);

    cr_assert_lt(sh, 0, "the gen's scales give a quotient below 1/2");
    for (int32_t i = 0; i < N_ELEMS; i++) {
        int32_t d = (int32_t)((uint32_t)x[i] - (uint32_t)q->zi);
        int64_t v = ref_rescale(d, m, sh, rounding) + q->zo;
        int32_t want = (int32_t)(v < q->lo ? q->lo : v > q->hi ? q->hi : v);
        int32_t got = i8 ? ((const int8_t *)out)[i] : ((const int16_t *)out)[i];
        double real = ((double)x[i] - q->zi) * (double)q->si / (double)q->so + q->zo;

        cr_assert_eq(got, want, "element %d (x %d, rounding %d): got %d, reference %d", i, x[i],
                     (int)rounding, got, want);
        if ((int64_t)d == (int64_t)x[i] - q->zi && want > q->lo && want < q->hi)
            cr_assert_leq(fabs(got - real), rounding == TSK_ROUND_SINGLE ? 0.5 + 1e-6 : 1.0,
                          "element %d (x %d): %d vs real %.6f", i, x[i], got, real);
    }
}

/* Host run against the reference, then every core against the host. */
static void check_spec(const char *spec, tsk_rounding rounding)
{
    ts_gen *gen = gen_model(spec);
    const ts_graph *g = ts_gen_graph(gen);
    quant_case q = case_of(g);
    ts_ref_opts ro = {rounding, TS_KERNELS_REF};
    int32_t x[N_ELEMS];
    ts_ref *r = NULL;
    size_t n = 0;
    ts_err err;

    fill_inputs(x, q.zi, (double)q.so / (double)q.si);
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph_opts(g, spec, &ro, &r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_set_input(r, 0, x, sizeof x, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    expect_reference(&q, x, ts_ref_output(r, 0, &n), q.hi == 127, rounding);
    cr_assert_eq(n, (size_t)N_ELEMS * (q.hi == 127 ? 1u : 2u));
    for (size_t c = 0; c < sizeof cores / sizeof cores[0]; c++) {
        ts_engine_opts eo;
        ts_engine *e = NULL;
        ts_target t;

        memset(&eo, 0, sizeof eo);
        eo.rounding = rounding;
        load_target_named(cores[c], &t);
        need_firmware(&t);
        cr_assert_eq(ts_engine_open(&t, g, spec, &eo, &e, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_engine_set_input(e, 0, x, sizeof x, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_engine_run(e, &err), TS_OK, "%s", err.msg);
        expect_same_outputs(e, r, spec, &t, 0);
        ts_engine_close(e);
        ts_target_free(&t);
    }
    ts_ref_free(r);
    ts_gen_free(gen);
}

Test(quantize_i32, int32_to_int8_matches_the_reference_and_every_core_matches_the_host)
{
    check_spec("op:quantize,int32,64,to=8", TSK_ROUND_DOUBLE);
    check_spec("op:quantize,int32,4x16,to=8", TSK_ROUND_SINGLE);
}

Test(quantize_i32, int32_to_int16_matches_the_reference_and_every_core_matches_the_host)
{
    check_spec("op:quantize,int32,8x8,to=16", TSK_ROUND_DOUBLE);
    check_spec("op:quantize,int32,2x32,to=16", TSK_ROUND_SINGLE);
}

/* What TFLite Micro refuses stays refused: int32 to int32 and int32 to float32. */
Test(quantize_i32, int32_to_int32_is_refused_by_gen_with_one_line)
{
    ts_gen *g = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build("op:quantize,int32,4,to=32", 1, &g, &err), TS_ERR_RANGE);
    cr_assert(strstr(err.msg, "from float32 or int32 to=8|16") != NULL, "%s", err.msg);
    cr_assert_null(g);
    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build("op:dequantize,int32,4", 1, &g, &err), TS_ERR_CONFIG, "%s",
                 err.msg);
}
