/* cmd_inspect.c: `tinysim inspect [--json|--csv] [--plan] MODEL.tflite`: per-op table (shapes,
 * dtypes, MACs, weight and activation bytes), model totals, the tensor-arena plan (tensors
 * only: bench's arena adds the kernels' scratch buffers), and every op that run and bench
 * refuse with the reason, from the executor's own per-op check (ts_ref_check_op), so that
 * inspect and run cannot disagree. Layer: bench/ (prints). All numbers come from sim/model,
 * sim/plan and sim/ref. `tinysim inspect --ops` prints the op x dtype matrix tinysim runs, as
 * Markdown, from the op tables themselves (sim/model/tflite_ops.def, kernels/firmware/
 * fw_ops.def): README.md's copy is that output (tests/unit/cli/test_ops_matrix.c). */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli.h"
#include "csv.h"
#include "fmt.h"
#include "opts.h"
#include "model/model.h"
#include "plan/plan.h"
#include "ref/ref.h"

typedef struct inspect_opts {
    int json, csv;
    int plan;
    int ops;
    const char *path;
    ts_err *why; /* per op: TS_OK, or why run and bench refuse it (ts_ref_check_op) */
} inspect_opts;

typedef struct totals {
    uint64_t macs, n_params, weight_bytes;
    int32_t n_unsupported;
} totals;

static const ts_tensor *first_input(const ts_graph *g, const ts_op *op)
{
    for (int32_t j = 0; j < op->n_inputs; j++)
        if (op->inputs[j] >= 0 && !ts_tensor_is_const(&g->tensors[op->inputs[j]]))
            return &g->tensors[op->inputs[j]];
    return op->n_inputs > 0 && op->inputs[0] >= 0 ? &g->tensors[op->inputs[0]] : NULL;
}

/* Why run and bench refuse op k ("float32 input with int8 weights (hybrid) is not
 * supported"), or NULL when they run it: the message of ts_ref_check_op without its
 * "MODEL: op K (NAME): " prefix. */
static const char *refusal(const ts_graph *g, const inspect_opts *o, int32_t k)
{
    char prefix[512];
    const char *msg = o->why[k].msg;
    int n;

    if (o->why[k].code == TS_OK)
        return NULL;
    n = snprintf(prefix, sizeof prefix, "%s: op %d (%s): ", o->path, k, g->ops[k].name);
    return n > 0 && strncmp(msg, prefix, (size_t)n) == 0 ? msg + n : msg;
}

/* Output 0's shape, "[4,2] +2" when the op has two more outputs (SPLIT: --json lists all). */
static const char *fmt_outputs(char *buf, size_t size, const ts_graph *g, const ts_op *op)
{
    size_t n;

    fmt_shape(buf, size, op->n_outputs ? &g->tensors[op->outputs[0]] : NULL);
    n = strlen(buf);
    if (op->n_outputs > 1 && n < size)
        snprintf(buf + n, size - n, " +%d", op->n_outputs - 1);
    return buf;
}

/* "int8", or "float32>int8" when the op changes the element type. */
static const char *fmt_dtypes(char *buf, size_t size, const ts_tensor *in, const ts_tensor *out)
{
    if (!out)
        snprintf(buf, size, "-");
    else if (!in || in->dtype == out->dtype)
        snprintf(buf, size, "%s", ts_dtype_name(out->dtype));
    else
        snprintf(buf, size, "%s>%s", ts_dtype_name(in->dtype), ts_dtype_name(out->dtype));
    return buf;
}

