/* tflite_read.c: structural decoding of a .tflite file (FlatBuffers, schema v3) into the IR.
 * Layer: sim/model. Every byte is read through base/rd.h; nothing here does pointer
 * arithmetic on the file. Semantic checks (indices, shapes, sizes, quantization) are in
 * model_check.c, which runs after this file has decoded the structure. Never prints.
 *
 * FlatBuffers layout as decoded here (all integers little-endian):
 *   OFFSET SIZE MEANING
 *   0      4    uoffset of the root table (Model), relative to 0
 *   4      4    file identifier "TFL3"
 *   table  4    soffset: vtable = table - soffset
 *   vtable 2    vtable size in bytes (4 + 2 * number of fields)
 *   +2     2    table size in bytes (inline part, from the soffset on)
 *   +4+2i  2    field i's offset inside the table, 0 = absent (default value)
 *   a reference field holds a uoffset relative to its own position; it must point forward
 *   (a zero offset would refer to itself: a cycle) and land 4-aligned inside the file;
 *   vector: u32 element count, then the elements; string: a byte vector plus a NUL.
 *
 * TFLite tables read (field ids from tensorflow/lite/schema/schema.fbs):
 *   Model            0 version:uint 1 operator_codes 2 subgraphs 3 description 4 buffers
 *                    6 metadata
 *   OperatorCode     0 deprecated_builtin_code:byte 1 custom_code 2 version:int=1
 *                    3 builtin_code:int (the larger of the two code fields wins)
 *   SubGraph         0 tensors 1 inputs 2 outputs 3 operators 4 name
 *   Tensor           0 shape:[int] 1 type:byte 2 buffer:uint 3 name 4 quantization
 *                    5 is_variable:bool 6 sparsity
 *   Quantization     2 scale:[float] 3 zero_point:[long] 6 quantized_dimension:int
 *   Operator         0 opcode_index:uint 1 inputs:[int] 2 outputs:[int] 8 intermediates:[int]
 *                    3 builtin_options_type:ubyte 4 builtin_options:table
 *   Buffer           0 data:[ubyte] 1 offset:ulong 2 size:ulong (data outside the
 *                    FlatBuffer, for models over 2 GB: used when offset > 1)
 *   Metadata         0 name 1 buffer:uint */
#include <stdio.h>
#include <string.h>

#include "model_int.h"
#include "base/rd.h"

/* Limits that keep hostile files from turning into huge allocations or long loops.
 * Each count is also bounded by the file size, since every element takes >= 4 bytes. */
#define MAX_SUBGRAPHS 1024
#define MAX_VTABLE_FIELDS 256
/* Decode budget: every table opened and every vector element read costs one unit. A file
 * whose offsets form a tree never spends more than its size in bytes (each unit occupies at
 * least one distinct byte); offsets shared by many parents (a DAG) could otherwise expand a
 * few kilobytes into gigabytes of IR and minutes of work. */
#define DECODE_BUDGET_PER_BYTE 4
#define DECODE_BUDGET_SLACK 65536

typedef struct load_state {
    ts_rd rd;
    const char *src;
    ts_err *err;
    ts_model *m;
    uint64_t budget; /* decode units left, see DECODE_BUDGET_PER_BYTE */
    bool nomem;      /* the failure was an allocation (reported even when err is NULL) */
} load_state;

typedef struct fb_table {
    size_t pos;      /* position of the table (its soffset) */
    size_t vt;       /* position of its vtable */
    uint16_t n_fields;
    uint16_t size;   /* inline size of the table in bytes */
} fb_table;

typedef struct fb_vec {
    size_t pos;      /* position of the first element */
    uint32_t n;      /* element count (0 when the field is absent) */
} fb_vec;

static bool fail(load_state *s, ts_status code, size_t off, const char *what)
{
    ts_err_set(s->err, code, "%s: offset 0x%zx: %s", s->src, off, what);
    return false;
}

static bool nomem(load_state *s)
{
    s->nomem = true;
    ts_err_set(s->err, TS_ERR_NOMEM, "%s: out of memory while reading the model", s->src);
    return false;
}

/* Spends n decode units for the item at off; fails once the file's budget is exhausted. */
static bool charge(load_state *s, size_t off, uint64_t n)
{
    char msg[128];

    if (n <= s->budget) {
        s->budget -= n;
        return true;
    }
    snprintf(msg, sizeof msg, "shared offsets expand the file beyond %d decoded items per byte "
             "(%zu bytes)", DECODE_BUDGET_PER_BYTE, s->rd.len);
    return fail(s, TS_ERR_FORMAT, off, msg);
}

