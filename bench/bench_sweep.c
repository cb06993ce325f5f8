/* bench_sweep.c: `bench_sweep [--points N] [-j J] [--repeat R]`: throughput of the local
 * sweep runner (`tinysim sweep`) and where the time of one point goes. For two models written
 * by `tinysim gen` (the MLPerf Tiny AD autoencoder, a small network, and the KWS DS-CNN, a
 * medium one) on cortex-m4 with the DSP-extension kernels, a sweep of N points (N clocks, so
 * the same simulation each time; default 40) runs into a fresh store with -j 1 and with -j J
 * (default: the online cores): points per second. Then the costs of one point, each timed on
 * its own (median of R runs, default 15):
 *   process start and exit   `tinysim --version`
 *   model load               ts_model_load_file, in this process
 *   engine set-up            ts_engine_open: the firmware image, the arena plan
 *   simulation               ts_engine_run, inputs as `tinysim bench` makes them
 *   store write              `tinysim bench --db` minus `tinysim bench --no-db`
 *   rest of bench            `bench --no-db` minus the four above: target, report, JSON
 *   sweep runner             a point of the -j 1 sweep minus `bench --db`: fork, wait, the
 *                            child's report read back, the progress line
 * and the overhead (everything but the simulation) against the simulation. Each figure is
 * given as wall time and as CPU time (user + system, of the process and the children it
 * waited for): on a loaded machine the wall times stretch (a process that waits for the disk
 * loses its turn on the CPU), the CPU times much less. Not a test: the figures depend on the
 * machine and its load. Layer: bench/ (prints, exits). */
#define _DEFAULT_SOURCE /* wait4 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sim/model/model.h"
#include "../sim/target/target.h"
#include "bench_common.h"
#include "bench_engine.h"

#ifndef TS_TINYSIM
#define TS_TINYSIM "tinysim"
#endif

#define MAX_REPEAT 101
#define CLOCK_STEP_HZ 10000000

typedef struct config {
    int points, jobs, repeat;
    char dir[64];
} config;

/* A duration, seconds: wall clock and CPU (user + system). */
typedef struct span {
    double wall, cpu;
} span;

/* What a point of one model costs. */
typedef struct costs {
    span start, load, setup, sim, bench_nodb, bench_db, point_j1;
    double point_jn; /* wall */
} costs;

