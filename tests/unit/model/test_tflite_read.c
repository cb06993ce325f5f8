/* Tests for sim/model/tflite_read.c + model_check.c against the generated corpus:
 * every tests/data/bad/NAME.tflite must fail with the status and message in NAME.expect,
 * every tests/data/good/NAME.tflite must load with the facts in its .expect, and the CLI
 * must turn a bad file into one "tinysim: " line on stderr and exit status 2. The corpus
 * comes from scripts/gen_bad_models.py. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, popen-style shell helpers */
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model_test.h"

#include <criterion/parameterized.h>

#define MAX_CASES 512

typedef struct corpus_case {
    char name[128]; /* file stem, e.g. "vector_length_absurd" */
    char dir[16];   /* "bad" or "good" */
} corpus_case;

typedef struct expectation {
    char line[4][320]; /* the .expect lines, newline stripped */
    int n_lines;
} expectation;

static int cmp_case(const void *a, const void *b)
{
    return strcmp(((const corpus_case *)a)->name, ((const corpus_case *)b)->name);
}

/* Lists the .tflite files of tests/data/<dir>, sorted; n = 0 when the folder is missing. */
static size_t list_corpus(const char *dir, corpus_case *cases, size_t max)
{
    char path[1024];
    DIR *d;
    struct dirent *e;
    size_t n = 0;

    snprintf(path, sizeof path, "%s/tests/data/%s", source_dir(), dir);
    if (!(d = opendir(path)))
        return 0;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t len = strlen(e->d_name);
        if (len <= 7 || len - 7 >= sizeof cases[n].name ||
            strcmp(e->d_name + len - 7, ".tflite") != 0)
            continue;
        memcpy(cases[n].name, e->d_name, len - 7);
        cases[n].name[len - 7] = '\0';
        snprintf(cases[n].dir, sizeof cases[n].dir, "%s", dir);
        n++;
    }
    closedir(d);
    qsort(cases, n, sizeof cases[0], cmp_case);
    return n;
}

static void free_cases(struct criterion_test_params *p)
{
    cr_free(p->params);
}

static struct criterion_test_params corpus_params(const char *dir)
{
    corpus_case *cases = cr_malloc(MAX_CASES * sizeof *cases);
    size_t n = list_corpus(dir, cases, MAX_CASES);

    return cr_make_param_array(corpus_case, cases, n, free_cases);
}

static void case_path(const corpus_case *c, const char *ext, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s/tests/data/%s/%s.%s", source_dir(), c->dir, c->name, ext);
    cr_assert(n > 0 && (size_t)n < size, "path too long for %s", c->name);
}

static void read_expect(const corpus_case *c, expectation *x)
{
    char path[1024];
    FILE *f;

    case_path(c, "expect", path, sizeof path);
    f = fopen(path, "r");
    cr_assert_not_null(f, "%s: no .expect file next to the .tflite", c->name);
    x->n_lines = 0;
    while (x->n_lines < 4 && fgets(x->line[x->n_lines], sizeof x->line[0], f)) {
        x->line[x->n_lines][strcspn(x->line[x->n_lines], "\n")] = '\0';
        x->n_lines++;
    }
    fclose(f);
    cr_assert_eq(strcmp(x->line[x->n_lines - 1], PROVENANCE), 0,
                 "%s.expect: last line is not the provenance line", c->name);
}

static ts_status status_by_name(const char *name)
{
    for (int s = 0; s < TS_N_STATUS; s++)
        if (strcmp(ts_status_name((ts_status)s), name) == 0)
            return (ts_status)s;
    cr_assert_fail("unknown status name '%s' in an .expect file", name);
    return TS_ERR_INTERNAL;
}

ParameterizedTestParameters(tflite_read, rejects_each_malformed_corpus_file_precisely)
{
    return corpus_params("bad");
}

ParameterizedTest(corpus_case *c, tflite_read, rejects_each_malformed_corpus_file_precisely)
{
    char path[1024];
    expectation x;
    ts_model *m = (ts_model *)1;
    ts_err err;
    ts_status st;

    read_expect(c, &x);
    cr_assert_eq(x.n_lines, 3, "%s.expect: expected 3 lines", c->name);
    case_path(c, "tflite", path, sizeof path);
    ts_err_clear(&err);
    st = ts_model_load_file(path, &m, &err);
    cr_assert_eq(st, status_by_name(x.line[0]), "%s: status %s, expected %s (%s)", c->name,
                 ts_status_name(st), x.line[0], err.msg);
    cr_expect_not_null(strstr(err.msg, x.line[1]), "%s: message\n  %s\nlacks\n  %s", c->name,
                       err.msg, x.line[1]);
    expect_clean_failure(st, m, &err, path, c->name);
}

ParameterizedTestParameters(tflite_read, loads_each_valid_corpus_file_with_its_facts)
{
    return corpus_params("good");
}

ParameterizedTest(corpus_case *c, tflite_read, loads_each_valid_corpus_file_with_its_facts)
{
    char path[1024];
    expectation x;
    ts_model *m = NULL;
    ts_err err;
    unsigned long long macs = 0;
    ts_status st;

    read_expect(c, &x);
    cr_assert_eq(x.n_lines, 4, "%s.expect: expected 4 lines", c->name);
    case_path(c, "tflite", path, sizeof path);
    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s: %s", c->name, err.msg);
    cr_assert_eq(sscanf(x.line[1], "macs %llu", &macs), 1);
    cr_expect_eq(graph_macs(ts_model_graph(m)), macs, "%s: MACs", c->name);
    st = ts_model_require_supported(m, &err);
    if (strcmp(x.line[2], "supported") == 0) {
        cr_expect_eq(st, TS_OK, "%s: %s", c->name, err.msg);
    } else {
        cr_expect_eq(st, TS_ERR_UNSUPPORTED, "%s: require_supported gave %s", c->name,
                     ts_status_name(st));
        cr_expect_not_null(strstr(err.msg, x.line[2] + strlen("unsupported ")),
                           "%s: '%s' does not name the op", c->name, err.msg);
    }
    walk_model(m);
    ts_model_free(m);
}

