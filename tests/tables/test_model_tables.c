/* Consistency tests over the model module's X-macro tables (Spike check-opcode-overlap habit):
 * tflite_ops.def, tflite_opts.def, tflite_names.def, dtype.def and status.def. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/status.h"
#include "sim/model/model.h"

typedef struct op_row {
    int code;
    const char *kind;
    int opts_type;
    const char *name;
} op_row;

enum {
#define TFLITE_OPTS(name, type) OPTS_##name = type,
#include "sim/model/tflite_opts.def"
#undef TFLITE_OPTS
};

static const op_row ops[] = {
#define TFLITE_OP(code, kind, opts, name) {code, #kind, OPTS_##opts, name},
#include "sim/model/tflite_ops.def"
#undef TFLITE_OP
};
#define N_OPS (int)(sizeof ops / sizeof ops[0])

static const int opts_types[] = {
#define TFLITE_OPTS(name, type) type,
#include "sim/model/tflite_opts.def"
#undef TFLITE_OPTS
};
#define N_OPTS (int)(sizeof opts_types / sizeof opts_types[0])

static const struct {
    int code;
    const char *name;
} names[] = {
#define TFLITE_NAME(code, name) {code, name},
#include "sim/model/tflite_names.def"
#undef TFLITE_NAME
};
#define N_NAMES (int)(sizeof names / sizeof names[0])

Test(tables, tflite_ops_has_no_repeated_code_or_kind)
{
    for (int i = 0; i < N_OPS; i++)
        for (int j = i + 1; j < N_OPS; j++) {
            cr_expect_neq(ops[i].code, ops[j].code, "code %d repeated", ops[i].code);
            cr_expect_str_neq(ops[i].kind, ops[j].kind);
        }
}

Test(tables, every_supported_op_is_named_as_in_the_schema_names_table)
{
    for (int i = 0; i < N_OPS; i++) {
        const char *n = ts_tflite_op_name(ops[i].code);
        cr_assert_not_null(n, "code %d missing from tflite_names.def", ops[i].code);
        cr_expect_str_eq(n, ops[i].name);
        cr_expect_str_eq(ops[i].kind, ops[i].name, "kind and name differ for %s", ops[i].name);
    }
}

Test(tables, tflite_names_are_unique_and_in_ascending_code_order)
{
    for (int i = 1; i < N_NAMES; i++) {
        cr_expect_gt(names[i].code, names[i - 1].code);
        for (int j = 0; j < i; j++)
            cr_expect_str_neq(names[i].name, names[j].name);
    }
    cr_expect_eq(names[0].code, 0);
    cr_expect_str_eq(names[3].name, "CONV_2D");
    cr_expect_str_eq(ts_tflite_op_name(114), "QUANTIZE");
    cr_expect_null(ts_tflite_op_name(9999));
}

Test(tables, options_union_types_are_unique_and_none_is_zero)
{
    cr_expect_eq(opts_types[0], 0);
    for (int i = 0; i < N_OPTS; i++)
        for (int j = i + 1; j < N_OPTS; j++)
            cr_expect_neq(opts_types[i], opts_types[j]);
}

Test(tables, dtype_codes_have_names_and_the_sizes_tflite_defines)
{
    cr_expect_eq(ts_dtype_size(TS_DT_INT8), 1);
    cr_expect_eq(ts_dtype_size(TS_DT_INT32), 4);
    cr_expect_eq(ts_dtype_size(TS_DT_FLOAT32), 4);
    cr_expect_eq(ts_dtype_size(TS_DT_INT16), 2);
    cr_expect_eq(ts_dtype_size(TS_DT_STRING), 0);
    cr_expect_eq((int)TS_DT_INT8, 9);
    for (int d = 0; d < TS_DT_COUNT; d++)
        cr_expect_str_neq(ts_dtype_name((ts_dtype)d), "unknown", "dtype %d unnamed", d);
    cr_expect_str_eq(ts_dtype_name((ts_dtype)200), "unknown");
}

Test(tables, status_names_are_unique)
{
    for (int i = 0; i < TS_N_STATUS; i++)
        for (int j = i + 1; j < TS_N_STATUS; j++)
            cr_expect_str_neq(ts_status_name((ts_status)i), ts_status_name((ts_status)j));
}
