/* kernels/arg_min_max.c: ARG_MAX and ARG_MIN (TFLite arg_min_max.cc, reference ArgMinMax) of
 * int8 (raw values: the quantization is monotonic) or float32 data seen as [outer, axis_size,
 * inner]: for each (outer, inner), the index along the axis of the first largest (smallest)
 * element, as int32. A strict comparison, so the first of equal values wins and a NaN never
 * replaces the current pick, as TFLite's std::greater / std::less. Values only. */
#include "kernels.h"
#include "kernels_int.h"

static int arg_params_ok(const tsk_arg_params *p, const void *in, const int32_t *out)
{
    return p != 0 && in != 0 && out != 0 && p->outer >= 0 && p->axis_size >= 1 &&
           p->inner >= 0;
}

/* The loop of every variant: the element type and the "better than" comparison. */
#define ARG_LOOP(TYPE, BETTER)                                                                 \
    do {                                                                                       \
        const TYPE *x = (const TYPE *)in;                                                      \
        if (!arg_params_ok(p, in, out))                                                        \
            return TSK_ERR_ARG;                                                                \
        for (int32_t o = 0; o < p->outer; o++)                                                 \
            for (int32_t k = 0; k < p->inner; k++) {                                           \
                const TYPE *v = x + (size_t)o * (size_t)p->axis_size * (size_t)p->inner + k;  \
                TYPE best = v[0];                                                              \
                int32_t at = 0;                                                                \
                for (int32_t i = 1; i < p->axis_size; i++)                                     \
                    if (v[(size_t)i * (size_t)p->inner] BETTER best) {                         \
                        best = v[(size_t)i * (size_t)p->inner];                                \
                        at = i;                                                                \
                    }                                                                          \
                *out++ = at;                                                                   \
            }                                                                                  \
        return TSK_OK;                                                                         \
    } while (0)

tsk_status tsk_arg_max_s8(const tsk_arg_params *p, const int8_t *in, int32_t *out)
{
    ARG_LOOP(int8_t, >);
}

tsk_status tsk_arg_max_f32(const tsk_arg_params *p, const float *in, int32_t *out)
{
    ARG_LOOP(float, >);
}

tsk_status tsk_arg_min_s8(const tsk_arg_params *p, const int8_t *in, int32_t *out)
{
    ARG_LOOP(int8_t, <);
}

tsk_status tsk_arg_min_f32(const tsk_arg_params *p, const float *in, int32_t *out)
{
    ARG_LOOP(float, <);
}