/* Opens the table at pos: checks the soffset, the vtable and their bounds. */
static bool tbl_open(load_state *s, size_t pos, fb_table *t)
{
    int32_t soff;
    int64_t vt;
    uint16_t vt_size, t_size;
    char msg[96];

    if (pos % 4 != 0)
        return fail(s, TS_ERR_FORMAT, pos, "table is not 4-byte aligned");
    if (!charge(s, pos, 1))
        return false;
    if (!rd_i32(&s->rd, pos, &soff))
        return fail(s, TS_ERR_FORMAT, pos, "table runs past end of file");
    vt = (int64_t)pos - (int64_t)soff;
    if (vt < 0 || (uint64_t)vt > s->rd.len || vt % 2 != 0)
        return fail(s, TS_ERR_FORMAT, pos, "vtable offset points outside the file");
    if (!rd_u16(&s->rd, (size_t)vt, &vt_size) || !rd_u16(&s->rd, (size_t)vt + 2, &t_size))
        return fail(s, TS_ERR_FORMAT, (size_t)vt, "vtable runs past end of file");
    if (vt_size < 4 || vt_size % 2 != 0 || (vt_size - 4) / 2 > MAX_VTABLE_FIELDS) {
        snprintf(msg, sizeof msg, "bad vtable size %u (expected an even size from 4 to %d)",
                 vt_size, 4 + 2 * MAX_VTABLE_FIELDS);
        return fail(s, TS_ERR_FORMAT, (size_t)vt, msg);
    }
    if (!rd_has(&s->rd, (size_t)vt, vt_size))
        return fail(s, TS_ERR_FORMAT, (size_t)vt, "vtable runs past end of file");
    if (t_size < 4 || !rd_has(&s->rd, pos, t_size))
        return fail(s, TS_ERR_FORMAT, pos, "table size runs past end of file");
    t->pos = pos;
    t->vt = (size_t)vt;
    t->n_fields = (uint16_t)((vt_size - 4) / 2);
    t->size = t_size;
    return true;
}

/* Position of field `id` (width bytes) in table t; 0 when absent. False on a bad vtable
 * entry (field outside the table). */
static bool fld_pos(load_state *s, const fb_table *t, int id, size_t width, size_t *pos)
{
    uint16_t off;

    *pos = 0;
    if (id >= t->n_fields)
        return true;
    if (!rd_u16(&s->rd, t->vt + 4 + 2 * (size_t)id, &off))
        return fail(s, TS_ERR_FORMAT, t->vt, "vtable runs past end of file");
    if (off == 0)
        return true;
    if (off < 4 || (size_t)off + width > t->size)
        return fail(s, TS_ERR_FORMAT, t->vt, "vtable field offset outside its table");
    *pos = t->pos + off;
    return true;
}

static bool fld_u8(load_state *s, const fb_table *t, int id, uint8_t def, uint8_t *v)
{
    size_t p;

    *v = def;
    if (!fld_pos(s, t, id, 1, &p))
        return false;
    return p == 0 || rd_u8(&s->rd, p, v);
}

static bool fld_i32(load_state *s, const fb_table *t, int id, int32_t def, int32_t *v)
{
    size_t p;

    *v = def;
    if (!fld_pos(s, t, id, 4, &p))
        return false;
    return p == 0 || rd_i32(&s->rd, p, v);
}

static bool fld_u64(load_state *s, const fb_table *t, int id, uint64_t *v)
{
    size_t p;

    *v = 0;
    if (!fld_pos(s, t, id, 8, &p))
        return false;
    return p == 0 || rd_u64(&s->rd, p, v);
}

static bool fld_f32(load_state *s, const fb_table *t, int id, float def, float *v)
{
    size_t p;

    *v = def;
    if (!fld_pos(s, t, id, 4, &p))
        return false;
    return p == 0 || rd_f32(&s->rd, p, v);
}

/* Follows the uoffset stored at `at`; the target must lie forward, aligned, in the file. */
static bool follow(load_state *s, size_t at, size_t *target)
{
    uint32_t rel;

    if (!rd_u32(&s->rd, at, &rel))
        return fail(s, TS_ERR_FORMAT, at, "offset runs past end of file");
    if (rel == 0)
        return fail(s, TS_ERR_FORMAT, at, "offset 0 refers to itself (cycle)");
    if ((uint64_t)at + rel >= s->rd.len)
        return fail(s, TS_ERR_FORMAT, at, "offset points outside the file");
    *target = at + rel;
    if (*target % 4 != 0)
        return fail(s, TS_ERR_FORMAT, at, "offset target is not 4-byte aligned");
    return true;
}

/* Reference field `id`: *found false when absent. */
static bool fld_ref(load_state *s, const fb_table *t, int id, size_t *target, bool *found)
{
    size_t p;

    *found = false;
    if (!fld_pos(s, t, id, 4, &p))
        return false;
    if (p == 0)
        return true;
    *found = true;
    return follow(s, p, target);
}

/* Vector field of elements `elem` bytes wide; absent = empty. */
static bool fld_vec(load_state *s, const fb_table *t, int id, size_t elem, fb_vec *v)
{
    size_t at, bytes;
    bool found;
    char msg[96];

    v->pos = 0;
    v->n = 0;
    if (!fld_ref(s, t, id, &at, &found))
        return false;
    if (!found)
        return true;
    if (!rd_u32(&s->rd, at, &v->n))
        return fail(s, TS_ERR_FORMAT, at, "vector length runs past end of file");
    v->pos = at + 4;
    if (!ts_mul_size(v->n, elem, &bytes) || !rd_has(&s->rd, v->pos, bytes)) {
        snprintf(msg, sizeof msg, "vector length %u runs past end of file (%zu bytes)", v->n,
                 s->rd.len);
        return fail(s, TS_ERR_FORMAT, at, msg);
    }
    return charge(s, at, v->n);
}

