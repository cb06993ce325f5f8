/* tests/unit/engine/tconv_xnnpack.h: the float32 TRANSPOSE_CONV of a single-op model summed in
 * the order of XNNPACK's f32 deconvolution, which the TensorFlow Lite WebAssembly build of the
 * golden manifest runs (its XNNPACK delegate): per output element four lane accumulators, lane 0
 * starting at the bias, lane j adding the products of input channels c = j mod 4 tap by tap
 * (taps in (ky, kx) order, input pixel ((oy + pad - ky) / stride, ...) when that divides
 * exactly, XNNPACK's deconvolution indirection), then (lane 0 + lane 2) + (lane 1 + lane 3),
 * then the clamp. The "xnnpack_order" exact witness of test_op_golden.c: TFLite's output must
 * equal this bit for bit, which shows that tinysim's difference from it (tinysim follows TFLite's
 * reference kernel) is the summation order alone. Written from the description above, sharing
 * nothing with kernels/ or sim/ref; padding as TFLite's transpose_conv.cc computes it. */
#ifndef TS_TCONV_XNNPACK_H
#define TS_TCONV_XNNPACK_H

#include <float.h>
#include <string.h>

#include "sim/model/model.h"

/* TFLite ComputePaddingHeightWidth over the output size (the conv the op transposes). */
static inline int32_t xnn_tconv_pad(ts_padding pad, int32_t out, int32_t k, int32_t s)
{
    int32_t n = pad == TS_PAD_SAME ? (out + s - 1) / s : (out - k + s) / s;
    int32_t total = (n - 1) * s + k - out;

    return total > 0 ? total / 2 : 0;
}

static inline float xnn_tconv_f(const ts_tensor *t, int64_t i)
{
    float v;

    memcpy(&v, t->data + 4 * i, 4);
    return v;
}

/* Output of op 0 of g (TRANSPOSE_CONV, float32, NONE/RELU/RELU6) for input x into out. */
static inline void xnn_tconv_f32(const ts_graph *g, const float *x, float *out)
{
    const ts_op *op = &g->ops[0];
    const ts_tensor *w = &g->tensors[op->inputs[1]], *in = &g->tensors[op->inputs[2]];
    const ts_tensor *b = op->n_inputs > 3 && op->inputs[3] >= 0 ? &g->tensors[op->inputs[3]] : 0;
    const ts_tensor *o = &g->tensors[op->outputs[0]];
    const int32_t H = in->shape[1], W = in->shape[2], C = in->shape[3], KH = w->shape[1];
    const int32_t KW = w->shape[2], OH = o->shape[1], OW = o->shape[2], OC = o->shape[3];
    const int32_t sh = op->opts.conv.stride_h, sw = op->opts.conv.stride_w;
    const int32_t ph = xnn_tconv_pad(op->opts.conv.padding, OH, KH, sh);
    const int32_t pw = xnn_tconv_pad(op->opts.conv.padding, OW, KW, sw);
    const float hi = op->opts.conv.act == TS_ACT_RELU6 ? 6.0f : FLT_MAX;
    const float lo = op->opts.conv.act == TS_ACT_NONE ? -FLT_MAX : 0.0f;

    for (int32_t n = 0; n < o->shape[0]; n++)
        for (int32_t oy = 0; oy < OH; oy++)
            for (int32_t ox = 0; ox < OW; ox++)
                for (int32_t oc = 0; oc < OC; oc++) {
                    float lane[4] = {b ? xnn_tconv_f(b, oc) : 0.0f, 0.0f, 0.0f, 0.0f}, v;
                    for (int32_t ky = 0; ky < KH; ky++)
                        for (int32_t kx = 0; kx < KW; kx++) {
                            int32_t ty = oy + ph - ky, tx = ox + pw - kx;
                            if (ty < 0 || tx < 0 || ty % sh || tx % sw || ty / sh >= H ||
                                tx / sw >= W)
                                continue;
                            for (int32_t c = 0; c < C; c++)
                                lane[c % 4] += x[((n * H + ty / sh) * W + tx / sw) * C + c] *
                                               xnn_tconv_f(w, ((oc * KH + ky) * KW + kx) * C + c);
                        }
                    v = (lane[0] + lane[2]) + (lane[1] + lane[3]);
                    out[((n * OH + oy) * OW + ox) * OC + oc] = v < lo ? lo : v > hi ? hi : v;
                }
}

#endif
