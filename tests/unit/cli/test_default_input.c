/* CLI tests of the default input of `run` and `bench` (bench/tensor_io.c): without --input
 * both use the golden manifest's rand1 rule (xorshift32, seed 1), say so, and so give the
 * same outputs. The expected input is computed here from the rule as the manifest states it
 * (shared/golden: state = seed * 0x9E3779B9; per element s ^= s << 13, s ^= s >> 17,
 * s ^= s << 5; int8 = (s >> 24) - 128), and the expected output by the in-process reference
 * executor on that input. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "sim/base/alloc.h"
#include "sim/gen/gen.h"
#include "sim/model/model.h"
#include "sim/ref/ref.h"

#define N_IN 8  /* fc:8,4: int8 [1,8] in */
#define N_OUT 4 /* int8 [1,4] out */

/* The rand1 input of the golden manifest for N_IN int8 elements, seed 1. */
static void rand1_input(int8_t *x)
{
    uint32_t s = 1u * 0x9E3779B9u;

    for (int i = 0; i < N_IN; i++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        x[i] = (int8_t)((int32_t)(s >> 24) - 128);
    }
}

/* The reference executor's output of model bytes on input x. */
static void expected_output(const uint8_t *bytes, size_t len, const int8_t *x, int8_t *y)
{
    ts_model *m = NULL;
    ts_ref *r = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_buffer(bytes, len, "fc", &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_set_input(r, 0, x, N_IN, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    memcpy(y, ts_ref_output(r, 0, NULL), N_OUT);
    ts_ref_free(r);
    ts_model_free(m);
}

Test(cli_default_input, run_and_bench_both_use_xorshift32_seed_1_and_say_so)
{
    char model[96], dir[64], o_run[96], o_bench[96];
    uint8_t *bytes = NULL;
    size_t len = 0;
    int8_t x[N_IN], want[N_OUT], got[N_OUT + 1];
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes("fc:8,4", 1, &bytes, &len, &err), TS_OK, "%s", err.msg);
    snprintf(dir, sizeof dir, "/tmp/ts_default_input_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(model, sizeof model, "%s/m.tflite", dir);
    snprintf(o_run, sizeof o_run, "%s/run.bin", dir);
    snprintf(o_bench, sizeof o_bench, "%s/bench.bin", dir);
    cli_write_file(model, bytes, len);
    rand1_input(x);
    expected_output(bytes, len, x, want);

    const char *run[] = {"run", model, "--output", o_run, NULL};
    const char *bench[] = {"bench", "--target", "cortex-m4", model, "--no-db", "--output",
                           o_bench, NULL};
    const char *run_help[] = {"run", "--help", NULL}, *bench_help[] = {"bench", "--help", NULL};
    cli_result r = cli_run(run), b = cli_run(bench), rh = cli_run(run_help),
               bh = cli_run(bench_help);

    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(b.status, 0, "%s", b.err);
    cr_expect(strstr(r.out, "input: xorshift32 seed 1 "), "run does not say: %s", r.out);
    cr_expect(strstr(b.out, "xorshift32 seed 1"), "bench does not say: %s", b.out);
    cr_expect(strstr(rh.out, "without --input the inputs are xorshift32 seed 1"), "%s", rh.out);
    cr_expect(strstr(bh.out, "--input the inputs are xorshift32 seed 1"), "%s", bh.out);
    cr_expect_eq(cli_read_file(o_run, got, sizeof got), N_OUT);
    cr_expect_arr_eq(got, want, N_OUT, "run's output is not that of the rand1 input");
    cr_expect_eq(cli_read_file(o_bench, got, sizeof got), N_OUT);
    cr_expect_arr_eq(got, want, N_OUT, "bench's output is not that of the rand1 input");
    cli_result_free(&r);
    cli_result_free(&b);
    cli_result_free(&rh);
    cli_result_free(&bh);
    ts_free(bytes);
    unlink(model), unlink(o_run), unlink(o_bench), rmdir(dir);
}
