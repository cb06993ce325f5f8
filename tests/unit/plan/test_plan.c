/* Tests for sim/plan/plan.c: lifetimes, greedy placement, views, scratch, and the
 * invariant that buffers alive at the same time never overlap in the arena. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/plan/plan.h"

#define MAX_T 64
#define MAX_OPS 32

typedef struct test_graph {
    ts_graph g;
    ts_tensor t[MAX_T];
    ts_op ops[MAX_OPS];
    int32_t io[MAX_OPS][8]; /* per op: inputs then outputs */
    int32_t gin[4], gout[4];
    uint8_t const_byte;
} test_graph;

static void tg_init(test_graph *tg, int32_t n_tensors, const size_t *sizes)
{
    memset(tg, 0, sizeof *tg);
    for (int32_t i = 0; i < n_tensors; i++) {
        tg->t[i].name = "t";
        tg->t[i].dtype = TS_DT_INT8;
        tg->t[i].rank = 1;
        tg->t[i].shape[0] = (int32_t)sizes[i];
        tg->t[i].n_elems = (int64_t)sizes[i];
        tg->t[i].size_bytes = sizes[i];
    }
    tg->g.name = "test";
    tg->g.tensors = tg->t;
    tg->g.n_tensors = n_tensors;
    tg->g.ops = tg->ops;
    tg->g.inputs = tg->gin;
    tg->g.outputs = tg->gout;
}

static void tg_const(test_graph *tg, int32_t t)
{
    tg->t[t].data = &tg->const_byte;
}

static void tg_op(test_graph *tg, ts_op_kind kind, int32_t n_in, const int32_t *in, int32_t out)
{
    int32_t k = tg->g.n_ops++;
    ts_op *op = &tg->ops[k];

    memcpy(tg->io[k], in, (size_t)n_in * sizeof(int32_t));
    tg->io[k][n_in] = out;
    op->kind = kind;
    op->name = kind == TS_OP_RESHAPE ? "RESHAPE" : "OP";
    op->n_inputs = n_in;
    op->inputs = tg->io[k];
    op->n_outputs = 1;
    op->outputs = &tg->io[k][n_in];
}

static void expect_no_overlap(const test_graph *tg, const ts_plan *p)
{
    for (int32_t a = 0; a < tg->g.n_tensors; a++) {
        for (int32_t b = a + 1; b < tg->g.n_tensors; b++) {
            int32_t ra = p->storage_of[a], rb = p->storage_of[b];
            if (p->tensor_offset[a] < 0 || p->tensor_offset[b] < 0 || ra == rb)
                continue;
            if (p->last_op[ra] < p->first_op[rb] || p->last_op[rb] < p->first_op[ra])
                continue;
            int64_t a0 = p->tensor_offset[a], a1 = a0 + (int64_t)tg->t[a].size_bytes;
            int64_t b0 = p->tensor_offset[b], b1 = b0 + (int64_t)tg->t[b].size_bytes;
            cr_assert(a1 <= b0 || b1 <= a0,
                      "tensors %d [%lld,%lld) and %d [%lld,%lld) overlap while both alive", a,
                      (long long)a0, (long long)a1, b, (long long)b0, (long long)b1);
            cr_assert((size_t)a1 <= p->arena_bytes && (size_t)b1 <= p->arena_bytes);
        }
    }
}

Test(plan, a_chain_reuses_memory_so_the_arena_is_the_largest_adjacent_pair)
{
    /* t0 -> op0 -> t1 -> op1 -> t2 -> op2 -> t3; sizes 100, 300, 200, 50 (aligned to 16). */
    static const size_t sizes[] = {100, 300, 200, 50};
    test_graph tg;
    ts_plan *p;
    ts_err err;

    tg_init(&tg, 4, sizes);
    tg.gin[0] = 0, tg.g.n_inputs = 1;
    tg.gout[0] = 3, tg.g.n_outputs = 1;
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){0}, 1);
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){1}, 2);
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){2}, 3);
    ts_err_clear(&err);
    cr_assert_eq(ts_plan_compute(&tg.g, NULL, &p, &err), TS_OK, "%s", err.msg);
    /* Live sets: op0 {t0,t1}=112+304, op1 {t1,t2}=304+208, op2 {t2,t3}=208+64. */
    cr_expect_eq(p->peak_live_bytes, 304u + 208u);
    cr_expect_eq(p->peak_op, 1);
    cr_expect_eq(p->arena_bytes, 304u + 208u);
    cr_expect_eq(p->naive_bytes, 112u + 304u + 208u + 64u);
    cr_expect_eq(p->first_op[0], 0);
    cr_expect_eq(p->last_op[0], 0);
    cr_expect_eq(p->first_op[1], 0);
    cr_expect_eq(p->last_op[1], 1);
    cr_expect_eq(p->last_op[3], 2);
    expect_no_overlap(&tg, p);
    ts_plan_free(p);
}

