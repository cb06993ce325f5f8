/* test_cli_compare.c: `tinysim compare` end to end: every figure of --json equals what
 * `tinysim bench --json` reports for that target (totals, traffic summed by region kind,
 * footprint, per-layer cycles and accesses); savings checked by arithmetic; a target that
 * cannot hold the model gets its column while the others run; differing outputs (provoked
 * with the test-only TINYSIM_TEST_CORRUPT_OUTPUT) fail with one line; --csv parses and agrees
 * with --json; the text table fits 100 columns; --output writes bench's bytes; bad input exits
 * 2 with one line and no table.
 * Skips visibly without the firmware. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <unistd.h>

#include "cli_json.h"
#include "tests/unit/engine/engine_test.h"

static const cJSON *item(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

    cr_assert_not_null(x, "JSON has no '%s'", key);
    return x;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *x = item(o, key);

    cr_assert(cJSON_IsNumber(x), "'%s' is not a number", key);
    return x->valuedouble;
}

static cJSON *compare_json(const char *model, const char *targets)
{
    const char *args[] = {"compare", model, "--targets", targets, "--json", NULL};

    return cli_run_json(args);
}

/* Accesses or bytes (fetch + read + write) of the regions of one kind in a bench "regions"
 * array; -1 when no region has that kind. */
static double kind_sum(const cJSON *regions, const char *kind, bool bytes)
{
    const cJSON *r;
    double sum = -1;

    cJSON_ArrayForEach(r, regions) {
        if (kind && strcmp(cJSON_GetObjectItem(r, "kind")->valuestring, kind))
            continue;
        sum = (sum < 0 ? 0 : sum) + (bytes ? num(r, "fetch_bytes") + num(r, "read_bytes") +
                                                 num(r, "write_bytes")
                                           : num(r, "fetch_accesses") +
                                                 num(r, "read_accesses") +
                                                 num(r, "write_accesses"));
    }
    return sum;
}

static void check_levels(const cJSON *fig, const cJSON *regions)
{
    static const char *const kinds[] = {"flash", "sram", "tcm"};
    char key[64];

    for (int k = 0; k < 3; k++) {
        double acc = kind_sum(regions, kinds[k], false), b = kind_sum(regions, kinds[k], true);
        snprintf(key, sizeof key, "%s_accesses", kinds[k]);
        if (acc < 0) {
            cr_assert(cJSON_IsNull(item(fig, key)), "%s: no such region, yet a value", key);
            continue;
        }
        cr_assert_eq(num(fig, key), acc, "%s", key);
        snprintf(key, sizeof key, "%s_bytes", kinds[k]);
        cr_assert_eq(num(fig, key), b, "%s", key);
    }
    cr_assert_eq(num(fig, "accesses"), kind_sum(regions, NULL, false));
    cr_assert_eq(num(fig, "bytes"), kind_sum(regions, NULL, true));
}

static void check_layers(const cJSON *layers, const cJSON *bench_layers)
{
    int n = cJSON_GetArraySize(layers);

    cr_assert_gt(n, 10);
    cr_assert_eq(n, cJSON_GetArraySize(bench_layers));
    for (int k = 0; k < n; k++) {
        const cJSON *l = cJSON_GetArrayItem(layers, k), *b = cJSON_GetArrayItem(bench_layers, k);
        const cJSON *regions = item(b, "regions");
        cr_assert_eq(num(l, "cycles"), num(b, "cycles"), "layer %d", k);
        cr_assert_eq(num(l, "macs"), num(b, "macs"), "layer %d", k);
        cr_assert_str_eq(item(l, "unit")->valuestring, item(b, "unit")->valuestring);
        cr_assert_str_eq(item(l, "op")->valuestring, item(b, "op")->valuestring);
        cr_assert_eq(num(l, "accesses"), kind_sum(regions, NULL, false), "layer %d", k);
        cr_assert_eq(num(l, "bytes"), kind_sum(regions, NULL, true), "layer %d", k);
    }
}

