/* plan.c: greedy-by-size tensor-arena planner (see plan.h for the rules).
 * Layer: sim/plan. Pure computation over a checked graph; allocation via ts_alloc hooks. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

typedef struct pbuf {
    int32_t tensor;  /* storage owner, or -1 for an op's scratch */
    int32_t op;      /* for scratch: the op */
    int32_t first, last;
    size_t size;     /* aligned size in bytes */
    int64_t offset;
} pbuf;

static size_t align_up(size_t n, size_t a)
{
    return (n + a - 1) / a * a;
}

static int32_t root_of(const int32_t *storage, int32_t t)
{
    while (storage[t] != t)
        t = storage[t];
    return t;
}

static void extend(ts_plan *p, int32_t t, int32_t op)
{
    if (p->first_op[t] < 0 || op < p->first_op[t])
        p->first_op[t] = op;
    if (op > p->last_op[t])
        p->last_op[t] = op;
}

/* Ops whose output is their input with another shape: RESHAPE, SQUEEZE, EXPAND_DIMS. */
static bool is_view(ts_op_kind kind)
{
    return kind == TS_OP_RESHAPE || kind == TS_OP_SQUEEZE || kind == TS_OP_EXPAND_DIMS;
}

/* Views: the output of a view op shares its (non-constant) input's storage. */
static void link_views(const ts_graph *g, ts_plan *p)
{
    for (int32_t i = 0; i < g->n_tensors; i++)
        p->storage_of[i] = i;
    for (int32_t k = 0; k < g->n_ops; k++) {
        const ts_op *op = &g->ops[k];
        if (!is_view(op->kind) || op->n_inputs < 1 || op->inputs[0] < 0)
            continue;
        if (ts_tensor_is_const(&g->tensors[op->inputs[0]]))
            continue;
        p->storage_of[op->outputs[0]] = root_of(p->storage_of, op->inputs[0]);
    }
}

static ts_status compute_lifetimes(const ts_graph *g, ts_plan *p, ts_err *err)
{
    int32_t last = g->n_ops > 0 ? g->n_ops - 1 : 0;

    for (int32_t i = 0; i < g->n_tensors; i++)
        p->first_op[i] = p->last_op[i] = -1;
    for (int32_t j = 0; j < g->n_inputs; j++)
        extend(p, root_of(p->storage_of, g->inputs[j]), 0);
    for (int32_t i = 0; i < g->n_tensors; i++)
        if (g->tensors[i].is_variable)
            extend(p, i, 0), extend(p, i, last);
    for (int32_t k = 0; k < g->n_ops; k++) {
        const ts_op *op = &g->ops[k];
        for (int32_t j = 0; j < op->n_outputs; j++)
            extend(p, root_of(p->storage_of, op->outputs[j]), k);
        for (int32_t j = 0; j < op->n_inputs; j++) {
            int32_t t = op->inputs[j];
            if (t < 0 || ts_tensor_is_const(&g->tensors[t]))
                continue;
            t = root_of(p->storage_of, t);
            if (p->first_op[t] < 0)
                return ts_err_set(err, TS_ERR_FORMAT,
                                  "subgraph '%s', op %d (%s): input %d reads tensor %d ('%s') "
                                  "before any op writes it", g->name, k, op->name, j,
                                  op->inputs[j], g->tensors[op->inputs[j]].name);
            extend(p, t, k);
        }
    }
    for (int32_t j = 0; j < g->n_outputs; j++)
        extend(p, root_of(p->storage_of, g->outputs[j]), last);
    return TS_OK;
}

static int by_size_desc(const void *a, const void *b)
{
    const pbuf *x = a, *y = b;

    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->tensor < y->tensor ? -1 : x->tensor > y->tensor;
}

/* Lowest offset where b fits beside the placed buffers whose lifetimes intersect b's.
 * `order` holds the n_placed placed buffers sorted by offset, so one pass finds the first
 * gap that fits. */
static int64_t place_one(const pbuf *b, const pbuf *const *order, int32_t n_placed)
{
    int64_t off = 0;

    for (int32_t i = 0; i < n_placed; i++) {
        const pbuf *o = order[i];
        if (o->last < b->first || o->first > b->last)
            continue;
        if (o->offset >= off + (int64_t)b->size)
            break; /* the gap before o fits b */
        if (o->offset + (int64_t)o->size > off)
            off = o->offset + (int64_t)o->size;
    }
    return off;
}

/* Inserts b into `order` (n entries sorted by offset). */
static void insert_by_offset(const pbuf **order, int32_t n, const pbuf *b)
{
    int32_t lo = 0, hi = n;

    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (order[mid]->offset <= b->offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&order[lo + 1], &order[lo], (size_t)(n - lo) * sizeof *order);
    order[lo] = b;
}

