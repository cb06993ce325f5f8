/* alloc.h: the allocation hooks every tinysim allocation goes through, and a bump arena.
 * Layer: sim/base. Tests replace the hooks (or use ts_alloc_fail_after) to fail the Nth
 * allocation and check that every caller returns TS_ERR_NOMEM and leaks nothing. */
#ifndef TS_ALLOC_H
#define TS_ALLOC_H

#include <stddef.h>

typedef struct ts_alloc_hooks {
    void *(*malloc_fn)(size_t size);
    void *(*realloc_fn)(void *ptr, size_t size);
    void (*free_fn)(void *ptr);
} ts_alloc_hooks;

/* Installs hooks; NULL restores the C library's. Not thread-safe (set once at start-up). */
void ts_alloc_set_hooks(const ts_alloc_hooks *hooks);

/* Test aid: the (n+1)-th allocation from now fails, and every later one too, until
 * ts_alloc_fail_after(-1) turns failure injection off. */
void ts_alloc_fail_after(long n);

/* Number of allocations that succeeded since the last ts_alloc_fail_after call. */
long ts_alloc_count(void);

void *ts_malloc(size_t size);
void *ts_calloc(size_t n, size_t size); /* zeroed; NULL on n*size overflow */
void *ts_realloc(void *ptr, size_t size);
void ts_free(void *ptr); /* NULL-safe */
char *ts_strdup(const char *s);

/* A bump arena: many small allocations freed at once (one per model). Chunks come from
 * ts_malloc. All returned memory is zeroed and aligned to 16 bytes. */
typedef struct ts_arena ts_arena;

ts_arena *ts_arena_new(void);
void *ts_arena_alloc(ts_arena *a, size_t size); /* NULL when out of memory */
void *ts_arena_array(ts_arena *a, size_t n, size_t size); /* NULL on overflow or OOM */
char *ts_arena_strndup(ts_arena *a, const char *s, size_t len);
size_t ts_arena_used_bytes(const ts_arena *a);
void ts_arena_free(ts_arena *a); /* NULL-safe */

/* Checked arithmetic on sizes: return 0 on overflow, 1 otherwise. */
static inline int ts_mul_size(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}
static inline int ts_add_size(size_t a, size_t b, size_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

#endif
