/* cmd_targets.c: `tinysim targets [--dir DIR]`: one line per target JSON file (name, core, MHz,
 * flash and SRAM sizes, class, execution units); `tinysim targets --keys`: the target-file schema from
 * target_keys.def as a Markdown table (targets/README.md is this output). Layer: bench/ (prints). A file that fails to load is reported
 * with its message and makes the command exit non-zero after listing the others. */
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
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
    printf("%-16s %-14s %5.0f MHz  flash %6llu KB  sram %6llu KB  tcm %4llu KB  %-12s units %s\n",
           t.name, ts_target_core_name(t.core), (double)t.clock_hz / 1e6,
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_FLASH) / 1024),
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_SRAM) / 1024),
           (unsigned long long)(ts_target_kind_bytes(&t, TS_MEM_TCM) / 1024),
           ts_target_class_name(t.cls), t.dsp.present ? "cpu,dsp" : "cpu");
    ts_target_free(&t);
    return TS_EXIT_OK;
}

/* s with '|' escaped for a Markdown table cell. */
static void print_escaped(const char *s)
{
    for (const char *c = s; *c; c++)
        fputs(*c == '|' ? "\\|" : (char[]){*c, 0}, stdout);
}

/* The schema table: one row per target_keys.def row, '|' in text escaped for Markdown. */
static int print_keys(void)
{
    printf("| key | type | unit | required | meaning |\n|---|---|---|---|---|\n");
    for (unsigned i = 0; i < ts_target_n_keys(); i++) {
        const ts_target_key *k = ts_target_key_at(i);

        printf("| `%s` | %s | %s | %s | ", k->path, k->type, k->unit[0] ? k->unit : "-",
               k->required ? "yes" : "no");
        print_escaped(k->meaning);
        printf(" |\n");
    }
    printf("\nOp classes, the keys of `timing` (`timing.NAME`, e.g. `--set timing.div=[2,12]`):\n\n"
           "| op class | instructions and TRM rows |\n|---|---|\n");
    for (int i = 0; i < TS_N_OPCLASS; i++) {
        printf("| `%s` | ", ts_opclass_name((ts_opclass)i));
        print_escaped(ts_opclass_note((ts_opclass)i));
        printf(" |\n");
    }
    return TS_EXIT_OK;
}

enum { OPT_DIR, OPT_KEYS };

#define EX_KEYS 1u /* --keys lists the schema: no folder to read */

static const opts_spec targets_opts[] = {
    {"--dir", OPT_DIR, OPTS_VALUE, EX_KEYS},
    {"--keys", OPT_KEYS, 0, EX_KEYS},
};

typedef struct targets_args {
    const char *dir;
    bool keys;
} targets_args;

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    targets_args *a = ctx;

    (void)name;
    if (id == OPT_DIR)
        a->dir = v;
    else if (id == OPT_KEYS)
        a->keys = true;
    else
        return cli_usage_error("targets: unexpected argument '%s' (usage: tinysim targets "
                               "[--dir DIR] | targets --keys)", v);
    return TS_EXIT_OK;
}

int cmd_targets(int argc, char **argv)
{
    targets_args a = {NULL, false};
    const char *dir;
    char *names[MAX_TARGET_FILES];
    int n, rc = opts_parse("targets", targets_opts, OPTS_N(targets_opts), argc, argv, 1,
                           on_option, &a);

    if (rc != TS_EXIT_OK)
        return rc;
    if (a.keys)
        return print_keys();
    dir = ts_target_dir(a.dir);
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
