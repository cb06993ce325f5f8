/* cmd_systolic.c: `tinysim systolic (--topology NET.csv | --model M.tflite) --config ARRAY.cfg
 * [-o DIR]`: runs the systolic-array timing model (sim/unit/systolic_model.h) over a
 * SCALE-Sim v2 topology or a .tflite's conv/depthwise/FC ops, writes SCALE-Sim v2's three
 * reports (COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv, DETAILED_ACCESS_REPORT.csv, same
 * columns and number formats) into DIR all or nothing, and prints a per-layer summary.
 * Layer: bench/ (prints). All figures come from sim/unit. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "outfiles.h"
#include "unit/systolic_files.h"

typedef struct sys_opts {
    const char *topology, *model, *config, *dir;
} sys_opts;

static int parse_opts(int argc, char **argv, sys_opts *o)
{
    memset(o, 0, sizeof *o);
    o->dir = ".";
    for (int i = 1; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--topology") == 0 ? &o->topology
                            : strcmp(argv[i], "--model") == 0  ? &o->model
                            : strcmp(argv[i], "--config") == 0 ? &o->config
                            : strcmp(argv[i], "-o") == 0       ? &o->dir
                                                               : NULL;
        if (!slot)
            return cli_usage_error("systolic: unknown argument '%s'", argv[i]);
        if (i + 1 >= argc)
            return cli_usage_error("systolic: %s needs a value", argv[i]);
        *slot = argv[++i];
    }
    if (!o->config || !!o->topology == !!o->model)
        return cli_usage_error("systolic: expected --config and one of --topology/--model");
    return 0;
}

/* A double as Python's repr() prints it (SCALE-Sim writes its reports with str()): the
 * shortest digits that read back to the same value, positional for 1e-4 <= |v| < 1e16. */
static void py_float(FILE *f, double v)
{
    char buf[64];
    int p = 1;

    for (; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    double a = fabs(v);
    if (a == 0 || (a >= 1e-4 && a < 1e16)) {
        int e = a == 0 ? 0 : (int)floor(log10(a)), d = p - 1 - e;

        snprintf(buf, sizeof buf, "%.*f", d > 0 ? d : 0, v);
        if (!strchr(buf, '.'))
            strcat(buf, ".0");
    } else {
        snprintf(buf, sizeof buf, "%.*g", p, v);
    }
    fputs(buf, f);
}

static void compute_report(FILE *f, const ts_systolic_result *r, size_t n)
{
    fputs("LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, "
          "Compute Util %,\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%zu, %llu, %llu, ", i, (unsigned long long)r[i].total_cycles,
                (unsigned long long)r[i].stall_cycles);
        py_float(f, r[i].overall_util_pct);
        fputs(", ", f);
        py_float(f, r[i].mapping_eff_pct);
        fputs(", ", f);
        py_float(f, r[i].compute_util_pct);
        fputs(",\n", f);
    }
}

static void bandwidth_report(FILE *f, const ts_systolic_result *r, size_t n)
{
    fputs("LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, "
          "Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%zu", i);
        for (int op = 0; op < TS_SYS_N_OPERANDS; op++)
            fputs(", ", f), py_float(f, r[i].avg_sram_bw[op]);
        for (int op = 0; op < TS_SYS_N_OPERANDS; op++)
            fputs(", ", f), py_float(f, r[i].avg_dram_bw[op]);
        fputs(",\n", f);
    }
}

static void detail_cell(FILE *f, int64_t start, int64_t stop, uint64_t count)
{
    fputs(", ", f);
    py_float(f, (double)start);
    fputs(", ", f);
    py_float(f, (double)stop);
    fprintf(f, ", %llu", (unsigned long long)count);
}