/* String field, copied NUL-terminated into the model arena ("" when absent). */
static bool fld_str(load_state *s, const fb_table *t, int id, const char **out)
{
    fb_vec v;
    uint8_t nul;
    const uint8_t *bytes;
    char *copy;

    *out = "";
    if (!fld_vec(s, t, id, 1, &v))
        return false;
    if (v.pos == 0)
        return true;
    if (!rd_u8(&s->rd, v.pos + v.n, &nul) || nul != 0)
        return fail(s, TS_ERR_FORMAT, v.pos - 4, "string is not NUL-terminated");
    bytes = rd_view(&s->rd, v.pos, v.n);
    copy = ts_arena_strndup(s->m->arena, (const char *)bytes, v.n);
    if (!copy)
        return nomem(s);
    if (strlen(copy) != v.n)
        return fail(s, TS_ERR_FORMAT, v.pos - 4, "string contains a NUL byte");
    *out = copy;
    return true;
}

/* Element i of a vector of tables. */
static bool vec_table(load_state *s, const fb_vec *v, uint32_t i, fb_table *t)
{
    size_t target;

    return follow(s, v->pos + 4 * (size_t)i, &target) && tbl_open(s, target, t);
}

/* Copies an int32 vector into the arena (*out NULL when empty). */
static bool vec_i32_copy(load_state *s, const fb_vec *v, int32_t **out)
{
    int32_t *a;

    *out = NULL;
    if (v->n == 0)
        return true;
    a = ts_arena_array(s->m->arena, v->n, sizeof(int32_t));
    if (!a)
        return nomem(s);
    for (uint32_t i = 0; i < v->n; i++)
        rd_i32(&s->rd, v->pos + 4 * (size_t)i, &a[i]); /* bounds checked by fld_vec */
    *out = a;
    return true;
}

static bool read_buffer(load_state *s, const fb_table *t, ts_buffer_view *b)
{
    fb_vec data;
    uint64_t off, size;

    if (!fld_vec(s, t, 0, 1, &data) || !fld_u64(s, t, 1, &off) || !fld_u64(s, t, 2, &size))
        return false;
    if (data.n > 0) {
        b->data = rd_view(&s->rd, data.pos, data.n);
        b->size_bytes = data.n;
        b->file_offset = data.pos;
    } else if (off > 1) {
        if (off > s->rd.len || size > s->rd.len - off)
            return fail(s, TS_ERR_FORMAT, t->pos, "buffer offset/size points outside the file");
        b->data = rd_view(&s->rd, (size_t)off, (size_t)size);
        b->size_bytes = (size_t)size;
        b->file_offset = (size_t)off;
    }
    return true;
}

static bool read_buffers(load_state *s, const fb_table *model)
{
    fb_vec v;
    fb_table t;
    ts_model *m = s->m;

    if (!fld_vec(s, model, 4, 4, &v))
        return false;
    m->n_buffers = (int32_t)v.n;
    m->buffers = ts_arena_array(m->arena, v.n ? v.n : 1, sizeof(ts_buffer_view));
    if (!m->buffers)
        return nomem(s);
    for (uint32_t i = 0; i < v.n; i++)
        if (!vec_table(s, &v, i, &t) || !read_buffer(s, &t, &m->buffers[i]))
            return false;
    return true;
}

/* Operator codes, decoded to (builtin code, custom name, version). */
typedef struct opcode_ir {
    int32_t code;
    int32_t version;
    const char *custom;
} opcode_ir;

static bool read_opcodes(load_state *s, const fb_table *model, opcode_ir **out, uint32_t *n)
{
    fb_vec v;
    fb_table t;
    opcode_ir *codes;
    uint8_t dep;
    int32_t ext;

    if (!fld_vec(s, model, 1, 4, &v))
        return false;
    codes = ts_arena_array(s->m->arena, v.n ? v.n : 1, sizeof(opcode_ir));
    if (!codes)
        return nomem(s);
    for (uint32_t i = 0; i < v.n; i++) {
        if (!vec_table(s, &v, i, &t) || !fld_u8(s, &t, 0, 0, &dep) ||
            !fld_str(s, &t, 1, &codes[i].custom) || !fld_i32(s, &t, 2, 1, &codes[i].version) ||
            !fld_i32(s, &t, 3, 0, &ext))
            return false;
        /* The byte field holds codes < 127; newer files put larger codes in builtin_code. */
        codes[i].code = (int8_t)dep > ext ? (int8_t)dep : ext;
    }
    *out = codes;
    *n = v.n;
    return true;
}

