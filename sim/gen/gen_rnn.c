/* gen_rnn.c: single recurrent-layer models (op:lstm, UNIDIRECTIONAL_SEQUENCE_LSTM: at the
 * end) for `tinysim gen op:svdf,DTYPE,BATCHxINPUT,units=U,rank=R,memory=M[,time=int16|int8]
 * [,act=none|relu|relu6|relu_n1_to_1][,bias=0]`: one SVDF
 * with its state as a variable tensor [batch, units * rank * memory] (zeros when the runtime
 * starts), weights and bias drawn from the seed. int8: input quantized as the other single-op
 * models (scale (4 + r % 13) / 256, zero point r % 41 - 20), int8 feature weights, int16 (or,
 * with time=int8, TFLite Micro's int8) time weights, int32 bias, int16 state, all symmetric;
 * the state and output scales are chosen so that the state's int16 and the output's int8
 * ranges are used without saturating on average (integer rms ~3000 and ~40: see svdf_scales);
 * the fused activation defaults to RELU, the one TFLite's integer SVDF accepts. float32: weights
 * uniform in +-1/sqrt(fan-in), bias in +-0.1, activation NONE by default.
 * Layer: sim/gen. Never prints, exits or touches files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

#define SVDF_MAX_DIM 4096

typedef struct svdf_spec {
    ts_dtype dt, time_dt;
    int32_t batch, input, units, rank, memory;
    ts_act act;
    bool bias;
} svdf_spec;

static ts_status bad(const char *spec, ts_err *err)
{
    return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: expected op:svdf,int8|float32,BATCHxINPUT,"
                      "units=U,rank=R,memory=M[,time=int16|int8][,act=none|relu|relu6|"
                      "relu_n1_to_1][,bias=0] (dimensions 1 to %d)", spec, SVDF_MAX_DIM);
}

/* "NAME=V" with V an integer in [1, SVDF_MAX_DIM] into *v when the field is NAME's. */
static bool int_field(const char *f, size_t len, const char *name, int32_t *v, bool *ok)
{
    size_t n = strlen(name);
    int32_t x = 0;

    if (len <= n + 1 || strncmp(f, name, n) != 0 || f[n] != '=')
        return false;
    for (size_t i = n + 1; i < len; i++) {
        if (f[i] < '0' || f[i] > '9' || x > SVDF_MAX_DIM)
            return *ok = false, true;
        x = x * 10 + (f[i] - '0');
    }
    *ok = x >= 0 && x <= SVDF_MAX_DIM;
    *v = x;
    return true;
}

static bool word_field(const char *f, size_t len, const char *field, const char *word)
{
    return strlen(field) + strlen(word) == len && strncmp(f, field, strlen(field)) == 0 &&
           strncmp(f + strlen(field), word, strlen(word)) == 0;
}

/* One "NAME=V" field of the spec; false when it is none of them or malformed. */
static bool parse_field(const char *f, size_t len, svdf_spec *s)
{
    int32_t b = 1;
    bool ok = true;

    if (int_field(f, len, "units", &s->units, &ok) || int_field(f, len, "rank", &s->rank, &ok) ||
        int_field(f, len, "memory", &s->memory, &ok))
        return ok;
    if (int_field(f, len, "bias", &b, &ok))
        return s->bias = b != 0, ok && b <= 1;
    if (word_field(f, len, "time=", "int16") || word_field(f, len, "time=", "int8")) {
        s->time_dt = len == 10 ? TS_DT_INT16 : TS_DT_INT8;
        return true;
    }
    return len > 4 && strncmp(f, "act=", 4) == 0 && ts_gen_act_named(f + 4, len - 4, &s->act);
}

