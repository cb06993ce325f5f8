/* test_op_table.c: the one op table (kernels/firmware/fw_ops.def) run two ways: every row's
 * kernel, int8 and float, plain and DSP-extension, on the emulated Cortex-M4 through the cpu
 * unit (the firmware's tsfw_invoke reading the descriptor in emulated SRAM) and on the host
 * through ts_unit_run_host (the same descriptor, the host build of the same dispatch, over a
 * host copy of the same emulated memory). Outputs must be byte-identical, and every row of the
 * table must have been run (a new row needs a case here). Int8 ops come from a generated
 * model (sim/gen, prepared by sim/ref for both kernel variants); the ops sim/gen cannot emit
 * (float, MUL, LOGISTIC, PAD, CONCATENATION, QUANTIZE, DEQUANTIZE) are prepared here by hand
 * with the kernels' own prepare helpers. Inputs: xorshift32 data (floats in [-4, 4)). The
 * core runs the image with the extended op set (tsfw_cortex-m4_x.elf), which holds every row;
 * the base images must refuse the extended kinds, and the engine must pick the image a model
 * needs (tests at the end). */
#include <float.h>

#include "engine_test.h"
#include "kernels/firmware/tsfw_host.h"
#include "sim/base/alloc.h"
#include "sim/platform/platform.h"
#include "sim/unit/unit.h"

#define DESC_OFF 0x100u   /* descriptor, from the RAM base */
#define DATA_OFF 0x1000u  /* tensors, scratch and tables from here up */
#define STACK_BYTES 0x4000u

typedef struct rig {
    ts_target t;
    ts_platform *p;
    ts_core *core;
    ts_unit *u;
    uint32_t base;          /* RAM region */
    uint32_t bytes;
    uint8_t *mirror;        /* host copy of the RAM region */
    uint32_t next;          /* next free address of the current case */
    uint32_t seed;
    bool covered[TSFW_OP_COUNT];
} rig;

/* One op to run: its prepared form and the bytes of each input and of the output. */
typedef struct op_case {
    const char *what;
    const ts_ref_op *ro;
    const void *in[TS_REF_MAX_OP_INPUTS]; /* constant data, or NULL for random activations */
    size_t in_bytes[TS_REF_MAX_OP_INPUTS]; /* 0: absent */
    bool in_float[TS_REF_MAX_OP_INPUTS];   /* random activations are float32 */
    size_t out_bytes;
    const int32_t *multiplier, *shift; /* ro->n_quant entries, or NULL */
    bool several_outputs;              /* slots 1.. are outputs (SPLIT: fw_abi.h); their
                                        * random bytes are the fill they must overwrite */
} op_case;

static void *map_ram(void *opaque, uint32_t addr)
{
    rig *r = opaque;

    return addr >= r->base && addr - r->base < r->bytes ? r->mirror + (addr - r->base) : NULL;
}

static void rig_open_set(rig *r, const char *core, int op_set)
{
    ts_core_config cc = {0};
    ts_err err;

    memset(r, 0, sizeof *r);
    ts_err_clear(&err);
    load_target_named(core, &r->t);
    need_firmware(&r->t);
    for (unsigned i = r->t.n_regions; i-- > 0;)
        if (r->t.regions[i].kind == TS_MEM_SRAM) {
            r->base = (uint32_t)r->t.regions[i].base;
            r->bytes = (uint32_t)r->t.regions[i].size_bytes;
        }
    cr_assert_gt(r->bytes, DATA_OFF + STACK_BYTES);
    r->mirror = calloc(1, r->bytes);
    cr_assert_not_null(r->mirror);
    cr_assert_eq(ts_platform_open_set(&r->t, NULL, TS_KERNELS_SIMD, op_set, &r->p, &err), TS_OK,
                 "%s", err.msg);
    cr_assert_eq(ts_platform_boot(r->p, &cc, r->base + r->bytes, STACK_BYTES, &err), TS_OK,
                 "%s", err.msg);
    cr_assert_eq(ts_platform_stack_fill(r->p, &err), TS_OK, "%s", err.msg);
    r->core = ts_platform_core(r->p);
    ts_unit_cfg cfg = {&r->t, r->p, "op_table", r->base + DESC_OFF};
    cr_assert_eq(ts_unit_open("cpu", &cfg, &r->u, &err), TS_OK, "%s", err.msg);
    r->seed = 1;
}

static void rig_open(rig *r, const char *core)
{
    rig_open_set(r, core, tsfw_image_for_sets((1u << TSFW_N_SETS) - 1)); /* every kind */
}

static void rig_close(rig *r)
{
    ts_unit_close(r->u);
    ts_platform_close(r->p);
    free(r->mirror);
}

/* Reserves n bytes (16-aligned) and writes the same bytes to the core and the mirror. */
static uint32_t place(rig *r, const void *data, size_t n)
{
    uint32_t addr = r->next;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_leq(addr - r->base + n, r->bytes - STACK_BYTES, "case does not fit the RAM");
    memcpy(r->mirror + (addr - r->base), data, n);
    cr_assert_eq(ts_core_write(r->core, addr, data, n, &err), TS_OK, "%s", err.msg);
    r->next = (uint32_t)((addr + n + 15u) & ~15u);
    return addr;
}

static uint8_t *random_bytes(rig *r, size_t n, bool as_float)
{
    uint8_t *b = malloc(n ? n : 1);

    cr_assert_not_null(b);
    for (size_t i = 0; i + (as_float ? 4 : 1) <= n; i += as_float ? 4 : 1) {
        uint32_t x = test_xorshift(&r->seed);
        if (as_float) {
            float f = (float)(x >> 8) / (float)(1u << 24) * 8.0f - 4.0f;
            memcpy(b + i, &f, 4);
        } else {
            b[i] = (uint8_t)x;
        }
    }
    return b;
}

/* Output bytes at addr on the core equal the host's (mirror), and differ from `fill`. */
static void check_output(rig *r, const op_case *c, uint32_t addr, size_t bytes,
                         const uint8_t *fill)
{
    uint8_t *got = malloc(bytes);
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_core_read(r->core, addr, got, bytes, &err), TS_OK);
    cr_assert_eq(memcmp(got, r->mirror + (addr - r->base), bytes), 0,
                 "%s (%s): host output differs from the firmware's", c->what,
                 tsfw_kind_name(ts_ref_op_fw_kind(c->ro)));
    cr_assert_neq(memcmp(got, fill, bytes), 0, "%s: output never written", c->what);
    free(got);
}

