/* tests/unit/kernels/test_lstm.c: UNIDIRECTIONAL_SEQUENCE_LSTM float32 (lstm_f32.c) against
 * an independent double-precision LSTM written here from the textbook equations (libm's exp
 * and tanh in double), over three invocations with the states carried, batch-major and
 * time-major, with and without the cell clip: every output within 2.5e-7 of it (the witness the
 * golden manifest's LSTM cases name: no TFLite runtime sums in tinysim's order). The bound:
 * outputs lie in (-1, 1), where a float32 ULP is at most 6e-8; each gate is a float sum of up
 * to 13 products plus a bias, sigmoid and tanh are within 2 ULP (kernels/tanh.c), and the
 * float states drift from the double ones over 18 steps: 1.3e-7 observed, 2.5e-7 allowed (a
 * wrong gate, order of gates or clip is off by 1e-3 and more). Also: the
 * two layouts give the same numbers bit for bit, the clip binds, a one-unit case by hand,
 * and refused parameters write nothing. */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "kernels/kernels.h"

#define MAX_B 3
#define MAX_T 6
#define MAX_I 7
#define MAX_U 5

/* One LSTM: weights, biases, states; the float copies the kernel reads. */
typedef struct lstm {
    int32_t b, t, n_in, u;
    float w[4][MAX_U * MAX_I], r[4][MAX_U * MAX_U], bias[4][MAX_U];
    float h[MAX_B * MAX_U], c[MAX_B * MAX_U];
    double hd[MAX_B * MAX_U], cd[MAX_B * MAX_U]; /* the reference's states */
    const void *in[TSK_LSTM_N_INPUTS];
} lstm;

static uint32_t next(uint32_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 17, *s ^= *s << 5;
    return *s;
}

/* Uniform in [-a, a). */
static float uni(uint32_t *s, float a)
{
    return ((float)(next(s) >> 8) / 8388608.0f - 1.0f) * a;
}

static void lstm_init(lstm *m, int32_t b, int32_t t, int32_t n_in, int32_t u, uint32_t seed)
{
    float wa = 1.0f / sqrtf((float)(n_in + u));

    memset(m, 0, sizeof *m);
    m->b = b, m->t = t, m->n_in = n_in, m->u = u;
    for (int k = 0; k < 4; k++) {
        for (int32_t i = 0; i < u * n_in; i++)
            m->w[k][i] = uni(&seed, 2.0f * wa);
        for (int32_t i = 0; i < u * u; i++)
            m->r[k][i] = uni(&seed, 2.0f * wa);
        for (int32_t i = 0; i < u; i++)
            m->bias[k][i] = uni(&seed, 0.5f) + (k == 1 ? 1.0f : 0.0f);
        m->in[TSK_LSTM_W_INPUT + k] = m->w[k];
        m->in[TSK_LSTM_W_RECURRENT + k] = m->r[k];
        m->in[TSK_LSTM_BIAS + k] = m->bias[k];
    }
    m->in[TSK_LSTM_OUTPUT_STATE] = m->h;
    m->in[TSK_LSTM_CELL_STATE] = m->c;
}

