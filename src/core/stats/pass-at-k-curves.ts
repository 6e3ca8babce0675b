import type { AlignedCounts } from './align-models.ts';
import { pairedBootstrapMeans, percentileInterval } from './bootstrap.ts';
import { passAtK } from './pass-at-k.ts';
import type { Role } from './types.ts';

export interface PassAtKPoint {
  k: number;
  /** Mean over problems of the per-problem unbiased pass@k. */
  value: number;
  ci: [number, number];
  /** Bootstrap replicate means, paired with every other point of every curve of the same call. */
  replicates: Float64Array;
}

export interface PassAtKCurve {
  model: string;
  role: Role;
  problems: number;
  minN: number;
  /** One point per requested k with k ≤ minN, in the order of the requested ks. */
  points: PassAtKPoint[];
}

export interface CurveOptions {
  ks: readonly number[];
  resamples: number;
  seed: number;
  /** Confidence level of the percentile intervals; 0.95 unless given. */
  level?: number;
}

/**
 * pass@k curves of every model with paired bootstrap intervals.
 *
 * A model whose problems have different n gets, at each k, the mean over all its problems
 * of the per-problem estimate, and only for k up to its smallest n: above that some
 * problem has fewer than k samples and its pass@k is undefined, and dropping such
 * problems would silently average over a different problem set at different k.
 */
export function computePassAtKCurves(aligned: AlignedCounts, options: CurveOptions): PassAtKCurve[] {
  const { ks, resamples, seed, level = 0.95 } = options;
  const problemCount = aligned.problems.length;
  const series: Float64Array[] = [];
  const owners: { curve: number; k: number }[] = [];
  aligned.models.forEach((model, m) => {
    for (const k of ks) {
      if (k > model.minN) continue;
      const values = new Float64Array(problemCount);
      for (let p = 0; p < problemCount; p++) values[p] = passAtK(model.n[p], model.c[p], k);
      series.push(values);
      owners.push({ curve: m, k });
    }
  });
  const replicates = pairedBootstrapMeans(series, { resamples, seed });
  const curves: PassAtKCurve[] = aligned.models.map((model) => ({
    model: model.model,
    role: model.role,
    problems: problemCount,
    minN: model.minN,
    points: [],
  }));
  owners.forEach(({ curve, k }, s) => {
    curves[curve].points.push({
      k,
      value: mean(series[s]),
      ci: percentileInterval(replicates[s], level),
      replicates: replicates[s],
    });
  });
  return curves;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? Number.NaN : sum / values.length;
}
