/* sbuf.h: a growing text buffer for generated documents (the HTML report), with HTML
 * escaping. Layer: bench/. Allocates through sim/base/alloc.h; never prints. A failed
 * allocation sets `oom` and turns every later append into a no-op, so a writer appends
 * freely and checks once at the end. */
#ifndef TS_SBUF_H
#define TS_SBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sbuf {
    char *p;    /* NUL-terminated text, owned; NULL until the first append */
    size_t n;   /* length in bytes, without the NUL */
    size_t cap; /* allocated bytes */
    bool oom;   /* an allocation failed; the text is incomplete */
} sbuf;

void sbuf_puts(sbuf *b, const char *s);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s escaped for HTML text and attribute values: & < > " ' become entities, C0
 * control characters (other than tab and newline) and DEL become '?'. NULL appends "". */
void sbuf_esc(sbuf *b, const char *s);

/* Appends at most max_chars UTF-8 characters of s, escaped, with an ellipsis when cut. */
void sbuf_esc_cut(sbuf *b, const char *s, int max_chars);

void sbuf_free(sbuf *b); /* NULL-safe; leaves an empty buffer */

#endif
