/* results.c: the SQLite results store (see results.h). Layer: results/ (sqlite3 only). Must not
 * print or exit; every sqlite3_* result is checked and reported as "PATH: what (sqlite: msg)".
 * Statements are prepared with bound parameters only. Writers use BEGIN IMMEDIATE inside a
 * busy timeout, retried with a growing pause, so concurrent bench processes serialise instead
 * of failing; WAL lets readers go on meanwhile. */
#define _POSIX_C_SOURCE 200809L
#include "results.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schema_sql.h"

#define BUSY_TIMEOUT_MS 5000 /* per attempt; a run's transaction takes milliseconds */
#define BUSY_RETRIES 6       /* then TS_RES_BUSY: about 30 s of waiting in all */
#define MIGRATION_MARK "\n-- migration " /* at the start of a line */

struct ts_results {
    sqlite3 *db;
    char *path;
    void (*hook)(int step, void *ctx);
    void *hook_ctx;
};

/* Provenance columns in run_fields.def order, for INSERT and SELECT. */
#define RUN_FIELD(name, meaning) ", " #name
static const char run_columns[] = "id"
#include "run_fields.def"
    ;
#undef RUN_FIELD
#define RUN_FIELD(name, meaning) ", ?"
static const char run_params[] = "?"
#include "run_fields.def"
    ;
#undef RUN_FIELD

const char *ts_results_sqlite_version(void)
{
    return sqlite3_libversion();
}

