import { describe, expect, it } from 'vitest';
import type { Crossover } from './crossover.ts';
import { crossoverVerdict, verdictText } from './verdict.ts';

const crossover = (over: Partial<Crossover>): Crossover => ({ base: 'base', rl: 'rl', kMax: 64, k: null, difference: null, ci: null, atKMax: null, verdict: { atKMax: null, atCrossover: null }, deltaSE: null, ...over });

describe('crossoverVerdict', () => {
  it('reads RL above base at the largest k, interval below 0, as a widened boundary', () => {
    const v = crossoverVerdict(crossover({ atKMax: { difference: -0.08, ci: [-0.12, -0.03] } }), 0.95);
    expect(v.atKMax).toMatchObject({ k: 64, side: 'rl', reading: 'RL widened the boundary' });
    expect(v.atCrossover).toBeNull();
  });

  it('reads base above RL as sharpening only, at the largest k and at the crossover', () => {
    const v = crossoverVerdict(crossover({ k: 8, difference: 0.05, ci: [0.01, 0.09], atKMax: { difference: 0.1, ci: [0.04, 0.15] } }), 0.95);
    expect(v.atKMax?.reading).toBe('RL only sharpened: base solves more at k = 64');
    expect(v.atCrossover?.reading).toBe('RL only sharpened: base solves more at k = 8');
  });

  it('says not significant, at its level, where the interval holds 0', () => {
    const v = crossoverVerdict(crossover({ kMax: 32, k: 32, difference: 0.018, ci: [-0.064, 0.099], atKMax: { difference: 0.018, ci: [-0.064, 0.099] } }), 0.9);
    expect(v.atKMax?.reading).toBe('not significant at 90 %');
    expect(v.atCrossover?.side).toBe('neither');
    expect(verdictText({ base: 'base', rl: 'rl', verdict: v }, 'atKMax')).toBe('base − rl at k = 32 (largest k): +0.018 [−0.064, +0.099]: not significant at 90 %');
  });

  it('has nothing to say where the curves share no k', () => {
    const v = crossoverVerdict(crossover({ kMax: 0 }), 0.95);
    expect(v.atKMax).toBeNull();
    expect(verdictText({ base: 'base', rl: 'rl', verdict: v }, 'atKMax')).toBeNull();
  });
});
