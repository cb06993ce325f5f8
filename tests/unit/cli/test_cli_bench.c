/* test_cli_bench.c: `tinysim bench` end to end: --json parsed with cJSON (layers sum to the
 * totals, outputs equal the host executor's on the documented default input, which is the
 * golden manifest's rand1 input), --output files, .npy files as `run`, the text report, bad
 * input (exit 2, one stderr line) and the does-not-fit report. Skips visibly without the
 * firmware. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <unistd.h>

#include "cli_json.h"
#include "sim/base/alloc.h"
#include "tests/unit/engine/engine_test.h"

/* The host executor's output 0 for the documented default input (xorshift32 seed 1). */
static void host_output(const char *model, uint8_t *out, size_t *n)
{
    ts_model *m = NULL;
    ts_ref *r = NULL;
    ts_err err;
    ts_ref_io io;
    uint32_t s = 0x9E3779B9u;
    uint8_t *in;
    const uint8_t *o;

    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(model, &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare(m, &r, &err), TS_OK, "%s", err.msg);
    ts_ref_input_info(r, 0, &io);
    in = calloc(1, io.size_bytes + 1);
    for (int64_t k = 0; k < io.n_elems; k++)
        in[k] = (uint8_t)(int8_t)((int32_t)(test_xorshift(&s) >> 24) - 128);
    cr_assert_eq(ts_ref_set_input(r, 0, in, io.size_bytes, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
    o = ts_ref_output(r, 0, n);
    memcpy(out, o, *n);
    free(in);
    ts_ref_free(r);
    ts_model_free(m);
}

Test(cli_bench, json_report_parses_and_its_layers_sum_to_the_totals)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("ds_cnn", path, sizeof path));
    const char *args[] = {"bench", "--target", "cortex-m4", model, "--json", NULL};
    cli_result r = cli_run(args);
    cJSON *j = cJSON_Parse(r.out), *layers, *l, *tot, *vals;
    double sum = 0;
    uint8_t want[64];
    size_t n = 0;
    int k = 0;

    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_not_null(j, "not JSON: %.200s", r.out);
    layers = cJSON_GetObjectItem(j, "layers");
    cr_assert(cJSON_GetArraySize(layers) > 10);
    cJSON_ArrayForEach(l, layers) sum += cJSON_GetObjectItem(l, "cycles")->valuedouble;
    tot = cJSON_GetObjectItem(j, "totals");
    cr_assert_eq(sum, cJSON_GetObjectItem(tot, "cycles")->valuedouble);
    cr_assert_gt(cJSON_GetObjectItem(tot, "latency_ms")->valuedouble, 0.0);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "memory"), "fits_ram")));
    cr_assert_str_eq(cJSON_GetObjectItem(j, "input")->valuestring, "xorshift32 seed 1");
    host_output(model, want, &n);
    vals = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "outputs"), 0),
                               "values");
    cr_assert_eq((size_t)cJSON_GetArraySize(vals), n);
    cJSON_ArrayForEach(l, vals) {
        cr_assert_eq((int)l->valuedouble, (int8_t)want[k], "value %d", k);
        k++;
    }
    cJSON_Delete(j);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_bench, default_input_is_the_golden_rand1_input)
{
    const char *d = getenv("TS_SHARED_DIR");
    char model[4096], in[4096], out[] = "/tmp/ts_bench_out_XXXXXX";
    uint8_t want[64], got[64];
    size_t n = 0;
    int fd;

    need_target_firmware("cortex-m4");
    shared_model_path("kws_ds_cnn_int8", model, sizeof model);
    snprintf(in, sizeof in, "%s/golden/kws_ds_cnn_int8/rand1.in0.bin", d);
    fd = mkstemp(out);
    close(fd);
    const char *a1[] = {"bench", "--target", "cortex-m4", model, "--output", out, NULL};
    cli_result r = cli_run(a1);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "xorshift32 seed 1"));
    host_output(model, want, &n);
    FILE *f = fopen(out, "rb");
    cr_assert_eq(fread(got, 1, sizeof got, f), n);
    fclose(f);
    cr_assert_eq(memcmp(got, want, n), 0);
    cli_result_free(&r);
    const char *a2[] = {"bench", "--target", "cortex-m4", model, "--input", in, "--output", out,
                        NULL};
    r = cli_run(a2);
    cr_assert_eq(r.status, 0, "%s", r.err);
    f = fopen(out, "rb");
    cr_assert_eq(fread(got, 1, sizeof got, f), n);
    fclose(f);
    cr_assert_eq(memcmp(got, want, n), 0, "golden rand1 input differs from the default input");
    cli_result_free(&r);
    unlink(out);
}

