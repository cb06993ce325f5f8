/* sweep_slurm.h: a sweep on a Slurm cluster (`tinysim sweep SPEC --slurm | --emit-sbatch FILE
 * | --collect`): the batch scripts, their submission with sbatch, and the merge of the shard
 * databases into the user's store. Layer: bench/ (prints its lines; never exits).
 *
 * One submission writes into the shard folder (--shard-dir, default STORE.shards/NAME; it
 * must be on a file system that every node sees), H being the first 12 hex digits of the
 * SHA-256 of the points list:
 *   points-H.txt      the ids of the points the store lacked at submission, one per line
 *                     after '#' comment lines: the tasks run exactly these, so a rerun after
 *                     a cancelled task or a failed point runs only what is missing
 *   array-H.sbatch    the array job: task I of T runs `tinysim sweep SPEC --shard
 *                     env:SLURM_ARRAY_TASK_ID/T --only-points points-H.txt --db
 *                     shard-JOB_I.db -j C` (C: the sweep's -j, its --cpus-per-task, default 1)
 *   collect-H.sbatch  the job that runs `tinysim sweep SPEC --collect` once the array has
 *                     ended, however its tasks ended (--dependency=afterany)
 *   shard-JOB_I.db    task I's own store: written by that task only, so no SQLite file is
 *                     shared between nodes; kept after the merge (a merge again skips what
 *                     the store has), read as done points by the next submission
 *   slurm-JOB_I.out   each task's output; slurm-JOB-collect.out the collect job's
 * Paths in the scripts are absolute (the spec, the store, --models-dir, this executable); the
 * jobs start in the submission's working folder. */
#ifndef TS_SWEEP_SLURM_H
#define TS_SWEEP_SLURM_H

#include "results.h"
#include "sweep.h"

#define SLURM_ARRAY_MAX_DEFAULT 100
#define SLURM_PATH_BYTES 4096

typedef struct slurm_opts {
    const char *spec;           /* the spec file as given */
    const char *db;             /* the store's path as given or defaulted */
    const char *models_dir;     /* --models-dir, or NULL */
    const char *shard_dir;      /* the shard folder (slurm_shard_dir) */
    const char *partition;      /* --partition, or NULL */
    const char *time;           /* --time, or NULL */
    const char *emit;           /* --emit-sbatch FILE, or NULL: submit */
    const char *const *tags;
    int n_tags;
    unsigned cpus;              /* per task: the sweep's -j */
    int array_max;              /* at most this many array tasks */
} slurm_opts;

/* The shard folder: `opt` when given, else DB.shards/NAME (NAME: the sweep's name with
 * characters other than letters, digits, '.', '_' and '-' replaced by '_'). Returns 0, or 2
 * after printing the error. */
int slurm_shard_dir(const sweep *s, const char *opt, const char *db, char *buf, size_t cap);

/* The shard databases (shard-*.db) of dir, sorted by name, into *paths (malloc'ed array of
 * malloc'ed "dir/shard-...db"; the caller frees with slurm_free_paths). A folder that does not
 * exist has none. Returns 0, or 1 after printing the error. */
int slurm_shard_files(const char *dir, char ***paths, int *n);
void slurm_free_paths(char **paths, int n);

/* Writes the points list and the two scripts of the n points todo[] (indices into s->points)
 * and submits them (or, with o->emit, writes the scripts to o->emit and o->emit.collect and
 * prints how to submit them). Returns the exit status: 0, 1 when sbatch failed (its last
 * error line printed), 2 for bad input. */
int slurm_submit(const sweep *s, const slurm_opts *o, const int *todo, int n);

/* Merges every shard database of dir into db (`results merge` of each); prints one line per
 * file. A file that cannot be merged is reported and the others are still merged. Returns
 * the exit status: 0, 1 when one could not be merged, 2 when dir has no shard database. */
int slurm_collect(const char *dir, ts_results *db);

#endif
