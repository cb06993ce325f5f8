/* compare.h: the data of `tinysim compare` (cmd_compare.c runs the targets and computes it,
 * compare_print.c prints it as a text table, JSON or CSV). Layer: bench/. */
#ifndef TS_COMPARE_H
#define TS_COMPARE_H

#include <stdbool.h>

#include "runner.h"

#define CMP_MAX_TARGETS 8
#define CMP_MAX_SETS RUNNER_MAX_SETS
#define CMP_MAX_ROWS 64
#define CMP_KEY_BYTES 48
#define CMP_TARGETS_BYTES 1024 /* the --targets list, as given */

enum { CMP_RUN = 1, CMP_SAVE = 2, CMP_ARRAY = 4 };     /* row flags (compare_rows.def) */
/* CLOCK: a value in MHz printed by fmt_clock ("120 MHz", "1 kHz") in the text table */
typedef enum { CMP_FMT_COUNT, CMP_FMT_FIX2, CMP_FMT_FIX3, CMP_FMT_CLOCK } cmp_format;
typedef enum { CMP_SEC_TIME, CMP_SEC_MEM, CMP_SEC_ENERGY, CMP_SEC_FOOT, CMP_N_SEC } cmp_section;
#define CMP_KERNELS_AUTO TS_KERNELS_COUNT /* --kernels auto: simd where the core has DSP */

/* One figure: a compare_rows.def row, or the accesses or bytes of one memory level. */
typedef struct cmp_row {
    char key[CMP_KEY_BYTES];   /* JSON key, CSV column */
    char label[CMP_KEY_BYTES]; /* text table */
    const char *unit;
    int fmt;                   /* cmp_format */
    int sec;                   /* cmp_section */
    int flags;                 /* CMP_RUN, CMP_SAVE */
    int def;                   /* compare_rows.def row, or -1 for a level row */
    int kind;                  /* level rows: the region kind (ts_mem_kind) */
    bool level_bytes;          /* level rows: bytes rather than accesses */
} cmp_row;

typedef struct cmp_target {
    ts_target t;
    ts_kernels kernels;  /* variant requested for this target (auto resolved) */
    ts_engine_layout L;  /* from the run, else from ts_engine_footprint */
    bool fits;           /* holds the model: ran */
    runner_run run;      /* run.e NULL when it did not run */
    runner_levels lv;    /* traffic by level (kinds only, without a run) */
    double val[CMP_MAX_ROWS];
    bool has[CMP_MAX_ROWS];
} cmp_target;

typedef struct cmp_args {
    const char *model;
    char targets_buf[CMP_TARGETS_BYTES];
    const char *targets[CMP_MAX_TARGETS]; /* split --targets, into targets_buf */
    int n_targets;
    const char *sets[CMP_MAX_SETS];
    int n_sets;
    tio_args io;
    int kernels; /* ts_kernels, or CMP_KERNELS_AUTO */
    unsigned long long invocations; /* --invocations N (0: not given, 1) */
    bool per_layer, json, csv;
} cmp_args;

typedef struct cmp {
    cmp_args a;
    ts_model *m;
    cmp_target *tg; /* n of them, in --targets order; the first is the baseline */
    int n;
    cmp_row rows[CMP_MAX_ROWS];
    int n_rows;
} cmp;

/* Saving of target i against the first on row r, percent: 100 * (first - this) / first.
 * False when either has no value or the first is 0. */
bool cmp_saving(const cmp *c, int r, int i, double *pct);

/* The first target that ran (the reference for the outputs), or NULL. */
const cmp_target *cmp_first_run(const cmp *c);

/* Accesses and bytes (fetch + read + write) summed over the levels of lv. */
void cmp_level_totals(const runner_levels *lv, uint64_t *accesses, uint64_t *bytes);

/* The reports (compare_print.c). */
void cmp_print_text(const cmp *c);
/* error_rc != 0: the run failed (its line printed): the document gets an "error" member. */
void cmp_print_json(const cmp *c, int error_rc);
void cmp_print_csv(const cmp *c);

#endif
