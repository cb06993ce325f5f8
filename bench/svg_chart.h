/* svg_chart.h: inline SVG charts for the HTML report -- stacked horizontal bars, a scatter
 * plot and a line chart -- drawn as plain SVG elements (no script, no external resource).
 * Layer: bench/; appends to an sbuf, never prints. Every string from the caller is escaped;
 * geometry is formatted with fixed precision, so the same input gives the same bytes.
 * Each chart is one <svg class="chart" data-chart=ID> with a <title>, and each drawn mark
 * carries a <title> tooltip with its exact value. */
#ifndef TS_SVG_CHART_H
#define TS_SVG_CHART_H

#include <stdbool.h>

#include "sbuf.h"

#define SVG_WIDTH 600 /* px, every chart */

typedef struct svg_seg {
    double value;     /* in the chart's unit, >= 0 */
    int colour;       /* palette index (svg_colour) */
    const char *name; /* tooltip name, borrowed */
} svg_seg;

typedef struct svg_bar {
    const char *label;   /* left of the bar, borrowed */
    const svg_seg *segs; /* stacked left to right, borrowed */
    int n_segs;
} svg_bar;

typedef struct svg_key {
    const char *name; /* legend text, borrowed */
    int colour;
} svg_key;

typedef struct svg_bars {
    const char *id, *title, *unit; /* data-chart id, accessible title, value unit */
    const svg_bar *bars;
    int n_bars;
    const svg_key *keys; /* legend */
    int n_keys;
} svg_bars;

typedef struct svg_point {
    double x, y;
    const char *label; /* drawn beside the point, borrowed */
    int colour;
    bool front;        /* on the Pareto front (svg_scatter.fronted) */
} svg_point;

typedef struct svg_scatter {
    const char *id, *title, *x_unit, *y_unit;
    const svg_point *pts;
    int n;
    /* a sweep: the points with `front` set (class "pt front") are ringed, labelled and
     * joined by a staircase line (class "front-line", lower-left is better); the others
     * (class "pt off") are small, grey and unlabelled (their tooltip still names them) */
    bool fronted;
} svg_scatter;

typedef struct svg_line {
    const char *id, *title, *y_unit;
    const char *const *x_labels; /* one per point, borrowed */
    const double *y;             /* n values, drawn left to right at equal spacing */
    int n;
} svg_line;

/* Palette colour i (cycles through the palette), as "#rrggbb". */
const char *svg_colour(int i);

void svg_stacked_bars(sbuf *b, const svg_bars *c);
void svg_scatter_plot(sbuf *b, const svg_scatter *c);
void svg_line_chart(sbuf *b, const svg_line *c);

/* A number as a short axis label: 1500000 -> "1.5M", 0.25 -> "0.25". */
const char *svg_short_number(char *buf, int size, double v);

#endif
