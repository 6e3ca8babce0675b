import { sql, type Store } from './open-store.ts';
import type { ShardKind } from '../../core/protocol/worker-protocol.ts';
import type { ShardRow } from './shards.ts';

export type LeaseState = 'active' | 'done' | 'expired' | 'released' | 'failed' | 'cancelled';

export interface LeaseRow {
  id: number;
  shardId: number;
  workerId: string;
  state: LeaseState;
  /** Samples [start, end) it was granted. */
  start: number;
  end: number;
  deadline: number;
  startedAt: number;
  done: number;
}

/** A lease with the shard it was granted on, as the shard is now. */
export interface LeaseWithShard extends LeaseRow {
  shard: ShardRow;
}

const LEASE_COLUMNS = `l.id AS id, l.shard_id AS shardId, l.worker_id AS workerId, l.state AS state, l.start AS start, l.end AS end, l.deadline AS deadline, l.started_at AS startedAt, l.done AS done`;
const SHARD_COLUMNS = `s.id AS s_id, s.run_id AS s_runId, s.kind AS s_kind, s.model_id AS s_modelId, s.scorer_id AS s_scorerId, s.problem_id AS s_problemId,
  s.start AS s_start, s.end AS s_end, s.state AS s_state, s.attempts AS s_attempts, s.error AS s_error`;

type Joined = LeaseRow & Record<`s_${string}`, unknown>;

function split(row: Joined): LeaseWithShard {
  const lease: Record<string, unknown> = {};
  const shard: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith('s_')) shard[key.slice(2)] = value;
    else lease[key] = value;
  }
  return { ...(lease as unknown as LeaseRow), shard: shard as unknown as ShardRow };
}

export function createLease(db: Store, shard: { id: number; start: number; end: number }, workerId: string, now: number, ttlMs: number): number {
  return Number(sql(db, `INSERT INTO leases (shard_id, worker_id, start, end, deadline, started_at) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(shard.id, workerId, shard.start, shard.end, now + ttlMs, now).lastInsertRowid);
}

export function getLease(db: Store, leaseId: number): LeaseWithShard | undefined {
  const row = sql(db, `SELECT ${LEASE_COLUMNS}, ${SHARD_COLUMNS} FROM leases l JOIN shards s ON s.id = l.shard_id WHERE l.id = ?`).get(leaseId) as Joined | undefined;
  return row && split(row);
}

/** Active leases, all of them or one worker's or one shard's (each served by an index). */
export function activeLeases(db: Store, filter: { workerId?: string; shardId?: number } = {}): LeaseWithShard[] {
  const base = `SELECT ${LEASE_COLUMNS}, ${SHARD_COLUMNS} FROM leases l JOIN shards s ON s.id = l.shard_id WHERE l.state = 'active'`;
  const rows = (filter.workerId !== undefined
    ? sql(db, `${base} AND l.worker_id = ? ORDER BY l.started_at, l.id`).all(filter.workerId)
    : filter.shardId !== undefined
      ? sql(db, `${base} AND l.shard_id = ? ORDER BY l.started_at, l.id`).all(filter.shardId)
      : sql(db, `${base} ORDER BY l.started_at, l.id`).all()) as Joined[];
  return rows.map(split);
}

/** Active leases of a run per (kind, model, scorer): the scheduler counts from it how many run on each model. */
export function activeLeasesPerShardKey(db: Store, runId: string): { kind: ShardKind; modelId: string; scorerId: string; leases: number }[] {
  return sql(db, `SELECT s.kind AS kind, s.model_id AS modelId, s.scorer_id AS scorerId, COUNT(*) AS leases
      FROM leases l JOIN shards s ON s.id = l.shard_id WHERE l.state = 'active' AND s.run_id = ? GROUP BY 1, 2, 3`)
    .all(runId) as { kind: ShardKind; modelId: string; scorerId: string; leases: number }[];
}

/**
 * Heartbeat or progress: moves the deadline of the worker's own active leases and records
 * how far each got. Returns the ids that are no longer active (expired, cancelled, …), which
 * the worker is told to stop.
 */
export function extendLeases(db: Store, workerId: string, leases: readonly { leaseId: number; done: number }[], now: number, ttlMs: number): number[] {
  const update = sql(db, `UPDATE leases SET deadline = ?, done = MAX(done, ?) WHERE id = ? AND worker_id = ? AND state = 'active'`);
  return db.transaction(() => leases.filter((l) => update.run(now + ttlMs, l.done, l.leaseId, workerId).changes === 0).map((l) => l.leaseId))();
}

/** Ends an active lease; false when it had already ended (a late or repeated call). */
export function endLease(db: Store, leaseId: number, state: Exclude<LeaseState, 'active'>, now: number, stats: { tokens?: number; seconds?: number } = {}): boolean {
  return sql(db, `UPDATE leases SET state = ?, ended_at = ?, tokens = COALESCE(?, tokens), seconds = COALESCE(?, seconds) WHERE id = ? AND state = 'active'`)
    .run(state, now, stats.tokens ?? null, stats.seconds ?? null, leaseId).changes === 1;
}

/** Active leases whose deadline passed (all of them on a coordinator restart: now = +Infinity), marked expired. */
export function expireLeases(db: Store, now: number): LeaseRow[] {
  return sql(db, `UPDATE leases SET state = 'expired', ended_at = ? WHERE state = 'active' AND deadline <= ?
      RETURNING id, shard_id AS shardId, worker_id AS workerId, state, start, end, deadline, started_at AS startedAt, done`)
    .all(Number.isFinite(now) ? now : Date.now(), now) as LeaseRow[];
}
