/* report_html.c: renders benchmark runs as one self-contained HTML page (see report_html.h).
 * Layer: bench/; appends to an sbuf, never prints, reads no clock or file. Comparison charts
 * take the latest run (greatest timestamp, then last given) of each (model, target, kernel
 * variant); history charts take every run of a (model, target, kernel variant) with two or
 * more, ordered by timestamp (input order on ties). Numbers in tables are exact: integers
 * with thousands separators, latency and energy with three decimals. */
#include "report_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "fmt.h"
#include "pareto.h"
#include "svg_chart.h"

#define LABEL_BYTES   96
#define ID_CHARS      16 /* characters of a run id shown in tables (store ids have 64) */
#define X_LABEL_BYTES 48
#define POINT_CHARS   12 /* characters of a sweep point id shown (as `tinysim sweep` prints) */

static const char *const level_kinds[] = {
#define LEVEL(id, kind, label) kind,
#include "report_levels.def"
#undef LEVEL
};
static const char *const level_labels[] = {
#define LEVEL(id, kind, label) label,
#include "report_levels.def"
#undef LEVEL
};

typedef struct rctx {
    const rep_doc *doc;
    sbuf *b;
    int *cmp; /* indices of the compared runs (latest of each group), input order */
    int n_cmp;
    char (*label)[LABEL_BYTES]; /* short label of each run: "rN target kernels" */
} rctx;

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;color:#222;margin:24px auto;max-width:1400px;"
    "padding:0 16px}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px;"
    "border-bottom:1px solid #ccc}h3{font-size:15px;margin:16px 0 4px}\n"
    ".note{color:#555;margin:4px 0 10px}.empty{font-size:16px;padding:16px;"
    "border:1px solid #ccc;background:#f7f7f7}\n"
    ".fig{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\n"
    ".tbl{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ccc;"
    "padding:2px 6px;text-align:left;white-space:nowrap}td.num,th.num{text-align:right;"
    "font-variant-numeric:tabular-nums}thead th{background:#eee}\n"
    "svg.chart{background:#fff;flex:none}svg .grid{stroke:#ddd;stroke-width:1}"
    "svg text{font:11px system-ui,sans-serif;fill:#222}svg .tick{fill:#666}"
    "svg .unit{fill:#444;font-style:italic}svg .seg{stroke:#fff;stroke-width:.5}"
    "svg .line{stroke-width:2}\n"
    "footer{margin-top:32px;color:#777;font-size:12px}\n"
    "@media print{body{margin:0;max-width:none;font-size:11px}"
    "section,.fig>*{break-inside:avoid}.tbl{overflow:visible}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

rep_level rep_level_of_kind(const char *kind)
{
    for (int l = 0; l < REP_LEVEL_LOCAL; l++)
        if (kind && !strcmp(kind, level_kinds[l]))
            return (rep_level)l;
    return REP_LEVEL_LOCAL;
}

const char *rep_level_label(rep_level l)
{
    return level_labels[l];
}

static bool same_group(const rep_run *a, const rep_run *b)
{
    return !strcmp(a->model, b->model) && !strcmp(a->target, b->target) &&
           !strcmp(a->kernels, b->kernels);
}

/* Run j is later than run i (greater timestamp, or equal timestamps and given later). */
static bool later(const rep_run *runs, int i, int j)
{
    int c = strcmp(runs[j].timestamp, runs[i].timestamp);
    return c > 0 || (c == 0 && j > i);
}

/* The latest run of each group, in order of the groups' first runs. */
static void pick_compared(rctx *c)
{
    const rep_run *r = c->doc->runs;

    for (int i = 0; i < c->doc->n_runs; i++) {
        int k = 0;
        while (k < c->n_cmp && !same_group(&r[c->cmp[k]], &r[i]))
            k++;
        if (k == c->n_cmp)
            c->cmp[c->n_cmp++] = i;
        else if (later(r, c->cmp[k], i))
            c->cmp[k] = i;
    }
}

/* ---- table helpers ---- */

static void th(sbuf *b, const char *s, bool num)
{
    sbuf_puts(b, num ? "<th class=\"num\">" : "<th>");
    sbuf_esc(b, s);
    sbuf_puts(b, "</th>");
}

static void td(sbuf *b, const char *s)
{
    sbuf_puts(b, "<td>");
    sbuf_esc(b, s);
    sbuf_puts(b, "</td>");
}

