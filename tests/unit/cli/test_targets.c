/* CLI tests for `tinysim targets`: one line per shipped target with its class and units. */
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

Test(cli_targets, every_line_shows_the_class_and_the_units_of_its_target)
{
    const char *args[] = {"targets", NULL};
    cli_result r = cli_run(args);
    char line[256];

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(target_line(r.out, "cortex-m4-dsp", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, " mcu+dsp ") && strstr(line, "units cpu,dsp"), "%s", line);
    cr_assert(target_line(r.out, "cortex-m4", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, " mcu ") && strstr(line, "units cpu") && !strstr(line, "dsp"), "%s",
              line);
    cr_assert(target_line(r.out, "rp2040", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, "cortex-m0plus") && strstr(line, "133 MHz") &&
              strstr(line, "sram    264 KB"), "%s", line);
    cli_result_free(&r);
}

Test(cli_targets, every_line_shows_the_base_address_of_each_region)
{
    const char *args[] = {"targets", NULL};
    cli_result r = cli_run(args);
    char line[512];

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(target_line(r.out, "cortex-m7", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, "memory itcm@0x00000000 flash@0x08000000 dtcm@0x20000000 "
                     "axisram@0x24000000"), "%s", line);
    cr_assert(target_line(r.out, "rp2040", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, "memory flash@0x10000000 sram@0x20000000"), "%s", line);
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
