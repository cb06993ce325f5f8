/* fw_call.h: how a kernel of each signature (the FORM column of fw_ops.def) is called from an
 * op descriptor, written once for the two dispatchers generated from fw_ops.def: the firmware
 * (tsfw.c, addresses are pointers) and the host (tsfw_host.c, addresses resolved through a
 * map). Each form expands to one call expression of type tsk_status; the includer defines, in
 * scope where the form is expanded: `d` (const tsfw_op *), `ctx` (tsk_ctx, the scratch),
 * `q` (tsk_quant, the requantisation tables), `n` (d->n_inputs) and `ins` (const void *[],
 * the n input pointers; list forms only) and the macros TSFW_IN(j) (input j), TSFW_DIMS(j)
 * (its dims), TSFW_ODIMS (output dims), TSFW_OUT (output) and TSFW_SAME_STORAGE (input 0 is
 * the output). Also the helpers that select a dispatch group's rows (TSFW_IN_GROUP,
 * TSFW_GROUP_ROW, TSFW_GROUP_LABEL, TSFW_GROUP_IF, TSFW_GROUP_LAST) for the firmware.
 * Must not: hold state, include anything beyond string.h, fw_abi.h and kernels.h. */
#ifndef TS_FW_CALL_H
#define TS_FW_CALL_H

#include <string.h>

#include "fw_abi.h"
#include "kernels.h"

static inline int32_t tsfw_count(const tsk_dims *x)
{
    return x->n * x->h * x->w * x->c;
}

/* Input, filter and bias; scratch and requantisation tables. */
#define TSFW_CALL_WEIGHTED_Q(k, m)                                                            \
    k(&ctx, &d->p.m, &q, TSFW_DIMS(0), TSFW_IN(0), TSFW_DIMS(1), TSFW_IN(1), TSFW_IN(2),  \
      TSFW_ODIMS, TSFW_OUT)
/* Input, filter and bias (float: no tables, no scratch). */
#define TSFW_CALL_WEIGHTED(k, m)                                                              \
    k(&d->p.m, TSFW_DIMS(0), TSFW_IN(0), TSFW_DIMS(1), TSFW_IN(1), TSFW_IN(2),            \
      TSFW_ODIMS, TSFW_OUT)
/* Two inputs with their dims, no parameters (MAXIMUM, MINIMUM). */
#define TSFW_CALL_BINARY_NP(k, m)                                                             \
    k(TSFW_DIMS(0), TSFW_IN(0), TSFW_DIMS(1), TSFW_IN(1), TSFW_ODIMS, TSFW_OUT)
/* The parameters and the output alone (SHAPE). */
#define TSFW_CALL_PARAM_OUT(k, m) k(&d->p.m, TSFW_OUT)
/* The output dims and a scalar input (FILL). */
#define TSFW_CALL_FILL(k, m) k(TSFW_ODIMS, TSFW_IN(0), TSFW_OUT)
/* Data and int32 indices, the shape in the parameters (GATHER). */
#define TSFW_CALL_GATHER(k, m) k(&d->p.m, TSFW_IN(0), TSFW_IN(1), TSFW_OUT)
/* Input 0 alone, its shape in the parameters ([outer, axis, inner]: ARG_MAX, ARG_MIN; rows:
 * L2_NORMALIZATION). */
#define TSFW_CALL_AXIS(k, m) k(&d->p.m, TSFW_IN(0), TSFW_OUT)
/* One input with its dims, output dims (pools). */
#define TSFW_CALL_POOL(k, m) k(&d->p.m, TSFW_DIMS(0), TSFW_IN(0), TSFW_ODIMS, TSFW_OUT)
/* Two inputs with their dims (broadcasting element-wise). */
#define TSFW_CALL_BINARY(k, m)                                                                \
    k(&d->p.m, TSFW_DIMS(0), TSFW_IN(0), TSFW_DIMS(1), TSFW_IN(1), TSFW_ODIMS, TSFW_OUT)
/* One input, rows along the last dim; output has its shape (softmax). _V: param by value. */
#define TSFW_CALL_ROW(k, m) k(&d->p.m, TSFW_DIMS(0), TSFW_IN(0), TSFW_OUT)
#define TSFW_CALL_ROW_V(k, m) k(d->p.m, TSFW_DIMS(0), TSFW_IN(0), TSFW_OUT)
/* The same with the requantisation table pair, which holds lookup tables (int16 SOFTMAX). */
#define TSFW_CALL_ROW_Q(k, m) k(&d->p.m, &q, TSFW_DIMS(0), TSFW_IN(0), TSFW_OUT)
/* Element count of input 0 (logistic, quantize). _NP: no param. */
#define TSFW_CALL_ELEMS(k, m) k(&d->p.m, tsfw_count(TSFW_DIMS(0)), TSFW_IN(0), TSFW_OUT)
#define TSFW_CALL_ELEMS_NP(k, m) k(tsfw_count(TSFW_DIMS(0)), TSFW_IN(0), TSFW_OUT)
/* SVDF: input, feature weights, time weights, bias (absent: NULL), the state (input 4,
 * updated in place: the one input a kernel writes) and the output. */
