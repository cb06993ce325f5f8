/* tests/unit/kernels/test_conv2d_s8.c: CONV_2D int8 (conv2d_s8.c): hand-derivable cases
 * (1x1 conv = FC, padding at borders, saturation, per-channel vs per-tensor), argument
 * checks, and random shapes against the naive TFLite-order loop (bit-exact) and against a
 * double-precision reference (within 1 LSB). */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"

/* Runs tsk_conv2d_s8 with exactly-sized scratch. */
static tsk_status run_conv(const tsk_conv_params *p, const tsk_quant *q, tsk_dims id,
                           const int8_t *in, tsk_dims fd, const int8_t *f, const int32_t *bias,
                           tsk_dims od, int8_t *out)
{
    int32_t need = tsk_conv2d_s8_scratch_size(&id, &fd, &od);
    tsk_ctx ctx;
    tsk_status st;
    cr_assert(need > 0);
    ctx = make_ctx(need);
    st = tsk_conv2d_s8(&ctx, p, q, &id, in, &fd, f, bias, &od, out);
    free(ctx.buf);
    return st;
}

Test(conv2d_s8, one_by_one_conv_equals_fully_connected)
{
    rng r = {7u};
    tsk_dims id = {2, 3, 4, 19}, fd = {11, 1, 1, 19}, od = {2, 3, 4, 11};
    tsk_dims fc_in = {24, 1, 1, 19}, fc_out = {24, 1, 1, 11};
    int8_t in[2 * 3 * 4 * 19], f[11 * 19], out_conv[24 * 11], out_fc[24 * 11];
    int32_t bias[11], mult[11], shift[11], i;
    tsk_quant q = {mult, shift, 11};
    tsk_conv_params cp = {{1, 1}, {0, 0}, {1, 1}, 7, -3, {-128, 127}, TSK_ROUND_DOUBLE};
    tsk_fc_params fp = {7, 0, -3, {-128, 127}, TSK_ROUND_DOUBLE};
    tsk_ctx ctx = make_ctx(tsk_fully_connected_s8_scratch_size(&fd));
    fill_s8(&r, in, (int32_t)sizeof in, -128, 127);
    fill_s8(&r, f, (int32_t)sizeof f, -127, 127);
    for (i = 0; i < 11; i++) {
        bias[i] = rng_int(&r, -5000, 5000);
        cr_assert_eq(tsk_quantize_multiplier(rng_real(&r, 0.001, 0.01), &mult[i], &shift[i]),
                     TSK_OK);
    }
    cr_assert_eq(run_conv(&cp, &q, id, in, fd, f, bias, od, out_conv), TSK_OK);
    cr_assert_eq(tsk_fully_connected_s8(&ctx, &fp, &q, &fc_in, in, &fd, f, bias, &fc_out, out_fc),
                 TSK_OK);
    free(ctx.buf);
    cr_assert_arr_eq(out_conv, out_fc, sizeof out_fc);
}

