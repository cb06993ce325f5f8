/* bench_host.c: `bench_host [--repeats N] [--shared DIR]`: wall-clock speed of the host
 * reference executor (sim/ref) on the four MLPerf Tiny models in DIR/models: ms per
 * inference, MMAC/s over the whole model, and GMAC/s of the int8 CONV_2D ops alone (plus
 * DEPTHWISE_CONV_2D and FULLY_CONNECTED). Layer: bench/ (prints, exits). Host timing only:
 * nothing here models a target. MACs come from ts_op_macs. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "bench_common.h"
#include "cli.h"
#include "model/model.h"
#include "ref/ref.h"

enum { K_CONV, K_DW, K_FC, K_OTHER, K_N };

typedef struct stats {
    double sec[K_N];    /* seconds per class of op, summed over repeats */
    uint64_t macs[K_N]; /* MACs per class of op, one inference */
    double total_sec;
} stats;

static int op_class(const ts_ref_op *ro)
{
    if (ro->dtype != TS_DT_INT8)
        return K_OTHER;
    if (ro->kind == TS_OP_CONV_2D)
        return K_CONV;
    if (ro->kind == TS_OP_DEPTHWISE_CONV_2D)
        return K_DW;
    return ro->kind == TS_OP_FULLY_CONNECTED ? K_FC : K_OTHER;
}

/* Deterministic pseudo-random input bytes (xorshift32), so values are not all zero. */
static void fill_inputs(ts_ref *r)
{
    uint32_t s = 0x9e3779b9u;

    for (int32_t i = 0; i < ts_ref_n_inputs(r); i++) {
        ts_ref_io io;
        uint8_t *buf;
        ts_ref_input_info(r, i, &io);
        buf = ts_malloc(io.size_bytes + 1);
        if (!buf)
            continue;
        for (size_t k = 0; k < io.size_bytes; k++) {
            s ^= s << 13, s ^= s >> 17, s ^= s << 5;
            buf[k] = (uint8_t)(s >> 24);
        }
        if (io.dtype == TS_DT_FLOAT32)
            memset(buf, 0, io.size_bytes);
        ts_ref_set_input(r, i, buf, io.size_bytes, NULL);
        ts_free(buf);
    }
}

/* One timed inference, op by op. */
static ts_status timed_invoke(ts_ref *r, const ts_graph *g, stats *st, ts_err *err)
{
    double t0 = bench_now_s();

    ts_ref_stage_inputs(r);
    for (int32_t k = 0; k < g->n_ops; k++) {
        double a = bench_now_s();
        ts_status s = ts_ref_invoke_op(r, k, err);
        if (s != TS_OK)
            return s;
        st->sec[op_class(ts_ref_op_at(r, k))] += bench_now_s() - a;
    }
    st->total_sec += bench_now_s() - t0;
    return TS_OK;
}

static void report(const char *name, const stats *st, int repeats, stats *all)
{
    uint64_t macs = 0;
    double per = st->total_sec / repeats;

    for (int c = 0; c < K_N; c++) {
        macs += st->macs[c];
        all->macs[c] += st->macs[c] * (uint64_t)repeats;
        all->sec[c] += st->sec[c];
    }
    all->total_sec += st->total_sec;
    printf("%-22s %10.3f %12.1f %10.1f", name, per * 1e3, (double)macs / 1e6,
           (double)macs / per / 1e6);
    for (int c = 0; c < K_OTHER; c++)
        if (st->macs[c])
            printf(" %9.2f", (double)st->macs[c] * repeats / st->sec[c] / 1e9);
        else
            printf(" %9s", "-");
    printf("\n");
}

static int bench_model(const char *dir, const char *name, int repeats, stats *all)
{
    char path[4096];
    ts_model *m = NULL;
    ts_ref *r = NULL;
    stats st;
    ts_err err;
    ts_status s = TS_OK;

    memset(&st, 0, sizeof st);
    ts_err_clear(&err);
    snprintf(path, sizeof path, "%s/models/%s.tflite", dir, name);
    if (ts_model_load_file(path, &m, &err) != TS_OK) {
        printf("%-22s skipped: %s\n", name, err.msg);
        return 0;
    }
    if ((s = ts_ref_prepare(m, &r, &err)) == TS_OK) {
        const ts_graph *g = ts_model_graph(m);
        for (int32_t k = 0; k < g->n_ops; k++)
            st.macs[op_class(ts_ref_op_at(r, k))] += ts_op_macs(g, &g->ops[k]);
        fill_inputs(r);
        s = ts_ref_invoke(r, &err); /* warm-up */
        memset(st.sec, 0, sizeof st.sec);
        for (int i = 0; i < repeats && s == TS_OK; i++)
            s = timed_invoke(r, g, &st, &err);
    }
    if (s == TS_OK)
        report(name, &st, repeats, all);
    else
        fprintf(stderr, "bench_host: %s\n", err.msg);
    ts_ref_free(r);
    ts_model_free(m);
    return s == TS_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *dir = TS_SHARED_DIR;
    int repeats = 20, fails = 0;
    stats all;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--repeats") && i + 1 < argc && atoi(argv[i + 1]) > 0)
            repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--shared") && i + 1 < argc)
            dir = argv[++i];
        else {
            fprintf(stderr, "usage: bench_host [--repeats N] [--shared DIR]\n");
            return TS_EXIT_BAD_INPUT;
        }
    }
    memset(&all, 0, sizeof all);
    printf("host reference executor, %d timed inferences per model (after one warm-up)\n",
           repeats);
    printf("%-22s %10s %12s %10s %9s %9s %9s\n", "model", "ms/inf", "MMAC/inf", "MMAC/s",
           "conv GM/s", "dw GM/s", "fc GM/s");
    for (size_t i = 0; i < N_MLPERF_MODELS; i++)
        fails += bench_model(dir, mlperf_models[i], repeats, &all);
    if (all.macs[K_CONV])
        printf("int8 CONV_2D overall: %.2f GMAC/s (%.1f MMAC in %.3f s)\n",
               (double)all.macs[K_CONV] / all.sec[K_CONV] / 1e9,
               (double)all.macs[K_CONV] / 1e6, all.sec[K_CONV]);
    return fails ? TS_EXIT_FAIL : TS_EXIT_OK;
}
