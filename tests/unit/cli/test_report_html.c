/* test_report_html.c: the HTML report renderer (bench/report_html.c, svg_chart.c): every
 * chart present for a multi-run input, the tables equal the input, every data string
 * escaped, the empty and energy-less cases say so, output deterministic, allocation
 * failures reported without leaks. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "report_fixture.h"

static rep_doc doc_of(const rep_run *runs, int n)
{
    return (rep_doc){"KWS nightly", "5 runs", "tinysim test", runs, n};
}

Test(report_html, draws_every_chart_for_a_multi_run_input)
{
    rep_doc d = doc_of(fixture_runs(), FIX_N_RUNS);
    char *html = render(&d);

    for (int i = 0; i < FIX_N_CHARTS; i++) {
        char *svg = chart_svg(html, fixture_charts[i][0]);
        cr_assert_not_null(svg, "chart %s missing", fixture_charts[i][0]);
        cr_expect_gt(count_str(svg, fixture_charts[i][1]), 0, "chart %s draws nothing",
                     fixture_charts[i][0]);
        free(svg);
    }
    cr_expect_eq(count_str(html, "<svg"), 5, "one svg per chart, no more");
    cr_expect_null(chart_svg(html, "history-2"), "only the cortex-m4 runs have a history");
    cr_expect_eq(strncmp(html, "<!DOCTYPE html>", 15), 0);
    cr_expect_not_null(strstr(html, "</body></html>\n"));
    free(html);
}

Test(report_html, compares_the_latest_run_of_each_model_target_and_kernel_variant)
{
    rep_doc d = doc_of(fixture_runs(), FIX_N_RUNS);
    char *html = render(&d), *svg = chart_svg(html, "cycles");

    /* m4-b (r2) is the latest cortex-m4 run by timestamp although m4-c (r3) comes later */
    cr_expect_not_null(strstr(svg, ">r2 cortex-m4 simd</text>"));
    cr_expect_null(strstr(svg, "r1 cortex-m4"));
    cr_expect_null(strstr(svg, "r3 cortex-m4"));
    cr_expect_not_null(strstr(svg, ">r4 cortex-m7 simd</text>"));
    cr_expect_not_null(strstr(svg, ">r5 cortex-m0plus ref</text>"));
    cr_expect_eq(count_str(svg, "class=\"seg\""), 3 * FIX_N_LAYERS, "one segment per layer");
    free(svg);
    free(html);
}

Test(report_html, cycle_table_numbers_equal_the_input)
{
    const rep_run *r = fixture_runs();
    rep_doc d = doc_of(r, FIX_N_RUNS);
    char *html = render(&d), *t = table_html(html, "cycles");
    char row[512], a[32], b[32], c[32];

    cr_assert_not_null(t);
    for (int i = 0; i < FIX_N_LAYERS; i++) {
        snprintf(row, sizeof row,
                 "<tr><td class=\"num\">%d</td><td>%s</td><td class=\"num\">%s</td>"
                 "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>",
                 i, r[1].layers[i].op, commas(a, r[1].layers[i].cycles),
                 commas(b, r[3].layers[i].cycles), commas(c, r[4].layers[i].cycles));
        cr_expect_not_null(strstr(t, row), "missing row %s", row);
    }
    snprintf(row, sizeof row, "<th>total</th><td class=\"num\">%s</td>", commas(a, r[1].cycles));
    cr_expect_not_null(strstr(t, row), "missing %s", row);
    free(t);
    free(html);
}

Test(report_html, memory_energy_and_latency_tables_equal_the_input)
{
    const rep_run *r = fixture_runs();
    rep_doc d = doc_of(r, FIX_N_RUNS);
    char *html = render(&d), *mem = table_html(html, "memory"), *en = table_html(html, "energy");
    char *lat = table_html(html, "latency-energy"), row[512], n[REP_N_LEVELS][32];

    for (int l = 0; l < REP_N_LEVELS; l++)
        commas(n[l], r[4].accesses[l]);
    snprintf(row, sizeof row,
             "<td>r5 cortex-m0plus ref</td><td class=\"num\">%s</td><td "
             "class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
             n[0], n[1], n[2], n[3]);
    cr_expect_not_null(strstr(mem, row), "missing %s", row);
    cr_expect_not_null(strstr(en, "<td>r2 cortex-m4 simd</td><td class=\"num\">812.500</td>"
                                  "<td class=\"num\">120.250</td><td class=\"num\">60.125</td>"
                                  "<td class=\"num\">-</td><td class=\"num\">992.875</td>"));
    cr_expect_not_null(strstr(en, "<td>r4 cortex-m7 simd</td><td class=\"num\">301.750</td>"
                                  "<td class=\"num\">-</td><td class=\"num\">-</td>"
                                  "<td class=\"num\">20.500</td><td class=\"num\">322.250</td>"));
    cr_expect_null(strstr(en, "cortex-m0plus"), "a run without energy has no energy row");
    cr_expect_not_null(strstr(lat, "<td>r2 cortex-m4 simd</td><td class=\"num\">21.608</td>"
                                   "<td class=\"num\">992.875</td>"));
    free(lat), free(en), free(mem), free(html);
}

