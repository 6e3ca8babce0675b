import type { Store } from './open-store.ts';

/** Records a worker's arrival or heartbeat with what it says it can do. */
export function recordWorkerSeen(db: Store, worker: { id: string; name: string; capabilities: unknown }, now: number): void {
  db.prepare(`INSERT INTO workers (id, name, capabilities, last_seen) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, capabilities = excluded.capabilities, last_seen = excluded.last_seen`)
    .run(worker.id, worker.name, JSON.stringify(worker.capabilities), now);
}
