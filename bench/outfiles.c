/* outfiles.c: all-or-nothing output files of the CLI that never destroy what is at the path
 * (see outfiles.h for the rules). Layer: bench/. No other file of bench/ renames over a
 * user's path. */
#define _POSIX_C_SOURCE 200809L
#include "outfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Symbolic links followed before giving up with ELOOP: Linux's limit (path_resolution(7)). */
#define MAX_LINK_HOPS 40

typedef enum of_kind {
    OF_NEW,      /* nothing at the path: a new regular file */
    OF_REPLACE,  /* an existing regular file, replaced by rename */
    OF_IN_PLACE, /* a device, FIFO, socket or /proc magic link: opened and written */
    OF_STDOUT    /* "-" */
} of_kind;

typedef struct of_target {
    of_kind kind;
    char *target;   /* the path with symbolic links followed (malloc'd); NULL for OF_STDOUT */
    struct stat sb; /* OF_REPLACE: the file replaced */
} of_target;

/* Prints "tinysim: PATH: cannot write: WHY" and returns 2. */
static int cannot_write(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int cannot_write(const char *path, const char *fmt, ...)
{
    char why[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return cli_usage_error("%s: cannot write: %s", path, why);
}

/* Prints "tinysim: PATH: write error: REASON" and returns 1 (an I/O failure, not bad input). */
static int write_failed(const char *path, int e)
{
    fprintf(stderr, "tinysim: %s: write error: %s\n", path, strerror(e));
    return TS_EXIT_FAIL;
}

/* The folder part of path ("." when it has none) into dir (cap bytes). */
static void folder_of(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        snprintf(dir, cap, ".");
    else if (slash == path)
        snprintf(dir, cap, "/");
    else
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

/* Where link text `link` found at `from` points: absolute, or relative to from's folder.
 * Returns a malloc'd path, or NULL with errno set. */
static char *link_destination(const char *from, const char *link)
{
    const char *slash = strrchr(from, '/');
    size_t d = (link[0] != '/' && slash) ? (size_t)(slash - from) + 1 : 0;
    size_t n = strlen(link);
    char *p;

    if (d + n >= OUTFILES_PATH_BYTES) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    if (!(p = malloc(d + n + 1)))
        return NULL;
    memcpy(p, from, d);
    memcpy(p + d, link, n + 1);
    return p;
}

/* Follows the symbolic links of path's last component into *out (malloc'd; the final path,
 * which may not exist). A hop into /proc (e.g. /dev/stdout -> /proc/self/fd/1) stops the walk
 * and sets *magic: those links name open files, not paths to rename over. Returns 0 or an
 * errno value. */
static int follow_links(const char *path, char **out, int *magic)
{
    char link[OUTFILES_PATH_BYTES], *cur = strdup(path), *next;
    struct stat sb;
    ssize_t n;

    *out = NULL, *magic = 0;
    for (int hops = 0; cur; hops++) {
        if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode) || (*magic = !strncmp(cur, "/proc/", 6))) {
            *out = cur;
            return 0;
        }
        if (hops == MAX_LINK_HOPS || (n = readlink(cur, link, sizeof link - 1)) < 0) {
            int e = hops == MAX_LINK_HOPS ? ELOOP : errno;
            free(cur);
            return e;
        }
        link[n] = '\0';
        next = link_destination(cur, link);
        free(cur);
        cur = next;
    }
    return errno ? errno : ENOMEM;
}

/* The folder that will hold the new or replaced file must exist and be writable. */
static int check_folder(const char *path, const char *target)
{
    char dir[OUTFILES_PATH_BYTES];
    struct stat sb;

    folder_of(target, dir, sizeof dir);
    if (stat(dir, &sb) != 0)
        return cannot_write(path, "folder '%s': %s", dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return cannot_write(path, "folder '%s': %s", dir, strerror(ENOTDIR));
    if (access(dir, W_OK | X_OK) != 0)
        return cannot_write(path, "folder '%s': %s", dir, strerror(errno));
    return TS_EXIT_OK;
}

/* Classifies an existing file: folders refused, regular files replaced when writable (a write
 * bit set for someone, so that root too keeps off a 0444 file), anything else in place. */
static int check_existing(const char *path, of_target *t, const struct stat *sb)
{
    unsigned mode = (unsigned)sb->st_mode & 07777u;

    if (S_ISDIR(sb->st_mode))
        return cannot_write(path, "is a folder (expected a file name)");
    if (access(t->target, W_OK) != 0)
        return cannot_write(path, "%s (mode %04o)", strerror(errno), mode);
    if (!S_ISREG(sb->st_mode)) {
        t->kind = OF_IN_PLACE;
        return TS_EXIT_OK;
    }
    if ((sb->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0)
        return cannot_write(path, "read-only file (mode %04o; refused even for root)", mode);
    t->kind = OF_REPLACE;
    t->sb = *sb;
    return TS_EXIT_OK;
}

/* Decides how path is written (outfiles.h); t->target is set on success only. */
static int resolve(const char *path, of_target *t)
{
    struct stat sb;
    int magic, rc, e;

    memset(t, 0, sizeof *t);
    if (!strcmp(path, "-")) {
        t->kind = OF_STDOUT;
        return TS_EXIT_OK;
    }
    if (!path[0])
        return cli_usage_error("output file: empty name (expected a path, or - for stdout)");
    if (strlen(path) + 48 >= OUTFILES_PATH_BYTES)
        return cannot_write(path, "path too long (at most %d bytes)", OUTFILES_PATH_BYTES - 48);
    if ((e = follow_links(path, &t->target, &magic)) != 0)
        return cannot_write(path, "%s", strerror(e));
    if (stat(magic ? path : t->target, &sb) == 0) {
        rc = check_existing(path, t, &sb);
        if (rc == TS_EXIT_OK && magic)
            t->kind = OF_IN_PLACE;
        if (rc != TS_EXIT_OK || t->kind == OF_IN_PLACE)
            goto out;
        rc = check_folder(path, t->target);
    } else if (errno != ENOENT) {
        rc = cannot_write(path, "%s", strerror(errno));
    } else {
        t->kind = OF_NEW;
        rc = check_folder(path, t->target);
    }
out:
    if (rc != TS_EXIT_OK)
        free(t->target), t->target = NULL;
    return rc;
}

int outfiles_check(const char *path)
{
    of_target t;
    int rc = resolve(path, &t);

    free(t.target);
    return rc;
}

int outfiles_check_dir(const char *dir)
{
    char name[OUTFILES_PATH_BYTES];
    size_t n = strlen(dir);
    struct stat sb;

    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return cannot_write(dir, "%s", strerror(ENOTDIR));
        if (access(dir, W_OK | X_OK) != 0)
            return cannot_write(dir, "%s", strerror(errno));
        return TS_EXIT_OK;
    }
    if (errno != ENOENT)
        return cannot_write(dir, "%s", strerror(errno));
    if (n >= sizeof name)
        return cannot_write(dir, "%s", strerror(ENAMETOOLONG));
    memcpy(name, dir, n + 1);
    while (n > 1 && name[n - 1] == '/') /* "out/" names folder "out" of "." */
        name[--n] = '\0';
    return check_folder(dir, name);
}

/* ---- staging ---- */

/* Writes all of len bytes to fd; false with errno set on failure. */
static int write_all(int fd, const void *p, size_t len)
{
    const uint8_t *b = p;

    while (len > 0) {
        ssize_t n = write(fd, b, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? (errno = EIO, 0) : 0;
        b += n;
        len -= (size_t)n;
    }
    return 1;
}

/* Creates "<target>.tmp-<pid>-<k>" exclusively with mode 0666 less the umask, in the
 * target's folder so that rename() is atomic; returns the fd, or -1 with errno set. */
static int open_temp(const char *target, char *tmp, size_t cap)
{
    int fd = -1;

    for (int k = 0; k < 100; k++) {
        snprintf(tmp, cap, "%s.tmp-%ld-%d", target, (long)getpid(), k);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    return fd;
}

/* The replacement of an existing file keeps its mode, and its owner where permitted (an
 * ordinary user cannot give a file away: the replacement is then theirs, as with any atomic
 * save). Returns 0, or -1 with errno set. */
static int keep_owner_and_mode(int fd, const struct stat *sb)
{
    struct stat now;

    if (fstat(fd, &now) == 0 && (now.st_uid != sb->st_uid || now.st_gid != sb->st_gid) &&
        fchown(fd, sb->st_uid, sb->st_gid) != 0) {
        /* not permitted: keep ours */
    }
    return fchmod(fd, sb->st_mode & 07777);
}

/* Writes head and data to a new temporary file next to f->target (f->tmp). */
static int write_temp(outfile *f, const of_target *t, const void *head, size_t n_head,
                      const void *data, size_t n_data)
{
    size_t cap = strlen(f->target) + 48;
    int fd, ok, e;

    if (!(f->tmp = malloc(cap)))
        return write_failed(f->path, ENOMEM);
    if ((fd = open_temp(f->target, f->tmp, cap)) < 0) {
        e = errno;
        free(f->tmp), f->tmp = NULL;
        return cannot_write(f->path, "cannot create a temporary file beside it: %s", strerror(e));
    }
    ok = (t->kind != OF_REPLACE || keep_owner_and_mode(fd, &t->sb) == 0) &&
         write_all(fd, head, n_head) && write_all(fd, data, n_data) && fsync(fd) == 0;
    e = errno;
    if (close(fd) != 0 && ok)
        ok = 0, e = errno;
    if (ok)
        return TS_EXIT_OK;
    unlink(f->tmp);
    free(f->tmp), f->tmp = NULL;
    return write_failed(f->path, e);
}

/* Keeps a copy of head and data for a file written in place at commit. */
static int keep_bytes(outfile *f, const void *head, size_t n_head, const void *data,
                      size_t n_data)
{
    if (!(f->bytes = malloc(n_head + n_data + 1)))
        return write_failed(f->path, ENOMEM);
    if (n_head)
        memcpy(f->bytes, head, n_head);
    if (n_data)
        memcpy(f->bytes + n_head, data, n_data);
    f->n_bytes = n_head + n_data;
    return TS_EXIT_OK;
}

static void free_entry(outfile *f)
{
    if (f->tmp)
        unlink(f->tmp);
    free(f->tmp);
    free(f->target);
    free(f->bytes);
    memset(f, 0, sizeof *f);
}

int outfiles_stage(outfiles *s, const char *path, const void *head, size_t n_head,
                   const void *data, size_t n_data)
{
    of_target t;
    outfile *f;
    int rc;

    if (s->n >= OUTFILES_MAX)
        return cli_usage_error("%s: too many output files (at most %d)", path, OUTFILES_MAX);
    if ((rc = resolve(path, &t)) != TS_EXIT_OK)
        return rc;
    f = &s->f[s->n];
    memset(f, 0, sizeof *f);
    f->path = path;
    f->target = t.target;
    if (t.kind == OF_IN_PLACE || t.kind == OF_STDOUT) {
        f->in_place = t.kind == OF_STDOUT ? 2 : 1;
        rc = keep_bytes(f, head, n_head, data, n_data);
    } else {
        rc = write_temp(f, &t, head, n_head, data, n_data);
    }
    if (rc != TS_EXIT_OK) {
        free_entry(f);
        return rc;
    }
    s->n++;
    return TS_EXIT_OK;
}

/* ---- commit ---- */

/* Opens the device/FIFO (without creating or truncating it) and writes the bytes; standard
 * output gets them through stdio, whose errors main() reports. */
static int write_in_place(const outfile *f)
{
    int fd, e;

    if (f->in_place == 2)
        return fwrite(f->bytes, 1, f->n_bytes, stdout) == f->n_bytes ? TS_EXIT_OK : TS_EXIT_FAIL;
    if ((fd = open(f->path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
        return cannot_write(f->path, "%s", strerror(errno));
    if (!write_all(fd, f->bytes, f->n_bytes)) {
        e = errno;
        close(fd);
        return write_failed(f->path, e);
    }
    if (close(fd) != 0)
        return write_failed(f->path, errno);
    return TS_EXIT_OK;
}

int outfiles_commit(outfiles *s)
{
    int rc = TS_EXIT_OK;

    /* in-place writes first: they are the ones that fail (a full device), and until they have
     * succeeded no file has been replaced */
    for (int i = 0; i < s->n && rc == TS_EXIT_OK; i++)
        if (s->f[i].in_place)
            rc = write_in_place(&s->f[i]);
    for (int i = 0; i < s->n && rc == TS_EXIT_OK; i++) {
        outfile *f = &s->f[i];

        if (!f->tmp)
            continue;
        if (rename(f->tmp, f->target) != 0)
            rc = write_failed(f->path, errno);
        else
            free(f->tmp), f->tmp = NULL;
    }
    outfiles_abort(s);
    return rc;
}

void outfiles_abort(outfiles *s)
{
    for (int i = 0; i < s->n; i++)
        free_entry(&s->f[i]);
    s->n = 0;
}
