/* tests/unit/kernels/test_move.c: the ops-move kernels, with hand-computed values: SPLIT
 * (split.c) of numbered tensors along every kind of axis, unequal parts (SPLIT_V), parts of
 * size 1 (UNPACK), and shape checks that refuse before writing; STRIDED_SLICE
 * (strided_slice.c): negative begins and strides, TFLite's mask rules, refusals;
 * RESIZE_BILINEAR (resize.c) against re-derivations of TFLite's reference arithmetic on random
 * shapes, and by hand at ties, edges and refusals. */
#include <criterion/criterion.h>

#include <string.h>

#include "kernel_test_util.h"

/* in [2,3,4] numbered 0..23 (as {1,2,3,4}) split along W (axis 2) into sizes 1 and 2:
 * out0 = in[:, 0:1, :] = {0..3, 12..15}, out1 = in[:, 1:3, :] = {4..11, 16..23}. */
Test(split, unequal_parts_along_a_middle_axis_of_a_numbered_tensor)
{
    tsk_dims in = {1, 2, 3, 4}, outs[2] = {{1, 2, 1, 4}, {1, 2, 2, 4}};
    int8_t a[24], o0[8], o1[16];
    int8_t *out[2] = {o0, o1};
    const int8_t want0[8] = {0, 1, 2, 3, 12, 13, 14, 15};
    const int8_t want1[16] = {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23};

    for (int i = 0; i < 24; i++)
        a[i] = (int8_t)i;
    cr_assert_eq(tsk_split_s8(2, 2, &in, a, outs, out), TSK_OK);
    cr_assert_arr_eq(o0, want0, sizeof o0);
    cr_assert_arr_eq(o1, want1, sizeof o1);
}

/* Innermost (C) and outermost (N) axes, float: [2,1,1,4] along C into 4 parts of 1 (UNPACK's
 * case): out_k = {k, 4 + k}; along N into 2: the two halves. */
Test(split, innermost_and_outermost_axes_in_float)
{
    tsk_dims in = {2, 1, 1, 4}, c1[4] = {{2, 1, 1, 1}, {2, 1, 1, 1}, {2, 1, 1, 1}, {2, 1, 1, 1}};
    tsk_dims n1[2] = {{1, 1, 1, 4}, {1, 1, 1, 4}};
    float a[8], o[4][2], h[2][4];
    float *out[4] = {o[0], o[1], o[2], o[3]}, *halves[2] = {h[0], h[1]};

    for (int i = 0; i < 8; i++)
        a[i] = (float)i;
    cr_assert_eq(tsk_split_f32(3, 4, &in, a, c1, out), TSK_OK);
    for (int k = 0; k < 4; k++)
        cr_expect(o[k][0] == (float)k && o[k][1] == (float)(4 + k), "part %d", k);
    cr_assert_eq(tsk_split_f32(0, 2, &in, a, n1, halves), TSK_OK);
    cr_expect(h[0][0] == 0.0f && h[0][3] == 3.0f && h[1][0] == 4.0f && h[1][3] == 7.0f);
}

/* Parts that do not sum to the axis, a part that differs off the axis, a NULL output, a bad
 * axis: TSK_ERR_ARG, nothing written. */
