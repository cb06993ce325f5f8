/* kernels/kernel_types.h: parameter and status types shared by every tinysim kernel.
 * Part of libtskernels (the bottom layer): plain C99 structs, no behaviour.
 * Must not include anything from sim/ or any header beyond <stdint.h>/<stddef.h>;
 * must stay usable freestanding (arm-none-eabi-gcc -ffreestanding).
 * Layout convention for every tensor: NHWC, row-major, innermost dimension C.
 * Pattern: CMSIS-NN arm_nn_types.h (param structs + scratch context + status enum). */
#ifndef TS_KERNEL_TYPES_H
#define TS_KERNEL_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* Kernel status. TSK_OK is 0; every error is negative. */
typedef enum tsk_status {
    TSK_OK = 0,
    TSK_ERR_ARG = -1,         /* NULL pointer, non-positive or inconsistent shape, bad range */
    TSK_ERR_SCRATCH = -2,     /* scratch buffer missing, too small or not 4-byte aligned */
    TSK_ERR_UNSUPPORTED = -3, /* valid request this kernel does not implement */
    TSK_ERR_DATA = -4         /* input values outside the op's domain (a GATHER index beyond
                               * its axis): the model's data, not tinysim, is at fault */
} tsk_status;

/* Rounding of the integer requantisation x * multiplier * 2^(shift - 31) (see kernels.h,
 * tsk_multiply_by_quantized_multiplier_s32). Chosen by the caller (engine, unit, executor),
 * never by a kernel. Stored in param structs as an int32_t field so their layout is the same
 * on every ABI (they are copied into emulated 32-bit memory).
 *  - TSK_ROUND_SINGLE: one rounding of the exact 64-bit product, ties toward +infinity
 *    (TFLite's TFLITE_SINGLE_ROUNDING, CMSIS-NN's CMSIS_NN_USE_SINGLE_ROUNDING); matches the
 *    TFLite interpreter / XNNPACK and Arm NN outputs users compare against. The default.
 *  - TSK_ROUND_DOUBLE: gemmlowp SaturatingRoundingDoublingHighMul then RoundingDivideByPOT
 *    (TFLite Micro's default reference kernels). */
typedef enum tsk_rounding {
    TSK_ROUND_SINGLE = 0,
    TSK_ROUND_DOUBLE = 1
} tsk_rounding;

/* A 4-D tensor shape [N, H, W, C]. Tensors of lower rank are extended with leading 1s
 * (TFLite's RuntimeShape::ExtendedShape rule), so e.g. a [B, D] tensor is {B, 1, 1, D}. */
typedef struct tsk_dims {
    int32_t n; /* batches */
    int32_t h; /* rows */
    int32_t w; /* columns */
    int32_t c; /* channels (innermost, contiguous) */
} tsk_dims;

/* Scratch memory lent to a kernel for the duration of one call. The kernel never
 * allocates; it asks for tsk_<op>_<dtype>_scratch_size() bytes, 4-byte aligned. */
typedef struct tsk_ctx {
    void *buf;        /* may be NULL when the size query returned 0 */
    int32_t size;     /* size of buf, bytes */
} tsk_ctx;

/* A (height, width) pair used for strides, dilations, paddings and pool windows. */
typedef struct tsk_hw {
    int32_t h;
    int32_t w;
} tsk_hw;

/* Clamp range of a quantized output, in output quantized units (already including the
 * output zero point), e.g. [-128, 127] for no activation. See tsk_activation_range_s8. */
typedef struct tsk_range {
    int32_t min;
    int32_t max;
} tsk_range;

/* Clamp range of a float output (fused activation). See tsk_activation_range_f32. */
typedef struct tsk_range_f32 {
    float min;
    float max;
} tsk_range_f32;

/* Fused activation of a TFLite op, as the caller reads it from the model. */
typedef enum tsk_activation {
    TSK_ACT_NONE = 0,
    TSK_ACT_RELU = 1,
    TSK_ACT_RELU_N1_TO_1 = 2,
    TSK_ACT_RELU6 = 3
} tsk_activation;

