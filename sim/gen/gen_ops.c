/* gen_ops.c: single-op models, `op:NAME,DTYPE,SHAPE[,SHAPE][,PARAM=V.V...]`
 * ("op:add,int8,1x4x4x3,3", "op:transpose,float32,2x3x4,perm=2.0.1"): one operator of
 * gen_ops.def on graph inputs of the given shapes (dimensions joined by 'x', rank 1 to 4; the
 * second shape, for binary ops, defaults to the first and broadcasts as TFLite does), int8 or
 * float32; the row's parameter (TRANSPOSE perm, EXPAND_DIMS axis) becomes its constant int32
 * input. int8 inputs get per-tensor quantization drawn from the seed: scale
 * (4 + r % 13) / 256, zero point r % 41 - 20 (a binary op with SAME quantization gives both
 * inputs the first one's); the output's follows the row's QUANT rule, times a jitter
 * (12 + r % 9) / 16 for SUM, PRODUCT, OWN and SQUARE. Layer: sim/gen. Never prints, exits or touches files. */
#include <stdio.h>
#include <string.h>

#include "gen_int.h"

typedef enum gen_quant {
    GEN_Q_SUM,
    GEN_Q_PRODUCT,
    GEN_Q_SAME,
    GEN_Q_OWN,
    GEN_Q_SQUARE,
    GEN_Q_TANH,
    GEN_Q_INDEX, /* an int32 output of indices, not quantized (ARG_MAX, ARG_MIN) */
    GEN_Q_INV,   /* non-negative inputs (zero point -128), output 1/16 of the jitter (RSQRT) */
    GEN_Q_SUM_N  /* the input scale times the reduced count / 4 (SUM) */
} gen_quant;
typedef enum gen_shape {
    GEN_S_BROADCAST,
    GEN_S_TRANSPOSE,
    GEN_S_EXPAND_DIMS,
    GEN_S_SQUEEZE,
    GEN_S_PACK,
    GEN_S_SLICE,
    GEN_S_GATHER,
    GEN_S_REDUCE_AXIS, /* one axis removed (ARG_MAX, ARG_MIN) */
    GEN_S_REDUCE,      /* axes reduced, kept as 1 or removed (REDUCE_MAX, SUM) */
    GEN_S_MATMUL       /* [.., M, K] x [.., K, N], adj=X.Y transposing them (BATCH_MATMUL) */
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

typedef struct op_spec {
    int32_t row;
    ts_dtype dt;
    int32_t rank[2];
    int32_t shape[2][TS_MAX_RANK];
    int32_t n_shapes;
    int32_t n_param;             /* values of the row's parameter ("perm=2.0.1": 3) */
    int32_t param[TS_MAX_RANK];
    int32_t n_param2;            /* values of its second parameter (SLICE's size) */
    int32_t param2[TS_MAX_RANK];
    float alpha;                 /* the "alpha" parameter (an option, not an input) */
} op_spec;

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

/* "alpha=0.25": a decimal fraction in [0, 10) with up to 4 digits after the point. */
static ts_status parse_alpha(const char *spec, const char *s, size_t len, op_spec *o,
                             ts_err *err)
{
    int32_t whole = 0, frac = 0, scale = 1, i = 0, n = (int32_t)len;

    if (n > 0 && s[0] >= '0' && s[0] <= '9')
        whole = s[i++] - '0';
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9' && scale < 10000; i++)
            frac = frac * 10 + (s[i] - '0'), scale *= 10;
    if (i == 0 || i != n)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: alpha \"%.*s\" (expected a decimal "
                          "in [0, 10) with at most 4 decimals, as 0.2)", spec, (int)len, s);
    o->alpha = (float)whole + (float)frac / (float)scale;
    o->n_param = 1;
    return TS_OK;
}

/* Field [f, f+len) as one of the row's parameters "NAME=v.v.v" (integers, may be negative);
 * the row's param column names one, or two joined by '+' ("begin+size"). */
