/* Tests for sim/ref (ref.c, ref_prepare.c, ref_exec.c) on tiny in-memory graphs: values,
 * arena placement (outputs read at the planned offset, RESHAPE as a view, scratch in the
 * arena), error messages for bad inputs and unsupported ops, allocation-failure handling,
 * and every sim/gen architecture running end to end. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/ref/ref.h"

/* FC int8 [1,4] x [3,4] + bias -> [1,3] (scales 1, output zero point -1), optionally
 * followed by RESHAPE to [3]. Exact requantisation: real multiplier 1.0. */
typedef struct tiny {
    ts_graph g;
    ts_tensor t[6];
    ts_op ops[2];
    int32_t fc_io[4], rs_io[2], gin[1], gout[1];
    float one[1];
    int32_t zero[1], minus1[1];
} tiny;

static const int8_t tiny_w[12] = {1, 2, 3, 4, -1, 0, 1, 0, 10, 10, 10, 10};
static const int32_t tiny_b[3] = {0, 5, -3};

static void tensor(tiny *m, int32_t i, ts_dtype dt, int32_t rank, const int32_t *shape,
                   const int32_t *zp)
{
    ts_tensor *t = &m->t[i];
    t->name = "t";
    t->dtype = dt;
    t->rank = rank;
    t->n_elems = 1;
    for (int32_t d = 0; d < rank; d++)
        t->shape[d] = shape[d], t->n_elems *= shape[d];
    t->size_bytes = (size_t)t->n_elems * ts_dtype_size(dt);
    t->quant = (ts_quant){1, m->one, zp, 0};
}

static void tiny_init(tiny *m, bool with_reshape)
{
    static const int32_t s14[] = {1, 4}, s34[] = {3, 4}, s3[] = {3}, s13[] = {1, 3};

    memset(m, 0, sizeof *m);
    m->one[0] = 1.0f, m->zero[0] = 0, m->minus1[0] = -1;
    tensor(m, 0, TS_DT_INT8, 2, s14, m->zero);
    tensor(m, 1, TS_DT_INT8, 2, s34, m->zero);
    tensor(m, 2, TS_DT_INT32, 1, s3, m->zero);
    tensor(m, 3, TS_DT_INT8, 2, s13, m->minus1);
    tensor(m, 4, TS_DT_INT8, 1, s3, m->minus1);
    m->t[1].data = (const uint8_t *)tiny_w, m->t[1].buffer = 1;
    m->t[2].data = (const uint8_t *)tiny_b, m->t[2].buffer = 2;
    memcpy(m->fc_io, (int32_t[]){0, 1, 2, 3}, sizeof m->fc_io);
    m->ops[0] = (ts_op){.kind = TS_OP_FULLY_CONNECTED, .builtin_code = 9,
                        .name = "FULLY_CONNECTED", .n_inputs = 3, .inputs = m->fc_io,
                        .n_outputs = 1, .outputs = m->fc_io + 3};
    m->rs_io[0] = 3, m->rs_io[1] = 4;
    m->ops[1] = (ts_op){.kind = TS_OP_RESHAPE, .builtin_code = 22, .name = "RESHAPE",
                        .n_inputs = 1, .inputs = m->rs_io, .n_outputs = 1,
                        .outputs = m->rs_io + 1};
    m->gin[0] = 0;
    m->gout[0] = with_reshape ? 4 : 3;
    m->g = (ts_graph){"tiny", with_reshape ? 5 : 4, m->t, with_reshape ? 2 : 1, m->ops,
                      1, m->gin, 1, m->gout};
}

static ts_ref *prepare_ok(const tiny *m)
{
    ts_ref *r = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&m->g, "tiny.tflite", &r, &err), TS_OK, "%s", err.msg);
    return r;
}

static void prepare_fails(const tiny *m, ts_status code, const char *needle)
{
    ts_ref *r = (ts_ref *)1;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&m->g, "tiny.tflite", &r, &err), code, "%s", err.msg);
    cr_assert_null(r);
    cr_assert(strstr(err.msg, needle), "message '%s' lacks '%s'", err.msg, needle);
}