static ts_res_status set_err(ts_res_err *err, ts_res_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ts_res_status set_err(ts_res_err *err, ts_res_status code, const char *fmt, ...)
{
    va_list ap;

    if (err && err->code == TS_RES_OK) { /* the first error wins */
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

static ts_res_status status_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY: case SQLITE_LOCKED: return TS_RES_BUSY;
    case SQLITE_NOMEM: return TS_RES_NOMEM;
    case SQLITE_NOTADB: case SQLITE_CORRUPT: return TS_RES_NOTDB;
    case SQLITE_CANTOPEN: return TS_RES_OPEN;
    default: return TS_RES_WRITE;
    }
}

/* Reports the last SQLite error of db while doing `what`. */
static ts_res_status db_err(ts_results *r, int rc, const char *what, ts_res_err *err)
{
    ts_res_status st = status_of(rc);

    if (st == TS_RES_NOTDB)
        return set_err(err, st, "%s: not a tinysim results database (sqlite: %s)", r->path,
                       sqlite3_errmsg(r->db));
    if (sqlite3_system_errno(r->db) && st == TS_RES_WRITE)
        return set_err(err, st, "%s: %s: %s (sqlite: %s; system: %s)", r->path, what,
                       sqlite3_errstr(rc), sqlite3_errmsg(r->db),
                       strerror(sqlite3_system_errno(r->db)));
    return set_err(err, st, "%s: %s: %s (sqlite: %s)", r->path, what, sqlite3_errstr(rc),
                   sqlite3_errmsg(r->db));
}

static ts_res_status exec(ts_results *r, const char *sql, const char *what, ts_res_err *err)
{
    int rc = sqlite3_exec(r->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? TS_RES_OK : db_err(r, rc, what, err);
}

static ts_res_status prepare(ts_results *r, const char *sql, sqlite3_stmt **st, ts_res_err *err)
{
    int rc = sqlite3_prepare_v2(r->db, sql, -1, st, NULL);

    return rc == SQLITE_OK ? TS_RES_OK : db_err(r, rc, "cannot prepare a query", err);
}

/* Single integer result of sql (a PRAGMA). */
static ts_res_status query_int(ts_results *r, const char *sql, int64_t *out, ts_res_err *err)
{
    sqlite3_stmt *st = NULL;
    ts_res_status s = prepare(r, sql, &st, err);
    int rc;

    if (s)
        return s;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        s = db_err(r, rc, "cannot read the schema", err);
    sqlite3_finalize(st);
    return s;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* sql, tried up to `tries` times while another connection holds a lock (SQLITE_BUSY),
 * pausing 20, 40, 80, 160, then 320 ms between tries; the last result code. */
static int exec_while_busy(ts_results *r, const char *sql, int tries)
{
    int rc = SQLITE_BUSY;

    for (int i = 0; i < tries && (rc & 0xff) == SQLITE_BUSY; i++) {
        if (i)
            pause_ms(10L << (i < 5 ? i : 5));
        rc = sqlite3_exec(r->db, sql, NULL, NULL, NULL);
    }
    return rc;
}

/* BEGIN IMMEDIATE, retried while other writers hold the lock. */
static ts_res_status begin_write(ts_results *r, ts_res_err *err)
{
    int rc = exec_while_busy(r, "BEGIN IMMEDIATE", BUSY_RETRIES);

    if (rc == SQLITE_OK)
        return TS_RES_OK;
    return db_err(r, rc, "cannot start a write transaction", err);
}

/* Commits when s is OK, else rolls back; `what` names the transaction in messages. */
static ts_res_status end_write(ts_results *r, ts_res_status s, const char *what,
                               ts_res_err *err)
{
    if (s == TS_RES_OK)
        s = exec(r, "COMMIT", what, err);
    if (s != TS_RES_OK && !sqlite3_get_autocommit(r->db))
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    return s;
}

/* ---- schema ---- */

int ts_results_schema_version(void)
{
    int n = 0;

    for (const char *p = ts_schema_sql; (p = strstr(p, MIGRATION_MARK)) != NULL; p++)
        n++;
    return n;
}

/* Text of migration v (1-based) into buf; false when absent or too long. */
static bool migration_sql(int v, char *buf, size_t cap)
{
    const char *p = ts_schema_sql, *end;
    size_t n;

    for (int i = 0; i < v; i++)
        if (!(p = strstr(i ? p + 1 : p, MIGRATION_MARK)))
            return false;
    p++; /* past the newline */
    end = strstr(p + 1, MIGRATION_MARK);
    n = end ? (size_t)(end - p) : strlen(p);
    if (n >= cap)
        return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return true;
}

/* Applies migrations user_version+1..latest in one write transaction. */
static ts_res_status migrate(ts_results *r, ts_res_err *err)
{
    static char sql[16384];
    int latest = ts_results_schema_version();
    int64_t v = 0;
    ts_res_status s = begin_write(r, err);
    char pragma[96];

    if (!s) /* read again under the lock: another process may have migrated meanwhile */
        s = query_int(r, "PRAGMA user_version", &v, err);
    for (int i = (int)v + 1; i <= latest && !s; i++) {
        if (!migration_sql(i, sql, sizeof sql))
            s = set_err(err, TS_RES_WRITE, "%s: schema migration %d missing", r->path, i);
        else
            s = exec(r, sql, "cannot migrate the schema", err);
    }
    if (!s && v < latest) {
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d; PRAGMA application_id = %d",
                 latest, TS_RES_APPLICATION_ID);
        s = exec(r, pragma, "cannot migrate the schema", err);
    }
    return end_write(r, s, "cannot migrate the schema", err);
}

/* Checks that the file is a tinysim store (or empty) not newer than this build. */
static ts_res_status check_header(ts_results *r, int64_t *version, ts_res_err *err)
{
    int64_t app = 0, n_tables = 0;
    ts_res_status s = exec(r, "BEGIN", "cannot read the schema", err);

    if (!s) /* one read transaction: a concurrent migration is seen whole or not at all */
        s = query_int(r, "PRAGMA application_id", &app, err);
    if (!s)
        s = query_int(r, "PRAGMA user_version", version, err);
    if (!s)
        s = query_int(r, "SELECT count(*) FROM sqlite_master", &n_tables, err);
    sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
    if (s)
        return s;
    if (app != TS_RES_APPLICATION_ID && (app != 0 || n_tables > 0))
        return set_err(err, TS_RES_NOTDB, "%s: not a tinysim results database (application_id "
                       "0x%08llx with %lld tables, expected 0x%08x)", r->path,
                       (unsigned long long)(uint32_t)app, (long long)n_tables,
                       TS_RES_APPLICATION_ID);
    if (*version > ts_results_schema_version())
        return set_err(err, TS_RES_NEWER, "%s: schema version %lld is newer than this tinysim "
                       "knows (expected at most %d): use a newer tinysim", r->path,
                       (long long)*version, ts_results_schema_version());
    return TS_RES_OK;
}

static ts_res_status open_file(const char *path, int oflags, ts_results **out, ts_res_err *err)
{
    ts_results *r = calloc(1, sizeof *r);
    int rc;

    if (!r || !(r->path = malloc(strlen(path) + 1))) {
        free(r);
        return set_err(err, TS_RES_NOMEM, "%s: out of memory", path);
    }
    strcpy(r->path, path);
    rc = sqlite3_open_v2(path, &r->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, rc == SQLITE_NOMEM ? TS_RES_NOMEM : TS_RES_OPEN, "%s: cannot open: %s",
                path, r->db ? sqlite3_errmsg(r->db) : sqlite3_errstr(rc));
        ts_results_close(r);
        return err ? err->code : TS_RES_OPEN;
    }
    sqlite3_extended_result_codes(r->db, 1);
    sqlite3_busy_timeout(r->db, BUSY_TIMEOUT_MS);
    *out = r;
    return TS_RES_OK;
}

/* WAL (persistent in the file, so only a new store's first writers switch it). The switch
 * needs the database to itself, and SQLite answers SQLITE_BUSY at once, without the busy
 * handler, while another connection holds a lock (seen: 8 processes opening one new store,
 * about 1 run in 50 failed with "database is locked"), so it is retried as BEGIN IMMEDIATE is,
 * with pauses growing to 320 ms, about 3 s in all. */
static ts_res_status set_wal(ts_results *r, ts_res_err *err)
{
    int rc = exec_while_busy(r, "PRAGMA journal_mode = WAL", 2 * BUSY_RETRIES);

    return rc == SQLITE_OK ? TS_RES_OK : db_err(r, rc, "cannot switch to WAL", err);
}

/* Sets the connection up: header checks, WAL, foreign keys, migrations when writable. */
static ts_res_status setup(ts_results *r, bool writable, ts_res_err *err)
{
    int64_t version = 0;
    ts_res_status s = check_header(r, &version, err);

    if (!s)
        s = exec(r, "PRAGMA foreign_keys = ON", "cannot configure", err);
    if (!s && writable)
        s = set_wal(r, err);
    /* a merge copies a whole store in one transaction: with SQLite's default 2 MB page
     * cache its pages spill to the WAL and are read back (7.7 s instead of 5.2 s for the
     * 486 runs of bench/sweeps/systolic.json); the cache grows only as far as it is used */
    if (!s && writable)
        s = exec(r, "PRAGMA cache_size = -65536", "cannot configure", err);
    if (!s && writable && version < ts_results_schema_version())
        s = migrate(r, err);
    if (!s && !writable && version != ts_results_schema_version())
        s = set_err(err, TS_RES_NOTDB, "%s: schema version %lld, expected %d (open it "
                    "read-write once to migrate it)", r->path, (long long)version,
                    ts_results_schema_version());
    return s;
}

ts_res_status ts_results_open(const char *path, unsigned flags, ts_results **out,
                              ts_res_err *err)
{
    bool ro = flags & TS_RES_OPEN_READONLY;
    int oflags = ro ? SQLITE_OPEN_READONLY
                    : flags & TS_RES_OPEN_EXISTING ? SQLITE_OPEN_READWRITE
                                                   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    ts_results *r = NULL;
    ts_res_status s;

    *out = NULL;
    s = open_file(path, oflags, &r, err);
    if (!s)
        s = setup(r, !ro, err);
    if (s) {
        ts_results_close(r);
        return s;
    }
    *out = r;
    return TS_RES_OK;
}

void ts_results_close(ts_results *r)
{
    if (!r)
        return;
    sqlite3_close_v2(r->db);
    free(r->path);
    free(r);
}

void ts_results_set_test_hook(ts_results *r, void (*hook)(int step, void *ctx), void *ctx)
{
    r->hook = hook;
    r->hook_ctx = ctx;
}

/* ---- writing ---- */

static void hook(ts_results *r, int step)
{
    if (r->hook)
        r->hook(step, r->hook_ctx);
}

/* Steps a prepared insert once and resets it for the next row. */
static ts_res_status step_insert(ts_results *r, sqlite3_stmt *st, ts_res_err *err)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? TS_RES_OK : db_err(r, rc, "cannot record the run", err);
}

