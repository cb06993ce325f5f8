/* CLI tests for the option parser every command uses (bench/opts.c): an option given twice,
 * two options that exclude each other, a missing value, a value given to a flag, an unknown
 * option: one line on stderr, nothing on stdout, exit 2, before any work is done. And the
 * accepted forms: repeatable options, --name=value, "--" before a positional. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

typedef struct bad_case {
    const char *args[12];
    const char *err; /* the whole stderr line, without "tinysim: " and the newline */
} bad_case;

/* Every case fails in argument parsing: no model file or target needs to exist. */
static const bad_case bad_cases[] = {
    {{"bench", "--target", "a", "--target", "b", "m.tflite"},
     "bench: --target given twice ('a', then 'b')"},
    {{"bench", "--target", "cortex-m4", "m.tflite", "--exact-mem", "--fast-mem"},
     "bench: --exact-mem and --fast-mem exclude each other"},
    {{"bench", "--target", "cortex-m4", "m.tflite", "--json", "--json"},
     "bench: --json given twice"},
    {{"bench", "--target", "cortex-m4", "m.tflite", "--db", "x.db", "--no-db"},
     "bench: --db and --no-db exclude each other"},
    {{"bench", "--target", "cortex-m4", "m.tflite", "--kernels", "ref", "--kernels", "simd"},
     "bench: --kernels given twice ('ref', then 'simd')"},
    {{"bench", "--target", "cortex-m4", "m.tflite", "--json=yes"},
     "bench: --json takes no value (got '--json=yes')"},
    {{"bench", "--target", "cortex-m4", "m.tflite", "--stack"}, "bench: --stack needs a value"},
    {{"bench", "--frobnicate"}, "bench: unknown option '--frobnicate' (see 'tinysim bench --help')"},
    {{"gen", "ds_cnn", "--seed", "2", "--seed", "3"}, "gen: --seed given twice ('2', then '3')"},
    {{"gen", "ds_cnn", "-o", "a.tflite", "--output", "b.tflite"},
     "gen: --output given twice (as -o, then --output)"},
    {{"exec", "--target", "cortex-m4", "p.elf", "--exact-mem", "--fast-mem"},
     "exec: --exact-mem and --fast-mem exclude each other"},
    {{"exec", "--target", "a", "--target", "b", "p.elf"},
     "exec: --target given twice ('a', then 'b')"},
    {{"run", "m.tflite", "--rounding", "single", "--rounding", "double"},
     "run: --rounding given twice ('single', then 'double')"},
    {{"compare", "m.tflite", "--targets", "a,b", "--json", "--csv"},
     "compare: --json and --csv exclude each other"},
    {{"compare", "m.tflite", "--targets", "a", "--targets", "b"},
     "compare: --targets given twice ('a', then 'b')"},
    {{"inspect", "--plan", "--plan", "m.tflite"}, "inspect: --plan given twice"},
    {{"targets", "--keys", "--dir", "d"}, "targets: --keys and --dir exclude each other"},
    {{"systolic", "--topology", "t.csv", "--model", "m.tflite", "--config", "c.cfg"},
     "systolic: --topology and --model exclude each other"},
    {{"results", "list", "--model", "a", "--model", "b"},
     "results list: --model given twice ('a', then 'b')"},
    {{"report", "-o", "a.html", "-o", "b.html"}, "report: -o given twice ('a.html', then 'b.html')"},
};

static bool has_json(const char *const *args)
{
    for (; *args; args++)
        if (strncmp(*args, "--json", 6) == 0)
            return true;
    return false;
}

Test(cli_opts, a_repeated_or_conflicting_option_is_one_line_and_exit_2)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        cli_result r = cli_run(c->args);
        char want[256];

        snprintf(want, sizeof want, "tinysim: %s\n", c->err);
        cr_expect_eq(r.status, 2, "%s: status %d", c->args[0], r.status);
        cr_expect_str_eq(r.err, want, "case %zu", i);
        if (has_json(c->args)) /* the JSON rule: an error document */
            cr_expect(strstr(r.out, "\"error\":") != NULL, "case %zu: %s", i, r.out);
        else
            cr_expect_str_empty(r.out, "case %zu: %s", i, r.out);
        cli_result_free(&r);
    }
}

Test(cli_opts, repeatable_options_and_the_equals_form_are_accepted)
{
    char model[256];
    const char *args[] = {"bench", "--target=cortex-m4", "--no-db", "--set",
                          "clock_hz=48000000", "--set=memory[0].wait_states=2", "--tag", "a",
                          "--tag", "b", "--json", "--", NULL, NULL};
    cli_result r;

    cli_gen_model("hello_world", model, sizeof model);
    args[12] = model;
    r = cli_run(args);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\"clock_hz\":\t48000000") != NULL, "%s", r.out);
    cli_result_free(&r);
    unlink(model);
}
