/* Tests for refusals of sim/ref's prepare on `tinysim gen` models whose bytes are patched into
 * what gen never writes (a 0-sized dimension, ...): each is one line naming the op and the
 * real cause, before any kernel runs. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/ref/ref.h"

/* The model of spec with the one occurrence of the int32 vector `from` (n values, the length
 * included) replaced by `to`; then the prepare must fail with `code` and `needle`. */
static void patched_refusal(const char *spec, const int32_t *from, const int32_t *to, size_t n,
                            ts_status code, const char *needle)
{
    uint8_t *bytes = NULL, pf[64], pt[64];
    size_t len = 0, hits = 0;
    ts_model *m = NULL;
    ts_ref *r = NULL;
    ts_err err;

    cr_assert_leq(n * 4, sizeof pf);
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < 4; b++)
            pf[4 * i + b] = (uint8_t)((uint32_t)from[i] >> (8 * b)),
            pt[4 * i + b] = (uint8_t)((uint32_t)to[i] >> (8 * b));
    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes(spec, 1, &bytes, &len, &err), TS_OK, "%s", err.msg);
    for (size_t i = 0; i + 4 * n <= len; i++)
        if (memcmp(bytes + i, pf, 4 * n) == 0)
            memcpy(bytes + i, pt, 4 * n), hits++;
    cr_assert_eq(hits, 1, "%s: %zu occurrences of the vector to patch", spec, hits);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "m.tflite", &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), code, "%s: %s", spec, err.msg);
    cr_assert_null(r);
    cr_expect(strstr(err.msg, needle) != NULL, "%s: \"%s\" lacks \"%s\"", spec, err.msg, needle);
    ts_model_free(m);
    ts_free(bytes);
}

/* ARG_MAX / ARG_MIN along an axis with no element have no index to return (TFLite's
 * ArgMinMax would write the first index of nothing): the input [3,7,5] becomes [3,0,5]. */
Test(ref_refusals, arg_max_and_arg_min_refuse_an_empty_axis)
{
    static const int32_t from[4] = {3, 3, 7, 5}, to[4] = {3, 3, 0, 5};

    patched_refusal("op:arg_max,int8,3x7x5,axis=1", from, to, 4, TS_ERR_FORMAT,
                    "m.tflite: op 0 (ARG_MAX): axis 1 is empty (input dimension 1 is 0, "
                    "expected at least 1: no index to return)");
    patched_refusal("op:arg_min,float32,3x7x5,axis=-2", from, to, 4, TS_ERR_FORMAT,
                    "m.tflite: op 0 (ARG_MIN): axis -2 is empty (input dimension 1 is 0, "
                    "expected at least 1: no index to return)");
}

/* SOFTMAX int8 -> int16 runs with TFLite Micro's output quantization only (scale 1/65536,
 * zero point -32768): the output's int64 zero point vector {1, -32768} patched to {1, 0}, and
 * its scale vector {1, 2^-16} to {1, 2^-15} (the int16 -> int16 scale), are each refused. */
Test(ref_refusals, softmax_int8_to_int16_refuses_another_output_quantization)
{
    static const int32_t zp[3] = {1, -32768, -1}, zp0[3] = {1, 0, 0};
    static const int32_t sc[2] = {1, 0x37800000}, sc15[2] = {1, 0x38000000};
    const char *spec = "op:softmax,int8,4x64,scale=-4,out=int16";

    patched_refusal(spec, zp, zp0, 3, TS_ERR_UNSUPPORTED,
                    "m.tflite: op 0 (SOFTMAX): int8 input with int16 output: output scale "
                    "1.52588e-05, zero point 0 (expected 1/65536, -32768)");
    patched_refusal(spec, sc, sc15, 2, TS_ERR_UNSUPPORTED,
                    "m.tflite: op 0 (SOFTMAX): int8 input with int16 output: output scale "
                    "3.05176e-05, zero point -32768 (expected 1/65536, -32768)");
}

/* STRIDED_SLICE names the real cause: a 0-sized input dimension is not "a stride is 0". The
 * input [4,6] becomes [4,0]; a stride of 0 (strides 1.2 -> 1.0) and an empty slice keep their
 * own lines. */
Test(ref_refusals, strided_slice_names_the_real_cause)
{
    static const int32_t in[3] = {2, 4, 6}, in0[3] = {2, 4, 0};
    static const int32_t st[3] = {8, 1, 2}, st0[3] = {8, 1, 0}; /* buffers: a byte count */
    static const int32_t en[3] = {8, 3, 6}, en0[3] = {8, 1, 6};
    const char *spec = "op:strided_slice,int8,4x6,begin=1.0,end=3.6,strides=1.2,masks=0.0.0";

    patched_refusal(spec, in, in0, 3, TS_ERR_FORMAT,
                    "m.tflite: op 0 (STRIDED_SLICE): input dimension 1 is 0 (expected at least 1)");
    patched_refusal(spec, st, st0, 3, TS_ERR_FORMAT,
                    "m.tflite: op 0 (STRIDED_SLICE): strides[1] is 0 (expected non-zero)");
    patched_refusal(spec, en, en0, 3, TS_ERR_UNSUPPORTED,
                    "m.tflite: op 0 (STRIDED_SLICE): the slice is empty along axis 0 (begin 1, "
                    "end 1, stride 1 of 4 elements; empty outputs are not supported)");
}