static void print_ops(const ts_graph *g, const inspect_opts *o, totals *tot)
{
    char in_s[64], out_s[64], macs[32], wb[32], ab[32], dt[32];

    printf("%4s  %-18s %-18s %-18s %-13s %13s %10s %10s\n", "#", "op", "input", "output", "dtype",
           "MACs", "weights", "act bytes");
    for (int32_t k = 0; k < g->n_ops; k++) {
        const ts_op *op = &g->ops[k];
        const ts_tensor *in = first_input(g, op);
        const ts_tensor *out = op->n_outputs ? &g->tensors[op->outputs[0]] : NULL;
        uint64_t m = ts_op_macs(g, op);
        fmt_shape(in_s, sizeof in_s, in);
        fmt_outputs(out_s, sizeof out_s, g, op);
        printf("%4d  %-18s %-18s %-18s %-13s %13s %10s %10s\n", k, op->name, in_s, out_s,
               fmt_dtypes(dt, sizeof dt, in, out), fmt_count(macs, sizeof macs, m),
               fmt_count(wb, sizeof wb, ts_op_weight_bytes(g, op)),
               fmt_count(ab, sizeof ab, ts_op_activation_bytes(g, op)));
        tot->macs += m;
        tot->n_unsupported += refusal(g, o, k) != NULL;
    }
}

static void print_unsupported(const ts_graph *g, const inspect_opts *o, int32_t n)
{
    printf("note: run and bench refuse %d op%s of this model:\n", n, n == 1 ? "" : "s");
    for (int32_t k = 0; k < g->n_ops; k++)
        if (refusal(g, o, k))
            printf("  op %d (%s): %s\n", k, g->ops[k].name, refusal(g, o, k));
}

static void print_plan(const ts_graph *g, const ts_plan *p)
{
    char sz[32], off[32];

    printf("\narena plan (offsets in bytes):\n%4s  %-40s %10s %10s  %s\n", "t", "tensor", "bytes",
           "offset", "lifetime (ops)");
    for (int32_t i = 0; i < g->n_tensors; i++) {
        int32_t r = p->storage_of[i];
        if (p->tensor_offset[i] < 0)
            continue;
        printf("%4d  %-40.40s %10s %10s  %d..%d%s\n", i, g->tensors[i].name,
               fmt_count(sz, sizeof sz, g->tensors[i].size_bytes),
               fmt_count(off, sizeof off, (uint64_t)p->tensor_offset[i]),
               p->first_op[r], p->last_op[r], r != i ? " (view)"
                                                    : g->tensors[i].is_variable
                                                          ? " (state: kept across invocations)"
                                                          : "");
    }
    for (int32_t k = 0; k < g->n_ops; k++)
        if (p->scratch_offset[k] >= 0)
            printf("%4s  scratch of op %-27d %10s %10s  %d..%d\n", "-", k, "",
                   fmt_count(off, sizeof off, (uint64_t)p->scratch_offset[k]), k, k);
}

static void print_text(const ts_model *m, const ts_plan *p, const inspect_opts *o)
{
    const ts_graph *g = ts_model_graph(m);
    totals tot = {0, 0, 0, 0};
    char a[32], b[32], c[32], d[32];

    printf("model: %s (%s bytes, schema v%u, %d subgraph%s)\n", ts_model_source(m),
           fmt_count(a, sizeof a, ts_model_file_bytes(m)), ts_model_schema_version(m),
           ts_model_n_subgraphs(m), ts_model_n_subgraphs(m) == 1 ? "" : "s");
    if (ts_model_description(m)[0])
        printf("description: %s\n", ts_model_description(m));
    printf("\n");
    print_ops(g, o, &tot);
    ts_model_param_totals(m, &tot.n_params, &tot.weight_bytes);
    printf("\ntotals: %d ops, %s MACs, %s parameters, %s weight bytes (flash)\n", g->n_ops,
           fmt_count(a, sizeof a, tot.macs), fmt_count(b, sizeof b, tot.n_params),
           fmt_count(c, sizeof c, tot.weight_bytes));
    printf("tensor arena: %s bytes planned (%s bytes without reuse); peak live %s bytes at op "
           "%d (%s)\n", fmt_count(a, sizeof a, p->arena_bytes),
           fmt_count(b, sizeof b, p->naive_bytes), fmt_count(d, sizeof d, p->peak_live_bytes),
           p->peak_op, p->peak_op >= 0 ? g->ops[p->peak_op].name : "-");
    if (tot.n_unsupported)
        print_unsupported(g, o, tot.n_unsupported);
    if (o->plan)
        print_plan(g, p);
}

