import type { ShardKind } from '../../core/protocol/worker-protocol.ts';
import { sql, type Store } from './open-store.ts';

export interface ShardSpec {
  runId: string;
  kind: ShardKind;
  modelId: string;
  /** The model a score shard scores under; '' for sample and verify shards. */
  scorerId?: string;
  problemId: string;
  start: number;
  end: number;
  /** Its results are all stored already (a math sample shard's verdicts came with its samples): recorded done, never leased. */
  done?: boolean;
}

export type ShardState = 'queued' | 'leased' | 'done' | 'failed';

/** A row of the work queue (what a lease is granted on). */
export interface ShardRow extends Required<Omit<ShardSpec, 'done'>> {
  id: number;
  state: ShardState;
  attempts: number;
  error: string | null;
}

const COLUMNS = `id, run_id AS runId, kind, model_id AS modelId, scorer_id AS scorerId, problem_id AS problemId, start, end, state, attempts, error`;

/**
 * Queues shards (or records them done); enqueueing the same (run, kind, model, scorer, problem,
 * start) again is a no-op, but for a shard recorded done that is queued again as not done:
 * its results were discarded (a quarantined worker's), so it is queued again.
 */
export function enqueueShards(db: Store, shards: readonly ShardSpec[], now: number): number {
  const insert = sql(db, `INSERT INTO shards (run_id, kind, model_id, scorer_id, problem_id, start, end, state, finished_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET state = 'queued', finished_at = NULL, attempts = 0
      WHERE shards.state = 'done' AND excluded.state = 'queued'`);
  return db.transaction(() => shards.reduce((added, s) =>
    added + insert.run(s.runId, s.kind, s.modelId, s.scorerId ?? '', s.problemId, s.start, s.end, s.done ? 'done' : 'queued', s.done ? now : null, now).changes, 0))();
}

export function getShard(db: Store, shardId: number): ShardRow | undefined {
  return sql(db, `SELECT ${COLUMNS} FROM shards WHERE id = ?`).get(shardId) as ShardRow | undefined;
}

/**
 * The oldest queued shard of one run and kind (of one model, and scorer, when given). Served by the
 * index (state, run_id, kind, model_id, id), so its cost does not grow with the queue.
 */
export function firstQueuedShard(db: Store, runId: string, kind: ShardKind, modelId?: string, scorerId?: string): ShardRow | undefined {
  if (modelId !== undefined && scorerId !== undefined) {
    return sql(db, `SELECT ${COLUMNS} FROM shards WHERE state = 'queued' AND run_id = ? AND kind = ? AND model_id = ? AND scorer_id = ? ORDER BY id LIMIT 1`)
      .get(runId, kind, modelId, scorerId) as ShardRow | undefined;
  }
  return modelId === undefined
    ? sql(db, `SELECT ${COLUMNS} FROM shards WHERE state = 'queued' AND run_id = ? AND kind = ? ORDER BY model_id, id LIMIT 1`).get(runId, kind) as ShardRow | undefined
    : sql(db, `SELECT ${COLUMNS} FROM shards WHERE state = 'queued' AND run_id = ? AND kind = ? AND model_id = ? ORDER BY id LIMIT 1`).get(runId, kind, modelId) as ShardRow | undefined;
}

/** The (model, scorer) pairs of a run with queued shards of a kind. */
export function queuedShardKeys(db: Store, runId: string, kind: ShardKind): { modelId: string; scorerId: string }[] {
  return sql(db, `SELECT DISTINCT model_id AS modelId, scorer_id AS scorerId FROM shards WHERE state = 'queued' AND run_id = ? AND kind = ?`)
    .all(runId, kind) as { modelId: string; scorerId: string }[];
}

/** Whether a shard of the run and kind waits in the queue. */
export function hasQueuedShards(db: Store, runId: string, kind: ShardKind): boolean {
  return sql(db, `SELECT 1 FROM shards WHERE run_id = ? AND state = 'queued' AND kind = ? LIMIT 1`).get(runId, kind) !== undefined;
}

/** Shards of the run that failed after every attempt. */
export function countFailedShards(db: Store, runId: string): number {
  return (sql(db, `SELECT COUNT(*) AS n FROM shards WHERE run_id = ? AND state = 'failed'`).get(runId) as { n: number }).n;
}