/* Buffers to place: one per storage root (sized for its largest view) plus scratch. */
static int32_t collect(const ts_graph *g, const ts_plan_opts *o, size_t align, ts_plan *p,
                       pbuf *bufs, size_t *root_bytes)
{
    int32_t n = 0;

    for (int32_t j = 0; j < g->n_tensors; j++) { /* a view may be larger than its root */
        int32_t r = root_of(p->storage_of, j);
        if (g->tensors[j].size_bytes > root_bytes[r])
            root_bytes[r] = g->tensors[j].size_bytes;
    }
    for (int32_t i = 0; i < g->n_tensors; i++) {
        if (p->storage_of[i] != i || p->first_op[i] < 0)
            continue;
        bufs[n++] = (pbuf){i, -1, p->first_op[i], p->last_op[i], align_up(root_bytes[i], align), -1};
    }
    for (int32_t k = 0; o && o->op_scratch_bytes && k < g->n_ops; k++)
        if (o->op_scratch_bytes[k] > 0)
            bufs[n++] = (pbuf){-1, k, k, k, align_up(o->op_scratch_bytes[k], align), -1};
    return n;
}

static void place_all(ts_plan *p, pbuf *bufs, int32_t n, const pbuf **order)
{
    qsort(bufs, (size_t)n, sizeof *bufs, by_size_desc);
    for (int32_t i = 0; i < n; i++) {
        bufs[i].offset = place_one(&bufs[i], order, i);
        insert_by_offset(order, i, &bufs[i]);
        if ((size_t)bufs[i].offset + bufs[i].size > p->arena_bytes)
            p->arena_bytes = (size_t)bufs[i].offset + bufs[i].size;
        p->naive_bytes += bufs[i].size;
        if (bufs[i].tensor >= 0)
            p->tensor_offset[bufs[i].tensor] = bufs[i].offset;
        else
            p->scratch_offset[bufs[i].op] = bufs[i].offset;
    }
}

static void find_peak(const ts_graph *g, ts_plan *p, const pbuf *bufs, int32_t n)
{
    p->peak_op = g->n_ops > 0 ? 0 : -1;
    for (int32_t k = 0; k < g->n_ops; k++) {
        size_t live = 0;
        for (int32_t i = 0; i < n; i++)
            if (bufs[i].first <= k && k <= bufs[i].last)
                live += bufs[i].size;
        if (live > p->peak_live_bytes) {
            p->peak_live_bytes = live;
            p->peak_op = k;
        }
    }
}

static ts_plan *plan_new(const ts_graph *g)
{
    ts_plan *p = ts_calloc(1, sizeof *p);
    size_t nt = (size_t)g->n_tensors + 1, no = (size_t)g->n_ops + 1;

    if (!p)
        return NULL;
    p->n_tensors = g->n_tensors;
    p->n_ops = g->n_ops;
    p->tensor_offset = ts_calloc(nt, sizeof(int64_t));
    p->storage_of = ts_calloc(nt, sizeof(int32_t));
    p->first_op = ts_calloc(nt, sizeof(int32_t));
    p->last_op = ts_calloc(nt, sizeof(int32_t));
    p->scratch_offset = ts_calloc(no, sizeof(int64_t));
    if (!p->tensor_offset || !p->storage_of || !p->first_op || !p->last_op ||
        !p->scratch_offset) {
        ts_plan_free(p);
        return NULL;
    }
    for (int32_t i = 0; i < g->n_tensors; i++)
        p->tensor_offset[i] = -1;
    for (int32_t k = 0; k < g->n_ops; k++)
        p->scratch_offset[k] = -1;
    return p;
}

ts_status ts_plan_compute(const ts_graph *g, const ts_plan_opts *opts, ts_plan **out,
                         ts_err *err)
{
    size_t align = opts && opts->align_bytes ? opts->align_bytes : 16;
    size_t n_bufs = (size_t)g->n_tensors + (size_t)g->n_ops + 1;
    ts_plan *p;
    pbuf *bufs;
    const pbuf **sweep;
    size_t *root_bytes;
    int32_t n;
    ts_status st;

    *out = NULL;
    p = plan_new(g);
    bufs = ts_calloc(n_bufs, sizeof *bufs);
    sweep = ts_calloc(n_bufs, sizeof *sweep);
    root_bytes = ts_calloc((size_t)g->n_tensors + 1, sizeof *root_bytes);
    if (!p || !bufs || !sweep || !root_bytes) {
        st = ts_err_set(err, TS_ERR_NOMEM, "out of memory planning the tensor arena");
        goto out_free;
    }
    link_views(g, p);
    st = compute_lifetimes(g, p, err);
    if (st != TS_OK)
        goto out_free;
    n = collect(g, opts, align, p, bufs, root_bytes);
    place_all(p, bufs, n, sweep);
    find_peak(g, p, bufs, n);
    for (int32_t i = 0; i < g->n_tensors; i++) /* views take their storage's offset */
        p->tensor_offset[i] = p->tensor_offset[root_of(p->storage_of, i)];
    ts_free(root_bytes);
    ts_free(sweep);
    ts_free(bufs);
    *out = p;
    return TS_OK;

out_free:
    ts_free(root_bytes);
    ts_free(sweep);
    ts_free(bufs);
    ts_plan_free(p);
    return st;
}

void ts_plan_free(ts_plan *p)
{
    if (!p)
        return;
    ts_free(p->tensor_offset);
    ts_free(p->storage_of);
    ts_free(p->first_op);
    ts_free(p->last_op);
    ts_free(p->scratch_offset);
    ts_free(p);
}