/* args: "int8,1x16,units=4,rank=2,memory=8..." (after "svdf,"). */
static ts_status parse_svdf(const char *spec, const char *args, svdf_spec *s, ts_err *err)
{
    const char *p = args;
    size_t len = strcspn(p, ",");
    int n_dims;

    memset(s, 0, sizeof *s);
    s->time_dt = TS_DT_INT16, s->bias = true, s->act = (ts_act)-1;
    if (len == 4 && strncmp(p, "int8", 4) == 0)
        s->dt = TS_DT_INT8;
    else if (len == 7 && strncmp(p, "float32", 7) == 0)
        s->dt = TS_DT_FLOAT32;
    else
        return bad(spec, err);
    p += len + (p[len] ? 1 : 0);
    if (sscanf(p, "%dx%d%n", &s->batch, &s->input, &n_dims) != 2 || (p[n_dims] && p[n_dims] != ','))
        return bad(spec, err);
    for (p += n_dims; *p == ','; p += len) {
        p++;
        len = strcspn(p, ",");
        if (!parse_field(p, len, s))
            return bad(spec, err);
    }
    if (s->batch < 1 || s->batch > SVDF_MAX_DIM || s->input < 1 || s->input > SVDF_MAX_DIM ||
        s->units < 1 || s->rank < 1 || s->memory < 1 ||
        (int64_t)s->units * s->rank * s->memory > SVDF_MAX_DIM * 16)
        return bad(spec, err);
    if ((int)s->act < 0)
        s->act = s->dt == TS_DT_INT8 ? TS_ACT_RELU : TS_ACT_NONE;
    if (s->dt == TS_DT_FLOAT32)
        s->time_dt = TS_DT_FLOAT32;
    return TS_OK;
}

/* A uniform value in [-1, 1) from the seed. */
static float unit_rand(ts_gen *g)
{
    return (float)(ts_gen_rand(g) >> 8) / 8388608.0f - 1.0f;
}

/* Constant tensor t filled from the seed: integers uniform in [-max, max] of its dtype, or
 * floats uniform in [-max, max). */
static void fill_const(ts_gen *g, int32_t t, float max)
{
    ts_tensor *x = &g->tensors[t];
    uint8_t *d = (uint8_t *)(uintptr_t)x->data;

    for (int64_t i = 0; i < x->n_elems; i++) {
        float f = unit_rand(g) * max;
        int32_t v = (int32_t)lroundf(f);
        if (x->dtype == TS_DT_INT8)
            d[i] = (uint8_t)(int8_t)v;
        else if (x->dtype == TS_DT_INT16)
            d[2 * i] = (uint8_t)(v & 0xff), d[2 * i + 1] = (uint8_t)((v >> 8) & 0xff);
        else if (x->dtype == TS_DT_INT32)
            memcpy(d + 4 * i, &v, 4);
        else
            memcpy(d + 4 * i, &f, 4);
    }
}

/* int8 scales: weights symmetric at full range (feature 1/128, time 1/32768 or 1/128), the
 * state's scale making the feature sum (rms ~74 * 73 * sqrt(input), int8 times int8) land at
 * an int16 rms ~3000, the output's making the time sums (rms ~3000 * wt_rms * sqrt(memory *
 * rank)) land at an int8 rms ~40; each times a seeded jitter (12 + r % 9) / 16. */
static ts_status svdf_scales(ts_gen *g, const svdf_spec *s, const int32_t *t, ts_err *err)
{
    float s_in = (float)(4 + ts_gen_rand(g) % 13) / 256.0f;
    int32_t zp_in = (int32_t)(ts_gen_rand(g) % 41) - 20;
    float s_wf = 1.0f / 128.0f, s_wt = s->time_dt == TS_DT_INT16 ? 1.0f / 32768.0f : 1.0f / 128.0f;
    float wt_rms = s->time_dt == TS_DT_INT16 ? 18918.0f : 73.0f;
    float e1 = 3000.0f / (74.0f * 73.0f * sqrtf((float)s->input));
    float e2 = 40.0f / (3000.0f * wt_rms * sqrtf((float)(s->memory * s->rank)));
    float s_st = s_in * s_wf / (e1 * (float)(12 + ts_gen_rand(g) % 9) / 16.0f);
    float s_out = s_st * s_wt / (e2 * (float)(12 + ts_gen_rand(g) % 9) / 16.0f);
    ts_status st = ts_gen_quant_fixed(g, t[0], s_in, zp_in, err);

    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, t[1], s_wf, 0, err);
    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, t[2], s_wt, 0, err);
    if (st == TS_OK && t[3] >= 0)
        st = ts_gen_quant_fixed(g, t[3], s_st * s_wt, 0, err);
    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, t[4], s_st, 0, err);
    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, t[5], s_out, (int32_t)(ts_gen_rand(g) % 41) - 20, err);
    return st;
}

