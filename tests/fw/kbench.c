/* kbench.c: bare-metal firmware that runs one int8 layer from the cross-compiled kernel archive
 * (libtskernels_<core>.a) on an emulated core, to compare the plain kernels with the DSP (simd)
 * variants under `tinysim exec`. Compile-time switches:
 *   KB_OP   0 = CONV_2D 16x16x16 -> 16, 3x3, pad 1 (589,824 MACs)
 *           1 = DEPTHWISE_CONV_2D 16x16x32, 3x3, pad 1, multiplier 1 (73,728 MACs)
 *           2 = FULLY_CONNECTED 512 -> 64 (32,768 MACs)
 *   KB_MODE 0 = set-up only (baseline to subtract), 1 = plain kernel, 2 = simd kernel,
 *           3 = both, exit 1 unless their outputs are byte-identical.
 * All tensors live in SRAM and are filled by a fixed xorshift sequence, so a run's cycles are
 * set-up + kernel; cycles(kernel) = cycles(mode 1 or 2) - cycles(mode 0). Prints the output
 * checksum through semihosting. Test/bench firmware only: not part of any library. */
#include <stdint.h>

#include "../../kernels/kernels.h"
#include "semihost.h"

#ifndef KB_OP
#define KB_OP 0
#endif
#ifndef KB_MODE
#define KB_MODE 1
#endif

int main(void);

#define KB_H 16
#define KB_W 16
#if KB_OP == 0
#define KB_CIN    16
#define KB_COUT   16
#define KB_FILTER (KB_COUT * 3 * 3 * KB_CIN)
#elif KB_OP == 1
#define KB_CIN    32
#define KB_COUT   32
#define KB_FILTER (3 * 3 * KB_COUT)
#else
#define KB_CIN    512
#define KB_COUT   64
#define KB_FILTER (KB_COUT * KB_CIN)
#endif
#define KB_IN  (KB_OP == 2 ? KB_CIN : KB_H * KB_W * KB_CIN)
#define KB_OUT (KB_OP == 2 ? KB_COUT : KB_H * KB_W * KB_COUT)

static int8_t in[KB_IN];
static int8_t filter[KB_FILTER];
static int32_t bias[KB_COUT];
static int32_t mult[KB_COUT];
static int32_t shift[KB_COUT];
static int8_t out_a[KB_OUT];
#if KB_MODE == 3
static int8_t out_b[KB_OUT];
#endif

static uint32_t rng_state = 0x2545f491u;

static int8_t next_s8(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return (int8_t)(rng_state >> 24);
}

static void setup(void)
{
    for (int i = 0; i < KB_IN; i++)
        in[i] = next_s8();
    for (int i = 0; i < KB_FILTER; i++)
        filter[i] = next_s8();
    for (int i = 0; i < KB_COUT; i++) {
        bias[i] = (int32_t)next_s8() * 40;
        mult[i] = 1073741824 + i * 9000000; /* ~0.5..0.77 * 2^-k */
        shift[i] = KB_OP == 0 ? -9 : (KB_OP == 1 ? -6 : -9);
    }
}

#if KB_MODE != 0
static int32_t scratch[256]; /* 1 KiB, >= every kernel's query for these layers (max 720) */

/* Runs the layer with the plain (simd == 0) or the DSP variant into out. */
static tsk_status run(int simd, int8_t *out)
{
    tsk_ctx ctx = {scratch, (int32_t)sizeof scratch};
    tsk_quant q = {mult, shift, KB_COUT};
#if KB_OP == 0
    tsk_dims id = {1, KB_H, KB_W, KB_CIN}, fd = {KB_COUT, 3, 3, KB_CIN},
             od = {1, KB_H, KB_W, KB_COUT};
    tsk_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 5, -3, {-128, 127}, TSK_ROUND_SINGLE};
    return simd ? tsk_conv2d_s8_simd(&ctx, &p, &q, &id, in, &fd, filter, bias, &od, out)
                : tsk_conv2d_s8(&ctx, &p, &q, &id, in, &fd, filter, bias, &od, out);
#elif KB_OP == 1
    tsk_dims id = {1, KB_H, KB_W, KB_CIN}, fd = {1, 3, 3, KB_COUT}, od = {1, KB_H, KB_W, KB_COUT};
    tsk_dw_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 1, 5, -3, {-128, 127}, TSK_ROUND_SINGLE};
    return simd ? tsk_depthwise_conv2d_s8_simd(&ctx, &p, &q, &id, in, &fd, filter, bias, &od, out)
                : tsk_depthwise_conv2d_s8(&ctx, &p, &q, &id, in, &fd, filter, bias, &od, out);
#else
    tsk_dims id = {1, 1, 1, KB_CIN}, fd = {KB_COUT, 1, 1, KB_CIN}, od = {1, 1, 1, KB_COUT};
    tsk_fc_params p = {5, 0, -3, {-128, 127}, TSK_ROUND_SINGLE};
    return simd ? tsk_fully_connected_s8_simd(&ctx, &p, &q, &id, in, &fd, filter, bias, &od, out)
                : tsk_fully_connected_s8(&ctx, &p, &q, &id, in, &fd, filter, bias, &od, out);
#endif
}
#endif

static void put_hex(uint32_t v)
{
    char buf[10];
    for (int i = 7; i >= 0; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 15u];
    buf[8] = '\n';
    buf[9] = '\0';
    sh_puts(buf);
}

static uint32_t checksum(const int8_t *p, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

int main(void)
{
    setup();
    /* Compiler barrier: the tensors count as read here, so set-up is the same work in every
     * mode (mode 0 never reads them and would otherwise lose the fills as dead stores). */
    __asm__ volatile("" : : "r"(in), "r"(filter), "r"(bias), "r"(mult), "r"(shift) : "memory");
#if KB_MODE == 1 || KB_MODE == 2
    if (run(KB_MODE == 2, out_a) != TSK_OK) {
        sh_puts("kbench: kernel returned an error\n");
        return 2;
    }
#elif KB_MODE == 3
    if (run(0, out_a) != TSK_OK || run(1, out_b) != TSK_OK) {
        sh_puts("kbench: kernel returned an error\n");
        return 2;
    }
    for (int i = 0; i < KB_OUT; i++) {
        if (out_a[i] != out_b[i]) {
            sh_puts("kbench: ref and simd outputs differ\n");
            return 1;
        }
    }
    sh_puts("kbench: ref and simd outputs identical\n");
#endif
    put_hex(checksum(out_a, KB_OUT));
    return 0;
}
