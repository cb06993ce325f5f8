/* tests/unit/kernels/test_lstm_s8.c: UNIDIRECTIONAL_SEQUENCE_LSTM int8 (lstm_s8.c, TFLite's
 * 8x8_16 integer LSTM) against a double-precision LSTM written here from the textbook
 * equations on the dequantized weights, input, biases and states: step by step (time 1, 24
 * invocations, the states carried by the kernel), the reference starts every step from the
 * kernel's own int8 hidden and int16 cell state, so what is compared is one step's arithmetic:
 * the new hidden value within 1 LSB of the output (0.5 of rounding plus the Q3.12 gates and
 * the 16-bit sigmoid/tanh, ~1e-3 of a unit of 1/128) and the new cell within 2 LSB of 2^-11
 * (rounding of f*c and i*g). A wrong gate order, zero point, multiplier or shift is off by many
 * LSB. Also: the layouts agree bit for bit, the cell clip binds, the hidden zero point is
 * subtracted as TFLite's kernel does (the golden cases show it), and refused parameters write
 * nothing. The golden cases (tests/data/ops, TFLite itself) hold the kernel bit for bit. */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "kernels/kernels.h"

#define MAX_B 3
#define MAX_T 5
#define MAX_I 6
#define MAX_U 5
#define N_PREP (TSK_LSTM_S8_N_QUANT + 4 * MAX_U)

typedef struct lstm8 {
    tsk_lstm_s8_params p;
    int32_t mult[N_PREP], shift[N_PREP]; /* the scales, then the effective biases */
    tsk_quant q;
    float s_in, s_w[8], s_out;
    int8_t w[8][MAX_U * MAX_I > MAX_U * MAX_U ? MAX_U * MAX_I : MAX_U * MAX_U];
    int32_t bias[4][MAX_U];
    int8_t h[MAX_B * MAX_U];
    int16_t c[MAX_B * MAX_U];
    const void *in[TSK_LSTM_N_INPUTS];
} lstm8;

static uint32_t next(uint32_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 17, *s ^= *s << 5;
    return *s;
}

static int32_t irand(uint32_t *s, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(next(s) % (uint32_t)(hi - lo + 1));
}

/* A random int8 LSTM of b rows, n_in inputs, u units: scales as tinysim gen's, zero points
 * input_zp / state_zp, hidden zero point = state_zp (TFLite's converter writes them alike),
 * prepared as sim/ref prepares it: the scales followed by tsk_lstm_prepare_s8's effective
 * biases (so a test that changes a zero point, a weight or a bias afterwards tests the table). */
static void lstm8_init(lstm8 *m, int32_t b, int32_t n_in, int32_t u, int32_t in_zp,
                       int32_t st_zp, uint32_t seed)
{
    memset(m, 0, sizeof *m);
    m->s_in = 0.03f, m->s_out = 1.0f / 128.0f;
    m->p = (tsk_lstm_s8_params){b, 1, n_in, u, 0, in_zp, st_zp, st_zp, -11, 0, TSK_ROUND_DOUBLE};
    for (int k = 0; k < 8; k++) {
        int32_t n = k < 4 ? n_in : u;
        m->s_w[k] = (float)irand(&seed, 40, 90) / 127.0f / 100.0f;
        for (int32_t i = 0; i < u * n; i++)
            m->w[k][i] = (int8_t)irand(&seed, -127, 127);
        cr_assert_eq(tsk_quantize_multiplier((double)(m->s_w[k] * (k < 4 ? m->s_in : m->s_out)) *
                                                 4096.0,
                                             &m->mult[k], &m->shift[k]),
                     TSK_OK);
        m->in[(k < 4 ? TSK_LSTM_W_INPUT : TSK_LSTM_W_RECURRENT) + k % 4] = m->w[k];
    }
    for (int k = 0; k < 4; k++) {
        for (int32_t i = 0; i < u; i++) /* +-0.3, the forget gate's around +1 */
            m->bias[k][i] = (int32_t)lround((irand(&seed, -300, 300) / 1000.0 + (k == 1)) /
                                            ((double)m->s_in * m->s_w[k]));
        m->in[TSK_LSTM_BIAS + k] = m->bias[k];
    }
    cr_assert_eq(tsk_quantize_multiplier(1.0 / 1073741824.0 / m->s_out, &m->mult[8],
                                         &m->shift[8]),
                 TSK_OK);
    cr_assert_eq(tsk_lstm_prepare_s8(&m->p, m->in, m->mult + TSK_LSTM_S8_Q_BIAS,
                                     m->shift + TSK_LSTM_S8_Q_BIAS),
                 TSK_OK);
    m->q = (tsk_quant){m->mult, m->shift, TSK_LSTM_S8_N_QUANT + 4 * u};
    m->in[TSK_LSTM_OUTPUT_STATE] = m->h;
    m->in[TSK_LSTM_CELL_STATE] = m->c;
}

