/* Tests for sim/base/status.c: message table and first-error-wins recording. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/base/status.h"

Test(status, every_code_has_a_name_and_a_message)
{
    for (int c = 0; c < TS_N_STATUS; c++) {
        cr_expect(strcmp(ts_status_name((ts_status)c), "UNKNOWN") != 0);
        cr_expect(strcmp(ts_status_str((ts_status)c), "unknown status") != 0);
    }
    cr_expect_str_eq(ts_status_name(TS_ERR_FORMAT), "FORMAT");
    cr_expect_str_eq(ts_status_str((ts_status)999), "unknown status");
}

Test(status, first_error_wins_and_later_errors_keep_it)
{
    ts_err e;

    ts_err_clear(&e);
    cr_expect_eq(ts_err_set(&e, TS_ERR_FORMAT, "a: b: %s (%d)", "first", 1), TS_ERR_FORMAT);
    cr_expect_eq(ts_err_set(&e, TS_ERR_NOMEM, "second"), TS_ERR_NOMEM);
    cr_expect_eq(e.code, TS_ERR_FORMAT);
    cr_expect_str_eq(e.msg, "a: b: first (1)");
    cr_expect_not_null(e.file);
}

Test(status, setting_an_error_on_null_only_returns_the_code)
{
    cr_expect_eq(ts_err_set(NULL, TS_ERR_RANGE, "x"), TS_ERR_RANGE);
}

Test(status, long_messages_are_truncated_not_overflowed)
{
    ts_err e;
    char big[1000];

    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ts_err_clear(&e);
    ts_err_set(&e, TS_ERR_IO, "%s", big);
    cr_expect_eq(strlen(e.msg), sizeof e.msg - 1);
}

/* A message is one line even when it quotes bytes from a file (a tensor or metadata name). */
Test(status, control_characters_in_messages_become_question_marks)
{
    ts_err err;

    ts_err_clear(&err);
    ts_err_set(&err, TS_ERR_FORMAT, "m.tflite: metadata 0 ('%s'): bad", "a\nb\rc\td\x7f" "e\x01");
    cr_assert_str_eq(err.msg, "m.tflite: metadata 0 ('a?b?c?d?e?'): bad");
}
