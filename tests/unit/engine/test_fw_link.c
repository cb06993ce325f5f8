/* test_fw_link.c: the per-model firmware image (sim/platform/fw_link.c, ts_fw_link): a model
 * whose op-set image does not fit the target's flash runs on an image linked with only its
 * kernels; `link = model` forces it and `link = sets` refuses; the image holds every kernel of
 * its kinds and none of the others, is the same bytes when linked twice, answers TSFW_ERR_KIND
 * for a kind it was not linked with, and a missing or failing linker or an unusable cache
 * folder is one precise error. The values checks compare with the host executor (independent
 * of the image); the sizes are compared with the op-set images, not pinned. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <cjson/cJSON.h>

#include "engine_test.h"
#include "sim/base/alloc.h"
#include "sim/base/file.h"
#include "sim/exec/exec.h"
#include "sim/platform/platform.h"

/* cortex-m0's 64 KiB cannot hold the _x image (76 KB): SUB runs on a per-model image. */
Test(fw_link, an_extended_op_runs_on_cortex_m0_from_an_image_linked_for_its_model)
{
    const char *spec = "op:sub,int8,1x4x4x3";
    ts_gen *g = gen_model(spec);
    ts_engine_layout L, B;
    ts_engine_opts o;
    ts_target t;
    ts_err err;

    load_target_named("cortex-m0", &t);
    need_firmware(&t);
    ts_err_clear(&err);
    cr_assert_eq(ts_engine_footprint(&t, ts_gen_graph(g), spec, NULL, &L, &err), TS_OK, "%s",
                 err.msg);
    cr_expect(L.fw_per_model, "auto link on cortex-m0 chose the op-set image");
    cr_expect(L.fits_flash);
    cr_expect_lt(L.fw_bytes, 65536);
    /* smaller than the base image too: no kernel of the base ops the model does not call */
    {
        ts_gen *add = gen_model("op:add,int8,1x4x4x3");
        cr_assert_eq(ts_engine_footprint(&t, ts_gen_graph(add), "add", NULL, &B, &err), TS_OK,
                     "%s", err.msg);
        cr_expect(!B.fw_per_model, "a base-op model keeps the base image");
        cr_expect_lt(L.fw_bytes, B.fw_bytes, "per-model %llu bytes, base image %llu",
                     (unsigned long long)L.fw_bytes, (unsigned long long)B.fw_bytes);
        ts_gen_free(add);
    }
    check_bit_exact_opts(&t, ts_gen_graph(g), spec, NULL, 7, 1); /* auto: per model (above) */
    {
        /* the second open reuses the image linked by the first; once its file is gone, the
         * next open links it again (ts_platform_open_kinds' memo) */
        ts_engine *e = NULL;
        char first[TS_ENGINE_PATH_BYTES];
        struct stat sb;

        cr_assert_eq(ts_engine_open(&t, ts_gen_graph(g), spec, NULL, &e, &err), TS_OK, "%s",
                     err.msg);
        snprintf(first, sizeof first, "%s", ts_engine_firmware(e));
        ts_engine_close(e);
        cr_assert_eq(stat(first, &sb), 0, "%s", first);
        cr_assert_eq(unlink(first), 0);
        cr_assert_eq(ts_engine_open(&t, ts_gen_graph(g), spec, NULL, &e, &err), TS_OK, "%s",
                     err.msg);
        cr_expect_str_eq(ts_engine_firmware(e), first);
        cr_expect_eq(stat(first, &sb), 0, "%s was not linked again", first);
        ts_engine_close(e);
    }
    /* link = sets: the op-set image or nothing */
    memset(&o, 0, sizeof o);
    o.link = TS_LINK_SETS;
    ts_err_clear(&err);
    cr_assert_eq(ts_engine_footprint(&t, ts_gen_graph(g), spec, &o, &L, &err), TS_ERR_RANGE);
    cr_expect(strstr(err.msg, "does not fit target cortex-m0: the firmware image alone is") !=
                  NULL, "%s", err.msg);
    ts_target_free(&t);
    ts_gen_free(g);
}

/* link = model on a core whose op-set images fit: same outputs as the host with both kernel
 * variants, from an image smaller than the op-set image. */
