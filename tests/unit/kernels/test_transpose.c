/* tests/unit/kernels/test_transpose.c: TRANSPOSE (transpose.c): hand-written permutations of
 * small tensors (a 2-D transpose, a 3-D rotation, NHWC -> NCHW), and shape checks; SLICE
 * (slice.c): a window of a numbered tensor, and bounds checks; GATHER (gather.c). */
#include <criterion/criterion.h>

#include <string.h>

#include "kernel_test_util.h"

Test(transpose, a_matrix_transposes)
{
    tsk_dims in = {1, 1, 2, 3}, out = {1, 1, 3, 2};
    const int8_t a[6] = {1, 2, 3, 4, 5, 6}, want[6] = {1, 4, 2, 5, 3, 6};
    tsk_transpose_params p = {{0, 1, 3, 2}};
    int8_t got[6];

    cr_assert_eq(tsk_transpose_s8(&p, &in, a, &out, got), TSK_OK);
    cr_assert_arr_eq(got, want, sizeof got);
}

/* in [2,3,4] with value 100*i + 10*j + k; perm (2,0,1): out[k][i][j] = in[i][j][k]. */
Test(transpose, a_rank3_rotation_and_nhwc_to_nchw_move_every_element)
{
    tsk_dims in = {1, 2, 3, 4}, out = {1, 4, 2, 3};
    tsk_transpose_params p = {{0, 3, 1, 2}};
    float a[24], got[24];

    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                a[(i * 3 + j) * 4 + k] = (float)(100 * i + 10 * j + k);
    cr_assert_eq(tsk_transpose_f32(&p, &in, a, &out, got), TSK_OK);
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                cr_assert_eq(got[(k * 2 + i) * 3 + j], (float)(100 * i + 10 * j + k));
}

Test(transpose, rejects_a_non_permutation_or_a_mismatched_output)
{
    tsk_dims in = {1, 1, 2, 3}, out = {1, 1, 3, 2};
    const int8_t a[6] = {0};
    int8_t got[6];
    tsk_transpose_params dup = {{0, 1, 3, 3}}, id = {{0, 1, 2, 3}};

    cr_assert_eq(tsk_transpose_s8(&dup, &in, a, &out, got), TSK_ERR_ARG);
    cr_assert_eq(tsk_transpose_s8(&id, &in, a, &out, got), TSK_ERR_ARG); /* out not in */
    cr_assert_eq(tsk_transpose_s8(&id, &in, a, &in, got), TSK_OK);
}

/* in [2,3,4] numbered 0..23; begin (1,1,2), sizes (1,2,2): elements 12+4+2=18, 19, 22, 23. */
Test(slice, a_window_of_a_numbered_tensor_and_out_of_bounds_refused)
{
    tsk_dims in = {1, 2, 3, 4}, out = {1, 1, 2, 2};
    tsk_slice_params p = {{0, 1, 1, 2}}, over = {{0, 1, 2, 3}};
    int8_t a[24], got[4];
    const int8_t want[4] = {18, 19, 22, 23};
    float fa[24], fgot[4];

    for (int i = 0; i < 24; i++)
        a[i] = (int8_t)i, fa[i] = (float)i;
    cr_assert_eq(tsk_slice_s8(&p, &in, a, &out, got), TSK_OK);
    cr_assert_arr_eq(got, want, sizeof got);
    cr_assert_eq(tsk_slice_f32(&p, &in, fa, &out, fgot), TSK_OK);
    cr_expect(fgot[0] == 18.0f && fgot[3] == 23.0f);
    cr_assert_eq(tsk_slice_s8(&over, &in, a, &out, got), TSK_ERR_ARG);
}

/* data [2,3,2] numbered 0..11, indices (2, 0, 2) along axis 1: rows 2, 0, 2 of each outer. */
Test(gather, picks_rows_by_index_and_refuses_an_index_out_of_range)
{
    tsk_gather_params p = {2, 3, 2, 3};
    const int32_t idx[3] = {2, 0, 2}, bad[3] = {2, 3, 0};
    const int8_t want[12] = {4, 5, 0, 1, 4, 5, 10, 11, 6, 7, 10, 11};
    int8_t a[12], got[12];

    for (int i = 0; i < 12; i++)
        a[i] = (int8_t)i;
    cr_assert_eq(tsk_gather_s8(&p, a, idx, got), TSK_OK);
    cr_assert_arr_eq(got, want, sizeof got);
    memset(got, 0x5a, sizeof got);
    cr_assert_eq(tsk_gather_s8(&p, a, bad, got), TSK_ERR_DATA);
    cr_assert_eq(got[0], 0x5a, "nothing written before the index check");
    const int32_t negative[3] = {0, -1, 0};
    cr_assert_eq(tsk_gather_s8(&p, a, negative, got), TSK_ERR_DATA);
    p.axis_size = 0; /* a bad shape is the caller's error, not the data's */
    cr_assert_eq(tsk_gather_s8(&p, a, idx, got), TSK_ERR_ARG);
}
