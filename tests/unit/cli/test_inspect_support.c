/* CLI tests: `inspect` flags what `run` and `bench` refuse, with the same reason (one support
 * check, ts_ref_check_op), which ends with the op's tensors (dtype and shape of each input and
 * output): an int16 layer with an int32 bias, a hybrid float layer (float32 activations, int8
 * weights), an operator tinysim does not run (LOCAL_RESPONSE_NORMALIZATION) and custom
 * operators (named by their custom code).
 * The single-op models are written by sim/gen (ts_gen_tensor, ts_gen_builtin_op). */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "sim/base/alloc.h"
#include "sim/gen/gen.h"

typedef struct layer {
    int32_t code;           /* BuiltinOperator */
    ts_dtype act, weights;  /* activation and weight dtypes */
} layer;

/* Writes model g to a new temporary file whose name goes to path; frees g. */
static const char *write_gen(ts_gen *g, char *path, size_t cap)
{
    uint8_t *bytes;
    size_t len;
    ts_err err;
    int fd;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_write(g, &bytes, &len, &err), TS_OK, "%s", err.msg);
    snprintf(path, cap, "/tmp/tinysim-support-XXXXXX");
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    cli_write_file(path, bytes, len);
    ts_free(bytes);
    ts_gen_free(g);
    return path;
}

/* A FULLY_CONNECTED-shaped op: input [1,8] act, weights [4,8], bias [4], output [1,4] act
 * (quantized when integer), written to a new temporary file whose name goes to path. */
static const char *write_model(const layer *l, char *path, size_t cap)
{
    ts_gen *g;
    ts_err err;
    int32_t in[3], out;
    float qa = l->act == TS_DT_FLOAT32 ? 0.0f : 0.05f;
    ts_dtype bias = l->act == TS_DT_FLOAT32 ? TS_DT_FLOAT32 : TS_DT_INT32;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_new(1, &g, &err), TS_OK);
    cr_assert_eq(ts_gen_tensor(g, "x", l->act, 2, (int32_t[]){1, 8}, false, qa, &in[0], &err),
                 TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_tensor(g, "w", l->weights, 2, (int32_t[]){4, 8}, true, 0.01f, &in[1],
                               &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_tensor(g, "b", bias, 1, (int32_t[]){4}, true, 0.0f, &in[2], &err), TS_OK);
    cr_assert_eq(ts_gen_tensor(g, "y", l->act, 2, (int32_t[]){1, 4}, false, qa, &out, &err),
                 TS_OK);
    cr_assert_eq(ts_gen_input_tensor(g, in[0], &err), TS_OK);
    cr_assert_eq(ts_gen_builtin_op(g, l->code, 3, in, 1, &out, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_output(g, out, &err), TS_OK);
    return write_gen(g, path, cap);
}

/* inspect (text and JSON) flags op 0 with `reason`; run refuses it with the same reason. */
static void expect_flagged(const layer *l, const char *reason)
{
    char model[64], line[512];
    cli_result r;
    cJSON *doc, *op;

    write_model(l, model, sizeof model);
    r = cli_run((const char *[]){"inspect", model, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "note: run and bench refuse 1 op of this model:\n"), "%s", r.out);
    snprintf(line, sizeof line, "  op 0 (%s): %s\n", l->code == 9 ? "FULLY_CONNECTED" : "?",
             reason);
    if (l->code == 9)
        cr_expect(strstr(r.out, line), "'%s' lacks '%s'", r.out, line);
    cli_result_free(&r);
    r = cli_run((const char *[]){"inspect", "--json", model, NULL});
    doc = cJSON_Parse(r.out);
    op = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "ops"), 0);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(op, "supported")), "%s", r.out);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(op, "unsupported_reason")), reason);
    cJSON_Delete(doc);
    cli_result_free(&r);
    r = cli_run((const char *[]){"run", model, NULL});
    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect(strstr(r.err, reason), "run says '%s', inspect '%s'", r.err, reason);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_inspect_support, an_int16_layer_with_an_int32_bias_is_flagged_as_run_refuses_it)
{
    expect_flagged(&(layer){9, TS_DT_INT16, TS_DT_INT8},
                   "int16 input, int8 weights, int32 bias, int16 output is not supported "
                   "(expected int8 with int32 bias, int16 with int8 weights and int64 bias, or "
                   "float32); int16 [1,8], int8 [4,8], int32 [4] -> int16 [1,4]");
}

