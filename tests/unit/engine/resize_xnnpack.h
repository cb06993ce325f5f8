/* tests/unit/engine/resize_xnnpack.h: RESIZE_BILINEAR of a single-op model computed as XNNPACK's
 * resize-bilinear operator does, which the TensorFlow Lite WebAssembly build of the golden
 * manifest runs (its XNNPACK delegate). Per axis, XNNPACK maps output index v to the input
 * coordinate s = v * scale (align_corners, or neither option: its "TensorFlow legacy" mode) or
 * s = v * scale + (0.5 * scale - 0.5) clamped to [0, size - 1] (half_pixel_centers), all in
 * float32, with scale (in - 1) / (out - 1) under align_corners (out > 1), else in / out; the
 * first tap is trunc(s), the second min(first + 1, size - 1), the weight alpha = s - first.
 * Then, top-left, top-right, bottom-left, bottom-right t, r, b, q and the horizontal and vertical
 * weights ah, av:
 *   float32: top = t + (r - t) * ah, bottom = b + (q - b) * ah, out = top + (bottom - top) * av,
 *            every operation rounded to float32;
 *   int8:    ah, av = lrintf(alpha * 2048) (11 fractional bits, ties to even); top = t * 2048 +
 *            (r - t) * ah, bottom likewise, acc = top * 2048 + (bottom - top) * av, out =
 *            (acc + 2^21) >> 22 (arithmetic shift: ties toward +infinity).
 * The "xnnpack_bilinear" exact witness of test_op_golden.c: TFLite's output must equal this bit
 * for bit, which shows that tinysim's difference from it (tinysim follows TFLite's reference
 * ResizeBilinear / ResizeBilinearInteger) is XNNPACK's arithmetic alone. Written from the
 * description above, sharing nothing with kernels/ or sim/ref. */
#ifndef TS_RESIZE_XNNPACK_H
#define TS_RESIZE_XNNPACK_H

#include <math.h>
#include <stdint.h>

#include "sim/model/model.h"

typedef struct xnn_bilinear_tap {
    int32_t first, second;
    float alpha;
} xnn_bilinear_tap;

static inline xnn_bilinear_tap xnn_bilinear_tap_of(int32_t v, int32_t in, int32_t out,
                                                    bool align, bool half)
{
    const int32_t adj = align && out != 1;
    const float scale = (float)(in - adj) / (float)(out - adj);
    float s = (float)v * scale;
    xnn_bilinear_tap t;

    if (half && !align) {
        const float offset = 0.5f * scale - 0.5f;
        s = s + offset;
        s = s < 0.0f ? 0.0f : s > (float)(in - 1) ? (float)(in - 1) : s;
    }
    t.first = (int32_t)s;
    t.second = t.first + 1 < in - 1 ? t.first + 1 : in - 1;
    t.alpha = s - (float)t.first;
    return t;
}

/* Output of op 0 of g (RESIZE_BILINEAR, int8 or float32) for input x (raw bytes) into out. */
static inline void xnn_resize_bilinear(const ts_graph *g, const void *x, void *out)
{
    const ts_op *op = &g->ops[0];
    const ts_tensor *in = &g->tensors[op->inputs[0]], *o = &g->tensors[op->outputs[0]];
    const int32_t H = in->shape[1], W = in->shape[2], C = in->shape[3];
    const int32_t OH = o->shape[1], OW = o->shape[2];
    const bool align = op->opts.resize.align_corners, half = op->opts.resize.half_pixel_centers;
    const bool f32 = in->dtype == TS_DT_FLOAT32;
    int64_t k = 0;

    for (int32_t n = 0; n < in->shape[0]; n++)
        for (int32_t oy = 0; oy < OH; oy++) {
            const xnn_bilinear_tap ty = xnn_bilinear_tap_of(oy, H, OH, align, half);
            for (int32_t ox = 0; ox < OW; ox++) {
                const xnn_bilinear_tap tx = xnn_bilinear_tap_of(ox, W, OW, align, half);
                const int64_t p[4] = {((int64_t)(n * H + ty.first) * W + tx.first) * C,
                                      ((int64_t)(n * H + ty.first) * W + tx.second) * C,
                                      ((int64_t)(n * H + ty.second) * W + tx.first) * C,
                                      ((int64_t)(n * H + ty.second) * W + tx.second) * C};
                for (int32_t c = 0; c < C; c++, k++) {
                    if (f32) {
                        const float *v = x;
                        const float t = v[p[0] + c], r = v[p[1] + c], b = v[p[2] + c];
                        const float q = v[p[3] + c];
                        const float top = t + (r - t) * tx.alpha, bot = b + (q - b) * tx.alpha;
                        ((float *)out)[k] = top + (bot - top) * ty.alpha;
                    } else {
                        const int8_t *v = x;
                        const int32_t ah = (int32_t)lrintf(tx.alpha * 2048.0f);
                        const int32_t av = (int32_t)lrintf(ty.alpha * 2048.0f);
                        const int32_t t = v[p[0] + c], r = v[p[1] + c], b = v[p[2] + c];
                        const int32_t q = v[p[3] + c];
                        const int32_t top = t * 2048 + (r - t) * ah, bot = b * 2048 + (q - b) * ah;
                        const int32_t acc = top * 2048 + (bot - top) * av;
                        ((int8_t *)out)[k] = (int8_t)((acc + (1 << 21)) >> 22);
                    }
                }
            }
        }
}

#endif
