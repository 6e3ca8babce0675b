import { describe, expect, it } from 'vitest';
import { runModel, sampleRow, storeWithRun } from '../../../test/support/store-fixtures.ts';
import { activeLeases, createLease, endLease, expireLeases, extendLeases, getLease } from './leases.ts';
import { listModels } from './models.ts';
import { findRun, freeRunName, getRun, setRunStatus } from './runs.ts';
import { countMissing, countVerdicts, recordSamples, recordVerdicts, sampleTexts, samplesDigest } from './samples.ts';
import { completeShard, enqueueShards, firstQueuedShard, listShards, requeueShard, takeShard, unfinishedShardsWithin } from './shards.ts';
import { recordWorkerSeen } from './workers.ts';

const worker = (id: string) => ({ id, name: id, host: 'h', version: '0', capabilities: {} });

describe('store', () => {
  it('keeps runs with their spec, status and times, found by id or name', () => {
    const db = storeWithRun();
    setRunStatus(db, 'r1', 'running', 2000);
    setRunStatus(db, 'r1', 'done', 5000);
    expect(getRun(db, 'r1')).toMatchObject({ spec: { sampling: { n: 4 } }, seed: '7', status: 'done', createdAt: 1000, startedAt: 2000, finishedAt: 5000 });
    expect(findRun(db, 'r1')?.id).toBe('r1');
    expect(freeRunName(db, 'r1')).toBe('r1-2');
    expect(freeRunName(db, 'fresh')).toBe('fresh');
    expect(() => setRunStatus(db, 'nope', 'done', 1)).toThrow('no run nope');
  });

  it('keeps what a model resolved to: folder, content address, prompt and the settings used', () => {
    const db = storeWithRun();
    expect(listModels(db, 'r1')[0]).toEqual(runModel('base', 'base', 'a'.repeat(64)));
  });

  it('takes a resent batch of samples and verdicts as a no-op', () => {
    const db = storeWithRun();
    const batch = [sampleRow('base', 'p1', 0), sampleRow('base', 'p1', 1)];
    expect(recordSamples(db, batch, 2000)).toBe(2);
    expect(recordSamples(db, [...batch.map((s) => ({ ...s, text: 'changed' })), sampleRow('base', 'p1', 2)], 3000)).toBe(1);
    expect(sampleTexts(db, { runId: 'r1', modelId: 'base', problemId: 'p1' }, 0, 2)).toEqual([{ index: 0, text: 's0' }, { index: 1, text: 's1' }]);
    const verdict = { runId: 'r1', modelId: 'base', problemId: 'p1', sampleIndex: 0, correct: true, extracted: '2', reason: 'equal', verifier: 'math' as const };
    expect(recordVerdicts(db, [verdict], 2000)).toEqual({ added: 1, correct: 1 });
    expect(recordVerdicts(db, [{ ...verdict, correct: false }], 2000)).toEqual({ added: 0, correct: 0 });
    expect(countMissing(db, 'samples', { runId: 'r1', modelId: 'base', problemId: 'p1' }, 0, 4)).toBe(1);
    expect(countMissing(db, 'verdicts', { runId: 'r1', modelId: 'base', problemId: 'p1' }, 0, 4)).toBe(3);
  });

  it('rejects a sample of a model or problem the run does not have', () => {
    const db = storeWithRun();
    expect(() => recordSamples(db, [sampleRow('ghost', 'p1', 0)], 1)).toThrow(/FOREIGN KEY/);
  });

  it('counts verified samples per model and problem, in the order models were added', () => {
    const db = storeWithRun();
    const rows = [];
    for (const model of ['rl', 'base']) for (const problem of ['p1', 'p2']) for (let i = 0; i < 4; i++) rows.push(sampleRow(model, problem, i));
    recordSamples(db, rows, 1);
    recordVerdicts(db, rows.map((s) => ({ ...s, correct: s.modelId === 'base' ? s.sampleIndex === 0 : s.problemId === 'p1', extracted: null, reason: '', verifier: 'math' as const })), 1);
    expect(countVerdicts(db, 'r1')).toEqual([
      { model: 'base', role: 'base', problem: 'p1', n: 4, c: 1 },
      { model: 'base', role: 'base', problem: 'p2', n: 4, c: 1 },
      { model: 'rl', role: 'rl', problem: 'p1', n: 4, c: 4 },
      { model: 'rl', role: 'rl', problem: 'p2', n: 4, c: 0 },
    ]);
  });

  it('digests samples in (model, problem, sample) order whatever order they were stored in', () => {
    const a = storeWithRun();
    const b = storeWithRun();
    const rows = [sampleRow('base', 'p1', 0), sampleRow('base', 'p1', 1), sampleRow('rl', 'p2', 0)];
    recordSamples(a, rows, 1);
    for (const row of [...rows].reverse()) recordSamples(b, [row], 2);
    expect(samplesDigest(a, 'r1')).toEqual(samplesDigest(b, 'r1'));
    expect(samplesDigest(a, 'r1').samples).toBe(3);
    recordVerdicts(b, [{ ...rows[0], correct: true, extracted: '2', reason: '', verifier: 'math' }], 3);
    expect(samplesDigest(a, 'r1').digest).not.toBe(samplesDigest(b, 'r1').digest);
  });

  it('splits a shard when leasing part of it, so the shards always partition the samples', () => {
    const db = storeWithRun();
    expect(enqueueShards(db, [{ runId: 'r1', kind: 'sample', modelId: 'base', problemId: 'p1', start: 0, end: 64 }], 0)).toBe(1);
    expect(enqueueShards(db, [{ runId: 'r1', kind: 'sample', modelId: 'base', problemId: 'p1', start: 0, end: 64 }], 0)).toBe(0);
    const first = firstQueuedShard(db, 'r1', 'sample')!;
    expect(takeShard(db, first.id, 16, 1)).toMatchObject({ start: 0, end: 16, state: 'leased', attempts: 1 });
    expect(takeShard(db, first.id, 16, 1)).toBeUndefined();
    const rest = firstQueuedShard(db, 'r1', 'sample', 'base')!;
    expect(rest).toMatchObject({ start: 16, end: 64, attempts: 0 });
    expect(takeShard(db, rest.id, 1000, 2)).toMatchObject({ start: 16, end: 64 });
    expect(listShards(db, 'r1').map((s) => [s.start, s.end, s.state])).toEqual([[0, 16, 'leased'], [16, 64, 'leased']]);
    requeueShard(db, first.id, true);
    expect(listShards(db, 'r1')[0]).toMatchObject({ state: 'queued', attempts: 0 });
    expect(completeShard(db, rest.id, 3)).toBe(true);
    expect(completeShard(db, rest.id, 4)).toBe(false);
    expect(unfinishedShardsWithin(db, { runId: 'r1', kind: 'sample', modelId: 'base', scorerId: '', problemId: 'p1' }, 0, 64).map((s) => s.start)).toEqual([0]);
  });

  it('leases: extended only by their worker while active, expired by deadline, ended once', () => {
    const db = storeWithRun();
    recordWorkerSeen(db, worker('w1'), 0);
    recordWorkerSeen(db, worker('w2'), 0);
    enqueueShards(db, [{ runId: 'r1', kind: 'sample', modelId: 'base', problemId: 'p1', start: 0, end: 8 }], 0);
    const shard = takeShard(db, firstQueuedShard(db, 'r1', 'sample')!.id, 8, 0)!;
    const lease = createLease(db, shard, 'w1', 10_000, 1000);
    expect(getLease(db, lease)).toMatchObject({ workerId: 'w1', state: 'active', start: 0, end: 8, deadline: 11_000, shard: { id: shard.id, kind: 'sample' } });
    expect(extendLeases(db, 'w1', [{ leaseId: lease, done: 3 }], 10_500, 1000)).toEqual([]);
    expect(extendLeases(db, 'w2', [{ leaseId: lease, done: 3 }], 10_500, 1000)).toEqual([lease]);
    expect(expireLeases(db, 11_400)).toEqual([]);
    expect(expireLeases(db, 11_500).map((l) => l.id)).toEqual([lease]);
    expect(extendLeases(db, 'w1', [{ leaseId: lease, done: 4 }], 11_600, 1000)).toEqual([lease]);
    expect(endLease(db, lease, 'done', 12_000)).toBe(false);
    const second = createLease(db, shard, 'w2', 12_000, 1000);
    expect(activeLeases(db).map((l) => l.id)).toEqual([second]);
    expect(endLease(db, second, 'done', 12_100, { tokens: 10, seconds: 0.1 })).toBe(true);
    expect(activeLeases(db)).toEqual([]);
  });

  it('puts every lease back on a coordinator restart', () => {
    const db = storeWithRun();
    recordWorkerSeen(db, worker('w1'), 0);
    enqueueShards(db, [{ runId: 'r1', kind: 'verify', modelId: 'rl', problemId: 'p2', start: 0, end: 8 }], 0);
    const shard = takeShard(db, firstQueuedShard(db, 'r1', 'verify')!.id, 8, 0)!;
    createLease(db, shard, 'w1', 0, 60_000);
    expect(expireLeases(db, Number.POSITIVE_INFINITY)).toHaveLength(1);
  });
});
