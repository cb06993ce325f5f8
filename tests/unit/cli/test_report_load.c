/* test_report_load.c: reading `tinysim bench --json` documents into report runs
 * (bench/report_load.c), and the `tinysim report` command: filters, one-line errors, no
 * half-written page. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "report_fixture.h"
#include "report_load.h"

/* A bench --json document; %s slots: header extras, kernels. Two regions of different
 * kinds in the totals and one in the layer, so sums per level can be checked. */
static const char doc_fmt[] =
    "{\"model\": \"m.tflite\", \"target\": \"cortex-m7\", %s"
    " \"kernels\": \"%s\","
    " \"layers\": [{\"index\": 0, \"op\": \"CONV_2D\", \"unit\": \"cpu\", \"cycles\": 100,"
    "   \"regions\": [{\"kind\": \"flash\", \"fetch_accesses\": 1, \"read_accesses\": 2,"
    "     \"write_accesses\": 0, \"fetch_bytes\": 4, \"read_bytes\": 8, \"write_bytes\": 0}]}],"
    " \"totals\": {\"cycles\": 150, \"latency_ms\": 0.5, \"instructions\": 90, %s"
    "   \"regions\": [{\"kind\": \"flash\", \"fetch_accesses\": 10, \"read_accesses\": 20,"
    "     \"write_accesses\": 0, \"fetch_bytes\": 40, \"read_bytes\": 80, \"write_bytes\": 0},"
    "    {\"kind\": \"tcm\", \"fetch_accesses\": 0, \"read_accesses\": 5, \"write_accesses\": 7,"
    "     \"fetch_bytes\": 0, \"read_bytes\": 20, \"write_bytes\": 28},"
    "    {\"kind\": \"tcm\", \"fetch_accesses\": 1, \"read_accesses\": 0, \"write_accesses\": 0,"
    "     \"fetch_bytes\": 2, \"read_bytes\": 0, \"write_bytes\": 0}]}}";

static char *doc(const char *header, const char *kernels, const char *totals)
{
    size_t n = sizeof doc_fmt + strlen(header) + strlen(kernels) + strlen(totals);
    char *s = malloc(n);
    snprintf(s, n, doc_fmt, header, kernels, totals);
    return s;
}

static ts_status add(report_set *s, const char *json, ts_err *err)
{
    ts_err_clear(err);
    return report_set_add_json(s, "r.json", json, strlen(json), err);
}

