import { describe, expect, it } from 'vitest';
import { classifySeries, differenceReplicates, pairedBootstrapGroupMeans, pairedBootstrapMeans, percentileInterval, tallyDraws } from './bootstrap.ts';
import { passAtK } from './pass-at-k.ts';
import { createRng } from './prng.ts';
import { referencePairedBootstrapMeans } from './reference-bootstrap.ts';

describe('pairedBootstrapMeans', () => {
  it('is reproducible for a seed', () => {
    const series = [[0, 1, 0.5, 0.25], [1, 1, 0, 0.5]];
    const a = pairedBootstrapMeans(series, { resamples: 50, seed: 3 });
    const b = pairedBootstrapMeans(series, { resamples: 50, seed: 3 });
    const c = pairedBootstrapMeans(series, { resamples: 50, seed: 4 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('resamples the same problems for every series', () => {
    // Series 2 is series 1 plus 0.1 on every problem: paired replicates differ by exactly 0.1.
    const base = Array.from({ length: 40 }, (_, i) => (i * 37) % 11 / 11);
    const shifted = base.map((v) => v + 0.1);
    const [r1, r2] = pairedBootstrapMeans([base, shifted], { resamples: 200, seed: 9 });
    const diff = differenceReplicates(r2, r1);
    for (const d of diff) expect(d).toBeCloseTo(0.1, 12);
    const [lo, hi] = percentileInterval(r1);
    expect(hi - lo).toBeGreaterThan(0.05);
  });

  it('rejects series of unequal length', () => {
    expect(() => pairedBootstrapMeans([[1, 2], [1]], { resamples: 10, seed: 1 })).toThrow(RangeError);
  });
});

/** The rounding bound of bootstrap.ts: two sums of the same P values in [0, max] differ by at most about P·2⁻⁵³·max. */
const roundingBound = (problems: number, max = 1): number => 2 * problems * 2 ** -53 * max;

describe('pairedBootstrapGroupMeans against the textbook loop', () => {
  it('draws the same multisets: every replicate equals the reference up to rounding, for any values', () => {
    const rng = createRng(2026);
    for (let trial = 0; trial < 40; trial++) {
      const problems = 1 + rng.nextInt(400);
      const series = Array.from({ length: 1 + rng.nextInt(6) }, () =>
        Array.from({ length: problems }, () => (rng.nextInt(4) === 0 ? 0 : rng.nextFloat())));
      const options = { resamples: 60, seed: trial };
      const fast = pairedBootstrapMeans(series, options);
      const reference = referencePairedBootstrapMeans(series, options);
      fast.forEach((replicates, s) => {
        replicates.forEach((value, b) => expect(Math.abs(value - reference[s][b])).toBeLessThanOrEqual(roundingBound(problems)));
        const [lo, hi] = percentileInterval(replicates);
        const [refLo, refHi] = percentileInterval(reference[s]);
        expect(Math.abs(lo - refLo)).toBeLessThanOrEqual(roundingBound(problems));
        expect(Math.abs(hi - refHi)).toBeLessThanOrEqual(roundingBound(problems));
      });
    }
  });

  it('is bit for bit the reference when every partial sum is exact (values in eighths)', () => {
    const rng = createRng(5);
    const series = Array.from({ length: 3 }, () => Array.from({ length: 250 }, () => rng.nextInt(9) / 8));
    expect(pairedBootstrapMeans(series, { resamples: 100, seed: 8 })).toEqual(referencePairedBootstrapMeans(series, { resamples: 100, seed: 8 }));
  });

  it('pairs groups with different classes (one per model) as one set of draws', () => {
    const rng = createRng(77);
    const problems = 300;
    const perModel = [4, 9, 1].map((classes) => {
      const classOf = Int32Array.from({ length: problems }, () => rng.nextInt(classes));
      const tables = [0, 1].map(() => Float64Array.from({ length: classes }, () => rng.nextFloat()));
      return { classOf, classes, tables };
    });
    const options = { resamples: 80, seed: 3 };
    const fast = pairedBootstrapGroupMeans(perModel, options).flat();
    const expanded = perModel.flatMap(({ classOf, tables }) => tables.map((table) => Array.from(classOf, (c) => table[c])));
    const reference = referencePairedBootstrapMeans(expanded, options);
    expect(fast).toHaveLength(6);
    fast.forEach((replicates, s) => replicates.forEach((value, b) => {
      expect(Math.abs(value - reference[s][b])).toBeLessThanOrEqual(roundingBound(problems));
    }));
  });

  it('reports progress once per replicate', () => {
    const calls: [number, number][] = [];
    pairedBootstrapMeans([[0, 1, 1]], { resamples: 4, seed: 1, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
  });

  it('refuses a class outside its table and a table of the wrong length', () => {
    const classOf = Int32Array.of(0, 2);
    expect(() => pairedBootstrapGroupMeans([{ classOf, classes: 2, tables: [Float64Array.of(0, 1)] }], { resamples: 2, seed: 1 }))
      .toThrow(/problem 1 has class 2, outside \[0, 2\)/);
    expect(() => pairedBootstrapGroupMeans([{ classOf: Int32Array.of(0), classes: 2, tables: [Float64Array.of(0)] }], { resamples: 2, seed: 1 }))
      .toThrow(/one value per class/);
  });
});

describe('tallyDraws', () => {
  it('keeps counts of 256 and more exact: the byte wraps and the hundreds go to carries', () => {
    const times = new Uint8Array(5);
    const carries = new Map<number, number>();
    const picks = Int32Array.from({ length: 700 }, (_, i) => (i < 600 ? 3 : 1));
    tallyDraws(picks.subarray(0, 400), times, carries);
    tallyDraws(picks.subarray(400), times, carries);
    expect(times[3] + (carries.get(3) ?? 0)).toBe(600);
    expect(times[1] + (carries.get(1) ?? 0)).toBe(100);
    expect(carries.get(3)).toBe(512);
  });
});

describe('classifySeries', () => {
  it('puts problems with equal values in every series in one class, keeping −0 apart from 0', () => {
    const grouped = classifySeries([[0.5, 1, 0.5, -0, 0], [2, 3, 2, 4, 4]]);
    expect(Array.from(grouped.classOf)).toEqual([0, 1, 0, 2, 3]);
    expect(grouped.classes).toBe(4);
    expect(grouped.tables.map((t) => Array.from(t))).toEqual([[0.5, 1, -0, 0], [2, 3, 4, 4]]);
  });
});

describe('percentileInterval', () => {
  it('interpolates between order statistics', () => {
    const values = Array.from({ length: 101 }, (_, i) => 100 - i);
    const [lo90, hi90] = percentileInterval(values, 0.9);
    expect(lo90).toBeCloseTo(5, 12);
    expect(hi90).toBeCloseTo(95, 12);
    const [lo95, hi95] = percentileInterval(values);
    expect(lo95).toBeCloseTo(2.5, 12);
    expect(hi95).toBeCloseTo(97.5, 12);
  });
});

/**
 * Coverage by simulation. Problems are drawn from a known population of per-problem success
 * rates (a benchmark is a sample of problems; the bootstrap over problems estimates that
 * sampling together with the binomial noise of the n verdicts), so the true mean pass@k is
 * known in closed form: the population mean of 1 − (1 − p)^k. Model B is a "sharpened"
 * version of A on the same problem (RL-like), and the paired interval of B − A is checked too.
 *
 * 1000 repetitions × 100 problems × n = 32 samples, with B = 500 replicates inside the
 * simulation (the CLI's default is 2000) to keep the test near a few seconds.
 */
describe('bootstrap coverage by simulation', () => {
  const rates = [0, 0.003, 0.02, 0.06, 0.15, 0.3, 0.5, 0.7, 0.9, 1];
  const sharpen = (p: number): number => (p >= 0.15 ? Math.min(1, p * 1.4) : p * 0.3);
  const truth = (k: number, f: (p: number) => number = (p) => p): number =>
    rates.reduce((sum, p) => sum + 1 - (1 - f(p)) ** k, 0) / rates.length;

  it('a nominal 95% interval covers the true mean pass@k in 93–97% of repetitions', () => {
    const repetitions = 1000;
    const problems = 100;
    const n = 32;
    const ks = [1, 8, 32];
    const rng = createRng(20250423);
    const hits = { a: ks.map(() => 0), diff: ks.map(() => 0) };
    let pairedNarrower = 0;
    for (let rep = 0; rep < repetitions; rep++) {
      const cA: number[] = [];
      const cB: number[] = [];
      for (let p = 0; p < problems; p++) {
        const rate = rates[rng.nextInt(rates.length)];
        let a = 0;
        let b = 0;
        for (let s = 0; s < n; s++) {
          if (rng.nextFloat() < rate) a++;
          if (rng.nextFloat() < sharpen(rate)) b++;
        }
        cA.push(a);
        cB.push(b);
      }
      const series = ks.flatMap((k) => [cA.map((c) => passAtK(n, c, k)), cB.map((c) => passAtK(n, c, k))]);
      const replicates = pairedBootstrapMeans(series, { resamples: 500, seed: rep });
      ks.forEach((k, i) => {
        const [lo, hi] = percentileInterval(replicates[2 * i]);
        if (lo <= truth(k) && truth(k) <= hi) hits.a[i]++;
        const [dlo, dhi] = percentileInterval(differenceReplicates(replicates[2 * i + 1], replicates[2 * i]));
        const trueDiff = truth(k, sharpen) - truth(k);
        if (dlo <= trueDiff && trueDiff <= dhi) hits.diff[i]++;
        if (i === 0) {
          // An unpaired interval of the difference (independent resamples) would be wider.
          const [blo, bhi] = percentileInterval(replicates[1]);
          if (dhi - dlo < Math.hypot(hi - lo, bhi - blo)) pairedNarrower++;
        }
      });
    }
    const coverage = (count: number): number => count / repetitions;
    for (const count of [...hits.a, ...hits.diff]) {
      expect(coverage(count)).toBeGreaterThanOrEqual(0.93);
      expect(coverage(count)).toBeLessThanOrEqual(0.97);
    }
    expect(pairedNarrower / repetitions).toBeGreaterThan(0.9);
  });
});
