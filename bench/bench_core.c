/* bench_core.c: speed of the emulated core. Runs the int8 dot-product firmware (tests/fw/dot.c,
 * built for cortex-m4) with full cycle accounting, with exact memory hooks, and bare (Unicorn
 * with no timing hooks) in the same process; prints MIPS for each and the slowdown of full
 * accounting against bare (goal: <= 2x). Then the same for one inference of each MLPerf Tiny
 * model in SHARED/models (the kernel firmware as `tinysim bench` runs it; the time of
 * ts_engine_run on a fresh engine, best of N). Not a test: timings depend on the machine.
 * Usage: bench_core [FIRMWARE.elf] [--repeat N] [--target NAME] [--shared DIR] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/base/alloc.h"
#include "../sim/engine/engine.h"
#include "../sim/exec/exec.h"
#include "../sim/model/model.h"
#include "bench_common.h"
#include "bench_engine.h"

/* Best-of-`repeat` wall time of one run; fills *s. Returns a negative time on error. */
static double time_run(const ts_target *t, const char *elf, ts_core_config cfg, int repeat,
                       ts_core_stats *s)
{
    double best = 1e30;
    ts_err err;

    for (int i = 0; i < repeat; i++) {
        double t0 = bench_now_s(), dt;

        ts_err_clear(&err);
        if (ts_exec_file(t, elf, &cfg, s, &err)) {
            fprintf(stderr, "bench_core: %s\n", err.msg);
            return -1;
        }
        dt = bench_now_s() - t0;
        best = dt < best ? dt : best;
    }
    return best;
}

/* Best-of-`repeat` wall time of ts_engine_run on a fresh engine; *insns gets the instruction
 * count (0 when bare). Negative on error. */
static double time_model(const ts_target *t, const ts_model *m, ts_core_config cfg, int repeat,
                         uint64_t *insns)
{
    ts_engine_opts o = {0};
    double best = 1e30;
    ts_err err;

    o.core = cfg;
    o.kernels = t->has_dsp ? TS_KERNELS_SIMD : TS_KERNELS_REF;
    for (int i = 0; i < repeat; i++) {
        ts_engine *e = NULL;
        double t0;
        ts_status st;

        ts_err_clear(&err);
        st = ts_engine_open(t, ts_model_graph(m), ts_model_source(m), &o, &e, &err);
        if (!st)
            st = bench_fill_inputs(e, &err);
        t0 = bench_now_s();
        if (!st)
            st = ts_engine_run(e, &err);
        t0 = bench_now_s() - t0;
        best = t0 < best ? t0 : best;
        if (!st)
            *insns = ts_engine_totals_get(e)->cost.insns;
        ts_engine_close(e);
        if (st) {
            fprintf(stderr, "bench_core: %s\n", err.msg);
            return -1;
        }
    }
    return best;
}

/* The MLPerf Tiny models on t: accounted vs bare, and the ratio over all of them. */
static int bench_models(const ts_target *t, const char *dir, int repeat)
{
    double sum_full = 0, sum_bare = 0;
    uint64_t sum_insns = 0;
    int fails = 0;

    printf("\nmodels on %s (%s kernels, one inference, engine run only):\n", t->name,
           t->has_dsp ? "simd" : "ref");
    printf("%-22s %10s %10s %10s %10s %9s\n", "model", "M insns", "bare s", "full s",
           "full MIPS", "slowdown");
    for (size_t i = 0; i < N_MLPERF_MODELS; i++) {
        char path[4096];
        ts_model *m = NULL;
        ts_core_config cfg = {0};
        uint64_t insns = 0, none = 0;
        ts_err err;

        ts_err_clear(&err);
        snprintf(path, sizeof path, "%s/models/%s.tflite", dir, mlperf_models[i]);
        if (ts_model_load_file(path, &m, &err) != TS_OK) {
            printf("%-22s skipped: %s\n", mlperf_models[i], err.msg);
            continue;
        }
        double tf = time_model(t, m, cfg, repeat, &insns);
        cfg.bare = true;
        double tb = time_model(t, m, cfg, repeat, &none);
        ts_model_free(m);
        if (tf < 0 || tb < 0) {
            fails++;
            continue;
        }
        sum_full += tf, sum_bare += tb, sum_insns += insns;
        printf("%-22s %10.1f %10.3f %10.3f %10.1f %8.2fx\n", mlperf_models[i],
               (double)insns / 1e6, tb, tf, (double)insns / 1e6 / tf, tf / tb);
    }
    if (sum_bare > 0)
        printf("%-22s %10.1f %10.3f %10.3f %10.1f %8.2fx\n", "all", (double)sum_insns / 1e6,
               sum_bare, sum_full, (double)sum_insns / 1e6 / sum_full, sum_full / sum_bare);
    return fails;
}

int main(int argc, char **argv)
{
    const char *elf = TS_BENCH_FW, *name = "cortex-m4", *dir = TS_SHARED_DIR;
    char path[1024];
    int repeat = 5;
    ts_target t;
    ts_core_stats full, exact, fast, bare;
    ts_core_config cfg = {0};
    ts_err err;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--shared") == 0 && i + 1 < argc)
            dir = argv[++i];
        else
            elf = argv[i];
    }
    ts_err_clear(&err);
    if (ts_target_resolve(name, NULL, path, sizeof path, &err) || ts_target_load(path, &t, &err)) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        return 2;
    }
    double tf = time_run(&t, elf, cfg, repeat, &full);
    if (tf < 0) {
        printf("firmware      %s does not run on %s: skipped\n", elf, t.name);
        return bench_models(&t, dir, repeat) ? 1 : 0;
    }
    cfg.exact_mem = true;
    double te = time_run(&t, elf, cfg, repeat, &exact);
    cfg.exact_mem = false;
    cfg.fast_mem = true;
    double tq = time_run(&t, elf, cfg, repeat, &fast);
    cfg.fast_mem = false;
    cfg.bare = true;
    double tb = time_run(&t, elf, cfg, repeat, &bare);
    if (te < 0 || tq < 0 || tb < 0)
        return 1;
    double mi = (double)full.insns / 1e6;
    printf("firmware      %s on %s: %.1f M instructions, %.1f M cycles (CPI %.2f)\n", elf, t.name,
           mi, (double)full.cycles / 1e6, (double)full.cycles / (double)full.insns);
    printf("bare          %7.1f MIPS (%.3f s)\n", mi / tb, tb);
    printf("accounted     %7.1f MIPS (%.3f s)  slowdown %.2fx vs bare (flash loads replayed, "
           "no memory hooks)\n", mi / tf, tf, tf / tb);
    printf("fast memory   %7.1f MIPS (%.3f s)  slowdown %.2fx vs bare (no memory hooks, %.1f M "
           "cycles)\n", mi / tq, tq, tq / tb, (double)fast.cycles / 1e6);
    printf("exact memory  %7.1f MIPS (%.3f s)  slowdown %.2fx vs bare\n", mi / te, te, te / tb);
    return bench_models(&t, dir, repeat) ? 1 : 0;
}