static void td_count(sbuf *b, uint64_t v)
{
    char num[32];
    sbuf_printf(b, "<td class=\"num\">%s</td>", fmt_count(num, sizeof num, v));
}

/* A run id, cut to ID_CHARS characters (the whole id in the tooltip). */
static void td_id(sbuf *b, const char *id)
{
    sbuf_puts(b, "<td title=\"");
    sbuf_esc(b, id);
    sbuf_puts(b, "\">");
    sbuf_esc_cut(b, id, ID_CHARS);
    sbuf_puts(b, "</td>");
}

static void td_fixed(sbuf *b, double v)
{
    sbuf_printf(b, "<td class=\"num\">%.3f</td>", v);
}

static void fig_open(sbuf *b)
{
    sbuf_puts(b, "<div class=\"fig\">\n");
}

static void table_open(sbuf *b, const char *id)
{
    sbuf_printf(b, "<div class=\"tbl\"><table data-table=\"%s\"><thead><tr>", id);
}

static void fig_close(sbuf *b)
{
    sbuf_puts(b, "</tbody></table></div>\n</div>\n");
}

static void note(sbuf *b, const char *cls, const char *text)
{
    sbuf_printf(b, "<p class=\"%s\">", cls);
    sbuf_esc(b, text);
    sbuf_puts(b, "</p>\n");
}

static double energy_total(const rep_run *r)
{
    double sum = 0;
    for (int k = 0; k < r->n_energy; k++)
        sum += r->energy[k].uj;
    return sum;
}

/* ---- sections ---- */

static void runs_table(const rctx *c)
{
    sbuf *b = c->b;

    sbuf_puts(b, "<section id=\"runs\"><h2>Runs</h2>\n");
    table_open(b, "runs");
    th(b, "run", false), th(b, "id", false), th(b, "timestamp", false), th(b, "model", false);
    th(b, "target", false), th(b, "kernels", false), th(b, "tags", false);
    th(b, "cycles", true), th(b, "latency ms", true), th(b, "instructions", true);
    th(b, "energy uJ", true);
    sbuf_puts(b, "</tr></thead><tbody>\n");
    for (int i = 0; i < c->doc->n_runs; i++) {
        const rep_run *r = &c->doc->runs[i];
        sbuf_printf(b, "<tr><td>r%d</td>", i + 1);
        td_id(b, r->id), td(b, r->timestamp), td(b, r->model), td(b, r->target);
        td(b, r->kernels);
        sbuf_puts(b, "<td>");
        for (int t = 0; t < r->n_tags; t++) {
            sbuf_puts(b, t ? ", " : "");
            sbuf_esc(b, r->tags[t]);
        }
        sbuf_puts(b, "</td>");
        td_count(b, r->cycles), td_fixed(b, r->latency_ms), td_count(b, r->instructions);
        if (r->n_energy)
            td_fixed(b, energy_total(r));
        else
            sbuf_puts(b, "<td class=\"num\">-</td>");
        sbuf_puts(b, "</tr>\n");
    }
    sbuf_puts(b, "</tbody></table></div></section>\n");
}

/* Index of name in names[0..*n), appended when absent. */
static int name_index(const char **names, int *n, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(names[i], name))
            return i;
    names[*n] = name;
    return (*n)++;
}

static int max_layers(const rctx *c)
{
    int m = 0;
    for (int k = 0; k < c->n_cmp; k++)
        if (c->doc->runs[c->cmp[k]].n_layers > m)
            m = c->doc->runs[c->cmp[k]].n_layers;
    return m;
}

static void cycles_table(const rctx *c, int n_rows)
{
    sbuf *b = c->b;

    table_open(b, "cycles");
    th(b, "#", true), th(b, "op", false);
    for (int k = 0; k < c->n_cmp; k++)
        sbuf_printf(b, "<th class=\"num\">r%d</th>", c->cmp[k] + 1);
    sbuf_puts(b, "</tr></thead><tbody>\n");
    for (int i = 0; i < n_rows; i++) {
        const rep_layer *first = NULL;
        for (int k = 0; k < c->n_cmp && !first; k++)
            if (i < c->doc->runs[c->cmp[k]].n_layers)
                first = &c->doc->runs[c->cmp[k]].layers[i];
        sbuf_printf(b, "<tr><td class=\"num\">%d</td>", (int)first->index);
        td(b, first->op);
        for (int k = 0; k < c->n_cmp; k++) {
            const rep_run *r = &c->doc->runs[c->cmp[k]];
            if (i < r->n_layers)
                td_count(b, r->layers[i].cycles);
            else
                sbuf_puts(b, "<td class=\"num\">-</td>");
        }
        sbuf_puts(b, "</tr>\n");
    }
    sbuf_puts(b, "<tr><th></th><th>total</th>");
    for (int k = 0; k < c->n_cmp; k++)
        td_count(b, c->doc->runs[c->cmp[k]].cycles);
    sbuf_puts(b, "</tr>\n");
    fig_close(b);
}

