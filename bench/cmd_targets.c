/* cmd_targets.c: `tinysim targets [--dir DIR] [--json] [NAME|FILE.json]...`: without names,
 * a table of the target files of DIR (name, core, clock, class, execution units, flash/SRAM/TCM
 * sizes, memory map as region@base; the part's description on a second line); with names, each
 * target in full (regions with base, size, wait states, width, caches); --json: an array with
 * one object per target (the same figures, sizes in bytes). `tinysim targets --keys`: the
 * target-file schema from target_keys.def and the op classes as Markdown tables
 * (targets/README.md is this output). Layer: bench/ (prints). A file that fails to load is
 * reported with its message (in --json, an object with "file" and "error") and makes the
 * command exit non-zero after listing the others. `tinysim targets --ld NAME|FILE.json`: a GNU ld
 * linker script for the target (ldscript.c). */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "ldscript.h"
#include "opts.h"
#include "runner.h"
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

/* ---- one target: table row, details, JSON ---- */

/* "64 KiB", "1,536 KiB", "-" for none (a size that is not a whole KiB in bytes). */
static const char *kib(char *buf, size_t size, uint64_t bytes)
{
    char n[32];

    if (bytes == 0)
        snprintf(buf, size, "-");
    else if (bytes % 1024)
        snprintf(buf, size, "%s B", fmt_count(n, sizeof n, bytes));
    else
        snprintf(buf, size, "%s KiB", fmt_count(n, sizeof n, bytes / 1024));
    return buf;
}

/* The device unit class i when the engine opens it on t (an mmio region named after it), else
 * NULL. Every target also has the unit "cpu", listed first. */
static const ts_unit_ops *device_unit(const ts_target *t, unsigned i)
{
    const ts_unit_ops *c = ts_unit_class_at(i);

    return c->version >= 2 && c->device && ts_unit_regs_region(t, c->name) >= 0 ? c : NULL;
}

/* "cpu", then every device unit of t: "cpu,systolic". */
static const char *unit_list(const ts_target *t, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "cpu");

    for (unsigned i = 0; i < ts_unit_n_classes() && n < cap; i++)
        if (device_unit(t, i))
            n += (size_t)snprintf(buf + n, cap - n, ",%s", device_unit(t, i)->name);
    return buf;
}

/* "flash@0x08000000 sram@0x20000000", in the file's region order. */
static const char *memory_map(const ts_target *t, char *buf, size_t size)
{
    size_t o = 0;

    buf[0] = '\0';
    for (uint32_t i = 0; i < t->n_regions && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s@0x%08llx", i ? " " : "",
                              t->regions[i].name, (unsigned long long)t->regions[i].base);
    return buf;
}

#define ROW_FMT "%-18s %-14s %-8s %-12s %-12s %10s %10s %9s  %s\n"

static void print_row_header(void)
{
    printf(ROW_FMT, "target", "core", "clock", "class", "units", "flash", "sram", "tcm",
           "memory map (region@base address)");
}

static void print_row(const ts_target *t)
{
    char clock[32], f[32], s[32], m[32], map[256], units[128];

    printf(ROW_FMT, t->name, ts_target_core_name(t->core), fmt_clock(clock, sizeof clock, t->clock_hz),
           ts_target_class_name(t->cls), unit_list(t, units, sizeof units),
           kib(f, sizeof f, ts_target_kind_bytes(t, TS_MEM_FLASH)),
           kib(s, sizeof s, ts_target_kind_bytes(t, TS_MEM_SRAM)),
           kib(m, sizeof m, ts_target_kind_bytes(t, TS_MEM_TCM)), memory_map(t, map, sizeof map));
    if (t->description[0])
        printf("%-18s %s\n", "", t->description);
}

/* "8 KiB I + 8 KiB D, 32-byte lines, 4-way" or "-". */
static const char *cache_text(const ts_target_region *r, char *buf, size_t size)
{
    char i[32], d[32];

    if (!r->icache_lines && !r->dcache_lines) {
        snprintf(buf, size, r->prefetch ? "prefetch" : "-");
        return buf;
    }
    snprintf(buf, size, "%s I + %s D, %u-byte lines, %u-way%s",
             kib(i, sizeof i, (uint64_t)r->icache_lines * r->line_bytes),
             kib(d, sizeof d, (uint64_t)r->dcache_lines * r->line_bytes), r->line_bytes, r->ways,
             r->prefetch ? ", prefetch" : "");
    return buf;
}

