/* cmd_regress.c: `tinysim regress`: the CI gate. Resolves the baseline and the candidate
 * (a file, a run of the store, a tag of the store), compares them (regress.c), prints a
 * Markdown table of what changed and a one-line summary on stdout, writes --markdown and
 * --junit files all or nothing (outfiles.h). Exit 0 when nothing got worse beyond the
 * threshold, 1 otherwise (or on any difference with --exact), 2 on bad usage or input, an
 * unknown run or tag, or when nothing matched. Layer: bench/ (prints, exits). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "base/alloc.h"
#include "cli.h"
#include "fmt.h"
#include "opts.h"
#include "outfiles.h"
#include "record.h"
#include "regress.h"
#include "sbuf.h"
#include "tensor_io.h"

#define DEFAULT_METRICS "cycles,energy,arena,flash"
#define DEFAULT_MAX_ROWS 100
#define MAX_THRESHOLD_PCT 1e6

typedef struct side {
    const char *name;   /* "baseline" | "candidate" */
    const char *arg;    /* as given */
    runset set;
    char how[8192];     /* what arg resolved to, Markdown */
} side;

typedef struct regress_args {
    const char *metric, *threshold, *junit, *markdown, *db;
    unsigned long long max_rows;
    char metric_buf[1024];
    bool raw[RG_MAX_SELECT]; /* selection i is a record metric name, not a short name */
    bool list;               /* --list-metrics */
    bool json;               /* --json: the JSON document on stdout instead of the table */
    rg_opts o;
} regress_args;

typedef struct store_ref {
    const char *opt;    /* --db, or NULL */
    char path[4096];
    ts_results *db;     /* opened on first use */
} store_ref;

/* ---- options ---- */

static int parse_threshold(const char *v, double *pct)
{
    char *end;

    errno = 0;
    *pct = v && *v && *v != '-' && *v != '+' ? strtod(v, &end) : -1;
    if (*pct >= 0 && !errno && (!strcmp(end, "%") || !*end) && *pct <= MAX_THRESHOLD_PCT)
        return TS_EXIT_OK;
    return cli_usage_error("regress: --threshold: expected a percentage such as 1%%, 0.5%% or 0, "
                           "got '%s'", v ? v : "");
}

/* --metric LIST: short names (regress_metrics.def), record metric names or patterns, all. */
static int parse_metrics(regress_args *a)
{
    char *save = NULL;

    snprintf(a->metric_buf, sizeof a->metric_buf, "%s", a->metric ? a->metric : DEFAULT_METRICS);
    for (char *t = strtok_r(a->metric_buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const rg_metric_def *d = rg_find_metric(t);
        if (!strcmp(t, "all")) {
            a->o.all = true;
            continue;
        }
        if (!d && !strpbrk(t, ".*_"))
            return cli_usage_error("regress: --metric: unknown metric '%s' (expected all, a name "
                                   "of 'tinysim regress --list-metrics' or a record metric name "
                                   "such as region.flash.read_bytes)", t);
        if (a->o.n_select == RG_MAX_SELECT)
            return cli_usage_error("regress: --metric: more than %d metrics", RG_MAX_SELECT);
        a->raw[a->o.n_select] = !d;
        a->o.select[a->o.n_select] = d ? d->pattern : t;
        a->o.dir[a->o.n_select++] = d ? d->dir : rg_direction(t);
    }
    if (!a->o.all && a->o.n_select == 0)
        return cli_usage_error("regress: --metric: expected a list of metrics, got '%s'",
                               a->metric);
    return TS_EXIT_OK;
}

enum {
    OPT_BASELINE, OPT_CANDIDATE, OPT_METRIC, OPT_THRESHOLD, OPT_JUNIT, OPT_MARKDOWN, OPT_DB,
    OPT_MAX_ROWS, OPT_EXACT, OPT_PER_LAYER, OPT_LIST, OPT_JSON
};

static const opts_spec regress_opts[] = {
    {"--baseline", OPT_BASELINE, OPTS_VALUE, 0},
    {"--candidate", OPT_CANDIDATE, OPTS_VALUE, 0},
    {"--metric", OPT_METRIC, OPTS_VALUE, 0},
    {"--threshold", OPT_THRESHOLD, OPTS_VALUE, 0},
    {"--junit", OPT_JUNIT, OPTS_VALUE, 0},
    {"--markdown", OPT_MARKDOWN, OPTS_VALUE, 0},
    {"--db", OPT_DB, OPTS_VALUE, 0},
    {"--max-rows", OPT_MAX_ROWS, OPTS_VALUE, 0},
    {"--exact", OPT_EXACT, 0, 0},
    {"--per-layer", OPT_PER_LAYER, 0, 0},
    {"--list-metrics", OPT_LIST, 0, 0},
    {"--json", OPT_JSON, 0, 0},
};

typedef struct regress_parse {
    regress_args *a;
    side *s;
} regress_parse;

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    regress_parse *p = ctx;
    regress_args *a = p->a;
    const char **slot[] = {&p->s[0].arg, &p->s[1].arg, &a->metric, &a->threshold, &a->junit,
                           &a->markdown, &a->db}; /* ORDER OPT_BASELINE..OPT_DB */

    (void)name;
    if (id >= OPT_BASELINE && id <= OPT_DB)
        *slot[id] = v;
    else if (id == OPT_MAX_ROWS && cli_parse_u64(v, &a->max_rows))
        return cli_usage_error("regress: --max-rows: expected a count, got '%s'", v);
    else if (id == OPT_EXACT)
        a->o.exact = true;
    else if (id == OPT_PER_LAYER)
        a->o.per_layer = true;
    else if (id == OPT_LIST)
        a->list = true;
    else if (id == OPT_JSON)
        a->json = true;
    else if (id == OPTS_ARG)
        return cli_usage_error("regress: unexpected argument '%s' (see 'tinysim regress "
                               "--help')", v);
    return TS_EXIT_OK;
}

