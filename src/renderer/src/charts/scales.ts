/** Drawing arithmetic only (pixels from values): no statistic is computed here. */

export interface Box { width: number; height: number; left: number; right: number; top: number; bottom: number }

export const plotWidth = (b: Box) => b.width - b.left - b.right;
export const plotHeight = (b: Box) => b.height - b.top - b.bottom;

/** x for k on a log₂ axis from kMin to kMax (one k alone sits in the middle). */
export function log2Scale(kMin: number, kMax: number, box: Box): (k: number) => number {
  const lo = Math.log2(kMin);
  const hi = Math.log2(kMax);
  const span = hi - lo;
  return (k) => box.left + (span === 0 ? plotWidth(box) / 2 : ((Math.log2(k) - lo) / span) * plotWidth(box));
}

export function linearScale(lo: number, hi: number, box: Box): (v: number) => number {
  const span = hi - lo || 1;
  return (v) => box.top + plotHeight(box) * (1 - (v - lo) / span);
}

/** A y range in tenths that holds every value given, within [0, 1]. */
export function unitRange(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const lo = Math.max(0, Math.floor(Math.min(...values) * 10 - 1e-9) / 10);
  const hi = Math.min(1, Math.ceil(Math.max(...values) * 10 + 1e-9) / 10);
  return hi - lo < 0.1 ? [Math.max(0, hi - 0.1), Math.max(hi, 0.1)] : [lo, hi];
}

export function ticksBetween(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1000) / 1000);
  return out;
}

/** k ticks: every k of the grid when they fit, else the powers of two among them (and the last). */
export function kTicks(ks: readonly number[], maxTicks = 12): number[] {
  if (ks.length <= maxTicks) return [...ks];
  const powers = ks.filter((k) => Number.isInteger(Math.log2(k)));
  const last = ks[ks.length - 1];
  const step = Math.ceil(powers.length / maxTicks);
  const picked = powers.filter((_, i) => i % step === 0);
  return picked.includes(last) ? picked : [...picked, last];
}
