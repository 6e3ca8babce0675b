import type { Lease, ModelRef, ResolvedSettings } from '../../core/protocol/worker-protocol.ts';
import { DEFAULT_MATH_OPTIONS, type MathJudgeOptions } from '../../core/verify/math/judge-options.ts';
import type { LeaseWithShard } from '../store/leases.ts';
import type { RunModel } from '../store/models.ts';
import type { Store } from '../store/open-store.ts';
import { getProblem } from '../store/problems.ts';
import type { Run } from '../store/runs.ts';
import { sampleTexts } from '../store/samples.ts';

export function modelRef(model: RunModel): ModelRef {
  if (model.sha256 === null) throw new Error(`model ${model.id} has no content address (a run imported without its model cannot be sampled)`);
  return { id: model.id, sha256: model.sha256, dtype: model.dtype, files: model.files, folder: model.folder, served: model.served };
}

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
  const mathOptions = (run.resolved as { mathOptions?: MathJudgeOptions | null }).mathOptions ?? DEFAULT_MATH_OPTIONS;
  if (shard.kind === 'sample') {
    return {
      ...base, kind: 'sample', seed: run.seed, model: modelRef(model), prompt: model.prompt, settings: model.settings as ResolvedSettings,
      inlineVerify: run.verifier === 'math' ? { gold: String(problem.gold), mathOptions } : null,
    };
  }
  const samples = sampleTexts(db, { runId: run.id, modelId: shard.modelId, problemId: shard.problemId }, lease.start, lease.end);
  if (shard.kind === 'verify') {
    const math = run.verifier === 'math';
    return {
      ...base, kind: 'verify', modelId: model.id, verifier: run.verifier, samples,
      gold: math ? String(problem.gold) : null,
      mathOptions: math ? mathOptions : null,
      task: math ? null : (problem.gold as Record<string, unknown>),
    };
  }
  const scorer = models.find((m) => m.id === shard.scorerId);
  if (!scorer) throw new Error(`shard ${shard.id}: run ${run.id} has no scoring model ${shard.scorerId}`);
  return { ...base, kind: 'score', modelId: model.id, scorer: modelRef(scorer), prompt: scorer.prompt, samples };
}