static int parse_args(int argc, char **argv, regress_args *a, side *s)
{
    regress_parse p = {a, s};
    int rc;

    a->max_rows = DEFAULT_MAX_ROWS;
    rc = opts_parse("regress", regress_opts, OPTS_N(regress_opts), argc, argv, 1, on_option, &p);
    if (rc == TS_EXIT_OK && a->list)
        return rc;
    if (rc == TS_EXIT_OK && (!s[0].arg || !s[1].arg))
        rc = cli_usage_error("regress: expected --baseline X and --candidate Y (a file, a run id "
                             "or a tag)");
    if (rc == TS_EXIT_OK)
        rc = parse_threshold(a->threshold ? a->threshold : "0", &a->o.threshold_pct);
    if (rc == TS_EXIT_OK && a->o.exact && a->o.threshold_pct != 0)
        rc = cli_usage_error("regress: --exact fails on any difference; it cannot go with "
                             "--threshold %s", a->threshold);
    return rc == TS_EXIT_OK ? parse_metrics(a) : rc;
}

/* ---- resolving X ---- */

static int read_file_side(side *s)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    ts_err err;
    int rc = tio_read_file(s->arg, &buf, &len);

    ts_err_clear(&err);
    if (rc == TS_EXIT_OK && runset_add_json(&s->set, s->arg, (const char *)buf, len, &err))
        rc = cli_report(&err);
    ts_free(buf);
    snprintf(s->how, sizeof s->how, "file `%s`", s->arg);
    return rc;
}

/* True when path starts with the SQLite file header ("SQLite format 3" and a NUL). */
static bool is_sqlite_file(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    FILE *f = fopen(path, "rb");
    bool yes = f && fread(head, 1, sizeof head, f) == sizeof head &&
               memcmp(head, magic, sizeof head) == 0;

    if (f)
        fclose(f);
    return yes;
}

/* Every run of the results database at s->arg. */
static int read_db_side(side *s)
{
    ts_res_filter all = {0};
    ts_res_err err = {0};
    ts_results *db = NULL;
    int rc = record_open(s->arg, false, &db);

    if (rc == TS_EXIT_OK && runset_add_store(&s->set, db, &all, &err) != TS_RES_OK)
        rc = record_report(&err);
    ts_results_close(db);
    snprintf(s->how, sizeof s->how, "every run of database `%s`", s->arg);
    return rc;
}

static int open_store(store_ref *st, const side *s)
{
    struct stat sb;

    if (st->db)
        return TS_EXIT_OK;
    if (!record_db_path(st->opt, st->path, sizeof st->path))
        return TS_EXIT_BAD_INPUT;
    if (stat(st->path, &sb) != 0)
        return cli_usage_error("%s: --%s: no such file, and no results database %s to look it "
                               "up as a run id or tag", s->arg, s->name, st->path);
    return record_open(st->path, false, &st->db);
}

