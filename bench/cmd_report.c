/* cmd_report.c: `tinysim report -o OUT.html [--title T] [--run ID]... [--tag T]... [--model M]
 * RUN.json...`: reads runs from `tinysim bench --json` files, keeps those matching every
 * filter given (--run: any of the ids; --tag: every tag; --model: the model path), and writes
 * one self-contained HTML page of charts and tables (report_html.h) all or nothing. A
 * selection that matches no run still writes a page saying so, and notes it on stderr.
 * Layer: bench/ (prints, exits). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "outfiles.h"
#include "report_html.h"
#include "report_load.h"
#include "tensor_io.h"

#define REPORT_MAX_FILTERS 64
#define REPORT_MAX_FILES   4096

typedef struct report_args {
    const char *out, *title, *model;
    const char *ids[REPORT_MAX_FILTERS], *tags[REPORT_MAX_FILTERS];
    const char *files[REPORT_MAX_FILES];
    int n_ids, n_tags, n_files;
} report_args;

static int push(const char **list, int *n, int max, const char *opt, const char *v)
{
    if (!v)
        return cli_usage_error("report: %s needs a value", opt);
    if (*n >= max)
        return cli_usage_error("report: more than %d %s", max, opt);
    list[(*n)++] = v;
    return TS_EXIT_OK;
}

static int parse_args(int argc, char **argv, report_args *a)
{
    int rc = TS_EXIT_OK;

    for (int i = 1; i < argc && rc == TS_EXIT_OK; i++) {
        const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (!strcmp(s, "-o") || !strcmp(s, "--title") || !strcmp(s, "--model"))
            rc = v ? TS_EXIT_OK : cli_usage_error("report: %s needs a value", s);
        if (!strcmp(s, "-o"))
            a->out = v;
        else if (!strcmp(s, "--title"))
            a->title = v;
        else if (!strcmp(s, "--model"))
            a->model = v;
        else if (!strcmp(s, "--run"))
            rc = push(a->ids, &a->n_ids, REPORT_MAX_FILTERS, s, v);
        else if (!strcmp(s, "--tag"))
            rc = push(a->tags, &a->n_tags, REPORT_MAX_FILTERS, s, v);
        else if (s[0] == '-' && s[1])
            rc = cli_usage_error("report: unknown option '%s'", s);
        else
            takes = false, rc = push(a->files, &a->n_files, REPORT_MAX_FILES, "files", s);
        i += takes;
    }
    if (rc == TS_EXIT_OK && (!a->out || a->n_files == 0))
        rc = cli_usage_error("report: expected -o OUT.html and at least one RUN.json "
                             "(the output of tinysim bench --json)");
    return rc;
}

static bool has_tag(const rep_run *r, const char *tag)
{
    for (int t = 0; t < r->n_tags; t++)
        if (!strcmp(r->tags[t], tag))
            return true;
    return false;
}

static bool selected(const report_args *a, const rep_run *r)
{
    bool id_ok = a->n_ids == 0;

    for (int i = 0; i < a->n_ids && !id_ok; i++)
        id_ok = !strcmp(a->ids[i], r->id);
    for (int t = 0; t < a->n_tags && id_ok; t++)
        id_ok = has_tag(r, a->tags[t]);
    return id_ok && (!a->model || !strcmp(a->model, r->model));
}

static int load_runs(const report_args *a, report_set *s)
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

/* Keeps the selected runs at the front of s->runs; returns their count. */
static int filter_runs(const report_args *a, report_set *s)
{
    int n = 0;

    for (int i = 0; i < s->n_runs; i++)
        if (selected(a, &s->runs[i]))
            s->runs[n++] = s->runs[i];
    return n;
}

static int write_page(const report_args *a, const report_set *s, int n, sbuf *page)
{
    char selection[160];
    outfiles of = {0};
    int rc;

    snprintf(selection, sizeof selection, "%d run%s selected from %d run%s in %d file%s.", n,
             n == 1 ? "" : "s", s->n_runs, s->n_runs == 1 ? "" : "s", a->n_files,
             a->n_files == 1 ? "" : "s");
    if (report_html_render(&(rep_doc){a->title, selection, cli_version(), s->runs, n}, page))
        return cli_usage_error("report: out of memory rendering the page"), TS_EXIT_FAIL;
    rc = outfiles_stage(&of, a->out, NULL, 0, page->p, page->n);
    return rc == TS_EXIT_OK ? outfiles_commit(&of) : (outfiles_abort(&of), rc);
}

int cmd_report(int argc, char **argv)
{
    report_args a = {0};
    report_set s = {0};
    sbuf page = {0};
    int rc = parse_args(argc, argv, &a), n = 0;

    if (rc == TS_EXIT_OK)
        rc = load_runs(&a, &s);
    if (rc == TS_EXIT_OK) {
        n = filter_runs(&a, &s);
        rc = write_page(&a, &s, n, &page);
    }
    if (rc == TS_EXIT_OK && n == 0)
        fprintf(stderr, "tinysim: report: no run matches the selection; %s says so\n", a.out);
    else if (rc == TS_EXIT_OK)
        printf("wrote %s (%d runs, %zu bytes)\n", a.out, n, page.n);
    sbuf_free(&page);
    report_set_free(&s);
    return rc;
}
