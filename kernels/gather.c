/* kernels/gather.c: GATHER along one axis (TFLite reference_ops::Gather, batch_dims 0): the
 * data seen as [outer, axis_size, inner] and the indices as n_indices values, output
 * [outer, n_indices, inner] with out[o][i][k] = data[o][indices[i]][k]. An index outside
 * [0, axis_size) is an error (TSK_ERR_DATA, as TFLite's Eval fails), checked before anything
 * is written. Elements move unchanged. Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* TSK_OK, TSK_ERR_ARG for a bad shape, TSK_ERR_DATA for an index outside [0, axis_size). */
static tsk_status gather_check(const tsk_gather_params *p, const int32_t *idx)
{
    int64_t total = (int64_t)p->outer * p->axis_size * p->inner;

    if (p->outer < 1 || p->axis_size < 1 || p->inner < 1 || p->n_indices < 1 ||
        total > INT32_MAX || (int64_t)p->outer * p->n_indices * p->inner > INT32_MAX)
        return TSK_ERR_ARG;
    for (int32_t i = 0; i < p->n_indices; i++)
        if (idx[i] < 0 || idx[i] >= p->axis_size)
            return TSK_ERR_DATA;
    return TSK_OK;
}

#define GATHER_BODY(TYPE)                                                                      \
    if (p == 0 || in == 0 || indices == 0 || out == 0)                                         \
        return TSK_ERR_ARG;                                                                    \
    if ((st = gather_check(p, indices)) != TSK_OK)                                             \
        return st;                                                                             \
    for (int32_t o = 0; o < p->outer; o++)                                                     \
        for (int32_t i = 0; i < p->n_indices; i++) {                                           \
            const TYPE *x = in + ((int64_t)o * p->axis_size + indices[i]) * p->inner;          \
            for (int32_t k = 0; k < p->inner; k++)                                             \
                *out++ = x[k];                                                                 \
        }                                                                                      \
    return TSK_OK

tsk_status tsk_gather_s8(const tsk_gather_params *p, const int8_t *in, const int32_t *indices,
                         int8_t *out)
{
    tsk_status st;

    GATHER_BODY(int8_t);
}

tsk_status tsk_gather_f32(const tsk_gather_params *p, const float *in, const int32_t *indices,
                          float *out)
{
    tsk_status st;

    GATHER_BODY(float);
}