/* A run id or unique prefix of the store; *found false when arg is none. */
static int read_run_side(side *s, store_ref *st, bool *found)
{
    char id[TS_RES_ID_BYTES];
    ts_res_err err = {0};
    ts_res_run *r = NULL;
    ts_err e;
    size_t n = strlen(s->arg);

    *found = false;
    if (n < 4 || n >= TS_RES_ID_BYTES || strspn(s->arg, "0123456789abcdef") != n)
        return TS_EXIT_OK;
    if (ts_results_find(st->db, s->arg, id, &err) == TS_RES_NOTFOUND)
        return TS_EXIT_OK;
    if (err.code != TS_RES_OK || ts_results_load(st->db, id, &r, &err) != TS_RES_OK)
        return record_report(&err);
    ts_err_clear(&e);
    if (runset_add(&s->set, r, &e) != TS_OK)
        return cli_report(&e);
    *found = true;
    snprintf(s->how, sizeof s->how, "run `%.12s` of %s", id, st->path);
    return TS_EXIT_OK;
}

static int read_tag_side(side *s, store_ref *st)
{
    ts_res_filter f = {.tag = s->arg};
    ts_res_err err = {0};

    if (runset_add_store(&s->set, st->db, &f, &err) != TS_RES_OK)
        return record_report(&err);
    if (s->set.n == 0)
        return cli_usage_error("%s: --%s: not a file, nor a run id or tag in %s", s->arg,
                               s->name, st->path);
    snprintf(s->how, sizeof s->how, "tag `%s` in %s", s->arg, st->path);
    return TS_EXIT_OK;
}

/* X is a file when one exists (a results database: all its runs), else a run id (or prefix)
 * of the store, else a tag. */
static int resolve(side *s, store_ref *st)
{
    struct stat sb;
    bool found = false;
    size_t n, dropped;
    int rc;

    if (stat(s->arg, &sb) == 0 && S_ISDIR(sb.st_mode))
        return cli_usage_error("%s: --%s: is a directory (expected a file, a run id or a tag)",
                               s->arg, s->name);
    if (stat(s->arg, &sb) == 0)
        rc = is_sqlite_file(s->arg) ? read_db_side(s) : read_file_side(s);
    else if ((rc = open_store(st, s)) == TS_EXIT_OK && (rc = read_run_side(s, st, &found)) ==
             TS_EXIT_OK && !found)
        rc = read_tag_side(s, st);
    if (rc != TS_EXIT_OK)
        return rc;
    if (s->set.n == 0)
        return cli_usage_error("%s: --%s: no runs", s->arg, s->name);
    dropped = runset_keep_newest(&s->set);
    n = strlen(s->how);
    snprintf(s->how + n, sizeof s->how - n, ", %zu run%s", s->set.n, s->set.n == 1 ? "" : "s");
    n = strlen(s->how);
    if (dropped)
        snprintf(s->how + n, sizeof s->how - n, " (the newest of each configuration; %zu older "
                 "left out)", dropped);
    return TS_EXIT_OK;
}

/* ---- Markdown ---- */

/* Text for a Markdown table cell: '|' escaped, line breaks as spaces. */
static void md_cell(sbuf *b, const char *s)
{
    sbuf_puts(b, "| ");
    for (; s && *s; s++)
        *s == '|' ? sbuf_puts(b, "\\|") : sbuf_printf(b, "%c", *s == '\n' ? ' ' : *s);
    sbuf_puts(b, " ");
}

static const char *fmt_num(char *buf, size_t cap, double v)
{
    if (fabs(v) < 1e15 && v == floor(v)) {
        buf[0] = '-';
        fmt_count(buf + (v < 0), cap - 1, (uint64_t)fabs(v));
    } else {
        snprintf(buf, cap, "%.6g", v);
    }
    return buf;
}

