/* gen_archs.c: named architectures (rows of gen_archs.def) built with the layer functions,
 * and the parser of arch specs ("ds_cnn", "conv:8,8,3,16,3,3,2,valid").
 * Layer: sim/gen. Never prints, exits or touches files. The MLPerf Tiny builders follow the
 * reference .tflite files op by op (op kinds, order, strides, padding, fused activations,
 * RESHAPE before the classifier), so their MAC totals equal the column in gen_archs.def. */
#include <stdio.h>
#include <string.h>

#include "gen_int.h"

#define MAX_SPEC_CHARS 128
#define MAX_FIELDS 8
#define MAX_FIELD_VALUE 65536

typedef ts_status (*build_fn)(ts_gen *g, const char *spec, const char *args, ts_err *err);

/* CONV_2D parameters with SAME padding. */
static ts_gen_conv conv_spec(int32_t out_c, int32_t kh, int32_t kw, int32_t stride, ts_act act)
{
    return (ts_gen_conv){.out_c = out_c, .kh = kh, .kw = kw, .stride_h = stride,
                         .stride_w = stride, .padding = TS_PAD_SAME, .act = act};
}

/* DEPTHWISE_CONV_2D 3x3, multiplier 1, SAME padding, ReLU (as in DS-CNN and MobileNetV1). */
static ts_gen_conv dw3_spec(int32_t stride)
{
    return (ts_gen_conv){.mult = 1, .kh = 3, .kw = 3, .stride_h = stride, .stride_w = stride,
                         .padding = TS_PAD_SAME, .act = TS_ACT_RELU};
}

/* Global AVERAGE_POOL_2D (VALID, stride = window), RESHAPE to [1,features], FULLY_CONNECTED
 * to `classes` without activation, SOFTMAX: the classifier tail of the MLPerf CNNs. */
static ts_status classifier(ts_gen *g, int32_t t, int32_t classes, ts_err *err)
{
    const ts_tensor *x = &g->tensors[t];
    ts_gen_pool pool = {.fh = x->shape[1], .fw = x->shape[2], .stride_h = x->shape[1],
                        .stride_w = x->shape[2], .padding = TS_PAD_VALID};
    int32_t flat[2] = {1, x->shape[3]};
    ts_status st = ts_gen_pool2d(g, t, &pool, &t, err);

    if (st == TS_OK)
        st = ts_gen_reshape(g, t, 2, flat, &t, err);
    if (st == TS_OK)
        st = ts_gen_fc(g, t, classes, TS_ACT_NONE, &t, err);
    if (st == TS_OK)
        st = ts_gen_softmax(g, t, &t, err);
    if (st == TS_OK)
        st = ts_gen_output(g, t, err);
    return st;
}

/* DS-CNN: conv 10x4/2 to 64 + ReLU; 4 x (depthwise 3x3 + pointwise 64, ReLU); classifier. */
static ts_status build_ds_cnn(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    static const int32_t in_shape[4] = {1, 49, 10, 1};
    ts_gen_conv first = conv_spec(64, 10, 4, 2, TS_ACT_RELU), dw = dw3_spec(1);
    ts_gen_conv pw = conv_spec(64, 1, 1, 1, TS_ACT_RELU);
    int32_t t;
    ts_status st = ts_gen_input(g, 4, in_shape, &t, err);

    (void)spec;
    (void)args;
    if (st == TS_OK)
        st = ts_gen_conv2d(g, t, &first, &t, err);
    for (int i = 0; i < 4 && st == TS_OK; i++) {
        st = ts_gen_dwconv2d(g, t, &dw, &t, err);
        if (st == TS_OK)
            st = ts_gen_conv2d(g, t, &pw, &t, err);
    }
    return st == TS_OK ? classifier(g, t, 12, err) : st;
}

/* MobileNetV1 alpha 0.25 at 96x96x3: conv 3x3/2 to 8, then 13 depthwise-separable blocks
 * (depthwise stride, pointwise channels below), classifier to 2 classes. All ReLU. */
