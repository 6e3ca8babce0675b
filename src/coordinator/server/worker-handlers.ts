import type { ShardKind, WorkerRequests } from '../../core/protocol/worker-protocol.ts';
import type { HandlerMap } from '../../core/protocol/requests.ts';
import type { Result } from '../../core/result.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { LeaseWithShard } from '../store/leases.ts';
import { getRun } from '../store/runs.ts';
import { countMissing, recordSamples, recordVerdicts } from '../store/samples.ts';
import { recordSampleSource } from '../store/sample-sources.ts';
import { countMissingScores, recordScores } from '../store/scores.ts';

/** What retryMs tells an idle worker: ask again then, or sooner when `work:available` comes. */
export const IDLE_RETRY_MS = 2000;

/**
 * The coordinator's answers to one connected worker, callable without a socket (tests call
 * them directly). Each result batch is stored in one transaction before the answer goes
 * back, so an acknowledged batch is on disk.
 */
export function workerHandlers(scheduler: Scheduler, workerId: string): HandlerMap<WorkerRequests> {
  const { db } = scheduler;
  const now = () => scheduler.now();
  const within = (lease: LeaseWithShard, indices: readonly number[]): Result<null> => {
    const outside = indices.find((i) => i < lease.start || i >= lease.end);
    return outside === undefined ? { ok: true, value: null }
      : { ok: false, error: `sample index ${outside} is outside lease ${lease.id}'s samples [${lease.start}, ${lease.end})` };
  };
  const leaseFor = (leaseId: number, kind: ShardKind): Result<LeaseWithShard> => scheduler.lookupLease(workerId, leaseId, kind);

  return {
    'lease:request': ({ kinds, loaded }) => {
      const lease = scheduler.requestLease(workerId, kinds, loaded ?? null);
      return { ok: true, value: { lease, retryMs: lease ? 0 : IDLE_RETRY_MS } };
    },

    'lease:heartbeat': ({ leases }) => ({ ok: true, value: { cancel: scheduler.heartbeat(workerId, leases) } }),

    'results:samples': ({ leaseId, ep, server, samples }) => {
      const lease = leaseFor(leaseId, 'sample');
      if (!lease.ok) return lease;
      const ok = within(lease.value, samples.map((s) => s.index));
      if (!ok.ok) return ok;
      const { runId, modelId, problemId } = lease.value.shard;
      const run = getRun(db, runId);
      if (!run) return { ok: false, error: `run ${runId} no longer exists` };
      if (run.verifier !== 'math' && samples.some((s) => s.verdict)) return { ok: false, error: `run ${run.name} verifies code in a sandbox: verdicts do not come with samples` };
      const served = scheduler.runModels(runId).find((m) => m.id === modelId)?.served ?? null;
      if ((served !== null) !== (ep === 'server')) {
        return { ok: false, error: served ? `model ${modelId} is drawn from a server (served "${served.model}"), not by ${ep}` : `model ${modelId} is drawn by the onnx engine, not from a server` };
      }
      // Samples, their inline verdicts and where they came from in one transaction: acknowledged means all are stored.
      const { stored, verdicts } = db.transaction(() => {
        const added = recordSamples(db, samples.map((s) => ({
          runId, modelId, problemId, sampleIndex: s.index, text: s.text, tokens: s.tokens, finish: s.finish, logprob: s.logprob, workerId, ep,
        })), now());
        if (server) recordSampleSource(db, { runId, modelId, workerId, server, samples: added }, now());
        const judged = samples.filter((s) => s.verdict).map((s) => ({
          runId, modelId, problemId, sampleIndex: s.index, correct: s.verdict!.correct, extracted: s.verdict!.extracted, reason: s.verdict!.reason,
          verifier: 'math' as const, ...(s.verdict!.fallback ? { fallback: true as const } : {}),
        }));
        return { stored: added, verdicts: judged.length > 0 ? recordVerdicts(db, judged, now()) : { added: 0, correct: 0 } };
      })();
      scheduler.meter.addSamples(runId, modelId, stored, stored > 0 ? samples.reduce((t, s) => t + s.tokens, 0) : 0, now());
      scheduler.meter.addVerdicts(runId, modelId, verdicts.added, verdicts.correct);
      scheduler.resultsStored(lease.value);
      return { ok: true, value: { stored } };
    },

    'results:verdicts': ({ leaseId, verdicts }) => {
      const lease = leaseFor(leaseId, 'verify');
      if (!lease.ok) return lease;
      const ok = within(lease.value, verdicts.map((v) => v.index));
      if (!ok.ok) return ok;
      const { runId, modelId, problemId } = lease.value.shard;
      const run = getRun(db, runId);
      if (!run) return { ok: false, error: `run ${runId} no longer exists` };
      const { added, correct } = recordVerdicts(db, verdicts.map((v) => ({
        runId, modelId, problemId, sampleIndex: v.index, correct: v.correct, extracted: v.extracted, reason: v.reason, verifier: run.verifier,
        ...(v.fallback ? { fallback: true as const } : {}),
      })), now());
      scheduler.meter.addVerdicts(runId, modelId, added, correct);
      scheduler.resultsStored(lease.value);
      return { ok: true, value: { stored: added } };
    },

    'results:scores': ({ leaseId, scores }) => {
      const lease = leaseFor(leaseId, 'score');
      if (!lease.ok) return lease;
      const ok = within(lease.value, scores.map((s) => s.index));
      if (!ok.ok) return ok;
      const { runId, modelId, scorerId, problemId } = lease.value.shard;
      const stored = recordScores(db, scores.map((s) => ({
        runId, scorerId, modelId, problemId, sampleIndex: s.index, tokens: s.tokens, logprob: s.logprob, workerId,
      })), now());
      scheduler.resultsStored(lease.value);
      return { ok: true, value: { stored } };
    },

    'lease:complete': ({ leaseId, tokens, seconds }) => {
      const found = scheduler.lookupLease(workerId, leaseId);
      if (!found.ok) return found;
      const lease = found.value;
      const { shard } = lease;
      const key = { runId: shard.runId, modelId: shard.modelId, problemId: shard.problemId };
      const missing = shard.kind === 'score'
        ? countMissingScores(db, { ...key, scorerId: shard.scorerId }, lease.start, lease.end)
        : countMissing(db, shard.kind === 'sample' ? 'samples' : 'verdicts', key, lease.start, lease.end);
      if (missing > 0) {
        scheduler.endUnfinished(lease, 'failed', `worker ${workerId} finished lease ${leaseId} with ${missing} of ${lease.end - lease.start} results missing`);
        return { ok: true, value: { missing } };
      }
      scheduler.completeLease(lease, { tokens, seconds });
      return { ok: true, value: { missing: 0 } };
    },

    'lease:fail': ({ leaseId, error }) => {
      const found = scheduler.lookupLease(workerId, leaseId);
      if (!found.ok) return found;
      scheduler.endUnfinished(found.value, 'failed', `worker ${scheduler.workers.get(workerId)?.hello.name ?? workerId}: ${error}`);
      return { ok: true, value: {} };
    },

    'lease:release': ({ leaseId }) => {
      const found = scheduler.lookupLease(workerId, leaseId);
      if (!found.ok) return found;
      scheduler.endUnfinished(found.value, 'released', null);
      return { ok: true, value: {} };
    },
  };
}
