/* tsfw.c: the tinysim firmware runtime: tsfw_invoke() reads one op descriptor (fw_abi.h),
 * rebuilds kernel pointers from its 32-bit addresses and calls the matching tsk_* kernel.
 * Runs on the emulated Cortex-M (Thumb, freestanding); the host writes the descriptor and
 * calls tsfw_invoke with SP at the top of SRAM. The *_S8_SIMD kinds run the DSP-extension
 * kernels; they are dispatched only when built for a core that has the extension
 * (__ARM_FEATURE_DSP: M4/M7/M33), so M0/M0+/M3 firmware does not carry code the host never
 * asks it to run (it falls back to the plain kinds there) and answers TSFW_ERR_KIND; so does
 * the tsfw_<core>_ref image of a DSP core (built with TSFW_NO_SIMD), which the engine runs for
 * the plain kernels so that the flash footprint holds only the code that runs.
 * Values only: no cycle counting here, no
 * globals written (no .data/.bss: the linker script asserts it), no I/O, no allocation. */
#include <string.h>

#include "fw_abi.h"
#include "kernels.h"

/* Read by the host and compared with its own build of the same words (fw_abi.h). */
__attribute__((used)) const uint32_t tsfw_abi_info[TSFW_ABI_N_WORDS] = {
#define TSFW_ABI_WORD_INIT(v) (uint32_t)(v),
    TSFW_ABI_WORDS(TSFW_ABI_WORD_INIT)
#undef TSFW_ABI_WORD_INIT
};

static const void *ptr(uint32_t addr)
{
    return (const void *)(uintptr_t)addr;
}

static void *out_ptr(const tsfw_op *d)
{
    return (void *)(uintptr_t)d->out_addr;
}

static tsk_ctx scratch(const tsfw_op *d)
{
    tsk_ctx ctx = {(void *)(uintptr_t)d->scratch_addr, d->scratch_bytes};

    if (d->scratch_addr == 0)
        ctx.size = 0;
    return ctx;
}

static tsk_quant requant(const tsfw_op *d)
{
    tsk_quant q = {ptr(d->multiplier_addr), ptr(d->shift_addr), d->n_quant};
    return q;
}

static int32_t count(const tsk_dims *x)
{
    return x->n * x->h * x->w * x->c;
}

/* CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED: input, filter, bias. */
static int32_t run_weighted(const tsfw_op *d)
{
    tsk_ctx ctx = scratch(d);
    tsk_quant q = requant(d);
    const tsk_dims *id = &d->in_dims[0], *fd = &d->in_dims[1], *od = &d->out_dims;
    const void *in = ptr(d->in_addr[0]), *f = ptr(d->in_addr[1]), *b = ptr(d->in_addr[2]);

    switch (d->kind) {
    case TSFW_OP_CONV2D_S8:
        return tsk_conv2d_s8(&ctx, &d->p.conv, &q, id, in, fd, f, b, od, out_ptr(d));
    case TSFW_OP_CONV2D_F32:
        return tsk_conv2d_f32(&d->p.conv_f32, id, in, fd, f, b, od, out_ptr(d));
    case TSFW_OP_DWCONV_S8:
        return tsk_depthwise_conv2d_s8(&ctx, &d->p.dw, &q, id, in, fd, f, b, od, out_ptr(d));
    case TSFW_OP_DWCONV_F32:
        return tsk_depthwise_conv2d_f32(&d->p.dw_f32, id, in, fd, f, b, od, out_ptr(d));
    case TSFW_OP_FC_S8:
        return tsk_fully_connected_s8(&ctx, &d->p.fc, &q, id, in, fd, f, b, od, out_ptr(d));
    default:
        return tsk_fully_connected_f32(&d->p.fc_f32, id, in, fd, f, b, od, out_ptr(d));
    }
}