/* A shrunk axis with a negative stride: TFLite's StridedSliceEndForAxis stops a shrunk axis at
 * start + 1, so its loop (index > stop for a negative stride) takes no element and leaves the
 * output unwritten; TensorFlow refuses the slice. Strides 1.2 -> -1.2 with axis 0 shrunk. */
Test(ref_refusals, strided_slice_refuses_a_shrunk_axis_with_a_negative_stride)
{
    static const int32_t st[3] = {8, 1, 2}, neg[3] = {8, -1, 2};

    patched_refusal("op:strided_slice,float32,4x6,begin=1.0,end=3.6,strides=1.2,masks=0.0.1",
                    st, neg, 3, TS_ERR_UNSUPPORTED,
                    "m.tflite: op 0 (STRIDED_SLICE): axis 0 is shrunk with stride -1 (expected a "
                    "positive stride: TFLite's loop takes no element there, TensorFlow refuses "
                    "it)");
}

/* SPLIT_V with a -1 that the other sizes leave nothing: TFLite makes that output zero-sized,
 * which the executor does not run; it used to keep the -1 as a size. size_splits 2.-1.1 of a
 * dimension of 7 becomes 5.-1.2 (a 12-byte buffer). */
Test(ref_refusals, split_v_refuses_a_minus_one_left_nothing)
{
    static const int32_t from[4] = {12, 2, -1, 1}, to[4] = {12, 5, -1, 2};

    patched_refusal("op:split_v,int8,4x7,sizes=2.-1.1,axis=1", from, to, 4, TS_ERR_UNSUPPORTED,
                    "m.tflite: op 0 (SPLIT_V): size_splits[1] is -1 but the other sizes already "
                    "fill dimension 1 (7): TFLite makes output 1 zero-sized (empty outputs are "
                    "not supported)");
}

/* MEAN int16 sums in int32: more than 65,536 elements into one output could overflow, so the
 * prepare refuses them (257 x 256 = 65,792 here), naming the count and the bound; 256 x 256
 * prepares. */
Test(ref_refusals, mean_int16_refuses_more_reduced_elements_than_int32_sums_hold)
{
    static const char *const specs[2] = {"op:mean,int16,1x257x256x1,axis=1.2,keep_dims=1",
                                         "op:mean,int16,1x256x256x1,axis=1.2,keep_dims=1"};

    for (int i = 0; i < 2; i++) {
        uint8_t *bytes = NULL;
        size_t len = 0;
        ts_model *m = NULL;
        ts_ref *r = NULL;
        ts_err err;

        ts_err_clear(&err);
        cr_assert_eq(ts_gen_spec_bytes(specs[i], 1, &bytes, &len, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_model_load_buffer(bytes, len, "m.tflite", &m, &err), TS_OK, "%s",
                     err.msg);
        if (i == 0) {
            cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_ERR_UNSUPPORTED, "%s", err.msg);
            cr_expect(strstr(err.msg, "m.tflite: op 0 (MEAN): 65792 int16 elements reduce into "
                                      "each output (at most 65536: the sums are int32)") != NULL,
                      "%s", err.msg);
        } else {
            cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
        }
        ts_ref_free(r);
        ts_model_free(m);
        ts_free(bytes);
    }
}

/* The input limit of the prepare comes from the op table: the LSTM's rows read ext inputs (24
 * inputs), every other op is held to the descriptor's 8 slots, SVDF and CONCATENATION too. */
Test(ref_refusals, only_ops_whose_rows_read_ext_inputs_take_more_than_the_descriptor_slots)
{
    cr_assert_eq(TS_REF_MAX_INPUTS, 8);
    cr_assert_eq(TS_REF_MAX_OP_INPUTS, 24);
    cr_assert_eq(ts_ref_op_max_inputs(TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM), TS_REF_MAX_OP_INPUTS);
    cr_assert_eq(ts_ref_op_max_inputs(TS_OP_SVDF), TS_REF_MAX_INPUTS);
    cr_assert_eq(ts_ref_op_max_inputs(TS_OP_CONCATENATION), TS_REF_MAX_INPUTS);
    cr_assert_eq(ts_ref_op_max_inputs(TS_OP_CONV_2D), TS_REF_MAX_INPUTS);
}
