/* png_read.c: PNG decoding for the browser test (see png_read.h). Inflate (RFC 1951) with
 * canonical Huffman decoding one bit at a time -- slow but small, fine for one screenshot;
 * then PNG scanline unfiltering (PNG spec, section 9: None, Sub, Up, Average, Paeth). */
#include "png_read.h"

#include <stdlib.h>
#include <string.h>

typedef struct inflater {
    const uint8_t *in;
    size_t n_in, pos; /* pos in bits */
    uint8_t *out;
    size_t n_out, cap;
    int bad;
} inflater;

typedef struct huff {
    short count[16];   /* codes per length */
    short symbol[320]; /* symbols ordered by code */
} huff;

static unsigned bits(inflater *z, int n)
{
    unsigned v = 0;

    for (int i = 0; i < n; i++, z->pos++) {
        if (z->pos / 8 >= z->n_in)
            return z->bad = 1, 0;
        v |= (unsigned)((z->in[z->pos / 8] >> (z->pos % 8)) & 1) << i;
    }
    return v;
}

static void build(huff *h, const uint8_t *len, int n)
{
    short offs[16];

    memset(h->count, 0, sizeof h->count);
    for (int s = 0; s < n; s++)
        h->count[len[s]]++;
    h->count[0] = 0;
    offs[1] = 0;
    for (int l = 1; l < 15; l++)
        offs[l + 1] = (short)(offs[l] + h->count[l]);
    for (int s = 0; s < n; s++)
        if (len[s])
            h->symbol[offs[len[s]]++] = (short)s;
}

static int decode(inflater *z, const huff *h)
{
    int code = 0, first = 0, index = 0;

    for (int l = 1; l < 16; l++) {
        code |= (int)bits(z, 1);
        if (code - h->count[l] < first)
            return h->symbol[index + code - first];
        index += h->count[l], first = (first + h->count[l]) << 1, code <<= 1;
    }
    return z->bad = 1, -1;
}

static void put(inflater *z, uint8_t b)
{
    if (z->n_out == z->cap)
        return (void)(z->bad = 1);
    z->out[z->n_out++] = b;
}

static const short lbase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const short lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                               2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const int dbase[30] = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                              33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                              1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const short dext[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                               6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void codes(inflater *z, const huff *lit, const huff *dist)
{
    for (int sym = decode(z, lit); !z->bad && sym != 256; sym = decode(z, lit)) {
        if (sym < 256) {
            put(z, (uint8_t)sym);
            continue;
        }
        sym -= 257;
        if (sym >= 29)
            return (void)(z->bad = 1);
        int len = lbase[sym] + (int)bits(z, lext[sym]), d = decode(z, dist);
        if (d < 0 || d >= 30)
            return (void)(z->bad = 1);
        size_t back = (size_t)dbase[d] + bits(z, dext[d]);
        if (back > z->n_out)
            return (void)(z->bad = 1);
        while (len-- > 0 && !z->bad)
            put(z, z->out[z->n_out - back]);
    }
}

static void fixed_block(inflater *z)
{
    uint8_t len[288];
    huff lit, dist;

    memset(len, 8, 144), memset(len + 144, 9, 112), memset(len + 256, 7, 24);
    memset(len + 280, 8, 8);
    build(&lit, len, 288);
    memset(len, 5, 30);
    build(&dist, len, 30);
    codes(z, &lit, &dist);
}

static void dynamic_block(inflater *z)
{
    static const uint8_t order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};
    int nlen = (int)bits(z, 5) + 257, ndist = (int)bits(z, 5) + 1, ncode = (int)bits(z, 4) + 4;
    uint8_t len[320] = {0};
    huff h, dist;
    int i = 0;

    for (int k = 0; k < ncode; k++)
        len[order[k]] = (uint8_t)bits(z, 3);
    build(&h, len, 19);
    memset(len, 0, sizeof len);
    while (i < nlen + ndist && !z->bad) {
        int sym = decode(z, &h), rep = 0, val = 0;
        if (sym < 16) {
            len[i++] = (uint8_t)sym;
            continue;
        }
        if (sym == 16)
            val = i ? len[i - 1] : (z->bad = 1, 0), rep = 3 + (int)bits(z, 2);
        else
            rep = sym == 17 ? 3 + (int)bits(z, 3) : 11 + (int)bits(z, 7);
        while (rep-- > 0 && i < nlen + ndist)
            len[i++] = (uint8_t)val;
    }
    build(&h, len, nlen);
    build(&dist, len + nlen, ndist);
    codes(z, &h, &dist);
}

