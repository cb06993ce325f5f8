/* Tests for model_check's producer rule (sim/model/model_check.c): every tensor is written by
 * at most one op (or is a graph input), and every graph output is written by one. The models
 * are `tinysim gen`'s UNPACK of [3,2] (tensor 0 the input, 1..3 the outputs) with the op's
 * output list {3: 1, 2, 3} patched; the subgraph's output list, written first, is the same
 * vector and is left alone. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/model/model.h"

static void refused(const int32_t to[4], const char *needle)
{
    static const uint8_t from[16] = {3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0};
    uint8_t *bytes = NULL, *last = NULL;
    size_t len = 0, hits = 0;
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("op:unpack,float32,3x2,axis=0", 1, &bytes, &len, &err),
                 TS_OK, "%s", err.msg);
    for (size_t i = 0; i + sizeof from <= len; i++)
        if (memcmp(bytes + i, from, sizeof from) == 0)
            last = bytes + i, hits++;
    cr_assert_eq(hits, 2, "the subgraph's and the op's output lists");
    for (int j = 0; j < 4; j++)
        last[4 * j] = (uint8_t)to[j];
    cr_assert_eq(ts_model_load_buffer(bytes, len, "m.tflite", &m, &err), TS_ERR_FORMAT);
    cr_expect(strstr(err.msg, needle) != NULL, "\"%s\" lacks \"%s\"", err.msg, needle);
    ts_free(bytes);
}

Test(model_producers, a_tensor_written_twice_is_refused)
{
    static const int32_t twice[4] = {3, 1, 1, 3}, input[4] = {3, 1, 2, 0};

    refused(twice, "m.tflite: subgraph 0, op 0 (UNPACK): output 1 is tensor 1 'output_0', "
                   "already written by op 0 (expected one producer per tensor)");
    refused(input, "m.tflite: subgraph 0, op 0 (UNPACK): output 2 is tensor 0 'input_0', a graph "
                   "input (expected one producer per tensor)");
}

/* The op lists two outputs: graph output 2 (tensor 3) is written by nobody. */
Test(model_producers, a_graph_output_no_op_writes_is_refused)
{
    static const int32_t two[4] = {2, 1, 2, 3};

    refused(two, "m.tflite: subgraph 0: output 2 is tensor 3 'output_2', which no op writes "
                 "(expected an op output, a graph input or a constant)");
}
