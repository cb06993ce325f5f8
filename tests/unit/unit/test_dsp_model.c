/* test_dsp_model.c: the DSP unit's timing model (sim/unit/dsp_model.h). Expected cycles and
 * events are derived here by hand from the mapping documented in dsp_model.h, for small shapes,
 * with each term named; then limiting behaviour (lanes, buffering, DMA bandwidth) and the
 * rejection of bad parameters and of ops the unit does not run. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/unit/dsp_model.h"

/* L8 = 4, L16 = 2, A = 4, S = 1, B = 4, hardware loops, no set-up, DMA 4 B/cycle, 1 MB. */
static ts_target_dsp params(void)
{
    ts_target_dsp p;

    memset(&p, 0, sizeof p);
    p.present = true;
    p.mac_lanes_int8 = 4;
    p.mac_lanes_int16 = 2;
    p.alu_lanes = 4;
    p.load_store_slots = 1;
    p.slot_bytes = 4;
    p.zero_overhead_loops = true;
    p.div_cycles = 5;
    p.local_memory_bytes = 1u << 20;
    p.dma_bytes_per_cycle = 4.0;
    return p;
}

static ts_dsp_op conv_op(ts_op_kind kind, tsk_dims in, tsk_dims filter, tsk_dims out, int pad)
{
    ts_dsp_op op = {.kind = kind, .dtype = TS_DT_INT8, .in = in, .filter = filter, .out = out,
                    .stride = {1, 1}, .padding = {pad, pad}, .dilation = {1, 1},
                    .has_bias = true};
    return op;
}

static ts_dsp_op eltwise_op(ts_op_kind kind, int32_t n)
{
    ts_dsp_op op = {.kind = kind, .dtype = TS_DT_INT8, .in = {1, 1, 1, n}, .in2 = {1, 1, 1, n},
                    .out = {1, 1, 1, n}};
    return op;
}

static ts_dsp_cost estimate(const ts_target_dsp *p, const ts_dsp_op *op)
{
    ts_dsp_cost c;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_dsp_estimate(p, op, &c, &err), TS_OK, "%s", err.msg);
    return c;
}

Test(dsp_model, conv_cycles_and_events_follow_the_documented_mapping)
{
    ts_target_dsp p = params();
    /* [1,3,3,2] * [4,3,3,2] valid -> [1,1,1,4]: one pixel, one group of W = 4 channels */
    ts_dsp_op op = conv_op(TS_OP_CONV_2D, (tsk_dims){1, 3, 3, 2}, (tsk_dims){4, 3, 3, 2},
                           (tsk_dims){1, 1, 1, 4}, 0);
    ts_dsp_cost c = estimate(&p, &op);
    uint64_t k = 3 * 3 * 2;                     /* reduction per output */
    uint64_t mac_iter = 2;                      /* max(1 MAC, ceil((ceil(4/4) + 1) / 1) slots) */
    uint64_t out_iter = 12 + 1;                 /* ceil(12*4/4) bias+quant + ceil(4/4) store */
    uint64_t compute = k * mac_iter + out_iter; /* 49 */
    uint64_t weights = 4 * k, bias = 12 * 4, in = 3 * 3 * 2, out = 4;

    cr_expect_eq(c.compute_cycles, compute);
    /* resident weights + bias + quant, then one tile (compute + input and output DMA) */
    cr_expect_eq(c.busy_cycles, (uint64_t)((weights + bias) / 4 + compute + (in + out) / 4.0 + 0.5));
    cr_expect_eq(c.mac_ops, k * 4 + 4);
    cr_expect_eq(c.alu_ops, 3 * 4);
    cr_expect_eq(c.local_read_bytes, k * (4 + 1) + bias + out);
    cr_expect_eq(c.local_write_bytes, 4 + weights + bias + in);
    cr_expect_eq(c.dma_bytes, weights + bias + in + out);
    cr_expect_eq(c.dma_transfers, 1 + 2 + 1 + 1);
    cr_expect_eq(c.sys_read_bytes[TS_DSP_INPUT], in);
    cr_expect_eq(c.sys_read_bytes[TS_DSP_WEIGHTS], weights);
    cr_expect_eq(c.sys_read_bytes[TS_DSP_BIAS], bias);
    cr_expect_eq(c.sys_write_bytes[TS_DSP_OUTPUT], out);
    cr_expect_eq(c.n_tiles, 1);
    cr_expect_eq(c.n_passes, 1);
}

