import { describe, expect, it } from 'vitest';
import type { ModelCounts } from './align-models.ts';
import { solvableCoverage } from './solvable-coverage.ts';

const model = (name: string, c: number[], n = 4): ModelCounts => ({ model: name, role: 'other', n: c.map(() => n), c, minN: n });

describe('solvableCoverage', () => {
  const problems = ['p1', 'p2', 'p3', 'p4', 'p5'];
  const a = model('a', [4, 1, 0, 0, 2]);
  const b = model('b', [3, 0, 2, 0, 4]);

  it('splits problems into both, only A, only B and neither by "some sample correct"', () => {
    const coverage = solvableCoverage(problems, a, b, 1);
    expect(coverage).toMatchObject({ a: 'a', b: 'b', k: 1, both: ['p1', 'p5'], onlyA: ['p2'], onlyB: ['p3'], neither: ['p4'], samplesDiffer: false });
    expect(solvableCoverage(problems, a, model('b', [1, 1, 1, 1, 1], 8), 2).samplesDiffer).toBe(true);
  });

  it('keeps the same sets at every k and counts expected problems solved in k draws', () => {
    const atOne = solvableCoverage(problems, a, b, 1);
    const atFour = solvableCoverage(problems, a, b, 4);
    expect(atFour.both).toEqual(atOne.both);
    // k = 1: pass@1 = c/n. Both: p1 1·0.75 + p5 0.5·1; only A: p1 1·0.25 + p2 0.25·1.
    expect(atOne.expected.both).toBeCloseTo(1.25, 12);
    expect(atOne.expected.onlyA).toBeCloseTo(0.5, 12);
    // k = n: pass@k is 1 exactly when c > 0, so expected counts equal the set sizes.
    expect(atFour.expected).toEqual({ both: 2, onlyA: 1, onlyB: 1, neither: 1 });
    const total = Object.values(atOne.expected).reduce((x, y) => x + y, 0);
    expect(total).toBeCloseTo(problems.length, 12);
  });

  it('refuses k above the smaller model\'s n', () => {
    expect(() => solvableCoverage(problems, a, model('b', [1, 1, 1, 1, 1], 2), 4)).toThrow(/k=4 exceeds the smallest n \(2\)/);
  });
});
