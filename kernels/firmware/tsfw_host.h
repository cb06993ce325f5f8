/* tsfw_host.h: the host build of the firmware dispatch: runs the kernel of one op descriptor
 * (fw_abi.h), the very descriptor tsfw_invoke reads on the emulated core, on host memory.
 * Generated from the same op table (fw_ops.def) and kernel-call forms (fw_call.h) as the
 * firmware, so a host-side unit (the reference executor, a DSP or systolic model running the
 * kernels over emulated SRAM) computes bit-identical values. Layer: kernels (host library
 * only). Values only: no timing, no I/O, no allocation, no state. */
#ifndef TS_TSFW_HOST_H
#define TS_TSFW_HOST_H

#include <stdbool.h>

#include "fw_abi.h"

/* tsfw_run_mapped: an address of the descriptor that the map does not resolve. */
#define TSFW_ERR_ADDR (-101)

/* Host pointers of a descriptor's addresses (NULL where the address is 0: absent). */
typedef struct tsfw_ptrs {
    const void *in[TSFW_MAX_OP_INPUTS]; /* input tensors, d->n_inputs used (past
                                         * TSFW_MAX_INPUTS: ext inputs, fw_abi.h) */
    void *out;                       /* output tensor */
    void *scratch;                   /* d->scratch_bytes of kernel scratch, or NULL */
    const int32_t *multiplier;       /* d->n_quant requantisation entries each, or NULL */
    const int32_t *shift;
} tsfw_ptrs;

/* Runs d's kernel with its tensors at p (borrowed). Returns what the kernel returns (a
 * tsk_status), TSFW_ERR_KIND for a kind outside fw_ops.def, TSK_ERR_ARG for n_inputs outside
 * 1..TSFW_MAX_INPUTS (1..TSFW_MAX_OP_INPUTS for the kinds that take ext inputs, whose scratch
 * must then hold the ext table: the kernel's scratch follows it), exactly as tsfw_invoke does
 * on the core for the same descriptor. */
int32_t tsfw_run_ptrs(const tsfw_op *d, const tsfw_ptrs *p);

/* Turns an emulated byte address into a host pointer to the memory there, or NULL when it is
 * not mapped. The caller guarantees that each tensor of the descriptor lies inside one mapped
 * span (true for descriptors built from a planned model: sim/unit ts_unit_build_desc). */
typedef void *(*tsfw_map_fn)(void *opaque, uint32_t addr);

/* Runs the descriptor the firmware would read, with every non-zero address resolved through
 * map(opaque, addr), ext inputs from the table at the start of the scratch. Returns as
 * tsfw_run_ptrs, or TSFW_ERR_ADDR when an address is not mapped
 * (or the output address is 0). */
int32_t tsfw_run_mapped(const tsfw_op *d, tsfw_map_fn map, void *opaque);

/* The kind's row name ("CONV2D_S8"), or "?" outside the table. */
const char *tsfw_kind_name(uint32_t kind);
/* True for the DSP-extension (simd) rows, which only DSP-core firmware dispatches. */
bool tsfw_kind_is_simd(uint32_t kind);
/* The most inputs a descriptor of the kind may have: TSFW_MAX_OP_INPUTS for the rows that read
 * ext inputs (the xseq group), else the descriptor's TSFW_MAX_INPUTS. */
int32_t tsfw_kind_max_inputs(uint32_t kind);

/* "TSK_ERR_ARG", "TSFW_ERR_KIND (...)", ... for a status of tsfw_invoke or tsfw_run_*. */
const char *tsfw_status_name(int32_t status);

#endif /* TS_TSFW_HOST_H */
