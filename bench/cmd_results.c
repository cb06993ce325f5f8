/* cmd_results.c: `tinysim results list|show|export|merge`: the results store from the command
 * line (see commands.def for the usage). Layer: bench/ (prints, exits). Reads go through
 * results/ only; export files are written all or nothing (outfiles.h).
 * Export formats: json = {"format": "tinysim-results", "version": 1, "runs": [record...]} with
 * each record as `results show --json` prints it; csv = one row per metric (tall):
 * run_id,created_utc,model,target,kernels,tags,layer,op,metric,value with layer -1 (op empty)
 * for whole-run metrics and tags joined by ';'. json --stable: the newest run of each (model,
 * target, kernels, overrides), sorted so, without the fields that change between two runs of
 * one configuration (record_to_json_stable): a baseline for `tinysim regress` to commit. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "opts.h"
#include "outfiles.h"
#include "pareto_print.h"
#include "record.h"
#include "regress.h"
#include "runset.h"

#define MAX_FILES 64

typedef struct results_args {
    const char *db, *out, *format, *run, *metric;
    const char *files[MAX_FILES];
    int n_files;
    ts_res_filter filter;
    bool json, stable;
} results_args;

enum { OPT_DB, OPT_MODEL, OPT_TARGET, OPT_TAG, OPT_KERNELS, OPT_SUITE, OPT_METRIC, OPT_FORMAT,
       OPT_OUT, OPT_JSON, OPT_STABLE };

static const opts_spec results_opts[] = {
    {"--db", OPT_DB, OPTS_VALUE, 0},
    {"--model", OPT_MODEL, OPTS_VALUE, 0},
    {"--target", OPT_TARGET, OPTS_VALUE, 0},
    {"--tag", OPT_TAG, OPTS_VALUE, 0},
    {"--kernels", OPT_KERNELS, OPTS_VALUE, 0},
    {"--suite", OPT_SUITE, OPTS_VALUE, 0},
    {"--metric", OPT_METRIC, OPTS_VALUE, 0},
    {"--format", OPT_FORMAT, OPTS_VALUE, 0},
    {"-o", OPT_OUT, OPTS_VALUE, 0},
    {"--json", OPT_JSON, 0, 0},
    {"--stable", OPT_STABLE, 0, 0},
};

typedef struct results_parse {
    results_args *a;
    const char *cmd; /* "results list" */
} results_parse;

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    results_parse *p = ctx;
    results_args *a = p->a;
    const char **slot[] = {&a->db, &a->filter.model, &a->filter.target, &a->filter.tag,
                           &a->filter.kernels, &a->filter.suite, &a->metric, &a->format,
                           &a->out}; /* ORDER OPT_DB..OPT_OUT */

    (void)name;
    if (id >= OPT_DB && id <= OPT_OUT)
        *slot[id] = v;
    else if (id == OPT_JSON)
        a->json = true;
    else if (id == OPT_STABLE)
        a->stable = true;
    else if (a->n_files >= MAX_FILES)
        return cli_usage_error("%s: more than %d arguments", p->cmd, MAX_FILES);
    else
        a->files[a->n_files++] = v;
    return TS_EXIT_OK;
}

/* Parses the options of `results SUB`; positional arguments go to files. */
static int parse_args(int argc, char **argv, results_args *a)
{
    char cmd[64];
    results_parse p = {a, cmd};

    snprintf(cmd, sizeof cmd, "results %s", argv[1]);
    return opts_parse(cmd, results_opts, OPTS_N(results_opts), argc, argv, 2, on_option, &p);
}

static int open_db(const results_args *a, bool create, ts_results **db)
{
    char path[4096];

    if (!record_db_path(a->db, path, sizeof path))
        return TS_EXIT_BAD_INPUT;
    return record_open(path, create, db);
}

static void print_json(cJSON *o)
{
    char *text = cJSON_Print(o);

    if (text)
        puts(text);
    free(text);
    cJSON_Delete(o);
}

/* ---- list ---- */

