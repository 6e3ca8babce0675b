import { describe, expect, it } from 'vitest';
import { judgeMath } from '../judge-math.ts';
import { largeKGroups } from './cases-large-k.ts';

describe('large-k regression set (issue 25: run-ons, revisions, approximations, forms, truncation, prose)', () => {
  it('has cases in every group, each with a reason', () => {
    for (const group of largeKGroups) expect(group.cases.length, group.name).toBeGreaterThanOrEqual(7);
    expect(largeKGroups.flatMap((g) => g.cases).every((c) => c.why.trim().length > 10)).toBe(true);
  });

  for (const group of largeKGroups) {
    describe(group.name, () => {
      it.each(group.cases.map((c, i) => [i, c.why, c] as const))('#%i %s', (_i, _why, c) => {
        const verdict = judgeMath(c.gold, c.response, c.options, c.problem);
        const shown = { gold: c.gold, response: c.response, extracted: verdict.extracted, reason: verdict.reason };
        expect({ correct: verdict.correct, ...shown }).toEqual({ correct: c.correct, ...shown });
      });
    });
  }
});
