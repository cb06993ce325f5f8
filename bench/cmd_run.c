/* cmd_run.c: `tinysim run MODEL.tflite [--input FILE]... [--input-npy FILE]...
 * [--output FILE]... [--output-npy FILE]... [--rounding single|double] [--kernels ref|simd]
 * [--quiet]`: host reference inference (sim/ref; int8 requantisation rounded as --rounding
 * says, single by default; int8 conv/dwconv/fc with the plain or the DSP-extension kernel
 * variant as --kernels says, ref by default, same outputs either way) on raw little-endian or
 * .npy inputs; prints each output (dtype, shape, values, dequantized values, arg-max) and saves
 * outputs. Without --input the inputs are bench's default, xorshift32 seed 1 (tensor_io.h), so
 * that run and bench agree. Layer: bench/ (prints, exits). Output paths are checked before the
 * model is loaded, and nothing is written unless the whole run succeeds (outfiles.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli.h"
#include "fmt.h"
#include "tensor_io.h"
#include "model/model.h"
#include "ref/ref.h"

#define RUN_MAX_PRINTED 64 /* values printed per output */

typedef struct run_opts {
    const char *model;
    tio_args io;       /* --input, --input-npy, --output, --output-npy */
    int quiet;
    ts_ref_opts ref;   /* --rounding, --kernels */
    unsigned long long invocations; /* --invocations N (0: not given, 1) */
} run_opts;

#define RUN_MAX_INVOCATIONS 1000000ull /* --invocations: a bound on run time */

/* --rounding VALUE: the int8 requantisation rounding of the reference executor. */
static int parse_rounding(const char *value, ts_ref_opts *ref)
{
    if (!strcmp(value, "single"))
        ref->rounding = TSK_ROUND_SINGLE;
    else if (!strcmp(value, "double"))
        ref->rounding = TSK_ROUND_DOUBLE;
    else
        return cli_usage_error("run: --rounding: unknown mode '%s' (expected single or double)",
                               value);
    return TS_EXIT_OK;
}

/* --kernels VALUE: the kernel variant of the reference executor. */
static int parse_kernels(const char *value, ts_ref_opts *ref)
{
    if (!ts_kernels_from_name(value, &ref->kernels))
        return cli_usage_error("run: --kernels: expected ref or simd, got '%s'", value);
    return TS_EXIT_OK;
}

/* --invocations N: how many inferences in a row (state carried, the same inputs). */
static int parse_invocations(const char *value, run_opts *o)
{
    return cli_parse_count("run", "--invocations", value, RUN_MAX_INVOCATIONS, &o->invocations);
}

enum { OPT_ROUNDING, OPT_KERNELS, OPT_QUIET, OPT_INVOCATIONS, OPT_IO };

static const opts_spec run_opts_spec[] = {
    {"--rounding", OPT_ROUNDING, OPTS_VALUE, 0},
    {"--kernels", OPT_KERNELS, OPTS_VALUE, 0},
    {"--quiet", OPT_QUIET, 0, 0},
    {"-q", OPT_QUIET, 0, 0},
    {"--invocations", OPT_INVOCATIONS, OPTS_VALUE, 0},
    TIO_OPTS(OPT_IO),
};

static int on_option(void *ctx, int id, const char *name, const char *v)
{
    run_opts *o = ctx;

    switch (id) {
    case OPTS_ARG:
        if (o->model)
            return cli_usage_error("run: more than one model given ('%s', '%s')", o->model, v);
        o->model = v;
        return TS_EXIT_OK;
    case OPT_ROUNDING: return parse_rounding(v, &o->ref);
    case OPT_KERNELS: return parse_kernels(v, &o->ref);
    case OPT_QUIET: o->quiet = 1; return TS_EXIT_OK;
    case OPT_INVOCATIONS: return parse_invocations(v, o);
    default: return tio_option(&o->io, "run", id - OPT_IO, name, v);
    }
}

static int parse_args(int argc, char **argv, run_opts *o)
{
    int rc = opts_parse("run", run_opts_spec, OPTS_N(run_opts_spec), argc, argv, 1, on_option, o);

    if (rc == TS_EXIT_OK && !o->model)
        rc = cli_usage_error("run: no model given (usage: tinysim run MODEL.tflite [--input "
                             "FILE]... [--output FILE]...)");
    return rc;
}