static bool read_quant(load_state *s, const fb_table *tt, ts_tensor *t)
{
    fb_table q;
    fb_vec sc, zp;
    size_t at;
    bool found;
    float *scale;
    int32_t *zero;
    int64_t z;

    if (!fld_ref(s, tt, 4, &at, &found))
        return false;
    if (!found)
        return true;
    if (!tbl_open(s, at, &q) || !fld_vec(s, &q, 2, 4, &sc) || !fld_vec(s, &q, 3, 8, &zp) ||
        !fld_i32(s, &q, 6, 0, &t->quant.axis))
        return false;
    if (sc.n == 0)
        return true; /* min/max only, or custom details: not quantized for us */
    if (zp.n != 0 && zp.n != sc.n) {
        ts_err_set(s->err, TS_ERR_FORMAT,
                   "%s: tensor '%s': quantization has %u scales but %u zero points", s->src,
                   t->name, sc.n, zp.n);
        return false;
    }
    scale = ts_arena_array(s->m->arena, sc.n, sizeof(float));
    zero = ts_arena_array(s->m->arena, sc.n, sizeof(int32_t));
    if (!scale || !zero)
        return nomem(s);
    for (uint32_t i = 0; i < sc.n; i++) {
        rd_f32(&s->rd, sc.pos + 4 * (size_t)i, &scale[i]);
        z = 0;
        if (zp.n)
            rd_i64(&s->rd, zp.pos + 8 * (size_t)i, &z);
        if (z < INT32_MIN || z > INT32_MAX) {
            ts_err_set(s->err, TS_ERR_FORMAT,
                       "%s: tensor '%s': zero point %lld out of int32 range", s->src, t->name,
                       (long long)z);
            return false;
        }
        zero[i] = (int32_t)z;
    }
    t->quant.n = (int32_t)sc.n;
    t->quant.scale = scale;
    t->quant.zero_point = zero;
    return true;
}

static bool read_tensor(load_state *s, const fb_table *tt, ts_tensor *t, bool *sparse)
{
    fb_vec shape;
    uint8_t type, var;
    size_t at;

    if (!fld_str(s, tt, 3, &t->name) || !fld_vec(s, tt, 0, 4, &shape) ||
        !fld_u8(s, tt, 1, 0, &type) || !fld_i32(s, tt, 2, 0, (int32_t *)&t->buffer) ||
        !fld_u8(s, tt, 5, 0, &var) || !fld_ref(s, tt, 6, &at, sparse))
        return false;
    if (shape.n > TS_MAX_RANK) {
        ts_err_set(s->err, TS_ERR_FORMAT, "%s: tensor '%s': rank %u (expected at most %d)",
                   s->src, t->name, shape.n, TS_MAX_RANK);
        return false;
    }
    t->rank = (int32_t)shape.n;
    for (uint32_t i = 0; i < shape.n; i++)
        rd_i32(&s->rd, shape.pos + 4 * (size_t)i, &t->shape[i]);
    t->dtype = (ts_dtype)type;
    t->is_variable = var != 0;
    return read_quant(s, tt, t);
}

/* ---- operator kinds and builtin options ---- */

typedef enum opts_kind {
#define TFLITE_OPTS(name, type) OPTS_##name,
#include "tflite_opts.def"
#undef TFLITE_OPTS
    OPTS_COUNT
} opts_kind;

static const uint8_t opts_union_type[] = {
#define TFLITE_OPTS(name, type) type,
#include "tflite_opts.def"
#undef TFLITE_OPTS
};

typedef struct op_row {
    int32_t code;
    ts_op_kind kind;
    opts_kind opts;
    const char *name;
} op_row;

static const op_row op_rows[] = {
#define TFLITE_OP(code, kind, opts, name) {code, TS_OP_##kind, OPTS_##opts, name},
#include "tflite_ops.def"
#undef TFLITE_OP
};

static const op_row *find_op_row(int32_t code)
{
    for (size_t i = 0; i < sizeof op_rows / sizeof op_rows[0]; i++)
        if (op_rows[i].code == code)
            return &op_rows[i];
    return NULL;
}

static bool set_op_kind(load_state *s, ts_op *op, const char *custom)
{
    const op_row *row = find_op_row(op->builtin_code);
    const char *name;
    char buf[48];

    op->kind = row ? row->kind : TS_OP_UNSUPPORTED;
    if (row) {
        op->name = row->name;
        return true;
    }
    if (op->builtin_code == 32 /* CUSTOM */ && custom[0]) {
        op->is_custom = true;
        op->name = custom;
        return true;
    }
    name = ts_tflite_op_name(op->builtin_code);
    if (!name) {
        snprintf(buf, sizeof buf, "BUILTIN_%d", (int)op->builtin_code);
        name = ts_arena_strndup(s->m->arena, buf, strlen(buf));
        if (!name)
            return nomem(s);
    }
    op->name = name;
    return true;
}

/* The options table of op, when the file has one of the expected union type. */
static bool opts_table(load_state *s, const fb_table *ot, ts_op *op, opts_kind want,
                       fb_table *t, bool *found)
{
    uint8_t type;
    size_t at;

    *found = false;
    if (!fld_u8(s, ot, 3, 0, &type))
        return false;
    if (type == 0)
        return true;
    if (type != opts_union_type[want]) {
        ts_err_set(s->err, TS_ERR_FORMAT,
                   "%s: operator at offset 0x%zx (%s): builtin options type %u (expected %u)",
                   s->src, ot->pos, op->name, type, opts_union_type[want]);
        return false;
    }
    if (!fld_ref(s, ot, 4, &at, found))
        return false;
    return !*found || tbl_open(s, at, t);
}

static bool read_act(load_state *s, const fb_table *t, int id, ts_act *act)
{
    uint8_t v;

    if (!fld_u8(s, t, id, 0, &v))
        return false;
    *act = (ts_act)v;
    return true;
}

static bool read_padding(load_state *s, const fb_table *t, int id, ts_padding *pad)
{
    uint8_t v;

    if (!fld_u8(s, t, id, 0, &v))
        return false;
    *pad = (ts_padding)v;
    return true;
}

