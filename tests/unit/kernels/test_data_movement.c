/* tests/unit/kernels/test_data_movement.c: CONCATENATION, PAD, MEAN, QUANTIZE and DEQUANTIZE
 * (concatenation.c, pad.c, mean_s8.c, mean_f32.c, quantize_s8.c, dequantize_s8.c): copies on
 * every axis, padding values and placement, mean requantisation against double (1 LSB) and by
 * hand, and the rounding of the float boundary ops. */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"

Test(concatenation_s8, joins_three_inputs_along_every_axis)
{
    for (int axis = 0; axis < 4; axis++) {
        tsk_dims base = {2, 2, 2, 2}, d[3], od = base;
        const int8_t *ins[3];
        int8_t bufs[3][64], out[256];
        int32_t extra[3] = {1, 2, 3}, total = 0;
        for (int i = 0; i < 3; i++) {
            d[i] = base;
            if (axis == 0) d[i].n = extra[i];
            if (axis == 1) d[i].h = extra[i];
            if (axis == 2) d[i].w = extra[i];
            if (axis == 3) d[i].c = extra[i];
            for (int k = 0; k < dims_count(d[i]); k++)
                bufs[i][k] = (int8_t)(i * 64 + k - 100);
            ins[i] = bufs[i];
            total += extra[i];
        }
        if (axis == 0) od.n = total;
        if (axis == 1) od.h = total;
        if (axis == 2) od.w = total;
        if (axis == 3) od.c = total;
        cr_assert_eq(tsk_concatenation_s8(axis, 3, d, ins, &od, out), TSK_OK);
        for (int n = 0; n < od.n; n++)
            for (int h = 0; h < od.h; h++)
                for (int w = 0; w < od.w; w++)
                    for (int c = 0; c < od.c; c++) {
                        int idx[4] = {n, h, w, c}, src = 0;
                        while (idx[axis] >= extra[src]) idx[axis] -= extra[src++];
                        int k = ((idx[0] * d[src].h + idx[1]) * d[src].w + idx[2]) * d[src].c + idx[3];
                        cr_assert_eq(out[((n * od.h + h) * od.w + w) * od.c + c], bufs[src][k],
                                     "axis %d", axis);
                    }
    }
}

