/* test_browser.c: the HTML report loaded in a real browser. Headless Chromium (Debian package
 * `chromium`) opens a rendered page once, dumping its DOM, logging its console to stderr and
 * taking a screenshot; the test checks that every chart is in the DOM with its drawn marks,
 * that data strings stayed text, that the screenshot shows the charts' colours, and that the
 * page logged nothing to the console (a page without script logs only errors, e.g. an
 * invalid SVG attribute). A second test checks that such an error is caught. Chromium is
 * killed (its whole process group) after BROWSER_TIMEOUT_S. Skips with a note when chromium
 * is absent, but fails under CI (CI=true); scripts/test.sh installs it. TS_CHROMIUM overrides
 * the path. */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_run.h"
#include "png_read.h"
#include "report_fixture.h"
#include "svg_chart.h"

#define BROWSER_TIMEOUT_S 90
#define SHOT_W            1300
#define SHOT_H            2400

typedef struct page_run {
    char dir[64], html[96], png[96], profile[96];
    char *dom, *log; /* stdout and stderr of chromium (malloc'd) */
} page_run;

static const char *find_chromium(char *buf, size_t cap)
{
    static const char *const names[] = {"chromium", "chromium-browser"};
    const char *env = getenv("TS_CHROMIUM"), *path = getenv("PATH");

    if (env && *env)
        return access(env, X_OK) == 0 ? env : NULL;
    for (size_t i = 0; i < 2 && path; i++)
        for (const char *p = path; *p;) {
            size_t n = strcspn(p, ":");
            snprintf(buf, cap, "%.*s/%s", (int)n, p, names[i]);
            if (n && access(buf, X_OK) == 0)
                return buf;
            p += n + (p[n] == ':');
        }
    return NULL;
}

static const char *need_chromium(char *buf, size_t cap)
{
    const char *c = find_chromium(buf, cap), *ci = getenv("CI");
    if (!c && ci && !strcmp(ci, "true"))
        cr_assert_fail("chromium not found under CI (CI=true): scripts/test.sh installs it");
    if (!c)
        cr_skip_test("chromium not found (install the Debian package `chromium`, as "
                     "scripts/test.sh does): the report was not checked in a browser");
    return c;
}

/* Runs chromium on p->html; fills p->dom and p->log. Fails the test on a timeout. */
static void run_chromium(const char *chromium, page_run *p)
{
    char url[128], shot[128], prof[128], size[32];
    FILE *out = tmpfile(), *err = tmpfile();
    int st = 0;
    pid_t pid, done = 0;

    snprintf(url, sizeof url, "file://%s", p->html);
    snprintf(shot, sizeof shot, "--screenshot=%s", p->png);
    snprintf(prof, sizeof prof, "--user-data-dir=%s", p->profile);
    snprintf(size, sizeof size, "--window-size=%d,%d", SHOT_W, SHOT_H);
    cr_assert(out && err);
    fflush(NULL);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        setpgid(0, 0);
        dup2(fileno(out), 1), dup2(fileno(err), 2);
        execl(chromium, chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
              "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1", prof, size,
              "--enable-logging=stderr", "--v=0", "--dump-dom", shot, url, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    for (int t = 0; t < BROWSER_TIMEOUT_S * 20 && done == 0; t++) {
        done = waitpid(pid, &st, WNOHANG);
        if (done == 0)
            nanosleep(&(struct timespec){0, 50000000}, NULL);
    }
    kill(-pid, SIGKILL); /* the browser's own children, and itself after a timeout */
    if (done == 0)
        waitpid(pid, &st, 0);
    p->dom = cli_slurp(out), p->log = cli_slurp(err);
    fclose(out), fclose(err);
    cr_assert_neq(done, 0, "chromium did not finish within %d s; killed", BROWSER_TIMEOUT_S);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "chromium failed:\n%s", p->log);
}

