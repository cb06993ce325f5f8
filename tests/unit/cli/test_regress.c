/* test_regress.c: `tinysim regress`, the CI gate. Most cases compare small hand-written
 * export files whose expected changes are computed by hand (1000 -> 1010 cycles is +1.00%);
 * the end-to-end cases record real bench runs, one on a copy of cortex-m4 with slower flash,
 * and check the gate sees the difference. Exit statuses 0, 1 and 2, the threshold, --exact,
 * the Markdown rows, the JUnit file and `results export --stable` round trips. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_run.h"
#include "tests/unit/engine/engine_test.h" /* need_target_firmware */

#define BIG 65536

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/tinysim-regress-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(cli_regress, .init = make_dir, .fini = remove_dir);

static const char *in_dir(const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", dir, name);
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* One export record of model `model` on cortex-m4 with kernels ref and no override; `metrics`
 * are the members of its "metrics" object, `extra` more members of the record (may be ""). */
static const char *record(char *buf, size_t cap, const char *model, const char *metrics,
                          const char *extra)
{
    snprintf(buf, cap,
             "{\"model_name\": \"%s\", \"target\": \"cortex-m4\", \"kernels\": \"ref\", "
             "\"status\": \"ok\", \"overrides\": [], %s%s\"metrics\": {%s}, \"layers\": "
             "[{\"index\": 0, \"op\": \"CONV_2D\", \"metrics\": {\"cycles\": 600}}, "
             "{\"index\": 1, \"op\": \"SOFTMAX\", \"metrics\": {\"cycles\": 400}}]}",
             model, extra, *extra ? ", " : "", metrics);
    return buf;
}

/* Writes an export document of runs (NULL-terminated) to dir/name; returns its path. */
static const char *write_export(const char *name, char *path, size_t cap,
                                const char *const *runs)
{
    char *doc = malloc(BIG);
    size_t n = 0;

    cr_assert_not_null(doc);
    n += (size_t)snprintf(doc, BIG, "{\"format\": \"tinysim-results\", \"version\": 1, \"runs\": [");
    for (int i = 0; runs[i]; i++)
        n += (size_t)snprintf(doc + n, BIG - n, "%s%s", i ? ", " : "", runs[i]);
    snprintf(doc + n, BIG - n, "]}\n");
    write_text(in_dir(name, path, cap), doc);
    free(doc);
    return path;
}

#define KWS_METRICS(cycles, energy)                                                            \
    "\"cycles\": " cycles ", \"energy_uj.total\": " energy ", \"memory.arena_bytes\": 100, "    \
    "\"memory.flash_used_bytes\": 500, \"memory.fits_ram\": 1, \"clock_hz\": 80000000"

/* Baseline: kws (1000 cycles, 2.5 uJ) and vww; candidate: kws with `cycles` and `energy`,
 * vww unchanged. Paths go to base and cand. */
static void write_pair(char *base, char *cand, const char *cycles, const char *energy)
{
    char b[2][2048], c[2][2048], m[512];

    record(b[0], sizeof b[0], "kws", KWS_METRICS("1000", "2.5"), "");
    record(b[1], sizeof b[1], "vww", KWS_METRICS("7000", "9.0"), "");
    snprintf(m, sizeof m, "\"cycles\": %s, \"energy_uj.total\": %s, \"memory.arena_bytes\": "
             "100, \"memory.flash_used_bytes\": 500, \"memory.fits_ram\": 1, \"clock_hz\": "
             "80000000", cycles, energy);
    record(c[0], sizeof c[0], "kws", m, "");
    record(c[1], sizeof c[1], "vww", KWS_METRICS("7000", "9.0"), "");
    write_export("base.json", base, 256, (const char *[]){b[0], b[1], NULL});
    write_export("cand.json", cand, 256, (const char *[]){c[0], c[1], NULL});
}

/* regress base cand plus extra arguments (NULL-terminated). */
static cli_result regress(const char *base, const char *cand, const char *const *extra)
{
    const char *args[32] = {"regress", "--baseline", base, "--candidate", cand};
    int n = 5;

    while (*extra && n < 31)
        args[n++] = *extra++;
    args[n] = NULL;
    return cli_run(args);
}

/* The n-th (from 0) data row of the Markdown table in out, copied to buf; NULL if none. */
static const char *table_row(const char *out, int n, char *buf, size_t cap)
{
    int k = -1; /* the header first ("|---|" separates it from the rows) */

    for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, "| ", 2) != 0)
            continue;
        if (k++ == n) {
            snprintf(buf, cap, "%.*s", (int)strcspn(l, "\n"), l);
            return buf;
        }
    }
    return NULL;
}

