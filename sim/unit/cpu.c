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

#include "firmware/fw_abi.h"
#include "unit.h"

_Static_assert(TSFW_MAX_INPUTS == TS_REF_MAX_INPUTS, "fw_abi.h and ref.h disagree on inputs");

typedef struct cpu_unit {
    ts_unit base; /* first member */
    ts_unit_cfg cfg;
    uint64_t n_calls;
    uint64_t cycles;
    uint64_t insns;
} cpu_unit;

#define ANY_DTYPE (-1) /* fw_map: the row matches every dtype */
#define REF TS_KERNELS_REF
#define SIMD TS_KERNELS_SIMD

/* (op kind, activation dtype, kernel variant of the prepared op) -> firmware op kind. The
 * SIMD rows: the DSP-extension kernels; REF rows: the plain ones. */
static const struct {
    ts_op_kind kind;
    int dtype;
    tsfw_kind fw;
    ts_kernels kernels;
} fw_map[] = {
    {TS_OP_CONV_2D, TS_DT_INT8, TSFW_OP_CONV2D_S8_SIMD, SIMD},
    {TS_OP_DEPTHWISE_CONV_2D, TS_DT_INT8, TSFW_OP_DWCONV_S8_SIMD, SIMD},
    {TS_OP_FULLY_CONNECTED, TS_DT_INT8, TSFW_OP_FC_S8_SIMD, SIMD},
    {TS_OP_CONV_2D, TS_DT_INT8, TSFW_OP_CONV2D_S8, REF},
    {TS_OP_CONV_2D, TS_DT_FLOAT32, TSFW_OP_CONV2D_F32, REF},
    {TS_OP_DEPTHWISE_CONV_2D, TS_DT_INT8, TSFW_OP_DWCONV_S8, REF},
    {TS_OP_DEPTHWISE_CONV_2D, TS_DT_FLOAT32, TSFW_OP_DWCONV_F32, REF},
    {TS_OP_FULLY_CONNECTED, TS_DT_INT8, TSFW_OP_FC_S8, REF},
    {TS_OP_FULLY_CONNECTED, TS_DT_FLOAT32, TSFW_OP_FC_F32, REF},
    {TS_OP_AVERAGE_POOL_2D, TS_DT_INT8, TSFW_OP_AVGPOOL_S8, REF},
    {TS_OP_AVERAGE_POOL_2D, TS_DT_FLOAT32, TSFW_OP_AVGPOOL_F32, REF},
    {TS_OP_MAX_POOL_2D, TS_DT_INT8, TSFW_OP_MAXPOOL_S8, REF},
    {TS_OP_MAX_POOL_2D, TS_DT_FLOAT32, TSFW_OP_MAXPOOL_F32, REF},
    {TS_OP_ADD, TS_DT_INT8, TSFW_OP_ADD_S8, REF},
    {TS_OP_ADD, TS_DT_FLOAT32, TSFW_OP_ADD_F32, REF},
    {TS_OP_MUL, TS_DT_INT8, TSFW_OP_MUL_S8, REF},
    {TS_OP_MUL, TS_DT_FLOAT32, TSFW_OP_MUL_F32, REF},
    {TS_OP_SOFTMAX, TS_DT_INT8, TSFW_OP_SOFTMAX_S8, REF},
    {TS_OP_SOFTMAX, TS_DT_FLOAT32, TSFW_OP_SOFTMAX_F32, REF},
    {TS_OP_LOGISTIC, TS_DT_INT8, TSFW_OP_LOGISTIC_S8, REF},
    {TS_OP_LOGISTIC, TS_DT_FLOAT32, TSFW_OP_LOGISTIC_F32, REF},
    {TS_OP_RESHAPE, ANY_DTYPE, TSFW_OP_COPY, REF},
    {TS_OP_PAD, TS_DT_INT8, TSFW_OP_PAD_S8, REF},
    {TS_OP_PAD, TS_DT_FLOAT32, TSFW_OP_PAD_F32, REF},
    {TS_OP_MEAN, TS_DT_INT8, TSFW_OP_MEAN_S8, REF},
    {TS_OP_MEAN, TS_DT_FLOAT32, TSFW_OP_MEAN_F32, REF},
    {TS_OP_CONCATENATION, TS_DT_INT8, TSFW_OP_CONCAT_S8, REF},
    {TS_OP_CONCATENATION, TS_DT_FLOAT32, TSFW_OP_CONCAT_F32, REF},
    {TS_OP_QUANTIZE, ANY_DTYPE, TSFW_OP_QUANTIZE_S8, REF},
    {TS_OP_DEQUANTIZE, ANY_DTYPE, TSFW_OP_DEQUANTIZE_S8, REF},
};

