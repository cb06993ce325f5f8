/* gen_ops.c: single-op models, `op:NAME,DTYPE,SHAPE[,SHAPE]` ("op:add,int8,1x4x4x3,3"): one
 * operator of gen_ops.def on graph inputs of the given shapes (dimensions joined by 'x', rank
 * 1 to 4; the second shape, for binary ops, defaults to the first and broadcasts as TFLite
 * does), int8 or float32. int8 inputs get per-tensor quantization drawn from the seed: scale
 * (4 + r % 13) / 256, zero point r % 41 - 20 (a binary op with SAME quantization gives both
 * inputs the first one's); the output's follows the row's QUANT rule, times a jitter
 * (12 + r % 9) / 16 for SUM, PRODUCT and OWN. Layer: sim/gen. Never prints, exits or touches files. */
#include <stdio.h>
#include <string.h>

#include "gen_int.h"

typedef enum gen_quant { GEN_Q_SUM, GEN_Q_PRODUCT, GEN_Q_SAME, GEN_Q_OWN } gen_quant;

static const struct {
    const char *name;
    ts_op_kind kind;
    int32_t n_inputs;
    gen_quant quant;
} op_rows[] = {
#define GEN_OP(name, kind, n_inputs, quant) {#name, TS_OP_##kind, n_inputs, GEN_Q_##quant},
#include "gen_ops.def"
#undef GEN_OP
};

#define N_OP_ROWS ((int32_t)(sizeof op_rows / sizeof op_rows[0]))
#define MAX_DIM 4096

typedef struct op_spec {
    int32_t row;
    ts_dtype dt;
    int32_t rank[2];
    int32_t shape[2][TS_MAX_RANK];
    int32_t n_shapes;
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
        if ((i < len && s[i] != 'x') || v < 1 || r == 4)
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

static ts_status parse_spec(const char *spec, const char *args, op_spec *o, ts_err *err)
{
    const char *f[4];
    size_t len[4];
    int32_t n = 0;
    ts_status st;

    for (const char *p = args; n < 4; p += len[n++] + 1) {
        f[n] = p;
        len[n] = strcspn(p, ",");
        if (!p[len[n]]) {
            n++;
            break;
        }
    }
    if (n < 3 || (n == 4 && f[3][len[3]]))
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: expected NAME,DTYPE,SHAPE[,SHAPE]", spec);
    if ((st = parse_name(spec, f[0], len[0], &o->row, err)) != TS_OK)
        return st;
    if (len[1] == 4 && strncmp(f[1], "int8", 4) == 0)
        o->dt = TS_DT_INT8;
    else if (len[1] == 7 && strncmp(f[1], "float32", 7) == 0)
        o->dt = TS_DT_FLOAT32;
    else
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: dtype \"%.*s\" (expected int8 or "
                          "float32)", spec, (int)len[1], f[1]);
    o->n_shapes = n - 2;
    if (o->n_shapes > op_rows[o->row].n_inputs)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: %s takes %d input shape(s) (got %d)",
                          spec, op_rows[o->row].name, op_rows[o->row].n_inputs, o->n_shapes);
    for (int32_t i = 0; i < o->n_shapes; i++)
        if ((st = parse_shape(spec, f[2 + i], len[2 + i], &o->rank[i], o->shape[i], err)))
            return st;
    if (o->n_shapes < op_rows[o->row].n_inputs) { /* the second input has the first's shape */
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

/* Seeded int8 input quantization; *scale and *zp get it. */
static ts_status quant_input(ts_gen *g, int32_t t, float *scale, int32_t *zp, ts_err *err)
{
    *scale = (float)(4 + ts_gen_rand(g) % 13) / 256.0f;
    *zp = (int32_t)(ts_gen_rand(g) % 41) - 20;
    return ts_gen_quant_fixed(g, t, *scale, *zp, err);
}

static ts_status quant_output(ts_gen *g, int32_t t, gen_quant rule, const float *s,
                              const int32_t *zp, ts_err *err)
{
    float jitter = (float)(12 + ts_gen_rand(g) % 9) / 16.0f;

    if (rule == GEN_Q_SAME)
        return ts_gen_quant_fixed(g, t, s[0], zp[0], err);
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
    int32_t n_in = op_rows[o->row].n_inputs, in[2], out, rank, shape[TS_MAX_RANK];
    float scale[2] = {0.0f, 0.0f};
    int32_t zp[2] = {0, 0};
    char name[32];
    ts_op_opts opts;
    ts_status st = broadcast(spec, o, n_in, &rank, shape, err);

    for (int32_t i = 0; i < n_in && st == TS_OK; i++) {
        snprintf(name, sizeof name, "input_%d", i);
        st = ts_gen_add_tensor(g, name, o->dt, o->rank[i], o->shape[i], false, &in[i], err);
        if (st == TS_OK)
            st = ts_gen_input_tensor(g, in[i], err);
        if (st == TS_OK && o->dt == TS_DT_INT8 && i > 0 && op_rows[o->row].quant == GEN_Q_SAME)
            st = ts_gen_quant_fixed(g, in[i], scale[0], zp[0], err);
        else if (st == TS_OK && o->dt == TS_DT_INT8)
            st = quant_input(g, in[i], &scale[i], &zp[i], err);
    }
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "output", o->dt, rank, shape, false, &out, err);
    if (st == TS_OK && o->dt == TS_DT_INT8)
        st = quant_output(g, out, op_rows[o->row].quant, scale, zp, err);
    memset(&opts, 0, sizeof opts);
    if (st == TS_OK)
        st = ts_gen_add_op(g, op_rows[o->row].kind, n_in, in, 1, &out, &opts, err);
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