Test(ref, runs_a_fully_connected_layer_and_reads_the_output_at_its_planned_offset)
{
    tiny m;
    const int8_t in[4] = {1, 1, 1, 1};
    ts_err err;
    ts_ref *r;
    size_t bytes;
    const int8_t *out;

    tiny_init(&m, false);
    r = prepare_ok(&m);
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_set_input(r, 0, in, sizeof in, &err), TS_OK);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    out = ts_ref_output(r, 0, &bytes);
    cr_assert_eq(bytes, 3);
    cr_assert_eq((const uint8_t *)out, ts_ref_arena(r, NULL) + ts_ref_plan(r)->tensor_offset[3]);
    cr_assert_eq(out[0], 9);  /* 10 - 1 */
    cr_assert_eq(out[1], 4);  /* 0 + 5 - 1 */
    cr_assert_eq(out[2], 36); /* 40 - 3 - 1 */
    ts_ref_free(r);
}

/* FC output 0 of input {-2,0,0,0} is -2 * 0.25 = -0.5 (output scale 4): SINGLE rounds the tie
 * up to 0, DOUBLE (SRDHM exact, then RoundingDivideByPOT away from zero) to -1; plus zp -1. */
static int8_t tie_output(tiny *m, const ts_ref_opts *opts, int32_t want_mode)
{
    const int8_t in[4] = {-2, 0, 0, 0};
    ts_ref *r = NULL;
    ts_err err;
    int8_t v;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph_opts(&m->g, "tiny.tflite", opts, &r, &err), TS_OK, "%s",
                 err.msg);
    cr_assert_eq(ts_ref_rounding(r), want_mode);
    cr_assert_eq(ts_ref_op_at(r, 0)->rounding, want_mode);
    cr_assert_eq(ts_ref_op_at(r, 0)->p.fc.rounding, want_mode);
    cr_assert_eq(ts_ref_set_input(r, 0, in, sizeof in, &err), TS_OK);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    v = ((const int8_t *)ts_ref_output(r, 0, NULL))[0];
    cr_assert_eq(((const int8_t *)ts_ref_output(r, 0, NULL))[2], -7); /* -23/4 -> -6, -1 */
    ts_ref_free(r);
    return v;
}

Test(ref, rounding_option_reaches_every_op_and_defaults_to_single)
{
    static float four[1] = {4.0f};
    const ts_ref_opts single = {.rounding = TSK_ROUND_SINGLE}, dbl = {.rounding = TSK_ROUND_DOUBLE};
    tiny m;

    tiny_init(&m, false);
    m.t[3].quant.scale = four;
    cr_assert_eq(tie_output(&m, NULL, TSK_ROUND_SINGLE), -1);
    cr_assert_eq(tie_output(&m, &single, TSK_ROUND_SINGLE), -1);
    cr_assert_eq(tie_output(&m, &dbl, TSK_ROUND_DOUBLE), -2);
}

Test(ref, rejects_an_unknown_rounding_mode)
{
    const ts_ref_opts bad = {.rounding = (tsk_rounding)7};
    ts_ref *r = (ts_ref *)1;
    tiny m;
    ts_err err;

    tiny_init(&m, false);
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph_opts(&m.g, "tiny.tflite", &bad, &r, &err), TS_ERR_RANGE);
    cr_assert_null(r);
    cr_assert(strstr(err.msg, "tiny.tflite: rounding mode 7 is not supported"), "%s", err.msg);
}

Test(ref, clamps_to_int8_and_keeps_inputs_across_invokes)
{
    tiny m;
    const int8_t in[4] = {10, 10, 10, 10};
    ts_ref *r;
    const int8_t *out;

    tiny_init(&m, false);
    r = prepare_ok(&m);
    cr_assert_eq(ts_ref_set_input(r, 0, in, sizeof in, NULL), TS_OK);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(ts_ref_invoke(r, NULL), TS_OK);
        out = ts_ref_output(r, 0, NULL);
        cr_assert_eq(out[0], 99);
        cr_assert_eq(out[2], 127); /* 397 - 1 clamped */
    }
    ts_ref_free(r);
}

Test(ref, reshape_output_is_a_view_of_its_input_in_the_arena)
{
    tiny m;
    const int8_t in[4] = {1, 1, 1, 1};
    ts_ref *r;
    const int8_t *out;

    tiny_init(&m, true);
    r = prepare_ok(&m);
    cr_assert_eq(ts_ref_plan(r)->tensor_offset[4], ts_ref_plan(r)->tensor_offset[3]);
    cr_assert_eq(ts_ref_op_at(r, 1)->kind, TS_OP_RESHAPE);
    cr_assert_eq(ts_ref_set_input(r, 0, in, sizeof in, NULL), TS_OK);
    cr_assert_eq(ts_ref_invoke(r, NULL), TS_OK);
    out = ts_ref_output(r, 0, NULL);
    cr_assert_eq((const uint8_t *)out, ts_ref_arena(r, NULL) + ts_ref_plan(r)->tensor_offset[4]);
    cr_assert_eq(out[0], 9);
    cr_assert_eq(out[2], 36);
    ts_ref_free(r);
}