Test(fw_link, a_forced_per_model_image_computes_what_the_op_set_image_does)
{
    static const char *const specs[] = {"ds_cnn", "op:sub,int8,1x4x4x3",
                                        "op:lstm,float32,1x3x4,units=2"};
    ts_target t;

    load_target_named("cortex-m4", &t);
    need_firmware(&t);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        ts_gen *g = gen_model(specs[i]);
        for (int k = TS_KERNELS_REF; k <= TS_KERNELS_SIMD; k++) {
            ts_engine_opts o;
            ts_engine_layout S, M;
            ts_err err;

            memset(&o, 0, sizeof o);
            o.kernels = (ts_kernels)k;
            ts_err_clear(&err);
            cr_assert_eq(ts_engine_footprint(&t, ts_gen_graph(g), specs[i], &o, &S, &err), TS_OK,
                         "%s", err.msg);
            o.link = TS_LINK_MODEL;
            cr_assert_eq(ts_engine_footprint(&t, ts_gen_graph(g), specs[i], &o, &M, &err), TS_OK,
                         "%s", err.msg);
            cr_expect(!S.fw_per_model && M.fw_per_model);
            cr_expect_lt(M.fw_bytes, S.fw_bytes, "%s: per-model %llu bytes, op-set image %llu",
                         specs[i], (unsigned long long)M.fw_bytes,
                         (unsigned long long)S.fw_bytes);
            check_bit_exact_opts(&t, ts_gen_graph(g), specs[i], &o, 7, 1);
        }
        ts_gen_free(g);
    }
    ts_target_free(&t);
}

/* The whole file at path (sim/base's reader; NUL-terminated), freed with ts_free. */
static uint8_t *read_all(const char *path, size_t *n)
{
    uint8_t *buf = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_file_read(path, (size_t)1 << 26, &buf, n, &err), TS_OK, "%s", err.msg);
    return buf;
}

static void link_kinds(const ts_target *t, ts_kernels k, const uint32_t *kinds, char *path,
                       size_t cap)
{
    ts_err err;

    uint32_t base = (uint32_t)ts_target_first_region(t, TS_MEM_FLASH)->base;

    ts_err_clear(&err);
    cr_assert_eq(ts_platform_link_firmware(t, k, base, kinds, path, cap, &err), TS_OK, "%s",
                 err.msg);
}

/* An image of no kind holds no kernel; one of each kind alone holds that kind's kernel, and
 * linking it again gives the same file (its name is made from its bytes, so the same name
 * means the same bytes; checked on every 8th kind, for suite time). On cortex-m4 with the SIMD
 * kernels, whose kit has every kind. Under the sanitizers (TS_SANITIZED) this and the
 * all-specs test below are left to the plain build: their time goes to the cross linker and
 * the emulated core, and the host code they run (fw_link.c, the engine) runs sanitized in the
 * other tests here. */
Test(fw_link, an_image_holds_the_kernels_of_its_kinds_and_no_other, .disabled = TS_SANITIZED)
{
    uint32_t none[TS_PLATFORM_KIND_WORDS] = {0};
    char path[TS_PLATFORM_PATH_BYTES], again[TS_PLATFORM_PATH_BYTES];
    ts_elf *elf = NULL;
    uint32_t addr;
    ts_target t;
    ts_err err;

    load_target_named("cortex-m4", &t);
    need_firmware(&t);
    /* no kind: the dispatcher alone, no kernel of any kind */
    link_kinds(&t, TS_KERNELS_SIMD, none, path, sizeof path);
    ts_err_clear(&err);
    cr_assert_eq(ts_elf_load(path, &elf, &err), TS_OK, "%s", err.msg);
    for (uint32_t k = 1; k < TSFW_OP_COUNT; k++) {
        const char *sym = ts_platform_kind_kernel(k);
        if (strncmp(sym, "tsk_", 4) != 0) /* memmove: newlib's, may serve the dispatcher */
            continue;
        cr_expect_neq(ts_elf_symbol(elf, sym, &addr, &err), TS_OK, "%s linked with no kinds",
                      sym);
    }
    ts_elf_free(elf);
    for (uint32_t k = 1; k < TSFW_OP_COUNT; k++) {
        uint32_t kinds[TS_PLATFORM_KIND_WORDS] = {0};
        uint8_t *a, *b;
        size_t na, nb;

        kinds[k / 32] = 1u << (k % 32);
        link_kinds(&t, TS_KERNELS_SIMD, kinds, path, sizeof path);
        elf = NULL;
        ts_err_clear(&err);
        cr_assert_eq(ts_elf_load(path, &elf, &err), TS_OK, "%s", err.msg);
        cr_expect_eq(ts_elf_symbol(elf, ts_platform_kind_kernel(k), &addr, &err), TS_OK,
                     "kind %u: %s not in its image", k, ts_platform_kind_kernel(k));
        ts_elf_free(elf);
        if (k % 8 != 1)
            continue;
        a = read_all(path, &na);
        link_kinds(&t, TS_KERNELS_SIMD, kinds, again, sizeof again);
        cr_assert_str_eq(again, path);
        b = read_all(again, &nb);
        cr_expect(na == nb && memcmp(a, b, na) == 0, "kind %u: two links differ", k);
        ts_free(a);
        ts_free(b);
    }
    ts_target_free(&t);
}