static void print_details(const ts_target *t, const char *path)
{
    char clock[32], size[32], cache[128], units[128];

    printf("%s (%s)\n", t->name, path);
    if (t->description[0])
        printf("  %-12s %s\n", "description", t->description);
    printf("  %-12s %s, %s, FPU %s, DSP extension %s\n", "core", ts_target_core_name(t->core),
           fmt_clock(clock, sizeof clock, t->clock_hz), t->has_fpu ? "yes" : "no",
           t->has_dsp ? "yes" : "no");
    printf("  %-12s %s, units %s\n", "class", ts_target_class_name(t->cls),
           unit_list(t, units, sizeof units));
    printf("  %-10s %-6s %-10s %-10s %13s %5s %6s  %s\n", "region", "kind", "base", "end",
           "size (bytes)", "wait", "width", "cache");
    for (uint32_t i = 0; i < t->n_regions; i++) {
        const ts_target_region *r = &t->regions[i];
        printf("  %-10s %-6s 0x%08llx 0x%08llx %13s %5u %6u  %s\n", r->name,
               ts_target_kind_name(r->kind), (unsigned long long)r->base,
               (unsigned long long)(r->base + r->size_bytes - 1),
               fmt_count(size, sizeof size, r->size_bytes), r->wait_states, r->width_bits,
               cache_text(r, cache, sizeof cache));
    }
}

static cJSON *region_json(const ts_target_region *r)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddStringToObject(o, "kind", ts_target_kind_name(r->kind));
    cJSON_AddNumberToObject(o, "base", (double)r->base);
    cJSON_AddNumberToObject(o, "size_bytes", (double)r->size_bytes);
    cJSON_AddNumberToObject(o, "wait_states", r->wait_states);
    cJSON_AddNumberToObject(o, "width_bits", r->width_bits);
    cJSON_AddNumberToObject(o, "icache_lines", r->icache_lines);
    cJSON_AddNumberToObject(o, "dcache_lines", r->dcache_lines);
    cJSON_AddNumberToObject(o, "line_bytes", r->line_bytes);
    cJSON_AddBoolToObject(o, "prefetch", r->prefetch);
    return o;
}

static cJSON *target_json(const ts_target *t, const char *path)
{
    cJSON *o = cJSON_CreateObject(), *regions, *units;

    cJSON_AddStringToObject(o, "name", t->name);
    cJSON_AddStringToObject(o, "file", path);
    cJSON_AddStringToObject(o, "description", t->description);
    cJSON_AddStringToObject(o, "class", ts_target_class_name(t->cls));
    cJSON_AddStringToObject(o, "core", ts_target_core_name(t->core));
    cJSON_AddNumberToObject(o, "clock_hz", (double)t->clock_hz);
    cJSON_AddBoolToObject(o, "has_fpu", t->has_fpu);
    cJSON_AddBoolToObject(o, "has_dsp", t->has_dsp);
    units = cJSON_AddArrayToObject(o, "units");
    cJSON_AddItemToArray(units, cJSON_CreateString("cpu"));
    for (unsigned i = 0; i < ts_unit_n_classes(); i++)
        if (device_unit(t, i))
            cJSON_AddItemToArray(units, cJSON_CreateString(device_unit(t, i)->name));
    cJSON_AddNumberToObject(o, "flash_bytes", (double)ts_target_kind_bytes(t, TS_MEM_FLASH));
    cJSON_AddNumberToObject(o, "sram_bytes", (double)ts_target_kind_bytes(t, TS_MEM_SRAM));
    cJSON_AddNumberToObject(o, "tcm_bytes", (double)ts_target_kind_bytes(t, TS_MEM_TCM));
    regions = cJSON_AddArrayToObject(o, "regions");
    for (uint32_t i = 0; i < t->n_regions; i++)
        cJSON_AddItemToArray(regions, region_json(&t->regions[i]));
    return o;
}

/* ---- the listing ---- */

typedef struct targets_args {
    const char *dir;
    const char *ld; /* --ld NAME|FILE.json */
    bool keys, json;
    const char *names[MAX_TARGET_FILES];
    int n_names;
} targets_args;

