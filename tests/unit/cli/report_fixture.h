/* report_fixture.h: a multi-run input for the HTML report tests -- three cortex-m4 runs of
 * one model over three days (a history), one cortex-m7 run, both with energy figures, and
 * one cortex-m0plus run without -- plus string helpers. Figures are made up for the tests. */
#ifndef TS_TEST_REPORT_FIXTURE_H
#define TS_TEST_REPORT_FIXTURE_H

#include <stddef.h>

#include "report_html.h"

#define FIX_N_RUNS   5
#define FIX_N_LAYERS 3

/* The charts of the fixture's page: data-chart id, and a mark each must draw. */
#define FIX_N_CHARTS 5
extern const char *const fixture_charts[FIX_N_CHARTS][2];

/* Fills runs[FIX_N_RUNS] (static storage; every call gives the same runs). */
const rep_run *fixture_runs(void);

/* Five runs of four sweep points of kws.tflite on cortex-m4-systolic (latency ms, energy uJ):
 * p1 (10, 50), p2 (20, 30), p3 (15, 60), p4 (30, 20), and an older run of p1 at (5, 5) that
 * its later run replaces. Front by hand: p1, p2, p4 (p3 is dominated by p1); were the old
 * p1 run taken, it alone would be the front. */
#define FIX_N_SWEEP       5
#define FIX_N_SWEEP_FRONT 3
const rep_run *fixture_sweep_runs(void);

/* Renders doc into a malloc'd string the caller frees (asserts success). */
char *render(const rep_doc *doc);

/* Number of non-overlapping occurrences of needle in hay. */
int count_str(const char *hay, const char *needle);

/* The text from `<svg ... data-chart="ID"` to its `</svg>` (malloc'd), or NULL. */
char *chart_svg(const char *html, const char *id);

/* The text of <table data-table="ID"> up to its </table> (malloc'd), or NULL. */
char *table_html(const char *html, const char *id);

/* 1234567 -> "1,234,567" (an implementation independent of bench/fmt.c). */
const char *commas(char *buf, unsigned long long v);

#endif
