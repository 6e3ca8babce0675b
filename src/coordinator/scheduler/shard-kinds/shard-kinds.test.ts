import { describe, expect, it } from 'vitest';
import { SHARD_KINDS, workerRequests, type Capabilities } from '../../../core/protocol/worker-protocol.ts';
import { runModel, sampleRow, storeWithRun } from '../../../../test/support/store-fixtures.ts';
import { getRun } from '../../store/runs.ts';
import { recordSamples, recordVerdicts } from '../../store/samples.ts';
import { recordScores } from '../../store/scores.ts';
import { SHARD_KIND_ORDER, SHARD_KINDS_BY_NAME, shardKind } from './index.ts';

const caps = (over: Partial<Capabilities> = {}): Capabilities => ({
  eps: ['cpu'], gpu: null, cores: 1, memoryMb: 1, verify: ['math'], sandboxProblem: null, models: [], slots: 1, server: null, ...over,
});

describe('the shard kind table', () => {
  it('has one module per protocol kind, keyed by its own name, in the pick order once, each answering its own results request', () => {
    expect(Object.keys(SHARD_KINDS_BY_NAME).sort()).toEqual([...SHARD_KINDS].sort());
    for (const [name, kind] of Object.entries(SHARD_KINDS_BY_NAME)) expect(kind.kind).toBe(name);
    expect(SHARD_KIND_ORDER.map((k) => k.kind).sort()).toEqual([...SHARD_KINDS].sort());
    const results = SHARD_KINDS.map((k) => shardKind(k).results);
    expect(new Set(results).size).toBe(SHARD_KINDS.length);
    expect(results.every((r) => r in workerRequests)).toBe(true);
  });

  it('says which model a shard runs on: the sampled one, the scorer, or none for verification', () => {
    const shard = { modelId: 'rl', scorerId: 'base' };
    expect([shardKind('sample').engineOf(shard), shardKind('score').engineOf(shard), shardKind('verify').engineOf(shard)]).toEqual(['rl', 'base', null]);
    expect(SHARD_KINDS.map((k) => [k, shardKind(k).slot])).toEqual([['sample', 'model'], ['verify', 'light'], ['score', 'model']]);
  });

  it('lets only a server worker whose server scores take score shards of a served model; verification needs the run verifier', () => {
    const db = storeWithRun();
    const run = getRun(db, 'r1')!;
    const served = { ...runModel('s', 'rl', 'c'.repeat(64)), served: { model: 'm', endpoint: 'completions' as const } };
    const server = { baseUrl: 'http://127.0.0.1:1', model: 'm', entry: {}, scoring: false, scoringProblem: 'no echo', concurrency: 1 };
    expect(shardKind('sample').workerCan(caps({ server }), run, served)).toBe(true);
    expect(shardKind('score').workerCan(caps({ server }), run, served)).toBe(false);
    expect(shardKind('score').workerCan(caps({ server: { ...server, scoring: true, scoringProblem: null } }), run, served)).toBe(true);
    expect(shardKind('sample').workerCan(caps(), run, served)).toBe(false);
    expect(shardKind('verify').workerCan(caps(), run, null)).toBe(true);
    expect(shardKind('verify').workerCan(caps({ verify: [] }), run, null)).toBe(false);
  });

  it('follows a sample shard with its verification and scorings; the others with nothing', () => {
    const spec = { scoring: [{ answers: 'rl', under: 'base' }] };
    const done = { id: 1, runId: 'r1', kind: 'sample' as const, modelId: 'rl', scorerId: '', problemId: 'p1', start: 0, end: 4, state: 'done' as const, attempts: 1, error: null };
    expect(shardKind('sample').followUps(done, spec).map((s) => `${s.kind}:${s.scorerId}`)).toEqual(['verify:', 'score:base']);
    expect(shardKind('verify').followUps({ ...done, kind: 'verify' }, spec)).toEqual([]);
    expect(shardKind('score').followUps({ ...done, kind: 'score', scorerId: 'base' }, spec)).toEqual([]);
  });

  it('counts the missing results of each kind in its own table', () => {
    const db = storeWithRun();
    const key = { runId: 'r1', modelId: 'rl', scorerId: 'base', problemId: 'p1' };
    recordSamples(db, [0, 1, 2].map((i) => sampleRow('rl', 'p1', i)), 0);
    recordVerdicts(db, [{ runId: 'r1', modelId: 'rl', problemId: 'p1', sampleIndex: 0, correct: true, extracted: '2', reason: '', verifier: 'math' }], 0);
    recordScores(db, [0, 1].map((i) => ({ ...key, sampleIndex: i, tokens: 1, logprob: -1, workerId: null })), 0);
    expect(SHARD_KINDS.map((k) => [k, shardKind(k).countMissing(db, { ...key, kind: k }, 0, 4)])).toEqual([['sample', 1], ['verify', 3], ['score', 2]]);
  });
});
