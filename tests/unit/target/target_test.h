/* target_test.h: helpers shared by the target suites. */
#ifndef TS_TARGET_TEST_H
#define TS_TARGET_TEST_H

#include <criterion/criterion.h>
#include <stdio.h>

#include "sim/target/target.h"

/* Loads targets/NAME.json, failing the test on any error. */
static inline ts_target load_ok(const char *name)
{
    char path[512];
    ts_target t;
    ts_err err;

    ts_err_clear(&err);
    snprintf(path, sizeof path, "%s/%s.json", TS_TARGETS_DIR, name);
    cr_assert_eq(ts_target_load(path, &t, &err), TS_OK, "%s", err.msg);
    return t;
}

#endif
