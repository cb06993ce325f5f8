/* outfiles.c: all-or-nothing output files of the CLI (see outfiles.h). Layer: bench/. */
#define _POSIX_C_SOURCE 200809L
#include "outfiles.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int outfiles_stage(outfiles *s, const char *path, const void *head, size_t n_head,
                   const void *data, size_t n_data)
{
    char *tmp;
    FILE *f;
    int fd, ok;

    if (s->n >= OUTFILES_MAX)
        return cli_usage_error("%s: too many output files (at most %d)", path, OUTFILES_MAX);
    if (strlen(path) + 16 > OUTFILES_PATH_BYTES)
        return cli_usage_error("%s: path too long", path);
    tmp = s->tmp[s->n];
    snprintf(tmp, OUTFILES_PATH_BYTES, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0 || !(f = fdopen(fd, "wb"))) {
        int e = errno;
        if (fd >= 0)
            close(fd), unlink(tmp);
        tmp[0] = '\0';
        return cli_usage_error("%s: cannot create: %s", path, strerror(e));
    }
    s->path[s->n++] = path;
    ok = (n_head == 0 || fwrite(head, 1, n_head, f) == n_head) &&
         (n_data == 0 || fwrite(data, 1, n_data, f) == n_data);
    ok = (fclose(f) == 0) && ok;
    return ok ? TS_EXIT_OK : cli_usage_error("%s: write error: %s", path, strerror(errno));
}

int outfiles_commit(outfiles *s)
{
    int rc = TS_EXIT_OK;

    for (int i = 0; i < s->n && rc == TS_EXIT_OK; i++) {
        if (rename(s->tmp[i], s->path[i]) != 0)
            rc = cli_usage_error("%s: cannot rename from %s: %s", s->path[i], s->tmp[i],
                                 strerror(errno));
        else
            s->tmp[i][0] = '\0';
    }
    outfiles_abort(s);
    return rc;
}

void outfiles_abort(outfiles *s)
{
    for (int i = 0; i < s->n; i++)
        if (s->tmp[i][0])
            unlink(s->tmp[i]), s->tmp[i][0] = '\0';
}
