/* test_rnn_state.c: layer state across invocations, for a generated SVDF (sim/gen gen_rnn.c):
 * on the host executor and on emulated cores, the second invocation of the same input gives
 * other outputs than the first (the state carried), and resetting the state gives the first
 * outputs again; SVDF forms tinysim does not run are refused in one line naming the op, its
 * dtypes and shapes. The same for the float LSTM (its output and cell states, and the LSTM
 * forms it refuses, each named by the input that makes it so). Skips visibly without the
 * firmware. */
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

/* On the host: the second invocation of the same input differs from the first (n output
 * bytes), and a reset gives the first again. */
static void host_carries_state(const char *spec)
{
    ts_model *m = svdf_model(spec);
    ts_ref *r = NULL;
    uint8_t first[256], second[256], again[256];
    const void *out;
    size_t n = 0;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    set_seeded_inputs(NULL, r, 1);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    out = ts_ref_output(r, 0, &n);
    cr_assert_leq(n, sizeof first);
    memcpy(first, out, n);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(second, ts_ref_output(r, 0, NULL), n);
    cr_expect(memcmp(first, second, n) != 0, "%s: the same input twice: the state must change "
              "it", spec);
    ts_ref_reset_state(r);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(again, ts_ref_output(r, 0, NULL), n);
    cr_expect_arr_eq(again, first, n, "%s", spec);
    ts_ref_free(r);
    ts_model_free(m);
}

Test(rnn_state, the_host_carries_state_between_invocations_and_reset_restores_it)
{
    host_carries_state(SPEC);
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

/* ts_ref_prepare_graph of the model of `spec` changed by `edit` (its tensors and the op's
 * input list, editable copies): the one-line message. */
static void refused(const char *spec, void (*edit)(ts_tensor *x, ts_op *op, int32_t *in),
                    const char *want)
{
    ts_model *m = svdf_model(spec);
    const ts_graph *g = ts_model_graph(m);
    ts_tensor tensors[32];
    int32_t in[24];
    ts_op op = g->ops[0];
    ts_graph copy = *g;
    ts_ref *r = NULL;
    ts_err err;

    cr_assert_leq(g->n_tensors, 32);
    cr_assert_leq(op.n_inputs, 20);
    memcpy(tensors, g->tensors, (size_t)g->n_tensors * sizeof tensors[0]);
    memcpy(in, op.inputs, (size_t)op.n_inputs * sizeof in[0]);
    op.inputs = in;
    edit(tensors, &op, in);
    copy.tensors = tensors, copy.ops = &op;
    ts_err_clear(&err);
    cr_assert_neq(ts_ref_prepare_graph(&copy, "m.tflite", &r, &err), TS_OK);
    cr_expect_str_eq(err.msg, want);
    ts_model_free(m);
}

static void relu6(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)in;
    op->opts.svdf.act = TS_ACT_RELU6;
}

static void plain_state(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)in;
    x[op->inputs[4]].is_variable = false;
}

static void int8_state(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)in;
    x[op->inputs[4]].dtype = TS_DT_INT8;
}

Test(rnn_state, svdf_forms_tinysim_does_not_run_are_refused_in_one_line)
{
    refused(SPEC, relu6, "m.tflite: op 0 (SVDF): int8 with fused activation 3 is not "
            "supported (TFLite's integer SVDF applies none: expected NONE or RELU); int8 [1,16], "
            "int8 [8,16], int16 [8,8], int32 [4], ... -> int8 [1,4]");
    refused(SPEC, plain_state, "m.tflite: op 0 (SVDF): state (input 4) is not a variable "
            "tensor");
    refused(SPEC, int8_state, "m.tflite: op 0 (SVDF): int8 input, int8 feature weights, "
            "int16 time weights, int32 bias, int8 state, int8 output is not supported (expected "
            "int8, int8, int16 or int8, int32, int16, int8; or float32 throughout); int8 [1,16], "
            "int8 [8,16], int16 [8,8], int32 [4], ... -> int8 [1,4]");
}

