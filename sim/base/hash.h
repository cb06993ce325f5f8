/* hash.h: FNV-1a, 64-bit (Fowler, Noll, Vo; offset basis and prime as published at
 * www.isthe.com/chongo/tech/comp/fnv), for names and keys that must not collide by accident:
 * not for anything an adversary chooses (SHA-256 is in results/ for that). Layer: sim/base. */
#ifndef TS_HASH_H
#define TS_HASH_H

#include <stddef.h>
#include <stdint.h>

#define TS_FNV1A64_INIT 14695981039346656037ull

/* h extended by the n bytes at p; start from TS_FNV1A64_INIT. */
static inline uint64_t ts_fnv1a64(uint64_t h, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ ((const uint8_t *)p)[i]) * 1099511628211ull;
    return h;
}

#endif
