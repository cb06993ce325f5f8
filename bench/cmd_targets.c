/* cmd_targets.c: `tinysim targets [--dir DIR]`: one line per target JSON file (name, core, MHz,
 * flash and SRAM sizes, class, execution units); `tinysim targets --keys`: the target-file schema from
 * target_keys.def as a Markdown table (targets/README.md is this output). Layer: bench/ (prints). A file that fails to load is reported
 * with its message and makes the command exit non-zero after listing the others. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../sim/target/target.h"
#include "../sim/unit/unit.h"

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

/* "cpu", then every device unit class the engine opens on t (an mmio region named after it). */
static const char *unit_list(const ts_target *t, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "cpu");

    for (unsigned i = 0; i < ts_unit_n_classes() && n < cap; i++) {
        const ts_unit_ops *c = ts_unit_class_at(i);

        if (c->version >= 2 && c->device && ts_unit_regs_region(t, c->name) >= 0)
            n += (size_t)snprintf(buf + n, cap - n, ",%s", c->name);
    }
    return buf;
}

static int print_target(const char *dir, const char *file)
{
    char path[1024], units[128];
    ts_target t;
    ts_err err;

    ts_err_clear(&err);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (ts_target_load(path, &t, &err))
        return cli_report(&err);
    printf("%-18s %-14s %5.0f MHz  flash %6llu KB  sram %6llu KB  tcm %4llu KB  %-12s units %s\n",
           t.name, ts_target_core_name(t.core), (double)t.clock_hz / 1e6,
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_FLASH) / 1024),
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_SRAM) / 1024),
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_TCM) / 1024),
           ts_target_class_name(t.cls), unit_list(&t, units, sizeof units));
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

int cmd_targets(int argc, char **argv)
{
    const char *dir = NULL;
    char *names[MAX_TARGET_FILES];
    int n, rc = TS_EXIT_OK;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--keys") == 0 && argc == 2)
            return print_keys();
        else
            return cli_usage_error("targets: unexpected argument '%s' (usage: tinysim targets "
                                   "[--dir DIR] | targets --keys)", argv[i]);
    }
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
