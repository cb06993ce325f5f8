/* CLI tests for bench --ignore-fit: a model that does not fit is simulated on enlarged
 * memories, marked as not fitting in the text, the JSON and the stored run, with the bytes
 * needed and available; enlarging changes no figure (the same run on a target given that
 * much memory by --set gives the same cycles). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

static cJSON *bench_json(const char *model, const char *extra1, const char *extra2)
{
    cli_result r = cli_run((const char *[]){"bench", "--no-db", "--json", "--target", "cortex-m0",
                                            model, extra1, extra2, NULL});
    cJSON *doc;

    cr_assert_eq(r.status, 0, "%s", r.err);
    doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "%s", r.out);
    cli_result_free(&r);
    return doc;
}

static double num(const cJSON *o, const char *a, const char *b)
{
    return cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b));
}

Test(cli_ignore_fit, a_model_too_big_is_simulated_and_marked_as_not_fitting)
{
    char model[256];
    cli_result r;
    cJSON *doc, *reg, *same;

    cli_gen_model("ds_cnn", model, sizeof model);
    r = cli_run((const char *[]){"bench", "--no-db", "--target", "cortex-m0", model,
                                 "--ignore-fit", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* the footprint of bench's no-fit error: sram needs 23348 bytes, 8192 available */
    cr_expect(strstr(r.out, "fit           DOES NOT FIT target cortex-m0; simulated with sram "
                            "enlarged from 8,192 to 24,576 bytes (23,348 needed)"), "%s", r.out);
    cr_expect(strstr(r.out, "ram           23,348 of 8,192 bytes in sram") &&
              strstr(r.out, "DOES NOT FIT\n"), "%s", r.out);
    cr_expect(strstr(r.err, "warning: does not fit target cortex-m0: simulated with "
                            "--ignore-fit"), "%s", r.err);
    cli_result_free(&r);

    doc = bench_json(model, "--ignore-fit", NULL);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "ignore_fit"), "fits")));
    reg = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "ignore_fit"),
                                                 "enlarged_regions"), 0);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(reg, "name")), "sram");
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(reg, "needed_bytes")), 23348);
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(reg, "available_bytes")), 8192);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "memory"), "fits_ram")));
    cr_expect_eq(num(doc, "memory", "ram_available_bytes"), 8192);
    /* the same part given 24 KiB of SRAM by --set fits, and runs the same cycles */
    same = bench_json(model, "--set", "memory[1].size=24576");
    cr_expect_null(cJSON_GetObjectItem(same, "ignore_fit"));
    cr_expect_gt(num(doc, "totals", "cycles"), 0);
    cr_expect_eq(num(doc, "totals", "cycles"), num(same, "totals", "cycles"));
    cJSON_Delete(doc);
    cJSON_Delete(same);
    unlink(model);
}

Test(cli_ignore_fit, the_stored_run_is_listed_as_not_fitting)
{
    char model[256], db[] = "/tmp/tinysim-ignore-fit-XXXXXX", path[300];
    cli_result r;

    cr_assert_not_null(mkdtemp(db));
    snprintf(path, sizeof path, "%s/r.db", db);
    cli_gen_model("ds_cnn", model, sizeof model);
    r = cli_run((const char *[]){"bench", "--db", path, "--target", "cortex-m0", model,
                                 "--ignore-fit", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "list", "--db", path, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, " no fit "), "%s", r.out);
    cli_result_free(&r);
    unlink(path);
    rmdir(db);
    unlink(model);
}