static ts_status build_mobilenet_v1_025(ts_gen *g, const char *spec, const char *args,
                                        ts_err *err)
{
    static const int32_t in_shape[4] = {1, 96, 96, 3};
    static const int32_t blocks[13][2] = {{1, 16},  {2, 32},  {1, 32},  {2, 64},  {1, 64},
                                          {2, 128}, {1, 128}, {1, 128}, {1, 128}, {1, 128},
                                          {1, 128}, {2, 256}, {1, 256}};
    ts_gen_conv first = conv_spec(8, 3, 3, 2, TS_ACT_RELU), dw, pw;
    int32_t t;
    ts_status st = ts_gen_input(g, 4, in_shape, &t, err);

    (void)spec;
    (void)args;
    if (st == TS_OK)
        st = ts_gen_conv2d(g, t, &first, &t, err);
    for (int i = 0; i < 13 && st == TS_OK; i++) {
        dw = dw3_spec(blocks[i][0]);
        pw = conv_spec(blocks[i][1], 1, 1, 1, TS_ACT_RELU);
        st = ts_gen_dwconv2d(g, t, &dw, &t, err);
        if (st == TS_OK)
            st = ts_gen_conv2d(g, t, &pw, &t, err);
    }
    return st == TS_OK ? classifier(g, t, 2, err) : st;
}

/* One ResNet-8 stack: conv 3x3/stride + ReLU, conv 3x3 (no activation), optional 1x1/stride
 * projection of the stack input, ADD + ReLU (operand order as in the reference file). */
static ts_status res_stack(ts_gen *g, int32_t *t, int32_t ch, int32_t stride, ts_err *err)
{
    ts_gen_conv a = conv_spec(ch, 3, 3, stride, TS_ACT_RELU);
    ts_gen_conv b = conv_spec(ch, 3, 3, 1, TS_ACT_NONE);
    ts_gen_conv proj = conv_spec(ch, 1, 1, stride, TS_ACT_NONE);
    int32_t y, skip = *t;
    ts_status st = ts_gen_conv2d(g, *t, &a, &y, err);

    if (st == TS_OK)
        st = ts_gen_conv2d(g, y, &b, &y, err);
    if (st == TS_OK && stride != 1)
        st = ts_gen_conv2d(g, *t, &proj, &skip, err);
    if (st == TS_OK)
        st = ts_gen_add(g, skip, y, TS_ACT_RELU, t, err);
    return st;
}

/* ResNet-8: conv 3x3 to 16 + ReLU, stacks of 16 (/1), 32 (/2), 64 (/2), classifier to 10. */
static ts_status build_resnet8(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    static const int32_t in_shape[4] = {1, 32, 32, 3};
    ts_gen_conv first = conv_spec(16, 3, 3, 1, TS_ACT_RELU);
    int32_t t;
    ts_status st = ts_gen_input(g, 4, in_shape, &t, err);

    (void)spec;
    (void)args;
    if (st == TS_OK)
        st = ts_gen_conv2d(g, t, &first, &t, err);
    if (st == TS_OK)
        st = res_stack(g, &t, 16, 1, err);
    if (st == TS_OK)
        st = res_stack(g, &t, 32, 2, err);
    if (st == TS_OK)
        st = res_stack(g, &t, 64, 2, err);
    return st == TS_OK ? classifier(g, t, 10, err) : st;
}

/* A chain of FULLY_CONNECTED layers from [1,n_in]: ReLU on all but the last. */
static ts_status fc_chain(ts_gen *g, int32_t n_in, int32_t n, const int32_t *widths, ts_err *err)
{
    int32_t shape[2] = {1, n_in}, t;
    ts_status st = ts_gen_input(g, 2, shape, &t, err);

    for (int32_t i = 0; i < n && st == TS_OK; i++)
        st = ts_gen_fc(g, t, widths[i], i + 1 < n ? TS_ACT_RELU : TS_ACT_NONE, &t, err);
    return st == TS_OK ? ts_gen_output(g, t, err) : st;
}

static ts_status build_fc_autoencoder(ts_gen *g, const char *spec, const char *args,
                                      ts_err *err)
{
    static const int32_t widths[10] = {128, 128, 128, 128, 8, 128, 128, 128, 128, 640};

    (void)spec;
    (void)args;
    return fc_chain(g, 640, 10, widths, err);
}

static ts_status build_hello_world(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    static const int32_t widths[3] = {16, 16, 1};

    (void)spec;
    (void)args;
    return fc_chain(g, 1, 3, widths, err);
}

/* ---- parameterised single layers ---- */

typedef struct field {
    const char *s; /* start, inside the spec */
    size_t len;
} field;

