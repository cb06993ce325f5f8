/* alloc.c: allocation hooks with failure injection, and the bump arena.
 * Layer: sim/base. Must not print or exit. */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static ts_alloc_hooks hooks = {malloc, realloc, free};
static long fail_after = -1; /* <0: never fail */
static long n_allocs;

void ts_alloc_set_hooks(const ts_alloc_hooks *h)
{
    if (h) {
        hooks = *h;
    } else {
        hooks.malloc_fn = malloc;
        hooks.realloc_fn = realloc;
        hooks.free_fn = free;
    }
}

void ts_alloc_fail_after(long n)
{
    fail_after = n;
    n_allocs = 0;
}

long ts_alloc_count(void)
{
    return n_allocs;
}

static int injected_failure(void)
{
    if (fail_after >= 0 && n_allocs >= fail_after)
        return 1;
    n_allocs++;
    return 0;
}

void *ts_malloc(size_t size)
{
    if (injected_failure())
        return NULL;
    return hooks.malloc_fn(size ? size : 1);
}

void *ts_calloc(size_t n, size_t size)
{
    size_t total;
    void *p;

    if (!ts_mul_size(n, size, &total))
        return NULL;
    p = ts_malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

void *ts_realloc(void *ptr, size_t size)
{
    if (injected_failure())
        return NULL;
    return hooks.realloc_fn(ptr, size ? size : 1);
}

void ts_free(void *ptr)
{
    if (ptr)
        hooks.free_fn(ptr);
}

char *ts_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ts_malloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- bump arena ---- */

#define ARENA_CHUNK_BYTES ((size_t)64 * 1024)
#define ARENA_ALIGN ((size_t)16)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size; /* usable bytes after the header */
    size_t used; /* bytes handed out */
    _Alignas(16) unsigned char data[];
} arena_chunk;

struct ts_arena {
    arena_chunk *head;
    size_t used_bytes;
};

ts_arena *ts_arena_new(void)
{
    return ts_calloc(1, sizeof(ts_arena));
}

static arena_chunk *arena_grow(ts_arena *a, size_t need)
{
    size_t size = need > ARENA_CHUNK_BYTES ? need : ARENA_CHUNK_BYTES;
    size_t total;
    arena_chunk *c;

    if (!ts_add_size(sizeof(arena_chunk), size, &total))
        return NULL;
    c = ts_malloc(total);
    if (!c)
        return NULL;
    c->next = a->head;
    c->size = size;
    c->used = 0;
    a->head = c;
    return c;
}

void *ts_arena_alloc(ts_arena *a, size_t size)
{
    arena_chunk *c = a->head;
    size_t rounded;
    void *p;

    if (!ts_add_size(size, ARENA_ALIGN - 1, &rounded))
        return NULL;
    rounded &= ~(ARENA_ALIGN - 1);
    if (rounded == 0)
        rounded = ARENA_ALIGN;
    if (!c || c->size - c->used < rounded) {
        c = arena_grow(a, rounded);
        if (!c)
            return NULL;
    }
    p = c->data + c->used;
    c->used += rounded;
    a->used_bytes += rounded;
    memset(p, 0, rounded);
    return p;
}

void *ts_arena_array(ts_arena *a, size_t n, size_t size)
{
    size_t total;

    if (!ts_mul_size(n, size, &total))
        return NULL;
    return ts_arena_alloc(a, total);
}

char *ts_arena_strndup(ts_arena *a, const char *s, size_t len)
{
    char *d;
    size_t n;

    if (!ts_add_size(len, 1, &n))
        return NULL;
    d = ts_arena_alloc(a, n);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

size_t ts_arena_used_bytes(const ts_arena *a)
{
    return a ? a->used_bytes : 0;
}

void ts_arena_free(ts_arena *a)
{
    arena_chunk *c, *next;

    if (!a)
        return;
    for (c = a->head; c; c = next) {
        next = c->next;
        ts_free(c);
    }
    ts_free(a);
}