static int section_cycles(const rctx *c)
{
    int n_rows = max_layers(c), n_ops = 0, n_all = c->n_cmp * (n_rows ? n_rows : 1), s = 0;
    svg_seg *segs = ts_calloc((size_t)n_all, sizeof *segs);
    svg_bar *bars = ts_calloc((size_t)c->n_cmp, sizeof *bars);
    const char **ops = ts_calloc((size_t)n_all, sizeof *ops);
    svg_key *keys = ts_calloc((size_t)n_all, sizeof *keys);
    int rc = -1;

    if (!segs || !bars || !ops || !keys)
        goto out_free;
    for (int k = 0; k < c->n_cmp; k++) {
        const rep_run *r = &c->doc->runs[c->cmp[k]];
        bars[k] = (svg_bar){c->label[c->cmp[k]], &segs[s], r->n_layers};
        for (int i = 0; i < r->n_layers; i++)
            segs[s++] = (svg_seg){(double)r->layers[i].cycles,
                                  name_index(ops, &n_ops, r->layers[i].op), r->layers[i].op};
    }
    for (int i = 0; i < n_ops; i++)
        keys[i] = (svg_key){ops[i], i};
    sbuf_puts(c->b, "<section id=\"cycles\"><h2>Cycles per layer</h2>\n");
    note(c->b, "note",
         "One bar per run (the latest of each model, target and kernel variant); "
         "segments are the layers in order, coloured by operator.");
    fig_open(c->b);
    svg_stacked_bars(
        c->b, &(svg_bars){"cycles", "Cycles per layer", "cycles", bars, c->n_cmp, keys, n_ops});
    cycles_table(c, n_rows);
    sbuf_puts(c->b, "</section>\n");
    rc = 0;
out_free:
    ts_free(keys), ts_free(ops), ts_free(bars), ts_free(segs);
    return rc;
}

static void memory_table(const rctx *c)
{
    sbuf *b = c->b;
    char head[64];

    table_open(b, "memory");
    th(b, "run", false);
    for (int l = 0; l < REP_N_LEVELS; l++)
        snprintf(head, sizeof head, "%s accesses", level_labels[l]), th(b, head, true);
    for (int l = 0; l < REP_N_LEVELS; l++)
        snprintf(head, sizeof head, "%s bytes", level_labels[l]), th(b, head, true);
    sbuf_puts(b, "</tr></thead><tbody>\n");
    for (int k = 0; k < c->n_cmp; k++) {
        const rep_run *r = &c->doc->runs[c->cmp[k]];
        sbuf_puts(b, "<tr>");
        td(b, c->label[c->cmp[k]]);
        for (int l = 0; l < REP_N_LEVELS; l++)
            td_count(b, r->accesses[l]);
        for (int l = 0; l < REP_N_LEVELS; l++)
            td_count(b, r->bytes[l]);
        sbuf_puts(b, "</tr>\n");
    }
    fig_close(b);
}

static int section_memory(const rctx *c)
{
    svg_seg *segs = ts_calloc((size_t)c->n_cmp * REP_N_LEVELS, sizeof *segs);
    svg_bar *bars = ts_calloc((size_t)c->n_cmp, sizeof *bars);
    svg_key keys[REP_N_LEVELS];
    int rc = -1;

    if (!segs || !bars)
        goto out_free;
    for (int l = 0; l < REP_N_LEVELS; l++)
        keys[l] = (svg_key){level_labels[l], l};
    for (int k = 0; k < c->n_cmp; k++) {
        const rep_run *r = &c->doc->runs[c->cmp[k]];
        svg_seg *s = &segs[k * REP_N_LEVELS];
        for (int l = 0; l < REP_N_LEVELS; l++)
            s[l] = (svg_seg){(double)r->accesses[l], l, level_labels[l]};
        bars[k] = (svg_bar){c->label[c->cmp[k]], s, REP_N_LEVELS};
    }
    sbuf_puts(c->b, "<section id=\"memory\"><h2>Memory accesses by level</h2>\n");
    note(c->b, "note",
         "Instruction fetches, data reads and writes, summed over the regions of "
         "each level of the target's memory map.");
    fig_open(c->b);
    svg_stacked_bars(c->b, &(svg_bars){"memory", "Memory accesses by level", "accesses", bars,
                                       c->n_cmp, keys, REP_N_LEVELS});
    memory_table(c);
    sbuf_puts(c->b, "</section>\n");
    rc = 0;
out_free:
    ts_free(bars), ts_free(segs);
    return rc;
}

