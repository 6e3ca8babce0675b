/**
 * Two-sided p-value of "the difference is 0" read from its bootstrap replicates: twice the
 * smaller share of replicates on either side of 0, each count plus one (so it is never 0 with
 * finitely many replicates). It agrees with the percentile interval: a 95% interval that
 * excludes 0 has p below about 0.05.
 */
export function bootstrapPValue(replicates: ArrayLike<number>): number {
  let below = 0;
  let above = 0;
  for (let i = 0; i < replicates.length; i++) {
    if (replicates[i] <= 0) below++;
    if (replicates[i] >= 0) above++;
  }
  return Math.min(1, (2 * (Math.min(below, above) + 1)) / (replicates.length + 1));
}

/**
 * Holm's step-down correction: which of `ps` are rejected with the family-wise error rate
 * (the chance of any false claim among them) at most `alpha`, whatever the dependence between
 * the tests — pass@k at neighbouring k are strongly dependent, which is why Holm rather than
 * Benjamini–Hochberg (that controls the false discovery rate, and needs positive dependence).
 * Sorted ascending, the i-th smallest (from 0) is rejected while p ≤ alpha / (m − i).
 */
export function holmRejections(ps: readonly number[], alpha = 0.05): boolean[] {
  // A p that is not a number is never rejected (and must not upset the sort).
  const order = ps.map((p, i) => ({ p: Number.isNaN(p) ? 1 : p, i })).sort((x, y) => x.p - y.p);
  const rejected = ps.map(() => false);
  for (let rank = 0; rank < order.length; rank++) {
    if (!(order[rank].p <= alpha / (order.length - rank))) break;
    rejected[order[rank].i] = true;
  }
  return rejected;
}
