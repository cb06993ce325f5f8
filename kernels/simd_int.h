/* kernels/simd_int.h: the handful of Armv7E-M DSP operations the *_simd kernels use (SMLAD,
 * SMLABB/SMLATT, SXTB16, SXTAB16, each also with the ROR #8 operand rotation) and word loads
 * that are safe for any alignment and under strict aliasing. Module-private to libtskernels.
 * With the DSP extension (__ARM_FEATURE_DSP, i.e. Cortex-M4/M7/M33 builds) these are the
 * single instructions (ACLE <arm_acle.h>, plus inline asm for the rotated forms, which GCC 12
 * does not fuse from a C rotate); everywhere else (host, M0+/M3) a portable C emulation with
 * exactly the same bit-level results, so the same kernel source is tested bit-exactly on the
 * host. Define TSK_SIMD_FORCE_C to use the emulation even on a DSP target (tests).
 * Values only: no state, no I/O; must stay freestanding (<stdint.h> only). */
#ifndef TS_SIMD_INT_H
#define TS_SIMD_INT_H

#include <stdint.h>

#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32) && !defined(TSK_SIMD_FORCE_C)
#define TSK_SIMD_NATIVE 1
#include <arm_acle.h>
#else
#define TSK_SIMD_NATIVE 0
#endif

/* Keeps a MAC loop out of its caller: inlined into a large kernel function, GCC 12 spills
 * accumulators of a register-blocked loop to the stack; on its own, everything fits r0-r12. */
#if defined(__GNUC__)
#define TSK_SIMD_NOINLINE __attribute__((noinline))
#else
#define TSK_SIMD_NOINLINE
#endif

/* Halfword h (0 = bits 15:0, 1 = bits 31:16) of a packed pair, sign-extended. */
static inline int32_t tsk_simd_half(int32_t x, int h)
{
    uint32_t u = h != 0 ? (uint32_t)x >> 16 : (uint32_t)x & 0xffffu;
    return (int32_t)(u ^ 0x8000u) - 0x8000;
}

/* Byte b (0..3) of a word, sign-extended. */
static inline int32_t tsk_simd_byte(int32_t x, int b)
{
    uint32_t u = ((uint32_t)x >> (8 * b)) & 0xffu;
    return (int32_t)(u ^ 0x80u) - 0x80;
}

/* Packs two values into halfwords (each taken mod 2^16): lo -> bits 15:0, hi -> bits 31:16. */
static inline int32_t tsk_simd_pack16(int32_t lo, int32_t hi)
{
    return (int32_t)(((uint32_t)hi << 16) | ((uint32_t)lo & 0xffffu));
}

/* Rotate right by n in [0, 31] (ROR). */
static inline int32_t tsk_simd_ror(int32_t x, uint32_t n)
{
    uint32_t u = (uint32_t)x;
    return n == 0 ? x : (int32_t)((u >> n) | (u << (32u - n)));
}

/* SMLAD: acc + lo(a)*lo(b) + hi(a)*hi(b), wrapping mod 2^32 (the instruction sets the Q flag
 * on overflow but still returns the wrapped sum; the kernels never read Q). */
static inline int32_t tsk_simd_smlad(int32_t a, int32_t b, int32_t acc)
{
#if TSK_SIMD_NATIVE
    return __smlad(a, b, acc);
#else
    uint32_t p0 = (uint32_t)(tsk_simd_half(a, 0) * tsk_simd_half(b, 0));
    uint32_t p1 = (uint32_t)(tsk_simd_half(a, 1) * tsk_simd_half(b, 1));
    return (int32_t)((uint32_t)acc + p0 + p1);
#endif
}

/* SMLABB: acc + lo(a)*lo(b), wrapping. */
static inline int32_t tsk_simd_smlabb(int32_t a, int32_t b, int32_t acc)
{
#if TSK_SIMD_NATIVE
    return __smlabb(a, b, acc);
#else
    return (int32_t)((uint32_t)acc + (uint32_t)(tsk_simd_half(a, 0) * tsk_simd_half(b, 0)));
#endif
}

/* SMLATT: acc + hi(a)*hi(b), wrapping. */
static inline int32_t tsk_simd_smlatt(int32_t a, int32_t b, int32_t acc)
{
#if TSK_SIMD_NATIVE
    return __smlatt(a, b, acc);
#else
    return (int32_t)((uint32_t)acc + (uint32_t)(tsk_simd_half(a, 1) * tsk_simd_half(b, 1)));
#endif
}

/* SXTB16: bytes 0 and 2 of x sign-extended into halfwords 0 and 1. */
static inline int32_t tsk_simd_sxtb16(int32_t x)
{
#if TSK_SIMD_NATIVE
    return __sxtb16(x);
#else
    return tsk_simd_pack16(tsk_simd_byte(x, 0), tsk_simd_byte(x, 2));
#endif
}

/* SXTB16 x, ROR #8: bytes 1 and 3 of x sign-extended into halfwords 0 and 1. */
static inline int32_t tsk_simd_sxtb16_ror8(int32_t x)
{
#if TSK_SIMD_NATIVE
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
#else
    return tsk_simd_sxtb16(tsk_simd_ror(x, 8));
#endif
}

/* SXTAB16: halfwords of a plus bytes 0 and 2 of x sign-extended, each sum mod 2^16. */
static inline int32_t tsk_simd_sxtab16(int32_t a, int32_t x)
{
#if TSK_SIMD_NATIVE
    return __sxtab16(a, x);
#else
    return tsk_simd_pack16(tsk_simd_half(a, 0) + tsk_simd_byte(x, 0),
                           tsk_simd_half(a, 1) + tsk_simd_byte(x, 2));
#endif
}

/* SXTAB16 a, x, ROR #8: halfwords of a plus bytes 1 and 3 of x, each sum mod 2^16. */
static inline int32_t tsk_simd_sxtab16_ror8(int32_t a, int32_t x)
{
#if TSK_SIMD_NATIVE
    int32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
    return r;
#else
    return tsk_simd_sxtab16(a, tsk_simd_ror(x, 8));
#endif
}

/* Four int8 at p (any alignment) as one little-endian word: byte i = p[i]. memcpy keeps it
 * alias-safe; __builtin_memcpy because -ffreestanding implies -fno-builtin, which would turn
 * a plain memcpy into a call. GCC emits a single LDR where unaligned access is allowed
 * (M3/M4/M7/M33) and byte loads on M0+. */
static inline int32_t tsk_simd_load_s8x4(const int8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
#endif
    return (int32_t)v;
}

/* Two int16 at p (any alignment) as one word: p[0] in bits 15:0, p[1] in bits 31:16. */
static inline int32_t tsk_simd_load_s16x2(const int16_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = (v >> 16) | (v << 16);
#endif
    return (int32_t)v;
}

/* PKHBT a, b, LSL #16: halfword 0 of a, halfword 0 of b (GCC emits PKHBT for this form). */
static inline int32_t tsk_simd_pkhbt(int32_t a, int32_t b)
{
    return (int32_t)(((uint32_t)a & 0xffffu) | ((uint32_t)b << 16));
}

/* PKHTB b, a, ASR #16: halfword 1 of a, halfword 1 of b. */
static inline int32_t tsk_simd_pkhtb(int32_t a, int32_t b)
{
    return (int32_t)(((uint32_t)b & 0xffff0000u) | ((uint32_t)a >> 16));
}

/* Packs the offset into both halfwords: the first operand of SXTAB16 for "x + offset". */
static inline int32_t tsk_simd_dup16(int32_t v)
{
    return tsk_simd_pack16(v, v);
}

#endif /* TS_SIMD_INT_H */
