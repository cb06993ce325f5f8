/* results.h: the run record and the SQLite results store. Layer: results/ (depends on sqlite3
 * only, never on sim/). Never prints or exits.
 *
 * A run record (ts_res_run) is plain data: provenance strings (run_fields.def), user tags,
 * --set overrides, per-layer attributes (op, unit, kernels) and metrics. Metrics are tall rows
 * (layer, name, value): layer -1 is the whole run; names are dotted ("cycles",
 * "region.flash.read_bytes", "memory.arena_bytes", "energy.core_uj"), so a new metric needs no
 * new code or column. The record owns every string in it (malloc'd); ts_res_run_free frees.
 *
 * The store: one SQLite file, schema in schema.sql (PRAGMA user_version, numbered forward
 * migrations applied on open, PRAGMA application_id TS_RES_APPLICATION_ID), WAL journal, busy
 * timeout and retry, one transaction per run, so a crash leaves no partial run and concurrent
 * writers lose nothing. Errors come back as a ts_res_err whose message is one line
 * "PATH: what (expected/actual)". */
#ifndef TS_RESULTS_H
#define TS_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TS_SHA256_HEX_BYTES 65        /* 64 hex digits + NUL */
#define TS_RES_ID_BYTES TS_SHA256_HEX_BYTES
#define TS_RES_ERR_BYTES 1024
#define TS_RES_APPLICATION_ID 0x54534d52 /* "TSMR" in PRAGMA application_id */
#define TS_RES_RUN_LAYER -1             /* metric layer of the whole run */

/* ---- SHA-256 (FIPS 180-4) ---- */
typedef struct ts_sha256 {
    uint32_t h[8];
    uint64_t n_bytes;
    uint8_t block[64];
} ts_sha256;

void ts_sha256_init(ts_sha256 *s);
void ts_sha256_update(ts_sha256 *s, const void *data, size_t n);
/* Finishes s and writes the digest as 64 lowercase hex digits + NUL. */
void ts_sha256_hex(ts_sha256 *s, char out[TS_SHA256_HEX_BYTES]);
void ts_sha256_of(const void *data, size_t n, char out[TS_SHA256_HEX_BYTES]);

/* ---- errors ---- */
typedef enum ts_res_status {
    TS_RES_OK,
    TS_RES_NOMEM,
    TS_RES_OPEN,      /* cannot open or create the file (missing directory, read-only) */
    TS_RES_NOTDB,     /* not a tinysim results database (corrupt, or another program's) */
    TS_RES_NEWER,     /* schema version newer than this build knows */
    TS_RES_WRITE,     /* write failed: disk full, I/O error, read-only database */
    TS_RES_BUSY,      /* still locked by other writers after the timeout and retries */
    TS_RES_NOTFOUND,  /* no run matches */
    TS_RES_AMBIGUOUS, /* a run id prefix matches several runs */
    TS_RES_BAD_RECORD /* a record misses its id or a required field */
} ts_res_status;

typedef struct ts_res_err {
    ts_res_status code;
    char msg[TS_RES_ERR_BYTES];
} ts_res_err;

/* ---- the run record ---- */
typedef enum ts_res_field {
#define RUN_FIELD(name, meaning) TS_RES_F_##name,
#include "run_fields.def"
#undef RUN_FIELD
    TS_RES_N_FIELDS
} ts_res_field;

typedef struct ts_res_kv {
    char *key, *value;
} ts_res_kv;

typedef struct ts_res_layer {
    int32_t index;  /* op index in the model */
    char *op;       /* "CONV_2D" */
    char *unit;     /* execution unit: "cpu" */
    char *kernels;  /* kernel variant that ran the layer */
} ts_res_layer;

typedef struct ts_res_metric {
    int32_t layer;  /* TS_RES_RUN_LAYER (-1), or a layer's index */
    char *name;     /* dotted name, unit in the last component where it has one */
    double value;
} ts_res_metric;

typedef struct ts_res_run {
    char id[TS_RES_ID_BYTES]; /* "" until ts_res_run_make_id */
    char *field[TS_RES_N_FIELDS]; /* NULL = unknown */
    char **tags;
    size_t n_tags;
    ts_res_kv *overrides;        /* --set KEY=VALUE, in command-line order */
    size_t n_overrides;
    ts_res_layer *layers;
    size_t n_layers;
    ts_res_metric *metrics;
    size_t n_metrics;
} ts_res_run;

/* Name and meaning of a provenance field; NULL when out of range. */
const char *ts_res_field_name(ts_res_field f);
const char *ts_res_field_meaning(ts_res_field f);

/* A new empty record (caller frees with ts_res_run_free), or NULL when out of memory. */
ts_res_run *ts_res_run_new(void);
void ts_res_run_free(ts_res_run *r); /* NULL-safe */