static const char *field_or(const ts_res_run *r, ts_res_field f, const char *dflt)
{
    return r->field[f] ? r->field[f] : dflt;
}

static int list_one(const ts_res_run *r, void *ctx)
{
    double cycles = 0, ms = 0;
    char c[32], tags[256] = "";

    (void)ctx;
    ts_res_run_metric(r, TS_RES_RUN_LAYER, "cycles", &cycles);
    ts_res_run_metric(r, TS_RES_RUN_LAYER, "latency_ms", &ms);
    for (size_t i = 0; i < r->n_tags; i++)
        snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%s%s", i ? "," : "",
                 r->tags[i]);
    printf("%-12.12s  %-19.19s  %-20.20s %-14.14s %-5s %-6s ", r->id,
           field_or(r, TS_RES_F_created_utc, "?"), field_or(r, TS_RES_F_model_name, "?"),
           field_or(r, TS_RES_F_target, "?"), field_or(r, TS_RES_F_kernels, "?"),
           rg_status_word(r));
    if (strcmp(rg_status_word(r), "ok") == 0)
        printf("%15s %10.3f  %s\n", fmt_count(c, sizeof c, (uint64_t)cycles), ms, tags);
    else
        printf("%15s %10s  %s\n", "-", "-", tags);
    return 0;
}

static int cmd_list(ts_results *db, const results_args *a)
{
    ts_res_err err = {0};

    printf("%-12s  %-19s  %-20s %-14s %-5s %-6s %15s %10s  %s\n", "run", "created (UTC)",
           "model", "target", "kern", "status", "cycles", "ms", "tags");
    if (ts_results_each(db, &a->filter, list_one, NULL, NULL, &err) != TS_RES_OK)
        return record_report(&err);
    return TS_EXIT_OK;
}

/* ---- show ---- */

/* Layer columns of `results show` (every metric is in --json and the exports). */
static const char *const layer_columns[] = {"cycles", "instructions", "macs", "stall_cycles",
                                            "flash_read_accesses", "ram_read_accesses",
                                            "ram_write_accesses"};
#define N_LAYER_COLUMNS (sizeof layer_columns / sizeof layer_columns[0])

static void show_provenance(const ts_res_run *r)
{
    printf("%-16s %s\n", "run", r->id);
    for (int f = 0; f < TS_RES_N_FIELDS; f++) {
        const char *v = r->field[f];
        if (f == TS_RES_F_target_config && v)
            printf("%-16s %zu bytes of canonical JSON (results show --json prints it)\n",
                   ts_res_field_name((ts_res_field)f), strlen(v));
        else
            printf("%-16s %s\n", ts_res_field_name((ts_res_field)f), v ? v : "-");
    }
    printf("%-16s", "tags");
    for (size_t i = 0; i < r->n_tags; i++)
        printf(" %s", r->tags[i]);
    printf("%s\n%-16s", r->n_tags ? "" : " -", "overrides");
    for (size_t i = 0; i < r->n_overrides; i++)
        printf(" %s=%s", r->overrides[i].key, r->overrides[i].value);
    printf("%s\n", r->n_overrides ? "" : " -");
}

static void show_layers(const ts_res_run *r)
{
    char buf[32];
    double v;

    if (r->n_layers == 0)
        return;
    printf("\n%4s %-22s %-5s %-5s", "#", "op", "unit", "kern");
    for (size_t c = 0; c < N_LAYER_COLUMNS; c++)
        printf(" %*s", c < 4 ? 12 : 19, layer_columns[c]);
    printf("\n");
    for (size_t i = 0; i < r->n_layers; i++) {
        const ts_res_layer *l = &r->layers[i];
        printf("%4d %-22.22s %-5.5s %-5.5s", l->index, l->op, l->unit, l->kernels);
        for (size_t c = 0; c < N_LAYER_COLUMNS; c++)
            printf(" %*s", c < 4 ? 12 : 19,
                   ts_res_run_metric(r, l->index, layer_columns[c], &v)
                       ? fmt_number(buf, sizeof buf, v) : "-");
        printf("\n");
    }
}

