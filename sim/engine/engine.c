/* engine.c: life cycle of a ts_engine (prepare, lay out, boot the platform, hand it the
 * model's bytes, open the unit), one inference op by op, outputs read back from emulated RAM.
 * Layer: sim/engine. Never prints. The engine knows no unit's insides: firmware, core and
 * stack belong to the platform (sim/platform) and the units (sim/unit). No cycle numbers here
 * (costs come from the units) and no values computed here (they come from the kernels). */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "engine_int.h"

/* SIMD needs the DSP extension: without it the plain kernels run, with a note. */
static void resolve_kernels(ts_engine *e)
{
    if (e->opts.kernels != TS_KERNELS_SIMD || e->t->has_dsp)
        return;
    e->opts.kernels = TS_KERNELS_REF;
    snprintf(e->note, sizeof e->note, "%s has no DSP extension: --kernels simd runs the plain "
             "kernels", e->t->name);
}

static ts_engine *engine_new(const ts_target *t, const ts_graph *g, const char *source,
                             const ts_engine_opts *opts)
{
    ts_engine *e = ts_calloc(1, sizeof *e);

    if (!e)
        return NULL;
    e->t = t, e->g = g, e->source = source;
    if (opts)
        e->opts = *opts;
    if (!e->opts.stack_bytes)
        e->opts.stack_bytes = TS_ENGINE_DEFAULT_STACK_BYTES;
    e->opts.stack_bytes = (e->opts.stack_bytes + 7u) & ~7u;
    resolve_kernels(e);
    return e;
}

void ts_engine_close(ts_engine *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n_units; i++)
        ts_unit_close(e->units[i]);
    ts_free(e->placement);
    ts_platform_close(e->platform);
    ts_ref_free(e->ref);
    ts_free(e->tensor_addr);
    ts_free(e->layers);
    ts_free(e);
}

ts_status ts_engine_footprint(const ts_target *t, const ts_graph *g, const char *source,
                              const ts_engine_opts *opts, ts_engine_layout *layout,
                              ts_err *err)
{
    ts_engine *e;
    ts_status st;

    assert(t && g && source && layout);
    if (!(e = engine_new(t, g, source, opts)))
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", source);
    st = ts_engine_prepare_layout(e, err);
    if (!st)
        *layout = e->layout;
    ts_engine_close(e);
    return st;
}

/* The model's bytes: constant tensors at their flash addresses, requantisation tables. */
static ts_status write_image(ts_engine *e, ts_err *err)
{
    const ts_engine_layout *L = &e->layout;
    const int32_t *mult, *shift;
    int32_t n;
    ts_status st = TS_OK;

    for (int32_t t = 0; t < e->g->n_tensors && !st; t++) {
        const ts_tensor *x = &e->g->tensors[t];
        if (e->tensor_addr[t] && ts_tensor_is_const(x) && x->size_bytes)
            st = ts_platform_write(e->platform, e->tensor_addr[t], x->data, x->size_bytes, err);
    }
    ts_ref_quant_table(e->ref, &mult, &shift, &n);
    if (!st && n > 0)
        st = ts_platform_write(e->platform, (uint32_t)L->quant_base, mult, 4u * (size_t)n, err);
    if (!st && n > 0)
        st = ts_platform_write(e->platform, (uint32_t)L->quant_base + 4u * (uint32_t)n, shift,
                               4u * (size_t)n, err);
    return st;
}

/* Variable tensors (layer state) as sim/ref initialised them, into emulated RAM: they stay
 * there from one invocation to the next (nothing else is planned over them). */
static ts_status write_state(ts_engine *e, ts_err *err)
{
    uint8_t *arena = ts_ref_arena(e->ref, NULL);
    const ts_plan *p = ts_ref_plan(e->ref);
    ts_status st = TS_OK;

    for (int32_t t = 0; t < e->g->n_tensors && !st; t++) {
        const ts_tensor *x = &e->g->tensors[t];
        if (x->is_variable && e->tensor_addr[t] && p->tensor_offset[t] >= 0)
            st = ts_platform_write(e->platform, e->tensor_addr[t], arena + p->tensor_offset[t],
                                   x->size_bytes, err);
    }
    return st;
}