static const char *shape_of(const ts_model *m, const ts_ref_io *io, char *buf, size_t cap)
{
    return fmt_shape(buf, cap, &ts_model_graph(m)->tensors[io->tensor]);
}

static int load_inputs(const ts_model *m, ts_ref *r, const run_opts *o)
{
    int rc = TS_EXIT_OK;
    ts_err err;

    ts_err_clear(&err);
    for (int i = 0; i < o->io.n_in && rc == TS_EXIT_OK; i++) {
        uint8_t *buf = NULL;
        const uint8_t *data = NULL;
        int32_t frames = 1;
        ts_ref_io io;

        rc = tio_read_input(&o->io, i, r, ts_model_graph(m), (int32_t)o->invocations, &buf,
                            &data, &frames);
        ts_ref_input_info(r, i, &io);
        if (rc == TS_EXIT_OK && ts_ref_set_input_frames(r, i, data, io.size_bytes *
                                                        (size_t)frames, frames, &err) != TS_OK)
            rc = cli_report(&err);
        ts_free(buf);
    }
    return rc;
}

/* Without --input every input is the default of run and bench (tensor_io.h), so that both
 * commands give the same outputs. */
static int default_inputs(ts_ref *r, int quiet)
{
    uint32_t state = TIO_DEFAULT_STATE;
    ts_err err;

    ts_err_clear(&err);
    for (int i = 0; i < ts_ref_n_inputs(r); i++) {
        ts_ref_io io;
        uint8_t *buf;
        ts_status st;

        ts_ref_input_info(r, i, &io);
        if (!(buf = ts_calloc(1, io.size_bytes + 1)))
            return cli_usage_error("run: out of memory for input %d", i), TS_EXIT_FAIL;
        tio_default_input(&io, &state, buf);
        st = ts_ref_set_input(r, i, buf, io.size_bytes, &err);
        ts_free(buf);
        if (st != TS_OK)
            return cli_report(&err);
    }
    if (!quiet && ts_ref_n_inputs(r) == 0)
        printf("input: none (the model has no inputs)\n");
    else if (!quiet)
        printf("input: %s (the default of run and bench; --input FILE for your own)\n",
               TIO_DEFAULT_INPUT);
    return TS_EXIT_OK;
}

/* ---- printing ---- */

static double real_value(const ts_ref_io *io, const void *data, int64_t i, long *q)
{
    const uint8_t *b = data;
    int32_t v;
    float f;

    if (io->dtype == TS_DT_INT8 || io->dtype == TS_DT_UINT8) {
        *q = io->dtype == TS_DT_INT8 ? (long)(int8_t)b[i] : (long)b[i];
        return io->quantized ? (double)io->scale * (double)(*q - io->zero_point) : (double)*q;
    }
    if (io->dtype == TS_DT_INT16) {
        int16_t h;
        memcpy(&h, b + 2 * i, 2);
        *q = h;
        return io->quantized ? (double)io->scale * (double)(*q - io->zero_point) : (double)*q;
    }
    if (io->dtype == TS_DT_INT32) {
        memcpy(&v, b + 4 * i, 4);
        *q = v;
        return (double)v;
    }
    memcpy(&f, b + 4 * i, 4); /* float32: the only other dtype the executor produces */
    *q = 0;
    return (double)f;
}

/* Classifier-like: one row of 2..1000 scores produced by SOFTMAX/LOGISTIC, or of 2..32. */
static int is_classifier(const ts_graph *g, const ts_ref_io *io)
{
    int32_t last = io->rank > 0 ? io->shape[io->rank - 1] : 1;
    int by_prob = 0;

    for (int32_t k = 0; k < g->n_ops; k++)
        if (g->ops[k].n_outputs > 0 && g->ops[k].outputs[0] == io->tensor)
            by_prob = g->ops[k].kind == TS_OP_SOFTMAX || g->ops[k].kind == TS_OP_LOGISTIC;
    return last == io->n_elems && io->n_elems >= 2 &&
           (io->n_elems <= 32 || (by_prob && io->n_elems <= 1000));
}