/* Target entry x of compare --json against `tinysim bench --target NAME --json [--set SET]`. */
static void check_against_bench(const cJSON *x, const char *model, const char *set)
{
    const char *name = item(x, "target")->valuestring;
    const char *args[] = {"bench", "--target", name, model, "--json", set ? "--set" : NULL, set,
                          NULL};
    cJSON *b = cli_run_json(args);
    const cJSON *fig = item(x, "figures"), *tot = item(b, "totals"), *mem = item(b, "memory");

    cr_assert(cJSON_IsTrue(item(x, "fits")), "%s", name);
    cr_assert_str_eq(item(x, "kernels")->valuestring, item(b, "kernels")->valuestring);
    cr_assert_eq(num(fig, "clock_mhz"), num(b, "clock_hz") / 1e6);
    cr_assert_eq(num(fig, "cycles"), num(tot, "cycles"), "%s", name);
    cr_assert_eq(num(fig, "latency_ms"), num(tot, "latency_ms"), "%s", name);
    cr_assert_float_eq(num(fig, "macs_per_cycle"), num(tot, "macs") / num(tot, "cycles"), 1e-12);
    cr_assert_eq(num(fig, "instructions"), num(tot, "instructions"));
    cr_assert_eq(num(fig, "stall_cycles"), num(tot, "stall_cycles"));
    check_levels(fig, item(tot, "regions"));
    cr_assert_eq(num(fig, "arena_bytes"), num(mem, "arena_bytes"));
    cr_assert_eq(num(fig, "ram_used_bytes"), num(mem, "ram_used_bytes"));
    cr_assert_eq(num(fig, "ram_available_bytes"), num(mem, "ram_available_bytes"));
    cr_assert_eq(num(fig, "flash_used_bytes"), num(mem, "flash_used_bytes"));
    cr_assert_eq(num(fig, "flash_available_bytes"), num(mem, "flash_available_bytes"));
    check_layers(item(x, "layers"), item(b, "layers"));
    cJSON_Delete(b);
}

Test(cli_compare, every_figure_equals_what_bench_reports_for_that_target)
{
    char path[64];
    const char *model;
    cJSON *doc;
    const cJSON *x;

    need_target_firmware("cortex-m0plus");
    need_target_firmware("cortex-m4");
    need_target_firmware("cortex-m7");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    doc = compare_json(model, "cortex-m0plus,cortex-m4,cortex-m7");
    cr_assert_eq(cJSON_GetArraySize(item(doc, "targets")), 3);
    cr_assert_str_eq(item(doc, "baseline")->valuestring, "cortex-m0plus");
    cr_assert(cJSON_IsTrue(item(doc, "outputs_identical")));
    cJSON_ArrayForEach(x, item(doc, "targets")) check_against_bench(x, model, NULL);
    cJSON_Delete(doc);
    unlink(model);
}

Test(cli_compare, set_applies_to_every_target_and_regions_of_one_kind_are_summed)
{
    const char *set = "memory[2].kind=sram"; /* cortex-m7's dtcm becomes a second sram */
    char path[64];
    const char *model;
    cJSON *doc;
    const cJSON *x, *levels;

    need_target_firmware("cortex-m7");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    {
        const char *args[] = {"compare", model, "--targets", "cortex-m7", "--set", set, "--json",
                              NULL};
        doc = cli_run_json(args);
    }
    x = cJSON_GetArrayItem(item(doc, "targets"), 0);
    levels = item(x, "levels");
    cr_assert_eq(cJSON_GetArraySize(levels), 3);
    cr_assert_str_eq(item(cJSON_GetArrayItem(levels, 1), "level")->valuestring, "sram");
    cr_assert_eq(num(cJSON_GetArrayItem(levels, 1), "regions"), 2);
    cr_assert_eq(num(cJSON_GetArrayItem(levels, 2), "regions"), 1); /* itcm */
    cr_assert_eq(num(item(x, "figures"), "ram_available_bytes"), 128 * 1024); /* the dtcm */
    check_against_bench(x, model, set);
    cJSON_Delete(doc);
    unlink(model);
}

