import { createRng } from './prng.ts';

export interface BootstrapOptions {
  /** Number of bootstrap replicates B. */
  resamples: number;
  seed: number;
  /** Called after each replicate with (done, resamples), for progress on long work. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Series whose values depend only on a class of the problem: series t of the group has the
 * value `tables[t][classOf[p]]` on problem p. For pass@k a model's class on a problem is
 * its (n, c) there, so a model has a few hundred classes however many problems it has.
 */
export interface ClassedSeries {
  /** classOf[p] ∈ [0, classes) for every problem p. */
  classOf: Int32Array;
  classes: number;
  /** One table per series of the group, each `classes` long. */
  tables: readonly Float64Array[];
}

/**
 * Bootstrap over problems, paired: replicate b draws one multiset of problem indices and
 * every series (a model at a k) takes its mean over that same multiset. Because all
 * series share the draws, replicate-wise differences between two series (model A − model
 * B, or base@k_max − RL@1) are draws from the bootstrap distribution of the difference.
 *
 * Returns, for each group and each series in it, the B replicate means.
 *
 * The draws are the textbook loop's (reference-bootstrap.ts): replicate b takes the next P
 * `nextInt(P)` of one seeded stream, so every replicate resamples the same multiset as
 * there. Only the mean of the multiset is summed differently: Σ_class count·value / P, the
 * counts tallied while drawing (exact integers), instead of Σ_draw value / P. Equal in
 * exact arithmetic, the two differ by rounding alone: at most about P·2⁻⁵³ times the largest
 * value, the P − 1 roundings of the draw-order sum (the class sum has one per class). A
 * percentile of the replicates moves by no more than the replicates do, so the intervals
 * agree to the same bound. The work per replicate is P draws and one pass over the problems,
 * plus joint classes × groups and classes × series, instead of P × series.
 */
export function pairedBootstrapGroupMeans(groups: readonly ClassedSeries[], options: BootstrapOptions): Float64Array[][] {
  const { resamples, seed, onProgress } = options;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  const problems = groups[0]?.classOf.length ?? 0;
  for (const group of groups) {
    if (group.classOf.length !== problems) throw new RangeError('bootstrap: every series needs one value per problem, in the same problem order');
    for (const table of group.tables) {
      if (table.length !== group.classes) throw new RangeError('bootstrap: a table needs one value per class');
    }
    for (let p = 0; p < problems; p++) {
      const c = group.classOf[p];
      if (!(c >= 0 && c < group.classes)) throw new RangeError(`bootstrap: problem ${p} has class ${c}, outside [0, ${group.classes})`);
    }
  }
  const replicates = groups.map((group) => group.tables.map(() => new Float64Array(resamples)));
  if (problems === 0) {
    for (const group of replicates) for (const r of group) r.fill(Number.NaN);
    return replicates;
  }
  const joint = jointClasses(groups, problems);
  // times[p]: how often this replicate drew problem p. Drawing only bumps this byte array (a
  // few MB, so the random writes mostly stay in cache); the tallies are then one sequential
  // pass. A problem drawn 256 times or more (for P > 255 the chance is below 1e-490, but
  // the count stays exact) keeps its hundreds in `carries`.
  const times = new Uint8Array(problems);
  const carries = new Map<number, number>();
  const jointCounts = new Float64Array(joint.count);
  const counts = groups.map((group) => new Float64Array(group.classes));
  // Draws come in chunks that stay in cache between being drawn and being counted.
  const picks = new Int32Array(Math.min(problems, 65536));
  const rng = createRng(seed);
  for (let b = 0; b < resamples; b++) {
    times.fill(0);
    carries.clear();
    for (let done = 0; done < problems; done += picks.length) {
      const chunk = problems - done < picks.length ? picks.subarray(0, problems - done) : picks;
      rng.fillInts(chunk, problems);
      tallyDraws(chunk, times, carries);
    }
    jointCounts.fill(0);
    for (let p = 0; p < problems; p++) jointCounts[joint.of[p]] += times[p];
    for (const [p, extra] of carries) jointCounts[joint.of[p]] += extra;
    groups.forEach((group, g) => {
      const mine = counts[g];
      mine.fill(0);
      for (let j = 0; j < joint.count; j++) mine[joint.member[j * groups.length + g]] += jointCounts[j];
      group.tables.forEach((table, t) => {
        let sum = 0;
        for (let c = 0; c < group.classes; c++) sum += mine[c] * table[c];
        replicates[g][t][b] = sum / problems;
      });
    });
    onProgress?.(b + 1, resamples);
  }
  return replicates;
}

/** Counts each drawn problem in `times`, a byte per problem, with every 256 moved to `carries`. */
export function tallyDraws(picks: Int32Array, times: Uint8Array, carries: Map<number, number>): void {
  for (let i = 0; i < picks.length; i++) {
    const p = picks[i];
    const t = times[p] + 1;
    if (t === 256) {
      carries.set(p, (carries.get(p) ?? 0) + 256);
      times[p] = 0;
    } else {
      times[p] = t;
    }
  }
}

/**
 * The groups' classes combined: problems share a joint class when they share a class in
 * every group, so one pass over the problems tallies all groups. `member[j·G + g]` is the
 * class in group g of joint class j.
 */
function jointClasses(groups: readonly ClassedSeries[], problems: number): { of: Int32Array; count: number; member: Int32Array } {
  let of = Int32Array.from(groups[0].classOf);
  let count = groups[0].classes;
  let firstOf: number[] = [];
  for (let g = 1; g < groups.length; g++) {
    const next = new Int32Array(problems);
    const index = new Map<number | string, number>();
    const classes = groups[g].classes;
    const classOf = groups[g].classOf;
    // j·classes + c names the pair exactly while it stays below 2^53; past that, as text.
    const exact = count * classes <= Number.MAX_SAFE_INTEGER;
    firstOf = [];
    for (let p = 0; p < problems; p++) {
      const key = exact ? of[p] * classes + classOf[p] : `${of[p]},${classOf[p]}`;
      let j = index.get(key);
      if (j === undefined) {
        j = firstOf.length;
        index.set(key, j);
        firstOf.push(p);
      }
      next[p] = j;
    }
    of = next;
    count = firstOf.length;
  }
  const member = new Int32Array(count * groups.length);
  if (groups.length === 1) {
    for (let j = 0; j < count; j++) member[j] = j;
  } else {
    firstOf.forEach((p, j) => groups.forEach((group, g) => { member[j * groups.length + g] = group.classOf[p]; }));
  }
  return { of, count, member };
}

/**
 * Problems grouped by their values across all `series` (problems with equal values in every
 * series share a class), for series given problem by problem.
 */
export function classifySeries(series: readonly ArrayLike<number>[]): ClassedSeries {
  const problems = series[0]?.length ?? 0;
  for (const values of series) {
    if (values.length !== problems) throw new RangeError('bootstrap: every series needs one value per problem, in the same problem order');
  }
  const classOf = new Int32Array(problems);
  const first: number[] = [];
  const index = new Map<string, number>();
  // Object.is, not ===: −0 and 0 stay apart, so a class's value is each member's exactly.
  const key = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
  for (let p = 0; p < problems; p++) {
    const k = series.map((values) => key(values[p])).join(',');
    let c = index.get(k);
    if (c === undefined) {
      c = first.length;
      index.set(k, c);
      first.push(p);
    }
    classOf[p] = c;
  }
  const tables = series.map((values) => Float64Array.from(first, (p) => values[p]));
  return { classOf, classes: first.length, tables };
}

/** `pairedBootstrapGroupMeans` for series given problem by problem: each series' B replicate means. */
export function pairedBootstrapMeans(series: readonly ArrayLike<number>[], options: BootstrapOptions): Float64Array[] {
  if (series.length === 0) {
    pairedBootstrapGroupMeans([], options);
    return [];
  }
  return pairedBootstrapGroupMeans([classifySeries(series)], options)[0];
}

/** The replicate-wise difference a − b of two paired series. */
export function differenceReplicates(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) throw new RangeError('bootstrap: paired replicates must have the same length');
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}

/** Percentile interval at `level` (0.95 → 2.5th and 97.5th percentiles, linear interpolation between order statistics). */
export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must lie in (0, 1), got ${level}`);
  const sorted = Float64Array.from(replicates).sort();
  const alpha = (1 - level) / 2;
  return [quantile(sorted, alpha), quantile(sorted, 1 - alpha)];
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}