static void print_values(const ts_ref_io *io, const void *data)
{
    int quantized = io->dtype == TS_DT_INT8 || io->dtype == TS_DT_UINT8 ||
                    io->dtype == TS_DT_INT16;
    int per_row = quantized ? 6 : 8;
    int64_t n = io->n_elems < RUN_MAX_PRINTED ? io->n_elems : RUN_MAX_PRINTED;

    for (int64_t i = 0; i < n; i++) {
        long q;
        double v = real_value(io, data, i, &q);
        if (i % per_row == 0)
            printf("  [%4lld]", (long long)i);
        if (quantized && io->quantized)
            printf(" %*ld (%7.3f)", io->dtype == TS_DT_INT16 ? 6 : 4, q, v);
        else if (io->dtype == TS_DT_INT32 || quantized)
            printf(" %ld", q);
        else
            printf(" %12.6g", v);
        if (i % per_row == per_row - 1 || i == n - 1)
            printf("\n");
    }
    if (n < io->n_elems)
        printf("  ... %lld more (use --output to save every value)\n",
               (long long)(io->n_elems - n));
}

static void print_output(const ts_model *m, const ts_ref *r, int i)
{
    ts_ref_io io;
    const void *data = ts_ref_output(r, i, NULL);
    char shape[64];

    ts_ref_output_info(r, i, &io);
    printf("output %d '%s': %s %s", i, io.name, ts_dtype_name(io.dtype),
           shape_of(m, &io, shape, sizeof shape));
    if (io.quantized)
        printf(", scale %.9g, zero point %d", (double)io.scale, (int)io.zero_point);
    printf("\n");
    print_values(&io, data);
    if (is_classifier(ts_model_graph(m), &io)) {
        int64_t best = 0;
        long q, qb;
        double vb = real_value(&io, data, 0, &qb);
        for (int64_t k = 1; k < io.n_elems; k++) {
            double v = real_value(&io, data, k, &q);
            if (v > vb)
                best = k, vb = v, qb = q;
        }
        printf("  arg-max: index %lld (%.6g)\n", (long long)best, vb);
    }
}

/* Writes the --output files (temporary files renamed into place only after all succeeded). */
static int write_outputs(const ts_ref *r, const run_opts *o)
{
    const void *outs[TIO_MAX_FILES];
    size_t bytes;

    for (int n = 0; n < o->io.n_out; n++)
        outs[n] = ts_ref_output(r, n, &bytes);
    return tio_write_outputs(&o->io, r, outs);
}

/* o->invocations inferences in a row: variable tensors (layer state) carry from one to the
 * next, every one reads the same inputs, or the next frame of inputs given one frame per
 * invocation; the outputs printed and saved are the last one's. */
static int invoke_n(ts_ref *r, const run_opts *o)
{
    unsigned long long n = o->invocations ? o->invocations : 1;
    ts_err err;

    ts_err_clear(&err);
    for (unsigned long long i = 0; i < n; i++)
        if (ts_ref_invoke(r, &err) != TS_OK)
            return cli_report(&err);
    if (!o->quiet && n > 1)
        printf("invocations: %llu in a row, %s, state carried; outputs of the last\n", n,
               tio_invocation_inputs(r));
    else if (!o->quiet)
        tio_print_single_invocation("invocations: ", r);
    return TS_EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
    run_opts o;
    ts_model *m = NULL;
    ts_ref *r = NULL;
    ts_err err;
    int rc;

    memset(&o, 0, sizeof o);
    ts_err_clear(&err);
    if ((rc = parse_args(argc, argv, &o)) != TS_EXIT_OK ||
        (rc = tio_check_outputs(&o.io)) != TS_EXIT_OK)
        return rc;
    if (ts_model_load_file(o.model, &m, &err) != TS_OK)
        return cli_report(&err);
    if (ts_ref_prepare_opts(m, &o.ref, &r, &err) != TS_OK) {
        rc = cli_report(&err);
        goto out_free_model;
    }
    if ((rc = tio_check_counts(&o.io, o.model, r)) != TS_EXIT_OK)
        goto out_free_ref;
    rc = o.io.n_in ? load_inputs(m, r, &o) : default_inputs(r, o.quiet);
    if (rc != TS_EXIT_OK)
        goto out_free_ref;
    if ((rc = invoke_n(r, &o)) != TS_EXIT_OK)
        goto out_free_ref;
    for (int i = 0; !o.quiet && i < ts_ref_n_outputs(r); i++)
        print_output(m, r, i);
    rc = write_outputs(r, &o);
out_free_ref:
    ts_ref_free(r);
out_free_model:
    ts_model_free(m);
    return rc;
}
