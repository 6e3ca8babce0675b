import type { Result } from '../result.ts';

/** The default k grid: 1, 2, 4, … up to maxK, with maxK itself appended when it is not a power of two. */
export function defaultKGrid(maxK: number): number[] {
  if (!Number.isInteger(maxK) || maxK < 1) throw new RangeError(`k grid: the largest k must be a positive integer, got ${maxK}`);
  const ks: number[] = [];
  for (let k = 1; k <= maxK; k *= 2) ks.push(k);
  if (ks[ks.length - 1] !== maxK) ks.push(maxK);
  return ks;
}

/** Parses a comma-separated k list such as "1,2,4,8": positive integers, returned sorted and unique. */
export function parseKList(text: string): Result<number[]> {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 0) return { ok: false, error: `no k values in "${text}"; give a list such as 1,2,4,8` };
  const ks = new Set<number>();
  for (const part of parts) {
    if (!/^\d+$/.test(part) || Number(part) < 1 || !Number.isSafeInteger(Number(part))) {
      return { ok: false, error: `"${part}" is not a positive integer k; give a list such as 1,2,4,8` };
    }
    ks.add(Number(part));
  }
  return { ok: true, value: [...ks].sort((a, b) => a - b) };
}
