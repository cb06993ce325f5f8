/* tests/unit/kernels/test_float_kernels.c: the float32 kernels (conv2d_f32.c,
 * depthwise_conv2d_f32.c, fully_connected_f32.c, pools, softmax, logistic, add, mul, and the
 * libm-free exp) against straightforward double references on random shapes. */
#include <criterion/criterion.h>

#include "kernel_test_util.h"
#include "kernels/kernels_int.h"

static void assert_close(const float *got, const double *want, int32_t n, double tol, int t)
{
    for (int i = 0; i < n; i++)
        cr_assert(fabs(got[i] - want[i]) <= tol * (1.0 + fabs(want[i])),
                  "case %d elem %d: %g vs %g", t, i, got[i], want[i]);
}

Test(exp_f32, matches_libm_exp_to_a_few_ulp)
{
    for (double x = -87.0; x < 88.0; x += 0.0137) {
        double want = exp((double)(float)x);
        float got = tsk_exp_f32((float)x);
        cr_assert(fabs(got - want) <= 3e-7 * want, "x=%f got %g want %g", x, got, want);
    }
    cr_assert_eq(tsk_exp_f32(0.0f), 1.0f);
    cr_assert_eq(tsk_exp_f32(-200.0f), 0.0f);
    cr_assert(isinf(tsk_exp_f32(100.0f)));
}

Test(conv2d_f32, random_shapes_match_double_reference)
{
    rng r = {11u};
    for (int t = 0; t < 150; t++) {
        int32_t kh = rng_int(&r, 1, 3), kw = rng_int(&r, 1, 3), groups = rng_int(&r, 1, 2);
        tsk_dims fd = {groups * rng_int(&r, 1, 4), kh, kw, rng_int(&r, 1, 5)};
        tsk_dims id = {rng_int(&r, 1, 2), rng_int(&r, kh, 7), rng_int(&r, kw, 7), fd.c * groups};
        tsk_conv_params_f32 p = {{rng_int(&r, 1, 2), rng_int(&r, 1, 2)},
                                 {rng_int(&r, 0, kh - 1), rng_int(&r, 0, kw - 1)},
                                 {rng_int(&r, 1, 2), rng_int(&r, 1, 2)},
                                 {-1e30f, rng_int(&r, 0, 1) ? 1e30f : 0.5f}};
        tsk_dims od = {id.n, conv_out_size(id.h, kh, p.stride.h, p.dilation.h, 2 * p.padding.h),
                       conv_out_size(id.w, kw, p.stride.w, p.dilation.w, 2 * p.padding.w), fd.n};
        float in[2 * 7 * 7 * 10], f[8 * 3 * 3 * 5], bias[8], out[2 * 7 * 7 * 8];
        double want[2 * 7 * 7 * 8];
        od.h = od.h < 1 ? 1 : od.h;
        od.w = od.w < 1 ? 1 : od.w;
        fill_f32(&r, in, dims_count(id), -1, 1);
        fill_f32(&r, f, dims_count(fd), -1, 1);
        fill_f32(&r, bias, fd.n, -1, 1);
        cr_assert_eq(tsk_conv2d_f32(&p, &id, in, &fd, f, bias, &od, out), TSK_OK);
        for (int i = 0; i < dims_count(od); i++) {
            int oc = i % od.c, ox = (i / od.c) % od.w, oy = (i / od.c / od.w) % od.h;
            int b = i / od.c / od.w / od.h, g = oc / (od.c / groups);
            double acc = bias[oc];
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++)
                    for (int c = 0; c < fd.c; c++) {
                        int y = oy * p.stride.h - p.padding.h + ky * p.dilation.h;
                        int x = ox * p.stride.w - p.padding.w + kx * p.dilation.w;
                        if (y >= 0 && y < id.h && x >= 0 && x < id.w)
                            acc += (double)in[((b * id.h + y) * id.w + x) * id.c + g * fd.c + c] *
                                   f[((oc * kh + ky) * kw + kx) * fd.c + c];
                    }
            want[i] = acc > p.act.max ? p.act.max : acc;
        }
        assert_close(out, want, dims_count(od), 1e-5, t);
    }
}

