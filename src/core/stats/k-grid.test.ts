import { describe, expect, it } from 'vitest';
import { defaultKGrid, parseKList } from './k-grid.ts';

describe('defaultKGrid', () => {
  it('doubles up to a power-of-two n', () => {
    expect(defaultKGrid(256)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    expect(defaultKGrid(1)).toEqual([1]);
  });
  it('ends with n itself when n is not a power of two', () => {
    expect(defaultKGrid(100)).toEqual([1, 2, 4, 8, 16, 32, 64, 100]);
    expect(defaultKGrid(3)).toEqual([1, 2, 3]);
  });
  it('refuses a largest k below 1', () => {
    expect(() => defaultKGrid(0)).toThrow(RangeError);
  });
});

describe('parseKList', () => {
  it('returns sorted unique positive integers', () => {
    expect(parseKList('8, 1,2,2,4')).toEqual({ ok: true, value: [1, 2, 4, 8] });
  });
  it('names the bad entry', () => {
    expect(parseKList('1,x,4')).toEqual({ ok: false, error: expect.stringContaining('"x" is not a positive integer k') });
    expect(parseKList('0')).toMatchObject({ ok: false });
    expect(parseKList('2.5')).toMatchObject({ ok: false });
    expect(parseKList(',')).toMatchObject({ ok: false, error: expect.stringContaining('no k values') });
  });
});
