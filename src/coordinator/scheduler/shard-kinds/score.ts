import { workerRunsModel } from '../../../core/planner/backend-fit.ts';
import { sampleTexts } from '../../store/samples.ts';
import { countMissingScores, recordScores } from '../../store/scores.ts';
import { modelRef } from './lease-parts.ts';
import type { ShardKindModule } from './shard-kind.ts';

/**
 * Teacher-forced log-probabilities of one model's stored samples under another (the
 * scorer, shard.scorerId), which is the model the lease runs on. Leased whole.
 */
export const scoreKind: ShardKindModule<'score', 'results:scores'> = {
  kind: 'score',
  slot: 'model',
  engineOf: (shard) => shard.scorerId,
  workerCan: (caps, _run, engine) => engine !== null && workerRunsModel(caps, engine.served, { scoring: true }),
  leaseSize: (available) => available,
  measuresSpeed: false,
  followUps: () => [],

  buildLease: ({ db, run, models, model, shard, base }) => {
    const scorer = models.find((m) => m.id === shard.scorerId);
    if (!scorer) throw new Error(`shard ${shard.id}: run ${run.id} has no scoring model ${shard.scorerId}`);
    return { ...base, kind: 'score', modelId: model.id, scorer: modelRef(scorer), prompt: scorer.prompt, samples: sampleTexts(db, shard, base.start, base.end) };
  },

  results: 'results:scores',
  resultIndices: ({ scores }) => scores.map((s) => s.index),
  storeResults: ({ db, now, workerId, leaseId, shard }, { scores }) => {
    const { runId, modelId, scorerId, problemId } = shard;
    const stored = recordScores(db, scores.map((s) => ({
      runId, scorerId, modelId, problemId, sampleIndex: s.index, tokens: s.tokens, logprob: s.logprob, workerId, leaseId,
    })), now);
    return { ok: true, value: { stored } };
  },
  countMissing: (db, shard, start, end) => countMissingScores(db, shard, start, end),
};