Test(depthwise_conv2d_f32, random_shapes_match_double_reference)
{
    rng r = {12u};
    for (int t = 0; t < 150; t++) {
        int32_t kh = rng_int(&r, 1, 3), kw = rng_int(&r, 1, 3), m = rng_int(&r, 1, 3);
        tsk_dims id = {1, rng_int(&r, kh, 7), rng_int(&r, kw, 7), rng_int(&r, 1, 5)};
        tsk_dims fd = {1, kh, kw, id.c * m};
        tsk_dw_conv_params_f32 p = {{rng_int(&r, 1, 2), rng_int(&r, 1, 2)},
                                    {rng_int(&r, 0, kh - 1), rng_int(&r, 0, kw - 1)},
                                    {1, 1}, m, {-1e30f, 1e30f}};
        tsk_dims od = {1, conv_out_size(id.h, kh, p.stride.h, 1, 2 * p.padding.h),
                       conv_out_size(id.w, kw, p.stride.w, 1, 2 * p.padding.w), fd.c};
        float in[7 * 7 * 5], f[3 * 3 * 15], out[7 * 7 * 15];
        double want[7 * 7 * 15];
        fill_f32(&r, in, dims_count(id), -1, 1);
        fill_f32(&r, f, dims_count(fd), -1, 1);
        cr_assert_eq(tsk_depthwise_conv2d_f32(&p, &id, in, &fd, f, NULL, &od, out), TSK_OK);
        for (int i = 0; i < dims_count(od); i++) {
            int oc = i % od.c, ox = (i / od.c) % od.w, oy = i / od.c / od.w;
            double acc = 0.0;
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++) {
                    int y = oy * p.stride.h - p.padding.h + ky, x = ox * p.stride.w - p.padding.w + kx;
                    if (y >= 0 && y < id.h && x >= 0 && x < id.w)
                        acc += (double)in[(y * id.w + x) * id.c + oc / m] * f[(ky * kw + kx) * fd.c + oc];
                }
            want[i] = acc;
        }
        assert_close(out, want, dims_count(od), 1e-5, t);
    }
}

Test(fully_connected_f32, random_shapes_match_double_reference)
{
    rng r = {13u};
    for (int t = 0; t < 100; t++) {
        int32_t depth = rng_int(&r, 1, 50), outs = rng_int(&r, 1, 10), batches = rng_int(&r, 1, 3);
        tsk_dims id = {batches, 1, 1, depth}, fd = {outs, 1, 1, depth}, od = {batches, 1, 1, outs};
        tsk_fc_params_f32 p = {{0.0f, 1e30f}};
        float in[150], f[500], bias[10], out[30];
        double want[30];
        fill_f32(&r, in, batches * depth, -1, 1);
        fill_f32(&r, f, outs * depth, -1, 1);
        fill_f32(&r, bias, outs, -1, 1);
        cr_assert_eq(tsk_fully_connected_f32(&p, &id, in, &fd, f, bias, &od, out), TSK_OK);
        for (int b = 0; b < batches; b++)
            for (int o = 0; o < outs; o++) {
                double acc = bias[o];
                for (int d = 0; d < depth; d++)
                    acc += (double)in[b * depth + d] * f[o * depth + d];
                want[b * outs + o] = acc < 0 ? 0 : acc; /* RELU */
            }
        assert_close(out, want, batches * outs, 1e-5, t);
    }
}

