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
    cr_assert(target_line(r.out, "cortex-m4-systolic", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, " mcu+systolic ") && strstr(line, "units cpu,systolic"), "%s", line);
    cr_assert(target_line(r.out, "cortex-m4", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, " mcu ") && strstr(line, "units cpu") && !strstr(line, "dsp"), "%s",
              line);
    cr_assert(target_line(r.out, "rp2040", line, sizeof line), "%s", r.out);
    cr_expect(strstr(line, "cortex-m0plus") && strstr(line, "133 MHz") &&
              strstr(line, "sram    264 KB"), "%s", line);
    cli_result_free(&r);
}
