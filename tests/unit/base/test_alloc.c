/* Tests for sim/base/alloc.c: failure injection and the bump arena. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "sim/base/alloc.h"

Test(alloc, injected_failure_hits_exactly_the_nth_allocation)
{
    void *a, *b;

    ts_alloc_fail_after(1);
    a = ts_malloc(8);
    b = ts_malloc(8);
    cr_expect_not_null(a);
    cr_expect_null(b);
    ts_alloc_fail_after(-1);
    ts_free(a);
}

Test(alloc, calloc_rejects_overflowing_sizes)
{
    cr_expect_null(ts_calloc(SIZE_MAX / 2, 4));
}

Test(alloc, arena_returns_zeroed_aligned_memory_across_chunks)
{
    ts_arena *a = ts_arena_new();
    cr_assert_not_null(a);
    for (int i = 0; i < 2000; i++) {
        unsigned char *p = ts_arena_alloc(a, (size_t)(i % 97) + 1);
        cr_assert_not_null(p);
        cr_expect_eq((uintptr_t)p % 16, 0);
        for (int k = 0; k < (i % 97) + 1; k++)
            cr_assert_eq(p[k], 0);
        memset(p, 0xff, (size_t)(i % 97) + 1);
    }
    void *big = ts_arena_alloc(a, 1 << 20);
    cr_expect_not_null(big);
    cr_expect_null(ts_arena_array(a, SIZE_MAX / 8, 16));
    ts_arena_free(a);
}

Test(alloc, arena_creation_fails_cleanly_without_memory)
{
    ts_alloc_fail_after(0);
    cr_expect_null(ts_arena_new());
    ts_alloc_fail_after(-1);
}
