/**
 * Schema v6: who produced what, and what the coordinator found out about them (issue 24).
 *
 * - workers.secret_hash: sha256 of the secret the coordinator gave the worker at join; a
 *   reconnect claiming the id must present the secret (NULL: a worker of an older store,
 *   whose id no one can claim).
 * - samples.lease_id, verdicts.worker_id / lease_id, scores.lease_id: the lease whose
 *   results carried each row, and the worker that held it (samples and scores kept their
 *   worker already). NULL for rows stored before v6 and for imported results.
 * - verdicts.judge: who judged it — 'coordinator' (math: every verdict is judged again on
 *   the coordinator, which holds the gold answers, and only its verdict is stored) or
 *   'worker' (code, judged in the worker's sandbox); NULL before v6 and for imports.
 * - run_events: what happened to a run that its results do not show: coordinator restarts
 *   while it ran, leases that expired, workers whose results disagreed with the
 *   coordinator's, quarantines, failed sandbox probes.
 * - quarantines: workers caught disagreeing in a run: their results of the run were
 *   discarded and queued again, and they get no more of its leases.
 */
export const trustSchema = `
ALTER TABLE workers ADD COLUMN secret_hash TEXT;
ALTER TABLE samples ADD COLUMN lease_id INTEGER;
ALTER TABLE verdicts ADD COLUMN worker_id TEXT;
ALTER TABLE verdicts ADD COLUMN lease_id INTEGER;
ALTER TABLE verdicts ADD COLUMN judge TEXT CHECK (judge IN ('worker', 'coordinator'));
ALTER TABLE scores ADD COLUMN lease_id INTEGER;

CREATE TABLE run_events (
  id        INTEGER PRIMARY KEY,
  run_id    TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  at        INTEGER NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('coordinator-restart', 'lease-expired', 'disagreement', 'quarantine', 'probe-failed')),
  worker_id TEXT,
  lease_id  INTEGER,
  -- How many results it concerns (disagreeing verdicts, discarded samples); 1 otherwise.
  count     INTEGER NOT NULL DEFAULT 1,
  detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX run_events_by_run ON run_events (run_id, kind);

CREATE TABLE quarantines (
  run_id    TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  worker_id TEXT NOT NULL,
  reason    TEXT NOT NULL,
  at        INTEGER NOT NULL,
  PRIMARY KEY (run_id, worker_id)
) WITHOUT ROWID;
`;
