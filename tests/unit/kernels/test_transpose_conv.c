/* tests/unit/kernels/test_transpose_conv.c: TRANSPOSE_CONV (transpose_conv.c): hand-derived
 * cases (a stride-2 2x2 filter spreads each input pixel into its own 2x2 block; SAME padding
 * crops the overlapping sums; zero points, bias, per-channel scales and the clamp), argument
 * checks that leave the output untouched, and random shapes against a naive loop written from
 * TFLite's reference kernel (the product (x + offset) * w accumulated per output element; the
 * float sums bit for bit in the reference's order; the 16x8 kernel's int64 sums); the
 * DSP-extension variant byte for byte against the plain kernel. */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"
#include "kernels/kernels_int.h"

#define ONE_M (1 << 30) /* multiplier 2^30 with shift 1: a real scale of exactly 1.0 */

static tsk_status run_s8(const tsk_conv_params *p, const tsk_quant *q, tsk_dims id,
                         const int8_t *in, tsk_dims fd, const int8_t *f, const int32_t *bias,
                         tsk_dims od, int8_t *out)
{
    int32_t need = tsk_transpose_conv_s8_scratch_size(&id, &fd, &od);
    tsk_ctx ctx;
    tsk_status st;

    cr_assert(need > 0);
    ctx = make_ctx(need);
    st = tsk_transpose_conv_s8(&ctx, p, q, &id, in, &fd, f, bias, &od, out);
    free(ctx.buf);
    return st;
}

/* Input [1,2,2,1] = 1..4 (zero point -3: raw x - 3), filter [1,2,2,1] = (1,2,3,4), stride 2,
 * no padding: output [1,4,4,1] is four 2x2 blocks x * w, e.g. the block of x = 4 at the
 * bottom right is 4, 8, 12, 16. */
