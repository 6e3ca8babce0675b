import { describe, expect, it } from 'vitest';
import { ACCURACY_BINS, accuracyBinIndex, accuracyHistogram } from './accuracy-histogram.ts';

describe('accuracy histogram', () => {
  it('puts exact 0 and exact 1 in their own bins and edges in the lower interval', () => {
    const label = (n: number, c: number) => ACCURACY_BINS[accuracyBinIndex(n, c)];
    expect(label(10, 0)).toBe('0');
    expect(label(10, 1)).toBe('(0,0.1]');
    expect(label(1000, 1)).toBe('(0,0.1]');
    expect(label(10, 3)).toBe('(0.2,0.3]');
    expect(label(1000, 301)).toBe('(0.3,0.4]');
    expect(label(10, 9)).toBe('(0.8,0.9]');
    expect(label(1000, 901)).toBe('(0.9,1)');
    expect(label(1000, 999)).toBe('(0.9,1)');
    expect(label(10, 10)).toBe('1');
  });

  it('bins every tenth of every n up to 1000 exactly at the edge', () => {
    for (let n = 10; n <= 1000; n += 10) {
      for (let tenth = 1; tenth <= 9; tenth++) expect(accuracyBinIndex(n, (n / 10) * tenth)).toBe(tenth);
    }
  });

  it('counts problems and fractions per bin', () => {
    const histogram = accuracyHistogram([{ n: 4, c: 0 }, { n: 4, c: 0 }, { n: 4, c: 4 }, { n: 8, c: 1 }]);
    expect(histogram.bins.map((bin) => bin.count)).toEqual([2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(histogram.bins[0]).toEqual({ label: '0', count: 2, fraction: 0.5 });
    expect(histogram.bins).toHaveLength(12);
  });
});
