import { countMissing, recordVerdicts, sampleTexts } from '../../store/samples.ts';
import { runMathOptions } from './lease-parts.ts';
import type { ShardKindModule } from './shard-kind.ts';

/**
 * Judging stored samples [start, end): math against the gold answer, code in the worker's
 * sandbox. No model: it takes the `light` lease beside a worker's model slots, only on
 * workers that run the run's verifier, and is leased whole.
 */
export const verifyKind: ShardKindModule<'verify', 'results:verdicts'> = {
  kind: 'verify',
  slot: 'light',
  engineOf: () => null,
  workerCan: (caps, run) => caps.verify.includes(run.verifier),
  leaseSize: (available) => available,
  measuresSpeed: false,
  followUps: () => [],

  buildLease: ({ db, run, model, problem, shard, base }) => {
    const math = run.verifier === 'math';
    return {
      ...base, kind: 'verify', modelId: model.id, verifier: run.verifier,
      samples: sampleTexts(db, shard, base.start, base.end),
      gold: math ? String(problem.gold) : null,
      mathOptions: math ? runMathOptions(run) : null,
      task: math ? null : codeTask(problem.gold),
    };
  },

  results: 'results:verdicts',
  resultIndices: ({ verdicts }) => verdicts.map((v) => v.index),
  storeResults: ({ db, now, run, shard, meter }, { verdicts }) => {
    const { runId, modelId, problemId } = shard;
    const { added, correct } = recordVerdicts(db, verdicts.map((v) => ({
      runId, modelId, problemId, sampleIndex: v.index, correct: v.correct, extracted: v.extracted, reason: v.reason, verifier: run.verifier,
      ...(v.fallback ? { fallback: true as const } : {}),
    })), now);
    meter.addVerdicts(runId, modelId, added, correct);
    return { ok: true, value: { stored: added } };
  },
  countMissing: (db, shard, start, end) => countMissing(db, 'verdicts', shard, start, end),
};

/** A code problem's gold is its benchmark record (an object); the worker's toCodeTask checks its fields. */
function codeTask(gold: unknown): Record<string, unknown> | null {
  return typeof gold === 'object' && gold !== null && !Array.isArray(gold) ? Object.fromEntries(Object.entries(gold)) : null;
}
