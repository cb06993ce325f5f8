/* cmd_gen.c: `tinysim gen ARCH [--seed N] [-o OUT.tflite|-]` and `tinysim gen --list`.
 * Layer: bench/ (prints, exits). Models come from sim/gen; this file only parses arguments
 * and writes the bytes through outfiles.h: a file atomically (a temporary file renamed over
 * OUT once complete, so on any error nothing, not even a partial file, is left behind), a
 * device, FIFO or "-" in place; the path is checked before the model is built.
 * Defaults: seed 1; OUT = ARCH.tflite with every character outside [A-Za-z0-9._-] as '_'. */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/gen/gen.h"
#include "cli.h"
#include "outfiles.h"

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

/* Writes the model to path (outfiles.h: a new or replaced file atomically, a device, FIFO or
 * "-" in place) and says so, except on standard output. */
static int emit(const gen_args *a, const char *path, const uint8_t *bytes, size_t len)
{
    outfiles of = {0};
    int rc = outfiles_stage(&of, path, NULL, 0, bytes, len);

    if (rc == TS_EXIT_OK)
        rc = outfiles_commit(&of);
    if (rc == TS_EXIT_OK && strcmp(path, "-") != 0)
        printf("wrote %s (%zu bytes, seed %u)\n", path, len, a->seed);
    return rc;
}

int cmd_gen(int argc, char **argv)
{
    gen_args a = {.seed = DEFAULT_SEED};
    ts_err err;
    uint8_t *bytes = NULL;
    char *name = NULL;
    const char *path;
    size_t len = 0;
    int rc = parse_args(argc, argv, &a);

    if (rc != 0)
        return rc;
    if (a.help) {
        cli_print_usage(stdout, "gen");
        return TS_EXIT_OK;
    }
    if (a.list)
        return list_archs();
    if (!(path = a.out) && !(path = name = default_name(a.arch)))
        return cli_usage_error("gen: out of memory"), TS_EXIT_FAIL;
    ts_err_clear(&err);
    if ((rc = outfiles_check(path)) == TS_EXIT_OK)
        rc = ts_gen_spec_bytes(a.arch, a.seed, &bytes, &len, &err) == TS_OK
                 ? emit(&a, path, bytes, len)
                 : cli_report(&err);
    ts_free(bytes);
    free(name);
    return rc;
}
