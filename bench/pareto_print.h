/* pareto_print.h: the Pareto-optimal sweep points of the store, per model, as `sweep --pareto`
 * and `results pareto` print them. Layer: bench/ (prints). */
#ifndef TS_PARETO_PRINT_H
#define TS_PARETO_PRINT_H

#include <stdbool.h>

#include "results.h"

typedef struct pareto_query {
    const char *metrics;  /* "cycles,energy": 1 to PARETO_MAX_METRICS names (pareto.h) */
    ts_res_filter filter; /* which runs; only runs of a sweep point are ever considered */
    const char (*points)[TS_SHA256_HEX_BYTES]; /* sorted point ids to keep; NULL: any */
    int n_points;
} pareto_query;

/* The metric list is well formed (1 to PARETO_MAX_METRICS non-empty names separated by
 * commas); whether runs have them is seen when they are read. */
bool pareto_metrics_valid(const char *list);

/* Prints the error line of a malformed metric list; returns 2. */
int pareto_metrics_error(const char *list);

/* Considers the runs that succeeded (status ok) of every selected sweep point, the latest run
 * of a point when it has several, groups them by model and prints, per model, the points on
 * the Pareto front of the metrics (lower is better) with their target, kernels, figures, run
 * id and overrides, sorted by the first metric. Returns the exit status: 2 for a malformed
 * metric list or a metric no selected run has, 1 for a store error. */
int pareto_print(ts_results *db, const pareto_query *q);

#endif
