/* Tests for the TRANSPOSE_CONV preparation of sim/ref (ref_prepare.c) on `tinysim gen` models:
 * the inputs reordered to the kernels' (input, filter, bias), TFLite's padding of the conv the
 * op transposes (worked out by hand below), the scratch in the arena, and the refusals, each one
 * line naming the op, what is wrong and the op's tensors. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/ref/ref.h"

/* A generated single-op model and a mutable copy of its graph (tensors and the op). */
typedef struct tconv {
    ts_model *m;
    uint8_t *bytes;
    ts_graph g;
    ts_tensor t[8];
    ts_op op;
} tconv;

static void tconv_load(tconv *x, const char *spec)
{
    size_t len;
    ts_err err;
    const ts_graph *g;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes(spec, 1, &x->bytes, &len, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_model_load_buffer(x->bytes, len, "t.tflite", &x->m, &err), TS_OK, "%s",
                 err.msg);
    g = ts_model_graph(x->m);
    cr_assert(g->n_tensors <= 8 && g->n_ops == 1);
    memcpy(x->t, g->tensors, (size_t)g->n_tensors * sizeof *x->t);
    x->op = g->ops[0];
    x->g = *g;
    x->g.tensors = x->t;
    x->g.ops = &x->op;
}

static void tconv_free(tconv *x)
{
    ts_model_free(x->m);
    ts_free(x->bytes);
}

static void prepare_fails(const tconv *x, const char *needle)
{
    ts_ref *r = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&x->g, "t.tflite", &r, &err), TS_ERR_UNSUPPORTED, "%s",
                 err.msg);
    cr_assert(strstr(err.msg, needle), "message '%s' lacks '%s'", err.msg, needle);
}

/* Input [1,3,3,2], filter=3.4.4, stride 2 SAME: output 6x6; TFLite pads as the conv 6x6 -> 3x3
 * with a 4x4 window: (3 - 1) * 2 + 4 - 6 = 2 rows in total, 1 on top. Scratch: 4 * (6*6*3
 * accumulators + 3*4*4 tap sums) = 624 bytes. */
Test(ref_transpose_conv, prepares_inputs_padding_and_scratch_as_tflite)
{
    tconv x;
    ts_ref *r = NULL;
    const ts_ref_op *ro;
    size_t arena;
    ts_err err;

    tconv_load(&x, "op:transpose_conv,int8,1x3x3x2,filter=3.4.4,stride=2.2");
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&x.g, "t.tflite", &r, &err), TS_OK, "%s", err.msg);
    ro = ts_ref_op_at(r, 0);
    cr_expect_eq(ro->n_inputs, 3);
    cr_expect_eq(ro->in[0], x.op.inputs[2], "the activation input comes first");
    cr_expect_eq(ro->in[1], x.op.inputs[1]);
    cr_expect_eq(ro->in[2], x.op.inputs[3]);
    cr_expect_eq(ro->p.conv.padding.h, 1);
    cr_expect_eq(ro->p.conv.padding.w, 1);
    cr_expect_eq(ro->n_quant, 3, "per-channel weights");
    cr_expect_eq(ro->scratch_bytes, 624);
    ts_ref_arena(r, &arena);
    cr_expect_leq((size_t)ro->scratch_offset + 624, arena);
    ts_ref_free(r);
    tconv_free(&x);
}

/* VALID: output (3 - 1) * 2 + 3 = 7; the conv 7 -> 3 with a 3 window needs no padding. */
Test(ref_transpose_conv, valid_padding_crops_nothing)
{
    tconv x;
    ts_ref *r = NULL;
    ts_err err;

    tconv_load(&x, "op:transpose_conv,float32,1x3x3x2,filter=2.3.3,stride=2.2.1");
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&x.g, "t.tflite", &r, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(ts_ref_op_at(r, 0)->out_dims.h, 7);
    cr_expect_eq(ts_ref_op_at(r, 0)->p.conv_f32.padding.h, 0);
    cr_expect_eq(ts_ref_op_at(r, 0)->scratch_bytes, 0);
    ts_ref_free(r);
    tconv_free(&x);
}

Test(ref_transpose_conv, refuses_an_output_shape_computed_at_run_time)
{
    tconv x;

    tconv_load(&x, "op:transpose_conv,int8,1x3x3x2,filter=3.2.2,stride=2.2");
    x.t[x.op.inputs[0]].data = NULL;
    prepare_fails(&x, "t.tflite: op 0 (TRANSPOSE_CONV): output_shape 'transpose_conv/"
                      "output_shape' is computed at run time (expected a constant: dynamic "
                      "output shapes are not supported); int32 [4], int8 [3,2,2,2], "
                      "int8 [1,3,3,2], int32 [3] -> int8 [1,6,6,3]");
    tconv_free(&x);
}