/* One target: name (a name, a path, or a file of the listed folder) loaded and shown as a
 * row, details or a JSON object added to arr. A target that does not load is reported (in
 * JSON {"file", "error"}); returns the exit status. */
static int show_target(const targets_args *a, const char *name, cJSON *arr)
{
    char path[1024];
    ts_target t;
    ts_err err;
    int rc;

    ts_err_clear(&err);
    if (ts_target_resolve(name, a->dir, path, sizeof path, &err) != TS_OK ||
        runner_load_target(a->dir ? path : name, NULL, 0, "targets", &t, &err) != TS_OK) {
        cJSON *o = cJSON_CreateObject();
        rc = cli_report(&err);
        cJSON_AddStringToObject(o, "file", path);
        cJSON_AddItemToObject(o, "error", cli_error_json(rc));
        cJSON_AddItemToArray(arr, o);
        return rc;
    }
    if (a->json)
        cJSON_AddItemToArray(arr, target_json(&t, path));
    else if (a->n_names)
        print_details(&t, path);
    else
        print_row(&t);
    ts_target_free(&t);
    return TS_EXIT_OK;
}

static void print_json_array(cJSON *arr)
{
    char *text = cJSON_Print(arr);

    if (text)
        puts(text);
    free(text);
}

/* The targets named on the command line, else every file of the folder. */
static int list_targets(const targets_args *a)
{
    const char *dir = ts_target_dir(a->dir);
    char *files[MAX_TARGET_FILES], path[1024];
    int n = a->n_names, rc = TS_EXIT_OK;
    cJSON *arr;

    if (!a->n_names) {
        if ((n = cli_list_json(dir, files, MAX_TARGET_FILES)) < 0)
            return cli_usage_error("%s: cannot open targets directory", dir);
        if (n == 0)
            return cli_usage_error("%s: no *.json target files", dir);
        if (!a->json)
            print_row_header();
    }
    arr = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        int r;
        if (!a->n_names)
            snprintf(path, sizeof path, "%s/%s", dir, files[i]), free(files[i]);
        else if (i > 0 && !a->json)
            printf("\n");
        r = show_target(a, a->n_names ? a->names[i] : path, arr);
        rc = r != TS_EXIT_OK ? r : rc;
    }
    if (a->json)
        print_json_array(arr);
    cJSON_Delete(arr);
    return rc;
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

enum { OPT_DIR, OPT_KEYS, OPT_JSON, OPT_LD };

/* --keys lists the schema (no folder, no targets); --ld prints one linker script (no JSON). */
#define EX_DIR 1u
#define EX_JSON 2u
#define EX_LD 4u

static const opts_spec targets_opts[] = {
    {"--dir", OPT_DIR, OPTS_VALUE, EX_DIR},
    {"--keys", OPT_KEYS, 0, EX_DIR | EX_JSON | EX_LD},
    {"--json", OPT_JSON, 0, EX_JSON},
    {"--ld", OPT_LD, OPTS_VALUE, EX_JSON | EX_LD},
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    targets_args *a = ctx;

    (void)name;
    if (id == OPT_DIR)
        a->dir = v;
    else if (id == OPT_KEYS)
        a->keys = true;
    else if (id == OPT_JSON)
        a->json = true;
    else if (id == OPT_LD)
        a->ld = v;
    else if (a->n_names == MAX_TARGET_FILES)
        return cli_usage_error("targets: more than %d targets", MAX_TARGET_FILES);
    else
        a->names[a->n_names++] = v;
    return TS_EXIT_OK;
}

int cmd_targets(int argc, char **argv)
{
    targets_args a;
    int rc;

    memset(&a, 0, sizeof a);
    rc = opts_parse("targets", targets_opts, OPTS_N(targets_opts), argc, argv, 1, on_option, &a);
    if (rc != TS_EXIT_OK)
        return rc;
    if (a.keys && a.n_names)
        return cli_usage_error("targets: unexpected argument '%s' (usage: tinysim targets "
                               "--keys)", a.names[0]);
    if (a.ld && a.n_names)
        return cli_usage_error("targets: unexpected argument '%s' (usage: tinysim targets "
                               "[--dir DIR] --ld NAME|FILE.json)", a.names[0]);
    if (a.ld)
        return print_ld(a.ld, a.dir);
    return a.keys ? print_keys() : list_targets(&a);
}
