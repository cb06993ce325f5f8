/* test_target_json.c: ts_target_to_json, the canonical form of a resolved target recorded with
 * every run: it reloads to the same target, its members are sorted at every level, and an
 * override shows in it. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "sim/base/alloc.h"
#include "sim/target/target.h"

static char *canonical(const ts_target *t)
{
    char *text = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_target_to_json(t, &text, &err), TS_OK, "%s", err.msg);
    return text;
}

static void assert_sorted(const cJSON *o, const char *where)
{
    const cJSON *it, *prev = NULL;

    cJSON_ArrayForEach(it, o) {
        if (cJSON_IsObject(o) && prev)
            cr_assert_lt(strcmp(prev->string, it->string), 0, "%s: %s before %s", where,
                         prev->string, it->string);
        assert_sorted(it, it->string ? it->string : where);
        prev = it;
    }
}

static void check_target(const char *file)
{
    char path[512], *a, *b, *re;
    ts_target t, back;
    ts_err err;
    cJSON *j;

    ts_err_clear(&err);
    snprintf(path, sizeof path, "%s/%s", TS_TARGETS_DIR, file);
    cr_assert_eq(ts_target_load(path, &t, &err), TS_OK, "%s", err.msg);
    a = canonical(&t);
    j = cJSON_Parse(a);
    cr_assert_not_null(j, "%s: valid JSON", file);
    assert_sorted(j, file);
    re = cJSON_PrintUnformatted(j);
    cr_assert_str_eq(re, a, "%s: no white space between tokens", file);
    cJSON_free(re);
    cJSON_Delete(j);
    cr_assert_eq(ts_target_parse("canonical", a, strlen(a), &back, &err), TS_OK, "%s: %s", file,
                 err.msg);
    b = canonical(&back);
    cr_assert_str_eq(a, b, "%s: reloading the canonical form changes nothing", file);
    ts_free(a), ts_free(b);
}

Test(target_json, every_shipped_target_reloads_from_its_canonical_form_with_sorted_keys)
{
    DIR *d = opendir(TS_TARGETS_DIR);
    struct dirent *e;
    int n = 0;

    cr_assert_not_null(d);
    while ((e = readdir(d)) != NULL)
        if (strlen(e->d_name) > 5 && !strcmp(e->d_name + strlen(e->d_name) - 5, ".json"))
            check_target(e->d_name), n++;
    closedir(d);
    cr_assert_geq(n, 6);
}

Test(target_json, shows_an_override_and_the_resolved_values)
{
    char path[512], *before, *after;
    ts_target t;
    ts_err err;

    ts_err_clear(&err);
    snprintf(path, sizeof path, "%s/cortex-m4.json", TS_TARGETS_DIR);
    cr_assert_eq(ts_target_load(path, &t, &err), TS_OK, "%s", err.msg);
    before = canonical(&t);
    cr_assert(strstr(before, "\"clock_hz\":120000000,"), "%s", before);
    cr_assert(strstr(before, "\"core\":\"cortex-m4\""), "enums by name");
    cr_assert_eq(ts_target_set(&t, "clock_hz", "80000000", &err), TS_OK, "%s", err.msg);
    after = canonical(&t);
    cr_assert(strstr(after, "\"clock_hz\":80000000,"), "%s", after);
    cr_assert_eq(strlen(after), strlen(before) - 1, "only the clock changed");
    ts_free(before), ts_free(after);
}