Test(dsp_model, int16_conv_uses_the_int16_lanes_and_two_byte_elements)
{
    ts_target_dsp p = params();
    ts_dsp_op op = conv_op(TS_OP_CONV_2D, (tsk_dims){1, 1, 1, 3}, (tsk_dims){4, 1, 1, 3},
                           (tsk_dims){1, 1, 1, 4}, 0);
    ts_dsp_cost c;

    op.dtype = TS_DT_INT16;
    c = estimate(&p, &op);
    /* L16 = 2: two groups of 2; MAC iteration: ceil(2*2/4) + 1 = 2 slots -> 2 cycles, 3 per
     * group; output: max(3 ALU * ceil(2/4), ceil(12*2/4) + ceil(2*2/4)) = 7 per group */
    cr_expect_eq(c.compute_cycles, 2 * (3 * 2 + 7));
    cr_expect_eq(c.sys_read_bytes[TS_DSP_INPUT], 3 * 2);
    cr_expect_eq(c.sys_write_bytes[TS_DSP_OUTPUT], 4 * 2);
}

Test(dsp_model, depthwise_computes_padding_taps_and_fetches_only_real_rows)
{
    ts_target_dsp p = params();
    /* [1,4,4,8] dw 3x3 same -> [1,4,4,8]: per row 4 pixels x 2 groups x 9 taps of 2 slots
     * (input and weight vectors), then 4 x 2 output vectors of 13 cycles */
    ts_dsp_op op = conv_op(TS_OP_DEPTHWISE_CONV_2D, (tsk_dims){1, 4, 4, 8},
                           (tsk_dims){1, 3, 3, 8}, (tsk_dims){1, 4, 4, 8}, 1);
    ts_dsp_cost c = estimate(&p, &op);
    uint64_t row = 4 * 2 * 9 * 2 + 4 * 2 * 13;

    cr_expect_eq(c.compute_cycles, 4 * row);
    cr_expect_eq(c.n_tiles, 1);
    cr_expect_eq(c.sys_read_bytes[TS_DSP_INPUT], 4 * 4 * 8); /* padding rows never fetched */
    cr_expect_eq(c.sys_read_bytes[TS_DSP_WEIGHTS], 9 * 8);
    cr_expect_eq(c.mac_ops, 4 * 4 * 8 * 9 + 4 * 4 * 8);
}

Test(dsp_model, fully_connected_is_a_one_pixel_convolution)
{
    ts_target_dsp p = params();
    ts_dsp_op fc = conv_op(TS_OP_FULLY_CONNECTED, (tsk_dims){1, 1, 1, 10},
                           (tsk_dims){6, 1, 1, 10}, (tsk_dims){1, 1, 1, 6}, 0);
    ts_dsp_cost c = estimate(&p, &fc);

    /* groups 4 + 2: MAC iteration 2 cycles (ceil(4/4)+1 or ceil(2/4)+1 slots), 10 per group;
     * output 13 (W=4) and 7 (W=2: max(3, ceil(24/4) + 1)) */
    cr_expect_eq(c.compute_cycles, 10 * 2 + 13 + 10 * 2 + 7);
    cr_expect_eq(c.sys_read_bytes[TS_DSP_WEIGHTS], 60);
}