Test(report_html, history_lists_the_runs_of_a_group_oldest_first)
{
    rep_doc d = doc_of(fixture_runs(), FIX_N_RUNS);
    char *html = render(&d), *t = table_html(html, "history-1");
    const char *a = strstr(t, ">m4-a</td>"), *b = strstr(t, ">m4-b</td>");
    const char *c = strstr(t, ">m4-c</td>");

    cr_assert(a && b && c);
    cr_expect(a < c && c < b, "expected m4-a (12-01), m4-c (12-02), m4-b (12-03)");
    cr_expect_not_null(strstr(t, "<td class=\"num\">2,700,000</td>"));
    free(t), free(html);
}

Test(report_html, escapes_every_string_that_comes_from_the_data)
{
    static const char evil[] = "<script>alert('x')</script>&\"\x01";
    static const rep_energy e[] = {{"<i>core</i>", 1.0}};
    static const char *const tags[] = {"</td><b>tag"};
    rep_layer l = {0, "<svg onload=x>", "<u>", 10, {1, 2, 3, 4}};
    rep_run r[2] = {{evil,
                     "<t>",
                     evil,
                     "<em>target",
                     "</svg>",
                     tags,
                     1,
                     &l,
                     1,
                     10,
                     1.0,
                     5,
                     {1, 2, 3, 4},
                     {1, 2, 3, 4},
                     e,
                     1,
                     evil,
                     evil}};
    rep_doc d = {"<title>", evil, "<gen>", r, 2};
    char *html;

    r[1] = r[0], r[1].id = "&second", r[1].point = "<b>p2";
    html = render(&d);
    cr_expect_null(strstr(html, "<script"));
    cr_expect_null(strstr(html, "<svg onload"));
    cr_expect_null(strstr(html, "<em>"));
    cr_expect_null(strstr(html, "<i>"));
    cr_expect_null(strstr(html, "<b>"));
    cr_expect_null(strstr(html, "<u>"));
    cr_expect_null(strstr(html, "<t>"));
    cr_expect_null(strstr(html, "<gen>"));
    cr_expect_null(strstr(html, "\x01"), "control characters are replaced");
    cr_expect_not_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;?"));
    cr_expect_not_null(strstr(html, "<td title=\"&amp;second\">&amp;second</td>"));
    cr_expect_eq(count_str(html, "<svg"), count_str(html, "</svg>"));
    cr_expect_eq(count_str(html, "<svg"), 6, "5 charts and the sweep's (two points)");
    cr_expect_not_null(strstr(html, "data-chart=\"sweep-1\""));
    free(html);
}

Test(report_html, tables_show_long_run_ids_cut_with_the_whole_id_as_tooltip)
{
    static const char id[] = "418309151d1b0c4f32d4982deede655b7045d05be503a569a7186abb7aefd5";
    rep_run r = fixture_runs()[0];
    rep_doc d = doc_of(&r, 1);
    char *html;

    r.id = id;
    html = render(&d);
    cr_expect_not_null(strstr(html, "<td title=\"418309151d1b0c4f32d4982deede655b7045d05be503a569a7"
                                    "186abb7aefd5\">418309151d1b0c4f\xe2\x80\xa6</td>"));
    free(html);
}

Test(report_html, an_empty_input_gives_a_whole_page_that_says_there_is_nothing_to_show)
{
    rep_doc d = {NULL, NULL, NULL, NULL, 0};
    char *html = render(&d);

    cr_expect_not_null(strstr(html, "<title>tinysim report</title>"));
    cr_expect_not_null(strstr(html, "No runs to show"));
    cr_expect_null(strstr(html, "<svg"));
    cr_expect_null(strstr(html, "<table"));
    cr_expect_not_null(strstr(html, "</body></html>\n"));
    free(html);
}

