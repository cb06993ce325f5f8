/* gen_ops.c: single-op models, `op:NAME,DTYPE,SHAPE[,SHAPE][,PARAM=V.V...]`
 * ("op:add,int8,1x4x4x3,3", "op:transpose,float32,2x3x4,perm=2.0.1"): one operator of
 * gen_ops.def on graph inputs of the given shapes (dimensions joined by 'x', rank 1 to 4; the
 * second shape, for binary ops, defaults to the first and broadcasts as TFLite does), int8 or
 * float32; the row's parameter (TRANSPOSE perm, EXPAND_DIMS axis) becomes its constant int32
 * input. int8 inputs get per-tensor quantization drawn from the seed: scale
 * (4 + r % 13) / 256, zero point r % 41 - 20 (a binary op with SAME quantization gives both
 * inputs the first one's); the output's follows the row's QUANT rule, times a jitter
 * (12 + r % 9) / 16 for SUM, PRODUCT, OWN and SQUARE. Two fields any row of takes_act may add:
 * act=none|relu|relu6|relu_n1_to_1, the fused activation (the quantization is drawn as without
 * it, so the clamp changes results), and, on the weighted rows, weights=per_channel|per_tensor
 * (the filter's quantization). Layer: sim/gen. Never prints, exits or touches files. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gen_int.h"
#include "kernels.h"

typedef enum gen_quant {
    GEN_Q_SUM,
    GEN_Q_PRODUCT,
    GEN_Q_SAME,
    GEN_Q_OWN,
    GEN_Q_SQUARE,
    GEN_Q_WEIGHTED,
    GEN_Q_TANH,
    GEN_Q_INDEX, /* an int32 output of indices, not quantized (ARG_MAX, ARG_MIN) */
    GEN_Q_CONVERT,
    GEN_Q_INV,   /* non-negative inputs (zero point -128), output 1/16 of the jitter (RSQRT) */
    GEN_Q_SUM_N, /* the input scale times the reduced count / 4 (SUM) */
    GEN_Q_PROB   /* probabilities: int8 1/256 and -128, int16 1/32768 and 0 (SOFTMAX, LOGISTIC) */
} gen_quant;
typedef enum gen_shape {
    GEN_S_BROADCAST,
    GEN_S_TRANSPOSE,
    GEN_S_EXPAND_DIMS,
    GEN_S_SQUEEZE,
    GEN_S_PACK,
    GEN_S_SLICE,
    GEN_S_GATHER,
    GEN_S_TCONV,
    GEN_S_SPLIT,
    GEN_S_STRIDED_SLICE,
    GEN_S_REDUCE_AXIS, /* one axis removed (ARG_MAX, ARG_MIN) */
    GEN_S_SPACE_DEPTH,
    GEN_S_RESIZE,
    GEN_S_FILL,
    GEN_S_SHAPE,
    GEN_S_CAST,
    GEN_S_FC,
    GEN_S_CONV,
    GEN_S_POOL,
    GEN_S_PAD,
    GEN_S_CONCAT,
    GEN_S_REDUCE,      /* axes reduced, kept as 1 or removed (REDUCE_MAX, SUM) */
    GEN_S_MATMUL,      /* [.., M, K] x [.., K, N], adj=X.Y transposing them (BATCH_MATMUL) */
    GEN_S_RESHAPE      /* shape=D.D..., one D may be -1 (RESHAPE) */
} gen_shape;

static const struct {
    const char *name;
    ts_op_kind kind;
    int32_t n_inputs;
    gen_quant quant;
    gen_shape shape;
    const char *param; /* the spec's name=... parameter, "" for none */
} op_rows[] = {
#define GEN_OP(name, kind, n_inputs, quant, shape, param)                                     \
    {#name, TS_OP_##kind, n_inputs, GEN_Q_##quant, GEN_S_##shape, param},
#include "gen_ops.def"
#undef GEN_OP
};

#define N_OP_ROWS ((int32_t)(sizeof op_rows / sizeof op_rows[0]))
#define MAX_DIM 4096
#define MAX_OP_RANK 4 /* shapes and parameters: the 4-D kernels' limit */
#define MAX_FIELDS 9  /* NAME, DTYPE, up to two shapes, up to five parameters (act, weights) */

typedef struct op_spec {
    int32_t row;
    ts_dtype dt;
    int32_t rank[2];
    int32_t shape[2][TS_MAX_RANK];
    int32_t n_shapes;
    int32_t n_param;             /* values of the row's parameter ("perm=2.0.1": 3) */
    int32_t param[TS_MAX_RANK];  /* up to 4 values (paddings: 8) */
    int32_t n_param2;            /* values of its second parameter (SLICE's size) */
    int32_t param2[TS_MAX_RANK];
    int32_t n_param3, n_param4;  /* its third and fourth (STRIDED_SLICE's strides, masks) */
    int32_t param3[TS_MAX_RANK], param4[TS_MAX_RANK];
    float alpha;                 /* the "alpha" parameter (an option, not an input) */
    float beta;                  /* SOFTMAX's "beta" (an option; 1 when not given) */
    ts_dtype dt_out;             /* CAST: the output's dtype (dt the input's) */
    ts_act act;                  /* act=...: the fused activation (takes_act rows) */
    int32_t weights;             /* weights=...: GEN_W_DEFAULT, _PER_CHANNEL, _PER_TENSOR */
} op_spec;

enum { GEN_W_DEFAULT, GEN_W_PER_CHANNEL, GEN_W_PER_TENSOR };

/* Field [s, s+len) as a shape "1x4x4x3". */
static ts_status parse_shape(const char *spec, const char *s, size_t len, int32_t *rank,
                             int32_t *shape, ts_err *err)
{
    int32_t r = 0, v = -1;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] >= '0' && s[i] <= '9') {
            v = (v < 0 ? 0 : v) * 10 + (s[i] - '0');
            if (v > MAX_DIM)
                break;
            continue;
        }
        if ((i < len && s[i] != 'x') || v < 1 || r == MAX_OP_RANK)
            return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: shape \"%.*s\": expected 1 to 4 "
                              "dimensions in [1, %d] joined by 'x'", spec, (int)len, s, MAX_DIM);
        shape[r++] = v;
        v = -1;
    }
    if (v > MAX_DIM)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: shape \"%.*s\": dimension above %d",
                          spec, (int)len, s, MAX_DIM);
    *rank = r;
    return TS_OK;
}

static ts_status parse_name(const char *spec, const char *s, size_t len, int32_t *row,
                            ts_err *err)
{
    char names[512] = "";
    size_t used = 0;

    for (int32_t i = 0; i < N_OP_ROWS; i++) {
        if (strlen(op_rows[i].name) == len && strncmp(op_rows[i].name, s, len) == 0) {
            *row = i;
            return TS_OK;
        }
        if (used < sizeof names)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     op_rows[i].name);
    }
    return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: unknown operator \"%.*s\" (expected one of "
                      "%s)", spec, (int)len, s, names);
}

/* "alpha=0.25", "beta=2.5": a decimal fraction in [0, 10) with up to 4 digits after the
 * point, into *v, *n set to 1. */
static ts_status parse_decimal(const char *spec, const char *name, const char *s, size_t len,
                               float *v, int32_t *n_out, ts_err *err)
{
    int32_t whole = 0, frac = 0, scale = 1, i = 0, n = (int32_t)len;

    if (n > 0 && s[0] >= '0' && s[0] <= '9')
        whole = s[i++] - '0';
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9' && scale < 10000; i++)
            frac = frac * 10 + (s[i] - '0'), scale *= 10;
    if (i == 0 || i != n)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: %s \"%.*s\" (expected a decimal "
                          "in [0, 10) with at most 4 decimals, as 0.2)", spec, name, (int)len, s);
    *v = (float)whole + (float)frac / (float)scale;
    *n_out = 1;
    return TS_OK;
}

/* The value list of the row's k-th parameter (0: param, 1: param2, 2, 3: param3, param4). */
static int32_t *param_values(op_spec *o, int32_t k, int32_t **n)
{
    int32_t *const lists[4] = {o->param, o->param2, o->param3, o->param4};
    int32_t *const counts[4] = {&o->n_param, &o->n_param2, &o->n_param3, &o->n_param4};

    *n = counts[k];
    return lists[k];
}

/* Field [f, f+len) as one of the row's parameters "NAME=v.v.v" (integers, may be negative);
 * the row's param column names one, or up to four joined by '+' ("begin+size"). */
static ts_status parse_param(const char *spec, const char *f, size_t len, op_spec *o,
                             ts_err *err)
{
    const char *names = op_rows[o->row].param, *want = names, *p = names;
    size_t name_len = strcspn(names, "+"), i;
    int32_t *n_out = &o->n_param, *out = o->param, cap;

    for (int32_t k = 0; *p && k < 4; k++, p += strcspn(p, "+") + (p[strcspn(p, "+")] != 0)) {
        size_t l = strcspn(p, "+");
        if (len > l && strncmp(f, p, l) == 0 && f[l] == '=') {
            want = p, name_len = l;
            out = param_values(o, k, &n_out);
            break;
        }
    }
    if (!*want || len <= name_len || strncmp(f, want, name_len) != 0 || f[name_len] != '=')
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": %s takes %s%s%s", spec,
                          (int)len, f, op_rows[o->row].name, *want ? "the parameters " : "no "
                          "parameter", names, *want ? " as NAME=V[.V...]" : "");
    if (strcmp(want, "alpha") == 0 || strncmp(want, "alpha+", 6) == 0)
        return parse_decimal(spec, "alpha", f + name_len + 1, len - name_len - 1, &o->alpha,
                             &o->n_param, err);
    if (name_len == 4 && strncmp(want, "beta", 4) == 0)
        return parse_decimal(spec, "beta", f + name_len + 1, len - name_len - 1, &o->beta,
                             n_out, err);
    if (name_len == 3 && strncmp(want, "out", 3) == 0) { /* SOFTMAX's output dtype: out=int16 */
        if (len - name_len - 1 != 5 || strncmp(f + name_len + 1, "int16", 5) != 0)
            return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": expected out=int16 (an "
                              "int16 output of an int8 input)", spec, (int)len, f);
        o->dt_out = TS_DT_INT16, *n_out = 1;
        return TS_OK;
    }
    *n_out = 0;
    cap = strcmp(want, "paddings") == 0 ? TS_MAX_RANK : MAX_OP_RANK;
    for (i = name_len + 1; i <= len;) {
        int32_t sign = 1, v = 0, digits = 0;
        if (i < len && f[i] == '-')
            sign = -1, i++;
        for (; i < len && f[i] >= '0' && f[i] <= '9' && digits < 4; i++, digits++)
            v = v * 10 + (f[i] - '0');
        if (!digits || *n_out == cap || (i < len && f[i] != '.'))
            return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": expected %.*s=V[.V...] "
                              "with 1 to %d integers", spec, (int)len, f, (int)name_len, want,
                              cap);
        out[(*n_out)++] = sign * v;
        i++;
    }
    return TS_OK;
}