static cJSON *json_tensor(const ts_graph *g, int32_t t)
{
    cJSON *o = cJSON_CreateObject(), *shape = cJSON_CreateArray();
    const ts_tensor *x = &g->tensors[t];

    cJSON_AddNumberToObject(o, "tensor", t);
    cJSON_AddStringToObject(o, "name", x->name);
    cJSON_AddStringToObject(o, "dtype", ts_dtype_name(x->dtype));
    for (int32_t d = 0; d < x->rank; d++)
        cJSON_AddItemToArray(shape, cJSON_CreateNumber(x->shape[d]));
    cJSON_AddItemToObject(o, "shape", shape);
    cJSON_AddBoolToObject(o, "constant", ts_tensor_is_const(x));
    return o;
}

static cJSON *json_op(const ts_graph *g, const inspect_opts *io, int32_t k)
{
    const char *why = refusal(g, io, k);
    const ts_op *op = &g->ops[k];
    cJSON *o = cJSON_CreateObject(), *ins = cJSON_CreateArray(), *outs = cJSON_CreateArray();

    cJSON_AddNumberToObject(o, "index", k);
    cJSON_AddStringToObject(o, "op", op->name);
    cJSON_AddBoolToObject(o, "supported", !why);
    cJSON_AddItemToObject(o, "unsupported_reason", why ? cJSON_CreateString(why)
                                                       : cJSON_CreateNull());
    for (int32_t j = 0; j < op->n_inputs; j++)
        cJSON_AddItemToArray(ins, op->inputs[j] < 0 ? cJSON_CreateNull()
                                                    : json_tensor(g, op->inputs[j]));
    for (int32_t j = 0; j < op->n_outputs; j++)
        cJSON_AddItemToArray(outs, json_tensor(g, op->outputs[j]));
    cJSON_AddItemToObject(o, "inputs", ins);
    cJSON_AddItemToObject(o, "outputs", outs);
    cJSON_AddNumberToObject(o, "macs", (double)ts_op_macs(g, op));
    cJSON_AddNumberToObject(o, "weight_bytes", (double)ts_op_weight_bytes(g, op));
    cJSON_AddNumberToObject(o, "activation_bytes", (double)ts_op_activation_bytes(g, op));
    return o;
}

static cJSON *json_plan(const ts_graph *g, const ts_plan *p, int with_tensors)
{
    cJSON *a = cJSON_CreateObject(), *list = cJSON_CreateArray();

    cJSON_AddNumberToObject(a, "arena_bytes", (double)p->arena_bytes);
    cJSON_AddNumberToObject(a, "naive_bytes", (double)p->naive_bytes);
    cJSON_AddNumberToObject(a, "peak_live_bytes", (double)p->peak_live_bytes);
    cJSON_AddNumberToObject(a, "peak_op", p->peak_op);
    for (int32_t i = 0; with_tensors && i < g->n_tensors; i++) {
        cJSON *t;
        if (p->tensor_offset[i] < 0)
            continue;
        t = cJSON_CreateObject();
        cJSON_AddNumberToObject(t, "tensor", i);
        cJSON_AddStringToObject(t, "name", g->tensors[i].name);
        cJSON_AddNumberToObject(t, "bytes", (double)g->tensors[i].size_bytes);
        cJSON_AddNumberToObject(t, "offset", (double)p->tensor_offset[i]);
        cJSON_AddNumberToObject(t, "first_op", p->first_op[p->storage_of[i]]);
        cJSON_AddNumberToObject(t, "last_op", p->last_op[p->storage_of[i]]);
        if (g->tensors[i].is_variable) /* layer state: its bytes are never another tensor's */
            cJSON_AddBoolToObject(t, "variable", true);
        cJSON_AddItemToArray(list, t);
    }
    if (with_tensors)
        cJSON_AddItemToObject(a, "tensors", list);
    else
        cJSON_Delete(list);
    return a;
}

