import type { BootstrapOptions } from './bootstrap.ts';
import { createRng } from './prng.ts';

/**
 * The textbook paired bootstrap, one pass over the resampled problems per series and
 * replicate (work B × P × S). Not used by the product: it is the specification that
 * `pairedBootstrapMeans` is tested against (same draws, same multisets), and the "before"
 * of bench/stats-scale.ts.
 */
export function referencePairedBootstrapMeans(series: readonly ArrayLike<number>[], options: BootstrapOptions): Float64Array[] {
  const { resamples, seed } = options;
  const problems = series[0]?.length ?? 0;
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
