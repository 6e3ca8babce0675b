import { ROLES } from '../../../core/roles.ts';
import { RUN_STATUSES } from '../../../core/protocol/ui-protocol.ts';
import { SHARD_KINDS } from '../../../core/protocol/worker-protocol.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Schema v2: the distributed run. The CHECK lists are written from the constants in
 * src/core, so each list exists once; if one grows, a new migration rebuilds its table, and
 * migrations.test.ts compares the live constraints with the constants so a forgotten
 * migration fails there.
 *
 * - runs: the resolved spec, verifier, benchmark, n, statuses paused/failed, an error.
 * - models: folder, label, dtype, prompt, content address (files + sha256), config.json.
 * - samples: the execution provider that drew each one (its worker was already kept);
 *   verdicts: whether the answer judged was only the last-number fallback.
 * - scores: teacher-forced log-probabilities of one model's samples under another.
 * - shards: score shards (scorer_id), failed state with its error; leases move to their
 *   own table, so a shard near the end of a run can be leased twice (speculatively) and
 *   a late result can still be traced to the lease it came from.
 */
export function distributedSchema(): string {
  return `
CREATE TABLE runs_v2 (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  spec        TEXT NOT NULL CHECK (json_valid(spec)),
  resolved    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(resolved)),
  seed        TEXT NOT NULL,
  verifier    TEXT NOT NULL DEFAULT 'math' CHECK (verifier IN ('math', 'code')),
  benchmark   TEXT NOT NULL DEFAULT '',
  n           INTEGER NOT NULL DEFAULT 0,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (${list(RUN_STATUSES)})),
  error       TEXT,
  created_at  INTEGER NOT NULL,
  started_at  INTEGER,
  finished_at INTEGER
);
INSERT INTO runs_v2 (id, name, spec, seed, status, created_at, finished_at)
  SELECT id, name, spec, seed, status, created_at, finished_at FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;

CREATE TABLE models_v2 (
  run_id   TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  id       TEXT NOT NULL,
  role     TEXT NOT NULL CHECK (role IN (${list(ROLES)})),
  name     TEXT NOT NULL,
  label    TEXT,
  folder   TEXT NOT NULL DEFAULT '',
  dtype    TEXT NOT NULL DEFAULT 'fp32',
  sha256   TEXT,
  files    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files)),
  config   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  prompt   TEXT NOT NULL DEFAULT '{"format":"chat","template":null}' CHECK (json_valid(prompt)),
  settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  PRIMARY KEY (run_id, id)
);
INSERT INTO models_v2 (rowid, run_id, id, role, name, sha256, settings)
  SELECT rowid, run_id, id, role, name, sha256, settings FROM models;
DROP TABLE models;
ALTER TABLE models_v2 RENAME TO models;

ALTER TABLE samples ADD COLUMN ep TEXT;
-- 1 when the math verifier found no stated answer and judged the last number (a guess).
ALTER TABLE verdicts ADD COLUMN fallback INTEGER NOT NULL DEFAULT 0 CHECK (fallback IN (0, 1));

CREATE TABLE scores (
  run_id       TEXT NOT NULL,
  scorer_id    TEXT NOT NULL,
  model_id     TEXT NOT NULL,
  problem_id   TEXT NOT NULL,
  sample_index INTEGER NOT NULL,
  tokens       INTEGER NOT NULL,
  logprob      REAL NOT NULL,
  worker_id    TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (run_id, scorer_id, model_id, problem_id, sample_index),
  FOREIGN KEY (run_id, scorer_id) REFERENCES models (run_id, id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, model_id, problem_id, sample_index)
    REFERENCES samples (run_id, model_id, problem_id, sample_index) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE workers_v2 (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  host         TEXT NOT NULL DEFAULT '',
  version      TEXT NOT NULL DEFAULT '',
  capabilities TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(capabilities)),
  first_seen   INTEGER NOT NULL,
  last_seen    INTEGER NOT NULL
);
INSERT INTO workers_v2 (id, name, capabilities, first_seen, last_seen)
  SELECT id, name, capabilities, last_seen, last_seen FROM workers;

-- A shard is samples [start, end) of one (run, model, problem) to draw, to verify, or to
-- score under scorer_id ('' for the other kinds, so the UNIQUE key sees no NULLs).
CREATE TABLE shards_v2 (
  id          INTEGER PRIMARY KEY,
  run_id      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN (${list(SHARD_KINDS)})),
  model_id    TEXT NOT NULL,
  scorer_id   TEXT NOT NULL DEFAULT '',
  problem_id  TEXT NOT NULL,
  start       INTEGER NOT NULL CHECK (start >= 0),
  end         INTEGER NOT NULL CHECK (end > start),
  state       TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'leased', 'done', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  created_at  INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER,
  UNIQUE (run_id, kind, model_id, scorer_id, problem_id, start),
  FOREIGN KEY (run_id, model_id) REFERENCES models (run_id, id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, problem_id) REFERENCES problems (run_id, id) ON DELETE CASCADE
);
INSERT INTO shards_v2 (id, run_id, kind, model_id, problem_id, start, end, state, attempts)
  SELECT id, run_id, kind, model_id, problem_id, start, end, CASE state WHEN 'done' THEN 'done' ELSE 'queued' END, attempts FROM shards;
DROP TABLE shards;
DROP TABLE workers;
ALTER TABLE workers_v2 RENAME TO workers;
ALTER TABLE shards_v2 RENAME TO shards;
CREATE INDEX shards_queue ON shards (state, run_id, kind, model_id, id);

CREATE TABLE leases (
  id          INTEGER PRIMARY KEY,
  shard_id    INTEGER NOT NULL REFERENCES shards (id) ON DELETE CASCADE,
  worker_id   TEXT NOT NULL REFERENCES workers (id),
  -- The shard's range when leased: the shard may be split or re-leased later, and a late
  -- result is checked against what this lease asked for.
  start       INTEGER NOT NULL,
  end         INTEGER NOT NULL,
  state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'done', 'expired', 'released', 'failed', 'cancelled')),
  deadline    INTEGER NOT NULL,
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER,
  done        INTEGER NOT NULL DEFAULT 0,
  tokens      INTEGER,
  seconds     REAL
);
CREATE INDEX leases_active ON leases (state, deadline);
CREATE INDEX leases_by_shard ON leases (shard_id);
CREATE INDEX leases_by_worker ON leases (worker_id, state);
`;
}
