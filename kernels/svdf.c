/* kernels/svdf.c: SVDF, the rank-factored fully connected layer over time (Google's "Compressing
 * deep neural networks using a rank-constrained topology", TFLite's SVDF op), int8 with int16
 * state and float32, one invocation. Per input row b and filter f (n_filter = rank * units):
 *   1. the feature projection dot(weights_feature[f], input[b]) becomes the newest (last)
 *      column of the state row state[b][f][0..memory);
 *   2. the time projection dot(weights_time[f], state[b][f]) over the memory;
 *   3. output[b][u] = bias[u] + the time projections of filters u*rank .. u*rank+rank-1,
 *      requantised (int8) or clamped to the fused activation (float);
 *   4. every state row moves one step left, its last column cleared for the next invocation.
 * This is TFLite's reference_ops EvalIntegerSVDF / EvalFloatSVDF (tensorflow/lite/kernels/
 * internal/reference/svdf.h) step for step, including the float summation order, so that
 * outputs are bit-exact with it: the feature and time dot products start at 0 and add their
 * terms in index order; the rank reduction sums a unit's rank time projections first and adds
 * that sum to the bias (TFLite's vectorised ReductionSumVector; the portable one would add
 * each projection to the bias in turn: tests/data/ops' goldens tell the two apart, and tell
 * the in-order time sum from a 4-lane one). int8: the feature sum takes (input - input zero point), is requantised
 * to the state's scale and saturated to int16 (the state is symmetric: zero point 0); the
 * time sums and the rank reduction are int32 (wrapping as the int32 arithmetic of a Cortex-M
 * does); the output is requantised, offset and saturated to int8. TFLite's integer kernel
 * applies no activation beyond that int8 clamp (its Prepare requires RELU and leaves it to the
 * output quantization); TFLite Micro also reads int8 time weights (time_bytes 1).
 * The state is read and written in place; nothing else is written before the checks pass.
 * Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

static int svdf_ok(const tsk_svdf_params *p)
{
    return p->batch >= 1 && p->input_size >= 1 && p->input_size <= 65536 && p->rank >= 1 &&
           p->n_filter >= p->rank && p->n_filter % p->rank == 0 && p->memory >= 1 &&
           (int64_t)p->batch * p->n_filter * p->memory <= INT32_MAX &&
           (int64_t)p->n_filter * p->input_size <= INT32_MAX;
}

/* Step 4 for one state row: move left by one, clear the last column. */
#define SVDF_SHIFT_ROW(row, memory, zero)                                                      \
    do {                                                                                       \
        for (int32_t m_ = 0; m_ + 1 < (memory); m_++)                                          \
            (row)[m_] = (row)[m_ + 1];                                                         \
        (row)[(memory) - 1] = (zero);                                                          \
    } while (0)

/* Step 2, int8 kernel: int16 state times int16 or int8 time weights, int32 wrapping sum. */
static int32_t time_dot_s16(const tsk_svdf_params *p, const void *w_time, int32_t f,
                            const int16_t *row)
{
    uint32_t acc = 0;

    if (p->time_bytes == 2) {
        const int16_t *w = (const int16_t *)w_time + (int64_t)f * p->memory;
        for (int32_t m = 0; m < p->memory; m++)
            acc += (uint32_t)((int32_t)w[m] * (int32_t)row[m]);
    } else {
        const int8_t *w = (const int8_t *)w_time + (int64_t)f * p->memory;
        for (int32_t m = 0; m < p->memory; m++)
            acc += (uint32_t)((int32_t)w[m] * (int32_t)row[m]);
    }
    return (int32_t)acc;
}