Test(dsp_model, pooling_counts_only_taps_inside_the_input)
{
    ts_target_dsp p = params();
    ts_dsp_op op = conv_op(TS_OP_AVERAGE_POOL_2D, (tsk_dims){1, 2, 2, 4},
                           (tsk_dims){1, 3, 3, 1}, (tsk_dims){1, 2, 2, 4}, 1);
    ts_dsp_cost c;

    /* each output row: 2 valid rows x (2 + 2) valid columns = 8 taps of 1 cycle, then 2 output
     * vectors of max(1 MAC, 2 ALU, 1 store) = 2 */
    c = estimate(&p, &op);
    cr_expect_eq(c.compute_cycles, 2 * (8 + 2 * 2));
    op.kind = TS_OP_MAX_POOL_2D;
    c = estimate(&p, &op);
    cr_expect_eq(c.compute_cycles, 2 * (8 + 2 * 1));
    cr_expect_eq(c.mac_ops, 0);
}

Test(dsp_model, softmax_runs_three_passes_and_one_reciprocal_per_row)
{
    ts_target_dsp p = params();
    ts_dsp_op op = eltwise_op(TS_OP_SOFTMAX, 8);
    ts_dsp_cost c;

    op.in = op.out = (tsk_dims){1, 1, 2, 8}; /* 2 rows of depth 8: 2 groups of 4 */
    c = estimate(&p, &op);
    /* max: 1 slot; exp+sum: 1 + 4 look-ups; normalise: 2 + 4 slots; reciprocal 5 */
    cr_expect_eq(c.compute_cycles, 2 * (2 * (1 + 5 + 6) + 5));
    cr_expect_eq(c.sys_read_bytes[TS_DSP_WEIGHTS], 1024);
}

/* ADD of 64 int8 elements: 16 runs of 4, each max(3 MAC, 5 ALU, 3 slots) = 5 cycles and 8
 * input + 4 output bytes. Double-buffered time of n equal tiles (compute c, input DMA i, output
 * DMA o): i + max(c, i) + (n - 2) * max(c, i + o) + max(c, o) + o (dsp_model.h "Time"). */
static double pipelined(double n, double c, double i, double o)
{
    return i + (c > i ? c : i) + (n - 2) * (c > i + o ? c : i + o) + (c > o ? c : o) + o;
}

Test(dsp_model, add_tiles_follow_local_memory_and_double_buffering_pays_when_it_can)
{
    ts_target_dsp p = params();
    ts_dsp_op op = eltwise_op(TS_OP_ADD, 64);
    ts_dsp_cost c;
    uint64_t run = 5;

    p.dma_setup_cycles = 10;
    p.local_memory_bytes = 48; /* 12 bytes per run: 4 runs per tile, 4 tiles */
    c = estimate(&p, &op);
    cr_expect_eq(c.n_tiles, 4);
    /* per tile: two input transfers of 16 bytes, one output transfer of 16 bytes */
    cr_expect_eq(c.busy_cycles, 4 * (4 * run + (2 * 10 + 32 / 4) + (10 + 16 / 4)));
    /* double: 2 runs per tile (288) or 1 (528), both slower than single: not taken */
    cr_expect_eq(pipelined(8, 2 * run, 2 * 10 + 16 / 4, 10 + 8 / 4), 288);
    cr_expect_eq(pipelined(16, run, 2 * 10 + 8 / 4, 10 + 4 / 4), 528);
    p.double_buffering = true;
    cr_expect_eq(estimate(&p, &op).busy_cycles, c.busy_cycles);
    /* 96 bytes: single 2 tiles of 8 runs; double 4 tiles of 4 runs (174), 8 of 2 (288), ... */
    p.local_memory_bytes = 96;
    c = estimate(&p, &op);
    cr_expect_eq(c.busy_cycles, (uint64_t)pipelined(4, 4 * run, 2 * 10 + 32 / 4, 10 + 16 / 4));
    cr_expect_eq(c.busy_cycles, 174);
    cr_expect_eq(c.n_tiles, 4);
    p.double_buffering = false;
    cr_expect_eq(estimate(&p, &op).busy_cycles, 2 * (8 * run + (2 * 10 + 64 / 4) + (10 + 32 / 4)));
}

