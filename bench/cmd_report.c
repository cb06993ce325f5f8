/* cmd_report.c: `tinysim report -o OUT.html [--db PATH] [--run ID]... [--tag T]... [--model M]
 * [--target T] [--kernels K] [--suite NAME] [--title TEXT] [RUN.json...]`: one self-contained
 * HTML page of charts and tables (report_html.h) over runs from the results store
 * (report_store.h) or, when RUN.json files are given without --db, from `tinysim bench
 * --json` files only (report_load.h). Filters: --run (any of the ids, or unique id prefixes
 * in the store), --tag (every tag), --model (model name or path), --target, --kernels,
 * --suite (a suite's or sweep's name; runs of the store only). The page is written all or
 * nothing; a selection matching no run still writes a page that says so, noted on stderr.
 * Layer: bench/ (prints, exits). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "opts.h"
#include "outfiles.h"
#include "record.h"
#include "report_html.h"
#include "report_load.h"
#include "report_store.h"
#include "tensor_io.h"

#define REPORT_MAX_FILTERS 64
#define REPORT_MAX_FILES   4096

typedef struct report_args {
    const char *out, *title, *db;
    ts_res_filter filter; /* model, target, kernels; tag = the first --tag */
    const char *ids[REPORT_MAX_FILTERS], *tags[REPORT_MAX_FILTERS];
    const char *files[REPORT_MAX_FILES];
    int n_ids, n_tags, n_files;
} report_args;

typedef struct report_src {
    char db_path[4096]; /* "" when the store is not read */
    int n_store;        /* runs from the store (first in the set) */
    int n_failed;       /* store runs left out because they failed */
} report_src;

static int push(const char **list, int *n, int max, const char *opt, const char *v)
{
    if (*n >= max)
        return cli_usage_error("report: more than %d %s", max, opt);
    list[(*n)++] = v;
    return TS_EXIT_OK;
}

enum { OPT_OUT, OPT_TITLE, OPT_DB, OPT_MODEL, OPT_TARGET, OPT_KERNELS, OPT_SUITE, OPT_RUN, OPT_TAG };

static const opts_spec report_opts[] = {
    {"-o", OPT_OUT, OPTS_VALUE, 0},
    {"--title", OPT_TITLE, OPTS_VALUE, 0},
    {"--db", OPT_DB, OPTS_VALUE, 0},
    {"--model", OPT_MODEL, OPTS_VALUE, 0},
    {"--target", OPT_TARGET, OPTS_VALUE, 0},
    {"--kernels", OPT_KERNELS, OPTS_VALUE, 0},
    {"--suite", OPT_SUITE, OPTS_VALUE, 0},
    {"--run", OPT_RUN, OPTS_VALUE | OPTS_REPEAT, 0},
    {"--tag", OPT_TAG, OPTS_VALUE | OPTS_REPEAT, 0},
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    report_args *a = ctx;
    const char **slot[] = {&a->out, &a->title, &a->db, &a->filter.model, &a->filter.target,
                           &a->filter.kernels, &a->filter.suite}; /* ORDER OPT_OUT..OPT_SUITE */

    if (id >= OPT_OUT && id <= OPT_SUITE)
        *slot[id] = v;
    else if (id == OPT_RUN)
        return push(a->ids, &a->n_ids, REPORT_MAX_FILTERS, name, v);
    else if (id == OPT_TAG)
        return push(a->tags, &a->n_tags, REPORT_MAX_FILTERS, name, v);
    else
        return push(a->files, &a->n_files, REPORT_MAX_FILES, "files", v);
    return TS_EXIT_OK;
}

static int parse_args(int argc, char **argv, report_args *a)
{
    int rc = opts_parse("report", report_opts, OPTS_N(report_opts), argc, argv, 1, on_option, a);

    if (rc == TS_EXIT_OK && !a->out)
        rc = cli_usage_error("report: expected -o OUT.html");
    a->filter.tag = a->n_tags ? a->tags[0] : NULL;
    return rc;
}

static bool has_tag(const rep_run *r, const char *tag)
{
    for (int t = 0; t < r->n_tags; t++)
        if (!strcmp(r->tags[t], tag))
            return true;
    return false;
}

static bool matches(const char *want, const char *have)
{
    return !want || !strcmp(want, have);
}

/* Every filter, for runs read from files (the store applied its own, but for extra tags). */
static bool selected(const report_args *a, const rep_run *r, bool from_store)
{
    bool ok = a->n_ids == 0 || from_store;

    for (int i = 0; i < a->n_ids && !ok; i++)
        ok = !strcmp(a->ids[i], r->id);
    for (int t = 0; t < a->n_tags && ok; t++)
        ok = has_tag(r, a->tags[t]);
    return ok && (from_store ||
                  (matches(a->filter.model, r->model) && matches(a->filter.target, r->target) &&
                   matches(a->filter.kernels, r->kernels)));
}