/* The two values, with enough digits to show that they differ. */
static void fmt_values(const rg_row *w, char *b, char *c, size_t cap)
{
    if (w->base_text || w->cand_text) {
        snprintf(b, cap, "%.20s", w->base_text ? w->base_text : "-");
        snprintf(c, cap, "%.20s", w->cand_text ? w->cand_text : "-");
        return;
    }
    fmt_num(b, cap, w->base), fmt_num(c, cap, w->cand);
    if (w->base != w->cand && !strcmp(b, c))
        snprintf(b, cap, "%.17g", w->base), snprintf(c, cap, "%.17g", w->cand);
    if (w->verdict == RG_ONLY_BASE)
        snprintf(c, cap, "-");
    if (w->verdict == RG_ONLY_CAND)
        snprintf(b, cap, "-");
}

static const char *const verdict_word[RG_N_VERDICTS] = {
    [RG_WORSE] = "regression", [RG_BETTER] = "improvement",
    [RG_TOLERATED] = "within threshold", [RG_CHANGED] = "changed",
    [RG_ONLY_BASE] = "only in baseline", [RG_ONLY_CAND] = "only in candidate",
    [RG_SAME] = "unchanged",
};

/* "+1.00% regression"; in Markdown bold (markdown) when the row fails. */
static void fmt_change(const rg_row *w, bool markdown, char *buf, size_t cap)
{
    char pct[48] = "";
    const char *bold = w->fails && markdown ? "**" : "";

    if (w->verdict <= RG_CHANGED && w->metric != NULL && !w->base_text) {
        if (isinf(w->change_pct))
            snprintf(pct, sizeof pct, "from 0 ");
        else
            snprintf(pct, sizeof pct, fabs(w->change_pct) >= 0.01 ? "%+.2f%% " : "%+.2g%% ",
                     w->change_pct);
    }
    snprintf(buf, cap, "%s%s%s%s%s", bold, pct, verdict_word[w->verdict],
             w->fails && w->verdict != RG_WORSE ? " (--exact)" : "", bold);
}

static void metric_label(const rg_row *w, char *buf, size_t cap)
{
    if (w->layer == TS_RES_RUN_LAYER)
        snprintf(buf, cap, "%s", w->metric);
    else
        snprintf(buf, cap, "layer %d %s: %s", w->layer, w->op, w->metric);
}

static const runset_item *pair_item(const rg_pair *p)
{
    return p->base ? p->base : p->cand;
}

static void md_row(sbuf *b, const rg_result *res, const rg_row *w)
{
    const rg_pair *p = &res->pairs[w->pair];
    const runset_item *it = pair_item(p);
    char label[256], vb[48], vc[48], change[96];

    metric_label(w, label, sizeof label);
    fmt_values(w, vb, vc, sizeof vb);
    fmt_change(w, true, change, sizeof change);
    md_cell(b, it->run->field[TS_RES_F_model_name]);
    md_cell(b, it->run->field[TS_RES_F_target]);
    md_cell(b, it->run->field[TS_RES_F_kernels]);
    md_cell(b, it->overrides[0] ? it->overrides : "-");
    md_cell(b, label), md_cell(b, vb), md_cell(b, vc), md_cell(b, change);
    md_cell(b, p->note);
    sbuf_puts(b, "|\n");
}

/* Failing rows first, then by verdict, then in pair and metric order. */
static int by_rank(const void *x, const void *y)
{
    const rg_row *a = *(const rg_row *const *)x, *b = *(const rg_row *const *)y;

    if (a->fails != b->fails)
        return a->fails ? -1 : 1;
    if (a->verdict != b->verdict)
        return a->verdict < b->verdict ? -1 : 1;
    return (a > b) - (a < b);
}

static const char *plural(size_t n, const char *word, char *buf, size_t cap)
{
    snprintf(buf, cap, "%zu %s%s", n, word, n == 1 ? "" : "s");
    return buf;
}

/* One line: pairs, metrics compared and each verdict; the rarer counts only when not 0. */
static void md_summary(sbuf *b, const rg_result *res)
{
    const size_t *v = res->n_verdict;
    char p[48], m[48], r[48], i[48];

    sbuf_printf(b, "**%s**: %s, %s compared: %s, %s, ", res->n_failing ? "FAIL" : "PASS",
                plural(res->n_matched, "pair", p, sizeof p),
                plural(res->n_compared, "metric", m, sizeof m),
                plural(v[RG_WORSE], "regression", r, sizeof r),
                plural(v[RG_BETTER], "improvement", i, sizeof i));
    if (v[RG_TOLERATED])
        sbuf_printf(b, "%zu within threshold, ", v[RG_TOLERATED]);
    if (v[RG_CHANGED])
        sbuf_printf(b, "%zu changed (no better direction), ", v[RG_CHANGED]);
    sbuf_printf(b, "%zu unchanged", v[RG_SAME]);
    if (v[RG_ONLY_BASE] || v[RG_ONLY_CAND])
        sbuf_printf(b, "; metrics only in baseline %zu, only in candidate %zu", v[RG_ONLY_BASE],
                    v[RG_ONLY_CAND]);
    sbuf_printf(b, "; pairs only in baseline %zu, only in candidate %zu\n",
                res->n_pairs_only[0], res->n_pairs_only[1]);
}

