import type { Lease } from '../../core/protocol/worker-protocol.ts';
import type { LeaseWithShard } from '../store/leases.ts';
import type { RunModel } from '../store/models.ts';
import type { Store } from '../store/open-store.ts';
import { getProblem } from '../store/problems.ts';
import type { Run } from '../store/runs.ts';
import { shardKind } from './shard-kinds/index.ts';

export { modelRef } from './shard-kinds/lease-parts.ts';

/** Everything a worker needs for one lease, so it reads nothing from the coordinator's disk but model files. */
export function buildLease(db: Store, run: Run, models: readonly RunModel[], lease: LeaseWithShard, ttlMs: number): Lease {
  const { shard } = lease;
  const problem = getProblem(db, run.id, shard.problemId);
  if (!problem) throw new Error(`shard ${shard.id}: run ${run.id} has no problem ${shard.problemId}`);
  const model = models.find((m) => m.id === shard.modelId);
  if (!model) throw new Error(`shard ${shard.id}: run ${run.id} has no model ${shard.modelId}`);
  const base = {
    leaseId: lease.id, shardId: shard.id, runId: run.id, start: lease.start, end: lease.end,
    problem: { id: problem.id, text: problem.text }, ttlMs,
  };
  return shardKind(shard.kind).buildLease({ db, run, models, model, problem, shard, base });
}