static int count_table_rows(const char *out)
{
    int n = 0;
    char row[1024];

    while (table_row(out, n, row, sizeof row))
        n++;
    return n;
}

static int count_str(const char *s, const char *needle)
{
    int n = 0;

    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

Test(cli_regress, exits_0_and_shows_no_table_when_nothing_changed)
{
    char base[256], cand[256];
    cli_result r;

    write_pair(base, cand, "1000", "2.5");
    r = regress(base, cand, (const char *[]){NULL});
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_expect(strstr(r.out, "No metric changed."), "%s", r.out);
    cr_expect_eq(count_table_rows(r.out), 0, "%s", r.out);
    /* 2 pairs x (status + cycles, energy, arena, flash) */
    cr_expect(strstr(r.out, "**PASS**: 2 pairs, 10 metrics compared: 0 regressions, 0 "
                            "improvements, 10 unchanged; pairs only in baseline 0, only in "
                            "candidate 0\n"), "%s", r.out);
    cr_expect(strstr(r.out, "Baseline: file `"), "says what it resolved to: %s", r.out);
    cr_expect_str_eq(r.err, "");
    cli_result_free(&r);
}

Test(cli_regress, exits_1_on_a_regression_and_lists_it_first)
{
    char base[256], cand[256], row[1024];
    cli_result r;

    write_pair(base, cand, "1010", "2.0"); /* +1.00% cycles, -20.00% energy */
    r = regress(base, cand, (const char *[]){NULL});
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert_eq(count_table_rows(r.out), 2, "%s", r.out);
    cr_expect_str_eq(table_row(r.out, 0, row, sizeof row),
                     "| kws | cortex-m4 | ref | - | cycles | 1,000 | 1,010 | **+1.00% "
                     "regression** |  |");
    cr_expect_str_eq(table_row(r.out, 1, row, sizeof row),
                     "| kws | cortex-m4 | ref | - | energy_uj.total | 2.5 | 2 | -20.00% "
                     "improvement |  |");
    cr_expect(strstr(r.out, "**FAIL**: 2 pairs, 10 metrics compared: 1 regression, 1 "
                            "improvement, 8 unchanged"), "%s", r.out);
    cli_result_free(&r);
}

/* --json: the same comparison as the table, every row (unchanged ones too) with its values,
 * change and verdict, the summary's counts, and the exit status of the table. */
Test(cli_regress, json_lists_every_row_with_its_verdict_and_the_summary)
{
    char base[256], cand[256];
    cli_result r;
    cJSON *doc, *row, *sum, *cyc = NULL;
    int n = 0;

    write_pair(base, cand, "1010", "2.0"); /* +1.00% cycles, -20.00% energy */
    r = regress(base, cand, (const char *[]){"--json", NULL});
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert_not_null(doc = cJSON_Parse(r.out), "not JSON: %s", r.out);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(doc, "pass")));
    sum = cJSON_GetObjectItem(doc, "summary");
    cr_expect_eq(cJSON_GetObjectItem(sum, "pairs")->valuedouble, 2);
    cr_expect_eq(cJSON_GetObjectItem(sum, "metrics_compared")->valuedouble, 10);
    cr_expect_eq(cJSON_GetObjectItem(sum, "regression")->valuedouble, 1);
    cr_expect_eq(cJSON_GetObjectItem(sum, "improvement")->valuedouble, 1);
    cr_expect_eq(cJSON_GetObjectItem(sum, "unchanged")->valuedouble, 8);
    cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "baseline"), "runs")->valuedouble,
                 2);
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(doc, "rows")) {
        n++;
        if (!strcmp(cJSON_GetObjectItem(row, "model")->valuestring, "kws") &&
            !strcmp(cJSON_GetObjectItem(row, "metric")->valuestring, "cycles"))
            cyc = row;
    }
    cr_expect_eq(n, 10, "every row, the unchanged ones too");
    cr_assert_not_null(cyc);
    cr_expect_eq(cJSON_GetObjectItem(cyc, "baseline")->valuedouble, 1000);
    cr_expect_eq(cJSON_GetObjectItem(cyc, "candidate")->valuedouble, 1010);
    cr_expect(fabs(cJSON_GetObjectItem(cyc, "change_pct")->valuedouble - 1.0) < 1e-12);
    cr_expect_str_eq(cJSON_GetObjectItem(cyc, "verdict")->valuestring, "regression");
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cyc, "fails")));
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(cyc, "layer")));
    cr_expect_str_eq(r.err, "");
    cJSON_Delete(doc);
    cli_result_free(&r);
    write_pair(base, cand, "1000", "2.5");
    r = regress(base, cand, (const char *[]){"--json", NULL});
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert_not_null(doc = cJSON_Parse(r.out), "not JSON: %s", r.out);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(doc, "pass")));
    cJSON_Delete(doc);
    cli_result_free(&r);
}

