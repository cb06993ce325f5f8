/* rd.h: the one bounds-checked little-endian cursor that all untrusted bytes go through.
 * Layer: sim/base. Every read checks `off + n <= len` without overflow and returns false
 * otherwise; values are assembled byte by byte, so host endianness and alignment never
 * matter (TinyEMU get_le32 habit). No other code does pointer arithmetic on file bytes. */
#ifndef TS_RD_H
#define TS_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ts_rd {
    const uint8_t *base; /* first byte of the buffer */
    size_t len;          /* buffer length in bytes */
} ts_rd;

/* True when [off, off+n) lies inside the buffer. */
static inline bool rd_has(const ts_rd *r, size_t off, size_t n)
{
    return off <= r->len && n <= r->len - off;
}

static inline bool rd_u8(const ts_rd *r, size_t off, uint8_t *v)
{
    if (!rd_has(r, off, 1))
        return false;
    *v = r->base[off];
    return true;
}

static inline bool rd_u16(const ts_rd *r, size_t off, uint16_t *v)
{
    if (!rd_has(r, off, 2))
        return false;
    *v = (uint16_t)(r->base[off] | (uint16_t)(r->base[off + 1] << 8));
    return true;
}

static inline bool rd_u32(const ts_rd *r, size_t off, uint32_t *v)
{
    const uint8_t *p;

    if (!rd_has(r, off, 4))
        return false;
    p = r->base + off;
    *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return true;
}

static inline bool rd_u64(const ts_rd *r, size_t off, uint64_t *v)
{
    uint32_t lo, hi;

    if (!rd_u32(r, off, &lo) || !rd_u32(r, off + 4, &hi))
        return false;
    *v = (uint64_t)lo | (uint64_t)hi << 32;
    return true;
}

static inline bool rd_i32(const ts_rd *r, size_t off, int32_t *v)
{
    uint32_t u;

    if (!rd_u32(r, off, &u))
        return false;
    *v = (int32_t)u;
    return true;
}

static inline bool rd_i64(const ts_rd *r, size_t off, int64_t *v)
{
    uint64_t u;

    if (!rd_u64(r, off, &u))
        return false;
    *v = (int64_t)u;
    return true;
}

static inline bool rd_f32(const ts_rd *r, size_t off, float *v)
{
    union {
        uint32_t u;
        float f;
    } cv;

    if (!rd_u32(r, off, &cv.u))
        return false;
    *v = cv.f;
    return true;
}

/* A view of n bytes at off, or NULL when out of bounds. The view lives as long as the
 * buffer. Use only to hand whole, already-checked byte ranges on (constant tensor data). */
static inline const uint8_t *rd_view(const ts_rd *r, size_t off, size_t n)
{
    return rd_has(r, off, n) ? r->base + off : NULL;
}

#endif
