import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare-runs.ts';
import { summarizeDiversity } from './diversity.ts';
import { curvesByGroup } from './group-curves.ts';
import { summarizePerplexity, type ScoredSample } from './perplexity.ts';
import { validOnlyReport } from './valid-only.ts';
import type { ProblemCount } from '../stats/types.ts';

const counts = (model: string, role: 'base' | 'rl', cs: number[], n = 8): ProblemCount[] => cs.map((c, i) => ({ model, role, problem: `p${i}`, n, c }));

describe('analysis', () => {
  it('computes curves per level, in numeric order, and counts problems with no level', () => {
    const rows = [...counts('base', 'base', [0, 8, 4, 2, 1]), ...counts('rl', 'rl', [8, 8, 0, 0, 1])];
    const groupOf = new Map([['p0', '10'], ['p1', '2'], ['p2', '2'], ['p3', '10']]);
    const result = curvesByGroup(rows, groupOf, { resamples: 200 });
    if (!result.ok) throw new Error(result.error);
    expect(result.value.ungrouped).toBe(1);
    expect(result.value.groups.map((g) => [g.group, g.problems])).toEqual([['2', 2], ['10', 2]]);
    const level2 = result.value.groups[0].models.find((m) => m.model === 'base')!;
    expect(level2.passAtK['1']).toBeCloseTo((1 + 0.5) / 2, 10);
  });

  it('summarizes perplexity by (scorer, model): the exact median, an interval around it, a histogram of every sample', () => {
    const rows: ScoredSample[] = [];
    for (let p = 0; p < 40; p++) {
      for (let s = 0; s < 10; s++) {
        rows.push({ scorer: 'base', model: 'base', problem: `p${p}`, tokens: 10, logprob: -10 * Math.log(2 + ((p * 10 + s) % 7) / 10) });
        rows.push({ scorer: 'base', model: 'rl', problem: `p${p}`, tokens: 10, logprob: -10 * Math.log(1.2) });
      }
    }
    rows.push({ scorer: 'base', model: 'rl', problem: 'p0', tokens: 0, logprob: 0 }); // an empty answer has no perplexity
    const [base, rl] = summarizePerplexity(rows, { resamples: 200 });
    expect(base).toMatchObject({ scorer: 'base', model: 'base', samples: 400, problems: 40 });
    expect(base.median).toBeCloseTo(2.3, 6);
    expect(base.medianCi[0]).toBeLessThanOrEqual(base.median + 0.02);
    expect(base.medianCi[1]).toBeGreaterThanOrEqual(base.median - 0.02);
    expect(base.histogram.reduce((s, b) => s + b.count, 0)).toBe(400);
    expect(rl).toMatchObject({ samples: 400, median: expect.closeTo(1.2, 9) });
  });

  it('counts distinct answers and chains per problem, paired over the problems every model has', () => {
    const rows = [
      { model: 'base', problem: 'a', samples: 8, answers: 6, chains: 8 },
      { model: 'base', problem: 'b', samples: 8, answers: 4, chains: 7 },
      { model: 'rl', problem: 'a', samples: 8, answers: 2, chains: 3 },
      { model: 'rl', problem: 'b', samples: 8, answers: 2, chains: 5 },
      { model: 'rl', problem: 'c', samples: 8, answers: 1, chains: 1 },
    ];
    const [base, rl] = summarizeDiversity(rows, { resamples: 100 });
    expect(base).toMatchObject({ model: 'base', problems: 2, answers: { mean: 5 }, chains: { mean: 7.5 }, samples: 8 });
    expect(rl).toMatchObject({ model: 'rl', problems: 2, answers: { mean: 2, ci: [2, 2] }, chains: { mean: 4 } });
  });

  it('reports pass@k of valid chains beside the plain one, only where labels exist', () => {
    const rows = [
      { model: 'base', role: 'base' as const, problem: 'a', n: 4, c: 2, validCorrect: 1, labelled: 2, correctUnlabelled: 0 },
      { model: 'base', role: 'base' as const, problem: 'b', n: 4, c: 4, validCorrect: 0, labelled: 0, correctUnlabelled: 4 },
    ];
    const result = validOnlyReport(rows, { resamples: 100 });
    if (!result.ok || !result.value) throw new Error('expected a report');
    expect(result.value).toMatchObject({ problems: 1, labelled: 2, correctUnlabelled: 0 });
    expect(result.value.plain.models[0].passAtK['1']).toBeCloseTo(0.5, 12);
    expect(result.value.validOnly.models[0].passAtK['1']).toBeCloseTo(0.25, 12);
    expect(validOnlyReport(rows.map((r) => ({ ...r, labelled: 0 })))).toEqual({ ok: true, value: null });
  });

  it('compares two runs over their shared problems: a run against itself differs by exactly 0', () => {
    const a = [...counts('base', 'base', [1, 2, 3, 4]), ...counts('rl', 'rl', [4, 4, 0, 8])];
    const same = compareRuns({ name: 'A', counts: a }, { name: 'B', counts: a }, { resamples: 200 });
    if (!same.ok) throw new Error(same.error);
    expect(same.value.pairs.map((p) => [p.modelA, p.modelB, p.matchedBy])).toEqual([['base', 'base', 'id'], ['rl', 'rl', 'id']]);
    for (const pair of same.value.pairs) for (const point of pair.points) expect([point.difference, ...point.ci]).toEqual([0, 0, 0]);
    const later = [...counts('rl-step800', 'rl', [8, 8, 8, 8, 8])];
    const byRole = compareRuns({ name: 'A', counts: a }, { name: 'C', counts: later }, { resamples: 200 });
    if (!byRole.ok) throw new Error(byRole.error);
    expect(byRole.value).toMatchObject({ sharedProblems: 4, onlyA: 0, onlyB: 1, pairs: [{ matchedBy: 'role', modelA: 'rl', modelB: 'rl-step800' }] });
    const k1 = byRole.value.pairs[0].points[0];
    expect(k1.difference).toBeCloseTo(1 - (0.5 + 0.5 + 0 + 1) / 4, 12);
    expect(compareRuns({ name: 'A', counts: a }, { name: 'X', counts: [{ model: 'm', problem: 'zz', n: 1, c: 1 }] })).toMatchObject({ ok: false, error: expect.stringContaining('share no problem') });
  });
});

describe('report axes', async () => {
  const { niceAxis } = await import('../report/svg-charts.ts');
  it('steps by 1, 2 or 5 × 10^e into at most five intervals', () => {
    expect(niceAxis(0.233)).toEqual({ top: 0.25, step: 0.05 });
    expect(niceAxis(0.54)).toEqual({ top: 0.6, step: 0.2 });
    expect(niceAxis(17.3)).toEqual({ top: 20, step: 5 });
    expect(niceAxis(1)).toEqual({ top: 1, step: 0.2 });
  });
});