/* CAST's dtype field "FROM>TO", each int8, int16, int32 or float32. */
static ts_status parse_cast_types(const char *spec, const char *s, size_t len, op_spec *o,
                                  ts_err *err)
{
    static const ts_dtype types[4] = {TS_DT_INT8, TS_DT_INT16, TS_DT_INT32, TS_DT_FLOAT32};
    const char *gt = memchr(s, '>', len);
    int found = 0;

    for (int i = 0; gt && i < 4; i++)
        for (int j = 0; j < 4; j++) {
            const char *a = ts_dtype_name(types[i]), *b = ts_dtype_name(types[j]);
            if (strlen(a) == (size_t)(gt - s) && strncmp(s, a, strlen(a)) == 0 &&
                strlen(b) == len - strlen(a) - 1 && strncmp(gt + 1, b, strlen(b)) == 0)
                o->dt = types[i], o->dt_out = types[j], found = 1;
        }
    if (!found || o->dt == o->dt_out)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: cast types \"%.*s\" (expected FROM>TO, "
                          "two different types among int8, int16, int32, float32)", spec,
                          (int)len, s);
    return TS_OK;
}

/* Every parameter the row names was given. */
static bool params_given(op_spec *o)
{
    const char *names = op_rows[o->row].param;
    int32_t *n = NULL;

    for (int32_t k = 0; k < 4 && (k == 0 || (names = strchr(names, '+')) != NULL); k++) {
        names += k > 0;
        param_values(o, k, &n);
        if (*n == 0)
            return false;
    }
    return true;
}

/* Rows whose parameters may be left out (scale=E, beta=B: the seeded input scale, beta 1). */
static bool params_optional(int32_t row)
{
    ts_op_kind k = op_rows[row].kind;

    return k == TS_OP_SOFTMAX || k == TS_OP_LOGISTIC || k == TS_OP_TANH;
}

/* Rows written with int16 activations (16x8): the weighted ops, the conversions, ADD, SUB,
 * MUL, the pools, the data movers (RESHAPE too), LEAKY_RELU, SHAPE and MEAN. */
static bool takes_int16(int32_t row)
{
    ts_op_kind k = op_rows[row].kind;

    if (params_optional(row))
        return true;

    return op_rows[row].quant == GEN_Q_WEIGHTED || op_rows[row].quant == GEN_Q_CONVERT ||
           k == TS_OP_ADD || k == TS_OP_SUB || k == TS_OP_MUL || op_rows[row].shape == GEN_S_POOL ||
           k == TS_OP_PAD || k == TS_OP_CONCATENATION || k == TS_OP_PACK || k == TS_OP_SQUEEZE ||
           k == TS_OP_EXPAND_DIMS || k == TS_OP_LEAKY_RELU || k == TS_OP_STRIDED_SLICE ||
           k == TS_OP_SHAPE || k == TS_OP_MEAN || k == TS_OP_RESHAPE;
}

/* Rows that take act=... : the ops whose TFLite options carry a fused activation that
 * TFLite's kernels apply (ADD, SUB, MUL, DIV, the weighted ops, the pools; CONCATENATION's
 * schema has one too, but TFLite's Prepare requires NONE there). */
static bool takes_act(int32_t row)
{
    ts_op_kind k = op_rows[row].kind;

    return k == TS_OP_ADD || k == TS_OP_SUB || k == TS_OP_MUL || k == TS_OP_DIV ||
           (op_rows[row].quant == GEN_Q_WEIGHTED && op_rows[row].shape != GEN_S_TCONV) ||
           op_rows[row].shape == GEN_S_POOL;
}

/* The fields every takes_act row may add, act=NAME, and the weighted rows' weights=per_channel|
 * per_tensor; *taken false for any other field. */
static ts_status parse_option(const char *spec, const char *f, size_t len, op_spec *o,
                              bool *taken, ts_err *err)
{
    bool weighted = op_rows[o->row].quant == GEN_Q_WEIGHTED &&
                    op_rows[o->row].shape != GEN_S_TCONV;

    *taken = true;
    if (len >= 4 && strncmp(f, "act=", 4) == 0) {
        if (!takes_act(o->row))
            return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": %s takes no fused "
                              "activation", spec, (int)len, f, op_rows[o->row].name);
        if (!ts_gen_act_named(f + 4, len - 4, &o->act))
            return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": expected act="
                              TS_GEN_ACT_WORDS, spec, (int)len, f);
        return TS_OK;
    }
    if (len >= 8 && strncmp(f, "weights=", 8) == 0) {
        if (!weighted)
            return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": %s has no weights",
                              spec, (int)len, f, op_rows[o->row].name);
        if (len == 19 && strncmp(f + 8, "per_channel", 11) == 0)
            o->weights = GEN_W_PER_CHANNEL;
        else if (len == 18 && strncmp(f + 8, "per_tensor", 10) == 0)
            o->weights = GEN_W_PER_TENSOR;
        else
            return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": expected "
                              "weights=per_channel|per_tensor", spec, (int)len, f);
        return TS_OK;
    }
    *taken = false;
    return TS_OK;
}

static ts_status parse_spec(const char *spec, const char *args, op_spec *o, ts_err *err)
{
    const char *f[MAX_FIELDS];
    size_t len[MAX_FIELDS];
    int32_t n = 0, n_in, n_params = 0;
    ts_status st = TS_OK;

    for (const char *p = args; n < MAX_FIELDS; p += len[n++] + 1) {
        f[n] = p;
        len[n] = strcspn(p, ",");
        if (!p[len[n]]) {
            n++;
            break;
        }
    }
    if (n < 3 || (n == MAX_FIELDS && f[MAX_FIELDS - 1][len[MAX_FIELDS - 1]]))
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: expected NAME,DTYPE,SHAPE[,SHAPE]"
                          "[,PARAM=V...]", spec);
    if ((st = parse_name(spec, f[0], len[0], &o->row, err)) != TS_OK)
        return st;
    if (op_rows[o->row].shape == GEN_S_CAST)
        st = parse_cast_types(spec, f[1], len[1], o, err);
    else if (len[1] == 4 && strncmp(f[1], "int8", 4) == 0)
        o->dt = TS_DT_INT8;
    else if (len[1] == 5 && strncmp(f[1], "int16", 5) == 0)
        o->dt = TS_DT_INT16;
    else if (len[1] == 7 && strncmp(f[1], "float32", 7) == 0)
        o->dt = TS_DT_FLOAT32;
    else if (len[1] == 5 && strncmp(f[1], "int32", 5) == 0 &&
             op_rows[o->row].kind == TS_OP_QUANTIZE) /* TFLite Micro's int32 -> int8/int16 */
        o->dt = TS_DT_INT32;
    else if (len[1] == 7 && strncmp(f[1], "float16", 7) == 0 &&
             op_rows[o->row].kind == TS_OP_DEQUANTIZE) /* float16 -> float32 */
        o->dt = TS_DT_FLOAT16;
    else
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: dtype \"%.*s\" (expected int8, int16 "
                          "or float32; int32 for quantize, float16 for dequantize)", spec,
                          (int)len[1], f[1]);
    if (st != TS_OK)
        return st;
    if (op_rows[o->row].shape != GEN_S_CAST &&
        o->dt == TS_DT_INT16 && !takes_int16(o->row))
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: %s is written as int8 or float32",
                          spec, op_rows[o->row].name);
    while (n > 2 && memchr(f[n - 1], '=', len[n - 1]) && n_params < MAX_FIELDS - 3) {
        bool taken = false;
        if ((st = parse_option(spec, f[n - 1], len[n - 1], o, &taken, err)) ||
            (!taken && (st = parse_param(spec, f[n - 1], len[n - 1], o, err))))
            return st;
        n--, n_params++;
    }
    if (op_rows[o->row].shape == GEN_S_RESIZE && o->n_param2 == 0) /* flags default 0.0 */
        o->param2[0] = o->param2[1] = 0, o->n_param2 = 2;
    if (*op_rows[o->row].param && !params_optional(o->row) && !params_given(o))
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: %s needs %s (NAME=V[.V...])", spec,
                          op_rows[o->row].name, op_rows[o->row].param);
    if (params_optional(o->row) &&
        (o->n_param > 1 || (o->n_param == 1 && (o->param[0] < -24 || o->param[0] > 0 ||
                                                 o->dt == TS_DT_FLOAT32)) ||
         (o->n_param2 == 1 && !(o->beta > 0.0f))))
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: expected scale=E, one exponent in "
                          "[-24, 0] (input scale 2^E, int8 or int16), and beta > 0", spec);
    if (op_rows[o->row].kind == TS_OP_SOFTMAX && o->n_param3 == 1 && o->dt != TS_DT_INT8)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: out=int16 takes an int8 input (got %s)",
                          spec, ts_dtype_name(o->dt));
    n_in = op_rows[o->row].n_inputs;
    o->n_shapes = n - 2;
    if (o->n_shapes > n_in)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: %s takes %d input shape(s) (got %d)",
                          spec, op_rows[o->row].name, n_in, o->n_shapes);
    for (int32_t i = 0; i < o->n_shapes; i++)
        if ((st = parse_shape(spec, f[2 + i], len[2 + i], &o->rank[i], o->shape[i], err)))
            return st;
    if (o->n_shapes < n_in) { /* the second input has the first's shape */
        o->rank[1] = o->rank[0];
        memcpy(o->shape[1], o->shape[0], sizeof o->shape[0]);
    }
    return TS_OK;
}

