/* dsp.c: the "dsp" execution unit: a HiFi-class integrated DSP beside the core (the course's
 * "processor that is integrated", optimised for one function), reached by the firmware as a
 * memory-mapped device (unit.c runs the doorbell protocol of fw_abi.h). For each op it is
 * handed it computes the values by running the same kernels on the host over the emulated
 * memory (the descriptor the firmware wrote, dispatched by the one op table: tsfw_host.c), so
 * outputs are bit-identical to every other target, and its time and events from the timing
 * model (dsp_model.c: MAC lanes, load/store slots, local memory tiles, DMA). Its DMA traffic
 * is charged to the system regions holding each operand, one access per bus-width beat.
 * Layer: sim/unit. No cycle numbers here (the model and the target file hold them); no values
 * computed here (the kernels compute them). Never prints.
 * Not modelled (beyond dsp_model.h's list): the DSP fetching its own code, contention between
 * its DMA and the sleeping core (none: the core sleeps), cache effects of DMA on the core's
 * flash caches. */
#include <assert.h>
#include <string.h>

#include "dsp_model.h"
#include "unit.h"

typedef struct dsp_unit {
    ts_unit base; /* first member */
    ts_unit_cfg cfg;
    const ts_target_dsp *p;
    uint64_t n_ops, busy_cycles, mac_ops;
} dsp_unit;

static ts_status dsp_init(ts_unit *u, const ts_unit_cfg *cfg, ts_err *err)
{
    dsp_unit *d = (dsp_unit *)u;

    assert(cfg->platform && cfg->target && cfg->source);
    d->cfg = *cfg;
    d->p = &cfg->target->dsp;
    if (!d->p->present)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: units.dsp: missing (the target has an mmio "
                          "region 'dsp' but no DSP unit parameters)", cfg->target->path);
    return ts_dsp_check(d->p, cfg->target->path, err);
}

static bool dsp_supports(const ts_unit *u, const ts_unit_op *op)
{
    ts_dsp_op o;

    ts_dsp_op_from_ref(op->prep, &o);
    return ts_dsp_supports(((const dsp_unit *)u)->p, &o);
}

/* The model's cost as a unit cost: cycles in core cycles, the unit's own counters. */
static ts_status model_cost(dsp_unit *d, const ts_unit_op *op, ts_dsp_cost *m,
                            ts_unit_cost *cost, ts_err *err)
{
    ts_dsp_op o;
    ts_status st;

    ts_dsp_op_from_ref(op->prep, &o);
    if ((st = ts_dsp_estimate(d->p, &o, m, err)))
        return st;
    memset(cost, 0, sizeof *cost);
    cost->cycles = ts_dsp_core_cycles(d->p, d->cfg.target->clock_hz, m->busy_cycles);
    cost->unit.busy_cycles = m->busy_cycles;
    cost->unit.mac_ops = m->mac_ops;
    cost->unit.alu_ops = m->alu_ops;
    cost->unit.local_read_bytes = m->local_read_bytes;
    cost->unit.local_write_bytes = m->local_write_bytes;
    cost->unit.dma_bytes = m->dma_bytes;
    cost->unit.dma_transfers = m->dma_transfers;
    return TS_OK;
}

static ts_status dsp_estimate(ts_unit *u, const ts_unit_op *op, ts_unit_cost *cost, ts_err *err)
{
    ts_dsp_cost m;

    return model_cost((dsp_unit *)u, op, &m, cost, err);
}

/* The DMA's system traffic per operand, charged where each operand lives: input 0; weights
 * (or a binary op's second input) at input 1; bias and requantisation words at input 2 (else
 * the multiplier table); the output at the output. Operands with no address (the softmax exp
 * table, which the model counts as weights) are charged to the input's region. */
static void charge_operands(dsp_unit *d, const ts_dsp_cost *m, const ts_unit_io *io,
                            ts_unit_cost *cost)
{
    uint32_t w = io->in_addr[1] ? io->in_addr[1] : io->in_addr[0];
    uint32_t b = io->in_addr[2] ? io->in_addr[2] : io->multiplier_addr ? io->multiplier_addr : w;

    cost->n_regions = d->cfg.target->n_regions;
    ts_unit_charge_dma(&d->cfg, cost, io->in_addr[0], m->sys_read_bytes[TS_DSP_INPUT], false);
    ts_unit_charge_dma(&d->cfg, cost, w, m->sys_read_bytes[TS_DSP_WEIGHTS], false);
    ts_unit_charge_dma(&d->cfg, cost, b, m->sys_read_bytes[TS_DSP_BIAS], false);
    ts_unit_charge_dma(&d->cfg, cost, io->out_addr, m->sys_read_bytes[TS_DSP_OUTPUT], false);
    for (int k = 0; k < TS_DSP_N_OPERANDS; k++)
        ts_unit_charge_dma(&d->cfg, cost, io->out_addr, m->sys_write_bytes[k], true);
}

/* Called from the doorbell (unit.c) with the addresses of the descriptor the firmware wrote. */
static ts_status dsp_execute(ts_unit *u, const ts_unit_op *op, const ts_unit_io *io,
                             ts_unit_cost *cost, ts_err *err)
{
    dsp_unit *d = (dsp_unit *)u;
    ts_dsp_cost m;
    ts_status st;

    st = ts_unit_run_host(op, io, ts_unit_map_memory, ts_platform_core(d->cfg.platform),
                          d->cfg.source, err);
    if (!st)
        st = model_cost(d, op, &m, cost, err);
    if (st)
        return st;
    charge_operands(d, &m, io, cost);
    d->n_ops++;
    d->busy_cycles += m.busy_cycles;
    d->mac_ops += m.mac_ops;
    return TS_OK;
}

static void dsp_stats(const ts_unit *u, const ts_unit_sink *sink)
{
    const dsp_unit *d = (const dsp_unit *)u;

    sink->fn(sink->opaque, "ops", (double)d->n_ops);
    sink->fn(sink->opaque, "busy_cycles", (double)d->busy_cycles);
    sink->fn(sink->opaque, "mac_ops", (double)d->mac_ops);
}

static void dsp_fini(ts_unit *u)
{
    (void)u;
}

const ts_unit_ops ts_unit_dsp_ops = {
    .version = TS_UNIT_VERSION,
    .name = "dsp",
    .state_size = sizeof(dsp_unit),
    .init = dsp_init,
    .supports = dsp_supports,
    .estimate = dsp_estimate,
    .execute = dsp_execute,
    .stats = dsp_stats,
    .fini = dsp_fini,
    .device = true,
};
