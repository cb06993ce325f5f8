/* bench_systolic.c: `bench_systolic [--min-seconds S]`: wall-clock time of the systolic
 * timing model (sim/unit/systolic_model.h) per network, on SCALE-Sim's shipped configuration
 * (32x32 os, 64 kB buffers, CALC), and of a design sweep (array 8/16/32 x os/ws/is x buffers
 * 16/64/256 kB) over MobileNetV1-0.25 96x96. SCALE-Sim v2 takes 3-8 s for MobileNetV1-0.25
 * 96x96 on 32x32 (issue 9); the speed-up column divides 3 s by tinysim's CPU time.
 * Networks: tinysim's generated MLPerf Tiny models, mapped as `tinysim systolic --model`
 * maps them (depthwise per channel), MobileNetV1 again with depthwise written the way
 * SCALE-Sim topologies usually write it (one conv with Channels 1 and Num Filter C), and
 * AlexNet's SCALE-Sim topology when ../shared is present. Layer: bench/ (prints). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "bench_common.h"
#include "gen/gen.h"
#include "unit/systolic_files.h"

#define SCALESIM_MOBILENET_S 3.0 /* the low end of issue 9's 3-8 s */

static const ts_systolic_array scale_cfg = {
    32, 32, TS_SYSTOLIC_OS, {65536, 65536, 65536}, {0, 10000000, 20000000}, 10, 0};

/* Evaluates every row once; returns the total cycles (so the work is not optimised away). */
static uint64_t run_net(ts_systolic_ctx *ctx, const ts_systolic_array *a,
                        const ts_systolic_topology *t)
{
    uint64_t cycles = 0;
    ts_systolic_result r;
    ts_err err;

    for (size_t i = 0; i < t->n; i++) {
        ts_err_clear(&err);
        if (ts_systolic_eval(ctx, a, &t->rows[i].layer, &r, &err)) {
            fprintf(stderr, "bench_systolic: %s\n", err.msg);
            exit(1);
        }
        ts_systolic_result_repeat(&r, t->rows[i].instances);
        cycles += r.total_cycles;
    }
    return cycles;
}

/* Seconds of this process's CPU time: on a shared machine the wall clock also counts the
 * time other processes hold the cores. */
static double cpu_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU and wall seconds per evaluation of the whole network, repeated for >= min_s CPU. */
static double time_net(const ts_systolic_array *a, const ts_systolic_topology *t, double min_s,
                       uint64_t *cycles, double *wall_s)
{
    ts_systolic_ctx ctx;
    double c0 = cpu_now_s(), w0 = bench_now_s(), el;
    long reps = 0;

    ts_systolic_ctx_init(&ctx);
    do {
        *cycles = run_net(&ctx, a, t);
        reps++;
    } while ((el = cpu_now_s() - c0) < min_s);
    ts_systolic_ctx_fini(&ctx);
    *wall_s = (bench_now_s() - w0) / (double)reps;
    return el / (double)reps;
}

static int load_generated(const char *spec, ts_systolic_topology *t)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_model *m = NULL;
    ts_err err;
    int rc = 0;

    ts_err_clear(&err);
    if (ts_gen_spec_bytes(spec, 1, &bytes, &len, &err) ||
        ts_model_load_buffer(bytes, len, spec, &m, &err) ||
        ts_systolic_topology_from_model(m, t, &err)) {
        fprintf(stderr, "bench_systolic: %s\n", err.msg);
        rc = 1;
    }
    ts_model_free(m);
    ts_free(bytes);
    return rc;
}

/* Rewrites per-channel depthwise rows as SCALE-Sim topologies usually encode depthwise:
 * one convolution with 1 input channel and C filters (same MACs, one fold set). */
static void scalesim_depthwise(ts_systolic_topology *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].instances > 1) {
            t->rows[i].layer.filters *= t->rows[i].instances;
            t->rows[i].instances = 1;
        }
}

static void report(const char *name, const ts_systolic_topology *t, double min_s)
{
    uint64_t cycles = 0;
    double wall = 0, s = time_net(&scale_cfg, t, min_s, &cycles, &wall);

    printf("%-34s %6zu %14llu %12.1f %12.1f %12.0fx\n", name, t->n, (unsigned long long)cycles,
           s * 1e6, wall * 1e6, SCALESIM_MOBILENET_S / s);
}

/* 3 array sizes x 3 dataflows x 3 buffer sizes over one network; returns seconds. */
static double sweep(const ts_systolic_topology *t)
{
    static const uint32_t sizes[] = {8, 16, 32};
    static const uint64_t kb[] = {16, 64, 256};
    double t0 = cpu_now_s();
    uint64_t sink = 0;
    ts_systolic_ctx ctx;

    ts_systolic_ctx_init(&ctx);
    for (int s = 0; s < 3; s++)
        for (int df = 0; df < TS_SYSTOLIC_N_DATAFLOWS; df++)
            for (int b = 0; b < 3; b++) {
                ts_systolic_array a = scale_cfg;

                a.rows = a.cols = sizes[s];
                a.dataflow = (ts_systolic_dataflow)df;
                a.sram_words[0] = a.sram_words[1] = a.sram_words[2] = kb[b] * 1024;
                sink += run_net(&ctx, &a, t);
            }
    ts_systolic_ctx_fini(&ctx);
    if (sink == 0)
        printf("(no cycles)\n");
    return cpu_now_s() - t0;
}

int main(int argc, char **argv)
{
    static const char *const specs[] = {"mobilenet_v1_025", "ds_cnn", "resnet8",
                                        "fc_autoencoder"};
    double min_s = argc == 3 && strcmp(argv[1], "--min-seconds") == 0 ? atof(argv[2]) : 0.5;
    ts_systolic_topology t;
    ts_err err;

    printf("systolic model, 32x32 os, 64 kB buffers, CALC (SCALE-Sim's configs/scale.cfg)\n");
    printf("%-34s %6s %14s %12s %12s %13s\n", "network", "layers", "cycles", "cpu us/net",
           "wall us/net", "cpu vs 3 s");
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        if (load_generated(specs[i], &t))
            return 1;
        report(specs[i], &t, min_s);
        if (i == 0) {
            scalesim_depthwise(&t);
            report("mobilenet_v1_025 (dw as C filters)", &t, min_s);
            printf("%-34s %.3f s CPU for 27 designs (8/16/32 x os/ws/is x 16/64/256 kB)\n",
                   "  sweep over it", sweep(&t));
        }
        ts_systolic_topology_free(&t);
    }
    ts_err_clear(&err);
    if (ts_systolic_topology_read(TS_SHARED_DIR "/reference/scalesim/topologies/alexnet.csv", &t,
                                  &err) == TS_OK) {
        report("alexnet (SCALE-Sim topology)", &t, min_s);
        ts_systolic_topology_free(&t);
    }
    return 0;
}