Test(plan, a_variable_tensor_lives_for_the_whole_run_and_no_other_buffer_shares_its_space)
{
    /* op0 reads the state v (t4) with t0; later ops would reuse v's bytes if v lived only
     * during op0: t0 -> op0 -> t1 -> op1 -> t2 -> op2 -> t3, v sized like t2 and t3. */
    static const size_t sizes[] = {64, 64, 64, 64, 64};
    test_graph tg;
    ts_plan *p;

    tg_init(&tg, 5, sizes);
    tg.t[4].is_variable = true;
    tg.gin[0] = 0, tg.g.n_inputs = 1;
    tg.gout[0] = 3, tg.g.n_outputs = 1;
    tg_op(&tg, TS_OP_ADD, 2, (int32_t[]){0, 4}, 1);
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){1}, 2);
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){2}, 3);
    cr_assert_eq(ts_plan_compute(&tg.g, NULL, &p, NULL), TS_OK);
    cr_expect_eq(p->first_op[4], 0);
    cr_expect_eq(p->last_op[4], 2);
    for (int32_t t = 0; t < 4; t++) { /* not one byte of v is any other tensor's */
        int64_t v0 = p->tensor_offset[4], t0 = p->tensor_offset[t];
        cr_expect(t0 + 64 <= v0 || v0 + 64 <= t0, "tensor %d shares the state's bytes", t);
    }
    cr_expect_eq(p->arena_bytes, 3u * 64u); /* v + the two live activations */
    ts_plan_free(p);
}

Test(plan, constants_are_not_placed_in_the_arena)
{
    static const size_t sizes[] = {32, 1000, 32};
    test_graph tg;
    ts_plan *p;

    tg_init(&tg, 3, sizes);
    tg_const(&tg, 1);
    tg.gin[0] = 0, tg.g.n_inputs = 1;
    tg.gout[0] = 2, tg.g.n_outputs = 1;
    tg_op(&tg, TS_OP_FULLY_CONNECTED, 2, (int32_t[]){0, 1}, 2);
    cr_assert_eq(ts_plan_compute(&tg.g, NULL, &p, NULL), TS_OK);
    cr_expect_eq(p->tensor_offset[1], -1);
    cr_expect_eq(p->arena_bytes, 64u);
    ts_plan_free(p);
}

Test(plan, a_reshape_output_shares_its_input_storage_and_extends_its_lifetime)
{
    /* t0 -op0-> t1 -RESHAPE-> t2 -op2-> t3 ; t1 and t2 are one buffer alive over ops 0..2. */
    static const size_t sizes[] = {64, 128, 128, 16};
    test_graph tg;
    ts_plan *p;

    tg_init(&tg, 4, sizes);
    tg.gin[0] = 0, tg.g.n_inputs = 1;
    tg.gout[0] = 3, tg.g.n_outputs = 1;
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){0}, 1);
    tg_op(&tg, TS_OP_RESHAPE, 1, (int32_t[]){1}, 2);
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){2}, 3);
    cr_assert_eq(ts_plan_compute(&tg.g, NULL, &p, NULL), TS_OK);
    cr_expect_eq(p->storage_of[2], 1);
    cr_expect_eq(p->tensor_offset[2], p->tensor_offset[1]);
    cr_expect_eq(p->first_op[1], 0);
    cr_expect_eq(p->last_op[1], 2);
    cr_expect_eq(p->naive_bytes, 64u + 128u + 16u);
    expect_no_overlap(&tg, p);
    ts_plan_free(p);
}

Test(plan, squeeze_and_expand_dims_outputs_are_views_like_reshape_and_transpose_is_not)
{
    /* t0 -op0-> t1 -SQUEEZE-> t2 -EXPAND_DIMS-> t3 -TRANSPOSE-> t4 */
    static const size_t sizes[] = {64, 128, 128, 128, 128};
    test_graph tg;
    ts_plan *p;

    tg_init(&tg, 5, sizes);
    tg.gin[0] = 0, tg.g.n_inputs = 1;
    tg.gout[0] = 4, tg.g.n_outputs = 1;
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){0}, 1);
    tg_op(&tg, TS_OP_SQUEEZE, 1, (int32_t[]){1}, 2);
    tg_op(&tg, TS_OP_EXPAND_DIMS, 1, (int32_t[]){2}, 3);
    tg_op(&tg, TS_OP_TRANSPOSE, 1, (int32_t[]){3}, 4);
    cr_assert_eq(ts_plan_compute(&tg.g, NULL, &p, NULL), TS_OK);
    cr_expect_eq(p->storage_of[2], 1);
    cr_expect_eq(p->storage_of[3], 1);
    cr_expect_eq(p->storage_of[4], 4, "a transpose moves data: its own buffer");
    cr_expect_eq(p->last_op[1], 3);
    expect_no_overlap(&tg, p);
    ts_plan_free(p);
}