/* Splits args at commas into lo..hi fields. */
static ts_status split(const char *spec, const char *args, int32_t lo, int32_t hi,
                       field f[MAX_FIELDS], int32_t *n, ts_err *err)
{
    int32_t count = *args ? 1 : 0;
    const char *p = args;

    for (const char *q = args; *q; q++)
        count += *q == ',';
    if (count < lo || count > hi) {
        if (lo == hi)
            return ts_err_set(err, TS_ERR_CONFIG,
                              "gen: %s: expected %d comma-separated fields (got %d)", spec, lo,
                              count);
        return ts_err_set(err, TS_ERR_CONFIG,
                          "gen: %s: expected %d to %d comma-separated fields (got %d)", spec, lo,
                          hi, count);
    }
    for (int32_t i = 0; i < count; i++) {
        f[i].s = p;
        f[i].len = strcspn(p, ",");
        p += f[i].len + 1;
    }
    *n = count;
    return TS_OK;
}

/* Field i as a decimal integer in [1, MAX_FIELD_VALUE]. */
static ts_status parse_int(const char *spec, const field *f, int32_t i, const char *what,
                           int32_t *out, ts_err *err)
{
    int32_t v = 0;
    bool digits = f->len > 0 && f->len <= 6;

    for (size_t k = 0; digits && k < f->len; k++) {
        digits = f->s[k] >= '0' && f->s[k] <= '9';
        v = v * 10 + (f->s[k] - '0');
    }
    if (!digits)
        return ts_err_set(err, TS_ERR_CONFIG,
                          "gen: %s: field %d (%s): expected a decimal integer (got \"%.*s\")", spec,
                          i + 1, what, (int)f->len, f->s);
    if (v < 1 || v > MAX_FIELD_VALUE)
        return ts_err_set(err, TS_ERR_RANGE, "gen: %s: field %d (%s): %d out of range [1, %d]",
                          spec, i + 1, what, v, MAX_FIELD_VALUE);
    *out = v;
    return TS_OK;
}

/* The n fields as integers named by `what`. */
static ts_status parse_ints(const char *spec, const field *f, int32_t n,
                            const char *const *what, int32_t *v, ts_err *err)
{
    ts_status st = TS_OK;

    for (int32_t i = 0; i < n && st == TS_OK; i++)
        st = parse_int(spec, &f[i], i, what[i], &v[i], err);
    return st;
}

static ts_status parse_padding(const char *spec, const field *f, int32_t i, ts_padding *pad,
                               ts_err *err)
{
    if (f->len == 4 && strncmp(f->s, "same", 4) == 0)
        *pad = TS_PAD_SAME;
    else if (f->len == 5 && strncmp(f->s, "valid", 5) == 0)
        *pad = TS_PAD_VALID;
    else
        return ts_err_set(err, TS_ERR_CONFIG,
                          "gen: %s: field %d (padding): expected same or valid (got \"%.*s\")",
                          spec, i + 1, (int)f->len, f->s);
    return TS_OK;
}

/* Input [1,H,W,C], one conv-like layer, output. */
static ts_status single_conv(ts_gen *g, bool dw, const int32_t hwc[3], const ts_gen_conv *c,
                             ts_err *err)
{
    int32_t shape[4] = {1, hwc[0], hwc[1], hwc[2]}, t;
    ts_status st = ts_gen_input(g, 4, shape, &t, err);

    if (st == TS_OK)
        st = dw ? ts_gen_dwconv2d(g, t, c, &t, err) : ts_gen_conv2d(g, t, c, &t, err);
    return st == TS_OK ? ts_gen_output(g, t, err) : st;
}

/* conv:H,W,C,K,KH,KW[,stride[,same|valid]] */
static ts_status build_conv(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    static const char *const what[7] = {"H", "W", "C", "K", "KH", "KW", "stride"};
    int32_t v[7] = {0, 0, 0, 0, 0, 0, 1}, n = 0;
    field f[MAX_FIELDS];
    ts_gen_conv c;
    ts_status st = split(spec, args, 6, 8, f, &n, err);

    if (st == TS_OK)
        st = parse_ints(spec, f, n < 7 ? n : 7, what, v, err);
    c = conv_spec(v[3], v[4], v[5], v[6], TS_ACT_NONE);
    if (st == TS_OK && n == 8)
        st = parse_padding(spec, &f[7], 7, &c.padding, err);
    return st == TS_OK ? single_conv(g, false, v, &c, err) : st;
}

/* dwconv:H,W,C,KH,KW[,stride[,mult]] */
static ts_status build_dwconv(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    static const char *const what[7] = {"H", "W", "C", "KH", "KW", "stride", "mult"};
    int32_t v[7] = {0, 0, 0, 0, 0, 1, 1}, n = 0;
    field f[MAX_FIELDS];
    ts_gen_conv c;
    ts_status st = split(spec, args, 5, 7, f, &n, err);

    if (st == TS_OK)
        st = parse_ints(spec, f, n, what, v, err);
    c = (ts_gen_conv){.mult = v[6], .kh = v[3], .kw = v[4], .stride_h = v[5], .stride_w = v[5],
                      .padding = TS_PAD_SAME, .act = TS_ACT_NONE};
    return st == TS_OK ? single_conv(g, true, v, &c, err) : st;
}

