/* Tests for sim/model/model_stats.c: MACs of TRANSPOSE_CONV and of the recurrent ops (SVDF and
 * UNIDIRECTIONAL_SEQUENCE_LSTM, which tinysim runs, and LSTM), counted from tensor shapes by the
 * conv/FC convention. Single-op models are written by sim/gen (ts_gen_builtin_op) and read back
 * through the reader; every expected count is worked out by hand in the comments. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/model/model.h"

/* Tensor helper: name, dtype, rank, shape, constant. */
static int32_t tensor(ts_gen *g, const char *name, ts_dtype dt, int32_t rank,
                      const int32_t *shape, bool constant)
{
    int32_t t;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_tensor(g, name, dt, rank, shape, constant, 0.0f, &t, &err), TS_OK, "%s",
                 err.msg);
    return t;
}

/* One op of `code` on inputs in (-1 = absent) with output out; the model written, read back,
 * and its op 0's MAC count returned (the name read back in *name). */
static uint64_t macs_of(ts_gen *g, int32_t code, int32_t n_in, const int32_t *in, int32_t out,
                        const char *want_name)
{
    uint8_t *bytes;
    size_t len;
    ts_model *m;
    ts_err err;
    uint64_t macs;
    int32_t first = -1;

    ts_err_clear(&err);
    for (int32_t j = 0; j < n_in && first < 0; j++)
        first = in[j];
    cr_assert_eq(ts_gen_input_tensor(g, first, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_builtin_op(g, code, n_in, in, 1, &out, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_output(g, out, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_write(g, &bytes, &len, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "m.tflite", &m, &err), TS_OK, "%s", err.msg);
    /* SVDF (27) is run since ops-rnn, UNIDIRECTIONAL_SEQUENCE_LSTM (44) since ops-lstm; their
     * MACs are counted from their shapes alike */
    cr_expect_eq(ts_model_graph(m)->ops[0].kind,
                 code == 27   ? TS_OP_SVDF
                 : code == 44 ? TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM
                              : TS_OP_UNSUPPORTED);
    cr_expect_str_eq(ts_model_graph(m)->ops[0].name, want_name);
    macs = ts_op_macs(ts_model_graph(m), &ts_model_graph(m)->ops[0]);
    ts_model_free(m);
    ts_free(bytes);
    ts_gen_free(g);
    return macs;
}

static ts_gen *new_gen(void)
{
    ts_gen *g;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_new(1, &g, &err), TS_OK, "%s", err.msg);
    return g;
}

/* TRANSPOSE_CONV, now run: the single-op model of `tinysim gen`, read back as supported. */
Test(model_stats, transpose_conv_counts_every_input_element_times_kernel_and_out_channels)
{
    uint8_t *bytes;
    size_t len;
    ts_model *m;
    ts_err err;

    /* input [1,4,4,8] (128 elements), weights [16,3,3,8]: 128 * 3*3*16 = 18,432 */
    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("op:transpose_conv,int8,1x4x4x8,filter=16.3.3,stride=2.2", 1,
                                   &bytes, &len, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "m.tflite", &m, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(ts_model_graph(m)->ops[0].kind, TS_OP_TRANSPOSE_CONV);
    cr_expect_eq(ts_op_macs(ts_model_graph(m), &ts_model_graph(m)->ops[0]), 18432);
    ts_model_free(m);
    ts_free(bytes);
}

Test(model_stats, svdf_counts_feature_and_time_weights_per_batch_row)
{
    ts_gen *g = new_gen();
    int32_t in[5], out;

    /* batch 2, input 10, 4 units x rank 3 = 12 filters, memory 5:
     * 2 * (12*10 + 12*5) = 360 */
    in[0] = tensor(g, "input", TS_DT_FLOAT32, 2, (int32_t[]){2, 10}, false);
    in[1] = tensor(g, "weights_feature", TS_DT_FLOAT32, 2, (int32_t[]){12, 10}, true);
    in[2] = tensor(g, "weights_time", TS_DT_FLOAT32, 2, (int32_t[]){12, 5}, true);
    in[3] = tensor(g, "bias", TS_DT_FLOAT32, 1, (int32_t[]){4}, true);
    in[4] = tensor(g, "state", TS_DT_FLOAT32, 2, (int32_t[]){2, 60}, false);
    out = tensor(g, "output", TS_DT_FLOAT32, 2, (int32_t[]){2, 4}, false);
    cr_expect_eq(macs_of(g, 27, 5, in, out, "SVDF"), 360);
}

/* The 20 inputs of an LSTM (tensorflow/lite/kernels/lstm_shared.h): input; input-to-gate
 * weights (input, forget, cell, output); recurrent weights (same order); peepholes (input,
 * forget, output); gate biases; projection weights and bias; output and cell state. */
static void lstm_inputs(ts_gen *g, int32_t *in, const int32_t *x_shape, int32_t x_rank,
                        bool cifg, bool peephole)
{
    const int32_t n_cell = 4, n_in = 5, n_out = 4;

    for (int32_t j = 0; j < 20; j++)
        in[j] = -1;
    in[0] = tensor(g, "input", TS_DT_FLOAT32, x_rank, x_shape, false);
    for (int32_t j = cifg ? 2 : 1; j <= 4; j++)
        in[j] = tensor(g, "w_in", TS_DT_FLOAT32, 2, (int32_t[]){n_cell, n_in}, true);
    for (int32_t j = cifg ? 6 : 5; j <= 8; j++)
        in[j] = tensor(g, "w_rec", TS_DT_FLOAT32, 2, (int32_t[]){n_cell, n_out}, true);
    for (int32_t j = 9; peephole && j <= 11; j++)
        in[j] = tensor(g, "w_peep", TS_DT_FLOAT32, 1, (int32_t[]){n_cell}, true);
    for (int32_t j = cifg ? 13 : 12; j <= 15; j++)
        in[j] = tensor(g, "bias", TS_DT_FLOAT32, 1, (int32_t[]){n_cell}, true);
    in[18] = tensor(g, "output_state", TS_DT_FLOAT32, 2, (int32_t[]){2, n_out}, false);
    in[19] = tensor(g, "cell_state", TS_DT_FLOAT32, 2, (int32_t[]){2, n_cell}, false);
}

Test(model_stats, sequence_lstm_counts_gate_recurrent_and_peephole_weights_per_step_and_row)
{
    ts_gen *g = new_gen();
    int32_t in[20], out;

    /* time 3 x batch 2 = 6 rows; per row 4 * 4*5 input + 4 * 4*4 recurrent + 3 * 4 peephole
     * = 80 + 64 + 12 = 156 -> 936 */
    lstm_inputs(g, in, (int32_t[]){3, 2, 5}, 3, false, true);
    out = tensor(g, "output", TS_DT_FLOAT32, 3, (int32_t[]){3, 2, 4}, false);
    cr_expect_eq(macs_of(g, 44, 20, in, out, "UNIDIRECTIONAL_SEQUENCE_LSTM"), 936);
}

Test(model_stats, a_cifg_lstm_without_peepholes_counts_three_gates)
{
    ts_gen *g = new_gen();
    int32_t in[20], out;

    /* batch 2 rows; CIFG: no input gate: 3 * 4*5 + 3 * 4*4 = 108 per row -> 216 */
    lstm_inputs(g, in, (int32_t[]){2, 5}, 2, true, false);
    out = tensor(g, "output", TS_DT_FLOAT32, 2, (int32_t[]){2, 4}, false);
    cr_expect_eq(macs_of(g, 16, 20, in, out, "LSTM"), 216);
}