Test(cli_regress, a_half_percent_rise_passes_at_1_percent_and_fails_at_0)
{
    static const struct {
        const char *threshold;
        int status;
    } cases[] = {{"1%", 0}, {"1", 0}, {"0.5%", 0}, {"0.49%", 1}, {"0", 1}, {"0%", 1}};
    char base[256], cand[256], row[1024];

    write_pair(base, cand, "1005", "2.5"); /* +0.50% */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result r = regress(base, cand, (const char *[]){"--threshold", cases[i].threshold,
                                                            NULL});
        cr_expect_eq(r.status, cases[i].status, "--threshold %s: %s%s", cases[i].threshold,
                     r.out, r.err);
        cr_expect(table_row(r.out, 0, row, sizeof row) &&
                      strstr(row, cases[i].status ? "| **+0.50% regression** |"
                                                  : "| +0.50% within threshold |"),
                  "--threshold %s: %s", cases[i].threshold, r.out);
        cli_result_free(&r);
    }
}

Test(cli_regress, exact_fails_on_an_improvement_the_plain_gate_accepts)
{
    char base[256], cand[256], row[1024];
    cli_result r;

    write_pair(base, cand, "990", "2.5"); /* -1.00% */
    r = regress(base, cand, (const char *[]){NULL});
    cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_expect(strstr(table_row(r.out, 0, row, sizeof row), "| -1.00% improvement |"), "%s",
              r.out);
    cli_result_free(&r);
    r = regress(base, cand, (const char *[]){"--exact", NULL});
    cr_expect_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_expect(strstr(table_row(r.out, 0, row, sizeof row),
                     "| **-1.00% improvement (--exact)** |"), "%s", r.out);
    cli_result_free(&r);
    r = regress(base, cand, (const char *[]){"--exact", "--threshold", "1%", NULL});
    cr_expect_eq(r.status, 2, "--exact with a threshold is a contradiction: %s", r.err);
    cli_result_free(&r);
}

