/* Tests for sim/base/file.c: one whole input file into memory, with the shared messages (a
 * directory is called one, read errors give their reason, the size limit is exact). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/base/alloc.h"
#include "sim/base/file.h"

static void write_tmp(char *path, const char *text)
{
    int fd = mkstemp(path);
    FILE *f;

    cr_assert_geq(fd, 0);
    f = fdopen(fd, "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

Test(file, reads_the_whole_file_and_terminates_it)
{
    char path[] = "/tmp/tinysim-file-XXXXXX";
    uint8_t *buf;
    size_t n;
    ts_err err;

    write_tmp(path, "hello");
    ts_err_clear(&err);
    cr_assert_eq(ts_file_read(path, 5, &buf, &n, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(n, 5);
    cr_expect_str_eq((const char *)buf, "hello");
    ts_free(buf);
    cr_expect_eq(ts_file_read(path, 4, &buf, &n, &err), TS_ERR_RANGE);
    cr_expect_null(buf);
    cr_expect(strstr(err.msg, ": file larger than 4 bytes"), "%s", err.msg);
    unlink(path);
}

Test(file, an_empty_file_is_an_empty_buffer)
{
    char path[] = "/tmp/tinysim-file-XXXXXX";
    uint8_t *buf;
    size_t n = 1;
    ts_err err;

    write_tmp(path, "");
    ts_err_clear(&err);
    cr_assert_eq(ts_file_read(path, 100, &buf, &n, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(n, 0);
    cr_expect_eq(buf[0], 0);
    ts_free(buf);
    unlink(path);
}

Test(file, a_directory_and_a_missing_file_say_so)
{
    uint8_t *buf;
    size_t n;
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_file_read("/tmp", 100, &buf, &n, &err), TS_ERR_IO);
    cr_expect_str_eq(err.msg, "/tmp: is a directory (expected a file)");
    ts_err_clear(&err);
    cr_expect_eq(ts_file_read("/nonexistent/x", 100, &buf, &n, &err), TS_ERR_IO);
    cr_expect_str_eq(err.msg, "/nonexistent/x: cannot open (No such file or directory)");
}

/* ts_make_dirs: every missing component made, an existing folder is no error, and a failure
 * names the prefix that could not be made (the path itself restored). */
Test(file, make_dirs_creates_each_component_and_names_the_one_that_fails)
{
    char root[] = "/tmp/ts_mkdirs_XXXXXX", dir[128], bad[] = "/proc/ts_no/such";
    size_t failed = 0;
    struct stat sb;

    cr_assert_not_null(mkdtemp(root));
    snprintf(dir, sizeof dir, "%s/a/b/c", root);
    cr_assert_eq(ts_make_dirs(dir, NULL), 0);
    cr_assert_eq(stat(dir, &sb), 0);
    cr_assert(S_ISDIR(sb.st_mode));
    cr_assert_eq(ts_make_dirs(dir, NULL), 0, "an existing folder");
    cr_assert_eq(ts_make_dirs(bad, &failed), -1);
    cr_assert_eq(failed, strlen("/proc/ts_no"));
    cr_assert_str_eq(bad, "/proc/ts_no/such");
    snprintf(dir, sizeof dir, "rm -rf '%s'", root);
    cr_assert_eq(system(dir), 0);
}

/* ts_user_dir: the XDG variable first, HOME's conventional folder next (an empty variable is
 * unset), -1 with neither, -2 (and no partial path) when the path does not fit. */
Test(file, user_dir_follows_the_xdg_convention_and_never_truncates)
{
    char out[64];

    cr_assert_eq(setenv("XDG_CACHE_HOME", "/x/cache", 1) | setenv("XDG_DATA_HOME", "/x/data", 1) |
                 setenv("HOME", "/h", 1), 0);
    cr_assert_eq(ts_user_dir(TS_USER_CACHE, out, sizeof out), 0);
    cr_assert_str_eq(out, "/x/cache/tinysim");
    cr_assert_eq(ts_user_dir(TS_USER_DATA, out, sizeof out), 0);
    cr_assert_str_eq(out, "/x/data/tinysim");
    cr_assert_eq(setenv("XDG_CACHE_HOME", "", 1) | unsetenv("XDG_DATA_HOME"), 0);
    cr_assert_eq(ts_user_dir(TS_USER_CACHE, out, sizeof out), 0);
    cr_assert_str_eq(out, "/h/.cache/tinysim");
    cr_assert_eq(ts_user_dir(TS_USER_DATA, out, sizeof out), 0);
    cr_assert_str_eq(out, "/h/.local/share/tinysim");
    cr_assert_eq(ts_user_dir(TS_USER_DATA, out, 23), -2, "needs 24 bytes");
    cr_assert_str_eq(out, "");
    cr_assert_eq(ts_user_dir(TS_USER_DATA, out, 24), 0);
    cr_assert_eq(unsetenv("HOME"), 0);
    cr_assert_eq(ts_user_dir(TS_USER_CACHE, out, sizeof out), -1);
}