Test(split, shapes_that_do_not_tile_the_input_are_refused_before_writing)
{
    tsk_dims in = {1, 1, 4, 2}, short_[2] = {{1, 1, 1, 2}, {1, 1, 2, 2}};
    tsk_dims off[2] = {{1, 1, 2, 2}, {1, 1, 2, 1}}, ok[2] = {{1, 1, 2, 2}, {1, 1, 2, 2}};
    int8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, o0[4] = {0}, o1[4] = {0};
    int8_t *out[2] = {o0, o1}, *null_out[2] = {o0, NULL};
    const int8_t zero[4] = {0};

    cr_assert_eq(tsk_split_s8(2, 2, &in, a, short_, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_split_s8(2, 2, &in, a, off, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_split_s8(2, 2, &in, a, ok, null_out), TSK_ERR_ARG);
    cr_assert_eq(tsk_split_s8(4, 2, &in, a, ok, out), TSK_ERR_ARG);
    cr_assert_arr_eq(o0, zero, sizeof o0);
    cr_assert_eq(tsk_split_s8(2, 2, &in, a, ok, out), TSK_OK);
    cr_expect(o0[3] == 4 && o1[0] == 5);
}

/* [6,8] numbered 0..47, begin (1,-1), end (5,0), strides (2,-2): rows 1, 3 (5 excluded),
 * columns 7, 5, 3, 1 (0 excluded): 15 13 11 9 / 31 29 27 25. */
Test(strided_slice, negative_begin_and_stride_on_a_numbered_matrix)
{
    const int32_t shape[2] = {6, 8}, begin[2] = {1, -1}, end[2] = {5, 0}, strides[2] = {2, -2};
    const int8_t want[8] = {15, 13, 11, 9, 31, 29, 27, 25};
    tsk_strided_slice_params p;
    int32_t counts[4];
    tsk_dims in = {1, 1, 6, 8}, out;
    int8_t a[48], got[8];

    for (int i = 0; i < 48; i++)
        a[i] = (int8_t)i;
    cr_assert_eq(tsk_strided_slice_prepare(2, shape, begin, end, strides, 0, 0, 0, &p, counts),
                 TSK_OK);
    cr_assert(counts[0] == 1 && counts[1] == 1 && counts[2] == 2 && counts[3] == 4);
    cr_assert(p.start[2] == 1 && p.start[3] == 7 && p.stride[3] == -2);
    out = (tsk_dims){counts[0], counts[1], counts[2], counts[3]};
    cr_assert_eq(tsk_strided_slice_s8(&p, &in, a, &out, got), TSK_OK);
    cr_assert_arr_eq(got, want, sizeof got);
}

/* The same walk on int16 elements numbered 1000 * i - 20000 (both bytes of each matter): the
 * elements 15, 13, 11, 9, 31, 29, 27, 25 move whole. */
Test(strided_slice, int16_elements_move_whole)
{
    const int32_t shape[2] = {6, 8}, begin[2] = {1, -1}, end[2] = {5, 0}, strides[2] = {2, -2};
    const int16_t want[8] = {-5000, -7000, -9000, -11000, 11000, 9000, 7000, 5000};
    tsk_strided_slice_params p;
    int32_t counts[4];
    tsk_dims in = {1, 1, 6, 8}, out = {1, 1, 2, 4};
    int16_t a[48], got[8];

    for (int i = 0; i < 48; i++)
        a[i] = (int16_t)(1000 * i - 20000);
    cr_assert_eq(tsk_strided_slice_prepare(2, shape, begin, end, strides, 0, 0, 0, &p, counts),
                 TSK_OK);
    cr_assert_eq(tsk_strided_slice_s16(&p, &in, a, &out, got), TSK_OK);
    cr_assert_arr_eq(got, want, sizeof got);
    out.c = 5; /* a fifth column would be -1: a walk past the input is refused */
    cr_assert_eq(tsk_strided_slice_s16(&p, &in, a, &out, got), TSK_ERR_ARG);
}

/* Masks: a 1-D [10] from -2 (8) with end_mask and stride -3 runs to the front: 8, 5, 2; a
 * shrunk axis takes its begin alone (end ignored) and a begin_mask the whole axis. */
Test(strided_slice, masks_follow_tflite_start_and_stop_rules)
{
    const int32_t s1[1] = {10}, b1[1] = {-2}, e1[1] = {0}, t1[1] = {-3};
    const int32_t s2[2] = {4, 5}, b2[2] = {2, 3}, e2[2] = {0, 0}, t2[2] = {1, 1};
    tsk_strided_slice_params p;
    int32_t counts[4];
    float a[10], got[3];
    tsk_dims in = {1, 1, 1, 10}, out = {1, 1, 1, 3};

    for (int i = 0; i < 10; i++)
        a[i] = (float)i;
    cr_assert_eq(tsk_strided_slice_prepare(1, s1, b1, e1, t1, 0, 1, 0, &p, counts), TSK_OK);
    cr_assert_eq(counts[3], 3);
    cr_assert_eq(tsk_strided_slice_f32(&p, &in, a, &out, got), TSK_OK);
    cr_expect(got[0] == 8.0f && got[1] == 5.0f && got[2] == 2.0f);
    /* axis 0 shrunk at 2 (end 0 ignored), axis 1 begin-masked: 0..4 of row 2 */
    cr_assert_eq(tsk_strided_slice_prepare(2, s2, b2, e2, t2, 2, 2, 1, &p, counts), TSK_OK);
    cr_expect(counts[2] == 1 && counts[3] == 5 && p.start[2] == 2 && p.start[3] == 0);
}

/* The most negative stride: begin 9, end 0 of [10] is ceil(-9 / -2^31) = 1 element (TFLite's
 * dim_shape), index 9; negating the stride in int32 would overflow. */
Test(strided_slice, the_most_negative_stride_takes_one_element)
{
    const int32_t s[1] = {10}, b[1] = {9}, e[1] = {0}, t[1] = {-2147483647 - 1};
    tsk_strided_slice_params p;
    int32_t counts[4];
    tsk_dims in = {1, 1, 1, 10}, out = {1, 1, 1, 1};
    int8_t a[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, got[1] = {0};

    cr_assert_eq(tsk_strided_slice_prepare(1, s, b, e, t, 0, 0, 0, &p, counts), TSK_OK);
    cr_assert(counts[3] == 1 && p.start[3] == 9);
    cr_assert_eq(tsk_strided_slice_s8(&p, &in, a, &out, got), TSK_OK);
    cr_expect_eq(got[0], 9);
}

/* A zero stride, an empty slice, and parameters that walk outside the input. */
Test(strided_slice, zero_strides_empty_slices_and_overruns_are_refused)
{
    const int32_t s[1] = {6}, b[1] = {4}, e[1] = {2}, zero[1] = {0}, one[1] = {1};
    tsk_strided_slice_params p, over = {{0, 0, 0, 4}, {1, 1, 1, 2}};
    int32_t counts[4];
    tsk_dims in = {1, 1, 1, 6}, out = {1, 1, 1, 2};
    int8_t a[6] = {0}, got[2];

    cr_assert_eq(tsk_strided_slice_prepare(1, s, b, e, zero, 0, 0, 0, &p, counts), TSK_ERR_ARG);
    cr_assert_eq(tsk_strided_slice_prepare(1, s, b, e, one, 0, 0, 0, &p, counts),
                 TSK_ERR_UNSUPPORTED);
    cr_assert_eq(tsk_strided_slice_s8(&over, &in, a, &out, got), TSK_ERR_ARG); /* 4, 6 */
}

/* [1,2,4,1] numbered 0..7 with 2x2 blocks: block (0,0) holds pixels 0 1 / 4 5, block (0,1)
 * 2 3 / 6 7: depth [1,1,2,4] = 0 1 4 5 2 3 6 7; DEPTH_TO_SPACE gives the input back. */
Test(space_depth, blocks_become_channels_and_back)
{
    tsk_block_params p = {2};
    tsk_dims space = {1, 2, 4, 1}, depth = {1, 1, 2, 4};
    const int8_t want[8] = {0, 1, 4, 5, 2, 3, 6, 7};
    int8_t a[8], d[8], back[8];

    for (int i = 0; i < 8; i++)
        a[i] = (int8_t)i;
    cr_assert_eq(tsk_space_to_depth_s8(&p, &space, a, &depth, d), TSK_OK);
    cr_assert_arr_eq(d, want, sizeof d);
    cr_assert_eq(tsk_depth_to_space_s8(&p, &depth, d, &space, back), TSK_OK);
    cr_assert_arr_eq(back, a, sizeof a);
    p.block = 3;
    cr_assert_eq(tsk_space_to_depth_s8(&p, &space, a, &depth, d), TSK_ERR_ARG);
}

/* Width 4 -> 7 (scale 4/7): plain floor picks 0 0 1 1 2 2 3; half_pixel_centers
 * floor((x + 0.5) * 4/7) = 0 0 1 2 2 3 3; align_corners (scale 3/6 = 0.5) rounds x * 0.5 with
 * ties away from zero: 0 1 1 2 2 3 3. Channels move together (C = 2: values 10*i, 10*i+1). */
Test(resize_nearest, the_three_coordinate_rules_on_a_numbered_row)
{
    static const int8_t plain[7] = {0, 0, 1, 1, 2, 2, 3}, half[7] = {0, 0, 1, 2, 2, 3, 3};
    static const int8_t corners[7] = {0, 1, 1, 2, 2, 3, 3};
    const int8_t *want[3] = {plain, half, corners};
    tsk_resize_params p[3] = {{0, 0, 0}, {0, 1, 0}, {1, 0, 0}};
    tsk_dims in = {1, 1, 4, 2}, out = {1, 1, 7, 2};
    int8_t a[8], got[14];

    for (int i = 0; i < 4; i++)
        a[2 * i] = (int8_t)(10 * i), a[2 * i + 1] = (int8_t)(10 * i + 1);
    for (int k = 0; k < 3; k++) {
        cr_assert_eq(tsk_resize_nearest_s8(&p[k], &in, a, &out, got), TSK_OK);
        for (int x = 0; x < 7; x++)
            cr_expect(got[2 * x] == 10 * want[k][x] && got[2 * x + 1] == 10 * want[k][x] + 1,
                      "rule %d, x %d: got %d", k, x, got[2 * x]);
    }
}

/* FILL copies the scalar everywhere; ZEROS_LIKE writes +0.0f (all bits zero). */
Test(fill, fill_and_zeros_like_write_every_element)
{
    tsk_dims d = {1, 2, 3, 1};
    int8_t v = -7, o[6];
    float fv = 2.5f, fo[6], z[6];
    const uint32_t zero_bits[6] = {0};

    memset(o, 0, sizeof o);
    memset(z, 0xff, sizeof z);
    cr_assert_eq(tsk_fill_s8(&d, &v, o), TSK_OK);
    cr_assert_eq(tsk_fill_f32(&d, &fv, fo), TSK_OK);
    cr_assert_eq(tsk_zeros_like_f32(6, fo, z), TSK_OK);
    for (int i = 0; i < 6; i++)
        cr_expect(o[i] == -7 && fo[i] == 2.5f, "element %d", i);
    cr_assert_arr_eq(z, zero_bits, sizeof z);
    cr_assert_eq(tsk_fill_s8(&d, NULL, o), TSK_ERR_ARG);
}

/* CAST moves raw values: int32 300 wraps to int8 44 and -129 to 127; float -1.7 truncates to
 * int32 -1 and 2.9 to int16 2; int16 -5 is float -5; int8 -128 is int32 -128. */
Test(cast, raw_values_wrap_truncate_and_widen)
{
    const int32_t i32[2] = {300, -129};
    const float f[2] = {-1.7f, 2.9f};
    const int16_t i16[1] = {-5};
    const int8_t i8[1] = {-128};
    int8_t o8[2];
    int32_t o32[2];
    int16_t o16[2];
    float of[1];
    tsk_cast_params p = {TSK_ELEM_INT32, TSK_ELEM_INT8};

    cr_assert_eq(tsk_cast(&p, 2, i32, o8), TSK_OK);
    cr_expect(o8[0] == 44 && o8[1] == 127);
    p = (tsk_cast_params){TSK_ELEM_FLOAT32, TSK_ELEM_INT32};
    cr_assert_eq(tsk_cast(&p, 2, f, o32), TSK_OK);
    cr_expect(o32[0] == -1 && o32[1] == 2);
    p = (tsk_cast_params){TSK_ELEM_FLOAT32, TSK_ELEM_INT16};
    cr_assert_eq(tsk_cast(&p, 2, f, o16), TSK_OK);
    cr_expect(o16[0] == -1 && o16[1] == 2);
    p = (tsk_cast_params){TSK_ELEM_INT16, TSK_ELEM_FLOAT32};
    cr_assert_eq(tsk_cast(&p, 1, i16, of), TSK_OK);
    cr_expect(of[0] == -5.0f);
    p = (tsk_cast_params){TSK_ELEM_INT8, TSK_ELEM_INT32};
    cr_assert_eq(tsk_cast(&p, 1, i8, o32), TSK_OK);
    cr_expect(o32[0] == -128);
    p.to = 7;
    cr_assert_eq(tsk_cast(&p, 1, i8, o32), TSK_ERR_ARG);
}

/* SPLIT_V's size_splits (TFLite split.cc), shared by sim/ref and sim/gen: the one -1 takes the
 * rest of the axis; a -1 left nothing (TFLite: a zero-sized output), a 0 and a wrong sum are
 * refused with the index at fault (-1 for the sum). */
Test(split_v_sizes, minus_one_takes_the_rest_and_refusals_name_the_index)
{
    const int32_t a[3] = {2, -1, 1}, full[3] = {5, -1, 2}, zero[3] = {2, 0, 1}, big[2] = {3, 5};
    int32_t sizes[3], bad;

    cr_assert_eq(tsk_split_v_sizes(3, a, 7, sizes, &bad), TSK_OK);
    cr_expect(sizes[0] == 2 && sizes[1] == 4 && sizes[2] == 1);
    cr_expect_eq(tsk_split_v_sizes(3, full, 7, sizes, &bad), TSK_ERR_UNSUPPORTED);
    cr_expect_eq(bad, 1);
    cr_expect_eq(tsk_split_v_sizes(3, zero, 7, sizes, &bad), TSK_ERR_ARG);
    cr_expect_eq(bad, 1);
    cr_expect_eq(tsk_split_v_sizes(2, big, 7, sizes, &bad), TSK_ERR_ARG);
    cr_expect_eq(bad, -1);
}

/* ---- RESIZE_BILINEAR ---- */

/* One axis of TFLite's ResizeBilinearInteger, re-derived in double: the scale is 1024 * in /
 * out (align_corners: (in - 1) / (out - 1)) rounded half up to an integer (what TFLite's
 * (1024 * in + out / 2) / out computes), the coordinate s (in 1/1024) is v * scale (+ scale / 2
 * - 512 with half_pixel_centers, scale / 2 truncating), the taps are max(floor(s / 1024), 0) and
 * min(ceil(s / 1024), size - 1), the second's weight s / 1024 minus the first; a first tap past
 * the input (huge upscales) reads the last row, weights kept (kernels/resize.c). */
static void q10_axis_ref(int32_t v, int32_t in, int32_t out, int align, int half, int32_t *lo,
                         int32_t *hi, double *w1)
{
    double ratio = align && out > 1 ? 1024.0 * (in - 1) / (out - 1) : 1024.0 * in / out;
    int32_t scale = (int32_t)floor(ratio + 0.5);
    int32_t s = half ? v * scale + scale / 2 - 512 : v * scale;
    double c = s / 1024.0;

    *lo = (int32_t)fmax(floor(c), 0.0);
    *hi = (int32_t)fmin(ceil(c), in - 1.0);
    *w1 = c - *lo;
    if (*lo > in - 1)
        *lo = in - 1;
}

/* TFLite's float ResizeBilinear transcribed with libm floorf/ceilf: coordinates, weights and
 * the sum in float32, the four products left to right in its order, + 0.0f. */
static float f32_ref_at(const float *in, const tsk_dims *di, const tsk_dims *dout,
                        const tsk_resize_params *p, int32_t n, int32_t y, int32_t x, int32_t c)
{
    float sh = p->align_corners && dout->h > 1 ? (float)(di->h - 1) / (float)(dout->h - 1)
                                               : (float)di->h / (float)dout->h;
    float sw = p->align_corners && dout->w > 1 ? (float)(di->w - 1) / (float)(dout->w - 1)
                                               : (float)di->w / (float)dout->w;
    float iy = p->half_pixel_centers ? ((float)y + 0.5f) * sh - 0.5f : (float)y * sh;
    float ix = p->half_pixel_centers ? ((float)x + 0.5f) * sw - 0.5f : (float)x * sw;
    int32_t y0 = (int32_t)floorf(iy) < 0 ? 0 : (int32_t)floorf(iy);
    int32_t x0 = (int32_t)floorf(ix) < 0 ? 0 : (int32_t)floorf(ix);
    int32_t y1 = (int32_t)ceilf(iy) > di->h - 1 ? di->h - 1 : (int32_t)ceilf(iy);
    int32_t x1 = (int32_t)ceilf(ix) > di->w - 1 ? di->w - 1 : (int32_t)ceilf(ix);
#define AT(yy, xx) in[((n * di->h + (yy)) * di->w + (xx)) * di->c + c]
    return AT(y0, x0) * (1 - (iy - (float)y0)) * (1 - (ix - (float)x0)) +
           AT(y1, x0) * (iy - (float)y0) * (1 - (ix - (float)x0)) +
           AT(y0, x1) * (1 - (iy - (float)y0)) * (ix - (float)x0) +
           AT(y1, x1) * (iy - (float)y0) * (ix - (float)x0) + 0.0f;
#undef AT
}

/* One axis of the float interpolation in double from the exact coordinate: scale (in - 1) /
 * (out - 1) (align_corners) or in / out, s = v * scale or (v + 0.5) * scale - 0.5, taps
 * max(floor(s), 0) and min(ceil(s), size - 1), the second's weight s minus the first. */
static void real_axis_ref(int32_t v, int32_t in, int32_t out, int align, int half, int32_t *lo,
                          int32_t *hi, double *w1)
{
    double scale = align && out > 1 ? (double)(in - 1) / (out - 1) : (double)in / out;
    double c = half ? (v + 0.5) * scale - 0.5 : v * scale;

    *lo = (int32_t)fmax(floor(c), 0.0);
    *hi = (int32_t)fmax(fmin(ceil(c), in - 1.0), 0.0);
    *w1 = c - *lo;
}

/* Random shapes ([1..2, 1..6, 1..6, 1..3] to 1..11 rows and columns, every option pair but
 * both, both roundings), 400 of them. int8 (q10): the kernel equals the exact value of the
 * 2^-20 weighted sum (q10_axis_ref; exact in double: integers times multiples of 2^-20),
 * rounded half up (single) or half away from zero (double). float32: the kernel equals TFLite's
 * float expression bit for bit (f32_ref_at) and lies within 1e-6 of the interpolation at the
 * exact coordinates (inputs in [-1, 1]: float32 scales and coordinates move the weights by a
 * few ULP only). */
static void check_random_cases(uint32_t seed, bool q10)
{
    rng r = {seed};
    int8_t in8[6 * 6 * 6 * 3], out8[2 * 11 * 11 * 3];
    float inf[6 * 6 * 6 * 3], outf[2 * 11 * 11 * 3];

    for (int iter = 0; iter < 400; iter++) {
        tsk_dims di = {rng_int(&r, 1, 2), rng_int(&r, 1, 6), rng_int(&r, 1, 6), rng_int(&r, 1, 3)};
        tsk_dims dout = {di.n, rng_int(&r, 1, 11), rng_int(&r, 1, 11), di.c};
        int opt = rng_int(&r, 0, 2);
        tsk_resize_params p = {opt == 1, opt == 2, rng_int(&r, 0, 1)};
        void (*axis)(int32_t, int32_t, int32_t, int, int, int32_t *, int32_t *, double *) =
            q10 ? q10_axis_ref : real_axis_ref;

        fill_s8(&r, in8, dims_count(di), -128, 127);
        fill_f32(&r, inf, dims_count(di), -1.0, 1.0);
        cr_assert_eq(q10 ? tsk_resize_bilinear_s8(&p, &di, in8, &dout, out8)
                         : tsk_resize_bilinear_f32(&p, &di, inf, &dout, outf), TSK_OK);
        for (int32_t k = 0; k < dims_count(dout); k++) {
            int32_t c = k % di.c, x = k / di.c % dout.w, y = k / di.c / dout.w % dout.h;
            int32_t n = k / di.c / dout.w / dout.h, y0, y1, x0, x1;
            double fy, fx, v;
            axis(y, di.h, dout.h, p.align_corners, p.half_pixel_centers, &y0, &y1, &fy);
            axis(x, di.w, dout.w, p.align_corners, p.half_pixel_centers, &x0, &x1, &fx);
#define AT(yy, xx) (q10 ? (double)in8[((n * di.h + (yy)) * di.w + (xx)) * di.c + c] \
                        : (double)inf[((n * di.h + (yy)) * di.w + (xx)) * di.c + c])
            v = AT(y0, x0) * (1 - fy) * (1 - fx) + AT(y1, x0) * fy * (1 - fx) +
                AT(y0, x1) * (1 - fy) * fx + AT(y1, x1) * fy * fx;
#undef AT
            if (q10) {
                double want = p.rounding == TSK_ROUND_SINGLE ? floor(v + 0.5) : round(v);
                cr_assert_eq(out8[k], (int8_t)want, "iter %d [%d,%d,%d,%d] -> %dx%d opt %d "
                             "rounding %d: element %d got %d, exact %.9g", iter, di.n, di.h,
                             di.w, di.c, dout.h, dout.w, opt, p.rounding, k, out8[k], v);
            } else {
                float want = f32_ref_at(inf, &di, &dout, &p, n, y, x, c);
                cr_assert(memcmp(&outf[k], &want, 4) == 0, "iter %d opt %d element %d: got "
                          "%.9g, TFLite's expression %.9g", iter, opt, k, (double)outf[k],
                          (double)want);
                cr_assert(fabs((double)outf[k] - v) <= 1e-6, "iter %d opt %d element %d: got "
                          "%.9g, exact %.9g", iter, opt, k, (double)outf[k], v);
            }
        }
    }
}

Test(resize_bilinear, int8_equals_the_exactly_rounded_fixed_point_sum_on_random_shapes)
{
    check_random_cases(0xb111ea7u, true);
}

Test(resize_bilinear, float_is_tflites_expression_and_the_exact_interpolation_on_random_shapes)
{
    check_random_cases(0xf10a7b1u, false);
}

/* Hand values. [1,1,2,1] {-1, 0} to width 4, no option: scale 512/1024, x = 1 is -0.5 exactly:
 * single rounding gives 0 (ties up), double -1 (away from zero); x = 2, 3 sit on input 1
 * (lo = 1, hi clamped to 1): 0. 2x float upscale of {0, 1}: 0, 0.5, 1, 1. 1 -> 70 rows (TFLite's
 * scale 15 takes row 69 to 1035 / 1024, past the only row): every output is the input value.
 * Both options set: refused. */
Test(resize_bilinear, ties_edges_and_refusal_by_hand)
{
    const int8_t a[2] = {-1, 0}, big[1] = {-77};
    const float f[2] = {0.0f, 1.0f}, fw[4] = {0.0f, 0.5f, 1.0f, 1.0f};
    tsk_dims in = {1, 1, 2, 1}, out = {1, 1, 4, 1}, one = {1, 1, 1, 1}, tall = {1, 70, 1, 1};
    tsk_resize_params single = {0, 0, TSK_ROUND_SINGLE}, dbl = {0, 0, TSK_ROUND_DOUBLE};
    tsk_resize_params both = {1, 1, TSK_ROUND_SINGLE};
    int8_t o[4], t[70];
    float fo[4];

    cr_assert_eq(tsk_resize_bilinear_s8(&single, &in, a, &out, o), TSK_OK);
    cr_expect(o[0] == -1 && o[1] == 0 && o[2] == 0 && o[3] == 0, "single: %d %d %d %d", o[0],
              o[1], o[2], o[3]);
    cr_assert_eq(tsk_resize_bilinear_s8(&dbl, &in, a, &out, o), TSK_OK);
    cr_expect(o[0] == -1 && o[1] == -1 && o[2] == 0 && o[3] == 0, "double: %d %d %d %d", o[0],
              o[1], o[2], o[3]);
    cr_assert_eq(tsk_resize_bilinear_f32(&single, &in, f, &out, fo), TSK_OK);
    cr_expect_arr_eq(fo, fw, sizeof fw);
    cr_assert_eq(tsk_resize_bilinear_s8(&single, &one, big, &tall, t), TSK_OK);
    for (int i = 0; i < 70; i++)
        cr_expect_eq(t[i], -77, "row %d: %d", i, t[i]);
    cr_assert_eq(tsk_resize_bilinear_s8(&both, &in, a, &out, o), TSK_ERR_ARG);
    cr_assert_eq(tsk_resize_bilinear_f32(&both, &in, f, &out, fo), TSK_ERR_ARG);
}