Test(pool_f32, average_and_max_match_double_reference)
{
    rng r = {14u};
    for (int t = 0; t < 100; t++) {
        tsk_dims id = {1, rng_int(&r, 1, 8), rng_int(&r, 1, 8), rng_int(&r, 1, 4)};
        tsk_pool_params_f32 p;
        tsk_dims od;
        float in[256], avg[256], mx[256];
        double wa[256], wm[256];
        p.filter = (tsk_hw){rng_int(&r, 1, id.h), rng_int(&r, 1, id.w)};
        p.stride = (tsk_hw){rng_int(&r, 1, 2), rng_int(&r, 1, 2)};
        p.padding = (tsk_hw){rng_int(&r, 0, p.filter.h - 1), rng_int(&r, 0, p.filter.w - 1)};
        p.act = (tsk_range_f32){-1e30f, 1e30f};
        od = (tsk_dims){1, (id.h + 2 * p.padding.h - p.filter.h) / p.stride.h + 1,
                        (id.w + 2 * p.padding.w - p.filter.w) / p.stride.w + 1, id.c};
        fill_f32(&r, in, dims_count(id), -5, 5);
        cr_assert_eq(tsk_avg_pool_f32(&p, &id, in, &od, avg), TSK_OK);
        cr_assert_eq(tsk_max_pool_f32(&p, &id, in, &od, mx), TSK_OK);
        for (int i = 0; i < dims_count(od); i++) {
            int c = i % od.c, ox = (i / od.c) % od.w, oy = i / od.c / od.w, n = 0;
            double s = 0, m = -1e300;
            for (int y = oy * p.stride.h - p.padding.h; y < oy * p.stride.h - p.padding.h + p.filter.h; y++)
                for (int x = ox * p.stride.w - p.padding.w; x < ox * p.stride.w - p.padding.w + p.filter.w; x++)
                    if (y >= 0 && y < id.h && x >= 0 && x < id.w) {
                        double v = in[(y * id.w + x) * id.c + c];
                        s += v;
                        n++;
                        m = v > m ? v : m;
                    }
            wa[i] = s / n;
            wm[i] = m;
        }
        assert_close(avg, wa, dims_count(od), 1e-6, t);
        assert_close(mx, wm, dims_count(od), 0.0, t);
    }
}

Test(softmax_f32, rows_match_double_softmax)
{
    rng r = {15u};
    tsk_dims d = {1, 1, 3, 40};
    float in[120], out[120];
    double want[120];
    fill_f32(&r, in, 120, -10, 10);
    cr_assert_eq(tsk_softmax_f32(0.7f, &d, in, out), TSK_OK);
    for (int row = 0; row < 3; row++) {
        double mx = -1e300, s = 0;
        for (int i = 0; i < 40; i++) mx = in[row * 40 + i] > mx ? in[row * 40 + i] : mx;
        for (int i = 0; i < 40; i++) s += want[row * 40 + i] = exp(0.7 * (in[row * 40 + i] - mx));
        for (int i = 0; i < 40; i++) want[row * 40 + i] /= s;
    }
    assert_close(out, want, 120, 1e-6, 0);
}

Test(eltwise_f32, logistic_add_and_mul_match_double)
{
    rng r = {16u};
    tsk_dims d = {1, 2, 3, 4}, b = {1, 1, 3, 1};
    tsk_eltwise_params_f32 p = {{-1.0f, 1.0f}};
    float x[24], y[3], lo[24], add[24], mul[24];
    double wl[24], wa[24], wm[24];
    fill_f32(&r, x, 24, -3, 3);
    fill_f32(&r, y, 3, -1, 1);
    cr_assert_eq(tsk_logistic_f32(24, x, lo), TSK_OK);
    cr_assert_eq(tsk_add_f32(&p, &d, x, &b, y, &d, add), TSK_OK);
    cr_assert_eq(tsk_mul_f32(&p, &d, x, &b, y, &d, mul), TSK_OK);
    for (int i = 0; i < 24; i++) {
        double yv = y[(i / 4) % 3], s = (double)x[i] + yv, m = (double)x[i] * yv;
        wl[i] = 1.0 / (1.0 + exp(-(double)x[i]));
        wa[i] = s < -1 ? -1 : (s > 1 ? 1 : s); /* RELU_N1_TO_1 clamp */
        wm[i] = m < -1 ? -1 : (m > 1 ? 1 : m);
    }
    assert_close(lo, wl, 24, 1e-6, 0);
    assert_close(add, wa, 24, 1e-6, 0);
    assert_close(mul, wm, 24, 1e-6, 0);
}
