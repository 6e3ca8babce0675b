import type { WorkerRequests } from '../../core/protocol/worker-protocol.ts';
import type { HandlerMap } from '../../core/protocol/requests.ts';
import type { Result } from '../../core/result.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { resultsHandlers, shardKind } from '../scheduler/shard-kinds/index.ts';
import type { LeaseWithShard } from '../store/leases.ts';
import { recordRunEvent } from '../store/run-events.ts';
import { getRun } from '../store/runs.ts';

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

  return {
    'lease:request': ({ kinds, loaded }) => {
      const lease = scheduler.requestLease(workerId, kinds, loaded ?? null);
      return { ok: true, value: { lease, retryMs: lease ? 0 : IDLE_RETRY_MS } };
    },

    // A sandbox probe (code-probe.ts) is no lease row: it stays alive while the worker holds it.
    'lease:heartbeat': ({ leases }) => ({ ok: true, value: { cancel: scheduler.heartbeat(workerId, leases.filter((l) => !scheduler.isProbe(l.leaseId))) } }),

    // A batch is stored by the kind of its lease, which must be this worker's, of the kind the request carries, and hold every index.
    ...resultsHandlers((kind, request) => {
      if (scheduler.isProbe(request.leaseId)) {
        if (!('verdicts' in request)) return { ok: false, error: `lease ${request.leaseId} is a verify lease, not ${kind.kind}` };
        const kept = scheduler.probeRequest(workerId, request.leaseId, { verdicts: request.verdicts });
        return kept.ok ? { ok: true, value: { stored: request.verdicts.length } } : kept;
      }
      const lease = scheduler.lookupLease(workerId, request.leaseId, kind.kind);
      if (!lease.ok) return lease;
      const ok = within(lease.value, kind.resultIndices(request));
      if (!ok.ok) return ok;
      const { shard } = lease.value;
      const run = getRun(db, shard.runId);
      if (!run) return { ok: false, error: `run ${shard.runId} no longer exists` };
      if (scheduler.isQuarantined(run.id, workerId)) return { ok: false, error: `this worker is quarantined in run ${run.name}: its results there are not taken (passk runs show ${run.name} says why)` };
      let distrusted: string | null = null;
      const stored = kind.storeResults({
        db, now: now(), workerId, leaseId: request.leaseId, run, shard, models: scheduler.runModels(run.id), meter: scheduler.meter, judgeBudget: scheduler.judgeBudget,
        distrust: (reason, count) => {
          distrusted = reason;
          recordRunEvent(db, { runId: run.id, kind: 'disagreement', workerId, leaseId: request.leaseId, count, detail: reason }, now());
        },
      }, request);
      if (distrusted !== null) {
        scheduler.quarantine(run.id, workerId, distrusted, request.leaseId);
        return { ok: false, error: `this worker is quarantined in run ${run.name}: ${distrusted}` };
      }
      if (stored.ok) scheduler.resultsStored(lease.value);
      return stored;
    }),

    'lease:complete': ({ leaseId, tokens, seconds }) => {
      if (scheduler.isProbe(leaseId)) return scheduler.probeRequest(workerId, leaseId, 'complete');
      const found = scheduler.lookupLease(workerId, leaseId);
      if (!found.ok) return found;
      const lease = found.value;
      if (scheduler.isQuarantined(lease.shard.runId, workerId)) return { ok: false, error: `this worker is quarantined in run ${lease.shard.runId}: its leases there were called back` };
      const missing = shardKind(lease.shard.kind).countMissing(db, lease.shard, lease.start, lease.end);
      if (missing > 0) {
        scheduler.endUnfinished(lease, 'failed', `worker ${workerId} finished lease ${leaseId} with ${missing} of ${lease.end - lease.start} results missing`);
        return { ok: true, value: { missing } };
      }
      scheduler.completeLease(lease, { tokens, seconds });
      return { ok: true, value: { missing: 0 } };
    },

    'lease:fail': ({ leaseId, error }) => {
      if (scheduler.isProbe(leaseId)) {
        const failed = scheduler.probeRequest(workerId, leaseId, { error });
        return failed.ok ? { ok: true, value: {} } : failed;
      }
      const found = scheduler.lookupLease(workerId, leaseId);
      if (!found.ok) return found;
      scheduler.endUnfinished(found.value, 'failed', `worker ${scheduler.workers.get(workerId)?.hello.name ?? workerId}: ${error}`);
      return { ok: true, value: {} };
    },

    'lease:release': ({ leaseId }) => {
      if (scheduler.isProbe(leaseId)) {
        const released = scheduler.probeRequest(workerId, leaseId, 'release');
        return released.ok ? { ok: true, value: {} } : released;
      }
      const found = scheduler.lookupLease(workerId, leaseId);
      if (!found.ok) return found;
      scheduler.endUnfinished(found.value, 'released', null);
      return { ok: true, value: {} };
    },
  };
}