static double cpu_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* Runs TS_TINYSIM argv[1..] with stdout and stderr to /dev/null; its wall and CPU time (its
 * own and its waited-for children's), wall -1 when it could not run or exited non-zero. */
static span run_tinysim(const char **argv)
{
    double t0 = bench_now_s();
    int status = -1;
    struct rusage ru;
    pid_t pid;

    argv[0] = TS_TINYSIM;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO), dup2(null, STDERR_FILENO);
        execv(TS_TINYSIM, (char *const *)argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return (span){-1, -1};
    return (span){bench_now_s() - t0, tv_s(ru.ru_utime) + tv_s(ru.ru_stime)};
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Medians of n spans (wall and CPU each on its own). */
static span median_span(const span *v, int n)
{
    double w[MAX_REPEAT], c[MAX_REPEAT];

    for (int i = 0; i < n; i++)
        w[i] = v[i].wall, c[i] = v[i].cpu;
    return (span){median(w, n), median(c, n)};
}

/* Median times of `repeat` runs of tinysim argv; wall -1 when one failed. */
static span median_run(const char **argv, int repeat)
{
    span v[MAX_REPEAT];

    for (int i = 0; i < repeat; i++)
        if ((v[i] = run_tinysim(argv)).wall < 0)
            return v[i];
    return median_span(v, repeat);
}

/* A sweep of c->points clocks of model into a fresh store, with -j jobs: its times. */
static span time_sweep(const config *c, const char *model, const char *arch, int jobs)
{
    char spec[128], db[128], j[16];
    const char *argv[] = {NULL, "sweep", spec, "-j", j, "--db", db, NULL};
    FILE *f;

    snprintf(spec, sizeof spec, "%s/%s.json", c->dir, arch);
    snprintf(db, sizeof db, "%s/%s-j%d.db", c->dir, arch, jobs);
    snprintf(j, sizeof j, "%d", jobs);
    if (!(f = fopen(spec, "w")))
        return (span){-1, -1};
    fprintf(f, "{\"name\": \"bench-%s\", \"models\": [\"%s\"], \"targets\": [\"cortex-m4\"], "
            "\"kernels\": [\"simd\"], \"grid\": {\"clock_hz\": {\"from\": %d, \"to\": %lld, "
            "\"step\": %d}}}\n", arch, model, CLOCK_STEP_HZ, (long long)c->points * CLOCK_STEP_HZ,
            CLOCK_STEP_HZ);
    fclose(f);
    return run_tinysim(argv);
}

/* Model load, engine set-up and simulation in this process (medians); 0 or -1. */
static int time_engine(const config *c, const char *model, costs *k)
{
    span load[MAX_REPEAT], setup[MAX_REPEAT], sim[MAX_REPEAT];
    char path[1024];
    ts_target t;
    ts_engine_opts o = {0};
    ts_err err;
    ts_status st;

    ts_err_clear(&err);
    st = ts_target_resolve("cortex-m4", NULL, path, sizeof path, &err);
    if (!st)
        st = ts_target_load(path, &t, &err);
    o.kernels = TS_KERNELS_SIMD;
    for (int i = 0; i < c->repeat && !st; i++) {
        ts_model *m = NULL;
        ts_engine *e = NULL;
        span t0 = {bench_now_s(), cpu_now_s()};
        if (!(st = ts_model_load_file(model, &m, &err))) {
            load[i] = (span){bench_now_s() - t0.wall, cpu_now_s() - t0.cpu};
            t0 = (span){bench_now_s(), cpu_now_s()};
            st = ts_engine_open(&t, ts_model_graph(m), ts_model_source(m), &o, &e, &err);
            setup[i] = (span){bench_now_s() - t0.wall, cpu_now_s() - t0.cpu};
        }
        if (!st && !(st = bench_fill_inputs(e, &err))) {
            t0 = (span){bench_now_s(), cpu_now_s()};
            st = ts_engine_run(e, &err);
            sim[i] = (span){bench_now_s() - t0.wall, cpu_now_s() - t0.cpu};
        }
        ts_engine_close(e);
        ts_model_free(m);
    }
    if (st)
        return fprintf(stderr, "bench_sweep: %s\n", err.msg), -1;
    k->load = median_span(load, c->repeat), k->setup = median_span(setup, c->repeat);
    k->sim = median_span(sim, c->repeat);
    return 0;
}

static int measure(const config *c, const char *model, const char *arch, costs *k)
{
    char db[128];
    const char *version[] = {NULL, "--version", NULL};
    const char *nodb[] = {NULL, "bench", "--target", "cortex-m4", "--kernels", "simd", model,
                          "--json", "--no-db", NULL};
    const char *withdb[] = {NULL, "bench", "--target", "cortex-m4", "--kernels", "simd", model,
                            "--json", "--db", db, NULL};
    span j1, jn;

    snprintf(db, sizeof db, "%s/%s-bench.db", c->dir, arch);
    j1 = time_sweep(c, model, arch, 1);
    jn = time_sweep(c, model, arch, c->jobs);
    k->start = median_run(version, c->repeat);
    k->bench_nodb = median_run(nodb, c->repeat);
    k->bench_db = median_run(withdb, c->repeat);
    if (j1.wall < 0 || jn.wall < 0 || k->start.wall < 0 || k->bench_nodb.wall < 0 ||
        k->bench_db.wall < 0)
        return fprintf(stderr, "bench_sweep: a tinysim run failed (%s)\n", TS_TINYSIM), -1;
    k->point_j1 = (span){j1.wall / c->points, j1.cpu / c->points};
    k->point_jn = jn.wall / c->points;
    return time_engine(c, model, k);
}

static span minus(span a, span b)
{
    return (span){a.wall - b.wall, a.cpu - b.cpu};
}

static void row(const char *what, span s, span point)
{
    printf("    %-40s %8.2f %5.1f %%  %8.2f %5.1f %%\n", what, s.wall * 1e3,
           100 * s.wall / point.wall, s.cpu * 1e3, 100 * s.cpu / point.cpu);
}

static void report(const config *c, const char *arch, const costs *k)
{
    span p = k->point_j1, over = minus(p, k->sim), rest = k->bench_nodb;

    rest = minus(minus(minus(minus(rest, k->start), k->load), k->setup), k->sim);
    printf("\n%s\n", arch);
    printf("  -j 1   %3d points in %6.2f s  %7.1f points/s\n", c->points, p.wall * c->points,
           1 / p.wall);
    printf("  -j %-2d  %3d points in %6.2f s  %7.1f points/s  (%.2fx -j 1)\n", c->jobs,
           c->points, k->point_jn * c->points, 1 / k->point_jn, p.wall / k->point_jn);
    printf("  one point at -j 1                             wall ms           CPU ms\n");
    row("all", p, p);
    row("simulation (ts_engine_run)", k->sim, p);
    row("model load", k->load, p);
    row("engine set-up (firmware image, arena)", k->setup, p);
    row("process start and exit", k->start, p);
    row("store write", minus(k->bench_db, k->bench_nodb), p);
    row("rest of bench (target, report, JSON)", rest, p);
    row("sweep runner (fork, wait, report read)", minus(p, k->bench_db), p);
    printf("  overhead per point (all but the simulation): %.2f ms wall = %.2fx the simulation, "
           "%.2f ms CPU = %.2fx\n", over.wall * 1e3, over.wall / k->sim.wall, over.cpu * 1e3,
           over.cpu / k->sim.cpu);
}

static int parse(int argc, char **argv, config *c)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    *c = (config){40, cores > 0 ? (int)cores : 1, 15, ""};
    for (int i = 1; i < argc; i++) {
        int *slot = !strcmp(argv[i], "--points") ? &c->points
                    : !strcmp(argv[i], "-j")       ? &c->jobs
                    : !strcmp(argv[i], "--repeat") ? &c->repeat : NULL;
        if (!slot || i + 1 == argc || (*slot = atoi(argv[++i])) < 1) {
            fprintf(stderr, "usage: bench_sweep [--points N] [-j J] [--repeat R]\n");
            return -1;
        }
    }
    if (c->repeat > MAX_REPEAT)
        c->repeat = MAX_REPEAT;
    snprintf(c->dir, sizeof c->dir, "/tmp/tinysim-bench-sweep-XXXXXX");
    return mkdtemp(c->dir) ? 0 : (perror("bench_sweep: mkdtemp"), -1);
}

int main(int argc, char **argv)
{
    static const char *const archs[] = {"fc_autoencoder", "ds_cnn"};
    config c;
    int rc = 0;

    if (parse(argc, argv, &c))
        return 2;
    printf("bench_sweep: tinysim sweep on cortex-m4, simd kernels, %d points per sweep (the "
           "same simulation at %d clocks), -j 1 and -j %d, costs: median of %d\n", c.points,
           c.points, c.jobs, c.repeat);
    for (size_t i = 0; i < sizeof archs / sizeof archs[0] && !rc; i++) {
        char model[128];
        const char *gen[] = {NULL, "gen", archs[i], "-o", model, NULL};
        costs k;
        snprintf(model, sizeof model, "%s/%s.tflite", c.dir, archs[i]);
        if (run_tinysim(gen).wall < 0 || measure(&c, model, archs[i], &k))
            rc = 1;
        else
            report(&c, archs[i], &k);
    }
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", c.dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_sweep: could not remove %s\n", c.dir);
    }
    return rc;
}
