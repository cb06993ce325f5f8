/* sweep_test.h: helpers of the sweep tests: a temporary folder with a spec and a store, the
 * sweep command run on them, and the points of a --dry-run listing. */
#ifndef TS_TEST_SWEEP_H
#define TS_TEST_SWEEP_H

#include <stdbool.h>

#define SWEEP_TEST_MAX_POINTS 64

typedef struct sweep_dir {
    char dir[64], spec[96], db[96];
} sweep_dir;

/* A new folder with spec.json = spec_text; the store is dir/s.db (not created). */
void sweep_dir_open(sweep_dir *d, const char *spec_text);
void sweep_dir_spec(sweep_dir *d, const char *spec_text); /* rewrites spec.json */
void sweep_dir_close(sweep_dir *d);                         /* removes the folder */

/* `tinysim sweep SPEC --db DB ARGS...` (NULL-terminated ARGS). */
cli_result sweep_cli(const sweep_dir *d, ...);

void sweep_sql(const sweep_dir *d, const char *sql);        /* runs sql on the store */
long long sweep_count(const sweep_dir *d, const char *sql); /* one integer of a SELECT */
bool sweep_db_exists(const sweep_dir *d);

/* The rows of a --dry-run listing, in order. */
typedef struct point_list {
    int n;
    char id[SWEEP_TEST_MAX_POINTS][13];
    char target[SWEEP_TEST_MAX_POINTS][32], kernels[SWEEP_TEST_MAX_POINTS][8];
    char overrides[SWEEP_TEST_MAX_POINTS][160];
} point_list;

void parse_points(const char *out, point_list *p);

/* `sweep --dry-run [--shard SHARD]` (shard may be NULL), asserted to succeed, its rows in p;
 * the caller frees the result. */
cli_result dry_run(const sweep_dir *d, const char *shard, point_list *p);

/* `tinysim sweep SPEC --db DB -j 1` started in the background, sent SIGINT delay_ms after
 * its header line (the points are running) and waited for; its exit status and stderr (malloc'd) are returned. */
cli_result sweep_interrupted(const sweep_dir *d, long delay_ms);

/* Skips the test visibly unless the cortex-m4 kernel firmware is built. */
void sweep_need_firmware(void);

#endif