Test(cli_regress, exact_fails_on_a_pair_present_on_one_side_only)
{
    char b[2][2048], base[256], cand[256];
    cli_result r;

    record(b[0], sizeof b[0], "kws", KWS_METRICS("1000", "2.5"), "");
    record(b[1], sizeof b[1], "vww", "\"cycles\": 1", "");
    write_export("base.json", base, sizeof base, (const char *[]){b[0], b[1], NULL});
    write_export("cand.json", cand, sizeof cand, (const char *[]){b[0], NULL});
    r = regress(base, cand, (const char *[]){NULL});
    cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_expect(strstr(r.out, "pairs only in baseline 1, only in candidate 0"), "%s", r.out);
    cli_result_free(&r);
    r = regress(base, cand, (const char *[]){"--exact", NULL});
    cr_expect_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_expect(strstr(r.out, "| vww | cortex-m4 | ref | - | run | ok | - | **only in baseline "
                            "(--exact)** |"), "%s", r.out);
    cli_result_free(&r);
}

Test(cli_regress, a_higher_is_better_metric_regresses_when_it_falls)
{
    char b[2048], c[2048], base[256], cand[256];
    cli_result r;

    write_export("base.json", base, sizeof base,
                 (const char *[]){record(b, sizeof b, "kws", "\"memory.fits_ram\": 1, "
                                         "\"clock_hz\": 80000000", ""), NULL});
    write_export("cand.json", cand, sizeof cand,
                 (const char *[]){record(c, sizeof c, "kws", "\"memory.fits_ram\": 0, "
                                         "\"clock_hz\": 64000000", ""), NULL});
    r = regress(base, cand, (const char *[]){"--metric", "fits", NULL});
    cr_expect_eq(r.status, 1, "fits 1 -> 0 is worse: %s%s", r.out, r.err);
    cr_expect(strstr(r.out, "| memory.fits_ram | 1 | 0 | **-100.00% regression** |"), "%s",
              r.out);
    cli_result_free(&r);
    r = regress(base, cand, (const char *[]){"--metric", "clock", NULL});
    cr_expect_eq(r.status, 0, "a configuration has no better direction: %s%s", r.out, r.err);
    cr_expect(strstr(r.out, "| clock_hz | 80,000,000 | 64,000,000 | -20.00% changed |"), "%s",
              r.out);
    cli_result_free(&r);
}

Test(cli_regress, per_layer_compares_layer_metrics_by_index)
{
    char b[2048], c[2048], base[256], cand[256], row[1024];
    cli_result r;

    record(b, sizeof b, "kws", "\"cycles\": 1000", "");
    record(c, sizeof c, "kws", "\"cycles\": 1000", "");
    *strstr(c, "\"cycles\": 400") = '\0'; /* layer 1: 400 -> 420 cycles */
    strcat(c, "\"cycles\": 420}}]}");
    write_export("base.json", base, sizeof base, (const char *[]){b, NULL});
    write_export("cand.json", cand, sizeof cand, (const char *[]){c, NULL});
    r = regress(base, cand, (const char *[]){NULL});
    cr_expect_eq(r.status, 0, "run metrics only by default: %s%s", r.out, r.err);
    cli_result_free(&r);
    r = regress(base, cand, (const char *[]){"--per-layer", "--metric", "cycles", NULL});
    cr_expect_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_expect_str_eq(table_row(r.out, 0, row, sizeof row),
                     "| kws | cortex-m4 | ref | - | layer 1 SOFTMAX: cycles | 400 | 420 | "
                     "**+5.00% regression** |  |");
    cr_expect(strstr(r.out, "4 metrics compared"), "status, run and 2 layers: %s", r.out);
    cli_result_free(&r);
}

