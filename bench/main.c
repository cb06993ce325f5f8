/* main.c: the tinysim executable's entry point and subcommand dispatch (table in
 * commands.def). The only main() of the project; stdout and exit() live in bench/. Write
 * errors on stdout are detected here, once, for every command (close_stdout). */
#define _GNU_SOURCE /* fopencookie; includes _XOPEN_SOURCE 700 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_info.h"
#include "cli.h"

#ifndef TS_VERSION
#define TS_VERSION "0.0.0"
#endif
/* The installed data folder relative to the installed executable ("../share/tinysim"). */
#ifndef TS_DATA_FROM_BIN
#define TS_DATA_FROM_BIN "../share/tinysim"
#endif

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
    const char *help;
} command;

static const command commands[] = {
#define CMD(name, fn, usage, help) {#name, fn, usage, help},
#include "commands.def"
#undef CMD
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

void cli_print_usage(FILE *f, const char *name)
{
    const command *c = find_command(name);

    if (c)
        fprintf(f, "usage: tinysim %s\n", c->usage);
}

static void print_help(FILE *f)
{
    fprintf(f, "tinysim %s: cycle-approximate TinyML inference simulator\n\n", TS_VERSION);
    fprintf(f, "usage: tinysim COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n'tinysim COMMAND --help' shows a command's usage. Options: --name VALUE or\n"
               "--name=VALUE, before or after the files; '--' ends them; each at most once\n"
               "unless its usage shows '...'; contradictory options are refused (exit 2).\n"
               "With --json, stdout carries exactly one JSON document: the report, or on failure\n"
               "the report that could still be made (a footprint, the figures up to a fault)\n"
               "with an \"error\" member {\"message\", \"exit_status\"}, else {\"error\": {...}}\n"
               "alone; stderr still has the one error line, and the exit status is unchanged.\n\n"
               "environment:\n"
               "  TINYSIM_TARGETS       folder of the target files NAME.json (default: the\n"
               "                        installed share/tinysim/targets, else the source tree's)\n"
               "  TINYSIM_FIRMWARE_DIR  folder of the kernel firmware images tsfw_*.elf (default:\n"
               "                        share/tinysim/firmware when installed, else the build's)\n"
               "  TINYSIM_DB            the results store (default:\n"
               "                        $XDG_DATA_HOME/tinysim/results.db)\n"
               "  TINYSIM_CACHE_DIR     where per-model firmware images are linked (default:\n"
               "                        $XDG_CACHE_HOME/tinysim, else ~/.cache/tinysim)\n"
               "  TINYSIM_ARM_GCC       the cross linker driver for them (default: the\n"
               "                        arm-none-eabi-gcc tinysim was built with)\n");
}

/* Sets variable `var` to DATA/sub when it is unset and DATA/sub is a folder, DATA being the
 * installed data folder beside this executable (`cmake --install` layout). A binary run from
 * its build tree finds no such folder and keeps the source and build paths compiled in. */
static void default_to_installed(const char *data, const char *var, const char *sub)
{
    char path[PATH_MAX];
    struct stat sb;
    const char *v = getenv(var);
    int w;

    if (v && *v)
        return;
    w = snprintf(path, sizeof path, "%s/%s", data, sub);
    if (w > 0 && (size_t)w < sizeof path && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        setenv(var, path, 1);
}

static void use_installed_data(void)
{
    char exe[PATH_MAX], data[PATH_MAX], real[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;
    int w;

    if (n <= 0)
        return;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = '\0';
    w = snprintf(data, sizeof data, "%s/%s", exe, TS_DATA_FROM_BIN);
    if (w <= 0 || (size_t)w >= sizeof data || !realpath(data, real))
        return;
    default_to_installed(real, "TINYSIM_TARGETS", "targets");
    default_to_installed(real, "TINYSIM_FIRMWARE_DIR", "firmware");
}

int cli_exit_status(ts_status code)
{
    switch (code) {
    case TS_ERR_OK:
        return TS_EXIT_OK;
    case TS_ERR_IO:
    case TS_ERR_FORMAT:
    case TS_ERR_UNSUPPORTED:
    case TS_ERR_CONFIG:
    case TS_ERR_RANGE:
    case TS_ERR_EMU:
    case TS_ERR_USAGE:
        return TS_EXIT_BAD_INPUT;
    case TS_ERR_NOMEM:
    case TS_ERR_DB:
    case TS_ERR_INTERNAL:
    case TS_N_STATUS:
        break;
    }
    return TS_EXIT_FAIL;
}

static char first_error[TS_ERR_MSG_BYTES + 64]; /* the first error line of the run */

void cli_error_line(const char *fmt, ...)
{
    char line[sizeof first_error];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "tinysim: %s\n", line);
    if (!first_error[0])
        snprintf(first_error, sizeof first_error, "%s", line);
}

cJSON *cli_error_json(int exit_status)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "message", first_error[0] ? first_error : "failed (see stderr)");
    cJSON_AddNumberToObject(o, "exit_status", exit_status);
    return o;
}