/* Conv2DOptions {0 padding, 1 stride_w, 2 stride_h, 3 act, 4 dilation_w=1, 5 dilation_h=1}
 * DepthwiseConv2DOptions {0 padding, 1 stride_w, 2 stride_h, 3 depth_multiplier, 4 act,
 * 5 dilation_w=1, 6 dilation_h=1} */
static bool read_conv_opts(load_state *s, const fb_table *t, bool dw, ts_conv_opts *o)
{
    int k = dw ? 1 : 0;

    if (!read_padding(s, t, 0, &o->padding) || !fld_i32(s, t, 1, 0, &o->stride_w) ||
        !fld_i32(s, t, 2, 0, &o->stride_h) || !read_act(s, t, 3 + k, &o->act) ||
        !fld_i32(s, t, 4 + k, 1, &o->dilation_w) || !fld_i32(s, t, 5 + k, 1, &o->dilation_h))
        return false;
    return !dw || fld_i32(s, t, 3, 0, &o->depth_multiplier);
}

/* Pool2DOptions {0 padding, 1 stride_w, 2 stride_h, 3 filter_width, 4 filter_height, 5 act} */
static bool read_pool_opts(load_state *s, const fb_table *t, ts_pool_opts *o)
{
    return read_padding(s, t, 0, &o->padding) && fld_i32(s, t, 1, 0, &o->stride_w) &&
           fld_i32(s, t, 2, 0, &o->stride_h) && fld_i32(s, t, 3, 0, &o->filter_w) &&
           fld_i32(s, t, 4, 0, &o->filter_h) && read_act(s, t, 5, &o->act);
}

/* FullyConnectedOptions {0 act, 1 weights_format, 2 keep_num_dims, 3 asymmetric_quantize} */
static bool read_fc_opts(load_state *s, const fb_table *t, ts_fc_opts *o)
{
    uint8_t fmt, keep, asym;

    if (!read_act(s, t, 0, &o->act) || !fld_u8(s, t, 1, 0, &fmt) || !fld_u8(s, t, 2, 0, &keep) ||
        !fld_u8(s, t, 3, 0, &asym))
        return false;
    o->weights_format = fmt;
    o->keep_num_dims = keep != 0;
    o->asymmetric_quantize_inputs = asym != 0;
    return true;
}

/* ReshapeOptions {0 new_shape:[int]} */
static bool read_reshape_opts(load_state *s, const fb_table *t, ts_reshape_opts *o)
{
    fb_vec v;
    int32_t *shape;

    if (!fld_vec(s, t, 0, 4, &v) || !vec_i32_copy(s, &v, &shape))
        return false;
    o->new_shape = shape;
    o->n_new_shape = (int32_t)v.n;
    return true;
}

/* StridedSliceOptions {0 begin_mask, 1 end_mask, 2 ellipsis_mask, 3 new_axis_mask,
 * 4 shrink_axis_mask, 5 offset:bool} */
static bool read_strided_slice_opts(load_state *s, const fb_table *t, ts_strided_slice_opts *o)
{
    uint8_t offset;

    if (!fld_i32(s, t, 0, 0, &o->begin_mask) || !fld_i32(s, t, 1, 0, &o->end_mask) ||
        !fld_i32(s, t, 2, 0, &o->ellipsis_mask) || !fld_i32(s, t, 3, 0, &o->new_axis_mask) ||
        !fld_i32(s, t, 4, 0, &o->shrink_axis_mask) || !fld_u8(s, t, 5, 0, &offset))
        return false;
    o->offset = offset != 0;
    return true;
}

/* The two bools of the resize options from field `first` on. */
static bool read_resize_opts(load_state *s, const fb_table *t, int first, ts_resize_opts *o)
{
    uint8_t a, h;

    if (!fld_u8(s, t, first, 0, &a) || !fld_u8(s, t, first + 1, 0, &h))
        return false;
    o->align_corners = a != 0, o->half_pixel_centers = h != 0;
    return true;
}

/* Decodes the options of a supported op. Absent options keep the schema defaults (zeros,
 * dilation 1), so e.g. a CONV_2D without options fails the stride check in model_check.c. */
