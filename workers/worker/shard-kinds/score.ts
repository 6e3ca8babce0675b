import type { ScoreResultRow } from '../../../src/core/protocol/worker-protocol.ts';
import { Batcher } from '../result-batcher.ts';
import { describeRange, type WorkerShardKind } from './worker-shard-kind.ts';

/** Teacher-forced log-probability of each stored sample under the scorer, with the scorer's prompt. */
export const scoreKind: WorkerShardKind<'score'> = {
  kind: 'score',
  describe: (lease) => describeRange(`${lease.modelId}@${lease.scorer.id}`, lease),
  run: async (lease, context, runners) => {
    const opened = await runners.engine.get(lease.scorer);
    if (!opened.ok) return opened;
    const { codec, scorer } = opened.value;
    if (lease.prompt.format === 'chat' && codec.chatTemplateProblem !== undefined) return { ok: false, error: `model ${lease.scorer.id}: ${codec.chatTemplateProblem}` };
    const promptIds = codec.encode(codec.formatPrompt(lease.problem.text, lease.prompt.format, lease.prompt.template ?? undefined));
    const batcher = new Batcher<ScoreResultRow>((scores) => context.send('results:scores', { leaseId: lease.leaseId, scores }));
    let tokens = 0;
    for (const [i, sample] of lease.samples.entries()) {
      if (context.cancelled()) break;
      const ids = codec.encode(sample.text);
      const score = ids.length === 0 ? { logprob: 0 } : await scorer.score(promptIds, ids);
      tokens += ids.length;
      batcher.add({ index: sample.index, tokens: ids.length, logprob: score.logprob });
      context.progress(i + 1);
    }
    const sent = await batcher.finish();
    return sent.ok ? { ok: true, value: { tokens } } : sent;
  },
};