static double sigmoid_d(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* The reference: row `row` of x (layout as p) through one step of every unit, in double. */
static void ref_invoke(lstm *m, const tsk_lstm_params *p, const float *x, double *y)
{
    for (int32_t t = 0; t < m->t; t++)
        for (int32_t b = 0; b < m->b; b++) {
            int32_t row = p->time_major ? t * m->b + b : b * m->t + t;
            double hn[MAX_U];
            for (int32_t u = 0; u < m->u; u++) {
                double g[4], c;
                for (int k = 0; k < 4; k++) {
                    g[k] = m->bias[k][u];
                    for (int32_t i = 0; i < m->n_in; i++)
                        g[k] += (double)m->w[k][u * m->n_in + i] * x[row * m->n_in + i];
                    for (int32_t i = 0; i < m->u; i++)
                        g[k] += (double)m->r[k][u * m->u + i] * m->hd[b * m->u + i];
                }
                c = sigmoid_d(g[1]) * m->cd[b * m->u + u] + sigmoid_d(g[0]) * tanh(g[2]);
                if (p->cell_clip > 0.0f)
                    c = fmin(fmax(c, -(double)p->cell_clip), (double)p->cell_clip);
                m->cd[b * m->u + u] = c;
                hn[u] = sigmoid_d(g[3]) * tanh(c);
                y[row * m->u + u] = hn[u];
            }
            memcpy(m->hd + b * m->u, hn, (size_t)m->u * sizeof *hn);
        }
}

/* Three invocations of kernel and reference; returns the largest output difference and,
 * through *clipped, how many cell states ended exactly at the clip. */
static double run_against_reference(int32_t b, int32_t t, int32_t n_in, int32_t u,
                                    int32_t time_major, float clip, uint32_t seed, int *clipped)
{
    static lstm m;
    tsk_lstm_params p = {b, t, n_in, u, time_major, clip};
    float x[MAX_B * MAX_T * MAX_I], y[MAX_B * MAX_T * MAX_U];
    double yd[MAX_B * MAX_T * MAX_U], worst = 0.0;

    lstm_init(&m, b, t, n_in, u, seed);
    m.in[TSK_LSTM_INPUT] = x;
    for (int inv = 0; inv < 3; inv++) {
        for (int32_t i = 0; i < b * t * n_in; i++)
            x[i] = uni(&seed, 2.0f);
        cr_assert_eq(tsk_lstm_f32(&p, m.in, y), TSK_OK);
        ref_invoke(&m, &p, x, yd);
        for (int32_t i = 0; i < b * t * u; i++)
            worst = fmax(worst, fabs((double)y[i] - yd[i]));
    }
    *clipped = 0;
    for (int32_t i = 0; i < b * u; i++)
        *clipped += clip > 0.0f && fabsf(m.c[i]) == clip;
    return worst;
}

#define REF_TOL 2.5e-7

Test(lstm, float_within_2_5e_7_of_a_double_precision_lstm_over_three_invocations)
{
    static const struct {
        int32_t b, t, n_in, u, time_major;
        float clip;
    } cases[] = {{1, 6, 7, 5, 0, 0.0f}, {3, 4, 5, 4, 0, 0.0f}, {2, 5, 3, 5, 1, 0.0f},
                 {3, 6, 7, 5, 1, 0.0f}, {2, 6, 4, 3, 0, 3.0f}};

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int clipped;
        double d = run_against_reference(cases[i].b, cases[i].t, cases[i].n_in, cases[i].u,
                                         cases[i].time_major, cases[i].clip, 11u + (uint32_t)i,
                                         &clipped);
        cr_log_info("case %zu: at most %g from the double-precision LSTM", i, d);
        cr_expect_leq(d, REF_TOL, "case %zu: %g from the double-precision LSTM", i, d);
        cr_expect_gt(d, 0.0, "case %zu: the float kernel cannot equal double exactly", i);
    }
}

Test(lstm, the_cell_clip_binds_and_is_followed_by_the_reference)
{
    int clipped;
    double d = run_against_reference(2, 6, 4, 3, 0, 0.35f, 5u, &clipped);

    cr_expect_leq(d, REF_TOL, "%g from the double-precision LSTM", d);
    cr_expect_gt(clipped, 0, "no cell state reached the clip");
}