/* TFLite broadcasting: shapes aligned at their last dimension, each pair equal or one is 1. */
static ts_status broadcast(const char *spec, const op_spec *o, int32_t n_in, int32_t *rank,
                           int32_t *shape, ts_err *err)
{
    *rank = o->rank[0];
    memcpy(shape, o->shape[0], sizeof o->shape[0]);
    if (n_in < 2)
        return TS_OK;
    if (o->rank[1] > *rank) {
        memmove(shape + (o->rank[1] - *rank), shape, (size_t)*rank * sizeof *shape);
        for (int32_t i = 0; i < o->rank[1] - *rank; i++)
            shape[i] = 1;
        *rank = o->rank[1];
    }
    for (int32_t i = 0; i < o->rank[1]; i++) {
        int32_t *a = &shape[*rank - o->rank[1] + i], b = o->shape[1][i];
        if (*a != b && *a != 1 && b != 1)
            return ts_err_set(err, TS_ERR_RANGE, "gen: %s: shapes do not broadcast (dimension "
                              "%d: %d and %d)", spec, i, *a, b);
        *a = *a > b ? *a : b;
    }
    return TS_OK;
}

/* TRANSPOSE: out[i] = in[perm[i]], perm a permutation of 0..rank-1. */
static ts_status transposed(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                            ts_err *err)
{
    int32_t seen = 0;

    if (o->n_param != o->rank[0])
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: perm has %d entries (the input has rank "
                          "%d)", spec, o->n_param, o->rank[0]);
    for (int32_t i = 0; i < o->n_param; i++) {
        int32_t pi = o->param[i];
        if (pi < 0 || pi >= o->rank[0] || (seen & (1 << pi)))
            return ts_err_set(err, TS_ERR_RANGE, "gen: %s: perm is not a permutation of 0..%d",
                              spec, o->rank[0] - 1);
        seen |= 1 << pi;
        shape[i] = o->shape[0][pi];
    }
    *rank = o->rank[0];
    return TS_OK;
}

/* EXPAND_DIMS: a 1 inserted at axis (negative: from the end, rank + 1 + axis); SQUEEZE: the
 * 1-sized dimensions removed (TFLite's default without squeeze_dims). */
static ts_status reshaped(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                          ts_err *err)
{
    int32_t r = o->rank[0], axis = o->param[0] < 0 ? o->param[0] + r + 1 : o->param[0], n = 0;

    if (op_rows[o->row].shape == GEN_S_EXPAND_DIMS) {
        if (o->n_param != 1 || axis < 0 || axis > r || r == MAX_OP_RANK)
            return ts_err_set(err, TS_ERR_RANGE, "gen: %s: axis must be one value in [%d, %d] "
                              "and the input of rank below 4", spec, -r - 1, r);
        for (int32_t i = 0; i <= r; i++)
            shape[i] = i < axis ? o->shape[0][i] : i == axis ? 1 : o->shape[0][i - 1];
        *rank = r + 1;
        return TS_OK;
    }
    for (int32_t i = 0; i < r; i++)
        if (o->shape[0][i] != 1)
            shape[n++] = o->shape[0][i];
    if (n == 0)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: every dimension is 1", spec);
    *rank = n;
    return TS_OK;
}

/* RESHAPE: shape=D.D... (1 to 4 values >= 1, one may be -1: the elements left over, as
 * TFLite infers it), the input's element count. */
static ts_status reshape_to(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                            ts_err *err)
{
    int64_t in_n = 1, known = 1;
    int32_t infer = -1;

    for (int32_t i = 0; i < o->rank[0]; i++)
        in_n *= o->shape[0][i];
    for (int32_t i = 0; i < o->n_param; i++) {
        if (o->param[i] == -1 && infer < 0)
            infer = i;
        else if (o->param[i] >= 1)
            known *= o->param[i];
        else
            known = 0;
        shape[i] = o->param[i];
    }
    if (o->n_param < 1 || known == 0 || in_n % known != 0 || (infer < 0 && known != in_n))
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: shape must be 1 to 4 values >= 1 (one "
                          "may be -1) holding the input's %lld elements", spec,
                          (long long)in_n);
    if (infer >= 0)
        shape[infer] = (int32_t)(in_n / known);
    *rank = o->n_param;
    return TS_OK;
}

/* PACK of two inputs of one shape along axis (negative: from the end of the output's rank). */
static ts_status packed(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                        ts_err *err)
{
    int32_t r = o->rank[0], axis = o->param[0] < 0 ? o->param[0] + r + 1 : o->param[0];

    if (o->rank[1] != r || memcmp(o->shape[0], o->shape[1], sizeof o->shape[0]) != 0)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: pack inputs need one shape", spec);
    if (o->n_param != 1 || axis < 0 || axis > r || r == MAX_OP_RANK)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: axis must be one value in [%d, %d] "
                          "and the inputs of rank below 4", spec, -r - 1, r);
    for (int32_t i = 0; i <= r; i++)
        shape[i] = i < axis ? o->shape[0][i] : i == axis ? 2 : o->shape[0][i - 1];
    *rank = r + 1;
    return TS_OK;
}

/* SLICE: begin and size (-1: to the end) per input dimension. */
static ts_status sliced(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                        ts_err *err)
{
    int32_t r = o->rank[0];

    if (o->n_param != r || o->n_param2 != r)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: begin and size need %d entries each",
                          spec, r);
    for (int32_t i = 0; i < r; i++) {
        int32_t b = o->param[i], s = o->param2[i] == -1 ? o->shape[0][i] - b : o->param2[i];
        if (b < 0 || s < 1 || b + s > o->shape[0][i])
            return ts_err_set(err, TS_ERR_RANGE, "gen: %s: dimension %d: begin %d, size %d "
                              "outside %d", spec, i, b, o->param2[i], o->shape[0][i]);
        shape[i] = s;
    }
    *rank = r;
    return TS_OK;
}

/* GATHER: indices (1-D) along axis (negative: from the end). */
static ts_status gathered(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                          ts_err *err)
{
    int32_t r = o->rank[0], axis = o->param2[0] < 0 ? o->param2[0] + r : o->param2[0];

    if (o->n_param2 != 1 || axis < 0 || axis >= r)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: axis must be one value in [%d, %d]",
                          spec, -r, r - 1);
    for (int32_t i = 0; i < r; i++)
        shape[i] = i == axis ? o->n_param : o->shape[0][i];
    *rank = r;
    return TS_OK;
}

/* TRANSPOSE_CONV: filter=OC.KH.KW[.BIAS], stride=SH.SW[.PADDING[.ACT]] (gen_ops.def); *c gets
 * the options, shape the output shape. */
static ts_status tconv_spec(const char *spec, const op_spec *o, ts_conv_opts *c, int32_t *shape,
                            ts_err *err)
{
    const int32_t *f = o->param, *s = o->param2;
    int32_t pad = o->n_param2 > 2 ? s[2] : 0, act = o->n_param2 > 3 ? s[3] : 0;

    if (o->rank[0] != 4 || o->n_param < 3 || o->n_param2 < 2 || f[0] < 1 || f[1] < 1 ||
        f[2] < 1 || (o->n_param > 3 && f[3] != 0 && f[3] != 1) || s[0] < 1 || s[1] < 1 ||
        (pad != 0 && pad != 1) || (act != 0 && act != 1 && act != 3))
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: transpose_conv takes a 4-D input, "
                          "filter=OC.KH.KW[.BIAS] and stride=SH.SW[.PADDING[.ACT]] (values >= 1, "
                          "bias 0 or 1, padding 0 SAME or 1 VALID, act 0, 1 or 3)", spec);
    *c = (ts_conv_opts){.padding = (ts_padding)pad, .stride_w = s[1], .stride_h = s[0],
                        .dilation_w = 1, .dilation_h = 1, .act = (ts_act)act};
    shape[0] = o->shape[0][0];
    shape[1] = pad == 0 ? o->shape[0][1] * s[0] : (o->shape[0][1] - 1) * s[0] + f[1];
    shape[2] = pad == 0 ? o->shape[0][2] * s[1] : (o->shape[0][2] - 1) * s[1] + f[2];
    shape[3] = f[0];
    return TS_OK;
}

/* STRIDED_SLICE: begin, end, strides [rank], masks (begin, end, shrink) as TFLite reads
 * them (the kernels' prepare helper); shrunk axes leave the output. */
static ts_status strided(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                         ts_err *err)
{
    int32_t r = o->rank[0], counts[4], n = 0;
    tsk_strided_slice_params p;

    if (o->n_param != r || o->n_param2 != r || o->n_param3 != r || o->n_param4 != 3)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: begin, end and strides need %d entries "
                          "each, masks 3 (begin.end.shrink)", spec, r);
    if (tsk_strided_slice_prepare(r, o->shape[0], o->param, o->param2, o->param3, o->param4[0],
                                  o->param4[1], o->param4[2], &p, counts) != TSK_OK)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: a stride is 0, a shrunk axis has a "
                          "negative stride or the slice is empty", spec);
    for (int32_t i = 0; i < r; i++)
        if (!((o->param4[2] >> i) & 1))
            shape[n++] = counts[4 - r + i];
    *rank = n;
    return TS_OK;
}

/* ARG_MAX / ARG_MIN: the input's shape without axis (negative: from the end); rank 2 or more
 * (a rank-0 output is not written). */
static ts_status axis_removed(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                              ts_err *err)
{
    int32_t r = o->rank[0], axis = o->param[0] < 0 ? o->param[0] + r : o->param[0], n = 0;

    if (o->n_param != 1 || axis < 0 || axis >= r || r < 2)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: axis must be one value in [%d, %d] and "
                          "the input of rank 2 or more", spec, -r, r - 1);
    for (int32_t i = 0; i < r; i++)
        if (i != axis)
            shape[n++] = o->shape[0][i];
    *rank = n;
    return TS_OK;
}

/* SPACE_TO_DEPTH: [N,H,W,C] -> [N,H/b,W/b,C*b*b] (H, W multiples of b); DEPTH_TO_SPACE the
 * inverse (C a multiple of b*b). */
