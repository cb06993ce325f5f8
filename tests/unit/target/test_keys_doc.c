/* targets/README.md must be exactly what scripts/gen_targets_readme.sh writes: its table is
 * `tinysim targets --keys`, generated from target_keys.def, so the doc cannot go stale. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(FILE *f)
{
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);

    cr_assert_not_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert_not_null(buf);
        }
    }
    buf[n] = '\0';
    return buf;
}

Test(target_doc, targets_readme_matches_the_schema_table_generated_from_target_keys_def)
{
    const char *src = getenv("TS_SOURCE_DIR"), *bin = getenv("TS_TINYSIM");
    char cmd[2048], path[1024];
    FILE *p, *f;
    char *want, *have;

    cr_assert(src && bin, "run through ctest (TS_SOURCE_DIR, TS_TINYSIM)");
    snprintf(cmd, sizeof cmd, "sh '%s/scripts/gen_targets_readme.sh' '%s'", src, bin);
    snprintf(path, sizeof path, "%s/targets/README.md", src);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    want = read_all(p);
    cr_assert_eq(pclose(p), 0, "the generator failed");
    f = fopen(path, "r");
    cr_assert_not_null(f, "%s is missing", path);
    have = read_all(f);
    fclose(f);
    cr_expect(strstr(want, "| `pipeline.branch_refill_cycles` |") != NULL);
    cr_expect_str_eq(have, want, "targets/README.md is stale: regenerate it with "
                     "scripts/gen_targets_readme.sh build/bench/tinysim > targets/README.md");
    free(want);
    free(have);
}
