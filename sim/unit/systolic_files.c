/* systolic_files.c: SCALE-Sim v2 topology CSV and .cfg readers, and the .tflite -> topology
 * mapping (systolic_files.h). Layer: sim/unit. Untrusted input: sizes are bounded, every
 * number is parsed strictly, every error names the file, line and field; never prints. */
#include "systolic_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"

#define MAX_FILE_BYTES (16u << 20) /* a topology of a million layers is not a topology */
#define MAX_ROWS 100000u
#define N_TOPO_FIELDS 8

/* Reads path into a NUL-terminated buffer (owned by the caller). */
static ts_status slurp(const char *path, char **out, ts_err *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n;

    if (!f)
        return ts_err_set(err, TS_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
    if (!(buf = ts_malloc(MAX_FILE_BYTES + 1))) {
        fclose(f);
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", path);
    }
    n = fread(buf, 1, MAX_FILE_BYTES + 1, f);
    fclose(f);
    if (n > MAX_FILE_BYTES) {
        ts_free(buf);
        return ts_err_set(err, TS_ERR_FORMAT, "%s: file too large (expected <= %u bytes)", path,
                          MAX_FILE_BYTES);
    }
    if (memchr(buf, '\0', n)) {
        ts_free(buf);
        return ts_err_set(err, TS_ERR_FORMAT, "%s: binary data (expected a text file)", path);
    }
    buf[n] = '\0';
    *out = buf;
    return TS_OK;
}

/* Cuts the next line off *cur (NUL-terminates it, drops '\r'); NULL at the end. */
static char *next_line(char **cur)
{
    char *s = *cur, *nl;

    if (!s || !*s)
        return NULL;
    nl = strchr(s, '\n');
    *cur = nl ? nl + 1 : NULL;
    if (nl)
        *nl = '\0';
    size_t len = strlen(s);
    if (len && s[len - 1] == '\r')
        s[len - 1] = '\0';
    return s;
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

/* Strict unsigned integer: digits only, <= max. */
static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
    unsigned long long v = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
        if (v > max)
            return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static const char *const topo_fields[N_TOPO_FIELDS] = {
    "Layer name", "IFMAP Height", "IFMAP Width", "Filter Height",
    "Filter Width", "Channels", "Num Filter", "Strides"};

/* Splits line at commas into at most cap trimmed fields; trailing empty fields are dropped.
 * Returns the field count, or cap + 1 when there are more. */
static int split_fields(char *line, char **f, int cap)
{
    int n = 0;

    for (char *s = line;; n++) {
        char *c = strchr(s, ',');

        if (c)
            *c = '\0';
        if (n < cap)
            f[n] = trim(s);
        else if (*trim(s))
            return cap + 1;
        if (!c)
            break;
        s = c + 1;
    }
    n++;
    if (n > cap)
        n = cap;
    while (n > 0 && !*f[n - 1])
        n--;
    return n;
}

static ts_status topo_row(const char *path, int lineno, char *line, ts_systolic_row *row,
                          ts_err *err)
{
    char *f[N_TOPO_FIELDS];
    uint32_t v[N_TOPO_FIELDS - 1];
    ts_err sub;
    int n = split_fields(line, f, N_TOPO_FIELDS);

    if (n != N_TOPO_FIELDS)
        return ts_err_set(err, TS_ERR_FORMAT,
                          "%s: line %d: field %s: wrong number of fields (expected %d, got %s%d)",
                          path, lineno, n < N_TOPO_FIELDS ? topo_fields[n] : "Strides",
                          N_TOPO_FIELDS, n > N_TOPO_FIELDS ? "more than " : "",
                          n > N_TOPO_FIELDS ? N_TOPO_FIELDS : n);
    if (!*f[0] || strlen(f[0]) >= TS_SYSTOLIC_NAME_BYTES)
        return ts_err_set(err, TS_ERR_FORMAT,
                          "%s: line %d: field Layer name: %s (expected 1..%d characters)", path,
                          lineno, *f[0] ? "too long" : "empty", TS_SYSTOLIC_NAME_BYTES - 1);
    for (int i = 1; i < N_TOPO_FIELDS; i++)
        if (parse_u32(f[i], 0xffffffffu, &v[i - 1]))
            return ts_err_set(err, TS_ERR_FORMAT,
                              "%s: line %d: field %s: not an integer (expected a whole number, "
                              "got \"%.40s\")", path, lineno, topo_fields[i], f[i]);
    snprintf(row->name, sizeof row->name, "%s", f[0]);
    row->layer = (ts_systolic_layer){v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
    row->instances = 1;
    ts_err_clear(&sub);
    if (ts_systolic_layer_check(&row->layer, &sub))
        return ts_err_set(err, sub.code, "%s: line %d: %s", path, lineno, sub.msg);
    return TS_OK;
}

static ts_status topo_parse(const char *path, char *text, ts_systolic_topology *t, ts_err *err)
{
    char *cur = text, *line;
    int lineno = 0;

    while ((line = next_line(&cur)) != NULL) {
        lineno++;
        line = trim(line);
        if (lineno == 1) {
            if (strncasecmp(line, "Layer name", 10) != 0)
                return ts_err_set(err, TS_ERR_FORMAT,
                                  "%s: line 1: field Layer name: not a SCALE-Sim topology header "
                                  "(expected \"Layer name, IFMAP Height, ...\", got \"%.30s\")",
                                  path, line);
            continue;
        }
        if (!*line)
            continue;
        if (t->n == MAX_ROWS)
            return ts_err_set(err, TS_ERR_FORMAT, "%s: line %d: too many layers (expected <= %u)",
                              path, lineno, MAX_ROWS);
        ts_status st = topo_row(path, lineno, line, &t->rows[t->n], err);
        if (st)
            return st;
        t->n++;
    }
    if (lineno == 0)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: line 1: field Layer name: empty file "
                          "(expected a SCALE-Sim topology header)", path);
    if (t->n == 0)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: line %d: no layers (expected >= 1 row)",
                          path, lineno);
    return TS_OK;
}

ts_status ts_systolic_topology_read(const char *path, ts_systolic_topology *out, ts_err *err)
{
    char *text = NULL;
    size_t lines = 1;
    ts_systolic_topology t = {0};
    ts_status st = slurp(path, &text, err);

    if (st)
        return st;
    for (const char *s = text; *s; s++)
        lines += *s == '\n';
    if (lines > MAX_ROWS + 1)
        lines = MAX_ROWS + 1;
    if (!(t.rows = ts_calloc(lines, sizeof *t.rows)))
        st = ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", path);
    else
        st = topo_parse(path, text, &t, err);
    ts_free(text);
    if (st) {
        ts_free(t.rows);
        return st;
    }
    *out = t;
    return TS_OK;
}

void ts_systolic_topology_free(ts_systolic_topology *t)
{
    if (!t)
        return;
    ts_free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

/* ---- .cfg ------------------------------------------------------------------------- */

enum cfg_kind { K_U32, K_F64, K_DATAFLOW, K_IFBW, K_STR };

enum {
#define SKEY(id, sec, key, kind, req, def, meaning) CFG_##id,
#include "systolic_cfg.def"
#undef SKEY
    CFG_N_KEYS
};

static const struct cfg_key {
    const char *section, *key, *def;
    enum cfg_kind kind;
    int required;
} cfg_keys[CFG_N_KEYS] = {
#define SKEY(id, sec, key, kind, req, def, meaning) {sec, key, def, kind, req},
#include "systolic_cfg.def"
#undef SKEY
};

#define CFG_VALUE_BYTES 128

typedef struct cfg_values {
    char v[CFG_N_KEYS][CFG_VALUE_BYTES];
    int line[CFG_N_KEYS]; /* 0 = absent (default used) */
} cfg_values;

static ts_status cfg_line(const char *path, int lineno, char *line, char *section,
                          cfg_values *cv, ts_err *err)
{
    char *sep = strpbrk(line, "=:");

    if (*line == '[') {
        char *end = strchr(line, ']');

        if (!end || end[1] || end - line - 1 >= 64)
            return ts_err_set(err, TS_ERR_FORMAT,
                              "%s: line %d: section: malformed header (expected [name], got "
                              "\"%.40s\")", path, lineno, line);
        *end = '\0';
        snprintf(section, 64, "%s", trim(line + 1));
        return TS_OK;
    }
    if (!sep)
        return ts_err_set(err, TS_ERR_FORMAT,
                          "%s: line %d: field %.40s: no value (expected KEY = VALUE or "
                          "KEY: VALUE)", path, lineno, line);
    *sep = '\0';
    char *key = trim(line), *val = trim(sep + 1);
    if (!*section)
        return ts_err_set(err, TS_ERR_FORMAT,
                          "%s: line %d: field %.40s: outside any section (expected a [section] "
                          "first)", path, lineno, key);
    for (int i = 0; i < CFG_N_KEYS; i++) {
        if (strcasecmp(section, cfg_keys[i].section) || strcasecmp(key, cfg_keys[i].key))
            continue;
        if (cv->line[i])
            return ts_err_set(err, TS_ERR_FORMAT,
                              "%s: line %d: field %s: given twice (first on line %d)", path,
                              lineno, cfg_keys[i].key, cv->line[i]);
        if (strlen(val) >= CFG_VALUE_BYTES)
            return ts_err_set(err, TS_ERR_FORMAT, "%s: line %d: field %s: value too long "
                              "(expected < %d characters)", path, lineno, cfg_keys[i].key,
                              CFG_VALUE_BYTES);
        memcpy(cv->v[i], val, strlen(val) + 1);
        cv->line[i] = lineno;
    }
    return TS_OK; /* keys tinysim does not model are ignored, as SCALE-Sim ignores extras */
}

/* Converts key i's value into the array. */
static ts_status cfg_apply(const char *path, const cfg_values *cv, int i, ts_systolic_array *a,
                           ts_err *err)
{
    const char *s = cv->line[i] ? cv->v[i] : cfg_keys[i].def, *what = NULL;
    uint32_t u = 0;
    double d = 0;
    char *end;

    switch (cfg_keys[i].kind) {
    case K_U32:
        if (parse_u32(s, 0xffffffffu, &u))
            what = "a whole number";
        break;
    case K_F64: /* SCALE-Sim accepts a comma list and uses its first entry */
        errno = 0;
        d = strtod(s, &end);
        while (*end == ' ')
            end++;
        if (end == s || (*end && *end != ',') || errno)
            what = "a number";
        break;
    case K_DATAFLOW:
        if (ts_systolic_dataflow_parse(s, &a->dataflow))
            what = "os, ws or is";
        break;
    case K_IFBW:
        if (strcasecmp(s, "CALC") && strcasecmp(s, "USER"))
            what = "CALC or USER";
        a->user_bandwidth = strcasecmp(s, "USER") == 0;
        break;
    case K_STR:
        break;
    }
    if (what)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: line %d: field %s: bad value (expected %s, "
                          "got \"%.40s\")", path, cv->line[i], cfg_keys[i].key, what, s);
    switch (i) {
    case CFG_ARRAY_H: a->rows = u; break;
    case CFG_ARRAY_W: a->cols = u; break;
    case CFG_IFMAP_KB: a->sram_words[TS_SYS_IFMAP] = (uint64_t)u * 1024u; break;
    case CFG_FILTER_KB: a->sram_words[TS_SYS_FILTER] = (uint64_t)u * 1024u; break;
    case CFG_OFMAP_KB: a->sram_words[TS_SYS_OFMAP] = (uint64_t)u * 1024u; break;
    case CFG_IFMAP_OFF: a->offset[TS_SYS_IFMAP] = u; break;
    case CFG_FILTER_OFF: a->offset[TS_SYS_FILTER] = u; break;
    case CFG_OFMAP_OFF: a->offset[TS_SYS_OFMAP] = u; break;
    case CFG_BANDWIDTH: a->bandwidth_words_per_cycle = d; break;
    default: break;
    }
    return TS_OK;
}

static int cfg_key_line(const cfg_values *cv, const char *key)
{
    for (int i = 0; i < CFG_N_KEYS; i++)
        if (key && strcmp(cfg_keys[i].key, key) == 0)
            return cv->line[i];
    return 0;
}

static ts_status cfg_finish(const char *path, cfg_values *cv, ts_systolic_array *a, ts_err *err)
{
    ts_status st;
    const char *bad = NULL;
    ts_err sub;

    for (int i = 0; i < CFG_N_KEYS; i++) {
        if (cfg_keys[i].required && !cv->line[i])
            return ts_err_set(err, TS_ERR_FORMAT, "%s: section [%s]: field %s: missing "
                              "(expected a value)", path, cfg_keys[i].section, cfg_keys[i].key);
        if ((st = cfg_apply(path, cv, i, a, err)))
            return st;
    }
    ts_err_clear(&sub);
    if ((st = ts_systolic_array_check(a, &bad, &sub)))
        return ts_err_set(err, st, "%s: line %d: %s", path, cfg_key_line(cv, bad), sub.msg);
    return TS_OK;
}

ts_status ts_systolic_config_read(const char *path, ts_systolic_array *out, char *run_name,
                                  size_t cap, ts_err *err)
{
    char *text = NULL, *cur, *line, section[64] = "";
    cfg_values *cv = NULL;
    ts_systolic_array a;
    int lineno = 0;
    ts_status st = slurp(path, &text, err);

    if (st)
        return st;
    memset(&a, 0, sizeof a);
    if (!(cv = ts_calloc(1, sizeof *cv)))
        st = ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", path);
    for (cur = text; !st && (line = next_line(&cur)) != NULL;) {
        line = trim(line);
        lineno++;
        if (*line && *line != '#' && *line != ';')
            st = cfg_line(path, lineno, line, section, cv, err);
    }
    if (!st)
        st = cfg_finish(path, cv, &a, err);
    if (!st) {
        *out = a;
        if (run_name && cap)
            snprintf(run_name, cap, "%s", cv->v[CFG_RUN_NAME]);
    }
    ts_free(cv);
    ts_free(text);
    return st;
}

/* ---- .tflite -> topology ------------------------------------------------------------ */

/* The ifmap extent a valid convolution needs for `out` outputs: the input padded as the op
 * pads it (SAME adds rows/cols) and trimmed to what the windows read, as SCALE-Sim's
 * topologies encode padding (the shared reference README). */
static uint32_t padded_extent(int32_t out, int32_t filter, int32_t stride)
{
    return (uint32_t)((out - 1) * stride + filter);
}

/* What the mapping reads of an op, from the graph (row_from_op) or from the prepared op the
 * unit is handed (row_from_ref): filter [Co,Kh,Kw,Ci] (depthwise [1,Kh,Kw,C*mult], FC
 * [Co,1,1,K]) and output [N,Ho,Wo,Co] (FC [N,1,1,Co]), as NHWC int32 extents. */
typedef struct op_shape {
    ts_op_kind kind;
    int32_t filter[4], out[4];
    int32_t stride_h, stride_w, dilation_h, dilation_w, depth_multiplier;
} op_shape;

/* The row of one op: FC as a 1x1 convolution over a batch x 1 ifmap with K channels (GEMM
 * M = batch); conv over the padded, trimmed ifmap, once per batch; depthwise per channel. */
static ts_status map_shape(const char *src, int32_t i, const char *name, const op_shape *s,
                           ts_systolic_row *row, ts_err *err)
{
    ts_systolic_layer *l = &row->layer;
    ts_status st;
    ts_err sub;

    snprintf(row->name, sizeof row->name, "%d_%s", i, name);
    row->instances = 1;
    if (s->kind == TS_OP_FULLY_CONNECTED) {
        *l = (ts_systolic_layer){(uint32_t)s->out[0], 1, 1, 1, (uint32_t)s->filter[3],
                                 (uint32_t)s->filter[0], 1};
    } else if (s->dilation_h > 1 || s->dilation_w > 1 || s->stride_h != s->stride_w) {
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): dilation %dx%d, stride "
                          "%dx%d (expected no dilation and a square stride, as SCALE-Sim)",
                          src, i, name, s->dilation_h, s->dilation_w, s->stride_h, s->stride_w);
    } else {
        l->ifmap_h = padded_extent(s->out[1], s->filter[1], s->stride_h);
        l->ifmap_w = padded_extent(s->out[2], s->filter[2], s->stride_w);
        l->filter_h = (uint32_t)s->filter[1];
        l->filter_w = (uint32_t)s->filter[2];
        l->stride = (uint32_t)s->stride_h;
        l->channels = (uint32_t)s->filter[3];
        l->filters = (uint32_t)s->filter[0];
        row->instances = (uint32_t)s->out[0];
    }
    if (s->kind == TS_OP_DEPTHWISE_CONV_2D) { /* per channel: 1 channel, `mult` filters */
        int32_t mult = s->depth_multiplier > 0 ? s->depth_multiplier : 1;

        l->channels = 1;
        l->filters = (uint32_t)mult;
        row->instances = (uint32_t)(s->filter[3] / mult) * (uint32_t)s->out[0];
    }
    ts_err_clear(&sub);
    if ((st = ts_systolic_layer_check(l, &sub)))
        return ts_err_set(err, st, "%s: op %d: %s", src, i, sub.msg);
    return TS_OK;
}