static ts_status space_depth(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                             ts_err *err)
{
    bool to_depth = op_rows[o->row].kind == TS_OP_SPACE_TO_DEPTH;
    const int32_t *s = o->shape[0];
    int32_t b = o->param[0];

    if (o->rank[0] != 4 || o->n_param != 1 || b < 1 || b > 8 ||
        (to_depth ? s[1] % b || s[2] % b : s[3] % (b * b)))
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: needs a 4-D input and block in [1, 8] "
                          "dividing %s", spec, to_depth ? "its height and width" : "its channels "
                          "(block^2)");
    shape[0] = s[0];
    shape[1] = to_depth ? s[1] / b : s[1] * b;
    shape[2] = to_depth ? s[2] / b : s[2] * b;
    shape[3] = to_depth ? s[3] * b * b : s[3] / (b * b);
    *rank = 4;
    return TS_OK;
}

/* RESIZE_*: [N,H,W,C] -> [N,size0,size1,C]; flags align_corners.half_pixel_centers (0/1,
 * not both 1: TFLite refuses that pair; 0.0 when the spec leaves flags out). */
static ts_status resized(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                         ts_err *err)
{
    if (o->rank[0] != 4 || o->n_param != 2 || o->param[0] < 1 || o->param[1] < 1 ||
        o->param[0] > MAX_DIM || o->param[1] > MAX_DIM || o->n_param2 != 2 ||
        (unsigned)o->param2[0] > 1 || (unsigned)o->param2[1] > 1 ||
        (o->param2[0] && o->param2[1]))
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: needs a 4-D input, size=H.W and "
                          "flags=A.H (0 or 1 each, not both 1)", spec);
    shape[0] = o->shape[0][0], shape[1] = o->param[0], shape[2] = o->param[1];
    shape[3] = o->shape[0][3];
    *rank = 4;
    return TS_OK;
}

/* FULLY_CONNECTED: [elements / last dimension, units]. */
static ts_status fc_shape(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                          ts_err *err)
{
    int32_t n = 1;

    if (o->n_param != 1 || o->param[0] < 1)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: units must be one value >= 1", spec);
    for (int32_t i = 0; i < o->rank[0] - 1; i++)
        n *= o->shape[0][i];
    shape[0] = n;
    shape[1] = o->param[0];
    *rank = 2;
    return TS_OK;
}

/* TFLite's output size of one axis: SAME ceil(in / stride), VALID (in - k) / stride + 1. */
static int32_t conv_out_dim(int32_t in, int32_t k, int32_t stride, bool valid)
{
    return valid ? (in < k ? 0 : (in - k) / stride + 1) : (in + stride - 1) / stride;
}

/* CONV_2D, DEPTHWISE_CONV_2D on an NHWC input: filter=KH.KW.N, stride=SH.SW[.V]; pools:
 * filter=KH.KW, the input's depth kept. */
static ts_status conv_shape(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                            ts_err *err)
{
    bool dw = op_rows[o->row].kind == TS_OP_DEPTHWISE_CONV_2D, valid = o->param2[2] == 1;
    bool pool = op_rows[o->row].shape == GEN_S_POOL;
    const int32_t *in = o->shape[0];
    int32_t n = pool ? 1 : o->param[2];

    if (o->rank[0] != 4 || o->n_param != (pool ? 2 : 3) || o->n_param2 < 2 || o->n_param2 > 3 ||
        o->param[0] < 1 || o->param[1] < 1 || n < 1 || o->param2[0] < 1 ||
        o->param2[1] < 1 || (o->n_param2 == 3 && (unsigned)o->param2[2] > 1))
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: expected an NHWC input, filter=KH.KW%s "
                          "and stride=SH.SW[.V] (all >= 1; V: 1 VALID, 0 SAME)", spec,
                          pool ? "" : ".N");
    shape[0] = in[0];
    shape[1] = conv_out_dim(in[1], o->param[0], o->param2[0], valid);
    shape[2] = conv_out_dim(in[2], o->param[1], o->param2[1], valid);
    shape[3] = pool ? in[3] : dw ? in[3] * n : n;
    if (shape[1] < 1 || shape[2] < 1)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: filter %dx%d larger than the input "
                          "%dx%d with VALID padding", spec, o->param[0], o->param[1], in[1],
                          in[2]);
    *rank = 4;
    return TS_OK;
}

/* PAD: paddings=B0.A0.B1.A1... (before and after per dimension, >= 0). */
static ts_status padded(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                        ts_err *err)
{
    if (o->n_param != 2 * o->rank[0])
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: paddings needs %d values (before and "
                          "after per dimension)", spec, 2 * o->rank[0]);
    for (int32_t i = 0; i < o->rank[0]; i++) {
        if (o->param[2 * i] < 0 || o->param[2 * i + 1] < 0)
            return ts_err_set(err, TS_ERR_RANGE, "gen: %s: negative padding", spec);
        shape[i] = o->shape[0][i] + o->param[2 * i] + o->param[2 * i + 1];
    }
    *rank = o->rank[0];
    return TS_OK;
}

/* CONCATENATION of two inputs along axis (negative: from the end): equal elsewhere. */
static ts_status concatenated(const char *spec, const op_spec *o, int32_t *rank,
                              int32_t *shape, ts_err *err)
{
    int32_t r = o->rank[0], axis = o->param[0] < 0 ? o->param[0] + r : o->param[0];

    if (o->n_param != 1 || axis < 0 || axis >= r || o->rank[1] != r)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: axis must be one value in [%d, %d] and "
                          "the inputs of one rank", spec, -r, r - 1);
    for (int32_t i = 0; i < r; i++) {
        if (i != axis && o->shape[0][i] != o->shape[1][i])
            return ts_err_set(err, TS_ERR_RANGE, "gen: %s: inputs differ in dimension %d", spec,
                              i);
        shape[i] = o->shape[0][i] + (i == axis ? o->shape[1][i] : 0);
    }
    *rank = r;
    return TS_OK;
}

/* REDUCE_MAX / SUM: axis (one or more, negative from the end) reduced; keep_dims=1 keeps them
 * as 1, keep_dims=0 removes them (at least one dimension must remain). */
static ts_status reduced_shape(const char *spec, const op_spec *o, int32_t *rank,
                               int32_t *shape, ts_err *err)
{
    int32_t r = o->rank[0], mask = 0, n = 0;

    for (int32_t i = 0; i < o->n_param; i++) {
        int32_t a = o->param[i] < 0 ? o->param[i] + r : o->param[i];
        if (a < 0 || a >= r)
            return ts_err_set(err, TS_ERR_RANGE, "gen: %s: axis %d outside [%d, %d]", spec,
                              o->param[i], -r, r - 1);
        mask |= 1 << a;
    }
    if (o->n_param2 != 1 || (o->param2[0] != 0 && o->param2[0] != 1))
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: keep_dims must be 0 or 1", spec);
    for (int32_t i = 0; i < r; i++)
        if (!(mask & (1 << i)) || o->param2[0])
            shape[n++] = mask & (1 << i) ? 1 : o->shape[0][i];
    if (n == 0)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: every dimension is reduced (keep one, "
                          "or keep_dims=1)", spec);
    *rank = n;
    return TS_OK;
}

/* BATCH_MATMUL: adj=X.Y (0 or 1 each); batch dimensions broadcast as TFLite's (aligned at
 * the end, each equal or 1), the output [.., M, N]. */
static ts_status matmul_shape(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                              ts_err *err)
{
    int32_t ra = o->rank[0], rb = o->rank[1], r = ra > rb ? ra : rb, ax, ay, m, ka, kb, n;

    if (o->n_param != 2 || (o->param[0] != 0 && o->param[0] != 1) ||
        (o->param[1] != 0 && o->param[1] != 1) || ra < 2 || rb < 2)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: adj=X.Y takes two values 0 or 1, and "
                          "both inputs rank 2 or more", spec);
    ax = o->param[0], ay = o->param[1];
    m = o->shape[0][ra - 2 + ax], ka = o->shape[0][ra - 1 - ax];
    kb = o->shape[1][rb - 2 + ay], n = o->shape[1][rb - 1 - ay];
    if (ka != kb)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: inner dimensions %d and %d differ", spec,
                          ka, kb);
    for (int32_t i = 0; i < r - 2; i++) {
        int32_t da = i - (r - ra) >= 0 ? o->shape[0][i - (r - ra)] : 1;
        int32_t db = i - (r - rb) >= 0 ? o->shape[1][i - (r - rb)] : 1;
        if (da != db && da != 1 && db != 1)
            return ts_err_set(err, TS_ERR_RANGE, "gen: %s: batch dimensions do not broadcast",
                              spec);
        shape[i] = da > db ? da : db;
    }
    shape[r - 2] = m;
    shape[r - 1] = n;
    *rank = r;
    return TS_OK;
}

/* The output shape of the row's rule. */
static ts_status out_shape(const char *spec, const op_spec *o, int32_t *rank, int32_t *shape,
                           ts_err *err)
{
    switch (op_rows[o->row].shape) {
    case GEN_S_BROADCAST:
        return broadcast(spec, o, op_rows[o->row].n_inputs, rank, shape, err);
    case GEN_S_TRANSPOSE:
        return transposed(spec, o, rank, shape, err);
    case GEN_S_EXPAND_DIMS:
    case GEN_S_SQUEEZE:
        return reshaped(spec, o, rank, shape, err);
    case GEN_S_PACK:
        return packed(spec, o, rank, shape, err);
    case GEN_S_SLICE:
        return sliced(spec, o, rank, shape, err);
    case GEN_S_GATHER:
        return gathered(spec, o, rank, shape, err);
    case GEN_S_TCONV: {
        ts_conv_opts c;
        *rank = 4;
        return tconv_spec(spec, o, &c, shape, err);
    }
    case GEN_S_SPLIT:
    case GEN_S_FILL:
        break; /* build_split, build_fill */
    case GEN_S_SHAPE:
        *rank = 1, shape[0] = o->rank[0];
        return TS_OK;
    case GEN_S_CAST:
        break; /* build_cast */
    case GEN_S_STRIDED_SLICE:
        return strided(spec, o, rank, shape, err);
    case GEN_S_REDUCE_AXIS:
        return axis_removed(spec, o, rank, shape, err);
    case GEN_S_SPACE_DEPTH:
        return space_depth(spec, o, rank, shape, err);
    case GEN_S_RESIZE:
        return resized(spec, o, rank, shape, err);
    case GEN_S_FC:
        return fc_shape(spec, o, rank, shape, err);
    case GEN_S_CONV:
    case GEN_S_POOL:
        return conv_shape(spec, o, rank, shape, err);
    case GEN_S_PAD:
        return padded(spec, o, rank, shape, err);
    case GEN_S_CONCAT:
        return concatenated(spec, o, rank, shape, err);
    case GEN_S_REDUCE:
        return reduced_shape(spec, o, rank, shape, err);
    case GEN_S_MATMUL:
        return matmul_shape(spec, o, rank, shape, err);
    case GEN_S_RESHAPE:
        return reshape_to(spec, o, rank, shape, err);
    }
    return TS_OK;
}

