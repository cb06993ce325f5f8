/* CLI tests of `tinysim run` (bench/cmd_run.c) through popen: raw and .npy round trips against
 * the in-process executor, printed output, and bad inputs (wrong size, dtype, missing file,
 * malformed .npy header): exit status 2, one `tinysim: FILE: ...` line, no file left behind.
 * The model is a generated single FC layer (sim/gen), so no shared data is needed. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_run.h"
#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/ref/ref.h"

typedef struct fixture {
    char dir[256];
    char model[300];
    int8_t input[8];
    int8_t expect[4]; /* the in-process executor's output for input */
} fixture;

/* Generates fc:8,4, writes it, and runs it in process on a fixed input. */
static void setup(fixture *fx)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    ts_model *m = NULL;
    ts_ref *r = NULL;
    ts_err err;

    snprintf(fx->dir, sizeof fx->dir, "/tmp/ts_ref_cli_XXXXXX");
    cr_assert_not_null(mkdtemp(fx->dir));
    snprintf(fx->model, sizeof fx->model, "%s/fc.tflite", fx->dir);
    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("fc:8,4", 3, &bytes, &len, &err), TS_OK, "%s", err.msg);
    cli_write_file(fx->model, bytes, len);
    for (int i = 0; i < 8; i++)
        fx->input[i] = (int8_t)(i * 29 - 100);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "fc", &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_set_input(r, 0, fx->input, 8, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(fx->expect, ts_ref_output(r, 0, NULL), 4);
    ts_ref_free(r);
    ts_model_free(m);
    ts_free(bytes);
}

static void teardown(fixture *fx)
{
    char cmd[512];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    cr_assert_eq(system(cmd), 0);
}

/* Runs "$TS_TINYSIM run <args>" with stderr captured into err; returns the exit status. */
static int run_cli(const fixture *fx, const char *args, char *out, size_t out_cap, char *err,
                   size_t err_cap)
{
    const char *bin = getenv("TS_TINYSIM");
    char cmd[4096], errpath[300];
    FILE *p;
    size_t n;
    int st;

    cr_assert_not_null(bin, "TS_TINYSIM is not set (run the suite through ctest)");
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", fx->dir);
    snprintf(cmd, sizeof cmd, "'%s' run %s 2>'%s'", bin, args, errpath);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    n = fread(out, 1, out_cap - 1, p);
    out[n] = '\0';
    st = pclose(p);
    n = cli_read_file(errpath, (uint8_t *)err, err_cap - 1);
    err[n] = '\0';
    unlink(errpath);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Names of the files in the fixture folder other than the model and the inputs. */
static int stray_files(const fixture *fx, char *names, size_t cap)
{
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    int n = 0;

    cr_assert_not_null(d);
    names[0] = '\0';
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, "out", 3) != 0)
            continue;
        n++;
        strncat(names, e->d_name, cap - strlen(names) - 2);
        strncat(names, " ", cap - strlen(names) - 1);
    }
    closedir(d);
    return n;
}

static void write_npy(const char *path, ts_dtype dt, int32_t rank, const int32_t *shape,
                      const void *data, size_t len)
{
    char buf[512];
    size_t h = 0;

    cr_assert_eq(ts_npy_header(dt, rank, shape, buf, sizeof buf, &h, NULL), TS_OK);
    memcpy(buf + h, data, len);
    cli_write_file(path, buf, h + len);
}

static void expect_bad_input(fixture *fx, const char *args, const char *file, const char *needle)
{
    char out[4096], err[1024], stray[512], prefix[400];
    int st = run_cli(fx, args, out, sizeof out, err, sizeof err);

    snprintf(prefix, sizeof prefix, "tinysim: %s: ", file);
    cr_expect_eq(st, 2, "exit %d, stderr: %s", st, err);
    cr_expect_eq(strncmp(err, prefix, strlen(prefix)), 0, "stderr '%s' lacks '%s'", err, prefix);
    cr_expect(strstr(err, needle), "stderr '%s' lacks '%s'", err, needle);
    cr_expect(strchr(err, '\n') == err + strlen(err) - 1, "not one line: '%s'", err);
    cr_expect_eq(stray_files(fx, stray, sizeof stray), 0, "left behind: %s", stray);
}