#define TSFW_CALL_SVDF(k, m)                                                                  \
    k(&d->p.m, TSFW_IN(0), TSFW_IN(1), TSFW_IN(2), TSFW_IN(3), (void *)(uintptr_t)TSFW_IN(4), \
      TSFW_OUT)
/* Sequence layers (xseq): all n inputs, ext ones included, in `ins` (TSFW_MAX_OP_INPUTS
 * entries, NULL beyond n), the states among them written in place. */
#define TSFW_CALL_LSTM(k, m) k(&d->p.m, ins, TSFW_OUT)
/* The same with the requantisation tables (LSTM int8: its effective scales). */
#define TSFW_CALL_LSTM_Q(k, m) k(&d->p.m, &q, ins, TSFW_OUT)
/* Pad with the descriptor's int8 pad value, or float zero. */
#define TSFW_CALL_PAD_S8(k, m)                                                                \
    k(&d->p.m, (int8_t)d->pad_value, TSFW_DIMS(0), TSFW_IN(0), TSFW_ODIMS, TSFW_OUT)
#define TSFW_CALL_PAD_S16(k, m)                                                               \
    k(&d->p.m, (int16_t)d->pad_value, TSFW_DIMS(0), TSFW_IN(0), TSFW_ODIMS, TSFW_OUT)
#define TSFW_CALL_PAD_F32(k, m)                                                               \
    k(&d->p.m, 0.0f, TSFW_DIMS(0), TSFW_IN(0), TSFW_ODIMS, TSFW_OUT)
/* Reductions: _S with scratch, _V with the param by value. */
#define TSFW_CALL_REDUCE_S(k, m)                                                              \
    k(&ctx, &d->p.m, TSFW_DIMS(0), TSFW_IN(0), TSFW_ODIMS, TSFW_OUT)
#define TSFW_CALL_REDUCE_V(k, m) k(d->p.m, TSFW_DIMS(0), TSFW_IN(0), TSFW_ODIMS, TSFW_OUT)
/* n_inputs inputs along d->axis. */
#define TSFW_CALL_LIST_S8(k, m)                                                               \
    k(d->axis, n, d->in_dims, (const int8_t *const *)ins, &d->out_dims, TSFW_OUT)
#define TSFW_CALL_LIST_S16(k, m)                                                              \
    k(d->axis, n, d->in_dims, (const int16_t *const *)ins, &d->out_dims, TSFW_OUT)
#define TSFW_CALL_LIST_F32(k, m)                                                              \
    k(d->axis, n, d->in_dims, (const float *const *)ins, &d->out_dims, TSFW_OUT)
/* Several outputs (SPLIT): input 0 split along d->axis into the n - 1 outputs the slots after
 * it hold (fw_abi.h); the slots are the list forms' `ins`, the outputs written through them. */
#define TSFW_CALL_SPLIT_S8(k, m)                                                              \
    k(d->axis, n - 1, &d->in_dims[0], (const int8_t *)ins[0], &d->in_dims[1],                 \
      (int8_t *const *)(ins + 1))
#define TSFW_CALL_SPLIT_F32(k, m)                                                             \
    k(d->axis, n - 1, &d->in_dims[0], (const float *)ins[0], &d->in_dims[1],                  \
      (float *const *)(ins + 1))
/* copy_bytes bytes (k is memmove), unless the planner gave input and output the same storage
 * (a view). TSFW_SAME_STORAGE compares them: the firmware compares the descriptor's addresses,
 * as ABI version 2's hand-written dispatcher did (GCC lays out pointer and integer tests
 * differently, and the image must not move). */
#define TSFW_CALL_COPY(k, m)                                                                  \
    (TSFW_SAME_STORAGE ? (void)0 : (void)k(TSFW_OUT, TSFW_IN(0), (size_t)d->copy_bytes), TSK_OK)

/* TSFW_IN_GROUP(group, shape, variant, x...) expands to x when shape_variant is group: the
 * firmware's per-group switches keep only their own rows. One line per dispatch group. */