/* An image linked for SUB, given an ADD (through --firmware): the dispatcher's guard answers
 * TSFW_ERR_KIND instead of branching to the absent kernel. */
Test(fw_link, a_kind_left_out_of_an_image_is_refused_by_the_firmware)
{
    uint32_t kinds[TS_PLATFORM_KIND_WORDS] = {0};
    char path[TS_PLATFORM_PATH_BYTES];
    ts_gen *g = gen_model("op:add,int8,1x4x4x3");
    ts_engine_opts o;
    ts_engine *e = NULL;
    ts_target t;
    ts_err err;

    load_target_named("cortex-m0plus", &t);
    need_firmware(&t);
    kinds[TSFW_OP_SUB_S8 / 32] |= 1u << (TSFW_OP_SUB_S8 % 32);
    ts_err_clear(&err);
    cr_assert_eq(ts_platform_link_firmware(&t, TS_KERNELS_REF, 0, kinds, path, sizeof path,
                                           &err), TS_OK, "%s", err.msg);
    memset(&o, 0, sizeof o);
    o.firmware = path;
    cr_assert_eq(ts_engine_open(&t, ts_gen_graph(g), "add", &o, &e, &err), TS_OK, "%s",
                 err.msg);
    cr_assert_neq(ts_engine_run(e, &err), TS_OK, "an image without ADD ran ADD");
    cr_expect(strstr(err.msg, "TSFW_ERR_KIND") != NULL, "%s", err.msg);
    ts_engine_close(e);
    ts_target_free(&t);
    ts_gen_free(g);
}

static void expect_link_error(const char *want)
{
    const char *spec = "op:sub,int8,1x4x4x3";
    ts_gen *g = gen_model(spec);
    ts_engine_layout L;
    ts_target t;
    ts_err err;

    load_target_named("cortex-m0", &t);
    need_firmware(&t);
    ts_err_clear(&err);
    cr_assert_neq(ts_engine_footprint(&t, ts_gen_graph(g), spec, NULL, &L, &err), TS_OK);
    cr_expect(strstr(err.msg, want) != NULL, "expected '%s' in: %s", want, err.msg);
    cr_expect(strchr(err.msg, '\n') == NULL, "one line: %s", err.msg);
    ts_target_free(&t);
    ts_gen_free(g);
}

Test(fw_link, a_missing_cross_linker_is_one_line_naming_it)
{
    setenv("TINYSIM_ARM_GCC", "/nonexistent/arm-none-eabi-gcc", 1);
    expect_link_error("/nonexistent/arm-none-eabi-gcc: cannot run the cross linker for the "
                      "per-model firmware (No such file or directory;");
}

Test(fw_link, a_failing_link_is_one_line_with_the_drivers_exit_status)
{
    setenv("TINYSIM_ARM_GCC", "false", 1);
    expect_link_error("per-model firmware link for cortex-m0 failed (false exit 1");
}

Test(fw_link, an_unusable_cache_folder_is_one_line_naming_it)
{
    setenv("TINYSIM_CACHE_DIR", "/proc/tinysim-cache", 1);
    expect_link_error("/proc/tinysim-cache: cannot create the firmware cache folder (");
}

/* Every single-op golden model (tests/data/ops/manifest.json, 270 specs, every kind the
 * goldens reach) given an image linked with no kind at all: each op is refused by the
 * dispatcher's guard (TSFW_ERR_KIND), none branches into an absent kernel (a fault, or a
 * silent wrong result). On cortex-m4 (its kit has every group, SIMD included) and on
 * cortex-m0plus (ARMv6-M, soft float). */