static tsfw_kind fw_kind(const ts_ref_op *ro)
{
    for (size_t i = 0; i < sizeof fw_map / sizeof fw_map[0]; i++)
        if (fw_map[i].kind == ro->kind && (int32_t)fw_map[i].kernels == ro->kernels &&
            (fw_map[i].dtype == ANY_DTYPE || fw_map[i].dtype == (int)ro->dtype))
            return fw_map[i].fw;
    return TSFW_OP_NONE;
}

static bool is_simd_kind(tsfw_kind k)
{
    return k == TSFW_OP_CONV2D_S8_SIMD || k == TSFW_OP_DWCONV_S8_SIMD || k == TSFW_OP_FC_S8_SIMD;
}

/* Copies the kernel parameters by value (so fields added to tsk_* structs flow through). */
static void fill_params(tsfw_op *d, const ts_ref_op *ro)
{
    switch ((tsfw_kind)d->kind) {
    case TSFW_OP_CONV2D_S8: case TSFW_OP_CONV2D_S8_SIMD: d->p.conv = ro->p.conv; break;
    case TSFW_OP_CONV2D_F32: d->p.conv_f32 = ro->p.conv_f32; break;
    case TSFW_OP_DWCONV_S8: case TSFW_OP_DWCONV_S8_SIMD: d->p.dw = ro->p.dw; break;
    case TSFW_OP_DWCONV_F32: d->p.dw_f32 = ro->p.dw_f32; break;
    case TSFW_OP_FC_S8: case TSFW_OP_FC_S8_SIMD: d->p.fc = ro->p.fc; break;
    case TSFW_OP_FC_F32: d->p.fc_f32 = ro->p.fc_f32; break;
    case TSFW_OP_AVGPOOL_S8: case TSFW_OP_MAXPOOL_S8: d->p.pool = ro->p.pool; break;
    case TSFW_OP_AVGPOOL_F32: case TSFW_OP_MAXPOOL_F32: d->p.pool_f32 = ro->p.pool_f32; break;
    case TSFW_OP_ADD_S8: d->p.add = ro->p.add; break;
    case TSFW_OP_MUL_S8: d->p.mul = ro->p.mul; break;
    case TSFW_OP_ADD_F32: case TSFW_OP_MUL_F32: d->p.elt_f32 = ro->p.elt_f32; break;
    case TSFW_OP_SOFTMAX_S8: d->p.softmax = ro->p.softmax; break;
    case TSFW_OP_SOFTMAX_F32: d->p.softmax_beta = ro->p.softmax_beta; break;
    case TSFW_OP_LOGISTIC_S8: d->p.logistic = ro->p.logistic; break;
    case TSFW_OP_MEAN_S8: case TSFW_OP_MEAN_F32: d->p.mean = ro->p.mean; break;
    case TSFW_OP_PAD_S8: case TSFW_OP_PAD_F32:
        d->p.pad = ro->p.pad.p;
        d->pad_value = ro->p.pad.value_s8;
        break;
    case TSFW_OP_QUANTIZE_S8: case TSFW_OP_DEQUANTIZE_S8: d->p.affine = ro->p.affine; break;
    case TSFW_OP_LOGISTIC_F32: case TSFW_OP_CONCAT_S8: case TSFW_OP_CONCAT_F32:
    case TSFW_OP_COPY: case TSFW_OP_NONE: case TSFW_OP_COUNT:
        break;
    }
}

