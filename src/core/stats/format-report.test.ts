import { describe, expect, it } from 'vitest';
import { formatStatsReport } from './format-report.ts';
import { computeStatsReport } from './stats-report.ts';
import type { ProblemCount } from './types.ts';

const rows = (model: string, role: 'base' | 'rl', n: number, c: number[]): ProblemCount[] =>
  c.map((ci, p) => ({ model, role, problem: `q${p}`, n, c: ci }));

function report(counts: ProblemCount[], ks?: number[]): string {
  const result = computeStatsReport(counts, { ks, resamples: 100, seed: 2 });
  if (!result.ok) throw new Error(result.error);
  return formatStatsReport(result.value);
}

describe('formatStatsReport', () => {
  it('marks cells above a model\'s n and states the crossover and ΔSE', () => {
    const text = report([...rows('base', 'base', 8, [0, 2, 4, 1]), ...rows('rl', 'rl', 4, [0, 4, 4, 0])]);
    expect(text).toMatch(/^\s+k\s+base \(base\)\s+rl \(rl\)$/m);
    expect(text).toMatch(/^\s*8\s+\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]\s+— \(k > n=4\)$/m);
    expect(text).toMatch(/^ {2}base reaches rl at k=4: base − rl = [+−]\d\.\d{3} \[[+−]\d\.\d{3}, [+−]\d\.\d{3}\]$/m);
    expect(text).toContain('ΔSE = base pass@8 − rl pass@1 = +0.250');
    expect(text).toContain('only base: q3');
    expect(text).toContain('the two models drew different numbers of samples');
  });

  it('says when base and RL share no k', () => {
    const text = report([...rows('base', 'base', 8, [1, 2]), ...rows('rl', 'rl', 2, [1, 0])], [4, 8]);
    expect(text).toContain('base and rl share no k of the grid');
  });
});
