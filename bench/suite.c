/* suite.c: bench --suite (see suite.h): reads the suite file (its common members through
 * batch.h), expands the matrix, runs each cell as a child `tinysim bench --json` that records
 * itself in the store (batch_run), and prints the summary. Layer: bench/ (prints). */
#define _POSIX_C_SOURCE 200809L
#include "suite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"

#define SET_LABEL_BYTES 16

typedef struct suite {
    batch_spec spec;
    char name[128];
    const cJSON *sets;       /* array of arrays of strings, in doc; NULL = one empty variant */
    int n_sets;
    char (*detail)[SET_LABEL_BYTES]; /* "set#N" per set ("" for an empty one) */
    char (*column)[SET_LABEL_BYTES]; /* "  N" per set */
    const suite_opts *o;
} suite;

/* The cell of job j: model, target, kernels and set indices. */
typedef struct cell {
    int model, target, kernels, set;
} cell;

static const char *const suite_members[] = {"name", "description", "models", "generate",
                                            "targets", "kernels", "sets", NULL};

static int load_sets(suite *s)
{
    const batch_spec *b = &s->spec;
    const cJSON *v;

    s->sets = cJSON_GetObjectItemCaseSensitive(b->doc, "sets");
    if (s->sets && (!cJSON_IsArray(s->sets) || cJSON_GetArraySize(s->sets) > BATCH_AXIS_MAX))
        return batch_bad(b, "sets", "expected an array of arrays of \"KEY=VALUE\" strings");
    cJSON_ArrayForEach(v, s->sets) {
        const cJSON *kv;
        if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > 16)
            return batch_bad(b, "sets", "expected arrays of at most 16 \"KEY=VALUE\" strings");
        cJSON_ArrayForEach(kv, v)
            if (!cJSON_IsString(kv) || !strchr(kv->valuestring, '='))
                return batch_bad(b, "sets", "expected \"KEY=VALUE\" strings");
    }
    s->n_sets = s->sets ? cJSON_GetArraySize(s->sets) : 1;
    s->detail = calloc((size_t)s->n_sets, sizeof *s->detail);
    s->column = calloc((size_t)s->n_sets, sizeof *s->column);
    if (!s->detail || !s->column)
        return batch_bad(b, "sets", "out of memory");
    for (int i = 0; i < s->n_sets; i++) {
        if (s->sets && cJSON_GetArraySize(cJSON_GetArrayItem(s->sets, i)) > 0)
            snprintf(s->detail[i], SET_LABEL_BYTES, "set#%d", i);
        snprintf(s->column[i], SET_LABEL_BYTES, "%3d", i);
    }
    return TS_EXIT_OK;
}

static int load_suite(suite *s, const suite_opts *o)
{
    const cJSON *name;
    int rc = batch_spec_load(&s->spec, o->file, o->models_dir, suite_members);

    if (rc != TS_EXIT_OK)
        return rc;
    name = cJSON_GetObjectItemCaseSensitive(s->spec.doc, "name");
    if (!cJSON_IsString(name) || !name->valuestring[0])
        return batch_bad(&s->spec, "name", "expected a non-empty string");
    snprintf(s->name, sizeof s->name, "%s", name->valuestring);
    return load_sets(s);
}

/* The matrix in order model, target, kernels, set; simd only where the core has DSP. */
static int expand(const suite *s, batch_job **jobs, cell **cells)
{
    const batch_spec *b = &s->spec;
    size_t cap = (size_t)(b->n_models * b->n_targets * b->n_kernels * s->n_sets) + 1;
    int n = 0;

    *jobs = calloc(cap, sizeof **jobs);
    *cells = calloc(cap, sizeof **cells);
    for (int m = 0; *jobs && *cells && m < b->n_models; m++)
        for (int t = 0; t < b->n_targets; t++)
            for (int k = 0; k < b->n_kernels; k++)
                for (int v = 0; v < s->n_sets; v++) {
                    if (!batch_kernels_apply(b, k, t))
                        continue;
                    (*cells)[n] = (cell){m, t, k, v};
                    (*jobs)[n] = (batch_job){.ref = n, .model = b->models[m],
                                             .target = b->targets[t], .kernels = b->kernels[k],
                                             .detail = s->detail[v], .column = s->column[v]};
                    n++;
                }
    return *jobs && *cells ? n : -1;
}

typedef struct run_ctx {
    const suite *s;
    const cell *cells;
} run_ctx;

static void argv_of(const batch_job *j, const char **argv, void *ctx)
{
    const run_ctx *r = ctx;
    const suite *s = r->s;
    const cell *c = &r->cells[j->ref];
    const cJSON *kv, *set = s->sets ? cJSON_GetArrayItem(s->sets, c->set) : NULL;
    int n = 0;

    argv[n++] = "tinysim", argv[n++] = "bench", argv[n++] = "--target";
    argv[n++] = j->target, argv[n++] = "--kernels", argv[n++] = j->kernels;
    argv[n++] = j->model, argv[n++] = "--json", argv[n++] = "--record-suite", argv[n++] = s->name;
    cJSON_ArrayForEach(kv, set)
        argv[n++] = "--set", argv[n++] = kv->valuestring;
    for (int i = 0; i < s->o->n_tags; i++)
        argv[n++] = "--tag", argv[n++] = s->o->tags[i];
    if (s->o->no_db)
        argv[n++] = "--no-db";
    else
        argv[n++] = "--db", argv[n++] = s->o->db;
    argv[n] = NULL;
}

int suite_run(const suite_opts *o)
{
    suite s = {.o = o};
    batch_job *jobs = NULL;
    cell *cells = NULL;
    int n = 0, rc;
    char title[160];

    rc = load_suite(&s, o);
    if (rc == TS_EXIT_OK && (n = expand(&s, &jobs, &cells)) < 0)
        rc = cli_usage_error("%s: out of memory", o->file);
    if (rc == TS_EXIT_OK) {
        run_ctx ctx = {&s, cells};
        printf("suite %s: %d runs (%d models x %d targets x %d kernel variants x %d override "
               "sets), %u at once, database %s\n", s.name, n, s.spec.n_models,
               s.spec.n_targets, s.spec.n_kernels, s.n_sets, o->jobs,
               o->no_db ? "none (--no-db)" : o->db);
        snprintf(title, sizeof title, "suite %s", s.name);
        batch_opts bo = {o->jobs, title, "set", 3, false, argv_of, NULL, &ctx};
        rc = batch_run(jobs, n, &bo) || batch_interrupted() ? TS_EXIT_FAIL : TS_EXIT_OK;
    }
    free(jobs), free(cells);
    free(s.detail), free(s.column);
    batch_spec_free(&s.spec);
    return rc;
}
