/* tensor_io.h: the tensor files of `tinysim run` and `tinysim bench`: the --input,
 * --input-npy, --output and --output-npy options, reading an input file (raw little-endian
 * bytes or .npy, checked against the model's input), the default input, and writing outputs
 * (raw or .npy) all or nothing through outfiles. Layer: bench/ (prints its one error line via
 * cli.h). */
#ifndef TS_TENSOR_IO_H
#define TS_TENSOR_IO_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "opts.h"
#include "ref/ref.h"

#define TIO_MAX_FILES 16
#define TIO_MAX_FILE_BYTES ((size_t)1 << 30)

typedef struct tio_file {
    const char *path;
    int npy; /* .npy rather than raw bytes */
} tio_file;

typedef struct tio_args {
    tio_file in[TIO_MAX_FILES], out[TIO_MAX_FILES];
    int n_in, n_out;
} tio_args;

/* The four options as opts.h rows, ids base + TIO_OPT_*, each repeatable (one per model
 * input or output, in order): put TIO_OPTS(base) in a command's opts_spec table and pass the
 * occurrences to tio_option. */
enum { TIO_OPT_INPUT, TIO_OPT_INPUT_NPY, TIO_OPT_OUTPUT, TIO_OPT_OUTPUT_NPY, TIO_N_OPTS };
#define TIO_OPTS(base)                                                                        \
    {"--input", (base) + TIO_OPT_INPUT, OPTS_VALUE | OPTS_REPEAT, 0},                         \
    {"--input-npy", (base) + TIO_OPT_INPUT_NPY, OPTS_VALUE | OPTS_REPEAT, 0},                 \
    {"--output", (base) + TIO_OPT_OUTPUT, OPTS_VALUE | OPTS_REPEAT, 0},                       \
    {"--output-npy", (base) + TIO_OPT_OUTPUT_NPY, OPTS_VALUE | OPTS_REPEAT, 0}

/* Records occurrence `which` (TIO_OPT_*) of option `opt` with its value; returns the exit
 * status (2 with a message naming cmd, e.g. "bench", when there are too many files). */
int tio_option(tio_args *a, const char *cmd, int which, const char *opt, const char *value);

/* Checks every output path (outfiles_check) before the work that produces the outputs, so
 * that a bad path fails at once; returns the exit status. */
int tio_check_outputs(const tio_args *a);

/* The default input of run, bench and compare when no --input is given: the golden
 * manifest's xorshift32 rule, seed 1 (shared/golden 'rand1' cases): the state starts at
 * TIO_DEFAULT_STATE and advances once per element (13, 17, 5); int8 = (s >> 24) - 128,
 * uint8 = s >> 24, int16 and float16 = s >> 16 (every bit pattern), float32 = -1 + 2 *
 * (s >> 8) / 2^24; one generator fills the inputs in
 * order (pass the same *state for every input). buf: io->size_bytes zeroed bytes. */
#define TIO_DEFAULT_INPUT "xorshift32 seed 1"
#define TIO_DEFAULT_STATE (1u * 0x9E3779B9u)
void tio_default_input(const ts_ref_io *io, uint32_t *state, uint8_t *buf);

/* What a report names as a run's inputs: none (a model without inputs), the --input files,
 * or the default rule; `text` gives the text report's wording ("none (the model has no
 * inputs)", "from --input files", "xorshift32 seed 1 (golden manifest rand1 rule)"), else
 * JSON's ("none", "files", TIO_DEFAULT_INPUT). */
const char *tio_input_name(const tio_args *a, int32_t n_model_inputs, int text);

/* What each of several invocations in a row reads: "one input frame per invocation" when an
 * input holds one frame per invocation, else "the same input each time". */
const char *tio_invocation_inputs(const ts_ref *r);

/* The line of a single invocation of a model with state (variable tensors; none: nothing
 * printed): LABEL "1, state (N variable tensor(s)) as TFLite resets it; --invocations N
 * carries it". */
void tio_print_single_invocation(const char *label, const ts_ref *r);

/* Checks the file counts against the model: no inputs or one per model input, at most one
 * output file per model output. */
int tio_check_counts(const tio_args *a, const char *model, const ts_ref *r);

/* Reads a whole file (at most TIO_MAX_FILE_BYTES) into a ts_malloc'd buffer the caller frees. */
int tio_read_file(const char *path, uint8_t **out, size_t *len);

/* Reads input file i of a and checks it against input i of r (g: the model's graph, for the
 * shape in messages). *buf: the file (caller frees, also on error); *data: the tensor bytes
 * inside it, *frames of io.size_bytes: 1, or `invocations` when the file holds one frame per
 * invocation (raw: invocations x the tensor's bytes; .npy: invocations x its elements). */
int tio_read_input(const tio_args *a, int i, const ts_ref *r, const ts_graph *g,
                   int32_t invocations, uint8_t **buf, const uint8_t **data, int32_t *frames);

/* Writes output file n (n < a->n_out) from outs[n] (the bytes of output n of r), all files
 * or none. */
int tio_write_outputs(const tio_args *a, const ts_ref *r, const void *const *outs);

#endif