/* ---- UNIDIRECTIONAL_SEQUENCE_LSTM (ops-lstm): the same for its two states ---- */

#define LSTM_SPEC "op:lstm,float32,2x3x4,units=3"
#define LSTM8_SPEC "op:lstm,int8,2x3x4,units=3"

Test(rnn_state, the_host_and_an_m0_and_m4_carry_both_lstm_states_and_reset_restores_them)
{
    static const char *const targets[] = {"cortex-m0", "cortex-m4"};
    static const char *const specs[] = {LSTM_SPEC, LSTM8_SPEC}; /* float32, int8 (8x8_16) */

    for (size_t k = 0; k < 2; k++) {
        ts_model *m = svdf_model(specs[k]);
        host_carries_state(specs[k]);
        for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
            ts_target t;
            load_target_named(targets[i], &t);
            need_firmware(&t);
            check_bit_exact_n(&t, ts_model_graph(m), "lstm.tflite", 1, 4);
            ts_target_free(&t);
        }
        ts_model_free(m);
    }
}

static void cifg(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)op;
    in[1] = -1, in[5] = -1, in[12] = -1;
}

static void peephole(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)op;
    in[10] = in[13]; /* any [units] vector */
}

static void projection(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)op;
    in[16] = in[6];
}

static void layer_norm(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x;
    op->n_inputs = 24;
    in[20] = in[21] = in[23] = -1, in[22] = in[14];
}

static void relu_act(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)in;
    op->opts.lstm.act = TS_ACT_RELU;
}

static void negative_clip(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)in;
    op->opts.lstm.cell_clip = -1.0f;
}

static void int8_weights(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[3]].dtype = TS_DT_INT8;
}

static void int8_lstm(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[0]].dtype = TS_DT_INT8;
}

static void plain_cell_state(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[19]].is_variable = false;
}

static void bias_of_wrong_shape(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)op;
    in[13] = in[6]; /* a [3,3] matrix where the [3] forget-gate bias goes */
}

static void weights_of_wrong_shape(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)op;
    in[3] = in[7]; /* [units, units] where [units, input] goes */
}

Test(rnn_state, lstm_forms_tinysim_does_not_run_are_refused_in_one_line_naming_the_input)
{
#define SIG "; float32 [2,3,4], float32 [3,4], float32 [3,4], float32 [3,4], ... -> float32 [2,3,3]"
#define OP "m.tflite: op 0 (UNIDIRECTIONAL_SEQUENCE_LSTM): "
    refused(LSTM_SPEC, cifg, OP "CIFG (coupled input and forget gate: input 1 input_to_input_weights "
                 "absent) is not supported (expected an input gate); float32 [2,3,4], -, "
                 "float32 [3,4], float32 [3,4], ... -> float32 [2,3,3]");
    refused(LSTM_SPEC, peephole, OP "peephole (cell-to-gate) weights (input 10 cell_to_forget_weights "
                 "'lstm/forget_gate_bias') is not supported (expected absent: -1)" SIG);
    refused(LSTM_SPEC, projection, OP "projection (input 16 projection_weights "
                 "'lstm/recurrent_to_forget_weights') is not supported (expected absent: -1)" SIG);
    refused(LSTM_SPEC, layer_norm, OP "layer normalization (input 22 cell_layer_norm_coefficients "
                 "'lstm/cell_gate_bias') is not supported (expected absent: -1)" SIG);
    refused(LSTM_SPEC, relu_act, OP "activation 1 is not supported (expected 4 TANH)" SIG);
    refused(LSTM_SPEC, negative_clip, OP "cell_clip -1, proj_clip 0 (expected >= 0)");
    refused(LSTM_SPEC, int8_weights, OP "float32 input with int8 input_to_cell_weights (input 3, "
                 "hybrid) is not supported (expected float32); float32 [2,3,4], float32 [3,4], "
                 "float32 [3,4], int8 [3,4], ... -> float32 [2,3,3]");
    refused(LSTM_SPEC, int8_lstm, OP "float32 input_to_input_weights (input 1) is not supported "
                 "in an int8 LSTM (expected int8: TFLite's 8x8_16 integer LSTM); int8 [2,3,4], "
                 "float32 [3,4], float32 [3,4], float32 [3,4], ... -> float32 [2,3,3]");
    refused(LSTM_SPEC, plain_cell_state, OP "cell_state (input 19 'lstm/cell_state') is not a variable "
                 "tensor");
    refused(LSTM_SPEC, bias_of_wrong_shape, OP "forget_gate_bias (input 13) shape disagrees "
                 "(expected 1-D [3])");
    refused(LSTM_SPEC, weights_of_wrong_shape, OP "input_to_cell_weights (input 3) shape "
                 "disagrees (expected 2-D [3,4])");
#undef OP
#undef SIG
}

