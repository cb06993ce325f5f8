/* tests/unit/kernels/test_dequantize_f16.c: DEQUANTIZE float16 -> float32 (dequantize_f16.c):
 * hand-picked encodings with their binary32 bits worked out by hand (signed zeros, the
 * smallest and largest subnormal, the smallest normal, 1, the largest finite, infinities,
 * quiet and signalling NaNs with payload: made quiet, as IEEE 754 conversion and TFLite do),
 * and all 65,536 encodings against the value defined by IEEE 754 binary16, computed here in
 * double with ldexp. */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "kernels/kernels.h"

static uint32_t bits_of(float f)
{
    uint32_t b;

    memcpy(&b, &f, sizeof b);
    return b;
}

Test(dequantize_f16, gives_the_hand_worked_binary32_bits)
{
    static const struct {
        uint16_t h;
        uint32_t f;
    } cases[] = {
        {0x0000, 0x00000000u}, /* +0 */
        {0x8000, 0x80000000u}, /* -0 */
        {0x0001, 0x33800000u}, /* 2^-24, the smallest subnormal */
        {0x03FF, 0x387FC000u}, /* 1023 * 2^-24, the largest subnormal */
        {0x0400, 0x38800000u}, /* 2^-14, the smallest normal */
        {0x3C00, 0x3F800000u}, /* 1 */
        {0xC000, 0xC0000000u}, /* -2 */
        {0x3555, 0x3EAAA000u}, /* 0.333251953125 */
        {0x7BFF, 0x477FE000u}, /* 65504, the largest finite */
        {0x7C00, 0x7F800000u}, /* +inf */
        {0xFC00, 0xFF800000u}, /* -inf */
        {0x7E00, 0x7FC00000u}, /* quiet NaN */
        {0xFE01, 0xFFC02000u}, /* negative quiet NaN, payload 1 */
        {0x7C01, 0x7FC02000u}, /* signalling NaN: payload kept, made quiet */
    };
    uint16_t in[sizeof cases / sizeof cases[0]];
    float out[sizeof cases / sizeof cases[0]];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        in[i] = cases[i].h;
    cr_assert_eq(tsk_dequantize_f16((int32_t)(sizeof in / sizeof in[0]), in, out), TSK_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(bits_of(out[i]), cases[i].f, "0x%04x: got 0x%08x, expected 0x%08x",
                     cases[i].h, bits_of(out[i]), cases[i].f);
}

Test(dequantize_f16, every_encoding_equals_its_ieee_value)
{
    static uint16_t in[65536];
    static float out[65536];

    for (uint32_t h = 0; h < 65536u; h++)
        in[h] = (uint16_t)h;
    cr_assert_eq(tsk_dequantize_f16(65536, in, out), TSK_OK);
    for (uint32_t h = 0; h < 65536u; h++) {
        uint32_t e = (h >> 10) & 0x1Fu, m = h & 0x3FFu;
        double mag = e == 0 ? ldexp((double)m, -24) : ldexp((double)(1024u + m), (int)e - 25);
        double want = (h & 0x8000u) ? -mag : mag;

        if (e == 0x1Fu && m != 0) {
            cr_assert(isnan(out[h]), "0x%04x: expected NaN", h);
            cr_assert_eq(bits_of(out[h]) >> 31, h >> 15, "0x%04x: NaN sign", h);
            cr_assert_eq(bits_of(out[h]) & 0x7FFFFFu, (m << 13) | 0x400000u,
                         "0x%04x: NaN payload, quiet", h);
        } else if (e == 0x1Fu) {
            cr_assert(isinf(out[h]) && (out[h] < 0) == (h >> 15 != 0), "0x%04x: infinity", h);
        } else {
            cr_assert_eq((double)out[h], want, "0x%04x: %.9g, expected %.9g", h, (double)out[h],
                         want);
            cr_assert_eq(signbit(out[h]) != 0, (h >> 15) != 0, "0x%04x: sign", h);
        }
    }
}

Test(dequantize_f16, refuses_null_buffers_and_negative_counts)
{
    uint16_t in[1] = {0x3C00};
    float out[1];

    cr_assert_eq(tsk_dequantize_f16(1, NULL, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_dequantize_f16(1, in, NULL), TSK_ERR_ARG);
    cr_assert_eq(tsk_dequantize_f16(-1, in, out), TSK_ERR_ARG);
    cr_assert_eq(tsk_dequantize_f16(0, in, out), TSK_OK);
}
