/* tests/unit/kernels/test_pool_s8.c: AVERAGE_POOL_2D and MAX_POOL_2D int8 (avg_pool_s8.c,
 * max_pool_s8.c): TFLite's rounding of the average (half away from zero, incl. negative ties),
 * windows clipped at borders, clamping, all-padding windows rejected, and random shapes
 * against a direct double computation (exact). */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"

Test(avg_pool_s8, rounds_the_average_half_away_from_zero)
{
    /* 1x1 pooling windows of width 2 (or 3) over pairs: sums 3, -3, -1, 1 / 2 and -4, -5 / 3. */
    tsk_dims id = {1, 1, 8, 1}, od = {1, 1, 4, 1}, id3 = {1, 1, 6, 1}, od3 = {1, 1, 2, 1};
    const int8_t in[8] = {1, 2, -1, -2, 0, -1, 0, 1}, want[4] = {2, -2, -1, 1};
    const int8_t in3[6] = {-1, -1, -2, -2, -2, -1}, want3[2] = {-1, -2};
    int8_t out[4];
    tsk_pool_params p = {{1, 2}, {0, 0}, {1, 2}, {-128, 127}};
    cr_assert_eq(tsk_avg_pool_s8(&p, &id, in, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    p.stride.w = 3;
    p.filter.w = 3;
    cr_assert_eq(tsk_avg_pool_s8(&p, &id3, in3, &od3, out), TSK_OK);
    cr_assert_arr_eq(out, want3, sizeof want3);
}

Test(avg_pool_s8, border_windows_average_only_the_inside_part)
{
    /* 3x3 image 0..8, 3x3 window, pad 1: top-left averages {0,1,3,4} = 2, centre 36/9 = 4. */
    tsk_dims id = {1, 3, 3, 1}, od = {1, 3, 3, 1};
    const int8_t in[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    const int8_t want[9] = {2, 3, 3, 4, 4, 5, 5, 6, 6};
    int8_t out[9];
    tsk_pool_params p = {{1, 1}, {1, 1}, {3, 3}, {-128, 127}};
    cr_assert_eq(tsk_avg_pool_s8(&p, &id, in, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(avg_pool_s8, rejects_a_window_entirely_in_the_padding)
{
    tsk_dims id = {1, 2, 2, 1}, od = {1, 3, 3, 1};
    int8_t in[4] = {0}, out[9];
    tsk_pool_params p = {{2, 2}, {2, 2}, {2, 2}, {-128, 127}}; /* first window covers -2..-1 */
    cr_assert_eq(tsk_avg_pool_s8(&p, &id, in, &od, out), TSK_ERR_ARG);
}

Test(max_pool_s8, takes_the_window_maximum_and_clamps)
{
    tsk_dims id = {1, 2, 4, 2}, od = {1, 1, 2, 2};
    const int8_t in[16] = {-128, 5, -100, 6, 1, 2, 3, 4, -90, 7, -80, 8, 100, 9, 120, 10};
    const int8_t want[4] = {-80, 8, 120, 10}, want_clamped[4] = {-50, 8, 90, 10};
    int8_t out[4];
    tsk_pool_params p = {{2, 2}, {0, 0}, {2, 2}, {-128, 127}};
    cr_assert_eq(tsk_max_pool_s8(&p, &id, in, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want, sizeof want);
    p.act = (tsk_range){-50, 90};
    cr_assert_eq(tsk_max_pool_s8(&p, &id, in, &od, out), TSK_OK);
    cr_assert_arr_eq(out, want_clamped, sizeof want_clamped);
}

Test(pool_s8, random_shapes_match_direct_computation_exactly)
{
    rng r = {4242u};
    for (int t = 0; t < 200; t++) {
        tsk_pool_params p;
        tsk_dims id = {rng_int(&r, 1, 2), rng_int(&r, 1, 9), rng_int(&r, 1, 9), rng_int(&r, 1, 80)};
        tsk_dims od;
        int8_t in[2 * 9 * 9 * 80], avg[2 * 9 * 9 * 80], mx[2 * 9 * 9 * 80];
        p.filter = (tsk_hw){rng_int(&r, 1, id.h), rng_int(&r, 1, id.w)};
        p.stride = (tsk_hw){rng_int(&r, 1, 3), rng_int(&r, 1, 3)};
        p.padding = (tsk_hw){rng_int(&r, 0, p.filter.h - 1), rng_int(&r, 0, p.filter.w - 1)};
        p.act = (tsk_range){-128, 127};
        od = (tsk_dims){id.n, (id.h + 2 * p.padding.h - p.filter.h) / p.stride.h + 1,
                        (id.w + 2 * p.padding.w - p.filter.w) / p.stride.w + 1, id.c};
        fill_s8(&r, in, dims_count(id), -128, 127);
        cr_assert_eq(tsk_avg_pool_s8(&p, &id, in, &od, avg), TSK_OK, "case %d", t);
        cr_assert_eq(tsk_max_pool_s8(&p, &id, in, &od, mx), TSK_OK);
        for (int i = 0; i < dims_count(od); i++) {
            int c = i % od.c, ox = (i / od.c) % od.w, oy = (i / od.c / od.w) % od.h;
            int b = i / od.c / od.w / od.h, n = 0, sum = 0, m = -128;
            for (int y = oy * p.stride.h - p.padding.h; y < oy * p.stride.h - p.padding.h + p.filter.h; y++)
                for (int x = ox * p.stride.w - p.padding.w; x < ox * p.stride.w - p.padding.w + p.filter.w; x++) {
                    if (y < 0 || y >= id.h || x < 0 || x >= id.w)
                        continue;
                    int v = in[((b * id.h + y) * id.w + x) * id.c + c];
                    sum += v;
                    n++;
                    m = v > m ? v : m;
                }
            cr_assert_eq(avg[i], (int)round((double)sum / n), "case %d elem %d", t, i);
            cr_assert_eq(mx[i], m);
        }
    }
}
