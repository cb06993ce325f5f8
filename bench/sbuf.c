/* sbuf.c: growing text buffer and HTML escaping (see sbuf.h). Layer: bench/; never prints. */
#include "sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

static bool reserve(sbuf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->oom || !ts_add_size(b->n, extra + 1, &need))
        return b->oom = true, false;
    if (need <= b->cap)
        return true;
    cap = b->cap ? b->cap : 4096;
    while (cap < need)
        if (!ts_mul_size(cap, 2, &cap))
            return b->oom = true, false;
    p = ts_realloc(b->p, cap);
    if (!p)
        return b->oom = true, false;
    b->p = p, b->cap = cap;
    return true;
}

static void append(sbuf *b, const char *s, size_t len)
{
    if (!reserve(b, len))
        return;
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

void sbuf_puts(sbuf *b, const char *s)
{
    append(b, s, strlen(s));
}

void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    int len;

    va_start(ap, fmt);
    len = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    if ((size_t)len < sizeof small) {
        append(b, small, (size_t)len);
        return;
    }
    if (!reserve(b, (size_t)len))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

static void esc_char(sbuf *b, unsigned char c)
{
    switch (c) {
    case '&':
        sbuf_puts(b, "&amp;");
        break;
    case '<':
        sbuf_puts(b, "&lt;");
        break;
    case '>':
        sbuf_puts(b, "&gt;");
        break;
    case '"':
        sbuf_puts(b, "&quot;");
        break;
    case '\'':
        sbuf_puts(b, "&#39;");
        break;
    default:
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
            c = '?';
        append(b, (const char *)&c, 1);
    }
}

void sbuf_esc(sbuf *b, const char *s)
{
    for (; s && *s; s++)
        esc_char(b, (unsigned char)*s);
}

void sbuf_esc_cut(sbuf *b, const char *s, int max_chars)
{
    int chars = 0;

    for (; s && *s; s++) {
        bool starts_char = ((unsigned char)*s & 0xc0) != 0x80;
        if (starts_char && ++chars > max_chars) {
            sbuf_puts(b, "\xe2\x80\xa6"); /* U+2026 horizontal ellipsis */
            return;
        }
        esc_char(b, (unsigned char)*s);
    }
}

void sbuf_free(sbuf *b)
{
    if (!b)
        return;
    ts_free(b->p);
    *b = (sbuf){0};
}
