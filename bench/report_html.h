/* report_html.h: the HTML report of benchmark runs -- its plain in-memory data model and the
 * renderer. Layer: bench/; the renderer appends to an sbuf and never prints, reads no clock
 * and no file: the same runs give the same bytes. The page is self-contained (inline CSS and
 * SVG, no script, no external resource) and has, for the latest run of each (model, target,
 * kernel variant): cycles per layer, memory accesses by level, energy by component and
 * latency against energy; and, for each (model, target, kernel variant) with two or more
 * runs, its history; and, for each model with two or more sweep points that have energy
 * figures, latency against energy of every point (the latest run of each) with the Pareto
 * front highlighted. A table with the same numbers stands beside every chart. */
#ifndef TS_REPORT_HTML_H
#define TS_REPORT_HTML_H

#include <stdint.h>

#include "sbuf.h"

typedef enum rep_level {
#define LEVEL(id, kind, label) REP_LEVEL_##id,
#include "report_levels.def"
#undef LEVEL
    REP_N_LEVELS
} rep_level;

/* The level a region kind ("flash", "sram", ...) counts towards. */
rep_level rep_level_of_kind(const char *kind);
const char *rep_level_label(rep_level l);

typedef struct rep_layer {
    int32_t index;    /* op index in the model */
    const char *op;   /* e.g. "CONV_2D" */
    const char *unit; /* execution unit, e.g. "cpu" */
    uint64_t cycles;
    uint64_t accesses[REP_N_LEVELS]; /* fetch + read + write accesses per level */
} rep_layer;

/* The member of bench's energy_uj that is the sum of the others, not a component: loaders
 * leave it out (the report sums the components). */
#define REP_ENERGY_TOTAL "total"

typedef struct rep_energy {
    const char *component; /* e.g. "core", "flash" */
    double uj;             /* microjoules */
} rep_energy;

/* One run. Every pointer is borrowed from whoever built the run (the JSON loader's arena,
 * the store, a test) and must outlive the render call. Strings may contain anything. */
typedef struct rep_run {
    const char *id;        /* unique within the report */
    const char *timestamp; /* ISO 8601 UTC; "" when unknown (then input order is time order) */
    const char *model, *target, *kernels;
    const char *const *tags;
    int n_tags;
    const rep_layer *layers;
    int n_layers;
    uint64_t cycles;
    double latency_ms;
    uint64_t instructions;
    uint64_t accesses[REP_N_LEVELS]; /* totals per level */
    uint64_t bytes[REP_N_LEVELS];
    const rep_energy *energy; /* NULL/0 when the run has no energy figures */
    int n_energy;
    const char *point;     /* sweep point id (tinysim sweep); NULL or "" outside sweeps */
    const char *overrides; /* its --set overrides, "KEY=VALUE KEY=VALUE"; NULL or "" none */
} rep_run;

typedef struct rep_doc {
    const char *title;     /* page title; NULL: "tinysim report" */
    const char *selection; /* how the runs were chosen, shown under the title; may be NULL */
    const char *generator; /* e.g. "tinysim 0.1.0 (abc123)", in the footer; may be NULL */
    const rep_run *runs;
    int n_runs; /* 0 gives a page that says there is nothing to show */
} rep_doc;

/* Appends the whole HTML page for doc to out. Returns 0, or -1 when an allocation failed
 * (out's text is then incomplete; the caller frees it with sbuf_free). */
int report_html_render(const rep_doc *doc, sbuf *out);

#endif
