/* kernels/batch_matmul.c: BATCH_MATMUL (TFLite batch_matmul.cc, reference BatchMatMul). The
 * operands are 4-D dims as stored, [b0, b1, rows, cols]: lhs [.., M, K] ([.., K, M] with adj_x),
 * rhs [.., K, N] ([.., N, K] with adj_y), output [b0, b1, M, N]; a batch dimension of 1
 * broadcasts. Each output element sums over k in ascending order: float32 products from 0.f;
 * int8 (lhs - its zero point) * (rhs - its zero point) in int32, requantised by
 * lhs * rhs / output scale and saturated. Values only: no allocation, no I/O. */
#include "kernels.h"
#include "kernels_int.h"

/* Shapes: batch dims equal to the output's or 1, the inner dimensions agreeing. */
static int bmm_args(const tsk_bmm_params *p, const tsk_dims *l, const void *a, const tsk_dims *r,
                    const void *b, const tsk_dims *o, const void *out)
{
    int32_t m, k, k2, n;

    if (p == 0 || l == 0 || r == 0 || o == 0 || a == 0 || b == 0 || out == 0 ||
        tsk_dims_count(l) < 0 || tsk_dims_count(r) < 0 || tsk_dims_count(o) < 0)
        return 0;
    m = p->adj_x ? l->c : l->w;
    k = p->adj_x ? l->w : l->c;
    k2 = p->adj_y ? r->c : r->w;
    n = p->adj_y ? r->w : r->c;
    return m == o->w && n == o->c && k == k2 && k >= 1 && (l->n == o->n || l->n == 1) &&
           (r->n == o->n || r->n == 1) && (l->h == o->h || l->h == 1) &&
           (r->h == o->h || r->h == 1);
}

/* The loops of both dtypes: ACC the accumulator type, TERM(x, y) one product, then STORE. */
#define BMM_LOOP(TYPE, ACC, TERM, STORE)                                                      \
    do {                                                                                       \
        const TYPE *a0 = (const TYPE *)lhs, *b0 = (const TYPE *)rhs;                           \
        int32_t K = p->adj_x ? ld->w : ld->c, ls = ld->w * ld->c, rs = rd->w * rd->c;          \
        for (int32_t i0 = 0; i0 < od->n; i0++)                                                 \
            for (int32_t i1 = 0; i1 < od->h; i1++) {                                           \
                const TYPE *a = a0 + ((ld->n == 1 ? 0 : i0) * ld->h + (ld->h == 1 ? 0 : i1)) * ls; \
                const TYPE *b = b0 + ((rd->n == 1 ? 0 : i0) * rd->h + (rd->h == 1 ? 0 : i1)) * rs; \
                for (int32_t i = 0; i < od->w; i++)                                            \
                    for (int32_t j = 0; j < od->c; j++) {                                      \
                        ACC acc = 0;                                                           \
                        for (int32_t k = 0; k < K; k++)                                        \
                            acc += TERM(a[p->adj_x ? k * ld->c + i : i * ld->c + k],           \
                                        b[p->adj_y ? j * rd->c + k : k * rd->c + j]);          \
                        *out++ = STORE(acc);                                                   \
                    }                                                                          \
            }                                                                                  \
    } while (0)

tsk_status tsk_batch_matmul_s8(const tsk_bmm_params *p, const tsk_dims *ld, const int8_t *lhs,
                               const tsk_dims *rd, const int8_t *rhs, const tsk_dims *od,
                               int8_t *out)
{
    if (!bmm_args(p, ld, lhs, rd, rhs, od, out) || p->shift > 30 || p->shift < -31 ||
        !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
#define S8_TERM(x, y) ((int32_t)(x) + p->lhs_offset) * ((int32_t)(y) + p->rhs_offset)
#define S8_STORE(acc)                                                                         \
    (int8_t)tsk_clamp_i32(tsk_mbqm_r(acc, p->multiplier, p->shift, p->rounding) +            \
                          p->output_offset, -128, 127)
    BMM_LOOP(int8_t, int32_t, S8_TERM, S8_STORE);
    return TSK_OK;
}

tsk_status tsk_batch_matmul_f32(const tsk_bmm_params *p, const tsk_dims *ld, const float *lhs,
                                const tsk_dims *rd, const float *rhs, const tsk_dims *od,
                                float *out)
{
    if (!bmm_args(p, ld, lhs, rd, rhs, od, out))
        return TSK_ERR_ARG;
#define F32_TERM(x, y) (x) * (y)
#define F32_STORE(acc) (acc)
    BMM_LOOP(float, float, F32_TERM, F32_STORE);
    return TSK_OK;
}