Test(report_load, sums_accesses_and_bytes_per_memory_level)
{
    report_set s = {0};
    ts_err err;
    char *j = doc("\"timestamp\": \"2026-12-01T00:00:00Z\", \"tags\": [\"a\", \"b\"],", "simd",
                  "\"energy_uj\": {\"core\": 1.5, \"flash\": 0.25, \"total\": 1.75},");

    cr_assert_eq(add(&s, j, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(s.n_runs, 1);
    const rep_run *r = &s.runs[0];
    cr_expect_str_eq(r->id, "r.json");
    cr_expect_str_eq(r->target, "cortex-m7");
    cr_expect_str_eq(r->timestamp, "2026-12-01T00:00:00Z");
    cr_expect_eq(r->n_tags, 2);
    cr_expect_str_eq(r->tags[1], "b");
    cr_expect_eq(r->cycles, 150);
    cr_expect_eq(r->accesses[REP_LEVEL_FLASH], 30);
    cr_expect_eq(r->bytes[REP_LEVEL_FLASH], 120);
    cr_expect_eq(r->accesses[REP_LEVEL_TCM], 13);
    cr_expect_eq(r->bytes[REP_LEVEL_TCM], 50);
    cr_expect_eq(r->accesses[REP_LEVEL_SRAM], 0);
    cr_expect_eq(r->layers[0].accesses[REP_LEVEL_FLASH], 3);
    cr_expect_eq(r->n_energy, 2);
    cr_expect_str_eq(r->energy[1].component, "flash");
    cr_expect_float_eq(r->energy[0].uj, 1.5, 1e-12);
    free(j);
    report_set_free(&s);
}

Test(report_load, a_kernels_both_document_gives_two_runs)
{
    char *one = doc("", "ref", ""), *both, *ref, *simd;
    report_set s = {0};
    ts_err err;
    size_t n;

    /* {"model":..., "target":..., "ref": RUN, "simd": RUN}, RUN being `one` itself */
    n = 2 * strlen(one) + 128;
    both = malloc(n);
    ref = strdup(one), simd = doc("", "simd", "");
    snprintf(both, n,
             "{\"model\": \"m.tflite\", \"target\": \"cortex-m4\", \"run_id\": \"x\","
             " \"ref\": %s, \"simd\": %s}",
             ref, simd);
    cr_assert_eq(add(&s, both, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(s.n_runs, 2);
    cr_expect_str_eq(s.runs[0].id, "x#ref");
    cr_expect_str_eq(s.runs[1].id, "x#simd");
    cr_expect_str_eq(s.runs[0].kernels, "ref");
    cr_expect_str_eq(s.runs[1].kernels, "simd");
    cr_expect_str_eq(s.runs[1].target, "cortex-m4");
    free(one), free(both), free(ref), free(simd);
    report_set_free(&s);
}

Test(report_load, a_recorded_run_takes_id_time_tags_and_model_name_from_its_provenance)
{
    report_set s = {0};
    ts_err err;
    char *j = doc("\"timestamp\": \"ignored\", \"provenance\": {\"id\": \"0123abcd\", "
                  "\"created_utc\": \"2026-12-04T18:00:00.000Z\", \"model_name\": \"kws\", "
                  "\"suite\": null, \"tags\": [\"ci\"]},",
                  "simd", "");

    cr_assert_eq(add(&s, j, &err), TS_OK, "%s", err.msg);
    cr_expect_str_eq(s.runs[0].id, "0123abcd");
    cr_expect_str_eq(s.runs[0].timestamp, "2026-12-04T18:00:00.000Z");
    cr_expect_str_eq(s.runs[0].model, "kws");
    cr_assert_eq(s.runs[0].n_tags, 1);
    cr_expect_str_eq(s.runs[0].tags[0], "ci");
    cr_expect_str_eq(s.runs[0].point, "", "no sweep point");
    cr_expect_str_eq(s.runs[0].overrides, "");
    free(j);
    report_set_free(&s);
}

Test(report_load, a_run_of_a_sweep_takes_its_point_and_overrides_from_its_provenance)
{
    report_set s = {0};
    ts_err err;
    char *j = doc("\"provenance\": {\"id\": \"0123abcd\", \"sweep_point\": \"9f00\", "
                  "\"overrides\": [{\"key\": \"clock_hz\", \"value\": \"48000000\"}, "
                  "{\"key\": \"memory[0].wait_states\", \"value\": \"0\"}]},",
                  "simd", "");

    cr_assert_eq(add(&s, j, &err), TS_OK, "%s", err.msg);
    cr_expect_str_eq(s.runs[0].point, "9f00");
    cr_expect_str_eq(s.runs[0].overrides, "clock_hz=48000000 memory[0].wait_states=0");
    free(j);
    report_set_free(&s);
}

Test(report_load, a_bad_field_is_named_by_its_json_path)
{
    static const struct {
        const char *from, *to, *msg;
    } cases[] = {
        {"\"cycles\": 150", "\"cycles\": \"150\"",
         "r.json: $.totals.cycles: expected number >= 0, got string"},
        {"\"cycles\": 100", "\"cycles\": -1",
         "r.json: $.layers[0].cycles: expected number >= 0, got number"},
        {"\"kind\": \"tcm\", \"fetch_accesses\": 0", "\"kind\": 3, \"fetch_accesses\": 0",
         "r.json: $.totals.regions[1].kind: expected string, got number"},
        {"\"latency_ms\": 0.5", "\"latency_ms\": null",
         "r.json: $.totals.latency_ms: expected number >= 0, got null"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *j = doc("", "simd", ""), *at = strstr(j, cases[i].from);
        char fixed[4096];
        report_set s = {0};
        ts_err err;
        cr_assert_not_null(at);
        snprintf(fixed, sizeof fixed, "%.*s%s%s", (int)(at - j), j, cases[i].to,
                 at + strlen(cases[i].from));
        cr_expect_eq(add(&s, fixed, &err), TS_ERR_FORMAT);
        cr_expect_str_eq(err.msg, cases[i].msg);
        cr_expect_eq(s.n_runs, 0);
        free(j);
        report_set_free(&s);
    }
}

Test(report_load, a_syntax_error_gives_its_line_and_column)
{
    report_set s = {0};
    ts_err err;

    cr_expect_eq(add(&s, "{\n  \"model\": \"m\",\n  \"target\" 3}", &err), TS_ERR_FORMAT);
    cr_expect_not_null(strstr(err.msg, "r.json: line 3, column 12: not valid JSON"), "%s", err.msg);
    cr_expect_eq(add(&s, "[1, 2]", &err), TS_ERR_FORMAT);
    cr_expect_str_eq(err.msg, "r.json: $: expected a bench --json object");
    report_set_free(&s);
}

/* ---- the command ---- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

Test(report_cli, writes_a_page_of_the_selected_runs)
{
    char dir[] = "/tmp/ts_report_XXXXXX", a[96], b[96], out[96];
    char *ja = doc("\"run_id\": \"A\", \"tags\": [\"keep\"],", "simd", "");
    char *jb = doc("\"run_id\": \"B<\",", "ref", "");
    char *page;

    cr_assert_not_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.json", dir), snprintf(b, sizeof b, "%s/b.json", dir);
    snprintf(out, sizeof out, "%s/r.html", dir);
    write_text(a, ja), write_text(b, jb);
    cli_result r = cli_run((const char *[]){"report", "-o", out, "--tag", "keep", a, b, NULL});
    cr_expect_eq(r.status, 0, "%s", r.err);
    page = calloc(1, 1 << 20);
    cli_read_file(out, page, (1 << 20) - 1);
    cr_expect_not_null(strstr(page, ">A</td>"));
    cr_expect_null(strstr(page, ">B&lt;</td>"), "run B has no tag 'keep'");
    cr_expect_not_null(strstr(page, "1 run selected from 2 in 2 files."));
    cli_result_free(&r);
    r = cli_run((const char *[]){"report", "-o", out, "--run", "none", a, NULL});
    cr_expect_eq(r.status, 0);
    cr_expect_not_null(strstr(r.err, "no run matches the selection"));
    cli_read_file(out, page, (1 << 20) - 1);
    cr_expect_not_null(strstr(page, "No runs to show"));
    cli_result_free(&r);
    unlink(a), unlink(b), unlink(out), rmdir(dir);
    free(page), free(ja), free(jb);
}

Test(report_cli, bad_input_gives_one_line_and_leaves_no_page)
{
    char dir[] = "/tmp/ts_report_XXXXXX", a[96], out[96];

    cr_assert_not_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.json", dir), snprintf(out, sizeof out, "%s/r.html", dir);
    write_text(a, "{\"model\": \"m\", \"target\": \"t\", \"kernels\": \"ref\"}");
    cli_result r = cli_run((const char *[]){"report", "-o", out, a, NULL});
    cr_expect_eq(r.status, 2);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    cr_expect_not_null(strstr(r.err, "a.json: $.layers: expected array, got nothing"), "%s", r.err);
    cr_expect_neq(access(out, F_OK), 0, "no page after an error");
    cli_result_free(&r);
    r = cli_run((const char *[]){"report", a, NULL});
    cr_expect_eq(r.status, 2);
    cr_expect_not_null(strstr(r.err, "expected -o OUT.html"));
    cli_result_free(&r);
    r = cli_run((const char *[]){"report", "-o", out, "/nonexistent/x.json", NULL});
    cr_expect_eq(r.status, 2);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    cli_result_free(&r);
    unlink(a), rmdir(dir);
}
