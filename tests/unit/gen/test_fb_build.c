/* Tests for sim/gen/fb_build.c: the FlatBuffers builder writes what the binary format says
 * (root, identifier, vtables, strings, vectors, alignment, nesting) and fails cleanly. The
 * bytes are read back with the unchecked helpers of fb_peek.h, not with the model reader. */
#include <criterion/criterion.h>
#include <string.h>

#include "fb_peek.h"
#include "sim/base/alloc.h"
#include "sim/gen/fb_build.h"

/* A fresh builder (asserted). */
static ts_fb *new_fb(void)
{
    ts_fb *b = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_fb_new(&b, &err), TS_OK);
    return b;
}

/* Finishes with root and identifier, returns a view of the bytes (asserted). */
static const uint8_t *finish(ts_fb *b, ts_fb_ref root, size_t *len)
{
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_fb_finish(b, root, "TFL3", &err), TS_OK, "%s", err.msg);
    return ts_fb_data(b, len);
}

/* Ends the open table (asserted). */
static ts_fb_ref end_table(ts_fb *b)
{
    ts_fb_ref r = 0;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_fb_table_end(b, &r, &err), TS_OK, "%s", err.msg);
    cr_assert_gt(r, 0);
    return r;
}

Test(fb_build, writes_the_root_offset_and_the_file_identifier)
{
    ts_fb *b = new_fb();
    const uint8_t *d;
    size_t len, root;

    ts_fb_table_begin(b);
    ts_fb_field_i32(b, 0, 0x12345678, 0);
    d = finish(b, end_table(b), &len);
    cr_expect_eq(memcmp(d + 4, "TFL3", 4), 0);
    root = peek_root(d);
    cr_assert_lt(root, len);
    cr_expect_eq(peek32(d, peek_field(d, root, 0)), 0x12345678u);
    cr_expect_eq(len % 4, 0);
    ts_fb_free(b);
}

Test(fb_build, strings_are_length_prefixed_and_nul_terminated)
{
    ts_fb *b = new_fb();
    ts_fb_ref s1, s2;
    const uint8_t *d;
    size_t len, root, p;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_fb_string(b, "hello", &s1, &err), TS_OK);
    cr_assert_eq(ts_fb_string(b, "", &s2, &err), TS_OK);
    ts_fb_table_begin(b);
    ts_fb_field_ref(b, 0, s1);
    ts_fb_field_ref(b, 2, s2);
    d = finish(b, end_table(b), &len);
    root = peek_root(d);
    p = peek_deref(d, peek_field(d, root, 0));
    cr_expect_eq(p % 4, 0);
    cr_expect_eq(peek32(d, p), 5u);
    cr_expect_eq(memcmp(d + p + 4, "hello", 6), 0); /* includes the NUL */
    p = peek_deref(d, peek_field(d, root, 2));
    cr_expect_eq(peek32(d, p), 0u);
    cr_expect_eq(d[p + 4], 0);
    cr_expect_eq(peek_field(d, root, 1), 0); /* never set */
    ts_fb_free(b);
}

