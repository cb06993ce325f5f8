/* Tests for sim/exec/elf.c and ts_exec_load: malformed, truncated and byte-flipped ELF files
 * return a status with a precise message and never crash. The base file is the hello firmware. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/core/core_test.h"

static uint8_t *read_fw(const char *fw, size_t *len)
{
    char path[512];
    FILE *f;
    uint8_t *buf = malloc(1 << 20);

    fw_path(path, sizeof path, fw);
    f = fopen(path, "rb");
    cr_assert(f && buf, "%s", path);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Parses a mutated copy and checks status and message substring. */
static void expect_bad(const uint8_t *bytes, size_t len, ts_status code, const char *substr)
{
    ts_elf *e = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_elf_parse("x.elf", bytes, len, &e, &err), code, "%s", err.msg);
    cr_expect(strstr(err.msg, substr), "message '%s' lacks '%s'", err.msg, substr);
    cr_expect_null(e);
}

Test(elf, rejects_bad_headers_with_precise_messages)
{
    size_t len;
    uint8_t *b = read_fw("hello", &len), *m = malloc(len);
    uint32_t phoff = get32(b + 28);

    memcpy(m, b, len), m[0] = 0x7e;
    expect_bad(m, len, TS_ERR_FORMAT, "x.elf: offset 0x0: not an ELF file");
    memcpy(m, b, len), m[4] = 2;
    expect_bad(m, len, TS_ERR_UNSUPPORTED, "ELF class 2");
    memcpy(m, b, len), m[18] = 62;
    expect_bad(m, len, TS_ERR_UNSUPPORTED, "e_machine 62 (expected 40 = ARM)");
    memcpy(m, b, len), m[16] = 1;
    expect_bad(m, len, TS_ERR_UNSUPPORTED, "e_type 1");
    memcpy(m, b, len), put32(m + 28, (uint32_t)len - 8);
    expect_bad(m, len, TS_ERR_FORMAT, "program header table at");
    memcpy(m, b, len), put32(m + phoff + 4, (uint32_t)len);
    expect_bad(m, len, TS_ERR_FORMAT, "run past end of file");
    memcpy(m, b, len), put32(m + phoff + 16, get32(b + phoff + 20) + 1);
    expect_bad(m, len, TS_ERR_FORMAT, "expected filesz <= memsz");
    memcpy(m, b, len), m[44] = 0, m[45] = 0;
    expect_bad(m, len, TS_ERR_FORMAT, "0 program headers");
    expect_bad(b, 51, TS_ERR_FORMAT, "shorter than an ELF32 header");
    free(m);
    free(b);
}

Test(elf, every_truncation_returns_a_status)
{
    size_t len;
    uint8_t *b = read_fw("hello", &len);
    ts_elf *e;
    ts_err err;

    for (size_t n = 0; n < len; n++) {
        ts_err_clear(&err);
        ts_status st = ts_elf_parse("x.elf", b, n, &e, &err);

        if (st == TS_OK)
            ts_elf_free(e); /* section table cut off cleanly: symbols absent, still valid */
        else
            cr_expect(err.msg[0] != '\0', "length %zu", n);
    }
    free(b);
}

Test(elf, byte_flips_in_headers_never_crash_the_loader)
{
    ts_target t = load_target("cortex-m4", false);
    size_t len;
    uint8_t *b = read_fw("hello", &len);
    size_t hdr = get32(b + 28) + 32u * (b[44] | (size_t)b[45] << 8);

    for (size_t i = 0; i < hdr && i < len; i++) {
        ts_elf *e = NULL;
        ts_core *c = NULL;
        uint32_t entry;
        ts_err err;

        b[i] ^= 0xFF;
        ts_err_clear(&err);
        if (ts_elf_parse("x.elf", b, len, &e, &err) == TS_OK) {
            cr_assert_eq(ts_core_open(&t, NULL, &c, &err), TS_OK, "%s", err.msg);
            (void)ts_exec_load(c, e, &entry, &err);
            ts_core_close(c);
            ts_elf_free(e);
        }
        b[i] ^= 0xFF;
    }
    free(b);
}

Test(elf, segment_outside_the_target_memory_is_a_range_error)
{
    ts_target t = load_target("cortex-m0", false); /* 64 KB flash: 0x08000000-0x0800ffff */
    size_t len;
    uint8_t *b = read_fw("hello", &len);
    uint32_t phoff = get32(b + 28), entry;
    ts_elf *e;
    ts_core *c;
    ts_err err;

    ts_err_clear(&err);
    put32(b + phoff + 12, 0x60000000); /* p_paddr of the first segment */
    cr_assert_eq(ts_elf_parse("x.elf", b, len, &e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_core_open(&t, NULL, &c, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(ts_exec_load(c, e, &entry, &err), TS_ERR_RANGE);
    cr_expect(strstr(err.msg, "x.elf: segment 0: [0x60000000"), "%s", err.msg);
    ts_core_close(c);
    ts_elf_free(e);
    free(b);
}

Test(elf, finds_symbols_and_reports_missing_ones)
{
    char path[512];
    ts_elf *e;
    uint32_t addr;
    ts_err err;

    ts_err_clear(&err);
    fw_path(path, sizeof path, "hello");
    cr_assert_eq(ts_elf_load(path, &e, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(ts_elf_symbol(e, "_start", &addr, &err), TS_OK);
    cr_expect_eq(addr & ~1u, 0x08000008u);
    cr_expect_eq(ts_elf_symbol(e, "no_such_symbol", &addr, &err), TS_ERR_RANGE);
    cr_expect(strstr(err.msg, "symbol 'no_such_symbol' not found"), "%s", err.msg);
    ts_elf_free(e);
}
