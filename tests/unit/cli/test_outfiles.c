/* CLI tests of output files (bench/outfiles.c) and of standard output (bench/main.c): what is
 * at an output path is never destroyed (devices and FIFOs written in place, symbolic links
 * followed, files the user may not write refused, modes as open(O_CREAT) gives or as the
 * replaced file had), output paths are checked before any simulation, and a write error on
 * stdout exits 1 with one line. Models are generated (sim/gen), so no shared data is needed.
 * Device nodes need root (mknod); without it /dev/null and /dev/full stand in, since an
 * ordinary user could not rename over them anyway. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* mknod, makedev */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_run.h"
#include "sim/base/alloc.h"
#include "sim/gen/gen.h"

#define MODEL_SPEC "fc:8,4" /* generated model: 8 int8 inputs, 4 outputs */
#define NOBODY 65534

typedef struct fixture {
    char dir[64];    /* fresh temporary folder */
    char model[128]; /* MODEL_SPEC written there */
} fixture;

/* MODEL_SPEC's bytes (seed 1, as `tinysim gen`); caller frees with ts_free. */
static uint8_t *model_bytes(size_t *len)
{
    uint8_t *bytes = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_spec_bytes(MODEL_SPEC, 1, &bytes, len, &err), TS_OK, "%s", err.msg);
    return bytes;
}

static void setup(fixture *fx)
{
    size_t len;
    uint8_t *bytes = model_bytes(&len);

    snprintf(fx->dir, sizeof fx->dir, "/tmp/ts_outfiles_XXXXXX");
    cr_assert_not_null(mkdtemp(fx->dir));
    snprintf(fx->model, sizeof fx->model, "%s/m.tflite", fx->dir);
    cli_write_file(fx->model, bytes, len);
    chmod(fx->model, 0644);
    ts_free(bytes);
}

static void teardown(fixture *fx)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    cr_expect_eq(system(cmd), 0);
}

static void in_dir(const fixture *fx, const char *name, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", fx->dir, name);
}