/* Builds [odd-length string][byte vector of n][table -> both] and checks the vector. */
static void check_byte_vector(size_t prefix, size_t n, size_t align)
{
    ts_fb *b = new_fb();
    char pad[64];
    uint8_t data[300];
    ts_fb_ref s, v;
    const uint8_t *d;
    size_t len, at;
    uint32_t count;
    ts_err err;

    ts_err_clear(&err);
    for (size_t i = 0; i < n; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    memset(pad, 'x', prefix);
    pad[prefix] = '\0';
    cr_assert_eq(ts_fb_string(b, pad, &s, &err), TS_OK);
    cr_assert_eq(ts_fb_vec_u8(b, data, n, align, &v, &err), TS_OK);
    ts_fb_table_begin(b);
    ts_fb_field_ref(b, 0, v);
    ts_fb_field_ref(b, 1, s);
    ts_fb_field_u8(b, 2, 1, 0);
    d = finish(b, end_table(b), &len);
    at = peek_vector(d, peek_field(d, peek_root(d), 0), &count);
    cr_expect_eq(at % align, 0, "prefix %zu n %zu align %zu: data at %zu", prefix, n, align, at);
    cr_expect_eq(count, n);
    cr_expect_eq(memcmp(d + at, data, n), 0);
    cr_expect_eq(len % align, 0);
    ts_fb_free(b);
}

Test(fb_build, byte_vectors_start_at_the_requested_alignment)
{
    static const size_t aligns[] = {1, 4, 16, 64};

    for (size_t a = 0; a < 4; a++)
        for (size_t prefix = 0; prefix < 20; prefix += 3)
            for (size_t n = 0; n < 300; n += 37)
                check_byte_vector(prefix, n, aligns[a]);
}

Test(fb_build, scalar_fields_are_aligned_to_their_size_and_little_endian)
{
    ts_fb *b = new_fb();
    const uint8_t *d;
    size_t len, root, p;
    float f;
    uint32_t u;

    ts_fb_table_begin(b);
    ts_fb_field_u8(b, 0, 0xab, 0);
    ts_fb_field_i64(b, 1, -2, 0);
    ts_fb_field_i8(b, 2, -3, 0);
    ts_fb_field_f32(b, 3, 1.5f, 0.0f);
    ts_fb_field_bool(b, 4, true, false);
    ts_fb_field_u32(b, 5, 0xdeadbeefu, 0);
    d = finish(b, end_table(b), &len);
    root = peek_root(d);
    cr_expect_eq(root % 4, 0);
    cr_expect_eq(d[peek_field(d, root, 0)], 0xab);
    p = peek_field(d, root, 1);
    cr_expect_eq(p % 8, 0);
    cr_expect_eq((int64_t)peek64(d, p), -2);
    cr_expect_eq((int8_t)d[peek_field(d, root, 2)], -3);
    p = peek_field(d, root, 3);
    cr_expect_eq(p % 4, 0);
    u = peek32(d, p);
    memcpy(&f, &u, 4);
    cr_expect_eq(f, 1.5f);
    cr_expect_eq(d[peek_field(d, root, 4)], 1);
    cr_expect_eq(peek32(d, peek_field(d, root, 5)), 0xdeadbeefu);
    ts_fb_free(b);
}

Test(fb_build, fields_equal_to_their_default_are_left_out)
{
    ts_fb *b = new_fb();
    const uint8_t *d;
    size_t len, root, vt;

    ts_fb_table_begin(b);
    ts_fb_field_i32(b, 0, 7, 0);
    ts_fb_field_i32(b, 1, 1, 1);
    ts_fb_field_f32(b, 2, 0.0f, 0.0f);
    ts_fb_field_bool(b, 3, false, false);
    ts_fb_field_ref(b, 4, 0);
    d = finish(b, end_table(b), &len);
    root = peek_root(d);
    cr_expect_neq(peek_field(d, root, 0), 0);
    for (int id = 1; id <= 4; id++)
        cr_expect_eq(peek_field(d, root, id), 0, "field %d", id);
    vt = root - (size_t)(int32_t)peek32(d, root);
    cr_expect_eq(peek16(d, vt), 6); /* vtable: size, table size, one slot */
    cr_expect_eq(peek16(d, vt + 2), 8); /* table: soffset + one int */
    ts_fb_free(b);
}

Test(fb_build, nested_tables_can_be_built_while_the_parent_is_open)
{
    ts_fb *b = new_fb();
    ts_fb_ref inner, s;
    const uint8_t *d;
    size_t len, root, in;
    ts_err err;

    ts_err_clear(&err);
    ts_fb_table_begin(b);
    ts_fb_field_i32(b, 0, 11, 0);
    ts_fb_table_begin(b);
    ts_fb_field_i32(b, 1, 22, 0);
    cr_assert_eq(ts_fb_string(b, "leaf", &s, &err), TS_OK);
    ts_fb_field_ref(b, 0, s);
    inner = end_table(b);
    ts_fb_field_ref(b, 1, inner);
    d = finish(b, end_table(b), &len);
    root = peek_root(d);
    cr_expect_eq(peek32(d, peek_field(d, root, 0)), 11u);
    in = peek_deref(d, peek_field(d, root, 1));
    cr_expect_eq(peek32(d, peek_field(d, in, 1)), 22u);
    cr_expect_eq(memcmp(d + peek_deref(d, peek_field(d, in, 0)) + 4, "leaf", 5), 0);
    ts_fb_free(b);
}

Test(fb_build, vectors_of_offsets_point_at_their_objects_in_order)
{
    static const char *const words[3] = {"alpha", "be", "gamma!"};
    ts_fb *b = new_fb();
    ts_fb_ref refs[3], v;
    const uint8_t *d;
    size_t len, elems, str;
    uint32_t n;
    ts_err err;

    ts_err_clear(&err);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(ts_fb_string(b, words[i], &refs[i], &err), TS_OK);
    cr_assert_eq(ts_fb_vec_refs(b, refs, 3, &v, &err), TS_OK);
    ts_fb_table_begin(b);
    ts_fb_field_ref(b, 0, v);
    d = finish(b, end_table(b), &len);
    elems = peek_vector(d, peek_field(d, peek_root(d), 0), &n);
    cr_assert_eq(n, 3u);
    for (uint32_t i = 0; i < 3; i++) {
        str = peek_elem_ref(d, elems, i);
        cr_expect_eq(peek32(d, str), strlen(words[i]));
        cr_expect_eq(memcmp(d + str + 4, words[i], strlen(words[i]) + 1), 0);
    }
    ts_fb_free(b);
}

Test(fb_build, int32_int64_and_float_vectors_are_aligned_and_little_endian)
{
    static const int32_t i32[3] = {-1, 2, 0x01020304};
    static const int64_t i64[2] = {-128, 0x0102030405060708};
    static const float f32[2] = {0.25f, -3.0f};
    ts_fb *b = new_fb();
    ts_fb_ref a, c, e;
    const uint8_t *d;
    size_t len, root, p;
    uint32_t n, u;
    float f;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_fb_vec_i32(b, i32, 3, &a, &err), TS_OK);
    cr_assert_eq(ts_fb_vec_i64(b, i64, 2, &c, &err), TS_OK);
    cr_assert_eq(ts_fb_vec_f32(b, f32, 2, &e, &err), TS_OK);
    ts_fb_table_begin(b);
    ts_fb_field_ref(b, 0, a);
    ts_fb_field_ref(b, 1, c);
    ts_fb_field_ref(b, 2, e);
    d = finish(b, end_table(b), &len);
    root = peek_root(d);
    p = peek_vector(d, peek_field(d, root, 0), &n);
    cr_expect_eq(n, 3u);
    cr_expect_eq((int32_t)peek32(d, p), -1);
    cr_expect_eq(peek32(d, p + 8), 0x01020304u);
    p = peek_vector(d, peek_field(d, root, 1), &n);
    cr_expect_eq(p % 8, 0);
    cr_expect_eq((int64_t)peek64(d, p), -128);
    cr_expect_eq(peek64(d, p + 8), 0x0102030405060708u);
    p = peek_vector(d, peek_field(d, root, 2), &n);
    u = peek32(d, p + 4);
    memcpy(&f, &u, 4);
    cr_expect_eq(f, -3.0f);
    ts_fb_free(b);
}

