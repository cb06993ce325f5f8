/* Tests for bench/fmt.c, the formatters every human table of the CLI uses: thousands
 * separators for counts and fixed-point figures, the clock in a unit that shows it, the --set
 * overrides as typed. Expected strings are written by hand. */
#include <criterion/criterion.h>

#include "bench/fmt.h"

Test(fmt, counts_and_fixed_point_figures_get_thousands_separators)
{
    char b[64];

    cr_expect_str_eq(fmt_count(b, sizeof b, 0), "0");
    cr_expect_str_eq(fmt_count(b, sizeof b, 999), "999");
    cr_expect_str_eq(fmt_count(b, sizeof b, 778835), "778,835");
    cr_expect_str_eq(fmt_count(b, sizeof b, 1234567), "1,234,567");
    cr_expect_str_eq(fmt_fixed(b, sizeof b, 11734.5344, 3), "11,734.534");
    cr_expect_str_eq(fmt_fixed(b, sizeof b, 0.0916, 3), "0.092");
    cr_expect_str_eq(fmt_fixed(b, sizeof b, -1234.5, 1), "-1,234.5");
    cr_expect_str_eq(fmt_fixed(b, sizeof b, 999.9996, 3), "1,000.000");
    cr_expect_str_eq(fmt_fixed(b, sizeof b, 1234567.0, 0), "1,234,567");
}

Test(fmt, a_clock_is_printed_in_the_unit_that_shows_it_exactly)
{
    char b[32];

    cr_expect_str_eq(fmt_clock(b, sizeof b, 120000000), "120 MHz");
    cr_expect_str_eq(fmt_clock(b, sizeof b, 48500000), "48.5 MHz");
    cr_expect_str_eq(fmt_clock(b, sizeof b, 133333333), "133.333333 MHz");
    cr_expect_str_eq(fmt_clock(b, sizeof b, 1000000), "1 MHz");
    cr_expect_str_eq(fmt_clock(b, sizeof b, 999999), "999.999 kHz");
    cr_expect_str_eq(fmt_clock(b, sizeof b, 32768), "32.768 kHz");
    cr_expect_str_eq(fmt_clock(b, sizeof b, 1000), "1 kHz");
    cr_expect_str_eq(fmt_clock(b, sizeof b, 999), "999 Hz");
}

Test(fmt, set_overrides_are_shown_as_typed)
{
    const char *sets[] = {"clock_hz=48000000", "has_dsp=false"};
    char b[64], small[16];

    cr_expect_str_eq(fmt_sets(b, sizeof b, sets, 0), "");
    cr_expect_str_eq(fmt_sets(b, sizeof b, sets, 2),
                     "--set clock_hz=48000000 --set has_dsp=false");
    cr_expect_str_eq(fmt_sets(small, sizeof small, sets, 2), "--set clock_...");
}