static bool mapped_kind(ts_op_kind k)
{
    return k == TS_OP_CONV_2D || k == TS_OP_DEPTHWISE_CONV_2D || k == TS_OP_FULLY_CONNECTED;
}

ts_status ts_systolic_row_from_op(const char *src, const ts_graph *g, int32_t i,
                                  ts_systolic_row *row, ts_err *err)
{
    const ts_op *op = &g->ops[i];
    const ts_tensor *w, *out;
    op_shape s = {op->kind, {0}, {0}, 1, 1, 1, 1, 1};

    if (!mapped_kind(op->kind))
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): not a conv, depthwise or "
                          "fully connected op", src, i, op->name);
    w = &g->tensors[op->inputs[1]], out = &g->tensors[op->outputs[0]];
    if (op->kind == TS_OP_FULLY_CONNECTED) {
        if (w->rank != 2 || w->shape[0] < 1 || w->shape[1] < 1 || out->n_elems < 1)
            return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): weights of rank %d "
                              "(expected 2)", src, i, op->name, w->rank);
        s.filter[0] = w->shape[0], s.filter[1] = s.filter[2] = 1, s.filter[3] = w->shape[1];
        s.out[0] = (int32_t)(out->n_elems / w->shape[0]), s.out[1] = s.out[2] = 1;
        s.out[3] = w->shape[0];
        return map_shape(src, i, op->name, &s, row, err);
    }
    if (w->rank != 4 || out->rank != 4)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): tensors of rank %d/%d "
                          "(expected 4)", src, i, op->name, w->rank, out->rank);
    memcpy(s.filter, w->shape, sizeof s.filter);
    memcpy(s.out, out->shape, sizeof s.out);
    s.stride_h = op->opts.conv.stride_h, s.stride_w = op->opts.conv.stride_w;
    s.dilation_h = op->opts.conv.dilation_h, s.dilation_w = op->opts.conv.dilation_w;
    s.depth_multiplier = op->opts.conv.depth_multiplier;
    return map_shape(src, i, op->name, &s, row, err);
}