static bool read_options(load_state *s, const fb_table *ot, ts_op *op)
{
    const op_row *row = find_op_row(op->builtin_code);
    fb_table t;
    bool found;
    uint8_t keep, pot;

    if (op->kind == TS_OP_UNSUPPORTED || !row)
        return true;
    if (row->opts == OPTS_CONV2D || row->opts == OPTS_DEPTHWISE ||
        row->opts == OPTS_TRANSPOSE_CONV)
        op->opts.conv.dilation_w = op->opts.conv.dilation_h = 1; /* schema defaults */
    if (row->opts == OPTS_NONE)
        return true;
    if (!opts_table(s, ot, op, row->opts, &t, &found))
        return false;
    if (!found)
        return true;
    switch (row->opts) {
    case OPTS_CONV2D:
    case OPTS_DEPTHWISE:
        return read_conv_opts(s, &t, row->opts == OPTS_DEPTHWISE, &op->opts.conv);
    case OPTS_POOL2D:
        return read_pool_opts(s, &t, &op->opts.pool);
    case OPTS_TRANSPOSE_CONV: /* TransposeConvOptions {0 padding, 1 stride_w, 2 stride_h,
                               * 3 act (version 4), 4 quantized_bias_type (int16 only)} */
        return read_padding(s, &t, 0, &op->opts.conv.padding) &&
               fld_i32(s, &t, 1, 0, &op->opts.conv.stride_w) &&
               fld_i32(s, &t, 2, 0, &op->opts.conv.stride_h) &&
               read_act(s, &t, 3, &op->opts.conv.act);
    case OPTS_FULLY_CONNECTED:
        return read_fc_opts(s, &t, &op->opts.fc);
    case OPTS_GATHER: /* GatherOptions {0 axis, 1 batch_dims} */
        return fld_i32(s, &t, 0, 0, &op->opts.gather.axis) &&
               fld_i32(s, &t, 1, 0, &op->opts.gather.batch_dims);
    case OPTS_PACK: /* PackOptions {0 values_count, 1 axis} */
        return fld_i32(s, &t, 0, 0, &op->opts.pack.values_count) &&
               fld_i32(s, &t, 1, 0, &op->opts.pack.axis);
    case OPTS_SPLIT: /* SplitOptions {0 num_splits} */
    case OPTS_SPLIT_V: /* SplitVOptions {0 num_splits} */
        return fld_i32(s, &t, 0, 0, &op->opts.split.num_splits);
    case OPTS_UNPACK: /* UnpackOptions {0 num, 1 axis} */
        return fld_i32(s, &t, 0, 0, &op->opts.unpack.num) &&
               fld_i32(s, &t, 1, 0, &op->opts.unpack.axis);
    case OPTS_STRIDED_SLICE:
        return read_strided_slice_opts(s, &t, &op->opts.strided_slice);
    case OPTS_BATCH_MATMUL: /* BatchMatMulOptions {0 adj_x, 1 adj_y, 2 asymmetric_q..} */
        if (!fld_u8(s, &t, 0, 0, &keep))
            return false;
        op->opts.bmm.adj_x = keep != 0;
        if (!fld_u8(s, &t, 1, 0, &keep))
            return false;
        op->opts.bmm.adj_y = keep != 0;
        return true;
    case OPTS_ARG_MAX: /* ArgMaxOptions {0 output_type:TensorType} */
    case OPTS_ARG_MIN: /* ArgMinOptions {0 output_type:TensorType} */
        if (!fld_u8(s, &t, 0, 0, &keep))
            return false;
        op->opts.arg.output_type = keep;
        return true;
    case OPTS_RESIZE_NEAREST: /* ResizeNearestNeighborOptions {0 align_corners,
                               * 1 half_pixel_centers} */
        return read_resize_opts(s, &t, 0, &op->opts.resize);
    case OPTS_RESIZE_BILINEAR: /* ResizeBilinearOptions {0 new_height, 1 new_width (both
                                * deprecated, ignored), 2 align_corners, 3 half_pixel_centers} */
        return read_resize_opts(s, &t, 2, &op->opts.resize);
    case OPTS_SHAPE: /* ShapeOptions {0 out_type:TensorType (byte)} */
        if (!fld_u8(s, &t, 0, 0, &keep))
            return false;
        op->opts.shape.out_type = keep;
        return true;
    case OPTS_SPACE_TO_DEPTH: /* SpaceToDepthOptions {0 block_size} */
    case OPTS_DEPTH_TO_SPACE: /* DepthToSpaceOptions {0 block_size} */
        return fld_i32(s, &t, 0, 0, &op->opts.block.block_size);
    case OPTS_SVDF: /* SVDFOptions {0 rank, 1 act, 2 asymmetric_quantize_inputs:bool} */
        if (!fld_i32(s, &t, 0, 0, &op->opts.svdf.rank) || !read_act(s, &t, 1, &op->opts.svdf.act) ||
            !fld_u8(s, &t, 2, 0, &keep))
            return false;
        op->opts.svdf.asymmetric_quantize_inputs = keep != 0;
        return true;
    case OPTS_UNI_LSTM: /* UnidirectionalSequenceLSTMOptions {0 act, 1 cell_clip:float,
                         * 2 proj_clip:float, 3 time_major:bool, 4 asymmetric_quantize_inputs,
                         * 5 diagonal_recurrent_tensors} */
        if (!read_act(s, &t, 0, &op->opts.lstm.act) ||
            !fld_f32(s, &t, 1, 0.0f, &op->opts.lstm.cell_clip) ||
            !fld_f32(s, &t, 2, 0.0f, &op->opts.lstm.proj_clip) || !fld_u8(s, &t, 3, 0, &keep))
            return false;
        op->opts.lstm.time_major = keep != 0;
        if (!fld_u8(s, &t, 4, 0, &keep))
            return false;
        op->opts.lstm.asymmetric_quantize_inputs = keep != 0;
        if (!fld_u8(s, &t, 5, 0, &keep))
            return false;
        op->opts.lstm.diagonal_recurrent_tensors = keep != 0;
        return true;
    case OPTS_LEAKY_RELU: /* LeakyReluOptions {0 alpha:float} */
        return fld_f32(s, &t, 0, 0.0f, &op->opts.leaky_relu.alpha);
    case OPTS_SOFTMAX: /* SoftmaxOptions {0 beta:float} */
        return fld_f32(s, &t, 0, 0.0f, &op->opts.softmax.beta);
    case OPTS_CONCATENATION: /* ConcatenationOptions {0 axis, 1 act} */
        return fld_i32(s, &t, 0, 0, &op->opts.concat.axis) && read_act(s, &t, 1, &op->opts.concat.act);
    case OPTS_ADD: /* AddOptions {0 act, 1 pot_scale_int16:bool = true} */
    case OPTS_SUB: /* SubOptions {0 act, 1 pot_scale_int16:bool = true} */
        if (!fld_u8(s, &t, 1, 1, &pot))
            return false;
        op->opts.eltwise.general_int16 = pot == 0;
        return read_act(s, &t, 0, &op->opts.eltwise.act);
    case OPTS_L2_NORM: /* L2NormOptions {0 act} */
    case OPTS_DIV: /* DivOptions {0 act} */
    case OPTS_MUL: /* MulOptions {0 act} */
        return read_act(s, &t, 0, &op->opts.eltwise.act);
    case OPTS_RESHAPE:
        return read_reshape_opts(s, &t, &op->opts.reshape);
    case OPTS_REDUCER: /* ReducerOptions {0 keep_dims:bool} */
        if (!fld_u8(s, &t, 0, 0, &keep))
            return false;
        op->opts.reducer.keep_dims = keep != 0;
        return true;
    case OPTS_NONE:
    case OPTS_PAD:
    case OPTS_QUANTIZE:
    case OPTS_DEQUANTIZE:
    case OPTS_MAXIMUM_MINIMUM:
    case OPTS_COUNT:
        break;
    }
    return true;
}

