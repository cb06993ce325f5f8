/* fb_build.c: the back-to-front FlatBuffers builder declared in fb_build.h.
 * Layer: sim/gen. Never prints or exits; all memory comes from sim/base/alloc.h.
 *
 * Layout rules followed (FlatBuffers binary format, little-endian):
 *  - the buffer starts with a u32 offset to the root table, then the optional identifier;
 *  - offsets to tables, vectors and strings are u32, relative to where they are stored, and
 *    always point to higher addresses; a table starts with an i32 `table - vtable`;
 *  - a vtable is u16 vtable bytes, u16 table bytes, then one u16 per field id (offset of the
 *    field from the table start, 0 = absent);
 *  - vectors are a u32 element count followed by the elements; strings add a NUL;
 *  - every scalar is aligned to its size, vector data to max(4, element alignment).
 * Written back to front, positions are distances from the buffer end; the total size is
 * padded to the largest alignment used, so a distance aligned to A is an address aligned
 * to A. */
#include "fb_build.h"

#include <assert.h>
#include <string.h>

#include "base/alloc.h"

typedef struct fb_field {
    uint16_t id;
    uint8_t size;   /* bytes: 1, 2, 4 or 8 */
    bool is_ref;    /* `bits` is a ts_fb_ref to turn into an offset */
    uint64_t bits;  /* the value, zero-extended */
    uint32_t pos;   /* distance from the end once written */
} fb_field;

struct ts_fb {
    uint8_t *buf;       /* data occupies [cap - size, cap) */
    size_t cap;         /* bytes allocated */
    size_t size;        /* bytes written */
    size_t minalign;    /* largest alignment requested */
    fb_field *fields;   /* pending fields of the open tables */
    size_t n_fields, cap_fields;
    size_t marks[TS_FB_MAX_DEPTH]; /* first pending field of each open table */
    int depth;          /* tables open */
    bool finished;
    ts_status st;       /* first error */
    char msg[TS_ERR_MSG_BYTES];
};

/* Records the first error; returns it. */
static ts_status fail(ts_fb *b, ts_status st, const char *msg)
{
    if (b->st == TS_OK) {
        b->st = st;
        strncpy(b->msg, msg, sizeof b->msg - 1);
    }
    return b->st;
}

/* Copies the builder's error into `err` and returns it. */
static ts_status report(const ts_fb *b, ts_err *err)
{
    if (b->st != TS_OK)
        ts_err_set(err, b->st, "%s", b->msg);
    return b->st;
}

ts_status ts_fb_new(ts_fb **out, ts_err *err)
{
    ts_fb *b = ts_calloc(1, sizeof *b);

    *out = NULL;
    if (!b)
        return ts_err_set(err, TS_ERR_NOMEM, "fb: out of memory creating a builder");
    b->minalign = 1;
    *out = b;
    return TS_OK;
}

void ts_fb_free(ts_fb *b)
{
    if (!b)
        return;
    ts_free(b->buf);
    ts_free(b->fields);
    ts_free(b);
}

size_t ts_fb_size(const ts_fb *b)
{
    return b->size;
}

ts_status ts_fb_status(const ts_fb *b)
{
    return b->st;
}

/* Makes room for `n` more bytes at the front, moving the data to the end of a larger block. */
static bool reserve(ts_fb *b, size_t n)
{
    size_t need, cap;
    uint8_t *nb;

    if (b->st != TS_OK)
        return false;
    if (n > TS_FB_MAX_BYTES - b->size) {
        fail(b, TS_ERR_RANGE, "fb: buffer would exceed the flatbuffers limit of 2147483647 bytes");
        return false;
    }
    need = b->size + n;
    if (need <= b->cap && b->buf) /* allocated at first use, even for 0 bytes */
        return true;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > TS_FB_MAX_BYTES / 2 ? TS_FB_MAX_BYTES : cap * 2;
    nb = ts_realloc(b->buf, cap);
    if (!nb) {
        fail(b, TS_ERR_NOMEM, "fb: out of memory growing the buffer");
        return false;
    }
    memmove(nb + cap - b->size, nb + b->cap - b->size, b->size);
    b->buf = nb;
    b->cap = cap;
    return true;
}

