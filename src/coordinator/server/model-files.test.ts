import { describe, expect, it } from 'vitest';
import { byteRange } from './model-files.ts';

describe('byteRange', () => {
  it('serves a-b, a- and the suffix -n, clipped to the file', () => {
    expect(byteRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=-1', 100)).toEqual({ start: 99, end: 99 });
    expect(byteRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });

  it('refuses what cannot be satisfied or is not one range', () => {
    for (const header of ['bytes=100-', 'bytes=5-2', 'bytes=-0', 'bytes=-', 'bytes=0-1,3-4', 'items=0-1', 'bytes=x-1', 'bytes=99999999999999999999999-']) {
      expect(byteRange(header, 100), header).toBe(null);
    }
    expect(byteRange('bytes=-1', 0)).toBe(null);
  });
});
