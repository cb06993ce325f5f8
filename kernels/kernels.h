/* kernels/kernels.h: the public API of libtskernels, tinysim's portable inference kernels.
 * Every target runs these: the host reference executor, the functional path of the dsp and
 * systolic units, and (cross-compiled to Thumb) the cpu unit under Unicorn.
 * Kernels compute values only: no timing, no allocation (scratch comes from the caller via
 * tsk_ctx + a _scratch_size query), no globals, no I/O, no libc beyond memcpy/memset, and no
 * floating point in the int8 paths. Integer results are bit-exact with TFLite / TFLite Micro
 * reference kernels built with the rounding that the params' `rounding` field selects
 * (tsk_rounding: TSK_ROUND_SINGLE = TFLite's TFLITE_SINGLE_ROUNDING build, the default value 0;
 * TSK_ROUND_DOUBLE = TFLite Micro's default double rounding). Which mode to use is the
 * caller's choice (engine, unit, executor); kernels only apply it, outside their MAC loops,
 * and reject any other value with TSK_ERR_ARG. Pattern: CMSIS-NN arm_nnfunctions.h.
 *
 * Conventions for every kernel below:
 *  - Tensors are NHWC ([N,H,W,C], C innermost, contiguous), shapes are tsk_dims; lower-rank
 *    tensors are extended with leading 1s. Pointers are borrowed for the call only.
 *  - Returns TSK_OK, or TSK_ERR_ARG for NULL pointers, non-positive or inconsistent shapes and
 *    out-of-range parameters, or TSK_ERR_SCRATCH when ctx is too small or misaligned. On an
 *    error the output is left untouched.
 *  - Output and input buffers must not overlap unless a kernel says otherwise.
 *  - int8 offsets follow TFLite: input_offset = -input_zero_point, output_offset =
 *    output_zero_point. Clamp ranges (tsk_range) include the output zero point.
 *  - Scratch buffers must be 4-byte aligned; a size query returning 0 means ctx may be NULL.
 *
 * The tsk_*_prepare_* helpers (quant_prepare.c) use double and libm: they run on the host at
 * model-prepare time and are NOT part of the firmware archives. */
#ifndef TS_KERNELS_H
#define TS_KERNELS_H

#include "kernel_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================= requantisation primitives (requant.c) ======================= */

/* gemmlowp SaturatingRoundingDoublingHighMul: a*b / 2^31 rounded to nearest, ties toward
 * +infinity (0.5 -> 1, -0.5 -> 0); INT32_MIN * INT32_MIN saturates to INT32_MAX. */
int32_t tsk_sat_rounding_doubling_high_mul_s32(int32_t a, int32_t b);

/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
 * [in] exponent in [0, 31] (>= 32 gives 0; < 0 returns x unchanged). */
int32_t tsk_rounding_divide_by_pot_s32(int32_t x, int32_t exponent);

/* TFLite MultiplyByQuantizedMultiplier, double-rounding variant (TFLite Micro's reference,
 * TSK_ROUND_DOUBLE): RoundingDivideByPOT(SRDHM(x * 2^max(shift,0), multiplier), max(-shift,0)).
 * [in] multiplier Q31 from tsk_quantize_multiplier, [in] shift in [-31, 30]. */
int32_t tsk_multiply_by_quantized_multiplier_s32(int32_t x, int32_t multiplier, int32_t shift);

/* Requantisation x * multiplier * 2^(shift - 31) in the given rounding mode; this is what
 * every requantising kernel applies (conv, depthwise, FC, ADD, MUL, MEAN, and the input
 * scaling of SOFTMAX and LOGISTIC), with the mode taken from its params' `rounding` field.
 *  - TSK_ROUND_SINGLE (TFLite's TFLITE_SINGLE_ROUNDING MultiplyByQuantizedMultiplier, also
 *    CMSIS-NN's single-rounding option): floor((x * multiplier + 2^(30 - shift)) / 2^(31 -
 *    shift)), i.e. the exact product rounded once, ties toward +infinity; saturated to int32.
 *  - TSK_ROUND_DOUBLE: tsk_multiply_by_quantized_multiplier_s32 (SRDHM rounds ties toward
 *    +infinity, then RoundingDivideByPOT rounds ties away from zero).
 * The two differ by at most 1. In TFLite's single-rounding build the SmallerThanOneExp and
 * GreaterThanOne helpers (ADD, SOFTMAX, LOGISTIC) are this same function.
 * [in] multiplier Q31 (>= 0 in TFLite), [in] shift in [-31, 30]; no floating point. */
int32_t tsk_requant_s32(int32_t x, int32_t multiplier, int32_t shift, tsk_rounding rounding);

/* ===================== prepare-time helpers (quant_prepare.c, host) ===================== */

/* TFLite QuantizeMultiplier: real ~= multiplier * 2^(shift-31), multiplier in [2^30, 2^31)
 * (or 0 with shift 0 for real == 0 or |real| < 2^-32).
 * [out] multiplier, shift: written only on TSK_OK; shift in [-31, 30], valid for both
 * rounding modes (TFLite's single-rounding build saturates reals needing shift > 30 to
 * (2^31 - 1, 30); here they are rejected instead, as the double-rounding path cannot take them).
 * Returns TSK_ERR_ARG for a non-finite real or one needing shift > 30. */
tsk_status tsk_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift);

/* Output requantisation of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, as TFLite Micro:
 * for each i < n_channels, QuantizeMultiplier(input_scale * filter_scales[i] / output_scale)
 * computed in double from the float32 scales of the model. The tables are the same for both
 * rounding modes (the mode is the `rounding` field of the conv/depthwise/FC params).
 * [in] filter_scales: n_channels weight scales (1 for per-tensor)
 * [out] multiplier, shift: arrays of n_channels; feed them to tsk_quant {multiplier, shift, n}. */
tsk_status tsk_conv_prepare_s8(float input_scale, const float *filter_scales, int32_t n_channels,
                               float output_scale, int32_t *multiplier, int32_t *shift);

/* TFLite CalculateActivationRangeQuantized for int8: the clamp range in output units
 * (zero point included) of a fused activation. [out] range. TSK_ERR_ARG for scale <= 0. */
tsk_status tsk_activation_range_s8(tsk_activation act, float output_scale,
                                   int32_t output_zero_point, tsk_range *range);

/* TFLite CalculateActivationRange for float: NONE -> [-FLT_MAX, FLT_MAX], RELU -> [0, max],
 * RELU6 -> [0, 6], RELU_N1_TO_1 -> [-1, 1]. [out] range. */
tsk_status tsk_activation_range_f32(tsk_activation act, tsk_range_f32 *range);

/* ADD int8 parameters, TFLite PrepareGeneralSubOp/Add scheme: left_shift = 20,
 * input multipliers = scale_i / (2 * max(scale_1, scale_2)), output multiplier =
 * 2 * max_scale / (2^20 * output_scale), all via QuantizeMultiplierSmallerThanOneExp.
 * [in] rounding: stored in p->rounding (the parameters are the same in both modes).
 * [out] p: every field, including p->act for `act`. */
tsk_status tsk_add_prepare_s8(float input1_scale, int32_t input1_zero_point, float input2_scale,
                              int32_t input2_zero_point, float output_scale,
                              int32_t output_zero_point, tsk_activation act,
                              tsk_rounding rounding, tsk_add_params *p);

/* 16x8 ADD/SUB parameters (zero points 0, left_shift 15 as TFLite's general int16 path,
 * int16 clamp) and MUL parameters (as the int8 ones, int16 clamp). */
tsk_status tsk_add_prepare_s16(float input1_scale, float input2_scale, float output_scale,
                               tsk_activation act, tsk_rounding rounding, tsk_add_params *p);
tsk_status tsk_mul_prepare_s16(float input1_scale, float input2_scale, float output_scale,
                               tsk_activation act, tsk_rounding rounding, tsk_mul_params *p);

/* MUL int8 parameters: multiplier of input1_scale * input2_scale / output_scale.
 * [in] rounding: stored in p->rounding. [out] p: every field. */
tsk_status tsk_mul_prepare_s8(float input1_scale, int32_t input1_zero_point, float input2_scale,
                              int32_t input2_zero_point, float output_scale,
                              int32_t output_zero_point, tsk_activation act,
                              tsk_rounding rounding, tsk_mul_params *p);

