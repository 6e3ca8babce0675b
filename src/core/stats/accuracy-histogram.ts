/** The paper's accuracy bins: exactly 0, ten tenths (the last open at 1), exactly 1. */
export const ACCURACY_BINS = [
  '0', '(0,0.1]', '(0.1,0.2]', '(0.2,0.3]', '(0.3,0.4]', '(0.4,0.5]',
  '(0.5,0.6]', '(0.6,0.7]', '(0.7,0.8]', '(0.8,0.9]', '(0.9,1)', '1',
] as const;

export type AccuracyBin = (typeof ACCURACY_BINS)[number];

/** Index into ACCURACY_BINS of accuracy c/n, decided in integers so c/n = 0.3 lands in (0.2,0.3] exactly. */
export function accuracyBinIndex(n: number, c: number): number {
  if (c === 0) return 0;
  if (c === n) return ACCURACY_BINS.length - 1;
  // 10c/n is exact when it is an integer and at least 1/n from one otherwise, so ceil is safe.
  return Math.ceil((10 * c) / n);
}

export interface AccuracyHistogram {
  bins: { label: AccuracyBin; count: number; fraction: number }[];
}

/** Histogram of per-problem accuracy c/n for one model. */
export function accuracyHistogram(rows: readonly { n: number; c: number }[]): AccuracyHistogram {
  const counts = new Array<number>(ACCURACY_BINS.length).fill(0);
  for (const { n, c } of rows) counts[accuracyBinIndex(n, c)]++;
  return {
    bins: ACCURACY_BINS.map((label, i) => ({
      label,
      count: counts[i],
      fraction: rows.length === 0 ? 0 : counts[i] / rows.length,
    })),
  };
}
