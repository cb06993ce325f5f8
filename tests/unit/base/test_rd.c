/* Tests for sim/base/rd.h: every read is bounds-checked and little-endian. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "sim/base/rd.h"

Test(rd, reads_little_endian_values_at_any_alignment)
{
    const uint8_t buf[] = {0x11, 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0xff};
    ts_rd r = {buf, sizeof buf};
    uint32_t u;
    int32_t i;
    uint16_t h;

    cr_assert(rd_u32(&r, 1, &u));
    cr_expect_eq(u, 0x12345678u);
    cr_assert(rd_i32(&r, 5, &i));
    cr_expect_eq(i, -1);
    cr_assert(rd_u16(&r, 0, &h));
    cr_expect_eq(h, 0x7811);
}

Test(rd, rejects_reads_that_end_past_the_buffer_or_overflow)
{
    const uint8_t buf[8] = {0};
    ts_rd r = {buf, sizeof buf};
    uint32_t u;
    uint64_t q;

    cr_expect(rd_u32(&r, 4, &u));
    cr_expect_not(rd_u32(&r, 5, &u));
    cr_expect_not(rd_u32(&r, SIZE_MAX - 1, &u));
    cr_expect(rd_u64(&r, 0, &q));
    cr_expect_not(rd_u64(&r, 1, &q));
    cr_expect_null(rd_view(&r, 9, 0));
    cr_expect_not_null(rd_view(&r, 8, 0));
    cr_expect_null(rd_view(&r, 1, SIZE_MAX));
}
