/* cmd_targets.c: `tinysim targets [--dir DIR]`: one line per target JSON file (name, core, MHz,
 * flash and SRAM sizes, class, execution units, each memory region's base address);
 * `tinysim targets --keys`: the target-file schema from target_keys.def as a Markdown table
 * (targets/README.md is this output); `tinysim targets --ld NAME|FILE.json`: a GNU ld linker
 * script for the target (ldscript.c). Layer: bench/ (prints). A file that fails to load is
 * reported with its message and makes the command exit non-zero after listing the others. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ldscript.h"
#include "../sim/target/target.h"

#define MAX_TARGET_FILES 256

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cli_list_json(const char *dir, char **names, int max)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);

        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 &&
            (names[n] = malloc(len + 1)) != NULL)
            memcpy(names[n++], e->d_name, len + 1);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    return n;
}

static int print_target(const char *dir, const char *file)
{
    char path[1024];
    ts_target t;
    ts_err err;

    ts_err_clear(&err);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (ts_target_load(path, &t, &err))
        return cli_report(&err);
    printf("%-16s %-14s %5.0f MHz  flash %6llu KB  sram %6llu KB  tcm %4llu KB  %-12s units %-8s"
           " memory", t.name, ts_target_core_name(t.core), (double)t.clock_hz / 1e6,
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_FLASH) / 1024),
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_SRAM) / 1024),
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_TCM) / 1024),
           ts_target_class_name(t.cls), t.dsp.present ? "cpu,dsp" : "cpu");
    for (unsigned i = 0; i < t.n_regions; i++)
        printf(" %s@0x%08llx", t.regions[i].name, (unsigned long long)t.regions[i].base);
    putchar('\n');
    ts_target_free(&t);
    return TS_EXIT_OK;
}

/* The schema table: one row per target_keys.def row, '|' in text escaped for Markdown. */
static int print_keys(void)
{
    printf("| key | type | unit | required | meaning |\n|---|---|---|---|---|\n");
    for (unsigned i = 0; i < ts_target_n_keys(); i++) {
        const ts_target_key *k = ts_target_key_at(i);

        printf("| `%s` | %s | %s | %s | ", k->path, k->type, k->unit[0] ? k->unit : "-",
               k->required ? "yes" : "no");
        for (const char *c = k->meaning; *c; c++)
            fputs(*c == '|' ? "\\|" : (char[]){*c, 0}, stdout);
        printf(" |\n");
    }
    return TS_EXIT_OK;
}

/* --ld: the linker script of one target (a name in the targets folder or a file). */
static int print_ld(const char *name, const char *dir)
{
    char path[1024];
    ts_target t;
    ts_err err;
    int rc = TS_EXIT_OK;

    ts_err_clear(&err);
    if (ts_target_resolve(name, dir, path, sizeof path, &err) || ts_target_load(path, &t, &err))
        return cli_report(&err);
    if (ld_script_print(stdout, &t, path))
        rc = cli_usage_error("%s: target %s has no flash or no RAM region to link a program "
                             "into", path, t.name);
    ts_target_free(&t);
    return rc;
}

int cmd_targets(int argc, char **argv)
{
    const char *dir = NULL, *ld = NULL;
    char *names[MAX_TARGET_FILES];
    int n, rc = TS_EXIT_OK;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--keys") == 0 && argc == 2)
            return print_keys();
        else if (strcmp(argv[i], "--ld") == 0 && i + 1 < argc && !ld)
            ld = argv[++i];
        else
            return cli_usage_error("targets: unexpected argument '%s' (usage: tinysim targets "
                                   "[--dir DIR] [--ld NAME|FILE.json] | targets --keys)",
                                   argv[i]);
    }
    if (ld)
        return print_ld(ld, dir);
    dir = ts_target_dir(dir);
    n = cli_list_json(dir, names, MAX_TARGET_FILES);
    if (n < 0)
        return cli_usage_error("%s: cannot open targets directory", dir);
    if (n == 0)
        return cli_usage_error("%s: no *.json target files", dir);
    for (int i = 0; i < n; i++) {
        int r = print_target(dir, names[i]);

        if (r != TS_EXIT_OK)
            rc = r;
        free(names[i]);
    }
    return rc;
}
