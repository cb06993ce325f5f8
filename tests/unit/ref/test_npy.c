/* Tests for sim/ref/npy.c: headers NumPy writes, the writer round trip, and one malformed
 * or unsupported header per check (each with its status and message). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "sim/ref/ref.h"

/* Builds a v1 .npy file from a dict text and `payload` bytes of zeros. */
static size_t make_npy(uint8_t *buf, const char *dict, size_t payload)
{
    size_t n = strlen(dict);
    size_t total = (10 + n + 1 + 63) / 64 * 64;

    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (uint8_t)((total - 10) & 0xff);
    buf[9] = (uint8_t)((total - 10) >> 8);
    memcpy(buf + 10, dict, n);
    memset(buf + 10 + n, ' ', total - 10 - n - 1);
    buf[total - 1] = '\n';
    memset(buf + total, 0, payload);
    return total + payload;
}

static void parse_fails(const char *dict, size_t payload, ts_status code, const char *needle)
{
    uint8_t buf[1024];
    size_t len = make_npy(buf, dict, payload);
    ts_npy npy;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_npy_parse(buf, len, "x.npy", &npy, &err), code, "%s", err.msg);
    cr_assert(strstr(err.msg, needle), "message '%s' lacks '%s'", err.msg, needle);
}

Test(npy, parses_the_header_numpy_writes_for_int8)
{
    uint8_t buf[256];
    ts_npy npy;
    ts_err err;
    size_t len = make_npy(buf, "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }", 6);
    ts_err_clear(&err);
    cr_assert_eq(ts_npy_parse(buf, len, "x.npy", &npy, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(npy.dtype, TS_DT_INT8);
    cr_assert_eq(npy.rank, 2);
    cr_assert_eq(npy.shape[0], 2);
    cr_assert_eq(npy.shape[1], 3);
    cr_assert_eq(npy.n_elems, 6);
    cr_assert_eq(npy.data_bytes, 6);
    cr_assert_eq(npy.data, buf + len - 6);
}

Test(npy, parses_float32_one_dimensional_and_scalar_shapes)
{
    uint8_t buf[256];
    size_t len = make_npy(buf, "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", 20);
    ts_npy npy;

    cr_assert_eq(ts_npy_parse(buf, len, "x.npy", &npy, NULL), TS_OK);
    cr_assert_eq(npy.dtype, TS_DT_FLOAT32);
    cr_assert_eq(npy.rank, 1);
    cr_assert_eq(npy.n_elems, 5);
    len = make_npy(buf, "{\"shape\": (), \"fortran_order\": False, \"descr\": \"<i4\"}", 4);
    cr_assert_eq(ts_npy_parse(buf, len, "x.npy", &npy, NULL), TS_OK);
    cr_assert_eq(npy.rank, 0);
    cr_assert_eq(npy.n_elems, 1);
}

Test(npy, writes_a_64_byte_aligned_header_it_can_read_back)
{
    const int32_t shape[2] = {1, 12};
    uint8_t buf[256];
    size_t hlen = 0;
    ts_npy npy;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_npy_header(TS_DT_INT8, 2, shape, (char *)buf, sizeof buf, &hlen, &err),
                 TS_OK);
    cr_assert_eq(hlen % 64, 0);
    cr_assert(strstr((const char *)buf + 10, "'shape': (1, 12), }"));
    memset(buf + hlen, 7, 12);
    cr_assert_eq(ts_npy_parse(buf, hlen + 12, "x.npy", &npy, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(npy.dtype, TS_DT_INT8);
    cr_assert_eq(npy.n_elems, 12);
    cr_assert_eq(npy.data[11], 7);
}

Test(npy, writer_rejects_a_buffer_too_small_and_unwritable_dtypes)
{
    const int32_t shape[1] = {3};
    char buf[32];
    size_t hlen;

    cr_assert_eq(ts_npy_header(TS_DT_INT8, 1, shape, buf, sizeof buf, &hlen, NULL),
                 TS_ERR_RANGE);
    cr_assert_eq(ts_npy_header(TS_DT_INT64, 1, shape, buf, sizeof buf, &hlen, NULL),
                 TS_ERR_UNSUPPORTED);
}

Test(npy, rejects_a_bad_magic)
{
    uint8_t buf[64] = "NUMPY not really";
    ts_err err;
    ts_npy npy;

    ts_err_clear(&err);
    cr_assert_eq(ts_npy_parse(buf, sizeof buf, "x.npy", &npy, &err), TS_ERR_FORMAT);
    cr_assert_str_eq(err.msg, "x.npy: offset 0: not a .npy file (expected magic \\x93NUMPY, "
                     "file has 64 bytes)");
}

Test(npy, rejects_a_header_length_past_the_end_of_file)
{
    uint8_t buf[256];
    size_t len = make_npy(buf, "{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", 2);
    ts_err err;
    ts_npy npy;

    ts_err_clear(&err);
    cr_assert_eq(ts_npy_parse(buf, 40, "x.npy", &npy, &err), TS_ERR_FORMAT);
    cr_assert(strstr(err.msg, "x.npy: offset 8: header length 118 runs past end of file"),
              "%s", err.msg);
    for (size_t cut = 0; cut < len; cut++) /* every truncation is an error, never a crash */
        cr_assert_neq(ts_npy_parse(buf, cut, "x.npy", &npy, NULL), TS_OK, "cut %zu", cut);
}

Test(npy, rejects_an_unknown_version)
{
    uint8_t buf[256];
    size_t len = make_npy(buf, "{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", 2);
    ts_err err;
    ts_npy npy;

    buf[6] = 9;
    ts_err_clear(&err);
    cr_assert_eq(ts_npy_parse(buf, len, "x.npy", &npy, &err), TS_ERR_UNSUPPORTED);
    cr_assert(strstr(err.msg, "version 9.0 (expected 1.0, 2.0 or 3.0)"), "%s", err.msg);
}

Test(npy, rejects_malformed_and_unsupported_dicts)
{
    parse_fails("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", 16,
                TS_ERR_UNSUPPORTED, "descr '>f8' is not supported");
    parse_fails("{'descr': '|i1', 'fortran_order': True, 'shape': (2,), }", 2,
                TS_ERR_UNSUPPORTED, "fortran_order True is not supported");
    parse_fails("{'descr': '|i1', 'fortran_order': False, }", 2, TS_ERR_FORMAT,
                "missing key 'shape'");
    parse_fails("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), 'x': 1}", 2,
                TS_ERR_FORMAT, "unexpected or repeated key 'x'");
    parse_fails("{'descr': '|i1', 'fortran_order': False, 'shape': (2,-1), }", 2,
                TS_ERR_FORMAT, "expected a non-negative integer dimension");
    parse_fails("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), ", 2, TS_ERR_FORMAT,
                "expected a quoted string");
    parse_fails("{'descr': '|i1', 'fortran_order': False, 'shape': (2,) ", 2, TS_ERR_FORMAT,
                "expected '}' (got byte 0x0a)");
    parse_fails("{'descr: '|i1'}", 2, TS_ERR_FORMAT, "header offset");
    parse_fails("{'descr': '|i1', 'fortran_order': False, 'shape': (9999999999,), }", 2,
                TS_ERR_FORMAT, "dimension exceeds");
}

Test(npy, rejects_a_payload_that_does_not_match_the_shape)
{
    parse_fails("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 23,
                TS_ERR_FORMAT, "payload has 23 bytes (expected 24 for 6 float32 elements)");
}
