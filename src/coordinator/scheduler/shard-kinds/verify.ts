import { getProblem } from '../../store/problems.ts';
import { countMissing, recordVerdicts, sampleTexts, type VerdictRow } from '../../store/samples.ts';
import { describeDisagreements, judgeMathAgain } from './judge-again.ts';
import { runMathOptions } from './lease-parts.ts';
import type { ShardKindModule } from './shard-kind.ts';

/**
 * Judging stored samples [start, end): math against the gold answer, code in the worker's
 * sandbox. No model: it takes the `light` lease beside a worker's model slots, only on
 * workers that run the run's verifier (code: whose sandbox passed a probe), and is leased whole.
 */
export const verifyKind: ShardKindModule<'verify', 'results:verdicts'> = {
  kind: 'verify',
  slot: 'light',
  engineOf: () => null,
  // Code: only where the coordinator saw the sandbox judge a probe right, whatever the hello claims.
  workerCan: (caps, run, _engine, proofs) => caps.verify.includes(run.verifier) && (run.verifier !== 'code' || proofs?.codeSandbox === true),
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
  storeResults: ({ db, now, workerId, leaseId, run, shard, meter, distrust, judgeBudget }, { verdicts }) => {
    const { runId, modelId, problemId } = shard;
    let rows: VerdictRow[];
    if (run.verifier === 'math') {
      // As for inline verdicts: the coordinator judges the stored texts itself and stores its own verdicts.
      const problem = getProblem(db, runId, problemId);
      if (!problem) return { ok: false, error: `run ${run.name} has no problem ${problemId}` };
      const claimed = new Map(verdicts.map((v) => [v.index, v]));
      const indices = verdicts.map((v) => v.index);
      const texts = sampleTexts(db, shard, Math.min(...indices), Math.max(...indices) + 1).filter((t) => claimed.has(t.index));
      const judged = judgeMathAgain({ runId, modelId, problemId, workerId, leaseId }, { gold: String(problem.gold), text: problem.text }, runMathOptions(run),
        texts.map((t) => ({ ...t, claimed: claimed.get(t.index) })), judgeBudget);
      rows = judged.verdicts;
      if (judged.disagreements.length > 0) distrust(describeDisagreements(judged.disagreements, `lease ${leaseId} (${modelId}/${problemId})`), judged.disagreements.length);
    } else {
      rows = verdicts.map((v) => ({
        runId, modelId, problemId, sampleIndex: v.index, correct: v.correct, extracted: v.extracted, reason: v.reason, verifier: run.verifier,
        workerId, leaseId, judge: 'worker' as const, ...(v.fallback ? { fallback: true as const } : {}),
      }));
    }
    const { added, correct } = recordVerdicts(db, rows, now);
    meter.addVerdicts(runId, modelId, added, correct);
    return { ok: true, value: { stored: added } };
  },
  countMissing: (db, shard, start, end) => countMissing(db, 'verdicts', shard, start, end),
};

/** A code problem's gold is its benchmark record (an object); the worker's toCodeTask checks its fields. */
function codeTask(gold: unknown): Record<string, unknown> | null {
  return typeof gold === 'object' && gold !== null && !Array.isArray(gold) ? Object.fromEntries(Object.entries(gold)) : null;
}