static double sigmoid_d(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* One step of row r from the kernel's current states, in double: the new h and c. */
static void ref_step(const lstm8 *m, const int8_t *x, int32_t r, double *h, double *c)
{
    int32_t n_in = m->p.input_size, u = m->p.units;

    for (int32_t j = 0; j < u; j++) {
        double g[4];
        for (int k = 0; k < 4; k++) {
            double s = m->bias[k][j] * (double)m->s_in * m->s_w[k];
            for (int32_t i = 0; i < n_in; i++)
                s += (x[i] - m->p.input_zp) * (double)m->s_in * m->w[k][j * n_in + i] *
                     m->s_w[k];
            for (int32_t i = 0; i < u; i++)
                s += (m->h[r * u + i] - m->p.state_zp) * (double)m->s_out *
                     m->w[4 + k][j * u + i] * m->s_w[4 + k];
            g[k] = s;
        }
        c[j] = sigmoid_d(g[1]) * m->c[r * u + j] / 2048.0 + sigmoid_d(g[0]) * tanh(g[2]);
        if (m->p.cell_clip > 0)
            c[j] = fmax(-m->p.cell_clip / 2048.0, fmin(m->p.cell_clip / 2048.0, c[j]));
        h[j] = sigmoid_d(g[3]) * tanh(c[j]);
    }
}

/* 24 single steps over random inputs: every new h within 1 LSB, every new c within 2 LSB of
 * the reference; returns the largest differences seen (h, c) in LSB. */
static void run_steps(lstm8 *m, uint32_t seed, double *max_h, double *max_c)
{
    int32_t b = m->p.batch, u = m->p.units, n_in = m->p.input_size;
    int8_t x[MAX_B * MAX_I], y[MAX_B * MAX_U];
    double h[MAX_U], c[MAX_B][MAX_U], hr[MAX_B][MAX_U];

    *max_h = *max_c = 0.0;
    for (int step = 0; step < 24; step++) {
        for (int32_t i = 0; i < b * n_in; i++)
            x[i] = (int8_t)irand(&seed, -128, 127);
        for (int32_t r = 0; r < b; r++) {
            ref_step(m, x + r * n_in, r, h, c[r]);
            memcpy(hr[r], h, sizeof h);
        }
        m->in[TSK_LSTM_INPUT] = x;
        cr_assert_eq(tsk_lstm_s8(&m->p, &m->q, m->in, y), TSK_OK);
        for (int32_t r = 0; r < b; r++)
            for (int32_t j = 0; j < u; j++) {
                double dh = fabs((y[r * u + j] - m->p.state_zp) - hr[r][j] / m->s_out);
                double dc = fabs(m->c[r * u + j] - c[r][j] * 2048.0);
                if (hr[r][j] / m->s_out > 127.0 - m->p.state_zp)
                    dh = 0.0; /* the int8 range clamps */
                *max_h = fmax(*max_h, dh), *max_c = fmax(*max_c, dc);
                cr_assert_eq(m->h[r * u + j], y[r * u + j], "the output state is the output");
            }
    }
}

Test(lstm_s8, each_step_within_1_lsb_of_a_double_precision_lstm)
{
    static const int32_t shape[3][3] = {{1, 6, 5}, {3, 4, 3}, {2, 1, 1}};
    double mh, mc;

    for (int i = 0; i < 3; i++) {
        lstm8 m;
        lstm8_init(&m, shape[i][0], shape[i][1], shape[i][2], 7 - 5 * i, 0, 11u + (uint32_t)i);
        run_steps(&m, 99u + (uint32_t)i, &mh, &mc);
        cr_expect_leq(mh, 1.0, "case %d: hidden %.3f LSB from the reference", i, mh);
        cr_expect_leq(mc, 2.0, "case %d: cell %.3f LSB from the reference", i, mc);
        cr_expect_gt(mh, 0.0, "case %d: a reference that never differs checks nothing", i);
    }
}

Test(lstm_s8, the_recurrent_zero_point_and_the_cell_clip_are_followed)
{
    lstm8 m;
    double mh, mc;
    int binds = 0;

    lstm8_init(&m, 2, 4, 4, -9, 0, 5u);
    m.p.cell_clip = 600; /* 0.29 */
    run_steps(&m, 7u, &mh, &mc);
    for (int32_t i = 0; i < 8; i++)
        binds += m.c[i] == 600 || m.c[i] == -600;
    cr_expect_leq(mh, 1.0);
    cr_expect_leq(mc, 2.0);
    cr_expect_gt(binds, 0, "the clip never bound");
}

/* TFLite's integer LSTM writes the new hidden value minus the hidden zero point (the golden
 * cases, whose hidden zero points are not 0, match only so): with every other input equal, a
 * hidden zero point of 3 gives outputs 3 below those of zero point 0 unless clamped. */
Test(lstm_s8, the_hidden_zero_point_is_subtracted)
{
    lstm8 a, z;
    int8_t x[6] = {5, -70, 33, 100, -128, 0}, ya[5], yz[5];

    lstm8_init(&a, 1, 6, 5, 2, 0, 3u);
    lstm8_init(&z, 1, 6, 5, 2, 0, 3u);
    a.p.hidden_zp = 3;
    a.in[TSK_LSTM_INPUT] = x, z.in[TSK_LSTM_INPUT] = x;
    cr_assert_eq(tsk_lstm_s8(&a.p, &a.q, a.in, ya), TSK_OK);
    cr_assert_eq(tsk_lstm_s8(&z.p, &z.q, z.in, yz), TSK_OK);
    for (int j = 0; j < 5; j++)
        if (yz[j] > -125)
            cr_expect_eq(ya[j], yz[j] - 3, "unit %d: %d with zero point 3, %d with 0", j, ya[j],
                         yz[j]);
}

Test(lstm_s8, time_major_is_the_same_lstm_transposed)
{
    lstm8 a, t;
    int8_t xb[2 * MAX_T * 4], xt[2 * MAX_T * 4], yb[2 * MAX_T * 3], yt[2 * MAX_T * 3];
    uint32_t seed = 17u;

    lstm8_init(&a, 2, 4, 3, -3, 4, 9u);
    lstm8_init(&t, 2, 4, 3, -3, 4, 9u);
    a.p.time = t.p.time = MAX_T, t.p.time_major = 1;
    for (int32_t i = 0; i < 2 * MAX_T * 4; i++)
        xb[i] = (int8_t)irand(&seed, -128, 127);
    for (int32_t r = 0; r < 2; r++)
        for (int32_t s = 0; s < MAX_T; s++)
            memcpy(xt + (s * 2 + r) * 4, xb + (r * MAX_T + s) * 4, 4);
    a.in[TSK_LSTM_INPUT] = xb, t.in[TSK_LSTM_INPUT] = xt;
    cr_assert_eq(tsk_lstm_s8(&a.p, &a.q, a.in, yb), TSK_OK);
    cr_assert_eq(tsk_lstm_s8(&t.p, &t.q, t.in, yt), TSK_OK);
    for (int32_t r = 0; r < 2; r++)
        for (int32_t s = 0; s < MAX_T; s++)
            cr_expect_eq(memcmp(yt + (s * 2 + r) * 3, yb + (r * MAX_T + s) * 3, 3), 0,
                         "row %d step %d", r, s);
    cr_expect_eq(memcmp(a.c, t.c, sizeof a.c), 0);
    cr_expect_eq(memcmp(a.h, t.h, sizeof a.h), 0);
}

Test(lstm_s8, refused_parameters_and_inputs_write_nothing)
{
    lstm8 m;
    int8_t x[6] = {0}, y[5], peep[5] = {0};
    tsk_lstm_s8_params p;
    tsk_quant q;

    lstm8_init(&m, 1, 6, 5, 0, 0, 1u);
    m.in[TSK_LSTM_INPUT] = x;
    for (int bad = 0; bad < 5; bad++) {
        const void *in[TSK_LSTM_N_INPUTS];
        p = m.p, q = m.q;
        memcpy(in, m.in, sizeof in);
        if (bad == 0)
            p.cell_scale = -8; /* TFLite's integer tanh takes at most 6 integer bits */
        else if (bad == 1)
            q.n = 1;
        else if (bad == 2)
            in[TSK_LSTM_PEEPHOLE] = peep;
        else if (bad == 3)
            in[TSK_LSTM_BIAS + 2] = NULL;
        else
            p.rounding = 7;
        memset(y, 0x5a, sizeof y);
        cr_expect_eq(tsk_lstm_s8(&p, &q, in, y), TSK_ERR_ARG, "case %d accepted", bad);
        for (int j = 0; j < 5; j++)
            cr_expect_eq((uint8_t)y[j], 0x5a, "case %d wrote the output", bad);
    }
}

/* ---- the effective biases folded at prepare (tsk_lstm_prepare_s8, ops-lstmbias) ---- */

/* Each prepared entry against the textbook sums written out here in plain integers: gate k,
 * unit j's input bias b + sum_i (0 - input_zp) * W[j][i], its recurrent sum_i (0 - state_zp) *
 * R[j][i], gate-major after the nine scales; large zero points of both signs, three rows. */
Test(lstm_s8, prepared_effective_biases_are_the_zero_points_times_the_weight_rows)
{
    lstm8 m;

    lstm8_init(&m, 3, 6, 5, -113, 97, 23u);
    for (int k = 0; k < 4; k++)
        for (int32_t j = 0; j < 5; j++) {
            int64_t want_in = m.bias[k][j], want_rec = 0;
            for (int32_t i = 0; i < 6; i++)
                want_in += (int64_t)(0 - -113) * m.w[k][j * 6 + i];
            for (int32_t i = 0; i < 5; i++)
                want_rec += (int64_t)(0 - 97) * m.w[4 + k][j * 5 + i];
            cr_expect_eq(m.mult[TSK_LSTM_S8_Q_BIAS + k * 5 + j], want_in,
                         "gate %d unit %d input", k, j);
            cr_expect_eq(m.shift[TSK_LSTM_S8_Q_BIAS + k * 5 + j], want_rec,
                         "gate %d unit %d recurrent", k, j);
        }
}

/* The kernel with the prepared pair against the double-precision LSTM, with input and state
 * zero points far from 0 (-100 and 29: the goldens' state zero points are within +-5, and the
 * tests above take 0) over three rows and 24 carried steps; the bias tensors are then zeroed,
 * so the outputs can be right only if the step loop takes the biases, and the zero points'
 * row sums, from the table pair. The hidden zero point is -state_zp, so that the subtracted
 * hidden zero point (above) writes h / s_out + state_zp, the state the reference reads. */
Test(lstm_s8, the_prepared_kernel_follows_both_zero_points_within_1_lsb)
{
    static const int32_t zero[4][MAX_U];
    lstm8 m;
    double mh, mc;

    lstm8_init(&m, 3, 6, 5, -100, 29, 31u);
    m.p.hidden_zp = -29;
    memset(m.h, 29, sizeof m.h); /* every row starts at h = 0, as TFLite resets the state */
    for (int k = 0; k < 4; k++)
        m.in[TSK_LSTM_BIAS + k] = zero[k];
    run_steps(&m, 41u, &mh, &mc);
    cr_expect_leq(mh, 1.0, "hidden %.3f LSB from the reference", mh);
    cr_expect_leq(mc, 2.0, "cell %.3f LSB from the reference", mc);
    cr_expect_gt(mh, 0.0, "a reference that never differs checks nothing");
}

Test(lstm_s8, a_table_pair_of_another_length_or_missing_weights_is_refused)
{
    lstm8 m;
    int32_t eff[4 * MAX_U];
    int8_t x[6] = {0}, y[5];

    lstm8_init(&m, 1, 6, 5, 3, -4, 2u);
    m.in[TSK_LSTM_INPUT] = x;
    /* one entry short, and the nine scales alone (the unprepared form, no longer taken) */
    for (int i = 0; i < 2; i++) {
        m.q.n = i == 0 ? TSK_LSTM_S8_N_QUANT + 4 * 5 - 1 : TSK_LSTM_S8_N_QUANT;
        memset(y, 0x5a, sizeof y);
        cr_expect_eq(tsk_lstm_s8(&m.p, &m.q, m.in, y), TSK_ERR_ARG, "%d entries taken", m.q.n);
        cr_expect_eq((uint8_t)y[0], 0x5a, "a refused call wrote the output");
    }
    m.in[TSK_LSTM_W_RECURRENT + 3] = NULL;
    cr_expect_eq(tsk_lstm_prepare_s8(&m.p, m.in, eff, eff), TSK_ERR_ARG);
}
