/* test_install.c: `cmake --install` gives a tinysim that finds its target files and firmware
 * beside itself (PREFIX/share/tinysim), not in the source and build trees it was built from. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"

/* Installs the build tree into a fresh temporary prefix (its path goes to prefix). */
static void install_into(char *prefix, size_t cap)
{
    const char *build = getenv("TS_BUILD_DIR");
    cli_result r;

    cr_assert_not_null(build, "TS_BUILD_DIR is not set (run the suite through ctest)");
    snprintf(prefix, cap, "/tmp/ts_install_XXXXXX");
    cr_assert_not_null(mkdtemp(prefix));
    r = cli_run_prog("cmake", (const char *const[]){"--install", build, "--prefix", prefix, NULL});
    cr_assert_eq(r.status, 0, "cmake --install failed: %s%s", r.out, r.err);
    cli_result_free(&r);
}

static void remove_tree(const char *dir)
{
    cli_result r = cli_run_prog("rm", (const char *const[]){"-rf", dir, NULL});

    cli_result_free(&r);
}

Test(cli_install, the_installed_binary_reads_its_own_targets_and_firmware)
{
    char prefix[64], bin[128], path[192], model[256];
    cli_result r;

    install_into(prefix, sizeof prefix);
    snprintf(bin, sizeof bin, "%s/bin/tinysim", prefix);
    cr_assert_eq(access(bin, X_OK), 0, "%s not installed", bin);
    unsetenv("TINYSIM_TARGETS");
    unsetenv("TINYSIM_FIRMWARE_DIR");

    /* A target file removed from the installed copy only: the list must lose it. */
    snprintf(path, sizeof path, "%s/share/tinysim/targets/cortex-m3.json", prefix);
    cr_assert_eq(unlink(path), 0, "%s not installed", path);
    r = cli_run_prog(bin, (const char *const[]){"targets", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "cortex-m4"), "%s", r.out);
    cr_assert_null(strstr(r.out, "cortex-m3 "), "the installed tinysim listed the source "
                   "tree's targets:\n%s", r.out);
    cli_result_free(&r);

    /* The installed firmware runs the model; removing one image makes that core fail with
     * the installed path in the message. */
    cli_gen_model("hello_world", model, sizeof model);
    r = cli_run_prog(bin, (const char *const[]){"bench", "--no-db", "--target", "cortex-m0plus",
                                                 model, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    snprintf(path, sizeof path, "%s/share/tinysim/firmware/tsfw_cortex-m0plus.elf", prefix);
    cr_assert_eq(unlink(path), 0, "%s not installed", path);
    r = cli_run_prog(bin, (const char *const[]){"bench", "--no-db", "--target", "cortex-m0plus",
                                                 model, NULL});
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_not_null(strstr(r.err, path), "expected the installed firmware path %s in: %s",
                       path, r.err);
    cli_result_free(&r);

    /* The installed link kit (firmware/link) links a per-model image: SUB on cortex-m0, whose
     * flash cannot hold the _x image; the installed kit's object removed, it says so. */
    unlink(model);
    cli_gen_model("op:sub,int8,1x4x4x3", model, sizeof model);
    r = cli_run_prog(bin, (const char *const[]){"bench", "--no-db", "--target", "cortex-m0",
                                                 model, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "(per-model link)"), "%s", r.out);
    cli_result_free(&r);
    snprintf(path, sizeof path, "%s/share/tinysim/firmware/link/cortex-m0.o", prefix);
    cr_assert_eq(unlink(path), 0, "%s not installed", path);
    r = cli_run_prog(bin, (const char *const[]){"bench", "--no-db", "--target", "cortex-m0",
                                                 model, NULL});
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_not_null(strstr(r.err, path), "expected the installed kit path %s in: %s", path,
                       r.err);
    cli_result_free(&r);

    unlink(model);
    remove_tree(prefix);
}