#if defined(__ARM_FEATURE_DSP) && !defined(TSFW_NO_SIMD) /* TSFW_NO_SIMD: the _ref image */
/* CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED int8, DSP-extension kernels. */
static int32_t run_weighted_simd(const tsfw_op *d)
{
    tsk_ctx ctx = scratch(d);
    tsk_quant q = requant(d);
    const tsk_dims *id = &d->in_dims[0], *fd = &d->in_dims[1], *od = &d->out_dims;
    const void *in = ptr(d->in_addr[0]), *f = ptr(d->in_addr[1]), *b = ptr(d->in_addr[2]);

    switch (d->kind) {
    case TSFW_OP_CONV2D_S8_SIMD:
        return tsk_conv2d_s8_simd(&ctx, &d->p.conv, &q, id, in, fd, f, b, od, out_ptr(d));
    case TSFW_OP_DWCONV_S8_SIMD:
        return tsk_depthwise_conv2d_s8_simd(&ctx, &d->p.dw, &q, id, in, fd, f, b, od,
                                            out_ptr(d));
    default:
        return tsk_fully_connected_s8_simd(&ctx, &d->p.fc, &q, id, in, fd, f, b, od,
                                           out_ptr(d));
    }
}
#else
static int32_t run_weighted_simd(const tsfw_op *d)
{
    (void)d;
    return TSFW_ERR_KIND;
}
#endif

/* Pools, element-wise ADD/MUL. */
static int32_t run_spatial(const tsfw_op *d)
{
    const tsk_dims *a = &d->in_dims[0], *b = &d->in_dims[1], *o = &d->out_dims;
    const void *x = ptr(d->in_addr[0]), *y = ptr(d->in_addr[1]);

    switch (d->kind) {
    case TSFW_OP_AVGPOOL_S8: return tsk_avg_pool_s8(&d->p.pool, a, x, o, out_ptr(d));
    case TSFW_OP_AVGPOOL_F32: return tsk_avg_pool_f32(&d->p.pool_f32, a, x, o, out_ptr(d));
    case TSFW_OP_MAXPOOL_S8: return tsk_max_pool_s8(&d->p.pool, a, x, o, out_ptr(d));
    case TSFW_OP_MAXPOOL_F32: return tsk_max_pool_f32(&d->p.pool_f32, a, x, o, out_ptr(d));
    case TSFW_OP_ADD_S8: return tsk_add_s8(&d->p.add, a, x, b, y, o, out_ptr(d));
    case TSFW_OP_ADD_F32: return tsk_add_f32(&d->p.elt_f32, a, x, b, y, o, out_ptr(d));
    case TSFW_OP_MUL_S8: return tsk_mul_s8(&d->p.mul, a, x, b, y, o, out_ptr(d));
    default: return tsk_mul_f32(&d->p.elt_f32, a, x, b, y, o, out_ptr(d));
    }
}

/* CONCATENATION: the kernel takes an array of input pointers. */
static int32_t run_concat(const tsfw_op *d)
{
    const void *in[TSFW_MAX_INPUTS];
    int32_t n = d->n_inputs;

    if (n < 1 || n > TSFW_MAX_INPUTS)
        return TSK_ERR_ARG;
    for (int32_t j = 0; j < n; j++)
        in[j] = ptr(d->in_addr[j]);
    if (d->kind == TSFW_OP_CONCAT_S8)
        return tsk_concatenation_s8(d->axis, n, d->in_dims, (const int8_t *const *)in,
                                    &d->out_dims, out_ptr(d));
    return tsk_concatenation_f32(d->axis, n, d->in_dims, (const float *const *)in, &d->out_dims,
                                 out_ptr(d));
}