/* Setters copy their strings. Each returns false when out of memory (the record stays
 * valid). */
bool ts_res_run_set(ts_res_run *r, ts_res_field f, const char *value);
bool ts_res_run_add_tag(ts_res_run *r, const char *tag);
bool ts_res_run_add_override(ts_res_run *r, const char *key, const char *value);
bool ts_res_run_add_layer(ts_res_run *r, int32_t index, const char *op, const char *unit,
                          const char *kernels);
bool ts_res_run_add_metric(ts_res_run *r, int32_t layer, const char *name, double value);

/* Value of metric (layer, name); false when absent. */
bool ts_res_run_metric(const ts_res_run *r, int32_t layer, const char *name, double *value);

/* Sets r->id: SHA-256 over every provenance field, tag, override and `nonce` (the caller
 * passes something unique to this process and moment, e.g. pid and a counter), so two runs
 * never share an id and a merged copy keeps it. */
void ts_res_run_make_id(ts_res_run *r, const char *nonce);

/* ---- the store ---- */
typedef struct ts_results ts_results;

#define TS_RES_OPEN_READONLY 1u /* no creation, no migration, no writes */
#define TS_RES_OPEN_EXISTING 2u /* the file must exist (it is still migrated) */

/* The schema version this build writes (PRAGMA user_version after migrations). */
int ts_results_schema_version(void);

/* Opens (creating and migrating when needed) the store at path; ":memory:" is accepted.
 * [out] *out: the handle, NULL on failure. Statuses: OPEN, NOTDB, NEWER, WRITE (migration
 * failed), BUSY, NOMEM. */
ts_res_status ts_results_open(const char *path, unsigned flags, ts_results **out,
                              ts_res_err *err);
void ts_results_close(ts_results *db); /* NULL-safe */

/* Records one run in one transaction (retried while the database is locked). The run must
 * have an id. *added (may be NULL) is false when a run with that id already exists, which
 * is left unchanged. Statuses: WRITE, BUSY, BAD_RECORD, NOMEM. */
ts_res_status ts_results_add(ts_results *db, const ts_res_run *r, bool *added, ts_res_err *err);

/* Test hook: called inside the transaction of ts_results_add after `step` rows of the run
 * were inserted (step 1 = the runs row, then after the layers, then after half the metrics).
 * Lets tests kill a writer mid-transaction. NULL disables it. */
void ts_results_set_test_hook(ts_results *db, void (*hook)(int step, void *ctx), void *ctx);

/* Selection of runs; NULL members match everything. */
typedef struct ts_res_filter {
    const char *model;  /* model_name or model_path equal to this */
    const char *target; /* target name */
    const char *tag;    /* has this tag */
    const char *kernels;
    const char *id;     /* full run id */
    const char *suite;  /* suite (or sweep) name equal to this */
    bool swept;         /* only runs of a sweep (with a sweep_point) */
} ts_res_filter;

/* Calls fn for each matching run, oldest first, with the full record (borrowed for the call).
 * fn returns non-zero to stop; that value is returned in *stopped (may be NULL). */
ts_res_status ts_results_each(ts_results *db, const ts_res_filter *f,
                              int (*fn)(const ts_res_run *r, void *ctx), void *ctx, int *stopped,
                              ts_res_err *err);

/* As ts_results_each, but each record carries its id and provenance fields only (no tags,
 * overrides, layers or metrics): a quick pass over many runs (e.g. the points a sweep has
 * done). */
ts_res_status ts_results_each_head(ts_results *db, const ts_res_filter *f,
                                   int (*fn)(const ts_res_run *r, void *ctx), void *ctx,
                                   ts_res_err *err);

/* Resolves an id prefix (at least 4 hex digits) to the full id. NOTFOUND, AMBIGUOUS (the
 * message lists the count). */
ts_res_status ts_results_find(ts_results *db, const char *prefix, char id[TS_RES_ID_BYTES],
                              ts_res_err *err);

/* Loads run `id` (full id). [out] *out: caller frees with ts_res_run_free. */
ts_res_status ts_results_load(ts_results *db, const char *id, ts_res_run **out, ts_res_err *err);

/* Copies every run of the store at other_path (opened read-only, any older schema version)
 * that db lacks, in one transaction; runs already present (same id) are skipped. */
ts_res_status ts_results_merge(ts_results *db, const char *other_path, unsigned *added,
                               unsigned *skipped, ts_res_err *err);

/* Number of runs in the store. */
ts_res_status ts_results_count(ts_results *db, int64_t *n, ts_res_err *err);

/* SQLite library version string the store was built against. */
const char *ts_results_sqlite_version(void);

#endif
