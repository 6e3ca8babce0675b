import { sql, type Store } from './open-store.ts';

export interface WorkerRecord {
  id: string;
  name: string;
  host: string;
  version: string;
  capabilities: unknown;
}

/** Records a worker's arrival (or return) with what it says it can do. */
export function recordWorkerSeen(db: Store, worker: WorkerRecord, now: number): void {
  sql(db, `INSERT INTO workers (id, name, host, version, capabilities, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, host = excluded.host, version = excluded.version,
      capabilities = excluded.capabilities, last_seen = excluded.last_seen`)
    .run(worker.id, worker.name, worker.host, worker.version, JSON.stringify(worker.capabilities), now, now);
}

/**
 * Forgets workers last seen before `before` that never held a lease: every sample, verdict
 * and score comes through a lease, so such a worker produced nothing a run must attribute.
 * Workers in `keep` (the connected ones) stay, whatever their last_seen.
 */
export function forgetGoneWorkers(db: Store, before: number, keep: readonly string[]): number {
  return sql(db, `DELETE FROM workers WHERE last_seen < ? AND id NOT IN (SELECT value FROM json_each(?))
    AND NOT EXISTS (SELECT 1 FROM leases WHERE leases.worker_id = workers.id)`).run(before, JSON.stringify(keep)).changes;
}

export function touchWorker(db: Store, workerId: string, now: number): void {
  sql(db, 'UPDATE workers SET last_seen = ? WHERE id = ?').run(now, workerId);
}