Test(dsp_model, a_dma_bound_layer_follows_dma_bandwidth_until_compute_bound)
{
    ts_target_dsp p = params();
    ts_dsp_op op = eltwise_op(TS_OP_ADD, 64); /* compute 80, DMA 128 in + 64 out bytes */

    /* no DMA set-up: one-run tiles are best, 16 x max(5, 12 / bandwidth) plus fill/drain */
    p.double_buffering = true;
    p.dma_bytes_per_cycle = 1.0;
    cr_expect_eq(estimate(&p, &op).busy_cycles, (uint64_t)pipelined(16, 5, 8, 4));
    cr_expect_eq(estimate(&p, &op).busy_cycles, 8 + 8 + 14 * 12 + 5 + 4);
    p.dma_bytes_per_cycle = 2.0; /* half the DMA time */
    cr_expect_eq(estimate(&p, &op).busy_cycles, 4 + 5 + 14 * 6 + 5 + 2);
    p.dma_bytes_per_cycle = 4.0; /* compute-bound from here: 16 x 5 plus fill and drain */
    cr_expect_eq(estimate(&p, &op).busy_cycles, 2 + 5 + 14 * 5 + 5 + 1);
    p.dma_bytes_per_cycle = 64.0;
    cr_expect_eq(estimate(&p, &op).busy_cycles, 81); /* 80.1875 rounded up */
    p.double_buffering = false; /* one tile: 128/64 + 80 + 64/64 */
    cr_expect_eq(estimate(&p, &op).busy_cycles, 80 + 3);
}

static const ts_dsp_op *sweep_ops(int *n)
{
    static ts_dsp_op ops[5];

    ops[0] = conv_op(TS_OP_CONV_2D, (tsk_dims){1, 10, 10, 8}, (tsk_dims){24, 3, 3, 8},
                     (tsk_dims){1, 10, 10, 24}, 1);
    ops[1] = conv_op(TS_OP_DEPTHWISE_CONV_2D, (tsk_dims){1, 12, 12, 20},
                     (tsk_dims){1, 3, 3, 20}, (tsk_dims){1, 12, 12, 20}, 1);
    ops[2] = conv_op(TS_OP_FULLY_CONNECTED, (tsk_dims){1, 1, 1, 100},
                     (tsk_dims){30, 1, 1, 100}, (tsk_dims){1, 1, 1, 30}, 0);
    ops[3] = eltwise_op(TS_OP_ADD, 1000);
    ops[4] = conv_op(TS_OP_MAX_POOL_2D, (tsk_dims){1, 8, 8, 12}, (tsk_dims){1, 2, 2, 1},
                     (tsk_dims){1, 4, 4, 12}, 0);
    ops[4].stride = (tsk_hw){2, 2};
    *n = 5;
    return ops;
}

Test(dsp_model, more_lanes_are_never_slower)
{
    int n;
    const ts_dsp_op *ops = sweep_ops(&n);

    for (int i = 0; i < n; i++) {
        uint64_t prev = UINT64_MAX;

        for (uint32_t lanes = 1; lanes <= 64; lanes *= 2) {
            ts_target_dsp p = params();
            uint64_t busy;

            p.mac_lanes_int8 = p.alu_lanes = lanes;
            p.local_memory_bytes = 8192;
            busy = estimate(&p, &ops[i]).busy_cycles;
            cr_expect_leq(busy, prev, "op %d: %u lanes %llu cycles, half as many %llu", i, lanes,
                          (unsigned long long)busy, (unsigned long long)prev);
            prev = busy;
        }
    }
}

Test(dsp_model, single_buffering_is_never_faster_than_double_buffering)
{
    int n;
    const ts_dsp_op *ops = sweep_ops(&n);

    for (int i = 0; i < n; i++)
        for (uint64_t mem = 1024; mem <= 65536; mem *= 2) {
            ts_target_dsp p = params();
            uint64_t one, two;

            p.local_memory_bytes = mem;
            p.dma_setup_cycles = 16;
            if (!ts_dsp_supports(&p, &ops[i]))
                continue;
            one = estimate(&p, &ops[i]).busy_cycles;
            p.double_buffering = true;
            two = estimate(&p, &ops[i]).busy_cycles;
            cr_expect_leq(two, one, "op %d, %llu bytes", i, (unsigned long long)mem);
        }
}