static bool read_operator(load_state *s, const fb_table *ot, const opcode_ir *codes,
                          uint32_t n_codes, ts_op *op)
{
    fb_vec in, out;
    int32_t *tmp;
    uint32_t idx;

    if (!fld_i32(s, ot, 0, 0, (int32_t *)&idx))
        return false;
    if (idx >= n_codes) {
        ts_err_set(s->err, TS_ERR_FORMAT,
                   "%s: operator at offset 0x%zx: opcode index %u, model has %u operator codes",
                   s->src, ot->pos, idx, n_codes);
        return false;
    }
    op->builtin_code = codes[idx].code;
    op->version = codes[idx].version;
    if (!fld_vec(s, ot, 1, 4, &in) || !fld_vec(s, ot, 2, 4, &out) || !vec_i32_copy(s, &in, &tmp))
        return false;
    op->inputs = tmp;
    op->n_inputs = (int32_t)in.n;
    if (!vec_i32_copy(s, &out, &tmp))
        return false;
    op->outputs = tmp;
    op->n_outputs = (int32_t)out.n;
    if (!fld_vec(s, ot, 8, 4, &in) || !vec_i32_copy(s, &in, &tmp))
        return false;
    op->intermediates = tmp;
    op->n_intermediates = (int32_t)in.n;
    return set_op_kind(s, op, codes[idx].custom) && read_options(s, ot, op);
}

static bool read_tensors(load_state *s, const fb_table *sg, ts_subgraph_ir *ir)
{
    fb_vec v;
    fb_table t;

    if (!fld_vec(s, sg, 0, 4, &v))
        return false;
    ir->tensors = ts_arena_array(s->m->arena, v.n ? v.n : 1, sizeof(ts_tensor));
    ir->tensor_sparse = ts_arena_array(s->m->arena, v.n ? v.n : 1, sizeof(bool));
    if (!ir->tensors || !ir->tensor_sparse)
        return nomem(s);
    for (uint32_t i = 0; i < v.n; i++)
        if (!vec_table(s, &v, i, &t) || !read_tensor(s, &t, &ir->tensors[i], &ir->tensor_sparse[i]))
            return false;
    ir->g.tensors = ir->tensors;
    ir->g.n_tensors = (int32_t)v.n;
    return true;
}

static bool read_subgraph(load_state *s, const fb_table *sg, const opcode_ir *codes,
                          uint32_t n_codes, ts_subgraph_ir *ir)
{
    fb_vec v;
    fb_table t;
    int32_t *tmp;

    if (!fld_str(s, sg, 4, &ir->g.name) || !read_tensors(s, sg, ir))
        return false;
    if (!fld_vec(s, sg, 1, 4, &v) || !vec_i32_copy(s, &v, &tmp))
        return false;
    ir->g.inputs = tmp;
    ir->g.n_inputs = (int32_t)v.n;
    if (!fld_vec(s, sg, 2, 4, &v) || !vec_i32_copy(s, &v, &tmp))
        return false;
    ir->g.outputs = tmp;
    ir->g.n_outputs = (int32_t)v.n;
    if (!fld_vec(s, sg, 3, 4, &v))
        return false;
    ir->ops = ts_arena_array(s->m->arena, v.n ? v.n : 1, sizeof(ts_op));
    if (!ir->ops)
        return nomem(s);
    for (uint32_t i = 0; i < v.n; i++)
        if (!vec_table(s, &v, i, &t) || !read_operator(s, &t, codes, n_codes, &ir->ops[i]))
            return false;
    ir->g.ops = ir->ops;
    ir->g.n_ops = (int32_t)v.n;
    return true;
}