static void detail_report(FILE *f, const ts_systolic_result *r, size_t n)
{
    static const char *const mem[2] = {"SRAM", "DRAM"};
    static const char *const opn[3] = {"IFMAP", "Filter", "OFMAP"};

    fputs("LayerID", f);
    for (int m = 0; m < 2; m++)
        for (int op = 0; op < 3; op++)
            fprintf(f, ", %s %s Start Cycle, %s %s Stop Cycle, %s %s %s", mem[m], opn[op], mem[m],
                    opn[op], mem[m], opn[op], op == 2 ? "Writes" : "Reads");
    fputs(",\n", f);
    for (size_t i = 0; i < n; i++) {
        const ts_systolic_result *x = &r[i];
        uint64_t sram[3] = {x->sram_reads[0], x->sram_reads[1], x->sram_ofmap_writes};
        uint64_t dram[3] = {x->dram_reads[0], x->dram_reads[1], x->dram_ofmap_writes};

        fprintf(f, "%zu", i);
        for (int op = 0; op < 3; op++)
            detail_cell(f, x->sram_start_cycle[op], x->sram_stop_cycle[op], sram[op]);
        for (int op = 0; op < 3; op++)
            detail_cell(f, x->dram_start_cycle[op], x->dram_stop_cycle[op], dram[op]);
        fputs(",\n", f);
    }
}

typedef void (*report_fn)(FILE *f, const ts_systolic_result *r, size_t n);

/* Formats the three reports and writes them into dir, all or nothing. */
static int write_reports(const char *dir, const ts_systolic_result *r, size_t n)
{
    static const char *const names[3] = {"COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv",
                                         "DETAILED_ACCESS_REPORT.csv"};
    static const report_fn fns[3] = {compute_report, bandwidth_report, detail_report};
    char path[3][OUTFILES_PATH_BYTES - 32];
    outfiles files = {0};
    int rc = 0;

    if (mkdir(dir, 0777) != 0 && errno != EEXIST) /* SCALE-Sim creates its run folder too */
        return fprintf(stderr, "tinysim: %s: cannot create (%s)\n", dir, strerror(errno)),
               TS_EXIT_BAD_INPUT;

    for (int i = 0; i < 3 && !rc; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
            return fprintf(stderr, "tinysim: %s: out of memory\n", names[i]), TS_EXIT_FAIL;
        fns[i](f, r, n);
        fclose(f);
        snprintf(path[i], sizeof path[i], "%s/%s", dir, names[i]);
        rc = outfiles_stage(&files, path[i], NULL, 0, buf, len);
        free(buf);
    }
    if (rc) {
        outfiles_abort(&files);
        return rc;
    }
    return outfiles_commit(&files);
}

static void print_summary(const sys_opts *o, const ts_systolic_array *a,
                          const ts_systolic_topology *t, const ts_systolic_result *r)
{
    char b[12][32];
    ts_systolic_result tot = {0};

    printf("array         %ux%u %s, SRAM ifmap/filter/ofmap %llu/%llu/%llu kB, interface %s",
           a->rows, a->cols, ts_systolic_dataflow_name(a->dataflow),
           (unsigned long long)(a->sram_words[0] / 1024), (unsigned long long)(a->sram_words[1] / 1024),
           (unsigned long long)(a->sram_words[2] / 1024), a->user_bandwidth ? "USER" : "CALC");
    if (a->user_bandwidth)
        printf(" %g words/cycle", a->bandwidth_words_per_cycle);
    printf("\nreports       %s/{COMPUTE,BANDWIDTH,DETAILED_ACCESS}_REPORT.csv\n\n", o->dir);
    printf("%3s %-22s %6s %5s %6s %6s %13s %9s %6s %6s %13s %13s %13s %12s %13s %12s\n", "#",
           "layer", "M", "N", "K", "folds", "cycles", "stalls", "util%", "map%", "sram_if_rd",
           "sram_fl_rd", "sram_of_wr", "dram_if_rd", "dram_fl_rd", "dram_of_wr");
    for (size_t i = 0; i < t->n; i++) {
        const ts_systolic_result *x = &r[i];
        char name[40];

        snprintf(name, sizeof name, t->rows[i].instances > 1 ? "%.14s x%u" : "%.22s",
                 t->rows[i].name, t->rows[i].instances);
        printf("%3zu %-22s %6llu %5llu %6llu %6llu %13s %9s %6.2f %6.2f %13s %13s %13s %12s %13s "
               "%12s\n", i, name, (unsigned long long)x->gemm_m, (unsigned long long)x->gemm_n,
               (unsigned long long)x->gemm_k, (unsigned long long)(x->row_folds * x->col_folds),
               fmt_count(b[0], 32, x->total_cycles), fmt_count(b[1], 32, x->stall_cycles),
               x->overall_util_pct, x->mapping_eff_pct, fmt_count(b[2], 32, x->sram_reads[0]),
               fmt_count(b[3], 32, x->sram_reads[1]), fmt_count(b[4], 32, x->sram_ofmap_writes),
               fmt_count(b[5], 32, x->dram_reads[0]), fmt_count(b[6], 32, x->dram_reads[1]),
               fmt_count(b[7], 32, x->dram_ofmap_writes));
        tot.macs += x->macs, tot.total_cycles += x->total_cycles, tot.stall_cycles += x->stall_cycles;
        tot.sram_reads[0] += x->sram_reads[0], tot.sram_reads[1] += x->sram_reads[1];
        tot.sram_ofmap_writes += x->sram_ofmap_writes, tot.dram_ofmap_writes += x->dram_ofmap_writes;
        tot.dram_reads[0] += x->dram_reads[0], tot.dram_reads[1] += x->dram_reads[1];
    }
    printf("%3s %-22s %6s %5s %6s %6s %13s %9s %6.2f %6s %13s %13s %13s %12s %13s %12s\n", "",
           "TOTAL", "", "", "", "", fmt_count(b[0], 32, tot.total_cycles),
           fmt_count(b[1], 32, tot.stall_cycles),
           100.0 * (double)tot.macs / ((double)tot.total_cycles * a->rows * a->cols), "",
           fmt_count(b[2], 32, tot.sram_reads[0]), fmt_count(b[3], 32, tot.sram_reads[1]),
           fmt_count(b[4], 32, tot.sram_ofmap_writes), fmt_count(b[5], 32, tot.dram_reads[0]),
           fmt_count(b[6], 32, tot.dram_reads[1]), fmt_count(b[7], 32, tot.dram_ofmap_writes));
    printf("MACs          %s\n", fmt_count(b[8], 32, tot.macs));
}

