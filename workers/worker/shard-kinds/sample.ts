import type { SampleResultRow, VerdictResultRow } from '../../../src/core/protocol/worker-protocol.ts';
import { judgeMath } from '../../../src/core/verify/math/index.ts';
import { runSampleJob } from '../../engine/sample-job.ts';
import { Batcher } from '../result-batcher.ts';
import { clip, describeRange, type WorkerShardKind } from './worker-shard-kind.ts';

type InlineVerdict = Omit<VerdictResultRow, 'index'>;

/** Draws the lease's samples on the slot's engine; math runs judge each as it is drawn, and its verdict rides with it. */
export const sampleKind: WorkerShardKind<'sample'> = {
  kind: 'sample',
  describe: (lease) => describeRange(lease.model.id, lease),
  run: async (lease, context, runners) => {
    const opened = await runners.engine.get(lease.model);
    if (!opened.ok) return opened;
    const engine = opened.value;
    if (lease.prompt.format === 'chat' && engine.codec.chatTemplateProblem !== undefined) return { ok: false, error: `model ${lease.model.id}: ${engine.codec.chatTemplateProblem}` };
    const ep = engine.decoder.ep;
    let tokens = 0;
    let done = 0;
    const batcher = new Batcher<SampleResultRow>((samples) => context.send('results:samples', { leaseId: lease.leaseId, ep, samples }));
    // Math is judged here as each sample is drawn (this slot's thread), and its verdict rides with it.
    const judge = lease.inlineVerify;
    const verdictOf = (text: string): InlineVerdict | undefined => {
      if (judge === null) return undefined;
      const v = judgeMath(judge.gold, text, judge.mathOptions, lease.problem.text);
      return { correct: v.correct, extracted: clip(v.extracted), reason: clip(v.reason) ?? '', ...(v.fallback ? { fallback: true } : {}) };
    };
    try {
      await runSampleJob(engine, {
        seed: lease.seed, modelId: lease.model.id, problemId: lease.problem.id, problem: lease.problem.text,
        promptFormat: lease.prompt.format, template: lease.prompt.template ?? undefined,
        start: lease.start, end: lease.end, settings: lease.settings, stop: lease.settings.stop,
        batch: Math.min(runners.batch, lease.end - lease.start),
      }, {
        onTokens: (count) => {
          tokens += count;
          context.onTokens(count);
          // A lease called back (or a worker stopping) is left between two decode steps, not run to its end.
          if (context.cancelled()) throw new LeaseAbandoned(lease.leaseId);
        },
        onSample: (sample) => {
          context.progress(++done);
          if (context.cancelled()) return;
          const verdict = verdictOf(sample.text);
          batcher.add({ index: sample.index, text: sample.text, tokens: sample.tokenIds.length, finish: sample.finish, logprob: sample.logprob, ...(verdict ? { verdict } : {}) });
        },
      });
    } catch (error) {
      if (error instanceof LeaseAbandoned) return { ok: false, error: error.message };
      throw error;
    }
    const sent = await batcher.finish();
    return sent.ok ? { ok: true, value: { tokens } } : sent;
  },
};

class LeaseAbandoned extends Error {
  constructor(leaseId: number) {
    super(`lease ${leaseId} was called back; its sampling stopped`);
  }
}
