/* test_cli_slurm.c: the Slurm side of `tinysim sweep` without a cluster: the scripts of
 * --emit-sbatch (their #SBATCH lines, the shard command, quoting), those scripts run by hand
 * as an array system would run them and then --collect (the whole sweep in the store), a
 * second submission listing only the missing points, --slurm against a stand-in sbatch on
 * PATH (the two submissions and the dependency; a failing or missing sbatch as one line),
 * --shard env:VAR/N, --only-points and the option checks. The real cluster is
 * tests/slurm/test_slurm.sh. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_run.h"
#include "sweep_test.h"

/* hello_world on cortex-m4: 3 clocks x 2 flash wait-state settings, plus one explicit point:
 * 7 points. */
static const char spec7[] =
    "{\"name\": \"t\", \"generate\": [{\"arch\": \"hello_world\"}], \"targets\": "
    "[\"cortex-m4\"], \"grid\": {\"memory[0].wait_states\": [0, 5], \"clock_hz\": {\"from\": "
    "40000000, \"to\": 120000000, \"step\": 40000000}}, \"points\": [{\"clock_hz\": "
    "200000000}]}";

static char *read_text(const char *path)
{
    static char buf[16384];
    size_t n = cli_read_file(path, buf, sizeof buf - 1);

    buf[n] = '\0';
    return buf;
}

/* The single points-*.txt of the shard folder d->dir/s.db.shards/t, read. */
static char *points_file(const sweep_dir *d, char *path, size_t cap)
{
    char cmd[512];
    FILE *p;

    snprintf(cmd, sizeof cmd, "ls -t %s/s.db.shards/t/points-*.txt | head -1", d->dir);
    p = popen(cmd, "r");
    cr_assert(p && fgets(path, (int)cap, p), "no points list in %s", d->dir);
    pclose(p);
    path[strcspn(path, "\n")] = '\0';
    return read_text(path);
}

