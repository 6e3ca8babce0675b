import { describe, expect, it } from 'vitest';
import { passAtK } from './pass-at-k.ts';
import { computeStatsReport } from './stats-report.ts';
import type { ProblemCount, Role } from './types.ts';

function counts(models: { model: string; role?: Role; c: number[]; n: number | number[] }[]): ProblemCount[] {
  return models.flatMap(({ model, role, c, n }) =>
    c.map((ci, p) => ({ model, ...(role ? { role } : {}), problem: `p${p}`, n: Array.isArray(n) ? n[p] : n, c: ci })));
}

const base = { model: 'base', role: 'base' as const, n: 16, c: [0, 1, 2, 5, 0, 9, 3, 1, 0, 16, 4, 2] };
const rl = { model: 'rl', role: 'rl' as const, n: 16, c: [0, 0, 12, 15, 0, 16, 0, 0, 0, 16, 14, 0] };

describe('computeStatsReport', () => {
  it('reports mean per-problem pass@k on the default grid with intervals around it', () => {
    const result = computeStatsReport(counts([base, rl]), { resamples: 300, seed: 5 });
    if (!result.ok) throw new Error(result.error);
    const report = result.value;
    expect(report.ks).toEqual([1, 2, 4, 8, 16]);
    expect(report.models.map((m) => [m.model, m.role, m.problems, m.minN])).toEqual([['base', 'base', 12, 16], ['rl', 'rl', 12, 16]]);
    for (const k of report.ks) {
      const expected = base.c.reduce((sum, c) => sum + passAtK(16, c, k), 0) / base.c.length;
      expect(report.models[0].passAtK[String(k)]).toBeCloseTo(expected, 14);
      const [lo, hi] = report.models[0].ci[String(k)];
      expect(lo).toBeLessThanOrEqual(expected);
      expect(hi).toBeGreaterThanOrEqual(expected);
    }
    expect(report.crossover.note).toBeNull();
    expect(report.crossover.pairs).toHaveLength(1);
    expect(report.crossover.pairs[0]).toMatchObject({ base: 'base', rl: 'rl', kMax: 16 });
    expect(report.coverage).toHaveLength(1);
    expect(report.coverage[0]).toMatchObject({ k: 16, onlyA: ['p1', 'p6', 'p7', 'p11'], onlyB: [] });
    expect(report.histogram[0].bins.find((bin) => bin.label === '0')?.count).toBe(3);
  });

  it('repeats its intervals for a seed', () => {
    const a = computeStatsReport(counts([base, rl]), { resamples: 200, seed: 11 });
    const b = computeStatsReport(counts([base, rl]), { resamples: 200, seed: 11 });
    expect(a).toEqual(b);
  });

  it('reports a model only up to its smallest n and grids up to the largest such n', () => {
    const short = { model: 'short', n: [4, 8, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4], c: base.c.map((c) => Math.min(c, 4)) };
    const result = computeStatsReport(counts([base, short]), { resamples: 100 });
    if (!result.ok) throw new Error(result.error);
    expect(result.value.ks).toEqual([1, 2, 4, 8, 16]);
    expect(Object.keys(result.value.models[1].passAtK)).toEqual(['1', '2', '4']);
    expect(result.value.coverage[0].k).toBe(4);
  });

  it('says why there is no crossover when no base and RL pair exists', () => {
    const result = computeStatsReport(counts([{ ...base, role: 'distilled' }, { ...rl, role: undefined }]), { resamples: 50 });
    expect(result.ok && result.value.crossover).toEqual({
      pairs: [],
      note: 'no crossover: it needs a model with role "base" and one with role "rl" (roles here: base=distilled, rl=other)',
    });
  });

  it('refuses a k above every model\'s n and a model missing a problem', () => {
    expect(computeStatsReport(counts([base]), { ks: [1, 32] })).toEqual({ ok: false, error: expect.stringContaining('k=32 exceeds') });
    const missing = counts([base, rl]).filter((row) => !(row.model === 'rl' && row.problem === 'p3'));
    expect(computeStatsReport(missing)).toEqual({ ok: false, error: expect.stringContaining('model "rl" has no result for problem "p3"') });
  });
});
