/* fw_abi.h: the one interface between the host (sim/unit/cpu.c) and the firmware dispatcher
 * (kernels/firmware/tsfw.c): the op descriptor tsfw_op the host writes into emulated SRAM and
 * tsfw_invoke() reads. Shared by the 64-bit host build and the 32-bit Thumb build, so the
 * descriptor holds ONLY fixed-width fields: 32-bit addresses (never pointers), int32 sizes,
 * tsk_dims and the kernels' param structs by value (all their fields are 4-byte int32/float).
 * The _Static_asserts below run in both builds; the host also compares its tsfw_abi words with
 * the copy linked into the firmware ELF (symbol tsfw_abi_info) before the first call.
 * Enum, union and ABI words are generated from fw_ops.def, the one op table.
 * Must not: include anything beyond kernel_types.h and fw_ops.def, hold a pointer or a 64-bit
 * field. */
#ifndef TS_FW_ABI_H
#define TS_FW_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "kernel_types.h"
#include "fw_ops.def" /* TSFW_PARAMS */

#define TSFW_ABI_MAGIC 0x54534657u /* "TSFW" */
#define TSFW_ABI_VERSION 6u        /* bump when the header part or fw_ops.def changes meaning;
                                    * 2: the three *_S8_SIMD kinds; 3: unit_regs (offload);
                                    * 4: the extended op set (SUB, MAXIMUM, MINIMUM, RELU,
                                    *    RELU6, ABS, NEG, TRANSPOSE, SQUEEZE, EXPAND_DIMS,
                                    *    LEAKY_RELU, SQUARED_DIFFERENCE, PACK, SLICE,
                                    *    GATHER, TRANSPOSE_CONV; SPLIT, SPLIT_V, UNPACK,
                                    *    STRIDED_SLICE, SPACE_TO_DEPTH, DEPTH_TO_SPACE,
                                    *    RESIZE_NEAREST_NEIGHBOR, FILL, ZEROS_LIKE, SHAPE,
                                    *    CAST; HARD_SWISH, TANH, PRELU, ARG_MAX, ARG_MIN, SQRT; SVDF);
                                    * 5: tsk_resize_params gains rounding (RESIZE_BILINEAR);
                                    * 6: ext inputs (n_inputs above TSFW_MAX_INPUTS, below) */
#define TSFW_MAX_INPUTS 8          /* = TS_REF_MAX_INPUTS: the descriptor's input slots */
/* Ext inputs: an op with more inputs than the descriptor has slots (UNIDIRECTIONAL_SEQUENCE_
 * LSTM: 24) has n_inputs up to TSFW_MAX_OP_INPUTS; inputs 0..7 are in_addr as always, inputs
 * 8..n_inputs-1 are TSFW_EXT_BYTES(n_inputs) / 4 uint32 addresses (0 = absent) at the start of
 * its scratch, written by whoever writes the descriptor (sim/unit: ts_unit_ext_table), and the
 * kernel's own scratch follows that table. Only dispatch groups that read it (xseq) accept such
 * an n_inputs. */
#define TSFW_MAX_EXT_INPUTS 16
#define TSFW_MAX_OP_INPUTS (TSFW_MAX_INPUTS + TSFW_MAX_EXT_INPUTS)
#define TSFW_EXT_BYTES(n) ((n) > TSFW_MAX_INPUTS ? 4 * ((n) - TSFW_MAX_INPUTS) : 0)

/* Op kinds: one row of fw_ops.def each, after NONE (0, never a valid kind). */
typedef enum tsfw_kind {
    TSFW_OP_NONE,
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param) TSFW_OP_##name,
#include "fw_ops.def"
    TSFW_OP_COUNT
} tsfw_kind;

/* Firmware op sets. Every image holds the base set; the extended sets (x-prefixed dispatch
 * groups of fw_ops.def) are each linked into images of their own, tsfw_<core>[_ref]<suffix>.elf
 * (base + that set), and, once there are two or more, all together into the _all images (built
 * with TSFW_SETS = the mask of the sets they hold; kernels/firmware/CMakeLists.txt builds one
 * image per row). The engine runs the smallest image that holds every kind a model needs, so
 * that a model's flash footprint holds its own ops' kernels and not every op tinysim knows.
 * Set numbers are macros (the firmware tests them in #if): the base set first, then one per
 * extended set; keep TSFW_N_SETS, tsfw_set_suffix and TSFW_EXT_SETS in kernels/firmware/
 * CMakeLists.txt in step (tests/unit/unit/test_unit.c opens every image). */
