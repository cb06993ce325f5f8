/* record.h: the run record of a bench run (results/ ts_res_run) built from bench's JSON report,
 * its JSON form (bench --json's "provenance", results show/export), and the results database
 * the CLI writes to. Layer: bench/ (prints its one error line, exits via the caller).
 *
 * Metrics come from the report generically: every number (and boolean, as 0/1) of a run's
 * report object becomes one metric, named by its path: members of "totals" by their own name
 * ("cycles"), other objects by a dotted path ("memory.arena_bytes"), arrays of objects that
 * carry a "name" by that name ("regions" -> "region.flash.read_bytes"); layer objects give the
 * same names per layer. A number added to the report is a new metric with no code here. */
#ifndef TS_RECORD_H
#define TS_RECORD_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "results.h"
#include "target/target.h"

#define RECORD_MAX_TAGS 16

/* What the command line says about a run, beyond the report. Borrowed. */
typedef struct record_args {
    const char *model_path;
    const char *rounding;  /* "single" | "double" */
    const char *input;     /* "xorshift32 seed 1" | "files" */
    const char *const *sets; /* --set KEY=VALUE */
    int n_sets;
    const char *const *tags; /* --tag */
    int n_tags;
    const char *suite;     /* NULL outside suites and sweeps */
    const char *sweep_point; /* point id (sweep.h); NULL outside sweeps */
} record_args;

/* The record of one run: report = one run's report object (kernels, firmware, layers, totals,
 * memory, as bench --json prints it); status "ok" or the error line. Prints the error and
 * returns NULL when out of memory or when the model/firmware file cannot be read. */
ts_res_run *record_build(const cJSON *report, const ts_target *t, const record_args *a,
                         const char *status);

/* Adds the layers (attributes and metrics) and the run metrics of one run's report object (as
 * bench --json prints it) to r, named as described above. False when out of memory. */
bool record_add_report(ts_res_run *r, const cJSON *report);

/* SHA-256 of a file as hex; false (message printed) when it cannot be read. */
bool record_hash_file(const char *path, char out[TS_SHA256_HEX_BYTES]);

/* {"id": ..., "provenance": {...}, "tags": [...], "overrides": {...}}: what bench --json adds
 * (the target configuration as an object). NULL when out of memory. */
cJSON *record_provenance_json(const ts_res_run *r);

/* The --set overrides "KEY=VALUE" as [{"key": K, "value": V}...], the shape of the record's
 * "overrides": the "sets" of bench --json, compare --json and exec --json. Caller owns it. */
cJSON *record_sets_json(const char *const *sets, int n);

/* The whole record as JSON (provenance, run metrics, layers with their metrics): the format of
 * `results show --json` and `results export --format json`. */
cJSON *record_to_json(const ts_res_run *r);

/* record_to_json without what differs between two runs of one configuration on one build or
 * names the build: no id, time, host, version, commit, compiler, model path, firmware hash or
 * target configuration (target_sha256 stays); a status that starts with the model path starts
 * with the model name instead. The form of `results export --stable`, for baselines kept in a
 * repository. */
cJSON *record_to_json_stable(const ts_res_run *r);

/* The database path: `opt` when given, else $TINYSIM_DB, else
 * $XDG_DATA_HOME/tinysim/results.db, else $HOME/.local/share/tinysim/results.db (the directory
 * is created for the default). Writes into buf; returns buf, or NULL after printing an
 * error. */
const char *record_db_path(const char *opt, char *buf, size_t cap);


/* Exit status for a store error: 2 for a bad file or argument (not a store, newer, not found,
 * ambiguous), 1 for the rest (write failure, disk full, busy, out of memory). Prints
 * "tinysim: <msg>". */
int record_report(const ts_res_err *err);

/* Opens the store at db_path (migrated; created when `create`, else it must exist); prints the
 * error and returns its exit status on failure. */
int record_open(const char *db_path, bool create, ts_results **db);

#endif