static int count_energy_entries(const rctx *c)
{
    int n = 0;
    for (int k = 0; k < c->n_cmp; k++)
        n += c->doc->runs[c->cmp[k]].n_energy;
    return n;
}

static void energy_table(const rctx *c, const char **names, int n_names)
{
    sbuf *b = c->b;

    table_open(b, "energy");
    th(b, "run", false);
    for (int i = 0; i < n_names; i++)
        th(b, names[i], true);
    th(b, "total uJ", true);
    sbuf_puts(b, "</tr></thead><tbody>\n");
    for (int k = 0; k < c->n_cmp; k++) {
        const rep_run *r = &c->doc->runs[c->cmp[k]];
        if (!r->n_energy)
            continue;
        sbuf_puts(b, "<tr>");
        td(b, c->label[c->cmp[k]]);
        for (int i = 0; i < n_names; i++) {
            int e = 0;
            while (e < r->n_energy && strcmp(r->energy[e].component, names[i]))
                e++;
            if (e < r->n_energy)
                td_fixed(b, r->energy[e].uj);
            else
                sbuf_puts(b, "<td class=\"num\">-</td>");
        }
        td_fixed(b, energy_total(r));
        sbuf_puts(b, "</tr>\n");
    }
    fig_close(b);
}

static int section_energy(const rctx *c)
{
    int n_all = count_energy_entries(c), n_names = 0, s = 0, n_bars = 0, rc = -1;
    svg_seg *segs = ts_calloc((size_t)n_all + 1, sizeof *segs);
    svg_bar *bars = ts_calloc((size_t)c->n_cmp, sizeof *bars);
    const char **names = ts_calloc((size_t)n_all + 1, sizeof *names);
    svg_key *keys = ts_calloc((size_t)n_all + 1, sizeof *keys);

    if (!segs || !bars || !names || !keys)
        goto out_free;
    sbuf_puts(c->b, "<section id=\"energy\"><h2>Energy by component</h2>\n");
    for (int k = 0; k < c->n_cmp; k++) {
        const rep_run *r = &c->doc->runs[c->cmp[k]];
        if (!r->n_energy)
            continue;
        bars[n_bars++] = (svg_bar){c->label[c->cmp[k]], &segs[s], r->n_energy};
        for (int e = 0; e < r->n_energy; e++)
            segs[s++] =
                (svg_seg){r->energy[e].uj, name_index(names, &n_names, r->energy[e].component),
                          r->energy[e].component};
    }
    for (int i = 0; i < n_names; i++)
        keys[i] = (svg_key){names[i], i};
    if (n_bars == 0) {
        note(c->b, "empty", "No energy figures in these runs, so there is no energy chart.");
    } else {
        if (n_bars < c->n_cmp)
            note(c->b, "note", "Runs without energy figures are left out.");
        fig_open(c->b);
        svg_stacked_bars(
            c->b, &(svg_bars){"energy", "Energy by component", "uJ", bars, n_bars, keys, n_names});
        energy_table(c, names, n_names);
    }
    sbuf_puts(c->b, "</section>\n");
    rc = 0;
out_free:
    ts_free(keys), ts_free(names), ts_free(bars), ts_free(segs);
    return rc;
}

static void scatter_table(const rctx *c)
{
    sbuf *b = c->b;

    table_open(b, "latency-energy");
    th(b, "run", false), th(b, "latency ms", true), th(b, "energy uJ", true);
    sbuf_puts(b, "</tr></thead><tbody>\n");
    for (int k = 0; k < c->n_cmp; k++) {
        const rep_run *r = &c->doc->runs[c->cmp[k]];
        if (!r->n_energy)
            continue;
        sbuf_puts(b, "<tr>");
        td(b, c->label[c->cmp[k]]);
        td_fixed(b, r->latency_ms), td_fixed(b, energy_total(r));
        sbuf_puts(b, "</tr>\n");
    }
    fig_close(b);
}

