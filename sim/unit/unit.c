/* unit.c: the registry of execution-unit classes (one static table, looked up by name) and the
 * open/close life cycle shared by every unit. Layer: sim/unit. No timing and no values here:
 * those live in each unit's file. Never prints. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "unit.h"

extern const ts_unit_ops ts_unit_cpu_ops; /* cpu.c */

/* Every unit class, in the order `tinysim` lists them. */
static const ts_unit_ops *const classes[] = {
    &ts_unit_cpu_ops,
};

#define N_CLASSES (sizeof classes / sizeof classes[0])

unsigned ts_unit_n_classes(void)
{
    return (unsigned)N_CLASSES;
}

const ts_unit_ops *ts_unit_class_at(unsigned i)
{
    return i < N_CLASSES ? classes[i] : NULL;
}

const ts_unit_ops *ts_unit_find(const char *name)
{
    for (size_t i = 0; name && i < N_CLASSES; i++)
        if (strcmp(classes[i]->name, name) == 0)
            return classes[i];
    return NULL;
}

ts_status ts_unit_open(const char *name, const ts_unit_cfg *cfg, ts_unit **out, ts_err *err)
{
    const ts_unit_ops *ops = ts_unit_find(name);
    ts_unit *u;
    ts_status st;

    assert(cfg && out);
    *out = NULL;
    if (!ops) {
        char names[128] = "";
        for (size_t i = 0; i < N_CLASSES; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     classes[i]->name);
        return ts_err_set(err, TS_ERR_CONFIG, "unit '%s' does not exist (expected one of: %s)",
                          name ? name : "(null)", names);
    }
    assert(ops->state_size >= sizeof(ts_unit) && ops->version >= 1);
    u = ts_calloc(1, ops->state_size);
    if (!u)
        return ts_err_set(err, TS_ERR_NOMEM, "unit %s: out of memory", ops->name);
    u->ops = ops;
    if ((st = ops->init(u, cfg, err)) != TS_OK) {
        ts_free(u);
        return st;
    }
    *out = u;
    return TS_OK;
}

void ts_unit_close(ts_unit *u)
{
    if (!u)
        return;
    u->ops->fini(u);
    ts_free(u);
}

static const ts_unit_counter_info counter_table[TS_UNIT_N_COUNTERS] = {
#define TS_UNIT_COUNTER(field, units, json_key, event, meaning) \
    {#field, units, json_key, event, meaning, offsetof(ts_unit_counters, field)},
#include "unit_counters.def"
#undef TS_UNIT_COUNTER
};

const ts_unit_counter_info *ts_unit_counter_at(unsigned i)
{
    assert(i < TS_UNIT_N_COUNTERS);
    return &counter_table[i];
}

bool ts_unit_counters_any(const ts_unit_counters *n)
{
    for (unsigned i = 0; i < TS_UNIT_N_COUNTERS; i++)
        if (ts_unit_counter_get(n, &counter_table[i]))
            return true;
    return false;
}

void ts_unit_counters_diff(ts_unit_counters *out, const ts_unit_counters *before,
                           const ts_unit_counters *after)
{
#define TS_UNIT_COUNTER(field, units, json_key, event, meaning) \
    out->field = after->field - before->field;
#include "unit_counters.def"
#undef TS_UNIT_COUNTER
}

void ts_unit_cost_add(ts_unit_cost *sum, const ts_unit_cost *c)
{
    sum->cycles += c->cycles;
    sum->insns += c->insns;
    sum->stall_cycles += c->stall_cycles;
    sum->n_regions = c->n_regions;
    for (unsigned i = 0; i < c->n_regions; i++)
        ts_mem_counters_add(&sum->region[i], &c->region[i]);
#define TS_UNIT_COUNTER(field, units, json_key, event, meaning) sum->unit.field += c->unit.field;
#include "unit_counters.def"
#undef TS_UNIT_COUNTER
}