static void stored_block(inflater *z)
{
    size_t at = (z->pos + 7) / 8;
    unsigned n;

    if (at + 4 > z->n_in)
        return (void)(z->bad = 1);
    n = z->in[at] | (unsigned)z->in[at + 1] << 8;
    if (at + 4 + n > z->n_in)
        return (void)(z->bad = 1);
    for (unsigned k = 0; k < n; k++)
        put(z, z->in[at + 4 + k]);
    z->pos = (at + 4 + n) * 8;
}

static int inflate(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    inflater z = {in, n, 16, out, 0, cap, 0}; /* skips the 2-byte zlib header */
    int last = 0;

    while (!last && !z.bad) {
        last = (int)bits(&z, 1);
        switch (bits(&z, 2)) {
        case 0:
            stored_block(&z);
            break;
        case 1:
            fixed_block(&z);
            break;
        case 2:
            dynamic_block(&z);
            break;
        default:
            z.bad = 1;
        }
    }
    return z.bad || z.n_out != cap ? -1 : 0;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the per-scanline filters of raw (height rows of 1 + stride bytes) in place. */
static int unfilter(uint8_t *raw, uint32_t height, size_t stride, int bpp)
{
    for (uint32_t y = 0; y < height; y++) {
        uint8_t *row = raw + y * (stride + 1), *cur = row + 1;
        const uint8_t *up = y ? row - stride : NULL;
        for (size_t x = 0; x < stride; x++) {
            int a = x >= (size_t)bpp ? cur[x - (size_t)bpp] : 0, b = up ? up[x] : 0;
            int c = up && x >= (size_t)bpp ? up[x - (size_t)bpp] : 0;
            int add = row[0] == 0   ? 0
                      : row[0] == 1 ? a
                      : row[0] == 2 ? b
                      : row[0] == 3 ? (a + b) / 2
                      : row[0] == 4 ? paeth(a, b, c)
                                    : -1;
            if (add < 0)
                return -1;
            cur[x] = (uint8_t)(cur[x] + add);
        }
    }
    return 0;
}

int png_decode(const uint8_t *data, size_t n, png_image *out)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t *idat = malloc(n), *raw = NULL;
    size_t n_idat = 0, pos = 8, stride, raw_bytes;
    uint32_t w = 0, h = 0;
    int bpp = 0, rc = -1;

    if (!idat || n < 8 || memcmp(data, sig, 8))
        goto out_free;
    while (pos + 12 <= n) {
        uint32_t len = be32(data + pos);
        const uint8_t *type = data + pos + 4, *body = data + pos + 8;
        if (len > n - pos - 12)
            goto out_free;
        if (!memcmp(type, "IHDR", 4) && len >= 13) {
            w = be32(body), h = be32(body + 4);
            bpp = body[8] != 8 || body[12] ? 0 : body[9] == 2 ? 3 : body[9] == 6 ? 4 : 0;
        } else if (!memcmp(type, "IDAT", 4)) {
            memcpy(idat + n_idat, body, len), n_idat += len;
        }
        pos += 12 + (size_t)len;
    }
    if (!bpp || !w || !h || w > 20000 || h > 20000)
        goto out_free;
    stride = (size_t)w * (size_t)bpp, raw_bytes = (stride + 1) * h;
    if (!(raw = malloc(raw_bytes)) || inflate(idat, n_idat, raw, raw_bytes) ||
        unfilter(raw, h, stride, bpp) || !(out->rgb = malloc((size_t)w * h * 3)))
        goto out_free;
    for (size_t p = 0; p < (size_t)w * h; p++)
        memcpy(out->rgb + 3 * p, raw + (p / w) * (stride + 1) + 1 + (p % w) * (size_t)bpp, 3);
    out->width = w, out->height = h, rc = 0;
out_free:
    free(raw), free(idat);
    return rc;
}