ts_status ts_engine_reset_state(ts_engine *e, ts_err *err)
{
    assert(e);
    ts_ref_reset_state(e->ref);
    return write_state(e, err);
}

/* The cpu, then (unless opts.unit says "cpu") every device unit class the target has
 * registers for, in registry order. */
static ts_status open_units(ts_engine *e, ts_err *err)
{
    ts_unit_cfg cfg = {e->t, e->platform, e->source, (uint32_t)e->layout.desc_base};
    ts_status st = ts_unit_open("cpu", &cfg, &e->units[0], err);

    e->n_units = st ? 0 : 1;
    if (!st && e->opts.unit && strcmp(e->opts.unit, "cpu") != 0)
        return ts_err_set(err, TS_ERR_CONFIG, "unit '%s': only 'cpu' (every op on the core) or "
                          "all of the target's units can be chosen", e->opts.unit);
    for (unsigned i = 0; i < ts_unit_n_classes() && !st && !e->opts.unit; i++) {
        const ts_unit_ops *c = ts_unit_class_at(i);
        if (c->version < 2 || !c->device || ts_unit_regs_region(e->t, c->name) < 0)
            continue;
        if (e->n_units == TS_ENGINE_MAX_UNITS)
            return ts_err_set(err, TS_ERR_CONFIG, "%s: more than %d units", e->t->path,
                              TS_ENGINE_MAX_UNITS);
        if (!(st = ts_unit_open(c->name, &cfg, &e->units[e->n_units], err)))
            e->n_units++;
    }
    return st;
}

/* Each op on the first device unit that supports it, else on the cpu. */
static ts_status place_ops(ts_engine *e, ts_err *err)
{
    if (!(e->placement = ts_calloc((size_t)e->g->n_ops + 1, 1)))
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", e->source);
    for (int32_t k = 0; k < e->g->n_ops; k++) {
        ts_unit_op op = {k, e->g->ops[k].name, ts_ref_op_at(e->ref, k), 0};
        int u = 0;

        for (int i = 1; i < e->n_units && !u; i++)
            u = ts_unit_supports(e->units[i], &op) ? i : 0;
        if (u == 0 && !ts_unit_supports(e->units[0], &op))
            return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): no unit of %s can run "
                              "it", e->source, k, op.name, e->t->name);
        e->placement[k] = (uint8_t)u;
    }
    return TS_OK;
}

ts_status ts_engine_open(const ts_target *t, const ts_graph *g, const char *source,
                         const ts_engine_opts *opts, ts_engine **out, ts_err *err)
{
    ts_engine *e;
    ts_core_config cc;
    ts_status st;

    assert(t && g && source && out);
    *out = NULL;
    if (!(e = engine_new(t, g, source, opts)))
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", source);
    st = ts_engine_prepare_layout(e, err);
    if (!st)
        st = ts_engine_check_fit(e, err);
    cc = e->opts.core;
    if (!st)
        st = ts_platform_boot(e->platform, &cc, (uint32_t)e->layout.stack_top,
                              e->layout.stack_bytes, err);
    if (!st)
        st = write_image(e, err);
    if (!st)
        st = write_state(e, err);
    if (!st)
        st = open_units(e, err);
    if (!st)
        st = place_ops(e, err);
    if (st) {
        ts_engine_close(e);
        return st;
    }
    *out = e;
    return TS_OK;
}

const ts_ref *ts_engine_ref(const ts_engine *e)
{
    return e->ref;
}

ts_status ts_engine_set_input(ts_engine *e, int32_t i, const void *data, size_t bytes,
                              ts_err *err)
{
    return ts_ref_set_input(e->ref, i, data, bytes, err);
}

