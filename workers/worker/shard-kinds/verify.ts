import type { VerdictResultRow } from '../../../src/core/protocol/worker-protocol.ts';
import { toCodeTask } from '../../../src/core/verify/code/code-task.ts';
import { judgeMath } from '../../../src/core/verify/math/index.ts';
import { Batcher } from '../result-batcher.ts';
import { clip, describeRange, type WorkerShardKind } from './worker-shard-kind.ts';

/** Judges the lease's stored samples: math against the gold answer here, code in the worker's sandbox pool. */
export const verifyKind: WorkerShardKind<'verify'> = {
  kind: 'verify',
  describe: (lease) => describeRange(lease.modelId, lease),
  run: async (lease, context, runners) => {
    if (lease.samples.length !== lease.end - lease.start) {
      return { ok: false, error: `verify lease ${lease.leaseId}: ${lease.end - lease.start - lease.samples.length} of its samples are not stored` };
    }
    const batcher = new Batcher<VerdictResultRow>((verdicts) => context.send('results:verdicts', { leaseId: lease.leaseId, verdicts }));
    if (lease.verifier === 'math') {
      if (lease.gold === null) return { ok: false, error: `problem ${lease.problem.id} has no gold answer` };
      for (const [i, sample] of lease.samples.entries()) {
        if (context.cancelled()) break;
        const v = judgeMath(lease.gold, sample.text, lease.mathOptions ?? undefined, lease.problem.text);
        batcher.add({ index: sample.index, correct: v.correct, extracted: clip(v.extracted), reason: clip(v.reason) ?? '', ...(v.fallback ? { fallback: true } : {}) });
        context.progress(i + 1);
      }
    } else {
      const pool = runners.codePool();
      if (pool === null) return { ok: false, error: 'this worker has no working code sandbox (bubblewrap)' };
      const task = toCodeTask(lease.task);
      if (!task.ok) return { ok: false, error: `problem ${lease.problem.id}: ${task.error}` };
      let finished = 0;
      await Promise.all(lease.samples.map(async (sample) => {
        const v = await pool.verify(task.value, sample.text);
        if (context.cancelled()) return;
        batcher.add({ index: sample.index, correct: v.correct, extracted: clip(v.extracted), reason: clip(v.reason) ?? '' });
        context.progress(++finished);
      }));
    }
    const sent = await batcher.finish();
    return sent.ok ? { ok: true, value: { tokens: 0 } } : sent;
  },
};