#define TSFW_SAME_weighted_ref_weighted_ref ~, 1
#define TSFW_SAME_weighted_simd_weighted_simd ~, 1
#define TSFW_SAME_spatial_ref_spatial_ref ~, 1
#define TSFW_SAME_unary_ref_unary_ref ~, 1
#define TSFW_SAME_list_ref_list_ref ~, 1
#define TSFW_SAME_copy_ref_copy_ref ~, 1
#define TSFW_SAME_xbinary_ref_xbinary_ref ~, 1
#define TSFW_SAME_xunary_ref_xunary_ref ~, 1
#define TSFW_SAME_xcopy_ref_xcopy_ref ~, 1
#define TSFW_SAME_xlist_ref_xlist_ref ~, 1
#define TSFW_SAME_xweighted_ref_xweighted_ref ~, 1
#define TSFW_SAME_xweighted_simd_xweighted_simd ~, 1
#define TSFW_SAME_xstate_ref_xstate_ref ~, 1
#define TSFW_SAME_xseq_ref_xseq_ref ~, 1
#define TSFW_SECOND_(a, b, ...) b
#define TSFW_SECOND(...) TSFW_SECOND_(__VA_ARGS__)
#define TSFW_SAME(g, h) TSFW_SECOND(TSFW_SAME_##g##_##h, 0, ~)
#define TSFW_KEEP_0(...)
#define TSFW_KEEP_1(...) __VA_ARGS__
#define TSFW_KEEP_(c) TSFW_KEEP_##c
#define TSFW_KEEP(c) TSFW_KEEP_(c)
#define TSFW_IN_GROUP(group, shape, variant, ...)                                            \
    TSFW_KEEP(TSFW_SAME(shape##_##variant, group))(__VA_ARGS__)

/* 1 when the includer marked row NAME as its group's default (TSFW_DEFAULT_<NAME>), else 0. */
#define TSFW_IS_DEFAULT(name) TSFW_SECOND(TSFW_DEFAULT_##name, 0, ~)

/* TSFW_GUARDED(k, call): a row's kernel call. The per-model firmware (tsfw.c,
 * TSFW_WEAK_KERNELS) declares every kernel weak and links only the ones a model calls, so
 * there a row whose kernel was left out answers TSFW_ERR_KIND instead of branching to address 0;
 * everywhere else it is the call itself (the set images' code does not change). */
#ifndef TSFW_GUARDED
#define TSFW_GUARDED(k, call) call
#endif

/* A row as a case of the group the includer names in TSFW_GROUP (tsfw.c), else nothing; the
 * row NAME for which the includer defines TSFW_DEFAULT_<NAME> as `~, 1` is also the default. */
#define TSFW_GROUP_ROW(name, op, dtype, variant, shape, form, kernel, param)                  \
    TSFW_IN_GROUP(TSFW_GROUP, shape, variant, case TSFW_OP_##name:                            \
                  TSFW_KEEP(TSFW_IS_DEFAULT(name))(default:)                                  \
                  return TSFW_GUARDED(kernel, TSFW_CALL_##form(kernel, param));)

/* Every row's SHAPE_VARIANT must be a dispatch group listed above. */
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param)                         \
    _Static_assert(TSFW_SAME(shape##_##variant, shape##_##variant),                           \
                   "fw_ops.def: row " #name ": no dispatch group " #shape "_" #variant);
#include "fw_ops.def"

/* A row as a bare case label if it is in group TSFW_GROUP, else nothing. */
#define TSFW_GROUP_LABEL(name, op, dtype, variant, shape, form, kernel, param)                \
    TSFW_IN_GROUP(TSFW_GROUP, shape, variant, case TSFW_OP_##name:)

/* The same group as an if-chain: TSFW_GROUP_IF gives `if (kind) return` for every row but the
 * default, TSFW_GROUP_LAST the default's `return` (include fw_ops.def once with each). */
#define TSFW_NOT_0 1
#define TSFW_NOT_1 0
#define TSFW_NOT_(c) TSFW_NOT_##c
#define TSFW_NOT(c) TSFW_NOT_(c)
#define TSFW_GROUP_IF(name, op, dtype, variant, shape, form, kernel, param)                   \
    TSFW_IN_GROUP(TSFW_GROUP, shape, variant,                                                 \
                  TSFW_KEEP(TSFW_NOT(TSFW_IS_DEFAULT(name)))(                                 \
                      if (d->kind == TSFW_OP_##name)                              \
                          return TSFW_GUARDED(kernel, TSFW_CALL_##form(kernel, param));))
#define TSFW_GROUP_LAST(name, op, dtype, variant, shape, form, kernel, param)                 \
    TSFW_IN_GROUP(TSFW_GROUP, shape, variant,                                                 \
                  TSFW_KEEP(TSFW_IS_DEFAULT(name))(                                   \
                      return TSFW_GUARDED(kernel, TSFW_CALL_##form(kernel, param));))

#endif /* TS_FW_CALL_H */
