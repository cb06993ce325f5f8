/* fb_peek.h: a few unchecked FlatBuffers reads for the gen tests, to look at bytes the
 * builder wrote without going through the model reader. Test code only: trusts its input
 * (the tests wrote it), so it does no bounds checking. */
#ifndef TS_TEST_FB_PEEK_H
#define TS_TEST_FB_PEEK_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t peek32(const uint8_t *b, size_t off)
{
    return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 |
           (uint32_t)b[off + 3] << 24;
}

static inline uint16_t peek16(const uint8_t *b, size_t off)
{
    return (uint16_t)(b[off] | b[off + 1] << 8);
}

static inline uint64_t peek64(const uint8_t *b, size_t off)
{
    return (uint64_t)peek32(b, off) | (uint64_t)peek32(b, off + 4) << 32;
}

/* Follows the u32 offset stored at `at`. */
static inline size_t peek_deref(const uint8_t *b, size_t at)
{
    return at + peek32(b, at);
}

/* The root table. */
static inline size_t peek_root(const uint8_t *b)
{
    return peek_deref(b, 0);
}

/* Absolute position of field `id` of the table at `table`, 0 when absent. */
static inline size_t peek_field(const uint8_t *b, size_t table, int id)
{
    size_t vt = (size_t)((int64_t)table - (int32_t)peek32(b, table));
    uint16_t vt_bytes = peek16(b, vt);
    uint16_t off;

    if ((size_t)(4 + 2 * id) >= vt_bytes)
        return 0;
    off = peek16(b, vt + 4 + 2 * (size_t)id);
    return off ? table + off : 0;
}

/* The vector an offset field points at: *n elements starting at the returned position. */
static inline size_t peek_vector(const uint8_t *b, size_t field_at, uint32_t *n)
{
    size_t v = peek_deref(b, field_at);

    *n = peek32(b, v);
    return v + 4;
}

/* Element i of a vector of offsets starting at `elems`: the object it points at. */
static inline size_t peek_elem_ref(const uint8_t *b, size_t elems, uint32_t i)
{
    return peek_deref(b, elems + 4 * (size_t)i);
}

#endif
