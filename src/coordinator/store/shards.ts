import type { Store } from './open-store.ts';

export interface ShardSpec {
  runId: string;
  kind: 'sample' | 'verify';
  modelId: string;
  problemId: string;
  start: number;
  end: number;
}

export interface Shard extends ShardSpec {
  id: number;
  state: 'queued' | 'leased' | 'done';
  workerId: string | null;
  leaseDeadline: number | null;
  attempts: number;
}

const SELECT = `SELECT id, run_id AS runId, kind, model_id AS modelId, problem_id AS problemId, start, end, state,
  worker_id AS workerId, lease_deadline AS leaseDeadline, attempts FROM shards`;

/** Queues shards; enqueueing the same (run, kind, model, problem, start) again is a no-op. */
export function enqueueShards(db: Store, shards: readonly ShardSpec[]): number {
  const insert = db.prepare(`INSERT INTO shards (run_id, kind, model_id, problem_id, start, end) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  return db.transaction(() => shards.reduce((added, s) => added + insert.run(s.runId, s.kind, s.modelId, s.problemId, s.start, s.end).changes, 0))();
}

/**
 * Leases the oldest shard that is queued or whose lease ran out, atomically (one UPDATE),
 * so two workers asking at once never get the same shard.
 */
export function leaseShard(db: Store, workerId: string, now: number, leaseMs: number, kind?: ShardSpec['kind']): Shard | undefined {
  return db.prepare(`UPDATE shards SET state = 'leased', worker_id = ?, lease_deadline = ?, attempts = attempts + 1
      WHERE id = (SELECT id FROM shards
                  WHERE (state = 'queued' OR (state = 'leased' AND lease_deadline <= ?)) AND (? IS NULL OR kind = ?)
                  ORDER BY id LIMIT 1)
      RETURNING id, run_id AS runId, kind, model_id AS modelId, problem_id AS problemId, start, end, state,
                worker_id AS workerId, lease_deadline AS leaseDeadline, attempts`)
    .get(workerId, now + leaseMs, now, kind ?? null, kind ?? null) as Shard | undefined;
}

/** Heartbeat or progress: only the worker holding a live lease may extend it. */
export function extendLease(db: Store, shardId: number, workerId: string, now: number, leaseMs: number): boolean {
  return db.prepare(`UPDATE shards SET lease_deadline = ? WHERE id = ? AND worker_id = ? AND state = 'leased' AND lease_deadline > ?`)
    .run(now + leaseMs, shardId, workerId, now).changes === 1;
}

/**
 * Marks a shard done. Any worker may complete it, even after its lease expired or passed to
 * another worker: its results are already stored idempotently, so a late finish is good news.
 */
export function completeShard(db: Store, shardId: number): void {
  db.prepare(`UPDATE shards SET state = 'done', lease_deadline = NULL WHERE id = ?`).run(shardId);
}

/** Puts every lease that ran out back in the queue; on a coordinator restart pass now = +Infinity. */
export function expireLeases(db: Store, now: number): number {
  return db.prepare(`UPDATE shards SET state = 'queued', worker_id = NULL, lease_deadline = NULL WHERE state = 'leased' AND lease_deadline <= ?`)
    .run(now).changes;
}

export function listShards(db: Store, runId: string): Shard[] {
  return db.prepare(`${SELECT} WHERE run_id = ? ORDER BY id`).all(runId) as Shard[];
}