/* Tensors 0 input, 1 feature weights, 2 time weights, 3 bias (-1: none), 4 state, 5 output. */
static ts_status svdf_tensors(ts_gen *g, const svdf_spec *s, int32_t *t, ts_err *err)
{
    int32_t f = s->units * s->rank, fp = s->dt == TS_DT_FLOAT32;
    int32_t in_shape[2] = {s->batch, s->input}, wf_shape[2] = {f, s->input};
    int32_t wt_shape[2] = {f, s->memory}, b_shape[1] = {s->units};
    int32_t st_shape[2] = {s->batch, f * s->memory}, out_shape[2] = {s->batch, s->units};
    ts_status st = ts_gen_add_tensor(g, "input", s->dt, 2, in_shape, false, &t[0], err);

    t[3] = -1;
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "svdf/weights_feature", s->dt, 2, wf_shape, true, &t[1], err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "svdf/weights_time", s->time_dt, 2, wt_shape, true, &t[2], err);
    if (st == TS_OK && s->bias)
        st = ts_gen_add_tensor(g, "svdf/bias", fp ? TS_DT_FLOAT32 : TS_DT_INT32, 1, b_shape, true,
                               &t[3], err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "svdf/state", fp ? TS_DT_FLOAT32 : TS_DT_INT16, 2, st_shape,
                               false, &t[4], err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "output", s->dt, 2, out_shape, false, &t[5], err);
    if (st == TS_OK)
        g->tensors[t[4]].is_variable = true;
    return st;
}

ts_status ts_gen_build_svdf(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    svdf_spec s;
    int32_t t[6];
    ts_op_opts opts;
    ts_status st = parse_svdf(spec, args, &s, err);
    bool fp = s.dt == TS_DT_FLOAT32;

    if (st == TS_OK)
        st = svdf_tensors(g, &s, t, err);
    if (st == TS_OK && !fp)
        st = svdf_scales(g, &s, t, err);
    if (st != TS_OK)
        return st;
    fill_const(g, t[1], fp ? 1.0f / sqrtf((float)s.input) : 127.0f);
    fill_const(g, t[2], fp ? 1.0f / sqrtf((float)s.memory) : s.time_dt == TS_DT_INT16 ? 32767.0f
                                                                                      : 127.0f);
    if (t[3] >= 0) /* int8: bias of the size of one time sum */
        fill_const(g, t[3], fp ? 0.1f : 3000.0f * (s.time_dt == TS_DT_INT16 ? 18918.0f : 73.0f));
    memset(&opts, 0, sizeof opts);
    opts.svdf = (ts_svdf_opts){s.rank, s.act, false};
    st = ts_gen_input_tensor(g, t[0], err);
    if (st == TS_OK)
        st = ts_gen_add_op(g, TS_OP_SVDF, 5, t, 1, &t[5], &opts, err);
    return st == TS_OK ? ts_gen_output(g, t[5], err) : st;
}

/* ---- op:lstm,float32|int8,BATCHxTIMExINPUT,units=U[,time_major=0|1][,clip=C] ----
 * One UNIDIRECTIONAL_SEQUENCE_LSTM with an input gate, no peepholes, projection or layer
 * norm, TANH: the 20 inputs of TFLite's layout (lstm_shared.h), the two states variable
 * tensors [batch, units] (zeros when the runtime starts). Weights uniform in +-1/sqrt(input
 * + units) (the fan-in of a gate), gate biases in +-0.1 (the forget gate's shifted by +1, as
 * Keras initialises it, so the cell keeps its memory); clip C >= 0 the cell clip.
 * int8 (TFLite's 8x8_16 integer LSTM, as its converter writes one): input quantized as the
 * other single-op models (scale (4 + r % 13) / 256, zero point r % 41 - 20), weights int8
 * symmetric at full range (scale (1/sqrt(input + units)) / 127), biases int32 of scale input
 * x that gate's input weights, the output and the output state int8 of scale 1/128 (the
 * hidden value is in (-1, 1)) and zero point r % 11 - 5, the cell state int16 of scale 2^-11
 * (+-16: TFLite wants a power of two); the op's five intermediates as the converter writes
 * them: the four gate accumulators int16 Q3.12 (scale 2^-12, read only with layer norm) and
 * the hidden state with the output's quantization (TFLite requantizes the new hidden value
 * with it). */

#define LSTM_MAX_DIM 1024

/* The gates in TFLite's input order (input_to_<gate>_weights, <gate>_gate_bias, ...). */
static const char *const lstm_gate[4] = {"input", "forget", "cell", "output"};

