import { createRng } from './prng.ts';

export interface BootstrapOptions {
  /** Number of bootstrap replicates B. */
  resamples: number;
  seed: number;
}

/**
 * Bootstrap over problems, paired: replicate b draws one multiset of problem indices and
 * every series (a model at a k) takes its mean over that same multiset. Because all
 * series share the draws, replicate-wise differences between two series (model A − model
 * B, or base@k_max − RL@1) are draws from the bootstrap distribution of the difference.
 *
 * `series[s][p]` is the value of series s on problem p; all series have the same length.
 * Returns for each series its B replicate means.
 */
export function pairedBootstrapMeans(series: readonly ArrayLike<number>[], options: BootstrapOptions): Float64Array[] {
  const { resamples, seed } = options;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  const problems = series[0]?.length ?? 0;
  for (const values of series) {
    if (values.length !== problems) throw new RangeError('bootstrap: every series needs one value per problem, in the same problem order');
  }
  const replicates = series.map(() => new Float64Array(resamples));
  if (problems === 0) return replicates.map((r) => r.fill(Number.NaN));
  const rng = createRng(seed);
  const picks = new Int32Array(problems);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < problems; i++) picks[i] = rng.nextInt(problems);
    for (let s = 0; s < series.length; s++) {
      const values = series[s];
      let sum = 0;
      for (let i = 0; i < problems; i++) sum += values[picks[i]];
      replicates[s][b] = sum / problems;
    }
  }
  return replicates;
}

/** The replicate-wise difference a − b of two paired series. */
export function differenceReplicates(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) throw new RangeError('bootstrap: paired replicates must have the same length');
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}

/** Percentile interval at `level` (0.95 → 2.5th and 97.5th percentiles, linear interpolation between order statistics). */
export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must lie in (0, 1), got ${level}`);
  const sorted = Float64Array.from(replicates).sort();
  const alpha = (1 - level) / 2;
  return [quantile(sorted, alpha), quantile(sorted, 1 - alpha)];
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}