static int cmd_show(ts_results *db, const results_args *a)
{
    char id[TS_RES_ID_BYTES], buf[32];
    ts_res_run *r = NULL;
    ts_res_err err = {0};

    if (a->n_files != 1)
        return cli_usage_error("results show: expected one RUN id (or a prefix of it)");
    if (ts_results_find(db, a->files[0], id, &err) != TS_RES_OK ||
        ts_results_load(db, id, &r, &err) != TS_RES_OK)
        return record_report(&err);
    if (a->json) {
        print_json(record_to_json(r));
    } else {
        show_provenance(r);
        printf("\nrun metrics\n");
        for (size_t i = 0; i < r->n_metrics; i++)
            if (r->metrics[i].layer == TS_RES_RUN_LAYER)
                printf("  %-40s %20s\n", r->metrics[i].name,
                       fmt_number(buf, sizeof buf, r->metrics[i].value));
        show_layers(r);
    }
    ts_res_run_free(r);
    return TS_EXIT_OK;
}

/* ---- export ---- */

static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++)
        fputs(*s == '"' ? "\"\"" : (char[]){*s, 0}, f);
    fputc('"', f);
}

static const char *layer_op(const ts_res_run *r, int32_t layer)
{
    for (size_t i = 0; i < r->n_layers; i++)
        if (r->layers[i].index == layer)
            return r->layers[i].op;
    return "";
}

static int export_csv_run(const ts_res_run *r, void *ctx)
{
    FILE *f = ctx;
    char tags[1024] = "";

    for (size_t i = 0; i < r->n_tags; i++)
        snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%s%s", i ? ";" : "",
                 r->tags[i]);
    for (size_t i = 0; i < r->n_metrics; i++) {
        const ts_res_metric *m = &r->metrics[i];
        fprintf(f, "%s,", r->id);
        csv_field(f, field_or(r, TS_RES_F_created_utc, "")), fputc(',', f);
        csv_field(f, field_or(r, TS_RES_F_model_name, "")), fputc(',', f);
        csv_field(f, field_or(r, TS_RES_F_target, "")), fputc(',', f);
        csv_field(f, field_or(r, TS_RES_F_kernels, "")), fputc(',', f);
        csv_field(f, tags);
        fprintf(f, ",%d,", m->layer);
        csv_field(f, layer_op(r, m->layer)), fputc(',', f);
        csv_field(f, m->name);
        fprintf(f, ",%.17g\n", m->value);
    }
    return 0;
}

static int export_json_run(const ts_res_run *r, void *ctx)
{
    cJSON_AddItemToArray(ctx, record_to_json(r));
    return 0;
}

/* The newest run of each configuration, in key order, without what changes between two runs
 * of one configuration (record_to_json_stable). */
static ts_res_status export_stable(cJSON *runs, ts_results *db, const results_args *a,
                                   ts_res_err *err)
{
    runset set = {0};
    ts_res_status rc = runset_add_store(&set, db, &a->filter, err);

    if (rc == TS_RES_OK)
        runset_keep_newest(&set);
    for (size_t i = 0; rc == TS_RES_OK && i < set.n; i++)
        cJSON_AddItemToArray(runs, record_to_json_stable(set.items[i].run));
    runset_free(&set);
    return rc;
}

/* Writes the export into f (a memory stream). */
static int export_to(FILE *f, ts_results *db, const results_args *a, ts_res_err *err)
{
    cJSON *doc, *runs;
    char *text;
    int rc;

    if (!strcmp(a->format, "csv")) {
        fputs("run_id,created_utc,model,target,kernels,tags,layer,op,metric,value\n", f);
        return ts_results_each(db, &a->filter, export_csv_run, f, NULL, err);
    }
    doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "format", "tinysim-results");
    cJSON_AddNumberToObject(doc, "version", 1);
    runs = cJSON_AddArrayToObject(doc, "runs");
    rc = a->stable ? export_stable(runs, db, a, err)
                   : ts_results_each(db, &a->filter, export_json_run, runs, NULL, err);
    if (rc == TS_RES_OK && (text = cJSON_Print(doc)) != NULL)
        fprintf(f, "%s\n", text), free(text);
    cJSON_Delete(doc);
    return rc;
}