Test(plan, per_op_scratch_buffers_live_only_during_their_op)
{
    static const size_t sizes[] = {16, 16, 16};
    static const size_t scratch[] = {0, 1000};
    ts_plan_opts o = {16, scratch};
    test_graph tg;
    ts_plan *p;

    tg_init(&tg, 3, sizes);
    tg.gin[0] = 0, tg.g.n_inputs = 1;
    tg.gout[0] = 2, tg.g.n_outputs = 1;
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){0}, 1);
    tg_op(&tg, TS_OP_CONV_2D, 1, (int32_t[]){1}, 2);
    cr_assert_eq(ts_plan_compute(&tg.g, &o, &p, NULL), TS_OK);
    cr_expect_eq(p->scratch_offset[0], -1);
    cr_expect_geq(p->scratch_offset[1], 0);
    cr_expect_eq(p->arena_bytes, 1008u + 16u + 16u);
    cr_expect_eq(p->peak_op, 1);
    ts_plan_free(p);
}

Test(plan, reading_a_tensor_nobody_wrote_is_a_format_error)
{
    static const size_t sizes[] = {16, 16, 16};
    test_graph tg;
    ts_plan *p = (ts_plan *)1;
    ts_err err;

    tg_init(&tg, 3, sizes);
    tg.gout[0] = 2, tg.g.n_outputs = 1;
    tg_op(&tg, TS_OP_ADD, 2, (int32_t[]){0, 1}, 2);
    ts_err_clear(&err);
    cr_expect_eq(ts_plan_compute(&tg.g, NULL, &p, &err), TS_ERR_FORMAT);
    cr_expect_null(p);
    cr_expect(strstr(err.msg, "before any op writes it") != NULL, "%s", err.msg);
}

static uint32_t xs32(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

Test(plan, random_graphs_never_overlap_live_buffers_and_respect_bounds)
{
    for (uint32_t seed = 1; seed <= 200; seed++) {
        uint32_t s = seed * 0x9E3779B9u;
        size_t sizes[MAX_T];
        test_graph tg;
        ts_plan *p;
        int32_t n_ops = 2 + (int32_t)(xs32(&s) % 20);

        for (int32_t i = 0; i <= n_ops; i++)
            sizes[i] = 1 + xs32(&s) % 5000;
        tg_init(&tg, n_ops + 1, sizes);
        tg.gin[0] = 0, tg.g.n_inputs = 1;
        tg.gout[0] = n_ops, tg.g.n_outputs = 1;
        for (int32_t k = 0; k < n_ops; k++) { /* op k writes t(k+1), reads 1-2 earlier tensors */
            int32_t a = (int32_t)(xs32(&s) % (uint32_t)(k + 1));
            int32_t b = (int32_t)(xs32(&s) % (uint32_t)(k + 1));
            tg_op(&tg, TS_OP_ADD, 2, (int32_t[]){a, b}, k + 1);
        }
        cr_assert_eq(ts_plan_compute(&tg.g, NULL, &p, NULL), TS_OK);
        expect_no_overlap(&tg, p);
        cr_assert_geq(p->arena_bytes, p->peak_live_bytes, "seed %u", seed);
        cr_assert_leq(p->arena_bytes, p->naive_bytes, "seed %u", seed);
        ts_plan_free(p);
    }
}

Test(plan, every_allocation_failure_returns_nomem)
{
    static const size_t sizes[] = {16, 16};
    test_graph tg;
    ts_plan *p;
    ts_status st;
    long n = 0;

    tg_init(&tg, 2, sizes);
    tg.gin[0] = 0, tg.g.n_inputs = 1;
    tg.gout[0] = 1, tg.g.n_outputs = 1;
    tg_op(&tg, TS_OP_ADD, 1, (int32_t[]){0}, 1);
    do {
        ts_alloc_fail_after(n++);
        st = ts_plan_compute(&tg.g, NULL, &p, NULL);
        ts_alloc_fail_after(-1);
        if (st != TS_OK)
            cr_assert_eq(st, TS_ERR_NOMEM);
    } while (st != TS_OK);
    cr_expect_gt(n, 1);
    ts_plan_free(p);
}
