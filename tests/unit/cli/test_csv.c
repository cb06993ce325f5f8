/* CLI tests for --csv on the per-layer tables of bench and inspect (RFC 4180: header line,
 * one record per layer, quoted fields where needed), checked against independent figures
 * (the DS-CNN's published MAC count) and against the --json of the same run. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

#define MAX_COLS 40

/* Splits one CSV line (quotes honoured) into fields, in place; returns the count. */
static int split_csv(char *line, char **fields)
{
    int n = 0;
    char *w = line;

    for (bool more = *line && *line != '\n'; more && n < MAX_COLS;) {
        fields[n++] = w;
        if (*line == '"') {
            for (line++; *line && !(line[0] == '"' && line[1] != '"'); line++) {
                *w++ = *line;
                line += line[0] == '"';
            }
            line++;
        }
        while (*line && *line != ',' && *line != '\n')
            *w++ = *line++;
        more = *line == ','; /* a comma: one more field, maybe empty */
        if (more)
            line++;
        *w++ = '\0';
    }
    return n;
}

/* Column index of name in the header, or -1. */
static int col(char **head, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(head[i], name))
            return i;
    return -1;
}

Test(cli_csv, inspect_csv_has_one_row_per_op_and_the_published_mac_total)
{
    char model[256], *line, *save, *head[MAX_COLS], *f[MAX_COLS];
    cli_result r;
    int nh, rows = 0, ci, cs;
    double macs = 0;

    cli_gen_model("ds_cnn", model, sizeof model);
    r = cli_run((const char *[]){"inspect", "--csv", model, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    line = strtok_r(r.out, "\n", &save);
    nh = split_csv(line, head);
    cr_assert_eq(nh, 10, "%s", line);
    ci = col(head, nh, "macs"), cs = col(head, nh, "input");
    cr_assert(ci >= 0 && cs >= 0);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        cr_assert_eq(split_csv(line, f), nh, "%s", line);
        macs += atof(f[ci]);
        rows++;
    }
    /* MLPerf Tiny KWS DS-CNN: 13 ops, 2,656,768 MACs (README, gen --list) */
    cr_expect_eq(rows, 13);
    cr_expect_eq(macs, 2656768.0);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_csv, bench_csv_rows_are_the_json_layers)
{
    char model[256], *line, *save, *head[MAX_COLS], *f[MAX_COLS];
    cli_result c, j;
    cJSON *doc, *layers;
    int nh, k = 0, cc, ce;

    cli_gen_model("hello_world", model, sizeof model);
    c = cli_run((const char *[]){"bench", "--no-db", "--csv", "--target", "cortex-m4", model,
                                 NULL});
    j = cli_run((const char *[]){"bench", "--no-db", "--json", "--target", "cortex-m4", model,
                                 NULL});
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_eq(j.status, 0, "%s", j.err);
    doc = cJSON_Parse(j.out);
    layers = cJSON_GetObjectItem(doc, "layers");
    line = strtok_r(c.out, "\n", &save);
    nh = split_csv(line, head);
    cc = col(head, nh, "cycles"), ce = col(head, nh, "energy_uj");
    cr_assert(col(head, nh, "index") == 0 && col(head, nh, "op") == 1 && cc > 0 && ce > 0, "%s",
              line);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        cJSON *l = cJSON_GetArrayItem(layers, k++);
        cr_assert_eq(split_csv(line, f), nh, "%s", line);
        cr_expect_str_eq(f[1], cJSON_GetStringValue(cJSON_GetObjectItem(l, "op")));
        cr_expect_eq(atof(f[cc]), cJSON_GetNumberValue(cJSON_GetObjectItem(l, "cycles")));
        cr_expect_gt(atof(f[ce]), 0.0);
    }
    cr_expect_eq(k, cJSON_GetArraySize(layers), "one row per layer");
    cJSON_Delete(doc);
    cli_result_free(&c);
    cli_result_free(&j);
    unlink(model);
}

Test(cli_csv, csv_excludes_json_and_suite)
{
    cli_result r = cli_run((const char *[]){"bench", "--csv", "--json", NULL});

    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--csv and --json exclude each other"), "%s", r.err);
    cli_result_free(&r);
    r = cli_run((const char *[]){"bench", "--csv", "--suite", "s.json", NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--suite prints its own summary"), "%s", r.err);
    cli_result_free(&r);
}