Test(cli_compare, savings_are_the_reduction_against_the_first_target_in_percent)
{
    static const char *const keys[] = {"cycles", "latency_ms", "accesses"};
    char path[64];
    const char *model;
    cJSON *doc;
    const cJSON *first, *x;

    need_target_firmware("cortex-m0plus");
    need_target_firmware("cortex-m7");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    doc = compare_json(model, "cortex-m0plus,cortex-m7");
    first = item(cJSON_GetArrayItem(item(doc, "targets"), 0), "figures");
    cJSON_ArrayForEach(x, item(doc, "targets")) {
        for (int k = 0; k < 3; k++) {
            double b = num(first, keys[k]), v = num(item(x, "figures"), keys[k]);
            cr_assert_float_eq(num(item(x, "savings_percent"), keys[k]), (b - v) / b * 100.0,
                               1e-9, "%s", keys[k]);
        }
    }
    /* the M7 is faster than the M0+ in cycles, and more so in time (480 vs 48 MHz) */
    x = cJSON_GetArrayItem(item(doc, "targets"), 1);
    cr_assert_gt(num(item(x, "savings_percent"), "cycles"), 0.0);
    cr_assert_gt(num(item(x, "savings_percent"), "latency_ms"),
                 num(item(x, "savings_percent"), "cycles"));
    cJSON_Delete(doc);
    unlink(model);
}

Test(cli_compare, a_target_that_cannot_hold_the_model_gets_its_column_and_the_others_run)
{
    char path[64];
    const char *model;
    cJSON *doc;
    const cJSON *m4, *m0, *fig;

    need_target_firmware("cortex-m0");
    need_target_firmware("cortex-m4");
    model = cli_gen_model("mobilenet_v1_025", path, sizeof path);
    doc = compare_json(model, "cortex-m4,cortex-m0");
    m4 = cJSON_GetArrayItem(item(doc, "targets"), 0);
    m0 = cJSON_GetArrayItem(item(doc, "targets"), 1);
    cr_assert(cJSON_IsTrue(item(m4, "fits")));
    cr_assert_gt(num(item(m4, "figures"), "cycles"), 1e6);
    fig = item(m0, "figures");
    cr_assert(cJSON_IsFalse(item(m0, "fits")));
    cr_assert(cJSON_IsFalse(item(m0, "fits_ram")));
    cr_assert(cJSON_IsNull(item(fig, "cycles")));
    cr_assert(cJSON_IsNull(item(item(m0, "savings_percent"), "cycles")));
    cr_assert_gt(num(fig, "ram_used_bytes"), num(fig, "ram_available_bytes"));
    cr_assert_eq(num(fig, "ram_available_bytes"), 8192); /* targets/cortex-m0.json */
    cr_assert_gt(num(fig, "flash_used_bytes"), num(fig, "flash_available_bytes"));
    cJSON_Delete(doc);
    unlink(model);
}

Test(cli_compare, the_text_report_names_the_bytes_of_a_target_that_cannot_hold_the_model)
{
    char path[64];
    const char *model;
    cli_result r;

    need_target_firmware("cortex-m0");
    need_target_firmware("cortex-m4");
    model = cli_gen_model("mobilenet_v1_025", path, sizeof path);
    {
        const char *args[] = {"compare", model, "--targets", "cortex-m0,cortex-m4", NULL};
        r = cli_run(args);
    }
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert_str_empty(r.err);
    cr_assert_not_null(strstr(r.out, "cortex-m0 cannot hold the model:"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "bytes needed, 8,192 available; flash"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "no savings: the first target, cortex-m0, cannot hold"));
    cr_assert_not_null(strstr(r.out, "NO: RAM+flash"), "%s", r.out);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_compare, differing_outputs_fail_with_one_line_naming_both_targets_and_the_byte)
{
    char path[64];
    const char *model;
    cli_result r;

    need_target_firmware("cortex-m0plus");
    need_target_firmware("cortex-m4");
    need_target_firmware("cortex-m7");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    setenv("TINYSIM_TEST_CORRUPT_OUTPUT", "cortex-m7:5", 1);
    {
        const char *args[] = {"compare", model, "--targets", "cortex-m0plus,cortex-m4,cortex-m7",
                              NULL};
        r = cli_run(args);
    }
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert_str_empty(r.out, "a table was printed: %.200s", r.out);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "outputs differ between targets cortex-m0plus and "
                                     "cortex-m7: output 0"), "%s", r.err);
    cr_assert_not_null(strstr(r.err, "byte 5:"), "%s", r.err);
    cli_result_free(&r);
    unlink(model);
}