static int markdown(sbuf *b, const rg_result *res, const side *s, const regress_args *a)
{
    const rg_row **order = malloc((res->n_rows + 1) * sizeof *order);
    size_t n = 0;

    if (!order)
        return cli_usage_error("regress: out of memory");
    sbuf_printf(b, "### tinysim regress\n\nBaseline: %s. Candidate: %s. Threshold %g%%%s%s.\n\n",
                s[0].how, s[1].how, a->o.threshold_pct, a->o.exact ? ", exact" : "",
                a->o.per_layer ? ", per layer" : "");
    for (size_t i = 0; i < res->n_rows; i++)
        if (res->rows[i].verdict != RG_SAME)
            order[n++] = &res->rows[i];
    qsort(order, n, sizeof *order, by_rank);
    if (n)
        sbuf_puts(b, "| model | target | kernels | overrides | metric | baseline | candidate "
                     "| change | note |\n|---|---|---|---|---|---:|---:|---|---|\n");
    for (size_t i = 0; i < n && (a->max_rows == 0 || i < a->max_rows); i++)
        md_row(b, res, order[i]);
    if (a->max_rows && n > a->max_rows)
        sbuf_printf(b, "\n%zu more changed rows not shown (--max-rows 0 shows all; --junit "
                       "lists every metric)\n", n - (size_t)a->max_rows);
    sbuf_puts(b, n ? "\n" : "No metric changed.\n\n");
    md_summary(b, res);
    free(order);
    return TS_EXIT_OK;
}

/* ---- JUnit ---- */

static void junit_case(sbuf *b, const rg_result *res, const rg_row *w, double threshold)
{
    const runset_item *it = pair_item(&res->pairs[w->pair]);
    char label[256], vb[48], vc[48], change[96];

    metric_label(w, label, sizeof label);
    fmt_values(w, vb, vc, sizeof vb);
    fmt_change(w, false, change, sizeof change);
    sbuf_puts(b, "    <testcase classname=\"");
    sbuf_esc(b, it->run->field[TS_RES_F_model_name]);
    sbuf_puts(b, "/");
    sbuf_esc(b, it->run->field[TS_RES_F_target]);
    sbuf_puts(b, "/");
    sbuf_esc(b, it->run->field[TS_RES_F_kernels]);
    if (it->overrides[0])
        sbuf_puts(b, "["), sbuf_esc(b, it->overrides), sbuf_puts(b, "]");
    sbuf_puts(b, "\" name=\"");
    sbuf_esc(b, label);
    sbuf_puts(b, "\" time=\"0\"");
    if (!w->fails && w->verdict != RG_ONLY_BASE && w->verdict != RG_ONLY_CAND) {
        sbuf_puts(b, "/>\n");
        return;
    }
    sbuf_puts(b, w->fails ? ">\n      <failure type=\"" : ">\n      <skipped type=\"");
    sbuf_esc(b, verdict_word[w->verdict]);
    sbuf_puts(b, "\" message=\"");
    sbuf_esc(b, label);
    sbuf_printf(b, ": %s -> %s, ", vb, vc);
    sbuf_esc(b, change);
    sbuf_printf(b, " (threshold %g%%)\"/>\n    </testcase>\n", threshold);
}

