/* kernels/args_s8.c: the argument checks of the int8 weighted kernels, shared by each plain
 * kernel and its DSP-extension variant (they accept exactly the same arguments; only their
 * scratch sizes differ, which the caller passes in as `need`). Values only: no I/O. */
#include "kernels.h"
#include "kernels_int.h"

tsk_status tsk_conv_s8_args(const tsk_conv_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                            const tsk_dims *filter_dims, const tsk_dims *out_dims, int32_t need)
{
    int32_t groups;
    if (p == 0 || need < 0 || in_dims->n != out_dims->n || filter_dims->n != out_dims->c ||
        in_dims->c % filter_dims->c != 0) {
        return TSK_ERR_ARG;
    }
    groups = in_dims->c / filter_dims->c;
    if (out_dims->c % groups != 0 || !tsk_quant_ok(q, out_dims->c) || !tsk_range_ok_s8(&p->act)) {
        return TSK_ERR_ARG;
    }
    if (p->stride.h < 1 || p->stride.w < 1 || p->dilation.h < 1 || p->dilation.w < 1 ||
        p->input_offset < -127 || p->input_offset > 128 || !tsk_rounding_ok(p->rounding)) {
        return TSK_ERR_ARG;
    }
    return TSK_OK;
}

tsk_status tsk_dw_s8_args(const tsk_dw_conv_params *p, const tsk_quant *q,
                          const tsk_dims *in_dims, const tsk_dims *filter_dims,
                          const tsk_dims *out_dims, int32_t need)
{
    if (p == 0 || need < 0 || p->ch_mult < 1 || in_dims->n != out_dims->n ||
        filter_dims->n != 1 || filter_dims->c != out_dims->c ||
        (int64_t)in_dims->c * p->ch_mult != out_dims->c) {
        return TSK_ERR_ARG;
    }
    if (!tsk_quant_ok(q, out_dims->c) || !tsk_range_ok_s8(&p->act) || p->stride.h < 1 ||
        p->stride.w < 1 || p->dilation.h < 1 || p->dilation.w < 1 || p->input_offset < -127 ||
        p->input_offset > 128 || !tsk_rounding_ok(p->rounding)) {
        return TSK_ERR_ARG;
    }
    return TSK_OK;
}

tsk_status tsk_fc_s8_args(const tsk_fc_params *p, const tsk_quant *q, const tsk_dims *in_dims,
                          const tsk_dims *filter_dims, const tsk_dims *out_dims, int32_t need)
{
    int32_t n_in, n_out, depth;
    if (p == 0 || in_dims == 0 || filter_dims == 0 || out_dims == 0) {
        return TSK_ERR_ARG;
    }
    n_in = tsk_dims_count(in_dims);
    n_out = tsk_dims_count(out_dims);
    if (n_in < 0 || n_out < 0 || need < 0) {
        return TSK_ERR_ARG;
    }
    depth = filter_dims->h * filter_dims->w * filter_dims->c;
    if (n_in % depth != 0 || (int64_t)(n_in / depth) * filter_dims->n != n_out ||
        !tsk_quant_ok(q, filter_dims->n) || !tsk_range_ok_s8(&p->act) ||
        p->input_offset < -127 || p->input_offset > 128 || p->filter_offset < -127 ||
        p->filter_offset > 128 || !tsk_rounding_ok(p->rounding)) {
        return TSK_ERR_ARG;
    }
    return TSK_OK;
}

int tsk_tconv_shapes_ok(tsk_hw stride, tsk_hw pad, const tsk_dims *in_dims,
                        const tsk_dims *filter_dims, const tsk_dims *out_dims)
{
    return in_dims != 0 && filter_dims != 0 && out_dims != 0 && tsk_dims_count(in_dims) >= 0 &&
           tsk_dims_count(filter_dims) >= 0 && tsk_dims_count(out_dims) >= 0 &&
           in_dims->n == out_dims->n && in_dims->c == filter_dims->c &&
           filter_dims->n == out_dims->c && stride.h >= 1 && stride.w >= 1 && pad.h >= 0 &&
           pad.w >= 0;
}

tsk_status tsk_tconv_s8_args(const tsk_conv_params *p, const tsk_quant *q,
                             const tsk_dims *in_dims, const tsk_dims *filter_dims,
                             const tsk_dims *out_dims, int32_t need)
{
    if (p == 0 || need < 0 || !tsk_tconv_shapes_ok(p->stride, p->padding, in_dims, filter_dims,
                                                   out_dims))
        return TSK_ERR_ARG;
    if (!tsk_quant_ok(q, out_dims->c) || !tsk_range_ok_s8(&p->act) || p->input_offset < -127 ||
        p->input_offset > 128 || !tsk_rounding_ok(p->rounding))
        return TSK_ERR_ARG;
    return TSK_OK;
}
