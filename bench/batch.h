/* batch.h: what `bench --suite` and `sweep` share: the common members of their JSON files
 * (models, generate, targets, kernels) and the runner that executes a list of child
 * `tinysim bench --json` processes, N at once, with progress on a terminal, one line per
 * finished run otherwise, and a summary. Layer: bench/ (prints; never exits).
 *
 * Common members of a suite or sweep file (JSON object):
 *   "models"    array of .tflite paths, relative to --models-dir (default ../shared/models)
 *   "generate"  array of {"arch": ARCH, "seed": N} (seed defaults to 1): models written by
 *               `tinysim gen` into a temporary folder, removed by batch_spec_free; at least one
 *               of models/generate
 *   "targets"   "all" (every targets/NAME.json) or an array of target names
 *   "kernels"   array of "ref" | "simd" | "auto" (default ["auto"]); "simd" is skipped on a
 *               target without the DSP extension (it would run the ref kernels again)
 * Every model is loaded once (a file that is not a readable model stops the batch before any
 * run) and every target is loaded once. */
#ifndef TS_BATCH_H
#define TS_BATCH_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "target/target.h"

#define BATCH_AXIS_MAX 64 /* entries per axis */
#define BATCH_ARGV_MAX 160
#define BATCH_MODELS_DIR "../shared/models" /* --models-dir default, from the working folder */

typedef struct batch_spec {
    const char *file;                 /* the JSON file, for messages */
    cJSON *doc;                       /* its document, owned */
    char *models[BATCH_AXIS_MAX];     /* paths, malloc'ed */
    int n_models;
    char *targets[BATCH_AXIS_MAX];    /* names, malloc'ed */
    ts_target *loaded;                /* n_targets loaded targets, malloc'ed */
    int n_targets;
    const char *kernels[BATCH_AXIS_MAX]; /* "ref" | "simd" | "auto", in doc */
    int n_kernels;
    char gen_dir[64];                 /* temporary folder of generated models, "" when none */
} batch_spec;

/* Reads file into s->doc (a JSON object; members outside `known`, a NULL-terminated list,
 * are rejected so that a misspelt member is not silently ignored); then the kernels, the
 * models (generated ones too) and the targets. Prints one error line and returns 2 on bad
 * input, 0 otherwise; batch_spec_free must be called either way. */
int batch_spec_load(batch_spec *s, const char *file, const char *models_dir,
                    const char *const *known);
void batch_spec_free(batch_spec *s); /* removes generated models; zeroes s */

/* Prints "tinysim: FILE: WHERE: WHAT" and returns 2. */
int batch_bad(const batch_spec *s, const char *where, const char *what);

/* Fills the strings of array member `key` of s->doc into out[] (borrowed from the document);
 * at most BATCH_AXIS_MAX. Returns 0, or 2 after printing the error. */
int batch_string_list(const batch_spec *s, const char *key, const char **out, int *n);

/* Kernel variant k on target t is run: "simd" only on a core with the DSP extension. */
bool batch_kernels_apply(const batch_spec *s, int k, int t);

/* "dir/kws.tflite" -> "kws" into buf. */
void batch_model_label(const char *path, char *buf, size_t cap);

/* ---- running ---- */

/* CANCELLED: stopped by an interruption (not a failure of the run) */
enum { BATCH_PENDING, BATCH_RUNNING, BATCH_OK, BATCH_NOFIT, BATCH_FAIL, BATCH_CANCELLED };

/* One child `tinysim bench --json` run. The caller fills the first block (borrowed strings
 * that outlive batch_run); the runner the rest. */
typedef struct batch_job {
    int ref;                    /* the caller's index of what this job runs */
    const char *model;          /* model path (also cut from the front of error lines) */
    const char *target, *kernels;
    const char *detail;         /* after the kernels in a finished line ("set#1"); may be "" */
    const char *column;         /* the summary's variant column (cut to its width); may be "" */
    int state;                  /* BATCH_* */
    pid_t pid;
    FILE *out, *err;
    double start_s, wall_s;
    double cycles, ms;          /* from the child's report */
    char id[16], msg[320];      /* run id (12 digits), error line of a failed run */
} batch_job;

typedef struct batch_opts {
    unsigned jobs;              /* at once, >= 1 */
    const char *title;          /* summary header: "suite NAME" */
    const char *column_head;    /* header of the variant column ("set") */
    int column_width;
    bool failures_only;         /* summary lists only the failed runs (not ok, not "no fit") */
    /* argv of job j's child (argv[0] "tinysim", NULL-terminated, at most BATCH_ARGV_MAX);
     * strings borrowed until the child started */
    void (*argv_of)(const batch_job *j, const char **argv, void *ctx);
    /* called once per finished job (may be NULL), before its line is printed */
    void (*finished)(batch_job *j, void *ctx);
    void *ctx;
} batch_opts;

/* Runs every job, at most o->jobs at once; prints one line per finished job and the summary.
 * Returns the number of failed jobs. SIGINT or SIGTERM (Ctrl-C) stops it cleanly: no job
 * starts any more, the running children get SIGTERM and are waited for (those that finish
 * anyway count as usual, the others are cancelled), and the summary says how many did not
 * run; batch_interrupted() then returns the signal. */
int batch_run(batch_job *jobs, int n, const batch_opts *o);

/* The signal that stopped the last batch_run, or 0. */
int batch_interrupted(void);

/* Seconds of a monotonic clock. */
double batch_now_s(void);

/* Starts `tinysim ARGV...` (this executable) with stdout and stderr to the given files;
 * -1 on failure. */
pid_t batch_spawn(const char *const *argv, FILE *out, FILE *err);

/* Starts program argv[0] (searched in PATH) the same way; when it cannot be executed the
 * child exits with BATCH_EXEC_FAILED after writing strerror(errno) on its stderr. */
#define BATCH_EXEC_FAILED 127
pid_t batch_spawn_program(const char *const *argv, FILE *out, FILE *err);

/* The whole content of f (from its start), NUL-terminated; caller frees. NULL when out of
 * memory. */
char *batch_slurp(FILE *f);

#endif
