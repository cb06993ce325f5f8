/* test_hash.c: ts_fnv1a64 against the FNV-1a 64-bit test vectors published with the algorithm
 * (www.isthe.com/chongo/tech/comp/fnv, "FNV test vectors"), and its chaining (hashing a
 * string in two pieces gives the hash of the whole). */
#include <criterion/criterion.h>
#include <string.h>

#include "base/hash.h"

Test(hash, fnv1a64_gives_the_published_test_vectors)
{
    static const struct {
        const char *s;
        uint64_t want;
    } v[] = {
        {"", 0xcbf29ce484222325ull},
        {"a", 0xaf63dc4c8601ec8cull},
        {"foobar", 0x85944171f73967e8ull},
    };

    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        cr_expect_eq(ts_fnv1a64(TS_FNV1A64_INIT, v[i].s, strlen(v[i].s)), v[i].want,
                     "FNV-1a 64 of \"%s\"", v[i].s);
}

Test(hash, fnv1a64_chains_across_calls)
{
    uint64_t h = ts_fnv1a64(TS_FNV1A64_INIT, "foo", 3);

    cr_expect_eq(ts_fnv1a64(h, "bar", 3), 0x85944171f73967e8ull);
}
