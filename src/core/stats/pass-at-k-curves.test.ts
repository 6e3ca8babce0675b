import { describe, expect, it } from 'vitest';
import { alignModels } from './align-models.ts';
import { percentileInterval } from './bootstrap.ts';
import { passAtK } from './pass-at-k.ts';
import { computePassAtKCurves } from './pass-at-k-curves.ts';
import { createRng } from './prng.ts';
import { referencePairedBootstrapMeans } from './reference-bootstrap.ts';
import type { ProblemCount } from './types.ts';

describe('computePassAtKCurves', () => {
  it('gives the per-problem computation: the same means bit for bit, the same paired replicates up to rounding', () => {
    const rng = createRng(31);
    const problems = 500;
    const rows: ProblemCount[] = [];
    for (let p = 0; p < problems; p++) {
      const rate = rng.nextFloat() ** 2;
      for (const [model, n] of [['base', 64], ['rl', 32 + 32 * rng.nextInt(2)], ['distilled', 16]] as const) {
        const c = Math.min(n, Math.round(n * rate * (0.5 + rng.nextFloat())));
        rows.push({ model, problem: `p${p}`, n, c });
      }
    }
    const aligned = alignModels(rows);
    if (!aligned.ok) throw new Error(aligned.error);
    const ks = [1, 4, 16, 32, 64];
    const options = { ks, resamples: 300, seed: 12 };
    const points = computePassAtKCurves(aligned.value, options).flatMap((curve) => curve.points.map((point) => ({ model: curve.model, ...point })));

    // The reference: one series per model and k ≤ its smallest n, problem by problem.
    const series = aligned.value.models.flatMap((model) =>
      ks.filter((k) => k <= model.minN).map((k) => ({ model: model.model, k, values: model.n.map((n, p) => passAtK(n, model.c[p], k)) })));
    const reference = referencePairedBootstrapMeans(series.map((s) => s.values), options);
    expect(points.map((p) => [p.model, p.k])).toEqual(series.map((s) => [s.model, s.k]));
    const bound = 2 * problems * 2 ** -53;
    points.forEach((point, s) => {
      expect(point.value).toBe(series[s].values.reduce((sum, v) => sum + v, 0) / problems);
      point.replicates.forEach((value, b) => expect(Math.abs(value - reference[s][b])).toBeLessThanOrEqual(bound));
      const [lo, hi] = percentileInterval(reference[s]);
      expect(Math.abs(point.ci[0] - lo)).toBeLessThanOrEqual(bound);
      expect(Math.abs(point.ci[1] - hi)).toBeLessThanOrEqual(bound);
    });
  });
});
