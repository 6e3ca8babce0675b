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

/** A y range in tenths for differences (b − a): holds every value given and 0, at least 0.1 wide. */
export function differenceRange(values: readonly number[]): [number, number] {
  // The tolerance rounds toward 0, so float noise (0.30000000000000004) does not add a tenth.
  const lo = Math.min(0, Math.floor(Math.min(0, ...values) * 10 + 1e-9) / 10);
  const hi = Math.max(0, Math.ceil(Math.max(0, ...values) * 10 - 1e-9) / 10);
  return hi - lo < 0.1 ? [lo, lo + 0.1] : [lo, hi];
}

/** Round ticks (1, 2 or 5 × 10ⁿ apart) covering lo…hi, and the range they span. */
export function niceTicks(lo: number, hi: number, target = 6): { lo: number; hi: number; ticks: number[] } {
  const span = hi - lo > 0 ? hi - lo : Math.abs(hi) || 1;
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const round = (v: number) => Number(v.toPrecision(12));
  const from = round(Math.floor(lo / step + 1e-9) * step);
  const to = round(Math.max(from + step, Math.ceil(hi / step - 1e-9) * step));
  const ticks: number[] = [];
  for (let i = 0; from + i * step <= to + step / 2; i++) ticks.push(round(from + i * step));
  return { lo: from, hi: to, ticks };
}

/**
 * Ticks for a log axis over lo…hi (both > 0): the coarsest of 1-2-5, 1-1.5-2-3-5-7 or a
 * finer ladder that gives at least four inside, so a narrow range (perplexity 1.1–1.6) still
 * reads; the range is widened to the ticks just outside.
 */
export function logTicks(lo: number, hi: number): { lo: number; hi: number; ticks: number[] } {
  const ladders = [[1, 2, 5], [1, 1.5, 2, 3, 5, 7], [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2, 2.5, 3, 4, 5, 6, 7, 8, 9]];
  for (const ladder of ladders) {
    const all: number[] = [];
    for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) for (const m of ladder) all.push(Number((m * 10 ** e).toPrecision(6)));
    const below = all.filter((t) => t <= lo).at(-1) ?? lo;
    const above = all.find((t) => t >= hi) ?? hi;
    const ticks = all.filter((t) => t >= below && t <= above);
    if (ticks.length >= 4 || ladder === ladders[ladders.length - 1]) return { lo: below, hi: above, ticks };
  }
  return { lo, hi, ticks: [lo, hi] };
}

export function logScale(lo: number, hi: number, from: number, to: number): (v: number) => number {
  const a = Math.log10(lo);
  const span = Math.log10(hi) - a || 1;
  return (v) => from + ((Math.log10(v) - a) / span) * (to - from);
}
