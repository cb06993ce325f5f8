/* suite.h: `tinysim bench --suite FILE.json`: a matrix of models x targets x kernel variants
 * x --set variants, each run by a child `tinysim bench` process that records its run in the
 * results store (N at once with -j N). Layer: bench/ (prints, exits via the caller).
 *
 * Suite file (JSON object):
 *   "name"        string, recorded as each run's `suite` (required)
 *   "description" string (optional)
 *   "models"      array of .tflite paths, relative to --models-dir (default ../shared/models)
 *   "generate"    array of {"arch": ARCH, "seed": N} (seed defaults to 1): models written by
 *                 `tinysim gen` into a temporary folder, removed afterwards; at least one of
 *                 models/generate
 *   "targets"     "all" (every targets/NAME.json) or an array of target names
 *   "kernels"     array of "ref" | "simd" | "auto" (default ["auto"]); "simd" is skipped on a
 *                 target without the DSP extension (it would run the ref kernels again)
 *   "sets"        array of arrays of "KEY=VALUE" overrides (default [[]]: no override)
 * A model that does not fit a target is reported as "no fit" and is not a failure; any other
 * failed run makes the suite exit 1 after the rest ran. */
#ifndef TS_SUITE_H
#define TS_SUITE_H

#include <stdbool.h>

typedef struct suite_opts {
    const char *file;
    const char *models_dir; /* NULL: TS_SHARED_DIR/models */
    const char *db;         /* resolved database path; NULL with no_db */
    bool no_db;
    const char *const *tags;
    int n_tags;
    unsigned jobs;          /* >= 1 */
} suite_opts;

/* Runs the suite; returns the exit status (0 all ran or did not fit, 1 a run failed, 2 bad
 * suite file or usage). */
int suite_run(const suite_opts *o);

#endif