Test(cli_regress, flags_a_different_model_in_a_note_and_exact_fails_on_it)
{
    char b[2048], c[2048], base[256], cand[256];
    cli_result r;

    write_export("base.json", base, sizeof base,
                 (const char *[]){record(b, sizeof b, "kws", "\"cycles\": 1000",
                                         "\"model_sha256\": \"aa11\""), NULL});
    write_export("cand.json", cand, sizeof cand,
                 (const char *[]){record(c, sizeof c, "kws", "\"cycles\": 1100",
                                         "\"model_sha256\": \"bb22\""), NULL});
    r = regress(base, cand, (const char *[]){"--threshold", "20%", NULL});
    cr_expect_eq(r.status, 0, "still compared: %s%s", r.out, r.err);
    cr_expect(strstr(r.out, "| cycles | 1,000 | 1,100 | +10.00% within threshold | model_sha256 "
                            "differs |"), "%s", r.out);
    cr_expect(strstr(r.out, "| model_sha256 | aa11 | bb22 | changed | model_sha256 differs |"),
              "%s", r.out);
    cli_result_free(&r);
    r = regress(base, cand, (const char *[]){"--exact", NULL});
    cr_expect_eq(r.status, 1, "%s%s", r.out, r.err);
    cli_result_free(&r);
}

Test(cli_regress, takes_the_newest_run_of_a_configuration)
{
    char b[2][2048], c[2048], base[256], cand[256];
    cli_result r;

    record(b[0], sizeof b[0], "kws", "\"cycles\": 1000",
           "\"created_utc\": \"2026-12-05T10:00:00.000Z\"");
    record(b[1], sizeof b[1], "kws", "\"cycles\": 900",
           "\"created_utc\": \"2026-12-04T10:00:00.000Z\"");
    write_export("base.json", base, sizeof base, (const char *[]){b[0], b[1], NULL});
    write_export("cand.json", cand, sizeof cand,
                 (const char *[]){record(c, sizeof c, "kws", "\"cycles\": 1000", ""), NULL});
    r = regress(base, cand, (const char *[]){NULL});
    cr_expect_eq(r.status, 0, "the 900-cycle run is older: %s%s", r.out, r.err);
    cr_expect(strstr(r.out, "1 run (the newest of each configuration; 1 older left out)"), "%s",
              r.out);
    cli_result_free(&r);
}

/* Each bad invocation: exit 2, one line on stderr naming the problem, nothing on stdout. */
Test(cli_regress, exits_2_with_one_line_on_bad_usage_bad_files_and_nothing_matched)
{
    char base[256], cand[256], other[256], bad[256], newer[256], b[2048], db[256];
    const char *none = in_dir("missing.json", (char[256]){0}, 256);
    struct {
        const char *args[12];
        const char *msg;
    } cases[] = {
        {{"--threshold", "abc"}, "--threshold: expected a percentage"},
        {{"--threshold", "-1%"}, "--threshold: expected a percentage"},
        {{"--threshold", "1%%"}, "--threshold: expected a percentage"},
        {{"--metric", "cycels"}, "unknown metric 'cycels'"},
        {{"--metric", "region.nowhere.read_bytes"}, "no run metric 'region.nowhere.read_bytes'"},
        {{"--bogus"}, "unknown option '--bogus'"},
    };
    cli_result r;

    write_pair(base, cand, "1000", "2.5");
    in_dir("runs.db", db, sizeof db);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = regress(base, cand, cases[i].args);
        cr_expect_eq(r.status, 2, "%s", cases[i].msg);
        cr_expect(strstr(r.err, cases[i].msg) && count_lines(r.err) == 1, "%s", r.err);
        cr_expect_str_eq(r.out, "");
        cli_result_free(&r);
    }
    write_export("other.json", other, sizeof other,
                 (const char *[]){record(b, sizeof b, "resnet", "\"cycles\": 1", ""), NULL});
    r = regress(base, other, (const char *[]){NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "nothing matched") && count_lines(r.err) == 1, "%s", r.err);
    cli_result_free(&r);
    r = regress(none, cand, (const char *[]){"--db", db, NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "missing.json: --baseline: no such file, and no results database"),
              "%s", r.err);
    cli_result_free(&r);
    write_text(in_dir("bad.json", bad, sizeof bad), "{\"format\": \"tinysim-results\",\n  \"runs\": [}");
    r = regress(bad, cand, (const char *[]){NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "bad.json: line 2, column 12: not valid JSON"), "%s", r.err);
    cli_result_free(&r);
    write_text(in_dir("newer.json", newer, sizeof newer),
               "{\"format\": \"tinysim-results\", \"version\": 2, \"runs\": []}");
    r = regress(base, newer, (const char *[]){NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "newer.json: $.version: expected 1, got 2"), "%s", r.err);
    cli_result_free(&r);
    write_text(bad, "{\"format\": \"tinysim-results\", \"version\": 1, \"runs\": "
                    "[{\"model_name\": \"kws\", \"target\": \"m4\", \"metrics\": {\"cycles\": "
                    "\"many\"}}]}");
    r = regress(bad, cand, (const char *[]){NULL});
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "bad.json: $.runs[0].metrics.cycles: expected number, got string"), "%s",
              r.err);
    cli_result_free(&r);
}