static ts_status parse_param(const char *spec, const char *f, size_t len, op_spec *o,
                             ts_err *err)
{
    const char *names = op_rows[o->row].param, *plus = strchr(names, '+');
    size_t first_len = plus ? (size_t)(plus - names) : strlen(names), name_len = first_len, i;
    const char *want = names;
    int32_t *n_out = &o->n_param, *out = o->param;

    if (plus && len > strlen(plus + 1) && strncmp(f, plus + 1, strlen(plus + 1)) == 0 &&
        f[strlen(plus + 1)] == '=') {
        want = plus + 1;
        name_len = strlen(want);
        n_out = &o->n_param2;
        out = o->param2;
    }
    if (!*want || len <= name_len || strncmp(f, want, name_len) != 0 || f[name_len] != '=')
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": %s takes %s%s%s", spec,
                          (int)len, f, op_rows[o->row].name, *want ? "the parameters " : "no "
                          "parameter", names, *want ? " as NAME=V[.V...]" : "");
    if (strcmp(want, "alpha") == 0)
        return parse_alpha(spec, f + name_len + 1, len - name_len - 1, o, err);
    *n_out = 0;
    for (i = name_len + 1; i <= len;) {
        int32_t sign = 1, v = 0, digits = 0;
        if (i < len && f[i] == '-')
            sign = -1, i++;
        for (; i < len && f[i] >= '0' && f[i] <= '9' && digits < 4; i++, digits++)
            v = v * 10 + (f[i] - '0');
        if (!digits || *n_out == MAX_OP_RANK || (i < len && f[i] != '.'))
            return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: \"%.*s\": expected %.*s=V[.V...] "
                              "with 1 to %d integers", spec, (int)len, f, (int)name_len, want,
                              MAX_OP_RANK);
        out[(*n_out)++] = sign * v;
        i++;
    }
    return TS_OK;
}

static ts_status parse_spec(const char *spec, const char *args, op_spec *o, ts_err *err)
{
    const char *f[6];
    size_t len[6];
    int32_t n = 0, n_in, n_params = 0;
    ts_status st;

    for (const char *p = args; n < 6; p += len[n++] + 1) {
        f[n] = p;
        len[n] = strcspn(p, ",");
        if (!p[len[n]]) {
            n++;
            break;
        }
    }
    if (n < 3 || (n == 6 && f[5][len[5]]))
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: expected NAME,DTYPE,SHAPE[,SHAPE]"
                          "[,PARAM=V...]", spec);
    if ((st = parse_name(spec, f[0], len[0], &o->row, err)) != TS_OK)
        return st;
    if (len[1] == 4 && strncmp(f[1], "int8", 4) == 0)
        o->dt = TS_DT_INT8;
    else if (len[1] == 7 && strncmp(f[1], "float32", 7) == 0)
        o->dt = TS_DT_FLOAT32;
    else
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: dtype \"%.*s\" (expected int8 or "
                          "float32)", spec, (int)len[1], f[1]);
    while (n > 2 && memchr(f[n - 1], '=', len[n - 1]) && n_params < 2) {
        if ((st = parse_param(spec, f[n - 1], len[n - 1], o, err)))
            return st;
        n--, n_params++;
    }
    if (*op_rows[o->row].param &&
        (o->n_param == 0 || (strchr(op_rows[o->row].param, '+') && o->n_param2 == 0)))
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: %s needs %s (NAME=V[.V...])", spec,
                          op_rows[o->row].name, op_rows[o->row].param);
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
    case GEN_S_REDUCE_AXIS:
        return axis_removed(spec, o, rank, shape, err);
    case GEN_S_REDUCE:
        return reduced_shape(spec, o, rank, shape, err);
    case GEN_S_MATMUL:
        return matmul_shape(spec, o, rank, shape, err);
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

/* Seeded int8 input quantization; *scale and *zp get it (rule INV: zero point -128). */
static ts_status quant_input(ts_gen *g, int32_t t, gen_quant rule, float *scale, int32_t *zp,
                             ts_err *err)
{
    *scale = (float)(4 + ts_gen_rand(g) % 13) / 256.0f;
    *zp = (int32_t)(ts_gen_rand(g) % 41) - 20;
    if (rule == GEN_Q_INV)
        *zp = -128;
    return ts_gen_quant_fixed(g, t, *scale, *zp, err);
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
    if (rule == GEN_Q_TANH)
        return ts_gen_quant_fixed(g, t, 1.0f / 128.0f, 0, err);
    if (rule == GEN_Q_SAME)
        return ts_gen_quant_fixed(g, t, s[0], zp[0], err);
    if (rule == GEN_Q_SQUARE)
        return ts_gen_quant_fixed(g, t, (s[0] + s[1]) * (s[0] + s[1]) * 128.0f * jitter,
                                  -128 + (int32_t)(ts_gen_rand(g) % 21), err);
    if (rule == GEN_Q_OWN)
        return ts_gen_quant_fixed(g, t, s[0] * jitter, (int32_t)(ts_gen_rand(g) % 41) - 20, err);
    if (rule == GEN_Q_SUM)
        return ts_gen_quant_fixed(g, t, (s[0] + s[1]) * jitter,
                                  (int32_t)(ts_gen_rand(g) % 41) - 20, err);
    return ts_gen_quant_fixed(g, t, s[0] * s[1] * 64.0f * jitter,
                              (int32_t)(ts_gen_rand(g) % 41) - 20, err);
}