static void junit(sbuf *b, const rg_result *res, const regress_args *a)
{
    size_t skipped = 0;

    for (size_t i = 0; i < res->n_rows; i++)
        skipped += !res->rows[i].fails && (res->rows[i].verdict == RG_ONLY_BASE ||
                                           res->rows[i].verdict == RG_ONLY_CAND);
    sbuf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<testsuites name=\"tinysim regress\" tests=\"%zu\" failures=\"%zu\">\n"
                   "  <testsuite name=\"tinysim regress\" tests=\"%zu\" failures=\"%zu\" "
                   "errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
                res->n_rows, res->n_failing, res->n_rows, res->n_failing, skipped);
    for (size_t i = 0; i < res->n_rows; i++)
        junit_case(b, res, &res->rows[i], a->o.threshold_pct);
    sbuf_puts(b, "  </testsuite>\n</testsuites>\n");
}

/* ---- JSON ---- */

/* A row's value on one side: its text (status, provenance), its number, or null when the
 * metric is on the other side only. */
static cJSON *json_value(const rg_row *w, bool cand)
{
    const char *text = cand ? w->cand_text : w->base_text;

    if (w->verdict == (cand ? RG_ONLY_BASE : RG_ONLY_CAND))
        return cJSON_CreateNull();
    return text ? cJSON_CreateString(text) : cJSON_CreateNumber(cand ? w->cand : w->base);
}

static cJSON *json_row(const rg_result *res, const rg_row *w)
{
    const rg_pair *p = &res->pairs[w->pair];
    const runset_item *it = pair_item(p);
    bool numeric = w->verdict <= RG_CHANGED && !w->base_text;
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "model", it->run->field[TS_RES_F_model_name]);
    cJSON_AddStringToObject(o, "target", it->run->field[TS_RES_F_target]);
    cJSON_AddStringToObject(o, "kernels", it->run->field[TS_RES_F_kernels]);
    cJSON_AddStringToObject(o, "overrides", it->overrides);
    cJSON_AddItemToObject(o, "layer", w->layer == TS_RES_RUN_LAYER ? cJSON_CreateNull()
                                                                   : cJSON_CreateNumber(w->layer));
    cJSON_AddItemToObject(o, "op", w->op ? cJSON_CreateString(w->op) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "metric", w->metric);
    cJSON_AddItemToObject(o, "baseline", json_value(w, false));
    cJSON_AddItemToObject(o, "candidate", json_value(w, true));
    /* null when there is no percentage: text values, one side only, or a baseline of 0 */
    cJSON_AddItemToObject(o, "change_pct", numeric && isfinite(w->change_pct)
                                               ? cJSON_CreateNumber(w->change_pct)
                                               : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "verdict", verdict_word[w->verdict]);
    cJSON_AddBoolToObject(o, "fails", w->fails);
    cJSON_AddStringToObject(o, "note", p->note);
    return o;
}

static cJSON *json_side(const side *s)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "arg", s->arg);
    cJSON_AddNumberToObject(o, "runs", (double)s->set.n);
    return o;
}

/* The whole comparison: options, the summary's counts and every row (unchanged ones too). */
static char *json_report(const rg_result *res, const side *s, const regress_args *a)
{
    const size_t *v = res->n_verdict;
    cJSON *o = cJSON_CreateObject(), *sum, *rows;
    char *text;

    cJSON_AddBoolToObject(o, "pass", res->n_failing == 0);
    cJSON_AddItemToObject(o, "baseline", json_side(&s[0]));
    cJSON_AddItemToObject(o, "candidate", json_side(&s[1]));
    cJSON_AddNumberToObject(o, "threshold_pct", a->o.threshold_pct);
    cJSON_AddBoolToObject(o, "exact", a->o.exact);
    cJSON_AddBoolToObject(o, "per_layer", a->o.per_layer);
    sum = cJSON_AddObjectToObject(o, "summary");
    cJSON_AddNumberToObject(sum, "pairs", (double)res->n_matched);
    cJSON_AddNumberToObject(sum, "metrics_compared", (double)res->n_compared);
    cJSON_AddNumberToObject(sum, "failing", (double)res->n_failing);
    for (int i = 0; i < RG_N_VERDICTS; i++) {
        char key[40];
        snprintf(key, sizeof key, "%s", verdict_word[i]);
        for (char *c = key; *c; c++)
            *c = *c == ' ' ? '_' : *c;
        cJSON_AddNumberToObject(sum, key, (double)v[i]);
    }
    cJSON_AddNumberToObject(sum, "pairs_only_in_baseline", (double)res->n_pairs_only[0]);
    cJSON_AddNumberToObject(sum, "pairs_only_in_candidate", (double)res->n_pairs_only[1]);
    rows = cJSON_AddArrayToObject(o, "rows");
    for (size_t i = 0; i < res->n_rows; i++)
        cJSON_AddItemToArray(rows, json_row(res, &res->rows[i]));
    text = cJSON_Print(o);
    cJSON_Delete(o);
    return text;
}