Test(report_html, says_so_in_place_of_the_energy_charts_when_no_run_has_energy)
{
    rep_run r[2];
    rep_doc d;
    char *html;

    memcpy(r, fixture_runs() + 3, sizeof r);
    r[0].energy = NULL, r[0].n_energy = 0;
    d = doc_of(r, 2);
    html = render(&d);
    cr_expect_null(chart_svg(html, "energy"));
    cr_expect_null(chart_svg(html, "latency-energy"));
    cr_expect_not_null(strstr(html, "No energy figures in these runs, so there is no energy"));
    cr_expect_not_null(strstr(html, "latency cannot be plotted against energy"));
    cr_expect_not_null(strstr(html, "No history"));
    char *cycles = chart_svg(html, "cycles");
    cr_expect_not_null(cycles);
    free(cycles);
    free(html);
}

Test(report_html, the_same_runs_give_the_same_bytes)
{
    rep_doc d = doc_of(fixture_runs(), FIX_N_RUNS);
    char *a = render(&d), *b = render(&d);

    cr_expect_str_eq(a, b);
    free(a), free(b);
}

/* Fails each allocation of rendering d in turn: each failure must be reported. */
static void check_alloc_failures(const rep_doc *d)
{
    sbuf b = {0};
    long n_allocs;

    ts_alloc_fail_after(-1);
    cr_assert_eq(report_html_render(d, &b), 0);
    n_allocs = ts_alloc_count();
    sbuf_free(&b);
    cr_assert_gt(n_allocs, 3, "the page needs several allocations");
    for (long n = 0; n < n_allocs; n++) {
        ts_alloc_fail_after(n);
        int rc = report_html_render(d, &b);
        ts_alloc_fail_after(-1);
        cr_expect_eq(rc, -1, "allocation %ld of %ld failed unreported", n + 1, n_allocs);
        sbuf_free(&b);
    }
}

Test(report_html, every_allocation_failure_is_reported_and_leaks_nothing)
{
    rep_doc d = doc_of(fixture_runs(), FIX_N_RUNS);

    check_alloc_failures(&d);
}

/* The fixture's runs followed by its sweep's, into runs[FIX_N_RUNS + FIX_N_SWEEP]. */
static rep_doc with_sweep(rep_run *runs)
{
    memcpy(runs, fixture_runs(), FIX_N_RUNS * sizeof *runs);
    memcpy(runs + FIX_N_RUNS, fixture_sweep_runs(), FIX_N_SWEEP * sizeof *runs);
    return doc_of(runs, FIX_N_RUNS + FIX_N_SWEEP);
}

Test(report_html, a_sweep_gets_a_scatter_with_its_pareto_front_ringed_and_listed)
{
    rep_run runs[FIX_N_RUNS + FIX_N_SWEEP];
    rep_doc d = with_sweep(runs);
    char *html = render(&d), *svg = chart_svg(html, "sweep-1"), *table = table_html(html, "sweep-1");

    cr_assert_not_null(svg, "no sweep chart");
    cr_assert_not_null(table, "no table of the front");
    cr_expect_eq(count_str(svg, "class=\"pt front\""), FIX_N_SWEEP_FRONT);
    cr_expect_eq(count_str(svg, "class=\"pt off\""), 4 - FIX_N_SWEEP_FRONT,
                 "one mark per point, the older run of p1 left out");
    cr_expect_eq(count_str(svg, "class=\"front-line\""), 1);
    cr_expect_not_null(strstr(html, "kws.tflite: 3 of 4 points on the front</h3>"));
    cr_expect_eq(count_str(table, "<tr><td title="), FIX_N_SWEEP_FRONT);
    cr_expect_not_null(strstr(table, "p2bbbbbbbbbb</td>"), "id cut to 12 characters");
    cr_expect_not_null(strstr(table, "<td>clock_hz=40000000</td>"));
    cr_expect_null(strstr(table, "wait_states=9"), "p3 is dominated by p1");
    cr_expect_null(chart_svg(html, "sweep-2"), "one model, one chart");
    free(svg), free(table), free(html);
    html = render(&(rep_doc){"KWS", NULL, NULL, fixture_runs(), FIX_N_RUNS});
    cr_expect_null(strstr(html, "id=\"sweeps\""), "no sweep section without sweep runs");
    free(html);
}

Test(report_html, every_allocation_failure_of_a_sweep_section_is_reported)
{
    rep_run runs[FIX_N_RUNS + FIX_N_SWEEP];
    rep_doc d = with_sweep(runs);

    check_alloc_failures(&d);
}
