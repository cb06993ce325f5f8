/* CLI tests for the JSON rule (bench/cli.h): with --json, standard output carries exactly one
 * JSON document, the report or one with an "error" member {"message", "exit_status"} (with
 * what is known: an exec fault keeps the cycles up to it), whatever fails; stderr still has
 * the one error line and the exit status is the one without --json. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

/* Runs args; checks the exit status, that stdout is one JSON document whose "error" says
 * what stderr's one line says, and returns the document (caller deletes). */
static cJSON *run_failing(const char *const *args, int status)
{
    cli_result r = cli_run(args);
    cJSON *doc, *e;
    char want[1024];

    cr_assert_eq(r.status, status, "%s: %s", args[0], r.err);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "stdout is not one JSON document: %s", r.out);
    e = cJSON_GetObjectItem(doc, "error");
    cr_assert(cJSON_IsObject(e), "%s", r.out);
    snprintf(want, sizeof want, "tinysim: %s\n",
             cJSON_GetStringValue(cJSON_GetObjectItem(e, "message")));
    cr_expect_str_eq(r.err, want);
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "exit_status")), status);
    cli_result_free(&r);
    return doc;
}

Test(cli_json, bad_input_gives_an_error_document)
{
    const char *const *cases[] = {
        (const char *[]){"bench", "--json", "--target", "nonexistent", "m.tflite", NULL},
        (const char *[]){"bench", "--json", "--target", "a", "--target", "b", "m.tflite", NULL},
        (const char *[]){"bench", "--json", NULL},
        (const char *[]){"inspect", "--json", "/tmp", NULL},
        (const char *[]){"exec", "--json", "--target", "cortex-m4", "/nonexistent.elf", NULL},
        (const char *[]){"compare", "--json", "--targets", "cortex-m4", "/nonexistent.tflite",
                         NULL},
        (const char *[]){"results", "show", "--json", "--db", "/nonexistent/x.db", "abcd", NULL},
        (const char *[]){"targets", "--json", "--dir", "/nonexistent", NULL},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cJSON_Delete(run_failing(cases[i], 2));
}

Test(cli_json, without_json_an_error_prints_nothing_on_stdout)
{
    cli_result r = cli_run((const char *[]){"bench", "--target", "nonexistent", "m.tflite", NULL});

    cr_expect_eq(r.status, 2);
    cr_expect_str_empty(r.out, "%s", r.out);
    cli_result_free(&r);
}

Test(cli_json, an_exec_fault_keeps_the_cycles_up_to_the_fault)
{
    const char *build = getenv("TS_BUILD_DIR");
    char elf[512];
    cJSON *doc;

    cr_assert_not_null(build);
    snprintf(elf, sizeof elf, "%s/fw/dot_small.elf", build);
    if (access(elf, R_OK) != 0)
        cr_skip_test("%s not built (test firmware)", elf);
    doc = run_failing((const char *[]){"exec", "--json", "--target", "cortex-m4", "--max-insns",
                                       "1000", elf, NULL}, 2);
    cr_expect(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "error"),
                                                              "message")),
                     "instruction budget of 1000 exceeded"));
    /* the budget stops the run between blocks: at least 1000 instructions, each >= 1 cycle */
    cr_expect_geq(cJSON_GetNumberValue(cJSON_GetObjectItem(doc, "instructions")), 1000);
    cr_expect_geq(cJSON_GetNumberValue(cJSON_GetObjectItem(doc, "cycles")), 1000);
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(doc, "exit_code")));
    cr_expect(cJSON_IsArray(cJSON_GetObjectItem(doc, "regions")));
    cJSON_Delete(doc);
}

Test(cli_json, a_model_no_target_holds_gives_the_comparison_with_its_error)
{
    char model[256];
    cJSON *doc;

    cli_gen_model("ds_cnn", model, sizeof model);
    doc = run_failing((const char *[]){"compare", "--json", "--targets", "cortex-m0", model, NULL},
                      2);
    cr_expect(cJSON_IsArray(cJSON_GetObjectItem(doc, "targets")));
    cJSON_Delete(doc);
    doc = run_failing((const char *[]){"bench", "--json", "--no-db", "--target", "cortex-m0",
                                       model, NULL}, 2);
    cr_expect(cJSON_IsObject(cJSON_GetObjectItem(doc, "memory")), "the footprint is known");
    cJSON_Delete(doc);
    unlink(model);
}