#define TSFW_SET_BASE 0
#define TSFW_SET_EXT 1      /* element-wise, data movement, conversions: _x */
#define TSFW_SET_WEIGHTED 2 /* TRANSPOSE_CONV and the 16x8 weighted ops: _w */
#define TSFW_SET_STATE 3    /* recurrent layers with state (SVDF, LSTM): _rnn */
#define TSFW_N_SETS 4
#define TSFW_SET_ALL TSFW_N_SETS /* the image with every set (only with 2+ extended sets) */
/* An image's file-name suffix: set s's, or "_all". */
static inline const char *tsfw_set_suffix(int s)
{
    static const char *const suffix[TSFW_N_SETS + 1] = {"", "_x", "_w", "_rnn", "_all"};

    return s >= 0 && s <= TSFW_N_SETS ? suffix[s] : "?";
}
/* The set of each dispatch group (SHAPE column). One line per group. */
#define TSFW_SET_weighted TSFW_SET_BASE
#define TSFW_SET_spatial TSFW_SET_BASE
#define TSFW_SET_unary TSFW_SET_BASE
#define TSFW_SET_list TSFW_SET_BASE
#define TSFW_SET_copy TSFW_SET_BASE
#define TSFW_SET_xbinary TSFW_SET_EXT
#define TSFW_SET_xunary TSFW_SET_EXT
#define TSFW_SET_xcopy TSFW_SET_EXT
#define TSFW_SET_xlist TSFW_SET_EXT
#define TSFW_SET_xweighted TSFW_SET_WEIGHTED
#define TSFW_SET_xstate TSFW_SET_STATE
#define TSFW_SET_xseq TSFW_SET_STATE

/* Kinds below TSFW_N_BASE_KINDS are the base set's: its rows come first (asserted), so it is
 * also the op-kind count of the images without an extended set. */
