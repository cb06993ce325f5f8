/* tsfw.c: the tinysim firmware runtime: tsfw_invoke() reads one op descriptor (fw_abi.h),
 * rebuilds kernel pointers from its 32-bit addresses and calls the matching tsk_* kernel.
 * Runs on the emulated Cortex-M (Thumb, freestanding); the host writes the descriptor and
 * calls tsfw_invoke with SP at the top of SRAM. The *_S8_SIMD kinds run the DSP-extension
 * kernels; they are dispatched only when built for a core that has the extension
 * (__ARM_FEATURE_DSP: M4/M7/M33), so M0/M0+/M3 firmware does not carry code the host never
 * asks it to run (it falls back to the plain kinds there) and answers TSFW_ERR_KIND; so does
 * the tsfw_<core>_ref image of a DSP core (built with TSFW_NO_SIMD), which the engine runs for
 * the plain kernels so that the flash footprint holds only the code that runs. Likewise the
 * extended op set (x-prefixed groups of fw_ops.def) is compiled in only with TSFW_EXT, into the
 * tsfw_<core>[_ref]_x images the engine runs for models that use one of its ops: the base
 * images are byte-identical to ABI version 3's (tests/unit/engine/test_unit.c checks the ABI).
 * The dispatch is generated from fw_ops.def (one switch per SHAPE/VARIANT group, the kernel
 * calls from fw_call.h's forms); it is laid out as ABI version 2's hand-written dispatcher
 * was (locals loaded up front, one default row per group, CONCAT as an if), so that every
 * firmware image, and with it every cycle figure, stayed byte-identical.
 * Values only: no cycle counting here, no
 * globals written (no .data/.bss: the linker script asserts it), no I/O, no allocation. */
#ifdef TSFW_WEAK_KERNELS
/* The per-model image (kernels/firmware/CMakeLists.txt, tsfw_link.o; linked at run time by
 * sim/platform/fw_link.c): every set's dispatch, every kernel a weak reference, so the linker
 * pulls in only the kernels named with -u (those of the model's op kinds); a kind whose kernel
 * is absent answers TSFW_ERR_KIND (fw_call.h, TSFW_GUARDED). */
#define TSFW_GUARDED(k, call) ((k) ? (call) : TSFW_ERR_KIND)
#endif
#include "fw_call.h"

#ifdef TSFW_WEAK_KERNELS
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param) \
    extern __typeof__(kernel) kernel __attribute__((weak));
#include "fw_ops.def"
#endif

/* The op sets this image holds (fw_abi.h): a mask, bit s = set s; the base images hold the
 * base set only. TSFW_HAS(group): the image dispatches that SHAPE group. */
#ifndef TSFW_SETS
#define TSFW_SETS (1 << TSFW_SET_BASE)
#endif
#define TSFW_HAS(group) ((TSFW_SETS >> TSFW_SET_##group) & 1)
#define TSFW_EXT (TSFW_SETS != (1 << TSFW_SET_BASE)) /* an extended set is linked in */

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

/* The forms of fw_call.h read the locals each group function loads up front (inK =
 * ptr(d->in_addr[K]), dimsK = &d->in_dims[K], odims = &d->out_dims). */
#define TSFW_IN(j) in##j
#define TSFW_DIMS(j) dims##j
#define TSFW_ODIMS odims
#define TSFW_OUT out_ptr(d)
#define TSFW_SAME_STORAGE (d->in_addr[0] == d->out_addr)

/* The locals of the groups with one, two and three inputs. */
#define TSFW_WEIGHTED_LOCALS                                                                  \
    const tsk_dims *dims0 = &d->in_dims[0], *dims1 = &d->in_dims[1], *odims = &d->out_dims;   \
    const void *in0 = ptr(d->in_addr[0]), *in1 = ptr(d->in_addr[1]), *in2 = ptr(d->in_addr[2])

/* Each run_<group> switches over the rows of its dispatch group (SHAPE_VARIANT in fw_ops.def):
 * `#define TSFW_GROUP <group>` then `#include "fw_ops.def"` with TSFW_OP = TSFW_GROUP_ROW.
 * tsfw_invoke routed the kind here, so no other kind reaches the switch; the row named by
 * TSFW_DEFAULT_<NAME> is also its default (any row of the group would do; these are the ones
 * the hand-written dispatcher had). A row of a new group needs a run_<group> here and its
 * TSFW_SAME_ line in fw_call.h (a row whose group has none fails to compile). */

/* CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED: input, filter, bias. */
static int32_t run_weighted_ref(const tsfw_op *d)
{
    tsk_ctx ctx = scratch(d);
    tsk_quant q = requant(d);
    TSFW_WEIGHTED_LOCALS;

    switch (d->kind) {
#define TSFW_GROUP weighted_ref
#define TSFW_DEFAULT_FC_F32 ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_FC_F32
#undef TSFW_GROUP
    }
}

#if defined(__ARM_FEATURE_DSP) && !defined(TSFW_NO_SIMD) /* TSFW_NO_SIMD: the _ref image */
/* CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED int8, DSP-extension kernels. */
static int32_t run_weighted_simd(const tsfw_op *d)
{
    tsk_ctx ctx = scratch(d);
    tsk_quant q = requant(d);
    TSFW_WEIGHTED_LOCALS;

    switch (d->kind) {
#define TSFW_GROUP weighted_simd
#define TSFW_DEFAULT_FC_S8_SIMD ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_FC_S8_SIMD
#undef TSFW_GROUP
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
static int32_t run_spatial_ref(const tsfw_op *d)
{
    const tsk_dims *dims0 = &d->in_dims[0], *dims1 = &d->in_dims[1], *odims = &d->out_dims;
    const void *in0 = ptr(d->in_addr[0]), *in1 = ptr(d->in_addr[1]);

    switch (d->kind) {
#define TSFW_GROUP spatial_ref
#define TSFW_DEFAULT_MUL_F32 ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_MUL_F32
#undef TSFW_GROUP
    }
}

/* CONCATENATION: the kernel takes an array of input pointers. */
static int32_t run_list_ref(const tsfw_op *d)
{
    const void *ins[TSFW_MAX_INPUTS];
    int32_t n = d->n_inputs;

    if (n < 1 || n > TSFW_MAX_INPUTS)
        return TSK_ERR_ARG;
    for (int32_t j = 0; j < n; j++)
        ins[j] = ptr(d->in_addr[j]);
#define TSFW_GROUP list_ref
#define TSFW_DEFAULT_CONCAT_F32 ~, 1
#define TSFW_OP TSFW_GROUP_IF
#include "fw_ops.def"
#define TSFW_OP TSFW_GROUP_LAST
#include "fw_ops.def"
#undef TSFW_DEFAULT_CONCAT_F32
#undef TSFW_GROUP
}

/* Ops on one input tensor. */
static int32_t run_unary_ref(const tsfw_op *d)
{
    const tsk_dims *dims0 = &d->in_dims[0], *odims = &d->out_dims;
    const void *in0 = ptr(d->in_addr[0]);
    tsk_ctx ctx = scratch(d);

    switch (d->kind) {
#define TSFW_GROUP unary_ref
#define TSFW_DEFAULT_DEQUANTIZE_S8 ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_DEQUANTIZE_S8
#undef TSFW_GROUP
    }
}

#if TSFW_EXT /* the extended op sets: only in the images that hold them (fw_abi.h) */
#if TSFW_HAS(xbinary)
/* Two-input ops of the extended set (SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, GATHER). */
static int32_t run_xbinary_ref(const tsfw_op *d)
{
    const tsk_dims *dims0 = &d->in_dims[0], *dims1 = &d->in_dims[1], *odims = &d->out_dims;
    const void *in0 = ptr(d->in_addr[0]), *in1 = ptr(d->in_addr[1]);

    switch (d->kind) {
#define TSFW_GROUP xbinary_ref
#define TSFW_DEFAULT_MINIMUM_F32 ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_MINIMUM_F32
#undef TSFW_GROUP
    }
}
#endif

#if TSFW_HAS(xunary)
/* One-input ops of the extended set (RELU, RELU6, ABS, NEG, TRANSPOSE, LEAKY_RELU, SLICE,
 * STRIDED_SLICE, SPACE_TO_DEPTH, DEPTH_TO_SPACE, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, FILL,
 * ZEROS_LIKE, SHAPE, CAST, the int16 conversions and pools, and the ops-math group's one-input
 * ops; SUM int8 takes scratch; int16 SOFTMAX its tables from the requantisation pair). */
static int32_t run_xunary_ref(const tsfw_op *d)
{
    const tsk_dims *dims0 = &d->in_dims[0], *odims = &d->out_dims;
    const void *in0 = ptr(d->in_addr[0]);
    tsk_ctx ctx = scratch(d);
    tsk_quant q = requant(d);

    switch (d->kind) {
#define TSFW_GROUP xunary_ref
#define TSFW_DEFAULT_NEG_F32 ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_NEG_F32
#undef TSFW_GROUP
    }
}
#endif

#if TSFW_HAS(xlist)
/* PACK: a concatenation of its inputs, each seen with a 1 at the packed axis; SPLIT, its
 * inverse, reads the same slots (input 0, then its outputs: fw_abi.h). The input
 * gathering repeats run_list_ref's on purpose: sharing it (tried: an inline helper) changes
 * the code GCC emits for the base images, whose bytes must not move. */
static int32_t run_xlist_ref(const tsfw_op *d)
{
    const void *ins[TSFW_MAX_INPUTS];
    int32_t n = d->n_inputs;

    if (n < 1 || n > TSFW_MAX_INPUTS)
        return TSK_ERR_ARG;
    for (int32_t j = 0; j < n; j++)
        ins[j] = ptr(d->in_addr[j]);
#define TSFW_GROUP xlist_ref
#define TSFW_DEFAULT_PACK_F32 ~, 1
#define TSFW_OP TSFW_GROUP_IF
#include "fw_ops.def"
#define TSFW_OP TSFW_GROUP_LAST
#include "fw_ops.def"
#undef TSFW_DEFAULT_PACK_F32
#undef TSFW_GROUP
}
#endif

#if TSFW_HAS(xweighted)
/* TRANSPOSE_CONV (input, filter, bias, as the weighted group) and FULLY_CONNECTED, CONV_2D,
 * DEPTHWISE_CONV_2D with 16x8 quantization, plain kernels. */
static int32_t run_xweighted_ref(const tsfw_op *d)
{
    tsk_ctx ctx = scratch(d);
    tsk_quant q = requant(d);
    TSFW_WEIGHTED_LOCALS;

    switch (d->kind) {
#define TSFW_GROUP xweighted_ref
#define TSFW_DEFAULT_TCONV_F32 ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_TCONV_F32
#undef TSFW_GROUP
    }
}

#if defined(__ARM_FEATURE_DSP) && !defined(TSFW_NO_SIMD)
/* The same, DSP-extension kernels. */
static int32_t run_xweighted_simd(const tsfw_op *d)
{
    tsk_ctx ctx = scratch(d);
    tsk_quant q = requant(d);
    TSFW_WEIGHTED_LOCALS;

    switch (d->kind) {
#define TSFW_GROUP xweighted_simd
#define TSFW_DEFAULT_TCONV_S8_SIMD ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_TCONV_S8_SIMD
#undef TSFW_GROUP
    }
}
#else
static int32_t run_xweighted_simd(const tsfw_op *d)
{
    (void)d;
    return TSFW_ERR_KIND;
}
#endif
#endif

#if TSFW_HAS(xstate)
/* Recurrent layers (SVDF): five inputs, the fifth the state the kernel updates. */
static int32_t run_xstate_ref(const tsfw_op *d)
{
    const void *in0 = ptr(d->in_addr[0]), *in1 = ptr(d->in_addr[1]), *in2 = ptr(d->in_addr[2]);
    const void *in3 = ptr(d->in_addr[3]), *in4 = ptr(d->in_addr[4]);

    switch (d->kind) {
#define TSFW_GROUP xstate_ref
#define TSFW_DEFAULT_SVDF_F32 ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_SVDF_F32
#undef TSFW_GROUP
    }
}
#endif

#if TSFW_HAS(xseq)
/* Sequence layers (UNIDIRECTIONAL_SEQUENCE_LSTM): every input in one array, those past the
 * descriptor's slots read from the ext table at the start of the scratch (fw_abi.h); absent
 * ones and the entries past n_inputs NULL. */
static int32_t run_xseq_ref(const tsfw_op *d)
{
    const void *ins[TSFW_MAX_OP_INPUTS];
    const uint32_t *ext = (const uint32_t *)ptr(d->scratch_addr);
    int32_t n = d->n_inputs;
    tsk_quant q = requant(d);

    if (n < 1 || n > TSFW_MAX_OP_INPUTS ||
        (n > TSFW_MAX_INPUTS && (ext == 0 || d->scratch_bytes < TSFW_EXT_BYTES(n))))
        return TSK_ERR_ARG;
    for (int32_t j = 0; j < TSFW_MAX_OP_INPUTS; j++)
        ins[j] = j >= n ? 0 : ptr(j < TSFW_MAX_INPUTS ? d->in_addr[j] : ext[j - TSFW_MAX_INPUTS]);
    switch (d->kind) {
#define TSFW_GROUP xseq_ref
#define TSFW_DEFAULT_LSTM_F32 ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_LSTM_F32
#undef TSFW_GROUP
    }
}
#endif

#if TSFW_HAS(xcopy)
/* SQUEEZE, EXPAND_DIMS: reshapes, a copy only when the planner could not share storage. */
static int32_t run_xcopy_ref(const tsfw_op *d)
{
    const void *in0 = ptr(d->in_addr[0]);

    switch (d->kind) {
#define TSFW_GROUP xcopy_ref
#define TSFW_DEFAULT_EXPAND_DIMS_COPY ~, 1
#define TSFW_OP TSFW_GROUP_ROW
#include "fw_ops.def"
#undef TSFW_DEFAULT_EXPAND_DIMS_COPY
#undef TSFW_GROUP
    }
}
#endif
#endif

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
    if (d->kind & TSFW_KIND_OFFLOAD) /* before the switch: its copy group is the default */
        return offload(d);
#if TSFW_EXT
    switch ((tsfw_kind)d->kind) {
#define TSFW_GROUP xbinary_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
#if TSFW_HAS(xbinary)
        return run_xbinary_ref(d);
#else
        break; /* a set this image does not hold */
#endif
#define TSFW_GROUP xunary_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
#if TSFW_HAS(xunary)
        return run_xunary_ref(d);
#else
        break; /* a set this image does not hold */
#endif
#define TSFW_GROUP xcopy_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
#if TSFW_HAS(xcopy)
        return run_xcopy_ref(d);
#else
        break; /* a set this image does not hold */
#endif
#define TSFW_GROUP xlist_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
#if TSFW_HAS(xlist)
        return run_xlist_ref(d);
#else
        break; /* a set this image does not hold */
#endif
#define TSFW_GROUP xweighted_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
#if TSFW_HAS(xweighted)
        return run_xweighted_ref(d);
#else
        break; /* a set this image does not hold */
#endif
#define TSFW_GROUP xweighted_simd
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
#if TSFW_HAS(xweighted)
        return run_xweighted_simd(d);
#else
        break; /* a set this image does not hold */
#endif
#define TSFW_GROUP xstate_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
#if TSFW_HAS(xstate)
        return run_xstate_ref(d);
#else
        break; /* a set this image does not hold */
#endif
#define TSFW_GROUP xseq_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
#if TSFW_HAS(xseq)
        return run_xseq_ref(d);
#else
        break; /* a set this image does not hold */
#endif
#else
    /* the base images: the same switch over the base kinds only, its last label the first
     * extended kind (the op-kind count of ABI version 3, so that the code is unchanged);
     * the extended kinds reach the return below, TSFW_ERR_KIND */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wswitch-enum"
#pragma GCC diagnostic ignored "-Wswitch"
    switch ((tsfw_kind)d->kind) {
#endif
#define TSFW_GROUP weighted_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
        return run_weighted_ref(d);
#define TSFW_GROUP weighted_simd
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
        return run_weighted_simd(d);
#define TSFW_GROUP spatial_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
        return run_spatial_ref(d);
#define TSFW_GROUP list_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
        return run_list_ref(d);
#define TSFW_GROUP unary_ref
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_GROUP
        return run_unary_ref(d);
#define TSFW_GROUP copy_ref
#define TSFW_DEFAULT_COPY ~, 1
#define TSFW_OP TSFW_GROUP_LABEL
#include "fw_ops.def"
#undef TSFW_IN
#define TSFW_IN(j) ptr(d->in_addr[j]) /* RESHAPE that is not a view: its one row, in place */
#define TSFW_OP TSFW_GROUP_LAST
#include "fw_ops.def"
#undef TSFW_DEFAULT_COPY
#undef TSFW_GROUP
#if TSFW_EXT
    case TSFW_OP_NONE: case TSFW_OP_COUNT:
#else
    case TSFW_OP_NONE: case (tsfw_kind)TSFW_N_BASE_KINDS:
#endif
        break;
    }
#if !TSFW_EXT
#pragma GCC diagnostic pop
#endif
    return TSFW_ERR_KIND;
}
