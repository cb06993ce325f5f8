/* kernels/space_depth.c: SPACE_TO_DEPTH and DEPTH_TO_SPACE of NHWC tensors with block size b
 * (TFLite reference_ops::SpaceToDepth / DepthToSpace): each b x b block of pixels of the
 * spatial side is one pixel of the depth side, its C-channel pixels laid out one after the
 * other in row-major block order (depth channel (bh * b + bw) * C + c). Both directions and
 * both dtypes share one element-size-generic copy of C-element runs. Values only: no
 * allocation, no I/O; libc memcpy only. */
#include <string.h>

#include "kernels.h"
#include "kernels_int.h"

/* `space` is the side with b times the height and width, `depth` the one with b*b times the
 * channels; 1 when their dims agree. */
static int block_ok(int32_t b, const tsk_dims *space, const tsk_dims *depth)
{
    return b >= 1 && tsk_dims_count(space) >= 0 && tsk_dims_count(depth) >= 0 &&
           space->n == depth->n && space->h == depth->h * b && space->w == depth->w * b &&
           depth->c == space->c * b * b;
}

/* Copies every C-element run between the two sides; to_depth picks the direction. */
static tsk_status move_blocks(int32_t b, const tsk_dims *space, const tsk_dims *depth,
                              const void *in, void *out, size_t elem, int to_depth)
{
    const size_t run = (size_t)space->c * elem;
    const unsigned char *src = in;
    unsigned char *dst = out;

    if (in == 0 || out == 0 || !block_ok(b, space, depth))
        return TSK_ERR_ARG;
    for (int32_t n = 0; n < space->n; n++)
        for (int32_t h = 0; h < space->h; h++)
            for (int32_t w = 0; w < space->w; w++) {
                size_t s = (((size_t)n * (size_t)space->h + (size_t)h) * (size_t)space->w +
                            (size_t)w) * run;
                size_t d = (((size_t)n * (size_t)depth->h + (size_t)(h / b)) *
                                (size_t)depth->w + (size_t)(w / b)) * run * (size_t)(b * b) +
                           (size_t)((h % b) * b + w % b) * run;
                memcpy(to_depth ? dst + d : dst + s, to_depth ? src + s : src + d, run);
            }
    return TSK_OK;
}

tsk_status tsk_space_to_depth_s8(const tsk_block_params *p, const tsk_dims *in_dims,
                                 const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    return p && in_dims && out_dims ? move_blocks(p->block, in_dims, out_dims, in, out, 1, 1)
                                    : TSK_ERR_ARG;
}

tsk_status tsk_space_to_depth_f32(const tsk_block_params *p, const tsk_dims *in_dims,
                                  const float *in, const tsk_dims *out_dims, float *out)
{
    return p && in_dims && out_dims ? move_blocks(p->block, in_dims, out_dims, in, out, 4, 1)
                                    : TSK_ERR_ARG;
}

tsk_status tsk_depth_to_space_s8(const tsk_block_params *p, const tsk_dims *in_dims,
                                 const int8_t *in, const tsk_dims *out_dims, int8_t *out)
{
    return p && in_dims && out_dims ? move_blocks(p->block, out_dims, in_dims, in, out, 1, 0)
                                    : TSK_ERR_ARG;
}

tsk_status tsk_depth_to_space_f32(const tsk_block_params *p, const tsk_dims *in_dims,
                                  const float *in, const tsk_dims *out_dims, float *out)
{
    return p && in_dims && out_dims ? move_blocks(p->block, out_dims, in_dims, in, out, 4, 0)
                                    : TSK_ERR_ARG;
}