Test(cli_inspect_support, a_hybrid_float_layer_is_flagged_as_run_refuses_it)
{
    expect_flagged(&(layer){9, TS_DT_FLOAT32, TS_DT_INT8},
                   "float32 input with int8 weights (hybrid) is not supported; float32 [1,8], "
                   "int8 [4,8], float32 [4] -> float32 [1,4]");
}

Test(cli_inspect_support, an_unknown_operator_is_flagged_and_its_macs_counted)
{
    char model[64];
    cli_result r;

    /* LOCAL_RESPONSE_NORMALIZATION-coded op (13, an operator tinysim does not run; its MACs
     * are not counted) on [1,8] input and [4,8] weights: flagged as not supported */
    expect_flagged(&(layer){13, TS_DT_INT8, TS_DT_INT8},
                   "operator not supported; int8 [1,8], int8 [4,8], int32 [4] -> int8 [1,4]");
    write_model(&(layer){13, TS_DT_INT8, TS_DT_INT8}, model, sizeof model);
    r = cli_run((const char *[]){"inspect", "--csv", model, NULL});
    cr_expect(strstr(r.out, ",\"operator not supported; int8 [1,8], int8 [4,8], int32 [4] -> "
                            "int8 [1,4]\"\n"), "%s", r.out);
    cli_result_free(&r);
    unlink(model);
}

/* MAXIMUM int8 compares stored values, so inputs with another quantization than the output's
 * (which the TFLite converter never writes) are refused, by inspect, run and bench alike. */
Test(cli_inspect_support, maximum_with_inputs_of_another_quantization_is_refused_everywhere)
{
    const char *reason = "output quantization (scale 0.05, zero point 0) differs from input "
                         "'y' (scale 0.1, zero point 0)";
    char model[64];
    ts_gen *g;
    ts_err err;
    int32_t in[2], out;
    cli_result r;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_new(1, &g, &err), TS_OK);
    cr_assert_eq(ts_gen_tensor(g, "x", TS_DT_INT8, 2, (int32_t[]){1, 4}, false, 0.05f, &in[0],
                               &err), TS_OK);
    cr_assert_eq(ts_gen_tensor(g, "y", TS_DT_INT8, 2, (int32_t[]){1, 4}, false, 0.1f, &in[1],
                               &err), TS_OK);
    cr_assert_eq(ts_gen_tensor(g, "z", TS_DT_INT8, 2, (int32_t[]){1, 4}, false, 0.05f, &out,
                               &err), TS_OK);
    cr_assert_eq(ts_gen_input_tensor(g, in[0], &err), TS_OK);
    cr_assert_eq(ts_gen_input_tensor(g, in[1], &err), TS_OK);
    cr_assert_eq(ts_gen_builtin_op(g, 55, 2, in, 1, &out, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_output(g, out, &err), TS_OK);
    write_gen(g, model, sizeof model);
    r = cli_run((const char *[]){"inspect", model, NULL});
    cr_expect(strstr(r.out, "  op 0 (MAXIMUM): ") && strstr(r.out, reason), "%s", r.out);
    cli_result_free(&r);
    r = cli_run((const char *[]){"run", model, NULL});
    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect(strstr(r.err, "op 0 (MAXIMUM): ") && strstr(r.err, reason), "%s", r.err);
    cli_result_free(&r);
    r = cli_run((const char *[]){"bench", "--no-db", "--target", "cortex-m4", model, NULL});
    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect(strstr(r.err, "op 0 (MAXIMUM): ") && strstr(r.err, reason), "%s", r.err);
    cli_result_free(&r);
    unlink(model);
}

