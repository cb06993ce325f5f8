/* pareto.h: the Pareto front of a set of points under several metrics (lower is better), and
 * the metrics by which the runs of a sweep are compared. Layer: bench/ (library part of the
 * report: never prints, never exits).
 *
 * Metric names (pareto_metric_find): the short names of the table in pareto.c (cycles,
 * latency, energy, ram, area, pes), or any whole-run metric recorded in the store by its
 * dotted name ("region.flash.read_bytes"). `area` and `pes` are computed from the recorded
 * target configuration, not measured: `area` the bytes of on-chip memory the configuration
 * has (SRAM and TCM regions plus every units.*.*_bytes buffer), the usual proxy for silicon
 * area; `pes` its int8 MAC units (a systolic array's rows x cols, a DSP's int8 MAC lanes; 0
 * for a core alone), the other term of an accelerator's area, which `area` leaves out. */
#ifndef TS_PARETO_H
#define TS_PARETO_H

#include <stdbool.h>

#include "results.h"

#define PARETO_MAX_METRICS 4

/* Marks on_front[i] for every point of v (n points of k metrics each, row-major: point i is
 * v[i*k .. i*k+k-1]) that no other point dominates, and returns how many there are. Point a
 * dominates b when a is lower or equal in every metric and lower in at least one; so points
 * equal in every metric (duplicates) do not dominate one another and are all on the front
 * when none of them is dominated. A point with a NaN metric is never on the front and
 * dominates nothing. O(n^2 k). */
int pareto_front(const double *v, int n, int k, bool *on_front);

typedef struct pareto_metric {
    const char *name;   /* as given on the command line: "energy" */
    const char *metric; /* recorded metric name: "energy_uj.total"; NULL when computed */
    const char *unit;   /* "uJ" */
    const char *meaning;
    /* computed metrics (area, pes): the value of a canonical target configuration */
    bool (*of_config)(const char *target_config, double *out);
} pareto_metric;

/* The metric called `name`: a row of the table, or (any other name) the recorded whole-run
 * metric of that name, described in *scratch. */
const pareto_metric *pareto_metric_find(const char *name, pareto_metric *scratch);

/* Row i of the table of short names (NULL past the end), for help texts. */
const pareto_metric *pareto_metric_at(int i);

/* The value of metric m for run r; false when r does not have it. */
bool pareto_value(const ts_res_run *r, const pareto_metric *m, double *out);

/* On-chip memory bytes of a canonical target configuration (ts_target_to_json): the sizes of
 * its sram and tcm regions plus every number under "units" whose key ends in "_bytes";
 * false when the text is not such a configuration. */
bool pareto_onchip_bytes(const char *target_config, double *out);

/* int8 MAC units of a canonical target configuration: units.systolic rows x cols plus
 * units.dsp mac_lanes_int8 (0 without units); false when the text is not a configuration. */
bool pareto_pes(const char *target_config, double *out);

#endif
