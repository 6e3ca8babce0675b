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

export function touchWorker(db: Store, workerId: string, now: number): void {
  sql(db, 'UPDATE workers SET last_seen = ? WHERE id = ?').run(now, workerId);
}