static int64_t elems_of(int32_t rank, const int32_t *shape)
{
    int64_t n = 1;

    for (int32_t i = 0; i < rank; i++)
        n *= shape[i];
    return n;
}

/* Seeded input quantization; *scale and *zp get it: int8 (4 + r % 13) / 256 and
 * r % 41 - 20 (rule INV: zero point -128); int16 (4 + r % 13) / 32768 and zero point 0
 * (symmetric); int32 (QUANTIZE's input) (4 + r % 13) / 2^32, the int8 scale over 2^24 (so
 * the whole int32 range maps to a few units), and r % 41 - 20 (any zero point TFLite Micro
 * takes; a non-zero one exercises its subtraction). */
static ts_status quant_input(ts_gen *g, int32_t t, gen_quant rule, float *scale, int32_t *zp,
                             ts_err *err)
{
    bool i16 = g->tensors[t].dtype == TS_DT_INT16, i32 = g->tensors[t].dtype == TS_DT_INT32;

    *scale = (float)(4 + ts_gen_rand(g) % 13) / (i16 ? 32768.0f : i32 ? 0x1p32f : 256.0f);
    *zp = i16 ? 0 : (int32_t)(ts_gen_rand(g) % 41) - 20;
    if (rule == GEN_Q_INV)
        *zp = -128;
    return ts_gen_quant_fixed(g, t, *scale, *zp, err);
}

/* The filter (int8, symmetric; per channel along `axis`, or per tensor, the form this TFLite
 * build takes for FC) [fshape] of rank frank and, unless bias_ids is NULL, the int64 bias of
 * n_out channels of a 16x8 weighted op on input `in`: seeded weights as ts_gen_fill_filter
 * makes them (real rms about 1 / sqrt(fan_in)); biases real values within a tenth of the
 * input's rms, quantized to input scale x filter scale. */
static ts_status filter_bias_16x8(ts_gen *g, int32_t in, int32_t frank, const int32_t *fshape,
                                  int32_t axis, bool per_tensor, int64_t fan_in, int32_t n_out,
                                  int32_t *filter_id, int32_t *bias_id, ts_err *err)
{
    int32_t ids[2] = {0, 0};
    float in_scale = g->tensors[in].quant.scale[0], *bscale;
    ts_status st = ts_gen_add_tensor(g, "filter", TS_DT_INT8, frank, fshape, true, &ids[0], err);

    if (st == TS_OK)
        st = ts_gen_fill_filter(g, ids[0], axis, fan_in, 1.0f, err);
    if (st == TS_OK && per_tensor)
        g->tensors[ids[0]].quant.n = 1; /* per tensor: the first channel's scale */
    *filter_id = ids[0];
    if (st != TS_OK || bias_id == NULL)
        return st;
    st = ts_gen_add_tensor(g, "bias", TS_DT_INT64, 1, &n_out, true, &ids[1], err);
    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, ids[1], 1.0f, 0, err); /* arrays of one, replaced below */
    bscale = st == TS_OK ? ts_arena_array(g->arena, (size_t)n_out, sizeof *bscale) : NULL;
    if (st == TS_OK && !bscale)
        st = ts_err_set(err, TS_ERR_NOMEM, "gen: out of memory quantizing the bias");
    for (int32_t c = 0; st == TS_OK && c < n_out; c++) {
        const ts_quant *wq = &g->tensors[ids[0]].quant;
        float real = (2.0f * (float)(ts_gen_rand(g) % 65536u) / 65536.0f - 1.0f) * 0.1f *
                     in_scale * 18919.0f;
        uint64_t q;

        bscale[c] = in_scale * wq->scale[wq->n == 1 ? 0 : c];
        q = (uint64_t)(int64_t)llroundf(real / bscale[c]);
        for (int b = 0; b < 8; b++) /* little-endian, as in the file */
            ((uint8_t *)g->tensors[ids[1]].data)[8 * c + b] = (uint8_t)(q >> (8 * b));
    }
    if (st == TS_OK && n_out > 1) { /* per-channel bias quantization, zero points 0 */
        ts_quant *bq = &g->tensors[ids[1]].quant;
        int32_t *zp = ts_arena_array(g->arena, (size_t)n_out, sizeof *zp);
        if (!zp)
            return ts_err_set(err, TS_ERR_NOMEM, "gen: out of memory quantizing the bias");
        bq->n = n_out, bq->scale = bscale, bq->zero_point = zp;
    } else if (st == TS_OK) {
        ((float *)g->tensors[ids[1]].quant.scale)[0] = bscale[0];
    }
    *bias_id = ids[1];
    return st;
}

/* Constant float32 tensor t uniform in [-amp, amp). */
static void fill_f32(ts_gen *g, int32_t t, float amp)
{
    uint8_t *data = (uint8_t *)g->tensors[t].data;

    for (int64_t i = 0; i < g->tensors[t].n_elems; i++) {
        float v = amp * ((float)(ts_gen_rand(g) >> 8) * (2.0f / 16777216.0f) - 1.0f);
        memcpy(data + 4 * i, &v, sizeof v);
    }
}

/* The weights of a weighted row: FULLY_CONNECTED [U, D] (channels along 0), CONV_2D OHWI
 * (along 0) or DEPTHWISE_CONV_2D [1, KH, KW, C x M] (along 3); fshape, its rank, the channel
 * axis, the output channels and the inputs each output sums. */
typedef struct weight_geom {
    int32_t fshape[4], frank, axis, n_out;
    int64_t fan_in;
} weight_geom;

static weight_geom geometry(const op_spec *o)
{
    ts_op_kind kind = op_rows[o->row].kind;
    const int32_t *x = o->shape[0], *k = o->param;
    bool fc = kind == TS_OP_FULLY_CONNECTED, dw = kind == TS_OP_DEPTHWISE_CONV_2D;
    weight_geom w = {{fc ? k[0] : dw ? 1 : k[2], fc ? x[o->rank[0] - 1] : k[0], k[1],
                      dw ? x[3] * k[2] : x[3]}, fc ? 2 : 4, dw ? 3 : 0, 0, 0};

    w.n_out = fc ? k[0] : w.fshape[3 * dw];
    w.fan_in = fc ? w.fshape[1] : (int64_t)k[0] * k[1] * (dw ? 1 : x[3]);
    return w;
}

/* Per tensor: weights=per_tensor, or FULLY_CONNECTED without weights= (the converter's
 * default there; per channel elsewhere). */
static bool per_tensor_weights(const op_spec *o)
{
    return o->weights == GEN_W_PER_TENSOR ||
           (op_rows[o->row].kind == TS_OP_FULLY_CONNECTED && o->weights == GEN_W_DEFAULT);
}

/* Filter and bias (ids[0], ids[1]) of a 16x8 weighted row (filter_bias_16x8). */
static ts_status weights_16x8(ts_gen *g, const op_spec *o, int32_t in, int32_t *ids,
                              ts_err *err)
{
    weight_geom w = geometry(o);

    return filter_bias_16x8(g, in, w.frank, w.fshape, w.axis, per_tensor_weights(o), w.fan_in,
                            w.n_out, &ids[0], &ids[1], err);
}

/* Filter and bias (ids[0], ids[1]) of an int8 or float32 weighted row. int8: weights as
 * ts_gen_fill_filter draws them (real rms 1 / sqrt(fan_in)), per channel or per tensor as
 * per_tensor_weights says, an int32 bias within a tenth of the input's estimated rms (uniform
 * int8 codes: 73.6 LSB). float32: weights uniform in +-16 / sqrt(fan_in), so that results
 * of inputs uniform in [-1, 1) have an rms near 5 and RELU6's upper clamp is reached; bias
 * uniform in +-0.1. */
static ts_status weights_8_f32(ts_gen *g, const op_spec *o, int32_t in, int32_t *ids,
                               ts_err *err)
{
    weight_geom w = geometry(o);
    bool q8 = o->dt == TS_DT_INT8;
    ts_status st = ts_gen_add_tensor(g, "filter", o->dt, w.frank, w.fshape, true, &ids[0], err);

    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "bias", q8 ? TS_DT_INT32 : TS_DT_FLOAT32, 1, &w.n_out, true,
                               &ids[1], err);
    if (st != TS_OK)
        return st;
    if (!q8) {
        fill_f32(g, ids[0], 16.0f / sqrtf((float)w.fan_in));
        fill_f32(g, ids[1], 0.1f);
        return TS_OK;
    }
    g->rms[in] = 73.6f * g->tensors[in].quant.scale[0];
    st = ts_gen_fill_filter(g, ids[0], w.axis, w.fan_in, 1.0f, err);
    if (st == TS_OK && per_tensor_weights(o))
        g->tensors[ids[0]].quant.n = 1; /* per tensor: the first channel's scale */
    if (st == TS_OK)
        st = ts_gen_fill_bias(g, ids[1], in, ids[0], g->rms[in], err);
    if (st == TS_OK && per_tensor_weights(o))
        g->tensors[ids[1]].quant.n = 1; /* its scales are all input x filter scale */
    return st;
}

/* QUANTIZE's output dtype (to=8|16|32: int8, int16, int32; float32 input: 8 or 16) and
 * DEQUANTIZE's (float32 from int8/int16). */
static ts_status convert_dtype(const char *spec, const op_spec *o, ts_dtype *out, ts_err *err)
{
    bool q = op_rows[o->row].kind == TS_OP_QUANTIZE;
    int32_t to = o->param[0];

    bool wide = o->dt == TS_DT_FLOAT32 || o->dt == TS_DT_INT32;

    *out = !q ? TS_DT_FLOAT32 : to == 8 ? TS_DT_INT8 : to == 16 ? TS_DT_INT16 : TS_DT_INT32;
    if (q ? o->n_param != 1 || (to != 8 && to != 16 && (to != 32 || wide))
          : o->dt == TS_DT_FLOAT32)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: expected quantize from float32 or int32 "
                          "to=8|16, from int8/int16 to=8|16|32, or dequantize from "
                          "int8/int16/float16", spec);
    return TS_OK;
}

