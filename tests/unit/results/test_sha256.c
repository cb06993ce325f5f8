/* test_sha256.c: SHA-256 against the FIPS 180-2 appendix examples and NIST's long message. */
#include "results_test.h"

static void check(const char *msg, size_t n, const char *want)
{
    char hex[TS_SHA256_HEX_BYTES];

    ts_sha256_of(msg, n, hex);
    cr_assert_str_eq(hex, want, "sha256 of %zu bytes", n);
}

Test(sha256, hashes_the_empty_message)
{
    check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(sha256, hashes_abc_as_fips_180_2_appendix_b1)
{
    check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(sha256, hashes_a_two_block_message_as_fips_180_2_appendix_b2)
{
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

    check(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, hashes_a_million_a_fed_in_uneven_pieces)
{
    ts_sha256 s;
    char chunk[997], hex[TS_SHA256_HEX_BYTES];
    size_t left = 1000000;

    memset(chunk, 'a', sizeof chunk);
    ts_sha256_init(&s);
    while (left) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        ts_sha256_update(&s, chunk, n);
        left -= n;
    }
    ts_sha256_hex(&s, hex);
    cr_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
