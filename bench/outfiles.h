/* outfiles.h: the CLI's output files, written all or nothing. Each file is staged as
 * PATH.tmp-XXXXXX; outfiles_commit renames every staged file into place, and on any failure
 * (or outfiles_abort) every file not yet renamed is removed, so a failed command leaves
 * nothing half-written. Layer: bench/ (prints its one error line via cli.h). */
#ifndef TS_OUTFILES_H
#define TS_OUTFILES_H

#include <stddef.h>

#define OUTFILES_MAX 16
#define OUTFILES_PATH_BYTES 4096

typedef struct outfiles {
    int n;
    const char *path[OUTFILES_MAX];                 /* borrowed */
    char tmp[OUTFILES_MAX][OUTFILES_PATH_BYTES];    /* "" once renamed or removed */
} outfiles;

/* Stages head (n_head bytes, may be 0) then data as the next file for path. Returns the
 * exit status (0, or 2 after printing "tinysim: PATH: ..."); on failure nothing of this file
 * is left, earlier staged files stay staged. */
int outfiles_stage(outfiles *s, const char *path, const void *head, size_t n_head,
                   const void *data, size_t n_data);

/* Renames every staged file into place; removes the rest after the first failure. */
int outfiles_commit(outfiles *s);

/* Removes every staged file not yet renamed. */
void outfiles_abort(outfiles *s);

#endif
