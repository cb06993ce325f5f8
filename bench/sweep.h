/* sweep.h: the points of a design-space sweep (`tinysim sweep SPEC.json`): the spec file,
 * its validation, and the expansion into points with stable ids. Layer: bench/ (prints its
 * error lines; never exits; nothing here runs a simulation or opens the store).
 *
 * Spec file (JSON object): the members of batch.h (models, generate, targets, kernels) and
 *   "name"        string, recorded as each run's `suite` (default: the file name without
 *                 directory and .json)
 *   "description" string (optional)
 *   "grid"        {"KEY": [v1, v2, ...] | {"from": a, "to": b, "step": s}, ...}: --set
 *                 overrides (KEY as `tinysim targets --keys`, memory[N].x for region N); the
 *                 cartesian product of the values of every key (keys in name order, the last
 *                 one varying fastest; values in the order given; a range is a, a+s, ... up
 *                 to b, integers when a, b and s are)
 *   "points"      [{"KEY": v, ...}, ...]: override sets added after the grid's
 * Neither grid nor points: one point per model, target and kernel variant, without override.
 *
 * Points are expanded in the order model (models, then generate), target, kernel variant,
 * override set; "auto" kernels resolve per point (simd where the resolved target has the DSP
 * extension, else ref) and "simd" is skipped where it has not. A point's id is the SHA-256 (64
 * hex digits) of the text
 *     "tinysim sweep point v1\n" MODEL_SHA256 "\n" TARGET_SHA256 "\n" KERNELS "\n"
 * (MODEL_SHA256 of the model file, TARGET_SHA256 of the resolved target's canonical JSON, as
 * recorded with every run; KERNELS ref or simd), so it names what is simulated, not how the
 * spec spelt it: reordering the file's members, or reaching the same configuration through
 * another override, gives the same id, and a later point whose id repeats an earlier one's is
 * dropped (counted as a duplicate). The id does not include tinysim's version. */
#ifndef TS_SWEEP_H
#define TS_SWEEP_H

#include "batch.h"
#include "results.h"

#define SWEEP_MAX_SETS   100000 /* override sets x targets */
#define SWEEP_MAX_POINTS 200000
#define SWEEP_MAX_ERRORS 50     /* validation lines printed; then a count of the rest */

/* One override set: n "KEY=VALUE" strings, and them joined by spaces. */
typedef struct sweep_set {
    char **kv;
    int n;
    char *label;
} sweep_set;

typedef struct sweep_point {
    int model, target, set;      /* indices into the spec's models, targets, sets */
    const char *kernels;         /* "ref" | "simd" (static) */
    char id[TS_SHA256_HEX_BYTES];
} sweep_point;

typedef struct sweep {
    batch_spec spec;
    char name[128];
    sweep_set *sets;
    int n_sets;
    sweep_point *points;         /* in the stable order, duplicates dropped */
    int n_points, n_duplicates;
    char model_sha[BATCH_AXIS_MAX][TS_SHA256_HEX_BYTES];
} sweep;

/* Reads and validates the spec (every key against the target key table, every value on
 * every target, every combination, every model) and expands the points. Prints one line per
 * error ("tinysim: SPEC.json: grid.KEY[i]: target T: problem") and returns 2 on bad input, 0
 * otherwise; sweep_free must be called either way. */
int sweep_load(sweep *s, const char *file, const char *models_dir);
void sweep_free(sweep *s); /* removes generated models */

/* Point p's target with its overrides applied, into *t (the spec validated it: TS_OK). */
ts_status sweep_point_target(const sweep *s, const sweep_point *p, ts_target *t, ts_err *err);

/* Point `index` (in the stable order) belongs to shard i of n (0 <= i < n): index modulo n
 * is i. The shards of one sweep partition its points, each keeping their order. */
static inline bool sweep_in_shard(int index, int i, int n)
{
    return index % n == i;
}

#endif
