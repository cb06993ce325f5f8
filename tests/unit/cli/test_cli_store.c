/* test_cli_store.c: `tinysim bench` writing the results store (--db, --no-db, --tag, the
 * default path, --json's provenance) and `tinysim results list|show|export|merge`, including
 * what bench does when the database is corrupt, newer, unopenable or the disk is full: the
 * report is printed, one error line follows, exit 1. Databases live in temporary folders. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_run.h"
#include "tests/unit/engine/engine_test.h"
#include "results/results.h"

typedef struct store_case {
    char dir[64], db[128], model_buf[64];
    const char *model;
} store_case;

/* Removes the case's folder (made by mkdtemp) and model. */
static void teardown_case(store_case *c)
{
    char cmd[160];

    unlink(c->model);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    cr_assert_eq(system(cmd), 0);
}

static void setup_case(store_case *c)
{
    need_target_firmware("cortex-m4");
    snprintf(c->dir, sizeof c->dir, "/tmp/tinysim-cli-store-XXXXXX");
    cr_assert_not_null(mkdtemp(c->dir));
    snprintf(c->db, sizeof c->db, "%s/runs.db", c->dir);
    c->model = cli_gen_model("hello_world", c->model_buf, sizeof c->model_buf);
}

/* bench on hello_world/cortex-m4 with extra arguments (NULL-terminated, at most 8). */
static cli_result bench(const store_case *c, const char *const *extra)
{
    const char *args[16] = {"bench", "--target", "cortex-m4", c->model};
    int n = 4;

    while (*extra && n < 15)
        args[n++] = *extra++;
    args[n] = NULL;
    return cli_run(args);
}