Test(cli_bench, text_report_has_layers_totals_and_memory)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("hello_world", path, sizeof path));
    const char *args[] = {"bench", "--target", "cortex-m4", model, NULL};
    cli_result r = cli_run(args);

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "FULLY_CONNECTED"), "%s", r.out);
    cr_assert(strstr(r.out, "ms at 120 MHz"), "%s", r.out);
    cr_assert(strstr(r.out, "cycles/MAC"), "%s", r.out);
    cr_assert(strstr(r.out, "(firmware "), "%s", r.out);
    cr_assert(strstr(r.out, ": fits"), "%s", r.out);
    cr_assert_str_eq(r.err, "");
    cli_result_free(&r);
    unlink(model);
}

Test(cli_bench, bad_input_exits_2_with_one_line)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("hello_world", path, sizeof path));
    const char *no_target[] = {"bench", model, NULL};
    const char *bad_in[] = {"bench", "--target", "cortex-m4", model, "--input", model, NULL};
    const char *bad_set[] = {"bench", "--target", "cortex-m4", model, "--set", "clock_hz", NULL};
    const char *nl_path[] = {"bench", "--target", "cortex-m4", model, "--input", "no\nsuch.bin",
                             NULL}; /* a newline in a quoted name stays on the one line */
    const char *const *cases[] = {no_target, bad_in, bad_set, nl_path};

    for (size_t i = 0; i < 4; i++) {
        cli_result r = cli_run(cases[i]);
        cr_assert_eq(r.status, 2, "case %zu: %s", i, r.err);
        cr_assert_eq(count_lines(r.err), 1, "case %zu: %s", i, r.err);
        cr_assert(strncmp(r.err, "tinysim: ", 9) == 0, "%s", r.err);
        cr_assert_str_eq(r.out, "");
        cli_result_free(&r);
    }
    unlink(model);
}

Test(cli_bench, a_model_that_does_not_fit_prints_its_footprint_and_exits_2)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("ds_cnn", path, sizeof path));
    const char *text[] = {"bench", "--target", "cortex-m0", model, NULL};
    const char *json[] = {"bench", "--target", "cortex-m0", model, "--json", NULL};
    cli_result r = cli_run(text);
    cJSON *j;

    cr_assert_eq(r.status, 2);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cr_assert(strstr(r.err, "does not fit target cortex-m0: sram needs"), "%s", r.err);
    cr_assert(strstr(r.out, "DOES NOT FIT") && strstr(r.out, "warning:"), "%s", r.out);
    cli_result_free(&r);
    r = cli_run(json);
    cr_assert_eq(r.status, 2);
    j = cJSON_Parse(r.out);
    cr_assert_not_null(j, "%s", r.out);
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "memory"), "fits_ram")));
    cr_assert(strstr(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "message")->valuestring,
                     "does not fit"), "%s", r.out);
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "exit_status")->valueint, 2);
    cJSON_Delete(j);
    cli_result_free(&r);
    unlink(model);
}

/* --link: cortex-m0 runs SUB from a per-model image (auto), says so in the text and JSON
 * reports; `--link sets` refuses it in one line; a bad value and --link with --firmware are
 * usage errors. The outputs are checked against the host in the engine suite (fw_link). */