Test(ref_transpose_conv, refuses_hybrid_and_weights_quantized_along_another_axis)
{
    tconv x;

    tconv_load(&x, "op:transpose_conv,int8,1x3x3x2,filter=3.2.2,stride=2.2");
    x.t[x.op.inputs[2]].dtype = TS_DT_FLOAT32;
    prepare_fails(&x, "op 0 (TRANSPOSE_CONV): float32 input with int8 weights (hybrid) is not "
                      "supported; int32 [4], int8 [3,2,2,2], float32 [1,3,3,2]");
    x.t[x.op.inputs[2]].dtype = TS_DT_INT8;
    x.t[x.op.inputs[1]].quant.axis = 3;
    prepare_fails(&x, "op 0 (TRANSPOSE_CONV): weights 'transpose_conv/weights' quantized along "
                      "axis 3 (expected 0)");
    tconv_free(&x);
}

Test(ref_transpose_conv, gen_refuses_a_spec_without_filter_and_stride)
{
    uint8_t *bytes = NULL;
    size_t len;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("op:transpose_conv,int8,3x3x2,filter=3.2.2,stride=2.2", 1,
                                   &bytes, &len, &err), TS_ERR_RANGE);
    cr_expect(strstr(err.msg, "transpose_conv takes a 4-D input, filter=OC.KH.KW[.BIAS] and "
                              "stride=SH.SW[.PADDING[.ACT]]"), "%s", err.msg);
    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("op:transpose_conv,int8,1x3x3x2,filter=3.2.2.2,stride=2.2",
                                   1, &bytes, &len, &err), TS_ERR_RANGE, "bias flag 2");
    ts_err_clear(&err);
    cr_assert_neq(ts_gen_spec_bytes("op:transpose_conv,int8,1x3x3x2,filter=3.2.2", 1, &bytes,
                                    &len, &err), TS_OK);
    cr_expect(strstr(err.msg, "transpose_conv needs filter+stride"), "%s", err.msg);
}

/* The reader's model_check: a constant output_shape must be the output's shape. The model's
 * output_shape buffer (a 16-byte vector: length 16, then 1, 6, 6, 3 as int32) is patched to
 * say 7 rows; the output tensor's own shape vector (length 4) is left alone. */
Test(ref_transpose_conv, the_reader_refuses_an_output_shape_that_is_not_the_output)
{
    static const uint8_t want[20] = {16, 0, 0, 0, 1, 0, 0, 0, 6, 0, 0, 0, 6, 0, 0, 0, 3, 0, 0, 0};
    uint8_t *bytes;
    size_t len, hits = 0;
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("op:transpose_conv,int8,1x3x3x2,filter=3.2.2,stride=2.2", 1,
                                   &bytes, &len, &err), TS_OK, "%s", err.msg);
    for (size_t i = 0; i + sizeof want <= len; i++)
        if (memcmp(bytes + i, want, sizeof want) == 0)
            bytes[i + 8] = 7, hits++;
    cr_assert_eq(hits, 1);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "t.tflite", &m, &err), TS_ERR_FORMAT);
    cr_expect(strstr(err.msg, "op 0 (TRANSPOSE_CONV): output_shape[1] is 7 (output 'output' "
                              "has 6)"), "%s", err.msg);
    ts_free(bytes);
}

/* The reader's model_check: input coordinate i lands at i * stride - pad, so a stride whose
 * scatter leaves int32 is refused before any kernel sees it. stride=3.5 is stored as stride_h 3
 * then stride_w 5 (the only int32 pair 3, 5 in the file); stride_w is patched to 2^30:
 * (3 - 1) * 2^30 alone is 2^31. */
Test(ref_transpose_conv, the_reader_refuses_a_stride_whose_scatter_leaves_int32)
{
    static const uint8_t want[8] = {3, 0, 0, 0, 5, 0, 0, 0};
    uint8_t *bytes;
    size_t len, hits = 0;
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("op:transpose_conv,int8,1x3x3x2,filter=3.2.2,stride=3.5", 1,
                                   &bytes, &len, &err), TS_OK, "%s", err.msg);
    for (size_t i = 0; i + sizeof want <= len; i++)
        if (memcmp(bytes + i, want, sizeof want) == 0)
            bytes[i + 7] = 0x40, bytes[i + 4] = 0, hits++;
    cr_assert_eq(hits, 1);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "t.tflite", &m, &err), TS_ERR_FORMAT);
    cr_expect(strstr(err.msg, "op 0 (TRANSPOSE_CONV): stride_w 1073741824 with input width 3, "
                              "weights width 2 and output width 15 leaves int32 (expected (3 - "
                              "1) * stride + stride + 2 + 15 <= 2147483647)"), "%s", err.msg);
    ts_free(bytes);
}
