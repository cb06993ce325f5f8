/* bench_core.c: speed of the emulated core. Runs the int8 dot-product firmware (tests/fw/dot.c,
 * built for cortex-m4) with full cycle accounting, with exact memory hooks, and bare (Unicorn
 * with no timing hooks) in the same process; prints MIPS for each and the slowdown of full
 * accounting against bare (goal: <= 2x). Not a test: timings depend on the machine.
 * Usage: bench_core [FIRMWARE.elf] [--repeat N] [--target NAME] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../sim/exec/exec.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Best-of-`repeat` wall time of one run; fills *s. Returns a negative time on error. */
static double time_run(const ts_target *t, const char *elf, ts_core_config cfg, int repeat,
                       ts_core_stats *s)
{
    double best = 1e30;
    ts_err err;

    for (int i = 0; i < repeat; i++) {
        double t0 = now_s();

        ts_err_clear(&err);
        if (ts_exec_file(t, elf, &cfg, s, &err)) {
            fprintf(stderr, "bench_core: %s\n", err.msg);
            return -1;
        }
        if (now_s() - t0 < best)
            best = now_s() - t0;
    }
    return best;
}

int main(int argc, char **argv)
{
    const char *elf = TS_BENCH_FW, *name = "cortex-m4";
    char path[1024];
    int repeat = 3;
    ts_target t;
    ts_core_stats full, exact, fast, bare;
    ts_core_config cfg = {0};
    ts_err err;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
            name = argv[++i];
        else
            elf = argv[i];
    }
    ts_err_clear(&err);
    if (ts_target_resolve(name, NULL, path, sizeof path, &err) || ts_target_load(path, &t, &err)) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        return 2;
    }
    double tf = time_run(&t, elf, cfg, repeat, &full);
    cfg.exact_mem = true;
    double te = time_run(&t, elf, cfg, repeat, &exact);
    cfg.exact_mem = false;
    cfg.fast_mem = true;
    double tq = time_run(&t, elf, cfg, repeat, &fast);
    cfg.fast_mem = false;
    cfg.bare = true;
    double tb = time_run(&t, elf, cfg, repeat, &bare);
    if (tf < 0 || te < 0 || tq < 0 || tb < 0)
        return 1;
    double mi = (double)full.insns / 1e6;
    printf("firmware      %s on %s: %.1f M instructions, %.1f M cycles (CPI %.2f)\n", elf, t.name,
           mi, (double)full.cycles / 1e6, (double)full.cycles / (double)full.insns);
    printf("bare          %7.1f MIPS (%.3f s)\n", mi / tb, tb);
    printf("accounted     %7.1f MIPS (%.3f s)  slowdown %.2fx vs bare (flash loads replayed, no memory hooks)\n", mi / tf, tf, tf / tb);
    printf("fast memory   %7.1f MIPS (%.3f s)  slowdown %.2fx vs bare (no memory hooks, %.1f M "
           "cycles)\n", mi / tq, tq, tq / tb, (double)fast.cycles / 1e6);
    printf("exact memory  %7.1f MIPS (%.3f s)  slowdown %.2fx vs bare\n", mi / te, te, te / tb);
    return 0;
}
