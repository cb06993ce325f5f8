/* pareto.c: the Pareto front and the metrics of a sweep (see pareto.h). Layer: bench/
 * (tsreport library); no printing, no I/O. */
#include "pareto.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The short metric names; "area" and "pes" have no recorded metric (computed from the
 * configuration). */
static const pareto_metric metrics[] = {
    {"cycles", "cycles", "cycles", "total cycles of the run", NULL},
    {"latency", "latency_ms", "ms", "latency at the target's clock", NULL},
    {"energy", "energy_uj.total", "uJ", "energy of one inference, all components", NULL},
    {"ram", "memory.ram_used_bytes", "bytes", "RAM the run uses: arena, tables, stack", NULL},
    {"area", NULL, "bytes",
     "on-chip memory bytes configured: SRAM, TCM, unit buffers; an area proxy",
     pareto_onchip_bytes},
    {"pes", NULL, "PEs", "int8 MAC units configured: array rows x cols, DSP MAC lanes",
     pareto_pes},
};
#define N_METRICS (int)(sizeof metrics / sizeof metrics[0])

/* a dominates b: no worse in every metric, better in one (lower is better). */
static bool dominates(const double *a, const double *b, int k)
{
    bool better = false;

    for (int m = 0; m < k; m++) {
        if (!(a[m] <= b[m])) /* also false when either is NaN */
            return false;
        better = better || a[m] < b[m];
    }
    return better;
}

static bool has_nan(const double *a, int k)
{
    for (int m = 0; m < k; m++)
        if (isnan(a[m]))
            return true;
    return false;
}

int pareto_front(const double *v, int n, int k, bool *on_front)
{
    int count = 0;

    for (int i = 0; i < n; i++) {
        const double *p = v + (size_t)i * (size_t)k;
        bool front = !has_nan(p, k);
        for (int j = 0; j < n && front; j++)
            front = j == i || !dominates(v + (size_t)j * (size_t)k, p, k);
        on_front[i] = front;
        count += front;
    }
    return count;
}

const pareto_metric *pareto_metric_at(int i)
{
    return i >= 0 && i < N_METRICS ? &metrics[i] : NULL;
}

const pareto_metric *pareto_metric_find(const char *name, pareto_metric *scratch)
{
    for (int i = 0; i < N_METRICS; i++)
        if (!strcmp(metrics[i].name, name))
            return &metrics[i];
    *scratch = (pareto_metric){name, name, "", "a recorded whole-run metric", NULL};
    return scratch;
}

/* Adds the numbers under o whose key ends in "_bytes", at any depth. */
static double sum_bytes_members(const cJSON *o)
{
    const cJSON *it;
    double sum = 0;

    cJSON_ArrayForEach(it, o) {
        size_t n = it->string ? strlen(it->string) : 0;
        if (cJSON_IsObject(it))
            sum += sum_bytes_members(it);
        else if (cJSON_IsNumber(it) && n > 6 && !strcmp(it->string + n - 6, "_bytes"))
            sum += it->valuedouble;
    }
    return sum;
}

bool pareto_onchip_bytes(const char *target_config, double *out)
{
    cJSON *cfg = target_config ? cJSON_Parse(target_config) : NULL;
    const cJSON *mem = cJSON_GetObjectItemCaseSensitive(cfg, "memory"), *r;
    double sum = 0;

    if (!cJSON_IsArray(mem)) {
        cJSON_Delete(cfg);
        return false;
    }
    cJSON_ArrayForEach(r, mem) {
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "kind"));
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(r, "size");
        if (kind && (!strcmp(kind, "sram") || !strcmp(kind, "tcm")) && cJSON_IsNumber(size))
            sum += size->valuedouble;
    }
    sum += sum_bytes_members(cJSON_GetObjectItemCaseSensitive(cfg, "units"));
    cJSON_Delete(cfg);
    *out = sum;
    return true;
}

/* A number of object o (0 when absent). */
static double number_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

bool pareto_pes(const char *target_config, double *out)
{
    cJSON *cfg = target_config ? cJSON_Parse(target_config) : NULL;
    const cJSON *units = cJSON_GetObjectItemCaseSensitive(cfg, "units");
    const cJSON *sys = cJSON_GetObjectItemCaseSensitive(units, "systolic");
    const cJSON *dsp = cJSON_GetObjectItemCaseSensitive(units, "dsp");
    bool ok = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(cfg, "memory"));

    if (ok)
        *out = number_of(sys, "rows") * number_of(sys, "cols") +
               number_of(dsp, "mac_lanes_int8");
    cJSON_Delete(cfg);
    return ok;
}

bool pareto_value(const ts_res_run *r, const pareto_metric *m, double *out)
{
    if (m->of_config)
        return m->of_config(r->field[TS_RES_F_target_config], out);
    return ts_res_run_metric(r, TS_RES_RUN_LAYER, m->metric, out);
}