/* ---- the int8 LSTM (ops-lstm8): what TFLite's 8x8_16 kernel needs, refused precisely ---- */

static void no_intermediates(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)x, (void)in;
    op->n_intermediates = 0;
}

static const float odd_scale = 0.0006f;
static const float unit_scale = 1.0f;

static void cell_scale_not_pot(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[19]].quant.scale = &odd_scale;
}

static void cell_scale_too_coarse(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[19]].quant.scale = &unit_scale; /* 2^0: tanh would need 15 integer bits */
}

static const int32_t zp_one = 1;

static void asymmetric_weights(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[6]].quant.zero_point = &zp_one;
}

static void int16_lstm(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[0]].dtype = TS_DT_INT16;
}

static void int8_cell_state(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[19]].dtype = TS_DT_INT8;
}

static void computed_weights(ts_tensor *x, ts_op *op, int32_t *in)
{
    (void)op;
    x[in[6]].data = NULL; /* another op's output: the zero points cannot be folded at prepare */
}

Test(rnn_state, int8_lstm_forms_tinysim_does_not_run_are_refused_in_one_line)
{
#define OP "m.tflite: op 0 (UNIDIRECTIONAL_SEQUENCE_LSTM): "
#define SIG8 "; int8 [2,3,4], int8 [3,4], int8 [3,4], int8 [3,4], ... -> int8 [2,3,3]"
    refused(LSTM8_SPEC, no_intermediates, OP "0 intermediate tensors (expected 5: TFLite's int8 "
            "LSTM reads the hidden state's quantization from the fifth)");
    refused(LSTM8_SPEC, cell_scale_not_pot, OP "cell_state 'lstm/cell_state' scale 0.0006 "
            "(expected a power of two 2^-15 .. 2^-9: TFLite's integer tanh of the cell)" SIG8);
    refused(LSTM8_SPEC, cell_scale_too_coarse, OP "cell_state 'lstm/cell_state' scale 1 "
            "(expected a power of two 2^-15 .. 2^-9: TFLite's integer tanh of the cell)" SIG8);
    refused(LSTM8_SPEC, asymmetric_weights, OP "recurrent_to_forget_weights (input 6 "
            "'lstm/recurrent_to_forget_weights') zero point 1 (expected 0: TFLite's integer "
            "LSTM takes weights as symmetric)" SIG8);
    refused(LSTM8_SPEC, int16_lstm, OP "int16 input (16x8 LSTM) is not supported (expected "
            "int8 or float32); int16 [2,3,4], int8 [3,4], int8 [3,4], int8 [3,4], ... -> int8 "
            "[2,3,3]");
    refused(LSTM8_SPEC, int8_cell_state, OP "int8 cell_state (input 19) is not supported in an "
            "int8 LSTM (expected int16: TFLite's 8x8_16 integer LSTM)" SIG8);
    refused(LSTM8_SPEC, computed_weights, OP "recurrent_to_forget_weights (input 6 "
            "'lstm/recurrent_to_forget_weights') is not constant (expected constant: the int8 "
            "LSTM folds the zero points into its biases at prepare, as TFLite does)" SIG8);
#undef OP
#undef SIG8
}
