/* cpu.c: the "cpu" execution unit: runs each op's kernel as Thumb code on the emulated core
 * (sim/core, Unicorn). It serialises the prepared op (sim/ref) into a tsfw_op descriptor
 * (kernels/firmware/fw_abi.h) in emulated RAM and calls the firmware's tsfw_invoke on it; the
 * values come from the kernels running on the target, the cost from the core's cycle model.
 * Kernel variant: the prepared op records it (ts_ref_op.kernels, chosen by the engine); an
 * int8 conv/dwconv/fc prepared with TS_KERNELS_SIMD maps to the firmware's *_S8_SIMD kind,
 * which the unit refuses on a target without the DSP extension (the engine falls back first).
 * Layer: sim/unit. No values computed here and no cycle numbers here: both come from running
 * code (timing.c owns the tables). Never prints.
 * Not modelled here (see sim/core, sim/mem for the rest): interrupts, the caller's own
 * per-op overhead outside tsfw_invoke (a TFLM interpreter loop), DMA, other bus masters. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "firmware/tsfw_host.h"
#include "unit.h"

typedef struct cpu_unit {
    ts_unit base; /* first member */
    ts_unit_cfg cfg;
    uint64_t n_calls;
    uint64_t cycles;
    uint64_t insns;
} cpu_unit;

static void cost_diff(ts_unit_cost *cost, const ts_core_stats *a, const ts_core_stats *b)
{
    memset(cost, 0, sizeof *cost);
    cost->cycles = b->cycles - a->cycles;
    cost->insns = b->insns - a->insns;
    cost->stall_cycles = b->mem_stall_cycles - a->mem_stall_cycles;
    cost->wait_cycles = b->wait_cycles - a->wait_cycles;
    cost->n_regions = b->n_regions;
    for (unsigned i = 0; i < b->n_regions; i++)
        ts_mem_counters_diff(&cost->region[i], &a->region[i], &b->region[i]);
}

static ts_status cpu_init(ts_unit *u, const ts_unit_cfg *cfg, ts_err *err)
{
    cpu_unit *c = (cpu_unit *)u;

    (void)err;
    assert(cfg->platform && cfg->target && cfg->source && cfg->desc_addr);
    c->cfg = *cfg;
    return TS_OK;
}

/* A SIMD kind needs the DSP extension (has_dsp in the target file); the engine falls back to the
 * plain kernels before it gets here, so this only guards other callers of the unit. */
static bool cpu_supports(const ts_unit *u, const ts_unit_op *op)
{
    tsfw_kind k = ts_ref_op_fw_kind(op->prep);

    return k != TSFW_OP_NONE &&
           (!tsfw_kind_is_simd(k) || ((const cpu_unit *)u)->cfg.target->has_dsp);
}

static ts_status cpu_estimate(ts_unit *u, const ts_unit_op *op, ts_unit_cost *cost, ts_err *err)
{
    (void)cost;
    return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): unit %s measures cycles by "
                      "running the op; it has no estimate", ((cpu_unit *)u)->cfg.source,
                      op->index, op->name, u->ops->name);
}

/* Runs tsfw_invoke(desc) on the core, then checks the stack's high-water mark; faults and
 * overflows are reported naming the op. */
static ts_status call_firmware(cpu_unit *c, const ts_unit_op *op, int32_t *ret, ts_err *err)
{
    ts_platform *p = c->cfg.platform;
    ts_core *core = ts_platform_core(p);
    uint32_t arg = c->cfg.desc_addr, r0 = 0;
    char what[TS_ERR_MSG_BYTES];
    ts_err inner;
    ts_status st;

    ts_err_clear(&inner);
    st = ts_core_set_reg(core, 13, ts_platform_stack_top(p), &inner);
    if (!st)
        st = ts_core_call(core, ts_platform_invoke_addr(p), &arg, 1, &r0, &inner);
    if (st)
        return ts_err_set(err, st, "%s: op %d (%s): %s", c->cfg.source, op->index, op->name,
                          inner.msg);
    snprintf(what, sizeof what, "%s: op %d (%s)", c->cfg.source, op->index, op->name);
    if ((st = ts_platform_stack_check(p, what, err)))
        return st;
    memcpy(ret, &r0, sizeof *ret);
    return TS_OK;
}

static ts_status cpu_execute(ts_unit *u, const ts_unit_op *op, const ts_unit_io *io,
                             ts_unit_cost *cost, ts_err *err)
{
    cpu_unit *c = (cpu_unit *)u;
    ts_core_stats before;
    tsfw_op d;
    uint32_t table[TSFW_MAX_EXT_INPUTS];
    int32_t ret = 0, ext;
    ts_status st;

    if (!cpu_supports(u, op))
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): unit cpu: no firmware "
                          "kernel for %s %s (%s kernels) on %s", c->cfg.source, op->index,
                          op->name, op->name, ts_dtype_name(op->prep->dtype),
                          ts_kernels_name((ts_kernels)op->prep->kernels), c->cfg.target->name);
    ts_unit_build_desc(op->prep, io, &d);
    if ((st = ts_platform_write(c->cfg.platform, c->cfg.desc_addr, &d, sizeof d, err)))
        return st;
    if ((ext = ts_unit_ext_table(op->prep, io, table)) > 0 &&
        (!d.scratch_addr ||
         (st = ts_platform_write(c->cfg.platform, d.scratch_addr, table, (size_t)ext, err))))
        return st ? st : ts_err_set(err, TS_ERR_INTERNAL, "%s: op %d (%s): no scratch for its "
                                    "ext input table", c->cfg.source, op->index, op->name);
    before = *ts_core_get_stats(ts_platform_core(c->cfg.platform));
    if ((st = call_firmware(c, op, &ret, err)) != TS_OK)
        return st;
    cost_diff(cost, &before, ts_core_get_stats(ts_platform_core(c->cfg.platform)));
    c->n_calls++;
    c->cycles += cost->cycles;
    c->insns += cost->insns;
    if (ret != TSK_OK)
        return ts_err_set(err, ts_ref_kernel_status(ret), "%s: op %d (%s): firmware kernel "
                          "returned %s (%d) on %s", c->cfg.source, op->index, op->name,
                          tsfw_status_name(ret), (int)ret, c->cfg.target->name);
    return TS_OK;
}

static void cpu_stats(const ts_unit *u, const ts_unit_sink *sink)
{
    const cpu_unit *c = (const cpu_unit *)u;

    sink->fn(sink->opaque, "calls", (double)c->n_calls);
    sink->fn(sink->opaque, "cycles", (double)c->cycles);
    sink->fn(sink->opaque, "instructions", (double)c->insns);
}

static void cpu_fini(ts_unit *u)
{
    (void)u; /* the core and memory image belong to the engine */
}

const ts_unit_ops ts_unit_cpu_ops = {
    .version = TS_UNIT_VERSION,
    .name = "cpu",
    .state_size = sizeof(cpu_unit),
    .init = cpu_init,
    .supports = cpu_supports,
    .estimate = cpu_estimate,
    .execute = cpu_execute,
    .stats = cpu_stats,
    .fini = cpu_fini,
};
