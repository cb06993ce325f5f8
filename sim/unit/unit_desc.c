/* unit_desc.c: the op descriptor every unit shares (fw_abi.h's tsfw_op): built once from the
 * prepared op and the unit's placement of its data, written to emulated RAM by the cpu unit
 * for the firmware, or executed on the host over emulated memory by units that compute values
 * with kernels/ on the host (the same generated dispatch, kernels/firmware/tsfw_host.c).
 * Layer: sim/unit. Values only through kernels/; no timing here. Never prints. */
#include <string.h>

#include "unit.h"

void ts_unit_build_desc(const ts_ref_op *ro, const ts_unit_io *io, tsfw_op *d)
{
    ts_ref_op_desc(ro, d);
    for (int32_t j = 0; j < TSFW_MAX_INPUTS; j++)
        d->in_addr[j] = io->in_addr[j];
    d->out_addr = io->out_addr;
    if (ro->scratch_bytes > 0 && io->scratch_addr)
        d->scratch_addr = io->scratch_addr;
    else
        d->scratch_bytes = 0;
    if (ro->quant_first >= 0) {
        d->multiplier_addr = io->multiplier_addr;
        d->shift_addr = io->shift_addr;
    }
    if (io->unit_regs) { /* the firmware rings that unit's doorbell (fw_abi.h) */
        d->unit_regs = io->unit_regs;
        d->kind |= TSFW_KIND_OFFLOAD;
    }
}

int32_t ts_unit_ext_table(const ts_ref_op *ro, const ts_unit_io *io, uint32_t *table)
{
    for (int32_t j = TS_REF_MAX_INPUTS; j < ro->n_inputs; j++)
        table[j - TS_REF_MAX_INPUTS] = io->in_addr[j];
    return TSFW_EXT_BYTES(ro->n_inputs);
}

ts_status ts_unit_run_host(const ts_unit_op *op, const ts_unit_io *io, tsfw_map_fn map,
                           void *opaque, const char *source, ts_err *err)
{
    ts_unit_io here = *io;
    tsfw_op d;
    int32_t ret;

    uint32_t table[TSFW_MAX_EXT_INPUTS];
    int32_t ext;
    uint8_t *at;

    here.unit_regs = 0; /* the kernel runs here, not offloaded again */
    ts_unit_build_desc(op->prep, &here, &d);
    ext = ts_unit_ext_table(op->prep, &here, table);
    if (ext > 0) { /* the ext table into the scratch, as the cpu unit writes it */
        at = d.scratch_addr ? map(opaque, d.scratch_addr) : NULL;
        if (!at || !map(opaque, d.scratch_addr + (uint32_t)ext - 1))
            return ts_err_set(err, TS_ERR_INTERNAL, "%s: op %d (%s): no scratch for its ext "
                              "input table (%d bytes)", source, op->index, op->name, (int)ext);
        memcpy(at, table, (size_t)ext);
    }
    if (d.kind == TSFW_OP_NONE)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): no kernel for %s %s (%s "
                          "kernels) in the op table", source, op->index, op->name, op->name,
                          ts_dtype_name(op->prep->dtype),
                          ts_kernels_name((ts_kernels)op->prep->kernels));
    ret = tsfw_run_mapped(&d, map, opaque);
    if (ret != TSK_OK)
        return ts_err_set(err, TS_ERR_INTERNAL, "%s: op %d (%s): host kernel returned %s (%d)",
                          source, op->index, op->name, tsfw_status_name(ret), (int)ret);
    return TS_OK;
}

void *ts_unit_map_memory(void *core, uint32_t addr)
{
    ts_mem *mem = ts_core_mem(core);
    int ri = ts_mem_find(mem, addr);
    ts_mem_region *r = ri >= 0 ? ts_mem_region_at(mem, (unsigned)ri) : NULL;

    if (!r || r->cfg->kind == TS_MEM_MMIO)
        return NULL;
    return r->host + (addr - r->base);
}