/* SOFTMAX int8 parameters (TFLite PreprocessSoftmaxScaling with 5 integer bits, and
 * diff_min = -CalculateInputRadius(5, left_shift)). The caller must check that the output
 * tensor has scale 1/256 and zero point -128. [in] rounding: stored in p->rounding; it also
 * sets the cap of the real input multiplier as TFLite does (2^30 - 1 for SINGLE, 2^31 - 1 for
 * DOUBLE, where a capped multiplier needs shift 31 and is rejected). [out] p. */
tsk_status tsk_softmax_prepare_s8(float beta, float input_scale, tsk_rounding rounding,
                                  tsk_softmax_params *p);

/* SOFTMAX int16 parameters and tables (TFLite's int16 softmax Prepare): p as the int8
 * ones with input_multiplier / input_left_shift = QuantizeMultiplier of
 * (float)(beta * input_scale) / (10 / 65535) (any sign of shift), diff_min 0; exp_lut =
 * exp(x) over [-10, 0] and recip_lut = 1/(1+x) over [0, 1], TSK_SOFTMAX_S16_LUT entries of
 * Q0.15 each, as TFLite's gen_lut builds them in double precision (sample, less half the
 * rounded error of linear interpolation at the midpoint). The caller must check the output
 * scale 1/32768 and zero points 0. Host only (libm). */
tsk_status tsk_softmax_prepare_s16(float beta, float input_scale, tsk_rounding rounding,
                                   tsk_softmax_params *p, int32_t *exp_lut, int32_t *recip_lut);

/* SOFTMAX int8 -> int16 exp table (TFLite's PopulateSoftmaxLookupTable): with the float
 * scale = -input_scale * beta, exp_table[d] = expf(scale * d) for d in [0, 255], stored as
 * the float's bit pattern. Host only (libm expf). */
tsk_status tsk_softmax_prepare_s8_s16(float beta, float input_scale, int32_t *exp_table);

/* One int16 lookup table of TFLite's gen_lut: f sampled at TSK_SOFTMAX_S16_LUT points over
 * [lo, hi], Q0.15 (scale 32768), each entry less half the rounded error of interpolating
 * the midpoint, clamped to int16. Host only. */
void tsk_lut_s16(double (*f)(double), double lo, double hi, int32_t *lut);

/* LOGISTIC and TANH int16 parameters (TFLite's int16 Prepare: 3 input integer bits, the
 * input scale's CheckedLog2 rounded within 1e-3). A power-of-two input scale with
 * input_left_shift = 12 + log2(scale) of 0 (LOGISTIC; TANH also 1, scale 2^-11) gets
 * input_multiplier 0: TFLite's gemmlowp path. Any other scale takes TFLite's table path: the
 * input is rescaled to units of 1/(3 * 2^12) by input_multiplier (scale * 3 * 2^12 doubled
 * past 2^14 - 1/2, truncated) and input_left_shift (the doublings, at most 31);
 * TSK_ERR_UNSUPPORTED where that rescale would overflow int32 (multiplier above 2^16 - 1,
 * scale above about 5.3) or truncates to 0. The output must have scale 2^-15, zero point 0
 * (caller checks). [in] is_tanh: 1 for TANH. [out] p. */
tsk_status tsk_logistic_prepare_s16(float input_scale, int is_tanh, tsk_logistic_params *p);

/* LOGISTIC int8 parameters (TFLite: 4 input integer bits, multiplier of
 * input_scale * 2^27 via frexp, range radius). The output must have scale 1/256, zero
 * point -128 (caller checks). [in] rounding: stored in p->rounding. [out] p. */
tsk_status tsk_logistic_prepare_s8(float input_scale, int32_t input_zero_point,
                                   tsk_rounding rounding, tsk_logistic_params *p);

/* MEAN int8 parameters: multiplier/shift of input_scale / output_scale (the kernel folds
 * in 1/count), zero points, and the reduced axes as a bit mask over [N,H,W,C].
 * [in] rounding: stored in p->rounding. [out] p. */
tsk_status tsk_mean_prepare_s8(float input_scale, int32_t input_zero_point, float output_scale,
                               int32_t output_zero_point, int32_t axis_mask,
                               tsk_rounding rounding, tsk_mean_params *p);

/* ===================================== CONV_2D ===================================== */

/* Scratch bytes for tsk_conv2d_s8: 4 * out C (filter sums) + one im2col row rounded up to 4
 * (filter H * W * C bytes). Returns -1 for invalid shapes. */
int32_t tsk_conv2d_s8_scratch_size(const tsk_dims *in_dims, const tsk_dims *filter_dims,
                                   const tsk_dims *out_dims);

/* CONV_2D int8 (TFLite reference_integer_ops::ConvPerChannel semantics, bit-exact).
 * [in] ctx        scratch of tsk_conv2d_s8_scratch_size() bytes
 * [in] p          stride, padding (top, left), dilation, offsets, clamp, rounding mode
 * [in] q          requantisation, per-tensor (n = 1) or per-channel (n = out C)
 * [in] in_dims    [N, H_in, W_in, C_in];   in: int8
 * [in] filter_dims[C_out, KH, KW, C_in/groups]; filter: int8 (OHWI); grouped when
 *                 C_in is a multiple of filter C (C_out must be a multiple of groups)
 * [in] bias       int32 [C_out] or NULL
 * [in] out_dims   [N, H_out, W_out, C_out]; [out] out: int8
 * Input points outside the image (padding) contribute zero real value. */
tsk_status tsk_conv2d_s8(const tsk_ctx *ctx, const tsk_conv_params *p, const tsk_quant *q,
                         const tsk_dims *in_dims, const int8_t *in, const tsk_dims *filter_dims,
                         const int8_t *filter, const int32_t *bias, const tsk_dims *out_dims,
                         int8_t *out);

/* CONV_2D float32; same layouts as tsk_conv2d_s8, bias float [C_out] or NULL, output clamped
 * to p->act; needs no scratch. */
tsk_status tsk_conv2d_f32(const tsk_conv_params_f32 *p,
                          const tsk_dims *in_dims, const float *in, const tsk_dims *filter_dims,
                          const float *filter, const float *bias, const tsk_dims *out_dims,
                          float *out);

/* ================================ DEPTHWISE_CONV_2D ================================ */

/* Scratch bytes for tsk_depthwise_conv2d_s8: 4 * out C (int32 accumulators). */
int32_t tsk_depthwise_conv2d_s8_scratch_size(const tsk_dims *in_dims,
                                             const tsk_dims *filter_dims,
                                             const tsk_dims *out_dims);

/* DEPTHWISE_CONV_2D int8 (TFLite reference_integer_ops::DepthwiseConvPerChannel, bit-exact).
 * [in] in_dims     [N, H_in, W_in, C_in]
 * [in] filter_dims [1, KH, KW, C_in * ch_mult]; filter int8
 * [in] bias        int32 [C_out] or NULL; [in] q per-tensor or per-channel (n = C_out)
 * [in] p           as tsk_conv2d_s8 plus ch_mult; p->rounding selects the requantisation
 * [in] out_dims    [N, H_out, W_out, C_in * ch_mult]
 * Output channel oc = ic * ch_mult + m reads input channel ic. */
tsk_status tsk_depthwise_conv2d_s8(const tsk_ctx *ctx, const tsk_dw_conv_params *p,
                                   const tsk_quant *q, const tsk_dims *in_dims,
                                   const int8_t *in, const tsk_dims *filter_dims,
                                   const int8_t *filter, const int32_t *bias,
                                   const tsk_dims *out_dims, int8_t *out);

/* DEPTHWISE_CONV_2D float32; layouts as the int8 version; needs no scratch. */
tsk_status tsk_depthwise_conv2d_f32(const tsk_dw_conv_params_f32 *p, const tsk_dims *in_dims,
                                    const float *in, const tsk_dims *filter_dims,
                                    const float *filter, const float *bias,
                                    const tsk_dims *out_dims, float *out);

/* ================================= FULLY_CONNECTED ================================= */

/* Scratch bytes for tsk_fully_connected_s8: 4 * out C (weight row sums). */
int32_t tsk_fully_connected_s8_scratch_size(const tsk_dims *filter_dims);

/* FULLY_CONNECTED int8 (TFLite reference_integer_ops::FullyConnected, bit-exact; per-channel
 * requantisation when q->n == out C, rounded as p->rounding says).
 * [in] in_dims     any shape whose element count is batches * D
 * [in] filter_dims [C_out, 1, 1, D] (row-major weights, one row per output)
 * [in] bias        int32 [C_out] or NULL
 * [in] out_dims    [batches, 1, 1, C_out] (element count batches * C_out) */