/* ---- JUnit ---- */

/* Whether xml is well-formed in the subset JUnit needs: a declaration, elements with
 * double-quoted attributes, text; every '&' starts one of the five entities or &#NN;, no raw
 * '<' in values, every element closed in order. Writes the first problem to why. */
static bool well_formed(const char *xml, char *why, size_t cap)
{
    const char *stack[16], *p = xml;
    size_t len[16];
    int depth = 0;

    if (strncmp(p, "<?xml ", 6) || !(p = strstr(p, "?>")))
        return snprintf(why, cap, "no XML declaration"), false;
    for (p += 2; *p; p++) {
        if (*p == '&') {
            size_t n = strspn(p + 1, "#0123456789abcdefghijklmnopqrstuvwxyz");
            if (p[1 + n] != ';' || !(strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 ||
                                     strncmp(p, "&gt;", 4) == 0 || strncmp(p, "&quot;", 6) == 0 ||
                                     strncmp(p, "&apos;", 6) == 0 || p[1] == '#'))
                return snprintf(why, cap, "bad entity at %.20s", p), false;
            continue;
        }
        if (*p != '<')
            continue;
        if (p[1] == '/') {
            size_t n = strcspn(p + 2, ">");
            if (depth == 0 || n != len[depth - 1] || strncmp(p + 2, stack[depth - 1], n))
                return snprintf(why, cap, "unbalanced close at %.30s", p), false;
            depth--;
            continue;
        }
        const char *name = p + 1, *end = name;
        size_t n = strcspn(name, " />");
        bool in_value = false;
        for (end = name + n; *end && (in_value || (*end != '>')); end++) {
            if (*end == '"')
                in_value = !in_value;
            else if (*end == '<')
                return snprintf(why, cap, "raw '<' inside a tag at %.30s", p), false;
        }
        if (!*end)
            return snprintf(why, cap, "unterminated tag at %.30s", p), false;
        if (end[-1] != '/') {
            if (depth == 16)
                return snprintf(why, cap, "too deep"), false;
            stack[depth] = name, len[depth++] = n;
        }
        p = end;
    }
    return depth == 0 || (snprintf(why, cap, "%d elements left open", depth), false);
}

static char *read_all(const char *path)
{
    char *buf = calloc(1, 4 * BIG);

    cr_assert_not_null(buf);
    cli_read_file(path, buf, 4 * BIG - 1);
    return buf;
}