Test(concatenation_f32, joins_along_channels_and_rejects_mismatch)
{
    tsk_dims d[2] = {{1, 1, 2, 1}, {1, 1, 2, 2}}, od = {1, 1, 2, 3}, bad = {1, 1, 2, 4};
    const float a[2] = {1, 2}, b[4] = {3, 4, 5, 6}, want[6] = {1, 3, 4, 2, 5, 6};
    const float *ins[2] = {a, b};
    float out[8];
    cr_assert_eq(tsk_concatenation_f32(3, 2, d, ins, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    cr_assert_eq(tsk_concatenation_f32(3, 2, d, ins, &bad, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_concatenation_f32(2, 2, d, ins, &od, out), TSK_ERR_ARG);
}

Test(pad_s8, surrounds_the_input_with_the_pad_value_on_all_axes)
{
    tsk_dims id = {1, 2, 1, 2}, od = {2, 3, 3, 3};
    tsk_pad_params p = {{1, 0, 1, 0}, {0, 1, 1, 1}};
    const int8_t in[4] = {1, 2, 3, 4};
    int8_t out[54];
    cr_assert_eq(tsk_pad_s8(&p, -7, &id, in, &od, out), TSK_OK);
    for (int i = 0; i < 54; i++) {
        int c = i % 3, w = (i / 3) % 3, h = (i / 9) % 3, n = i / 27;
        int inside = n == 1 && h < 2 && w == 1 && c < 2;
        cr_assert_eq(out[i], inside ? in[h * 2 + c] : -7, "elem %d", i);
    }
    od.c = 4;
    cr_assert_eq(tsk_pad_s8(&p, -7, &id, in, &od, out), TSK_ERR_ARG);
}

Test(pad_f32, pads_height_and_width_with_a_constant)
{
    tsk_dims id = {1, 1, 1, 1}, od = {1, 3, 2, 1};
    tsk_pad_params p = {{0, 1, 0, 0}, {0, 1, 1, 0}};
    const float in[1] = {5.0f}, want[6] = {0.5f, 0.5f, 5.0f, 0.5f, 0.5f, 0.5f};
    float out[6];
    cr_assert_eq(tsk_pad_f32(&p, 0.5f, &id, in, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(mean_s8, spatial_mean_with_same_quantisation_matches_hand_values)
{
    /* 2x2x2 -> channel means of {1,2,3,4}=2.5->3 and {-1,-2,-3,-4}=-2.5->-3. */
    tsk_dims id = {1, 2, 2, 2}, od = {1, 1, 1, 2};
    const int8_t in[8] = {1, -1, 2, -2, 3, -3, 4, -4};
    int8_t out[2];
    tsk_mean_params p;
    tsk_ctx ctx;
    cr_assert_eq(tsk_mean_prepare_s8(0.1f, 0, 0.1f, 0, 0x6, TSK_ROUND_DOUBLE, &p), TSK_OK);
    ctx = make_ctx(tsk_mean_s8_scratch_size(&id, p.axis_mask));
    cr_assert_eq(ctx.size, 8);
    cr_assert_eq(tsk_mean_s8(&ctx, &p, &id, in, &od, out), TSK_OK);
    cr_assert(out[0] == 3 && out[1] == -3, "%d %d", out[0], out[1]);
    free(ctx.buf);
}

Test(mean_s8, random_axes_are_within_one_lsb_of_double)
{
    rng r = {8080u};
    for (int t = 0; t < 200; t++) {
        tsk_dims id = {rng_int(&r, 1, 3), rng_int(&r, 1, 6), rng_int(&r, 1, 6), rng_int(&r, 1, 7)};
        int32_t mask = rng_int(&r, 1, 15), zi = rng_int(&r, -50, 50), zo = rng_int(&r, -50, 50);
        float si = (float)rng_real(&r, 0.01, 0.1), so = (float)(si * rng_real(&r, 0.3, 2.0));
        int8_t in[756], out[756];
        double sum[756] = {0};
        int32_t cnt = 1, n_out = 1, dims[4] = {id.n, id.h, id.w, id.c};
        tsk_mean_params p;
        tsk_dims od;
        tsk_ctx ctx;
        for (int a = 0; a < 4; a++) {
            if ((mask >> a) & 1) cnt *= dims[a]; else n_out *= dims[a];
        }
        od = (tsk_dims){1, 1, 1, n_out};
        fill_s8(&r, in, dims_count(id), -128, 127);
        cr_assert_eq(tsk_mean_prepare_s8(si, zi, so, zo, mask,
                                         t % 2 ? TSK_ROUND_SINGLE : TSK_ROUND_DOUBLE, &p),
                     TSK_OK); /* both modes */
        ctx = make_ctx(tsk_mean_s8_scratch_size(&id, mask));
        cr_assert_eq(tsk_mean_s8(&ctx, &p, &id, in, &od, out), TSK_OK);
        free(ctx.buf);
        for (int i = 0; i < dims_count(id); i++) {
            int idx[4] = {i / (id.h * id.w * id.c), (i / (id.w * id.c)) % id.h, (i / id.c) % id.w,
                          i % id.c}, o = 0;
            for (int a = 0; a < 4; a++)
                if (!((mask >> a) & 1)) o = o * dims[a] + idx[a];
            sum[o] += si * (in[i] - zi);
        }
        for (int o = 0; o < n_out; o++) {
            int32_t q = quantize_ref(sum[o] / cnt, so, zo);
            cr_assert(abs(out[o] - q) <= 1, "case %d out %d: %d vs %d", t, o, out[o], q);
        }
    }
}

Test(mean_f32, averages_over_height_and_width)
{
    tsk_dims id = {1, 2, 2, 2}, od = {1, 1, 1, 2};
    const float in[8] = {1, 10, 2, 20, 3, 30, 4, 40}, want[2] = {2.5f, 25.0f};
    float out[2];
    cr_assert_eq(tsk_mean_f32(0x6, &id, in, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(quantize_s8, rounds_half_away_from_zero_and_saturates)
{
    tsk_affine_params p = {0.5f, -3};
    const float in[9] = {0.25f, -0.25f, 0.75f, -0.75f, 0.2f, 1000.0f, -1000.0f, NAN, 0.0f};
    const int8_t want[9] = {-2, -4, -1, -5, -3, 127, -128, -3, -3};
    int8_t out[9];
    cr_assert_eq(tsk_quantize_s8(&p, 9, in, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    p.scale = 0.0f;
    cr_assert_eq(tsk_quantize_s8(&p, 9, in, out), TSK_ERR_ARG);
}

Test(dequantize_s8, scales_the_offset_value)
{
    tsk_affine_params p = {0.1f, 10};
    const int8_t in[3] = {10, 20, -128};
    float out[3];
    cr_assert_eq(tsk_dequantize_s8(&p, 3, in, out), TSK_OK);
    cr_assert(out[0] == 0.0f && out[1] == (float)(0.1f * 10.0f) && out[2] == 0.1f * -138.0f);
}
