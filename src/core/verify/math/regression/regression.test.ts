import { describe, expect, it } from 'vitest';
import { judgeMath } from '../judge-math.ts';
import { allRegressionCases } from './all-cases.ts';

describe('math regression suite (hand-written cases, each with its reason)', () => {
  it('holds a few hundred cases, each with a reason', () => {
    expect(allRegressionCases.length).toBeGreaterThanOrEqual(300);
    expect(allRegressionCases.every((c) => c.why.trim().length > 10)).toBe(true);
  });

  it.each(allRegressionCases.map((c, i) => [i, c.why, c] as const))('#%i %s', (_i, _why, c) => {
    const verdict = judgeMath(c.gold, c.response, c.options, c.problem);
    const shown = { gold: c.gold, response: c.response, extracted: verdict.extracted, reason: verdict.reason };
    expect({ correct: verdict.correct, ...shown }).toEqual({ correct: c.correct, ...shown });
    if (c.fallback !== undefined) expect(verdict.fallback === true).toBe(c.fallback);
  });
});
