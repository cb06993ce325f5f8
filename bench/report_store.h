/* report_store.h: runs for the HTML report read from the results store (results.h), through
 * its public API only. Layer: bench/; never prints (store errors come back in ts_res_err).
 *
 * A stored record maps to a report run as follows: id = the run id; timestamp = created_utc;
 * model = model_name (else model_path); target, kernels, tags as recorded; layers from the
 * record's layers with their metric "cycles"; totals from the run metrics "cycles",
 * "latency_ms" and "instructions"; accesses and bytes per level from the metrics
 * "region.NAME.{fetch,read,write}_{accesses,bytes}", NAME's level being the kind of region
 * NAME in the recorded target_config ("memory": [{"name", "kind"}]); energy per component
 * from the metrics "energy_uj.COMPONENT" (totals.energy_uj of bench --json); point and
 * overrides from sweep_point and the overrides (sweeps). Runs whose status
 * is not "ok" (e.g. a model that did not fit) have no metrics and are left out. */
#ifndef TS_REPORT_STORE_H
#define TS_REPORT_STORE_H

#include "report_load.h"
#include "results.h"

/* Adds the runs of db matching f (oldest first) to s; *n_failed (may be NULL) counts the
 * matching runs left out because they failed. */
ts_res_status report_set_add_store(
    report_set *s, ts_results *db, const ts_res_filter *f, int *n_failed, ts_res_err *err);

#endif
