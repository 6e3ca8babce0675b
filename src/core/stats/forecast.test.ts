import { describe, expect, it } from 'vitest';
import { computeForecast } from './forecast.ts';
import { formatForecast } from './format-forecast.ts';
import { createRng } from './prng.ts';
import type { ProblemCount } from './types.ts';

/** Two models on 300 problems, n = 16: RL solves four fifths at rates of 0.15 or more, and never the other fifth. */
function counts(): ProblemCount[] {
  const rng = createRng(11);
  const rows: ProblemCount[] = [];
  for (let p = 0; p < 300; p++) {
    const q = rng.nextFloat();
    const rates = { base: q, rl: p % 5 === 0 ? 0 : Math.min(1, 0.15 + q) };
    for (const [model, rate] of Object.entries(rates)) {
      let c = 0;
      for (let s = 0; s < 16; s++) if (rng.nextFloat() < rate) c++;
      rows.push({ model, role: model === 'base' ? 'base' : 'rl', problem: `p${p}`, n: 16, c });
    }
  }
  return rows;
}

describe('computeForecast', () => {
  const rows = counts();
  const result = computeForecast(rows, { to: 100, resamples: 60, seed: 3 });
  if (!result.ok) throw new Error(result.error);
  const report = result.value;

  it('gives every model pass@k and an interval on the grid 1, 2, 4, … up to K', () => {
    expect(report.ks).toEqual([1, 2, 4, 8, 16, 32, 64, 100]);
    expect(report.family).toBe('zero-inflated-beta');
    for (const m of report.models) {
      expect(m.n).toBe(16);
      expect(Object.keys(m.passAtK).map(Number)).toEqual(report.ks);
      for (const k of report.ks) {
        const [lo, hi] = m.ci[k];
        expect(lo).toBeLessThanOrEqual(m.passAtK[k]);
        expect(hi).toBeGreaterThanOrEqual(m.passAtK[k]);
      }
    }
    expect(report.models.map((m) => [m.model, m.role])).toEqual([['base', 'base'], ['rl', 'rl']]);
  });

  it('sees the RL model\'s never-solved set as a mass at 0 and keeps its forecast below it', () => {
    const rl = report.models.find((m) => m.model === 'rl')!;
    expect(rl.fit.zero).toBeGreaterThan(0.15);
    expect(rl.fit.zero).toBeLessThan(0.25);
    // Truth at k = 100: the four fifths, each solved with probability 1 − 0.85^100 ≈ 1.
    expect(Math.abs(rl.passAtK[100] - 0.8)).toBeLessThan(0.03);
    expect(rl.bic['zero-inflated-beta']).toBeLessThan(rl.bic.beta!);
  });

  it('expected coverage at K adds up to the problems', () => {
    expect(report.coverage).toHaveLength(1);
    const e = report.coverage[0].expected;
    expect(e.both + e.onlyA + e.onlyB + e.neither).toBeCloseTo(300, 9);
    expect(report.coverage[0].k).toBe(100);
  });

  it('repeats exactly for a seed', () => {
    const again = computeForecast(rows, { to: 100, resamples: 60, seed: 3 });
    expect(again.ok && again.value).toEqual(report);
  });

  it('formats as a table with the k beyond n marked', () => {
    const text = formatForecast(report);
    expect(text).toContain('base (zero-inflated-beta)');
    expect(text).toMatch(/\n {3}64\* /);
    expect(text).toMatch(/\n {4}8  /);
  });

  it('refuses a bad K, bad resamples and counts that do not align', () => {
    expect(computeForecast(rows, { to: 0 })).toMatchObject({ ok: false, error: expect.stringMatching(/largest k/) });
    expect(computeForecast(rows, { to: 64, resamples: 0 })).toMatchObject({ ok: false, error: expect.stringMatching(/resamples/) });
    expect(computeForecast([], { to: 64 })).toMatchObject({ ok: false });
    expect(computeForecast(rows.slice(1), { to: 64 })).toMatchObject({ ok: false });
  });
});