Test(cli_bench, link_chooses_between_op_set_and_per_model_firmware)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m0"),
                         cli_gen_model("op:sub,int8,1x4x4x3", path, sizeof path));
    const char *text[] = {"bench", "--no-db", "--target", "cortex-m0", model, NULL};
    const char *json[] = {"bench", "--no-db", "--target", "cortex-m0", model, "--json", NULL};
    const char *sets[] = {"bench", "--no-db", "--target", "cortex-m0", model, "--link", "sets",
                          NULL};
    const char *bad[] = {"bench", "--target", "cortex-m0", model, "--link", "all", NULL};
    const char *both[] = {"bench", "--target", "cortex-m0", model, "--link", "model",
                          "--firmware", "x.elf", NULL};
    cli_result r = cli_run(text);
    cJSON *j, *mem;

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "(per-model link)"), "%s", r.out);
    cli_result_free(&r);
    r = cli_run(json);
    cr_assert_eq(r.status, 0, "%s", r.err);
    j = cJSON_Parse(r.out);
    cr_assert_not_null(j, "%s", r.out);
    mem = cJSON_GetObjectItem(j, "memory");
    cr_assert_str_eq(cJSON_GetObjectItem(mem, "firmware_link")->valuestring, "model");
    cr_assert_lt(cJSON_GetObjectItem(mem, "firmware_bytes")->valuedouble, 65536.0);
    cJSON_Delete(j);
    cli_result_free(&r);
    r = cli_run(sets);
    cr_assert_eq(r.status, 2);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cr_assert(strstr(r.err, "does not fit target cortex-m0: the firmware image alone is"), "%s",
              r.err);
    cli_result_free(&r);
    {
        /* the run record says which image ran */
        char db[] = "/tmp/ts_link_db_XXXXXX";
        int fd = mkstemp(db);
        const char *rec[] = {"bench", "--db", db, "--target", "cortex-m0", model, NULL};
        const char *exp[] = {"results", "export", "--format", "json", "--db", db, NULL};
        cr_assert_geq(fd, 0);
        close(fd);
        unlink(db);
        r = cli_run(rec);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cli_result_free(&r);
        r = cli_run(exp);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(strstr(r.out, "\"firmware_link\":\t\"model\"") ||
                  strstr(r.out, "\"firmware_link\": \"model\"") ||
                  strstr(r.out, "\"firmware_link\":\"model\""), "%s", r.out);
        cli_result_free(&r);
        unlink(db);
    }
    {
        const char *suite[] = {"bench", "--suite", "s.json", "--link", "model", NULL};
        r = cli_run(suite);
        cr_assert_eq(r.status, 2);
        cr_assert_str_eq(r.err, "tinysim: bench: --link is for one run (a suite runs each "
                         "model with the default, auto)\n");
        cli_result_free(&r);
    }
    r = cli_run(bad);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "tinysim: bench: --link: expected auto, sets or model, got 'all'\n");
    cli_result_free(&r);
    r = cli_run(both);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "tinysim: bench: --link chooses between tinysim's own images (got "
                     "--firmware x.elf)\n");
    cli_result_free(&r);
    unlink(model);
}

/* --input-npy/--output-npy behave as in `tinysim run`: the same .npy input gives the same .npy
 * output file, byte for byte, and a .npy of the wrong dtype is refused with one line. */
Test(cli_bench, npy_inputs_and_outputs_match_run)
{
    char path[64], in[] = "/tmp/ts_bench_in_XXXXXX", bad[] = "/tmp/ts_bench_bad_XXXXXX";
    char o_run[] = "/tmp/ts_bench_or_XXXXXX", o_bench[] = "/tmp/ts_bench_ob_XXXXXX";
    const char *model = (need_target_firmware("cortex-m4"), cli_gen_model("hello_world", path, sizeof path));
    ts_model *m = NULL;
    ts_ref *ref = NULL;
    ts_ref_io io;
    ts_err err;
    char header[512];
    size_t hlen = 0;
    uint8_t a[4096], b[4096];
    FILE *f;

    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(model, &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare(m, &ref, &err), TS_OK, "%s", err.msg);
    ts_ref_input_info(ref, 0, &io);
    cr_assert_eq(io.dtype, TS_DT_INT8);
    for (const char *p = in; p; p = p == in ? bad : NULL) {
        /* in: int8 as the model wants (value 37 = x of about 1.5); bad: float32 */
        ts_dtype dt = p == in ? TS_DT_INT8 : TS_DT_FLOAT32;
        size_t esz = p == in ? 1 : 4;
        int fd = mkstemp((char *)p);
        cr_assert_eq(ts_npy_header(dt, io.rank, io.shape, header, sizeof header, &hlen, &err),
                     TS_OK, "%s", err.msg);
        f = fdopen(fd, "wb");
        fwrite(header, 1, hlen, f);
        for (int64_t k = 0; k < io.n_elems * (int64_t)esz; k++)
            fputc(37, f);
        fclose(f);
    }
    close(mkstemp(o_run));
    close(mkstemp(o_bench));
    const char *run[] = {"run", model, "--input-npy", in, "--output-npy", o_run, "-q", NULL};
    const char *ben[] = {"bench", "--target", "cortex-m4", model, "--input-npy", in,
                         "--output-npy", o_bench, NULL};
    const char *wrong[] = {"bench", "--target", "cortex-m4", model, "--input-npy", bad, NULL};
    cli_result r = cli_run(run);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    r = cli_run(ben);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "from --input files"), "%s", r.out);
    cli_result_free(&r);
    size_t na = cli_read_file(o_run, a, sizeof a), nb = cli_read_file(o_bench, b, sizeof b);
    cr_assert_gt(na, 10);
    cr_assert(memcmp(a, "\x93NUMPY", 6) == 0, "not a .npy file");
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(a, b, na), 0, "bench and run wrote different .npy outputs");
    r = cli_run(wrong);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cr_assert(strstr(r.err, "dtype float32 (expected int8)"), "%s", r.err);
    cli_result_free(&r);
    ts_ref_free(ref);
    ts_model_free(m);
    unlink(in), unlink(bad), unlink(o_run), unlink(o_bench), unlink(model);
}