Test(conv2d_s8, padding_at_borders_contributes_zero_real_value)
{
    /* 3x3 image of real value 1 (q = 6, zero point 5), 3x3 all-ones filter, pad 1, scale 1:
     * each output counts the taps inside the image: corners 4, edges 6, centre 9. */
    tsk_dims id = {1, 3, 3, 1}, fd = {1, 3, 3, 1}, od = {1, 3, 3, 1};
    int8_t in[9], f[9], out[9];
    const int8_t want[9] = {4, 6, 4, 6, 9, 6, 4, 6, 4};
    int32_t mult = 1 << 30, shift = 1; /* 1.0 */
    tsk_quant q = {&mult, &shift, 1};
    tsk_conv_params p = {{1, 1}, {1, 1}, {1, 1}, -5, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    memset(in, 6, sizeof in);
    memset(f, 1, sizeof f);
    cr_assert_eq(run_conv(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(conv2d_s8, padding_with_dilation_and_stride_matches_hand_values)
{
    /* 1x5 row 1..5 (zero point 0), 1x3 filter [1 1 1] dilated by 2, pad 2, stride 2:
     * windows at x = -2,0,2 -> taps {-2,0,2},{0,2,4},{2,4,6} -> sums 1+3, 1+3+5, 3+5. */
    tsk_dims id = {1, 1, 5, 1}, fd = {1, 1, 3, 1}, od = {1, 1, 3, 1};
    const int8_t in[5] = {1, 2, 3, 4, 5}, f[3] = {1, 1, 1}, want[3] = {4, 9, 8};
    int8_t out[3];
    int32_t mult = 1 << 30, shift = 1;
    tsk_quant q = {&mult, &shift, 1};
    tsk_conv_params p = {{1, 2}, {0, 2}, {1, 2}, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    cr_assert_eq(run_conv(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(conv2d_s8, saturates_at_minus_128_and_127_and_applies_the_clamp)
{
    tsk_dims id = {1, 1, 1, 4}, fd = {3, 1, 1, 4}, od = {1, 1, 1, 3};
    const int8_t in[4] = {127, 127, 127, 127};
    const int8_t f[12] = {127, 127, 127, 127, -127, -127, -127, -127, 1, 0, 0, 0};
    const int8_t want[3] = {127, -128, 127};
    const int8_t want_clamped[3] = {100, -20, 100};
    int8_t out[3];
    int32_t mult = 1 << 30, shift = 1;
    tsk_quant q = {&mult, &shift, 1};
    tsk_conv_params p = {{1, 1}, {0, 0}, {1, 1}, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    cr_assert_eq(run_conv(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    p.act.min = -20;
    p.act.max = 100;
    cr_assert_eq(run_conv(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want_clamped, sizeof want_clamped);
}

Test(conv2d_s8, per_channel_scales_apply_to_their_own_channel)
{
    /* One input value 40, two identity filters; channel 0 scale 0.5, channel 1 scale 0.25. */
    tsk_dims id = {1, 1, 1, 1}, fd = {2, 1, 1, 1}, od = {1, 1, 1, 2};
    const int8_t in[1] = {40}, f[2] = {1, 1};
    const int8_t want_pc[2] = {20, 10}, want_pt[2] = {20, 20};
    int8_t out[2];
    int32_t mult[2] = {1 << 30, 1 << 30}, shift[2] = {0, -1};
    tsk_quant q = {mult, shift, 2};
    tsk_conv_params p = {{1, 1}, {0, 0}, {1, 1}, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    cr_assert_eq(run_conv(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want_pc, sizeof want_pc);
    q.n = 1;
    cr_assert_eq(run_conv(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want_pt, sizeof want_pt);
}

Test(conv2d_s8, rejects_bad_shapes_and_scratch_and_leaves_output_untouched)
{
    tsk_dims id = {1, 4, 4, 3}, fd = {2, 3, 3, 3}, od = {1, 2, 2, 2}, bad = {3, 3, 3, 3};
    int8_t in[48] = {0}, f[81] = {0}, out[8];
    int32_t mult = 1 << 30, shift = 0, need = tsk_conv2d_s8_scratch_size(&id, &fd, &od);
    tsk_quant q = {&mult, &shift, 1}, q3 = {&mult, &shift, 3};
    tsk_conv_params p = {{1, 1}, {0, 0}, {1, 1}, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    tsk_ctx ctx = make_ctx(need + 8), small = ctx, misaligned = ctx;
    small.size = need - 1;
    misaligned.buf = (char *)ctx.buf + 1;
    memset(out, 0x5a, sizeof out);
    cr_assert_eq(need, 4 * 2 + 28);
    cr_assert_eq(tsk_conv2d_s8(&ctx, &p, &q, &id, in, &bad, f, NULL, &od, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_conv2d_s8(&ctx, &p, &q3, &id, in, &fd, f, NULL, &od, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_conv2d_s8(&small, &p, &q, &id, in, &fd, f, NULL, &od, out), TSK_ERR_SCRATCH);
    cr_assert_eq(tsk_conv2d_s8(&misaligned, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    p.stride.w = 0;
    cr_assert_eq(tsk_conv2d_s8(&ctx, &p, &q, &id, in, &fd, f, NULL, &od, out), TSK_ERR_ARG);
    for (int i = 0; i < 8; i++) {
        cr_assert_eq(out[i], 0x5a);
    }
    free(ctx.buf);
}

/* One random convolution problem with its float scales. */
typedef struct conv_case {
    tsk_dims id, fd, od;
    tsk_conv_params p;
    float in_scale, out_scale, w_scale[24];
    int32_t mult[24], shift[24];
    tsk_quant q;
} conv_case;

static void random_case(rng *r, conv_case *c)
{
    int32_t groups = rng_int(r, 1, 4) == 1 ? rng_int(r, 2, 3) : 1;
    int32_t kh = rng_int(r, 1, 4), kw = rng_int(r, 1, 4), i, k;
    c->fd = (tsk_dims){0, kh, kw, rng_int(r, 1, 9)};
    c->fd.n = groups * rng_int(r, 1, 24 / groups);
    c->id = (tsk_dims){rng_int(r, 1, 2), rng_int(r, kh, 9), rng_int(r, kw, 9), c->fd.c * groups};
    c->p.stride = (tsk_hw){rng_int(r, 1, 3), rng_int(r, 1, 3)};
    c->p.dilation = (tsk_hw){rng_int(r, 1, 2), rng_int(r, 1, 2)};
    c->p.padding = (tsk_hw){rng_int(r, 0, kh - 1), rng_int(r, 0, kw - 1)};
    c->od.n = c->id.n;
    c->od.h = conv_out_size(c->id.h, kh, c->p.stride.h, c->p.dilation.h, 2 * c->p.padding.h);
    c->od.w = conv_out_size(c->id.w, kw, c->p.stride.w, c->p.dilation.w, 2 * c->p.padding.w);
    c->od.h = c->od.h < 1 ? 1 : c->od.h;
    c->od.w = c->od.w < 1 ? 1 : c->od.w;
    c->od.c = c->fd.n;
    c->p.input_offset = rng_int(r, -127, 128);
    c->p.output_offset = rng_int(r, -20, 20);
    c->p.act = (tsk_range){rng_int(r, 1, 3) == 1 ? rng_int(r, -128, -60) : -128, 127};
    k = kh * kw * c->fd.c;
    c->in_scale = (float)rng_real(r, 0.01, 0.1);
    c->out_scale = (float)(c->in_scale * 0.01 * sqrt((double)k) * 64.0 * 64.0 / 3.0 / 40.0);
    c->q = (tsk_quant){c->mult, c->shift, rng_int(r, 0, 1) ? c->fd.n : 1};
    for (i = 0; i < c->fd.n; i++) {
        c->w_scale[i] = c->q.n == 1 && i > 0 ? c->w_scale[0] : (float)rng_real(r, 0.005, 0.015);
    }
    cr_assert_eq(tsk_conv_prepare_s8(c->in_scale, c->w_scale, c->fd.n, c->out_scale, c->mult,
                                     c->shift),
                 TSK_OK);
}

Test(conv2d_s8, random_shapes_match_naive_tflite_loop_bit_exactly)
{
    rng r = {2024u};
    int t;
    for (t = 0; t < 300; t++) {
        conv_case c;
        int8_t in[2 * 9 * 9 * 27], f[24 * 4 * 4 * 9], out[2 * 9 * 9 * 24], ref[2 * 9 * 9 * 24];
        int32_t bias[24];
        random_case(&r, &c);
        c.p.rounding = t % 2 ? TSK_ROUND_SINGLE : TSK_ROUND_DOUBLE; /* both modes */
        fill_s8(&r, in, dims_count(c.id), -128, 127);
        fill_s8(&r, f, dims_count(c.fd), -127, 127);
        for (int i = 0; i < c.fd.n; i++) {
            bias[i] = rng_int(&r, -20000, 20000);
        }
        cr_assert_eq(run_conv(&c.p, &c.q, c.id, in, c.fd, f, bias, c.od, out), TSK_OK);
        naive_conv_s8(&c.p, &c.q, c.id, in, c.fd, f, bias, c.od, ref);
        cr_assert_arr_eq(out, ref, (size_t)dims_count(c.od), "case %d", t);
    }
}

Test(conv2d_s8, random_shapes_are_within_one_lsb_of_double_reference)
{
    rng r = {99u};
    int t, i, off_by_one = 0;
    for (t = 0; t < 200; t++) {
        conv_case c;
        int8_t in[2 * 9 * 9 * 27], f[24 * 4 * 4 * 9], out[2 * 9 * 9 * 24];
        int32_t bias[24], ref[2 * 9 * 9 * 24];
        double ws[24];
        random_case(&r, &c);
        c.p.rounding = t % 2 ? TSK_ROUND_SINGLE : TSK_ROUND_DOUBLE; /* both modes */
        fill_s8(&r, in, dims_count(c.id), -128, 127);
        fill_s8(&r, f, dims_count(c.fd), -127, 127);
        for (i = 0; i < c.fd.n; i++) {
            bias[i] = rng_int(&r, -20000, 20000);
            ws[i] = c.w_scale[i];
        }
        cr_assert_eq(run_conv(&c.p, &c.q, c.id, in, c.fd, f, bias, c.od, out), TSK_OK);
        float_ref_conv_s8(&c.p, c.in_scale, ws, c.out_scale, c.id, in, c.fd, f, bias, c.od, ref);
        for (i = 0; i < dims_count(c.od); i++) {
            cr_assert(abs(out[i] - ref[i]) <= 1, "case %d elem %d: %d vs %d", t, i, out[i],
                      ref[i]);
            off_by_one += out[i] != ref[i];
        }
    }
    cr_assert(off_by_one < 200 * 50, "suspiciously many 1-LSB differences: %d", off_by_one);
}