/* Splits one CSV line (no quoted fields in these reports) into at most cap fields. */
static int split_csv(char *line, char **f, int cap)
{
    int n = 0;

    for (char *p = line; n < cap; p++) {
        char *comma = strchr(p, ',');
        f[n++] = p;
        if (!comma)
            break;
        *comma = '\0';
        p = comma;
    }
    return n;
}

static char *next_line(char **s)
{
    char *line = *s, *nl = line ? strchr(line, '\n') : NULL;

    if (!line || !*line)
        return NULL;
    if (nl)
        *nl = '\0';
    *s = nl ? nl + 1 : line + strlen(line);
    return line;
}

Test(cli_compare, csv_has_one_line_per_target_with_the_json_figures)
{
    char path[64], *hdr[64], *f[64], *rest, *line;
    const char *model;
    cJSON *doc;
    cli_result r;
    int nh, row = 0;

    need_target_firmware("cortex-m0plus");
    need_target_firmware("cortex-m7");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    doc = compare_json(model, "cortex-m0plus,cortex-m7");
    {
        const char *args[] = {"compare", model, "--targets", "cortex-m0plus,cortex-m7", "--csv",
                              NULL};
        r = cli_run(args);
    }
    cr_assert_eq(r.status, 0, "%s", r.err);
    rest = r.out;
    nh = split_csv(next_line(&rest), hdr, 64);
    cr_assert_str_eq(hdr[0], "target");
    while ((line = next_line(&rest)) != NULL) {
        const cJSON *x = cJSON_GetArrayItem(item(doc, "targets"), row++), *fig;
        cr_assert_not_null(x, "more CSV lines than targets");
        fig = item(x, "figures");
        cr_assert_eq(split_csv(line, f, 64), nh, "line %d", row);
        cr_assert_str_eq(f[0], item(x, "target")->valuestring);
        for (int k = 5; k < nh; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(fig, hdr[k]);
            if (!strncmp(hdr[k], "saving_", 7))
                continue;
            cr_assert_not_null(v, "CSV column %s is not a JSON figure", hdr[k]);
            if (cJSON_IsNull(v))
                cr_assert_str_empty(f[k], "%s", hdr[k]);
            else
                cr_assert_float_eq(strtod(f[k], NULL), v->valuedouble,
                                   1e-8 * (1.0 + v->valuedouble), "%s", hdr[k]);
        }
    }
    cr_assert_eq(row, 2);
    cli_result_free(&r);
    cJSON_Delete(doc);
    unlink(model);
}

Test(cli_compare, per_layer_csv_has_one_line_per_target_and_layer)
{
    char path[64], *f[16], *rest, *line;
    const char *model;
    cJSON *doc;
    cli_result r;
    int n = 0;

    need_target_firmware("cortex-m4");
    need_target_firmware("cortex-m7");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    doc = compare_json(model, "cortex-m4,cortex-m7");
    {
        const char *args[] = {"compare", model, "--targets", "cortex-m4,cortex-m7", "--csv",
                              "--per-layer", NULL};
        r = cli_run(args);
    }
    cr_assert_eq(r.status, 0, "%s", r.err);
    rest = r.out;
    cr_assert_str_eq(next_line(&rest), "target,index,op,unit,kernels,macs,cycles,accesses,bytes");
    while ((line = next_line(&rest)) != NULL) {
        const cJSON *layers = item(cJSON_GetArrayItem(item(doc, "targets"), n / 13), "layers");
        const cJSON *l = cJSON_GetArrayItem(layers, n % 13);
        cr_assert_eq(cJSON_GetArraySize(layers), 13); /* ds_cnn: 13 ops */
        cr_assert_eq(split_csv(line, f, 16), 9);
        cr_assert_str_eq(f[2], item(l, "op")->valuestring);
        cr_assert_eq(strtod(f[6], NULL), num(l, "cycles"));
        cr_assert_eq(strtod(f[7], NULL), num(l, "accesses"));
        n++;
    }
    cr_assert_eq(n, 26);
    cli_result_free(&r);
    cJSON_Delete(doc);
    unlink(model);
}

