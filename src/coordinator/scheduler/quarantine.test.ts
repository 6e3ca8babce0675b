import { describe, expect, it } from 'vitest';
import type { Capabilities, Lease } from '../../core/protocol/worker-protocol.ts';
import { newRun, runModel } from '../../../test/support/store-fixtures.ts';
import { workerHandlers } from '../server/worker-handlers.ts';
import { addModel } from '../store/models.ts';
import { openStore } from '../store/open-store.ts';
import { addProblems } from '../store/problems.ts';
import { listRunEvents } from '../store/run-events.ts';
import { createRun, getRun, setRunStatus } from '../store/runs.ts';
import { enqueueShards, listShards } from '../store/shards.ts';
import { Scheduler } from './scheduler.ts';

function ok<T>(answer: { ok: true; value: T } | { ok: false; error: string } | Promise<unknown>): T {
  if (answer instanceof Promise) throw new Error('handler was async');
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

describe('quarantining a worker in a code run', () => {
  it('discards its samples and the verdicts on them, queues the sample shard again, and queues the verify shard again once the samples are drawn anew', () => {
    const db = openStore(':memory:');
    createRun(db, newRun('r1', { verifier: 'code' }), 0);
    addModel(db, 'r1', runModel('base', 'base', 'a'.repeat(64)));
    addProblems(db, 'r1', [{ id: 'p1', benchmark: 'mbpp', text: 'add', gold: { test_list: ['assert add(1, 2) == 3'] } }]);
    enqueueShards(db, [{ runId: 'r1', kind: 'sample', modelId: 'base', problemId: 'p1', start: 0, end: 4 }], 0);
    let now = 1000;
    const scheduler = new Scheduler(db, () => now, { leaseTtlMs: 10_000, maxAttempts: 3, speculateAfterMs: 60_000 });
    setRunStatus(db, 'r1', 'running', now);
    const caps: Capabilities = { eps: ['cpu'], gpu: null, cores: 1, memoryMb: 1, verify: ['math', 'code'], sandboxProblem: null, models: [], slots: 1, server: null };
    const join = (id: string) => {
      scheduler.workerJoined({ id, name: id, host: 't', version: '0', capabilities: caps });
      // As if its sandbox had passed a probe just now.
      scheduler.workers.get(id)!.sandbox.provenAt = now;
      return workerHandlers(scheduler, id);
    };
    const good = join('good');
    const bad = join('bad');
    const run = (w: ReturnType<typeof join>, kinds: ('sample' | 'verify')[]): Lease => {
      const lease = ok(w['lease:request']({ kinds })).lease;
      if (lease === null) throw new Error('no lease');
      const indices = Array.from({ length: lease.end - lease.start }, (_, k) => lease.start + k);
      if (lease.kind === 'sample') ok(w['results:samples']({ leaseId: lease.leaseId, ep: 'cpu', samples: indices.map((index) => ({ index, text: `def add(a, b): return a + b  # ${index}`, tokens: 1, finish: 'stop', logprob: -1 })) }));
      else ok(w['results:verdicts']({ leaseId: lease.leaseId, verdicts: indices.map((index) => ({ index, correct: true, extracted: null, reason: 'passed' })) }));
      expect(ok(w['lease:complete']({ leaseId: lease.leaseId, tokens: 1, seconds: 1 })).missing).toBe(0);
      return lease;
    };
    run(bad, ['sample']);
    run(good, ['verify']);
    expect(getRun(db, 'r1')?.status).toBe('done');

    now += 1000;
    expect(scheduler.quarantine('r1', 'bad', 'its samples were made up', null)).toBe(true);
    expect(scheduler.quarantine('r1', 'bad', 'again', null)).toBe(false);
    expect(db.prepare(`SELECT (SELECT COUNT(*) FROM samples) AS samples, (SELECT COUNT(*) FROM verdicts) AS verdicts`).get()).toEqual({ samples: 0, verdicts: 0 });
    expect(listShards(db, 'r1').map((s) => [s.kind, s.state])).toEqual([['sample', 'queued'], ['verify', 'done']]);
    expect(getRun(db, 'r1')?.status).toBe('running');
    expect(ok(bad['lease:request']({}))).toMatchObject({ lease: null });

    run(good, ['sample']);
    expect(listShards(db, 'r1').map((s) => [s.kind, s.state])).toEqual([['sample', 'done'], ['verify', 'queued']]);
    run(good, ['verify']);
    expect(getRun(db, 'r1')?.status).toBe('done');
    expect(db.prepare(`SELECT COUNT(*) AS n, MIN(worker_id) AS w, MIN(judge) AS judge FROM verdicts`).get()).toEqual({ n: 4, w: 'good', judge: 'worker' });
    expect(listRunEvents(db, 'r1', ['quarantine'])).toEqual([expect.objectContaining({ workerId: 'bad', count: 4, detail: expect.stringContaining('discarded its 4 samples') })]);
  });
});
