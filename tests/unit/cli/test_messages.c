/* CLI tests for the error messages a new user meets: each names what is wrong and how to put
 * it right (no internal source file, no raw library status), on one line, exit 2. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

/* Runs args; expects exit 2, one stderr line containing every string of want[] (NULL-ended),
 * none of the strings of not[] (NULL-ended), and an empty stdout. */
static void expect_one_line(const char *const *args, const char *const *want,
                            const char *const *not)
{
    cli_result r = cli_run(args);

    cr_expect_eq(r.status, 2, "%s %s: status %d: %s", args[0], args[1], r.status, r.err);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    for (; want && *want; want++)
        cr_expect(strstr(r.err, *want), "'%s' lacks '%s'", r.err, *want);
    for (; not && *not; not++)
        cr_expect_not(strstr(r.err, *not), "'%s' has '%s'", r.err, *not);
    cr_expect_str_empty(r.out, "%s", r.out);
    cli_result_free(&r);
}

Test(cli_messages, an_unknown_target_name_lists_the_valid_ones)
{
    expect_one_line((const char *[]){"bench", "--target", "nonexistent", "m.tflite", NULL},
                    (const char *[]){"tinysim: nonexistent: no such target in ", "cortex-m0plus",
                                     "cortex-m4", "rp2040", "see 'tinysim targets'", NULL},
                    NULL);
    expect_one_line((const char *[]){"exec", "--target", "m99", "p.elf", NULL},
                    (const char *[]){"m99: no such target", "cortex-m7", NULL}, NULL);
}

Test(cli_messages, set_errors_point_at_targets_keys_not_at_a_source_file)
{
    expect_one_line((const char *[]){"bench", "--target", "cortex-m4", "--set", "clok_hz=1",
                                     "m.tflite", NULL},
                    (const char *[]){"clok_hz: unknown key", "'tinysim targets --keys'", NULL},
                    (const char *[]){".def", NULL});
    expect_one_line((const char *[]){"bench", "--target", "cortex-m4", "--set", "clock_hz",
                                     "m.tflite", NULL},
                    (const char *[]){"expected KEY=VALUE", "'tinysim targets --keys'", NULL},
                    NULL);
}

Test(cli_messages, an_impossible_core_combination_is_refused_before_any_run)
{
    char model[256];

    cli_gen_model("hello_world", model, sizeof model);
    expect_one_line((const char *[]){"bench", "--no-db", "--target", "cortex-m0", model, "--set",
                                     "has_dsp=true", NULL},
                    (const char *[]){"has_dsp: true, but core cortex-m0 has no DSP extension",
                                     "cortex-m4, cortex-m7 or cortex-m33", NULL},
                    (const char *[]){"TSFW_ERR", NULL});
    expect_one_line((const char *[]){"bench", "--no-db", "--target", "cortex-m4", model, "--set",
                                     "core=cortex-m0", NULL},
                    (const char *[]){"has_dsp: true, but core cortex-m0", NULL},
                    (const char *[]){"TSFW_ERR", NULL});
    expect_one_line((const char *[]){"bench", "--no-db", "--target", "cortex-m4", model, "--set",
                                     "has_fpu=false", NULL},
                    (const char *[]){"has_fpu: false, but tinysim models core cortex-m4 with its "
                                     "FPU only", NULL}, NULL);
    unlink(model);
}

Test(cli_messages, targets_keys_with_an_extra_argument_names_that_argument)
{
    expect_one_line((const char *[]){"targets", "--keys", "extra", NULL},
                    (const char *[]){"unexpected argument 'extra'", NULL},
                    (const char *[]){"'--keys'", NULL});
}

Test(cli_messages, a_directory_given_as_a_file_is_called_a_directory)
{
    expect_one_line((const char *[]){"exec", "--target", "cortex-m4", ".", NULL},
                    (const char *[]){"tinysim: .: is a directory (expected a file)", NULL},
                    (const char *[]){"9223372036854775807", NULL});
    expect_one_line((const char *[]){"inspect", "/tmp", NULL},
                    (const char *[]){"tinysim: /tmp: is a directory (expected a file)", NULL},
                    (const char *[]){"read error\n", NULL});
    expect_one_line((const char *[]){"bench", "--target", "/tmp", "m.tflite", NULL},
                    (const char *[]){"/tmp: is a directory", NULL}, NULL);
}

Test(cli_messages, a_missing_firmware_file_is_not_found_with_no_build_advice)
{
    char model[256];

    cli_gen_model("hello_world", model, sizeof model);
    expect_one_line((const char *[]){"bench", "--no-db", "--target", "cortex-m4", model,
                                     "--firmware", "/nonexistent/missing.elf", NULL},
                    (const char *[]){"/nonexistent/missing.elf: cannot open (No such file or "
                                     "directory)", NULL},
                    (const char *[]){"TS_FIRMWARE", "-D", NULL});
    unlink(model);
}

Test(cli_messages, an_exceeded_budget_names_no_unicorn_status)
{
    char model[256];

    cli_gen_model("hello_world", model, sizeof model);
    expect_one_line((const char *[]){"bench", "--no-db", "--target", "cortex-m4", model,
                                     "--max-insns", "100", NULL},
                    (const char *[]){"instruction budget of 100 exceeded (raise --max-insns)",
                                     "(cortex-m4)", NULL},
                    (const char *[]){"UC_ERR", "OK (", NULL});
    unlink(model);
}
