/**
 * Schema v1. Samples and verdicts are keyed by (run, model, problem, sample index) and
 * written with ON CONFLICT DO NOTHING, so a batch a worker resends after a lost ack
 * changes nothing (docs/architecture.md, "Distribution: pull, leases, at-least-once").
 */
export const initialSchema = `
CREATE TABLE runs (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  spec        TEXT NOT NULL CHECK (json_valid(spec)),
  seed        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'cancelled')),
  created_at  INTEGER NOT NULL,
  finished_at INTEGER
);

CREATE TABLE models (
  run_id   TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  id       TEXT NOT NULL,
  role     TEXT NOT NULL CHECK (role IN ('base', 'rl', 'distilled', 'other')),
  name     TEXT NOT NULL,
  sha256   TEXT,
  settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  PRIMARY KEY (run_id, id)
); -- with rowid: models list in the order they were added

CREATE TABLE problems (
  run_id    TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  id        TEXT NOT NULL,
  benchmark TEXT NOT NULL,
  text      TEXT NOT NULL,
  gold      TEXT NOT NULL CHECK (json_valid(gold)),
  PRIMARY KEY (run_id, id)
) WITHOUT ROWID;

CREATE TABLE samples (
  run_id       TEXT NOT NULL,
  model_id     TEXT NOT NULL,
  problem_id   TEXT NOT NULL,
  sample_index INTEGER NOT NULL CHECK (sample_index >= 0),
  text         TEXT NOT NULL,
  tokens       INTEGER NOT NULL,
  finish       TEXT NOT NULL CHECK (finish IN ('stop', 'length')),
  logprob      REAL NOT NULL,
  worker_id    TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (run_id, model_id, problem_id, sample_index),
  FOREIGN KEY (run_id, model_id) REFERENCES models (run_id, id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, problem_id) REFERENCES problems (run_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE verdicts (
  run_id       TEXT NOT NULL,
  model_id     TEXT NOT NULL,
  problem_id   TEXT NOT NULL,
  sample_index INTEGER NOT NULL,
  correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
  extracted    TEXT,
  reason       TEXT NOT NULL,
  verifier     TEXT NOT NULL CHECK (verifier IN ('math', 'code')),
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (run_id, model_id, problem_id, sample_index),
  FOREIGN KEY (run_id, model_id, problem_id, sample_index)
    REFERENCES samples (run_id, model_id, problem_id, sample_index) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE workers (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  capabilities TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(capabilities)),
  last_seen    INTEGER NOT NULL
);

-- A shard is samples [start, end) of one (run, model, problem), to draw or to verify.
CREATE TABLE shards (
  id             INTEGER PRIMARY KEY,
  run_id         TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('sample', 'verify')),
  model_id       TEXT NOT NULL,
  problem_id     TEXT NOT NULL,
  start          INTEGER NOT NULL CHECK (start >= 0),
  end            INTEGER NOT NULL CHECK (end > start),
  state          TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'leased', 'done')),
  worker_id      TEXT REFERENCES workers (id),
  lease_deadline INTEGER,
  attempts       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (run_id, kind, model_id, problem_id, start),
  FOREIGN KEY (run_id, model_id) REFERENCES models (run_id, id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, problem_id) REFERENCES problems (run_id, id) ON DELETE CASCADE
);
CREATE INDEX shards_by_state ON shards (state, id);
`;
