import { sql, type Store } from './open-store.ts';

/** What happened to a run that its results alone do not show (schema v6, run_events). */
export type RunEventKind = 'coordinator-restart' | 'lease-expired' | 'disagreement' | 'quarantine' | 'probe-failed';

export interface RunEvent {
  runId: string;
  kind: RunEventKind;
  workerId?: string | null;
  leaseId?: number | null;
  /** How many results it concerns (disagreeing verdicts, discarded samples); 1 otherwise. */
  count?: number;
  detail?: string;
}

export interface StoredRunEvent extends Required<RunEvent> {
  id: number;
  at: number;
}

export function recordRunEvent(db: Store, event: RunEvent, now: number): void {
  sql(db, 'INSERT INTO run_events (run_id, at, kind, worker_id, lease_id, count, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(event.runId, now, event.kind, event.workerId ?? null, event.leaseId ?? null, event.count ?? 1, (event.detail ?? '').slice(0, 2000));
}

/** The run's events of some kinds (all when none given), oldest first, at most `limit`. */
export function listRunEvents(db: Store, runId: string, kinds: readonly RunEventKind[] = [], limit = 100): StoredRunEvent[] {
  return sql(db, `SELECT id, run_id AS runId, at, kind, worker_id AS workerId, lease_id AS leaseId, count, detail FROM run_events
      WHERE run_id = ? AND (json_array_length(?) = 0 OR kind IN (SELECT value FROM json_each(?))) ORDER BY id LIMIT ?`)
    .all(runId, JSON.stringify(kinds), JSON.stringify(kinds), limit) as StoredRunEvent[];
}

/** Events per kind and worker ('' for none), with the results they concern. */
export function countRunEvents(db: Store, runId: string): { kind: RunEventKind; workerId: string; events: number; count: number }[] {
  return sql(db, `SELECT kind, COALESCE(worker_id, '') AS workerId, COUNT(*) AS events, SUM(count) AS count FROM run_events WHERE run_id = ? GROUP BY 1, 2 ORDER BY 1, 2`)
    .all(runId) as { kind: RunEventKind; workerId: string; events: number; count: number }[];
}
