/* kernels/fully_connected_s8_simd.c: FULLY_CONNECTED int8 for cores with the DSP extension
 * (Cortex-M4/M7/M33), bit-identical to tsk_fully_connected_s8 (same parameters, statuses and
 * outputs). CMSIS-NN vec x mat structure: two weight rows per pass share each input word,
 * which is widened once with the input offset (SXTAB16 / SXTAB16 ROR 8) and reused by both
 * rows; each weight word is widened with the filter offset the same way and consumed by two
 * SMLADs. Both offsets are thus inside the products, sum (w + fo)(x + io), so no offset sums
 * need precomputing: every factor is in [-255, 255] and fits a halfword exactly.
 * Requantisation happens once per output, outside the MAC loop. On cores without DSP
 * simd_int.h emulates the instructions in C (same values, slow).
 * Values only: no timing, no allocation (needs no scratch), no float, no I/O. */
#include "kernels.h"
#include "kernels_int.h"
#include "simd_int.h"

int32_t tsk_fully_connected_s8_simd_scratch_size(const tsk_dims *filter_dims)
{
    if (filter_dims == 0 || tsk_dims_count(filter_dims) < 0) {
        return -1;
    }
    return 0;
}

/* As tsk_fully_connected_s8's checks; no scratch is needed, so ctx is not examined. */
static tsk_status check_args(const tsk_fc_params *p,
                             const tsk_quant *q,
                             const tsk_dims *in_dims,
                             const tsk_dims *filter_dims,
                             const tsk_dims *out_dims)
{
    return tsk_fc_s8_args(p, q, in_dims, filter_dims, out_dims,
                          tsk_fully_connected_s8_simd_scratch_size(filter_dims));
}

/* acc[r] = sum_i (w_r[i] + fo) * (x[i] + io) for the two rows w0, w1 of length depth.
 * Per 4 inputs: 3 loads, 6 SXTAB16, 4 SMLAD. */
static void mac_rows2(const tsk_fc_params *p,
                      const int8_t *x,
                      const int8_t *w0,
                      const int8_t *w1,
                      int32_t depth,
                      int32_t acc[2])
{
    const int32_t io2 = tsk_simd_dup16(p->input_offset), fo2 = tsk_simd_dup16(p->filter_offset);
    int32_t a0 = 0, a1 = 0;
    int32_t n, t;
    for (n = depth >> 2; n > 0; n--) {
        int32_t xv = tsk_simd_load_s8x4(x);
        int32_t x_e = tsk_simd_sxtab16(io2, xv), x_o = tsk_simd_sxtab16_ror8(io2, xv);
        int32_t w = tsk_simd_load_s8x4(w0);
        a0 = tsk_simd_smlad(tsk_simd_sxtab16(fo2, w), x_e, a0);
        a0 = tsk_simd_smlad(tsk_simd_sxtab16_ror8(fo2, w), x_o, a0);
        w = tsk_simd_load_s8x4(w1);
        a1 = tsk_simd_smlad(tsk_simd_sxtab16(fo2, w), x_e, a1);
        a1 = tsk_simd_smlad(tsk_simd_sxtab16_ror8(fo2, w), x_o, a1);
        x += 4;
        w0 += 4;
        w1 += 4;
    }
    for (t = 0; t < (depth & 3); t++) {
        int32_t xi = (int32_t)x[t] + p->input_offset;
        a0 = tsk_add_wrap(a0, ((int32_t)w0[t] + p->filter_offset) * xi);
        a1 = tsk_add_wrap(a1, ((int32_t)w1[t] + p->filter_offset) * xi);
    }
    acc[0] = a0;
    acc[1] = a1;
}

/* mac_rows2 for one row (odd output count). */
static int32_t mac_row1(const tsk_fc_params *p, const int8_t *x, const int8_t *w0, int32_t depth)
{
    const int32_t io2 = tsk_simd_dup16(p->input_offset), fo2 = tsk_simd_dup16(p->filter_offset);
    int32_t a0 = 0;
    int32_t n, t;
    for (n = depth >> 2; n > 0; n--) {
        int32_t xv = tsk_simd_load_s8x4(x);
        int32_t w = tsk_simd_load_s8x4(w0);
        a0 = tsk_simd_smlad(tsk_simd_sxtab16(fo2, w), tsk_simd_sxtab16(io2, xv), a0);
        a0 = tsk_simd_smlad(tsk_simd_sxtab16_ror8(fo2, w), tsk_simd_sxtab16_ror8(io2, xv), a0);
        x += 4;
        w0 += 4;
    }
    for (t = 0; t < (depth & 3); t++) {
        a0 = tsk_add_wrap(a0,
                          ((int32_t)w0[t] + p->filter_offset) * ((int32_t)x[t] + p->input_offset));
    }
    return a0;
}

tsk_status tsk_fully_connected_s8_simd(const tsk_ctx *ctx,
                                       const tsk_fc_params *p,
                                       const tsk_quant *q,
                                       const tsk_dims *in_dims,
                                       const int8_t *in,
                                       const tsk_dims *filter_dims,
                                       const int8_t *filter,
                                       const int32_t *bias,
                                       const tsk_dims *out_dims,
                                       int8_t *out)
{
    int32_t acc[2];
    int32_t depth, batches, n_out, b, oc;
    tsk_status st = check_args(p, q, in_dims, filter_dims, out_dims);
    (void)ctx; /* no scratch needed (size query returns 0) */
    if (st != TSK_OK || in == 0 || filter == 0 || out == 0) {
        return st != TSK_OK ? st : TSK_ERR_ARG;
    }
    const tsk_out_stage os = tsk_out_stage_make(q, bias, p->output_offset, p->act, p->rounding);
    depth = filter_dims->h * filter_dims->w * filter_dims->c;
    batches = tsk_dims_count(in_dims) / depth;
    n_out = filter_dims->n;
    for (b = 0; b < batches; b++) {
        const int8_t *x = in + (int64_t)b * depth;
        for (oc = 0; oc + 2 <= n_out; oc += 2) {
            const int8_t *w = filter + (int64_t)oc * depth;
            mac_rows2(p, x, w, w + depth, depth, acc);
            out[oc] = tsk_out_stage_apply(&os, acc[0], oc);
            out[oc + 1] = tsk_out_stage_apply(&os, acc[1], oc + 1);
        }
        if (oc < n_out) {
            out[oc] = tsk_out_stage_apply(&os, mac_row1(p, x, filter + (int64_t)oc * depth, depth),
                                          oc);
        }
        out += n_out;
    }
    return TSK_OK;
}