static int print_json(const ts_model *m, const ts_plan *p, const inspect_opts *o)
{
    const ts_graph *g = ts_model_graph(m);
    cJSON *root = cJSON_CreateObject(), *ops = cJSON_CreateArray(), *tot = cJSON_CreateObject();
    uint64_t macs = 0, n_params, wbytes;
    int32_t n_refused = 0;
    char *text;

    cJSON_AddStringToObject(root, "model", ts_model_source(m));
    cJSON_AddNumberToObject(root, "file_bytes", (double)ts_model_file_bytes(m));
    cJSON_AddStringToObject(root, "description", ts_model_description(m));
    for (int32_t k = 0; k < g->n_ops; k++) {
        cJSON_AddItemToArray(ops, json_op(g, o, k));
        macs += ts_op_macs(g, &g->ops[k]);
        n_refused += refusal(g, o, k) != NULL;
    }
    cJSON_AddItemToObject(root, "ops", ops);
    ts_model_param_totals(m, &n_params, &wbytes);
    cJSON_AddNumberToObject(tot, "ops", g->n_ops);
    cJSON_AddNumberToObject(tot, "macs", (double)macs);
    cJSON_AddNumberToObject(tot, "parameters", (double)n_params);
    cJSON_AddNumberToObject(tot, "weight_bytes", (double)wbytes);
    cJSON_AddNumberToObject(tot, "unsupported_ops", n_refused);
    cJSON_AddItemToObject(root, "totals", tot);
    cJSON_AddItemToObject(root, "arena", json_plan(g, p, o->plan));
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return cli_usage_error("inspect: out of memory formatting JSON");
    puts(text);
    free(text);
    return TS_EXIT_OK;
}

enum { OPT_JSON, OPT_CSV, OPT_PLAN, OPT_OPS };

#define EX_FORMAT 1u /* --json | --csv */

static const opts_spec inspect_opts_spec[] = {
    {"--json", OPT_JSON, 0, EX_FORMAT},
    {"--csv", OPT_CSV, 0, EX_FORMAT},
    {"--plan", OPT_PLAN, 0, 0},
    {"--ops", OPT_OPS, 0, EX_FORMAT},
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    inspect_opts *o = ctx;

    (void)name;
    if (id == OPT_JSON)
        o->json = 1;
    else if (id == OPT_CSV)
        o->csv = 1;
    else if (id == OPT_PLAN)
        o->plan = 1;
    else if (id == OPT_OPS)
        o->ops = 1;
    else if (o->path)
        return cli_usage_error("inspect: more than one model given ('%s', '%s')", o->path, v);
    else
        o->path = v;
    return TS_EXIT_OK;
}

/* One row of --csv: the columns of the text table, shapes as "[1,49,10,1]". */
static cJSON *csv_op(const ts_graph *g, const inspect_opts *io, int32_t k)
{
    const char *why = refusal(g, io, k);
    const ts_op *op = &g->ops[k];
    const ts_tensor *in = first_input(g, op);
    const ts_tensor *out = op->n_outputs ? &g->tensors[op->outputs[0]] : NULL;
    cJSON *o = cJSON_CreateObject();
    char buf[64];

    cJSON_AddNumberToObject(o, "index", k);
    cJSON_AddStringToObject(o, "op", op->name);
    cJSON_AddBoolToObject(o, "supported", !why);
    cJSON_AddStringToObject(o, "input", fmt_shape(buf, sizeof buf, in));
    cJSON_AddStringToObject(o, "output", fmt_outputs(buf, sizeof buf, g, op));
    cJSON_AddStringToObject(o, "dtype", fmt_dtypes(buf, sizeof buf, in, out));
    cJSON_AddNumberToObject(o, "macs", (double)ts_op_macs(g, op));
    cJSON_AddNumberToObject(o, "weight_bytes", (double)ts_op_weight_bytes(g, op));
    cJSON_AddNumberToObject(o, "activation_bytes", (double)ts_op_activation_bytes(g, op));
    cJSON_AddStringToObject(o, "unsupported_reason", why ? why : "");
    return o;
}

