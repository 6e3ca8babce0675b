import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';

describe('createRng', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(2 ** 40)).not.toEqual(draw(0));
  });

  it('draws uniform floats in [0, 1) and integers in [0, bound)', () => {
    const rng = createRng(7);
    const buckets = new Array<number>(10).fill(0);
    const draws = 100_000;
    let min = 1;
    let max = 0;
    for (let i = 0; i < draws; i++) {
      const x = rng.nextFloat();
      min = Math.min(min, x);
      max = Math.max(max, x);
      buckets[rng.nextInt(10)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(min).toBeLessThan(0.001);
    expect(max).toBeLessThan(1);
    expect(max).toBeGreaterThan(0.999);
    // Each bucket expects 10 000 with standard deviation ≈ 95; 5 SD either way.
    for (const count of buckets) expect(Math.abs(count - draws / 10)).toBeLessThan(475);
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
  });
});

describe('fillInts', () => {
  it('returns exactly what repeated nextInt calls return, and leaves the stream where they would', () => {
    for (const bound of [1, 7, 1000, 1_300_000, 2 ** 31 - 1]) {
      const one = createRng(99);
      const bulk = createRng(99);
      const expected = Int32Array.from({ length: 1000 }, () => one.nextInt(bound));
      const got = new Int32Array(1000);
      bulk.fillInts(got.subarray(0, 300), bound);
      bulk.fillInts(got.subarray(300), bound);
      expect(got).toEqual(expected);
      expect(bulk.nextUint32()).toBe(one.nextUint32());
    }
  });
});