Test(cli_run, round_trips_a_raw_input_to_a_raw_output)
{
    fixture fx;
    char args[2048], out[4096], err[1024], in[320], res[320];
    uint8_t got[16];

    setup(&fx);
    snprintf(in, sizeof in, "%s/in.bin", fx.dir);
    snprintf(res, sizeof res, "%s/out.bin", fx.dir);
    cli_write_file(in, fx.input, 8);
    snprintf(args, sizeof args, "'%s' --input '%s' --output '%s'", fx.model, in, res);
    cr_assert_eq(run_cli(&fx, args, out, sizeof out, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cli_read_file(res, got, sizeof got), 4);
    cr_assert_arr_eq(got, fx.expect, 4);
    cr_expect(strstr(out, "output 0 '"), "%s", out);
    cr_expect(strstr(out, "int8 [1,4]"), "%s", out);
    cr_expect(strstr(out, "arg-max: index"), "%s", out);
    teardown(&fx);
}

Test(cli_run, reads_and_writes_npy)
{
    fixture fx;
    const int32_t shape[2] = {1, 8};
    char args[2048], out[4096], err[1024], in[320], res[320];
    uint8_t got[256];
    ts_npy npy;
    size_t n;

    setup(&fx);
    snprintf(in, sizeof in, "%s/in.npy", fx.dir);
    snprintf(res, sizeof res, "%s/out.npy", fx.dir);
    write_npy(in, TS_DT_INT8, 2, shape, fx.input, 8);
    snprintf(args, sizeof args, "'%s' --input-npy '%s' --output-npy '%s' --quiet", fx.model,
             in, res);
    cr_assert_eq(run_cli(&fx, args, out, sizeof out, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(out, "");
    n = cli_read_file(res, got, sizeof got);
    cr_assert_eq(ts_npy_parse(got, n, "out.npy", &npy, NULL), TS_OK);
    cr_assert_eq(npy.dtype, TS_DT_INT8);
    cr_assert_eq(npy.rank, 2);
    cr_assert_eq(npy.shape[1], 4);
    cr_assert_arr_eq(npy.data, fx.expect, 4);
    teardown(&fx);
}

Test(cli_run, rejects_a_bad_npy_header_and_writes_nothing)
{
    fixture fx;
    char args[2048], in[320];
    uint8_t bad[64] = "\x93NUMPY\x01\x00\x36\x00{'descr': '|i1', 'fortran_order': False, ";

    setup(&fx);
    snprintf(in, sizeof in, "%s/in.npy", fx.dir);
    cli_write_file(in, bad, sizeof bad);
    snprintf(args, sizeof args, "'%s' --input-npy '%s' --output-npy '%s/out.npy'", fx.model,
             in, fx.dir);
    expect_bad_input(&fx, args, in, "header");
    teardown(&fx);
}

Test(cli_run, rejects_a_raw_input_of_the_wrong_size_and_writes_nothing)
{
    fixture fx;
    char args[2048], in[320];

    setup(&fx);
    snprintf(in, sizeof in, "%s/in.bin", fx.dir);
    cli_write_file(in, fx.input, 7);
    snprintf(args, sizeof args, "'%s' --input '%s' --output '%s/out.bin'", fx.model, in, fx.dir);
    expect_bad_input(&fx, args, in, "7 bytes (expected 8 for int8 [1,8])");
    teardown(&fx);
}

Test(cli_run, rejects_an_npy_of_the_wrong_dtype)
{
    fixture fx;
    const int32_t shape[2] = {1, 8};
    const float x[8] = {0};
    char args[2048], in[320];

    setup(&fx);
    snprintf(in, sizeof in, "%s/in.npy", fx.dir);
    write_npy(in, TS_DT_FLOAT32, 2, shape, x, sizeof x);
    snprintf(args, sizeof args, "'%s' --input-npy '%s' --output '%s/out.bin'", fx.model, in,
             fx.dir);
    expect_bad_input(&fx, args, in, "dtype float32 (expected int8)");
    teardown(&fx);
}

Test(cli_run, rejects_a_missing_input_file)
{
    fixture fx;
    char args[2048], in[320];

    setup(&fx);
    snprintf(in, sizeof in, "%s/absent.bin", fx.dir);
    snprintf(args, sizeof args, "'%s' --input '%s' --output '%s/out.bin'", fx.model, in, fx.dir);
    expect_bad_input(&fx, args, in, "cannot open (No such file or directory)");
    teardown(&fx);
}

/* Runs the fixture model in process in `mode` on input. */
static void run_in_process(const fixture *fx, tsk_rounding mode, const int8_t *input,
                           int8_t *output)
{
    const ts_ref_opts o = {.rounding = mode};
    ts_model *m = NULL;
    ts_ref *r = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(fx->model, &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare_opts(m, &o, &r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_set_input(r, 0, input, 8, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(output, ts_ref_output(r, 0, NULL), 4);
    ts_ref_free(r);
    ts_model_free(m);
}

Test(cli_run, rounding_option_selects_the_mode_and_rejects_unknown_values)
{
    fixture fx;
    char args[2048], out[4096], err[1024], in[320], res[320];
    int8_t input[8], want_single[4], want_double[4], got[4];
    int found = 0;

    setup(&fx);
    /* an input on which the two modes give different outputs, so the test can tell them
     * apart (1-LSB differences at double-rounding ties) */
    for (int t = 0; t < 4000 && !found; t++) {
        for (int i = 0; i < 8; i++)
            input[i] = (int8_t)((t * 7919 + i * 104729 + (t >> 3) * i * 31) % 256 - 128);
        run_in_process(&fx, TSK_ROUND_SINGLE, input, want_single);
        run_in_process(&fx, TSK_ROUND_DOUBLE, input, want_double);
        found = memcmp(want_single, want_double, 4) != 0;
    }
    cr_assert(found, "no input separates the modes on this model");
    snprintf(in, sizeof in, "%s/in.bin", fx.dir);
    snprintf(res, sizeof res, "%s/out.bin", fx.dir);
    cli_write_file(in, input, 8);
    snprintf(args, sizeof args, "'%s' --input '%s' --output '%s' -q", fx.model, in, res);
    cr_assert_eq(run_cli(&fx, args, out, sizeof out, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cli_read_file(res, (uint8_t *)got, sizeof got), 4);
    cr_assert_arr_eq(got, want_single, 4, "the default mode is single");
    snprintf(args, sizeof args, "'%s' --input '%s' --output '%s' --rounding double -q",
             fx.model, in, res);
    cr_assert_eq(run_cli(&fx, args, out, sizeof out, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cli_read_file(res, (uint8_t *)got, sizeof got), 4);
    cr_assert_arr_eq(got, want_double, 4);
    snprintf(args, sizeof args, "'%s' --input '%s' --output '%s' --rounding single -q",
             fx.model, in, res);
    cr_assert_eq(run_cli(&fx, args, out, sizeof out, err, sizeof err), 0, "%s", err);
    cr_assert_eq(cli_read_file(res, (uint8_t *)got, sizeof got), 4);
    cr_assert_arr_eq(got, want_single, 4);
    unlink(res);
    snprintf(args, sizeof args, "'%s' --rounding half-even", fx.model);
    cr_assert_eq(run_cli(&fx, args, out, sizeof out, err, sizeof err), 2);
    cr_assert_str_eq(err, "tinysim: run: --rounding: unknown mode 'half-even' (expected single "
                     "or double)\n");
    snprintf(args, sizeof args, "'%s' --rounding", fx.model);
    cr_assert_eq(run_cli(&fx, args, out, sizeof out, err, sizeof err), 2);
    cr_assert(strstr(err, "--rounding needs a value"), "%s", err);
    teardown(&fx);
}
