/* tests/unit/kernels/test_fully_connected_s8.c: FULLY_CONNECTED int8
 * (fully_connected_s8.c): a hand case, a non-zero weight offset, per-channel requantisation,
 * argument checks, and random shapes against the direct formula (bit-exact) and a double
 * reference (1 LSB). */
#include <criterion/criterion.h>

#include "kernel_test_util.h"

static tsk_status run_fc(const tsk_fc_params *p, const tsk_quant *q, tsk_dims id,
                         const int8_t *in, tsk_dims fd, const int8_t *f, const int32_t *bias,
                         tsk_dims od, int8_t *out)
{
    tsk_ctx ctx = make_ctx(tsk_fully_connected_s8_scratch_size(&fd));
    tsk_status st = tsk_fully_connected_s8(&ctx, p, q, &id, in, &fd, f, bias, &od, out);
    free(ctx.buf);
    return st;
}

Test(fully_connected_s8, hand_computed_rows_with_bias)
{
    tsk_dims id = {1, 1, 1, 3}, fd = {2, 1, 1, 3}, od = {1, 1, 1, 2};
    const int8_t in[3] = {1, 2, 3}, f[6] = {1, 1, 1, -1, 0, 2}, want[2] = {16, -5};
    const int32_t bias[2] = {10, -10};
    int8_t out[2];
    int32_t mult = 1 << 30, shift = 1;
    tsk_quant q = {&mult, &shift, 1};
    tsk_fc_params p = {0, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    cr_assert_eq(run_fc(&p, &q, id, in, fd, f, bias, od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(fully_connected_s8, weight_and_input_offsets_both_apply)
{
    /* (w + 1) * (x - 2) summed: w = {0, 1}, x = {3, 4} -> 1*1 + 2*2 = 5. */
    tsk_dims id = {1, 1, 1, 2}, fd = {1, 1, 1, 2}, od = {1, 1, 1, 1};
    const int8_t in[2] = {3, 4}, f[2] = {0, 1};
    int8_t out[1];
    int32_t mult = 1 << 30, shift = 1;
    tsk_quant q = {&mult, &shift, 1};
    tsk_fc_params p = {-2, 1, 7, {-128, 127}, TSK_ROUND_DOUBLE};
    cr_assert_eq(run_fc(&p, &q, id, in, fd, f, NULL, od, out), TSK_OK);
    cr_assert_eq(out[0], 12);
}

Test(fully_connected_s8, rejects_depth_mismatch)
{
    tsk_dims id = {1, 1, 1, 5}, fd = {2, 1, 1, 3}, od = {1, 1, 1, 2};
    int8_t in[5] = {0}, f[6] = {0}, out[2];
    int32_t mult = 1 << 30, shift = 1;
    tsk_quant q = {&mult, &shift, 1};
    tsk_fc_params p = {0, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
    cr_assert_eq(run_fc(&p, &q, id, in, fd, f, NULL, od, out), TSK_ERR_ARG);
    p.act.min = 10;
    p.act.max = 5;
    id.c = 3;
    cr_assert_eq(run_fc(&p, &q, id, in, fd, f, NULL, od, out), TSK_ERR_ARG);
}

Test(fully_connected_s8, random_shapes_match_formula_and_double_reference)
{
    rng r = {555u};
    for (int t = 0; t < 300; t++) {
        int32_t depth = rng_int(&r, 1, 70), outs = rng_int(&r, 1, 20), batches = rng_int(&r, 1, 3);
        tsk_dims id = {batches, 1, 1, depth}, fd = {outs, 1, 1, depth}, od = {batches, 1, 1, outs};
        int8_t in[3 * 70], f[20 * 70], out[60];
        int32_t bias[20], mult[20], shift[20];
        float ws[20], in_scale = (float)rng_real(&r, 0.01, 0.1), out_scale;
        tsk_quant q = {mult, shift, rng_int(&r, 0, 1) ? outs : 1};
        tsk_fc_params p = {rng_int(&r, -127, 128), rng_int(&r, 0, 3) == 0 ? rng_int(&r, -5, 5) : 0,
                           rng_int(&r, -20, 20), {-128, 127},
                           t % 2 ? TSK_ROUND_SINGLE : TSK_ROUND_DOUBLE}; /* both modes */
        out_scale = (float)(in_scale * 0.01 * sqrt((double)depth) * 64 * 64 / 3 / 40);
        for (int i = 0; i < outs; i++) {
            ws[i] = q.n == 1 && i > 0 ? ws[0] : (float)rng_real(&r, 0.005, 0.015);
            bias[i] = rng_int(&r, -20000, 20000);
        }
        cr_assert_eq(tsk_conv_prepare_s8(in_scale, ws, outs, out_scale, mult, shift), TSK_OK);
        fill_s8(&r, in, batches * depth, -128, 127);
        fill_s8(&r, f, outs * depth, -120, 120);
        cr_assert_eq(run_fc(&p, &q, id, in, fd, f, bias, od, out), TSK_OK);
        for (int b = 0; b < batches; b++) {
            for (int o = 0; o < outs; o++) {
                int32_t acc = bias[o], qi = q.n == 1 ? 0 : o, want, exact;
                for (int d = 0; d < depth; d++) {
                    acc += (f[o * depth + d] + p.filter_offset) * (in[b * depth + d] + p.input_offset);
                }
                exact = ref_requant(acc, mult[qi], shift[qi], p.rounding) + p.output_offset;
                exact = exact < -128 ? -128 : (exact > 127 ? 127 : exact);
                cr_assert_eq(out[b * outs + o], exact, "case %d", t);
                want = quantize_ref((double)acc * in_scale * ws[o], out_scale, p.output_offset);
                cr_assert(abs(out[b * outs + o] - want) <= 1, "case %d: %d vs %d", t,
                          out[b * outs + o], want);
            }
        }
    }
}
