/* CLI tests for `tinysim targets`: a table with a header row, one row per shipped target (core,
 * clock, class, units, sizes, base addresses) and its description; one target in full; --json. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_run.h"

/* The line of `tinysim targets` that starts with name + space, copied to buf. */
static const char *target_line(const char *out, const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name);

    for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, name, n) == 0 && l[n] == ' ') {
            size_t len = strcspn(l, "\n");
            snprintf(buf, cap, "%.*s", (int)len, l);
            return buf;
        }
    return NULL;
}

Test(cli_targets, every_row_shows_core_clock_class_units_sizes_and_base_addresses)
{
    const char *args[] = {"targets", NULL};
    cli_result r = cli_run(args);
    char line[512];

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "target ", 7) == 0 && strstr(r.out, " core ") &&
              strstr(r.out, " clock ") && strstr(r.out, " flash ") &&
              strstr(r.out, "memory map (region@base address)"), "a header row: %s", r.out);
    cr_assert(target_line(r.out, "cortex-m4-dsp", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, " mcu+dsp ") && strstr(line, " cpu,dsp "), "%s", line);
    cr_expect(strstr(line, "dsp@0x50000000"), "the unit's registers: %s", line);
    cr_assert(target_line(r.out, "cortex-m4-systolic", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, " mcu+systolic ") && strstr(line, " cpu,systolic "), "%s", line);
    cr_assert(target_line(r.out, "cortex-m4", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, " mcu ") && strstr(line, " cpu ") && !strstr(line, "dsp"), "%s",
              line);
    cr_expect(strstr(line, "2,048 KiB") && strstr(line, "640 KiB"), "%s", line);
    cr_expect(strstr(line, "flash@0x08000000 sram@0x20000000"), "%s", line);
    cr_assert(target_line(r.out, "rp2040", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, "cortex-m0plus") && strstr(line, "133 MHz") &&
              strstr(line, "264 KiB") && strstr(line, "flash@0x10000000"), "%s", line);
    /* the part's description follows its row, indented */
    cr_expect(strstr(r.out, "\n                   RP2040-class Cortex-M0+"), "%s", r.out);
    cli_result_free(&r);
}

Test(cli_targets, a_named_target_shows_every_region_with_base_end_and_size)
{
    cli_result r = cli_run((const char *[]){"targets", "cortex-m7", NULL});

    cr_assert_eq(r.status, 0, "%s", r.err);
    /* targets/cortex-m7.json: ITCM 64 KiB at 0, DTCM 128 KiB at 0x20000000 */
    cr_expect(strstr(r.out, "  itcm       tcm    0x00000000 0x0000ffff        65,536"), "%s",
              r.out);
    cr_expect(strstr(r.out, "  dtcm       tcm    0x20000000 0x2001ffff       131,072"), "%s",
              r.out);
    cr_expect(strstr(r.out, "core         cortex-m7, 480 MHz, FPU yes, DSP extension yes"),
              "%s", r.out);
    cli_result_free(&r);
}

Test(cli_targets, json_has_one_object_per_target_with_its_regions)
{
    cli_result r = cli_run((const char *[]){"targets", "--json", NULL});
    cJSON *arr, *m0 = NULL, *reg;

    cr_assert_eq(r.status, 0, "%s", r.err);
    arr = cJSON_Parse(r.out);
    cr_assert(cJSON_IsArray(arr), "%s", r.out);
    cr_expect_geq(cJSON_GetArraySize(arr), 8);
    for (int i = 0; i < cJSON_GetArraySize(arr); i++)
        if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, i), "name")),
                    "cortex-m0"))
            m0 = cJSON_GetArrayItem(arr, i);
    cr_assert_not_null(m0);
    /* targets/cortex-m0.json: 48 MHz, 64 KiB flash at 0x08000000, 8 KiB SRAM */
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(m0, "clock_hz")), 48e6);
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(m0, "sram_bytes")), 8192);
    reg = cJSON_GetArrayItem(cJSON_GetObjectItem(m0, "regions"), 0);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(reg, "name")), "flash");
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(reg, "base")), 0x08000000);
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(reg, "size_bytes")), 65536);
    cJSON_Delete(arr);
    cli_result_free(&r);
}

/* The MEMORY block has every non-device region of targets/cortex-m4-dsp.json (base and size
 * from the file: flash 2 MB at 0x08000000, sram 640 KB at 0x20000000), not the DSP unit's
 * registers; the stack tops the RAM region. (Building and running a program with such a
 * script: cli_exec.the_readme_example_built_with_targets_ld_runs_on_every_memory_map.) */
Test(cli_targets, ld_prints_a_linker_script_of_the_target_memory_map)
{
    const char *args[] = {"targets", "--ld", "cortex-m4-dsp", NULL};
    cli_result r = cli_run(args);

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "MEMORY\n{\n  flash        (rx ) : ORIGIN = 0x08000000, LENGTH = "
                     "0x00200000"), "%s", r.out);
    cr_expect(strstr(r.out, "  sram         (rwx) : ORIGIN = 0x20000000, LENGTH = 0x000a0000"),
              "%s", r.out);
    cr_expect(!strstr(r.out, "0x50000000"), "no device region: %s", r.out);
    cr_expect(strstr(r.out, "_estack = ORIGIN(sram) + LENGTH(sram);"), "%s", r.out);
    cr_expect(strstr(r.out, "KEEP(*(.isr_vector))") && strstr(r.out, "} > sram AT > flash"),
              "%s", r.out);
    cli_result_free(&r);
}

Test(cli_targets, ld_of_an_unknown_target_is_one_line_and_exit_2)
{
    const char *args[] = {"targets", "--ld", "no-such-target", NULL};
    cli_result r = cli_run(args);

    cr_expect_eq(r.status, 2);
    cr_expect_eq(r.out[0], '\0', "%s", r.out);
    cr_expect(strstr(r.err, "no-such-target") && count_lines(r.err) == 1, "%s", r.err);
    cli_result_free(&r);
}
