/* unit.c: the registry of execution-unit classes (one static table, looked up by name), the
 * open/close life cycle shared by every unit, and the register protocol of device units
 * (fw_abi.h: DOORBELL, STATUS, RESULT), run the same way for every one of them, and the cost
 * book-keeping every unit shares (counters, clock conversion, DMA traffic per region). Layer:
 * sim/unit. No timing model and no values here: those live in each unit's file. Never prints. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "firmware/fw_abi.h"
#include "unit.h"

extern const ts_unit_ops ts_unit_cpu_ops; /* cpu.c */
extern const ts_unit_ops ts_unit_dsp_ops; /* dsp.c */
extern const ts_unit_ops ts_unit_systolic_ops; /* systolic.c */

/* Every unit class, in the order `tinysim` lists them (and the engine tries device units). */
static const ts_unit_ops *const classes[] = {
    &ts_unit_cpu_ops,
    &ts_unit_dsp_ops,
    &ts_unit_systolic_ops,
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

int ts_unit_regs_region(const ts_target *t, const char *name)
{
    for (uint32_t i = 0; i < t->n_regions; i++)
        if (t->regions[i].kind == TS_MEM_MMIO && strcmp(t->regions[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* DOORBELL: read the descriptor the firmware wrote, run it on the unit, start the clock. */
static void ring(ts_unit *u, uint32_t desc_addr)
{
    ts_unit_port *p = &u->port;
    ts_core *core = ts_platform_core(p->platform);
    tsfw_op d;
    ts_unit_io io;
    ts_err err;

    ts_err_clear(&err);
    if (!p->expecting) {
        ts_core_device_fault(core, "unit doorbell rung with no op placed on the unit");
        return;
    }
    if (ts_core_read(core, desc_addr, &d, sizeof d, &err)) {
        ts_core_device_fault(core, err.msg);
        return;
    }
    memset(&io, 0, sizeof io);
    memcpy(io.in_addr, d.in_addr, sizeof io.in_addr);
    io.out_addr = d.out_addr, io.scratch_addr = d.scratch_addr;
    io.multiplier_addr = d.multiplier_addr, io.shift_addr = d.shift_addr;
    memset(&p->cost, 0, sizeof p->cost);
    if (u->ops->execute(u, &p->op, &io, &p->cost, &err)) {
        ts_core_device_fault(core, err.msg);
        return;
    }
    p->expecting = false;
    p->ran = p->busy = true;
    p->result = TSK_OK;
    p->done_at = ts_core_now(core) + p->cost.cycles;
}

static void port_write(void *opaque, uint32_t off, unsigned size, uint32_t v)
{
    (void)size;
    if (off == TSFW_UNIT_DOORBELL)
        ring(opaque, v);
}

static uint32_t port_read(void *opaque, uint32_t off, unsigned size)
{
    ts_unit_port *p = &((ts_unit *)opaque)->port;

    (void)size;
    if (off == TSFW_UNIT_STATUS) {
        bool done = !p->busy || ts_core_now(ts_platform_core(p->platform)) >= p->done_at;
        p->busy = p->busy && !done;
        return done ? TSFW_UNIT_DONE : 0;
    }
    return off == TSFW_UNIT_RESULT ? p->result : 0;
}

static uint64_t port_event(void *opaque)
{
    const ts_unit_port *p = &((const ts_unit *)opaque)->port;

    return p->busy ? p->done_at : UINT64_MAX; /* the done interrupt */
}

static ts_status attach_port(ts_unit *u, const ts_unit_cfg *cfg, ts_err *err)
{
    int r = ts_unit_regs_region(cfg->target, u->ops->name);
    ts_core_device dev = {port_read, port_write, port_event, u};

    if (r < 0)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: unit %s needs a memory region of kind mmio "
                          "named '%s' for its registers", cfg->target->path, u->ops->name,
                          u->ops->name);
    u->port.platform = cfg->platform;
    u->port.source = cfg->source;
    u->port.regs_base = (uint32_t)cfg->target->regions[r].base;
    return ts_core_attach_device(ts_platform_core(cfg->platform), (unsigned)r, &dev, err);
}

void ts_unit_expect(ts_unit *u, const ts_unit_op *op)
{
    assert(ts_unit_is_device(u));
    u->port.op = *op;
    u->port.expecting = true;
    u->port.ran = false;
}

ts_status ts_unit_take(ts_unit *u, ts_unit_cost *cost, ts_err *err)
{
    ts_unit_port *p = &u->port;

    if (!p->ran)
        return ts_err_set(err, TS_ERR_INTERNAL, "%s: op %d (%s): unit %s never received the "
                          "op (the firmware did not ring its doorbell)", p->source, p->op.index,
                          p->op.name, u->ops->name);
    p->ran = false;
    *cost = p->cost;
    return TS_OK;
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
    if (ts_unit_is_device(u) && (st = attach_port(u, cfg, err)) != TS_OK) {
        ts_unit_close(u);
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
    sum->wait_cycles += c->wait_cycles;
    sum->n_regions = c->n_regions;
    for (unsigned i = 0; i < c->n_regions; i++)
        ts_mem_counters_add(&sum->region[i], &c->region[i]);
#define TS_UNIT_COUNTER(field, units, json_key, event, meaning) sum->unit.field += c->unit.field;
#include "unit_counters.def"
#undef TS_UNIT_COUNTER
}

uint64_t ts_unit_core_cycles(uint64_t unit_hz, uint64_t core_hz, uint64_t unit_cycles)
{
    if (unit_hz == 0 || unit_hz == core_hz)
        return unit_cycles;
    return (uint64_t)ceill((long double)unit_cycles * core_hz / unit_hz);
}

void ts_unit_charge_dma(const ts_unit_cfg *cfg, ts_unit_cost *cost, uint32_t addr, uint64_t n,
                        bool write)
{
    ts_mem *mem = ts_core_mem(ts_platform_core(cfg->platform));
    int ri = addr ? ts_mem_find(mem, addr) : -1;
    const ts_target_region *r;
    ts_mem_counters *c;
    uint64_t beat;

    if (ri < 0 || n == 0)
        return;
    r = &cfg->target->regions[ri];
    beat = r->width_bits / 8 ? r->width_bits / 8 : 4;
    c = &cost->region[ri];
    if (write) {
        c->write_bytes += n;
        c->write_accesses += (n + beat - 1) / beat;
    } else {
        c->read_bytes += n;
        c->read_accesses += (n + beat - 1) / beat;
    }
}
