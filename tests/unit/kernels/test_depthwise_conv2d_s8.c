/* tests/unit/kernels/test_depthwise_conv2d_s8.c: DEPTHWISE_CONV_2D int8
 * (depthwise_conv2d_s8.c): depth multiplier 2 by hand, padding by hand, argument checks, and
 * random shapes against a naive TFLite-order loop (bit-exact) and a double reference (1 LSB). */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"

static tsk_status run_dw(const tsk_dw_conv_params *p, const tsk_quant *q, tsk_dims id,
                         const int8_t *in, tsk_dims fd, const int8_t *f, const int32_t *bias,
                         tsk_dims od, int8_t *out)
{
    tsk_ctx ctx = make_ctx(tsk_depthwise_conv2d_s8_scratch_size(&id, &fd, &od));
    tsk_status st = tsk_depthwise_conv2d_s8(&ctx, p, q, &id, in, &fd, f, bias, &od, out);
    free(ctx.buf);
    return st;
}

/* TFLite DepthwiseConvPerChannel loop; returns the accumulator in *raw when non-NULL. */
static void naive_dw(const tsk_dw_conv_params *p, const tsk_quant *q, tsk_dims id,
                     const int8_t *in, tsk_dims fd, const int8_t *f, const int32_t *bias,
                     tsk_dims od, int8_t *out, int64_t *raw)
{
    for (int b = 0; b < od.n; b++)
        for (int oy = 0; oy < od.h; oy++)
            for (int ox = 0; ox < od.w; ox++)
                for (int oc = 0; oc < od.c; oc++) {
                    int32_t acc = 0, ic = oc / p->ch_mult, qi = q->n == 1 ? 0 : oc;
                    for (int ky = 0; ky < fd.h; ky++)
                        for (int kx = 0; kx < fd.w; kx++) {
                            int iy = oy * p->stride.h - p->padding.h + ky * p->dilation.h;
                            int ix = ox * p->stride.w - p->padding.w + kx * p->dilation.w;
                            if (iy < 0 || iy >= id.h || ix < 0 || ix >= id.w)
                                continue;
                            acc += f[(ky * fd.w + kx) * fd.c + oc] *
                                   (in[((b * id.h + iy) * id.w + ix) * id.c + ic] + p->input_offset);
                        }
                    acc += bias ? bias[oc] : 0;
                    int idx = ((b * od.h + oy) * od.w + ox) * od.c + oc;
                    if (raw)
                        raw[idx] = acc;
                    acc = ref_requant(acc, q->multiplier[qi], q->shift[qi], p->rounding);
                    acc += p->output_offset;
                    acc = acc < p->act.min ? p->act.min : (acc > p->act.max ? p->act.max : acc);
                    out[idx] = (int8_t)acc;
                }
}