/* Entries of the fixture folder (the model included). */
static int count_entries(const fixture *fx)
{
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    int n = 0;

    cr_assert_not_null(d);
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static mode_t mode_of(const char *path)
{
    struct stat sb;

    cr_assert_eq(stat(path, &sb), 0, "%s: %s", path, strerror(errno));
    return sb.st_mode & 07777;
}

static void expect_one_line(const cli_result *r, int status, const char *line)
{
    cr_expect_eq(r->status, status, "exit %d, stderr: %s", r->status, r->err);
    cr_expect_str_eq(r->err, line);
}

/* A device node: a copy of /dev/null or /dev/full (major 1, minor 3 or 7) made with mknod in
 * the fixture when root may, the device itself otherwise. Skips the test when root may not
 * create or open a node (no CAP_MKNOD, or a nodev mount). */
static void device(const fixture *fx, const char *name, unsigned minor, char *path, size_t cap)
{
    int fd;

    if (geteuid() != 0) {
        snprintf(path, cap, "/dev/%s", name);
        if (access(path, W_OK) != 0)
            cr_skip_test("%s is not writable here", path);
        return;
    }
    in_dir(fx, name, path, cap);
    if (mknod(path, S_IFCHR | 0666, makedev(1, minor)) != 0 ||
        (fd = open(path, O_WRONLY)) < 0) {
        int e = errno;
        teardown((fixture *)fx);
        cr_skip_test("root, but no device node can be made and opened in /tmp (%s): the real "
                     "/dev nodes are not risked", strerror(e));
    }
    close(fd);
}

Test(cli_outfiles, a_device_is_written_in_place_and_stays_a_device)
{
    fixture fx;
    char null_dev[96], full_dev[96], line[256];
    struct stat sb;

    setup(&fx);
    device(&fx, "null", 3, null_dev, sizeof null_dev);
    device(&fx, "full", 7, full_dev, sizeof full_dev);
    {
        const char *args[] = {"gen", MODEL_SPEC, "-o", null_dev, NULL};
        cli_result r = cli_run(args);

        cr_expect_eq(r.status, 0, "%s", r.err);
        cr_assert_eq(stat(null_dev, &sb), 0);
        cr_expect(S_ISCHR(sb.st_mode) && sb.st_rdev == makedev(1, 3), "%s was replaced",
                  null_dev);
        cli_result_free(&r);
    }
    {
        const char *args[] = {"gen", MODEL_SPEC, "-o", full_dev, NULL};
        cli_result r = cli_run(args);

        snprintf(line, sizeof line, "tinysim: %s: write error: No space left on device\n",
                 full_dev);
        expect_one_line(&r, 1, line);
        cr_assert_eq(stat(full_dev, &sb), 0);
        cr_expect(S_ISCHR(sb.st_mode) && sb.st_rdev == makedev(1, 7), "%s was replaced",
                  full_dev);
        cli_result_free(&r);
    }
    teardown(&fx);
}

/* A child that reads the FIFO to its end into sink (gives up after 10 s). */
static pid_t start_reader(const char *fifo, const char *sink)
{
    pid_t pid = fork();

    cr_assert_geq(pid, 0);
    if (pid == 0) {
        char buf[4096];
        int in, out;
        ssize_t n;

        alarm(10);
        if ((in = open(fifo, O_RDONLY)) < 0 || (out = open(sink, O_WRONLY | O_CREAT, 0600)) < 0)
            _exit(1);
        while ((n = read(in, buf, sizeof buf)) > 0)
            if (write(out, buf, (size_t)n) != n)
                _exit(1);
        _exit(n == 0 ? 0 : 1);
    }
    return pid;
}

Test(cli_outfiles, a_fifo_stays_a_fifo_and_its_reader_gets_every_byte)
{
    fixture fx;
    char fifo[96], sink[96];
    size_t len, got;
    uint8_t *want = model_bytes(&len), buf[8192];
    struct stat sb;
    int st;

    setup(&fx);
    in_dir(&fx, "fifo", fifo, sizeof fifo);
    in_dir(&fx, "sink", sink, sizeof sink);
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    pid_t reader = start_reader(fifo, sink);
    const char *args[] = {"gen", MODEL_SPEC, "-o", fifo, NULL};
    cli_result r = cli_run(args);

    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(lstat(fifo, &sb), 0);
    if (!S_ISFIFO(sb.st_mode))
        kill(reader, SIGKILL); /* nobody will ever open the FIFO it waits on */
    cr_expect(S_ISFIFO(sb.st_mode), "the FIFO was replaced by a file");
    cr_assert_eq(waitpid(reader, &st, 0), reader);
    if (S_ISFIFO(sb.st_mode)) {
        cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the reader failed");
        got = cli_read_file(sink, buf, sizeof buf);
        cr_expect_eq(got, len);
        cr_expect(got == len && memcmp(buf, want, len) == 0, "the reader got other bytes");
    }
    cli_result_free(&r);
    ts_free(want);
    teardown(&fx);
}

Test(cli_outfiles, a_symbolic_link_is_followed_and_stays_a_link)
{
    fixture fx;
    char link[96], dangling[96], target[96], created[96], text[64];
    size_t len;
    uint8_t *want = model_bytes(&len), buf[8192];
    ssize_t n;

    setup(&fx);
    in_dir(&fx, "l.tflite", link, sizeof link);
    in_dir(&fx, "t.txt", target, sizeof target);
    in_dir(&fx, "d.tflite", dangling, sizeof dangling);
    in_dir(&fx, "new.tflite", created, sizeof created);
    cli_write_file(target, "old\n", 4);
    cr_assert_eq(symlink("t.txt", link), 0);
    cr_assert_eq(symlink("new.tflite", dangling), 0);
    for (int i = 0; i < 2; i++) {
        const char *args[] = {"gen", MODEL_SPEC, "-o", i ? dangling : link, NULL};
        cli_result r = cli_run(args);

        cr_expect_eq(r.status, 0, "%s", r.err);
        n = readlink(i ? dangling : link, text, sizeof text - 1);
        cr_assert_geq(n, 0, "%s is no longer a link", i ? dangling : link);
        text[n] = '\0';
        cr_expect_str_eq(text, i ? "new.tflite" : "t.txt");
        cr_expect_eq(cli_read_file(i ? created : target, buf, sizeof buf), len);
        cr_expect_eq(memcmp(buf, want, len), 0, "the link's target holds other bytes");
        cli_result_free(&r);
    }
    cr_expect_eq(count_entries(&fx), 5, "temporary files left behind");
    ts_free(want);
    teardown(&fx);
}

Test(cli_outfiles, a_file_without_any_write_permission_is_refused_even_for_root)
{
    fixture fx;
    char ro[96], line[256], buf[16];

    setup(&fx);
    in_dir(&fx, "ro.tflite", ro, sizeof ro);
    cli_write_file(ro, "keep", 4);
    cr_assert_eq(chmod(ro, 0444), 0);
    const char *args[] = {"gen", MODEL_SPEC, "-o", ro, NULL};
    cli_result r = cli_run(args);

    snprintf(line, sizeof line, "tinysim: %s: cannot write: %s (mode 0444)\n", ro,
             strerror(EACCES));
    if (geteuid() == 0) /* access() grants root everything: refused by the mode bits */
        snprintf(line, sizeof line,
                 "tinysim: %s: cannot write: read-only file (mode 0444; refused even for "
                 "root)\n", ro);
    expect_one_line(&r, 2, line);
    cr_expect_eq(cli_read_file(ro, buf, sizeof buf), 4);
    cr_expect_eq(memcmp(buf, "keep", 4), 0, "the read-only file was replaced");
    cr_expect_eq(mode_of(ro), 0444);
    cr_expect_eq(count_entries(&fx), 2, "temporary files left behind");
    cli_result_free(&r);
    teardown(&fx);
}

/* As another user (nobody, when root) or for a mode whose owner bits lack write: the folder
 * is writable, so only the permission check keeps the file from being renamed over. */
Test(cli_outfiles, a_file_the_user_may_not_write_is_refused_in_a_writable_folder)
{
    fixture fx;
    char f[96], buf[16];
    cli_env env = {NULL, -1, -1};
    mode_t mode = 0466; /* group and others may write, the owner may not */

    setup(&fx);
    in_dir(&fx, "theirs.bin", f, sizeof f);
    cli_write_file(f, "keep", 4);
    if (geteuid() == 0) {
        const char *version[] = {"--version", NULL};
        cli_result v;

        env.uid = NOBODY, mode = 0644; /* root's file, writable by root only */
        cr_assert_eq(chmod(fx.dir, 0777), 0);
        v = cli_run_with(version, &env);
        if (v.status != 0) {
            cli_result_free(&v);
            teardown(&fx);
            cr_skip_test("user %d cannot run the tinysim binary here", NOBODY);
        }
        cli_result_free(&v);
    }
    cr_assert_eq(chmod(f, mode), 0);
    const char *args[] = {"run", fx.model, "--output", f, "-q", NULL};
    cli_result r = cli_run_with(args, &env);

    cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, ": cannot write: Permission denied (mode 0"), "%s", r.err);
    cr_expect_eq(count_lines(r.err), 1);
    cr_expect_eq(cli_read_file(f, buf, sizeof buf), 4);
    cr_expect_eq(memcmp(buf, "keep", 4), 0, "the file was replaced");
    cr_expect_eq(count_entries(&fx), 2, "temporary files left behind");
    cli_result_free(&r);
    teardown(&fx);
}