static int section_scatter(const rctx *c)
{
    svg_point *pts = ts_calloc((size_t)c->n_cmp, sizeof *pts);
    int n = 0;

    if (!pts)
        return -1;
    sbuf_puts(c->b, "<section id=\"latency-energy\"><h2>Latency against energy</h2>\n");
    for (int k = 0; k < c->n_cmp; k++) {
        const rep_run *r = &c->doc->runs[c->cmp[k]];
        if (r->n_energy)
            pts[n++] =
                (svg_point){r->latency_ms, energy_total(r), c->label[c->cmp[k]], k, false};
    }
    if (n == 0) {
        note(c->b, "empty",
             "No energy figures in these runs, so latency cannot be plotted "
             "against energy.");
    } else {
        if (n < c->n_cmp)
            note(c->b, "note", "Runs without energy figures are left out.");
        fig_open(c->b);
        svg_scatter_plot(c->b, &(svg_scatter){"latency-energy", "Latency against energy",
                                              "latency (ms)", "energy (uJ)", pts, n, false});
        scatter_table(c);
    }
    sbuf_puts(c->b, "</section>\n");
    ts_free(pts);
    return 0;
}

/* Runs of the group of run `first` in time order into idx; returns their count. */
static int group_members(const rep_doc *d, int first, int *idx)
{
    int n = 0;

    for (int i = first; i < d->n_runs; i++) {
        if (!same_group(&d->runs[first], &d->runs[i]))
            continue;
        int k = n++;
        while (k > 0 && later(d->runs, i, idx[k - 1]))
            idx[k] = idx[k - 1], k--;
        idx[k] = i;
    }
    return n;
}

static bool first_of_group(const rep_doc *d, int i)
{
    for (int j = 0; j < i; j++)
        if (same_group(&d->runs[j], &d->runs[i]))
            return false;
    return true;
}

static void history_table(const rctx *c, const int *idx, int n, int g)
{
    sbuf *b = c->b;
    char id[32];

    snprintf(id, sizeof id, "history-%d", g);
    table_open(b, id);
    th(b, "run", false), th(b, "id", false), th(b, "timestamp", false);
    th(b, "cycles", true), th(b, "latency ms", true);
    sbuf_puts(b, "</tr></thead><tbody>\n");
    for (int k = 0; k < n; k++) {
        const rep_run *r = &c->doc->runs[idx[k]];
        sbuf_printf(b, "<tr><td>r%d</td>", idx[k] + 1);
        td_id(b, r->id), td(b, r->timestamp), td_count(b, r->cycles), td_fixed(b, r->latency_ms);
        sbuf_puts(b, "</tr>\n");
    }
    fig_close(b);
}

/* x labels "rN MM-DDTHH:MM:SS" (the year dropped), or "rN" without a timestamp. */
static void history_chart(const rctx *c,
                          const int *idx,
                          int n,
                          int g,
                          double *y,
                          const char **xl,
                          char (*xl_buf)[X_LABEL_BYTES])
{
    const rep_run *r0 = &c->doc->runs[idx[0]];
    char id[32];

    for (int k = 0; k < n; k++) {
        const rep_run *r = &c->doc->runs[idx[k]];
        const char *ts = r->timestamp;
        y[k] = (double)r->cycles;
        if (strlen(ts) > 5 && ts[4] == '-')
            ts += 5;
        snprintf(xl_buf[k], X_LABEL_BYTES, "r%d %.14s", idx[k] + 1, ts);
        xl[k] = xl_buf[k];
    }
    snprintf(id, sizeof id, "history-%d", g);
    sbuf_puts(c->b, "<h3>");
    sbuf_esc(c->b, r0->model);
    sbuf_puts(c->b, " on ");
    sbuf_esc(c->b, r0->target);
    sbuf_puts(c->b, ", ");
    sbuf_esc(c->b, r0->kernels);
    sbuf_puts(c->b, " kernels</h3>\n");
    fig_open(c->b);
    svg_line_chart(c->b, &(svg_line){id, "Cycles over runs", "cycles", xl, y, n});
    history_table(c, idx, n, g);
}

