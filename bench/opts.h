/* opts.h: the one option parser of the tinysim commands (bench/cmd_*.c). Layer: bench/
 * (prints its one error line through cli.h; exits nowhere: it returns the exit status).
 *
 * A command describes its options in a table and hands argv to opts_parse, which calls the
 * command back once per option occurrence and once per positional argument, in order. What
 * the parser checks, so that no command has to:
 *   - unknown options             "CMD: unknown option '--x' (see 'tinysim CMD --help')"
 *   - a missing value             "CMD: --target needs a value"
 *   - a value given to a flag     "CMD: --json takes no value (got '--json=1')"
 *   - an option given twice       "CMD: --target given twice ('a', then 'b')"
 *                                 "CMD: --json given twice"
 *     unless its row says OPTS_REPEAT (--set, --tag, --input...);
 *   - two options that exclude each other (rows whose `excludes` masks share a bit)
 *                                 "CMD: --exact-mem and --fast-mem exclude each other"
 * Rows that share an id are spellings of one option (-q and --quiet, -o and --output): they
 * count as one for the two checks above.
 *
 * Syntax accepted: "--name VALUE" and "--name=VALUE" for an option that takes a value (the
 * next argument is its value whatever it looks like, as "--set -x" or "-o -"), and "-j4" for a
 * one-letter option that takes one (as make takes it); "--name" for a flag; "-" alone is a positional argument (standard input or output); "--" ends the options
 * (every later argument is positional). Options and positionals may be mixed in any order.
 *
 * Usage (see cmd_targets.c for a small example):
 *
 *     enum { OPT_DIR, OPT_KEYS };
 *     static const opts_spec spec[] = {
 *         {"--dir",  OPT_DIR,  OPTS_VALUE, 1},  // excludes --keys (shared bit 1)
 *         {"--keys", OPT_KEYS, 0,          1},
 *     };
 *     static int on_opt(void *ctx, int id, const char *name, const char *value)
 *     {
 *         my_args *a = ctx;   // id: a row's id, or OPTS_ARG for a positional (name NULL)
 *         ...                 // store the value; return TS_EXIT_OK, or the status of
 *     }                       // cli_usage_error(...) for a bad value
 *     rc = opts_parse("targets", spec, OPTS_N(spec), argc, argv, 1, on_opt, &a);
 *
 * The callback converts and stores values and rejects bad ones (its own one-line message);
 * the first non-zero status it returns stops the parse and is returned. Checks that involve
 * positionals or values (a model required, --suite without a model) stay in the command,
 * after opts_parse. */
#ifndef TS_OPTS_H
#define TS_OPTS_H

#define OPTS_VALUE 1u  /* takes a value: "--name VALUE" or "--name=VALUE" */
#define OPTS_REPEAT 2u /* may be given more than once (each occurrence is passed on) */

#define OPTS_ARG (-1) /* the id passed to the callback for a positional argument */

typedef struct opts_spec {
    const char *name;  /* as typed: "--target", "-j", "-o" */
    int id;            /* the command's option id (>= 0); rows with one id are aliases */
    unsigned flags;    /* OPTS_VALUE, OPTS_REPEAT */
    unsigned excludes; /* bit mask: options whose masks share a bit exclude each other */
} opts_spec;

#define OPTS_N(spec) ((int)(sizeof(spec) / sizeof((spec)[0])))

/* Called for each option occurrence (id = its row's id, name = the spelling used, value =
 * its value or NULL for a flag) and each positional argument (id = OPTS_ARG, name = NULL).
 * Returns TS_EXIT_OK to go on, else the exit status after printing the one error line. */
typedef int (*opts_fn)(void *ctx, int id, const char *name, const char *value);

/* Parses argv[first..argc-1] of command `cmd` ("bench", "results list": the message prefix
 * and the name in "see 'tinysim CMD --help'") against the n rows of spec. Returns TS_EXIT_OK,
 * or TS_EXIT_BAD_INPUT after printing the error line, or the callback's first non-zero
 * status. At most 64 distinct ids (asserted). */
int opts_parse(const char *cmd, const opts_spec *spec, int n, int argc, char **argv, int first,
               opts_fn fn, void *ctx);

#endif