typedef struct lstm_spec {
    ts_dtype dt;
    int32_t batch, time, input, units;
    bool time_major;
    float clip;
} lstm_spec;

static ts_status lstm_bad(const char *spec, ts_err *err)
{
    return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: expected op:lstm,float32|int8,"
                      "BATCHxTIMExINPUT,units=U[,time_major=0|1][,clip=C] (dimensions 1 to %d, "
                      "C >= 0)", spec, LSTM_MAX_DIM);
}

/* One "NAME=V" field of the spec; false when it is none of them or malformed. */
static bool lstm_field(const char *f, size_t len, lstm_spec *s)
{
    int32_t v = 0;
    bool ok = true;
    char buf[32], *end;

    if (int_field(f, len, "units", &s->units, &ok))
        return ok;
    if (int_field(f, len, "time_major", &v, &ok))
        return s->time_major = v != 0, ok && v <= 1;
    if (len > 5 && len < sizeof buf && strncmp(f, "clip=", 5) == 0) {
        memcpy(buf, f + 5, len - 5);
        buf[len - 5] = '\0';
        s->clip = strtof(buf, &end);
        return *end == '\0' && end != buf && s->clip >= 0.0f && s->clip < 1e30f;
    }
    return false;
}

/* args: "float32,1x8x10,units=16..." (after "lstm,"). */
static ts_status parse_lstm(const char *spec, const char *args, lstm_spec *s, ts_err *err)
{
    const char *p = args;
    size_t len;
    int n_dims = 0;

    memset(s, 0, sizeof *s);
    if (strncmp(p, "float32,", 8) == 0)
        s->dt = TS_DT_FLOAT32, p += 8;
    else if (strncmp(p, "int8,", 5) == 0)
        s->dt = TS_DT_INT8, p += 5;
    else
        return lstm_bad(spec, err);
    if (sscanf(p, "%dx%dx%d%n", &s->batch, &s->time, &s->input, &n_dims) != 3 ||
        (p[n_dims] && p[n_dims] != ','))
        return lstm_bad(spec, err);
    for (p += n_dims; *p == ','; p += len) {
        p++;
        len = strcspn(p, ",");
        if (!lstm_field(p, len, s))
            return lstm_bad(spec, err);
    }
    if (s->batch < 1 || s->batch > LSTM_MAX_DIM || s->time < 1 || s->time > LSTM_MAX_DIM ||
        s->input < 1 || s->input > LSTM_MAX_DIM || s->units < 1 || s->units > LSTM_MAX_DIM)
        return lstm_bad(spec, err);
    return TS_OK;
}

/* int8: the quantization of t[] (TFLite positions) and of the output, the biases' values,
 * and the five intermediates (the caller attaches them to the op). */
static ts_status lstm_quant(ts_gen *g, const lstm_spec *s, const int32_t *t, int32_t out,
                            int32_t *inter, ts_err *err)
{
    float s_in = (float)(4 + ts_gen_rand(g) % 13) / 256.0f;
    int32_t zp_in = (int32_t)(ts_gen_rand(g) % 41) - 20, zp_out = (int32_t)(ts_gen_rand(g) % 11) - 5;
    float s_w = 1.0f / sqrtf((float)(s->input + s->units)) / 127.0f, s_out = 1.0f / 128.0f;
    int32_t v_shape[1] = {s->units};
    char name[48];
    ts_status st = ts_gen_quant_fixed(g, t[0], s_in, zp_in, err);

    for (int32_t k = 0; k < 4 && st == TS_OK; k++) {
        st = ts_gen_quant_fixed(g, t[1 + k], s_w, 0, err);
        if (st == TS_OK)
            st = ts_gen_quant_fixed(g, t[5 + k], s_w, 0, err);
        if (st == TS_OK)
            st = ts_gen_quant_fixed(g, t[12 + k], s_in * s_w, 0, err);
        for (int32_t u = 0; u < s->units && st == TS_OK; u++) {
            int32_t *b = (int32_t *)(uintptr_t)g->tensors[t[12 + k]].data;
            b[u] = (int32_t)lroundf((unit_rand(g) * 0.1f + (k == 1 ? 1.0f : 0.0f)) / (s_in * s_w));
        }
        snprintf(name, sizeof name, "lstm/%s_gate_intermediate", lstm_gate[k]);
        if (st == TS_OK)
            st = ts_gen_add_tensor(g, name, TS_DT_INT16, 1, v_shape, false, &inter[k], err);
        if (st == TS_OK)
            st = ts_gen_quant_fixed(g, inter[k], 1.0f / 4096.0f, 0, err);
    }
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "lstm/effective_hidden_scale_intermediate", TS_DT_INT8, 1,
                               v_shape, false, &inter[4], err);
    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, inter[4], s_out, zp_out, err);
    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, t[18], s_out, zp_out, err);
    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, t[19], 1.0f / 2048.0f, 0, err);
    if (st == TS_OK)
        st = ts_gen_quant_fixed(g, out, s_out, zp_out, err);
    return st;
}