static int cmd_export(ts_results *db, const results_args *a)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f;
    ts_res_err err = {0};
    outfiles of = {0};
    int rc;

    if (!a->format || (strcmp(a->format, "csv") && strcmp(a->format, "json")))
        return cli_usage_error("results export: --format: expected csv or json, got '%s'",
                               a->format ? a->format : "");
    if (a->n_files)
        return cli_usage_error("results export: unexpected argument '%s'", a->files[0]);
    if (a->stable && strcmp(a->format, "json"))
        return cli_usage_error("results export: --stable needs --format json");
    if (!(f = open_memstream(&buf, &n)))
        return cli_usage_error("results export: out of memory");
    rc = export_to(f, db, a, &err);
    fclose(f);
    if (rc != TS_RES_OK)
        rc = record_report(&err);
    else if (a->out && strcmp(a->out, "-"))
        rc = outfiles_stage(&of, a->out, NULL, 0, buf, n) ?: outfiles_commit(&of);
    else
        rc = fwrite(buf, 1, n, stdout) == n ? TS_EXIT_OK : TS_EXIT_FAIL;
    free(buf);
    return rc;
}

/* ---- merge ---- */

static int cmd_merge(ts_results *db, const results_args *a)
{
    ts_res_err err = {0};
    unsigned added, skipped;
    int rc = TS_EXIT_OK;

    if (a->n_files == 0)
        return cli_usage_error("results merge: expected OTHER.db...");
    for (int i = 0; i < a->n_files && rc == TS_EXIT_OK; i++) {
        if (ts_results_merge(db, a->files[i], &added, &skipped, &err) != TS_RES_OK)
            rc = record_report(&err);
        else
            printf("%s: %u runs added, %u skipped (already present)\n", a->files[i], added,
                   skipped);
    }
    return rc;
}

/* ---- pareto ---- */

static int cmd_pareto(ts_results *db, const results_args *a)
{
    pareto_query q = {a->metric, a->filter, NULL, 0};

    if (a->n_files)
        return cli_usage_error("results pareto: unexpected argument '%s'", a->files[0]);
    if (!a->metric)
        return cli_usage_error("results pareto: expected --metric M1,M2 (e.g. cycles,energy)");
    return pareto_print(db, &q);
}

/* ---- dispatch ---- */

typedef struct subcommand {
    const char *name;
    int (*fn)(ts_results *db, const results_args *a);
    bool create; /* merge creates the database; the others need it to exist */
} subcommand;

static const subcommand subcommands[] = {
    {"list", cmd_list, false},
    {"show", cmd_show, false},
    {"export", cmd_export, false},
    {"merge", cmd_merge, true},
    {"pareto", cmd_pareto, false},
};

int cmd_results(int argc, char **argv)
{
    results_args a = {0};
    ts_results *db = NULL;
    int rc;

    for (size_t i = 0; argc >= 2 && i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(argv[1], subcommands[i].name) != 0)
            continue;
        if ((rc = parse_args(argc, argv, &a)) != TS_EXIT_OK ||
            (a.out && (rc = outfiles_check(a.out)) != TS_EXIT_OK))
            return rc;
        if (strcmp(argv[1], "list") == 0 && a.n_files)
            return cli_usage_error("results list: unexpected argument '%s'", a.files[0]);
        if ((rc = open_db(&a, subcommands[i].create, &db)) != TS_EXIT_OK)
            return rc;
        rc = subcommands[i].fn(db, &a);
        ts_results_close(db);
        return rc;
    }
    return cli_usage_error("results: expected list, show, export, merge or pareto, got '%s'",
                           argc >= 2 ? argv[1] : "");
}
