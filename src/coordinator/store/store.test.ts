import { describe, expect, it } from 'vitest';
import { addModel } from './models.ts';
import { openStore, type Store } from './open-store.ts';
import { addProblems } from './problems.ts';
import { createRun, getRun, setRunStatus } from './runs.ts';
import { countVerdicts, recordSamples, recordVerdicts, type SampleRow } from './samples.ts';
import { completeShard, enqueueShards, expireLeases, extendLease, leaseShard, listShards } from './shards.ts';
import { recordWorkerSeen } from './workers.ts';

function storeWithRun(): Store {
  const db = openStore(':memory:');
  createRun(db, { id: 'r1', name: 'demo', spec: { n: 4 }, seed: '7' }, 1000);
  addModel(db, 'r1', { id: 'qwen-base', role: 'base', name: 'Qwen base', sha256: null, settings: { temperature: 0.6 } });
  addModel(db, 'r1', { id: 'qwen-rl', role: 'rl', name: 'Qwen RL', sha256: null, settings: {} });
  addProblems(db, 'r1', [
    { id: 'p1', benchmark: 'math500', text: '1+1?', gold: '2' },
    { id: 'p2', benchmark: 'math500', text: '2+2?', gold: '4' },
  ]);
  recordWorkerSeen(db, { id: 'w1', name: 'gpu-1', capabilities: { eps: ['cpu'] } }, 1000);
  recordWorkerSeen(db, { id: 'w2', name: 'gpu-2', capabilities: {} }, 1000);
  return db;
}

const sample = (modelId: string, problemId: string, sampleIndex: number, text = `s${sampleIndex}`): SampleRow => ({
  runId: 'r1', modelId, problemId, sampleIndex, text, tokens: 3, finish: 'stop', logprob: -1.5, workerId: 'w1',
});

describe('store', () => {
  it('keeps runs with their spec and status', () => {
    const db = storeWithRun();
    setRunStatus(db, 'r1', 'done', 5000);
    expect(getRun(db, 'r1')).toMatchObject({ spec: { n: 4 }, seed: '7', status: 'done', createdAt: 1000, finishedAt: 5000 });
    expect(() => setRunStatus(db, 'nope', 'done', 1)).toThrow('no run nope');
  });

  it('takes a resent batch of samples and verdicts as a no-op', () => {
    const db = storeWithRun();
    const batch = [sample('qwen-base', 'p1', 0), sample('qwen-base', 'p1', 1)];
    expect(recordSamples(db, batch, 2000)).toBe(2);
    expect(recordSamples(db, [...batch.map((s) => ({ ...s, text: 'changed' })), sample('qwen-base', 'p1', 2)], 3000)).toBe(1);
    expect(db.prepare(`SELECT text FROM samples WHERE sample_index = 0`).get()).toEqual({ text: 's0' });
    const verdict = { runId: 'r1', modelId: 'qwen-base', problemId: 'p1', sampleIndex: 0, correct: true, extracted: '2', reason: 'equal', verifier: 'math' as const };
    expect(recordVerdicts(db, [verdict], 2000)).toBe(1);
    expect(recordVerdicts(db, [{ ...verdict, correct: false }], 2000)).toBe(0);
  });

  it('rejects a sample of a model or problem the run does not have', () => {
    const db = storeWithRun();
    expect(() => recordSamples(db, [sample('ghost', 'p1', 0)], 1)).toThrow(/FOREIGN KEY/);
  });

  it('counts verified samples per model and problem, in the order models were added', () => {
    const db = storeWithRun();
    const rows = [];
    for (const model of ['qwen-rl', 'qwen-base']) for (const problem of ['p1', 'p2']) for (let i = 0; i < 4; i++) rows.push(sample(model, problem, i));
    recordSamples(db, rows, 1);
    recordVerdicts(db, rows.map((s) => ({ ...s, correct: s.modelId === 'qwen-base' ? s.sampleIndex === 0 : s.problemId === 'p1', extracted: null, reason: '', verifier: 'math' as const })), 1);
    expect(countVerdicts(db, 'r1')).toEqual([
      { model: 'qwen-base', role: 'base', problem: 'p1', n: 4, c: 1 },
      { model: 'qwen-base', role: 'base', problem: 'p2', n: 4, c: 1 },
      { model: 'qwen-rl', role: 'rl', problem: 'p1', n: 4, c: 4 },
      { model: 'qwen-rl', role: 'rl', problem: 'p2', n: 4, c: 0 },
    ]);
  });

  it('leases shards oldest first, re-leases an expired one to another worker, and accepts a late finish', () => {
    const db = storeWithRun();
    const spec = { runId: 'r1', kind: 'sample' as const, modelId: 'qwen-base', problemId: 'p1' };
    expect(enqueueShards(db, [{ ...spec, start: 0, end: 2 }, { ...spec, start: 2, end: 4 }])).toBe(2);
    expect(enqueueShards(db, [{ ...spec, start: 0, end: 2 }])).toBe(0);

    const first = leaseShard(db, 'w1', 10_000, 1000)!;
    expect(first).toMatchObject({ start: 0, state: 'leased', workerId: 'w1', leaseDeadline: 11_000, attempts: 1 });
    expect(extendLease(db, first.id, 'w1', 10_500, 1000)).toBe(true);
    expect(extendLease(db, first.id, 'w2', 10_500, 1000)).toBe(false);
    expect(leaseShard(db, 'w2', 11_000, 1000)).toMatchObject({ start: 2, workerId: 'w2' });
    expect(leaseShard(db, 'w2', 11_000, 1000)).toBeUndefined();

    // w1 goes silent; its lease runs out and w2 takes the shard over.
    expect(leaseShard(db, 'w2', 11_500, 1000)).toMatchObject({ id: first.id, workerId: 'w2', attempts: 2 });
    expect(extendLease(db, first.id, 'w1', 11_600, 1000)).toBe(false);
    // w1 was only slow: its results land idempotently and finishing is still accepted.
    recordSamples(db, [sample('qwen-base', 'p1', 0), sample('qwen-base', 'p1', 1)], 11_700);
    completeShard(db, first.id);
    expect(listShards(db, 'r1').map((s) => s.state)).toEqual(['done', 'leased']);
  });

  it('puts every lease back in the queue on a coordinator restart', () => {
    const db = storeWithRun();
    enqueueShards(db, [{ runId: 'r1', kind: 'verify', modelId: 'qwen-rl', problemId: 'p2', start: 0, end: 8 }]);
    leaseShard(db, 'w1', 0, 60_000);
    expect(expireLeases(db, Number.POSITIVE_INFINITY)).toBe(1);
    expect(leaseShard(db, 'w2', 1, 60_000, 'sample')).toBeUndefined();
    expect(leaseShard(db, 'w2', 1, 60_000, 'verify')).toMatchObject({ workerId: 'w2', attempts: 2 });
  });
});