ts_status ts_gen_build_lstm(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    lstm_spec s;
    int32_t t[20], out = -1, io_shape[3], w_shape[2], r_shape[2], v_shape[1], st_shape[2];
    int32_t inter[5];
    char name[48];
    ts_op_opts opts;
    ts_status st = parse_lstm(spec, args, &s, err);
    bool q8;
    ts_dtype b_dt;
    float w_max;

    if (st != TS_OK)
        return st;
    q8 = s.dt == TS_DT_INT8, b_dt = q8 ? TS_DT_INT32 : TS_DT_FLOAT32;
    for (int32_t j = 0; j < 20; j++)
        t[j] = -1;
    io_shape[0] = s.time_major ? s.time : s.batch, io_shape[1] = s.time_major ? s.batch : s.time;
    io_shape[2] = s.input;
    w_shape[0] = s.units, w_shape[1] = s.input, r_shape[0] = s.units, r_shape[1] = s.units;
    v_shape[0] = s.units, st_shape[0] = s.batch, st_shape[1] = s.units;
    st = ts_gen_add_tensor(g, "input", s.dt, 3, io_shape, false, &t[0], err);
    for (int32_t k = 0; k < 4 && st == TS_OK; k++) {
        snprintf(name, sizeof name, "lstm/input_to_%s_weights", lstm_gate[k]);
        st = ts_gen_add_tensor(g, name, s.dt, 2, w_shape, true, &t[1 + k], err);
        snprintf(name, sizeof name, "lstm/recurrent_to_%s_weights", lstm_gate[k]);
        if (st == TS_OK)
            st = ts_gen_add_tensor(g, name, s.dt, 2, r_shape, true, &t[5 + k], err);
        snprintf(name, sizeof name, "lstm/%s_gate_bias", lstm_gate[k]);
        if (st == TS_OK)
            st = ts_gen_add_tensor(g, name, b_dt, 1, v_shape, true, &t[12 + k], err);
    }
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "lstm/output_state", s.dt, 2, st_shape, false, &t[18], err);
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "lstm/cell_state", q8 ? TS_DT_INT16 : TS_DT_FLOAT32, 2,
                               st_shape, false, &t[19], err);
    io_shape[2] = s.units;
    if (st == TS_OK)
        st = ts_gen_add_tensor(g, "output", s.dt, 3, io_shape, false, &out, err);
    if (st != TS_OK)
        return st;
    g->tensors[t[18]].is_variable = true;
    g->tensors[t[19]].is_variable = true;
    w_max = 1.0f / sqrtf((float)(s.input + s.units));
    for (int32_t k = 0; k < 4; k++) {
        fill_const(g, t[1 + k], q8 ? 127.0f : w_max);
        fill_const(g, t[5 + k], q8 ? 127.0f : w_max);
        if (!q8)
            fill_const(g, t[12 + k], 0.1f);
    }
    for (int32_t u = 0; u < s.units && !q8; u++) { /* forget gate bias + 1 */
        float *b = (float *)(uintptr_t)g->tensors[t[13]].data;
        b[u] += 1.0f;
    }
    if (q8 && (st = lstm_quant(g, &s, t, out, inter, err)) != TS_OK)
        return st;
    memset(&opts, 0, sizeof opts);
    opts.lstm = (ts_lstm_opts){TS_ACT_TANH, s.clip, 0.0f, s.time_major, false, false};
    st = ts_gen_input_tensor(g, t[0], err);
    if (st == TS_OK)
        st = ts_gen_add_op(g, TS_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, 20, t, 1, &out, &opts, err);
    if (st == TS_OK && q8)
        st = ts_gen_op_intermediates(g, 5, inter, err);
    return st == TS_OK ? ts_gen_output(g, out, err) : st;
}
