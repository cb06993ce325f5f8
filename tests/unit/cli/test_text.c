/* CLI tests for the human tables of bench and exec: every count and figure of 1,000 or more
 * has thousands separators, the clock is shown in a unit that shows it, --set overrides are
 * named in the header and in --json's "sets", and the peak arena line says what it holds
 * without naming an internal module. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

/* The first run of 4 or more digits in text that is not the fraction of a decimal (after '.'),
 * on lines that do not start with one of the header words (which carry file names), or NULL.
 * A number with separators ("12,345") has at most 3 digits per run. */
static const char *ungrouped_number(const char *text)
{
    const char *skip[] = {"model ", "target ", "region "};

    for (const char *l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
        bool header = false;
        for (size_t k = 0; k < sizeof skip / sizeof skip[0]; k++)
            header = header || strncmp(l, skip[k], strlen(skip[k])) == 0;
        for (const char *p = l; !header && *p && *p != '\n'; p++) {
            size_t n = strspn(p, "0123456789");
            if (n >= 4 && (p == l || (p[-1] != '.' && !isalnum((unsigned char)p[-1]))))
                return p;
            p += n ? n - 1 : 0;
        }
    }
    return NULL;
}

Test(cli_text, bench_names_the_overrides_and_prints_a_slow_clock_in_khz)
{
    char model[256];
    const char *args[] = {"bench", "--no-db", "--target", "cortex-m4", NULL, "--set",
                          "clock_hz=1000", NULL};
    cli_result r;
    const char *bad;

    cli_gen_model("hello_world", model, sizeof model);
    args[4] = model;
    r = cli_run(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "target        cortex-m4 with --set clock_hz=1000 (cortex-m4, 1 kHz)"),
              "%s", r.out);
    cr_expect(strstr(r.out, "ms at 1 kHz)"), "%s", r.out);
    cr_expect_not(strstr(r.out, "0 MHz"), "%s", r.out);
    cr_expect_not(strstr(r.out, "sim/"), "no internal module named: %s", r.out);
    cr_expect(strstr(r.out, "peak arena    32 bytes (tensors and kernel scratch buffers"), "%s",
              r.out);
    bad = ungrouped_number(r.out);
    cr_expect_null(bad, "a number without separators: %.40s", bad);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_text, bench_json_lists_the_overrides_as_sets)
{
    char model[256];
    const char *args[] = {"bench", "--no-db", "--json", "--target", "cortex-m4", NULL, "--set",
                          "clock_hz=48000000", "--set", "memory[0].wait_states=2", NULL};
    cli_result r;
    cJSON *j, *sets, *s0, *s1;

    cli_gen_model("hello_world", model, sizeof model);
    args[5] = model;
    r = cli_run(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    j = cJSON_Parse(r.out);
    cr_assert_not_null(j, "%s", r.out);
    sets = cJSON_GetObjectItem(j, "sets");
    cr_assert(cJSON_IsArray(sets) && cJSON_GetArraySize(sets) == 2, "%s", r.out);
    s0 = cJSON_GetArrayItem(sets, 0), s1 = cJSON_GetArrayItem(sets, 1);
    cr_expect_str_eq(cJSON_GetObjectItem(s0, "key")->valuestring, "clock_hz");
    cr_expect_str_eq(cJSON_GetObjectItem(s0, "value")->valuestring, "48000000");
    cr_expect_str_eq(cJSON_GetObjectItem(s1, "key")->valuestring, "memory[0].wait_states");
    cr_expect_str_eq(cJSON_GetObjectItem(s1, "value")->valuestring, "2");
    cr_expect_eq(cJSON_GetObjectItem(j, "clock_hz")->valuedouble, 48e6);
    cJSON_Delete(j);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_text, exec_prints_every_count_with_separators)
{
    const char *build = getenv("TS_BUILD_DIR");
    char elf[512];
    cli_result r;
    const char *bad;

    cr_assert_not_null(build);
    snprintf(elf, sizeof elf, "%s/fw/dot_small.elf", build);
    if (access(elf, R_OK) != 0)
        cr_skip_test("%s not built (test firmware)", elf);
    r = cli_run((const char *[]){"exec", "--target", "cortex-m4", "--set", "clock_hz=1000", elf,
                                 NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "cycles        10,959 (10,959.000 ms at 1 kHz)"), "%s", r.out);
    cr_expect(strstr(r.out, "target        cortex-m4 with --set clock_hz=1000 (cortex-m4, 1 kHz)"),
              "%s", r.out);
    bad = ungrouped_number(strstr(r.out, "target "));
    cr_expect_null(bad, "a number without separators: %.40s", bad);
    cli_result_free(&r);
}