/* ---- the command ---- */

/* Exit 2 when no pair matched, or a record metric named in --metric is in no run. */
static int check_matched(const rg_result *res, const side *s, const regress_args *a)
{
    if (res->n_matched == 0)
        return cli_usage_error("regress: nothing matched: no (model, target, kernels, "
                               "overrides) of the baseline (%zu runs) is in the candidate (%zu "
                               "runs)", s[0].set.n, s[1].set.n);
    for (int i = 0; i < a->o.n_select; i++)
        if (a->raw[i] && res->select_hits[i] == 0)
            return cli_usage_error("regress: --metric: no %smetric '%s' in any run",
                                   a->o.per_layer ? "" : "run ", a->o.select[i]);
    return TS_EXIT_OK;
}

static int write_outputs(const rg_result *res, const side *s, const regress_args *a)
{
    sbuf md = {0}, xml = {0};
    outfiles of = {0};
    char *json = NULL;
    int rc = markdown(&md, res, s, a);

    if (rc == TS_EXIT_OK && a->junit)
        junit(&xml, res, a);
    if (rc == TS_EXIT_OK && (md.oom || xml.oom))
        rc = cli_usage_error("regress: out of memory writing the report");
    if (rc == TS_EXIT_OK && a->markdown)
        rc = outfiles_stage(&of, a->markdown, NULL, 0, md.p, md.n);
    if (rc == TS_EXIT_OK && a->junit)
        rc = outfiles_stage(&of, a->junit, NULL, 0, xml.p, xml.n);
    if (rc == TS_EXIT_OK && a->json && !(json = json_report(res, s, a)))
        rc = cli_usage_error("regress: out of memory writing the report");
    rc = rc == TS_EXIT_OK ? outfiles_commit(&of) : (outfiles_abort(&of), rc);
    if (rc == TS_EXIT_OK && json)
        puts(json);
    else if (rc == TS_EXIT_OK)
        fwrite(md.p, 1, md.n, stdout);
    sbuf_free(&md), sbuf_free(&xml);
    cJSON_free(json);
    return rc;
}

static int list_metrics(void)
{
    printf("%-13s %-26s %-7s %s\n", "name", "record metrics", "better", "meaning");
    for (size_t i = 0; i < rg_n_metrics; i++)
        printf("%-13s %-26s %-7s %s\n", rg_metrics[i].name, rg_metrics[i].pattern,
               rg_metrics[i].dir == RG_LOWER ? "lower" : rg_metrics[i].dir == RG_HIGHER ? "higher"
                                                                                    : "-",
               rg_metrics[i].meaning);
    return TS_EXIT_OK;
}

int cmd_regress(int argc, char **argv)
{
    regress_args a = {0};
    side s[2] = {{.name = "baseline"}, {.name = "candidate"}};
    store_ref st = {0};
    rg_result res = {0};
    ts_err err;
    int rc = parse_args(argc, argv, &a, s);

    if (rc == TS_EXIT_OK && a.list)
        return list_metrics();
    if (rc == TS_EXIT_OK && a.junit) /* a bad output path fails before any reading */
        rc = outfiles_check(a.junit);
    if (rc == TS_EXIT_OK && a.markdown)
        rc = outfiles_check(a.markdown);
    st.opt = a.db;
    for (int i = 0; i < 2 && rc == TS_EXIT_OK; i++)
        rc = resolve(&s[i], &st);
    ts_err_clear(&err);
    if (rc == TS_EXIT_OK && rg_compare(&s[0].set, &s[1].set, &a.o, &res, &err) != TS_OK)
        rc = cli_report(&err);
    else if (rc == TS_EXIT_OK && (rc = check_matched(&res, s, &a)) == TS_EXIT_OK)
        rc = write_outputs(&res, s, &a);
    if (rc == TS_EXIT_OK && res.n_failing)
        rc = TS_EXIT_FAIL;
    rg_result_free(&res);
    runset_free(&s[0].set), runset_free(&s[1].set);
    ts_results_close(st.db);
    return rc;
}
