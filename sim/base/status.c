/* status.c: status code names/messages (generated from status.def) and ts_err recording.
 * Layer: sim/base. Must not print or exit. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_msgs[] = {
#define STATUS(name, msg) msg,
#include "status.def"
#undef STATUS
};

static const char *const status_names[] = {
#define STATUS(name, msg) #name,
#include "status.def"
#undef STATUS
};

void ts_err_clear(ts_err *err)
{
    if (!err)
        return;
    err->code = TS_OK;
    err->msg[0] = '\0';
    err->file = NULL;
    err->line = 0;
}

const char *ts_status_str(ts_status code)
{
    if ((unsigned)code >= (unsigned)TS_N_STATUS)
        return "unknown status";
    return status_msgs[code];
}

const char *ts_status_name(ts_status code)
{
    if ((unsigned)code >= (unsigned)TS_N_STATUS)
        return "UNKNOWN";
    return status_names[code];
}

ts_status ts_err_set_at(ts_err *err, ts_status code, const char *file, int line, const char *fmt,
                        ...)
{
    va_list ap;

    if (!err || err->code != TS_OK)
        return code;
    err->code = code;
    err->file = file;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    /* one line whatever the input: names from a file (tensor, metadata) may hold control
     * characters, newlines included */
    for (char *p = err->msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return code;
}