Test(lstm, time_major_is_the_same_lstm_transposed)
{
    static lstm a, bm;
    tsk_lstm_params pa = {2, 3, 4, 3, 0, 0.0f}, pb = {2, 3, 4, 3, 1, 0.0f};
    float xa[24], xb[24], ya[18], yb[18];
    uint32_t s = 99;

    lstm_init(&a, 2, 3, 4, 3, 3);
    lstm_init(&bm, 2, 3, 4, 3, 3);
    for (int32_t i = 0; i < 24; i++)
        xa[i] = uni(&s, 2.0f);
    for (int32_t b = 0; b < 2; b++) /* [batch, time] -> [time, batch] */
        for (int32_t t = 0; t < 3; t++)
            memcpy(xb + (t * 2 + b) * 4, xa + (b * 3 + t) * 4, 16);
    a.in[TSK_LSTM_INPUT] = xa, bm.in[TSK_LSTM_INPUT] = xb;
    cr_assert_eq(tsk_lstm_f32(&pa, a.in, ya), TSK_OK);
    cr_assert_eq(tsk_lstm_f32(&pb, bm.in, yb), TSK_OK);
    for (int32_t b = 0; b < 2; b++)
        for (int32_t t = 0; t < 3; t++)
            cr_expect_arr_eq(yb + (t * 2 + b) * 3, ya + (b * 3 + t) * 3, 12, "b %d t %d", b, t);
    cr_expect_arr_eq(a.h, bm.h, sizeof a.h);
    cr_expect_arr_eq(a.c, bm.c, sizeof a.c);
}

/* One unit, one input, zero weights: every gate is its bias, so c1 = sig(bf) c0 + sig(bi)
 * tanh(bc) and h1 = sig(bo) tanh(c1): with biases 0 the gates are 1/2, tanh(0) = 0, so
 * c1 = c0 / 2, h1 = tanh(c0 / 2) / 2; a second step halves c again. */
Test(lstm, one_unit_with_zero_weights_halves_its_cell_state)
{
    static lstm m;
    tsk_lstm_params p = {1, 2, 1, 1, 0, 0.0f};
    float x[2] = {5.0f, -7.0f}, y[2];

    lstm_init(&m, 1, 2, 1, 1, 1);
    for (int k = 0; k < 4; k++)
        m.w[k][0] = 0.0f, m.r[k][0] = 0.0f, m.bias[k][0] = 0.0f;
    m.c[0] = 0.8f, m.h[0] = 0.3f;
    m.in[TSK_LSTM_INPUT] = x;
    cr_assert_eq(tsk_lstm_f32(&p, m.in, y), TSK_OK);
    cr_expect_float_eq(m.c[0], 0.2f, 0.0f);
    cr_expect_float_eq(y[0], (float)(tanh(0.4) / 2.0), 1e-7f);
    cr_expect_float_eq(y[1], (float)(tanh(0.2) / 2.0), 1e-7f);
    cr_expect_eq(m.h[0], y[1], "the output state is the last step's output");
}

Test(lstm, refused_parameters_and_inputs_write_nothing)
{
    static lstm m;
    static const float peep[3] = {1, 2, 3};
    tsk_lstm_params ok = {1, 2, 3, 3, 0, 0.0f}, bad[] = {{0, 2, 3, 3, 0, 0.0f},
                                                         {1, 2, 3, 3, 2, 0.0f},
                                                         {1, 2, 3, 3, 0, -1.0f},
                                                         {1, 2, 3, 0, 0, 0.0f}};
    float x[6] = {0}, y[6], fill[6];

    lstm_init(&m, 1, 2, 3, 3, 7);
    m.in[TSK_LSTM_INPUT] = x;
    memset(y, 0x5a, sizeof y);
    memcpy(fill, y, sizeof y);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(tsk_lstm_f32(&bad[i], m.in, y), TSK_ERR_ARG, "params %zu", i);
    m.in[TSK_LSTM_PEEPHOLE + 1] = peep; /* a peephole: not supported */
    cr_expect_eq(tsk_lstm_f32(&ok, m.in, y), TSK_ERR_ARG);
    m.in[TSK_LSTM_PEEPHOLE + 1] = NULL;
    m.in[TSK_LSTM_W_INPUT] = NULL; /* CIFG: no input gate */
    cr_expect_eq(tsk_lstm_f32(&ok, m.in, y), TSK_ERR_ARG);
    cr_expect_arr_eq(y, fill, sizeof y, "a refused call wrote its output");
    m.in[TSK_LSTM_W_INPUT] = m.w[0];
    cr_expect_eq(tsk_lstm_f32(&ok, m.in, y), TSK_OK);
}