/* bench --json on cortex-m4 with up to three --set overrides (NULL: fewer). */
static cJSON *bench_set(const char *model, const char *s1, const char *s2, const char *s3)
{
    const char *args[13] = {"bench", "--target", "cortex-m4", model, "--no-db", "--json"};
    const char *sets[3] = {s1, s2, s3};
    int n = 6;

    for (int i = 0; i < 3 && sets[i]; i++) { /* 6 + 3 x 2 arguments and the NULL */
        args[n++] = "--set";
        args[n++] = sets[i];
    }
    return cli_run_json(args);
}

static const cJSON *totals_item(const cJSON *j, const char *key)
{
    return cJSON_GetObjectItem(cJSON_GetObjectItem(j, "totals"), key);
}

static double flash_uj(const cJSON *j)
{
    return cJSON_GetObjectItem(totals_item(j, "energy_uj"), "flash")->valuedouble;
}

/* The flash accelerator of cortex-m4 is looked up at any wait states: at 0 its hits and fills
 * cost what they cost at 5 (the same accesses meet the same cache), only the stalls go; with
 * the caches removed every access is a flash read (711.1 pJ, targets/cortex-m4.json). */
Test(cli_bench, a_flash_cache_at_zero_wait_states_still_serves_the_accesses)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"),
                         cli_gen_model("hello_world", path, sizeof path));
    cJSON *ws5 = bench_set(model, "memory[0].wait_states=5", NULL, NULL);
    cJSON *ws0 = bench_set(model, "memory[0].wait_states=0", NULL, NULL);
    cJSON *bare = bench_set(model, "memory[0].wait_states=0", "memory[0].cache.icache_lines=0",
                            "memory[0].cache.dcache_lines=0");
    const cJSON *fl = cJSON_GetArrayItem(totals_item(bare, "regions"), 0);
    double reads = cJSON_GetObjectItem(fl, "fetch_accesses")->valuedouble +
                   cJSON_GetObjectItem(fl, "read_accesses")->valuedouble;

    cr_expect_eq(flash_uj(ws0), flash_uj(ws5), "cached flash energy at 0 and 5 wait states");
    cr_expect_lt(totals_item(ws0, "cycles")->valuedouble, totals_item(ws5, "cycles")->valuedouble);
    cr_expect_eq(totals_item(ws0, "stall_cycles")->valuedouble, 0.0);
    cr_expect_gt(flash_uj(bare), flash_uj(ws0), "without the caches flash costs more");
    cr_expect(reads * 711.1e-6 - flash_uj(bare) < 1e-9 && flash_uj(bare) - reads * 711.1e-6 <
              1e-9, "no cache: %g uJ for %g reads", flash_uj(bare), reads);
    cJSON_Delete(ws5);
    cJSON_Delete(ws0);
    cJSON_Delete(bare);
    unlink(model);
}

/* A model with no inputs (constant float16 weights dequantized) says so rather than naming
 * the default input rule: run, bench (text and JSON) and compare. */
Test(cli_bench, a_model_without_inputs_says_it_has_none)
{
    char path[64];
    const char *model = (need_target_firmware("cortex-m4"),
                         cli_gen_model("op:dequantize,float16,1x8", path, sizeof path));
    const char *run[] = {"run", model, NULL};
    const char *text[] = {"bench", "--target", "cortex-m4", model, "--no-db", NULL};
    const char *json[] = {"bench", "--target", "cortex-m4", model, "--no-db", "--json", NULL};
    const char *cmp[] = {"compare", model, "--targets", "cortex-m4", NULL};
    const char *const *cases[] = {run, text, cmp};
    const char *want[] = {"input: none (the model has no inputs)\n",
                          "input         none (the model has no inputs)\n",
                          "input     none (the model has no inputs)\n"};
    cli_result r;
    cJSON *j;

    for (int i = 0; i < 3; i++) {
        r = cli_run(cases[i]);
        cr_assert_eq(r.status, 0, "stderr: %s", r.err);
        cr_expect(strstr(r.out, want[i]) && !strstr(r.out, "xorshift32"), "%s", r.out);
        cli_result_free(&r);
    }
    j = cli_run_json(json);
    cr_expect_str_eq(cJSON_GetObjectItem(j, "input")->valuestring, "none");
    cJSON_Delete(j);
    unlink(model);
}