tsk_status tsk_fully_connected_s8(const tsk_ctx *ctx, const tsk_fc_params *p, const tsk_quant *q,
                                  const tsk_dims *in_dims, const int8_t *in,
                                  const tsk_dims *filter_dims, const int8_t *filter,
                                  const int32_t *bias, const tsk_dims *out_dims, int8_t *out);

/* FULLY_CONNECTED float32; layouts as the int8 version; needs no scratch. */
tsk_status tsk_fully_connected_f32(const tsk_fc_params_f32 *p, const tsk_dims *in_dims,
                                   const float *in, const tsk_dims *filter_dims,
                                   const float *filter, const float *bias,
                                   const tsk_dims *out_dims, float *out);

/* ======================= 16x8: int16 activations, int8 weights ======================= */
/* FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D with int16 activations (zero point 0: input
 * offsets must be 0, else TSK_ERR_ARG), int8 symmetric weights (FC: filter_offset 0), int64
 * bias (or NULL), int16 output; TFLite reference_integer_ops FullyConnected /
 * ConvPerChannel / DepthwiseConvPerChannel for int16, bit-exact: int64 accumulation, the
 * int64 MultiplyByQuantizedMultiplier (the same in both rounding modes: p->rounding is not
 * read), output offset, clamp to p->act (within [-32768, 32767]). Layouts and the other
 * parameters as the int8 kernels; CONV_2D takes no groups (filter C = input C). No scratch
 * (ctx is not read). The _simd variants (DSP extension: SMLAD on the int16 pairs) take the
 * same arguments and write the same outputs. */
tsk_status tsk_fully_connected_s16(const tsk_ctx *ctx, const tsk_fc_params *p, const tsk_quant *q,
                                   const tsk_dims *in_dims, const int16_t *in,
                                   const tsk_dims *filter_dims, const int8_t *filter,
                                   const int64_t *bias, const tsk_dims *out_dims, int16_t *out);
tsk_status tsk_conv2d_s16(const tsk_ctx *ctx, const tsk_conv_params *p, const tsk_quant *q,
                          const tsk_dims *in_dims, const int16_t *in, const tsk_dims *filter_dims,
                          const int8_t *filter, const int64_t *bias, const tsk_dims *out_dims,
                          int16_t *out);
tsk_status tsk_depthwise_conv2d_s16(const tsk_ctx *ctx, const tsk_dw_conv_params *p,
                                    const tsk_quant *q, const tsk_dims *in_dims,
                                    const int16_t *in, const tsk_dims *filter_dims,
                                    const int8_t *filter, const int64_t *bias,
                                    const tsk_dims *out_dims, int16_t *out);
tsk_status tsk_fully_connected_s16_simd(const tsk_ctx *ctx, const tsk_fc_params *p,
                                        const tsk_quant *q, const tsk_dims *in_dims,
                                        const int16_t *in, const tsk_dims *filter_dims,
                                        const int8_t *filter, const int64_t *bias,
                                        const tsk_dims *out_dims, int16_t *out);
tsk_status tsk_conv2d_s16_simd(const tsk_ctx *ctx, const tsk_conv_params *p, const tsk_quant *q,
                               const tsk_dims *in_dims, const int16_t *in,
                               const tsk_dims *filter_dims, const int8_t *filter,
                               const int64_t *bias, const tsk_dims *out_dims, int16_t *out);
tsk_status tsk_depthwise_conv2d_s16_simd(const tsk_ctx *ctx, const tsk_dw_conv_params *p,
                                         const tsk_quant *q, const tsk_dims *in_dims,
                                         const int16_t *in, const tsk_dims *filter_dims,
                                         const int8_t *filter, const int64_t *bias,
                                         const tsk_dims *out_dims, int16_t *out);

/* TFLite CalculateActivationRangeQuantized for int16 (zero point 0 and the int16 limits). */
tsk_status tsk_activation_range_s16(tsk_activation act, float output_scale,
                                    int32_t output_zero_point, tsk_range *range);

/* ============================ AVERAGE_POOL_2D / MAX_POOL_2D ============================ */

/* AVERAGE_POOL_2D int8 (TFLite reference_integer_ops::AveragePool): sum over the window
 * part inside the image, divided by that count rounding half away from zero, clamped.
 * Input and output share scale and zero point.
 * [in] in_dims [N, H_in, W_in, C]; [in] out_dims [N, H_out, W_out, C].
 * TSK_ERR_ARG if some window lies entirely in the padding. */
tsk_status tsk_avg_pool_s8(const tsk_pool_params *p, const tsk_dims *in_dims, const int8_t *in,
                           const tsk_dims *out_dims, int8_t *out);

/* AVERAGE_POOL_2D float32 (sum / count over the inside part of the window). */
tsk_status tsk_avg_pool_f32(const tsk_pool_params_f32 *p, const tsk_dims *in_dims,
                            const float *in, const tsk_dims *out_dims, float *out);

/* MAX_POOL_2D int8: maximum over the inside part of the window, clamped to p->act. */
tsk_status tsk_max_pool_s8(const tsk_pool_params *p, const tsk_dims *in_dims, const int8_t *in,
                           const tsk_dims *out_dims, int8_t *out);

/* 16x8: AVERAGE_POOL_2D and MAX_POOL_2D on int16 (TFLite reference_integer_ops, int16), as the
 * int8 ones with the int16 clamp. */
tsk_status tsk_avg_pool_s16(const tsk_pool_params *p, const tsk_dims *in_dims, const int16_t *in,
                            const tsk_dims *out_dims, int16_t *out);
tsk_status tsk_max_pool_s16(const tsk_pool_params *p, const tsk_dims *in_dims, const int16_t *in,
                            const tsk_dims *out_dims, int16_t *out);

/* 16x8 PAD (pad value: the output zero point, 0) and CONCATENATION / PACK on int16, as the
 * int8 ones. */
tsk_status tsk_pad_s16(const tsk_pad_params *p, int16_t pad_value, const tsk_dims *in_dims,
                       const int16_t *in, const tsk_dims *out_dims, int16_t *out);
tsk_status tsk_concatenation_s16(int32_t axis, int32_t n_inputs, const tsk_dims *in_dims,
                                 const int16_t *const *in, const tsk_dims *out_dims,
                                 int16_t *out);

/* MAX_POOL_2D float32. */
tsk_status tsk_max_pool_f32(const tsk_pool_params_f32 *p, const tsk_dims *in_dims,
                            const float *in, const tsk_dims *out_dims, float *out);

/* ========================= DSP-extension (SIMD) variants ========================= */
/* tsk_conv2d_s8_simd, tsk_depthwise_conv2d_s8_simd and tsk_fully_connected_s8_simd take
 * exactly the arguments of the kernels above, with the same meaning (including p->rounding),
 * return the same statuses for the same bad arguments and write byte-for-byte the same
 * outputs; only their scratch needs differ, so size scratch with the matching *_simd query.
 * They are written for cores with the DSP extension (Cortex-M4/M7/M33: SXTB16/SXTAB16 widening
 * of packed int8, SMLAD dual MACs, 2x2 register blocking in conv; see each file's header).
 * Built for a core without it (host, M0+/M3) they run the same code through a C emulation of
 * those instructions: identical values, but slower than the plain kernels. Which variant to
 * run is chosen by the engine / unit (e.g. `--kernels ref|simd`, with simd falling back to the
 * plain kernels on cores without DSP), never inside the kernels. */

/* Scratch bytes for tsk_conv2d_s8_simd: two widened im2col columns (int16 pairs with the
 * input offset added: 8 * (2 * (K / 4) + K % 4) bytes, K = filter H * W * C) plus one int8
 * staging row (K rounded up to 4). Returns -1 for invalid shapes. */
int32_t tsk_conv2d_s8_simd_scratch_size(const tsk_dims *in_dims, const tsk_dims *filter_dims,
                                        const tsk_dims *out_dims);

/* CONV_2D int8, DSP variant of tsk_conv2d_s8 (same arguments, statuses and outputs);
 * ctx: tsk_conv2d_s8_simd_scratch_size() bytes, 4-byte aligned. */
