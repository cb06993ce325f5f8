/* test_systolic_unit.c: the systolic-array unit behind the MMIO doorbell (sim/unit/systolic.c)
 * on cortex-m4-systolic (8x8 os): its estimate of a small conv layer equals SCALE-Sim's figures
 * worked out by hand (GEMM dimensions, folds, lines per fold) and ts_systolic_eval's, converted
 * to core cycles; a depthwise layer's utilisation collapses against a conv layer's; only conv,
 * depthwise and FC ops go to the array; outputs are bit-identical to the MCU classes' through
 * `tinysim compare`; bad array parameters are refused naming the JSON key. Skips visibly
 * without firmware. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <unistd.h>

#include "tests/unit/cli/cli_run.h"
#include "tests/unit/engine/engine_test.h"
#include "sim/unit/systolic_files.h"

/* A unit of class `name` on target t, with the op graph `spec` prepared (ref kernels). */
typedef struct rig {
    ts_gen *g;
    ts_ref *r;
    ts_platform *p;
    ts_unit *u;
} rig;

static void rig_open(rig *x, const ts_target *t, const char *spec)
{
    ts_core_config cc = {0};
    ts_err err;

    ts_err_clear(&err);
    memset(x, 0, sizeof *x);
    need_firmware(t);
    cr_assert_eq(ts_gen_build(spec, 1, &x->g, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare_graph(ts_gen_graph(x->g), spec, &x->r, &err), TS_OK, "%s",
                 err.msg);
    cr_assert_eq(ts_platform_open(t, NULL, TS_KERNELS_REF, &x->p, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_platform_boot(x->p, &cc, 0x20008000u, 2048, &err), TS_OK, "%s", err.msg);
    ts_unit_cfg cfg = {t, x->p, spec, 0x20000100u};
    cr_assert_eq(ts_unit_open("systolic", &cfg, &x->u, &err), TS_OK, "%s", err.msg);
}

static void rig_close(rig *x)
{
    ts_unit_close(x->u);
    ts_platform_close(x->p);
    ts_ref_free(x->r);
    ts_gen_free(x->g);
}

static ts_unit_cost estimate_op0(rig *x, const char *name)
{
    ts_unit_op op = {0, name, ts_ref_op_at(x->r, 0), 0};
    ts_unit_cost c;
    ts_err err;

    ts_err_clear(&err);
    cr_assert(ts_unit_supports(x->u, &op));
    cr_assert_eq(ts_unit_estimate(x->u, &op, &c, &err), TS_OK, "%s", err.msg);
    return c;
}

static ts_target systolic_target(const char *key, const char *value)
{
    ts_target t;
    ts_err err;

    ts_err_clear(&err);
    load_target_named("cortex-m4-systolic", &t);
    cr_assert_eq(ts_target_set(&t, "units.systolic.interface_bandwidth", "calc", &err), TS_OK,
                 "%s", err.msg);
    if (key)
        cr_assert_eq(ts_target_set(&t, key, value, &err), TS_OK, "%s", err.msg);
    return t;
}

/* conv 6x6x4 -> 6x6x10, 3x3 SAME, stride 1, on 8x8 os with CALC bandwidth (no stalls):
 * padded ifmap 8x8x4; GEMM M = 36 pixels, K = 3*3*4 = 36, N = 10; folds ceil(36/8) = 5 row x
 * ceil(10/8) = 2 col; lines per fold T + R + C - 2 = 36 + 14 = 50; total 10 * 50 - 1 = 499
 * (SCALE-Sim counts to the last line's service cycle); op set-up 100 (the target file). SRAM
 * (os): ifmap col_folds * K * M = 2 * 36 * 36 = 2592, filter row_folds * K * N = 5 * 36 * 10 =
 * 1800, ofmap 360 outputs. DRAM with 16 KB active halves: every address once: the padded
 * ifmap's 256 words (144 real bytes: 6x6x4), the 360 filter words, 360 outputs. */
Test(systolic_unit, a_conv_layers_estimate_is_scalesims_figures_by_hand)
{
    ts_target t = systolic_target(NULL, NULL);
    rig x;
    rig_open(&x, &t, "conv:6,6,4,10,3,3,1,same");
    const ts_ref_op *ro = ts_ref_op_at(x.r, 0);
    ts_unit_cost c = estimate_op0(&x, "CONV_2D");
    uint64_t stage = 4u * 10u + 8u * (uint64_t)ro->n_quant; /* bias + multiplier/shift */

    cr_expect_eq(c.unit.busy_cycles, 100 + 499);
    cr_expect_eq(c.cycles, 599, "the array runs at the core clock");
    cr_expect_eq(c.stall_cycles, 0);
    cr_expect_eq(c.unit.mac_ops, 36u * 36u * 10u);
    cr_expect_eq(c.unit.pe_cycles, 64u * 499u);
    cr_expect_eq(c.unit.local_read_bytes, 2592u + 1800u + 360u);
    cr_expect_eq(c.unit.local_write_bytes, 360u + 256u + 360u);
    cr_expect_eq(c.unit.dma_bytes, 144u + 360u + 360u + stage);
    cr_expect_eq(c.unit.alu_ops, 4u * 360u);
    rig_close(&x);
}

/* The same op through the model directly: the unit adds the set-up and converts the clock. */
Test(systolic_unit, the_estimate_is_ts_systolic_evals_result_at_the_core_clock)
{
    ts_target t = systolic_target("units.systolic.clock_hz", "240000000");
    ts_systolic_array a = {8, 8, TS_SYSTOLIC_OS, {32768, 32768, 16384}, {0, 0, 0}, 0.0, 0};
    ts_systolic_layer l = {8, 8, 3, 3, 4, 10, 1};
    ts_systolic_result r;
    ts_systolic_ctx ctx;
    ts_err err;
    rig x;

    ts_err_clear(&err);
    ts_systolic_ctx_init(&ctx);
    cr_assert_eq(ts_systolic_eval(&ctx, &a, &l, &r, &err), TS_OK, "%s", err.msg);
    ts_systolic_ctx_fini(&ctx);
    cr_assert_eq(r.total_cycles, 499);
    rig_open(&x, &t, "conv:6,6,4,10,3,3,1,same");
    ts_unit_cost c = estimate_op0(&x, "CONV_2D");
    cr_expect_eq(c.unit.busy_cycles, 100 + r.total_cycles, "unit cycles");
    cr_expect_eq(c.cycles, 300, "599 cycles at 240 MHz are 299.5 core cycles at 120 MHz");
    cr_expect_eq(c.unit.mac_ops, r.macs);
    cr_expect_eq(c.unit.local_read_bytes, r.sram_reads[0] + r.sram_reads[1] +
                                              r.dram_ofmap_writes);
    rig_close(&x);
}

/* ds_cnn (generated) run once on t; close with ts_engine_close and ts_gen_free. */
static ts_engine *run_ds_cnn(const ts_target *t, ts_gen **g)
{
    ts_engine *e = NULL;
    ts_err err;

    ts_err_clear(&err);
    need_firmware(t);
    cr_assert_eq(ts_gen_build("ds_cnn", 1, g, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_open(t, ts_gen_graph(*g), "ds_cnn", NULL, &e, &err), TS_OK, "%s",
                 err.msg);
    set_seeded_inputs(e, NULL, 1);
    cr_assert_eq(ts_engine_run(e, &err), TS_OK, "%s", err.msg);
    return e;
}

/* ds_cnn's depthwise layers (25x5x64, 3x3 SAME) run per channel: 64 runs of GEMM M = 125,
 * K = 9, N = 1: 16 row folds of 9 + 14 = 23 lines, 64 * 368 - 1 = 23551 array cycles for
 * 72,000 MACs: 72000 / (64 * 23551) = 4.8 % of the PE-cycles; a conv layer keeps most PEs busy. */
Test(systolic_unit, depthwise_layers_use_a_small_fraction_of_the_array_and_conv_layers_most)
{
    ts_target t = systolic_target(NULL, NULL);
    ts_gen *g = NULL;
    ts_engine *e = run_ds_cnn(&t, &g);
    double dw_util = 1.0, conv_util = 0.0;

    for (int32_t k = 0; k < ts_engine_n_layers(e); k++) {
        const ts_engine_layer *l = ts_engine_layer_at(e, k);
        const ts_unit_counters *u = &l->cost.unit;
        if (strcmp(l->name, "DEPTHWISE_CONV_2D") == 0) {
            cr_expect_eq(u->pe_cycles, 64u * 23551u, "layer %d", k);
            cr_expect_eq(u->mac_ops, 72000u);
            dw_util = (double)u->mac_ops / (double)u->pe_cycles;
        } else if (strcmp(l->name, "CONV_2D") == 0 && u->pe_cycles) {
            double util = (double)u->mac_ops / (double)u->pe_cycles;
            conv_util = util > conv_util ? util : conv_util;
        }
    }
    cr_expect_lt(dw_util, 0.05);
    cr_expect_gt(conv_util, 0.5);
    ts_engine_close(e);
    ts_gen_free(g);
}

/* On the array: int8 CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED; on the core: the rest. */
Test(systolic_unit, only_conv_depthwise_and_fc_ops_go_to_the_array)
{
    ts_target t;
    ts_gen *g = NULL;
    ts_engine *e;
    int on_array = 0;

    load_target_named("cortex-m4-systolic", &t);
    e = run_ds_cnn(&t, &g);
    for (int32_t k = 0; k < ts_engine_n_layers(e); k++) {
        const ts_engine_layer *l = ts_engine_layer_at(e, k);
        bool gemm = !strcmp(l->name, "CONV_2D") || !strcmp(l->name, "DEPTHWISE_CONV_2D") ||
                    !strcmp(l->name, "FULLY_CONNECTED");
        cr_expect_str_eq(l->unit, gemm ? "systolic" : "cpu", "layer %d (%s)", k, l->name);
        cr_expect_eq(l->cost.unit.pe_cycles > 0, gemm, "layer %d (%s)", k, l->name);
        on_array += gemm;
    }
    cr_expect_eq(on_array, 10, "5 conv, 4 depthwise, 1 FC");
    ts_engine_close(e);
    ts_gen_free(g);
}

Test(systolic_unit, float_ops_stay_on_the_core)
{
    ts_target t;
    rig x;
    ts_err err;

    ts_err_clear(&err);
    load_target_named("cortex-m4-systolic", &t);
    rig_open(&x, &t, "conv:6,6,4,10,3,3,1,same");
    ts_ref_op fl = *ts_ref_op_at(x.r, 0);
    fl.dtype = TS_DT_FLOAT32;
    ts_unit_op op = {0, "CONV_2D", &fl, 0};
    cr_expect_not(ts_unit_supports(x.u, &op));
    cr_expect_eq(ts_unit_estimate(x.u, &op, &(ts_unit_cost){0}, &err), TS_ERR_UNSUPPORTED);
    cr_expect(strstr(err.msg, "float32 activations"), "%s", err.msg);
    rig_close(&x);
}

/* `tinysim compare` exits 0 only when every target that ran gave the same output bytes. */
static void compare_identical(const char *spec, const char *targets, int n_targets)
{
    char path[64], want[64];
    const char *model = cli_gen_model(spec, path, sizeof path);
    const char *args[] = {"compare", model, "--targets", targets, NULL};
    cli_result r = cli_run(args);

    cr_assert_eq(r.status, 0, "%s on %s: %s", spec, targets, r.err);
    snprintf(want, sizeof want, "outputs   identical on the %d targets that ran", n_targets);
    cr_expect(strstr(r.out, want), "%s: %s", spec, r.out);
    unlink(model);
    cli_result_free(&r);
}

Test(systolic_unit, kws_and_vww_give_the_same_outputs_on_the_four_hardware_classes)
{
    need_target_firmware("cortex-m0plus");
    need_target_firmware("cortex-m4");
    compare_identical("ds_cnn", "cortex-m0plus,cortex-m4,cortex-m4-dsp,cortex-m4-systolic", 4);
    /* the VWW model needs 88 KB of RAM: the M0+ part is the RP2040 (264 KB) */
    compare_identical("mobilenet_v1_025", "rp2040,cortex-m4,cortex-m4-dsp,cortex-m4-systolic", 4);
}

/* Bad array parameters: the schema refuses zero rows and negative bandwidths on load or --set;
 * the unit (ts_systolic_array_check) refuses buffers below one fold tile and a zero user
 * bandwidth when it is placed, naming the JSON key. */
static void bench_refused(const char *set, const char *msg)
{
    char path[64];
    const char *model = cli_gen_model("fc:16,4", path, sizeof path);
    const char *args[] = {"bench", "--no-db", "--target", "cortex-m4-systolic", model, "--set",
                          set, NULL};
    cli_result r = cli_run(args);

    cr_expect_eq(r.status, 2, "%s: exit %d", set, r.status);
    cr_expect(strstr(r.err, msg), "%s: %s", set, r.err);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    unlink(model);
    cli_result_free(&r);
}

Test(systolic_unit, bad_array_parameters_are_refused_with_the_json_path)
{
    need_target_firmware("cortex-m4");
    bench_refused("units.systolic.rows=0",
                  "--set: units.systolic.rows: expected integer in [1, 4096], got 0");
    bench_refused("units.systolic.bandwidth_bytes_per_cycle=-1",
                  "--set: units.systolic.bandwidth_bytes_per_cycle: expected number in [0, 1024], "
                  "got -1");
    bench_refused("units.systolic.ifmap_sram_bytes=64",
                  "cortex-m4-systolic.json: units.systolic.ifmap_sram_bytes: buffer smaller than "
                  "one 8x8 fold tile per half (expected >= 200 words, got 64)");
    bench_refused("units.systolic.filter_sram_bytes=199",
                  "units.systolic.filter_sram_bytes: buffer smaller than one 8x8 fold tile");
    bench_refused("units.systolic.bandwidth_bytes_per_cycle=0",
                  "cortex-m4-systolic.json: units.systolic.bandwidth_bytes_per_cycle: must be > 0 "
                  "words/cycle with InterfaceBandwidth USER (got 0)");
}

/* Sweeps by --set: 16x16 and 32x32 arrays run the model with the host's outputs; a 128x128
 * array needs 32 KB per buffer half and the 16 KB ofmap buffer is refused. */
Test(systolic_unit, larger_arrays_are_a_set_away_and_checked_against_their_buffers)
{
    static const char *const sizes[] = {"16", "32"};
    ts_gen *g = NULL;
    ts_engine *e = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build("ds_cnn", 1, &g, &err), TS_OK, "%s", err.msg);
    for (int i = 0; i < 2; i++) {
        ts_target t = systolic_target("units.systolic.rows", sizes[i]);
        need_firmware(&t);
        cr_assert_eq(ts_target_set(&t, "units.systolic.cols", sizes[i], &err), TS_OK, "%s",
                     err.msg);
        check_bit_exact(&t, ts_gen_graph(g), "ds_cnn", 1);
    }
    ts_target t = systolic_target("units.systolic.rows", "128");
    cr_assert_eq(ts_target_set(&t, "units.systolic.cols", "128", &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_open(&t, ts_gen_graph(g), "ds_cnn", NULL, &e, &err), TS_ERR_CONFIG);
    cr_expect(strstr(err.msg, "cortex-m4-systolic.json: units.systolic.ofmap_sram_bytes: buffer "
                     "smaller than one 128x128 fold tile per half (expected >= 32768 words, got "
                     "16384)"), "%s", err.msg);
    cr_expect_null(e);
    ts_gen_free(g);
}

/* compare's "array MAC utilisation": no value on a target without an array; per layer in the
 * JSON (a depthwise layer's is the hand figure above) and in the --per-layer text table. */
Test(systolic_unit, compare_reports_the_arrays_utilisation_in_total_and_per_layer)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("ds_cnn", path,
                                                                         sizeof path));
    const char *args[] = {"compare", model, "--targets", "cortex-m4,cortex-m4-systolic",
                          "--json", NULL};
    const char *text_args[] = {"compare", model, "--targets", "cortex-m4,cortex-m4-systolic",
                               "--per-layer", NULL};
    cli_result r = cli_run(args), tr;
    cJSON *c = cJSON_Parse(r.out), *t0, *t1, *l;
    double lo = 100, hi = 0, total;

    cr_assert_eq(r.status, 0, "%s", r.err);
    t0 = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "targets"), 0);
    t1 = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "targets"), 1);
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(t0, "figures"),
                                               "array_util_pct")));
    total = cJSON_GetObjectItem(cJSON_GetObjectItem(t1, "figures"), "array_util_pct")->valuedouble;
    cJSON_ArrayForEach(l, cJSON_GetObjectItem(t1, "layers")) {
        const cJSON *u = cJSON_GetObjectItem(l, "array_util_pct");
        const char *op = cJSON_GetObjectItem(l, "op")->valuestring;
        cr_expect_eq(u != NULL, strcmp(cJSON_GetObjectItem(l, "unit")->valuestring, "cpu") != 0,
                     "%s", op);
        if (!u)
            continue;
        lo = u->valuedouble < lo ? u->valuedouble : lo;
        hi = u->valuedouble > hi ? u->valuedouble : hi;
        if (!strcmp(op, "DEPTHWISE_CONV_2D"))
            cr_expect_float_eq(u->valuedouble, 100.0 * 72000 / (64.0 * 23551), 1e-9);
    }
    cr_expect(lo < total && total < hi, "total %.2f within the layers' %.2f .. %.2f", total, lo,
              hi);
    tr = cli_run(text_args);
    cr_assert_eq(tr.status, 0, "%s", tr.err);
    cr_expect(strstr(tr.out, "array MAC utilisation (% of PE-cycles; -: not on an array) per "
                     "layer"), "%s", tr.out);
    cr_expect(strstr(tr.out, "cpu/systolic"), "%s", tr.out);
    cr_expect(strstr(tr.out, "\narray MAC utilisation (%) "), "the total row: %s", tr.out);
    cli_result_free(&tr);
    /* without an array among the targets the text table has no utilisation row at all */
    tr = cli_run((const char *[]){"compare", model, "--targets", "cortex-m0plus,cortex-m4",
                                  NULL});
    cr_assert_eq(tr.status, 0, "%s", tr.err);
    cr_expect(!strstr(tr.out, "utilisation"), "%s", tr.out);
    unlink(model);
    cli_result_free(&r);
    cli_result_free(&tr);
    cJSON_Delete(c);
}
