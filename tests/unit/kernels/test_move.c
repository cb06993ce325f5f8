/* tests/unit/kernels/test_move.c: the ops-move kernels, with hand-computed values: SPLIT
 * (split.c) of numbered tensors along every kind of axis, unequal parts (SPLIT_V), parts of
 * size 1 (UNPACK), and shape checks that refuse before writing; STRIDED_SLICE
 * (strided_slice.c): negative begins and strides, TFLite's mask rules, refusals. */
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
    tsk_resize_params p[3] = {{0, 0}, {0, 1}, {1, 0}};
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
