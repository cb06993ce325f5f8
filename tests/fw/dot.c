/* dot.c: compute-heavy firmware for bench_core and the flash-traffic test: int8 dot products
 * of weights in flash (const) with activations in SRAM, the inner loop of a fully connected
 * layer. Prints the checksum through semihosting and exits 0. */
#include <stdint.h>

#include "semihost.h"

#ifndef N_ROWS
#define N_ROWS 64
#endif
#define N_COLS 256
#ifndef N_REPEAT
#define N_REPEAT 40
#endif

int main(void);

static const int8_t weights[N_ROWS][N_COLS] = {{1, -2, 3, -4}, {5, 6, 7, 8}};
static int8_t act[N_COLS];
static int32_t out[N_ROWS];

static int32_t dot(const int8_t *w, const int8_t *x, int n)
{
    int32_t acc = 0;

    for (int i = 0; i < n; i++)
        acc += (int32_t)w[i] * x[i];
    return acc;
}

static void hex(char *buf, uint32_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 15u];
    buf[8] = '\n';
    buf[9] = '\0';
}

int main(void)
{
    uint32_t sum = 0;
    char buf[10];

    for (int i = 0; i < N_COLS; i++)
        act[i] = (int8_t)(i * 7 - 100);
    for (int r = 0; r < N_REPEAT; r++)
        for (int i = 0; i < N_ROWS; i++) {
            out[i] = dot(weights[i], act, N_COLS) + r;
            sum = sum * 31u + (uint32_t)out[i];
        }
    hex(buf, sum);
    sh_puts(buf);
    return 0;
}