/* The output quantization of a conversion to integer type `to`: a float32 input's values in
 * [-1, 1) over most of the range (scale 1/128 or 1/32768); an integer input's scale times 2^8
 * per byte the output loses or divided by it per byte it gains (int32: by 2^8 only, so the
 * values fit); zero points: int8 seeded, int16 and int32 0; all times a jitter. */
static ts_status quant_convert(ts_gen *g, int32_t t, ts_dtype from, float s_in, ts_err *err)
{
    ts_dtype to = g->tensors[t].dtype;
    float jitter = (float)(12 + ts_gen_rand(g) % 9) / 16.0f;
    int32_t shift = to == TS_DT_INT32 ? -8 /* values x 256 fit */
                    : 8 * ((int32_t)ts_dtype_size(from == TS_DT_FLOAT32 ? TS_DT_INT8 : from) -
                           (int32_t)ts_dtype_size(to));
    float base = from == TS_DT_FLOAT32 ? 1.0f / 128.0f : s_in;

    base = shift >= 0 ? base * (float)(1 << shift) : base / (float)(1 << -shift);
    return ts_gen_quant_fixed(g, t, base * jitter,
                              to == TS_DT_INT8 ? (int32_t)(ts_gen_rand(g) % 41) - 20 : 0, err);
}

static ts_status quant_output(ts_gen *g, int32_t t, gen_quant rule, const float *s,
                              const int32_t *zp, int32_t n_red, ts_err *err)
{
    float jitter = (float)(12 + ts_gen_rand(g) % 9) / 16.0f;

    if (rule == GEN_Q_SUM_N)
        return ts_gen_quant_fixed(g, t, s[0] * (float)n_red / 4.0f * jitter,
                                  (int32_t)(ts_gen_rand(g) % 41) - 20, err);
    if (rule == GEN_Q_INV)
        return ts_gen_quant_fixed(g, t, jitter / 16.0f, -128 + (int32_t)(ts_gen_rand(g) % 21),
                                  err);
    if (g->tensors[t].dtype == TS_DT_INT16 && (rule == GEN_Q_TANH || rule == GEN_Q_PROB))
        return ts_gen_quant_fixed(g, t, 1.0f / 32768.0f, 0, err);
    if (rule == GEN_Q_TANH)
        return ts_gen_quant_fixed(g, t, 1.0f / 128.0f, 0, err);
    if (rule == GEN_Q_PROB)
        return ts_gen_quant_fixed(g, t, 1.0f / 256.0f, -128, err);
    if (rule == GEN_Q_SAME)
        return ts_gen_quant_fixed(g, t, s[0], zp[0], err);
    if (rule == GEN_Q_WEIGHTED && g->tensors[t].dtype == TS_DT_INT8) /* rms at 32 LSB */
        return ts_gen_quant_fixed(g, t, s[0] * (73.6f / 32.0f) * jitter,
                                  (int32_t)(ts_gen_rand(g) % 41) - 20, err);
    if (rule == GEN_Q_WEIGHTED) /* int16 input rms (2^15 / sqrt 3 LSB) at about 8192 LSB */
        return ts_gen_quant_fixed(g, t, s[0] * (18919.0f / 8192.0f) * jitter, 0, err);
    if (rule == GEN_Q_SQUARE)
        return ts_gen_quant_fixed(g, t, (s[0] + s[1]) * (s[0] + s[1]) * 128.0f * jitter,
                                  -128 + (int32_t)(ts_gen_rand(g) % 21), err);
    if (rule == GEN_Q_OWN) { /* int16: zero point 0 (16x8), the draw kept for the sequence */
        int32_t z = (int32_t)(ts_gen_rand(g) % 41) - 20;
        return ts_gen_quant_fixed(g, t, s[0] * jitter, g->tensors[t].dtype == TS_DT_INT16 ? 0 : z,
                                  err);
    }
    if (g->tensors[t].dtype == TS_DT_INT16) /* SUM or PRODUCT, zero point 0 */
        return ts_gen_quant_fixed(g, t, (rule == GEN_Q_SUM ? s[0] + s[1]
                                                           : s[0] * s[1] * 65536.0f) * jitter,
                                  0, err);
    if (rule == GEN_Q_SUM)
        return ts_gen_quant_fixed(g, t, (s[0] + s[1]) * jitter,
                                  (int32_t)(ts_gen_rand(g) % 41) - 20, err);
    return ts_gen_quant_fixed(g, t, s[0] * s[1] * 64.0f * jitter,
                              (int32_t)(ts_gen_rand(g) % 41) - 20, err);
}

/* TRANSPOSE_CONV 16x8 (inputs as below): int16 input and output, zero points 0, quantized as
 * the 16x8 weighted rows (quant_input, quant_output's WEIGHTED rule), int8 weights per channel
 * along axis 0 and an int64 bias (filter_bias_16x8) unless BIAS is 0. Version 3 (the version
 * of a TRANSPOSE_CONV with a bias input), 4 with a fused activation. */
static ts_status build_tconv_16x8(ts_gen *g, const char *spec, const op_spec *o, ts_err *err)
{
    int32_t shape[4], ids[4], out, oc = o->param[0], zp = 0;
    int32_t fshape[4] = {oc, o->param[1], o->param[2], o->shape[0][3]};
    int64_t fan_in = (int64_t)fshape[1] * fshape[2] * fshape[3] / (o->param2[0] * o->param2[1]);
    bool has_bias = o->n_param < 4 || o->param[3] != 0;
    float scale[2] = {0.0f, 0.0f};
    ts_op_opts opts;
    ts_status st;

    memset(&opts, 0, sizeof opts);
    if ((st = tconv_spec(spec, o, &opts.conv, shape, err)) != TS_OK ||
        (st = ts_gen_add_tensor(g, "input_0", TS_DT_INT16, 4, o->shape[0], false, &ids[2],
                                err)) ||
        (st = ts_gen_input_tensor(g, ids[2], err)) ||
        (st = quant_input(g, ids[2], GEN_Q_WEIGHTED, &scale[0], &zp, err)) ||
        (st = ts_gen_const_ints(g, "transpose_conv", "output_shape", 4, shape, &ids[0], err)) ||
        (st = filter_bias_16x8(g, ids[2], 4, fshape, 0, false, fan_in < 1 ? 1 : fan_in, oc,
                               &ids[1], has_bias ? &ids[3] : NULL, err)) ||
        (st = ts_gen_add_tensor(g, "output", TS_DT_INT16, 4, shape, false, &out, err)) ||
        (st = quant_output(g, out, GEN_Q_WEIGHTED, scale, &zp, 1, err)) ||
        (st = ts_gen_add_op(g, TS_OP_TRANSPOSE_CONV, has_bias ? 4 : 3, ids, 1, &out, &opts,
                            err)))
        return st;
    g->ops[g->n_ops - 1].version = opts.conv.act != TS_ACT_NONE ? 4 : 3;
    return ts_gen_output(g, out, err);
}

/* TRANSPOSE_CONV inputs (output_shape, weights [OC,KH,KW,C], input[, bias]): int8 weights per
 * channel along axis 0 and the output quantized from the estimated rms of the result, as
 * gen's conv layers; each output sums about C * KH * KW / (SH * SW) products. Version: 1
 * float / 2 int8 without bias, 3 with a bias, 4 with a fused activation (TFLite's). */
static ts_status build_tconv(ts_gen *g, const char *spec, const op_spec *o, ts_err *err)
{
    int32_t shape[4], in, out, ids[4], oc = o->param[0], zp;
    int32_t fshape[4] = {oc, o->param[1], o->param[2], o->shape[0][3]};
    int64_t fan_in = (int64_t)fshape[1] * fshape[2] * fshape[3] / (o->param2[0] * o->param2[1]);
    bool q8 = o->dt == TS_DT_INT8, has_bias = o->n_param < 4 || o->param[3] != 0;
    float scale = 1.0f, gain, rms_pre;
    ts_op_opts opts;
    ts_status st;

    if (o->dt == TS_DT_INT16)
        return build_tconv_16x8(g, spec, o, err);
    memset(&opts, 0, sizeof opts);
    if ((st = tconv_spec(spec, o, &opts.conv, shape, err)) != TS_OK ||
        (st = ts_gen_add_tensor(g, "input_0", o->dt, 4, o->shape[0], false, &in, err)) ||
        (st = ts_gen_input_tensor(g, in, err)) || (q8 && (st = quant_input(g, in, GEN_Q_SAME, &scale, &zp,
                                                                             err))))
        return st;
    gain = opts.conv.act == TS_ACT_NONE ? 1.0f : 1.41421356f;
    g->rms[in] = q8 ? 73.6f * scale : 0.577f; /* uniform int8 codes, or uniform [-1, 1) */
    rms_pre = g->rms[in] * gain;
    fan_in = fan_in < 1 ? 1 : fan_in;
    if ((st = ts_gen_const_ints(g, "transpose_conv", "output_shape", 4, shape, &ids[0], err)) ||
        (st = ts_gen_add_tensor(g, "transpose_conv/weights", o->dt, 4, fshape, true, &ids[1],
                                err)) ||
        (has_bias && (st = ts_gen_add_tensor(g, "transpose_conv/bias",
                                             q8 ? TS_DT_INT32 : TS_DT_FLOAT32, 1, &oc, true,
                                             &ids[3], err))) ||
        (st = ts_gen_add_tensor(g, "output", o->dt, 4, shape, false, &out, err)))
        return st;
    if (q8 && ((st = ts_gen_fill_filter(g, ids[1], 0, fan_in, gain, err)) ||
               (has_bias && (st = ts_gen_fill_bias(g, ids[3], in, ids[1], rms_pre, err))) ||
               (st = ts_gen_quant_act(g, out, rms_pre, opts.conv.act, err))))
        return st;
    if (!q8) {
        fill_f32(g, ids[1], 1.0f / sqrtf((float)fan_in));
        if (has_bias)
            fill_f32(g, ids[3], 0.1f);
    }
    ids[2] = in;
    if ((st = ts_gen_add_op(g, TS_OP_TRANSPOSE_CONV, has_bias ? 4 : 3, ids, 1, &out, &opts, err)))
        return st;
    g->ops[g->n_ops - 1].version = opts.conv.act != TS_ACT_NONE ? 4 : has_bias ? 3 : q8 ? 2 : 1;
    return ts_gen_output(g, out, err);
}