Test(depthwise_conv2d_s8, depth_multiplier_two_maps_each_input_channel_to_two_outputs)
{
    tsk_dims id = {1, 1, 1, 2}, fd = {1, 1, 1, 4}, od = {1, 1, 1, 4};
    const int8_t in[2] = {10, 20}, f[4] = {1, 2, 3, 4}, want[4] = {10, 20, 60, 80};
    int8_t out[4];
    int32_t mult = 1 << 30, shift = 1;
    tsk_quant q = {&mult, &shift, 1};
    tsk_dw_conv_params p = {{1, 1}, {0, 0}, {1, 1}, 2, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    cr_assert_eq(run_dw(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(depthwise_conv2d_s8, padding_at_borders_contributes_zero_real_value)
{
    /* 2 channels of real value 1 (q = -3 with zero point -4), 3x3 ones, pad 1, scale 1. */
    tsk_dims id = {1, 3, 3, 2}, fd = {1, 3, 3, 2}, od = {1, 3, 3, 2};
    int8_t in[18], f[18], out[18];
    const int8_t want[18] = {4, 4, 6, 6, 4, 4, 6, 6, 9, 9, 6, 6, 4, 4, 6, 6, 4, 4};
    int32_t mult = 1 << 30, shift = 1;
    tsk_quant q = {&mult, &shift, 1};
    tsk_dw_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 1, 4, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    memset(in, -3, sizeof in);
    memset(f, 1, sizeof f);
    cr_assert_eq(run_dw(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(depthwise_conv2d_s8, rejects_channel_mismatch_and_small_scratch)
{
    tsk_dims id = {1, 3, 3, 2}, fd = {1, 3, 3, 4}, od = {1, 1, 1, 4};
    int8_t in[18] = {0}, f[36] = {0}, out[4];
    int32_t mult = 1 << 30, shift = 0;
    tsk_quant q = {&mult, &shift, 1};
    tsk_dw_conv_params p = {{1, 1}, {0, 0}, {1, 1}, 1, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    tsk_ctx ctx = make_ctx(16);
    cr_assert_eq(tsk_depthwise_conv2d_s8_scratch_size(&id, &fd, &od), 16);
    cr_assert_eq(tsk_depthwise_conv2d_s8(&ctx, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_ARG); /* ch_mult 1 but 4 output channels */
    p.ch_mult = 2;
    ctx.size = 12;
    cr_assert_eq(tsk_depthwise_conv2d_s8(&ctx, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    ctx.size = 16;
    cr_assert_eq(tsk_depthwise_conv2d_s8(&ctx, &p, &q, &id, in, &fd, f, NULL, &od, out), TSK_OK);
    free(ctx.buf);
}

Test(depthwise_conv2d_s8, random_shapes_match_naive_loop_and_double_reference)
{
    rng r = {31337u};
    int t, i;
    for (t = 0; t < 300; t++) {
        int32_t kh = rng_int(&r, 1, 4), kw = rng_int(&r, 1, 4), m = rng_int(&r, 1, 3);
        tsk_dw_conv_params p;
        tsk_dims id = {rng_int(&r, 1, 2), rng_int(&r, kh, 9), rng_int(&r, kw, 9), rng_int(&r, 1, 8)};
        tsk_dims fd = {1, kh, kw, id.c * m}, od;
        int8_t in[2 * 9 * 9 * 8], f[4 * 4 * 24], out[2 * 9 * 9 * 24], ref[2 * 9 * 9 * 24];
        int32_t bias[24], mult[24], shift[24];
        int64_t raw[2 * 9 * 9 * 24];
        float ws[24], in_scale = (float)rng_real(&r, 0.01, 0.1), out_scale;
        tsk_quant q = {mult, shift, rng_int(&r, 0, 1) ? fd.c : 1};
        p.stride = (tsk_hw){rng_int(&r, 1, 3), rng_int(&r, 1, 3)};
        p.dilation = (tsk_hw){rng_int(&r, 1, 2), rng_int(&r, 1, 2)};
        p.padding = (tsk_hw){rng_int(&r, 0, kh - 1), rng_int(&r, 0, kw - 1)};
        p.ch_mult = m;
        p.rounding = t % 2 ? TSK_ROUND_SINGLE : TSK_ROUND_DOUBLE; /* both modes */
        p.input_offset = rng_int(&r, -127, 128);
        p.output_offset = rng_int(&r, -20, 20);
        p.act = (tsk_range){-128, rng_int(&r, 1, 3) == 1 ? rng_int(&r, 40, 127) : 127};
        od = (tsk_dims){id.n, conv_out_size(id.h, kh, p.stride.h, p.dilation.h, 2 * p.padding.h),
                        conv_out_size(id.w, kw, p.stride.w, p.dilation.w, 2 * p.padding.w), fd.c};
        od.h = od.h < 1 ? 1 : od.h;
        od.w = od.w < 1 ? 1 : od.w;
        out_scale = (float)(in_scale * 0.01 * sqrt((double)(kh * kw)) * 64 * 64 / 3 / 40);
        for (i = 0; i < fd.c; i++) {
            ws[i] = q.n == 1 && i > 0 ? ws[0] : (float)rng_real(&r, 0.005, 0.015);
            bias[i] = rng_int(&r, -3000, 3000);
        }
        cr_assert_eq(tsk_conv_prepare_s8(in_scale, ws, fd.c, out_scale, mult, shift), TSK_OK);
        fill_s8(&r, in, dims_count(id), -128, 127);
        fill_s8(&r, f, dims_count(fd), -127, 127);
        cr_assert_eq(run_dw(&p, &q, id, in, fd, f, bias, od, out), TSK_OK);
        naive_dw(&p, &q, id, in, fd, f, bias, od, ref, raw);
        cr_assert_arr_eq(out, ref, (size_t)dims_count(od), "case %d", t);
        for (i = 0; i < dims_count(od); i++) { /* raw acc is exact: real = acc * in_s * w_s */
            int32_t oc = i % od.c;
            double real = (double)raw[i] * in_scale * ws[oc];
            int32_t want = quantize_ref(real, out_scale, p.output_offset);
            want = want < p.act.min ? p.act.min : (want > p.act.max ? p.act.max : want);
            cr_assert(abs(out[i] - want) <= 1, "case %d elem %d: %d vs %d", t, i, out[i], want);
        }
    }
}