Test(fw_link, an_image_without_a_kind_refuses_every_golden_op, .timeout = 120,
     .disabled = TS_SANITIZED)
{
    static const char *const targets[] = {"cortex-m4", "cortex-m0plus"};
    uint32_t none[TS_PLATFORM_KIND_WORDS] = {0};
    const char *src = getenv("TS_SOURCE_DIR");
    char path[4096], fw[TS_PLATFORM_PATH_BYTES];
    uint8_t *text;
    size_t n;
    cJSON *man, *c;

    cr_assert_not_null(src, "TS_SOURCE_DIR is not set (run the suite through ctest)");
    snprintf(path, sizeof path, "%s/tests/data/ops/manifest.json", src);
    text = read_all(path, &n);
    man = cJSON_Parse((const char *)text);
    ts_free(text);
    cr_assert_not_null(man, "%s: not JSON", path);
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        ts_target t;
        int cases = 0;

        load_target_named(targets[i], &t);
        need_firmware(&t);
        link_kinds(&t, TS_KERNELS_SIMD, none, fw, sizeof fw);
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(man, "cases")) {
            const char *spec = cJSON_GetObjectItemCaseSensitive(c, "spec")->valuestring;
            ts_gen *g = gen_model(spec);
            ts_engine_opts o;
            ts_engine *e = NULL;
            ts_err err;

            memset(&o, 0, sizeof o);
            o.firmware = fw, o.kernels = TS_KERNELS_SIMD, o.unit = "cpu";
            ts_err_clear(&err);
            if (ts_engine_open(&t, ts_gen_graph(g), spec, &o, &e, &err) == TS_OK) {
                cr_expect_neq(ts_engine_run(e, &err), TS_OK, "%s on %s ran without its kernel",
                              spec, t.name);
                cr_expect(strstr(err.msg, "TSFW_ERR_KIND") != NULL, "%s on %s: %s", spec,
                          t.name, err.msg);
                cases++;
            } else {
                /* only a model too large for the board (RAM) may not open */
                cr_expect(strstr(err.msg, "does not fit") != NULL, "%s: %s", spec, err.msg);
            }
            ts_engine_close(e);
            ts_gen_free(g);
        }
        cr_expect_gt(cases, 200, "%s: only %d golden specs ran", t.name, cases);
        ts_target_free(&t);
    }
    cJSON_Delete(man);
}

static int count_images(const char *dir, const char *name_or_null)
{
    char cmd[512];
    FILE *p;
    int n = -1;

    if (name_or_null)
        snprintf(cmd, sizeof cmd, "test -e '%s/%s' && echo 1 || echo 0", dir, name_or_null);
    else
        snprintf(cmd, sizeof cmd, "ls '%s' | grep -c '^tsfw_.*\\.elf$'", dir);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

/* The cache keeps 256 images: linking into a folder of 300 old ones leaves the 255 newest and
 * the new one; a temporary file of a killed link (older than an hour) goes, a fresh one stays. */
Test(fw_link, the_cache_folder_keeps_the_256_most_recent_images)
{
    uint32_t none[TS_PLATFORM_KIND_WORDS] = {0};
    char root[] = "/tmp/ts_cache_XXXXXX", dir[64], path[TS_PLATFORM_PATH_BYTES];
    time_t now = time(NULL);
    ts_target t;

    load_target_named("cortex-m0plus", &t);
    need_firmware(&t);
    cr_assert_not_null(mkdtemp(root));
    setenv("TINYSIM_CACHE_DIR", root, 1);
    snprintf(dir, sizeof dir, "%s/firmware", root);
    cr_assert_eq(mkdir(dir, 0755), 0);
    for (int i = 0; i < 300; i++) { /* image i is i hours old plus a day */
        char f[128];
        struct utimbuf when = {now - 86400 - 3600 * (time_t)i, now - 86400 - 3600 * (time_t)i};
        snprintf(f, sizeof f, "%s/tsfw_old_%03d.elf", dir, i);
        fclose(fopen(f, "w"));
        cr_assert_eq(utime(f, &when), 0);
    }
    {
        char f[128];
        struct utimbuf when = {now - 7200, now - 7200};
        snprintf(f, sizeof f, "%s/tsfw_cortex-m0.stale1", dir);
        fclose(fopen(f, "w"));
        cr_assert_eq(utime(f, &when), 0);
        snprintf(f, sizeof f, "%s/tsfw_cortex-m0.fresh1", dir);
        fclose(fopen(f, "w"));
    }
    link_kinds(&t, TS_KERNELS_REF, none, path, sizeof path);
    cr_expect_eq(count_images(dir, NULL), 256);
    cr_expect_eq(access(path, R_OK), 0, "the new image %s was pruned", path);
    cr_expect_eq(count_images(dir, "tsfw_old_000.elf"), 1, "the newest old image went");
    cr_expect_eq(count_images(dir, "tsfw_old_254.elf"), 1);
    cr_expect_eq(count_images(dir, "tsfw_old_255.elf"), 0, "an image past the cap stayed");
    cr_expect_eq(count_images(dir, "tsfw_old_299.elf"), 0, "the oldest image stayed");
    cr_expect_eq(count_images(dir, "tsfw_cortex-m0.stale1"), 0, "a stale temporary file stayed");
    cr_expect_eq(count_images(dir, "tsfw_cortex-m0.fresh1"), 1, "a fresh temporary file went");
    ts_target_free(&t);
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        cr_expect_eq(system(cmd), 0);
    }
}
