/* svg_chart.c: inline SVG charts of the HTML report (see svg_chart.h). Layer: bench/; appends
 * to an sbuf, never prints, never reads the clock: output depends on the input only.
 * Geometry: fixed width SVG_WIDTH, height from the number of bars or a fixed plot height;
 * axes start at nice round values (steps of 1, 2 or 5 x 10^k, about five ticks). */
#include "svg_chart.h"

#include <math.h>
#include <stdio.h>

/* Tableau 10, a palette designed to stay distinct for common colour-vision deficiencies
 * (Tableau Software, "Tableau 10" default categorical palette, 2016). */
static const char *const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
#define N_PALETTE ((int)(sizeof palette / sizeof palette[0]))

#define BAR_LEFT      180   /* px: room for bar labels */
#define BAR_H         18    /* px: one bar */
#define BAR_PITCH     26    /* px: bar + gap */
#define PLOT_LEFT     80    /* px: room for y tick labels (scatter, line) */
#define PLOT_H        240   /* px: plot area height (scatter, line) */
#define PAD           20    /* px: outer padding */
#define KEY_W         145   /* px: one legend entry */
#define LABEL_CHARS   26    /* characters of a bar label before it is cut */
#define X_LABEL_CHARS 18    /* characters of a line chart's x label ("r12 12-01T10:00:00") */
#define X_LABEL_PX    120.0 /* px: room one such label needs at 11px */
#define OFF_COLOUR    "#bab0ac" /* points off a Pareto front: the palette's grey */

typedef struct axis {
    double lo, hi, step; /* hi > lo, step > 0 */
} axis;

const char *svg_colour(int i)
{
    return palette[(i < 0 ? -i : i) % N_PALETTE];
}

const char *svg_short_number(char *buf, int size, double v)
{
    static const struct {
        double scale;
        const char *suffix;
    } units[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
    double a = fabs(v);

    for (int i = 0; i < 4; i++)
        if (a >= units[i].scale) {
            snprintf(buf, (size_t)size, "%.3g%s", v / units[i].scale, units[i].suffix);
            return buf;
        }
    snprintf(buf, (size_t)size, "%.3g", v);
    return buf;
}

/* Nice step (1, 2 or 5 x 10^k) for about five intervals over span > 0. */
static double nice_step(double span)
{
    double raw = span / 5.0, mag = pow(10.0, floor(log10(raw))), f = raw / mag;

    return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * mag;
}

/* An axis covering [lo, hi] with round ends. */
static axis axis_for(double lo, double hi)
{
    axis a;

    if (!(hi > lo)) {
        double d = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1.0;
        lo = lo >= 0 && lo - d < 0 ? 0 : lo - d;
        hi = hi + d;
    }
    a.step = nice_step(hi - lo);
    a.lo = floor(lo / a.step) * a.step;
    a.hi = ceil(hi / a.step) * a.step;
    if (!(a.hi > a.lo))
        a.hi = a.lo + a.step;
    return a;
}

static double scale(const axis *a, double v, double px)
{
    return (v - a->lo) / (a->hi - a->lo) * px;
}

static void svg_open(sbuf *b, const char *id, const char *title, int height)
{
    sbuf_printf(b, "<svg class=\"chart\" data-chart=\"");
    sbuf_esc(b, id);
    sbuf_printf(b,
                "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" role=\"img\"><title>",
                SVG_WIDTH, height, SVG_WIDTH, height);
    sbuf_esc(b, title);
    sbuf_puts(b, "</title>\n");
}

static void
text(sbuf *b, double x, double y, const char *anchor, const char *cls, const char *s, int max_chars)
{
    sbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor,
                cls);
    sbuf_esc_cut(b, s, max_chars);
    sbuf_puts(b, "</text>\n");
}

/* Vertical grid lines and tick labels of a horizontal value axis. */
static void x_ticks(sbuf *b, const axis *a, double x0, double w, double y0, double y1)
{
    char num[32];

    for (double v = a->lo; v <= a->hi + a->step * 1e-9; v += a->step) {
        double x = x0 + scale(a, v, w);
        sbuf_printf(b, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\"/>\n",
                    x, y0, x, y1);
        text(b, x, y1 + 14, "middle", "tick", svg_short_number(num, sizeof num, v), 12);
    }
}

/* Horizontal grid lines and tick labels of a vertical value axis. */
static void y_ticks(sbuf *b, const axis *a, double x0, double x1, double y0, double h)
{
    char num[32];

    for (double v = a->lo; v <= a->hi + a->step * 1e-9; v += a->step) {
        double y = y0 + h - scale(a, v, h);
        sbuf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\"/>\n",
                    x0, y, x1, y);
        text(b, x0 - 6, y + 4, "end", "tick", svg_short_number(num, sizeof num, v), 12);
    }
}