Test(cli_regress, writes_one_junit_testcase_per_pair_and_metric_with_escaped_names)
{
    char b[2][2048], c[2][2048], base[256], cand[256], junit[256], md[256], why[128];
    char *xml, *mdtext;
    cli_result r;

    record(b[0], sizeof b[0], "a<b&\\\"c'", KWS_METRICS("1000", "2.5"), "");
    record(c[0], sizeof c[0], "a<b&\\\"c'", KWS_METRICS("1200", "2.5"), "");
    record(b[1], sizeof b[1], "vww", KWS_METRICS("7000", "9.0"), "");
    record(c[1], sizeof c[1], "vww", KWS_METRICS("7000", "9.0"), "");
    write_export("base.json", base, sizeof base, (const char *[]){b[0], b[1], NULL});
    write_export("cand.json", cand, sizeof cand, (const char *[]){c[0], c[1], NULL});
    in_dir("report.xml", junit, sizeof junit);
    in_dir("comment.md", md, sizeof md);
    r = regress(base, cand, (const char *[]){"--junit", junit, "--markdown", md, NULL});
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    xml = read_all(junit);
    cr_expect(well_formed(xml, why, sizeof why), "%s\n%s", why, xml);
    /* 2 pairs x (status, cycles, energy, arena, flash); one failure: the +20% cycles */
    cr_expect_eq(count_str(xml, "<testcase "), 10, "%s", xml);
    cr_expect_eq(count_str(xml, "<failure "), 1, "%s", xml);
    cr_expect(strstr(xml, "tests=\"10\" failures=\"1\""), "%s", xml);
    cr_expect(strstr(xml, "<testcase classname=\"a&lt;b&amp;&quot;c&#39;/cortex-m4/ref\" "
                          "name=\"cycles\" time=\"0\">\n      <failure type=\"regression\" "
                          "message=\"cycles: 1,000 -> 1,200, +20.00% regression (threshold "
                          "0%)\"/>"),
              "%s", xml);
    cr_expect(strstr(xml, "<testcase classname=\"vww/cortex-m4/ref\" name=\"energy_uj.total\" "
                          "time=\"0\"/>"), "%s", xml);
    mdtext = read_all(md);
    cr_expect_str_eq(mdtext, r.out, "--markdown writes what stdout shows");
    cr_expect(strstr(mdtext, "| a<b&\"c' | cortex-m4 |"), "%s", mdtext);
    free(xml), free(mdtext);
    cli_result_free(&r);
}

Test(cli_regress, writes_no_file_and_leaves_no_temporary_when_the_input_is_bad)
{
    char base[256], cand[256], junit[256];
    cli_result r;
    struct dirent *e;
    DIR *d;
    int n = 0;

    write_pair(base, cand, "1000", "2.5");
    in_dir("report.xml", junit, sizeof junit);
    r = regress(base, cand, (const char *[]){"--junit", junit, "--metric", "nothing.here", NULL});
    cr_expect_eq(r.status, 2, "%s", r.err);
    cli_result_free(&r);
    cr_assert_not_null(d = opendir(dir));
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    cr_expect_eq(n, 2, "only base.json and cand.json are left");
    r = regress(base, cand, (const char *[]){"--junit", "/nonexistent-dir/r.xml", NULL});
    cr_expect_eq(r.status, 2, "an unwritable --junit path fails: %s", r.err);
    cr_expect(strstr(r.err, "/nonexistent-dir/r.xml") && count_lines(r.err) == 1, "%s", r.err);
    cr_expect_str_eq(r.out, "", "before any comparison");
    cli_result_free(&r);
}

/* ---- end to end: real runs in a store ---- */

/* dir/slow-m4.json: targets/cortex-m4.json with flash wait states 5 -> 9 (same name). */
static const char *slow_m4(char *path, size_t cap)
{
    char src[4096], *text = calloc(1, BIG * 2), *ws;
    size_t n;

    snprintf(src, sizeof src, "%s/targets/cortex-m4.json", getenv("TS_SOURCE_DIR"));
    n = cli_read_file(src, text, BIG * 2 - 1);
    text[n] = '\0';
    cr_assert_not_null(ws = strstr(text, "\"wait_states\": 5"), "flash wait states of the M4");
    ws[strlen("\"wait_states\": ")] = '9';
    write_text(in_dir("slow-m4.json", path, cap), text);
    free(text);
    return path;
}

/* Runs tinysim with args, asserting exit 0; returns its output (caller frees). */
static cli_result run_ok(const char *const *args)
{
    cli_result r = cli_run(args);

    cr_assert_eq(r.status, 0, "%s: %s", args[0], r.err);
    return r;
}