static int count_runs(const char *db)
{
    ts_results *h = NULL;
    ts_res_err err = {0};
    int64_t n = -1;

    cr_assert_eq(ts_results_open(db, TS_RES_OPEN_EXISTING, &h, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(ts_results_count(h, &n, &err), TS_RES_OK);
    ts_results_close(h);
    return (int)n;
}

Test(cli_store, bench_records_its_run_with_tags_and_provenance_and_results_shows_it)
{
    store_case c;
    char hash[TS_SHA256_HEX_BYTES], model_bytes[65536], line[160];
    size_t n;

    setup_case(&c);
    cli_result r = bench(&c, (const char *[]){"--db", c.db, "--tag", "nightly", "--tag", "pr-7",
                                              "--set", "clock_hz=80000000", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "FULLY_CONNECTED"), "the report is printed as before");
    cli_result_free(&r);
    cr_assert_eq(count_runs(c.db), 1);
    r = cli_run((const char *[]){"results", "list", "--db", c.db, "--tag", "pr-7", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(count_lines(r.out), 2, "header and one run: %s", r.out);
    cr_assert(strstr(r.out, "ts_model_") && strstr(r.out, "nightly,pr-7"), "%s", r.out);
    snprintf(line, sizeof line, "%.8s", strchr(r.out, '\n') + 1); /* the run id's prefix */
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "show", line, "--db", c.db, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    n = cli_read_file(c.model, model_bytes, sizeof model_bytes);
    ts_sha256_of(model_bytes, n, hash);
    cr_assert(strstr(r.out, hash), "model_sha256 %s in %s", hash, r.out);
    cr_assert(strstr(r.out, "overrides        clock_hz=80000000"), "%s", r.out);
    cr_assert(strstr(r.out, "cc_version       arm-none-eabi-gcc"), "%s", r.out);
    cr_assert(strstr(r.out, "region.flash.read_bytes"), "%s", r.out);
    cr_assert(strstr(r.out, "FULLY_CONNECTED"), "%s", r.out);
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "list", "--db", c.db, "--model", "other", NULL});
    cr_assert_eq(count_lines(r.out), 1, "a filter that matches nothing: %s", r.out);
    cli_result_free(&r);
    teardown_case(&c);
}

Test(cli_store, no_db_writes_nothing_and_the_default_is_under_xdg_data_home)
{
    store_case c;
    char xdg[160], path[200];
    struct stat sb;

    setup_case(&c);
    setenv("TINYSIM_DB", c.db, 1); /* --no-db wins over the environment's database */
    cli_result r = bench(&c, (const char *[]){"--no-db", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_neq(stat(c.db, &sb), 0, "--no-db creates no database");
    cli_result_free(&r);
    r = bench(&c, (const char *[]){"--db", c.db, "--no-db", NULL});
    cr_assert_eq(r.status, 2, "contradictory options are refused: %s", r.err);
    cr_assert_str_eq(r.err, "tinysim: bench: --db and --no-db exclude each other\n");
    cr_assert_neq(stat(c.db, &sb), 0);
    cli_result_free(&r);
    snprintf(xdg, sizeof xdg, "%s/xdg", c.dir);
    unsetenv("TINYSIM_DB");
    setenv("XDG_DATA_HOME", xdg, 1);
    r = bench(&c, (const char *[]){NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    snprintf(path, sizeof path, "%s/tinysim/results.db", xdg);
    cr_assert_eq(count_runs(path), 1, "the default database is $XDG_DATA_HOME/tinysim");
    cli_result_free(&r);
    teardown_case(&c);
}

Test(cli_store, json_report_carries_the_provenance_of_the_stored_run)
{
    store_case c;
    cJSON *j, *p;
    char id[TS_RES_ID_BYTES];

    setup_case(&c);
    cli_result r = bench(&c, (const char *[]){"--db", c.db, "--json", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    j = cJSON_Parse(r.out);
    p = cJSON_GetObjectItem(j, "provenance");
    cr_assert_not_null(p, "%s", r.out);
    cr_assert_eq(strlen(cJSON_GetObjectItem(p, "id")->valuestring), 64);
    cr_assert(cJSON_IsObject(cJSON_GetObjectItem(p, "target_config")));
    cr_assert_str_eq(cJSON_GetObjectItem(p, "target")->valuestring, "cortex-m4");
    cr_assert_str_eq(cJSON_GetObjectItem(p, "kernels")->valuestring, "simd");
    {
        ts_results *h = NULL;
        ts_res_err err = {0};
        cr_assert_eq(ts_results_open(c.db, 0, &h, &err), TS_RES_OK);
        cr_assert_eq(ts_results_find(h, cJSON_GetObjectItem(p, "id")->valuestring, id, &err),
                     TS_RES_OK, "the printed id is the stored one: %s", err.msg);
        ts_results_close(h);
    }
    cJSON_Delete(j);
    cli_result_free(&r);
    teardown_case(&c);
}

Test(cli_store, kernels_both_records_one_run_per_variant)
{
    store_case c;

    setup_case(&c);
    cli_result r = bench(&c, (const char *[]){"--db", c.db, "--kernels", "both", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "list", "--db", c.db, "--kernels", "ref", NULL});
    cr_assert_eq(count_lines(r.out), 2, "%s", r.out);
    cli_result_free(&r);
    cr_assert_eq(count_runs(c.db), 2);
    teardown_case(&c);
}

Test(cli_store, exports_csv_and_json_and_merges_without_duplicates)
{
    store_case c;
    char other[160], csv[160], buf[1 << 16];
    cJSON *j;

    setup_case(&c);
    snprintf(other, sizeof other, "%s/other.db", c.dir);
    snprintf(csv, sizeof csv, "%s/runs.csv", c.dir);
    cli_result r = bench(&c, (const char *[]){"--db", c.db, NULL});
    cli_result_free(&r);
    r = bench(&c, (const char *[]){"--db", other, "--tag", "elsewhere", NULL});
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "merge", other, "--db", c.db, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, ": 1 runs added, 0 skipped"), "%s", r.out);
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "merge", other, "--db", c.db, NULL});
    cr_assert(strstr(r.out, ": 0 runs added, 1 skipped"), "%s", r.out);
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "export", "--format", "json", "--db", c.db, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    j = cJSON_Parse(r.out);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "runs")), 2, "%s", r.out);
    cJSON_Delete(j);
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "export", "--format", "csv", "--tag", "elsewhere",
                                 "-o", csv, "--db", c.db, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    buf[cli_read_file(csv, buf, sizeof buf - 1)] = '\0';
    cr_assert_eq(strncmp(buf, "run_id,created_utc,model,target,kernels,tags,layer,op,metric,"
                              "value\n", 62), 0, "%s", buf);
    cr_assert(strstr(buf, ",cortex-m4,simd,elsewhere,-1,,cycles,"), "%s", buf);
    cr_assert(strstr(buf, ",0,FULLY_CONNECTED,region.flash.read_bytes,"), "%s", buf);
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "export", "--format", "xml", "--db", c.db, NULL});
    cr_assert_eq(r.status, 2);
    cli_result_free(&r);
    teardown_case(&c);
}

/* bench with a database `db` that fails: the report still on stdout, one line, exit 1. */
static void bench_with_bad_db(store_case *c, const char *db, const char *want)
{
    cli_result r = bench(c, (const char *[]){"--db", db, NULL});

    cr_assert_eq(r.status, 1, "status %d: %s", r.status, r.err);
    cr_assert(strstr(r.out, "FULLY_CONNECTED"), "the report is not lost: %s", r.out);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cr_assert(strstr(r.err, want), "'%s' lacks '%s'", r.err, want);
    cli_result_free(&r);
}

