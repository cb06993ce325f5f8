/* runner.c: loading a target with overrides, the default input, one engine run with its
 * outputs, output comparison and traffic by memory level, shared by `bench` and `compare`
 * (see runner.h). Layer: bench/. No tables printed here. */
#include "runner.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "cli.h"

/* A bare target name (no '/', no ".json") whose file does not exist: "NAME: no such target
 * in DIR (expected one of A, B, ...; see 'tinysim targets')". */
static ts_status unknown_target(const char *name, ts_err *err)
{
    char *names[64], list[200] = "";
    const char *dir = ts_target_dir(NULL);
    int n = cli_list_json(dir, names, 64);
    size_t o = 0;

    for (int i = 0; i < n; i++) {
        names[i][strlen(names[i]) - 5] = '\0'; /* NAME.json -> NAME */
        if (o < sizeof list)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", names[i]);
        free(names[i]);
    }
    if (n <= 0)
        return ts_err_set(err, TS_ERR_IO, "%s: no such target (%s has no target files)", name,
                          dir);
    return ts_err_set(err, TS_ERR_IO, "%s: no such target in %s (expected one of %s; see "
                      "'tinysim targets')", name, dir, list);
}

static bool is_bare_name(const char *name)
{
    size_t n = strlen(name);

    return !strchr(name, '/') && !(n > 5 && strcmp(name + n - 5, ".json") == 0);
}

ts_status runner_load_target(const char *name, const char *const *sets, int n_sets,
                             const char *cmd, ts_target *t, ts_err *err)
{
    char path[1024];
    struct stat sb;
    ts_status st = ts_target_resolve(name, NULL, path, sizeof path, err);

    if (!st && is_bare_name(name) && stat(path, &sb) != 0 && errno == ENOENT)
        return unknown_target(name, err);
    if (!st)
        st = ts_target_load(path, t, err);
    return st ? st : runner_apply_sets(t, sets, n_sets, cmd, err);
}

ts_status runner_apply_sets(ts_target *t, const char *const *sets, int n_sets, const char *cmd,
                            ts_err *err)
{
    char keys[RUNNER_MAX_SETS][256];
    const char *key[RUNNER_MAX_SETS], *value[RUNNER_MAX_SETS];
    ts_status st = TS_OK;

    assert(n_sets <= RUNNER_MAX_SETS);
    for (int i = 0; i < n_sets && !st; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof keys[i])
            return ts_err_set(err, TS_ERR_USAGE, "%s: --set %s: expected KEY=VALUE (keys: "
                              "'tinysim targets --keys')", cmd, sets[i]);
        memcpy(keys[i], sets[i], (size_t)(eq - sets[i]));
        keys[i][eq - sets[i]] = '\0';
        key[i] = keys[i], value[i] = eq + 1;
    }
    if (!st && n_sets)
        st = ts_target_set_many(t, key, value, n_sets, err);
    return st;
}

ts_kernels runner_kernels_auto(const ts_target *t)
{
    return t->has_dsp ? TS_KERNELS_SIMD : TS_KERNELS_REF;
}

/* ---- inputs ---- */

static int set_inputs(ts_engine *e, const ts_model *m, const char *model, const tio_args *a,
                      int32_t invocations)
{
    const ts_ref *r = ts_engine_ref(e);
    uint32_t state = TIO_DEFAULT_STATE;
    int rc = tio_check_counts(a, model, r);
    ts_err err;

    ts_err_clear(&err);
    for (int i = 0; i < ts_ref_n_inputs(r) && rc == TS_EXIT_OK; i++) {
        ts_ref_io io;
        uint8_t *buf = NULL;
        const uint8_t *data = NULL;
        int32_t frames = 1;
        ts_ref_input_info(r, i, &io);
        if (a->n_in)
            rc = tio_read_input(a, i, r, ts_model_graph(m), invocations, &buf, &data, &frames);
        else if ((buf = ts_calloc(1, io.size_bytes + 1)) != NULL)
            tio_default_input(&io, &state, buf), data = buf;
        else
            rc = cli_usage_error("%s: out of memory for input %d", model, i);
        if (rc == TS_EXIT_OK && ts_engine_set_input_frames(e, i, data, io.size_bytes *
                                                           (size_t)frames, frames, &err) != TS_OK)
            rc = cli_report(&err);
        ts_free(buf);
    }
    return rc;
}

/* ---- run and outputs ---- */