/* Runs c on the core and on the host; their output bytes must be identical. */
static void run_case(rig *r, const op_case *c)
{
    const ts_ref_op *ro = c->ro;
    ts_unit_op op = {ro->op_index, c->what, ro, 0};
    ts_unit_io io;
    ts_unit_cost cost;
    uint8_t *fill = malloc(c->out_bytes), *slots[TS_REF_MAX_OP_INPUTS] = {NULL};
    ts_err err;

    ts_err_clear(&err);
    memset(&io, 0, sizeof io);
    r->next = r->base + DATA_OFF;
    for (int32_t j = 0; j < ro->n_inputs; j++) {
        uint8_t *rnd = c->in[j] ? NULL : random_bytes(r, c->in_bytes[j], c->in_float[j]);
        if (c->in_bytes[j])
            io.in_addr[j] = place(r, c->in[j] ? c->in[j] : rnd, c->in_bytes[j]);
        slots[j] = rnd;
    }
    memset(fill, 0x5a, c->out_bytes);
    io.out_addr = c->several_outputs ? io.in_addr[1] : place(r, fill, c->out_bytes);
    if (ro->scratch_bytes > 0) {
        uint8_t *s = calloc(1, (size_t)ro->scratch_bytes);
        io.scratch_addr = place(r, s, (size_t)ro->scratch_bytes);
        free(s);
    }
    if (c->multiplier) {
        io.multiplier_addr = place(r, c->multiplier, (size_t)ro->n_quant * 4);
        io.shift_addr = place(r, c->shift, (size_t)ro->n_quant * 4);
    }
    cr_assert(ts_unit_supports(r->u, &op), "%s: no firmware kind", c->what);
    cr_assert_eq(ts_unit_execute(r->u, &op, &io, &cost, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_unit_run_host(&op, &io, map_ram, r, "op_table", &err), TS_OK, "%s",
                 err.msg);
    if (!c->several_outputs)
        check_output(r, c, io.out_addr, c->out_bytes, fill);
    for (int32_t j = 1; c->several_outputs && j < ro->n_inputs; j++)
        check_output(r, c, io.in_addr[j], c->in_bytes[j], slots[j]);
    r->covered[ts_ref_op_fw_kind(ro)] = true;
    for (int32_t j = 0; j < ro->n_inputs; j++)
        free(slots[j]);
    free(fill);
}

/* ---- int8 ops of a generated model ---- */

/* conv -> dwconv -> {max pool, average pool, add, mean -> reshape -> fc -> softmax}. */
static ts_gen *int8_model(void)
{
    const int32_t shape[4] = {1, 12, 12, 4}, axes[2] = {1, 2}, flat[2] = {1, 8};
    ts_gen_conv conv = {8, 1, 3, 3, 1, 1, TS_PAD_SAME, TS_ACT_RELU};
    ts_gen_conv dw = {0, 1, 3, 3, 2, 2, TS_PAD_SAME, TS_ACT_NONE};
    ts_gen_pool maxp = {true, 2, 2, 2, 2, TS_PAD_VALID}, avgp = {false, 3, 3, 1, 1, TS_PAD_SAME};
    int32_t x, c, d, m, a, s, mean, rs, fc, sm;
    ts_gen *g = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_new(7, &g, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_input(g, 4, shape, &x, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_conv2d(g, x, &conv, &c, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_dwconv2d(g, c, &dw, &d, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_pool2d(g, d, &maxp, &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_pool2d(g, d, &avgp, &a, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_add(g, d, a, TS_ACT_RELU6, &s, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_mean(g, d, 2, axes, true, &mean, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_reshape(g, mean, 2, flat, &rs, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_fc(g, rs, 10, TS_ACT_NONE, &fc, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_softmax(g, fc, &sm, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_output(g, m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_output(g, s, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_gen_output(g, sm, &err), TS_OK, "%s", err.msg);
    return g;
}

static void run_model_ops(rig *r, const ts_graph *g, ts_kernels kernels)
{
    ts_ref_opts opts = {TSK_ROUND_SINGLE, kernels};
    const int32_t *mult, *shift;
    int32_t n_quant;
    ts_ref *ref = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_ref_prepare_graph_opts(g, "op_table", &opts, &ref, &err), TS_OK, "%s",
                 err.msg);
    ts_ref_quant_table(ref, &mult, &shift, &n_quant);
    for (int32_t k = 0; k < ts_ref_n_ops(ref); k++) {
        const ts_ref_op *ro = ts_ref_op_at(ref, k);
        op_case c = {g->ops[k].name, ro, {0}, {0}, {0}, 0, NULL, NULL, false};
        for (int32_t j = 0; j < ro->n_inputs; j++) {
            if (ro->in[j] < 0)
                continue;
            c.in[j] = g->tensors[ro->in[j]].data;
            c.in_bytes[j] = g->tensors[ro->in[j]].size_bytes;
        }
        c.out_bytes = g->tensors[ro->out].size_bytes;
        if (ro->quant_first >= 0) {
            c.multiplier = mult + ro->quant_first;
            c.shift = shift + ro->quant_first;
        }
        run_case(r, &c);
    }
    ts_ref_free(ref);
}

/* ---- ops prepared by hand: float32, and the int8 kinds sim/gen does not emit ---- */

static ts_ref_op hand_op(ts_op_kind kind, ts_dtype dtype, int32_t n_inputs, const tsk_dims *in,
                         tsk_dims out)
{
    ts_ref_op ro;

    memset(&ro, 0, sizeof ro);
    ro.kind = kind;
    ro.dtype = dtype;
    ro.n_inputs = n_inputs;
    for (int32_t j = 0; j < n_inputs; j++) {
        ro.in[j] = j;
        ro.in_dims[j] = in[j];
    }
    ro.out = n_inputs;
    ro.out_dims = out;
    ro.quant_first = -1;
    ro.kernels = TS_KERNELS_REF;
    return ro;
}

static size_t elems(const tsk_dims *d)
{
    return (size_t)d->n * (size_t)d->h * (size_t)d->w * (size_t)d->c;
}

/* Runs ro with random inputs of the given element sizes (4 = float32 unless int32_bias). */
static void run_hand(rig *r, const char *what, const ts_ref_op *ro, size_t in_elem,
                     size_t out_elem)
{
    op_case c = {what, ro, {0}, {0}, {0}, elems(&ro->out_dims) * out_elem, NULL, NULL, false};

    for (int32_t j = 0; j < ro->n_inputs; j++) {
        c.in_bytes[j] = elems(&ro->in_dims[j]) * in_elem;
        c.in_float[j] = in_elem == 4;
    }
    run_case(r, &c);
}

static void run_float_weighted(rig *r)
{
    const tsk_range_f32 none = {-FLT_MAX, FLT_MAX}, relu6 = {0.0f, 6.0f};
    tsk_dims conv_in[3] = {{1, 6, 6, 3}, {4, 3, 3, 3}, {1, 1, 1, 4}};
    tsk_dims dw_in[3] = {{1, 6, 6, 4}, {1, 3, 3, 4}, {1, 1, 1, 4}};
    tsk_dims fc_in[3] = {{1, 1, 2, 16}, {5, 1, 1, 16}, {1, 1, 1, 5}};
    ts_ref_op ro;

    ro = hand_op(TS_OP_CONV_2D, TS_DT_FLOAT32, 3, conv_in, (tsk_dims){1, 6, 6, 4});
    ro.p.conv_f32 = (tsk_conv_params_f32){{1, 1}, {1, 1}, {1, 1}, relu6};
    run_hand(r, "CONV_2D f32", &ro, 4, 4);
    ro = hand_op(TS_OP_DEPTHWISE_CONV_2D, TS_DT_FLOAT32, 3, dw_in, (tsk_dims){1, 3, 3, 4});
    ro.p.dw_f32 = (tsk_dw_conv_params_f32){{2, 2}, {1, 1}, {1, 1}, 1, none};
    run_hand(r, "DEPTHWISE_CONV_2D f32", &ro, 4, 4);
    ro = hand_op(TS_OP_FULLY_CONNECTED, TS_DT_FLOAT32, 3, fc_in, (tsk_dims){2, 1, 1, 5});
    ro.p.fc_f32 = (tsk_fc_params_f32){none};
    run_hand(r, "FULLY_CONNECTED f32", &ro, 4, 4);
}

static void run_float_spatial(rig *r)
{
    const tsk_range_f32 none = {-FLT_MAX, FLT_MAX}, relu = {0.0f, FLT_MAX};
    tsk_dims pool_in[1] = {{1, 6, 6, 4}}, elt_in[2] = {{1, 4, 4, 3}, {1, 1, 1, 3}};
    ts_ref_op ro;

    ro = hand_op(TS_OP_AVERAGE_POOL_2D, TS_DT_FLOAT32, 1, pool_in, (tsk_dims){1, 3, 3, 4});
    ro.p.pool_f32 = (tsk_pool_params_f32){{2, 2}, {0, 0}, {2, 2}, none};
    run_hand(r, "AVERAGE_POOL_2D f32", &ro, 4, 4);
    ro.kind = TS_OP_MAX_POOL_2D;
    run_hand(r, "MAX_POOL_2D f32", &ro, 4, 4);
    ro = hand_op(TS_OP_ADD, TS_DT_FLOAT32, 2, elt_in, (tsk_dims){1, 4, 4, 3});
    ro.p.elt_f32 = (tsk_eltwise_params_f32){relu};
    run_hand(r, "ADD f32", &ro, 4, 4);
    ro.kind = TS_OP_MUL;
    run_hand(r, "MUL f32", &ro, 4, 4);
    ro.kind = TS_OP_SUB;
    run_hand(r, "SUB f32", &ro, 4, 4);
    ro.kind = TS_OP_SQUARED_DIFFERENCE;
    run_hand(r, "SQUARED_DIFFERENCE f32", &ro, 4, 4);
    ro = hand_op(TS_OP_MAXIMUM, TS_DT_FLOAT32, 2, elt_in, (tsk_dims){1, 4, 4, 3});
    run_hand(r, "MAXIMUM f32", &ro, 4, 4);
    ro.kind = TS_OP_MINIMUM;
    run_hand(r, "MINIMUM f32", &ro, 4, 4);
}

static void run_float_unary(rig *r)
{
    tsk_dims row[1] = {{1, 1, 2, 10}}, box[1] = {{1, 3, 3, 2}}, red[1] = {{1, 4, 5, 3}};
    tsk_dims cat[3] = {{1, 2, 2, 3}, {1, 2, 2, 1}, {1, 2, 2, 2}};
    const tsk_pad_params pad = {{0, 1, 2, 0}, {0, 2, 1, 0}};
    ts_ref_op ro;

    ro = hand_op(TS_OP_SOFTMAX, TS_DT_FLOAT32, 1, row, row[0]);
    ro.p.softmax_beta = 0.75f;
    run_hand(r, "SOFTMAX f32", &ro, 4, 4);
    ro = hand_op(TS_OP_LOGISTIC, TS_DT_FLOAT32, 1, row, row[0]);
    run_hand(r, "LOGISTIC f32", &ro, 4, 4);
    ro = hand_op(TS_OP_PAD, TS_DT_FLOAT32, 1, box, (tsk_dims){1, 6, 6, 2});
    ro.p.pad = pad;
    run_hand(r, "PAD f32", &ro, 4, 4);
    ro = hand_op(TS_OP_MEAN, TS_DT_FLOAT32, 1, red, (tsk_dims){1, 1, 1, 3});
    ro.p.mean.axis_mask = (1 << 1) | (1 << 2);
    run_hand(r, "MEAN f32", &ro, 4, 4);
    ro = hand_op(TS_OP_CONCATENATION, TS_DT_FLOAT32, 3, cat, (tsk_dims){1, 2, 2, 6});
    ro.axis = 3;
    run_hand(r, "CONCATENATION f32", &ro, 4, 4);
    ro = hand_op(TS_OP_QUANTIZE, TS_DT_FLOAT32, 1, row, row[0]);
    ro.p.affine = (tsk_affine_params){0.05f, -3};
    run_hand(r, "QUANTIZE", &ro, 4, 1);
    ro = hand_op(TS_OP_DEQUANTIZE, TS_DT_INT8, 1, row, row[0]);
    ro.p.affine = (tsk_affine_params){0.125f, 9};
    run_hand(r, "DEQUANTIZE", &ro, 1, 4);
}

static void run_int8_hand(rig *r)
{
    tsk_dims elt_in[2] = {{1, 4, 4, 3}, {1, 4, 1, 3}}, row[1] = {{1, 2, 3, 5}};
    tsk_dims box[1] = {{1, 3, 3, 2}}, cat[2] = {{1, 2, 3, 2}, {1, 1, 3, 2}};
    ts_ref_op ro;

    ro = hand_op(TS_OP_MUL, TS_DT_INT8, 2, elt_in, (tsk_dims){1, 4, 4, 3});
    cr_assert_eq(tsk_mul_prepare_s8(0.05f, -2, 0.03f, 5, 0.02f, 1, TSK_ACT_NONE,
                                    TSK_ROUND_SINGLE, &ro.p.mul), TSK_OK);
    run_hand(r, "MUL s8", &ro, 1, 1);
    ro = hand_op(TS_OP_SUB, TS_DT_INT8, 2, elt_in, (tsk_dims){1, 4, 4, 3});
    cr_assert_eq(tsk_add_prepare_s8(0.05f, -2, 0.03f, 5, 0.06f, 1, TSK_ACT_NONE,
                                    TSK_ROUND_SINGLE, &ro.p.add), TSK_OK);
    run_hand(r, "SUB s8", &ro, 1, 1);
    ro.kind = TS_OP_SQUARED_DIFFERENCE;
    cr_assert_eq(tsk_squared_difference_prepare_s8(0.05f, -2, 0.03f, 5, 0.2f, -120,
                                                   TSK_ROUND_SINGLE, &ro.p.add), TSK_OK);
    run_hand(r, "SQUARED_DIFFERENCE s8", &ro, 1, 1);
    ro = hand_op(TS_OP_MAXIMUM, TS_DT_INT8, 2, elt_in, (tsk_dims){1, 4, 4, 3});
    run_hand(r, "MAXIMUM s8", &ro, 1, 1);
    ro.kind = TS_OP_MINIMUM;
    run_hand(r, "MINIMUM s8", &ro, 1, 1);
    ro = hand_op(TS_OP_LOGISTIC, TS_DT_INT8, 1, row, row[0]);
    cr_assert_eq(tsk_logistic_prepare_s8(0.1f, 3, TSK_ROUND_SINGLE, &ro.p.logistic), TSK_OK);
    run_hand(r, "LOGISTIC s8", &ro, 1, 1);
    ro = hand_op(TS_OP_PAD, TS_DT_INT8, 1, box, (tsk_dims){1, 6, 6, 2});
    ro.p.pad = (tsk_pad_params){{0, 1, 2, 0}, {0, 2, 1, 0}};
    ro.pad_value = -7;
    run_hand(r, "PAD s8", &ro, 1, 1);
    ro = hand_op(TS_OP_CONCATENATION, TS_DT_INT8, 2, cat, (tsk_dims){1, 3, 3, 2});
    ro.axis = 1;
    run_hand(r, "CONCATENATION s8", &ro, 1, 1);
}

/* RELU, RELU6, ABS (int8 and float32) and NEG (float32) on a flattened tensor. */
static void run_unary_eltwise(rig *r)
{
    tsk_dims flat[1] = {{1, 1, 1, 37}};
    const tsk_range_f32 relu = {0.0f, FLT_MAX}, relu6 = {0.0f, 6.0f};
    ts_ref_op ro = hand_op(TS_OP_RELU, TS_DT_INT8, 1, flat, flat[0]);

    cr_assert_eq(tsk_quantize_multiplier(0.05 / 0.03, &ro.p.mul.output_multiplier,
                                         &ro.p.mul.output_shift), TSK_OK);
    ro.p.mul.input1_offset = 3;
    ro.p.mul.output_offset = -10;
    ro.p.mul.act = (tsk_range){-10, 127};
    run_hand(r, "RELU s8", &ro, 1, 1);
    ro.kind = TS_OP_RELU6;
    ro.p.mul.act = (tsk_range){-10, 90};
    run_hand(r, "RELU6 s8", &ro, 1, 1);
    ro.kind = TS_OP_ABS;
    run_hand(r, "ABS s8", &ro, 1, 1);
    ro = hand_op(TS_OP_RELU, TS_DT_FLOAT32, 1, flat, flat[0]);
    ro.p.elt_f32.act = relu;
    run_hand(r, "RELU f32", &ro, 4, 4);
    ro.kind = TS_OP_RELU6;
    ro.p.elt_f32.act = relu6;
    run_hand(r, "RELU6 f32", &ro, 4, 4);
    ro = hand_op(TS_OP_ABS, TS_DT_FLOAT32, 1, flat, flat[0]);
    run_hand(r, "ABS f32", &ro, 4, 4);
    ro.kind = TS_OP_NEG;
    run_hand(r, "NEG f32", &ro, 4, 4);
    ro = hand_op(TS_OP_LEAKY_RELU, TS_DT_INT8, 1, flat, flat[0]);
    cr_assert_eq(tsk_quantize_multiplier(0.05 / 0.04, &ro.p.leaky.identity_multiplier,
                                         &ro.p.leaky.identity_shift), TSK_OK);
    cr_assert_eq(tsk_quantize_multiplier(0.05 * 0.2 / 0.04, &ro.p.leaky.alpha_multiplier,
                                         &ro.p.leaky.alpha_shift), TSK_OK);
    ro.p.leaky.input_offset = 7;
    ro.p.leaky.output_offset = -3;
    run_hand(r, "LEAKY_RELU s8", &ro, 1, 1);
    ro = hand_op(TS_OP_LEAKY_RELU, TS_DT_FLOAT32, 1, flat, flat[0]);
    ro.p.leaky_f32.alpha = 0.125f;
    run_hand(r, "LEAKY_RELU f32", &ro, 4, 4);
}

/* GATHER int8 and float32 of data [2,5,3] along axis 1 by fixed indices (random ones would be
 * out of range). */
static void run_gather(rig *r)
{
    static const int32_t idx[4] = {4, 0, 2, 2};
    tsk_dims in[2] = {{1, 1, 1, 30}, {1, 1, 1, 4}};
    ts_ref_op ro = hand_op(TS_OP_GATHER, TS_DT_INT8, 2, in, (tsk_dims){1, 1, 1, 24});

    ro.p.gather = (tsk_gather_params){2, 5, 3, 4};
    for (int f = 0; f < 2; f++) {
        size_t elem = f ? 4 : 1;
        op_case c = {f ? "GATHER f32" : "GATHER s8", &ro, {NULL, idx}, {30 * elem, sizeof idx},
                     {f != 0, false}, 24 * elem, NULL, NULL, false};
        ro.dtype = f ? TS_DT_FLOAT32 : TS_DT_INT8;
        run_case(r, &c);
    }
}

/* ops-move: ops with several outputs, their outputs in slots 1.. (fw_abi.h). */
static void run_split_rows(rig *r, ts_op_kind kind, const char *name, int32_t n,
                           const tsk_dims *slot_dims, int32_t axis)
{
    ts_ref_op ro = hand_op(kind, TS_DT_INT8, n, slot_dims, slot_dims[1]);
    char what[64];

    ro.axis = axis;
    ro.out = ro.in[1];
    for (int f = 0; f < 2; f++) {
        size_t elem = f ? 4 : 1;
        op_case c = {what, &ro, {NULL}, {0}, {false}, 0, NULL, NULL, true};
        snprintf(what, sizeof what, "%s %s", name, f ? "f32" : "s8");
        ro.dtype = f ? TS_DT_FLOAT32 : TS_DT_INT8;
        for (int32_t j = 0; j < n; j++) {
            c.in_bytes[j] = elems(&slot_dims[j]) * elem;
            c.in_float[j] = f != 0;
        }
        run_case(r, &c);
    }
}

static void run_several_outputs(rig *r)
{
    tsk_dims split[4] = {{1, 2, 6, 3}, {1, 2, 2, 3}, {1, 2, 2, 3}, {1, 2, 2, 3}};

    tsk_dims split_v[3] = {{2, 3, 1, 5}, {2, 1, 1, 5}, {2, 2, 1, 5}};
    tsk_dims unpack[3] = {{2, 2, 1, 5}, {2, 1, 1, 5}, {2, 1, 1, 5}};

    run_split_rows(r, TS_OP_SPLIT, "SPLIT", 4, split, 2);
    run_split_rows(r, TS_OP_SPLIT_V, "SPLIT_V", 3, split_v, 1);
    run_split_rows(r, TS_OP_UNPACK, "UNPACK", 3, unpack, 1);
}

/* FILL of [1,2,3,4] from a scalar; ZEROS_LIKE of [1,2,3,4]; SHAPE of a [2,3,4] tensor. */
static void run_fill(rig *r)
{
    tsk_dims scalar[1] = {{1, 1, 1, 1}}, in[1] = {{1, 2, 3, 4}};
    ts_ref_op ro = hand_op(TS_OP_FILL, TS_DT_INT8, 1, scalar, in[0]);

    run_hand(r, "FILL s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "FILL f32", &ro, 4, 4);
    ro = hand_op(TS_OP_ZEROS_LIKE, TS_DT_FLOAT32, 1, in, in[0]);
    run_hand(r, "ZEROS_LIKE f32", &ro, 4, 4);
    ro = hand_op(TS_OP_SHAPE, TS_DT_INT8, 1, in, (tsk_dims){1, 1, 1, 3});
    ro.p.shape = (tsk_shape_params){3, {2, 3, 4, 0}};
    run_hand(r, "SHAPE", &ro, 1, 4);
    ro = hand_op(TS_OP_CAST, TS_DT_INT8, 1, in, in[0]);
    ro.p.cast = (tsk_cast_params){TSK_ELEM_INT8, TSK_ELEM_FLOAT32};
    run_hand(r, "CAST int8>float32", &ro, 1, 4);
}

/* STRIDED_SLICE of [1,2,3,4]: h from 1, w backwards from 2 by 2, c from 3 backwards by 3;
 * SPACE_TO_DEPTH and DEPTH_TO_SPACE with 2x2 blocks. */
static void run_strided_slice(rig *r)
{
    tsk_dims in[1] = {{1, 2, 3, 4}};
    ts_ref_op ro = hand_op(TS_OP_STRIDED_SLICE, TS_DT_INT8, 1, in, (tsk_dims){1, 1, 2, 2});

    tsk_dims space[1] = {{1, 4, 2, 3}}, depth[1] = {{1, 2, 1, 12}};

    ro.p.strided_slice = (tsk_strided_slice_params){{0, 1, 2, 3}, {1, 1, -2, -3}};
    run_hand(r, "STRIDED_SLICE s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "STRIDED_SLICE f32", &ro, 4, 4);
    ro = hand_op(TS_OP_SPACE_TO_DEPTH, TS_DT_INT8, 1, space, depth[0]);
    ro.p.block.block = 2;
    run_hand(r, "SPACE_TO_DEPTH s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "SPACE_TO_DEPTH f32", &ro, 4, 4);
    ro = hand_op(TS_OP_DEPTH_TO_SPACE, TS_DT_INT8, 1, depth, space[0]);
    ro.p.block.block = 2;
    run_hand(r, "DEPTH_TO_SPACE s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "DEPTH_TO_SPACE f32", &ro, 4, 4);
    for (int k = 0; k < 2; k++) { /* RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR */
        static const char *const what[2][2] = {
            {"RESIZE_NEAREST_NEIGHBOR s8", "RESIZE_NEAREST_NEIGHBOR f32"},
            {"RESIZE_BILINEAR s8", "RESIZE_BILINEAR f32"}};
        ro = hand_op(k ? TS_OP_RESIZE_BILINEAR : TS_OP_RESIZE_NEAREST_NEIGHBOR, TS_DT_INT8, 1,
                     space, (tsk_dims){1, 7, 3, 3});
        ro.p.resize = (tsk_resize_params){1, 0, k ? TSK_ROUND_DOUBLE : TSK_ROUND_SINGLE};
        run_hand(r, what[k][0], &ro, 1, 1);
        ro.dtype = TS_DT_FLOAT32;
        ro.p.resize = (tsk_resize_params){0, 1, TSK_ROUND_SINGLE};
        run_hand(r, what[k][1], &ro, 4, 4);
    }
    run_fill(r);
}

/* TRANSPOSE (int8, float32), and SQUEEZE / EXPAND_DIMS copies (input and output apart). */
static void run_data_movement(rig *r)
{
    tsk_dims in[1] = {{1, 2, 3, 4}};
    ts_ref_op ro = hand_op(TS_OP_TRANSPOSE, TS_DT_INT8, 1, in, (tsk_dims){1, 4, 2, 3});

    ro.p.transpose = (tsk_transpose_params){{0, 3, 1, 2}};
    run_hand(r, "TRANSPOSE s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "TRANSPOSE f32", &ro, 4, 4);
    ro = hand_op(TS_OP_SQUEEZE, TS_DT_INT8, 1, in, in[0]);
    ro.copy_bytes = 24;
    run_hand(r, "SQUEEZE", &ro, 1, 1);
    ro.kind = TS_OP_EXPAND_DIMS;
    ro.dtype = TS_DT_FLOAT32;
    ro.copy_bytes = 96;
    run_hand(r, "EXPAND_DIMS", &ro, 4, 4);
    ro = hand_op(TS_OP_SLICE, TS_DT_INT8, 1, in, (tsk_dims){1, 1, 2, 3});
    ro.p.slice = (tsk_slice_params){{0, 1, 1, 1}};
    run_hand(r, "SLICE s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "SLICE f32", &ro, 4, 4);
    run_gather(r);
    tsk_dims pack_in[3] = {{1, 3, 1, 4}, {1, 3, 1, 4}, {1, 3, 1, 4}};
    ro = hand_op(TS_OP_PACK, TS_DT_INT8, 3, pack_in, (tsk_dims){1, 3, 3, 4});
    ro.axis = 2;
    run_hand(r, "PACK s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "PACK f32", &ro, 4, 4);
    run_several_outputs(r);
    run_strided_slice(r);
}

/* TRANSPOSE_CONV int8 (plain and DSP-extension), 16x8 and float32: `tinysim gen` single-op
 * models. */
static void run_transpose_conv(rig *r)
{
    static const char *const specs[3] = {
        "op:transpose_conv,int8,1x3x4x5,filter=6.3.3,stride=2.2.0.3", /* RELU6 */
        "op:transpose_conv,float32,1x3x3x2,filter=3.2.3,stride=2.1.1.1", /* VALID, RELU */
        "op:transpose_conv,int16,1x3x4x5,filter=6.3.3,stride=2.2.0.1", /* 16x8, RELU */
    };

    for (int i = 0; i < 3; i++) {
        uint8_t *bytes;
        size_t len;
        ts_model *m;
        ts_err err;

        ts_err_clear(&err);
        cr_assert_eq(ts_gen_spec_bytes(specs[i], 5, &bytes, &len, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_model_load_buffer(bytes, len, specs[i], &m, &err), TS_OK, "%s", err.msg);
        run_model_ops(r, ts_model_graph(m), TS_KERNELS_REF);
        if (i == 0) /* int8: the DSP-extension row too */
            run_model_ops(r, ts_model_graph(m), TS_KERNELS_SIMD);
        ts_model_free(m);
        ts_free(bytes);
    }
}

/* ARG_MAX, ARG_MIN (int8, float32) of [3, 4, 5] along the middle axis (the axis input is constant). */
static void run_arg(rig *r)
{
    static const int32_t axis[1] = {1};
    tsk_dims in[2] = {{1, 1, 1, 60}, {1, 1, 1, 1}};
    ts_ref_op ro = hand_op(TS_OP_ARG_MAX, TS_DT_INT8, 2, in, (tsk_dims){1, 1, 1, 15});

    ro.p.arg = (tsk_arg_params){3, 4, 5};
    for (int f = 0; f < 2; f++) {
        op_case c = {f ? "ARG_MAX f32" : "ARG_MAX s8", &ro, {NULL, axis},
                     {60 * (f ? 4u : 1u), sizeof axis}, {f != 0, false}, 15 * 4, NULL, NULL, false};
        ro.dtype = f ? TS_DT_FLOAT32 : TS_DT_INT8;
        run_case(r, &c);
        ro.kind = TS_OP_ARG_MIN;
        c.what = f ? "ARG_MIN f32" : "ARG_MIN s8";
        run_case(r, &c);
        ro.kind = TS_OP_ARG_MAX;
    }
}

/* SUM int8 (with int32 sums in scratch) and float32 over H and W of [1, 4, 5, 3]. */
static void run_sum(rig *r)
{
    tsk_dims red_in[1] = {{1, 4, 5, 3}};
    ts_ref_op ro = hand_op(TS_OP_SUM, TS_DT_INT8, 1, red_in, (tsk_dims){1, 1, 1, 3});

    ro.p.sum = (tsk_sum_params){6, -3, 4, 0.125f};
    ro.scratch_bytes = tsk_mean_s8_scratch_size(&red_in[0], 6);
    run_hand(r, "SUM s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    ro.scratch_bytes = 0;
    ro.p.mean.axis_mask = 6;
    run_hand(r, "SUM f32", &ro, 4, 4);
}

/* BATCH_MATMUL int8 and float32: [2, 3, 4, 6] x [1, 3, 5, 6] with adj_y (rhs batch broadcast). */
static void run_bmm(rig *r)
{
    tsk_dims in[2] = {{2, 3, 4, 6}, {1, 3, 5, 6}};
    ts_ref_op ro = hand_op(TS_OP_BATCH_MATMUL, TS_DT_INT8, 2, in, (tsk_dims){2, 3, 4, 5});

    ro.p.bmm = (tsk_bmm_params){0, 1, 4, -2, -6, 0, 0, TSK_ROUND_SINGLE};
    cr_assert_eq(tsk_quantize_multiplier(0.0123, &ro.p.bmm.multiplier, &ro.p.bmm.shift), TSK_OK);
    run_hand(r, "BATCH_MATMUL s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "BATCH_MATMUL f32", &ro, 4, 4);
}

/* The ops-math group: HARD_SWISH, TANH, PRELU, ARG_MAX, ARG_MIN, ... (int8 and float32). */
static void run_ops_math(rig *r)
{
    tsk_dims flat[1] = {{1, 1, 1, 37}}, prelu_in[2] = {{1, 4, 4, 3}, {1, 1, 1, 3}};
    tsk_dims red_in[1] = {{1, 4, 5, 3}};
    ts_ref_op ro = hand_op(TS_OP_HARD_SWISH, TS_DT_INT8, 1, flat, flat[0]);

    cr_assert_eq(tsk_hard_swish_prepare_s8(0.05f, 3, 0.04f, -7, &ro.p.hard_swish), TSK_OK);
    run_hand(r, "HARD_SWISH s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "HARD_SWISH f32", &ro, 4, 4);
    ro = hand_op(TS_OP_TANH, TS_DT_INT8, 1, flat, flat[0]);
    cr_assert_eq(tsk_logistic_prepare_s8(0.05f, -4, TSK_ROUND_SINGLE, &ro.p.logistic), TSK_OK);
    run_hand(r, "TANH s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "TANH f32", &ro, 4, 4);
    ro = hand_op(TS_OP_PRELU, TS_DT_INT8, 2, prelu_in, (tsk_dims){1, 4, 4, 3});
    ro.p.prelu = (tsk_prelu_params){{-3, -7, 0, 0, 0, 0, TSK_ROUND_SINGLE}, 5};
    cr_assert_eq(tsk_quantize_multiplier(0.05 / 0.04, &ro.p.prelu.q.identity_multiplier,
                                         &ro.p.prelu.q.identity_shift), TSK_OK);
    cr_assert_eq(tsk_quantize_multiplier(0.05 * 0.01 / 0.04, &ro.p.prelu.q.alpha_multiplier,
                                         &ro.p.prelu.q.alpha_shift), TSK_OK);
    run_hand(r, "PRELU s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "PRELU f32", &ro, 4, 4);
    ro.kind = TS_OP_DIV;
    ro.p.elt_f32 = (tsk_eltwise_params_f32){{-FLT_MAX, FLT_MAX}};
    run_hand(r, "DIV f32", &ro, 4, 4);
    run_arg(r);
    ro = hand_op(TS_OP_SQRT, TS_DT_FLOAT32, 1, flat, flat[0]);
    run_hand(r, "SQRT f32", &ro, 4, 4);
    ro.kind = TS_OP_RSQRT;
    run_hand(r, "RSQRT f32", &ro, 4, 4);
    ro.dtype = TS_DT_INT8;
    cr_assert_eq(tsk_rsqrt_prepare_s8(0.05f, -20, 0.02f, -128, TSK_ROUND_SINGLE, &ro.p.rsqrt),
                 TSK_OK);
    run_hand(r, "RSQRT s8", &ro, 1, 1);
    ro = hand_op(TS_OP_REDUCE_MAX, TS_DT_INT8, 1, red_in, (tsk_dims){1, 1, 1, 3});
    ro.p.mean.axis_mask = 6;
    run_hand(r, "REDUCE_MAX s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "REDUCE_MAX f32", &ro, 4, 4);
    ro = hand_op(TS_OP_L2_NORMALIZATION, TS_DT_INT8, 1, red_in, red_in[0]);
    ro.p.l2_norm = (tsk_l2_norm_params){20, 3, -5, TSK_ROUND_SINGLE};
    run_hand(r, "L2_NORMALIZATION s8", &ro, 1, 1);
    ro.dtype = TS_DT_FLOAT32;
    run_hand(r, "L2_NORMALIZATION f32", &ro, 4, 4);
    run_sum(r);
    run_bmm(r);
}

/* SVDF int8 (int16 time weights) and float32: batch 2, input 6, 3 units of rank 2, memory 4,
 * every input random (the state too: it is read, then updated in place). */
static void run_svdf(rig *r)
{
    tsk_dims in[5] = {{2, 1, 1, 6}, {6, 1, 1, 6}, {6, 1, 1, 4}, {1, 1, 1, 3}, {2, 1, 1, 24}};
    ts_ref_op ro = hand_op(TS_OP_SVDF, TS_DT_INT8, 5, in, (tsk_dims){2, 1, 1, 3});

    for (int f = 0; f < 2; f++) {
        size_t e = f ? 4 : 1, t = f ? 4 : 2;
        op_case c = {f ? "SVDF f32" : "SVDF s8", &ro, {NULL},
                     {12 * e, 36 * e, 24 * t, 12, 48 * t}, {f, f, f, f, f}, 6 * e, NULL, NULL, false};
        ro.dtype = f ? TS_DT_FLOAT32 : TS_DT_INT8;
        ro.p.svdf = (tsk_svdf_params){2, 6, 6, 4, 2, 2, 0, 0, 0, 0, TSK_ROUND_SINGLE, {{3, -5}}};
        cr_assert_eq(tsk_quantize_multiplier(0.011, &ro.p.svdf.feature_multiplier,
                                             &ro.p.svdf.feature_shift), TSK_OK);
        cr_assert_eq(tsk_quantize_multiplier(1.3e-6, &ro.p.svdf.output_multiplier,
                                             &ro.p.svdf.output_shift), TSK_OK);
        if (f)
            ro.p.svdf.ends.act = (tsk_range_f32){-1e30f, 1e30f};
        run_case(r, &c);
    }
}

/* UNIDIRECTIONAL_SEQUENCE_LSTM float32, 24 inputs (16 ext inputs: their address table at the
 * start of the scratch, written by the cpu unit and by ts_unit_run_host alike): batch 2, 3 time
 * steps, input 4, 3 units, cell clip 0.8, the optional inputs absent, the states random (read,
 * then updated in place). */
static void run_lstm(rig *r)
{
    static const int32_t present[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 18, 19};
    static const size_t bytes[] = {96, 48, 48, 48, 48, 36, 36, 36, 36, 12, 12, 12, 12, 24, 24};
    ts_ref_op ro;
    op_case c = {"LSTM f32", &ro, {NULL}, {0}, {false}, 72, NULL, NULL, false};

    memset(&ro, 0, sizeof ro);
    ro.kind = TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM;
    ro.dtype = TS_DT_FLOAT32;
    ro.n_inputs = TSK_LSTM_N_INPUTS;
    for (int32_t j = 0; j < TSK_LSTM_N_INPUTS; j++)
        ro.in[j] = -1;
    for (size_t i = 0; i < sizeof present / sizeof present[0]; i++) {
        ro.in[present[i]] = present[i];
        c.in_bytes[present[i]] = bytes[i];
        c.in_float[present[i]] = true;
    }
    ro.out = TSK_LSTM_N_INPUTS;
    ro.out_dims = (tsk_dims){1, 2, 3, 3};
    ro.quant_first = -1;
    ro.kernels = TS_KERNELS_REF;
    ro.scratch_bytes = TSFW_EXT_BYTES(TSK_LSTM_N_INPUTS);
    ro.p.lstm = (tsk_lstm_params){2, 3, 4, 3, 0, 0.8f};
    run_case(r, &c);
    /* the int8 LSTM (ops-lstm8) as sim/gen writes it: its nine effective scales through the
     * requantisation table, the states random as above */
    {
        ts_gen *g = NULL;
        ts_err err;
        ts_err_clear(&err);
        cr_assert_eq(ts_gen_build("op:lstm,int8,2x3x4,units=3,clip=0.5", 5, &g, &err), TS_OK,
                     "%s", err.msg);
        run_model_ops(r, ts_gen_graph(g), TS_KERNELS_REF);
        ts_gen_free(g);
    }
}

/* The 16x8 ops, as single-op models of sim/gen, plain and SIMD (depthwise: the channel-pair
 * path of an even depth and multiplier 1, and the plain loop of multiplier 2); QUANTIZE and
 * DEQUANTIZE to and from int16, and between integer types; SOFTMAX int8 -> int16. */
static void run_16x8(rig *r)
{
    static const char *const specs[] = {
        "op:fully_connected,int16,2x37,units=5",
        "op:conv_2d,int16,1x5x6x3,filter=3.3.4,stride=2.1",
        "op:depthwise_conv_2d,int16,1x5x5x4,filter=3.3.1,stride=1.1",
        "op:depthwise_conv_2d,int16,1x4x4x3,filter=2.2.2,stride=1.1.1",
        "op:quantize,float32,2x7,to=16", "op:dequantize,int16,11", "op:quantize,int16,9,to=8",
        "op:quantize,int8,3x3,to=32", "op:quantize,int32,2x5,to=8", "op:quantize,int32,7,to=16",
        "op:dequantize,float16,2x6",
        "op:add,int16,2x3,3", "op:sub,int16,4x1,1x5",
        "op:mul,int16,7", "op:average_pool_2d,int16,1x5x5x3,filter=2.3,stride=2.1",
        "op:max_pool_2d,int16,1x4x6x2,filter=3.3,stride=1.2.1",
        "op:pad,int16,2x3x2,paddings=1.0.0.2.1.1", "op:concatenation,int16,2x3,2x1,axis=1",
        "op:pack,int16,2x3,axis=1", "op:leaky_relu,int16,2x9,alpha=0.3",
        "op:strided_slice,int16,3x4x5,begin=2.0.4,end=0.4.0,strides=-1.3.-2,masks=0.2.0",
        "op:shape,int16,2x3",
        "op:mean,int16,1x3x4x2,axis=1.2,keep_dims=1", "op:mean,int16,2x3x4,axis=0.2,keep_dims=0",
        "op:softmax,int16,3x40,scale=-12,beta=1.5", "op:softmax,int8,3x40,beta=0.6,out=int16",
        "op:logistic,int16,50,scale=-12", "op:tanh,int16,3x9,scale=-11",
    };

    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        ts_gen *g = NULL;
        ts_err err;

        ts_err_clear(&err);
        cr_assert_eq(ts_gen_build(specs[i], 5, &g, &err), TS_OK, "%s", err.msg);
        run_model_ops(r, ts_gen_graph(g), TS_KERNELS_REF);
        run_model_ops(r, ts_gen_graph(g), TS_KERNELS_SIMD);
        ts_gen_free(g);
    }
}

Test(op_table, every_row_runs_bit_identically_on_the_host_and_in_the_firmware)
{
    rig r;
    ts_gen *g;

    rig_open(&r, "cortex-m4");
    g = int8_model();
    run_model_ops(&r, ts_gen_graph(g), TS_KERNELS_REF);
    run_model_ops(&r, ts_gen_graph(g), TS_KERNELS_SIMD);
    run_float_weighted(&r);
    run_float_spatial(&r);
    run_float_unary(&r);
    run_int8_hand(&r);
    run_unary_eltwise(&r);
    run_data_movement(&r);
    run_transpose_conv(&r);
    run_ops_math(&r);
    run_svdf(&r);
    run_16x8(&r);
    run_lstm(&r);
    for (int k = TSFW_OP_NONE + 1; k < TSFW_OP_COUNT; k++)
        cr_expect(r.covered[k], "fw_ops.def row %s was not run (add a case)",
                  tsfw_kind_name((uint32_t)k));
    ts_gen_free(g);
    rig_close(&r);
}

/* The table's mapping: a prepared op finds its row by op kind, dtype and variant, and the
 * host dispatch answers TSFW_ERR_KIND / TSFW_ERR_ADDR as documented. */
Test(op_table, the_mapping_and_the_host_dispatch_reject_what_the_table_lacks)
{
    ts_ref_op ro;
    tsk_dims d[1] = {{1, 1, 1, 4}};
    tsfw_op desc;
    uint8_t buf[16] = {0};

    ro = hand_op(TS_OP_CONV_2D, TS_DT_INT8, 1, d, d[0]);
    cr_assert_eq(ts_ref_op_fw_kind(&ro), TSFW_OP_CONV2D_S8);
    ro.kernels = TS_KERNELS_SIMD;
    cr_assert_eq(ts_ref_op_fw_kind(&ro), TSFW_OP_CONV2D_S8_SIMD);
    cr_assert(tsfw_kind_is_simd(TSFW_OP_CONV2D_S8_SIMD));
    cr_assert_not(tsfw_kind_is_simd(TSFW_OP_CONV2D_S8));
    ro = hand_op(TS_OP_SOFTMAX, TS_DT_FLOAT32, 1, d, d[0]);
    ro.kernels = TS_KERNELS_SIMD; /* no SIMD softmax row */
    cr_assert_eq(ts_ref_op_fw_kind(&ro), TSFW_OP_NONE);
    ro = hand_op(TS_OP_RESHAPE, TS_DT_FLOAT32, 1, d, d[0]);
    cr_assert_eq(ts_ref_op_fw_kind(&ro), TSFW_OP_COPY);
    ro = hand_op(TS_OP_UNSUPPORTED, TS_DT_INT8, 1, d, d[0]);
    cr_assert_eq(ts_ref_op_fw_kind(&ro), TSFW_OP_NONE);
    ts_ref_op_desc(&ro, &desc);
    tsfw_ptrs p = {{buf}, buf + 8, NULL, NULL, NULL};
    cr_assert_eq(tsfw_run_ptrs(&desc, &p), TSFW_ERR_KIND);
    desc.kind = TSFW_OP_COUNT;
    cr_assert_eq(tsfw_run_ptrs(&desc, &p), TSFW_ERR_KIND);
    desc.kind = TSFW_OP_COPY;
    desc.in_addr[0] = 0x20000000u;
    desc.out_addr = 0x20000010u;
    cr_assert_eq(tsfw_run_mapped(&desc, map_ram, &(rig){.base = 0x30000000u, .bytes = 16}),
                 TSFW_ERR_ADDR);
    desc.n_inputs = TSFW_MAX_INPUTS + 1; /* ext inputs: only the kinds that read them */
    cr_assert_eq(tsfw_run_ptrs(&desc, &p), TSK_ERR_ARG);
    desc.kind = TSFW_OP_LSTM_F32;
    cr_assert_eq(tsfw_run_ptrs(&desc, &p), TSK_ERR_ARG, "no scratch for the ext table");
    desc.n_inputs = TSFW_MAX_OP_INPUTS + 1;
    p.scratch = buf, desc.scratch_bytes = 16;
    cr_assert_eq(tsfw_run_ptrs(&desc, &p), TSK_ERR_ARG);
    cr_assert_str_eq(tsfw_kind_name(TSFW_OP_FC_F32), "FC_F32");
    cr_assert_str_eq(tsfw_kind_name(TSFW_OP_COUNT), "?");
}

/* The base images leave the extended op set out: asked for an extended kind they answer
 * TSFW_ERR_KIND (tsfw_invoke's last return), on a core without and one with the DSP
 * extension; the extended image runs it (above). */
Test(op_table, base_images_refuse_the_extended_kinds)
{
    static const char *const cores[] = {"cortex-m0plus", "cortex-m4"};
    tsk_dims elt_in[2] = {{1, 1, 2, 3}, {1, 1, 2, 3}};
    ts_ref_op ro = hand_op(TS_OP_MAXIMUM, TS_DT_INT8, 2, elt_in, elt_in[0]);

    cr_assert_eq(tsfw_kind_set(TSFW_OP_MAXIMUM_S8), TSFW_SET_EXT);
    cr_assert_eq(tsfw_kind_set(TSFW_OP_FC_S8_SIMD), TSFW_SET_BASE);
    cr_assert_eq(tsfw_kind_set(TSFW_OP_NONE), TSFW_SET_BASE);
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++) {
        rig r;
        ts_unit_op op = {0, "MAXIMUM s8", &ro, 0};
        ts_unit_io io;
        ts_unit_cost cost;
        uint8_t zeros[16] = {0};
        ts_err err;

        rig_open_set(&r, cores[i], TSFW_SET_BASE);
        ts_err_clear(&err);
        memset(&io, 0, sizeof io);
        r.next = r.base + DATA_OFF;
        io.in_addr[0] = place(&r, zeros, 6);
        io.in_addr[1] = place(&r, zeros, 6);
        io.out_addr = place(&r, zeros, 6);
        cr_assert_neq(ts_unit_execute(r.u, &op, &io, &cost, &err), TS_OK, "%s ran MAXIMUM",
                      cores[i]);
        cr_expect(strstr(err.msg, "TSFW_ERR_KIND") != NULL, "%s: %s", cores[i], err.msg);
        rig_close(&r);
    }
}

/* The engine runs the extended image exactly for models with an op of the extended set. */
Test(op_table, the_engine_picks_the_extended_image_only_for_models_that_need_it)
{
    static const struct {
        const char *spec, *suffix;
    } cases[] = {
        {"op:add,int8,1x4x4x3", "tsfw_cortex-m0plus.elf"},
        {"op:sub,int8,1x4x4x3", "tsfw_cortex-m0plus_x.elf"},
        {"op:maximum,float32,7", "tsfw_cortex-m0plus_x.elf"},
        {"op:transpose_conv,int8,1x3x3x4,filter=5.3.3,stride=2.2", "tsfw_cortex-m0plus_w.elf"},
        {"op:transpose_conv,int16,1x3x3x4,filter=5.3.3,stride=2.2", "tsfw_cortex-m0plus_w.elf"},
        {"op:svdf,int8,1x16,units=4,rank=2,memory=8", "tsfw_cortex-m0plus_rnn.elf"},
        {"op:lstm,float32,1x3x4,units=2", "tsfw_cortex-m0plus_rnn.elf"},
        {"hello_world", "tsfw_cortex-m0plus.elf"},
    };
    ts_target t;

    load_target_named("cortex-m0plus", &t);
    need_firmware(&t);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ts_gen *g = NULL;
        ts_engine *e = NULL;
        const char *fw;
        ts_err err;

        ts_err_clear(&err);
        cr_assert_eq(ts_gen_build(cases[i].spec, 1, &g, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_engine_open(&t, ts_gen_graph(g), cases[i].spec, NULL, &e, &err), TS_OK,
                     "%s", err.msg);
        fw = ts_engine_firmware(e);
        cr_expect(strlen(fw) >= strlen(cases[i].suffix) &&
                  strcmp(fw + strlen(fw) - strlen(cases[i].suffix), cases[i].suffix) == 0,
                  "%s runs %s (expected %s)", cases[i].spec, fw, cases[i].suffix);
        ts_engine_close(e);
        ts_gen_free(g);
    }
    ts_target_free(&t);
}
