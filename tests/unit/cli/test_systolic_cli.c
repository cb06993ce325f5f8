/* test_systolic_cli.c: `tinysim systolic`: SCALE-Sim's files in, its reports out (compared
 * with SCALE-Sim's own reports when ../shared is present), malformed topology/cfg files
 * (generated here) rejected with one `FILE: line N: field X` line and exit 2 and no report
 * written, and the .tflite path with its per-channel depthwise mapping. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_run.h"

static const char good_cfg[] =
    "[general]\nrun_name = scale_example_run_32x32_os\n\n"
    "[architecture_presets]\nArrayHeight:    32\nArrayWidth:     32\n"
    "IfmapSramSzkB:    64\nFilterSramSzkB:   64\nOfmapSramSzkB:    64\n"
    "IfmapOffset:    0\nFilterOffset:   10000000\nOfmapOffset:    20000000\n"
    "Bandwidth : 10\nDataflow : os\nMemoryBanks:   1\n\n"
    "[run_presets]\nInterfaceBandwidth: CALC\n";

static const char good_topo[] =
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
    "Strides,\nInc5b_3x3, 7, 7, 3, 3, 192, 384, 1,\n";

typedef struct tmpdir {
    char dir[64], out[96], cfg[96], topo[96];
} tmpdir;

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void tmp_setup(tmpdir *t, const char *cfg, const char *topo)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/ts_systolic_XXXXXX");
    cr_assert_not_null(mkdtemp(t->dir));
    snprintf(t->out, sizeof t->out, "%s/out", t->dir);
    snprintf(t->cfg, sizeof t->cfg, "%s/array.cfg", t->dir);
    snprintf(t->topo, sizeof t->topo, "%s/net.csv", t->dir);
    cr_assert_eq(mkdir(t->out, 0700), 0);
    write_text(t->cfg, cfg);
    write_text(t->topo, topo);
}

static void tmp_cleanup(tmpdir *t)
{
    static const char *const names[] = {"COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv",
                                        "DETAILED_ACCESS_REPORT.csv"};
    char p[160];

    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", t->out, names[i]);
        unlink(p);
    }
    rmdir(t->out);
    unlink(t->cfg);
    unlink(t->topo);
    rmdir(t->dir);
}

static int report_exists(const tmpdir *t, const char *name)
{
    char p[160];

    snprintf(p, sizeof p, "%s/%s", t->out, name);
    return access(p, F_OK) == 0;
}

static cli_result run_files(const tmpdir *t, const char *topo)
{
    const char *args[] = {"systolic", "--topology", topo, "--config", t->cfg, "-o", t->out, NULL};

    return cli_run(args);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = calloc(1, 1 << 16);
    size_t n;

    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_not_null(buf);
    n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static const char *shared_ref(char *buf, size_t cap, const char *rel)
{
    const char *d = getenv("TS_SHARED_DIR");

    snprintf(buf, cap, "%s/reference/scalesim/%s", d ? d : "", rel);
    return d && access(buf, R_OK) == 0 ? buf : NULL;
}

/* First line of s (up to '\n'), compared with that of o. */
static int same_first_line(const char *s, const char *o)
{
    size_t a = strcspn(s, "\n"), b = strcspn(o, "\n");

    return a == b && memcmp(s, o, a) == 0;
}

Test(systolic_cli, writes_scalesims_three_reports_for_its_alexnet_run)
{
    static const char *const names[] = {"COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv",
                                        "DETAILED_ACCESS_REPORT.csv"};
    char topo[1024], ref[1024], mine[160];
    tmpdir t;

    if (!shared_ref(topo, sizeof topo, "topologies/alexnet.csv"))
        cr_skip_test("SCALE-Sim reference reports not found (TS_SHARED_DIR=%s): skipped",
                     getenv("TS_SHARED_DIR") ? getenv("TS_SHARED_DIR") : "unset");
    tmp_setup(&t, good_cfg, good_topo);
    cli_result r = run_files(&t, topo);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "Conv5"), "%s", r.out);
    for (int i = 0; i < 3; i++) {
        char rel[128];

        snprintf(rel, sizeof rel, "v2_alexnet_32x32_os/%s", names[i]);
        snprintf(mine, sizeof mine, "%s/%s", t.out, names[i]);
        char *a = read_all(mine), *b = read_all(shared_ref(ref, sizeof ref, rel));

        cr_expect(same_first_line(a, b), "%s: header differs from SCALE-Sim's", names[i]);
        cr_expect_eq(count_lines(a), count_lines(b), "%s: row count", names[i]);
        /* cycles, stalls, utilisation and mapping efficiency are SCALE-Sim's to the digit */
        if (i == 0)
            cr_expect_str_eq(a, b);
        free(a);
        free(b);
    }
    cli_result_free(&r);
    tmp_cleanup(&t);
}