tsk_status tsk_svdf_s8(const tsk_svdf_params *p, const int8_t *in, const int8_t *w_feature,
                       const void *w_time, const int32_t *bias, int16_t *state, int8_t *out)
{
    int32_t units;

    if (!p || !in || !w_feature || !w_time || !state || !out || !svdf_ok(p) ||
        (p->time_bytes != 1 && p->time_bytes != 2) ||
        (p->rounding != TSK_ROUND_SINGLE && p->rounding != TSK_ROUND_DOUBLE))
        return TSK_ERR_ARG;
    units = p->n_filter / p->rank;
    for (int32_t b = 0; b < p->batch; b++) {
        const int8_t *x = in + (int64_t)b * p->input_size;
        int16_t *rows = state + (int64_t)b * p->n_filter * p->memory;
        for (int32_t f = 0; f < p->n_filter; f++) { /* step 1 */
            const int8_t *w = w_feature + (int64_t)f * p->input_size;
            int32_t acc = 0;
            for (int32_t c = 0; c < p->input_size; c++)
                acc += (int32_t)w[c] * ((int32_t)x[c] + p->ends.zp.input_offset);
            acc = tsk_requant_s32(acc, p->feature_multiplier, p->feature_shift,
                                  (tsk_rounding)p->rounding);
            rows[(int64_t)f * p->memory + p->memory - 1] =
                (int16_t)tsk_clamp_i32(acc, INT16_MIN, INT16_MAX);
        }
        for (int32_t u = 0; u < units; u++) { /* steps 2 and 3 */
            int32_t acc = bias ? bias[u] : 0;
            for (int32_t r = 0; r < p->rank; r++) {
                int32_t f = u * p->rank + r;
                acc = tsk_add_wrap(acc, time_dot_s16(p, w_time, f, rows + (int64_t)f * p->memory));
            }
            acc = tsk_requant_s32(acc, p->output_multiplier, p->output_shift,
                                  (tsk_rounding)p->rounding);
            out[(int64_t)b * units + u] =
                (int8_t)tsk_clamp_i32(tsk_add_wrap(acc, p->ends.zp.output_offset), -128, 127);
        }
        for (int32_t f = 0; f < p->n_filter; f++) /* step 4 */
            SVDF_SHIFT_ROW(rows + (int64_t)f * p->memory, p->memory, (int16_t)0);
    }
    return TSK_OK;
}

tsk_status tsk_svdf_f32(const tsk_svdf_params *p, const float *in, const float *w_feature,
                        const float *w_time, const float *bias, float *state, float *out)
{
    int32_t units;

    if (!p || !in || !w_feature || !w_time || !state || !out || !svdf_ok(p))
        return TSK_ERR_ARG;
    units = p->n_filter / p->rank;
    for (int32_t b = 0; b < p->batch; b++) {
        const float *x = in + (int64_t)b * p->input_size;
        float *rows = state + (int64_t)b * p->n_filter * p->memory;
        for (int32_t f = 0; f < p->n_filter; f++) { /* step 1 */
            const float *w = w_feature + (int64_t)f * p->input_size;
            float acc = 0.0f;
            for (int32_t c = 0; c < p->input_size; c++)
                acc += w[c] * x[c];
            rows[(int64_t)f * p->memory + p->memory - 1] = acc;
        }
        for (int32_t u = 0; u < units; u++) { /* steps 2 and 3 */
            float sum = 0.0f;
            for (int32_t r = 0; r < p->rank; r++) {
                int32_t f = u * p->rank + r;
                const float *w = w_time + (int64_t)f * p->memory, *row = rows + (int64_t)f * p->memory;
                float dot = 0.0f;
                for (int32_t m = 0; m < p->memory; m++)
                    dot += w[m] * row[m];
                sum += dot;
            }
            out[(int64_t)b * units + u] =
                tsk_clamp_f32((bias ? bias[u] : 0.0f) + sum, p->ends.act.min, p->ends.act.max);
        }
        for (int32_t f = 0; f < p->n_filter; f++) /* step 4 */
            SVDF_SHIFT_ROW(rows + (int64_t)f * p->memory, p->memory, 0.0f);
    }
    return TSK_OK;
}