ts_status ts_engine_set_input_frames(ts_engine *e, int32_t i, const void *data, size_t bytes,
                                     int32_t n_frames, ts_err *err)
{
    return ts_ref_set_input_frames(e->ref, i, data, bytes, n_frames, err);
}

/* Copies the staged inputs (sim/ref keeps them; unset ones are zeros) into emulated RAM and
 * refills the reserved stack with the fill pattern. */
static ts_status write_inputs(ts_engine *e, ts_err *err)
{
    uint8_t *arena = ts_ref_arena(e->ref, NULL);
    const ts_plan *p = ts_ref_plan(e->ref);
    ts_status st = TS_OK;

    ts_ref_stage_inputs(e->ref);
    for (int32_t i = 0; i < e->g->n_inputs && !st; i++) {
        int32_t t = e->g->inputs[i];
        st = ts_platform_write(e->platform, e->tensor_addr[t], arena + p->tensor_offset[t],
                               e->g->tensors[t].size_bytes, err);
    }
    return st ? st : ts_platform_stack_fill(e->platform, err);
}

static void op_io(const ts_engine *e, const ts_ref_op *ro, ts_unit_io *io)
{
    const ts_engine_layout *L = &e->layout;
    int32_t n_quant;
    const int32_t *m, *s;

    ts_ref_quant_table(e->ref, &m, &s, &n_quant);
    memset(io, 0, sizeof *io);
    for (int32_t j = 0; j < TS_REF_MAX_OP_INPUTS; j++)
        io->in_addr[j] = ro->in[j] >= 0 ? e->tensor_addr[ro->in[j]] : 0;
    io->out_addr = ro->out >= 0 ? e->tensor_addr[ro->out] : 0;
    if (ro->scratch_bytes > 0 && ro->scratch_offset >= 0)
        io->scratch_addr = L->arena_base + (uint32_t)ro->scratch_offset;
    if (ro->quant_first >= 0) {
        io->multiplier_addr = (uint32_t)L->quant_base + 4u * (uint32_t)ro->quant_first;
        io->shift_addr = io->multiplier_addr + 4u * (uint32_t)n_quant;
    }
}

/* Runs op k on device unit u: the cpu unit writes the descriptor with u's registers and the
 * firmware offloads it; the layer costs the core's part plus the unit's own (its traffic and
 * counters; its working time is already in the core's cycles, which slept through it). */
static ts_status run_offloaded(ts_engine *e, ts_unit *u, const ts_unit_op *uop, ts_unit_io *io,
                               ts_unit_cost *cost, ts_err *err)
{
    ts_unit_cost dev;
    ts_status st;

    io->unit_regs = ts_unit_regs(u);
    ts_unit_expect(u, uop);
    if ((st = ts_unit_execute(e->units[0], uop, io, cost, err)) ||
        (st = ts_unit_take(u, &dev, err)))
        return st;
    dev.cycles = 0, dev.insns = 0;
    ts_unit_cost_add(cost, &dev);
    return TS_OK;
}

