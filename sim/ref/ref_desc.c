/* ref_desc.c: a prepared op as the op descriptor every runner executes: which fw_ops.def row
 * (kind) runs it, and the descriptor's non-address fields. The mapping is generated from the
 * op table's OP, DTYPE and VARIANT columns. Layer: sim/ref. Values only: no timing, no
 * printing; addresses are the runner's (the host executor, the cpu unit, host-side units). */
#include <string.h>

#include "firmware/tsfw_host.h"
#include "ref_int.h"

_Static_assert(TSFW_MAX_INPUTS == TS_REF_MAX_INPUTS, "fw_abi.h and ref.h disagree on inputs");

#define DTYPE_ANY (-1) /* a row that matches every activation dtype */
#define ROW_DTYPE_INT8 TS_DT_INT8
#define ROW_DTYPE_INT16 TS_DT_INT16
#define ROW_DTYPE_INT32 TS_DT_INT32
#define ROW_DTYPE_FLOAT32 TS_DT_FLOAT32
#define ROW_DTYPE_FLOAT16 TS_DT_FLOAT16
#define ROW_DTYPE_ANY DTYPE_ANY
#define ROW_VARIANT_ref TS_KERNELS_REF
#define ROW_VARIANT_simd TS_KERNELS_SIMD

/* (op kind, activation dtype, kernel variant) -> firmware op kind, one entry per row. */
static const struct {
    ts_op_kind op;
    int dtype;
    ts_kernels kernels;
    tsfw_kind kind;
} rows[] = {
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param)                         \
    {TS_OP_##op, ROW_DTYPE_##dtype, ROW_VARIANT_##variant, TSFW_OP_##name},
#include "firmware/fw_ops.def"
};

/* A row of the op's exact dtype first, else an ANY row. */
tsfw_kind ts_ref_op_fw_kind(const ts_ref_op *ro)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            if (rows[i].op == ro->kind && (int32_t)rows[i].kernels == ro->kernels &&
                rows[i].dtype == (pass == 0 ? (int)ro->dtype : DTYPE_ANY))
                return rows[i].kind;
    return TSFW_OP_NONE;
}

int32_t ts_ref_op_max_inputs(ts_op_kind op)
{
    int32_t most = TS_REF_MAX_INPUTS;

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].op == op && tsfw_kind_max_inputs(rows[i].kind) > most)
            most = tsfw_kind_max_inputs(rows[i].kind);
    return most;
}

void ts_ref_op_desc(const ts_ref_op *ro, tsfw_op *d)
{
    memset(d, 0, sizeof *d);
    d->kind = (uint32_t)ts_ref_op_fw_kind(ro);
    d->n_inputs = ro->n_inputs;
    for (int32_t j = 0; j < TSFW_MAX_INPUTS; j++)
        d->in_dims[j] = ro->in_dims[j];
    d->out_dims = ro->out_dims;
    if (ro->scratch_bytes > 0)
        d->scratch_bytes = ro->scratch_bytes;
    if (ro->quant_first >= 0)
        d->n_quant = ro->n_quant;
    d->axis = ro->axis;
    d->copy_bytes = ro->copy_bytes;
    d->pad_value = ro->pad_value;
    d->p = ro->p;
}