/* --csv: the per-op table, one line per op (csv.h). */
static void print_csv(const ts_graph *g, const inspect_opts *o)
{
    cJSON *rows = cJSON_CreateArray();

    for (int32_t k = 0; k < g->n_ops; k++)
        cJSON_AddItemToArray(rows, csv_op(g, o, k));
    csv_objects(rows, NULL, NULL);
    cJSON_Delete(rows);
}

static int parse_args(int argc, char **argv, inspect_opts *o)
{
    int rc = opts_parse("inspect", inspect_opts_spec, OPTS_N(inspect_opts_spec), argc, argv, 1,
                        on_option, o);

    if (rc == TS_EXIT_OK && o->ops && (o->path || o->plan))
        return cli_usage_error("inspect: --ops prints the supported op matrix and takes no "
                               "model (got '%s')", o->path ? o->path : "--plan");
    if (rc == TS_EXIT_OK && !o->path && !o->ops)
        rc = cli_usage_error("inspect: no model given (usage: tinysim inspect [--json|--csv] "
                             "[--plan] MODEL.tflite)");
    if (rc == TS_EXIT_OK && o->csv && o->plan)
        rc = cli_usage_error("inspect: --csv prints the per-op table only (--plan: text or "
                             "--json)");
    return rc;
}

/* The op table's kernel rows (kernels/firmware/fw_ops.def): op kind, dtype, variant, kernel.
 * A column says which INPUT dtype runs; a row's DTYPE is its prepared op's activation dtype,
 * which is the input's except for the rows of matrix_inputs below. */
#define MATRIX_INT8 1u
#define MATRIX_F32 2u
#define MATRIX_INT16 4u
#define MATRIX_DT_INT8 MATRIX_INT8
#define MATRIX_DT_INT16 MATRIX_INT16
#define MATRIX_DT_INT32 0u    /* only conversion rows (matrix_inputs) */
#define MATRIX_DT_FLOAT16 0u  /* DEQUANTIZE's float16 input: no column (matrix_inputs) */
#define MATRIX_DT_FLOAT32 MATRIX_F32
/* ANY rows move every activation dtype the executor runs (RESHAPE, SQUEEZE, EXPAND_DIMS:
 * int16 as int8; SHAPE reads no value; CAST among int8, int16, int32 and float32);
 * sim/ref/ref_prepare.c refuses the rest per op */
#define MATRIX_DT_ANY (MATRIX_INT8 | MATRIX_INT16 | MATRIX_F32)
static const struct {
    ts_op_kind op;
    unsigned dtypes;
    const char *name, *kernel, *variant;
} kernel_rows[] = {
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param)                         \
    {TS_OP_##op, MATRIX_DT_##dtype, #name, #kernel, #variant},
#include "firmware/fw_ops.def"
};

/* The conversion rows, whose prepared dtype is not their input's (sim/ref/ref_prepare.c
 * prep_affine, prep_requant; SOFTMAX int8 -> int16): the input dtypes each runs, and a note
 * for an input dtype the matrix has no column for. */
static const struct {
    const char *name;
    unsigned in;
    const char *note;
} matrix_inputs[] = {
    {"QUANTIZE_S8", MATRIX_F32, NULL},      /* float32 -> int8 */
    {"QUANTIZE_S16", MATRIX_F32, NULL},     /* float32 -> int16 */
    {"DEQUANTIZE_S8", MATRIX_INT8, NULL},   /* int8 -> float32 */
    {"REQUANTIZE", MATRIX_INT8 | MATRIX_INT16, "int8, int16 or int32 in"},
    {"SOFTMAX_S8_S16", MATRIX_INT8, NULL},  /* int8 -> int16 */
    {"DEQUANTIZE_F16", 0u, "float16 in"},
};