static ts_status load_topology(const sys_opts *o, ts_systolic_topology *t, ts_err *err)
{
    ts_model *m = NULL;
    ts_status st;

    if (o->topology)
        return ts_systolic_topology_read(o->topology, t, err);
    if ((st = ts_model_load_file(o->model, &m, err)))
        return st;
    st = ts_systolic_topology_from_model(m, t, err);
    ts_model_free(m);
    return st;
}

/* Evaluates every row; r has t->n entries. Errors name the input file and the layer. */
static ts_status eval_all(const char *src, const ts_systolic_array *a,
                          const ts_systolic_topology *t, ts_systolic_result *r, ts_err *err)
{
    ts_systolic_ctx ctx;
    ts_status st = TS_OK;
    ts_err sub;

    ts_systolic_ctx_init(&ctx);
    for (size_t i = 0; i < t->n && !st; i++) {
        ts_err_clear(&sub);
        if ((st = ts_systolic_eval(&ctx, a, &t->rows[i].layer, &r[i], &sub)))
            ts_err_set(err, st, "%s: %s: %s", src, t->rows[i].name, sub.msg);
        else
            ts_systolic_result_repeat(&r[i], t->rows[i].instances);
    }
    ts_systolic_ctx_fini(&ctx);
    return st;
}

int cmd_systolic(int argc, char **argv)
{
    sys_opts o;
    ts_systolic_array a;
    ts_systolic_topology t = {0};
    ts_systolic_result *r = NULL;
    ts_err err;
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) || (rc = outfiles_check_dir(o.dir)))
        return rc;
    ts_err_clear(&err);
    if (ts_systolic_config_read(o.config, &a, NULL, 0, &err) || load_topology(&o, &t, &err))
        return cli_report(&err);
    if (!(r = calloc(t.n, sizeof *r))) {
        ts_systolic_topology_free(&t);
        return fprintf(stderr, "tinysim: systolic: out of memory\n"), TS_EXIT_FAIL;
    }
    if (eval_all(o.topology ? o.topology : o.model, &a, &t, r, &err))
        rc = cli_report(&err);
    else if (!(rc = write_reports(o.dir, r, t.n)))
        print_summary(&o, &a, &t, r);
    free(r);
    ts_systolic_topology_free(&t);
    return rc;
}