/* Output requantisation: real_scale[i] ~= multiplier[i] * 2^(shift[i] - 31).
 * n == 1: per-tensor (multiplier[0]/shift[0] apply to every output channel);
 * n == output channels: per-channel. shift > 0 is a left shift. */
typedef struct tsk_quant {
    const int32_t *multiplier; /* Q31, in [2^30, 2^31) or 0 */
    const int32_t *shift;      /* exponent, in [-31, 30] */
    int32_t n;                 /* 1 or the output channel count */
} tsk_quant;

/* CONV_2D int8. Offsets follow TFLite: input_offset = -input_zero_point. */
typedef struct tsk_conv_params {
    tsk_hw stride;         /* >= 1 */
    tsk_hw padding;        /* rows/columns of implicit padding before the input (top/left) */
    tsk_hw dilation;       /* >= 1 */
    int32_t input_offset;  /* -input zero point, [-127, 128] */
    int32_t output_offset; /* output zero point, [-128, 127] */
    tsk_range act;         /* output clamp, within [-128, 127] */
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_conv_params;

/* CONV_2D float32. */
typedef struct tsk_conv_params_f32 {
    tsk_hw stride;
    tsk_hw padding;
    tsk_hw dilation;
    tsk_range_f32 act;
} tsk_conv_params_f32;

/* DEPTHWISE_CONV_2D int8: output channel = in_channel * ch_mult + m. */
typedef struct tsk_dw_conv_params {
    tsk_hw stride;
    tsk_hw padding;
    tsk_hw dilation;
    int32_t ch_mult;       /* depth multiplier, >= 1 */
    int32_t input_offset;  /* -input zero point */
    int32_t output_offset; /* output zero point */
    tsk_range act;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_dw_conv_params;

/* DEPTHWISE_CONV_2D float32. */
typedef struct tsk_dw_conv_params_f32 {
    tsk_hw stride;
    tsk_hw padding;
    tsk_hw dilation;
    int32_t ch_mult;
    tsk_range_f32 act;
} tsk_dw_conv_params_f32;

/* FULLY_CONNECTED int8. */
typedef struct tsk_fc_params {
    int32_t input_offset;  /* -input zero point */
    int32_t filter_offset; /* -weights zero point (0 for TFLite int8 weights) */
    int32_t output_offset; /* output zero point */
    tsk_range act;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_fc_params;

/* FULLY_CONNECTED float32. */
typedef struct tsk_fc_params_f32 {
    tsk_range_f32 act;
} tsk_fc_params_f32;

/* AVERAGE_POOL_2D / MAX_POOL_2D int8 (input and output share scale and zero point). */
typedef struct tsk_pool_params {
    tsk_hw stride;
    tsk_hw padding;
    tsk_hw filter;  /* window size */
    tsk_range act;
} tsk_pool_params;

/* AVERAGE_POOL_2D / MAX_POOL_2D float32. */
typedef struct tsk_pool_params_f32 {
    tsk_hw stride;
    tsk_hw padding;
    tsk_hw filter;
    tsk_range_f32 act;
} tsk_pool_params_f32;

/* ADD int8, TFLite scheme: both inputs are shifted left by left_shift (20), rescaled to a
 * common scale, summed and rescaled to the output. Fill with tsk_add_prepare_s8. */
typedef struct tsk_add_params {
    int32_t input1_offset;     /* -input1 zero point */
    int32_t input2_offset;     /* -input2 zero point */
    int32_t output_offset;     /* output zero point */
    int32_t left_shift;        /* 20 for int8 */
    int32_t input1_multiplier;
    int32_t input1_shift;      /* <= 0 */
    int32_t input2_multiplier;
    int32_t input2_shift;      /* <= 0 */
    int32_t output_multiplier;
    int32_t output_shift;      /* <= 0 */
    tsk_range act;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_add_params;

/* MUL int8. Fill with tsk_mul_prepare_s8. */
typedef struct tsk_mul_params {
    int32_t input1_offset;
    int32_t input2_offset;
    int32_t output_offset;
    int32_t output_multiplier;
    int32_t output_shift;
    tsk_range act;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_mul_params;

/* TRANSPOSE: output dimension i of [N,H,W,C] is input dimension perm[i] (a permutation of
 * 0..3; lower-rank tensors are padded with leading 1s and identity entries). */
typedef struct tsk_transpose_params {
    int32_t perm[4];
} tsk_transpose_params;

/* SLICE: the first input element of the slice, per dimension of [N,H,W,C] (the output dims
 * are the sizes). */
typedef struct tsk_slice_params {
    int32_t begin[4];
} tsk_slice_params;

/* STRIDED_SLICE: the first input element and the step per dimension of [N,H,W,C] (the output
 * dims are the counts; a step may be negative). */
typedef struct tsk_strided_slice_params {
    int32_t start[4];
    int32_t stride[4];
} tsk_strided_slice_params;

/* SPACE_TO_DEPTH, DEPTH_TO_SPACE: the block size (pixels per block side). */
typedef struct tsk_block_params {
    int32_t block;
} tsk_block_params;

/* RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR: TFLite's two options (0 or 1) and, for int8
 * RESIZE_BILINEAR, the rounding of its 2^-20 sums (a tsk_rounding; nearest ignores it). */
typedef struct tsk_resize_params {
    int32_t align_corners;
    int32_t half_pixel_centers;
    int32_t rounding;
} tsk_resize_params;

/* SHAPE: the input's rank (0..4) and dimensions, written out as int32. */
typedef struct tsk_shape_params {
    int32_t rank;
    int32_t dims[4];
} tsk_shape_params;

/* Element types of CAST. */
typedef enum tsk_elem {
    TSK_ELEM_INT8 = 0,
    TSK_ELEM_INT16 = 1,
    TSK_ELEM_INT32 = 2,
    TSK_ELEM_FLOAT32 = 3
} tsk_elem;

/* CAST: input and output element types (tsk_elem values, as int32 words). */
typedef struct tsk_cast_params {
    int32_t from;
    int32_t to;
} tsk_cast_params;

/* GATHER (batch_dims 0): data as [outer, axis_size, inner], n_indices int32 indices. */
typedef struct tsk_gather_params {
    int32_t outer;
    int32_t axis_size;
    int32_t inner;
    int32_t n_indices;
} tsk_gather_params;

/* SVDF (kernels/svdf.c): batch input rows of input_size, n_filter = rank * units filters,
 * memory time steps of state per filter. int8: the feature multiplier (input scale * feature
 * weights scale / state scale) and output multiplier (state scale * time weights scale /
 * output scale) as QuantizeMultiplier gives them, time_bytes 2 (int16 time weights, TFLite)
 * or 1 (int8, TFLite Micro), rounding a tsk_rounding, ends.zp the input offset (-input zero
 * point) and output offset (output zero point). float: ends.act, the fused activation's
 * range. Every field is 4 bytes, 13 in all: no larger than the largest base-set parameter
 * block, so that the op descriptor, and every base image's RAM layout, keep their size
 * (asserted in fw_abi.h). */
typedef union tsk_svdf_ends {
    struct {
        int32_t input_offset;
        int32_t output_offset;
    } zp;
    tsk_range_f32 act;
} tsk_svdf_ends;

typedef struct tsk_svdf_params {
    int32_t batch;
    int32_t input_size;
    int32_t n_filter;
    int32_t memory;
    int32_t rank;
    int32_t time_bytes;
    int32_t feature_multiplier;
    int32_t feature_shift;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t rounding;
    tsk_svdf_ends ends;
} tsk_svdf_params;

/* UNIDIRECTIONAL_SEQUENCE_LSTM float32 (kernels/lstm_f32.c): input [batch, time, input_size]
 * ([time, batch, input_size] when time_major is 1), output [.., units] alike; cell_clip > 0
 * clamps the cell state to +-cell_clip after every step (0: no clipping). Six 4-byte words. */
typedef struct tsk_lstm_params {
    int32_t batch;
    int32_t time;
    int32_t input_size;
    int32_t units;
    int32_t time_major;
    float cell_clip;
} tsk_lstm_params;

/* The LSTM's inputs by position, TFLite's order (tensorflow/lite/kernels/lstm_shared.h): the
 * kernel reads them from one array of TSK_LSTM_N_INPUTS pointers (NULL = absent). */
enum {
    TSK_LSTM_INPUT = 0,
    TSK_LSTM_W_INPUT = 1,      /* input-to-gate weights [units, input_size]: input, forget, */
    TSK_LSTM_W_RECURRENT = 5,  /* cell, output gate; recurrent [units, units] likewise */
    TSK_LSTM_PEEPHOLE = 9,     /* cell-to-input/forget/output [units] (not supported) */
    TSK_LSTM_BIAS = 12,        /* input, forget, cell, output gate bias [units] */
    TSK_LSTM_PROJECTION = 16,  /* weights and bias (not supported) */
    TSK_LSTM_OUTPUT_STATE = 18, /* [batch, units], read and updated in place */
    TSK_LSTM_CELL_STATE = 19,   /* [batch, units], read and updated in place */
    TSK_LSTM_LAYER_NORM = 20,  /* four [units] coefficient vectors (not supported) */
    TSK_LSTM_N_INPUTS = 24
};

/* UNIDIRECTIONAL_SEQUENCE_LSTM int8 (kernels/lstm_s8.c; TFLite's "8x8_16" integer LSTM): int8
 * input, output and output (hidden) state, int8 symmetric weights, int32 gate biases, an int16
 * cell state of scale 2^cell_scale. The kernel's requantisation table pair (tsk_quant) holds
 * the effective scales, prepared on the host as TFLite's Prepare computes them: entries 0..3
 * input-to-gate (input, forget, cell, output gate) and 4..7 recurrent-to-gate into each gate's
 * Q3.12 int16 accumulator, entry 8 the hidden scale (Q0.15 x Q0.15 into the hidden int8); the
 * pair goes on with the op's effective biases (folded once as TFLite's Prepare does:
 * tsk_lstm_prepare_s8), 4 x units entries more from TSK_LSTM_S8_Q_BIAS, gate-major (entry
 * TSK_LSTM_S8_Q_BIAS + k * units + u: gate k, unit u): the multipliers' the input matmul's
 * (bias and input zero point), the shifts' the recurrent matmul's (output state zero point).
 * cell_clip is the quantized clip (0: none). Eleven int32 words. */
typedef struct tsk_lstm_s8_params {
    int32_t batch;
    int32_t time;
    int32_t input_size;
    int32_t units;
    int32_t time_major;
    int32_t input_zp;   /* input zero point */
    int32_t state_zp;   /* output state zero point (the recurrent matmul's offset) */
    int32_t hidden_zp;  /* zero point the new hidden state is written with */
    int32_t cell_scale; /* log2 of the cell state's scale, -15 .. -9 */
    int32_t cell_clip;  /* quantized cell clip, 0: none */
    int32_t rounding;   /* tsk_rounding of every MultiplyByQuantizedMultiplier */
} tsk_lstm_s8_params;

/* The LSTM int8 kernel's requantisation entries: TSK_LSTM_S8_N_QUANT scales, then the
 * effective biases from TSK_LSTM_S8_Q_BIAS, TSK_LSTM_S8_N_QUANT + 4 * units in all. */
enum { TSK_LSTM_S8_Q_INPUT = 0, TSK_LSTM_S8_Q_RECURRENT = 4, TSK_LSTM_S8_Q_HIDDEN = 8,
       TSK_LSTM_S8_N_QUANT = 9, TSK_LSTM_S8_Q_BIAS = 9 };

/* LEAKY_RELU int8 and int16 (TFLite LeakyReluParams): input_offset = -input zero point; the
 * identity (input/output scale) and alpha (alpha * input/output scale) multipliers as
 * QuantizeMultiplier gives them (shifts may be positive). Float: the slope alpha. */
typedef struct tsk_leaky_relu_params {
    int32_t input_offset;
    int32_t output_offset;
    int32_t identity_multiplier;
    int32_t identity_shift;
    int32_t alpha_multiplier;
    int32_t alpha_shift;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_leaky_relu_params;

typedef struct tsk_leaky_relu_params_f32 {
    float alpha;
} tsk_leaky_relu_params_f32;

/* HARD_SWISH int8 (TFLite HardSwishParams): zero points, and two Q15 multipliers (int16 range,
 * held in int32) with their exponents, from tsk_hard_swish_prepare_s8: reluish (input to the
 * scale where 3.0 is 32768; exponent in [-15, 15]) and output (hires input to output scale;
 * exponent in [-15, 0]). */
typedef struct tsk_hard_swish_params {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t reluish_multiplier;
    int32_t reluish_exponent;
    int32_t output_multiplier;
    int32_t output_exponent;
} tsk_hard_swish_params;

/* PRELU int8 (TFLite PreluParams): LEAKY_RELU's block (q: offsets, the identity multiplier of
 * input / output scale and the alpha multiplier, here of input * alpha / output scale) and the
 * alpha tensor's offset (-its zero point). */
typedef struct tsk_prelu_params {
    tsk_leaky_relu_params q;
    int32_t alpha_offset;
} tsk_prelu_params;

/* ARG_MAX / ARG_MIN (and the reductions of the ops-math group): the data as [outer, axis_size,
 * inner], the reduced axis in the middle. */
typedef struct tsk_arg_params {
    int32_t outer;
    int32_t axis_size;
    int32_t inner;
} tsk_arg_params;

/* RSQRT int8 (TFLite elementwise.cc OpData): zero points, and the multiplier of
 * 1 / (sqrt(input scale) * output scale) from tsk_rsqrt_prepare_s8. */
typedef struct tsk_rsqrt_params {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;
    int32_t shift;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_rsqrt_params;

/* L2_NORMALIZATION: rows of depth elements along the last dimension; int8 input zero point
 * (the output is 1/128, zero point 0) and the requantisation rounding. */
typedef struct tsk_l2_norm_params {
    int32_t outer;
    int32_t depth;
    int32_t input_zero_point;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_l2_norm_params;

/* SUM int8 (TFLite's float rescaling of QuantizedMeanOrSum): the axes, the zero points and
 * input / output scale as a float. */
typedef struct tsk_sum_params {
    int32_t axis_mask;         /* bit i set: reduce axis i of [N,H,W,C] */
    int32_t input_zero_point;
    int32_t output_zero_point;
    float scale;
} tsk_sum_params;

/* BATCH_MATMUL: adj_x / adj_y (operand transposed), and for int8 the offsets (-lhs, -rhs zero
 * points, output zero point) and the multiplier of lhs * rhs / output scale. */
typedef struct tsk_bmm_params {
    int32_t adj_x;
    int32_t adj_y;
    int32_t lhs_offset;
    int32_t rhs_offset;
    int32_t output_offset;
    int32_t multiplier;
    int32_t shift;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_bmm_params;

/* ADD / MUL float32. */
typedef struct tsk_eltwise_params_f32 {
    tsk_range_f32 act;
} tsk_eltwise_params_f32;

/* SOFTMAX int8 -> int8 (output scale 1/256, zero point -128). Fill with
 * tsk_softmax_prepare_s8. */
typedef struct tsk_softmax_params {
    int32_t input_multiplier; /* beta * input_scale in Q(5.26), Q31 multiplier */
    int32_t input_left_shift; /* >= 0 */
    int32_t diff_min;         /* input differences below this give output -128 */
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_softmax_params;
/* SOFTMAX int16 (16x8) reuses tsk_softmax_params (tsk_softmax_prepare_s16): input_multiplier
 * and input_left_shift are TFLite's QuantizeMultiplier of beta * input_scale / (10 / 65535)
 * (the shift a signed exponent), diff_min is 0 (unused); its two tables of this many entries
 * travel as the op's requantisation table pair (multipliers: exp, shifts: 1/(1+x)). */
#define TSK_SOFTMAX_S16_LUT 513

/* SOFTMAX int8 -> int16 (TFLite's float-table path, optimized_ops::Softmax<int8_t, int16_t>):
 * the output quantization (TFLite Micro requires scale 1/65536, zero point -32768); the
 * exp table, TSK_SOFTMAX_S8_S16_LUT floats exp(-input_scale * beta * d) for d = x_max - x in
 * [0, 255] (tsk_softmax_prepare_s8_s16), travels as the op's requantisation multipliers
 * (float bit patterns held as int32). */
typedef struct tsk_softmax_s8_s16_params {
    float output_scale;        /* > 0 */
    int32_t output_zero_point; /* int16 range */
} tsk_softmax_s8_s16_params;
#define TSK_SOFTMAX_S8_S16_LUT 256

/* MEAN int16 (16x8: zero points 0): which of TFLite's three int16 paths the op takes (its
 * EvalMean decides from the op, tsk_mean_prepare_s16 from the same facts): TSK_MEAN_HW
 * (reference_integer_ops::Mean: keep_dims, a 4-D input and axes exactly {1, 2}), TSK_MEAN_SAME
 * (input and output quantization equal: reference_ops::Mean, the int32 sum / count truncated),
 * TSK_MEAN_SCALED (QuantizedMeanOrSum: in float, round(sum / count * scale)). */
enum { TSK_MEAN_HW = 0, TSK_MEAN_SAME = 1, TSK_MEAN_SCALED = 2 };
typedef struct tsk_mean_s16_params {
    int32_t axis_mask;         /* bit i set: reduce axis i of [N,H,W,C] */
    int32_t path;              /* TSK_MEAN_HW, TSK_MEAN_SAME or TSK_MEAN_SCALED */
    int32_t multiplier;        /* HW: QuantizeMultiplier(input / output scale) */
    int32_t shift;
    float scale;               /* SCALED: input / output scale, divided in float */
    int32_t rounding;          /* tsk_rounding: HW's requantisation rounding */
} tsk_mean_s16_params;

/* LOGISTIC int8 -> int8 (output scale 1/256, zero point -128). Fill with
 * tsk_logistic_prepare_s8. */
typedef struct tsk_logistic_params {
    int32_t input_zero_point;
    int32_t input_range_radius; /* |x - zp| at or beyond this saturates */
    int32_t input_multiplier;
    int32_t input_left_shift;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_logistic_params;

/* MEAN int8 over a set of axes of the 4-D shape (0=N, 1=H, 2=W, 3=C). Fill multiplier and
 * shift with tsk_mean_prepare_s8 (input_scale / output_scale, unscaled by the count). */
typedef struct tsk_mean_params {
    int32_t axis_mask;         /* bit i set: reduce axis i of [N,H,W,C] */
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;
    int32_t shift;
    int32_t rounding;      /* tsk_rounding: requantisation rounding */
} tsk_mean_params;

/* PAD: elements added before/after each axis of [N,H,W,C] (>= 0). */
typedef struct tsk_pad_params {
    int32_t before[4];
    int32_t after[4];
} tsk_pad_params;

/* QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32 (per-tensor). */
typedef struct tsk_affine_params {
    float scale;        /* > 0 */
    int32_t zero_point; /* [-128, 127] */
} tsk_affine_params;

/* QUANTIZE between integer types (TFLite reference_ops::Requantize): out = clamp(
 * MultiplyByQuantizedMultiplier(in - input zero point, multiplier, shift) + output zero point)
 * to the output type; element sizes in bytes: in 1 (int8), 2 (int16) or 4 (int32), out 1, 2
 * or 4 (not 4 from 4); output zero point within int16 for outputs of 1 or 2 bytes. */
typedef struct tsk_requant_params {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;
    int32_t shift;
    int32_t rounding;  /* tsk_rounding */
    int32_t in_bytes;
    int32_t out_bytes;
} tsk_requant_params;

#endif /* TS_KERNEL_TYPES_H */