static int load_files(const report_args *a, report_set *s)
{
    int rc = TS_EXIT_OK;

    for (int f = 0; f < a->n_files && rc == TS_EXIT_OK; f++) {
        uint8_t *buf = NULL;
        size_t len = 0;
        ts_err err;
        ts_err_clear(&err);
        rc = tio_read_file(a->files[f], &buf, &len);
        if (rc == TS_EXIT_OK &&
            report_set_add_json(s, a->files[f], (const char *)buf, len, &err) != TS_OK)
            rc = cli_report(&err);
        ts_free(buf);
    }
    return rc;
}

/* The store's runs: all matching the filter, or those of each --run id (or prefix). */
static int load_store(const report_args *a, report_set *s, report_src *src)
{
    ts_res_err err = {0};
    ts_res_filter f = a->filter;
    ts_results *db = NULL;
    char id[TS_RES_ID_BYTES];
    ts_res_status st;
    int failed = 0;

    if (!record_db_path(a->db, src->db_path, sizeof src->db_path))
        return TS_EXIT_BAD_INPUT;
    st = ts_results_open(src->db_path, TS_RES_OPEN_READONLY | TS_RES_OPEN_EXISTING, &db, &err);
    if (st == TS_RES_OK && a->n_ids == 0)
        st = report_set_add_store(s, db, &f, &src->n_failed, &err);
    for (int i = 0; i < a->n_ids && st == TS_RES_OK; i++) {
        f.id = id;
        st = ts_results_find(db, a->ids[i], id, &err);
        if (st == TS_RES_OK)
            st = report_set_add_store(s, db, &f, &failed, &err);
        src->n_failed += failed;
    }
    ts_results_close(db);
    src->n_store = s->n_runs;
    return st == TS_RES_OK ? TS_EXIT_OK : record_report(&err);
}

/* Keeps the selected runs at the front of s->runs; returns their count. */
static int filter_runs(const report_args *a, const report_src *src, report_set *s)
{
    int n = 0;

    for (int i = 0; i < s->n_runs; i++)
        if (selected(a, &s->runs[i], i < src->n_store))
            s->runs[n++] = s->runs[i];
    return n;
}

static void
describe(const report_args *a, const report_src *src, int n, int n_all, char *buf, size_t cap)
{
    int o = snprintf(buf, cap, "%d run%s selected from %d", n, n == 1 ? "" : "s", n_all);

    if (src->db_path[0])
        o += snprintf(buf + o, cap - (size_t)o, " in the store %s", src->db_path);
    if (a->n_files)
        snprintf(buf + o, cap - (size_t)o, "%s %d file%s", src->db_path[0] ? " and" : " in",
                 a->n_files, a->n_files == 1 ? "" : "s");
    o = (int)strlen(buf);
    if (src->n_failed)
        snprintf(buf + o, cap - (size_t)o, "; %d failed run%s left out", src->n_failed,
                 src->n_failed == 1 ? "" : "s");
    strncat(buf, ".", cap - strlen(buf) - 1);
}

static int write_page(const report_args *a, const rep_doc *d, sbuf *page)
{
    outfiles of = {0};
    int rc;

    if (report_html_render(d, page))
        return cli_usage_error("report: out of memory rendering the page"), TS_EXIT_FAIL;
    rc = outfiles_stage(&of, a->out, NULL, 0, page->p, page->n);
    return rc == TS_EXIT_OK ? outfiles_commit(&of) : (outfiles_abort(&of), rc);
}

int cmd_report(int argc, char **argv)
{
    char bytes[32];
    report_args a = {0};
    report_src src = {0};
    report_set s = {0};
    sbuf page = {0};
    char selection[4400];
    int rc = parse_args(argc, argv, &a), n = 0;

    if (rc == TS_EXIT_OK)
        rc = outfiles_check(a.out); /* before reading the store */
    if (rc == TS_EXIT_OK && (a.db || a.n_files == 0))
        rc = load_store(&a, &s, &src);
    if (rc == TS_EXIT_OK)
        rc = load_files(&a, &s);
    if (rc == TS_EXIT_OK) {
        int n_all = s.n_runs;
        n = filter_runs(&a, &src, &s);
        describe(&a, &src, n, n_all, selection, sizeof selection);
        rc = write_page(&a, &(rep_doc){a.title, selection, cli_version(), s.runs, n}, &page);
    }
    if (rc == TS_EXIT_OK && n == 0)
        cli_error_line("report: no run matches the selection; %s says so", a.out);
    else if (rc == TS_EXIT_OK)
        printf("wrote %s (%d runs, %s bytes)\n", a.out, n, fmt_count(bytes, sizeof bytes, page.n));
    sbuf_free(&page);
    report_set_free(&s);
    return rc;
}