tsk_status tsk_conv2d_s8_simd(const tsk_ctx *ctx, const tsk_conv_params *p, const tsk_quant *q,
                              const tsk_dims *in_dims, const int8_t *in,
                              const tsk_dims *filter_dims, const int8_t *filter,
                              const int32_t *bias, const tsk_dims *out_dims, int8_t *out);

/* Scratch bytes for tsk_depthwise_conv2d_s8_simd: 8 * filter H * filter W (one int32 offset
 * pair per window tap; the accumulators live in registers); -1 for invalid shapes. */
int32_t tsk_depthwise_conv2d_s8_simd_scratch_size(const tsk_dims *in_dims,
                                                  const tsk_dims *filter_dims,
                                                  const tsk_dims *out_dims);

/* DEPTHWISE_CONV_2D int8, DSP variant of tsk_depthwise_conv2d_s8 (same arguments, statuses
 * and outputs); ctx: tsk_depthwise_conv2d_s8_simd_scratch_size() bytes, 4-byte aligned. */
tsk_status tsk_depthwise_conv2d_s8_simd(const tsk_ctx *ctx, const tsk_dw_conv_params *p,
                                        const tsk_quant *q, const tsk_dims *in_dims,
                                        const int8_t *in, const tsk_dims *filter_dims,
                                        const int8_t *filter, const int32_t *bias,
                                        const tsk_dims *out_dims, int8_t *out);

/* Scratch bytes for tsk_fully_connected_s8_simd: 0 for valid shapes (both offsets are folded
 * into the SIMD products), -1 for invalid ones. */
int32_t tsk_fully_connected_s8_simd_scratch_size(const tsk_dims *filter_dims);

/* FULLY_CONNECTED int8, DSP variant of tsk_fully_connected_s8 (same arguments, statuses and
 * outputs); needs no scratch, so ctx may be NULL and is never examined. */
tsk_status tsk_fully_connected_s8_simd(const tsk_ctx *ctx, const tsk_fc_params *p,
                                       const tsk_quant *q, const tsk_dims *in_dims,
                                       const int8_t *in, const tsk_dims *filter_dims,
                                       const int8_t *filter, const int32_t *bias,
                                       const tsk_dims *out_dims, int8_t *out);

/* ===================================== SOFTMAX ===================================== */

/* SOFTMAX int8 -> int8 over the innermost dimension C (TFLite Micro's int8 softmax,
 * gemmlowp fixed point, bit-exact). Output scale 1/256, zero point -128. p->rounding applies
 * to the input scaling (MultiplyByQuantizedMultiplierGreaterThanOne); the fixed-point exp,
 * reciprocal and final RoundingDivideByPOT are the same in both TFLite builds.
 * [in] dims shape of both input and output; [in] p from tsk_softmax_prepare_s8. */
tsk_status tsk_softmax_s8(const tsk_softmax_params *p, const tsk_dims *dims, const int8_t *in,
                          int8_t *out);

/* SOFTMAX int16 -> int16 over C (16x8; TFLite's reference SoftmaxInt16, bit-exact): output
 * scale 1/32768, zero point 0. [in] p, luts from tsk_softmax_prepare_s16 (luts->multiplier
 * the exp table, luts->shift the 1/(1+x) table, luts->n = TSK_SOFTMAX_S16_LUT); p->rounding
 * applies to the scaling of the input differences. in and out may be the same buffer. */
tsk_status tsk_softmax_s16(const tsk_softmax_params *p, const tsk_quant *luts,
                           const tsk_dims *dims, const int16_t *in, int16_t *out);

/* SOFTMAX int8 -> int16 over C, bit-exact with TFLite's interpreter (its float-table
 * optimized_ops::Softmax<int8_t, int16_t>): per row, the float sum of the table entries of the
 * differences to the row maximum, in order; inv = 1 / (sum * output_scale); each output
 * round(entry * inv) (half away from zero) + zero point, clamped to int16. Float single
 * precision throughout (IEEE-754, no contraction: -std=c11). [in] p output quantization;
 * [in] lut->multiplier the exp table of tsk_softmax_prepare_s8_s16 (lut->n =
 * TSK_SOFTMAX_S8_S16_LUT, lut->shift unused). */
tsk_status tsk_softmax_s8_s16(const tsk_softmax_s8_s16_params *p, const tsk_quant *lut,
                              const tsk_dims *dims, const int8_t *in, int16_t *out);

/* SOFTMAX float32 over C: exp(beta * (x - max)) / sum. in and out may be the same buffer. */
tsk_status tsk_softmax_f32(float beta, const tsk_dims *dims, const float *in, float *out);

/* ====================================== ADD / MUL ====================================== */

/* ADD int8 (TFLite reference_integer_ops AddFunc, bit-exact), with 4-D broadcasting: each
 * dimension of in1_dims/in2_dims equals out_dims' or is 1. [in] p from tsk_add_prepare_s8;
 * p->rounding applies to all three rescalings. */
tsk_status tsk_add_s8(const tsk_add_params *p, const tsk_dims *in1_dims, const int8_t *in1,
                      const tsk_dims *in2_dims, const int8_t *in2, const tsk_dims *out_dims,
                      int8_t *out);

/* 16x8 ADD, SUB, MUL (int16, zero points 0: offsets must be 0): TFLite's general int16
 * paths (reference_ops Add/BroadcastAdd4DSlow, SubElementwise, reference_integer_ops
 * MulElementwise on int16), 4-D broadcasting; p from tsk_add_prepare_s16 /
 * tsk_mul_prepare_s16. */
tsk_status tsk_add_s16(const tsk_add_params *p, const tsk_dims *in1_dims, const int16_t *in1,
                       const tsk_dims *in2_dims, const int16_t *in2, const tsk_dims *out_dims,
                       int16_t *out);
tsk_status tsk_sub_s16(const tsk_add_params *p, const tsk_dims *in1_dims, const int16_t *in1,
                       const tsk_dims *in2_dims, const int16_t *in2, const tsk_dims *out_dims,
                       int16_t *out);
tsk_status tsk_mul_s16(const tsk_mul_params *p, const tsk_dims *in1_dims, const int16_t *in1,
                       const tsk_dims *in2_dims, const int16_t *in2, const tsk_dims *out_dims,
                       int16_t *out);

/* ADD float32 with broadcasting; output clamped to p->act. */
tsk_status tsk_add_f32(const tsk_eltwise_params_f32 *p, const tsk_dims *in1_dims,
                       const float *in1, const tsk_dims *in2_dims, const float *in2,
                       const tsk_dims *out_dims, float *out);

/* MUL int8 (TFLite reference_integer_ops MulElementwise, bit-exact), with broadcasting.
 * [in] p from tsk_mul_prepare_s8 (p->rounding: rounding of the output rescaling). */
tsk_status tsk_mul_s8(const tsk_mul_params *p, const tsk_dims *in1_dims, const int8_t *in1,
                      const tsk_dims *in2_dims, const int8_t *in2, const tsk_dims *out_dims,
                      int8_t *out);

/* MUL float32 with broadcasting; output clamped to p->act. */
tsk_status tsk_mul_f32(const tsk_eltwise_params_f32 *p, const tsk_dims *in1_dims,
                       const float *in1, const tsk_dims *in2_dims, const float *in2,
                       const tsk_dims *out_dims, float *out);

/* SUB int8 (TFLite reference_integer_ops SubElementwise, bit-exact), with broadcasting:
 * in1 - in2. [in] p from tsk_add_prepare_s8 (TFLite prepares SUB's multipliers as ADD's). */
tsk_status tsk_sub_s8(const tsk_add_params *p, const tsk_dims *in1_dims, const int8_t *in1,
                      const tsk_dims *in2_dims, const int8_t *in2, const tsk_dims *out_dims,
                      int8_t *out);

/* SUB float32 with broadcasting; output clamped to p->act. */
tsk_status tsk_sub_f32(const tsk_eltwise_params_f32 *p, const tsk_dims *in1_dims,
                       const float *in1, const tsk_dims *in2_dims, const float *in2,
                       const tsk_dims *out_dims, float *out);

/* MAXIMUM / MINIMUM with broadcasting (TFLite's reference expressions). int8 compares the
 * stored values: inputs and output must share one quantization (the caller checks). */
