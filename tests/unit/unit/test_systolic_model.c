/* test_systolic_model.c: the systolic timing model (sim/unit/systolic_model.c) against
 * SCALE-Sim v2's own reports (../shared/reference/scalesim, read at test time; skipped
 * visibly when absent), and small cases computed by hand here from SCALE-Sim's semantics as
 * the model's header comments state them (demand lines per fold, per-fold SRAM counts, the
 * 50-set turnover of its read-buffer estimator, fold-level double buffering). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/unit/systolic_files.h"

/* SCALE-Sim's shipped configs/scale.cfg, as the shared README states it. */
static ts_systolic_array scale_cfg(ts_systolic_dataflow df)
{
    ts_systolic_array a = {32, 32, df, {65536, 65536, 65536}, {0, 10000000, 20000000}, 10, 0};

    return a;
}

static ts_systolic_result eval(const ts_systolic_array *a, ts_systolic_layer l)
{
    ts_systolic_ctx ctx;
    ts_systolic_result r;
    ts_err err;

    ts_err_clear(&err);
    ts_systolic_ctx_init(&ctx);
    cr_assert_eq(ts_systolic_array_check(a, NULL, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_systolic_layer_check(&l, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_systolic_eval(&ctx, a, &l, &r, &err), TS_OK, "%s", err.msg);
    ts_systolic_ctx_fini(&ctx);
    return r;
}

/* ---- agreement with SCALE-Sim's reports --------------------------------------------- */

#define MAX_LAYERS 16
#define N_COLS 20

/* Reads a SCALE-Sim report's rows: cols[i][j] = column j of layer i; returns the row count. */
static int read_report(const char *path, double cols[MAX_LAYERS][N_COLS])
{
    FILE *f = fopen(path, "r");
    char line[2048];
    int n = -1;

    cr_assert_not_null(f, "cannot open %s", path);
    while (fgets(line, sizeof line, f) && n < MAX_LAYERS) {
        char *s = line;

        if (n++ < 0)
            continue; /* header */
        for (int j = 0; j < N_COLS && *s && *s != '\n'; j++) {
            cols[n - 1][j] = strtod(s, &s);
            while (*s == ',' || *s == ' ')
                s++;
        }
    }
    fclose(f);
    return n;
}

static const char *shared_scalesim(char *buf, size_t cap, const char *rel)
{
    const char *d = getenv("TS_SHARED_DIR");
    FILE *f;

    snprintf(buf, cap, "%s/reference/scalesim/%s", d ? d : "", rel);
    if (!d || !(f = fopen(buf, "r")))
        return NULL;
    fclose(f);
    return buf;
}

static void expect_within(const char *what, const char *layer, double got, double want,
                          double tol)
{
    double rel = want == 0 ? fabs(got) : fabs(got - want) / want;

    cr_expect_leq(rel, tol, "%s %s: tinysim %.0f, SCALE-Sim %.0f (%.2f %% off)", layer, what,
                  got, want, 100 * rel);
}

/* Per layer: total cycles, SRAM reads per buffer, SRAM ofmap writes and DRAM reads within
 * 2 %. What remains (measured with this commit, os 32x32, 64 kB buffers):
 * - cycles, SRAM counts, utilisation, mapping efficiency: exact.
 * - DRAM filter reads: exact (each filter block is one contiguous run per filter column, and
 *   the turnover falls at the same address whatever the order inside the block).
 * - DRAM ifmap reads: AlexNet Conv2-5 and Inception-5b within 0.5 %: tinysim inserts a fold's
 *   addresses window column by window column for all pixels, where SCALE-Sim's skewed stream
 *   is offset by one entry per PE row, so the addresses split slightly differently between
 *   the two sides of a turnover. AlexNet Conv1 is 1.4 % high (527,043 vs 519,810): an
 *   address-exact replay of SCALE-Sim's skewed os stream through the same 32,750-address
 *   turnover set gives 527,247, so the gap is not the fold-level approximation; it is in the
 *   reference run itself (its 3-channel, stride-4 windows), which this replay of the v2
 *   sources does not reproduce. */
static void agree(const char *topo_rel, const char *run_rel)
{
    char p[1024], q[1024];
    double comp[MAX_LAYERS][N_COLS], det[MAX_LAYERS][N_COLS];
    ts_systolic_topology t;
    ts_systolic_array a = scale_cfg(TS_SYSTOLIC_OS);
    ts_err err;

    if (!shared_scalesim(p, sizeof p, topo_rel))
        cr_skip_test("SCALE-Sim reference reports not found (TS_SHARED_DIR=%s): skipped",
                     getenv("TS_SHARED_DIR") ? getenv("TS_SHARED_DIR") : "unset");
    ts_err_clear(&err);
    cr_assert_eq(ts_systolic_topology_read(p, &t, &err), TS_OK, "%s", err.msg);
    snprintf(q, sizeof q, "%s/COMPUTE_REPORT.csv", run_rel);
    cr_assert_eq(read_report(shared_scalesim(p, sizeof p, q), comp), (int)t.n);
    snprintf(q, sizeof q, "%s/DETAILED_ACCESS_REPORT.csv", run_rel);
    cr_assert_eq(read_report(shared_scalesim(p, sizeof p, q), det), (int)t.n);
    for (size_t i = 0; i < t.n; i++) {
        ts_systolic_result r = eval(&a, t.rows[i].layer);
        const char *name = t.rows[i].name;

        expect_within("total cycles", name, (double)r.total_cycles, comp[i][1], 0.02);
        expect_within("stall cycles", name, (double)r.stall_cycles, comp[i][2], 0.0);
        expect_within("SRAM ifmap reads", name, (double)r.sram_reads[0], det[i][3], 0.02);
        expect_within("SRAM filter reads", name, (double)r.sram_reads[1], det[i][6], 0.02);
        expect_within("SRAM ofmap writes", name, (double)r.sram_ofmap_writes, det[i][9], 0.02);
        expect_within("DRAM ifmap reads", name, (double)r.dram_reads[0], det[i][12], 0.02);
        expect_within("DRAM filter reads", name, (double)r.dram_reads[1], det[i][15], 0.02);
        expect_within("mapping efficiency", name, r.mapping_eff_pct, comp[i][4], 1e-9);
    }
    ts_systolic_topology_free(&t);
}

Test(systolic_model, agrees_with_scalesim_on_alexnet_conv_layers_os_32x32)
{
    agree("topologies/alexnet.csv", "v2_alexnet_32x32_os");
}

Test(systolic_model, agrees_with_scalesim_on_inception5b_3x3_os_32x32)
{
    agree("topologies/test_inc5b.csv", "v2_test_inc5b_32x32_os");
}

/* ---- small cases by hand ------------------------------------------------------------- */

/* ifmap 3x3x2, 2x2 filters, 3 of them, stride 1: ofmap 2x2, so GEMM M = 4, K = 8, N = 3.
 * 4x4 array, 1 kB buffers (a turnover every 50 * 10 = 500 addresses: none here). */
static const ts_systolic_layer small = {3, 3, 2, 2, 2, 3, 1};

static ts_systolic_array small_array(ts_systolic_dataflow df)
{
    ts_systolic_array a = {4, 4, df, {1024, 1024, 1024}, {0, 10000000, 20000000}, 10, 0};

    return a;
}

Test(systolic_model, weight_stationary_small_layer_matches_the_hand_count)
{
    ts_systolic_array a = small_array(TS_SYSTOLIC_WS);
    ts_systolic_result r = eval(&a, small);

    /* rows = K = 8 -> 2 row folds, cols = N = 3 -> 1 col fold, streamed T = M = 4;
     * 2R + C + T - 2 = 14 lines per fold, 2 folds, minus 1 */
    cr_expect_eq(r.total_cycles, 27);
    cr_expect_eq(r.stall_cycles, 0);
    cr_expect_eq(r.sram_reads[0], 32);       /* T x 4 used rows, per fold: 2 x 16 */
    cr_expect_eq(r.sram_reads[1], 24);       /* every weight once: K x N */
    cr_expect_eq(r.sram_ofmap_writes, 24);   /* T x 3 partial sums per K-fold, 2 K-folds */
    cr_expect_float_eq(r.mapping_eff_pct, 75.0, 1e-9);           /* 12 of 16 PEs */
    cr_expect_float_eq(r.compute_util_pct, 100.0 * 48 / (16 * 17), 1e-9); /* 2R+2C+T-3 */
    cr_expect_eq(r.dram_reads[0], 18);       /* the whole 3x3x2 ifmap, once */
    cr_expect_eq(r.dram_reads[1], 24);
    cr_expect_eq(r.dram_ofmap_writes, 24);
}

Test(systolic_model, input_stationary_small_layer_matches_the_hand_count)
{
    ts_systolic_array a = small_array(TS_SYSTOLIC_IS);
    ts_systolic_result r = eval(&a, small);

    /* rows = K = 8 -> 2 folds, cols = M = 4 -> 1 fold, T = N = 3: 2R + C + T - 2 = 13 */
    cr_expect_eq(r.total_cycles, 25);
    cr_expect_eq(r.sram_reads[0], 32);       /* every im2col entry once: M x K */
    cr_expect_eq(r.sram_reads[1], 24);       /* T x 4 rows per fold, 2 folds */
    cr_expect_eq(r.sram_ofmap_writes, 24);   /* T x 4 per K-fold */
    cr_expect_float_eq(r.mapping_eff_pct, 100.0, 1e-9);
    cr_expect_float_eq(r.compute_util_pct, 100.0 * 3 / 16, 1e-9); /* 16*3 / (16*16) */
    cr_expect_eq(r.dram_reads[0], 18);
    cr_expect_eq(r.dram_reads[1], 24);
}

Test(systolic_model, output_stationary_small_layer_counts_scalesims_extra_ofmap_writes)
{
    ts_systolic_array a = small_array(TS_SYSTOLIC_OS);
    ts_systolic_result r = eval(&a, small);

    /* one fold: T + R + C - 2 = 8 + 4 + 4 - 2 = 14 lines */
    cr_expect_eq(r.total_cycles, 13);
    cr_expect_eq(r.sram_reads[0], 32);
    cr_expect_eq(r.sram_reads[1], 24);
    cr_expect_eq(r.sram_ofmap_writes, 12 + 8); /* M x N, plus R + C per fold (SCALE-Sim) */
    cr_expect_eq(r.dram_ofmap_writes, 12);
    cr_expect_float_eq(r.compute_util_pct, 100.0 * 96 / 224, 1e-9);
}

/* 2x2x60 ifmap, 1x1 filters, 2 of them: M = 4, K = 60, N = 2 on a 2x1 os array with 200-word
 * buffers: a turnover every 50 * floor(200 / 100) = 100 addresses. Folds (fr, fc) in the
 * order (0,0) (1,0) (0,1) (1,1); 61 lines each. */
static const ts_systolic_layer tiny = {2, 2, 1, 1, 60, 2, 1};

static ts_systolic_array tiny_array(int user, double bw)
{
    ts_systolic_array a = {2, 1, TS_SYSTOLIC_OS, {200, 200, 200}, {0, 0, 0}, bw, user};

    return a;
}

Test(systolic_model, dram_reads_follow_the_50_set_turnover_of_the_read_buffer)
{
    ts_systolic_array a = tiny_array(0, 10);
    ts_systolic_result r = eval(&a, tiny);

    /* filter column 0 (60 words): 60 misses, then a hit pass; column 1: 40 misses fill the
     * set (turnover), its last 20 start the next set; the second pass misses words 0..39
     * again and hits 40..59: 60 + 0 + 60 + 40 */
    cr_expect_eq(r.dram_reads[1], 160);
    /* ifmap: each pass streams 240 distinct words through a 100-word set: all miss */
    cr_expect_eq(r.dram_reads[0], 480);
    cr_expect_eq(r.total_cycles, 4 * 61 - 1);
    cr_expect_eq(r.stall_cycles, 0); /* CALC: the interface is sized not to stall */
}

Test(systolic_model, a_user_bandwidth_stalls_folds_whose_refill_outlasts_the_previous_fold)
{
    ts_systolic_array a = tiny_array(1, 1.0);
    ts_systolic_result r = eval(&a, tiny);

    /* 1 word/cycle; fold f's misses are fetched during fold f-1 (fold 0's before cycle 0).
     * ifmap misses per fold 120, filter 60/0/60/40:
     * fold 1: ifmap fetch 0..120, nominal start 61 -> starts at 120 (59 stalls)
     * fold 2: ifmap fetch 120..240, filter 120..180, nominal 181 -> 240 (59)
     * fold 3: ifmap fetch 240..360, filter 240..280, nominal 301 -> 360 (59) */
    cr_expect_eq(r.stall_cycles, 177);
    cr_expect_eq(r.total_cycles, 4 * 61 - 1 + 177);
    cr_expect_eq(r.dram_reads[1], 160); /* the bandwidth moves words in time, not their count */

    a.bandwidth_words_per_cycle = 1000;
    cr_expect_eq(eval(&a, tiny).stall_cycles, 0);
}

Test(systolic_model, repeated_instances_scale_counts_and_keep_utilisation)
{
    ts_systolic_array a = small_array(TS_SYSTOLIC_OS);
    ts_systolic_result one = eval(&a, small), three = one;

    ts_systolic_result_repeat(&three, 3);
    cr_expect_eq(three.total_cycles, 3 * (one.total_cycles + 1) - 1);
    cr_expect_eq(three.sram_reads[0], 3 * one.sram_reads[0]);
    cr_expect_eq(three.dram_reads[1], 3 * one.dram_reads[1]);
    cr_expect_float_eq(three.mapping_eff_pct, one.mapping_eff_pct, 1e-12);
}

Test(systolic_model, array_check_rejects_zero_rows_small_buffers_and_negative_bandwidth)
{
    ts_systolic_array a = scale_cfg(TS_SYSTOLIC_OS);
    const char *key = NULL;
    ts_err err;

    a.rows = 0;
    ts_err_clear(&err);
    cr_expect_eq(ts_systolic_array_check(&a, &key, &err), TS_ERR_CONFIG);
    cr_expect_str_eq(key, "ArrayHeight");
    a = scale_cfg(TS_SYSTOLIC_OS);
    a.sram_words[TS_SYS_FILTER] = 2 * 32 * 32 - 1; /* one 32x32 tile per half: 2048 */
    ts_err_clear(&err);
    cr_expect_eq(ts_systolic_array_check(&a, &key, &err), TS_ERR_CONFIG);
    cr_expect_str_eq(key, "FilterSramSzkB");
    cr_expect(strstr(err.msg, "expected >= 2048 words, got 2047"), "%s", err.msg);
    a = scale_cfg(TS_SYSTOLIC_OS);
    a.bandwidth_words_per_cycle = -1;
    ts_err_clear(&err);
    cr_expect_eq(ts_systolic_array_check(&a, &key, &err), TS_ERR_CONFIG);
    cr_expect_str_eq(key, "Bandwidth");
}

#include "sim/gen/gen.h"

Test(systolic_model, a_depthwise_op_maps_per_channel_over_its_same_padded_input)
{
    ts_gen *g = NULL;
    ts_systolic_row row;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build("dwconv:8,8,4,3,3", 1, &g, &err), TS_OK, "%s", err.msg);
    const ts_graph *gr = ts_gen_graph(g);
    cr_assert_eq(ts_systolic_row_from_op("dw", gr, 0, &row, &err), TS_OK, "%s", err.msg);
    /* SAME, stride 1: 8x8 out from an input padded to 10x10; 4 channels, multiplier 1 */
    cr_expect_eq(row.layer.ifmap_h, 10);
    cr_expect_eq(row.layer.ifmap_w, 10);
    cr_expect_eq(row.layer.channels, 1);
    cr_expect_eq(row.layer.filters, 1);
    cr_expect_eq(row.instances, 4);
    ts_gen_free(g);
}