enum {
    TSFW_N_BASE_KINDS = 1 /* NONE */
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param) \
    +(TSFW_SET_##shape == TSFW_SET_BASE)
#include "fw_ops.def"
};
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param)                         \
    _Static_assert(((int)TSFW_OP_##name < (int)TSFW_N_BASE_KINDS) ==                           \
                       (TSFW_SET_##shape == TSFW_SET_BASE),                                    \
                   "fw_ops.def: row " #name ": base-set rows must come before extended ones");
#include "fw_ops.def"

/* The op set of kind k (TSFW_SET_BASE for NONE and unknown kinds). */
static inline int tsfw_kind_set(uint32_t k)
{
    switch (k) {
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param) \
    case TSFW_OP_##name: return TSFW_SET_##shape;
#include "fw_ops.def"
    default: return TSFW_SET_BASE;
    }
}

/* The image (a set, or TSFW_SET_ALL) that holds every set of mask `sets` (bit s = set s). */
static inline int tsfw_image_for_sets(uint32_t sets)
{
    sets &= ~(1u << TSFW_SET_BASE);
    if (sets == 0)
        return TSFW_SET_BASE;
    for (int s = 1; s < TSFW_N_SETS; s++)
        if (sets == 1u << s)
            return s;
    return TSFW_SET_ALL;
}

/* tsfw_invoke's return value: a tsk_status (0 or negative), or this for a kind it does not know. */
#define TSFW_ERR_KIND (-100)

/* Kernel parameters, by value: the member named in the kind's fw_ops.def row (PARAM). */
typedef union tsfw_params {
#define TSFW_PARAM_MEMBER(X, member, type) type member;
    TSFW_PARAMS(TSFW_PARAM_MEMBER, TSFW_PARAM_MEMBER, ~)
#undef TSFW_PARAM_MEMBER
} tsfw_params;

/* One op. OFFSET / SIZE / MEANING (bytes; identical on host and target, asserted below):
 *   0    4   kind            tsfw_kind
 *   4    4   n_inputs        used entries of in_addr / in_dims; above TSFW_MAX_INPUTS
 *                             (xseq group only) the rest are ext inputs (above)
 *   8   32   in_addr[8]      input tensors (0 = absent, e.g. no bias); an op with several
 *                             outputs (SPLIT) has one input, in entry 0, and its outputs in
 *                             entries 1..n_inputs-1 (dims in in_dims), out_addr / out_dims
 *                             repeating entry 1 (output 0): at most TSFW_MAX_INPUTS - 1
 *                             outputs, and no field moves
 *  40    4   out_addr        output tensor
 *  44    4   scratch_addr    kernel scratch (0 = none), 4-byte aligned
 *  48    4   scratch_bytes
 *  52    4   multiplier_addr int32 Q31 requantisation multipliers (0 = none)
 *  56    4   shift_addr      int32 shifts, n_quant entries like the multipliers
 *  60    4   n_quant         1 (per tensor) or the output channel count
 *  64    4   axis            CONCAT: axis of [N,H,W,C]
 *  68    4   copy_bytes      COPY (RESHAPE that is not a view): bytes to move
 *  72    4   pad_value       PAD_S8: the int8 pad value (output zero point)
 *  76    4   unit_regs       0: run the kernel on this core; else the register block of the
 *                             execution unit that runs the op (offload, below)
 *  80  128   in_dims[8]      4-D shapes [N,H,W,C]; conv/fc: [1] filter, [2] bias
 * 208   16   out_dims
 * 224    -   p               tsfw_params */
typedef struct tsfw_op {
    uint32_t kind;
    int32_t n_inputs;
    uint32_t in_addr[TSFW_MAX_INPUTS];
    uint32_t out_addr;
    uint32_t scratch_addr;
    int32_t scratch_bytes;
    uint32_t multiplier_addr;
    uint32_t shift_addr;
    int32_t n_quant;
    int32_t axis;
    int32_t copy_bytes;
    int32_t pad_value;
    uint32_t unit_regs;
    tsk_dims in_dims[TSFW_MAX_INPUTS];
    tsk_dims out_dims;
    tsfw_params p;
} tsfw_op;

/* Layout checks, compiled into both builds. A pointer or 64-bit field added to a param struct
 * changes its alignment (8 on the host for pointers, 8 everywhere for int64/double). */
_Static_assert(sizeof(float) == 4 && sizeof(tsk_dims) == 16, "tsfw: 32-bit float, 16-byte dims");
_Static_assert(sizeof(tsk_transpose_params) == 16, "tsfw: S row transpose is four int32");
_Static_assert(sizeof(tsk_leaky_relu_params) == 28 && sizeof(tsk_leaky_relu_params_f32) == 4,
               "tsfw: S rows leaky, leaky_f32 are int32/float words");
_Static_assert(sizeof(tsk_slice_params) == 16 && sizeof(tsk_gather_params) == 16,
               "tsfw: S rows slice, gather are four int32");
_Static_assert(sizeof(tsk_strided_slice_params) == 32, "tsfw: S row strided_slice is 8 int32");
_Static_assert(sizeof(tsk_hard_swish_params) == 24 && sizeof(tsk_prelu_params) == 32,
               "tsfw: S rows hard_swish, prelu are six and eight int32");
_Static_assert(sizeof(tsk_block_params) == 4 && sizeof(tsk_resize_params) == 12 &&
                   sizeof(tsk_shape_params) == 20 && sizeof(tsk_cast_params) == 8,
               "tsfw: S rows block, resize, shape are int32 words");
_Static_assert(sizeof(tsk_svdf_params) == 52 && sizeof(tsfw_params) == 52,
               "tsfw: S row svdf is thirteen int32/float words, no larger than the base set's "
               "largest block (the descriptor's size, and every base image's layout, stay)");
_Static_assert(sizeof(tsk_lstm_params) == 24, "tsfw: S row lstm is six int32/float words");
_Static_assert(sizeof(tsk_lstm_s8_params) == 44, "tsfw: S row lstm8 is eleven int32");
_Static_assert(sizeof(tsk_softmax_s8_s16_params) == 8, "tsfw: S row softmax816 is two words");
_Static_assert(sizeof(tsk_requant_params) == 28, "tsfw: S row requant is seven int32");
_Static_assert(sizeof(tsk_arg_params) == 12 && sizeof(tsk_rsqrt_params) == 20,
               "tsfw: S rows arg, rsqrt are three and five int32");
_Static_assert(sizeof(tsk_l2_norm_params) == 16 && sizeof(tsk_sum_params) == 16,
               "tsfw: S rows l2_norm, sum are four words");
_Static_assert(sizeof(tsk_bmm_params) == 32 && sizeof(tsk_mean_s16_params) == 24,
               "tsfw: S rows bmm, mean16 are eight and six int32/float words");
_Static_assert(offsetof(tsfw_op, in_addr) == 8 && offsetof(tsfw_op, out_addr) == 40,
               "tsfw_op: address block moved");
_Static_assert(offsetof(tsfw_op, scratch_addr) == 44 && offsetof(tsfw_op, n_quant) == 60,
               "tsfw_op: scratch/quant block moved");
_Static_assert(offsetof(tsfw_op, pad_value) == 72 && offsetof(tsfw_op, in_dims) == 80,
               "tsfw_op: scalar block moved");
_Static_assert(offsetof(tsfw_op, out_dims) == 208 && offsetof(tsfw_op, p) == 224,
               "tsfw_op: dims block moved");
_Static_assert(_Alignof(tsfw_params) == 4 && sizeof(tsfw_params) % 4 == 0,
               "tsfw_params: a kernel param struct holds a pointer or a 64-bit field");
_Static_assert(_Alignof(tsfw_op) == 4 && sizeof(tsfw_op) == 224 + sizeof(tsfw_params),
               "tsfw_op: padding or over-aligned member");

/* The words the host compares with the firmware's tsfw_abi_info[] (same order in both):
 * magic, version, descriptor size, offset of p, op-kind count, then each param struct's size
 * (the P rows of TSFW_PARAMS),
 * so a kernel_types.h change that only one side was rebuilt with is caught at load time. */
#define TSFW_ABI_WORDS(X)                                                                     \
    X(TSFW_ABI_MAGIC) X(TSFW_ABI_VERSION) X(sizeof(tsfw_op)) X(offsetof(tsfw_op, p))          \
    X(TSFW_OP_COUNT) TSFW_PARAMS(TSFW_ABI_PARAM_WORD, TSFW_ABI_NO_WORD, X)
#define TSFW_ABI_PARAM_WORD(X, member, type) X(sizeof(type))
#define TSFW_ABI_NO_WORD(X, member, type)

#define TSFW_ABI_WORD_ONE(v) 1 +
#define TSFW_ABI_N_WORDS (TSFW_ABI_WORDS(TSFW_ABI_WORD_ONE) 0)

/* Offload: the register block of an execution unit (a memory-mapped device, sim/unit), as a
 * driver on a real part reaches a peripheral. OFFSET / ACCESS / MEANING (32-bit words):
 *   0  W  DOORBELL  address of a tsfw_op descriptor in RAM: the unit starts running it
 *   4  R  STATUS    bit 0 DONE: the op finished (the unit raises its interrupt then)
 *   8  R  RESULT    the op's tsk_status (0 = TSK_OK)
 * The firmware rings the doorbell with interrupts masked and sleeps in WFI until STATUS says
 * DONE: the unit's interrupt wakes the core without entering a handler. Chosen over polling
 * because a sleeping core is what a driver does to save energy while an accelerator works,
 * and because the simulator then skips the wait in one step instead of emulating a spin. */
#define TSFW_KIND_OFFLOAD 0x100u /* or-ed into kind when unit_regs is set */
#define TSFW_UNIT_DOORBELL 0u
#define TSFW_UNIT_STATUS 4u
#define TSFW_UNIT_RESULT 8u
#define TSFW_UNIT_DONE 1u
#define TSFW_UNIT_REGS_BYTES 12u

/* The firmware entry point: runs one op, returns a tsk_status or TSFW_ERR_KIND. */
int32_t tsfw_invoke(const tsfw_op *d);

#endif /* TS_FW_ABI_H */
