import type { AlignedCounts, ModelCounts } from './align-models.ts';
import { pairedBootstrapGroupMeans, percentileInterval, type ClassedSeries } from './bootstrap.ts';
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
  /** Bootstrap progress: replicates done of `resamples`. */
  onProgress?: (done: number, total: number) => void;
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
  const { ks, resamples, seed, level = 0.95, onProgress } = options;
  const problemCount = aligned.problems.length;
  // One group per model: pass@k of a problem depends only on its (n, c), so passAtK runs
  // once per distinct pair and k, and the bootstrap tallies draws per pair (bootstrap.ts).
  const groups: ClassedSeries[] = [];
  const owners: { curve: number; k: number }[][] = [];
  aligned.models.forEach((model, m) => {
    const { classOf, pairs } = classifyCounts(model);
    const tables: Float64Array[] = [];
    const mine: { curve: number; k: number }[] = [];
    for (const k of ks) {
      if (k > model.minN) continue;
      tables.push(Float64Array.from(pairs, ({ n, c }) => passAtK(n, c, k)));
      mine.push({ curve: m, k });
    }
    // A model with no k ≤ its smallest n has no series: its draws need no tally.
    if (tables.length === 0) return;
    groups.push({ classOf, classes: pairs.length, tables });
    owners.push(mine);
  });
  const replicates = pairedBootstrapGroupMeans(groups, { resamples, seed, onProgress });
  const curves: PassAtKCurve[] = aligned.models.map((model) => ({
    model: model.model,
    role: model.role,
    problems: problemCount,
    minN: model.minN,
    points: [],
  }));
  owners.forEach((mine, g) => {
    mine.forEach(({ curve, k }, t) => {
      curves[curve].points.push({
        k,
        value: meanOverProblems(groups[g].classOf, groups[g].tables[t]),
        ci: percentileInterval(replicates[g][t], level),
        replicates: replicates[g][t],
      });
    });
  });
  return curves;
}

/** Each problem's index into the model's distinct (n, c) pairs, in order of first appearance. */
function classifyCounts(model: ModelCounts): { classOf: Int32Array; pairs: { n: number; c: number }[] } {
  const classOf = new Int32Array(model.n.length);
  const pairs: { n: number; c: number }[] = [];
  const index = new Map<number, Map<number, number>>();
  for (let p = 0; p < model.n.length; p++) {
    const n = model.n[p];
    const c = model.c[p];
    let byC = index.get(n);
    if (byC === undefined) index.set(n, (byC = new Map()));
    let at = byC.get(c);
    if (at === undefined) {
      at = pairs.length;
      byC.set(c, at);
      pairs.push({ n, c });
    }
    classOf[p] = at;
  }
  return { classOf, pairs };
}

/** The mean over problems, summed problem by problem in order, as the per-problem estimate's mean always was. */
function meanOverProblems(classOf: Int32Array, table: Float64Array): number {
  let sum = 0;
  for (let p = 0; p < classOf.length; p++) sum += table[classOf[p]];
  return classOf.length === 0 ? Number.NaN : sum / classOf.length;
}
