/* tensor_io.c: tensor files shared by `run` and `bench` (see tensor_io.h). Layer: bench/. */
#include "tensor_io.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/file.h"
#include "cli.h"
#include "fmt.h"
#include "outfiles.h"

static int add_file(tio_file *list, int *n, const char *cmd, const char *opt, const char *path,
                    int npy)
{
    if (*n >= TIO_MAX_FILES)
        return cli_usage_error("%s: more than %d %s files", cmd, TIO_MAX_FILES, opt);
    list[(*n)++] = (tio_file){path, npy};
    return TS_EXIT_OK;
}

int tio_option(tio_args *a, const char *cmd, int which, const char *opt, const char *value)
{
    int npy = which == TIO_OPT_INPUT_NPY || which == TIO_OPT_OUTPUT_NPY;

    assert(which >= 0 && which < TIO_N_OPTS);
    if (which == TIO_OPT_INPUT || which == TIO_OPT_INPUT_NPY)
        return add_file(a->in, &a->n_in, cmd, opt, value, npy);
    return add_file(a->out, &a->n_out, cmd, opt, value, npy);
}

int tio_check_outputs(const tio_args *a)
{
    int rc = TS_EXIT_OK;

    for (int n = 0; n < a->n_out && rc == TS_EXIT_OK; n++)
        rc = outfiles_check(a->out[n].path);
    return rc;
}

