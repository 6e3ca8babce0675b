import type { Lease, LeaseOfKind, ShardKind } from '../../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../../src/core/result.ts';
import type { LeaseContext, Runners } from '../run-lease.ts';
import { sampleKind } from './sample.ts';
import { scoreKind } from './score.ts';
import { verifyKind } from './verify.ts';
import type { WorkerShardKind } from './worker-shard-kind.ts';

/**
 * How a worker's slot runs each kind of lease, one module per kind. Adding a kind: its
 * module beside sample.ts and its entry here (the coordinator's side is
 * src/coordinator/scheduler/shard-kinds/index.ts, which says the rest).
 */
const WORKER_SHARD_KINDS: { [K in ShardKind]: WorkerShardKind<K> } = {
  sample: sampleKind,
  verify: verifyKind,
  score: scoreKind,
};

/** Runs one lease to its end on this slot; returns the tokens drawn, or why it could not. */
export function runLease(lease: Lease, context: LeaseContext, runners: Runners): Promise<Result<{ tokens: number }>> {
  return runOfKind(lease.kind, lease, context, runners);
}

/** The lease in a log or status line: its model(s), problem and range. */
export function describeLease(lease: Lease): string {
  return describeOfKind(lease.kind, lease);
}

function runOfKind<K extends ShardKind>(kind: K, lease: LeaseOfKind[K], context: LeaseContext, runners: Runners): Promise<Result<{ tokens: number }>> {
  return WORKER_SHARD_KINDS[kind].run(lease, context, runners);
}

function describeOfKind<K extends ShardKind>(kind: K, lease: LeaseOfKind[K]): string {
  return WORKER_SHARD_KINDS[kind].describe(lease);
}