tsk_status tsk_maximum_s8(const tsk_dims *in1_dims, const int8_t *in1, const tsk_dims *in2_dims,
                          const int8_t *in2, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_minimum_s8(const tsk_dims *in1_dims, const int8_t *in1, const tsk_dims *in2_dims,
                          const int8_t *in2, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_maximum_f32(const tsk_dims *in1_dims, const float *in1, const tsk_dims *in2_dims,
                           const float *in2, const tsk_dims *out_dims, float *out);
tsk_status tsk_minimum_f32(const tsk_dims *in1_dims, const float *in1, const tsk_dims *in2_dims,
                           const float *in2, const tsk_dims *out_dims, float *out);

/* RELU / RELU6 as operators: int8 (TFLite QuantizedReluX, bit-exact) rescales to the output
 * and clamps to p->act; p: input1_offset = -input zero point, output_offset, output_multiplier
 * and output_shift of input_scale / output_scale (tsk_quantize_multiplier), act from
 * tsk_activation_range_s8 (RELU or RELU6), rounding. Float clamps to p->act. n elements. */
tsk_status tsk_relu_s8(const tsk_mul_params *p, int32_t n, const int8_t *in, int8_t *out);
tsk_status tsk_relu_f32(const tsk_eltwise_params_f32 *p, int32_t n, const float *in, float *out);

/* ABS int8 (TFLite AbsEvalQuantized, bit-exact; p as tsk_relu_s8's, act unused) and float32;
 * NEG float32 (TFLite defines NEG for float and integer tensors, not quantized int8). */
tsk_status tsk_abs_s8(const tsk_mul_params *p, int32_t n, const int8_t *in, int8_t *out);
tsk_status tsk_abs_f32(int32_t n, const float *in, float *out);
tsk_status tsk_neg_f32(int32_t n, const float *in, float *out);

/* TRANSPOSE (TFLite reference_ops::Transpose) of int8 or float32 elements, unchanged.
 * out_dims must be in_dims permuted by p->perm. */
tsk_status tsk_transpose_s8(const tsk_transpose_params *p, const tsk_dims *in_dims,
                            const int8_t *in, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_transpose_f32(const tsk_transpose_params *p, const tsk_dims *in_dims,
                             const float *in, const tsk_dims *out_dims, float *out);

/* LEAKY_RELU int8 and int16 (TFLite QuantizeLeakyRelu, bit-exact; int16: zero points 0) and
 * float32, n elements. */
tsk_status tsk_leaky_relu_s8(const tsk_leaky_relu_params *p, int32_t n, const int8_t *in,
                             int8_t *out);
tsk_status tsk_leaky_relu_s16(const tsk_leaky_relu_params *p, int32_t n, const int16_t *in,
                              int16_t *out);
tsk_status tsk_leaky_relu_f32(const tsk_leaky_relu_params_f32 *p, int32_t n, const float *in,
                              float *out);

/* SQUARED_DIFFERENCE int8 parameters (TFLite's Prepare, in ADD's block): left_shift 7.
 * Errors: TSK_ERR_ARG (scales not positive, a multiplier not below one). */
tsk_status tsk_squared_difference_prepare_s8(float input1_scale, int32_t input1_zero_point,
                                             float input2_scale, int32_t input2_zero_point,
                                             float output_scale, int32_t output_zero_point,
                                             tsk_rounding rounding, tsk_add_params *p);

/* SQUARED_DIFFERENCE (TFLite squared_difference.cc, int8 bit-exact) with broadcasting. */
tsk_status tsk_squared_difference_s8(const tsk_add_params *p, const tsk_dims *in1_dims,
                                     const int8_t *in1, const tsk_dims *in2_dims,
                                     const int8_t *in2, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_squared_difference_f32(const tsk_eltwise_params_f32 *p, const tsk_dims *in1_dims,
                                      const float *in1, const tsk_dims *in2_dims,
                                      const float *in2, const tsk_dims *out_dims, float *out);

/* SLICE (TFLite reference_ops::Slice) of int8 or float32 elements: out_dims elements from
 * p->begin on. */
tsk_status tsk_slice_s8(const tsk_slice_params *p, const tsk_dims *in_dims, const int8_t *in,
                        const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_slice_f32(const tsk_slice_params *p, const tsk_dims *in_dims, const float *in,
                         const tsk_dims *out_dims, float *out);

/* GATHER (TFLite reference_ops::Gather, batch_dims 0) of int8 or float32 elements by int32
 * indices; TSK_ERR_ARG for an index outside [0, axis_size) (nothing written then). */
tsk_status tsk_gather_s8(const tsk_gather_params *p, const int8_t *in, const int32_t *indices,
                         int8_t *out);
tsk_status tsk_gather_f32(const tsk_gather_params *p, const float *in, const int32_t *indices,
                          float *out);

/* ================================= TRANSPOSE_CONV ================================= */

/* Scratch bytes for tsk_transpose_conv_s8: 4 * (H_out * W_out * C_out) int32 accumulators of
 * one batch image + 4 * (C_out * KH * KW) filter-tap sums. Returns -1 for invalid shapes. */
int32_t tsk_transpose_conv_s8_scratch_size(const tsk_dims *in_dims, const tsk_dims *filter_dims,
                                           const tsk_dims *out_dims);

/* TRANSPOSE_CONV int8 (TFLite reference_integer_ops::TransposeConv with bias and fused
 * activation, bit-exact): every input pixel (iy, ix) adds (x + input_offset) * w to output
 * pixel (iy * stride - pad + ky, ix * stride - pad + kx) when it lies inside the output;
 * int32 accumulation, then bias, per-channel requantisation, output offset and clamp.
 * [in] ctx        scratch of tsk_transpose_conv_s8_scratch_size() bytes
 * [in] p          stride, padding (top, left: output rows/columns cropped), offsets, clamp,
 *                 rounding; dilation is not read (TRANSPOSE_CONV has none)
 * [in] q          requantisation, per-tensor (n = 1) or per-channel (n = C_out)
 * [in] in_dims    [N, H_in, W_in, C_in]; in: int8
 * [in] filter_dims[C_out, KH, KW, C_in]; filter: int8 (OHWI)
 * [in] bias       int32 [C_out] or NULL
 * [in] out_dims   [N, H_out, W_out, C_out]; [out] out: int8 */
tsk_status tsk_transpose_conv_s8(const tsk_ctx *ctx, const tsk_conv_params *p,
                                 const tsk_quant *q, const tsk_dims *in_dims, const int8_t *in,
                                 const tsk_dims *filter_dims, const int8_t *filter,
                                 const int32_t *bias, const tsk_dims *out_dims, int8_t *out);

/* Scratch bytes for tsk_transpose_conv_s8_simd: 4 * (H_out * W_out * C_out) accumulators + 8 *
 * ceil(C_in / 4) (the widened input pixel). Returns -1 for invalid shapes. */
int32_t tsk_transpose_conv_s8_simd_scratch_size(const tsk_dims *in_dims,
                                                const tsk_dims *filter_dims,
                                                const tsk_dims *out_dims);

/* TRANSPOSE_CONV int8, DSP variant of tsk_transpose_conv_s8 (same arguments, statuses and
 * outputs; SXTAB16-widened input pixel, SMLAD dual MACs); ctx:
 * tsk_transpose_conv_s8_simd_scratch_size() bytes, 4-byte aligned. */
tsk_status tsk_transpose_conv_s8_simd(const tsk_ctx *ctx, const tsk_conv_params *p,
                                      const tsk_quant *q, const tsk_dims *in_dims,
                                      const int8_t *in, const tsk_dims *filter_dims,
                                      const int8_t *filter, const int32_t *bias,
                                      const tsk_dims *out_dims, int8_t *out);

/* Scratch bytes for tsk_transpose_conv_s16: 8 * (H_out * W_out * C_out) int64 accumulators of
 * one batch image. Returns -1 for invalid shapes. */
int32_t tsk_transpose_conv_s16_scratch_size(const tsk_dims *in_dims, const tsk_dims *filter_dims,
                                            const tsk_dims *out_dims);

/* TRANSPOSE_CONV 16x8 (TFLite reference_integer_ops::TransposeConv, int16 input, int8 weights,
 * int64 accumulator; bit-exact): the int8 kernel's scatter of x * w (no input offset: int16
 * zero points are 0) into an int64 image, then bias (int64 [C_out]), the int64
 * requantisation of the 16x8 kernels (tsk_mbqm64, per channel or per tensor) and the clamp
 * p->act (no output offset). With bias NULL, TFLite's int32 path: the sum wrapped to int32 and
 * the int32 requantisation in p->rounding. p->input_offset and p->output_offset must be 0;
 * ctx: scratch of tsk_transpose_conv_s16_scratch_size() bytes, 4-byte aligned. */
tsk_status tsk_transpose_conv_s16(const tsk_ctx *ctx, const tsk_conv_params *p,
                                  const tsk_quant *q, const tsk_dims *in_dims, const int16_t *in,
                                  const tsk_dims *filter_dims, const int8_t *filter,
                                  const int64_t *bias, const tsk_dims *out_dims, int16_t *out);

/* TRANSPOSE_CONV float32 (TFLite reference_ops::TransposeConv): the same scatter, summed in the
 * reference's order (input pixel, input channel, ky, kx, output channel) into the zeroed output,
 * then bias (float [C_out] or NULL) and the clamp p->act; needs no scratch. */
tsk_status tsk_transpose_conv_f32(const tsk_conv_params_f32 *p, const tsk_dims *in_dims,
                                  const float *in, const tsk_dims *filter_dims,
                                  const float *filter, const float *bias,
                                  const tsk_dims *out_dims, float *out);
/* SPLIT, SPLIT_V, UNPACK (TFLite reference_ops::Split / Unpack) of int8 or float32 elements:
 * the inverse of tsk_concatenation_*. [in] in_dims, in: the input; out_dims[i]: output i's
 * dims, equal to in_dims outside `axis` (0..3 of [N,H,W,C]), their `axis` dimensions summing
 * to in_dims' (UNPACK: each a 1); [out] out[i]: the n_outputs outputs, in order along axis. */
tsk_status tsk_split_s8(int32_t axis, int32_t n_outputs, const tsk_dims *in_dims,
                        const int8_t *in, const tsk_dims *out_dims, int8_t *const *out);
tsk_status tsk_split_f32(int32_t axis, int32_t n_outputs, const tsk_dims *in_dims,
                         const float *in, const tsk_dims *out_dims, float *const *out);
/* SPLIT_V's size_splits (TFLite split.cc): n sizes, at most one -1 standing for what the others
 * leave of dim. [out] sizes[n] resolved; *bad the index at fault (-1: the sum). TSK_OK;
 * TSK_ERR_ARG for a size below 1 (but the one -1) or sizes not summing to dim;
 * TSK_ERR_UNSUPPORTED when the -1 is left nothing (TFLite: a zero-sized output). */
tsk_status tsk_split_v_sizes(int32_t n, const int32_t *splits, int32_t dim, int32_t *sizes,
                             int32_t *bad);

/* STRIDED_SLICE (TFLite reference_ops::StridedSlice) of int8, int16 or float32 elements:
 * out_dims elements from p->start on, p->stride apart per axis (negative: backwards). */
tsk_status tsk_strided_slice_s8(const tsk_strided_slice_params *p, const tsk_dims *in_dims,
                                const int8_t *in, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_strided_slice_s16(const tsk_strided_slice_params *p, const tsk_dims *in_dims,
                                 const int16_t *in, const tsk_dims *out_dims, int16_t *out);
tsk_status tsk_strided_slice_f32(const tsk_strided_slice_params *p, const tsk_dims *in_dims,
                                 const float *in, const tsk_dims *out_dims, float *out);
/* The parameters of a STRIDED_SLICE of a tensor of `rank` (<= 4) dimensions `shape`, by
 * TFLite's strided_slice_logic.h: begin, end, strides [rank] and the begin, end and shrink
 * masks (bit i: axis i), padded to 4-D in front. [out] p; counts[4]: the output's 4-D dims (a
 * shrunk axis counts 1). TSK_ERR_ARG for a zero stride, a 0-sized dimension, a shrunk axis with
 * a negative stride (TFLite's loop takes no element there) or bad arguments,
 * TSK_ERR_UNSUPPORTED for an empty output (an axis with no element); on both, counts[0] is
 * the axis at fault (0..rank-1; -1 for bad arguments). */
tsk_status tsk_strided_slice_prepare(int32_t rank, const int32_t *shape, const int32_t *begin,
                                     const int32_t *end, const int32_t *strides,
                                     int32_t begin_mask, int32_t end_mask, int32_t shrink_mask,
                                     tsk_strided_slice_params *p, int32_t *counts);
/* ---- ops-math group (HARD_SWISH, TANH, PRELU, ...) ---- */

/* HARD_SWISH int8 parameters, as TFLite's HardSwishPrepare: hires input scale input_scale /
 * 128 (float), output multiplier hires / output_scale and reluish multiplier hires / (3 /
 * 32768), each by QuantizeMultiplier then DownScaleInt32ToInt16Multiplier (Q31 -> Q15,
 * rounded). Errors: TSK_ERR_ARG (scales not positive, an exponent outside the kernel's range:
 * output exponent above 0 or below -15, reluish outside [-15, 15]). */
tsk_status tsk_hard_swish_prepare_s8(float input_scale, int32_t input_zero_point,
                                     float output_scale, int32_t output_zero_point,
                                     tsk_hard_swish_params *p);

/* HARD_SWISH int8 (TFLite reference_ops::HardSwish, bit-exact) and float32 (x * relu6(x + 3)
 * / 6), n elements. */
tsk_status tsk_hard_swish_s8(const tsk_hard_swish_params *p, int32_t n, const int8_t *in,
                             int8_t *out);
tsk_status tsk_hard_swish_f32(int32_t n, const float *in, float *out);

/* TANH int8 -> int8 (TFLite Micro reference_integer_ops::Tanh, bit-exact); output scale 1/128,
 * zero point 0; p from tsk_logistic_prepare_s8 (TFLite prepares TANH's input as LOGISTIC's:
 * 4 integer bits, frexp multiplier, range radius). Float32: libm-free, a few ULP from the
 * correctly rounded tanh (see tanh.c). */
tsk_status tsk_tanh_s8(const tsk_logistic_params *p, int32_t count, const int8_t *in,
                       int8_t *out);
tsk_status tsk_tanh_f32(int32_t count, const float *in, float *out);
/* TANH and LOGISTIC int16 -> int16 (16x8; bit-exact with TFLite's int16 kernels): with
 * input_multiplier 0, gemmlowp's fixed-point functions in int16 (power-of-two input scales);
 * otherwise the rescaled input interpolates tsk_sigmoid_table_u16 (tanh(x) = 2 sigmoid(2x) -
 * 1). Parameters from tsk_logistic_prepare_s16; output scale 2^-15, zero point 0. in and
 * out may be the same buffer. */
tsk_status tsk_tanh_s16(const tsk_logistic_params *p, int32_t count, const int16_t *in,
                        int16_t *out);
tsk_status tsk_logistic_s16(const tsk_logistic_params *p, int32_t count, const int16_t *in,
                            int16_t *out);

/* PRELU int8 (TFLite reference_ops::BroadcastPrelu4DSlow, bit-exact) and float32, input and
 * alpha broadcast to out_dims. */
tsk_status tsk_prelu_s8(const tsk_prelu_params *p, const tsk_dims *in_dims, const int8_t *in,
                        const tsk_dims *alpha_dims, const int8_t *alpha,
                        const tsk_dims *out_dims, int8_t *out);
/* ARG_MAX (TFLite ArgMinMax with std::greater, bit-exact) of int8 or float32 data along the
 * middle axis of p's [outer, axis_size, inner]: outer * inner int32 indices. */
tsk_status tsk_arg_max_s8(const tsk_arg_params *p, const int8_t *in, int32_t *out);
tsk_status tsk_arg_max_f32(const tsk_arg_params *p, const float *in, int32_t *out);
/* ARG_MIN: the same with std::less (the first smallest). */
tsk_status tsk_arg_min_s8(const tsk_arg_params *p, const int8_t *in, int32_t *out);
tsk_status tsk_arg_min_f32(const tsk_arg_params *p, const float *in, int32_t *out);

/* SQRT float32 (correctly rounded, as IEEE sqrt: TFLite's std::sqrt), n elements. */
tsk_status tsk_sqrt_f32(int32_t n, const float *in, float *out);

/* RSQRT int8 parameters as TFLite's SetRsqrtOutputMultiplier: QuantizeMultiplier of
 * 1 / (sqrtf(input_scale) * output_scale) (the product in float, the quotient in double).
 * Errors: TSK_ERR_ARG (scales not positive, a shift the kernel cannot take). */
tsk_status tsk_rsqrt_prepare_s8(float input_scale, int32_t input_zero_point, float output_scale,
                                int32_t output_zero_point, tsk_rounding rounding,
                                tsk_rsqrt_params *p);

/* RSQRT int8 (TFLite RsqrtEvalQuantizedInt8, bit-exact) and float32 (1 / the correctly rounded
 * sqrt, as TFLite's 1.f / std::sqrt), n elements. */
tsk_status tsk_rsqrt_s8(const tsk_rsqrt_params *p, int32_t n, const int8_t *in, int8_t *out);
tsk_status tsk_rsqrt_f32(int32_t n, const float *in, float *out);

/* REDUCE_MAX (TFLite reduce.cc, bit-exact) of int8 (raw values) or float32 over the axes set in
 * axis_mask (bit i: axis i of [N,H,W,C]); out_dims has those axes at 1. */
tsk_status tsk_reduce_max_s8(int32_t axis_mask, const tsk_dims *in_dims, const int8_t *in,
                             const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_reduce_max_f32(int32_t axis_mask, const tsk_dims *in_dims, const float *in,
                              const tsk_dims *out_dims, float *out);

/* L2_NORMALIZATION along the last dimension: int8 (TFLite reference_integer_ops::
 * L2Normalization, bit-exact; output 1/128, zero point 0) and float32 (x / max(sqrt(sum x^2),
 * 1e-6), the sum in order, sqrt correctly rounded). */
tsk_status tsk_l2_norm_s8(const tsk_l2_norm_params *p, const int8_t *in, int8_t *out);
tsk_status tsk_l2_norm_f32(const tsk_l2_norm_params *p, const float *in, float *out);

/* DIV float32 (TFLite div.cc, bit-exact: IEEE division) with broadcasting, clamped to p->act. */
tsk_status tsk_div_f32(const tsk_eltwise_params_f32 *p, const tsk_dims *in1_dims,
                       const float *in1, const tsk_dims *in2_dims, const float *in2,
                       const tsk_dims *out_dims, float *out);

/* SUM over the axes of axis_mask: float32 (TFLite ReduceGeneric, in order) and int8 (TFLite's
 * QuantizedMeanOrSum with compute_sum; int32 sums in ctx, tsk_mean_s8_scratch_size bytes). */
tsk_status tsk_reduce_sum_f32(int32_t axis_mask, const tsk_dims *in_dims, const float *in,
                       const tsk_dims *out_dims, float *out);
tsk_status tsk_reduce_sum_s8(const tsk_ctx *ctx, const tsk_sum_params *p, const tsk_dims *in_dims,
                      const int8_t *in, const tsk_dims *out_dims, int8_t *out);

/* BATCH_MATMUL (TFLite reference BatchMatMul, bit-exact for int8; float sums in k order) of
 * [b0, b1, rows, cols] operands with broadcast batch dims, p->adj_x / adj_y transposing them. */
tsk_status tsk_batch_matmul_s8(const tsk_bmm_params *p, const tsk_dims *ld, const int8_t *lhs,
                               const tsk_dims *rd, const int8_t *rhs, const tsk_dims *od,
                               int8_t *out);
tsk_status tsk_batch_matmul_f32(const tsk_bmm_params *p, const tsk_dims *ld, const float *lhs,
                                const tsk_dims *rd, const float *rhs, const tsk_dims *od,
                                float *out);

tsk_status tsk_prelu_f32(const tsk_dims *in_dims, const float *in, const tsk_dims *alpha_dims,
                         const float *alpha, const tsk_dims *out_dims, float *out);
/* ======================================= SVDF ======================================= */

/* SVDF, one invocation (kernels/svdf.c; TFLite reference_ops EvalIntegerSVDF and
 * EvalFloatSVDF): input [batch, input_size], weights_feature [n_filter, input_size],
 * weights_time [n_filter, memory] (int8 kernel: int16, or int8 when time_bytes is 1), bias
 * [n_filter / rank] (int32 / float, NULL = none), state [batch, n_filter * memory] (int16 /
 * float; read and updated in place: the layer's memory between invocations), output
 * [batch, n_filter / rank]. TSK_ERR_ARG for bad shapes or parameters (nothing written). */
tsk_status tsk_svdf_s8(const tsk_svdf_params *p, const int8_t *in, const int8_t *w_feature,
                       const void *w_time, const int32_t *bias, int16_t *state, int8_t *out);
tsk_status tsk_svdf_f32(const tsk_svdf_params *p, const float *in, const float *w_feature,
                        const float *w_time, const float *bias, float *state, float *out);

/* ============================ UNIDIRECTIONAL_SEQUENCE_LSTM ============================ */

/* LSTM float32 over p->time steps, one call per invocation (kernels/lstm_f32.c; TFLite's
 * LstmStepWithAuxInput without CIFG, peepholes, projection or layer norm, TANH as the cell
 * activation): in[] holds the op's TSK_LSTM_N_INPUTS inputs in TFLite's order (kernel_types.h;
 * the two states are written through their slots, in place: the layer's memory between
 * invocations), out the output [batch, time, units] (or time-major). TSK_ERR_ARG for bad
 * parameters, a missing required input, or any of the unsupported optional ones present
 * (nothing written). No scratch. */
tsk_status tsk_lstm_f32(const tsk_lstm_params *p, const void *const *in, float *out);

/* LSTM int8 (8x8->16: int16 cell state) over p->time steps, one call per invocation
 * (kernels/lstm_s8.c; TFLite's integer LstmStepInteger8x8_16 without CIFG, peepholes,
 * projection or layer norm): in[] as tsk_lstm_f32's (int8 input and weights, int32 biases, the
 * int8 output state and int16 cell state updated in place), q the TSK_LSTM_S8_N_QUANT
 * effective scales followed by the effective biases of tsk_lstm_prepare_s8
 * (TSK_LSTM_S8_N_QUANT + 4 x units entries: kernel_types.h), out the int8 output; the step
 * loop reads the biases and sums no weight rows. TSK_ERR_ARG for bad parameters or inputs, a
 * table of another length included (nothing written). Integer arithmetic only, no scratch. */
tsk_status tsk_lstm_s8(const tsk_lstm_s8_params *p, const tsk_quant *q, const void *const *in,
                       int8_t *out);

/* The int8 LSTM's effective biases, once per op at prepare (TFLite's
 * PrecomputeZeroPointTimesWeightWithBias, which unidirectional_sequence_lstm.cc's
 * PopulatePrecomputedZPTimesWeightsWithBias calls): for gate k (input, forget, cell, output)
 * and unit u, eff_in[k * units + u] = bias_k[u] - input_zp * sum_i W_k[u][i] and
 * eff_rec[k * units + u] = -state_zp * sum_j R_k[u][j]. p and in[] as tsk_lstm_s8's (only the
 * weights and biases are read, so the input and states may be absent); eff_in may hold the
 * biases themselves (in[TSK_LSTM_BIAS + k] == eff_in + k * units: each entry is read before it
 * is written). TSK_ERR_ARG for bad parameters or a missing weight or bias (nothing written). */
tsk_status tsk_lstm_prepare_s8(const tsk_lstm_s8_params *p, const void *const *in,
                               int32_t *eff_in, int32_t *eff_rec);

/* SPACE_TO_DEPTH / DEPTH_TO_SPACE (TFLite reference_ops) of int8 or float32 NHWC tensors with
 * block size p->block: space [N, H*b, W*b, C] <-> depth [N, H, W, C*b*b], depth channel
 * (bh * b + bw) * C + c holding space pixel (h*b + bh, w*b + bw), channel c. */
tsk_status tsk_space_to_depth_s8(const tsk_block_params *p, const tsk_dims *in_dims,
                                 const int8_t *in, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_space_to_depth_f32(const tsk_block_params *p, const tsk_dims *in_dims,
                                  const float *in, const tsk_dims *out_dims, float *out);
tsk_status tsk_depth_to_space_s8(const tsk_block_params *p, const tsk_dims *in_dims,
                                 const int8_t *in, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_depth_to_space_f32(const tsk_block_params *p, const tsk_dims *in_dims,
                                  const float *in, const tsk_dims *out_dims, float *out);

/* RESIZE_NEAREST_NEIGHBOR (TFLite reference_ops::ResizeNearestNeighbor) of int8 or float32
 * NHWC tensors to out_dims' height and width (batch and channels equal). */
tsk_status tsk_resize_nearest_s8(const tsk_resize_params *p, const tsk_dims *in_dims,
                                 const int8_t *in, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_resize_nearest_f32(const tsk_resize_params *p, const tsk_dims *in_dims,
                                  const float *in, const tsk_dims *out_dims, float *out);
/* RESIZE_BILINEAR (TFLite reference_ops::ResizeBilinear, float32, and ResizeBilinearInteger,
 * int8 in 1/1024 fixed point, rounded as p->rounding says) of NHWC tensors to out_dims' height
 * and width (batch and channels equal; not both options set). */
tsk_status tsk_resize_bilinear_s8(const tsk_resize_params *p, const tsk_dims *in_dims,
                                  const int8_t *in, const tsk_dims *out_dims, int8_t *out);
tsk_status tsk_resize_bilinear_f32(const tsk_resize_params *p, const tsk_dims *in_dims,
                                   const float *in, const tsk_dims *out_dims, float *out);

/* FILL (TFLite reference_ops::Fill): out_dims elements, each *value (int8 or float32). */
tsk_status tsk_fill_s8(const tsk_dims *out_dims, const int8_t *value, int8_t *out);
tsk_status tsk_fill_f32(const tsk_dims *out_dims, const float *value, float *out);
/* ZEROS_LIKE float32: n zeros (in is not read: only its shape matters). */
tsk_status tsk_zeros_like_f32(int32_t n, const float *in, float *out);
/* SHAPE: the p->rank dimensions p->dims as int32 (the input's shape, known when prepared). */
tsk_status tsk_shape_s32(const tsk_shape_params *p, int32_t *out);

/* CAST (TFLite's cast kernel) of n elements from type p->from to p->to (tsk_elem): raw
 * values, integer narrowing wraps, float to integer truncates (inputs in range). */
tsk_status tsk_cast(const tsk_cast_params *p, int32_t n, const void *in, void *out);

/* ===================================== LOGISTIC ===================================== */

/* LOGISTIC int8 -> int8 (TFLite reference_integer_ops::Logistic, bit-exact); output scale
 * 1/256, zero point -128. [in] count elements; [in] p from tsk_logistic_prepare_s8
 * (p->rounding: rounding of the input rescaling to Q4.27). */
tsk_status tsk_logistic_s8(const tsk_logistic_params *p, int32_t count, const int8_t *in,
                           int8_t *out);

/* LOGISTIC float32: 1 / (1 + exp(-x)). in and out may be the same buffer. */
tsk_status tsk_logistic_f32(int32_t count, const float *in, float *out);

/* =================================== CONCATENATION =================================== */

/* CONCATENATION along axis (0=N .. 3=C) of n_inputs tensors into out (plain copy; for int8
 * every input must already share the output's scale and zero point, as TFLite Micro requires).
 * [in] in_dims[i], in[i]: the n_inputs inputs; all dimensions except `axis` equal out_dims',
 * and the `axis` dimensions sum to out_dims'. */
tsk_status tsk_concatenation_s8(int32_t axis, int32_t n_inputs, const tsk_dims *in_dims,
                                const int8_t *const *in, const tsk_dims *out_dims, int8_t *out);

/* CONCATENATION float32; as tsk_concatenation_s8. */
tsk_status tsk_concatenation_f32(int32_t axis, int32_t n_inputs, const tsk_dims *in_dims,
                                 const float *const *in, const tsk_dims *out_dims, float *out);

/* ======================================== PAD ======================================== */

/* PAD int8: out = in surrounded by pad_value (the output zero point, or the quantized
 * constant_values of PADV2). out_dims[i] must be before[i] + in_dims[i] + after[i]. */
tsk_status tsk_pad_s8(const tsk_pad_params *p, int8_t pad_value, const tsk_dims *in_dims,
                      const int8_t *in, const tsk_dims *out_dims, int8_t *out);

/* PAD float32; as tsk_pad_s8. */
tsk_status tsk_pad_f32(const tsk_pad_params *p, float pad_value, const tsk_dims *in_dims,
                       const float *in, const tsk_dims *out_dims, float *out);

/* ======================================== MEAN ======================================== */

/* Scratch bytes for tsk_mean_s8: 4 * output element count (int32 sums). */
int32_t tsk_mean_s8_scratch_size(const tsk_dims *in_dims, int32_t axis_mask);

/* MEAN int8 over the axes in p->axis_mask (TFLite reference QuantizedMeanOrSum, integer
 * path, bit-exact): sum - zp_in * count, requantised (rounding p->rounding) by the multiplier
 * folded with 1/count, plus zp_out, clamped to int8.
 * [in] in_dims; [in] out_dims: the reduced shape (reduced axes have size 1, keep_dims or not
 * gives the same element order). */
tsk_status tsk_mean_s8(const tsk_ctx *ctx, const tsk_mean_params *p, const tsk_dims *in_dims,
                       const int8_t *in, const tsk_dims *out_dims, int8_t *out);

/* Most elements MEAN int16 reduces into one output: int32 sums of int16 stay exact. */
#define TSK_MEAN_S16_MAX_REDUCED 65536

/* MEAN int16 parameters (TFLite's reduce.cc EvalMean for int16; zero points must be 0):
 * keep_dims, input_rank and the op's raw axes (n_axes of them) pick the path as TFLite does.
 * TSK_ERR_ARG for scales not positive, an axis mask outside 0..15, a multiplier out of range. */
tsk_status tsk_mean_prepare_s16(float input_scale, float output_scale, int32_t axis_mask,
                                int keep_dims, int32_t input_rank, const int32_t *axes,
                                int32_t n_axes, tsk_rounding rounding, tsk_mean_s16_params *p);

/* Scratch bytes for tsk_mean_s16: 4 * output element count (int32 sums); -1 when the dims are
 * bad or more than TSK_MEAN_S16_MAX_REDUCED elements reduce into one output. */
int32_t tsk_mean_s16_scratch_size(const tsk_dims *in_dims, int32_t axis_mask);

/* MEAN int16 over the axes in p->axis_mask, bit-exact with TFLite's path p->path (see
 * tsk_mean_s16_params): int32 sums in scratch, then HW: MultiplyByQuantizedMultiplier (rounding
 * p->rounding) and division by the count rounded half away from zero; SAME: sum / count
 * truncated; SCALED: float sum / count * scale rounded half away from zero; clamped to int16. */
tsk_status tsk_mean_s16(const tsk_ctx *ctx, const tsk_mean_s16_params *p, const tsk_dims *in_dims,
                        const int16_t *in, const tsk_dims *out_dims, int16_t *out);

/* MEAN float32 over the axes in axis_mask (sum / count); needs no scratch (accumulates in out). */
tsk_status tsk_mean_f32(int32_t axis_mask, const tsk_dims *in_dims, const float *in,
                        const tsk_dims *out_dims, float *out);

/* =============================== QUANTIZE / DEQUANTIZE =============================== */

/* QUANTIZE float32 -> int8 (TFLite AffineQuantize): round(x / scale) half away from zero,
 * + zero point, clamped to [-128, 127]; NaN maps to the zero point. Float boundary op. */
tsk_status tsk_quantize_s8(const tsk_affine_params *p, int32_t count, const float *in,
                           int8_t *out);

/* DEQUANTIZE int8 -> float32: scale * (x - zero_point). Float boundary op. */
tsk_status tsk_dequantize_s8(const tsk_affine_params *p, int32_t count, const int8_t *in,
                             float *out);

/* 16x8: QUANTIZE float32 -> int16 and DEQUANTIZE int16 -> float32, as the int8 ones with the
 * int16 range. */
tsk_status tsk_quantize_s16(const tsk_affine_params *p, int32_t count, const float *in,
                            int16_t *out);
tsk_status tsk_dequantize_s16(const tsk_affine_params *p, int32_t count, const int16_t *in,
                              float *out);
/* DEQUANTIZE float16 (IEEE 754 binary16 bits) -> float32: exact, on the bits (subnormals,
 * signed zeros, infinities; NaNs keep sign and payload and are made quiet). TSK_ERR_ARG for
 * NULL or count < 0. */
tsk_status tsk_dequantize_f16(int32_t count, const uint16_t *in, float *out);
/* QUANTIZE int8/int16 -> int8/int16/int32 and int32 -> int8/int16 (tsk_requant_params;
 * TFLite Requantize, rounded as p->rounding says). TSK_ERR_ARG for other element sizes. */
tsk_status tsk_requantize(const tsk_requant_params *p, int32_t count, const void *in,
                          void *out);

#ifdef __cplusplus
}
#endif

#endif /* TS_KERNELS_H */