Test(cli_outfiles, a_new_file_gets_0666_less_the_umask)
{
    static const int masks[] = {022, 027, 002, 077};
    fixture fx;
    char npy[96], bin[96];

    setup(&fx);
    in_dir(&fx, "o.npy", npy, sizeof npy);
    in_dir(&fx, "o.bin", bin, sizeof bin);
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        const cli_env env = {NULL, masks[i], -1};
        const char *run[] = {"run", fx.model, "--output-npy", npy, "-q", NULL};
        const char *gen[] = {"gen", MODEL_SPEC, "-o", bin, NULL};
        const char *path = i % 2 ? bin : npy;
        cli_result r;

        unlink(path);
        r = cli_run_with(i % 2 ? gen : run, &env);
        cr_expect_eq(r.status, 0, "%s", r.err);
        cr_expect_eq(mode_of(path), 0666 & ~masks[i], "%s, umask %03o: mode %04o", path,
                     masks[i], mode_of(path));
        cli_result_free(&r);
    }
    teardown(&fx);
}

Test(cli_outfiles, a_replaced_file_keeps_its_mode)
{
    fixture fx;
    char bin[96], buf[16];
    const cli_env env = {NULL, 077, -1}; /* the umask must not matter */

    setup(&fx);
    in_dir(&fx, "o.bin", bin, sizeof bin);
    cli_write_file(bin, "old contents", 12);
    cr_assert_eq(chmod(bin, 0604), 0);
    const char *args[] = {"run", fx.model, "--output", bin, "-q", NULL};
    cli_result r = cli_run_with(args, &env);

    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(cli_read_file(bin, buf, sizeof buf), 4, "not replaced by the 4 output bytes");
    cr_expect_eq(mode_of(bin), 0604, "mode %04o", mode_of(bin));
    cli_result_free(&r);
    teardown(&fx);
}

static const char systolic_cfg[] =
    "[general]\nrun_name = t\n\n[architecture_presets]\nArrayHeight: 8\nArrayWidth: 8\n"
    "IfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\nIfmapOffset: 0\n"
    "FilterOffset: 10000000\nOfmapOffset: 20000000\nBandwidth : 10\nDataflow : os\n"
    "MemoryBanks: 1\n\n[run_presets]\nInterfaceBandwidth: CALC\n";

/* Every command with output files refuses a path in a missing folder at once: exit 2, one
 * line, and nothing printed on stdout (each prints its report or outputs before writing its
 * files, so an empty stdout shows nothing was simulated) and no store opened or created. */