/* Runs op k once; its costs are added to layer k (zeroed before the first invocation). */
static ts_status run_op(ts_engine *e, int32_t k, ts_err *err)
{
    const ts_ref_op *ro = ts_ref_op_at(e->ref, k);
    const ts_op *op = &e->g->ops[k];
    ts_unit_op uop = {k, op->name, ro, ts_op_macs(e->g, op)};
    ts_engine_layer one, *ly = &one;
    ts_unit_io io;
    ts_status st;

    op_io(e, ro, &io);
    if (ro->out < 0 || !io.out_addr)
        return ts_err_set(err, TS_ERR_INTERNAL, "%s: op %d (%s): output not placed in memory",
                          e->source, k, op->name);
    memset(ly, 0, sizeof *ly);
    ly->op_index = k, ly->name = op->name, ly->macs = uop.macs;
    ly->unit = ts_unit_name(e->units[e->placement[k]]);
    ly->kernels = (ts_kernels)ro->kernels;
    if (e->placement[k] > 0)
        st = run_offloaded(e, e->units[e->placement[k]], &uop, &io, &ly->cost, err);
    else
        st = ts_unit_execute(e->units[0], &uop, &io, &ly->cost, err);
    if (st)
        return st;
    if (e->totals.invocations == 0) {
        e->layers[k] = one;
    } else {
        ts_unit_cost_add(&e->layers[k].cost, &one.cost);
        e->layers[k].macs += one.macs;
    }
    ts_unit_cost_add(&e->totals.cost, &one.cost);
    e->totals.macs += uop.macs;
    if (ts_platform_stack_peak(e->platform) > e->totals.stack_peak_bytes)
        e->totals.stack_peak_bytes = ts_platform_stack_peak(e->platform);
    return TS_OK;
}

ts_status ts_engine_run_n(ts_engine *e, uint32_t invocations, ts_err *err)
{
    ts_status st = TS_OK;

    assert(e && invocations >= 1);
    e->ran = false;
    memset(&e->totals, 0, sizeof e->totals);
    ts_core_reset_stats(ts_platform_core(e->platform)); /* from a cold start */
    for (uint32_t i = 0; i < invocations && !st; i++) {
        uint64_t before = e->totals.cost.cycles;
        if ((st = write_inputs(e, err)))
            break;
        for (int32_t k = 0; k < e->g->n_ops && !st; k++)
            st = run_op(e, k, err);
        if (i == 0)
            e->totals.first_cycles = e->totals.cost.cycles - before;
        e->totals.last_cycles = e->totals.cost.cycles - before;
        e->totals.invocations++;
    }
    e->ran = st == TS_OK;
    return st;
}

ts_status ts_engine_run(ts_engine *e, ts_err *err)
{
    return ts_engine_run_n(e, 1, err);
}

ts_status ts_engine_output(ts_engine *e, int32_t i, void *dst, size_t cap, size_t *bytes,
                           ts_err *err)
{
    int32_t t;
    size_t n;

    assert(e && i >= 0 && i < e->g->n_outputs);
    t = e->g->outputs[i];
    n = e->g->tensors[t].size_bytes;
    if (bytes)
        *bytes = n;
    if (cap < n)
        return ts_err_set(err, TS_ERR_RANGE, "%s: output %d: %zu bytes do not fit a %zu-byte "
                          "buffer", e->source, i, n, cap);
    if (ts_tensor_is_const(&e->g->tensors[t])) {
        memcpy(dst, e->g->tensors[t].data, n);
        return TS_OK;
    }
    return ts_core_read(ts_platform_core(e->platform), e->tensor_addr[t], dst, n, err);
}

int32_t ts_engine_n_layers(const ts_engine *e)
{
    return e->ran ? e->g->n_ops : 0;
}

const ts_engine_layer *ts_engine_layer_at(const ts_engine *e, int32_t k)
{
    assert(e->ran && k >= 0 && k < e->g->n_ops);
    return &e->layers[k];
}

const ts_engine_totals *ts_engine_totals_get(const ts_engine *e)
{
    return &e->totals;
}

const ts_engine_layout *ts_engine_layout_get(const ts_engine *e)
{
    return &e->layout;
}

const char *ts_engine_firmware(const ts_engine *e)
{
    return ts_platform_firmware_file(e->platform);
}

const ts_core_stats *ts_engine_core_stats(ts_engine *e)
{
    return ts_core_get_stats(ts_platform_core(e->platform));
}

ts_kernels ts_engine_kernels(const ts_engine *e)
{
    return e->opts.kernels;
}

const char *ts_engine_note(const ts_engine *e)
{
    return e->note[0] ? e->note : NULL;
}
