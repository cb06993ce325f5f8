/* Tests for the ops-move part of sim/ref on sim/gen single-op models: an op with several
 * outputs gets every output its own arena buffer, apart from each other and from its input
 * (the planner's lifetimes), its prepared slots name them in order (fw_abi.h's layout), and
 * what the executor cannot run is refused with one line naming the op and its tensors. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/ref/ref.h"

static ts_model *load_spec(const char *spec)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes(spec, 1, &bytes, &len, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_model_load_buffer(bytes, len, spec, &m, &err), TS_OK, "%s", err.msg);
    ts_free(bytes);
    return m;
}

static void expect_refusal(const char *spec, ts_status code, const char *needle)
{
    ts_model *m = load_spec(spec);
    ts_ref *r = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), code, "%s: %s", spec, err.msg);
    cr_assert_null(r);
    cr_expect(strstr(err.msg, needle) != NULL, "%s: \"%s\" lacks \"%s\"", spec, err.msg, needle);
    ts_model_free(m);
}

/* [4,6] int8 split in 3 along axis 1: three [4,2] outputs of 8 bytes, disjoint, and none in
 * the 24 bytes of the input. */
Test(ref_move, split_outputs_get_disjoint_buffers_and_slots_in_order)
{
    ts_model *m = load_spec("op:split,int8,4x6,num=3,axis=1");
    const ts_graph *g = ts_model_graph(m);
    ts_ref *r = NULL;
    const ts_ref_op *ro;
    const ts_plan *p;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    ro = ts_ref_op_at(r, 0);
    p = ts_ref_plan(r);
    cr_assert_eq(ro->n_inputs, 4);
    cr_assert_eq(ro->in[0], g->ops[0].inputs[1], "slot 0 is the data, not the axis");
    for (int32_t j = 0; j < 3; j++) {
        int64_t a = p->tensor_offset[ro->in[1 + j]];
        cr_assert_eq(ro->in[1 + j], g->ops[0].outputs[j]);
        cr_expect(ro->in_dims[1 + j].w == 4 && ro->in_dims[1 + j].c == 2, "slot %d dims", j);
        for (int32_t k = 0; k <= 3; k++) {
            int64_t b = p->tensor_offset[ro->in[k]];
            size_t nb = k == 0 ? 24 : 8;
            if (k == 1 + j)
                continue;
            cr_expect(a + 8 <= b || b + (int64_t)nb <= a, "output %d overlaps slot %d", j, k);
        }
    }
    cr_expect_eq(ro->out, ro->in[1]);
    cr_expect_eq(ro->axis, 3, "axis 1 of [4,6] is C of [1,1,4,6]");
    ts_ref_free(r);
    ts_model_free(m);
}

Test(ref_move, split_refusals_name_the_op_and_its_tensors)
{
    expect_refusal("op:split,int8,2x8,num=8,axis=1", TS_ERR_UNSUPPORTED,
                   "op 0 (SPLIT): 8 outputs (at most 7 supported); int32 [1], int8 [2,8] -> "
                   "int8 [2,1], int8 [2,1]");
    expect_refusal("op:unpack,float32,8x2,axis=0", TS_ERR_UNSUPPORTED,
                   "op 0 (UNPACK): 8 outputs (at most 7 supported); float32 [8,2] -> "
                   "float32 [2], float32 [2]");
}

/* SPLIT_V: the -1 takes the rest of the axis: [4,7] sizes 2,-1,1 -> widths 2, 4, 1. */
Test(ref_move, split_v_resolves_its_minus_one_to_the_rest_of_the_axis)
{
    ts_model *m = load_spec("op:split_v,int8,4x7,sizes=2.-1.1,axis=1");
    ts_ref *r = NULL;
    const ts_ref_op *ro;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    ro = ts_ref_op_at(r, 0);
    cr_assert_eq(ro->n_inputs, 4);
    cr_expect(ro->in_dims[1].c == 2 && ro->in_dims[2].c == 4 && ro->in_dims[3].c == 1);
    ts_ref_free(r);
    ts_model_free(m);
}

/* STRIDED_SLICE with an ellipsis or a new axis (the generated model with its options changed
 * in a copy of the graph), and an output shape that disagrees with begin/end/strides. */
Test(ref_move, strided_slice_refuses_ellipsis_and_new_axis_masks_precisely)
{
    ts_model *m = load_spec("op:strided_slice,int8,4x6,begin=1.0,end=3.6,strides=1.2,masks=0.0.0");
    ts_graph g = *ts_model_graph(m);
    ts_op op = g.ops[0];
    ts_tensor t[8];
    ts_ref *r = NULL;
    ts_err err;

    cr_assert_leq(g.n_tensors, 8);
    g.ops = &op;
    op.opts.strided_slice.ellipsis_mask = 1;
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&g, "m.tflite", &r, &err), TS_ERR_UNSUPPORTED);
    cr_expect(strstr(err.msg, "m.tflite: op 0 (STRIDED_SLICE): ellipsis_mask 1, new_axis_mask 0, "
                     "offset 0 (expected 0, 0, false); int8 [4,6], int32 [2], int32 [2], "
                     "int32 [2] -> int8 [2,3]") != NULL, "%s", err.msg);
    op.opts.strided_slice.ellipsis_mask = 0;
    op.opts.strided_slice.new_axis_mask = 2;
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&g, "m.tflite", &r, &err), TS_ERR_UNSUPPORTED);
    op.opts.strided_slice.new_axis_mask = 0;
    memcpy(t, g.tensors, (size_t)g.n_tensors * sizeof *t);
    t[op.outputs[0]].shape[1] = 2;
    g.tensors = t;
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&g, "m.tflite", &r, &err), TS_ERR_FORMAT);
    cr_expect(strstr(err.msg, "output dimension 1 is 2 (expected 3 from begin, end, strides and "
                     "masks)") != NULL, "%s", err.msg);
    cr_assert_null(r);
    ts_model_free(m);
}

/* RESIZE_BILINEAR with both options set (TFLite's Prepare refuses the pair: a bad model), and
 * int8 with an output zero point other than the input's (the kernel interpolates raw values),
 * each in a copy of the generated graph. */
Test(ref_move, resize_bilinear_refuses_both_options_and_a_requantizing_output)
{
    ts_model *m = load_spec("op:resize_bilinear,int8,1x2x3x2,size=4.5");
    ts_graph g = *ts_model_graph(m);
    ts_op op = g.ops[0];
    ts_tensor t[8];
    const int32_t zp = 17;
    ts_ref *r = NULL;
    ts_err err;

    cr_assert_leq(g.n_tensors, 8);
    g.ops = &op;
    op.opts.resize.align_corners = op.opts.resize.half_pixel_centers = true;
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&g, "m.tflite", &r, &err), TS_ERR_FORMAT);
    cr_expect(strstr(err.msg, "m.tflite: op 0 (RESIZE_BILINEAR): align_corners and "
                     "half_pixel_centers both set (expected at most one") != NULL, "%s", err.msg);
    op.opts.resize.half_pixel_centers = false;
    memcpy(t, g.tensors, (size_t)g.n_tensors * sizeof *t);
    t[op.outputs[0]].quant.zero_point = &zp;
    g.tensors = t;
    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph(&g, "m.tflite", &r, &err), TS_ERR_UNSUPPORTED);
    cr_expect(strstr(err.msg, "op 0 (RESIZE_BILINEAR): output quantization") != NULL, "%s",
              err.msg);
    cr_assert_null(r);
    ts_model_free(m);
}