/* Kernel row i's input dtype bits; *note its note or NULL. */
static unsigned matrix_row_inputs(size_t i, const char **note)
{
    *note = NULL;
    for (size_t k = 0; k < sizeof matrix_inputs / sizeof matrix_inputs[0]; k++)
        if (strcmp(matrix_inputs[k].name, kernel_rows[i].name) == 0) {
            *note = matrix_inputs[k].note;
            return matrix_inputs[k].in;
        }
    return kernel_rows[i].dtypes;
}

/* The kernels column of one op: "`tsk_add_s8`, `tsk_add_f32`"; *dtypes gets the dtype bits. */
static void matrix_kernels(ts_op_kind op, char *buf, size_t size, unsigned *dtypes)
{
    size_t n = 0;

    buf[0] = '\0';
    *dtypes = 0;
    for (size_t i = 0; i < sizeof kernel_rows / sizeof kernel_rows[0]; i++) {
        const char *note;
        if (kernel_rows[i].op != op)
            continue;
        *dtypes |= matrix_row_inputs(i, &note);
        n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s`%s`%s%s%s", n ? ", " : "",
                              kernel_rows[i].kernel,
                              strcmp(kernel_rows[i].variant, "simd") == 0 ? " (DSP ext.)" : "",
                              note ? " (" : "", note ? note : "");
        if (note)
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, ")");
    }
}

/* --ops: one Markdown row per TFLite operator of sim/model/tflite_ops.def, in code order. */
static int print_ops_matrix(void)
{
    static const struct {
        int code;
        ts_op_kind kind;
        const char *name;
    } ops[] = {
#define TFLITE_OP(code, kind, opts, name) {code, TS_OP_##kind, name},
#include "model/tflite_ops.def"
#undef TFLITE_OP
    };
    char kernels[512];
    unsigned dt;

    printf("| TFLite operator | code | int8 | int16 | float32 | kernels |\n");
    printf("|---|--:|:-:|:-:|:-:|---|\n");
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        matrix_kernels(ops[i].kind, kernels, sizeof kernels, &dt);
        printf("| %s | %d | %s | %s | %s | %s |\n", ops[i].name, ops[i].code,
               dt & MATRIX_INT8 ? "yes" : "-", dt & MATRIX_INT16 ? "yes" : "-",
               dt & MATRIX_F32 ? "yes" : "-", kernels);
    }
    return TS_EXIT_OK;
}

/* o->why: every op through the executor's own support check (ts_ref_check_op). */
static int check_ops(const ts_model *m, inspect_opts *o)
{
    const ts_graph *g = ts_model_graph(m);

    if (!(o->why = ts_calloc((size_t)g->n_ops + 1, sizeof *o->why)))
        return cli_usage_error("inspect: out of memory"), TS_EXIT_FAIL;
    for (int32_t k = 0; k < g->n_ops; k++) {
        ts_err_clear(&o->why[k]);
        if (ts_ref_check_op(g, ts_model_source(m), k, &o->why[k]) == TS_ERR_NOMEM)
            return cli_report(&o->why[k]);
    }
    return TS_EXIT_OK;
}

int cmd_inspect(int argc, char **argv)
{
    inspect_opts o = {0, 0, 0, 0, NULL, NULL};
    ts_model *m = NULL;
    ts_plan *p = NULL;
    ts_err err;
    int rc;

    ts_err_clear(&err);
    if ((rc = parse_args(argc, argv, &o)) != TS_EXIT_OK)
        return rc;
    if (o.ops)
        return print_ops_matrix();
    if (ts_model_load_file(o.path, &m, &err) != TS_OK)
        return cli_report(&err);
    if ((rc = check_ops(m, &o)) != TS_EXIT_OK)
        goto out_free_model;
    if (ts_plan_compute(ts_model_graph(m), NULL, &p, &err) != TS_OK) {
        rc = cli_report(&err);
        goto out_free_model;
    }
    if (o.json)
        rc = print_json(m, p, &o);
    else if (o.csv)
        print_csv(ts_model_graph(m), &o);
    else
        print_text(m, p, &o);
    ts_plan_free(p);
out_free_model:
    ts_free(o.why);
    ts_model_free(m);
    return rc;
}