Test(fb_build, buffers_larger_than_the_first_block_grow_without_losing_data)
{
    enum { N = 100000 };
    static uint8_t big[N];
    ts_fb *b = new_fb();
    ts_fb_ref s, v;
    const uint8_t *d;
    size_t len, root, p;
    uint32_t n;
    ts_err err;

    ts_err_clear(&err);
    for (size_t i = 0; i < N; i++)
        big[i] = (uint8_t)(i ^ (i >> 8));
    cr_assert_eq(ts_fb_string(b, "before", &s, &err), TS_OK);
    cr_assert_eq(ts_fb_vec_u8(b, big, N, 16, &v, &err), TS_OK);
    ts_fb_table_begin(b);
    ts_fb_field_ref(b, 0, s);
    ts_fb_field_ref(b, 1, v);
    d = finish(b, end_table(b), &len);
    cr_expect_gt(len, (size_t)N);
    root = peek_root(d);
    cr_expect_eq(memcmp(d + peek_deref(d, peek_field(d, root, 0)) + 4, "before", 7), 0);
    p = peek_vector(d, peek_field(d, root, 1), &n);
    cr_expect_eq(n, (uint32_t)N);
    cr_expect_eq(memcmp(d + p, big, N), 0);
    ts_fb_free(b);
}