/* ---- ops-move: ops with several outputs ---- */

/* SPLIT_V: the sizes given (one -1: the rest), summing to the axis (the kernels' helper, as
 * sim/ref resolves them). */
static ts_status split_v_sizes(const char *spec, const op_spec *o, int32_t a, int32_t *n,
                               int32_t *sizes, ts_err *err)
{
    int32_t bad;

    *n = o->n_param;
    if (tsk_split_v_sizes(*n, o->param, o->shape[0][a], sizes, &bad) != TSK_OK)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: sizes must be >= 1 (one may be -1, "
                          "left at least 1) and sum to dimension %d (%d)", spec, a,
                          o->shape[0][a]);
    return TS_OK;
}

/* The axis of a split-family spec (its second parameter, negative from the end) and the axis
 * size of each output (SPLIT: num equal parts; SPLIT_V: the sizes); *n the output count. */
static ts_status split_sizes(const char *spec, const op_spec *o, int32_t *axis, int32_t *n,
                             int32_t *sizes, ts_err *err)
{
    bool unpack = op_rows[o->row].kind == TS_OP_UNPACK;
    const int32_t *ax = unpack ? o->param : o->param2;
    int32_t r = o->rank[0], a = ax[0] < 0 ? ax[0] + r : ax[0];

    if ((unpack ? o->n_param : o->n_param2) != 1 || a < 0 || a >= r)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: axis must be one value in [%d, %d]",
                          spec, -r, r - 1);
    *axis = a;
    if (op_rows[o->row].kind == TS_OP_SPLIT_V)
        return split_v_sizes(spec, o, a, n, sizes, err);
    *n = unpack ? o->shape[0][a] : o->param[0];
    if ((!unpack && o->n_param != 1) || *n < 1 || *n > TS_GEN_MAX_IO ||
        o->shape[0][a] % *n != 0)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: %s must be one value in [1, %d] that "
                          "divides dimension %d (%d)", spec, unpack ? "the axis size" : "num",
                          TS_GEN_MAX_IO, a, o->shape[0][a]);
    for (int32_t j = 0; j < *n; j++)
        sizes[j] = o->shape[0][a] / *n;
    return TS_OK;
}

/* A split-family op: input_0 (int8: seeded quantization, shared by every output), its
 * constant axis (SPLIT: input 0, before the data; SPLIT_V: input 2, after the sizes as
 * given; UNPACK: an option), outputs output_0.. of the row's sizes (UNPACK: without the
 * axis). */
static ts_status build_split(ts_gen *g, const char *spec, const op_spec *o, ts_err *err)
{
    ts_op_kind kind = op_rows[o->row].kind;
    bool v = kind == TS_OP_SPLIT_V, unpack = kind == TS_OP_UNPACK;
    int32_t axis = 0, n = 0, sizes[TS_GEN_MAX_IO], in[3], out[TS_GEN_MAX_IO], zp = 0;
    int32_t shape[TS_MAX_RANK], *data = &in[v || unpack ? 0 : 1], n_in = v ? 3 : unpack ? 1 : 2;
    float scale = 0.0f;
    char name[32];
    ts_op_opts opts;
    ts_status st = split_sizes(spec, o, &axis, &n, sizes, err);

    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "input_0", o->dt, o->rank[0], o->shape[0], false, data, err);
    if (st == TS_OK)
        st = ts_gen_input_tensor(g, *data, err);
    if (st == TS_OK && o->dt == TS_DT_INT8)
        st = quant_input(g, *data, GEN_Q_SAME, &scale, &zp, err);
    if (st == TS_OK && v)
        st = ts_gen_const_ints(g, op_rows[o->row].name, "size_splits", o->n_param, o->param,
                               &in[1], err);
    if (st == TS_OK && !unpack)
        st = ts_gen_const_ints(g, op_rows[o->row].name, "axis", 1, &axis, &in[v ? 2 : 0], err);
    memcpy(shape, o->shape[0], sizeof shape);
    if (unpack) /* the axis removed */
        memmove(shape + axis, shape + axis + 1, (size_t)(o->rank[0] - axis - 1) * sizeof *shape);
    for (int32_t j = 0; j < n && st == TS_OK; j++) {
        snprintf(name, sizeof name, "output_%d", j);
        shape[axis] = unpack ? shape[axis] : sizes[j];
        st = ts_gen_add_tensor(g, name, o->dt, o->rank[0] - unpack, shape, false, &out[j], err);
        if (st == TS_OK && o->dt == TS_DT_INT8)
            st = ts_gen_quant_fixed(g, out[j], scale, zp, err);
    }
    memset(&opts, 0, sizeof opts);
    if (unpack)
        opts.unpack = (ts_unpack_opts){n, o->param[0]};
    else
        opts.split.num_splits = n;
    if (st == TS_OK)
        st = ts_gen_add_op(g, kind, n_in, in, n, out, &opts, err);
    for (int32_t j = 0; j < n && st == TS_OK; j++)
        st = ts_gen_output(g, out[j], err);
    return st;
}

/* STRIDED_SLICE's constant begin, end and strides, after the data input. */
static ts_status strided_inputs(ts_gen *g, const op_spec *o, int32_t *in, int32_t *n,
                                ts_err *err)
{
    const char *name = op_rows[o->row].name;
    ts_status st = ts_gen_const_ints(g, name, "begin", o->n_param, o->param, &in[(*n)++], err);

    if (st == TS_OK)
        st = ts_gen_const_ints(g, name, "end", o->n_param2, o->param2, &in[(*n)++], err);
    if (st == TS_OK)
        st = ts_gen_const_ints(g, name, "strides", o->n_param3, o->param3, &in[(*n)++], err);
    return st;
}

/* FILL: constant dims (SHAPE) and a scalar graph input "value" (int8: seeded quantization,
 * the output's too). */
static ts_status build_fill(ts_gen *g, const op_spec *o, ts_err *err)
{
    int32_t in[2], out, zp = 0;
    float scale = 0.0f;
    ts_op_opts opts;
    ts_status st = ts_gen_const_ints(g, op_rows[o->row].name, "dims", o->rank[0], o->shape[0],
                                     &in[0], err);

    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "value", o->dt, 0, o->shape[0], false, &in[1], err);
    if (st == TS_OK)
        st = ts_gen_input_tensor(g, in[1], err);
    if (st == TS_OK && o->dt == TS_DT_INT8)
        st = quant_input(g, in[1], GEN_Q_SAME, &scale, &zp, err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "output", o->dt, o->rank[0], o->shape[0], false, &out, err);
    if (st == TS_OK && o->dt == TS_DT_INT8)
        st = ts_gen_quant_fixed(g, out, scale, zp, err);
    memset(&opts, 0, sizeof opts);
    if (st == TS_OK)
        st = ts_gen_add_op(g, TS_OP_FILL, 2, in, 1, &out, &opts, err);
    return st == TS_OK ? ts_gen_output(g, out, err) : st;
}

/* CAST: input_0 of the FROM type and an output of the TO type, both unquantized (CAST moves
 * raw values). */
static ts_status build_cast(ts_gen *g, const op_spec *o, ts_err *err)
{
    int32_t in, out;
    ts_op_opts opts;
    ts_status st = ts_gen_add_tensor(g, "input_0", o->dt, o->rank[0], o->shape[0], false, &in,
                                     err);

    if (st == TS_OK)
        st = ts_gen_input_tensor(g, in, err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "output", o->dt_out, o->rank[0], o->shape[0], false, &out,
                               err);
    memset(&opts, 0, sizeof opts);
    if (st == TS_OK)
        st = ts_gen_add_op(g, TS_OP_CAST, 1, &in, 1, &out, &opts, err);
    return st == TS_OK ? ts_gen_output(g, out, err) : st;
}

/* DEQUANTIZE float16 -> float32 as TFLite's float16-quantized models hold it: a constant
 * float16 tensor (the weights), no model input, and the float32 weights' consumer, here a
 * RESHAPE to the same shape (a copy: the model's output is DEQUANTIZE's, bit for bit; the
 * TFLite build of the goldens fails on a graph whose only node is a static DEQUANTIZE: its
 * XNNPACK delegate cannot set up a runtime with no operation left). The weights: binary16
 * encodings of every class (signed zeros, the smallest and largest subnormal, the smallest
 * normal, one, the largest finite value, infinities, quiet and signalling NaNs with
 * payloads), then seeded bit patterns (the top 16 bits of the generator's words). */
static ts_status build_dequantize_f16(ts_gen *g, const op_spec *o, ts_err *err)
{
    static const uint16_t special[] = {0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x3C00,
                                       0x7BFF, 0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFE01};
    int32_t in[2], mid, out;
    ts_op_opts opts;
    ts_status st = ts_gen_add_tensor(g, "weights", TS_DT_FLOAT16, o->rank[0], o->shape[0], true,
                                     &in[0], err);

    for (int64_t i = 0; st == TS_OK && i < g->tensors[in[0]].n_elems; i++) {
        uint32_t h = i < (int64_t)(sizeof special / sizeof special[0]) ? special[i]
                                                                      : ts_gen_rand(g) >> 16;
        uint8_t *data = (uint8_t *)g->tensors[in[0]].data;
        data[2 * i] = (uint8_t)h, data[2 * i + 1] = (uint8_t)(h >> 8); /* little-endian */
    }
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "weights_f32", TS_DT_FLOAT32, o->rank[0], o->shape[0], false,
                               &mid, err);
    memset(&opts, 0, sizeof opts);
    if (st == TS_OK)
        st = ts_gen_add_op(g, TS_OP_DEQUANTIZE, 1, &in[0], 1, &mid, &opts, err);
    if (st == TS_OK)
        st = ts_gen_const_ints(g, "reshape", "shape", o->rank[0], o->shape[0], &in[1], err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "output", TS_DT_FLOAT32, o->rank[0], o->shape[0], false, &out,
                               err);
    in[0] = mid;
    opts.reshape = (ts_reshape_opts){o->rank[0], o->shape[0]};
    if (st == TS_OK)
        st = ts_gen_add_op(g, TS_OP_RESHAPE, 2, in, 1, &out, &opts, err);
    return st == TS_OK ? ts_gen_output(g, out, err) : st;
}