typedef struct bad_case {
    const char *what, *cfg, *topo, *expect;
} bad_case;

#define HDR "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, " \
            "Num Filter, Strides,\n"

/* buf = base with `from` replaced by `to` (base may not alias buf). */
static void cfg_edit(char *buf, size_t cap, const char *base, const char *from, const char *to)
{
    const char *p = strstr(base, from);

    cr_assert_not_null(p);
    snprintf(buf, cap, "%.*s%s%s", (int)(p - base), base, to, p + strlen(from));
}

static void expect_rejected(const bad_case *c)
{
    tmpdir t;

    tmp_setup(&t, c->cfg, c->topo);
    cli_result r = run_files(&t, t.topo);
    cr_expect_eq(r.status, 2, "%s: exit %d", c->what, r.status);
    cr_expect_eq(count_lines(r.err), 1, "%s: %s", c->what, r.err);
    cr_expect(strncmp(r.err, "tinysim: ", 9) == 0 && strstr(r.err, c->expect),
              "%s: got '%s', expected '%s'", c->what, r.err, c->expect);
    cr_expect(!report_exists(&t, "COMPUTE_REPORT.csv"), "%s: a report was written", c->what);
    cli_result_free(&r);
    tmp_cleanup(&t);
}

Test(systolic_cli, rejects_malformed_topologies_with_file_line_and_field)
{
    const bad_case cases[] = {
        {"letters", good_cfg, HDR "L1, 7, 7, 3, 3, abc, 8, 1,\n",
         "net.csv: line 2: field Channels: not an integer (expected a whole number, got \"abc\")"},
        {"short row", good_cfg, HDR "L1, 7, 7, 3, 3, 4\n",
         "net.csv: line 2: field Num Filter: wrong number of fields (expected 8, got 6)"},
        {"long row", good_cfg, HDR "L1, 7, 7, 3, 3, 4, 8, 1, 9\n",
         "net.csv: line 2: field Strides: wrong number of fields"},
        {"filter larger than ifmap", good_cfg, HDR "\nL1, 7, 7, 9, 3, 4, 8, 1,\n",
         "net.csv: line 3: field Filter Height: larger than the ifmap (expected <= 7, got 9)"},
        {"zero stride", good_cfg, HDR "L1, 7, 7, 3, 3, 4, 8, 0,\n",
         "net.csv: line 2: field Strides: must be in 1..1000000 (got 0)"},
        {"no header", good_cfg, "L1, 7, 7, 3, 3, 4, 8, 1,\n",
         "net.csv: line 1: field Layer name: not a SCALE-Sim topology header"},
        {"no layers", good_cfg, HDR, "net.csv: line 1: no layers"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_rejected(&cases[i]);
}

Test(systolic_cli, rejects_bad_array_parameters_with_the_cfg_line_and_reason)
{
    static char cfg[8][1024];
    const struct { const char *from, *to, *expect; } edits[] = {
        {"ArrayHeight:    32", "ArrayHeight:    0",
         "array.cfg: line 5: field ArrayHeight: must be >= 1 (got 0)"},
        {"IfmapSramSzkB:    64", "IfmapSramSzkB:    1",
         "array.cfg: line 7: field IfmapSramSzkB: buffer smaller than one 32x32 fold tile per "
         "half (expected >= 2048 words, got 1024)"},
        {"Bandwidth : 10", "Bandwidth : -4",
         "array.cfg: line 13: field Bandwidth: must be >= 0 words/cycle (got -4)"},
        {"InterfaceBandwidth: CALC", "InterfaceBandwidth: FAST",
         "array.cfg: line 18: field InterfaceBandwidth: bad value (expected CALC or USER, got "
         "\"FAST\")"},
        {"Dataflow : os", "Dataflow : rs",
         "array.cfg: line 14: field Dataflow: bad value (expected os, ws or is, got \"rs\")"},
        {"Dataflow : os", "",
         "array.cfg: section [architecture_presets]: field Dataflow: missing"},
        {"ArrayWidth:     32", "ArrayWidth      32",
         "array.cfg: line 6: field ArrayWidth      32: no value (expected KEY = VALUE"},
        {"[general]", "[general",
         "array.cfg: line 1: section: malformed header (expected [name]"},
    };

    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        bad_case c = {edits[i].expect, cfg[i], good_topo, edits[i].expect};

        cfg_edit(cfg[i], sizeof cfg[i], good_cfg, edits[i].from, edits[i].to);
        expect_rejected(&c);
    }
}

Test(systolic_cli, a_user_bandwidth_of_zero_is_rejected)
{
    char cfg[1024], tmp[1024];
    bad_case c = {"zero user bandwidth", cfg, good_topo,
                  "array.cfg: line 13: field Bandwidth: must be > 0 words/cycle with "
                  "InterfaceBandwidth USER (got 0)"};

    cfg_edit(tmp, sizeof tmp, good_cfg, "Bandwidth : 10", "Bandwidth : 0");
    cfg_edit(cfg, sizeof cfg, tmp, "InterfaceBandwidth: CALC", "InterfaceBandwidth: USER");
    expect_rejected(&c);
}

/* Column j (0 = LayerID) of row i of a report. */
static double report_cell(const char *text, int row, int col)
{
    const char *s = text;

    for (int i = 0; i <= row; i++)
        s = strchr(s, '\n') + 1;
    for (int j = 0; j < col; j++)
        s = strchr(s, ',') + 1;
    return strtod(s, NULL);
}

Test(systolic_cli, maps_a_tflite_and_reports_depthwise_per_channel_as_the_weak_spot)
{
    char conv[256], dw[256], mine[160];
    const char *specs[2] = {cli_gen_model("conv:16,16,32,64,3,3", conv, sizeof conv),
                            cli_gen_model("dwconv:16,16,32,3,3", dw, sizeof dw)};
    double util[2];
    tmpdir t;

    tmp_setup(&t, good_cfg, good_topo);
    for (int i = 0; i < 2; i++) {
        const char *args[] = {"systolic", "--model", specs[i], "--config", t.cfg, "-o", t.out,
                              NULL};
        cli_result r = cli_run(args);

        cr_assert_eq(r.status, 0, "%s", r.err);
        snprintf(mine, sizeof mine, "%s/COMPUTE_REPORT.csv", t.out);
        char *text = read_all(mine);
        util[i] = report_cell(text, 0, 3);
        /* same padding: 16x16 output from an 18x18 padded input; M = 256 */
        cr_expect(strstr(r.out, "   256 "), "%s", r.out);
        free(text);
        cli_result_free(&r);
        unlink(specs[i]);
    }
    {
        char *last = read_all(mine);
        cr_expect(strstr(last, "\n0, "), "one row for the depthwise op");
        free(last);
    }
    /* conv: 256 x 64 x 288 on 32x32 fills the array; depthwise per channel uses one column
     * of 32 (N = 1): at most 1/32 of the PEs */
    cr_expect_gt(util[0], 80.0, "conv util %.2f", util[0]);
    cr_expect_lt(util[1], 100.0 / 32, "depthwise util %.2f", util[1]);
    tmp_cleanup(&t);
}

Test(systolic_cli, a_layer_too_large_to_walk_is_rejected_not_run_for_hours)
{
    const bad_case c = {"huge layer", good_cfg, HDR "Big, 1000000, 1000000, 1, 1, 1, 1, 1,\n",
                        "net.csv: Big: layer: 31250000000 folds on a 32x32 array (expected <= "
                        "100000000)"};

    expect_rejected(&c);
}
