/* report_fixture.c: the report tests' multi-run input and string helpers (see the header). */
#define _POSIX_C_SOURCE 200809L
#include "report_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const rep_layer m4_layers[FIX_N_LAYERS] = {
    {0, "CONV_2D", "cpu", 1512320, {48385, 267640, 0, 0}},
    {1, "DEPTHWISE_CONV_2D", "cpu", 1076995, {23185, 165246, 0, 0}},
    {2, "FULLY_CONNECTED", "cpu", 3694, {205, 426, 0, 0}},
};
static const rep_layer m7_layers[FIX_N_LAYERS] = {
    {0, "CONV_2D", "cpu", 741614, {48385, 0, 243196, 0}},
    {1, "DEPTHWISE_CONV_2D", "cpu", 532739, {23185, 0, 165246, 0}},
    {2, "FULLY_CONNECTED", "cpu", 1946, {205, 0, 426, 0}},
};
static const rep_energy m4_energy[] = {{"core", 812.5}, {"flash", 120.25}, {"sram", 60.125}};
static const rep_energy m7_energy[] = {{"core", 301.75}, {"tcm", 20.5}};
static const char *const nightly[] = {"nightly", "main"};

const char *const fixture_charts[FIX_N_CHARTS][2] = {{"cycles", "class=\"seg\""},
                                                     {"memory", "class=\"seg\""},
                                                     {"energy", "class=\"seg\""},
                                                     {"latency-energy", "class=\"pt\""},
                                                     {"history-1", "<polyline"}};

const rep_run *fixture_runs(void)
{
    static rep_run runs[FIX_N_RUNS];
    const rep_run m4 = {"m4-a",
                        "2026-12-01T10:00:00Z",
                        "kws.tflite",
                        "cortex-m4",
                        "simd",
                        nightly,
                        2,
                        m4_layers,
                        FIX_N_LAYERS,
                        2593009,
                        21.608,
                        1800000,
                        {2580538, 2103119, 0, 0},
                        {27259734, 8370256, 0, 0},
                        m4_energy,
                        3,
                        NULL,
                        NULL};

    runs[0] = m4;
    runs[1] = m4, runs[1].id = "m4-b", runs[1].timestamp = "2026-12-03T10:00:00Z";
    runs[1].cycles = 2500000;
    runs[2] = m4, runs[2].id = "m4-c", runs[2].timestamp = "2026-12-02T10:00:00Z";
    runs[2].cycles = 2700000;
    runs[3] = (rep_run){"m7-a",
                        "2026-12-01T11:00:00Z",
                        "kws.tflite",
                        "cortex-m7",
                        "simd",
                        NULL,
                        0,
                        m7_layers,
                        FIX_N_LAYERS,
                        1276299,
                        2.659,
                        1750000,
                        {1996632, 0, 2200461, 0},
                        {26680504, 0, 8530125, 0},
                        m7_energy,
                        2,
                        NULL,
                        NULL};
    runs[4] = runs[3], runs[4].id = "m0-a", runs[4].target = "cortex-m0plus";
    runs[4].kernels = "ref", runs[4].energy = NULL, runs[4].n_energy = 0;
    runs[4].accesses[REP_LEVEL_LOCAL] = 4242;
    return runs;
}

const rep_run *fixture_sweep_runs(void)
{
    static rep_run runs[FIX_N_SWEEP];
    static rep_energy energy[FIX_N_SWEEP][1];
    static const struct {
        const char *id, *ts, *point, *overrides;
        double ms, uj;
    } rows[FIX_N_SWEEP] = {
        {"s1", "2026-12-05T10:00:01Z", "p1aaaaaaaaaaaa", "clock_hz=120000000", 10, 50},
        {"s2", "2026-12-05T10:00:02Z", "p2bbbbbbbbbbbb", "clock_hz=60000000", 20, 30},
        {"s3", "2026-12-05T10:00:03Z", "p3cccccccccccc", "memory[0].wait_states=9", 15, 60},
        {"s4", "2026-12-05T10:00:04Z", "p4dddddddddddd", "clock_hz=40000000", 30, 20},
        {"s0", "2026-12-04T09:00:00Z", "p1aaaaaaaaaaaa", "clock_hz=120000000", 5, 5},
    };

    for (int i = 0; i < FIX_N_SWEEP; i++) {
        runs[i] = fixture_runs()[0];
        runs[i].target = "cortex-m4-systolic"; /* a group of its own beside the others */
        runs[i].id = rows[i].id, runs[i].timestamp = rows[i].ts;
        runs[i].point = rows[i].point, runs[i].overrides = rows[i].overrides;
        runs[i].latency_ms = rows[i].ms;
        energy[i][0] = (rep_energy){"core", rows[i].uj};
        runs[i].energy = energy[i], runs[i].n_energy = 1;
    }
    return runs;
}

char *render(const rep_doc *doc)
{
    sbuf b = {0};
    char *s;

    cr_assert_eq(report_html_render(doc, &b), 0);
    s = strdup(b.p);
    sbuf_free(&b);
    return s;
}

int count_str(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + strlen(needle), needle))
        n++;
    return n;
}

static char *between(const char *start, const char *end_tag)
{
    const char *end;

    if (!start || !(end = strstr(start, end_tag)))
        return NULL;
    return strndup(start, (size_t)(end - start) + strlen(end_tag));
}

char *chart_svg(const char *html, const char *id)
{
    char key[96];
    const char *p;

    snprintf(key, sizeof key, "data-chart=\"%s\"", id);
    p = strstr(html, key);
    while (p && p > html && strncmp(p, "<svg", 4))
        p--;
    return between(p, "</svg>");
}

char *table_html(const char *html, const char *id)
{
    char key[96];

    snprintf(key, sizeof key, "<table data-table=\"%s\"", id);
    return between(strstr(html, key), "</table>");
}

const char *commas(char *buf, unsigned long long v)
{
    char tmp[32];
    int n = 0, o = 0;

    do
        tmp[n++] = (char)('0' + v % 10), v /= 10;
    while (v);
    for (int i = n - 1; i >= 0; i--) {
        buf[o++] = tmp[i];
        if (i > 0 && i % 3 == 0)
            buf[o++] = ',';
    }
    buf[o] = '\0';
    return buf;
}