static void legend(sbuf *b, const svg_key *keys, int n, double y)
{
    int per_row = (SVG_WIDTH - 2 * PAD) / KEY_W;

    for (int i = 0; i < n; i++) {
        double x = PAD + (i % per_row) * KEY_W, ky = y + (i / per_row) * 18;
        sbuf_printf(b,
                    "<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" "
                    "fill=\"%s\"/>\n",
                    x, ky, svg_colour(keys[i].colour));
        text(b, x + 14, ky + 9, "start", "key", keys[i].name, 18);
    }
}

static double bars_max(const svg_bars *c)
{
    double m = 0;

    for (int i = 0; i < c->n_bars; i++) {
        double sum = 0;
        for (int k = 0; k < c->bars[i].n_segs; k++)
            sum += c->bars[i].segs[k].value > 0 ? c->bars[i].segs[k].value : 0;
        m = sum > m ? sum : m;
    }
    return m;
}

static void bar_segments(sbuf *b, const svg_bars *c, const svg_bar *bar, const axis *a, double y)
{
    double w = SVG_WIDTH - BAR_LEFT - PAD, sum = 0;
    char num[32];

    for (int k = 0; k < bar->n_segs; k++) {
        const svg_seg *s = &bar->segs[k];
        if (!(s->value > 0))
            continue;
        sbuf_printf(b,
                    "<rect class=\"seg\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" "
                    "fill=\"%s\"><title>",
                    BAR_LEFT + scale(a, sum, w), y, scale(a, s->value, w) - scale(a, 0, w), BAR_H,
                    svg_colour(s->colour));
        sbuf_esc(b, bar->label);
        sbuf_puts(b, ": ");
        sbuf_esc(b, s->name);
        snprintf(num, sizeof num, "%.6g", s->value);
        sbuf_printf(b, " = %s ", num);
        sbuf_esc(b, c->unit);
        sbuf_puts(b, "</title></rect>\n");
        sum += s->value;
    }
}

void svg_stacked_bars(sbuf *b, const svg_bars *c)
{
    int per_row = (SVG_WIDTH - 2 * PAD) / KEY_W;
    int key_rows = (c->n_keys + per_row - 1) / per_row;
    int plot_h = c->n_bars * BAR_PITCH, top = 10;
    int height = top + plot_h + 40 + key_rows * 18 + 10;
    axis a = axis_for(0, bars_max(c));

    svg_open(b, c->id, c->title, height);
    x_ticks(b, &a, BAR_LEFT, SVG_WIDTH - BAR_LEFT - PAD, top, top + plot_h);
    for (int i = 0; i < c->n_bars; i++) {
        double y = top + i * BAR_PITCH + (BAR_PITCH - BAR_H) / 2.0;
        text(b, BAR_LEFT - 6, y + BAR_H - 5, "end", "label", c->bars[i].label, LABEL_CHARS);
        bar_segments(b, c, &c->bars[i], &a, y);
    }
    text(b, BAR_LEFT + (SVG_WIDTH - BAR_LEFT - PAD) / 2.0, top + plot_h + 30, "middle", "unit",
         c->unit, 40);
    legend(b, c->keys, c->n_keys, top + plot_h + 38);
    sbuf_puts(b, "</svg>\n");
}

static void extent(const double *v, int n, size_t stride, double *lo, double *hi)
{
    *lo = *hi = n > 0 ? v[0] : 0;
    for (int i = 1; i < n; i++) {
        double x = *(const double *)((const char *)v + (size_t)i * stride);
        *lo = x < *lo ? x : *lo;
        *hi = x > *hi ? x : *hi;
    }
}

/* The y axis's unit, written upright beside the plot, and the end of the chart. */
static void close_with_y_unit(sbuf *b, const char *unit, double top)
{
    sbuf_printf(b,
                "<text class=\"unit\" transform=\"translate(14 %.1f) rotate(-90)\" "
                "text-anchor=\"middle\">",
                top + PLOT_H / 2.0);
    sbuf_esc(b, unit);
    sbuf_puts(b, "</text>\n</svg>\n");
}
/* One point of a scatter at (x, y) px: its mark with a tooltip, and its label. */
static void scatter_point(sbuf *b, const svg_scatter *c, const svg_point *p, double x, double y)
{
    bool off = c->fronted && !p->front;

    if (off)
        sbuf_printf(b, "<circle class=\"pt off\" cx=\"%.2f\" cy=\"%.2f\" r=\"3\" fill=\"%s\">"
                    "<title>", x, y, OFF_COLOUR);
    else
        sbuf_printf(b, "<circle class=\"pt%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"5\" fill=\"%s\"%s>"
                    "<title>", c->fronted ? " front" : "", x, y, svg_colour(p->colour),
                    c->fronted ? " stroke=\"#222\" stroke-width=\"1.5\"" : "");
    sbuf_esc(b, p->label);
    sbuf_printf(b, ": %.6g ", p->x);
    sbuf_esc(b, c->x_unit);
    sbuf_printf(b, ", %.6g ", p->y);
    sbuf_esc(b, c->y_unit);
    sbuf_puts(b, "</title></circle>\n");
    if (!off)
        text(b, x + 8, y - 6, "start", "label", p->label, 16);
}