/* bench MODEL on target (ref kernels) recorded in db with tag; --json when json. */
static cli_result bench(const char *target, const char *model, const char *db, const char *tag,
                        bool json)
{
    return run_ok((const char *[]){"bench", "--target", target, model, "--db", db, "--tag", tag,
                                   "--kernels", "ref", json ? "--json" : NULL, NULL});
}

Test(cli_regress, gates_real_runs_by_tag_and_run_id_and_sees_slower_flash)
{
    char db[256], slow[256], model[64], id[16], row[1024];
    cli_result r;
    cJSON *doc;

    need_target_firmware("cortex-m4");
    in_dir("runs.db", db, sizeof db);
    cli_gen_model("hello_world", model, sizeof model);
    r = bench("cortex-m4", model, db, "base", false);
    cli_result_free(&r);
    r = bench(slow_m4(slow, sizeof slow), model, db, "cand", false);
    cli_result_free(&r);
    r = regress("base", "cand", (const char *[]){"--db", db, NULL});
    cr_expect_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_expect(strstr(table_row(r.out, 0, row, sizeof row),
                     "| cycles |") && strstr(row, "regression** | target_sha256 differs |"),
              "%s", r.out);
    cr_expect(strstr(r.out, "Baseline: tag `base` in "), "%s", r.out);
    cli_result_free(&r);
    /* the baseline by a run id prefix: the newest run tagged base */
    r = run_ok((const char *[]){"results", "export", "--format", "json", "--tag", "base", "--db",
                                db, NULL});
    doc = cJSON_Parse(r.out);
    snprintf(id, sizeof id, "%.10s",
             cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0), "id")
                 ->valuestring);
    cJSON_Delete(doc);
    cli_result_free(&r);
    r = regress(id, "base", (const char *[]){"--db", db, "--exact", "--metric", "all",
                                             "--per-layer", NULL});
    cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_expect(strstr(r.out, "Baseline: run `"), "%s", r.out);
    cli_result_free(&r);
    unlink(model);
}

/* `results export --stable` and `bench --json` files compare equal to the store's runs, every
 * metric and layer, exactly: no digit is lost on the way (energy has fractions). */
Test(cli_regress, stable_exports_and_bench_json_files_compare_exactly_with_the_store)
{
    char db[256], model[64], stable[256], json[256];
    cli_result r;
    FILE *f;

    need_target_firmware("cortex-m4");
    in_dir("runs.db", db, sizeof db);
    cli_gen_model("ds_cnn", model, sizeof model);
    r = bench("cortex-m4", model, db, "a", false);
    cli_result_free(&r);
    r = bench("cortex-m4", model, db, "a", true);
    cr_assert_not_null(f = fopen(in_dir("bench.json", json, sizeof json), "w"));
    fputs(r.out, f);
    fclose(f);
    cli_result_free(&r);
    r = run_ok((const char *[]){"results", "export", "--format", "json", "--stable", "--db", db,
                                "-o", in_dir("stable.json", stable, sizeof stable), NULL});
    cli_result_free(&r);
    char *text = read_all(stable);
    cr_expect_eq(count_str(text, "\"model_name\""), 1, "the newest of the two runs only");
    cr_expect(!strstr(text, "\"created_utc\"") && !strstr(text, "\"host\"") &&
                  !strstr(text, "\"id\"") && !strstr(text, "\"model_path\"") &&
                  !strstr(text, "\"target_config\""), "nothing that changes between runs");
    cr_expect(strstr(text, "\"energy_uj.total\""), "energy is compared too");
    free(text);
    for (int i = 0; i < 2; i++) {
        r = regress(i ? json : stable, db, (const char *[]){"--exact", "--metric", "all",
                                                            "--per-layer", NULL});
        cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
        cr_expect(strstr(r.out, "No metric changed."), "%s", r.out);
        cli_result_free(&r);
    }
    unlink(model);
}
