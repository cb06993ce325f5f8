-- schema.sql: the tinysim results store (SQLite). Layer: results/ (data only).
-- Embedded into libtsresults at build time (results/embed_sql.cmake -> schema_sql.h). Each
-- "-- migration N:" section takes a database from user_version N-1 to N; sections are only
-- ever appended, never edited once released, and results.c applies the missing ones in one
-- transaction when it opens a database, then sets PRAGMA user_version to the last N.
-- Provenance columns of `runs` are the rows of run_fields.def (all TEXT); metrics are tall
-- rows (run, layer, name, value) with layer -1 for the whole run, so a new metric needs no
-- new column.

-- migration 1: runs with provenance, tags, --set overrides, layers and metrics
CREATE TABLE runs (
    id              TEXT PRIMARY KEY,  -- SHA-256 hex, see ts_res_run_make_id
    created_utc     TEXT NOT NULL,
    host            TEXT,
    tinysim_version TEXT,
    git_commit      TEXT,
    model_path      TEXT,
    model_name      TEXT,
    model_sha256    TEXT,
    target          TEXT,
    target_config   TEXT,
    target_sha256   TEXT,
    kernels         TEXT,
    rounding        TEXT,
    input           TEXT,
    cc_version      TEXT,
    firmware_sha256 TEXT,
    status          TEXT
);
CREATE TABLE tags (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag    TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;
CREATE TABLE overrides (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    pos    INTEGER NOT NULL,  -- command-line order, from 0
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, pos)
) WITHOUT ROWID;
CREATE TABLE layers (
    run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    layer   INTEGER NOT NULL, -- op index in the model
    op      TEXT NOT NULL,
    unit    TEXT,
    kernels TEXT,
    PRIMARY KEY (run_id, layer)
) WITHOUT ROWID;
CREATE TABLE metrics (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    layer  INTEGER NOT NULL,  -- -1: the whole run
    name   TEXT NOT NULL,     -- dotted: cycles, region.flash.read_bytes, memory.arena_bytes
    value  REAL NOT NULL,
    PRIMARY KEY (run_id, layer, name)
) WITHOUT ROWID;
CREATE INDEX runs_by_model_target ON runs (model_name, target);
CREATE INDEX tags_by_tag ON tags (tag);

-- migration 2: suites (bench --suite) name the suite of each run; metrics by name for regress
ALTER TABLE runs ADD COLUMN suite TEXT;
CREATE INDEX metrics_by_name ON metrics (name, layer);

-- migration 3: sweeps (tinysim sweep) name the point of each run, so a sweep can resume
ALTER TABLE runs ADD COLUMN sweep_point TEXT;
CREATE INDEX runs_by_sweep_point ON runs (sweep_point);

-- migration 4: which firmware image ran: the op-set image or one linked for the model
ALTER TABLE runs ADD COLUMN firmware_link TEXT;
