/* cmd_gen.c: `tinysim gen ARCH [--seed N] [-o OUT.tflite|-]` and `tinysim gen --list`.
 * Layer: bench/ (prints, exits). Models come from sim/gen; this file only parses arguments
 * and writes the bytes atomically: a temporary file in the output's directory, renamed over
 * OUT once complete, so on any error nothing (not even a partial file) is left behind.
 * Defaults: seed 1; OUT = ARCH.tflite with every character outside [A-Za-z0-9._-] as '_'. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sim/base/alloc.h"
#include "../sim/gen/gen.h"
#include "cli.h"

#define DEFAULT_SEED 1u

typedef struct gen_args {
    const char *arch; /* spec, e.g. "ds_cnn" or "conv:8,8,3,16,3,3" */
    const char *out;  /* path, "-" for stdout, NULL for the default name */
    uint32_t seed;
    bool list;
    bool help;
} gen_args;

/* Parses argv (argv[0] = "gen"); returns 0, or the exit status after printing the error. */
static int parse_args(int argc, char **argv, gen_args *a)
{
    unsigned long long v;

    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];

        if (strcmp(s, "--list") == 0) {
            a->list = true;
        } else if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            a->help = true;
        } else if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) {
            if (i + 1 == argc)
                return cli_usage_error("gen: %s needs a file name", s);
            a->out = argv[++i];
        } else if (strcmp(s, "--seed") == 0) {
            if (i + 1 == argc || cli_parse_u64(argv[i + 1], &v) != 0 || v > UINT32_MAX)
                return cli_usage_error("gen: --seed: expected an integer in [0, 4294967295] "
                                       "(got \"%s\")", i + 1 < argc ? argv[i + 1] : "");
            a->seed = (uint32_t)v;
            i++;
        } else if (s[0] == '-' && s[1] != '\0') {
            return cli_usage_error("gen: unknown option '%s' (see 'tinysim gen --help')", s);
        } else if (a->arch) {
            return cli_usage_error("gen: unexpected argument '%s' after ARCH '%s'", s, a->arch);
        } else {
            a->arch = s;
        }
    }
    if (!a->help && !a->list && !a->arch)
        return cli_usage_error("gen: missing ARCH (see 'tinysim gen --list')");
    if (a->list && (a->arch || a->out))
        return cli_usage_error("gen: --list takes no ARCH or -o");
    return 0;
}

static int list_archs(void)
{
    printf("%-42s %10s  %s\n", "ARCH", "MACS", "DESCRIPTION");
    for (int32_t i = 0; i < ts_gen_n_archs(); i++) {
        const ts_gen_arch *a = ts_gen_arch_at(i);

        if (a->macs)
            printf("%-42s %10llu  %s\n", a->usage, (unsigned long long)a->macs, a->help);
        else
            printf("%-42s %10s  %s\n", a->usage, "-", a->help);
    }
    return TS_EXIT_OK;
}

/* "ARCH.tflite" with unsafe characters as '_'; caller frees. NULL when out of memory. */
static char *default_name(const char *arch)
{
    size_t n = strlen(arch);
    char *p = malloc(n + sizeof ".tflite");

    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = arch[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';

        p[i] = ok ? c : '_';
    }
    memcpy(p + n, ".tflite", sizeof ".tflite");
    return p;
}

/* Writes all of bytes to fd; false with errno set on failure. */
static bool write_all(int fd, const uint8_t *bytes, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, bytes, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes += n;
        len -= (size_t)n;
    }
    return true;
}

/* Creates "<path>.tmp-<pid>-<k>" exclusively (same directory as path, so rename is atomic);
 * returns the fd, or -1 with errno set. */
static int open_temp(const char *path, char *tmp, size_t size)
{
    int fd = -1;

    for (int k = 0; k < 100; k++) {
        snprintf(tmp, size, "%s.tmp-%ld-%d", path, (long)getpid(), k);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    return fd;
}

/* Writes bytes to path through a temporary file and rename(); nothing is left on failure. */
static ts_status write_atomic(const char *path, const uint8_t *bytes, size_t len, ts_err *err)
{
    size_t size = strlen(path) + 48;
    char *tmp = malloc(size);
    int fd, saved;

    if (!tmp)
        return ts_err_set(err, TS_ERR_NOMEM, "gen: out of memory");
    fd = open_temp(path, tmp, size);
    if (fd < 0) {
        ts_err_set(err, TS_ERR_IO, "gen: %s: cannot create a temporary file: %s", path,
                   strerror(errno));
        free(tmp);
        return TS_ERR_IO;
    }
    if (!write_all(fd, bytes, len) || fsync(fd) != 0) {
        saved = errno;
        close(fd);
        goto out_unlink_tmp;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        saved = errno;
        goto out_unlink_tmp;
    }
    free(tmp);
    return TS_OK;

out_unlink_tmp:
    unlink(tmp);
    free(tmp);
    return ts_err_set(err, TS_ERR_IO, "gen: %s: cannot write: %s", path, strerror(saved));
}

static ts_status write_stdout(const uint8_t *bytes, size_t len, ts_err *err)
{
    if (fwrite(bytes, 1, len, stdout) != len || fflush(stdout) != 0)
        return ts_err_set(err, TS_ERR_IO, "gen: cannot write to standard output");
    return TS_OK;
}

/* Writes the model where the arguments say: -o PATH, -o - (stdout) or the default name. */
static ts_status emit(const gen_args *a, const uint8_t *bytes, size_t len, ts_err *err)
{
    char *name = NULL;
    const char *path = a->out;
    ts_status st;

    if (path && strcmp(path, "-") == 0)
        return write_stdout(bytes, len, err);
    if (!path && !(path = name = default_name(a->arch)))
        return ts_err_set(err, TS_ERR_NOMEM, "gen: out of memory");
    st = write_atomic(path, bytes, len, err);
    if (st == TS_OK)
        printf("wrote %s (%zu bytes, seed %u)\n", path, len, a->seed);
    free(name);
    return st;
}

int cmd_gen(int argc, char **argv)
{
    gen_args a = {.seed = DEFAULT_SEED};
    ts_err err;
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_status st;
    int rc = parse_args(argc, argv, &a);

    if (rc != 0)
        return rc;
    if (a.help) {
        cli_print_usage(stdout, "gen");
        return TS_EXIT_OK;
    }
    if (a.list)
        return list_archs();
    ts_err_clear(&err);
    st = ts_gen_spec_bytes(a.arch, a.seed, &bytes, &len, &err);
    if (st == TS_OK)
        st = emit(&a, bytes, len, &err);
    ts_free(bytes);
    return st == TS_OK ? TS_EXIT_OK : cli_report(&err);
}
