/* cli_json.h: the CLI tests' "run tinysim, expect success, parse its JSON" step (header-only:
 * only the suites that link cJSON include it). Test-only code. */
#ifndef TS_CLI_JSON_H
#define TS_CLI_JSON_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>

#include "cli_run.h"

/* Runs "$TS_TINYSIM args..."; asserts exit status 0 and a JSON document on stdout, which it
 * returns (caller frees with cJSON_Delete). */
static inline cJSON *cli_run_json(const char *const *args)
{
    cli_result r = cli_run(args);
    cJSON *doc;

    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "not JSON: %.300s", r.out);
    cli_result_free(&r);
    return doc;
}

#endif
