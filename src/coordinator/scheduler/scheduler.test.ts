import { describe, expect, it } from 'vitest';
import type { Capabilities, Lease } from '../../core/protocol/worker-protocol.ts';
import { storeWithRun } from '../../../test/support/store-fixtures.ts';
import { workerHandlers } from '../server/worker-handlers.ts';
import { enqueueShards, listShards } from '../store/shards.ts';
import { getRun, setRunStatus } from '../store/runs.ts';
import { FORGET_WORKERS_AFTER_MS, Scheduler, type JoinedWorker } from './scheduler.ts';

const BASE = 'a'.repeat(64);
const RL = 'b'.repeat(64);

function setup(options: { n?: number; scoring?: { answers: string; under: string }[]; shardSize?: number } = {}) {
  const n = options.n ?? 4;
  const db = storeWithRun({ n, spec: { sampling: { n }, scoring: options.scoring ?? [], ...(options.shardSize ? { shardSize: options.shardSize } : {}) } });
  let now = 10_000;
  const scheduler = new Scheduler(db, () => now, { leaseTtlMs: 1000, maxAttempts: 2, speculateAfterMs: 500 });
  enqueueShards(db, ['base', 'rl'].flatMap((modelId) => ['p1', 'p2'].map((problemId) => ({ runId: 'r1', kind: 'sample' as const, modelId, problemId, start: 0, end: n }))), 0);
  setRunStatus(db, 'r1', 'running', now);
  const join = (id: string, caps: Partial<Capabilities> = {}) => {
    const hello: JoinedWorker = {
      id, name: id, host: 'test', version: '0',
      capabilities: { eps: ['cpu'], gpu: null, cores: 2, memoryMb: 1024, verify: ['math'], sandboxProblem: null, models: [], slots: 1, server: null, ...caps },
    };
    scheduler.workerJoined(hello);
    return workerHandlers(scheduler, id);
  };
  return { db, scheduler, join, tick: (ms: number) => { now += ms; }, clock: () => now };
}

