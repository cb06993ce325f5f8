/* outfiles.h: the CLI's output files, written all or nothing and without destroying what is
 * at the path. Layer: bench/ (prints its one error line via cli.h).
 *
 * What is at the path decides how it is written (a symbolic link is followed first, however
 * many hops, and stays a link: its target is what gets written):
 *   nothing         a new regular file, created with mode 0666 less the umask (as open(2)
 *                   with O_CREAT would give), staged as TARGET.tmp-PID-K in the same folder
 *                   and renamed into place by outfiles_commit;
 *   a regular file  replaced the same way, keeping its mode (and owner when permitted);
 *   a device, FIFO  written in place at commit (opened for writing, no O_CREAT or O_TRUNC),
 *   or socket       never renamed over;
 *   "-"             standard output, written at commit (main() reports write errors on it);
 *   a folder        refused.
 * A file the user may not write is refused, never replaced: access(W_OK) must succeed and,
 * since access() always succeeds for root, the file must have a write permission bit set for
 * someone (a 0444 file is refused for root too). The folder of a new or replaced file must
 * exist and be writable.
 *
 * Exit statuses: 2 for a path that cannot be written (missing or read-only folder, read-only
 * file, a folder), 1 for an I/O failure while writing (e.g. "No space left on device").
 * Commands check their output paths with outfiles_check before any long work, so a bad path
 * fails at once rather than after the simulation. */
#ifndef TS_OUTFILES_H
#define TS_OUTFILES_H

#include <stddef.h>
#include <stdint.h>

#define OUTFILES_MAX 16
#define OUTFILES_PATH_BYTES 4096 /* longest path accepted, NUL included */

typedef struct outfile {
    const char *path; /* as given, for messages (borrowed) */
    char *target;     /* path with symbolic links followed (owned) */
    char *tmp;        /* the staged temporary file; NULL once renamed or removed (owned) */
    uint8_t *bytes;   /* written in place: the bytes, written at commit (owned) */
    size_t n_bytes;
    int in_place;     /* 1: device/FIFO/socket, 2: standard output ("-"), 0: tmp + rename */
} outfile;

typedef struct outfiles {
    int n;
    outfile f[OUTFILES_MAX];
} outfiles;

/* Checks that path can be written as described above (nothing is created). Returns the exit
 * status: 0, or 2 after printing "tinysim: PATH: cannot write: ...". */
int outfiles_check(const char *path);

/* Checks that dir can receive output files: an existing writable folder, or a name whose
 * parent folder exists and is writable (the caller creates it). Same statuses. */
int outfiles_check_dir(const char *dir);

/* Stages head (n_head bytes, may be 0) then data as the next file for path (borrowed until
 * commit or abort). Returns the exit status (0, or 1/2 after printing the error line); on
 * failure nothing of this file is left and earlier staged files stay staged. */
int outfiles_stage(outfiles *s, const char *path, const void *head, size_t n_head,
                   const void *data, size_t n_data);

/* Writes the in-place files, then renames every staged file into place; after the first
 * failure removes the rest. Frees everything; s is empty afterwards. */
int outfiles_commit(outfiles *s);

/* Removes every staged file not yet renamed and frees everything; s is empty afterwards. */
void outfiles_abort(outfiles *s);

#endif
