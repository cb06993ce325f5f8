/* results.c: the SQLite results store. Layer: results/. Must not print or exit. */
#include "results.h"

#include <sqlite3.h>

const char *ts_results_sqlite_version(void)
{
    return sqlite3_libversion();
}
