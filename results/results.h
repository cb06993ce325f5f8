/* results.h: the SQLite results store (runs, per-layer and per-region metrics).
 * Layer: results/ (depends on sqlite3 only). Not implemented yet beyond its version query;
 * the store arrives with the results issue. */
#ifndef TS_RESULTS_H
#define TS_RESULTS_H

/* SQLite library version string the store was built against. */
const char *ts_results_sqlite_version(void);

#endif
