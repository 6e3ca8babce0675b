import { describe, expect, it } from 'vitest';
import { estimateSeconds, followUpShards, planSampleShards, sampleLeaseSize, PROBE_SAMPLES, spreadSubset, TARGET_LEASE_SECONDS, updateRate } from './plan-shards.ts';

describe('planner', () => {
  it('starts with one sample shard per model and problem over [0, n)', () => {
    const plan = planSampleShards(['base', 'rl'], ['p1', 'p2', 'p3'], 64);
    expect(plan).toHaveLength(6);
    expect(plan.every((s) => s.kind === 'sample' && s.start === 0 && s.end === 64)).toBe(true);
    expect(plan.map((s) => `${s.modelId}/${s.problemId}`)).toEqual(['base/p1', 'base/p2', 'base/p3', 'rl/p1', 'rl/p2', 'rl/p3']);
  });

  it('follows a finished sample shard with its verification and the scorings the spec asks for', () => {
    const done = { kind: 'sample' as const, modelId: 'rl', scorerId: '', problemId: 'p1', start: 16, end: 64 };
    const next = followUpShards(done, [{ answers: 'rl', under: 'base' }, { answers: 'base', under: 'rl' }, { answers: 'rl', under: 'rl' }]);
    expect(next).toEqual([
      { kind: 'verify', modelId: 'rl', scorerId: '', problemId: 'p1', start: 16, end: 64 },
      { kind: 'score', modelId: 'rl', scorerId: 'base', problemId: 'p1', start: 16, end: 64 },
      { kind: 'score', modelId: 'rl', scorerId: 'rl', problemId: 'p1', start: 16, end: 64 },
    ]);
  });

  it('sizes a lease to about a minute of the worker, probes an unknown one, and honours a fixed size', () => {
    expect(sampleLeaseSize(1024, undefined, null)).toBe(PROBE_SAMPLES);
    expect(sampleLeaseSize(1024, undefined, 2)).toBe(2 * TARGET_LEASE_SECONDS);
    expect(sampleLeaseSize(64, undefined, 500)).toBe(64);
    expect(sampleLeaseSize(1024, undefined, 0.001)).toBe(1);
    expect(sampleLeaseSize(1024, 100, 500)).toBe(100);
  });

  it('smooths speed, and estimates time left only when a speed is known', () => {
    expect(updateRate(null, 10, 2)).toBe(5);
    expect(updateRate(5, 30, 2)).toBe(10);
    expect(updateRate(5, 10, 0)).toBe(5);
    expect(estimateSeconds(100, 0)).toBeNull();
    expect(estimateSeconds(100, 4)).toBe(25);
    expect(estimateSeconds(0, 0)).toBe(0);
  });

  it('spreads a subset evenly, in order', () => {
    expect(spreadSubset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5)).toEqual([0, 2, 4, 6, 8]);
    expect(spreadSubset([1, 2], 5)).toEqual([1, 2]);
    expect(spreadSubset([1, 2], 0)).toEqual([1, 2]);
  });
});
