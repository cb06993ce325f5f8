/* runner.h: what `tinysim bench` and `tinysim compare` share to run one model on one target:
 * loading a target with its --set overrides, the documented default input, one engine run with
 * its outputs read back, the first differing output byte of two runs, and the traffic of a run
 * summed by memory level (region kind). Layer: bench/ (prints its one error line via cli.h;
 * no tables here: each command prints its own).
 *
 * Default input (no --input): tio_default_input (tensor_io.h), xorshift32 seed 1, the same as
 * `tinysim run`. */
#ifndef TS_RUNNER_H
#define TS_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "tensor_io.h"

#define RUNNER_MAX_LEVELS 16 /* distinct region kinds a target may use */
#define RUNNER_MAX_SETS 32   /* --set overrides of one run */

/* Resolves and loads target `name` (a name or FILE.json) into t, then applies the n_sets
 * (<= RUNNER_MAX_SETS) "KEY=VALUE" overrides in order and checks the result once
 * (ts_target_set_many). cmd ("bench") prefixes the message of a malformed override. A bare
 * name with no file gets "NAME: no such target in DIR (expected one of ...)". Statuses as
 * ts_target_load and ts_target_set, TS_ERR_USAGE. */
ts_status runner_load_target(const char *name, const char *const *sets, int n_sets,
                             const char *cmd, ts_target *t, ts_err *err);

/* Applies the n_sets "KEY=VALUE" overrides to t in order (ts_target_set); on error t has the
 * overrides before the failing one. Statuses as ts_target_set, TS_ERR_USAGE. */
ts_status runner_apply_sets(ts_target *t, const char *const *sets, int n_sets, const char *cmd,
                            ts_err *err);

/* The kernel variant of --kernels auto: simd on a core with the DSP extension, else ref, as a
 * deployment would choose. */
ts_kernels runner_kernels_auto(const ts_target *t);

/* --invocations N of bench and compare: a bound on simulation time */
#define RUNNER_MAX_INVOCATIONS 100000u

/* One engine run: inputs set, run, outputs read back (outs[i]: output i's bytes). */
typedef struct runner_run {
    ts_engine *e;
    uint8_t **outs;
    int n_out;
    uint32_t invocations; /* set by the caller: ts_engine_run_n's count (0 = 1) */
} runner_run;

/* Runs the opened engine r->e (taken over: runner_close closes it) r->invocations times in a
 * row (ts_engine_run_n: state carried, the same inputs each time, or the next frame of an
 * --input file holding one frame per invocation) on the --input files of io, or on the default input (header) when there are none; outputs are the last
 * invocation's; `model` names the model file in messages. Returns the exit status (messages
 * printed). */
int runner_run_engine(runner_run *r, const ts_model *m, const char *model, const tio_args *io);

void runner_close(runner_run *r); /* closes the engine, frees the outputs; zeroes r */

/* True when outputs of a and b (same model) differ; *out and *byte get the first difference. */
bool runner_outputs_differ(const runner_run *a, const runner_run *b, int *out, size_t *byte);

/* Traffic summed over the regions of each kind (the memory level: flash, sram, tcm...). */
typedef struct runner_levels {
    unsigned n;                             /* levels present in the target */
    int kind[RUNNER_MAX_LEVELS];            /* ts_mem_kind of level i, ascending */
    unsigned n_regions[RUNNER_MAX_LEVELS];  /* regions summed into level i */
    ts_mem_counters sum[RUNNER_MAX_LEVELS]; /* counters of level i (caches: summed too) */
} runner_levels;

/* Sums c's region counters (regions of t, in order) by region kind. Kinds beyond
 * RUNNER_MAX_LEVELS distinct ones are not possible with today's kinds (asserted). */
void runner_sum_levels(const ts_target *t, const ts_unit_cost *c, runner_levels *out);

/* Adds kind to lv's ascending kind list (with zero counters) unless present; returns its
 * index. At most RUNNER_MAX_LEVELS kinds (asserted). */
unsigned runner_level_add(runner_levels *lv, int kind);

/* Index of `kind` in lv, or -1. */
int runner_level_index(const runner_levels *lv, int kind);

#endif