/* Ops on one input tensor. */
static int32_t run_unary(const tsfw_op *d)
{
    const tsk_dims *a = &d->in_dims[0], *o = &d->out_dims;
    const void *x = ptr(d->in_addr[0]);
    tsk_ctx ctx = scratch(d);

    switch (d->kind) {
    case TSFW_OP_SOFTMAX_S8: return tsk_softmax_s8(&d->p.softmax, a, x, out_ptr(d));
    case TSFW_OP_SOFTMAX_F32: return tsk_softmax_f32(d->p.softmax_beta, a, x, out_ptr(d));
    case TSFW_OP_LOGISTIC_S8: return tsk_logistic_s8(&d->p.logistic, count(a), x, out_ptr(d));
    case TSFW_OP_LOGISTIC_F32: return tsk_logistic_f32(count(a), x, out_ptr(d));
    case TSFW_OP_PAD_S8:
        return tsk_pad_s8(&d->p.pad, (int8_t)d->pad_value, a, x, o, out_ptr(d));
    case TSFW_OP_PAD_F32: return tsk_pad_f32(&d->p.pad, 0.0f, a, x, o, out_ptr(d));
    case TSFW_OP_MEAN_S8: return tsk_mean_s8(&ctx, &d->p.mean, a, x, o, out_ptr(d));
    case TSFW_OP_MEAN_F32: return tsk_mean_f32(d->p.mean.axis_mask, a, x, o, out_ptr(d));
    case TSFW_OP_QUANTIZE_S8: return tsk_quantize_s8(&d->p.affine, count(a), x, out_ptr(d));
    default: return tsk_dequantize_s8(&d->p.affine, count(a), x, out_ptr(d));
    }
}

/* An op placed on an execution unit: ring its doorbell, sleep until it is done (fw_abi.h). */
static int32_t offload(const tsfw_op *d)
{
    volatile uint32_t *regs = (volatile uint32_t *)(uintptr_t)d->unit_regs;

    __asm volatile("cpsid i" ::: "memory");
    regs[TSFW_UNIT_DOORBELL / 4] = (uint32_t)(uintptr_t)d;
    while (!(regs[TSFW_UNIT_STATUS / 4] & TSFW_UNIT_DONE))
        __asm volatile("wfi" ::: "memory");
    return (int32_t)regs[TSFW_UNIT_RESULT / 4];
}

int32_t tsfw_invoke(const tsfw_op *d)
{
    switch ((tsfw_kind)d->kind) {
    case TSFW_OP_CONV2D_S8: case TSFW_OP_CONV2D_F32: case TSFW_OP_DWCONV_S8:
    case TSFW_OP_DWCONV_F32: case TSFW_OP_FC_S8: case TSFW_OP_FC_F32:
        return run_weighted(d);
    case TSFW_OP_CONV2D_S8_SIMD: case TSFW_OP_DWCONV_S8_SIMD: case TSFW_OP_FC_S8_SIMD:
        return run_weighted_simd(d);
    case TSFW_OP_AVGPOOL_S8: case TSFW_OP_AVGPOOL_F32: case TSFW_OP_MAXPOOL_S8:
    case TSFW_OP_MAXPOOL_F32: case TSFW_OP_ADD_S8: case TSFW_OP_ADD_F32: case TSFW_OP_MUL_S8:
    case TSFW_OP_MUL_F32:
        return run_spatial(d);
    case TSFW_OP_CONCAT_S8: case TSFW_OP_CONCAT_F32:
        return run_concat(d);
    case TSFW_OP_SOFTMAX_S8: case TSFW_OP_SOFTMAX_F32: case TSFW_OP_LOGISTIC_S8:
    case TSFW_OP_LOGISTIC_F32: case TSFW_OP_PAD_S8: case TSFW_OP_PAD_F32: case TSFW_OP_MEAN_S8:
    case TSFW_OP_MEAN_F32: case TSFW_OP_QUANTIZE_S8: case TSFW_OP_DEQUANTIZE_S8:
        return run_unary(d);
    case TSFW_OP_COPY: /* RESHAPE that is not a view */
        if (d->in_addr[0] != d->out_addr)
            memmove(out_ptr(d), ptr(d->in_addr[0]), (size_t)d->copy_bytes);
        return TSK_OK;
    case TSFW_OP_NONE: case TSFW_OP_COUNT:
        break;
    }
    /* an offloaded op's kind has TSFW_KIND_OFFLOAD set, so it lands here, off the fast path */
    return d->unit_regs ? offload(d) : TSFW_ERR_KIND;
}