static int count_ids(const char *list)
{
    int n = 0;

    for (const char *l = list; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        n += strspn(l, "0123456789abcdef") == 64;
    return n;
}

/* emits into d->dir/x.sbatch, asserted to succeed */
static void emit(const sweep_dir *d, const char *array_max)
{
    char script[160];
    cli_result r;

    snprintf(script, sizeof script, "%s/x.sbatch", d->dir);
    r = sweep_cli(d, "--emit-sbatch", script, "--array-max", array_max, NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cli_result_free(&r);
}

/* sh d->dir/NAME with SLURM_ARRAY_TASK_ID=task (when >= 0) and SLURM_ARRAY_JOB_ID=7 */
static void run_script(const sweep_dir *d, const char *name, int task)
{
    char script[160], id[16];
    cli_result r;

    snprintf(script, sizeof script, "%s/%s", d->dir, name);
    snprintf(id, sizeof id, "%d", task);
    setenv("SLURM_ARRAY_JOB_ID", "7", 1);
    setenv("SLURM_ARRAY_TASK_ID", id, 1);
    r = cli_run_prog("sh", (const char *[]){script, NULL});
    cr_assert_eq(r.status, 0, "%s: %s%s", name, r.out, r.err);
    cli_result_free(&r);
}

Test(cli_slurm, emit_sbatch_writes_the_array_and_collect_scripts)
{
    sweep_dir d;
    char script[160], list[512];
    cli_result r;
    const char *text;

    sweep_dir_open(&d, spec7);
    snprintf(script, sizeof script, "%s/x.sbatch", d.dir);
    r = sweep_cli(&d, "--emit-sbatch", script, "--array-max", "3", "-j", "2", "--partition",
                  "p1,p2", "--time", "1-00:30:00", "--tag", "it's", NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "(array job: 3 tasks, 7 points, at most 3 each)"), "%s", r.out);
    cr_assert(strstr(r.out, "sbatch --dependency=afterany:$jid "), "%s", r.out);
    text = read_text(script);
    cr_assert(!strncmp(text, "#!/bin/sh\n", 10), "%s", text);
    const char *lines[] = {"#SBATCH --array=0-2\n", "#SBATCH --cpus-per-task=2\n",
                           "#SBATCH --partition=p1,p2\n", "#SBATCH --time=1-00:30:00\n",
                           "#SBATCH --job-name=tinysim-t\n", " --shard env:SLURM_ARRAY_TASK_ID/3 ",
                           " -j 2 ", " --tag 'it'\\''s' ", "/slurm-%A_%a.out\n",
                           "/shard-\"$SLURM_ARRAY_JOB_ID\"_\"$SLURM_ARRAY_TASK_ID\".db\n"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        cr_expect(strstr(text, lines[i]), "no '%s' in:\n%s", lines[i], text);
    cr_expect(strstr(text, "exec '/"), "the executable's path is absolute:\n%s", text);
    snprintf(script, sizeof script, "%s/x.sbatch.collect", d.dir);
    text = read_text(script);
    cr_expect(strstr(text, " --collect --shard-dir '/"), "%s", text);
    cr_expect(strstr(text, "#SBATCH --partition=p1,p2\n"), "%s", text);
    cr_expect(!strstr(text, "--array"), "%s", text);
    cr_expect_eq(count_ids(points_file(&d, list, sizeof list)), 7);
    cr_expect(!sweep_db_exists(&d), "emitting writes no store");
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_slurm, the_emitted_scripts_run_as_an_array_put_the_whole_sweep_in_the_store)
{
    sweep_dir d;
    cli_result r;
    char list[512];

    sweep_need_firmware();
    sweep_dir_open(&d, spec7);
    emit(&d, "3");
    run_script(&d, "x.sbatch", 0);
    /* a second submission sees the unmerged shard database: only the other points */
    emit(&d, "3");
    cr_assert_eq(count_ids(points_file(&d, list, sizeof list)), 4, "%s", read_text(list));
    run_script(&d, "x.sbatch", 0);
    run_script(&d, "x.sbatch", 1);
    run_script(&d, "x.sbatch", 2);
    run_script(&d, "x.sbatch.collect", -1);
    cr_assert_eq(sweep_count(&d, "SELECT COUNT(DISTINCT sweep_point) FROM runs"), 7);
    cr_assert_eq(sweep_count(&d, "SELECT COUNT(*) FROM runs"), 7, "no point ran twice");
    r = sweep_cli(&d, "--dry-run", NULL);
    cr_assert(strstr(r.out, "7 points: 7 done, 0 to run"), "%s", r.out);
    cli_result_free(&r);
    r = sweep_cli(&d, "--emit-sbatch", "/nonexistent/x", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "nothing to run: every point is in the store"), "%s", r.out);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

/* A stand-in sbatch in d->dir/bin, first on PATH: `body` is its shell code. */
static void fake_sbatch(const sweep_dir *d, const char *body)
{
    char bin[160], path[4096], text[1024];

    snprintf(bin, sizeof bin, "%s/bin", d->dir);
    mkdir(bin, 0755);
    snprintf(path, sizeof path, "%s/sbatch", bin);
    snprintf(text, sizeof text, "#!/bin/sh\n%s\n", body);
    cli_write_text(path, text);
    chmod(path, 0755);
    snprintf(path, sizeof path, "%s:%s", bin, getenv("PATH"));
    setenv("PATH", path, 1);
}

Test(cli_slurm, slurm_submits_the_array_then_the_collect_job_after_it)
{
    sweep_dir d;
    char body[1024], log[160];
    cli_result r;
    const char *text;

    sweep_dir_open(&d, spec7);
    snprintf(log, sizeof log, "%s/sbatch.log", d.dir);
    /* job 41 for the first submission, 42 for the second */
    snprintf(body, sizeof body, "echo \"$@\" >> %s\nif [ -e %s.1 ]; then echo '42;c'; else "
             ": > %s.1; echo 41; fi", log, log, log);
    fake_sbatch(&d, body);
    r = sweep_cli(&d, "--slurm", "--array-max", "2", NULL);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "submitted array job 41 (2 tasks, 7 points, at most 4 each, 1 CPU "
                            "each) and collect job 42 (after 41 ends"), "%s", r.out);
    text = read_text(log);
    cr_assert(strstr(text, "--parsable /"), "%s", text);
    cr_assert(strstr(text, "/array-"), "%s", text);
    cr_assert(strstr(text, "\n--parsable --dependency=afterany:41 /"), "%s", text);
    cr_assert(strstr(text, "/collect-"), "%s", text);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_slurm, a_failing_sbatch_is_one_line_and_exit_1)
{
    sweep_dir d;
    cli_result r;

    sweep_dir_open(&d, spec7);
    fake_sbatch(&d, "echo 'sbatch: error: invalid partition specified: nope' >&2\nexit 1");
    r = sweep_cli(&d, "--slurm", "--partition", "nope", NULL);
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cr_assert(!strncmp(r.err, "tinysim: sweep: sbatch /", 24), "%s", r.err);
    cr_assert(strstr(r.err, "failed (exit status 1): sbatch: error: invalid partition specified: "
                            "nope"), "%s", r.err);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_slurm, a_missing_sbatch_is_one_line_and_exit_1)
{
    sweep_dir d;
    cli_result r;

    char *path = strdup(getenv("PATH"));

    sweep_dir_open(&d, spec7);
    setenv("PATH", "/nonexistent", 1);
    r = sweep_cli(&d, "--slurm", NULL);
    setenv("PATH", path, 1); /* for the clean-up's rm */
    free(path);
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cr_assert(strstr(r.err, "tinysim: sweep: cannot run sbatch: No such file or directory"),
              "%s", r.err);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_slurm, shard_reads_its_index_from_an_environment_variable)
{
    sweep_dir d;
    point_list by_env, by_arg;
    cli_result r;

    sweep_dir_open(&d, spec7);
    unsetenv("TS_TEST_INDEX");
    r = sweep_cli(&d, "--dry-run", "--shard", "env:TS_TEST_INDEX/3", NULL);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "tinysim: sweep: --shard env:TS_TEST_INDEX/3: TS_TEST_INDEX is not "
                            "set (expected the task's index, 0 to 2)\n");
    cli_result_free(&r);
    setenv("TS_TEST_INDEX", "3", 1);
    r = sweep_cli(&d, "--dry-run", "--shard", "env:TS_TEST_INDEX/3", NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "TS_TEST_INDEX is '3' (expected an index, 0 to 2)"), "%s", r.err);
    cli_result_free(&r);
    setenv("TS_TEST_INDEX", "1", 1);
    r = dry_run(&d, "env:TS_TEST_INDEX/3", &by_env);
    cr_assert(strstr(r.out, "shard 1/3 (TS_TEST_INDEX): 2 points"), "%s", r.out);
    cli_result_free(&r);
    r = dry_run(&d, "1/3", &by_arg);
    cli_result_free(&r);
    cr_assert_eq(by_env.n, 2);
    cr_assert_eq(by_arg.n, 2);
    for (int i = 0; i < by_env.n; i++)
        cr_expect_str_eq(by_env.id[i], by_arg.id[i]);
    sweep_dir_close(&d);
}

