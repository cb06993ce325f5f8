/* CLI tests for `tinysim exec` run limits and notes: --timeout (wall clock) and --max-cycles end
 * an endless program with one line giving the cycles so far and exit 2; a long run shows a
 * progress line on a terminal and none otherwise; the notes about what the model does not
 * follow (SysTick's exception, CYCCNT on ARMv6-M). Firmware from the core tests (TS_FW_DIR). */
#define _XOPEN_SOURCE 600
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_run.h"

static const char *fw(const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s.elf", TS_FW_DIR, name);
    return buf;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

Test(cli_exec, timeout_ends_an_endless_program_with_one_line_and_exit_2)
{
    char path[512];
    const char *args[] = {"exec", "--target", "cortex-m4", fw("spin", path, sizeof path),
                          "--timeout", "0.5", NULL};
    double t0 = now_s();
    cli_result r = cli_run(args);
    double el = now_s() - t0;

    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect(strstr(r.err, "wall-clock timeout of 0.5 s reached after ") &&
              strstr(r.err, " cycles and "), "%s", r.err);
    cr_expect_eq(count_lines(r.err), 1, "one line, no progress line off a terminal: %s", r.err);
    cr_expect(!strchr(r.err, '\r'), "%s", r.err);
    cr_expect(el >= 0.5 && el < 10.0, "took %.2f s", el);
    cli_result_free(&r);
}

Test(cli_exec, max_cycles_ends_the_run_within_a_few_blocks_of_the_limit)
{
    char path[512];
    const char *args[] = {"exec", "--target", "cortex-m4", fw("spin", path, sizeof path),
                          "--max-cycles", "100000", NULL};
    cli_result r = cli_run(args);
    const char *p = strstr(r.err, "cycle limit of 100000 reached after ");
    unsigned long long cycles = 0;

    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_assert(p, "%s", r.err);
    cycles = strtoull(p + strlen("cycle limit of 100000 reached after "), NULL, 10);
    /* spin.S: a 2-instruction loop of 1 + (1+P) = 4 cycles on the M4 (P = 2) */
    cr_expect(cycles >= 100000 && cycles < 100000 + 100, "%llu cycles", cycles);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    cli_result_free(&r);
}

Test(cli_exec, bad_limits_are_usage_errors)
{
    static const char *const bad[][2] = {{"--timeout", "0"}, {"--timeout", "-1"},
                                         {"--timeout", "x"}, {"--max-cycles", "0"},
                                         {"--max-cycles", "1e9"}};
    char path[512];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[] = {"exec", "--target", "cortex-m4", fw("spin", path, sizeof path),
                              bad[i][0], bad[i][1], NULL};
        cli_result r = cli_run(args);

        cr_expect_eq(r.status, 2, "%s %s", bad[i][0], bad[i][1]);
        cr_expect(strstr(r.err, bad[i][0]) && strstr(r.err, "expected a positive"), "%s",
                  r.err);
        cli_result_free(&r);
    }
}

/* Runs tinysim exec with stderr on a pseudo-terminal; returns what it wrote there. */
static char *run_on_tty(const char *const *args, int *status)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY), st;
    static char buf[65536];
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    cr_assert_geq(master, 0);
    cr_assert_eq(grantpt(master), 0);
    cr_assert_eq(unlockpt(master), 0);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        const char *argv[16] = {getenv("TS_TINYSIM")};
        int slave = open(ptsname(master), O_RDWR), null = open("/dev/null", O_WRONLY);

        for (int i = 0; args[i] && i < 14; i++)
            argv[i + 1] = args[i];
        dup2(slave, 2);
        dup2(null, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    while (len + 1 < sizeof buf && (n = read(master, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n; /* ends with EIO when the child closes the terminal */
    buf[len] = '\0';
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    close(master);
    return buf;
}

Test(cli_exec, a_long_run_shows_progress_on_a_terminal_and_erases_it)
{
    char path[512];
    const char *args[] = {"exec", "--target", "cortex-m4", fw("spin", path, sizeof path),
                          "--timeout", "2.6", NULL};
    int status;
    const char *err = run_on_tty(args, &status);
    const char *progress = strstr(err, " cycles, "), *last = strstr(err, "wall-clock timeout");

    cr_expect_eq(status, 2, "%s", err);
    cr_assert(progress && strstr(progress, " instructions, 2 s"), "no progress line: %s", err);
    cr_assert(last && last > progress, "%s", err);
    cr_expect(strstr(err, "\r\033[Ktinysim: "), "the progress line is erased first: %s", err);
}

Test(cli_exec, notes_say_what_the_model_does_not_follow)
{
    char path[512];
    const char *args[] = {"exec", "--target", "cortex-m0plus",
                          fw("m0plus_scs", path, sizeof path), NULL};
    cli_result r = cli_run(args);

    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.err, "note: the program enabled the SysTick interrupt (TICKINT)") &&
              strstr(r.err, "no handler runs"), "%s", r.err);
    cr_expect(strstr(r.err, "note: the program read DWT CYCCNT (0xE0001004), which ARMv6-M "
                     "cores do not have: it reads 0"), "%s", r.err);
    cli_result_free(&r);
}

/* The README's example (examples/firmware/hello_cycles.c), linked with the script of `tinysim
 * targets --ld TARGET` (tests/unit/cli/CMakeLists.txt), runs on each memory map: start-up
 * copies .data and zeroes .bss (else it exits 1), semihosting prints, and the cycle count the
 * program reads (DWT CYCCNT, or SysTick on ARMv6-M) is above 0 and below the run's total. */
Test(cli_exec, the_readme_example_built_with_targets_ld_runs_on_every_memory_map)
{
    static const char *const targets[] = {"cortex-m4", "cortex-m7", "cortex-m33",
                                          "cortex-m0plus", "rp2040"};

    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        char name[64], path[512];
        const char *args[] = {"exec", "--target", targets[i], path, "--json", NULL};
        unsigned long long sum = 0, ticks = 0, total = 0;
        const char *p, *c;
        cli_result r;

        snprintf(name, sizeof name, "hello_cycles_%s", targets[i]);
        fw(name, path, sizeof path);
        r = cli_run(args);
        cr_expect_eq(r.status, 0, "%s: %s", targets[i], r.err);
        cr_expect(strstr(r.out, "hello from tinysim\\n"), "%s: %s", targets[i], r.out); /* JSON */
        p = strstr(r.out, "dot product ");
        c = strstr(r.out, "\"cycles\":");
        cr_assert(p && c, "%s: %s", targets[i], r.out);
        cr_expect_eq(sscanf(p, "dot product %llu in %llu cycles", &sum, &ticks), 2, "%s", p);
        cr_expect_eq(sscanf(c, "\"cycles\": %llu", &total), 1, "%s", c);
        cr_expect_eq(sum, 292236);
        cr_expect(ticks > 256 && ticks < total, "%s: %llu cycles read of %llu", targets[i],
                  ticks, total);
        cli_result_free(&r);
    }
}

/* newlib's printf (--specs=rdimon.specs) with the same linker script (hello_newlib.c). */
Test(cli_exec, a_newlib_printf_program_built_with_targets_ld_runs)
{
    char path[512];
    const char *args[] = {"exec", "--target", "cortex-m4",
                          fw("hello_newlib_cortex-m4", path, sizeof path), NULL};
    cli_result r = cli_run(args);

    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "hello from newlib: 40 + 2 = 42\n"), "%s", r.out);
    cli_result_free(&r);
}
