import { describe, expect, it } from 'vitest';
import { bootstrapPValue, holmRejections } from './multiple-comparisons.ts';

describe('bootstrapPValue', () => {
  it('is twice the smaller tail share, each count plus one', () => {
    const replicates = Float64Array.from({ length: 999 }, (_, i) => (i < 9 ? -0.01 : 0.02));
    expect(bootstrapPValue(replicates)).toBeCloseTo((2 * 10) / 1000);
    expect(bootstrapPValue(Float64Array.from({ length: 99 }, () => 0.3))).toBeCloseTo(2 / 100);
    expect(bootstrapPValue([0, 0, 0])).toBe(1);
    expect(bootstrapPValue([-1, 1, -1, 1])).toBe(1);
  });
});

describe('holmRejections', () => {
  it('steps down from the smallest p at alpha/m, alpha/(m−1), … and stops at the first kept', () => {
    // m = 4: 0.01 ≤ 0.0125 rejected; 0.02 ≤ 0.0167 fails: it and every larger one are kept,
    // though 0.02 < 0.05 uncorrected.
    expect(holmRejections([0.02, 0.01, 0.04, 0.5])).toEqual([false, true, false, false]);
    expect(holmRejections([0.001, 0.012, 0.02, 0.04])).toEqual([true, true, true, true]);
    expect(holmRejections([0.3, 0.04])).toEqual([false, false]);
    expect(holmRejections([0.04])).toEqual([true]);
    expect(holmRejections([])).toEqual([]);
    expect(holmRejections([Number.NaN, 0.001])).toEqual([false, true]);
  });

  it('rejects fewer than uncorrected tests when many are made (two seeds of one model at many k)', () => {
    const ps = [0.03, 0.04, 0.045, 0.2, 0.6, 0.9];
    expect(ps.filter((p) => p <= 0.05)).toHaveLength(3);
    expect(holmRejections(ps).filter(Boolean)).toHaveLength(0);
  });
});
