/* tsfw_host.c: the host dispatch of the op table: tsfw_run_ptrs calls the kernel of a
 * descriptor's kind through the same forms (fw_call.h) as the firmware's tsfw_invoke, one
 * `case` per fw_ops.def row; tsfw_run_mapped first resolves the descriptor's emulated
 * addresses. Layer: kernels (host library only). Values only: no timing, no I/O, no
 * allocation; never reads memory the descriptor does not name. */
#include "tsfw_host.h"

#include "fw_call.h"

/* The forms read the resolved pointers; the dims come from the descriptor itself. */
#define TSFW_IN(j) p->in[j]
#define TSFW_DIMS(j) (&d->in_dims[j])
#define TSFW_ODIMS (&d->out_dims)
#define TSFW_OUT p->out
#define TSFW_SAME_STORAGE (p->in[0] == p->out)

/* Per kind: its row name, whether it is a DSP-extension row, whether it takes ext inputs. */
#define TSFW_IS_SIMD_ref false
#define TSFW_IS_SIMD_simd true
static const struct {
    const char *name;
    bool simd;
    bool ext;
} kind_info[TSFW_OP_COUNT] = {
    [TSFW_OP_NONE] = {"NONE", false, false},
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param)                         \
    [TSFW_OP_##name] = {#name, TSFW_IS_SIMD_##variant, TSFW_SAME(shape##_##variant, xseq_ref)},
#include "fw_ops.def"
};

int32_t tsfw_kind_max_inputs(uint32_t k)
{
    return k < TSFW_OP_COUNT && kind_info[k].ext ? TSFW_MAX_OP_INPUTS : TSFW_MAX_INPUTS;
}

int32_t tsfw_run_ptrs(const tsfw_op *d, const tsfw_ptrs *p)
{
    int32_t n = d->n_inputs, ext = TSFW_EXT_BYTES(d->n_inputs);
    tsk_ctx ctx = {p->scratch ? (uint8_t *)p->scratch + ext : NULL,
                   p->scratch ? d->scratch_bytes - ext : 0};
    tsk_quant q = {p->multiplier, p->shift, d->n_quant};
    const void *const *ins = p->in;

    if (n < 1 || n > tsfw_kind_max_inputs(d->kind) ||
        (ext > 0 && (!p->scratch || d->scratch_bytes < ext)))
        return TSK_ERR_ARG;
    switch ((tsfw_kind)d->kind) {
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param)                         \
    case TSFW_OP_##name:                                                                      \
        return TSFW_CALL_##form(kernel, param);
#include "fw_ops.def"
    case TSFW_OP_NONE: case TSFW_OP_COUNT:
        break;
    }
    return TSFW_ERR_KIND;
}

/* NULL for address 0 (absent); sets *bad when a non-zero address is not mapped. */
static void *resolve(tsfw_map_fn map, void *opaque, uint32_t addr, bool *bad)
{
    void *p;

    if (addr == 0)
        return NULL;
    p = map(opaque, addr);
    if (!p)
        *bad = true;
    return p;
}

int32_t tsfw_run_mapped(const tsfw_op *d, tsfw_map_fn map, void *opaque)
{
    tsfw_ptrs p;
    bool bad = false;
    int32_t n = d->n_inputs, ext = TSFW_EXT_BYTES(d->n_inputs);

    memset(&p, 0, sizeof p);
    for (int j = 0; j < TSFW_MAX_INPUTS; j++)
        p.in[j] = resolve(map, opaque, d->in_addr[j], &bad);
    p.out = resolve(map, opaque, d->out_addr, &bad);
    p.scratch = resolve(map, opaque, d->scratch_addr, &bad);
    p.multiplier = resolve(map, opaque, d->multiplier_addr, &bad);
    p.shift = resolve(map, opaque, d->shift_addr, &bad);
    if (bad || !p.out)
        return TSFW_ERR_ADDR;
    if (ext > 0 && n <= tsfw_kind_max_inputs(d->kind)) { /* read the ext table (run_ptrs checks) */
        if (!p.scratch || d->scratch_bytes < ext)
            return TSK_ERR_ARG;
        for (int32_t j = TSFW_MAX_INPUTS; j < n; j++) {
            uint32_t a;
            memcpy(&a, (const uint8_t *)p.scratch + 4 * (j - TSFW_MAX_INPUTS), 4);
            p.in[j] = resolve(map, opaque, a, &bad);
        }
        if (bad)
            return TSFW_ERR_ADDR;
    }
    return tsfw_run_ptrs(d, &p);
}

const char *tsfw_kind_name(uint32_t kind)
{
    return kind < TSFW_OP_COUNT ? kind_info[kind].name : "?";
}

bool tsfw_kind_is_simd(uint32_t kind)
{
    return kind < TSFW_OP_COUNT && kind_info[kind].simd;
}

const char *tsfw_status_name(int32_t status)
{
    switch (status) {
    case TSK_OK: return "TSK_OK";
    case TSK_ERR_ARG: return "TSK_ERR_ARG";
    case TSK_ERR_SCRATCH: return "TSK_ERR_SCRATCH";
    case TSK_ERR_UNSUPPORTED: return "TSK_ERR_UNSUPPORTED";
    case TSK_ERR_DATA: return "TSK_ERR_DATA (input values outside the op's domain)";
    case TSFW_ERR_KIND: return "TSFW_ERR_KIND (op kind unknown to the firmware: stale build?)";
    case TSFW_ERR_ADDR: return "TSFW_ERR_ADDR (an address of the descriptor is not mapped)";
    default: return "unknown status";
    }
}