Test(cli_outfiles, an_output_in_a_missing_folder_fails_before_any_work)
{
    fixture fx;
    char missing[96], out[128], db[96], cfg[96], line[512];
    struct stat sb;

    setup(&fx);
    in_dir(&fx, "missing", missing, sizeof missing);
    in_dir(&fx, "store.db", db, sizeof db);
    in_dir(&fx, "array.cfg", cfg, sizeof cfg);
    cli_write_file(cfg, systolic_cfg, strlen(systolic_cfg));
    snprintf(out, sizeof out, "%s/o", missing);
    const char *cases[][12] = {
        {"bench", "--target", "cortex-m4", fx.model, "--no-db", "--output", out, NULL},
        {"bench", "--target", "cortex-m4", fx.model, "--db", db, "--json", "--output-npy", out,
         NULL},
        {"run", fx.model, "--output-npy", out, NULL},
        {"compare", fx.model, "--targets", "cortex-m4,cortex-m0", "--output", out, NULL},
        {"gen", MODEL_SPEC, "-o", out, NULL},
        {"report", "-o", out, "--db", db, NULL},
        {"results", "export", "--format", "csv", "-o", out, "--db", db, NULL},
        {"systolic", "--model", fx.model, "--config", cfg, "-o", out, NULL},
    };

    snprintf(line, sizeof line, "tinysim: %s: cannot write: folder '%s': %s\n", out, missing,
             strerror(ENOENT));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result r = cli_run(cases[i]);

        cr_expect_eq(r.status, 2, "%s %s: exit %d", cases[i][0], cases[i][1], r.status);
        cr_expect_str_eq(r.err, line, "%s %s", cases[i][0], cases[i][1]);
        cr_expect_str_eq(r.out, "", "%s %s ran first", cases[i][0], cases[i][1]);
        cr_expect_neq(stat(db, &sb), 0, "%s %s opened the store", cases[i][0], cases[i][1]);
        cli_result_free(&r);
    }
    teardown(&fx);
}

Test(cli_outfiles, the_other_unwritable_paths_are_checked_before_any_work)
{
    fixture fx;
    char ro[96], line[256];

    setup(&fx);
    in_dir(&fx, "ro.bin", ro, sizeof ro);
    cli_write_file(ro, "keep", 4);
    cr_assert_eq(chmod(ro, 0444), 0);
    const char *to_dir[] = {"bench", "--target", "cortex-m4", fx.model, "--no-db", "--output",
                            fx.dir, NULL};
    const char *to_ro[] = {"run", fx.model, "--output", ro, NULL};
    const char *under_file[] = {"systolic", "--model", fx.model, "--config", fx.model, "-o",
                                fx.model, NULL};
    cli_result r = cli_run(to_dir);

    snprintf(line, sizeof line, "tinysim: %s: cannot write: is a folder (expected a file "
             "name)\n", fx.dir);
    expect_one_line(&r, 2, line);
    cr_expect_str_eq(r.out, "");
    cli_result_free(&r);
    r = cli_run(to_ro);
    cr_expect_eq(r.status, 2);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    cr_expect_str_eq(r.out, "");
    cli_result_free(&r);
    r = cli_run(under_file);
    snprintf(line, sizeof line, "tinysim: %s: cannot write: %s\n", fx.model, strerror(ENOTDIR));
    expect_one_line(&r, 2, line);
    cli_result_free(&r);
    teardown(&fx);
}

/* stdout on /dev/full: every command's output is lost, which must not pass as success. */
Test(cli_outfiles, a_write_error_on_stdout_exits_1_with_one_line)
{
    fixture fx;
    char db[96];
    const cli_env env = {"/dev/full", -1, -1};

    if (access("/dev/full", W_OK) != 0)
        cr_skip_test("/dev/full is not writable here");
    setup(&fx);
    in_dir(&fx, "store.db", db, sizeof db);
    const char *record[] = {"bench", "--target", "cortex-m0", fx.model, "--db", db, NULL};
    cli_result made = cli_run(record); /* a store with one run for `results list` */
    cr_assert_eq(made.status, 0, "%s", made.err);
    cli_result_free(&made);
    const char *cases[][10] = {
        {"bench", "--target", "cortex-m4", fx.model, "--no-db", "--json", NULL},
        {"bench", "--target", "cortex-m4", fx.model, "--no-db", NULL},
        {"inspect", fx.model, NULL},
        {"targets", NULL},
        {"results", "list", "--db", db, NULL},
        {"run", fx.model, NULL},
        {"gen", MODEL_SPEC, "-o", "-", NULL},
        {"gen", "--list", NULL},
        {"--help", NULL},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result r = cli_run_with(cases[i], &env);

        cr_expect_eq(r.status, 1, "%s: exit %d", cases[i][0], r.status);
        cr_expect_str_eq(r.err, "tinysim: stdout: write error: No space left on device\n",
                         "%s", cases[i][0]);
        cli_result_free(&r);
    }
    teardown(&fx);
}
