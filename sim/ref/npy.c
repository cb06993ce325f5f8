/* npy.c: a small bounds-checked reader and writer of NumPy .npy files (untrusted input).
 * Layer: sim/ref. Never prints; parses from memory only (bench/ reads and writes files).
 *
 * Format (numpy.lib.format, versions 1.0, 2.0, 3.0):
 *   OFFSET  SIZE  MEANING
 *   0       6     magic "\x93NUMPY"
 *   6       1     major version (1, 2 or 3)
 *   7       1     minor version (0)
 *   8       2|4   header length H, little-endian (2 bytes in v1, 4 in v2/v3)
 *   10|12   H     ASCII (v3: UTF-8) Python dict literal, space-padded, ending in '\n':
 *                 {'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }
 *   ...           payload: prod(shape) elements, C order, no padding after it */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ref.h"

typedef struct hdr_cur {
    const char *s;
    size_t len, pos;
    const char *src;
    ts_err *err;
} hdr_cur;

static ts_status hdr_fail(hdr_cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static ts_status hdr_fail(hdr_cur *c, const char *fmt, ...)
{
    char what[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ts_err_set(c->err, TS_ERR_FORMAT, "%s: header offset %zu: %s", c->src, c->pos, what);
}

static void skip_ws(hdr_cur *c)
{
    while (c->pos < c->len && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t'))
        c->pos++;
}

/* Consumes character ch (after spaces) if present. */
static bool accept(hdr_cur *c, char ch)
{
    skip_ws(c);
    if (c->pos < c->len && c->s[c->pos] == ch) {
        c->pos++;
        return true;
    }
    return false;
}

static ts_status expect(hdr_cur *c, char ch)
{
    if (accept(c, ch))
        return TS_OK;
    if (c->pos >= c->len)
        return hdr_fail(c, "expected '%c', header ends", ch);
    if (c->s[c->pos] < 0x20 || c->s[c->pos] > 0x7e)
        return hdr_fail(c, "expected '%c' (got byte 0x%02x)", ch, (unsigned char)c->s[c->pos]);
    return hdr_fail(c, "expected '%c' (got '%c')", ch, c->s[c->pos]);
}

/* A quoted Python string without escapes, copied into out (cap bytes). */
static ts_status str_lit(hdr_cur *c, char *out, size_t cap)
{
    char q;
    size_t n = 0;

    skip_ws(c);
    if (c->pos >= c->len || (c->s[c->pos] != '\'' && c->s[c->pos] != '"'))
        return hdr_fail(c, "expected a quoted string");
    q = c->s[c->pos++];
    while (c->pos < c->len && c->s[c->pos] != q) {
        if (n + 1 >= cap || c->s[c->pos] == '\\')
            return hdr_fail(c, "string too long or escaped (at most %zu plain characters)",
                            cap - 1);
        out[n++] = c->s[c->pos++];
    }
    if (c->pos >= c->len)
        return hdr_fail(c, "unterminated string");
    c->pos++;
    out[n] = '\0';
    return TS_OK;
}

/* Accepted 'descr' values; the first row of each dtype is the one written. */
static const struct {
    const char *descr;
    ts_dtype dt;
} descr_rows[] = {{"|i1", TS_DT_INT8},  {"<i1", TS_DT_INT8},  {"i1", TS_DT_INT8},
                  {"|u1", TS_DT_UINT8}, {"<u1", TS_DT_UINT8}, {"u1", TS_DT_UINT8},
                  {"<i2", TS_DT_INT16}, {"<i4", TS_DT_INT32}, {"<f4", TS_DT_FLOAT32}};

static ts_status parse_descr(hdr_cur *c, ts_npy *o)
{
    char d[16];
    ts_status st = str_lit(c, d, sizeof d);

    if (st != TS_OK)
        return st;
    for (size_t i = 0; i < sizeof descr_rows / sizeof descr_rows[0]; i++)
        if (strcmp(d, descr_rows[i].descr) == 0) {
            o->dtype = descr_rows[i].dt;
            return TS_OK;
        }
    return ts_err_set(c->err, TS_ERR_UNSUPPORTED, "%s: header: descr '%s' is not supported "
                      "(expected '<i1', '|i1', 'u1', '<i4' or '<f4')", c->src, d);
}

static ts_status parse_bool_false(hdr_cur *c)
{
    skip_ws(c);
    if (c->len - c->pos >= 5 && memcmp(c->s + c->pos, "False", 5) == 0) {
        c->pos += 5;
        return TS_OK;
    }
    if (c->len - c->pos >= 4 && memcmp(c->s + c->pos, "True", 4) == 0)
        return ts_err_set(c->err, TS_ERR_UNSUPPORTED, "%s: header: fortran_order True is not "
                          "supported (expected False)", c->src);
    return hdr_fail(c, "expected False for 'fortran_order'");
}

static ts_status parse_dim(hdr_cur *c, int64_t *v)
{
    int64_t x = 0;
    size_t start;

    skip_ws(c);
    start = c->pos;
    while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9') {
        x = x * 10 + (c->s[c->pos++] - '0');
        if (x > INT32_MAX)
            return hdr_fail(c, "dimension exceeds %d", INT32_MAX);
    }
    if (c->pos == start)
        return hdr_fail(c, "expected a non-negative integer dimension");
    *v = x;
    return TS_OK;
}

/* A Python tuple of dimensions: (), (5,), (1, 2). */
static ts_status parse_shape(hdr_cur *c, ts_npy *o)
{
    ts_status st;

    if ((st = expect(c, '(')) != TS_OK)
        return st;
    o->rank = 0;
    o->n_elems = 1;
    while (!accept(c, ')')) {
        if (o->rank >= TS_MAX_RANK)
            return hdr_fail(c, "more than %d dimensions", TS_MAX_RANK);
        if ((st = parse_dim(c, &o->shape[o->rank])) != TS_OK)
            return st;
        o->n_elems *= o->shape[o->rank++];
        if (o->n_elems > INT32_MAX)
            return hdr_fail(c, "element count exceeds %d", INT32_MAX);
        if (!accept(c, ',') && (st = expect(c, ')')) == TS_OK)
            break;
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

static ts_status parse_entry(hdr_cur *c, ts_npy *o, unsigned *seen)
{
    char key[32];
    ts_status st;

    if ((st = str_lit(c, key, sizeof key)) != TS_OK || (st = expect(c, ':')) != TS_OK)
        return st;
    if (strcmp(key, "descr") == 0 && !(*seen & 1u))
        st = parse_descr(c, o), *seen |= 1u;
    else if (strcmp(key, "fortran_order") == 0 && !(*seen & 2u))
        st = parse_bool_false(c), *seen |= 2u;
    else if (strcmp(key, "shape") == 0 && !(*seen & 4u))
        st = parse_shape(c, o), *seen |= 4u;
    else
        st = hdr_fail(c, "unexpected or repeated key '%s' (expected 'descr', 'fortran_order', "
                      "'shape')", key);
    return st;
}

static ts_status parse_dict(hdr_cur *c, ts_npy *o)
{
    unsigned seen = 0;
    ts_status st;

    if ((st = expect(c, '{')) != TS_OK)
        return st;
    while (!accept(c, '}')) {
        if ((st = parse_entry(c, o, &seen)) != TS_OK)
            return st;
        if (!accept(c, ',') && (st = expect(c, '}')) == TS_OK)
            break;
        if (st != TS_OK)
            return st;
    }
    if (seen != 7u)
        return hdr_fail(c, "missing key '%s'", !(seen & 1u) ? "descr"
                        : !(seen & 2u) ? "fortran_order" : "shape");
    skip_ws(c);
    if (c->pos + 1 != c->len || c->s[c->pos] != '\n')
        return hdr_fail(c, "expected spaces then '\\n' after the dict");
    return TS_OK;
}

static ts_status read_preamble(const uint8_t *b, size_t len, const char *src, size_t *hstart,
                               size_t *hlen, ts_err *err)
{
    if (len < 10 || memcmp(b, "\x93NUMPY", 6) != 0)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0: not a .npy file (expected magic "
                          "\\x93NUMPY, file has %zu bytes)", src, len);
    if (b[6] < 1 || b[6] > 3 || b[7] != 0)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: offset 6: .npy version %u.%u (expected "
                          "1.0, 2.0 or 3.0)", src, b[6], b[7]);
    if (b[6] == 1) {
        *hstart = 10;
        *hlen = (size_t)b[8] | (size_t)b[9] << 8;
    } else {
        if (len < 12)
            return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 8: header length runs past end "
                              "of file (%zu bytes)", src, len);
        *hstart = 12;
        *hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
    }
    if (*hlen > TS_NPY_MAX_HEADER_BYTES || *hlen > len - *hstart)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 8: header length %zu runs past end "
                          "of file (%zu bytes, limit %d)", src, *hlen, len,
                          TS_NPY_MAX_HEADER_BYTES);
    return TS_OK;
}

ts_status ts_npy_parse(const uint8_t *bytes, size_t len, const char *source, ts_npy *out,
                       ts_err *err)
{
    size_t hstart = 0, hlen = 0, need;
    ts_npy o;
    hdr_cur c;
    ts_status st;

    memset(&o, 0, sizeof o);
    if ((st = read_preamble(bytes, len, source, &hstart, &hlen, err)) != TS_OK)
        return st;
    c = (hdr_cur){(const char *)bytes + hstart, hlen, 0, source, err};
    if ((st = parse_dict(&c, &o)) != TS_OK)
        return st;
    need = (size_t)o.n_elems * ts_dtype_size(o.dtype);
    if (len - hstart - hlen != need)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset %zu: payload has %zu bytes (expected "
                          "%zu for %lld %s elements)", source, hstart + hlen,
                          len - hstart - hlen, need, (long long)o.n_elems,
                          ts_dtype_name(o.dtype));
    o.data = bytes + hstart + hlen;
    o.data_bytes = need;
    *out = o;
    return TS_OK;
}

static const char *descr_of(ts_dtype dt)
{
    for (size_t i = 0; i < sizeof descr_rows / sizeof descr_rows[0]; i++)
        if (descr_rows[i].dt == dt)
            return descr_rows[i].descr;
    return NULL;
}

ts_status ts_npy_header(ts_dtype dtype, int32_t rank, const int32_t *shape, char *buf,
                        size_t cap, size_t *len, ts_err *err)
{
    const char *descr = descr_of(dtype);
    char dict[TS_MAX_RANK * 24 + 96];
    size_t n, total;

    if (!descr)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "npy: dtype %s cannot be written (expected "
                          "int8, uint8, int16, int32 or float32)", ts_dtype_name(dtype));
    n = (size_t)snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                         descr);
    for (int32_t d = 0; d < rank && d < TS_MAX_RANK; d++)
        n += (size_t)snprintf(dict + n, sizeof dict - n, "%d%s", shape[d],
                              d + 1 < rank ? ", " : (rank == 1 ? "," : ""));
    n += (size_t)snprintf(dict + n, sizeof dict - n, "), }");
    total = (10 + n + 1 + 63) / 64 * 64; /* magic..length, dict, '\n', padded to 64 */
    if (total > cap)
        return ts_err_set(err, TS_ERR_RANGE, "npy: header needs %zu bytes (buffer has %zu)",
                          total, cap);
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (char)((total - 10) & 0xff);
    buf[9] = (char)((total - 10) >> 8);
    memcpy(buf + 10, dict, n);
    memset(buf + 10 + n, ' ', total - 10 - n - 1);
    buf[total - 1] = '\n';
    *len = total;
    return TS_OK;
}
