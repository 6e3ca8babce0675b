import { describe, expect, it } from 'vitest';
import { fitSuccessPrior, forecastProblemPassAtK, logBeta, logExpectedMisses, logGamma, nelderMead, type CountClass, type SuccessPrior } from './beta-binomial-fit.ts';
import { createRng } from './prng.ts';

const prior = (a: number, b: number, zero = 0): SuccessPrior => ({
  family: zero > 0 ? 'zero-inflated-beta' : 'beta', zero, components: [{ weight: 1 - zero, a, b }], logLikelihood: 0, parameters: 2, bic: 0,
});
/** E[(1 − p)^k] for p ~ Beta(a, b) as the product Π_{i<k} (b + i)/(a + b + i), exact for integer k. */
const missProduct = (a: number, b: number, k: number): number => {
  let product = 1;
  for (let i = 0; i < k; i++) product *= (b + i) / (a + b + i);
  return product;
};

/** Problems drawn from the prior, then c of n from each: the classes a fit reads. */
function simulate(seed: number, problems: number, n: number, draw: (u: () => number) => number): CountClass[] {
  const rng = createRng(seed);
  const byC = new Map<number, number>();
  for (let p = 0; p < problems; p++) {
    const q = draw(() => rng.nextFloat());
    let c = 0;
    for (let s = 0; s < n; s++) if (rng.nextFloat() < q) c++;
    byC.set(c, (byC.get(c) ?? 0) + 1);
  }
  return [...byC].map(([c, weight]) => ({ n, c, weight }));
}
/** Beta(a, b) for integer a, b: the a-th smallest of a + b − 1 uniforms. */
const betaInteger = (a: number, b: number) => (u: () => number) => Array.from({ length: a + b - 1 }, u).sort((x, y) => x - y)[a - 1];

describe('logGamma and logBeta', () => {
  it('match known values to about 1e-13', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(2)).toBeCloseTo(0, 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    let factorial = 0;
    for (let i = 2; i < 100; i++) factorial += Math.log(i);
    expect(logGamma(100)).toBeCloseTo(factorial, 10);
    // Γ(x) ≈ 1/x − γ near 0.
    expect(logGamma(1e-8)).toBeCloseTo(-Math.log(1e-8) - 0.5772156649 * 1e-8, 12);
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
  });

  it('refuse x ≤ 0', () => {
    expect(() => logGamma(0)).toThrow(/positive/);
    expect(() => logGamma(Number.NaN)).toThrow(/positive/);
  });
});

describe('logExpectedMisses', () => {
  it('is the prior\'s B(a, b + k)/B(a, b) with no counts, and the posterior Beta(a + c, b + n − c)\'s with counts', () => {
    for (const [a, b] of [[0.3, 0.7], [2, 3], [0.05, 40]]) {
      for (const k of [1, 7, 256]) {
        expect(Math.exp(logExpectedMisses(prior(a, b), 0, 0, k))).toBeCloseTo(missProduct(a, b, k), 12);
        expect(Math.exp(logExpectedMisses(prior(a, b), 32, 5, k))).toBeCloseTo(missProduct(a + 5, b + 27, k), 12);
        expect(Math.exp(logExpectedMisses(prior(a, b), 32, 0, k))).toBeCloseTo(missProduct(a, b + 32, k), 12);
      }
    }
  });

  it('weighs the mass at 0 by its posterior for a never-solved problem, and ignores it once a sample succeeded', () => {
    const [a, b, zero, n, k] = [0.4, 0.8, 0.2, 16, 64];
    const betaZero = missProduct(a, b, n); // P(0 of n | Beta part)
    const w = zero / (zero + (1 - zero) * betaZero);
    expect(Math.exp(logExpectedMisses(prior(a, b, zero), n, 0, k))).toBeCloseTo(w + (1 - w) * missProduct(a, b + n, k), 12);
    expect(Math.exp(logExpectedMisses(prior(a, b, zero), n, 3, k))).toBeCloseTo(missProduct(a + 3, b + n - 3, k), 12);
    // Forever unsolved: the forecast tends to 1 − the mass's posterior, not to 1 (a = 3: the
    // Beta part's misses fall like k^−3, gone by k = 2^30).
    const steep = prior(3, b, zero);
    const wSteep = zero / (zero + (1 - zero) * missProduct(3, b, n));
    expect(forecastProblemPassAtK(steep, n, 0, 2 ** 30)).toBeCloseTo(1 - wSteep, 12);
  });

  it('stays in [0, 1] at the optimizer\'s bounds (a, b of e^±12), where ln Γ is about 2e6 and differences keep only about 1e-10 absolute', () => {
    expect(forecastProblemPassAtK(prior(5, 0.01), 256, 256, 1024)).toBe(1);
    const hopeless = forecastProblemPassAtK(prior(Math.exp(-12), Math.exp(12)), 256, 0, 4);
    expect(hopeless).toBeGreaterThanOrEqual(0);
    expect(hopeless).toBeLessThan(1e-9);
    const slow = forecastProblemPassAtK(prior(Math.exp(-12), Math.exp(-12)), 256, 0, 2 ** 30);
    expect(slow).toBeGreaterThanOrEqual(0);
    expect(slow).toBeLessThanOrEqual(1);
  });
});