Test(cli_store, bench_prints_its_report_then_one_line_for_a_bad_database)
{
    store_case c;
    char junk[128], newer[128], msg[256];
    FILE *f;

    setup_case(&c);
    snprintf(junk, sizeof junk, "%s/junk.db", c.dir);
    f = fopen(junk, "w");
    for (int i = 0; i < 400; i++)
        fputs("not a database at all ", f);
    fclose(f);
    snprintf(msg, sizeof msg, "tinysim: %s: not a tinysim results database", junk);
    bench_with_bad_db(&c, junk, msg);
    snprintf(newer, sizeof newer, "%s/newer.db", c.dir);
    {
        sqlite3 *h;
        cr_assert_eq(sqlite3_open(newer, &h), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(h, "CREATE TABLE runs (id TEXT); PRAGMA user_version = 42; "
                                     "PRAGMA application_id = 1414745426;", NULL, NULL, NULL),
                     SQLITE_OK);
        sqlite3_close(h);
    }
    snprintf(msg, sizeof msg, "tinysim: %s: schema version 42 is newer than this tinysim knows "
             "(expected at most ", newer);
    bench_with_bad_db(&c, newer, msg);
    {
        cli_result r = cli_run((const char *[]){"results", "list", "--db", junk, NULL});
        cr_assert_eq(r.status, 2, "results on a bad file is bad input: %s", r.err);
        cli_result_free(&r);
    }
    bench_with_bad_db(&c, "/proc/no-such/results.db", "/proc/no-such/results.db: cannot open");
    teardown_case(&c);
}

/* Runs bench in a child whose file-size limit is the database's current size. */
Test(cli_store, bench_prints_its_report_then_one_line_when_the_disk_is_full)
{
    store_case c;
    struct stat sb;
    int out[2], err[2], status;
    char obuf[65536] = "", ebuf[4096] = "";
    pid_t pid;

    setup_case(&c);
    cli_result r0 = bench(&c, (const char *[]){"--db", c.db, NULL});
    cr_assert_eq(r0.status, 0, "%s", r0.err);
    cli_result_free(&r0);
    cr_assert_eq(stat(c.db, &sb), 0);
    cr_assert_eq(pipe(out), 0);
    cr_assert_eq(pipe(err), 0);
    pid = fork();
    if (pid == 0) {
        struct rlimit rl = {(rlim_t)sb.st_size, (rlim_t)sb.st_size};
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &rl);
        dup2(out[1], 1), dup2(err[1], 2);
        execl(getenv("TS_TINYSIM"), "tinysim", "bench", "--target", "cortex-m4", c.model,
              "--db", c.db, (char *)NULL);
        _exit(99);
    }
    close(out[1]), close(err[1]);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert_geq(read(out[0], obuf, sizeof obuf - 1), 0);
    cr_assert_geq(read(err[0], ebuf, sizeof ebuf - 1), 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d: %s", status, ebuf);
    cr_assert(strstr(obuf, "FULLY_CONNECTED"), "the report is not lost: %s", obuf);
    cr_assert(strstr(ebuf, c.db) && strstr(ebuf, "cannot record the run"), "%s", ebuf);
    cr_assert_eq(count_runs(c.db), 1, "the earlier run is intact, no partial one");
    teardown_case(&c);
}

static int take_first(const ts_res_run *r, void *ctx)
{
    double v = -1;

    cr_assert(strstr(r->field[TS_RES_F_status], "does not fit target cortex-m0"), "%s",
              r->field[TS_RES_F_status]);
    cr_assert(ts_res_run_metric(r, TS_RES_RUN_LAYER, "memory.fits_flash", &v));
    cr_assert_eq(v, 0.0);
    cr_assert(ts_res_run_metric(r, TS_RES_RUN_LAYER, "memory.weights_bytes", &v));
    cr_assert_gt(v, 65536.0);
    ++*(int *)ctx;
    return 0;
}

Test(cli_store, a_model_that_does_not_fit_is_recorded_with_its_footprint_and_status)
{
    store_case c;
    char big[64];
    ts_results *h = NULL;
    ts_res_err err = {0};
    int n = 0;

    setup_case(&c);
    need_target_firmware("cortex-m0");
    const char *model = cli_gen_model("fc:512,256", big, sizeof big);
    cli_result r = cli_run((const char *[]){"bench", "--target", "cortex-m0", model, "--db", c.db,
                                            NULL});
    cr_assert_eq(r.status, 2, "%s", r.err);
    cli_result_free(&r);
    r = cli_run((const char *[]){"results", "list", "--db", c.db, NULL});
    cr_assert(strstr(r.out, " no fit "), "%s", r.out);
    cli_result_free(&r);
    cr_assert_eq(ts_results_open(c.db, 0, &h, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(ts_results_each(h, NULL, take_first, &n, NULL, &err), TS_RES_OK);
    cr_assert_eq(n, 1);
    ts_results_close(h);
    unlink(model);
    teardown_case(&c);
}
