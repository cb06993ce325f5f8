/* ref_exec.c: ts_ref_invoke: places the staged inputs at their arena offsets and runs every
 * prepared op with kernels/, reading and writing tensors and scratch inside the one arena.
 * Layer: sim/ref. Values only: no timing, no printing, no allocation. Which kernel runs an
 * op is the op table's (kernels/firmware/fw_ops.def): the op's descriptor (ref_desc.c) goes
 * through the host build of the firmware's dispatch (tsfw_run_ptrs), never inside kernels/. */
#include <assert.h>
#include <string.h>

#include "firmware/tsfw_host.h"
#include "ref_int.h"

/* Host pointers of ro's tensors, scratch and requantisation tables (NULL where absent). */
static void op_ptrs(const ts_ref *r, const ts_ref_op *ro, tsfw_ptrs *p)
{
    memset(p, 0, sizeof *p);
    for (int32_t j = 0; j < ro->n_inputs; j++)
        p->in[j] = ro->in[j] >= 0 ? r->tensor_ptr[ro->in[j]] : NULL;
    p->out = r->tensor_ptr[ro->out];
    if (ro->scratch_bytes > 0 && ro->scratch_offset >= 0)
        p->scratch = r->arena + ro->scratch_offset;
    if (ro->quant_first >= 0) {
        p->multiplier = r->multiplier + ro->quant_first;
        p->shift = r->shift + ro->quant_first;
    }
}

void ts_ref_stage_inputs(ts_ref *r)
{
    const ts_graph *g = r->g;

    for (int32_t i = 0; i < g->n_inputs; i++) {
        size_t n = g->tensors[g->inputs[i]].size_bytes;
        uint32_t frame = r->input_frames[i] > 1 ? r->next_frame % (uint32_t)r->input_frames[i]
                                                : 0u;
        memcpy(r->tensor_ptr[g->inputs[i]], r->input_copy[i] + frame * n, n);
    }
    r->next_frame++;
}

ts_status ts_ref_kernel_status(int32_t ks)
{
    return ks == TSK_OK ? TS_OK : ks == TSK_ERR_DATA ? TS_ERR_RANGE : TS_ERR_INTERNAL;
}

ts_status ts_ref_invoke_op(ts_ref *r, int32_t k, ts_err *err)
{
    const ts_ref_op *ro;
    tsfw_op d;
    tsfw_ptrs p;
    int32_t ks;

    assert(k >= 0 && k < r->g->n_ops);
    ro = &r->ops[k];
    ts_ref_op_desc(ro, &d);
    op_ptrs(r, ro, &p);
    ks = tsfw_run_ptrs(&d, &p);
    if (ks != TSK_OK)
        return ts_err_set(err, ts_ref_kernel_status(ks), "%s: op %d (%s): kernel returned %s "
                          "(%d)", r->source, k, r->g->ops[k].name, tsfw_status_name(ks), (int)ks);
    return TS_OK;
}

ts_status ts_ref_invoke(ts_ref *r, ts_err *err)
{
    ts_status st = TS_OK;

    ts_ref_stage_inputs(r);
    for (int32_t k = 0; k < r->g->n_ops && st == TS_OK; k++)
        st = ts_ref_invoke_op(r, k, err);
    return st;
}