static ts_status build_graph(ts_gen *g, const char *spec, const op_spec *o, ts_err *err)
{
    int32_t n_in = op_rows[o->row].n_inputs, in[3], out, rank = 0, shape[TS_MAX_RANK];
    float scale[2] = {0.0f, 0.0f};
    int32_t zp[2] = {0, 0}, n_ops_in = n_in;
    char name[32];
    ts_op_opts opts;
    ts_status st = out_shape(spec, o, &rank, shape, err);

    for (int32_t i = 0; i < n_in && st == TS_OK; i++) {
        snprintf(name, sizeof name, "input_%d", i);
        st = ts_gen_add_tensor(g, name, o->dt, o->rank[i], o->shape[i], false, &in[i], err);
        if (st == TS_OK)
            st = ts_gen_input_tensor(g, in[i], err);
        if (st == TS_OK && o->dt == TS_DT_INT8 && i > 0 && op_rows[o->row].quant == GEN_Q_SAME)
            st = ts_gen_quant_fixed(g, in[i], scale[0], zp[0], err);
        else if (st == TS_OK && o->dt == TS_DT_INT8)
            st = quant_input(g, in[i], op_rows[o->row].quant, &scale[i], &zp[i], err);
    }
    if (st == TS_OK && (op_rows[o->row].shape == GEN_S_TRANSPOSE ||
                        op_rows[o->row].shape == GEN_S_EXPAND_DIMS ||
                        op_rows[o->row].shape == GEN_S_GATHER ||
                        op_rows[o->row].shape == GEN_S_REDUCE_AXIS ||
                        op_rows[o->row].shape == GEN_S_REDUCE)) /* a constant int32 input */
        st = ts_gen_const_ints(g, op_rows[o->row].name, op_rows[o->row].param, o->n_param,
                               o->param, &in[n_ops_in++], err);
    if (st == TS_OK && op_rows[o->row].shape == GEN_S_SLICE) /* begin, size */
        st = ts_gen_const_ints(g, op_rows[o->row].name, "begin", o->n_param, o->param,
                               &in[n_ops_in++], err);
    if (st == TS_OK && op_rows[o->row].shape == GEN_S_SLICE)
        st = ts_gen_const_ints(g, op_rows[o->row].name, "size", o->n_param2, o->param2,
                               &in[n_ops_in++], err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "output", op_rows[o->row].quant == GEN_Q_INDEX ? TS_DT_INT32
                               : o->dt, rank, shape, false, &out, err);
    if (st == TS_OK && o->dt == TS_DT_INT8 && op_rows[o->row].quant != GEN_Q_INDEX)
        st = quant_output(g, out, op_rows[o->row].quant, scale, zp,
                          (int32_t)(elems_of(o->rank[0], o->shape[0]) / elems_of(rank, shape)),
                          err);
    memset(&opts, 0, sizeof opts);
    if (op_rows[o->row].kind == TS_OP_PACK)
        opts.pack = (ts_pack_opts){n_in, o->param[0]};
    else if (op_rows[o->row].kind == TS_OP_GATHER)
        opts.gather = (ts_gather_opts){o->param2[0], 0};
    else if (op_rows[o->row].quant == GEN_Q_INDEX)
        opts.arg.output_type = 2; /* TensorType INT32 */
    else if (op_rows[o->row].shape == GEN_S_REDUCE)
        opts.reducer.keep_dims = o->param2[0] != 0;
    else if (op_rows[o->row].shape == GEN_S_MATMUL)
        opts.bmm = (ts_bmm_opts){o->param[0] != 0, o->param[1] != 0};
    else
        opts.leaky_relu.alpha = o->alpha; /* read only by LEAKY_RELU's options */
    if (st == TS_OK)
        st = ts_gen_add_op(g, op_rows[o->row].kind, n_ops_in, in, 1, &out, &opts, err);
    return st == TS_OK ? ts_gen_output(g, out, err) : st;
}

ts_status ts_gen_build_op(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    op_spec o;
    ts_status st;

    memset(&o, 0, sizeof o);
    st = parse_spec(spec, args, &o, err);
    return st == TS_OK ? build_graph(g, spec, &o, err) : st;
}
