/* engine.c: life cycle of a ts_engine (prepare, lay out, open the core, write the memory
 * image, open the unit), one inference op by op, outputs read back from emulated RAM.
 * Layer: sim/engine. Never prints. No cycle numbers here (costs come from the unit) and no
 * values computed here (they come from the kernels the unit runs); the stack fill pattern is
 * the only data the engine writes besides the model's own bytes. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "engine_int.h"
#include "firmware/fw_abi.h"

#define STACK_FILL 0xA5u /* fill byte of the reserved stack, for the high-water mark */

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
    if (!e->opts.unit)
        e->opts.unit = "cpu";
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
    ts_unit_close(e->unit);
    ts_core_close(e->core);
    ts_elf_free(e->elf);
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

/* The firmware's tsfw_abi_info words must equal this build's (fw_abi.h). */
static ts_status check_abi(ts_engine *e, ts_err *err)
{
    static const uint32_t want[TSFW_ABI_N_WORDS] = {
#define TSFW_ABI_WORD_INIT(v) (uint32_t)(v),
        TSFW_ABI_WORDS(TSFW_ABI_WORD_INIT)
#undef TSFW_ABI_WORD_INIT
    };
    uint32_t addr, got[TSFW_ABI_N_WORDS];
    ts_status st = ts_elf_symbol(e->elf, "tsfw_abi_info", &addr, err);

    if (!st)
        st = ts_core_read(e->core, addr, got, sizeof got, err);
    if (st)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: not a tinysim kernel firmware (no "
                          "tsfw_abi_info)", e->fw_path);
    for (unsigned i = 0; i < TSFW_ABI_N_WORDS; i++)
        if (got[i] != want[i])
            return ts_err_set(err, TS_ERR_CONFIG, "%s: firmware ABI word %u is %u, this tinysim "
                              "expects %u (firmware built from other kernel headers: rebuild)",
                              e->fw_path, i, got[i], want[i]);
    return TS_OK;
}

static ts_status write_image(ts_engine *e, ts_err *err)
{
    const ts_engine_layout *L = &e->layout;
    const int32_t *mult, *shift;
    int32_t n;
    uint32_t entry;
    ts_status st = ts_exec_load(e->core, e->elf, &entry, err);

    if (!st)
        st = ts_elf_symbol(e->elf, "tsfw_invoke", &e->invoke_addr, err);
    if (!st)
        st = check_abi(e, err);
    for (int32_t t = 0; t < e->g->n_tensors && !st; t++) {
        const ts_tensor *x = &e->g->tensors[t];
        if (e->tensor_addr[t] && ts_tensor_is_const(x) && x->size_bytes)
            st = ts_core_write(e->core, e->tensor_addr[t], x->data, x->size_bytes, err);
    }
    ts_ref_quant_table(e->ref, &mult, &shift, &n);
    if (!st && n > 0)
        st = ts_core_write(e->core, (uint32_t)L->quant_base, mult, 4u * (size_t)n, err);
    if (!st && n > 0)
        st = ts_core_write(e->core, (uint32_t)L->quant_base + 4u * (uint32_t)n, shift,
                           4u * (size_t)n, err);
    e->invoke_addr |= 1u;
    return st;
}

static ts_status open_unit(ts_engine *e, ts_err *err)
{
    ts_unit_cfg cfg = {e->t, e->core, e->source, e->fw_path, e->invoke_addr,
                       (uint32_t)e->layout.desc_base, (uint32_t)e->layout.stack_top};
    ts_status st = ts_unit_open(e->opts.unit, &cfg, &e->unit, err);

    for (int32_t k = 0; k < e->g->n_ops && !st; k++) {
        ts_unit_op op = {k, e->g->ops[k].name, ts_ref_op_at(e->ref, k), 0};
        if (!ts_unit_supports(e->unit, &op))
            st = ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): unit %s cannot run it",
                            e->source, k, op.name, ts_unit_name(e->unit));
    }
    return st;
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
    cc.program = e->fw_path;
    if (!st)
        st = ts_core_open(t, &cc, &e->core, err);
    if (!st)
        st = write_image(e, err);
    if (!st)
        st = open_unit(e, err);
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

/* Copies the staged inputs (sim/ref keeps them; unset ones are zeros) into emulated RAM and
 * refills the reserved stack with the fill pattern. */
static ts_status write_inputs(ts_engine *e, ts_err *err)
{
    const ts_engine_layout *L = &e->layout;
    uint8_t *arena = ts_ref_arena(e->ref, NULL), fill[256];
    const ts_plan *p = ts_ref_plan(e->ref);
    ts_status st = TS_OK;

    ts_ref_stage_inputs(e->ref);
    for (int32_t i = 0; i < e->g->n_inputs && !st; i++) {
        int32_t t = e->g->inputs[i];
        st = ts_core_write(e->core, e->tensor_addr[t], arena + p->tensor_offset[t],
                           e->g->tensors[t].size_bytes, err);
    }
    memset(fill, STACK_FILL, sizeof fill);
    for (uint64_t a = L->stack_top - L->stack_bytes; a < L->stack_top && !st; a += sizeof fill)
        st = ts_core_write(e->core, (uint32_t)a, fill,
                           L->stack_top - a < sizeof fill ? (size_t)(L->stack_top - a) : sizeof fill,
                           err);
    return st;
}