static int read_outputs(ts_engine *e, uint8_t **outs, int n, const char *model)
{
    ts_err err;

    ts_err_clear(&err);
    for (int i = 0; i < n; i++) {
        ts_ref_io io;
        ts_ref_output_info(ts_engine_ref(e), i, &io);
        outs[i] = ts_calloc(1, io.size_bytes + 1);
        if (!outs[i])
            return cli_usage_error("%s: out of memory for output %d", model, i);
        if (ts_engine_output(e, i, outs[i], io.size_bytes, NULL, &err) != TS_OK)
            return cli_report(&err);
    }
    return TS_EXIT_OK;
}

int runner_run_engine(runner_run *r, const ts_model *m, const char *model, const tio_args *io)
{
    int rc;
    ts_err err;

    ts_err_clear(&err);
    r->n_out = ts_ref_n_outputs(ts_engine_ref(r->e));
    if (!(r->outs = ts_calloc((size_t)r->n_out + 1, sizeof *r->outs)))
        return cli_usage_error("%s: out of memory for the outputs", model);
    if ((rc = set_inputs(r->e, m, model, io, (int32_t)(r->invocations ? r->invocations : 1))) !=
        TS_EXIT_OK)
        return rc;
    if (ts_engine_run_n(r->e, r->invocations ? r->invocations : 1, &err) != TS_OK)
        return cli_report(&err);
    return read_outputs(r->e, r->outs, r->n_out, model);
}

void runner_close(runner_run *r)
{
    for (int i = 0; r->outs && i < r->n_out; i++)
        ts_free(r->outs[i]);
    ts_free(r->outs);
    ts_engine_close(r->e);
    memset(r, 0, sizeof *r);
}

bool runner_outputs_differ(const runner_run *a, const runner_run *b, int *out, size_t *byte)
{
    for (int i = 0; i < a->n_out && i < b->n_out; i++) {
        ts_ref_io io;
        ts_ref_output_info(ts_engine_ref(a->e), i, &io);
        for (size_t k = 0; k < io.size_bytes; k++)
            if (a->outs[i][k] != b->outs[i][k]) {
                *out = i, *byte = k;
                return true;
            }
    }
    return false;
}

/* ---- traffic by level ---- */

static void add_counters(ts_mem_counters *d, const ts_mem_counters *s)
{
    d->fetch_accesses += s->fetch_accesses, d->fetch_bytes += s->fetch_bytes;
    d->read_accesses += s->read_accesses, d->read_bytes += s->read_bytes;
    d->write_accesses += s->write_accesses, d->write_bytes += s->write_bytes;
    d->stall_cycles += s->stall_cycles;
    d->icache_hits += s->icache_hits, d->icache_misses += s->icache_misses;
    d->dcache_hits += s->dcache_hits, d->dcache_misses += s->dcache_misses;
}

int runner_level_index(const runner_levels *lv, int kind)
{
    for (unsigned i = 0; i < lv->n; i++)
        if (lv->kind[i] == kind)
            return (int)i;
    return -1;
}

unsigned runner_level_add(runner_levels *lv, int kind)
{
    unsigned i = 0;
    int at = runner_level_index(lv, kind);

    if (at >= 0)
        return (unsigned)at;
    assert(lv->n < RUNNER_MAX_LEVELS);
    while (i < lv->n && lv->kind[i] < kind)
        i++;
    memmove(&lv->kind[i + 1], &lv->kind[i], (lv->n - i) * sizeof lv->kind[0]);
    memmove(&lv->n_regions[i + 1], &lv->n_regions[i], (lv->n - i) * sizeof lv->n_regions[0]);
    memmove(&lv->sum[i + 1], &lv->sum[i], (lv->n - i) * sizeof lv->sum[0]);
    lv->kind[i] = kind, lv->n_regions[i] = 0;
    memset(&lv->sum[i], 0, sizeof lv->sum[i]);
    lv->n++;
    return i;
}

void runner_sum_levels(const ts_target *t, const ts_unit_cost *c, runner_levels *out)
{
    memset(out, 0, sizeof *out);
    for (uint32_t i = 0; i < t->n_regions; i++)
        runner_level_add(out, t->regions[i].kind);
    for (uint32_t i = 0; i < t->n_regions; i++) {
        int k = runner_level_index(out, t->regions[i].kind);
        out->n_regions[k]++;
        if (c && i < c->n_regions)
            add_counters(&out->sum[k], &c->region[i]);
    }
}