/* Pushes n zero bytes; returns the new front (or NULL after an error). */
static uint8_t *push(ts_fb *b, size_t n)
{
    uint8_t *p;

    if (!reserve(b, n))
        return NULL;
    b->size += n;
    p = b->buf + b->cap - b->size;
    memset(p, 0, n);
    return p;
}

/* Pads so that after `extra` more bytes the distance from the end is a multiple of align. */
static bool prep(ts_fb *b, size_t align, size_t extra)
{
    size_t pad;

    assert(align && (align & (align - 1)) == 0);
    if (align > b->minalign)
        b->minalign = align;
    pad = (align - ((b->size + extra) & (align - 1))) & (align - 1);
    return reserve(b, pad + extra) && push(b, pad) != NULL;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Pushes an aligned scalar; returns its position (0 after an error). */
static uint32_t push_scalar(ts_fb *b, uint64_t v, size_t n)
{
    uint8_t *p;

    if (!prep(b, n, 0) || !(p = push(b, n)))
        return 0;
    put_le(p, v, n);
    return (uint32_t)b->size;
}

/* Pushes a u32 offset to `ref`, aligned; returns its position (0 after an error). */
static uint32_t push_offset(ts_fb *b, ts_fb_ref ref)
{
    uint8_t *p;

    if (!prep(b, 4, 0) || !(p = push(b, 4)))
        return 0;
    assert(ref > 0 && ref <= b->size - 4);
    put_le(p, (uint64_t)(b->size - ref), 4);
    return (uint32_t)b->size;
}

/* Element i of a host-order array of `es`-byte scalars, zero-extended. */
static uint64_t load_host(const void *v, size_t i, size_t es)
{
    const uint8_t *p = (const uint8_t *)v + i * es;
    uint32_t u32;
    uint64_t u64;

    switch (es) {
    case 1:
        return *p;
    case 4:
        memcpy(&u32, p, 4);
        return u32;
    default:
        assert(es == 8);
        memcpy(&u64, p, 8);
        return u64;
    }
}

/* Writes a vector of n host-order scalars of `es` bytes, its data aligned to `align`. */
static ts_status push_vector(ts_fb *b, const void *v, size_t n, size_t es, size_t align,
                             ts_fb_ref *out, ts_err *err)
{
    size_t bytes = 0;
    uint8_t *p;

    *out = 0;
    if (!ts_mul_size(n, es, &bytes) || bytes > TS_FB_MAX_BYTES)
        fail(b, TS_ERR_RANGE, "fb: vector too large for a flatbuffer");
    if (!prep(b, align < 4 ? 4 : align, bytes) || !(p = push(b, bytes)))
        return report(b, err);
    for (size_t i = 0; i < n; i++)
        put_le(p + i * es, load_host(v, i, es), es);
    if (!push_scalar(b, (uint64_t)n, 4))
        return report(b, err);
    *out = (ts_fb_ref)b->size;
    return TS_OK;
}

ts_status ts_fb_string(ts_fb *b, const char *s, ts_fb_ref *out, ts_err *err)
{
    size_t n = strlen(s);
    uint8_t *p;

    *out = 0;
    if (n >= TS_FB_MAX_BYTES)
        fail(b, TS_ERR_RANGE, "fb: string too long for a flatbuffer");
    if (!prep(b, 4, n + 1) || !(p = push(b, n + 1)))
        return report(b, err);
    memcpy(p, s, n);
    if (!push_scalar(b, (uint64_t)n, 4))
        return report(b, err);
    *out = (ts_fb_ref)b->size;
    return TS_OK;
}

ts_status ts_fb_vec_u8(ts_fb *b, const uint8_t *v, size_t n, size_t align, ts_fb_ref *out,
                       ts_err *err)
{
    assert(align >= 1 && align <= 256 && (align & (align - 1)) == 0);
    return push_vector(b, v, n, 1, align, out, err);
}

ts_status ts_fb_vec_i32(ts_fb *b, const int32_t *v, size_t n, ts_fb_ref *out, ts_err *err)
{
    return push_vector(b, v, n, 4, 4, out, err);
}

ts_status ts_fb_vec_i64(ts_fb *b, const int64_t *v, size_t n, ts_fb_ref *out, ts_err *err)
{
    return push_vector(b, v, n, 8, 8, out, err);
}

ts_status ts_fb_vec_f32(ts_fb *b, const float *v, size_t n, ts_fb_ref *out, ts_err *err)
{
    return push_vector(b, v, n, 4, 4, out, err);
}

ts_status ts_fb_vec_refs(ts_fb *b, const ts_fb_ref *v, size_t n, ts_fb_ref *out, ts_err *err)
{
    *out = 0;
    if (n > TS_FB_MAX_BYTES / 4)
        fail(b, TS_ERR_RANGE, "fb: vector too large for a flatbuffer");
    if (!prep(b, 4, n * 4))
        return report(b, err);
    for (size_t i = n; i-- > 0;)
        if (!push_offset(b, v[i]))
            return report(b, err);
    if (!push_scalar(b, (uint64_t)n, 4))
        return report(b, err);
    *out = (ts_fb_ref)b->size;
    return TS_OK;
}

void ts_fb_table_begin(ts_fb *b)
{
    assert(!b->finished);
    if (b->depth == TS_FB_MAX_DEPTH) {
        fail(b, TS_ERR_RANGE, "fb: more than 16 tables open at once");
        return;
    }
    b->marks[b->depth++] = b->n_fields;
}

/* Records a field of the innermost open table. */
static void add_field(ts_fb *b, int id, size_t size, bool is_ref, uint64_t bits)
{
    fb_field *f;

    assert(b->depth > 0 && id >= 0 && id < TS_FB_MAX_FIELD);
    for (size_t i = b->marks[b->depth - 1]; i < b->n_fields; i++)
        assert(b->fields[i].id != id); /* each field set once */
    if (b->st != TS_OK)
        return;
    if (b->n_fields == b->cap_fields) {
        size_t cap = b->cap_fields ? 2 * b->cap_fields : 32;
        f = ts_realloc(b->fields, cap * sizeof *f);
        if (!f) {
            fail(b, TS_ERR_NOMEM, "fb: out of memory recording table fields");
            return;
        }
        b->fields = f;
        b->cap_fields = cap;
    }
    f = &b->fields[b->n_fields++];
    f->id = (uint16_t)id;
    f->size = (uint8_t)size;
    f->is_ref = is_ref;
    f->bits = bits;
    f->pos = 0;
}

void ts_fb_field_u8(ts_fb *b, int id, uint8_t v, uint8_t dflt)
{
    if (v != dflt)
        add_field(b, id, 1, false, v);
}

void ts_fb_field_i8(ts_fb *b, int id, int8_t v, int8_t dflt)
{
    if (v != dflt)
        add_field(b, id, 1, false, (uint8_t)v);
}

void ts_fb_field_bool(ts_fb *b, int id, bool v, bool dflt)
{
    if (v != dflt)
        add_field(b, id, 1, false, v ? 1u : 0u);
}

void ts_fb_field_i32(ts_fb *b, int id, int32_t v, int32_t dflt)
{
    if (v != dflt)
        add_field(b, id, 4, false, (uint32_t)v);
}

void ts_fb_field_u32(ts_fb *b, int id, uint32_t v, uint32_t dflt)
{
    if (v != dflt)
        add_field(b, id, 4, false, v);
}

void ts_fb_field_i64(ts_fb *b, int id, int64_t v, int64_t dflt)
{
    if (v != dflt)
        add_field(b, id, 8, false, (uint64_t)v);
}

void ts_fb_field_f32(ts_fb *b, int id, float v, float dflt)
{
    uint32_t u;

    if (memcmp(&v, &dflt, sizeof v) == 0) /* bitwise: -0.0f is not the default 0.0f */
        return;
    memcpy(&u, &v, 4);
    add_field(b, id, 4, false, u);
}

void ts_fb_field_ref(ts_fb *b, int id, ts_fb_ref ref)
{
    if (ref)
        add_field(b, id, 4, true, ref);
}

/* Writes the pending fields of one table, largest first to save padding. */
static bool write_fields(ts_fb *b, size_t mark)
{
    static const uint8_t sizes[] = {8, 4, 2, 1};

    for (size_t k = 0; k < sizeof sizes; k++) {
        for (size_t i = mark; i < b->n_fields; i++) {
            fb_field *f = &b->fields[i];

            if (f->size != sizes[k])
                continue;
            f->pos = f->is_ref ? push_offset(b, (ts_fb_ref)f->bits)
                               : push_scalar(b, f->bits, f->size);
            if (!f->pos)
                return false;
        }
    }
    return true;
}

/* Writes the vtable of the table at `table` (fields mark..n_fields, object from `start`) just
 * in front of it, and points the table's first word at it. */
static bool write_vtable(ts_fb *b, size_t mark, size_t start, size_t table)
{
    size_t n_slots = 0, vt_bytes;
    uint8_t *p;

    for (size_t i = mark; i < b->n_fields; i++)
        if ((size_t)b->fields[i].id + 1 > n_slots)
            n_slots = (size_t)b->fields[i].id + 1;
    vt_bytes = 4 + 2 * n_slots;
    if (table - start > 0xffff) {
        fail(b, TS_ERR_RANGE, "fb: table larger than the 65535 bytes a vtable can describe");
        return false;
    }
    if (!(p = push(b, vt_bytes))) /* `table` is 4-aligned and vt_bytes even: no padding */
        return false;
    put_le(p, vt_bytes, 2);
    put_le(p + 2, table - start, 2);
    for (size_t i = mark; i < b->n_fields; i++)
        put_le(p + 4 + 2 * (size_t)b->fields[i].id, table - b->fields[i].pos, 2);
    put_le(b->buf + b->cap - table, b->size - table, 4); /* soffset: table - vtable */
    return true;
}

ts_status ts_fb_table_end(ts_fb *b, ts_fb_ref *out, ts_err *err)
{
    size_t mark, start, table = 0;
    bool ok;

    assert(b->depth > 0);
    *out = 0;
    mark = b->marks[--b->depth];
    start = b->size;
    ok = write_fields(b, mark) && prep(b, 4, 4) && push(b, 4);
    if (ok) {
        table = b->size;
        ok = write_vtable(b, mark, start, table);
    }
    b->n_fields = mark;
    if (!ok)
        return report(b, err);
    *out = (ts_fb_ref)table;
    return TS_OK;
}

ts_status ts_fb_finish(ts_fb *b, ts_fb_ref root, const char *ident, ts_err *err)
{
    size_t align = b->minalign < 4 ? 4 : b->minalign;
    uint8_t *p;

    assert(b->depth == 0 && !b->finished && root > 0);
    assert(!ident || strlen(ident) == 4);
    if (!prep(b, align, ident ? 8 : 4))
        return report(b, err);
    if (ident) {
        if (!(p = push(b, 4)))
            return report(b, err);
        memcpy(p, ident, 4);
    }
    if (!push_offset(b, root))
        return report(b, err);
    b->finished = true;
    return TS_OK;
}

const uint8_t *ts_fb_data(const ts_fb *b, size_t *len)
{
    assert(b->finished);
    *len = b->size;
    return b->buf + b->cap - b->size;
}

void ts_fb_release(ts_fb *b, uint8_t **bytes, size_t *len)
{
    assert(b->finished);
    memmove(b->buf, b->buf + b->cap - b->size, b->size);
    *bytes = b->buf;
    *len = b->size;
    b->buf = NULL;
    b->cap = b->size = 0;
    b->finished = false;
    b->minalign = 1;
}
