/* runset.h: a set of run records, each keyed by the configuration it measured: (model name,
 * target, kernel variant, --set overrides). Read from `tinysim results export --format json`
 * documents, from `tinysim bench --json` output, or from the results store; used by `regress`
 * (pairs of runs match on the key) and `results export --stable` (the newest run of each key,
 * in key order). Layer: bench/; never prints (errors in ts_err / ts_res_err).
 *
 * Documents read (JSON paths):
 *   export:  $.format = "tinysim-results", $.version = 1, $.runs[] = records as
 *            `results show --json` prints them: provenance fields (run_fields.def) as strings
 *            (target_config may be an object), .id, .tags[], .overrides[] {key, value},
 *            .metrics {name: number}, .layers[] {index, op, unit, kernels, metrics}; every
 *            field but model_name, target and metrics may be absent (a --stable export)
 *   bench:   one run as `bench --json` prints it (report + .provenance), or the two runs of
 *            `--kernels both` under $.ref and $.simd; metrics as record.h names them */
#ifndef TS_RUNSET_H
#define TS_RUNSET_H

#include <stddef.h>

#include "base/status.h"
#include "results.h"

typedef struct runset_item {
    ts_res_run *run;  /* owned */
    char *overrides;  /* owned: "KEY=VALUE,..." sorted by key, "" when none */
    char *key;        /* owned: model, target, kernels and overrides, separated by 0x1f */
    size_t pos;       /* order of arrival: later is newer among runs without a time */
} runset_item;

typedef struct runset {
    runset_item *items;
    size_t n, cap;
} runset;

void runset_free(runset *s); /* NULL-safe; leaves an empty set */

/* Adds r, taking ownership (r is freed when this fails). NOMEM. */
ts_status runset_add(runset *s, ts_res_run *r, ts_err *err);

/* Adds the runs of one document (export or bench --json, see above); source names it in
 * messages ("SOURCE: $.runs[2].metrics.cycles: expected number, got string"). FORMAT, NOMEM;
 * on failure the set keeps the runs it had before. */
ts_status runset_add_json(runset *s, const char *source, const char *json, size_t len,
                          ts_err *err);

/* Adds every run of the store matching f (loaded whole), oldest first. */
ts_res_status runset_add_store(runset *s, ts_results *db, const ts_res_filter *f,
                               ts_res_err *err);

/* Sorts the set by key and keeps only the newest run of each key (latest created_utc, else the
 * latest added); returns how many runs it dropped. */
size_t runset_keep_newest(runset *s);

#endif