function ok<T>(answer: { ok: true; value: T } | { ok: false; error: string } | Promise<unknown>): T {
  if (answer instanceof Promise) throw new Error('handler was async');
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

const samplesFor = (lease: Lease, text = (i: number) => `answer ${i}: \\boxed{2}`) =>
  Array.from({ length: lease.end - lease.start }, (_, k) => ({ index: lease.start + k, text: text(lease.start + k), tokens: 5, finish: 'stop' as const, logprob: -2 }));

describe('scheduler', () => {
  it('leases, stores, verifies and finishes a run; math samples sent without verdicts are judged on the coordinator, so no verify lease is needed', () => {
    const { db, join } = setup();
    const w = join('w1');
    const seen = new Set<string>();
    for (let step = 0; step < 40; step++) {
      const { lease } = ok(w['lease:request']({}));
      if (lease === null) break;
      seen.add(lease.kind);
      if (lease.kind === 'sample') {
        expect(lease.settings).toMatchObject({ temperature: 0.6, topP: 0.95 });
        expect(ok(w['results:samples']({ leaseId: lease.leaseId, ep: 'cpu', samples: samplesFor(lease) })).stored).toBe(lease.end - lease.start);
      } else if (lease.kind === 'verify') {
        expect(lease.samples).toHaveLength(lease.end - lease.start);
        expect(lease.gold).toMatch(/^[24]$/);
        ok(w['results:verdicts']({ leaseId: lease.leaseId, verdicts: lease.samples.map((s) => ({ index: s.index, correct: s.text.endsWith(`{${lease.gold}}`), extracted: null, reason: 'test' })) }));
      }
      expect(ok(w['lease:complete']({ leaseId: lease.leaseId, tokens: 10, seconds: 0.5 })).missing).toBe(0);
    }
    expect(seen).toEqual(new Set(['sample']));
    expect(getRun(db, 'r1')?.status).toBe('done');
    expect(listShards(db, 'r1').every((s) => s.state === 'done')).toBe(true);
    const verified = db.prepare('SELECT COUNT(*) AS n, SUM(correct) AS c FROM verdicts').get();
    expect(verified).toEqual({ n: 16, c: 8 }); // every answer says 2: right on p1, wrong on p2
  });

  it('takes math verdicts inline with their samples: the verify shards are done on arrival, no verify lease is needed', () => {
    const { db, join } = setup();
    const w = join('w1');
    const kinds = new Set<string>();
    for (let step = 0; step < 20; step++) {
      const { lease } = ok(w['lease:request']({}));
      if (lease === null) break;
      kinds.add(lease.kind);
      if (lease.kind !== 'sample') throw new Error(`unexpected ${lease.kind} lease`);
      expect(lease.inlineVerify).toMatchObject({ gold: expect.stringMatching(/^[24]$/), mathOptions: { mode: 'lenient' } });
      const gold = lease.inlineVerify!.gold;
      const samples = samplesFor(lease).map((s) => ({ ...s, verdict: { correct: s.text.endsWith(`{${gold}}`), extracted: '2', reason: 'inline' } }));
      ok(w['results:samples']({ leaseId: lease.leaseId, ep: 'cpu', samples }));
      ok(w['lease:complete']({ leaseId: lease.leaseId, tokens: 1, seconds: 0.1 }));
    }
    expect([...kinds]).toEqual(['sample']);
    expect(getRun(db, 'r1')?.status).toBe('done');
    expect(db.prepare(`SELECT kind, state, COUNT(*) AS n FROM shards GROUP BY kind, state`).all()).toEqual([{ kind: 'sample', state: 'done', n: 4 }, { kind: 'verify', state: 'done', n: 4 }]);
    // The coordinator's verdicts are stored (its reason, not the worker's), each with the worker and lease that brought its sample.
    expect(db.prepare(`SELECT COUNT(*) AS n, SUM(correct) AS c, SUM(reason = 'inline') AS theirs, SUM(judge = 'coordinator') AS ours, COUNT(DISTINCT lease_id) AS leases,
      SUM(worker_id = 'w1') AS w1 FROM verdicts`).get()).toEqual({ n: 16, c: 8, theirs: 0, ours: 16, leases: 4, w1: 16 });
  });

  it('stores a result that arrives after its lease expired and was re-leased exactly once', () => {
    const { db, scheduler, join, tick } = setup();
    const w1 = join('w1');
    const w2 = join('w2');
    const first = ok(w1['lease:request']({ kinds: ['sample'] })).lease!;
    tick(1500);
    expect(scheduler.sweep()).toBe(1);
    const again = ok(w2['lease:request']({ kinds: ['sample'], loaded: null })).lease!;
    expect(again.shardId).toBe(first.shardId);
    expect([again.start, again.end]).toEqual([first.start, first.end]);
    // w1 was only slow: its batch lands, then w2's resend of the same samples changes nothing.
    expect(ok(w1['results:samples']({ leaseId: first.leaseId, ep: 'cpu', samples: samplesFor(first) })).stored).toBe(4);
    expect(ok(w2['results:samples']({ leaseId: again.leaseId, ep: 'cpu', samples: samplesFor(again, () => 'other text') })).stored).toBe(0);
    expect(ok(w1['lease:complete']({ leaseId: first.leaseId, tokens: 1, seconds: 1 })).missing).toBe(0);
    expect(ok(w2['lease:complete']({ leaseId: again.leaseId, tokens: 1, seconds: 1 })).missing).toBe(0);
    const rows = db.prepare(`SELECT text, worker_id AS worker FROM samples WHERE model_id = ? AND problem_id = ?`).all(first.kind === 'sample' ? first.model.id : '', first.problem.id);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => (r as { worker: string }).worker === 'w1')).toBe(true);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM shards WHERE kind = 'verify'`).get()).toEqual({ n: 1 });
  });

  it('refuses results that are not the worker\'s to give', () => {
    const { join } = setup();
    const w1 = join('w1');
    const w2 = join('w2');
    const lease = ok(w1['lease:request']({ kinds: ['sample'] })).lease!;
    const one = [{ index: lease.end, text: 'x', tokens: 1, finish: 'stop' as const, logprob: 0 }];
    expect(w1['results:samples']({ leaseId: lease.leaseId, ep: 'cpu', samples: one })).toMatchObject({ ok: false, error: expect.stringContaining(`outside lease ${lease.leaseId}'s samples [0, 4)`) });
    expect(w2['results:samples']({ leaseId: lease.leaseId, ep: 'cpu', samples: samplesFor(lease) })).toMatchObject({ ok: false, error: expect.stringContaining('belongs to another worker') });
    expect(w1['results:samples']({ leaseId: 999, ep: 'cpu', samples: samplesFor(lease) })).toMatchObject({ ok: false, error: 'unknown lease 999' });
    expect(w1['results:verdicts']({ leaseId: lease.leaseId, verdicts: [{ index: 0, correct: true, extracted: null, reason: '' }] })).toMatchObject({ ok: false, error: expect.stringContaining('is a sample lease, not verify') });
    // Completing with nothing stored fails the lease instead of losing the samples.
    expect(ok(w1['lease:complete']({ leaseId: lease.leaseId, tokens: 0, seconds: 0 })).missing).toBe(4);
  });

  it('fails a shard after its attempts, with the last error, and the run with it', () => {
    const { db, join } = setup();
    const w = join('w1');
    const failing = (error: string) => {
      const lease = ok(w['lease:request']({ kinds: ['sample'] })).lease!;
      ok(w['lease:fail']({ leaseId: lease.leaseId, error }));
      return lease.shardId;
    };
    const shard = failing('model base: out of memory');
    expect(failing('model base: out of memory again')).toBe(shard);
    const row = listShards(db, 'r1').find((s) => s.id === shard)!;
    expect(row).toMatchObject({ state: 'failed', attempts: 2, error: expect.stringContaining('out of memory again') });
    // The others finish; the run then ends as failed, saying where to look.
    for (;;) {
      const lease = ok(w['lease:request']({})).lease;
      if (!lease) break;
      if (lease.kind === 'sample') ok(w['results:samples']({ leaseId: lease.leaseId, ep: 'cpu', samples: samplesFor(lease) }));
      else if (lease.kind === 'verify') ok(w['results:verdicts']({ leaseId: lease.leaseId, verdicts: lease.samples.map((s) => ({ index: s.index, correct: false, extracted: null, reason: '' })) }));
      ok(w['lease:complete']({ leaseId: lease.leaseId, tokens: 0, seconds: 0.1 }));
    }
    expect(getRun(db, 'r1')).toMatchObject({ status: 'failed', error: expect.stringContaining('1 shard failed') });
  });

  it('probes a new worker with a small lease, then sizes leases to its speed; a fixed shard size wins', () => {
    const { join } = setup({ n: 200 });
    const w = join('w1');
    const probe = ok(w['lease:request']({ kinds: ['sample'] })).lease!;
    expect(probe.end - probe.start).toBe(16);
    ok(w['results:samples']({ leaseId: probe.leaseId, ep: 'cpu', samples: samplesFor(probe) }));
    ok(w['lease:complete']({ leaseId: probe.leaseId, tokens: 10, seconds: 16 })); // 1 sample/s → 60 per lease
    const sized = ok(w['lease:request']({ kinds: ['sample'], loaded: probe.kind === 'sample' ? probe.model.sha256 : null })).lease!;
    expect(sized.end - sized.start).toBe(60);
    const fixed = setup({ n: 200, shardSize: 7 }).join('w1');
    const lease = ok(fixed['lease:request']({ kinds: ['sample'] })).lease!;
    expect(lease.end - lease.start).toBe(7);
  });

  it('keeps a slot on the model it has loaded, and spreads new slots over the models', () => {
    const { join } = setup();
    const w1 = join('w1', { slots: 2 });
    const first = ok(w1['lease:request']({ kinds: ['sample'] })).lease!;
    const second = ok(w1['lease:request']({ kinds: ['sample'] })).lease!;
    const model = (l: Lease) => (l.kind === 'sample' ? l.model.sha256 : '');
    expect(new Set([model(first), model(second)])).toEqual(new Set([BASE, RL]));
    ok(w1['lease:release']({ leaseId: first.leaseId }));
    const kept = ok(w1['lease:request']({ kinds: ['sample'], loaded: model(second) })).lease!;
    expect(model(kept)).toBe(model(second));
  });

  it('doubles the longest lease onto an idle worker at the end, and the first to finish wins', () => {
    const { db, scheduler, join, tick } = setup({ n: 4 });
    const slow = join('slow');
    const fast = join('fast');
    const mine = ok(slow['lease:request']({ kinds: ['sample'] })).lease!;
    // Everything else is done by the fast worker meanwhile.
    for (;;) {
      const lease = ok(fast['lease:request']({ kinds: ['sample'] })).lease;
      if (!lease) break;
      ok(fast['results:samples']({ leaseId: lease.leaseId, ep: 'cpu', samples: samplesFor(lease) }));
      ok(fast['lease:complete']({ leaseId: lease.leaseId, tokens: 1, seconds: 0.1 }));
    }
    expect(ok(fast['lease:request']({ kinds: ['sample'] })).lease).toBeNull(); // too early to double
    tick(600);
    ok(slow['lease:heartbeat']({ leases: [{ leaseId: mine.leaseId, done: 1 }] }));
    const copy = ok(fast['lease:request']({ kinds: ['sample'] })).lease!;
    expect(copy.shardId).toBe(mine.shardId);
    const cancelled: number[] = [];
    scheduler.on((e) => { if (e.type === 'cancel') cancelled.push(...e.leaseIds); });
    ok(fast['results:samples']({ leaseId: copy.leaseId, ep: 'cpu', samples: samplesFor(copy) }));
    ok(fast['lease:complete']({ leaseId: copy.leaseId, tokens: 1, seconds: 0.1 }));
    expect(cancelled).toEqual([mine.leaseId]);
    expect(ok(slow['lease:heartbeat']({ leases: [{ leaseId: mine.leaseId, done: 2 }] })).cancel).toEqual([mine.leaseId]);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM samples`).get()).toEqual({ n: 16 });
  });

  it('sends code verification only to workers whose sandbox works', () => {
    const { db, join } = setup();
    db.prepare(`UPDATE runs SET verifier = 'code'`).run();
    enqueueShards(db, [{ runId: 'r1', kind: 'verify', modelId: 'base', problemId: 'p1', start: 0, end: 4 }], 0);
    const mathOnly = join('math-only');
    expect(ok(mathOnly['lease:request']({ kinds: ['verify'] })).lease).toBeNull();
    const sandboxed = join('sandboxed', { verify: ['math', 'code'] });
    expect(ok(sandboxed['lease:request']({ kinds: ['verify'] })).lease).toMatchObject({ kind: 'verify', verifier: 'code' });
  });

  it('on restart, treats every lease as expired and hands its shard out again', () => {
    const { db, join } = setup();
    const w = join('w1');
    const lease = ok(w['lease:request']({ kinds: ['sample'] })).lease!;
    const restarted = new Scheduler(db, () => 20_000);
    expect(restarted.recover()).toBe(1);
    restarted.workerJoined({ id: 'w2', name: 'w2', host: 'h', version: '0', capabilities: { eps: ['cpu'], gpu: null, cores: 1, memoryMb: 1, verify: ['math'], sandboxProblem: null, models: [], slots: 1, server: null } });
    const again = ok(workerHandlers(restarted, 'w2')['lease:request']({ kinds: ['sample'] })).lease!;
    expect(again.shardId).toBe(lease.shardId);
  });

  it('pausing calls leases back without spending an attempt; resuming hands them out again', async () => {
    const { db, scheduler, join } = setup();
    const w = join('w1');
    const lease = ok(w['lease:request']({ kinds: ['sample'] })).lease!;
    const { controlRun } = await import('../runs/run-service.ts');
    controlRun(scheduler, getRun(db, 'r1')!, 'pause');
    expect(ok(w['lease:heartbeat']({ leases: [{ leaseId: lease.leaseId, done: 0 }] })).cancel).toEqual([lease.leaseId]);
    expect(ok(w['lease:request']({})).lease).toBeNull();
    controlRun(scheduler, getRun(db, 'r1')!, 'resume');
    const again = ok(w['lease:request']({ kinds: ['sample'] })).lease!;
    expect(again.shardId).toBe(lease.shardId);
    expect(listShards(db, 'r1').find((s) => s.id === lease.shardId)?.attempts).toBe(1);
  });

  it('forgets workers gone for a while, but keeps the ones a lease names and the connected ones', () => {
    const { db, scheduler, join, tick } = setup();
    const leased = join('leased');
    ok(leased['lease:request']({ kinds: ['sample'] }));
    join('idle-gone');
    join('connected');
    for (let i = 0; i < 50; i++) join(`flood-${i}`);
    scheduler.workerLeft('leased');
    scheduler.workerLeft('idle-gone');
    for (let i = 0; i < 50; i++) scheduler.workerLeft(`flood-${i}`);
    const rows = () => (db.prepare('SELECT id FROM workers ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    expect(scheduler.forgetGoneWorkers()).toBe(0);
    expect(rows()).toHaveLength(53);
    tick(FORGET_WORKERS_AFTER_MS + 1);
    expect(scheduler.forgetGoneWorkers()).toBe(51);
    expect(rows()).toEqual(['connected', 'leased']);
    expect([...scheduler.workers.keys()]).toEqual(['connected']);
  });
});