Test(dsp_model, weights_that_do_not_fit_are_split_into_channel_passes)
{
    ts_target_dsp p = params();
    ts_dsp_op op = sweep_ops(&(int){0})[0]; /* 24 x 72 weights = 1728 bytes */
    ts_dsp_cost c;

    p.local_memory_bytes = 2048;
    c = estimate(&p, &op);
    cr_expect_gt(c.n_passes, 1);
    /* the input is streamed once per pass; weights are read exactly once in total */
    cr_expect_eq(c.sys_read_bytes[TS_DSP_WEIGHTS], 24 * 72);
    cr_expect_eq(c.sys_read_bytes[TS_DSP_INPUT], c.n_passes * 10 * 10 * 8);
    cr_expect_eq(c.sys_write_bytes[TS_DSP_OUTPUT], 10 * 10 * 24);
}

Test(dsp_model, tiles_fetch_each_input_row_once_through_the_circular_buffer)
{
    ts_target_dsp p = params();
    ts_dsp_op op = sweep_ops(&(int){0})[1]; /* dw [1,12,12,20] 3x3 same */
    ts_dsp_cost c;

    /* resident 20 x (9 + 12) = 420 bytes; an interior one-row tile holds 3 input rows and one
     * output row, 4 x 12 x 20 = 960 bytes: two-row tiles (4 + 2 rows, 1440 bytes) do not fit */
    p.local_memory_bytes = 420 + 960;
    c = estimate(&p, &op);
    cr_expect_eq(c.n_tiles, 12);
    cr_expect_eq(c.sys_read_bytes[TS_DSP_INPUT], 12 * 12 * 20);
    /* weights, bias, requantisation words; tile 0 brings rows 0-1 and tiles 1-10 the row they
     * add (tile 11 adds none: no transfer); 12 output rows */
    cr_expect_eq(c.dma_transfers, 3 + 11 + 12);
}

Test(dsp_model, ops_the_unit_does_not_run_stay_on_the_core)
{
    ts_target_dsp p = params();
    ts_dsp_op op = sweep_ops(&(int){0})[0];
    ts_dsp_cost c;
    ts_err err;

    ts_err_clear(&err);
    op.dtype = TS_DT_FLOAT32;
    cr_expect_not(ts_dsp_supports(&p, &op));
    cr_expect_eq(ts_dsp_estimate(&p, &op, &c, &err), TS_ERR_UNSUPPORTED);
    op.dtype = TS_DT_INT8;
    op.kind = TS_OP_RESHAPE;
    cr_expect_not(ts_dsp_supports(&p, &op));
    op.kind = TS_OP_CONV_2D;
    /* minimal tile: one group of 4 channels (4 x 72 weights + 48 bias/quant) + 3 input rows
     * of 10 x 8 + one output row of 10 x 4 */
    cr_expect_eq(ts_dsp_min_tile_bytes(&p, &op), 4 * 72 + 48 + 3 * 80 + 40);
    p.local_memory_bytes = 4 * 72 + 48 + 3 * 80 + 40 - 1;
    cr_expect_not(ts_dsp_supports(&p, &op));
    p.local_memory_bytes++;
    cr_expect(ts_dsp_supports(&p, &op));
}

