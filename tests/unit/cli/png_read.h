/* png_read.h: a small PNG decoder for the browser test's screenshots (8-bit RGB or RGBA,
 * not interlaced: what Chromium writes), with its own inflate, so the tests need no image
 * library. Test code: asserts nothing, returns NULL on anything it does not handle. */
#ifndef TS_TEST_PNG_READ_H
#define TS_TEST_PNG_READ_H

#include <stddef.h>
#include <stdint.h>

typedef struct png_image {
    uint32_t width, height;
    uint8_t *rgb; /* width * height * 3 bytes, row-major; free() it */
} png_image;

/* Decodes a PNG file held in data[0..n); returns 0 or -1. */
int png_decode(const uint8_t *data, size_t n, png_image *out);

#endif