static void page_open(page_run *p, const char *html)
{
    FILE *f;

    snprintf(p->dir, sizeof p->dir, "/tmp/ts_browser_XXXXXX");
    cr_assert_not_null(mkdtemp(p->dir));
    snprintf(p->html, sizeof p->html, "%s/report.html", p->dir);
    snprintf(p->png, sizeof p->png, "%s/shot.png", p->dir);
    snprintf(p->profile, sizeof p->profile, "%s/profile", p->dir);
    cr_assert_not_null(f = fopen(p->html, "w"));
    fputs(html, f);
    fclose(f);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void page_close(page_run *p)
{
    nftw(p->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(p->dom), free(p->log);
}

/* The first console line of the log, or NULL. */
static const char *console_line(const char *log)
{
    return strstr(log, ":CONSOLE");
}

/* Pixels of img exactly of colour "#rrggbb". */
static long count_colour(const png_image *img, const char *hex)
{
    unsigned r, g, b;
    long n = 0;

    sscanf(hex, "#%02x%02x%02x", &r, &g, &b);
    for (size_t i = 0; i < (size_t)img->width * img->height; i++)
        n += img->rgb[3 * i] == r && img->rgb[3 * i + 1] == g && img->rgb[3 * i + 2] == b;
    return n;
}

static void check_screenshot(const page_run *p)
{
    FILE *f = fopen(p->png, "rb");
    png_image img = {0};
    uint8_t *data;
    long n, white = 0;

    cr_assert_not_null(f, "chromium wrote no screenshot");
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    data = malloc((size_t)n);
    cr_assert(data && fread(data, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    cr_assert_eq(png_decode(data, (size_t)n, &img), 0, "screenshot is not a PNG we can read");
    cr_expect_eq(img.width, SHOT_W);
    for (size_t i = 0; i < (size_t)img.width * img.height; i++)
        white += img.rgb[3 * i] == 255 && img.rgb[3 * i + 1] == 255 && img.rgb[3 * i + 2] == 255;
    cr_expect_lt(white, (long)img.width * img.height * 97 / 100, "screenshot nearly blank");
    for (int c = 0; c < 4; c++) /* the first colours: bars, segments, scatter points */
        cr_expect_gt(count_colour(&img, svg_colour(c)), 100, "no %s area on screen", svg_colour(c));
    free(img.rgb), free(data);
}

static void check_dom(const char *dom)
{
    char *sweep;

    for (int i = 0; i < FIX_N_CHARTS; i++) {
        char *svg = chart_svg(dom, fixture_charts[i][0]);
        cr_expect_not_null(svg, "chart %s not in the browser's DOM", fixture_charts[i][0]);
        cr_expect_gt(svg ? count_str(svg, fixture_charts[i][1]) : 0, 0, "chart %s has no marks",
                     fixture_charts[i][0]);
        free(svg);
    }
    sweep = chart_svg(dom, "sweep-1");
    cr_expect_not_null(sweep, "the sweep chart is not in the browser's DOM");
    cr_expect_eq(sweep ? count_str(sweep, "class=\"pt front\"") : 0, FIX_N_SWEEP_FRONT,
                 "the front's marks");
    free(sweep);
    cr_expect_null(strstr(dom, "<b>"), "a model name became markup");
    cr_expect_not_null(strstr(dom, "&lt;b&gt;kws"), "the model name is not shown as text");
}

Test(browser, chromium_renders_every_chart_and_logs_no_console_error, .timeout = 180)
{
    char path[4096];
    const char *chromium = need_chromium(path, sizeof path);
    rep_run runs[FIX_N_RUNS + FIX_N_SWEEP];
    page_run p = {0};
    char *html;

    memcpy(runs, fixture_runs(), FIX_N_RUNS * sizeof *runs);
    memcpy(runs + FIX_N_RUNS, fixture_sweep_runs(), FIX_N_SWEEP * sizeof *runs);
    for (int i = 0; i < FIX_N_RUNS + FIX_N_SWEEP; i++)
        runs[i].model = "<b>kws&\".tflite";
    html = render(&(rep_doc){"browser test", NULL, NULL, runs, FIX_N_RUNS + FIX_N_SWEEP});
    page_open(&p, html);
    run_chromium(chromium, &p);
    check_dom(p.dom);
    cr_expect_null(console_line(p.log), "the page logged: %.300s", console_line(p.log));
    check_screenshot(&p);
    page_close(&p);
    free(html);
}

Test(browser, a_console_error_in_the_page_is_caught, .timeout = 180)
{
    char path[4096];
    const char *chromium = need_chromium(path, sizeof path);
    page_run p = {0};

    page_open(&p, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head>"
                  "<body><svg width=\"10\" height=\"10\"><rect width=\"-5\" height=\"5\"/>"
                  "</svg></body></html>");
    run_chromium(chromium, &p);
    cr_expect_not_null(console_line(p.log), "a negative SVG width was not reported:\n%s", p.log);
    page_close(&p);
}
