/* README.md's supported-operator matrix must be exactly what `tinysim inspect --ops` prints
 * from the op tables (sim/model/tflite_ops.def, kernels/firmware/fw_ops.def): the copy between
 * the <!-- ops-matrix --> markers cannot go stale. Also checks the matrix against the tables
 * independently of the printer: one row per operator tinysim decodes, none for others. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_run.h"

/* stdout of `tinysim inspect --ops` (malloc'd). */
static char *ops_output(void)
{
    cli_result r = cli_run((const char *const[]){"inspect", "--ops", NULL});
    char *out = r.out;

    cr_assert_eq(r.status, 0, "tinysim inspect --ops failed: %s", r.err);
    r.out = NULL;
    cli_result_free(&r);
    return out;
}

Test(ops_matrix, readme_holds_exactly_the_matrix_inspect_ops_prints_from_the_op_tables)
{
    const char *src = getenv("TS_SOURCE_DIR");
    char path[1024];
    char *want = ops_output(), *have, *begin, *end;
    FILE *f;

    cr_assert(src, "run through ctest (TS_SOURCE_DIR)");
    snprintf(path, sizeof path, "%s/README.md", src);
    cr_assert_not_null(f = fopen(path, "rb"), "%s is missing", path);
    have = cli_slurp(f);
    fclose(f);
    begin = strstr(have, "<!-- ops-matrix:");
    cr_assert_not_null(begin, "README.md has no <!-- ops-matrix: ... --> marker");
    begin = strchr(begin, '\n');
    cr_assert_not_null(begin);
    begin++;
    end = strstr(begin, "<!-- /ops-matrix -->");
    cr_assert_not_null(end, "README.md has no <!-- /ops-matrix --> marker");
    *end = '\0';
    cr_expect_str_eq(begin, want, "README.md's operator matrix is stale: regenerate it with "
                     "scripts/gen_ops_matrix.sh build/bench/tinysim");
    free(want);
    free(have);
}

Test(ops_matrix, has_one_row_per_decoded_operator_with_its_builtin_code_and_no_other)
{
    static const struct {
        int code;
        const char *name;
    } decoded[] = {
#define TFLITE_OP(code, kind, opts, name) {code, name},
#include "sim/model/tflite_ops.def"
#undef TFLITE_OP
    };
    char *out = ops_output(), row[128];
    int n_rows = 0;

    for (size_t i = 0; i < sizeof decoded / sizeof decoded[0]; i++) {
        snprintf(row, sizeof row, "\n| %s | %d | ", decoded[i].name, decoded[i].code);
        cr_expect_not_null(strstr(out, row), "no row '%s' in:\n%s", row + 1, out);
    }
    for (const char *p = strchr(out, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
        n_rows += p[1] == '|';
    cr_expect_eq(n_rows, (int)(sizeof decoded / sizeof decoded[0]) + 1, /* + the --- row */
                 "rows:\n%s", out);
    /* a known pair from the kernels' own names, independent of the printer's table */
    cr_expect_not_null(strstr(out, "| ABS | 101 | yes | - | yes | `tsk_abs_s8`, `tsk_abs_f32` |"));
    cr_expect_not_null(strstr(out, "| ADD | 0 | yes | yes | yes | `tsk_add_s8`, `tsk_add_f32`, "
                                   "`tsk_add_s16` |"));
    cr_expect_not_null(strstr(out, "| FULLY_CONNECTED | 9 | yes | yes | yes | "));
    /* rows of any dtype (RESHAPE's copy) count int16, which the executor moves as int8 */
    cr_expect_not_null(strstr(out, "| RESHAPE | 22 | yes | yes | yes | `memmove` |"));
    cr_expect_not_null(strstr(out, "`tsk_fully_connected_s16_simd` (DSP ext.)"));
    cr_expect_not_null(strstr(out, "`tsk_conv2d_s8_simd` (DSP ext.)"));
    free(out);
}

/* A column is an input dtype that runs: the conversion rows, whose prepared dtype is not their
 * input's, tick their inputs (DEQUANTIZE has no float32 input; QUANTIZE's float32 input is
 * QUANTIZE_S8/S16's, its int8 and int16 inputs REQUANTIZE's), and name the inputs the matrix
 * has no column for. */
Test(ops_matrix, conversion_rows_tick_only_the_input_dtypes_that_run)
{
    char *out = ops_output();

    cr_expect_not_null(strstr(out, "| DEQUANTIZE | 6 | yes | yes | - | `tsk_dequantize_s8`, "
                                   "`tsk_dequantize_s16`, `tsk_dequantize_f16` (float16 in) |"),
                       "%s", out);
    cr_expect_not_null(strstr(out, "| QUANTIZE | 114 | yes | yes | yes | `tsk_quantize_s8`, "
                                   "`tsk_quantize_s16`, `tsk_requantize` (int8, int16 or int32 "
                                   "in) |"), "%s", out);
    free(out);
}

Test(ops_matrix, ops_takes_no_model_and_no_other_format)
{
    cli_result r = cli_run((const char *const[]){"inspect", "--ops", "m.tflite", NULL});

    cr_expect_eq(r.status, 2);
    cr_expect_not_null(strstr(r.err, "--ops prints the supported op matrix and takes no model"),
                       "%s", r.err);
    cli_result_free(&r);
    r = cli_run((const char *const[]){"inspect", "--ops", "--json", NULL});
    cr_expect_eq(r.status, 2);
    cli_result_free(&r);
}