Test(ref, puts_scratch_buffers_inside_the_arena)
{
    tiny m;
    ts_ref *r;
    const ts_ref_op *ro;
    size_t arena;

    tiny_init(&m, false);
    r = prepare_ok(&m);
    ro = ts_ref_op_at(r, 0);
    ts_ref_arena(r, &arena);
    cr_assert_gt(ro->scratch_bytes, 0);
    cr_assert_geq(ro->scratch_offset, 0);
    cr_assert_leq((size_t)ro->scratch_offset + (size_t)ro->scratch_bytes, arena);
    cr_assert_eq(arena, ts_ref_plan(r)->arena_bytes);
    cr_assert_eq((uintptr_t)ts_ref_arena(r, NULL) % 16, 0);
    ts_ref_free(r);
}

Test(ref, rejects_a_wrong_input_size_with_expected_and_actual)
{
    tiny m;
    const int8_t in[5] = {0};
    ts_ref *r;
    ts_err err;

    tiny_init(&m, false);
    r = prepare_ok(&m);
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_set_input(r, 0, in, sizeof in, &err), TS_ERR_RANGE);
    cr_assert_str_eq(err.msg, "tiny.tflite: input 0 ('t'): 5 bytes (expected 4 for int8 [1,4])");
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_set_input(r, 1, in, 4, &err), TS_ERR_RANGE);
    cr_assert(strstr(err.msg, "input 1 does not exist (model has 1 input)"), "%s", err.msg);
    ts_ref_free(r);
}

Test(ref, names_the_index_and_name_of_an_unsupported_operator)
{
    tiny m;

    tiny_init(&m, false);
    m.ops[0].kind = TS_OP_UNSUPPORTED;
    m.ops[0].name = "TANH";
    prepare_fails(&m, TS_ERR_UNSUPPORTED, "tiny.tflite: op 0 (TANH): operator not supported");
}

Test(ref, rejects_a_tanh_fused_activation)
{
    tiny m;

    tiny_init(&m, false);
    m.ops[0].opts.fc.act = TS_ACT_TANH;
    prepare_fails(&m, TS_ERR_UNSUPPORTED,
                  "op 0 (FULLY_CONNECTED): fused activation TANH is not supported");
}

Test(ref, rejects_hybrid_float_input_with_int8_weights)
{
    tiny m;

    tiny_init(&m, false);
    m.t[0].dtype = TS_DT_FLOAT32, m.t[0].size_bytes = 16;
    m.t[3].dtype = TS_DT_FLOAT32, m.t[3].size_bytes = 12;
    prepare_fails(&m, TS_ERR_UNSUPPORTED, "tiny.tflite: op 0 (FULLY_CONNECTED): float32 input "
                  "with int8 weights (hybrid) is not supported");
}

Test(ref, rejects_int16_activations_naming_the_dtypes)
{
    tiny m;

    tiny_init(&m, false);
    m.t[0].dtype = TS_DT_INT16, m.t[0].size_bytes = 8;
    prepare_fails(&m, TS_ERR_UNSUPPORTED, "op 0 (FULLY_CONNECTED): int16 input, int8 weights, "
                  "int32 bias, int8 output is not supported");
}

/* tiny as 16x8: int16 input and output (zero points 0), int64 bias; scales 1, so each output
 * is the exact dot product plus bias. */
static const int64_t tiny_b64[3] = {0, 5, -3};

static void tiny_16x8(tiny *m)
{
    tiny_init(m, false);
    m->t[0].dtype = TS_DT_INT16, m->t[0].size_bytes = 8;
    m->t[2].dtype = TS_DT_INT64, m->t[2].size_bytes = 24;
    m->t[2].data = (const uint8_t *)tiny_b64;
    m->t[3].dtype = TS_DT_INT16, m->t[3].size_bytes = 6, m->t[3].quant.zero_point = m->zero;
}

