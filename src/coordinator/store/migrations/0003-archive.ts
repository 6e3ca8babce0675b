import { LABELS } from '../../../core/analysis/labels.ts';

/**
 * Schema v3: the archive and the analysis.
 *
 * - problems: level and subject, for per-level and per-subject curves, and their order.
 * - samples: rebuilt so tokens, finish and log-probability may be unknown (results imported
 *   from other tools carry none of them: NULL, never a made-up 0), and with `text_hash`, a
 *   64-bit hash of the text, so distinct chains are counted from an index-sized column instead of
 *   gigabytes of text.
 * - labels: a person's judgement of a chain of thought (valid / invalid / unsure, with a note).
 * - problem_counts: n and c per (model, problem) for results imported as counts only, with no
 *   sample behind them; the stats read them beside the verdicts.
 * - runs: where the results came from (origin) and the digest of its samples once finished.
 */
export function archiveSchema(): string {
  return `
ALTER TABLE problems ADD COLUMN level TEXT;
ALTER TABLE problems ADD COLUMN subject TEXT;
-- The benchmark's (or imported file's) order: reports list problems in it, and the paired
-- bootstrap draws problems by position, so an imported run reproduces passk stats on its file.
ALTER TABLE problems ADD COLUMN position INTEGER;

CREATE TABLE samples_v3 (
  run_id       TEXT NOT NULL,
  model_id     TEXT NOT NULL,
  problem_id   TEXT NOT NULL,
  sample_index INTEGER NOT NULL CHECK (sample_index >= 0),
  text         TEXT NOT NULL,
  text_hash    INTEGER,
  tokens       INTEGER,
  finish       TEXT CHECK (finish IN ('stop', 'length')),
  logprob      REAL,
  worker_id    TEXT,
  ep           TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (run_id, model_id, problem_id, sample_index),
  FOREIGN KEY (run_id, model_id) REFERENCES models (run_id, id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, problem_id) REFERENCES problems (run_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO samples_v3 (run_id, model_id, problem_id, sample_index, text, tokens, finish, logprob, worker_id, ep, created_at)
  SELECT run_id, model_id, problem_id, sample_index, text, tokens, finish, logprob, worker_id, ep, created_at FROM samples;
DROP TABLE samples;
ALTER TABLE samples_v3 RENAME TO samples;

CREATE TABLE labels (
  run_id       TEXT NOT NULL,
  model_id     TEXT NOT NULL,
  problem_id   TEXT NOT NULL,
  sample_index INTEGER NOT NULL,
  label        TEXT NOT NULL CHECK (label IN (${LABELS.map((l) => `'${l}'`).join(', ')})),
  note         TEXT NOT NULL DEFAULT '',
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (run_id, model_id, problem_id, sample_index),
  FOREIGN KEY (run_id, model_id, problem_id, sample_index)
    REFERENCES samples (run_id, model_id, problem_id, sample_index) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE problem_counts (
  run_id     TEXT NOT NULL,
  model_id   TEXT NOT NULL,
  problem_id TEXT NOT NULL,
  n          INTEGER NOT NULL CHECK (n >= 1),
  c          INTEGER NOT NULL CHECK (c >= 0 AND c <= n),
  PRIMARY KEY (run_id, model_id, problem_id),
  FOREIGN KEY (run_id, model_id) REFERENCES models (run_id, id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, problem_id) REFERENCES problems (run_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT '{"tool":"passk"}' CHECK (json_valid(origin));
ALTER TABLE runs ADD COLUMN samples_digest TEXT;
`;
}
