import { sql, type Store } from './open-store.ts';

export interface WorkerRecord {
  id: string;
  name: string;
  host: string;
  version: string;
  capabilities: unknown;
  /** sha256 (hex) of the secret given at join; kept when absent. */
  secretHash?: string;
}

/** Records a worker's arrival (or return) with what it says it can do. */
export function recordWorkerSeen(db: Store, worker: WorkerRecord, now: number): void {
  sql(db, `INSERT INTO workers (id, name, host, version, capabilities, first_seen, last_seen, secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, host = excluded.host, version = excluded.version,
      capabilities = excluded.capabilities, last_seen = excluded.last_seen, secret_hash = COALESCE(excluded.secret_hash, workers.secret_hash)`)
    .run(worker.id, worker.name, worker.host, worker.version, JSON.stringify(worker.capabilities), now, now, worker.secretHash ?? null);
}

/** The hash of a worker's secret: undefined when no such worker is kept, null for one of an older store (no secret). */
export function workerSecretHash(db: Store, workerId: string): string | null | undefined {
  const row = sql(db, 'SELECT secret_hash AS hash FROM workers WHERE id = ?').get(workerId) as { hash: string | null } | undefined;
  return row?.hash;
}

/** Names of workers by id (those still kept), for reports that attribute results. */
export function workerNames(db: Store, ids: readonly string[]): Map<string, string> {
  const rows = sql(db, 'SELECT id, name FROM workers WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
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