/* fc:IN,OUT */
static ts_status build_fc(ts_gen *g, const char *spec, const char *args, ts_err *err)
{
    static const char *const what[2] = {"IN", "OUT"};
    int32_t v[2] = {0, 0}, n = 0;
    field f[MAX_FIELDS];
    ts_status st = split(spec, args, 2, 2, f, &n, err);

    if (st == TS_OK)
        st = parse_ints(spec, f, n, what, v, err);
    return st == TS_OK ? fc_chain(g, v[0], 1, &v[1], err) : st;
}

/* ---- the table ---- */

#define build_op ts_gen_build_op /* gen_ops.c */

static const ts_gen_arch archs[] = {
#define GEN_ARCH(id, usage, macs, help) {#id, usage, help, macs},
#include "gen_archs.def"
#undef GEN_ARCH
};

static const build_fn builders[] = {
#define GEN_ARCH(id, usage, macs, help) build_##id,
#include "gen_archs.def"
#undef GEN_ARCH
};

#define N_ARCHS ((int32_t)(sizeof archs / sizeof archs[0]))

int32_t ts_gen_n_archs(void)
{
    return N_ARCHS;
}

const ts_gen_arch *ts_gen_arch_at(int32_t i)
{
    return i >= 0 && i < N_ARCHS ? &archs[i] : NULL;
}

/* Index of the arch named by spec[0..len), or an error listing the names. */
static ts_status find_arch(const char *spec, size_t len, int32_t *out, ts_err *err)
{
    char names[256] = "";
    size_t used = 0;

    for (int32_t i = 0; i < N_ARCHS; i++) {
        if (strlen(archs[i].name) == len && strncmp(archs[i].name, spec, len) == 0) {
            *out = i;
            return TS_OK;
        }
        if (used < sizeof names)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     archs[i].name);
    }
    return ts_err_set(err, TS_ERR_CONFIG, "gen: unknown architecture '%.*s' (expected one of %s)",
                      (int)len, spec, names);
}

/* Checks the spec's shape: length, known name, parameters iff the arch takes them. */
static ts_status check_spec(const char *spec, int32_t *arch, const char **args, ts_err *err)
{
    size_t len = strlen(spec), name_len = strcspn(spec, ":");
    bool takes;
    ts_status st;

    if (len > MAX_SPEC_CHARS)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: architecture spec of %zu characters (max %d)",
                          len, MAX_SPEC_CHARS);
    st = find_arch(spec, name_len, arch, err);
    if (st != TS_OK)
        return st;
    takes = strchr(archs[*arch].usage, ':') != NULL;
    *args = spec[name_len] ? spec + name_len + 1 : NULL;
    if (takes && !*args)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: missing parameters (expected %s)", spec,
                          archs[*arch].usage);
    if (!takes && *args)
        return ts_err_set(err, TS_ERR_CONFIG, "gen: %s: %s takes no parameters", spec,
                          archs[*arch].name);
    return TS_OK;
}

ts_status ts_gen_build(const char *spec, uint32_t seed, ts_gen **out, ts_err *err)
{
    char text[MAX_SPEC_CHARS + 64];
    const char *args = NULL;
    int32_t arch = 0;
    ts_gen *g = NULL;
    ts_status st = check_spec(spec, &arch, &args, err);

    *out = NULL;
    if (st == TS_OK)
        st = ts_gen_new(seed, &g, err);
    if (st == TS_OK) {
        snprintf(text, sizeof text, "generated by tinysim gen %s seed %u", spec, seed);
        st = ts_gen_set_description(g, text, err);
    }
    if (st == TS_OK)
        st = ts_gen_set_name(g, archs[arch].name, err);
    if (st == TS_OK)
        st = builders[arch](g, spec, args, err);
    if (st != TS_OK) {
        ts_gen_free(g);
        return st;
    }
    *out = g;
    return TS_OK;
}

ts_status ts_gen_spec_bytes(const char *spec, uint32_t seed, uint8_t **bytes, size_t *len,
                            ts_err *err)
{
    ts_gen *g;
    ts_status st = ts_gen_build(spec, seed, &g, err);

    if (st != TS_OK)
        return st;
    st = ts_gen_write(g, bytes, len, err);
    ts_gen_free(g);
    return st;
}