static uint32_t xorshift32(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

const char *tio_input_name(const tio_args *a, int32_t n_model_inputs, int text)
{
    if (n_model_inputs == 0)
        return text ? "none (the model has no inputs)" : "none";
    if (a->n_in)
        return text ? "from --input files" : "files";
    return text ? TIO_DEFAULT_INPUT " (golden manifest rand1 rule)" : TIO_DEFAULT_INPUT;
}

const char *tio_invocation_inputs(const ts_ref *r)
{
    for (int32_t i = 0; i < ts_ref_n_inputs(r); i++)
        if (ts_ref_input_frames(r, i) > 1)
            return "one input frame per invocation";
    return "the same input each time";
}

void tio_print_single_invocation(const char *label, const ts_ref *r)
{
    int32_t n = ts_graph_n_variables(ts_ref_graph(r));

    if (n > 0)
        printf("%s1, state (%d variable tensor%s) as TFLite resets it; --invocations N carries "
               "it\n", label, (int)n, n == 1 ? "" : "s");
}

void tio_default_input(const ts_ref_io *io, uint32_t *state, uint8_t *buf)
{
    for (int64_t k = 0; k < io->n_elems; k++) {
        uint32_t s = xorshift32(state);
        if (io->dtype == TS_DT_FLOAT32) {
            float f = (float)(-1.0 + 2.0 * (double)(s >> 8) / 16777216.0);
            memcpy(buf + 4 * k, &f, 4);
        } else if (io->dtype == TS_DT_INT8) {
            buf[k] = (uint8_t)(int8_t)((int32_t)(s >> 24) - 128);
        } else if (io->dtype == TS_DT_UINT8) {
            buf[k] = (uint8_t)(s >> 24);
        } else if (io->dtype == TS_DT_INT16 || io->dtype == TS_DT_FLOAT16) { /* bits 31..16 */
            buf[2 * k] = (uint8_t)(s >> 16);
            buf[2 * k + 1] = (uint8_t)(s >> 24);
        } else {
            buf[k * (int64_t)ts_dtype_size(io->dtype)] = (uint8_t)(s >> 24);
        }
    }
}

int tio_check_counts(const tio_args *a, const char *model, const ts_ref *r)
{
    if (a->n_in != 0 && a->n_in != ts_ref_n_inputs(r))
        return cli_usage_error("%s: model has %d input%s, %d given", model, ts_ref_n_inputs(r),
                               ts_ref_n_inputs(r) == 1 ? "" : "s", a->n_in);
    if (a->n_out > ts_ref_n_outputs(r))
        return cli_usage_error("%s: model has %d output%s, %d output files given", model,
                               ts_ref_n_outputs(r), ts_ref_n_outputs(r) == 1 ? "" : "s",
                               a->n_out);
    return TS_EXIT_OK;
}

int tio_read_file(const char *path, uint8_t **out, size_t *len)
{
    ts_err err;

    ts_err_clear(&err);
    if (ts_file_read(path, TIO_MAX_FILE_BYTES, out, len, &err) != TS_OK)
        return cli_report(&err);
    return TS_EXIT_OK;
}

int tio_read_input(const tio_args *a, int i, const ts_ref *r, const ts_graph *g,
                   int32_t invocations, uint8_t **buf, const uint8_t **data, int32_t *frames)
{
    const tio_file *fa = &a->in[i];
    ts_ref_io io;
    ts_npy npy;
    ts_err err;
    char shape[64];
    size_t len;
    int rc;

    ts_err_clear(&err);
    if ((rc = tio_read_file(fa->path, buf, &len)) != TS_EXIT_OK)
        return rc;
    ts_ref_input_info(r, i, &io);
    fmt_shape(shape, sizeof shape, &g->tensors[io.tensor]);
    *frames = 1;
    if (!fa->npy) {
        if (invocations > 1 && len == io.size_bytes * (size_t)invocations)
            *frames = invocations;
        else if (len != io.size_bytes && invocations > 1)
            return cli_usage_error("%s: input %d ('%s'): %zu bytes (expected %zu for %s %s, or "
                                   "%d x %zu: one frame per invocation)", fa->path, i, io.name,
                                   len, io.size_bytes, ts_dtype_name(io.dtype), shape,
                                   (int)invocations, io.size_bytes);
        else if (len != io.size_bytes)
            return cli_usage_error("%s: input %d ('%s'): %zu bytes (expected %zu for %s %s)",
                                   fa->path, i, io.name, len, io.size_bytes,
                                   ts_dtype_name(io.dtype), shape);
        *data = *buf;
        return TS_EXIT_OK;
    }
    if (ts_npy_parse(*buf, len, fa->path, &npy, &err) != TS_OK)
        return cli_report(&err);
    if (npy.dtype != io.dtype)
        return cli_usage_error("%s: input %d ('%s'): dtype %s (expected %s)", fa->path, i,
                               io.name, ts_dtype_name(npy.dtype), ts_dtype_name(io.dtype));
    if (invocations > 1 && npy.n_elems == io.n_elems * invocations)
        *frames = invocations;
    else if (npy.n_elems != io.n_elems)
        return cli_usage_error("%s: input %d ('%s'): %lld elements (expected %lld for %s)",
                               fa->path, i, io.name, (long long)npy.n_elems,
                               (long long)io.n_elems, shape);
    *data = npy.data;
    return TS_EXIT_OK;
}

/* Stages output n as raw bytes or .npy (header, then the same bytes). */
static int stage_output(outfiles *files, const tio_file *fa, const ts_ref *r, int n,
                        const void *data)
{
    ts_ref_io io;
    size_t hlen = 0;
    char header[512];
    ts_err err;

    ts_err_clear(&err);
    ts_ref_output_info(r, n, &io);
    if (fa->npy && ts_npy_header(io.dtype, io.rank, io.shape, header, sizeof header, &hlen,
                                 &err) != TS_OK)
        return cli_report(&err);
    return outfiles_stage(files, fa->path, header, hlen, data, io.size_bytes);
}

int tio_write_outputs(const tio_args *a, const ts_ref *r, const void *const *outs)
{
    outfiles files = {0};
    int rc = TS_EXIT_OK;

    for (int n = 0; n < a->n_out && rc == TS_EXIT_OK; n++)
        rc = stage_output(&files, &a->out[n], r, n, outs[n]);
    if (rc != TS_EXIT_OK) {
        outfiles_abort(&files);
        return rc;
    }
    return outfiles_commit(&files);
}