/* The staircase through the front points (x ascending, y descending on a 2-D front). */
static void front_line(sbuf *b, const svg_scatter *c, const axis *ax, const axis *ay, double w,
                       double top)
{
    double last_x = -INFINITY, py = 0;
    bool first = true;

    sbuf_puts(b, "<polyline class=\"front-line\" fill=\"none\" stroke=\"#222\" "
                 "stroke-width=\"1\" stroke-dasharray=\"4 3\" points=\"");
    for (;;) { /* the front points by x, ties in input order */
        const svg_point *next = NULL;
        for (int i = 0; i < c->n; i++)
            if (c->pts[i].front && c->pts[i].x > last_x && (!next || c->pts[i].x < next->x))
                next = &c->pts[i];
        if (!next)
            break;
        last_x = next->x;
        double x = PLOT_LEFT + scale(ax, next->x, w), y = top + PLOT_H - scale(ay, next->y, PLOT_H);
        if (!first)
            sbuf_printf(b, " %.2f,%.2f", x, py);
        sbuf_printf(b, "%s%.2f,%.2f", first ? "" : " ", x, y);
        first = false, py = y;
    }
    sbuf_puts(b, "\"/>\n");
}

void svg_scatter_plot(sbuf *b, const svg_scatter *c)
{
    double w = SVG_WIDTH - PLOT_LEFT - PAD, top = 10, lo, hi;
    axis ax, ay;

    extent(&c->pts[0].x, c->n, sizeof c->pts[0], &lo, &hi);
    ax = axis_for(lo < 0 ? lo : 0, hi);
    extent(&c->pts[0].y, c->n, sizeof c->pts[0], &lo, &hi);
    ay = axis_for(lo < 0 ? lo : 0, hi);
    svg_open(b, c->id, c->title, (int)top + PLOT_H + 50);
    x_ticks(b, &ax, PLOT_LEFT, w, top, top + PLOT_H);
    y_ticks(b, &ay, PLOT_LEFT, PLOT_LEFT + w, top, PLOT_H);
    if (c->fronted)
        front_line(b, c, &ax, &ay, w, top);
    for (int pass = c->fronted ? 0 : 1; pass < 2; pass++) /* front marks drawn on top */
        for (int i = 0; i < c->n; i++) {
            const svg_point *p = &c->pts[i];
            if (c->fronted && (pass == 1) != p->front)
                continue;
            scatter_point(b, c, p, PLOT_LEFT + scale(&ax, p->x, w),
                          top + PLOT_H - scale(&ay, p->y, PLOT_H));
        }
    text(b, PLOT_LEFT + w / 2, top + PLOT_H + 34, "middle", "unit", c->x_unit, 40);
    close_with_y_unit(b, c->y_unit, top);
}

static void line_points(sbuf *b, const svg_line *c, const axis *ay, double w, double top)
{
    double dx = c->n > 1 ? w / (c->n - 1) : w;
    int every = (int)ceil(X_LABEL_PX / dx); /* labels drawn without overlapping */

    sbuf_puts(b, "<polyline class=\"line\" fill=\"none\" stroke=\"#4e79a7\" points=\"");
    for (int i = 0; i < c->n; i++)
        sbuf_printf(b, "%s%.2f,%.2f", i ? " " : "", PLOT_LEFT + i * dx,
                    top + PLOT_H - scale(ay, c->y[i], PLOT_H));
    sbuf_puts(b, "\"/>\n");
    for (int i = 0; i < c->n; i++) {
        double x = PLOT_LEFT + i * dx, y = top + PLOT_H - scale(ay, c->y[i], PLOT_H);
        sbuf_printf(b,
                    "<circle class=\"pt\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"#4e79a7\">"
                    "<title>",
                    x, y);
        sbuf_esc(b, c->x_labels[i]);
        sbuf_printf(b, ": %.6g ", c->y[i]);
        sbuf_esc(b, c->y_unit);
        sbuf_puts(b, "</title></circle>\n");
        if (i % every == 0)
            text(b, x, top + PLOT_H + 16, "middle", "tick", c->x_labels[i], X_LABEL_CHARS);
    }
}

void svg_line_chart(sbuf *b, const svg_line *c)
{
    double w = SVG_WIDTH - PLOT_LEFT - PAD - 40, top = 10, lo, hi;
    axis ay;

    extent(c->y, c->n, sizeof c->y[0], &lo, &hi);
    ay = axis_for(lo, hi);
    svg_open(b, c->id, c->title, (int)top + PLOT_H + 30);
    y_ticks(b, &ay, PLOT_LEFT, PLOT_LEFT + w, top, PLOT_H);
    line_points(b, c, &ay, w, top);
    close_with_y_unit(b, c->y_unit, top);
}