Test(tflite_read, corpus_has_a_file_for_every_malformed_input_class)
{
    static corpus_case cases[MAX_CASES];
    static const char *const required[] = {
        "empty", "short_header", "wrong_identifier", "root_offset_outside_file",
        "table_vtable_past_end", "vtable_field_outside_table", "root_offset_zero_cycle",
        "field_offset_zero_cycle", "root_offset_unaligned", "vector_length_absurd",
        "string_without_nul", "negative_dimension", "shape_product_overflows_int32",
        "tensor_buffer_index_out_of_range", "constant_data_smaller_than_shape",
        "constant_data_larger_than_shape", "quant_scale_count_not_channel_count",
        "quant_scales_and_zero_points_differ", "quant_dimension_outside_rank",
        "zero_point_outside_int8", "scale_zero", "scale_nan", "opcode_index_out_of_range",
        "op_input_index_out_of_range", "subgraph_output_index_out_of_range", "no_subgraphs",
        "conv_stride_zero", "conv_filter_shape_mismatch", "wrong_builtin_options_type",
        "unknown_element_type", "sparse_constant_tensor", "shared_offsets_amplify"};
    size_t n = list_corpus("bad", cases, MAX_CASES);

    cr_assert_gt(n, 0, "no files in %s/tests/data/bad", source_dir());
    for (size_t r = 0; r < sizeof required / sizeof required[0]; r++) {
        size_t i = 0;
        while (i < n && strcmp(cases[i].name, required[r]) != 0)
            i++;
        cr_expect_lt(i, n, "tests/data/bad/%s.tflite is missing", required[r]);
    }
}

Test(tflite_read, unsupported_op_loads_but_is_refused_by_name)
{
    char path[1024];
    ts_model *m = NULL;
    ts_err err;

    snprintf(path, sizeof path, "%s/tests/data/good/unsupported_op.tflite", source_dir());
    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(ts_model_graph(m)->ops[2].kind, TS_OP_UNSUPPORTED);
    cr_expect_str_eq(ts_model_graph(m)->ops[2].name, "SIN");
    cr_expect_eq(ts_model_require_supported(m, &err), TS_ERR_UNSUPPORTED);
    cr_expect_not_null(strstr(err.msg, ": op 2 (SIN): operator not supported"), "%s", err.msg);
    ts_model_free(m);
}

Test(tflite_read, buffer_loads_name_their_source_in_messages)
{
    static const unsigned char junk[16] = "0000XXXX00000000";
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_model_load_buffer(junk, sizeof junk, "mem.tflite", &m, &err),
                 TS_ERR_FORMAT);
    cr_expect_str_eq(err.msg, "mem.tflite: offset 0x4: file identifier is not TFL3 (not a "
                              ".tflite model)");
    cr_expect_null(m);
}

Test(tflite_read, missing_file_is_an_io_error_naming_the_path)
{
    ts_model *m = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_model_load_file("/nonexistent/x.tflite", &m, &err), TS_ERR_IO);
    cr_expect_eq(strncmp(err.msg, "/nonexistent/x.tflite: cannot open", 34), 0, "%s", err.msg);
    cr_expect_null(m);
}

/* ---- the CLI's error contract ---- */

/* Runs `$TS_TINYSIM inspect path`; returns the exit status, stderr into buf. */
static int run_inspect(const char *path, char *buf, size_t size)
{
    const char *exe = getenv("TS_TINYSIM");
    char errfile[] = "/tmp/ts_model_cli_XXXXXX", cmd[2048];
    int fd, rc;
    FILE *f;
    size_t n;

    if (!exe || !exe[0] || access(exe, X_OK) != 0)
        cr_skip_test("TS_TINYSIM not set or not executable: CLI not built");
    cr_assert_neq(fd = mkstemp(errfile), -1);
    close(fd);
    snprintf(cmd, sizeof cmd, "'%s' inspect '%s' >/dev/null 2>'%s'", exe, path, errfile);
    rc = system(cmd);
    f = fopen(errfile, "r");
    cr_assert_not_null(f);
    n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    unlink(errfile);
    cr_assert(WIFEXITED(rc), "%s: tinysim did not exit normally (signal?)", path);
    return WEXITSTATUS(rc);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

Test(tflite_read, cli_reports_each_bad_file_in_one_line_with_exit_status_2)
{
    static corpus_case cases[MAX_CASES];
    size_t n = list_corpus("bad", cases, MAX_CASES);
    char path[1024], out[4096];

    cr_assert_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        int rc;
        case_path(&cases[i], "tflite", path, sizeof path);
        rc = run_inspect(path, out, sizeof out);
        cr_expect_eq(rc, 2, "%s: exit status %d (expected 2): %s", cases[i].name, rc, out);
        cr_expect_eq(count_lines(out), 1, "%s: stderr has %zu lines:\n%s", cases[i].name,
                     count_lines(out), out);
        cr_expect_eq(strncmp(out, "tinysim: ", 9), 0, "%s: stderr '%s'", cases[i].name, out);
    }
}

Test(tflite_read, cli_inspects_a_valid_model_with_exit_status_0)
{
    char path[1024], out[4096];

    snprintf(path, sizeof path, "%s/tests/data/good/conv_fc_int8.tflite", source_dir());
    cr_expect_eq(run_inspect(path, out, sizeof out), 0, "stderr: %s", out);
    cr_expect_str_eq(out, "");
}