static int section_history(const rctx *c)
{
    const rep_doc *d = c->doc;
    int *idx = ts_calloc((size_t)d->n_runs, sizeof *idx), g = 0;
    double *y = ts_calloc((size_t)d->n_runs, sizeof *y);
    const char **xl = ts_calloc((size_t)d->n_runs, sizeof *xl);
    char(*xl_buf)[X_LABEL_BYTES] = ts_calloc((size_t)d->n_runs, sizeof *xl_buf);
    int rc = -1;

    if (!idx || !y || !xl || !xl_buf)
        goto out_free;
    sbuf_puts(c->b, "<section id=\"history\"><h2>History</h2>\n");
    note(c->b, "note",
         "Total cycles of every run of one model on one target with one kernel "
         "variant, oldest first (by timestamp, then in the order given).");
    for (int i = 0; i < d->n_runs; i++) {
        int n = first_of_group(d, i) ? group_members(d, i, idx) : 0;
        if (n >= 2)
            history_chart(c, idx, n, ++g, y, xl, xl_buf);
    }
    if (g == 0)
        note(c->b, "empty",
             "No history: each model, target and kernel variant has a single run "
             "here; a history needs two or more runs of the same one.");
    sbuf_puts(c->b, "</section>\n");
    rc = 0;
out_free:
    ts_free(xl_buf), ts_free(xl), ts_free(y), ts_free(idx);
    return rc;
}

/* ---- sweeps ---- */

typedef struct sweep_pt {
    const rep_run *r;
    int idx; /* input order */
} sweep_pt;