Test(transpose_conv_s8, stride_two_spreads_each_pixel_into_its_own_block)
{
    tsk_dims id = {1, 2, 2, 1}, fd = {1, 2, 2, 1}, od = {1, 4, 4, 1};
    const int8_t in[4] = {-2, -1, 0, 1}, f[4] = {1, 2, 3, 4};
    const int8_t want[16] = {1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16};
    int32_t m = ONE_M, s = 1;
    tsk_quant q = {&m, &s, 1};
    tsk_conv_params p = {{2, 2}, {0, 0}, {1, 1}, 3, 0, {-128, 127}, TSK_ROUND_SINGLE};
    int8_t out[16];

    cr_assert_eq(run_s8(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

/* A 3x3 image of ones, a 3x3 filter of ones, stride 1, SAME (pad 1): each output counts the
 * input pixels whose window covers it, as a conv would (corners 4, edges 6, centre 9); plus
 * output zero point 10 and bias 5 on the one channel. */
Test(transpose_conv_s8, same_padding_crops_the_overlapping_sums)
{
    tsk_dims id = {1, 3, 3, 1}, fd = {1, 3, 3, 1}, od = {1, 3, 3, 1};
    int8_t in[9], f[9], out[9];
    const int8_t want[9] = {19, 21, 19, 21, 24, 21, 19, 21, 19};
    int32_t m = ONE_M, s = 1, bias = 5;
    tsk_quant q = {&m, &s, 1};
    tsk_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 0, 10, {-128, 127}, TSK_ROUND_SINGLE};

    memset(in, 1, sizeof in);
    memset(f, 1, sizeof f);
    cr_assert_eq(run_s8(&p, &q, id, in, fd, f, &bias, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

/* Two output channels with scales 1 and 1/4 (multiplier 2^30, shift -1: 0.25), a clamp of
 * [-20, 100] (a fused activation), one input pixel of value 50 and a 1x1 filter (2, -3):
 * channel 0 100 + bias 20 = 120 -> clamped to 100; channel 1 -150 / 4 = -37.5 -> -37 (ties
 * toward +infinity in single rounding) -> clamped to -20; with bias 200: 50 / 4 = 12.5 -> 13. */
Test(transpose_conv_s8, per_channel_scales_bias_and_clamp)
{
    tsk_dims id = {1, 1, 1, 1}, fd = {2, 1, 1, 1}, od = {1, 1, 1, 2};
    const int8_t in[1] = {50}, f[2] = {2, -3};
    int32_t m[2] = {ONE_M, ONE_M}, s[2] = {1, -1}, bias[2] = {20, 0}, bias2[2] = {0, 200};
    tsk_quant q = {m, s, 2};
    tsk_conv_params p = {{1, 1}, {0, 0}, {1, 1}, 0, 0, {-20, 100}, TSK_ROUND_SINGLE};
    int8_t out[2];

    cr_assert_eq(run_s8(&p, &q, id, in, fd, f, bias, od, out), TSK_OK);
    cr_expect_eq(out[0], 100);
    cr_expect_eq(out[1], -20);
    cr_assert_eq(run_s8(&p, &q, id, in, fd, f, bias2, od, out), TSK_OK);
    cr_expect_eq(out[0], 100);
    cr_expect_eq(out[1], 13);
}

Test(transpose_conv_s8, bad_arguments_leave_the_output_untouched)
{
    tsk_dims id = {1, 2, 2, 3}, fd = {4, 3, 3, 3}, od = {1, 4, 4, 4}, bad_fd = {4, 3, 3, 2};
    int8_t in[12] = {0}, f[108] = {0}, out[64];
    int32_t m = ONE_M, s = 1, need = tsk_transpose_conv_s8_scratch_size(&id, &fd, &od);
    tsk_quant q = {&m, &s, 1};
    tsk_conv_params p = {{2, 2}, {1, 1}, {1, 1}, 0, 0, {-128, 127}, TSK_ROUND_SINGLE};
    tsk_ctx small = make_ctx(need - 4);

    cr_assert_eq(need, 4 * (4 * 4 * 4 + 4 * 3 * 3));
    memset(out, 0x5a, sizeof out);
    cr_expect_eq(tsk_transpose_conv_s8(&small, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    cr_expect_eq(run_s8(&p, &q, id, in, bad_fd, f, NULL, od, out), TSK_ERR_ARG);
    p.stride.h = 0;
    cr_expect_eq(run_s8(&p, &q, id, in, fd, f, NULL, od, out), TSK_ERR_ARG);
    for (size_t i = 0; i < sizeof out; i++)
        cr_assert_eq(out[i], 0x5a);
    free(small.buf);
}

/* TFLite's loop, one product at a time, then bias, requantisation and clamp. */
/* TFLite's reference TransposeConv loop nest (batch, in_y, in_x, in_channel, ky, kx,
 * out_channel), calling fn(arg, input index, filter index, output index) for each tap inside
 * the output, in that order. */
typedef void (*tap_fn)(void *arg, int32_t i, int32_t w, int32_t o);

static void tflite_scatter_walk(tsk_hw stride, tsk_hw pad, tsk_dims id, tsk_dims fd, tsk_dims od,
                                tap_fn fn, void *arg)
{
    for (int32_t b = 0; b < id.n; b++)
        for (int32_t y = 0; y < id.h; y++)
            for (int32_t x = 0; x < id.w; x++)
                for (int32_t c = 0; c < id.c; c++)
                    for (int32_t ky = 0; ky < fd.h; ky++)
                        for (int32_t kx = 0; kx < fd.w; kx++)
                            for (int32_t oc = 0; oc < od.c; oc++) {
                                int32_t oy = y * stride.h - pad.h + ky;
                                int32_t ox = x * stride.w - pad.w + kx;
                                if (oy < 0 || oy >= od.h || ox < 0 || ox >= od.w)
                                    continue;
                                fn(arg, ((b * id.h + y) * id.w + x) * id.c + c,
                                   ((oc * fd.h + ky) * fd.w + kx) * fd.c + c,
                                   ((b * od.h + oy) * od.w + ox) * od.c + oc);
                            }
}

typedef struct s8_taps {
    const int8_t *in, *f;
    int32_t offset, *acc;
} s8_taps;

static void s8_tap(void *arg, int32_t i, int32_t w, int32_t o)
{
    s8_taps *t = arg;
    t->acc[o] += (t->in[i] + t->offset) * t->f[w];
}

static void naive_s8(const tsk_conv_params *p, const tsk_quant *q, tsk_dims id, const int8_t *in,
                     tsk_dims fd, const int8_t *f, const int32_t *bias, tsk_dims od, int8_t *out)
{
    int32_t *acc = calloc((size_t)dims_count(od), sizeof *acc);
    s8_taps t = {in, f, p->input_offset, acc};

    tflite_scatter_walk(p->stride, p->padding, id, fd, od, s8_tap, &t);
    for (int32_t i = 0; i < dims_count(od); i++) {
        int32_t oc = i % od.c, k = q->n == 1 ? 0 : oc;
        int32_t v = ref_requant(acc[i] + (bias ? bias[oc] : 0), q->multiplier[k], q->shift[k],
                                p->rounding) + p->output_offset;
        out[i] = (int8_t)(v < p->act.min ? p->act.min : v > p->act.max ? p->act.max : v);
    }
    free(acc);
}

Test(transpose_conv_s8, random_shapes_match_the_naive_tflite_loop)
{
    rng r = {2024u};

    for (int t = 0; t < 40; t++) {
        tsk_dims id = {rng_int(&r, 1, 2), rng_int(&r, 1, 5), rng_int(&r, 1, 5), rng_int(&r, 1, 9)};
        tsk_dims fd = {rng_int(&r, 1, 6), rng_int(&r, 1, 4), rng_int(&r, 1, 4), id.c};
        tsk_conv_params p = {{rng_int(&r, 1, 3), rng_int(&r, 1, 3)}, {0, 0}, {1, 1},
                             rng_int(&r, -127, 128), rng_int(&r, -128, 127), {-128, 127},
                             t % 2 ? TSK_ROUND_DOUBLE : TSK_ROUND_SINGLE};
        tsk_dims od = {id.n, (id.h - 1) * p.stride.h + fd.h, (id.w - 1) * p.stride.w + fd.w, fd.n};
        int32_t n_in = dims_count(id), n_f = dims_count(fd), n_out, m[6], s[6], bias[6];
        tsk_quant q = {m, s, t % 3 ? fd.n : 1};
        int8_t *in = malloc((size_t)n_in), *f = malloc((size_t)n_f), *got, *want;

        p.padding = (tsk_hw){rng_int(&r, 0, fd.h - 1), rng_int(&r, 0, fd.w - 1)};
        od.h -= rng_int(&r, 0, 1) + p.padding.h; /* SAME-like crops at both ends */
        od.w -= p.padding.w;
        od.h = od.h < 1 ? 1 : od.h;
        n_out = dims_count(od);
        got = malloc((size_t)n_out), want = malloc((size_t)n_out);
        fill_s8(&r, in, n_in, -128, 127);
        fill_s8(&r, f, n_f, -127, 127);
        for (int32_t i = 0; i < fd.n; i++) {
            bias[i] = rng_int(&r, -20000, 20000);
            cr_assert_eq(tsk_quantize_multiplier(rng_real(&r, 0.0005, 0.02), &m[i], &s[i]),
                         TSK_OK);
        }
        naive_s8(&p, &q, id, in, fd, f, t % 4 ? bias : NULL, od, want);
        cr_assert_eq(run_s8(&p, &q, id, in, fd, f, t % 4 ? bias : NULL, od, got), TSK_OK);
        cr_assert_arr_eq(got, want, (size_t)n_out, "case %d", t);
        free(in), free(f), free(got), free(want);
    }
}

/* ---- 16x8: int16 input and output, int8 weights, int64 bias ---- */

static tsk_status run_s16(const tsk_conv_params *p, const tsk_quant *q, tsk_dims id,
                          const int16_t *in, tsk_dims fd, const int8_t *f, const int64_t *bias,
                          tsk_dims od, int16_t *out)
{
    int32_t need = tsk_transpose_conv_s16_scratch_size(&id, &fd, &od);
    tsk_ctx ctx;
    tsk_status st;

    cr_assert(need > 0);
    ctx = make_ctx(need);
    st = tsk_transpose_conv_s16(&ctx, p, q, &id, in, &fd, f, bias, &od, out);
    free(ctx.buf);
    return st;
}

/* The int8 stride-2 case at int16 magnitudes: input 1000, 2000, 3000, 4000, filter (1, 2, 3,
 * 4), scale 1/2 (multiplier 2^30, shift 0): each 2x2 block is x * w / 2, e.g. 2000 * 4 / 2 =
 * 4000; the block of 4000 reaches 8000 at w = 4 and the clamp 7000 cuts it. Bias 1 on the one
 * channel adds 0.5 before the rounding (ties toward +infinity): 500.5 -> 501. */
Test(transpose_conv_s16, stride_two_blocks_scaled_bias_and_clamp)
{
    tsk_dims id = {1, 2, 2, 1}, fd = {1, 2, 2, 1}, od = {1, 4, 4, 1};
    const int16_t in[4] = {1000, 2000, 3000, 4000};
    const int8_t f[4] = {1, 2, 3, 4};
    const int16_t want[16] = {501,  1001, 1001, 2001, 1501, 2001, 3001, 4001,
                              1501, 3001, 2001, 4001, 4501, 6001, 6001, 7000};
    const int64_t bias = 1;
    int32_t m = 1 << 30, s = 0;
    tsk_quant q = {&m, &s, 1};
    tsk_conv_params p = {{2, 2}, {0, 0}, {1, 1}, 0, 0, {-32768, 7000}, TSK_ROUND_SINGLE};
    int16_t out[16];

    cr_assert_eq(run_s16(&p, &q, id, in, fd, f, &bias, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

/* One 1x1 pixel of 600 channels at 32767 and weights 127: the sum 2,496,845,400 is beyond
 * int32. With a bias (0) the int64 path scales it by 2^-20 to 2381.18 -> 2381; without one,
 * TFLite's int32 path wraps it to -1,798,121,896 first: -1714.82 -> -1715. */
Test(transpose_conv_s16, without_a_bias_the_sum_takes_the_int32_path)
{
    enum { C = 600 };
    tsk_dims id = {1, 1, 1, C}, fd = {1, 1, 1, C}, od = {1, 1, 1, 1};
    int16_t in[C], out;
    int8_t f[C];
    const int64_t zero = 0;
    int32_t m = 1 << 30, s = -19;
    tsk_quant q = {&m, &s, 1};
    tsk_conv_params p = {{1, 1}, {0, 0}, {1, 1}, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};

    for (int i = 0; i < C; i++)
        in[i] = 32767, f[i] = 127;
    cr_assert_eq(run_s16(&p, &q, id, in, fd, f, &zero, od, &out), TSK_OK);
    cr_expect_eq(out, 2381);
    cr_assert_eq(run_s16(&p, &q, id, in, fd, f, NULL, od, &out), TSK_OK);
    cr_expect_eq(out, -1715);
}

/* 16x8 needs zero points 0 (TFLite's 16x8 scheme) and an int16 clamp; a short scratch is
 * refused; none of it writes the output. */
Test(transpose_conv_s16, refuses_offsets_an_int8_sized_clamp_beyond_int16_and_short_scratch)
{
    tsk_dims id = {1, 2, 2, 3}, fd = {4, 3, 3, 3}, od = {1, 4, 4, 4};
    int16_t in[12] = {0}, out[64];
    int8_t f[108] = {0};
    int32_t m = 1 << 30, s = 1, need = tsk_transpose_conv_s16_scratch_size(&id, &fd, &od);
    tsk_quant q = {&m, &s, 1};
    tsk_conv_params p = {{2, 2}, {1, 1}, {1, 1}, 0, 0, {-32768, 32767}, TSK_ROUND_SINGLE};
    tsk_ctx small = make_ctx(need - 4);

    cr_assert_eq(need, 8 * 4 * 4 * 4);
    memset(out, 0x5a, sizeof out);
    cr_expect_eq(tsk_transpose_conv_s16(&small, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    p.input_offset = 1;
    cr_expect_eq(run_s16(&p, &q, id, in, fd, f, NULL, od, out), TSK_ERR_ARG);
    p.input_offset = 0, p.output_offset = -1;
    cr_expect_eq(run_s16(&p, &q, id, in, fd, f, NULL, od, out), TSK_ERR_ARG);
    p.output_offset = 0, p.act.max = 40000;
    cr_expect_eq(run_s16(&p, &q, id, in, fd, f, NULL, od, out), TSK_ERR_ARG);
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        cr_assert_eq(out[i], 0x5a5a);
    free(small.buf);
}

typedef struct s16_taps {
    const int16_t *in;
    const int8_t *f;
    int64_t *acc;
} s16_taps;

static void s16_tap(void *arg, int32_t i, int32_t w, int32_t o)
{
    s16_taps *t = arg;
    t->acc[o] += (int32_t)t->in[i] * t->f[w];
}

/* TFLite's int16 loop: int64 sums one product at a time, + bias, the int64 requantisation
 * (tsk_mbqm64, pinned to hand values in test_weighted_s16.c), clamp; no offsets. Without a
 * bias, its int32 path: the sum mod 2^32 and the int32 requantisation (ref_requant). */
static void naive_s16(const tsk_conv_params *p, const tsk_quant *q, tsk_dims id,
                      const int16_t *in, tsk_dims fd, const int8_t *f, const int64_t *bias,
                      tsk_dims od, int16_t *out)
{
    int64_t *acc = calloc((size_t)dims_count(od), sizeof *acc);
    s16_taps t = {in, f, acc};

    tflite_scatter_walk(p->stride, p->padding, id, fd, od, s16_tap, &t);
    for (int32_t i = 0; i < dims_count(od); i++) {
        int32_t oc = i % od.c, k = q->n == 1 ? 0 : oc;
        int32_t v = bias ? tsk_mbqm64(acc[i] + bias[oc], q->multiplier[k], q->shift[k])
                         : ref_requant((int32_t)(uint32_t)(uint64_t)acc[i], q->multiplier[k],
                                       q->shift[k], p->rounding);
        out[i] = (int16_t)(v < p->act.min ? p->act.min : v > p->act.max ? p->act.max : v);
    }
    free(acc);
}

Test(transpose_conv_s16, random_shapes_match_the_naive_tflite_loop)
{
    rng r = {1616u};

    for (int t = 0; t < 40; t++) {
        tsk_dims id = {rng_int(&r, 1, 2), rng_int(&r, 1, 5), rng_int(&r, 1, 5), rng_int(&r, 1, 9)};
        tsk_dims fd = {rng_int(&r, 1, 6), rng_int(&r, 1, 4), rng_int(&r, 1, 4), id.c};
        tsk_conv_params p = {{rng_int(&r, 1, 3), rng_int(&r, 1, 3)}, {0, 0}, {1, 1}, 0, 0,
                             {t % 5 ? -32768 : 0, t % 7 ? 32767 : 12000},
                             t % 8 == 3 ? TSK_ROUND_DOUBLE : TSK_ROUND_SINGLE};
        tsk_dims od = {id.n, (id.h - 1) * p.stride.h + fd.h, (id.w - 1) * p.stride.w + fd.w, fd.n};
        int32_t n_in = dims_count(id), n_f = dims_count(fd), n_out, m[6], s[6];
        int64_t bias[6];
        tsk_quant q = {m, s, t % 3 ? fd.n : 1};
        int16_t *in = malloc((size_t)n_in * sizeof *in), *got, *want;
        int8_t *f = malloc((size_t)n_f);

        p.padding = (tsk_hw){rng_int(&r, 0, fd.h - 1), rng_int(&r, 0, fd.w - 1)};
        od.h -= rng_int(&r, 0, 1) + p.padding.h; /* SAME-like crops at both ends */
        od.w -= p.padding.w;
        od.h = od.h < 1 ? 1 : od.h;
        n_out = dims_count(od);
        got = malloc((size_t)n_out * sizeof *got), want = malloc((size_t)n_out * sizeof *want);
        for (int32_t i = 0; i < n_in; i++)
            in[i] = (int16_t)rng_int(&r, -32768, 32767);
        fill_s8(&r, f, n_f, -127, 127);
        for (int32_t i = 0; i < fd.n; i++) {
            bias[i] = t % 2 ? rng_int(&r, -20000000, 20000000) /* beyond 32 bits: */
                            : (int64_t)rng_int(&r, -1000000000, 1000000000) * rng_int(&r, 1, 64);
            cr_assert_eq(tsk_quantize_multiplier(rng_real(&r, 0.00005, 0.002), &m[i], &s[i]),
                         TSK_OK);
        }
        naive_s16(&p, &q, id, in, fd, f, t % 4 ? bias : NULL, od, want);
        cr_assert_eq(run_s16(&p, &q, id, in, fd, f, t % 4 ? bias : NULL, od, got), TSK_OK);
        cr_assert_arr_eq(got, want, (size_t)n_out * sizeof *got, "case %d", t);
        free(in), free(f), free(got), free(want);
    }
}

/* Float: input (1, 2) on one row, filter 1x3 (0.5, 1, 2), stride 2, no padding: output 1x5 =
 * 0.5, 1, 2 + 1, 2, 4, plus bias 0.25, clamped to [0, 4] (RELU6-like bound at 4). */
Test(transpose_conv_f32, overlapping_taps_add_then_bias_and_clamp)
{
    tsk_dims id = {1, 1, 2, 1}, fd = {1, 1, 3, 1}, od = {1, 1, 5, 1};
    const float in[2] = {1.0f, 2.0f}, f[3] = {0.5f, 1.0f, 2.0f}, bias = 0.25f;
    const float want[5] = {0.75f, 1.25f, 3.25f, 2.25f, 4.0f};
    tsk_conv_params_f32 p = {{2, 2}, {0, 0}, {1, 1}, {0.0f, 4.0f}};
    float out[5];

    cr_assert_eq(tsk_transpose_conv_f32(&p, &id, in, &fd, f, &bias, &od, out), TSK_OK);
    for (int i = 0; i < 5; i++)
        cr_expect_eq(out[i], want[i], "element %d: %g", i, (double)out[i]);
    fd.c = 2;
    cr_assert_eq(tsk_transpose_conv_f32(&p, &id, in, &fd, f, &bias, &od, out), TSK_ERR_ARG);
}

/* TFLite's reference_ops::TransposeConv float loop as written there: the output zeroed, then
 * for each batch, input row, column and channel, each ky, kx and output channel inside the
 * output, out += x * w (float, in that order); then the bias and the clamp per element. */
typedef struct f32_taps {
    const float *in, *f;
    float *out;
} f32_taps;

static void f32_tap(void *arg, int32_t i, int32_t w, int32_t o)
{
    f32_taps *t = arg;
    float v = t->in[i] * t->f[w];
    t->out[o] += v;
}

static void naive_f32(const tsk_conv_params_f32 *p, tsk_dims id, const float *in, tsk_dims fd,
                      const float *f, const float *bias, tsk_dims od, float *out)
{
    f32_taps t = {in, f, out};

    for (int32_t i = 0; i < dims_count(od); i++)
        out[i] = 0.0f;
    tflite_scatter_walk(p->stride, p->padding, id, fd, od, f32_tap, &t);
    for (int32_t i = 0; i < dims_count(od); i++) {
        float v = out[i] + (bias ? bias[i % od.c] : 0.0f);
        out[i] = v < p->act.min ? p->act.min : v > p->act.max ? p->act.max : v;
    }
}

/* Float sums round by their order: random shapes (up to 9 input channels, overlapping taps of
 * strides below the filter size, crops) and values of mixed magnitude must equal the naive
 * reference loop bit for bit (summing the input channels in another order does not). */
Test(transpose_conv_f32, random_shapes_match_the_naive_tflite_loop_bit_for_bit)
{
    rng r = {77u};

    for (int t = 0; t < 40; t++) {
        tsk_dims id = {rng_int(&r, 1, 2), rng_int(&r, 1, 5), rng_int(&r, 1, 5), rng_int(&r, 2, 9)};
        tsk_dims fd = {rng_int(&r, 1, 5), rng_int(&r, 1, 4), rng_int(&r, 1, 4), id.c};
        tsk_conv_params_f32 p = {{rng_int(&r, 1, 3), rng_int(&r, 1, 3)}, {0, 0}, {1, 1},
                                 {-1e30f, 1e30f}};
        tsk_dims od = {id.n, (id.h - 1) * p.stride.h + fd.h, (id.w - 1) * p.stride.w + fd.w, fd.n};
        int32_t n_in = dims_count(id), n_f = dims_count(fd), n_out;
        float *in = malloc((size_t)n_in * 4), *f = malloc((size_t)n_f * 4), *got, *want, bias[5];

        p.padding = (tsk_hw){rng_int(&r, 0, fd.h - 1), rng_int(&r, 0, fd.w - 1)};
        od.h -= p.padding.h, od.w -= p.padding.w;
        n_out = dims_count(od);
        got = malloc((size_t)n_out * 4), want = malloc((size_t)n_out * 4);
        fill_f32(&r, in, n_in, -3.0, 3.0);
        fill_f32(&r, f, n_f, -1.0, 1.0);
        for (int32_t i = 0; i < n_in; i += 3)
            in[i] *= 1024.0f; /* mixed magnitudes: the order of the sum shows */
        fill_f32(&r, bias, fd.n, -2.0, 2.0);
        naive_f32(&p, id, in, fd, f, t % 4 ? bias : NULL, od, want);
        cr_assert_eq(tsk_transpose_conv_f32(&p, &id, in, &fd, f, t % 4 ? bias : NULL, &od, got),
                     TSK_OK);
        cr_assert_arr_eq(got, want, (size_t)n_out * 4, "case %d", t);
        free(in), free(f), free(got), free(want);
    }
}

/* The DSP-extension variant (transpose_conv_s8_simd.c, the C emulation of its instructions on
 * the host) against the plain kernel: 300 random cases (channel counts with and without a tail
 * past a multiple of 4, odd output channel counts, strides, crops, per-tensor and per-channel,
 * both rounding modes, clamps, tensors one byte off alignment in exactly-sized buffers) give the
 * same bytes; a short scratch gives the same status. */
Test(transpose_conv_s8, simd_variant_equals_the_plain_kernel_byte_for_byte)
{
    rng r = {0x7c0417u};

    for (int t = 0; t < 300; t++) {
        tsk_dims id = {rng_int(&r, 1, 2), rng_int(&r, 1, 4), rng_int(&r, 1, 4),
                       rng_int(&r, 0, 1) ? rng_int(&r, 1, 24) : 4 * rng_int(&r, 1, 4)};
        tsk_dims fd = {rng_int(&r, 1, 7), rng_int(&r, 1, 4), rng_int(&r, 1, 4), id.c};
        tsk_conv_params p = {{rng_int(&r, 1, 3), rng_int(&r, 1, 3)},
                             {rng_int(&r, 0, fd.h - 1), rng_int(&r, 0, fd.w - 1)}, {1, 1},
                             rng_int(&r, -127, 128), rng_int(&r, -128, 127), {-128, 127},
                             rng_int(&r, 0, 1) ? TSK_ROUND_DOUBLE : TSK_ROUND_SINGLE};
        tsk_dims od = {id.n, id.h * p.stride.h + rng_int(&r, 0, 2) - p.padding.h,
                       id.w * p.stride.w - p.padding.w, fd.n};
        int32_t n_in = dims_count(id), n_f = dims_count(fd), n_out, m[7], s[7], bias[7];
        int32_t shift = rng_int(&r, 0, 1);
        tsk_quant q = {m, s, rng_int(&r, 0, 1) ? fd.n : 1};
        int8_t *in_mem = malloc((size_t)(n_in + shift)), *f_mem = malloc((size_t)(n_f + shift));
        int8_t *a, *b;
        tsk_ctx ca, cb;

        od.h = od.h < 1 ? 1 : od.h, od.w = od.w < 1 ? 1 : od.w;
        n_out = dims_count(od);
        a = malloc((size_t)n_out), b = malloc((size_t)n_out);
        if (rng_int(&r, 0, 2) == 0)
            p.act = (tsk_range){rng_int(&r, -128, 0), rng_int(&r, 1, 127)};
        fill_s8(&r, in_mem + shift, n_in, -128, 127);
        fill_s8(&r, f_mem + shift, n_f, -128, 127);
        for (int32_t i = 0; i < fd.n; i++) {
            bias[i] = rng_int(&r, -30000, 30000);
            cr_assert_eq(tsk_quantize_multiplier(rng_real(&r, 0.0002, 0.01), &m[i], &s[i]),
                         TSK_OK);
        }
        ca = make_ctx(tsk_transpose_conv_s8_scratch_size(&id, &fd, &od));
        cb = make_ctx(tsk_transpose_conv_s8_simd_scratch_size(&id, &fd, &od));
        cr_assert_eq(tsk_transpose_conv_s8(&ca, &p, &q, &id, in_mem + shift, &fd, f_mem + shift,
                                           t % 5 ? bias : NULL, &od, a), TSK_OK);
        cr_assert_eq(tsk_transpose_conv_s8_simd(&cb, &p, &q, &id, in_mem + shift, &fd,
                                                f_mem + shift, t % 5 ? bias : NULL, &od, b),
                     TSK_OK, "case %d", t);
        cr_assert_arr_eq(a, b, (size_t)n_out, "case %d: in [%d,%d,%d,%d] filter [%d,%d,%d,%d]",
                         t, id.n, id.h, id.w, id.c, fd.n, fd.h, fd.w, fd.c);
        cb.size -= 4;
        cr_assert_eq(tsk_transpose_conv_s8_simd(&cb, &p, &q, &id, in_mem + shift, &fd,
                                                f_mem + shift, NULL, &od, b), TSK_ERR_SCRATCH);
        free(ca.buf), free(cb.buf), free(in_mem), free(f_mem), free(a), free(b);
    }
}