ts_status ts_systolic_row_from_ref(const char *src, const ts_ref_op *ro, const char *name,
                                   ts_systolic_row *row, ts_err *err)
{
    const tsk_dims *f = &ro->in_dims[1], *o = &ro->out_dims;
    op_shape s = {ro->kind, {f->n, f->h, f->w, f->c}, {o->n, o->h, o->w, o->c}, 1, 1, 1, 1, 1};

    if (!mapped_kind(ro->kind))
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: op %d (%s): not a conv, depthwise or "
                          "fully connected op", src, ro->op_index, name);
    if (ro->kind == TS_OP_CONV_2D) {
        s.stride_h = ro->p.conv.stride.h, s.stride_w = ro->p.conv.stride.w;
        s.dilation_h = ro->p.conv.dilation.h, s.dilation_w = ro->p.conv.dilation.w;
    } else if (ro->kind == TS_OP_DEPTHWISE_CONV_2D) {
        s.stride_h = ro->p.dw.stride.h, s.stride_w = ro->p.dw.stride.w;
        s.dilation_h = ro->p.dw.dilation.h, s.dilation_w = ro->p.dw.dilation.w;
        s.depth_multiplier = ro->p.dw.ch_mult;
    }
    return map_shape(src, ro->op_index, name, &s, row, err);
}

ts_status ts_systolic_topology_from_model(const ts_model *m, ts_systolic_topology *out,
                                          ts_err *err)
{
    const ts_graph *g = ts_model_graph(m);
    ts_systolic_topology t = {0};
    ts_status st = TS_OK;

    if (!(t.rows = ts_calloc((size_t)(g->n_ops > 0 ? g->n_ops : 1), sizeof *t.rows)))
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", ts_model_source(m));
    for (int32_t i = 0; i < g->n_ops && !st; i++) {
        if (!mapped_kind(g->ops[i].kind))
            continue;
        if (!(st = ts_systolic_row_from_op(ts_model_source(m), g, i, &t.rows[t.n], err)))
            t.n++;
    }
    if (!st && t.n == 0)
        st = ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: no CONV_2D, DEPTHWISE_CONV_2D or "
                        "FULLY_CONNECTED op (expected >= 1 for the array)", ts_model_source(m));
    if (st) {
        ts_free(t.rows);
        return st;
    }
    *out = t;
    return TS_OK;
}