int cli_report(const ts_err *err)
{
    cli_error_line("%s", err->msg[0] ? err->msg : ts_status_str(err->code));
    return cli_exit_status(err->code);
}

int cli_usage_error(const char *fmt, ...)
{
    ts_err err;
    va_list ap;
    char msg[TS_ERR_MSG_BYTES];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ts_err_clear(&err);
    ts_err_set(&err, TS_ERR_USAGE, "%s", msg); /* one line, as every error message */
    cli_error_line("%s", err.msg);
    return TS_EXIT_BAD_INPUT;
}

int cli_parse_count(const char *cmd, const char *opt, const char *v, unsigned long long max,
                    unsigned long long *out)
{
    if (cli_parse_u64(v, out) || *out == 0 || *out > max)
        return cli_usage_error("%s: %s: expected an integer from 1 to %llu, got '%s'", cmd, opt,
                               max, v);
    return TS_EXIT_OK;
}

int cli_parse_u64(const char *s, unsigned long long *out)
{
    char *end;
    unsigned long long v;

    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

const char *cli_version(void)
{
    return "tinysim " TS_VERSION " (" TS_GIT_COMMIT ")";
}

/* ---- standard output ----
 * stdout goes through a stdio cookie stream that remembers the errno of its first failed
 * write: glibc drops its buffer when a write fails (and writes large blocks directly), so by
 * the time the command returns the reason would be lost. Line-buffered on a terminal, fully
 * buffered otherwise, as stdio's own stdout. fopencookie is a GNU extension (glibc, musl). */

static int stdout_errno;      /* errno of the first failed write to fd 1, 0 if none */
static size_t stdout_written; /* bytes the command wrote on fd 1 */
static bool stdout_counted;   /* stdout is the counting stream (open_stdout succeeded) */

static ssize_t stdout_write(void *cookie, const char *buf, size_t n)
{
    size_t done = 0;

    (void)cookie;
    while (done < n) {
        ssize_t w = write(STDOUT_FILENO, buf + done, n - done);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!stdout_errno)
                stdout_errno = w < 0 ? errno : EIO;
            return (ssize_t)done; /* short: stdio marks the stream in error */
        }
        done += (size_t)w;
        stdout_written += (size_t)w;
    }
    return (ssize_t)n;
}

static void open_stdout(void)
{
    cookie_io_functions_t io = {.write = stdout_write};
    FILE *f = fopencookie(NULL, "w", io);

    if (!f)
        return; /* keep stdio's stdout: errors are still detected, only their reason may go */
    setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
    stdout = f;
    stdout_counted = true;
}

/* Flushes and closes standard output after the command, as coreutils' close_stdout: an
 * output that could not be written (a full disk, /dev/full, a closed pipe with SIGPIPE
 * ignored) gets one line and exit status 1 instead of a silent success. The one place that
 * checks stdout, so commands print without checking each printf. */
static int close_stdout(int rc)
{
    int failed = ferror(stdout), e;

    errno = 0;
    if (fflush(stdout) != 0)
        failed = 1;
    e = stdout_errno ? stdout_errno : errno;
    if (fclose(stdout) != 0 && !failed)
        failed = 1, e = stdout_errno ? stdout_errno : errno;
    if (!failed)
        return rc;
    if (e)
        cli_error_line("stdout: write error: %s", strerror(e));
    else
        cli_error_line("stdout: write error");
    return rc != TS_EXIT_OK ? rc : TS_EXIT_FAIL;
}

static int run_command(int argc, char **argv)
{
    const command *c;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? TS_EXIT_BAD_INPUT : TS_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("%s\n", cli_version());
        return TS_EXIT_OK;
    }
    use_installed_data();
    c = find_command(argv[1]);
    if (!c)
        return cli_usage_error("unknown command '%s' (see 'tinysim --help')", argv[1]);
    if (argc == 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
        cli_print_usage(stdout, c->name);
        return TS_EXIT_OK;
    }
    return c->fn(argc - 1, argv + 1);
}

/* True when the command line asks for JSON: a "--json" (or "--json=...") before any "--". */
static bool wants_json(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--json") == 0 || strncmp(argv[i], "--json=", 7) == 0)
            return true;
    return false;
}

/* The JSON rule (cli.h): a failed command that wrote nothing on stdout gets {"error": ...}. */
static void json_error_document(int rc)
{
    cJSON *doc = cJSON_CreateObject();
    char *text;

    fflush(stdout);
    if (rc == TS_EXIT_OK || !stdout_counted || stdout_written > 0 || ferror(stdout) || !doc) {
        cJSON_Delete(doc);
        return;
    }
    cJSON_AddItemToObject(doc, "error", cli_error_json(rc));
    if ((text = cJSON_Print(doc)) != NULL)
        puts(text);
    free(text);
    cJSON_Delete(doc);
}

int main(int argc, char **argv)
{
    int rc;

    open_stdout();
    rc = run_command(argc, argv);
    if (wants_json(argc, argv))
        json_error_document(rc);
    return close_stdout(rc);
}