/* PAD's paddings as a constant int32 [rank, 2] tensor. */
static ts_status pad_input(ts_gen *g, const op_spec *o, int32_t *t, ts_err *err)
{
    ts_status st = ts_gen_const_ints(g, "pad", "paddings", o->n_param, o->param, t, err);

    if (st == TS_OK) {
        g->tensors[*t].rank = 2;
        g->tensors[*t].shape[0] = o->rank[0];
        g->tensors[*t].shape[1] = 2;
    }
    return st;
}

static ts_status build_graph(ts_gen *g, const char *spec, const op_spec *o, ts_err *err)
{
    int32_t n_in = op_rows[o->row].n_inputs, in[4], out, rank = 0, shape[TS_MAX_RANK];
    bool weighted = op_rows[o->row].quant == GEN_Q_WEIGHTED;
    bool convert = op_rows[o->row].quant == GEN_Q_CONVERT;
    bool index_out;
    ts_dtype out_dt = o->dt;
    float scale[2] = {0.0f, 0.0f};
    int32_t zp[2] = {0, 0}, n_ops_in = n_in;
    char name[32];
    ts_op_opts opts;
    ts_status st = out_shape(spec, o, &rank, shape, err);

    if (op_rows[o->row].shape == GEN_S_TCONV)
        return st == TS_OK ? build_tconv(g, spec, o, err) : st;
    for (int32_t i = 0; i < n_in && st == TS_OK; i++) {
        snprintf(name, sizeof name, "input_%d", i);
        st = ts_gen_add_tensor(g, name, o->dt, o->rank[i], o->shape[i], false, &in[i], err);
        if (st == TS_OK)
            st = ts_gen_input_tensor(g, in[i], err);
        if (st == TS_OK && o->dt != TS_DT_FLOAT32 && i > 0 && op_rows[o->row].quant == GEN_Q_SAME)
            st = ts_gen_quant_fixed(g, in[i], scale[0], zp[0], err);
        else if (st == TS_OK && o->dt != TS_DT_FLOAT32 && params_optional(o->row) &&
                 o->n_param == 1) /* scale=E: 2^E, zero point 0 */
            st = ts_gen_quant_fixed(g, in[i], scale[i] = ldexpf(1.0f, o->param[0]), 0, err);
        else if (st == TS_OK && o->dt != TS_DT_FLOAT32)
            st = quant_input(g, in[i], op_rows[o->row].quant, &scale[i], &zp[i], err);
    }
    if (st == TS_OK && weighted) /* filter and bias */
        st = (o->dt == TS_DT_INT16 ? weights_16x8 : weights_8_f32)(g, o, in[0], &in[1], err),
        n_ops_in = 3;
    if (st == TS_OK && (op_rows[o->row].shape == GEN_S_TRANSPOSE ||
                        op_rows[o->row].shape == GEN_S_RESIZE ||
                        op_rows[o->row].shape == GEN_S_EXPAND_DIMS ||
                        op_rows[o->row].shape == GEN_S_GATHER ||
                        op_rows[o->row].shape == GEN_S_REDUCE_AXIS ||
                        op_rows[o->row].shape == GEN_S_REDUCE ||
                        op_rows[o->row].shape == GEN_S_RESHAPE)) /* a constant int32 input */
        st = ts_gen_const_ints(g, op_rows[o->row].name, op_rows[o->row].param, o->n_param,
                               o->param, &in[n_ops_in++], err);
    if (st == TS_OK && op_rows[o->row].shape == GEN_S_PAD) /* paddings [rank, 2] */
        st = pad_input(g, o, &in[n_ops_in++], err);
    if (st == TS_OK && op_rows[o->row].shape == GEN_S_SLICE) /* begin, size */
        st = ts_gen_const_ints(g, op_rows[o->row].name, "begin", o->n_param, o->param,
                               &in[n_ops_in++], err);
    if (st == TS_OK && op_rows[o->row].shape == GEN_S_SLICE)
        st = ts_gen_const_ints(g, op_rows[o->row].name, "size", o->n_param2, o->param2,
                               &in[n_ops_in++], err);
    if (st == TS_OK && op_rows[o->row].shape == GEN_S_STRIDED_SLICE)
        st = strided_inputs(g, o, in, &n_ops_in, err);
    /* an int32 output (ARG_MAX/ARG_MIN indices, SHAPE) is not quantized */
    index_out = op_rows[o->row].quant == GEN_Q_INDEX || op_rows[o->row].shape == GEN_S_SHAPE;
    if (index_out)
        out_dt = TS_DT_INT32;
    if (st == TS_OK && convert)
        st = convert_dtype(spec, o, &out_dt, err);
    if (op_rows[o->row].kind == TS_OP_SOFTMAX && o->n_param3 == 1)
        out_dt = TS_DT_INT16; /* out=int16: TFLite Micro's int8 -> int16 output quantization */
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "output", out_dt, rank, shape, false, &out, err);
    if (st == TS_OK && convert && out_dt != TS_DT_FLOAT32)
        st = quant_convert(g, out, o->dt, scale[0], err);
    else if (st == TS_OK && out_dt != o->dt && op_rows[o->row].kind == TS_OP_SOFTMAX)
        st = ts_gen_quant_fixed(g, out, 1.0f / 65536.0f, -32768, err);
    else if (st == TS_OK && o->dt != TS_DT_FLOAT32 && !convert && !index_out)
        st = quant_output(g, out, op_rows[o->row].quant, scale, zp,
                          (int32_t)(elems_of(o->rank[0], o->shape[0]) / elems_of(rank, shape)),
                          err);
    memset(&opts, 0, sizeof opts);
    if (op_rows[o->row].shape == GEN_S_CONV)
        opts.conv = (ts_conv_opts){o->param2[2] == 1 ? TS_PAD_VALID : TS_PAD_SAME, o->param2[1],
                                   o->param2[0], 1, 1,
                                   op_rows[o->row].kind == TS_OP_DEPTHWISE_CONV_2D ?
                                   o->param[2] : 0, o->act};
    else if (op_rows[o->row].shape == GEN_S_FC)
        opts.fc.act = o->act;
    else if (op_rows[o->row].shape == GEN_S_POOL)
        opts.pool = (ts_pool_opts){o->param2[2] == 1 ? TS_PAD_VALID : TS_PAD_SAME, o->param2[1],
                                   o->param2[0], o->param[1], o->param[0], o->act};
    else if (o->dt == TS_DT_INT16 && (op_rows[o->row].kind == TS_OP_ADD ||
                                      op_rows[o->row].kind == TS_OP_SUB))
        opts.eltwise.general_int16 = true; /* the converter's general int16 path */
    else if (op_rows[o->row].shape == GEN_S_CONCAT)
        opts.concat = (ts_concat_opts){o->param[0] < 0 ? o->param[0] + o->rank[0] : o->param[0],
                                       TS_ACT_NONE};
    else if (op_rows[o->row].kind == TS_OP_PACK)
        opts.pack = (ts_pack_opts){n_in, o->param[0]};
    else if (op_rows[o->row].kind == TS_OP_GATHER)
        opts.gather = (ts_gather_opts){o->param2[0], 0};
    else if (op_rows[o->row].shape == GEN_S_SHAPE)
        opts.shape.out_type = 2; /* TensorType INT32 */
    else if (op_rows[o->row].shape == GEN_S_RESIZE)
        opts.resize = (ts_resize_opts){o->param2[0] != 0, o->param2[1] != 0};
    else if (op_rows[o->row].shape == GEN_S_SPACE_DEPTH)
        opts.block.block_size = o->param[0];
    else if (op_rows[o->row].kind == TS_OP_STRIDED_SLICE)
        opts.strided_slice = (ts_strided_slice_opts){o->param4[0], o->param4[1], 0, 0,
                                                     o->param4[2], false};
    else if (op_rows[o->row].quant == GEN_Q_INDEX)
        opts.arg.output_type = 2; /* TensorType INT32 */
    else if (op_rows[o->row].shape == GEN_S_REDUCE)
        opts.reducer.keep_dims = o->param2[0] != 0;
    else if (op_rows[o->row].shape == GEN_S_MATMUL)
        opts.bmm = (ts_bmm_opts){o->param[0] != 0, o->param[1] != 0};
    else if (op_rows[o->row].shape == GEN_S_RESHAPE) /* as the converter: the input's values */
        opts.reshape = (ts_reshape_opts){o->n_param, o->param};
    else if (op_rows[o->row].kind == TS_OP_SOFTMAX)
        opts.softmax.beta = o->n_param2 == 1 ? o->beta : 1.0f;
    else
        opts.leaky_relu.alpha = o->alpha; /* read only by LEAKY_RELU's options */
    if (takes_act(o->row) && op_rows[o->row].shape == GEN_S_BROADCAST) /* ADD, SUB, MUL, DIV */
        opts.eltwise.act = o->act;
    if (st == TS_OK)
        st = ts_gen_add_op(g, op_rows[o->row].kind, n_ops_in, in, 1, &out, &opts, err);
    return st == TS_OK ? ts_gen_output(g, out, err) : st;
}

ts_status ts_gen_build_op(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    op_spec o;
    ts_status st;

    if (strncmp(args, "svdf,", 5) == 0) /* recurrent layers: their own parameters */
        return ts_gen_build_svdf(g, spec, args + 5, err);
    if (strncmp(args, "lstm,", 5) == 0)
        return ts_gen_build_lstm(g, spec, args + 5, err);
    memset(&o, 0, sizeof o);
    st = parse_spec(spec, args, &o, err);
    if (st == TS_OK && op_rows[o.row].shape == GEN_S_SPLIT)
        return build_split(g, spec, &o, err);
    if (st == TS_OK && op_rows[o.row].shape == GEN_S_FILL)
        return build_fill(g, &o, err);
    if (st == TS_OK && op_rows[o.row].shape == GEN_S_CAST)
        return build_cast(g, &o, err);
    if (st == TS_OK && o.dt == TS_DT_FLOAT16) /* DEQUANTIZE's constant float16 weights */
        return build_dequantize_f16(g, &o, err);
    return st == TS_OK ? build_graph(g, spec, &o, err) : st;
}
