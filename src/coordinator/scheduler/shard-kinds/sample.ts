import { workerRunsModel } from '../../../core/planner/backend-fit.ts';
import { followUpShards, sampleLeaseSize } from '../../../core/planner/plan-shards.ts';
import { recordSampleSource } from '../../store/sample-sources.ts';
import { getProblem } from '../../store/problems.ts';
import { countMissing, recordSamples, recordVerdicts } from '../../store/samples.ts';
import { describeDisagreements, judgeMathAgain } from './judge-again.ts';
import { modelRef, modelSettings, runMathOptions } from './lease-parts.ts';
import type { ShardKindModule } from './shard-kind.ts';

/**
 * Drawing samples [start, end) of one (model, problem) on the sampled model. Math runs judge
 * each sample on the worker as it is drawn (inlineVerify) and the verdict rides with it; the
 * coordinator judges every text again and stores its own verdict, so the verify shard that
 * follows is recorded done at once; code needs a sandbox and queues it.
 */
export const sampleKind: ShardKindModule<'sample', 'results:samples'> = {
  kind: 'sample',
  slot: 'model',
  engineOf: (shard) => shard.modelId,
  workerCan: (caps, _run, engine) => engine !== null && workerRunsModel(caps, engine.served, { scoring: false }),
  leaseSize: (available, spec, samplesPerSecond) => sampleLeaseSize(available, spec.shardSize, samplesPerSecond),
  measuresSpeed: true,
  followUps: (done, spec) => followUpShards(done, spec.scoring ?? []),

  buildLease: ({ run, model, problem, base }) => ({
    ...base, kind: 'sample', seed: run.seed, model: modelRef(model), prompt: model.prompt, settings: modelSettings(model),
    inlineVerify: run.verifier === 'math' ? { gold: String(problem.gold), mathOptions: runMathOptions(run) } : null,
  }),

  results: 'results:samples',
  resultIndices: ({ samples }) => samples.map((s) => s.index),
  storeResults: ({ db, now, workerId, leaseId, run, shard, models, meter, distrust, judgeBudget }, { ep, server, samples }) => {
    const { runId, modelId, problemId } = shard;
    if (run.verifier !== 'math' && samples.some((s) => s.verdict)) return { ok: false, error: `run ${run.name} verifies code in a sandbox: verdicts do not come with samples` };
    const served = models.find((m) => m.id === modelId)?.served ?? null;
    if ((served !== null) !== (ep === 'server')) {
      return { ok: false, error: served ? `model ${modelId} is drawn from a server (served "${served.model}"), not by ${ep}` : `model ${modelId} is drawn by the onnx engine, not from a server` };
    }
    // Math: every text judged here, whether or not the worker sent a verdict; its own is only compared (judge-again.ts).
    let judged = null;
    if (run.verifier === 'math') {
      const problem = getProblem(db, runId, problemId);
      if (!problem) return { ok: false, error: `run ${run.name} has no problem ${problemId}` };
      judged = judgeMathAgain({ runId, modelId, problemId, workerId, leaseId }, { gold: String(problem.gold), text: problem.text }, runMathOptions(run),
        samples.map((s) => ({ index: s.index, text: s.text, claimed: s.verdict })), judgeBudget);
    }
    // Samples, their verdicts and where they came from in one transaction: acknowledged means all are stored.
    const { stored, verdicts } = db.transaction(() => {
      const added = recordSamples(db, samples.map((s) => ({
        runId, modelId, problemId, sampleIndex: s.index, text: s.text, tokens: s.tokens, finish: s.finish, logprob: s.logprob, workerId, leaseId, ep,
      })), now);
      if (server) recordSampleSource(db, { runId, modelId, workerId, server, samples: added }, now);
      return { stored: added, verdicts: judged ? recordVerdicts(db, judged.verdicts, now) : { added: 0, correct: 0 } };
    })();
    meter.addSamples(runId, modelId, stored, stored > 0 ? samples.reduce((t, s) => t + s.tokens, 0) : 0, now);
    meter.addVerdicts(runId, modelId, verdicts.added, verdicts.correct);
    if (judged && judged.disagreements.length > 0) distrust(describeDisagreements(judged.disagreements, `lease ${leaseId} (${modelId}/${problemId})`), judged.disagreements.length);
    return { ok: true, value: { stored } };
  },
  countMissing: (db, shard, start, end) => countMissing(db, 'samples', shard, start, end),
};