Test(dsp_model, check_rejects_a_local_memory_smaller_than_one_tile)
{
    ts_target_dsp p = params();
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_dsp_check(&p, "t.json", &err), TS_OK, "%s", err.msg);
    p.local_memory_bytes = 11; /* an int8 ADD of one 4-lane vector needs 2*4 + 4 */
    cr_expect_eq(ts_dsp_check(&p, "t.json", &err), TS_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "t.json: units.dsp.local_memory_bytes: smaller than one tile of "
                     "the smallest supported op, an int8 ADD of one 4-lane vector (expected >= "
                     "12, got 11)");
    p = params();
    p.mac_lanes_int8 = 0;
    ts_err_clear(&err);
    cr_expect_eq(ts_dsp_check(&p, "t.json", &err), TS_ERR_CONFIG);
    p = params();
    p.dma_bytes_per_cycle = -1;
    ts_err_clear(&err);
    cr_expect_eq(ts_dsp_check(&p, "t.json", &err), TS_ERR_CONFIG);
    cr_expect(strstr(err.msg, "units.dsp.dma.bytes_per_cycle: expected > 0, got -1"), "%s",
              err.msg);
}

Test(dsp_model, unit_cycles_convert_to_core_cycles_at_the_unit_clock)
{
    ts_target_dsp p = params();

    cr_expect_eq(ts_dsp_core_cycles(&p, 120000000, 101), 101);
    p.clock_hz = 240000000;
    cr_expect_eq(ts_dsp_core_cycles(&p, 120000000, 101), 51);
    p.clock_hz = 60000000;
    cr_expect_eq(ts_dsp_core_cycles(&p, 120000000, 101), 202);
}

/* ---- the generated MLPerf Tiny models on the shipped cortex-m4-dsp unit ---- */

#include "sim/gen/gen.h"
#include "sim/target/target.h"

/* Estimates every op of generated model `spec` on cortex-m4-dsp; checks that the weighted,
 * pooling and softmax ops run on the unit and that no op issues more MACs per cycle than the
 * unit has lanes. Returns the summed busy cycles. */
static uint64_t model_on_dsp(const char *spec, uint64_t *macs_out)
{
    ts_target t;
    ts_gen *gen;
    ts_ref *ref;
    ts_err err;
    uint64_t busy = 0, macs = 0;

    ts_err_clear(&err);
    cr_assert_eq(ts_target_load(TS_TARGETS_DIR "/cortex-m4-dsp.json", &t, &err), TS_OK, "%s",
                 err.msg);
    cr_assert_eq(ts_dsp_check(&t.dsp, t.path, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_build(spec, 1, &gen, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare_graph(ts_gen_graph(gen), spec, &ref, &err), TS_OK, "%s", err.msg);
    for (int32_t k = 0; k < ts_ref_n_ops(ref); k++) {
        const ts_ref_op *r = ts_ref_op_at(ref, k);
        uint64_t op_macs = ts_op_macs(ts_gen_graph(gen), &ts_gen_graph(gen)->ops[r->op_index]);
        ts_dsp_op op;
        ts_dsp_cost c;

        ts_dsp_op_from_ref(r, &op);
        if (r->kind == TS_OP_RESHAPE)
            continue;
        cr_assert(ts_dsp_supports(&t.dsp, &op), "%s op %d (kind %d) stays on the core", spec, k,
                  (int)r->kind);
        c = estimate(&t.dsp, &op);
        cr_expect_geq(c.mac_ops, op_macs, "%s op %d", spec, k);
        cr_expect_leq(op_macs, c.compute_cycles * t.dsp.mac_lanes_int8, "%s op %d: %llu MACs in "
                      "%llu cycles", spec, k, (unsigned long long)op_macs,
                      (unsigned long long)c.compute_cycles);
        busy += c.busy_cycles;
        macs += op_macs;
    }
    ts_ref_free(ref);
    ts_gen_free(gen);
    *macs_out = macs;
    return busy;
}

Test(dsp_model, every_op_of_the_generated_kws_and_vww_models_runs_on_the_shipped_dsp)
{
    const char *specs[] = {"ds_cnn", "mobilenet_v1_025"};

    for (int i = 0; i < 2; i++) {
        uint64_t macs, busy = model_on_dsp(specs[i], &macs);

        cr_log_info("%s on cortex-m4-dsp's unit: %llu unit cycles, %.2f MACs/cycle", specs[i],
                    (unsigned long long)busy, (double)macs / (double)busy);
        cr_expect_gt(busy, 0);
    }
}
