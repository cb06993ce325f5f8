/* report_load.h: runs for the HTML report read from `tinysim bench --json` documents.
 * Layer: bench/; never prints (errors go to ts_err). The set owns every string and array of
 * its runs (one arena), so they live until report_set_free.
 *
 * Fields read (JSON paths of one bench --json document; a `--kernels both` document has its
 * two runs under $.ref and $.simd, which are read as two runs sharing the header):
 *   $.model, $.target                    strings, required
 *   $.run_id, $.timestamp                strings, optional (id defaults to the file name,
 *                                        suffixed "#ref"/"#simd" for the two runs of `both`)
 *   $.tags                               array of strings, optional
 *   RUN.provenance                       optional (bench --json of a run recorded in the
 *                                        store): .id, .created_utc, .tags and .model_name
 *                                        replace run_id, timestamp, tags and the model path;
 *                                        .sweep_point (string or null) and .overrides
 *                                        ([{"key", "value"}]) are the sweep point's
 *   RUN.kernels                          string, required
 *   RUN.layers[].index, .op, .unit, .cycles, .regions[]   required
 *   RUN.totals.cycles, .latency_ms, .instructions, .regions[]   required
 *   RUN.totals.energy_uj                 object {component: microjoules}, optional
 *   regions[]: .kind (string), .fetch_accesses, .read_accesses, .write_accesses,
 *              .fetch_bytes, .read_bytes, .write_bytes (numbers, >= 0) */
#ifndef TS_REPORT_LOAD_H
#define TS_REPORT_LOAD_H

#include <stddef.h>

#include "base/alloc.h"
#include "base/status.h"
#include "report_html.h"

#define REPORT_MAX_RUNS 100000

typedef struct report_set {
    ts_arena *arena; /* owns everything below */
    rep_run *runs;   /* n_runs entries (arena-owned array, regrown by copying) */
    int n_runs, cap;
} report_set;

/* Adds the run(s) of one bench --json document. source names it in messages (and is the
 * default run id). Returns TS_OK, FORMAT (with "SOURCE: $.path: problem (expected/actual)"
 * or "SOURCE: line L, column C: ..."), RANGE (too many runs) or NOMEM. On failure the set
 * keeps the runs it had. */
ts_status
report_set_add_json(report_set *s, const char *source, const char *json, size_t len, ts_err *err);

/* Makes room for `extra` more runs (creating the arena when needed); returns 0, or -1 when
 * out of memory. The caller checks REPORT_MAX_RUNS. */
int report_set_reserve(report_set *s, int extra);

void report_set_free(report_set *s); /* NULL-safe; leaves an empty set */

#endif