Test(ref, runs_a_16x8_fully_connected_layer_with_an_int64_bias)
{
    tiny m;
    const int16_t in[4] = {100, -200, 3, 3000};
    int16_t out[3];
    ts_err err;
    ts_ref *r;
    size_t bytes;

    tiny_16x8(&m);
    r = prepare_ok(&m);
    cr_assert_eq(ts_ref_op_at(r, 0)->dtype, TS_DT_INT16);
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_set_input(r, 0, in, sizeof in, &err), TS_OK);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(out, ts_ref_output(r, 0, &bytes), sizeof out);
    cr_assert_eq(bytes, 6);
    cr_assert_eq(out[0], 11709); /* 100 - 400 + 9 + 12000 */
    cr_assert_eq(out[1], -92);   /* -100 + 3 + 5 */
    cr_assert_eq(out[2], 29027); /* 10 * 2903 - 3 */
    ts_ref_free(r);
}

Test(ref, refuses_16x8_with_a_nonzero_zero_point_or_an_int32_bias)
{
    tiny m;

    tiny_16x8(&m);
    m.t[3].quant.zero_point = m.minus1;
    prepare_fails(&m, TS_ERR_UNSUPPORTED, "tiny.tflite: op 0 (FULLY_CONNECTED): int16 output "
                  "'t' zero point -1 (expected 0: 16x8 quantization is symmetric); int16 [1,4], "
                  "int8 [3,4], int64 [3] -> int16 [1,3]");
    tiny_16x8(&m);
    m.t[2].dtype = TS_DT_INT32, m.t[2].size_bytes = 12, m.t[2].data = (const uint8_t *)tiny_b;
    prepare_fails(&m, TS_ERR_UNSUPPORTED, "int16 input, int8 weights, int32 bias, int16 output "
                  "is not supported");
}

Test(ref, rejects_per_channel_weights_of_the_wrong_length)
{
    tiny m;
    static const float two[2] = {1.0f, 1.0f};
    static const int32_t zz[2] = {0, 0};

    tiny_init(&m, false);
    m.t[1].quant = (ts_quant){2, two, zz, 0};
    prepare_fails(&m, TS_ERR_FORMAT, "have 2 scales (expected 1 or 3)");
}

Test(ref, returns_nomem_for_every_failed_allocation)
{
    tiny m;
    ts_ref *r = NULL;
    ts_err err;
    ts_status st = TS_ERR_NOMEM;

    tiny_init(&m, true);
    for (long n = 0; n < 100 && st == TS_ERR_NOMEM; n++) {
        ts_err_clear(&err);
        ts_alloc_fail_after(n);
        st = ts_ref_prepare_graph(&m.g, "tiny.tflite", &r, &err);
        ts_alloc_fail_after(-1);
        cr_assert(st == TS_OK || st == TS_ERR_NOMEM, "allocation %ld: %s", n, err.msg);
        cr_assert(st == TS_OK || r == NULL);
    }
    cr_assert_eq(st, TS_OK);
    ts_ref_free(r);
}

/* Every sim/gen architecture (ADD, AVERAGE_POOL_2D, MEAN, ... included) runs end to end. */
Test(ref, runs_every_generated_architecture)
{
    for (int32_t i = 0; i < ts_gen_n_archs(); i++) {
        const ts_gen_arch *a = ts_gen_arch_at(i);
        uint8_t *bytes = NULL;
        size_t len = 0;
        ts_model *m = NULL;
        ts_ref *r = NULL;
        ts_err err;
        if (strchr(a->usage, ':'))
            continue; /* parameterised single layers */
        ts_err_clear(&err);
        cr_assert_eq(ts_gen_spec_bytes(a->name, 1, &bytes, &len, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_model_load_buffer(bytes, len, a->name, &m, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
        cr_log_info("gen %s: %d ops, arena %zu bytes", a->name, ts_ref_n_ops(r),
                    ts_ref_plan(r)->arena_bytes);
        ts_ref_free(r);
        ts_model_free(m);
        ts_free(bytes);
    }
}

/* A kernel's refusal of the model's data (a GATHER index beyond its axis) is the user's
 * error, a range error; any other refusal is tinysim's (prepare let a bad op through). */
Test(ref, a_data_refusal_is_a_range_error_and_an_argument_refusal_internal)
{
    cr_assert_eq(ts_ref_kernel_status(TSK_OK), TS_OK);
    cr_assert_eq(ts_ref_kernel_status(TSK_ERR_DATA), TS_ERR_RANGE);
    cr_assert_eq(ts_ref_kernel_status(TSK_ERR_ARG), TS_ERR_INTERNAL);
    cr_assert_eq(ts_ref_kernel_status(TSK_ERR_SCRATCH), TS_ERR_INTERNAL);
    cr_assert_eq(ts_ref_kernel_status(TSFW_ERR_KIND), TS_ERR_INTERNAL);
}