describe('fitSuccessPrior', () => {
  it('recovers a Beta from simulated counts', () => {
    const fit = fitSuccessPrior('beta', simulate(3, 3000, 32, betaInteger(1, 3)));
    expect(fit.components[0].a).toBeGreaterThan(0.85);
    expect(fit.components[0].a).toBeLessThan(1.15);
    expect(fit.components[0].b).toBeGreaterThan(2.5);
    expect(fit.components[0].b).toBeLessThan(3.5);
    expect(fit.zero).toBe(0);
  });

  it('finds a mass at 0 where a share of problems can never be solved, and none where there is none', () => {
    const withZeros = simulate(4, 4000, 32, (u) => (u() < 0.25 ? 0 : betaInteger(2, 2)(u)));
    const fit = fitSuccessPrior('zero-inflated-beta', withZeros);
    expect(fit.zero).toBeGreaterThan(0.22);
    expect(fit.zero).toBeLessThan(0.28);
    expect(fit.logLikelihood).toBeGreaterThan(fitSuccessPrior('beta', withZeros).logLikelihood + 10);
    const without = fitSuccessPrior('zero-inflated-beta', simulate(5, 4000, 32, betaInteger(2, 2)));
    expect(without.zero).toBeLessThan(0.01);
  });

  it('fits a two-Beta mixture no worse than one Beta (it nests it)', () => {
    const classes = simulate(6, 2000, 32, (u) => (u() < 0.4 ? betaInteger(1, 12)(u) : betaInteger(6, 2)(u)));
    expect(fitSuccessPrior('beta-mixture', classes).logLikelihood).toBeGreaterThan(fitSuccessPrior('beta', classes).logLikelihood);
  });

  it('stays finite at the edges: every problem unsolved, every one always solved', () => {
    const none = fitSuccessPrior('beta', [{ n: 32, c: 0, weight: 100 }]);
    expect(forecastProblemPassAtK(none, 32, 0, 1024)).toBeLessThan(0.01);
    const all = fitSuccessPrior('zero-inflated-beta', [{ n: 32, c: 32, weight: 100 }]);
    expect(forecastProblemPassAtK(all, 32, 32, 1)).toBeGreaterThan(0.99);
    for (const fit of [none, all]) expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  });

  it('refuses counts that are not counts', () => {
    expect(() => fitSuccessPrior('beta', [{ n: 4, c: 5, weight: 1 }])).toThrow(/0 ≤ c ≤ n/);
    expect(() => fitSuccessPrior('beta', [{ n: 4, c: 1, weight: 0 }])).toThrow(/no problems/);
  });
});

describe('nelderMead', () => {
  it('finds the minimum of a curved valley', () => {
    const found = nelderMead(([x, y]) => (1 - x) ** 2 + 10 * (y - x * x) ** 2, [-1.2, 1]);
    expect(found.x[0]).toBeCloseTo(1, 3);
    expect(found.x[1]).toBeCloseTo(1, 3);
  });
});
