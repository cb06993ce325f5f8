/* regress.h: the comparison behind `tinysim regress`: pairs of runs (baseline, candidate)
 * matched on their runset key, and one row per pair and compared metric with its verdict.
 * Layer: bench/; never prints (cmd_regress.c prints the Markdown table and writes JUnit).
 *
 * Rules:
 * - Pairs match on (model name, target, kernel variant, --set overrides). A pair whose model
 *   sha256, target configuration (sha256), rounding or input differ, or whose layers run
 *   different ops, is still compared; the difference is the pair's note, and a row without a
 *   direction (so --exact fails on it).
 * - Every pair has a "status" row (ok | no fit | error): a run that stopped working is a
 *   regression, one that started working an improvement.
 * - A metric is compared when it is selected (a short name of regress_metrics.def, a record
 *   metric name or pattern, or all) and present on either side; run metrics always, layer
 *   metrics (matched by layer index) with per_layer.
 * - Two values are the same when equal, or equal to 15 significant digits (what a
 *   `bench --json` file carries).
 * - change = (candidate - baseline) / |baseline| x 100 %. A metric worse by more than the
 *   threshold is a regression; worse within it is tolerated. With `exact`, any difference
 *   fails: a change in either direction, a metric or a pair present on one side only. */
#ifndef TS_REGRESS_H
#define TS_REGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"
#include "runset.h"

typedef enum rg_dir { RG_LOWER, RG_HIGHER, RG_NONE } rg_dir;

typedef struct rg_metric_def {
    const char *name;    /* short name for --metric */
    const char *pattern; /* record metric names, '*' = any run of characters */
    rg_dir dir;
    const char *meaning;
} rg_metric_def;

extern const rg_metric_def rg_metrics[];
extern const size_t rg_n_metrics;

/* Verdicts, in the order the Markdown table lists them (failures are listed first anyway). */
typedef enum rg_verdict {
    RG_WORSE,     /* worse by more than the threshold: a regression */
    RG_BETTER,    /* an improvement */
    RG_TOLERATED, /* worse, within the threshold */
    RG_CHANGED,   /* changed, and the metric has no better direction */
    RG_ONLY_BASE, /* the metric (or the whole pair, metric "run") is in the baseline only */
    RG_ONLY_CAND, /* ... in the candidate only */
    RG_SAME,
    RG_N_VERDICTS
} rg_verdict;

#define RG_MAX_SELECT 32

typedef struct rg_opts {
    const char *select[RG_MAX_SELECT]; /* record metric patterns */
    rg_dir dir[RG_MAX_SELECT];         /* their directions */
    int n_select;
    bool all;          /* every metric the records have */
    bool per_layer;    /* layer metrics too */
    bool exact;        /* any difference fails */
    double threshold_pct;
} rg_opts;

typedef struct rg_pair {
    const runset_item *base, *cand; /* borrowed; one is NULL for a pair on one side only */
    char note[320];                 /* provenance differences, "" when none */
} rg_pair;

typedef struct rg_row {
    size_t pair;           /* index in rg_result.pairs */
    int32_t layer;         /* TS_RES_RUN_LAYER, or the layer's index */
    const char *op;        /* the layer's op (borrowed), NULL for run metrics */
    const char *metric;    /* borrowed from a record, or "status", "run", a provenance field */
    double base, cand;     /* values (when present) */
    const char *base_text, *cand_text; /* status ("ok" | "no fit" | "error"), provenance */
    double change_pct;     /* +inf/-inf from a baseline of 0 */
    rg_verdict verdict;
    bool fails;            /* counts towards exit status 1 */
} rg_row;

typedef struct rg_result {
    rg_pair *pairs;
    size_t n_pairs;
    rg_row *rows;
    size_t n_rows, cap_rows;
    size_t n_matched;               /* pairs with both sides */
    size_t n_pairs_only[2];         /* pairs in the baseline only, the candidate only */
    size_t n_verdict[RG_N_VERDICTS]; /* rows per verdict (pair rows excluded) */
    size_t n_compared;              /* rows with a value on both sides */
    size_t n_failing;
    size_t select_hits[RG_MAX_SELECT]; /* metrics each selection matched */
} rg_result;

/* Direction of a record metric name: the first matching row of regress_metrics.def, else
 * RG_LOWER. */
rg_dir rg_direction(const char *metric);

/* The row of regress_metrics.def named `name`, or NULL. */
const rg_metric_def *rg_find_metric(const char *name);

/* Glob match: '*' matches any run of characters, everything else itself. */
bool rg_glob(const char *pattern, const char *s);

/* Compares two sets, each sorted by key with one run per key (runset_keep_newest). The result
 * borrows from both sets (and is valid while they are). NOMEM. */
ts_status rg_compare(const runset *base, const runset *cand, const rg_opts *o, rg_result *out,
                     ts_err *err);

void rg_result_free(rg_result *r); /* NULL-safe */

/* "ok", "no fit" or "error" for a run's status field. */
const char *rg_status_word(const ts_res_run *r);

#endif
