/* file.c: one whole input file into memory (see file.h). Layer: sim/base. Never prints. */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"

/* Reads f to its end into *buf (grown by doubling, one byte kept for the terminating zero);
 * at most max + 1 bytes, so that a file over the limit is seen as such. */
static ts_status read_all(FILE *f, const char *path, size_t max, uint8_t **buf, size_t *n,
                          ts_err *err)
{
    size_t cap = 0, got;

    for (;;) {
        if (*n + 1 >= cap) {
            size_t want = cap ? cap * 2 : 64 * 1024;
            uint8_t *grown;
            if (want > max + 2)
                want = max + 2;
            if (!(grown = ts_realloc(*buf, want)))
                return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory reading the file", path);
            *buf = grown, cap = want;
        }
        errno = 0;
        got = fread(*buf + *n, 1, cap - 1 - *n, f);
        *n += got;
        if (got == 0 || *n > max)
            break;
    }
    if (ferror(f))
        return ts_err_set(err, TS_ERR_IO, "%s: read error (%s)", path,
                          strerror(errno ? errno : EIO));
    if (*n > max)
        return ts_err_set(err, TS_ERR_RANGE, "%s: file larger than %zu bytes", path, max);
    (*buf)[*n] = 0;
    return TS_OK;
}

ts_status ts_file_read(const char *path, size_t max_bytes, uint8_t **out, size_t *len,
                       ts_err *err)
{
    FILE *f;
    struct stat sb;
    uint8_t *buf = NULL;
    size_t n = 0;
    ts_status st;

    *out = NULL, *len = 0;
    if (!(f = fopen(path, "rb")))
        return ts_err_set(err, TS_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode))
        st = ts_err_set(err, TS_ERR_IO, "%s: is a directory (expected a file)", path);
    else
        st = read_all(f, path, max_bytes, &buf, &n, err);
    fclose(f);
    if (st != TS_OK) {
        ts_free(buf);
        return st;
    }
    *out = buf, *len = n;
    return TS_OK;
}

int ts_make_dirs(char *dir, size_t *failed_len)
{
    for (char *p = dir + 1;; p++) {
        char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            if (failed_len)
                *failed_len = (size_t)(p - dir);
            *p = c;
            errno = e;
            return -1;
        }
        *p = c;
        if (c == '\0')
            return 0;
    }
}

int ts_user_dir(ts_user_dir_kind kind, char *out, size_t cap)
{
    const char *xdg = getenv(kind == TS_USER_CACHE ? "XDG_CACHE_HOME" : "XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;

    if (xdg && *xdg)
        n = snprintf(out, cap, "%s/tinysim", xdg);
    else if (home && *home)
        n = snprintf(out, cap, "%s/%s/tinysim", home,
                     kind == TS_USER_CACHE ? ".cache" : ".local/share");
    else
        return -1;
    if (n < 0 || (size_t)n >= cap) {
        if (cap > 0)
            out[0] = '\0';
        return -2;
    }
    return 0;
}
