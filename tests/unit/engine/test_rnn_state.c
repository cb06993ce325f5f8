/* test_rnn_state.c: layer state across invocations, for a generated SVDF (sim/gen gen_rnn.c):
 * on the host executor and on emulated cores, the second invocation of the same input gives
 * other outputs than the first (the state carried), and resetting the state gives the first
 * outputs again; SVDF forms tinysim does not run are refused in one line naming the op, its
 * dtypes and shapes. Skips visibly without the firmware. */
#include "engine_test.h"
#include "sim/base/alloc.h"
#include "sim/gen/gen.h"

#define SPEC "op:svdf,int8,1x16,units=4,rank=2,memory=8"

static ts_model *svdf_model(const char *spec)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes(spec, 1, &bytes, &len, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "svdf.tflite", &m, &err), TS_OK, "%s",
                 err.msg);
    ts_free(bytes);
    return m;
}

Test(rnn_state, the_host_carries_state_between_invocations_and_reset_restores_it)
{
    ts_model *m = svdf_model(SPEC);
    ts_ref *r = NULL;
    uint8_t first[4], second[4], again[4];
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    set_seeded_inputs(NULL, r, 1);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(first, ts_ref_output(r, 0, NULL), 4);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(second, ts_ref_output(r, 0, NULL), 4);
    cr_expect(memcmp(first, second, 4) != 0, "the same input twice: the state must change it");
    ts_ref_reset_state(r);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(again, ts_ref_output(r, 0, NULL), 4);
    cr_expect_arr_eq(again, first, 4);
    ts_ref_free(r);
    ts_model_free(m);
}

static void engine_carries_state(const char *target)
{
    ts_model *m = svdf_model(SPEC);
    ts_engine *e = NULL;
    ts_target t;
    uint8_t first[4], second[4], again[4];
    ts_err err;

    ts_err_clear(&err);
    load_target_named(target, &t);
    need_firmware(&t);
    check_bit_exact_n(&t, ts_model_graph(m), "svdf.tflite", 1, 5);
    cr_assert_eq(ts_engine_open(&t, ts_model_graph(m), "svdf.tflite", NULL, &e, &err), TS_OK,
                 "%s", err.msg);
    set_seeded_inputs(e, NULL, 1);
    cr_assert_eq(ts_engine_run(e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_output(e, 0, first, 4, NULL, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_run(e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_output(e, 0, second, 4, NULL, &err), TS_OK, "%s", err.msg);
    cr_expect(memcmp(first, second, 4) != 0, "%s: the state must change the output", target);
    cr_assert_eq(ts_engine_reset_state(e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_run(e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_output(e, 0, again, 4, NULL, &err), TS_OK, "%s", err.msg);
    cr_expect_arr_eq(again, first, 4, "%s: reset gives the first outputs again", target);
    ts_engine_close(e);
    ts_target_free(&t);
    ts_model_free(m);
}

Test(rnn_state, an_m0_carries_state_in_emulated_ram_and_reset_restores_it)
{
    engine_carries_state("cortex-m0");
}

Test(rnn_state, an_m4_carries_state_in_emulated_ram_and_reset_restores_it)
{
    engine_carries_state("cortex-m4");
}

/* ts_ref_prepare_graph of the model of `spec` with tensor `t` changed by `edit`: the message. */
static void refused(const char *spec, void (*edit)(ts_tensor *x, ts_op *op), const char *want)
{
    ts_model *m = svdf_model(spec);
    const ts_graph *g = ts_model_graph(m);
    ts_tensor tensors[16];
    ts_op op = g->ops[0];
    ts_graph copy = *g;
    ts_ref *r = NULL;
    ts_err err;

    cr_assert_leq(g->n_tensors, 16);
    memcpy(tensors, g->tensors, (size_t)g->n_tensors * sizeof tensors[0]);
    edit(tensors, &op);
    copy.tensors = tensors, copy.ops = &op;
    ts_err_clear(&err);
    cr_assert_neq(ts_ref_prepare_graph(&copy, "svdf.tflite", &r, &err), TS_OK);
    cr_expect_str_eq(err.msg, want);
    ts_model_free(m);
}

static void relu6(ts_tensor *x, ts_op *op)
{
    (void)x;
    op->opts.svdf.act = TS_ACT_RELU6;
}

static void plain_state(ts_tensor *x, ts_op *op)
{
    x[op->inputs[4]].is_variable = false;
}

static void int8_state(ts_tensor *x, ts_op *op)
{
    x[op->inputs[4]].dtype = TS_DT_INT8;
}

Test(rnn_state, svdf_forms_tinysim_does_not_run_are_refused_in_one_line)
{
    refused(SPEC, relu6, "svdf.tflite: op 0 (SVDF): int8 with fused activation 3 is not "
            "supported (TFLite's integer SVDF applies none: expected NONE or RELU); int8 [1,16], "
            "int8 [8,16], int16 [8,8], int32 [4], ... -> int8 [1,4]");
    refused(SPEC, plain_state, "svdf.tflite: op 0 (SVDF): state (input 4) is not a variable "
            "tensor");
    refused(SPEC, int8_state, "svdf.tflite: op 0 (SVDF): int8 input, int8 feature weights, "
            "int16 time weights, int32 bias, int8 state, int8 output is not supported (expected "
            "int8, int8, int16 or int8, int32, int16, int8; or float32 throughout); int8 [1,16], "
            "int8 [8,16], int16 [8,8], int32 [4], ... -> int8 [1,4]");
}
