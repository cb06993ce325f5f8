/* cli_run.h: test helper that runs the built tinysim binary and captures its output. */
#ifndef TS_TEST_CLI_RUN_H
#define TS_TEST_CLI_RUN_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct cli_result {
    int status;   /* exit status, or -1 when the process did not exit normally */
    char *out;    /* stdout, NUL-terminated (caller frees with cli_result_free) */
    char *err;    /* stderr, NUL-terminated */
} cli_result;

/* Runs "$TS_TINYSIM args..." (args is a NULL-terminated argv without argv[0]). */
cli_result cli_run(const char *const *args);

/* How cli_run_with sets up the child before exec. */
typedef struct cli_env {
    const char *stdout_path; /* stdout opened for writing from this path; NULL: captured */
    int umask;               /* the child's umask; -1: inherited */
    int uid;                 /* run as this user id, with the same group id and no
                              * supplementary groups (root only; 65534: nobody); -1: ours */
} cli_env;

/* cli_run with the child's stdout, umask and user as env says (r.out is "" when stdout goes
 * to stdout_path). Exit status 127: the child could not set up or exec. */
cli_result cli_run_with(const char *const *args, const cli_env *env);

/* Runs program bin (a path, or a name searched in PATH) with args, as cli_run. */
cli_result cli_run_prog(const char *bin, const char *const *args);
void cli_result_free(cli_result *r);

/* Path of a shared model ("$TS_SHARED_DIR/models/NAME"), or NULL when ../shared is absent. */
const char *shared_model(const char *name, char *buf, size_t size);

/* Writes len bytes of data to a new file at path (asserts it can). */
void cli_write_file(const char *path, const void *data, size_t len);

/* Reads up to cap bytes of file path into buf (asserts it opens); returns the count. */
size_t cli_read_file(const char *path, void *buf, size_t cap);

/* Writes generated model `spec` (sim/gen, seed 1) to a new temporary file; its name goes to
 * path (cap bytes) and is returned. The caller unlinks it. */
const char *cli_gen_model(const char *spec, char *path, size_t cap);

/* The whole content of stream f (from its start), NUL-terminated, malloc'd. */
char *cli_slurp(FILE *f);

/* Number of lines in s. */
int count_lines(const char *s);

/* Number of lines of text that start with prefix. */
int count_prefix(const char *text, const char *prefix);

/* Writes the string text to path (cli_write_file). */
static inline void cli_write_text(const char *path, const char *text)
{
    cli_write_file(path, text, strlen(text));
}

/* A new temporary folder "/tmp/tinysim-TAG-XXXXXX" into dir (cap bytes); returns dir. */
const char *cli_tmp_dir(const char *tag, char *dir, size_t cap);

/* Removes a folder made by cli_tmp_dir, with everything in it. */
void cli_remove_dir(const char *dir);

#endif
