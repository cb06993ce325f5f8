/* status.h: status codes and the error-detail record every fallible tinysim call fills.
 * Layer: sim/base (no dependencies). Never prints; the CLI formats ts_err for the user.
 *
 * Convention: fallible functions take `ts_err *err` last and return ts_status. The first
 * error set wins; later ts_err_set calls keep the first message (SQLite/Lua habit). Messages
 * follow `<source>: <location>: <problem> (<expected/actual>)`, lower case, no period. */
#ifndef TS_STATUS_H
#define TS_STATUS_H

#include <stddef.h>

typedef enum ts_status {
#define STATUS(name, msg) TS_ERR_##name,
#include "status.def"
#undef STATUS
    TS_N_STATUS
} ts_status;

#define TS_OK TS_ERR_OK

#define TS_ERR_MSG_BYTES 320

typedef struct ts_err {
    ts_status code;             /* TS_OK until the first error */
    char msg[TS_ERR_MSG_BYTES]; /* NUL-terminated, see the format above */
    const char *file;           /* source file that set the error (debugging aid) */
    int line;                   /* line in that file */
} ts_err;

/* Resets *err to "no error". */
void ts_err_clear(ts_err *err);

/* Generic text of a status code, e.g. "malformed input". Never NULL. */
const char *ts_status_str(ts_status code);

/* Symbolic name of a status code, e.g. "FORMAT". Never NULL. */
const char *ts_status_name(ts_status code);

/* Records an error (if none is recorded yet) and returns `code`. `err` may be NULL. */
ts_status ts_err_set_at(ts_err *err, ts_status code, const char *file, int line, const char *fmt,
                        ...) __attribute__((format(printf, 5, 6)));

#define ts_err_set(err, code, ...) ts_err_set_at((err), (code), __FILE__, __LINE__, __VA_ARGS__)

#endif