/* The descriptor of one op; every field is fixed-width (fw_abi.h), so it is copied as bytes. */
static void build_desc(tsfw_op *d, const ts_ref_op *ro, const ts_unit_io *io)
{
    memset(d, 0, sizeof *d);
    d->kind = (uint32_t)fw_kind(ro);
    d->n_inputs = ro->n_inputs;
    for (int32_t j = 0; j < TSFW_MAX_INPUTS; j++) {
        d->in_addr[j] = io->in_addr[j];
        d->in_dims[j] = ro->in_dims[j];
    }
    d->out_addr = io->out_addr;
    d->out_dims = ro->out_dims;
    if (ro->scratch_bytes > 0 && io->scratch_addr) {
        d->scratch_addr = io->scratch_addr;
        d->scratch_bytes = ro->scratch_bytes;
    }
    if (ro->quant_first >= 0) {
        d->multiplier_addr = io->multiplier_addr;
        d->shift_addr = io->shift_addr;
        d->n_quant = ro->n_quant;
    }
    d->axis = ro->axis;
    d->copy_bytes = ro->copy_bytes;
    fill_params(d, ro);
    if (io->unit_regs) { /* the firmware rings that unit's doorbell (fw_abi.h) */
        d->unit_regs = io->unit_regs;
        d->kind |= TSFW_KIND_OFFLOAD;
    }
}

static const char *kernel_status_name(int32_t s)
{
    switch (s) {
    case TSK_ERR_ARG: return "TSK_ERR_ARG";
    case TSK_ERR_SCRATCH: return "TSK_ERR_SCRATCH";
    case TSK_ERR_UNSUPPORTED: return "TSK_ERR_UNSUPPORTED";
    case TSFW_ERR_KIND: return "TSFW_ERR_KIND (op kind unknown to the firmware: stale build?)";
    default: return "unknown status";
    }
}

static void cost_diff(ts_unit_cost *cost, const ts_core_stats *a, const ts_core_stats *b)
{
    memset(cost, 0, sizeof *cost);
    cost->cycles = b->cycles - a->cycles;
    cost->insns = b->insns - a->insns;
    cost->stall_cycles = b->mem_stall_cycles - a->mem_stall_cycles;
    cost->n_regions = b->n_regions;
    for (unsigned i = 0; i < b->n_regions; i++) {
        const ts_mem_counters *x = &a->region[i], *y = &b->region[i];
        ts_mem_counters *z = &cost->region[i];
        z->fetch_accesses = y->fetch_accesses - x->fetch_accesses;
        z->fetch_bytes = y->fetch_bytes - x->fetch_bytes;
        z->read_accesses = y->read_accesses - x->read_accesses;
        z->read_bytes = y->read_bytes - x->read_bytes;
        z->write_accesses = y->write_accesses - x->write_accesses;
        z->write_bytes = y->write_bytes - x->write_bytes;
        z->stall_cycles = y->stall_cycles - x->stall_cycles;
        z->icache_hits = y->icache_hits - x->icache_hits;
        z->icache_misses = y->icache_misses - x->icache_misses;
        z->dcache_hits = y->dcache_hits - x->dcache_hits;
        z->dcache_misses = y->dcache_misses - x->dcache_misses;
    }
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
    tsfw_kind k = fw_kind(op->prep);

    return k != TSFW_OP_NONE && (!is_simd_kind(k) || ((const cpu_unit *)u)->cfg.target->has_dsp);
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
    int32_t ret = 0;
    ts_status st;

    if (!cpu_supports(u, op))
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): unit cpu: no firmware "
                          "kernel for %s %s (%s kernels) on %s", c->cfg.source, op->index,
                          op->name, op->name, ts_dtype_name(op->prep->dtype),
                          ts_kernels_name((ts_kernels)op->prep->kernels), c->cfg.target->name);
    build_desc(&d, op->prep, io);
    if ((st = ts_platform_write(c->cfg.platform, c->cfg.desc_addr, &d, sizeof d, err)))
        return st;
    before = *ts_core_get_stats(ts_platform_core(c->cfg.platform));
    if ((st = call_firmware(c, op, &ret, err)) != TS_OK)
        return st;
    cost_diff(cost, &before, ts_core_get_stats(ts_platform_core(c->cfg.platform)));
    c->n_calls++;
    c->cycles += cost->cycles;
    c->insns += cost->insns;
    if (ret != TSK_OK)
        return ts_err_set(err, TS_ERR_INTERNAL, "%s: op %d (%s): firmware kernel returned %s "
                          "(%d) on %s", c->cfg.source, op->index, op->name,
                          kernel_status_name(ret), (int)ret, c->cfg.target->name);
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