Test(fb_build, release_hands_over_exactly_the_finished_bytes)
{
    ts_fb *b = new_fb();
    const uint8_t *view;
    uint8_t *copy = NULL, *bytes = NULL;
    size_t len, len2 = 0;

    ts_fb_table_begin(b);
    ts_fb_field_i32(b, 0, 42, 0);
    view = finish(b, end_table(b), &len);
    copy = malloc(len);
    memcpy(copy, view, len);
    ts_fb_release(b, &bytes, &len2);
    cr_expect_eq(len2, len);
    cr_expect_eq(memcmp(bytes, copy, len), 0);
    ts_free(bytes);
    free(copy);
    ts_fb_free(b);
}

/* Builds a small buffer with every kind of object; returns the status of the first failure. */
static ts_status build_sample(ts_err *err)
{
    static const int32_t ints[4] = {1, 2, 3, 4};
    static uint8_t blob[5000];
    ts_fb *b = NULL;
    ts_fb_ref s, v, u, refs[2], inner, root;
    ts_status st = ts_fb_new(&b, err);

    if (st != TS_OK)
        return st;
    ts_fb_string(b, "name", &s, err);
    ts_fb_vec_i32(b, ints, 4, &v, err);
    ts_fb_vec_u8(b, blob, sizeof blob, 16, &u, err);
    for (int i = 0; i < 2; i++) {
        ts_fb_table_begin(b);
        ts_fb_field_i32(b, 0, i + 1, 0);
        ts_fb_table_end(b, &refs[i], err);
    }
    ts_fb_vec_refs(b, refs, 2, &inner, err);
    ts_fb_table_begin(b);
    ts_fb_field_ref(b, 0, s);
    ts_fb_field_ref(b, 1, v);
    ts_fb_field_ref(b, 2, u);
    ts_fb_field_ref(b, 3, inner);
    st = ts_fb_table_end(b, &root, err);
    if (st == TS_OK)
        st = ts_fb_finish(b, root, "TFL3", err);
    ts_fb_free(b);
    return st;
}

Test(fb_build, out_of_memory_is_reported_as_nomem_at_every_allocation)
{
    ts_status st = TS_ERR_NOMEM;
    ts_err err;
    long n;

    for (n = 0; n < 200 && st != TS_OK; n++) {
        ts_err_clear(&err);
        ts_alloc_fail_after(n);
        st = build_sample(&err);
        ts_alloc_fail_after(-1);
        if (st != TS_OK) {
            cr_expect_eq(st, TS_ERR_NOMEM, "allocation %ld: status %d", n, (int)st);
            cr_expect(strstr(err.msg, "out of memory") != NULL, "allocation %ld: '%s'", n,
                      err.msg);
        }
    }
    cr_expect_eq(st, TS_OK, "still failing after %ld allocations", n);
    cr_expect_gt(n, 1);
}