/* NEG on quantized int8 is not an operator TFLite runs (its NEG kernel takes float32 and
 * integer tensors): inspect flags it and run refuses it with that reason; float32 NEG runs. */
Test(cli_inspect_support, int8_neg_is_refused_and_float_neg_runs)
{
    char model[4096];
    cli_result r;

    cli_gen_model("op:neg,int8,8", model, sizeof model);
    r = cli_run((const char *[]){"inspect", model, NULL});
    cr_expect(strstr(r.out, "  op 0 (NEG): int8 input is not supported (TFLite defines NEG"),
              "%s", r.out);
    cli_result_free(&r);
    r = cli_run((const char *[]){"run", model, NULL});
    cr_expect_eq(r.status, 2, "%s", r.err);
    cli_result_free(&r);
    unlink(model);
    cli_gen_model("op:neg,float32,8", model, sizeof model);
    r = cli_run((const char *[]){"run", model, NULL});
    cr_expect_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    unlink(model);
}

/* Custom operators are named by their custom code: a model of three CUSTOM ops (two codes,
 * one used twice: the writer gives each code one OperatorCode) and, before the second code's
 * first use, a code-32 op without a custom code (an OperatorCode of its own, which a custom op
 * must not take) is read back with those names; inspect lists each refused op under its
 * code, and bench names the first. */
Test(cli_inspect_support, custom_ops_are_named_by_their_custom_code)
{
    char model[64];
    const char *codes[4] = {"MyPostProcess", NULL, "TFLite_Detection_PostProcess",
                            "MyPostProcess"}; /* NULL: the plain code-32 op */
    ts_gen *g;
    ts_err err;
    int32_t t[5];
    ts_model *m = NULL;
    cli_result r;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_new(1, &g, &err), TS_OK);
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "t%d", i);
        cr_assert_eq(ts_gen_tensor(g, name, TS_DT_INT8, 2, (int32_t[]){1, 4}, false, 0.05f, &t[i],
                                   &err), TS_OK);
    }
    cr_assert_eq(ts_gen_input_tensor(g, t[0], &err), TS_OK);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(codes[i] ? ts_gen_custom_op(g, codes[i], 1, &t[i], 1, &t[i + 1], &err)
                              : ts_gen_builtin_op(g, 32, 1, &t[i], 1, &t[i + 1], &err),
                     TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_custom_op(g, "", 1, &t[0], 1, &t[1], &err), TS_ERR_RANGE);
    cr_assert_eq(ts_gen_graph(g)->n_ops, 4, "a refused custom op leaves nothing behind");
    cr_assert_eq(ts_gen_output(g, t[4], &err), TS_OK);
    write_gen(g, model, sizeof model);
    cr_assert_eq(ts_model_load_file(model, &m, &err), TS_OK, "%s", err.msg);
    for (int i = 0; i < 4; i++) {
        const ts_op *op = &ts_model_graph(m)->ops[i];
        cr_expect(op->is_custom == (codes[i] != NULL) && op->builtin_code == 32, "op %d", i);
        cr_expect_str_eq(op->name, codes[i] ? codes[i] : "CUSTOM");
    }
    ts_model_free(m);
    r = cli_run((const char *[]){"inspect", model, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "note: run and bench refuse 4 ops of this model:\n"), "%s", r.out);
    cr_expect(strstr(r.out, "  op 0 (MyPostProcess): custom operator (TFLite CUSTOM, custom "
                            "code 'MyPostProcess') not supported; int8 [1,4] -> int8 [1,4]\n") &&
              strstr(r.out, "  op 2 (TFLite_Detection_PostProcess): custom operator") &&
              strstr(r.out, "  op 3 (MyPostProcess): "), "%s", r.out);
    cli_result_free(&r);
    r = cli_run((const char *[]){"bench", "--no-db", "--target", "cortex-m4", model, NULL});
    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect(strstr(r.err, "op 0 (MyPostProcess): custom operator"), "%s", r.err);
    cli_result_free(&r);
    unlink(model);
}
