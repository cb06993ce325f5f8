/* tests/unit/kernels/perf_conv.c: stand-alone throughput probe for tsk_conv2d_s8 (not a
 * Criterion test, not registered with ctest). Prints GMAC/s for a MobileNet-like 1x1
 * pointwise conv and a 3x3 conv. Test-side program: may print; must not be linked into
 * libraries. Usage: perf_conv [repeats] */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernels/kernels.h"

typedef struct perf_case {
    const char *name;
    tsk_dims in, filter, out;
    tsk_hw stride, padding;
} perf_case;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int8_t *random_s8(size_t n, uint32_t *seed)
{
    int8_t *p = malloc(n);
    size_t i;
    for (i = 0; p != NULL && i < n; i++) {
        *seed = *seed * 1664525u + 1013904223u;
        p[i] = (int8_t)(*seed >> 24);
    }
    return p;
}

static int run_case(const perf_case *pc, int repeats, tsk_rounding rounding)
{
    uint32_t seed = 1234;
    size_t n_in = (size_t)pc->in.n * pc->in.h * pc->in.w * pc->in.c;
    size_t n_f = (size_t)pc->filter.n * pc->filter.h * pc->filter.w * pc->filter.c;
    size_t n_out = (size_t)pc->out.n * pc->out.h * pc->out.w * pc->out.c;
    int8_t *in = random_s8(n_in, &seed), *filter = random_s8(n_f, &seed), *out = malloc(n_out);
    int32_t mult = 1 << 30, shift = -8;
    tsk_quant q = {&mult, &shift, 1};
    tsk_conv_params p = {pc->stride, pc->padding, {1, 1}, 3, -2, {-128, 127}, (int32_t)rounding};
    int32_t need = tsk_conv2d_s8_scratch_size(&pc->in, &pc->filter, &pc->out);
    void *scratch = malloc((size_t)need);
    tsk_ctx ctx = {scratch, need};
    double macs = (double)n_out * pc->filter.h * pc->filter.w * pc->filter.c;
    double best = 1e30;
    int r, rc = 0;
    for (r = 0; r < repeats && in && filter && out && scratch; r++) {
        double t0 = now_s();
        if (tsk_conv2d_s8(&ctx, &p, &q, &pc->in, in, &pc->filter, filter, NULL, &pc->out, out) !=
            TSK_OK) {
            rc = 1;
            break;
        }
        t0 = now_s() - t0;
        best = t0 < best ? t0 : best;
    }
    printf("%-34s %-6s %8.1f MMAC  best %8.3f ms  %6.2f GMAC/s\n", pc->name,
           rounding == TSK_ROUND_SINGLE ? "single" : "double", macs / 1e6, best * 1e3,
           macs / best / 1e9);
    free(in);
    free(filter);
    free(out);
    free(scratch);
    return rc;
}

int main(int argc, char **argv)
{
    static const perf_case cases[] = {
        {"1x1 conv 28x28x128 -> 128 (MBv1)", {1, 28, 28, 128}, {128, 1, 1, 128},
         {1, 28, 28, 128}, {1, 1}, {0, 0}},
        {"1x1 conv 14x14x512 -> 512 (MBv1)", {1, 14, 14, 512}, {512, 1, 1, 512},
         {1, 14, 14, 512}, {1, 1}, {0, 0}},
        {"3x3 conv 56x56x32 -> 64, pad 1", {1, 56, 56, 32}, {64, 3, 3, 32}, {1, 56, 56, 64},
         {1, 1}, {1, 1}},
        {"3x3 conv s2 224x224x3 -> 32 (stem)", {1, 224, 224, 3}, {32, 3, 3, 3},
         {1, 112, 112, 32}, {2, 2}, {0, 0}},
    };
    int repeats = argc > 1 ? atoi(argv[1]) : 5;
    size_t i;
    int rc = 0;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc |= run_case(&cases[i], repeats, TSK_ROUND_SINGLE);
        rc |= run_case(&cases[i], repeats, TSK_ROUND_DOUBLE);
    }
    return rc;
}