/**
 * Takes a queued shard for a lease, keeping at most `size` samples of it: the rest stays
 * queued as a new shard starting where this one now ends. Invariant: the shards of one
 * (run, kind, model, scorer, problem) always partition what was queued, so splitting never
 * loses or doubles a sample. Returns undefined when the shard is no longer queued.
 */
export function takeShard(db: Store, shardId: number, size: number, now: number): ShardRow | undefined {
  return db.transaction(() => {
    const shard = getShard(db, shardId);
    if (!shard || shard.state !== 'queued') return undefined;
    const end = Math.min(shard.end, shard.start + Math.max(1, Math.floor(size)));
    if (end < shard.end) {
      sql(db, `INSERT INTO shards (run_id, kind, model_id, scorer_id, problem_id, start, end, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(shard.runId, shard.kind, shard.modelId, shard.scorerId, shard.problemId, end, shard.end, now);
    }
    sql(db, `UPDATE shards SET state = 'leased', end = ?, attempts = attempts + 1 WHERE id = ?`).run(end, shardId);
    return { ...shard, end, state: 'leased' as const, attempts: shard.attempts + 1 };
  })();
}

/**
 * Marks a shard done; true only for the call that finished it, so its follow-up shards are
 * queued once. A failed shard whose results arrive late is done after all: good news.
 */
export function completeShard(db: Store, shardId: number, now: number): boolean {
  return sql(db, `UPDATE shards SET state = 'done', error = NULL, finished_at = ? WHERE id = ? AND state != 'done'`).run(now, shardId).changes === 1;
}

/** Back in the queue (a lease expired, failed or was handed back), unless it is finished. */
export function requeueShard(db: Store, shardId: number, refundAttempt = false): void {
  sql(db, `UPDATE shards SET state = 'queued', attempts = attempts - ? WHERE id = ? AND state = 'leased'`).run(refundAttempt ? 1 : 0, shardId);
}

/** A finished shard back in the queue with fresh attempts: its results were discarded (a quarantined worker's). */
export function reopenShard(db: Store, shardId: number): boolean {
  return sql(db, `UPDATE shards SET state = 'queued', attempts = 0, error = NULL, finished_at = NULL WHERE id = ? AND state IN ('done', 'failed')`).run(shardId).changes === 1;
}

export function failShard(db: Store, shardId: number, error: string, now: number): void {
  sql(db, `UPDATE shards SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state != 'done'`).run(error, now, shardId);
}

export function listShards(db: Store, runId: string): ShardRow[] {
  return sql(db, `SELECT ${COLUMNS} FROM shards WHERE run_id = ? ORDER BY id`).all(runId) as ShardRow[];
}

export function failedShards(db: Store, runId: string, limit = 100): ShardRow[] {
  return sql(db, `SELECT ${COLUMNS} FROM shards WHERE run_id = ? AND state = 'failed' ORDER BY id LIMIT ?`).all(runId, limit) as ShardRow[];
}

/** Shards per kind and state. */
export function shardCounts(db: Store, runId: string): { kind: ShardKind; state: ShardState; shards: number; samples: number }[] {
  return sql(db, `SELECT kind, state, COUNT(*) AS shards, SUM(end - start) AS samples FROM shards WHERE run_id = ? GROUP BY kind, state`)
    .all(runId) as { kind: ShardKind; state: ShardState; shards: number; samples: number }[];
}

/** Whether any shard of the run is still queued or leased. */
export function hasOpenShards(db: Store, runId: string, kind?: ShardKind): boolean {
  return sql(db, `SELECT 1 FROM shards WHERE run_id = ? AND state IN ('queued', 'leased') AND (? IS NULL OR kind = ?) LIMIT 1`)
    .get(runId, kind ?? null, kind ?? null) !== undefined;
}

/**
 * Unfinished shards of one (run, kind, model, scorer, problem) inside [start, end): what a
 * lease of that range covers now, even if its shard was split after the lease expired.
 */
export function unfinishedShardsWithin(db: Store, key: Omit<Required<ShardSpec>, 'start' | 'end' | 'done'>, start: number, end: number): ShardRow[] {
  return sql(db, `SELECT ${COLUMNS} FROM shards WHERE run_id = ? AND kind = ? AND model_id = ? AND scorer_id = ? AND problem_id = ?
      AND start >= ? AND end <= ? AND state != 'done' ORDER BY start`)
    .all(key.runId, key.kind, key.modelId, key.scorerId, key.problemId, start, end) as ShardRow[];
}