static bool read_subgraphs(load_state *s, const fb_table *model, const opcode_ir *codes,
                           uint32_t n_codes)
{
    fb_vec v;
    fb_table t;
    ts_model *m = s->m;

    if (!fld_vec(s, model, 2, 4, &v))
        return false;
    if (v.n == 0)
        return fail(s, TS_ERR_FORMAT, model->pos, "model has no subgraph");
    if (v.n > MAX_SUBGRAPHS) {
        ts_err_set(s->err, TS_ERR_FORMAT, "%s: offset 0x%zx: %u subgraphs (expected at most %d)",
                   s->src, model->pos, v.n, MAX_SUBGRAPHS);
        return false;
    }
    m->subgraphs = ts_arena_array(m->arena, v.n, sizeof(ts_subgraph_ir));
    if (!m->subgraphs)
        return nomem(s);
    m->n_subgraphs = (int32_t)v.n;
    for (uint32_t i = 0; i < v.n; i++)
        if (!vec_table(s, &v, i, &t) || !read_subgraph(s, &t, codes, n_codes, &m->subgraphs[i]))
            return false;
    return true;
}

static bool read_metadata(load_state *s, const fb_table *model)
{
    fb_vec v;
    fb_table t;
    uint32_t buf;
    ts_model *m = s->m;

    if (!fld_vec(s, model, 6, 4, &v))
        return false;
    m->metadata = ts_arena_array(m->arena, v.n ? v.n : 1, sizeof(ts_metadata));
    if (!m->metadata)
        return nomem(s);
    for (uint32_t i = 0; i < v.n; i++) {
        ts_metadata *md = &m->metadata[i];
        if (!vec_table(s, &v, i, &t) || !fld_str(s, &t, 0, &md->name) ||
            !fld_i32(s, &t, 1, 0, (int32_t *)&buf))
            return false;
        if (buf >= (uint32_t)m->n_buffers) {
            ts_err_set(s->err, TS_ERR_FORMAT,
                       "%s: metadata %u ('%s'): buffer index %u, model has %d buffers", s->src,
                       i, md->name, buf, m->n_buffers);
            return false;
        }
        md->data = m->buffers[buf].data;
        md->size_bytes = m->buffers[buf].size_bytes;
    }
    m->n_metadata = (int32_t)v.n;
    return true;
}

/* Header first (Lua checkHeader habit), then the payload. */
static bool read_model(load_state *s)
{
    size_t root;
    fb_table model;
    opcode_ir *codes = NULL;
    uint32_t n_codes = 0;
    int32_t version;

    if (s->rd.len < 8) {
        ts_err_set(s->err, TS_ERR_FORMAT,
                   "%s: file too short for a FlatBuffer (expected at least 8 bytes, got %zu)",
                   s->src, s->rd.len);
        return false;
    }
    if (memcmp(rd_view(&s->rd, 4, 4), "TFL3", 4) != 0) {
        ts_err_set(s->err, TS_ERR_FORMAT, "%s: offset 0x4: file identifier is not TFL3 (not a "
                   ".tflite model)", s->src);
        return false;
    }
    if (!follow(s, 0, &root) || !tbl_open(s, root, &model))
        return false;
    if (!fld_i32(s, &model, 0, 0, &version) || !fld_str(s, &model, 3, &s->m->description))
        return false;
    s->m->version = (uint32_t)version;
    return read_buffers(s, &model) && read_opcodes(s, &model, &codes, &n_codes) &&
           read_subgraphs(s, &model, codes, n_codes) && read_metadata(s, &model);
}

static ts_status load_owned(ts_model *m, ts_err *err)
{
    load_state s;

    s.rd.base = m->file;
    s.rd.len = m->file_bytes;
    s.src = m->source;
    s.err = err;
    s.m = m;
    s.budget = (uint64_t)m->file_bytes * DECODE_BUDGET_PER_BYTE + DECODE_BUDGET_SLACK;
    s.nomem = false;
    if (!read_model(&s))
        return s.nomem ? TS_ERR_NOMEM : TS_ERR_FORMAT;
    return ts_model_check(m, err);
}

static ts_model *model_new(const char *source, size_t len)
{
    ts_model *m = ts_calloc(1, sizeof *m);

    if (!m)
        return NULL;
    m->source = ts_strdup(source);
    m->file = ts_malloc(len);
    m->arena = ts_arena_new();
    m->file_bytes = len;
    m->description = "";
    if (!m->source || !m->file || !m->arena) {
        ts_model_free(m);
        return NULL;
    }
    return m;
}

ts_status ts_model_load_buffer(const void *bytes, size_t len, const char *source, ts_model **out,
                               ts_err *err)
{
    ts_model *m;
    ts_status st;

    *out = NULL;
    if (len > TS_MODEL_MAX_BYTES)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: file is %zu bytes (limit %zu)", source, len,
                          TS_MODEL_MAX_BYTES);
    m = model_new(source, len);
    if (!m)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory loading the model", source);
    if (len)
        memcpy(m->file, bytes, len);
    st = load_owned(m, err);
    if (st != TS_OK) {
        ts_model_free(m);
        return st;
    }
    *out = m;
    return TS_OK;
}

void ts_model_free(ts_model *m)
{
    if (!m)
        return;
    ts_arena_free(m->arena);
    ts_free(m->file);
    ts_free(m->source);
    ts_free(m);
}