/* Deepest stack byte that no longer holds the fill pattern. */
static ts_status stack_peak(ts_engine *e, uint32_t *peak, ts_err *err)
{
    const ts_engine_layout *L = &e->layout;
    uint32_t base = (uint32_t)(L->stack_top - L->stack_bytes);
    uint8_t buf[256];
    ts_status st = TS_OK;

    *peak = 0;
    for (uint32_t off = 0, n; off < L->stack_bytes && !st && !*peak; off += n) {
        n = L->stack_bytes - off < sizeof buf ? L->stack_bytes - off : (uint32_t)sizeof buf;
        st = ts_core_read(e->core, base + off, buf, n, err);
        for (uint32_t j = 0; j < n && !st; j++)
            if (buf[j] != STACK_FILL) {
                *peak = L->stack_bytes - off - j;
                break;
            }
    }
    return st;
}

static void op_io(const ts_engine *e, const ts_ref_op *ro, ts_unit_io *io)
{
    const ts_engine_layout *L = &e->layout;
    int32_t n_quant;
    const int32_t *m, *s;

    ts_ref_quant_table(e->ref, &m, &s, &n_quant);
    memset(io, 0, sizeof *io);
    for (int32_t j = 0; j < TS_REF_MAX_INPUTS; j++)
        io->in_addr[j] = ro->in[j] >= 0 ? e->tensor_addr[ro->in[j]] : 0;
    io->out_addr = ro->out >= 0 ? e->tensor_addr[ro->out] : 0;
    if (ro->scratch_bytes > 0 && ro->scratch_offset >= 0)
        io->scratch_addr = L->arena_base + (uint32_t)ro->scratch_offset;
    if (ro->quant_first >= 0) {
        io->multiplier_addr = (uint32_t)L->quant_base + 4u * (uint32_t)ro->quant_first;
        io->shift_addr = io->multiplier_addr + 4u * (uint32_t)n_quant;
    }
}

static ts_status run_op(ts_engine *e, int32_t k, ts_err *err)
{
    const ts_ref_op *ro = ts_ref_op_at(e->ref, k);
    const ts_op *op = &e->g->ops[k];
    ts_unit_op uop = {k, op->name, ro, ts_op_macs(e->g, op)};
    ts_engine_layer *ly = &e->layers[k];
    ts_unit_io io;
    uint32_t peak;
    ts_status st;

    op_io(e, ro, &io);
    if (ro->out < 0 || !io.out_addr)
        return ts_err_set(err, TS_ERR_INTERNAL, "%s: op %d (%s): output not placed in memory",
                          e->source, k, op->name);
    memset(ly, 0, sizeof *ly);
    ly->op_index = k, ly->name = op->name, ly->unit = ts_unit_name(e->unit), ly->macs = uop.macs;
    ly->kernels = (ts_kernels)ro->kernels;
    if ((st = ts_unit_execute(e->unit, &uop, &io, &ly->cost, err)))
        return st;
    ts_unit_cost_add(&e->totals.cost, &ly->cost);
    e->totals.macs += uop.macs;
    if ((st = stack_peak(e, &peak, err)))
        return st;
    if (peak >= e->layout.stack_bytes)
        return ts_err_set(err, TS_ERR_EMU, "%s: op %d (%s): stack overflow: the firmware used "
                          "all %u reserved stack bytes on %s (reserve more stack)", e->source, k,
                          op->name, e->layout.stack_bytes, e->t->name);
    if (peak > e->totals.stack_peak_bytes)
        e->totals.stack_peak_bytes = peak;
    return TS_OK;
}

ts_status ts_engine_run(ts_engine *e, ts_err *err)
{
    ts_status st;

    assert(e);
    e->ran = false;
    memset(&e->totals, 0, sizeof e->totals);
    ts_core_reset_stats(e->core); /* every run is one cold-start inference */
    if ((st = write_inputs(e, err)))
        return st;
    for (int32_t k = 0; k < e->g->n_ops && !st; k++)
        st = run_op(e, k, err);
    e->ran = st == TS_OK;
    return st;
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
    return ts_core_read(e->core, e->tensor_addr[t], dst, n, err);
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
    return e->fw_path;
}

const ts_core_stats *ts_engine_core_stats(ts_engine *e)
{
    return ts_core_get_stats(e->core);
}

ts_kernels ts_engine_kernels(const ts_engine *e)
{
    return e->opts.kernels;
}

const char *ts_engine_note(const ts_engine *e)
{
    return e->note[0] ? e->note : NULL;
}