/* The k-th point id (0-based) of a points list into out. */
static void nth_id(const char *list, int k, char out[65])
{
    for (const char *l = list; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strspn(l, "0123456789abcdef") == 64 && k-- == 0) {
            snprintf(out, 65, "%.64s", l);
            return;
        }
    cr_assert_fail("no point id %d in %s", k, list);
}

Test(cli_slurm, only_points_keeps_the_listed_points_and_refuses_others)
{
    sweep_dir d;
    point_list all, some;
    char list[160], emitted[512], id0[65], id1[65], keep[200];
    cli_result r;

    sweep_dir_open(&d, spec7);
    r = dry_run(&d, NULL, &all);
    cli_result_free(&r);
    emit(&d, "1"); /* its list has the full ids of all 7 points, in order */
    nth_id(points_file(&d, emitted, sizeof emitted), 0, id0);
    nth_id(read_text(emitted), 3, id1);
    snprintf(list, sizeof list, "%s/list.txt", d.dir);
    snprintf(keep, sizeof keep, "# two points\n%s\n\n%s \r\n", id1, id0);
    cli_write_text(list, keep);
    r = sweep_cli(&d, "--dry-run", "--only-points", list, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    parse_points(r.out, &some);
    cr_assert_eq(some.n, 2, "%s", r.out);
    cr_expect_str_eq(some.id[0], all.id[0], "in the sweep's order, not the list's");
    cr_expect_str_eq(some.id[1], all.id[3]);
    cr_assert(strstr(r.out, ", 2 listed in "), "%s", r.out);
    cli_result_free(&r);
    cli_write_text(list, "# x\nnot-an-id\n");
    r = sweep_cli(&d, "--dry-run", "--only-points", list, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "list.txt: line 2: expected a point id (64 hex digits), got "
                            "'not-an-id'"), "%s", r.err);
    cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
    cli_result_free(&r);
    cli_write_text(list, "0000000000000000000000000000000000000000000000000000000000000000\n");
    r = sweep_cli(&d, "--dry-run", "--only-points", list, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "line 1: 000000000000 is not a point of"), "%s", r.err);
    cli_result_free(&r);
    sweep_dir_close(&d);
}

Test(cli_slurm, options_that_do_not_go_together_are_refused_with_one_line)
{
    static const char *const cases[][6] = {
        {"--slurm", "--shard", "0/2", NULL, "--slurm and --shard exclude each other"},
        {"--collect", "--dry-run", NULL, NULL, "exclude each other"},
        {"--slurm", "--pareto", "cycles,energy", NULL, "exclude each other"},
        {"--partition", "p", NULL, NULL, "--partition needs --slurm or --emit-sbatch FILE"},
        {"--slurm", "--partition", "a b", NULL, "--partition: expected 1 to 64 of letters"},
        {"--slurm", "--time", "1h", NULL, "--time: expected 1 to 64 of 0-9"},
        {"--slurm", "--array-max", "0", NULL, "--array-max: expected 1 to"},
        {"--shard-dir", "/tmp", NULL, NULL, "--shard-dir needs --slurm"},
        {"--shard", "env:X", NULL, NULL, "expected I/N with 0 <= I < N, or env:VAR/N"},
    };
    sweep_dir d;

    sweep_dir_open(&d, spec7);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result r = sweep_cli(&d, cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL);
        cr_expect_eq(r.status, 2, "case %zu: %s", i, r.err);
        cr_expect(strstr(r.err, cases[i][4]), "case %zu: expected '%s' in %s", i, cases[i][4],
                  r.err);
        cr_expect_eq(count_lines(r.err), 1, "case %zu: %s", i, r.err);
        cli_result_free(&r);
    }
    sweep_dir_close(&d);
}

Test(cli_slurm, collect_without_shard_databases_is_one_line)
{
    sweep_dir d;
    cli_result r;

    sweep_dir_open(&d, spec7);
    r = sweep_cli(&d, "--collect", NULL);
    cr_assert_eq(r.status, 2, "%s%s", r.out, r.err);
    cr_assert(strstr(r.err, "sweep: --collect: no shard database (shard-*.db) in "), "%s",
              r.err);
    cli_result_free(&r);
    sweep_dir_close(&d);
}