static ts_res_status insert_run_row(ts_results *r, const ts_res_run *run, bool *added,
                                    ts_res_err *err)
{
    char sql[1024];
    sqlite3_stmt *st = NULL;
    ts_res_status s;

    snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO runs (%s) VALUES (%s)", run_columns,
             run_params);
    if ((s = prepare(r, sql, &st, err)))
        return s;
    sqlite3_bind_text(st, 1, run->id, -1, SQLITE_STATIC);
    for (int f = 0; f < TS_RES_N_FIELDS; f++)
        sqlite3_bind_text(st, f + 2, run->field[f], -1, SQLITE_STATIC);
    if (!run->field[TS_RES_F_created_utc])
        sqlite3_bind_text(st, TS_RES_F_created_utc + 2, "", -1, SQLITE_STATIC);
    s = step_insert(r, st, err);
    *added = !s && sqlite3_changes(r->db) > 0;
    sqlite3_finalize(st);
    return s;
}

static ts_res_status insert_lists(ts_results *r, const ts_res_run *run, ts_res_err *err)
{
    sqlite3_stmt *tag = NULL, *ovr = NULL, *lay = NULL;
    ts_res_status s = prepare(r, "INSERT OR IGNORE INTO tags VALUES (?1, ?2)", &tag, err);

    if (!s)
        s = prepare(r, "INSERT INTO overrides VALUES (?1, ?2, ?3, ?4)", &ovr, err);
    if (!s)
        s = prepare(r, "INSERT INTO layers VALUES (?1, ?2, ?3, ?4, ?5)", &lay, err);
    for (size_t i = 0; i < run->n_tags && !s; i++) {
        sqlite3_bind_text(tag, 1, run->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(tag, 2, run->tags[i], -1, SQLITE_STATIC);
        s = step_insert(r, tag, err);
    }
    for (size_t i = 0; i < run->n_overrides && !s; i++) {
        sqlite3_bind_text(ovr, 1, run->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ovr, 2, (sqlite3_int64)i);
        sqlite3_bind_text(ovr, 3, run->overrides[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(ovr, 4, run->overrides[i].value, -1, SQLITE_STATIC);
        s = step_insert(r, ovr, err);
    }
    for (size_t i = 0; i < run->n_layers && !s; i++) {
        const ts_res_layer *l = &run->layers[i];
        sqlite3_bind_text(lay, 1, run->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(lay, 2, l->index);
        sqlite3_bind_text(lay, 3, l->op, -1, SQLITE_STATIC);
        sqlite3_bind_text(lay, 4, l->unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(lay, 5, l->kernels, -1, SQLITE_STATIC);
        s = step_insert(r, lay, err);
    }
    sqlite3_finalize(tag), sqlite3_finalize(ovr), sqlite3_finalize(lay);
    return s;
}

static ts_res_status insert_metrics(ts_results *r, const ts_res_run *run, ts_res_err *err)
{
    sqlite3_stmt *st = NULL;
    ts_res_status s = prepare(r, "INSERT INTO metrics VALUES (?1, ?2, ?3, ?4)", &st, err);

    for (size_t i = 0; i < run->n_metrics && !s; i++) {
        if (i == run->n_metrics / 2)
            hook(r, 3);
        sqlite3_bind_text(st, 1, run->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, run->metrics[i].layer);
        sqlite3_bind_text(st, 3, run->metrics[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 4, run->metrics[i].value);
        s = step_insert(r, st, err);
    }
    sqlite3_finalize(st);
    return s;
}

/* Inserts one run inside the caller's transaction. */
static ts_res_status insert_run(ts_results *r, const ts_res_run *run, bool *added,
                                ts_res_err *err)
{
    ts_res_status s;

    if (strlen(run->id) != TS_RES_ID_BYTES - 1)
        return set_err(err, TS_RES_BAD_RECORD, "%s: cannot record a run without an id", r->path);
    s = insert_run_row(r, run, added, err);
    if (s || !*added)
        return s;
    hook(r, 1);
    s = insert_lists(r, run, err);
    if (!s)
        hook(r, 2);
    return s ? s : insert_metrics(r, run, err);
}

ts_res_status ts_results_add(ts_results *r, const ts_res_run *run, bool *added, ts_res_err *err)
{
    bool ok = false;
    ts_res_status s = begin_write(r, err);

    if (!s)
        s = insert_run(r, run, &ok, err);
    s = end_write(r, s, "cannot record the run", err);
    if (added)
        *added = !s && ok;
    return s;
}

/* ---- reading ---- */

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Reads the tags, overrides, layers and metrics of run->id. */
static ts_res_status read_lists(ts_results *r, ts_res_run *run, ts_res_err *err)
{
    static const char *const sql[] = {
        "SELECT tag FROM tags WHERE run_id = ?1 ORDER BY tag",
        "SELECT key, value FROM overrides WHERE run_id = ?1 ORDER BY pos",
        "SELECT layer, op, unit, kernels FROM layers WHERE run_id = ?1 ORDER BY layer",
        "SELECT layer, name, value FROM metrics WHERE run_id = ?1 ORDER BY layer, name"};
    sqlite3_stmt *st = NULL;
    ts_res_status s = TS_RES_OK;
    bool ok = true;
    int rc = SQLITE_DONE;

    for (int q = 0; q < 4 && !s && ok; q++) {
        if ((s = prepare(r, sql[q], &st, err)))
            break;
        sqlite3_bind_text(st, 1, run->id, -1, SQLITE_STATIC);
        while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (q == 0)
                ok = ts_res_run_add_tag(run, col_text(st, 0));
            else if (q == 1)
                ok = ts_res_run_add_override(run, col_text(st, 0), col_text(st, 1));
            else if (q == 2)
                ok = ts_res_run_add_layer(run, sqlite3_column_int(st, 0), col_text(st, 1),
                                          col_text(st, 2), col_text(st, 3));
            else
                ok = ts_res_run_add_metric(run, sqlite3_column_int(st, 0), col_text(st, 1),
                                           sqlite3_column_double(st, 2));
        }
        if (ok && rc != SQLITE_DONE)
            s = db_err(r, rc, "cannot read a run", err);
        sqlite3_finalize(st);
        st = NULL;
    }
    return !s && !ok ? set_err(err, TS_RES_NOMEM, "%s: out of memory", r->path) : s;
}

/* A record from the current row of a SELECT of run_columns; with its tags, overrides,
 * layers and metrics when `lists`. */
static ts_res_status read_run(ts_results *r, sqlite3_stmt *st, bool lists, ts_res_run **out,
                              ts_res_err *err)
{
    ts_res_run *run = ts_res_run_new();
    bool ok = run != NULL;
    ts_res_status s;

    if (ok)
        snprintf(run->id, sizeof run->id, "%s", col_text(st, 0) ? col_text(st, 0) : "");
    for (int f = 0; f < TS_RES_N_FIELDS && ok; f++)
        ok = ts_res_run_set(run, (ts_res_field)f, col_text(st, f + 1));
    if (!ok)
        s = set_err(err, TS_RES_NOMEM, "%s: out of memory", r->path);
    else
        s = lists ? read_lists(r, run, err) : TS_RES_OK;
    if (s) {
        ts_res_run_free(run);
        return s;
    }
    *out = run;
    return TS_RES_OK;
}

static void bind_filter(sqlite3_stmt *st, const ts_res_filter *f)
{
    static const ts_res_filter none;

    f = f ? f : &none;
    sqlite3_bind_text(st, 1, f->model, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, f->target, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, f->tag, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, f->kernels, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, f->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, f->suite, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, f->swept);
}

/* Calls take(run, ctx) with ownership of each matching record (with its lists when
 * `lists`); stops on non-zero. */
static ts_res_status read_each(ts_results *r, const ts_res_filter *f, bool lists,
                               int (*take)(ts_res_run *run, void *ctx), void *ctx, int *stopped,
                               ts_res_err *err)
{
    char sql[2048];
    sqlite3_stmt *st = NULL;
    ts_res_status s;
    int rc = SQLITE_DONE, stop = 0;

    snprintf(sql, sizeof sql, "SELECT %s FROM runs WHERE (?1 IS NULL OR model_name = ?1 OR "
             "model_path = ?1) AND (?2 IS NULL OR target = ?2) AND (?3 IS NULL OR EXISTS "
             "(SELECT 1 FROM tags WHERE tags.run_id = runs.id AND tag = ?3)) AND (?4 IS NULL OR "
             "kernels = ?4) AND (?5 IS NULL OR id = ?5) AND (?6 IS NULL OR suite = ?6) AND "
             "(?7 = 0 OR sweep_point IS NOT NULL) ORDER BY created_utc, id", run_columns);
    if ((s = exec(r, "BEGIN", "cannot read", err)))
        return s;
    if (!(s = prepare(r, sql, &st, err)))
        bind_filter(st, f);
    while (!s && !stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ts_res_run *run = NULL;
        if (!(s = read_run(r, st, lists, &run, err)))
            stop = take(run, ctx);
    }
    if (!s && !stop && rc != SQLITE_DONE)
        s = db_err(r, rc, "cannot read the runs", err);
    sqlite3_finalize(st);
    sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
    if (stopped)
        *stopped = stop;
    return s;
}

typedef struct each_ctx {
    int (*fn)(const ts_res_run *run, void *ctx);
    void *ctx;
} each_ctx;

static int take_borrowed(ts_res_run *run, void *ctx)
{
    const each_ctx *c = ctx;
    int rc = c->fn(run, c->ctx);

    ts_res_run_free(run);
    return rc;
}

ts_res_status ts_results_each(ts_results *r, const ts_res_filter *f,
                              int (*fn)(const ts_res_run *run, void *ctx), void *ctx, int *stopped,
                              ts_res_err *err)
{
    each_ctx c = {fn, ctx};

    return read_each(r, f, true, take_borrowed, &c, stopped, err);
}

ts_res_status ts_results_each_head(ts_results *r, const ts_res_filter *f,
                                   int (*fn)(const ts_res_run *run, void *ctx), void *ctx,
                                   ts_res_err *err)
{
    each_ctx c = {fn, ctx};

    return read_each(r, f, false, take_borrowed, &c, NULL, err);
}

static int take_one(ts_res_run *run, void *ctx)
{
    *(ts_res_run **)ctx = run;
    return 1;
}

ts_res_status ts_results_load(ts_results *r, const char *id, ts_res_run **out, ts_res_err *err)
{
    ts_res_filter f = {.id = id};
    ts_res_run *run = NULL;
    ts_res_status s = read_each(r, &f, true, take_one, &run, NULL, err);

    *out = NULL;
    if (!s && !run)
        return set_err(err, TS_RES_NOTFOUND, "%s: no run %s", r->path, id);
    *out = run;
    return s;
}

ts_res_status ts_results_find(ts_results *r, const char *prefix, char id[TS_RES_ID_BYTES],
                              ts_res_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t n = strlen(prefix);
    int64_t count = 0;
    ts_res_status s;
    int rc;

    if (n < 4 || n >= TS_RES_ID_BYTES || strspn(prefix, "0123456789abcdef") != n)
        return set_err(err, TS_RES_NOTFOUND, "%s: run id '%s': expected 4 to 64 lowercase hex "
                       "digits", r->path, prefix);
    if ((s = prepare(r, "SELECT id FROM runs WHERE substr(id, 1, ?2) = ?1 ORDER BY id", &st,
                     err)))
        return s;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)n);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (count++ == 0)
            snprintf(id, TS_RES_ID_BYTES, "%s", col_text(st, 0));
    if (rc != SQLITE_DONE)
        s = db_err(r, rc, "cannot read the runs", err);
    else if (count == 0)
        s = set_err(err, TS_RES_NOTFOUND, "%s: no run has an id starting with %s", r->path,
                    prefix);
    else if (count > 1)
        s = set_err(err, TS_RES_AMBIGUOUS, "%s: run id prefix %s is ambiguous (expected 1 match, "
                    "got %lld; give more digits)", r->path, prefix, (long long)count);
    sqlite3_finalize(st);
    return s;
}

ts_res_status ts_results_count(ts_results *r, int64_t *n, ts_res_err *err)
{
    return query_int(r, "SELECT count(*) FROM runs", n, err);
}

/* ---- merge ---- */

/* Opens other_path read-only and copies it into a migrated in-memory store. */
static ts_res_status open_copy(const char *other_path, ts_results **out, ts_res_err *err)
{
    ts_results *src = NULL, *mem = NULL;
    int64_t version = 0;
    sqlite3_backup *b;
    ts_res_status s = open_file(other_path, SQLITE_OPEN_READONLY, &src, err);

    if (!s)
        s = check_header(src, &version, err);
    if (!s)
        s = open_file(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &mem, err);
    if (!s) {
        b = sqlite3_backup_init(mem->db, "main", src->db, "main");
        if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE)
            s = db_err(src, sqlite3_errcode(b ? src->db : mem->db), "cannot read", err);
        if (b && sqlite3_backup_finish(b) != SQLITE_OK && !s)
            s = db_err(src, sqlite3_errcode(mem->db), "cannot read", err);
    }
    if (!s && version < ts_results_schema_version())
        s = migrate(mem, err);
    ts_results_close(src);
    if (s) {
        ts_results_close(mem);
        return s;
    }
    *out = mem;
    return TS_RES_OK;
}

typedef struct merge_ctx {
    ts_results *dst;
    unsigned added, skipped;
    ts_res_status s;
    ts_res_err *err;
} merge_ctx;

static int merge_one(ts_res_run *run, void *ctx)
{
    merge_ctx *m = ctx;
    bool added = false;

    m->s = insert_run(m->dst, run, &added, m->err);
    if (added)
        m->added++;
    else
        m->skipped++;
    ts_res_run_free(run);
    return m->s != TS_RES_OK;
}

ts_res_status ts_results_merge(ts_results *r, const char *other_path, unsigned *added,
                               unsigned *skipped, ts_res_err *err)
{
    ts_results *src = NULL;
    merge_ctx m = {r, 0, 0, TS_RES_OK, err};
    ts_res_status s = open_copy(other_path, &src, err);

    if (!s)
        s = begin_write(r, err);
    if (!s) {
        s = read_each(src, NULL, true, merge_one, &m, NULL, err);
        s = end_write(r, s ? s : m.s, "cannot merge", err);
    }
    ts_results_close(src);
    if (!s)
        *added = m.added, *skipped = m.skipped;
    return s;
}
