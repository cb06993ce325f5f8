/* cli.h: shared helpers of the tinysim command line. Layer: bench/ (the only layer that
 * prints and exits). Exit statuses: 0 success, 1 runtime failure, 2 bad input or usage. */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "../sim/base/status.h"

#define TS_EXIT_OK 0
#define TS_EXIT_FAIL 1
#define TS_EXIT_BAD_INPUT 2

#define CMD(name, fn, usage, help) int fn(int argc, char **argv);
#include "commands.def"
#undef CMD

/* The one writer of error lines: prints "tinysim: <formatted>" and a newline on stderr, and
 * keeps the first such line of the run for --json's error document (below). */
void cli_error_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "tinysim: <err->msg>" on stderr and returns the exit status for err->code. */
int cli_report(const ts_err *err);

/* JSON mode, the rule of every command (README "JSON output", --help): when the command line
 * has --json, standard output carries exactly one JSON document. On success it is the
 * command's report. On failure it is the report the command could still make, with an
 * "error" member (bench: a model that does not fit, with its footprint; exec: a fault, with
 * the cycles and traffic up to it), or else {"error": {...}} alone, printed by main after the
 * command when it wrote nothing on stdout. stderr still has the one error line; the exit
 * status is the same as without --json. */

/* {"message": the first error line of the run (without "tinysim: "), "exit_status": N}: the
 * "error" member of a JSON document. Caller owns it. */
cJSON *cli_error_json(int exit_status);

/* Prints "tinysim: <formatted>" on stderr and returns TS_EXIT_BAD_INPUT. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Exit status for a status code: 2 for bad input (format, config, range, usage, io,
 * unsupported, emulated fault), 1 for the rest. */
int cli_exit_status(ts_status code);

/* "tinysim VERSION (GIT COMMIT)", as --version prints it. */
const char *cli_version(void);

/* Prints the usage line of subcommand `name` to f. */
void cli_print_usage(FILE *f, const char *name);

/* Parses a non-negative integer argument; returns 0 on success. */
int cli_parse_u64(const char *s, unsigned long long *out);

/* Option `opt` of command `cmd` taking a count from 1 to max: *out, or the usage line
 * "CMD: OPT: expected an integer from 1 to MAX, got 'V'" (its exit status). */
int cli_parse_count(const char *cmd, const char *opt, const char *v, unsigned long long max,
                    unsigned long long *out);

/* Collects the *.json names of dir into names[] (malloc'ed, sorted by name; the caller frees
 * each); returns the count, or -1 when dir cannot be read. */
int cli_list_json(const char *dir, char **names, int max);

#endif