Test(cli_compare, text_table_of_four_targets_fits_100_columns_in_target_order)
{
    char path[64], *rest, *line;
    const char *model;
    cli_result r;
    const char *m0p, *m7;

    need_target_firmware("cortex-m0plus");
    need_target_firmware("cortex-m7");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    {
        const char *args[] = {"compare", model, "--targets",
                              "cortex-m0plus,cortex-m3,cortex-m4,cortex-m7", "--per-layer", NULL};
        r = cli_run(args);
    }
    cr_assert_eq(r.status, 0, "%s", r.err);
    m0p = strstr(r.out, "cortex-m0plus"), m7 = strstr(r.out, "cortex-m7");
    cr_assert(m0p && m7 && m0p < m7);
    cr_assert_not_null(strstr(r.out, "cycles per layer"));
    cr_assert_not_null(strstr(r.out, "\nsram accesses "));
    cr_assert_not_null(strstr(r.out, "\nsaving vs cortex-m0plus"));
    rest = r.out;
    while ((line = next_line(&rest)) != NULL)
        if (strncmp(line, "model ", 6) && strncmp(line, "  RAM ", 6))
            cr_assert_leq(strlen(line), 100, "%s", line);
    cli_result_free(&r);
    unlink(model);
}

Test(cli_compare, bad_input_exits_2_with_one_line_and_no_table)
{
    static const char *const bad[][6] = {
        {"--targets", "cortex-m4,no-such-target", NULL},
        {"--targets", "cortex-m4,,cortex-m7", NULL},
        {"--targets", "cortex-m4,cortex-m4", NULL},
        {"--targets", "cortex-m4", "--kernels", "both", NULL},
        {"--targets", "cortex-m4", "--set", "clock_hz=fast", NULL},
        {"--targets", "cortex-m4", "--set", "clock_hz", NULL},
        {"--targets", "cortex-m4", "--json", "--csv", NULL},
        {"--targets", NULL},
        {"--per-layer", NULL},
    };
    char path[64];
    const char *model;

    need_target_firmware("cortex-m4");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[10] = {"compare", model};
        cli_result r;
        for (int k = 0; bad[i][k]; k++)
            args[2 + k] = bad[i][k];
        r = cli_run(args);
        cr_assert_eq(r.status, 2, "case %zu: exit %d: %s", i, r.status, r.err);
        if (strcmp(bad[i][2] ? bad[i][2] : "", "--json") == 0) /* the JSON rule: the error */
            cr_assert(strstr(r.out, "\"error\":") && !strstr(r.out, "\"targets\""),
                      "case %zu: %s", i, r.out);
        else
            cr_assert_str_empty(r.out, "case %zu", i);
        cr_assert_eq(count_lines(r.err), 1, "case %zu: %s", i, r.err);
        cr_assert_eq(strncmp(r.err, "tinysim: ", 9), 0, "case %zu: %s", i, r.err);
        cli_result_free(&r);
    }
    unlink(model);
}

Test(cli_compare, output_files_hold_the_bytes_bench_writes)
{
    char path[64], a[64], b[64];
    uint8_t x[256], y[256];
    const char *model;
    size_t nx, ny;
    cli_result r;

    need_target_firmware("cortex-m0plus");
    need_target_firmware("cortex-m4");
    need_target_firmware("cortex-m7");
    model = cli_gen_model("ds_cnn", path, sizeof path);
    snprintf(a, sizeof a, "/tmp/ts_cmp_out_%d_a.bin", (int)getpid());
    snprintf(b, sizeof b, "/tmp/ts_cmp_out_%d_b.bin", (int)getpid());
    {
        const char *args[] = {"compare", model, "--targets", "cortex-m4,cortex-m7", "--output", a,
                              NULL};
        r = cli_run(args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cli_result_free(&r);
    }
    {
        const char *args[] = {"bench", "--target", "cortex-m0plus", model, "--output", b, NULL};
        r = cli_run(args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cli_result_free(&r);
    }
    nx = cli_read_file(a, x, sizeof x), ny = cli_read_file(b, y, sizeof y);
    cr_assert_eq(nx, 12); /* ds_cnn: int8 [1,12] */
    cr_assert_eq(nx, ny);
    cr_assert_arr_eq(x, y, nx);
    unlink(a), unlink(b), unlink(model);
}