/* Point id, then time order (timestamp, then input order). */
static int by_point_then_time(const void *a, const void *b)
{
    const sweep_pt *x = a, *y = b;
    int c = strcmp(x->r->point, y->r->point);

    if (!c)
        c = strcmp(x->r->timestamp, y->r->timestamp);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Model, then input order. */
static int by_model_then_input(const void *a, const void *b)
{
    const sweep_pt *x = a, *y = b;
    int c = strcmp(x->r->model, y->r->model);

    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The latest run of each sweep point that has energy figures, grouped by model. */
static int latest_points(const rep_doc *d, sweep_pt *pts)
{
    int n = 0, m = 0;

    for (int i = 0; i < d->n_runs; i++)
        if (d->runs[i].point && d->runs[i].point[0] && d->runs[i].n_energy)
            pts[n++] = (sweep_pt){&d->runs[i], i};
    qsort(pts, (size_t)n, sizeof *pts, by_point_then_time);
    for (int i = 0; i < n; i++)
        if (i + 1 == n || strcmp(pts[i].r->point, pts[i + 1].r->point))
            pts[m++] = pts[i];
    qsort(pts, (size_t)m, sizeof *pts, by_model_then_input);
    return m;
}

static void sweep_table(const rctx *c, const sweep_pt *pts, const bool *front, int n,
                        const char *id)
{
    sbuf *b = c->b;

    table_open(b, id);
    th(b, "point", false), th(b, "target", false), th(b, "kernels", false);
    th(b, "overrides", false), th(b, "latency ms", true), th(b, "energy uJ", true);
    sbuf_puts(b, "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const rep_run *r = pts[i].r;
        if (!front[i])
            continue;
        char shown[POINT_CHARS + 1];
        snprintf(shown, sizeof shown, "%.*s", POINT_CHARS, r->point); /* as the CLI shows it */
        sbuf_puts(b, "<tr><td title=\"");
        sbuf_esc(b, r->point);
        sbuf_puts(b, "\">");
        sbuf_esc(b, shown);
        sbuf_puts(b, "</td>");
        td(b, r->target), td(b, r->kernels), td(b, r->overrides ? r->overrides : "");
        td_fixed(b, r->latency_ms), td_fixed(b, energy_total(r));
        sbuf_puts(b, "</tr>\n");
    }
    fig_close(b);
}

/* The scatter and front table of the n points of one model (n >= 2). */
static int sweep_chart(const rctx *c, const sweep_pt *pts, int n, int g)
{
    svg_point *sp = ts_calloc((size_t)n, sizeof *sp);
    double *v = ts_calloc((size_t)n * 2, sizeof *v);
    bool *front = ts_calloc((size_t)n, sizeof *front);
    char(*labels)[POINT_CHARS + 1] = ts_calloc((size_t)n, sizeof *labels), id[32];
    int rc = -1, on;

    if (!sp || !v || !front || !labels)
        goto out_free;
    for (int i = 0; i < n; i++)
        v[2 * i] = pts[i].r->latency_ms, v[2 * i + 1] = energy_total(pts[i].r);
    on = pareto_front(v, n, 2, front);
    for (int i = 0; i < n; i++) {
        snprintf(labels[i], sizeof labels[i], "%.*s", POINT_CHARS, pts[i].r->point);
        sp[i] = (svg_point){v[2 * i], v[2 * i + 1], labels[i], 2, front[i]};
    }
    snprintf(id, sizeof id, "sweep-%d", g);
    sbuf_puts(c->b, "<h3>");
    sbuf_esc(c->b, pts[0].r->model);
    sbuf_printf(c->b, ": %d of %d points on the front</h3>\n", on, n);
    fig_open(c->b);
    svg_scatter_plot(c->b, &(svg_scatter){id, "Latency against energy of a sweep",
                                          "latency (ms)", "energy (uJ)", sp, n, true});
    sweep_table(c, pts, front, n, id);
    rc = 0;
out_free:
    ts_free(labels), ts_free(front), ts_free(v), ts_free(sp);
    return rc;
}

/* Only when some run belongs to a sweep. */
static int section_sweeps(const rctx *c)
{
    sweep_pt *pts = ts_calloc((size_t)c->doc->n_runs, sizeof *pts);
    int n = pts ? latest_points(c->doc, pts) : 0, g = 0, rc = pts ? 0 : -1;

    if (n > 0) {
        sbuf_puts(c->b, "<section id=\"sweeps\"><h2>Sweeps</h2>\n");
        note(c->b, "note",
             "Latency against energy of every point of a sweep (tinysim sweep; the latest run "
             "of each point), one chart per model. Ringed points are the Pareto front: no "
             "other point has both lower latency and lower energy; the table lists them.");
    }
    for (int i = 0, j; i < n && rc == 0; i = j) {
        for (j = i; j < n && !strcmp(pts[j].r->model, pts[i].r->model); j++)
            ;
        if (j - i >= 2)
            rc = sweep_chart(c, &pts[i], j - i, ++g);
    }
    if (n > 0 && g == 0)
        note(c->b, "empty", "No model has two or more sweep points with energy figures, so "
                            "there is no front to draw.");
    if (n > 0)
        sbuf_puts(c->b, "</section>\n");
    ts_free(pts);
    return rc;
}

static void page_head(const rep_doc *d, sbuf *b)
{
    const char *title = d->title ? d->title : "tinysim report";

    sbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>");
    sbuf_esc(b, title);
    sbuf_printf(b, "</title>\n<style>\n%s</style>\n</head><body>\n<h1>", css);
    sbuf_esc(b, title);
    sbuf_puts(b, "</h1>\n");
    if (d->selection)
        note(b, "note", d->selection);
}

static void page_foot(const rep_doc *d, sbuf *b)
{
    sbuf_puts(b, "<footer>Generated by ");
    sbuf_esc(b, d->generator ? d->generator : "tinysim");
    sbuf_puts(b, ". Simulated figures: cycle-approximate, deterministic for the same model, "
                 "target and tinysim.</footer>\n</body></html>\n");
}

static int render_sections(rctx *c)
{
    int n = c->doc->n_runs;

    c->cmp = ts_calloc((size_t)n, sizeof *c->cmp);
    c->label = ts_calloc((size_t)n, sizeof *c->label);
    if (!c->cmp || !c->label)
        return -1;
    for (int i = 0; i < n; i++) {
        const rep_run *r = &c->doc->runs[i];
        snprintf(c->label[i], LABEL_BYTES, "r%d %s %s", i + 1, r->target, r->kernels);
    }
    pick_compared(c);
    runs_table(c);
    if (section_cycles(c) || section_memory(c) || section_energy(c) || section_scatter(c) ||
        section_history(c) || section_sweeps(c))
        return -1;
    return 0;
}

int report_html_render(const rep_doc *doc, sbuf *out)
{
    rctx c = {doc, out, NULL, 0, NULL};
    int rc = 0;

    page_head(doc, out);
    if (doc->n_runs == 0)
        note(out, "empty",
             "No runs to show: the selection matched no run, so there is "
             "nothing to chart. Record runs (tinysim bench) or widen the "
             "selection.");
    else
        rc = render_sections(&c);
    page_foot(doc, out);
    ts_free(c.label), ts_free(c.cmp);
    return rc == 0 && !out->oom ? 0 : -1;
}
