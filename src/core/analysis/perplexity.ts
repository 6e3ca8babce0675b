import { createRng } from '../stats/prng.ts';

/** One scored sample: model `model`'s answer to `problem`, under `scorer`'s teacher-forced log-probabilities. */
export interface ScoredSample {
  scorer: string;
  model: string;
  problem: string;
  tokens: number;
  logprob: number;
}

export interface PerplexitySummary {
  scorer: string;
  model: string;
  samples: number;
  problems: number;
  /** Of the per-sample perplexities exp(−logprob / tokens). */
  median: number;
  /** 95% interval of the median: bootstrap over problems (each problem's samples move together). */
  medianCi: [number, number];
  quantiles: { q10: number; q25: number; q75: number; q90: number };
  mean: number;
  /** Counts per bin of log₁₀ perplexity, for the distribution plot. */
  histogram: { from: number; to: number; count: number }[];
}

const BINS = 400;
const PLOT_BINS = 30;

/**
 * The paper's perplexity comparison: for each (scorer, model) pair, the distribution of the
 * perplexity of the model's answers under the scorer (e.g. base's own answers vs the RL
 * model's under the base model). Samples of one problem are not independent, so the
 * interval of the median resamples problems, each bringing all its samples; the replicate
 * medians are read from fine histograms of log perplexity (BINS bins over the observed
 * range, interpolated inside a bin), which keeps B replicates of millions of samples cheap.
 */
export function summarizePerplexity(rows: readonly ScoredSample[], options: { resamples?: number; seed?: number } = {}): PerplexitySummary[] {
  const { resamples = 500, seed = 1 } = options;
  const pairs = new Map<string, ScoredSample[]>();
  for (const row of rows) {
    if (!(row.tokens > 0) || !Number.isFinite(row.logprob)) continue;
    const key = JSON.stringify([row.scorer, row.model]);
    let list = pairs.get(key);
    if (!list) pairs.set(key, (list = []));
    list.push(row);
  }
  const out: PerplexitySummary[] = [];
  for (const [key, list] of pairs) {
    const [scorer, model] = JSON.parse(key) as [string, string];
    const logs = Float64Array.from(list, (r) => -r.logprob / r.tokens / Math.LN10); // log10 perplexity
    const sorted = Float64Array.from(logs).sort();
    const lo = sorted[0];
    const hi = sorted[sorted.length - 1];
    const width = hi > lo ? (hi - lo) / BINS : 1;
    const bin = (v: number) => Math.min(BINS - 1, Math.floor((v - lo) / width));
    const problemIndex = new Map<string, number>();
    const perProblem: Float64Array[] = [];
    list.forEach((r, i) => {
      let p = problemIndex.get(r.problem);
      if (p === undefined) {
        problemIndex.set(r.problem, (p = perProblem.length));
        perProblem.push(new Float64Array(BINS));
      }
      perProblem[p][bin(logs[i])]++;
    });
    const rng = createRng(seed);
    const medians = new Float64Array(resamples);
    const total = new Float64Array(BINS);
    for (let b = 0; b < resamples; b++) {
      total.fill(0);
      for (let i = 0; i < perProblem.length; i++) {
        const counts = perProblem[rng.nextInt(perProblem.length)];
        for (let j = 0; j < BINS; j++) total[j] += counts[j];
      }
      medians[b] = binnedQuantile(total, 0.5, lo, width);
    }
    medians.sort();
    const at = (q: number) => medians[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))];
    const pow = (v: number) => 10 ** v;
    const plotWidth = hi > lo ? (hi - lo) / PLOT_BINS : 1;
    const plot = Array.from({ length: PLOT_BINS }, (_, i) => ({ from: pow(lo + i * plotWidth), to: pow(lo + (i + 1) * plotWidth), count: 0 }));
    for (const v of logs) plot[Math.min(PLOT_BINS - 1, Math.floor((v - lo) / plotWidth))].count++;
    out.push({
      scorer, model, samples: list.length, problems: perProblem.length,
      median: pow(quantileOf(sorted, 0.5)),
      medianCi: [pow(at(0.025)), pow(at(0.975))],
      quantiles: { q10: pow(quantileOf(sorted, 0.1)), q25: pow(quantileOf(sorted, 0.25)), q75: pow(quantileOf(sorted, 0.75)), q90: pow(quantileOf(sorted, 0.9)) },
      mean: list.reduce((s, r) => s + Math.exp(-r.logprob / r.tokens), 0) / list.length,
      histogram: plot,
    });
  }
  return out.sort((a, b) => a.scorer.localeCompare(b.scorer) || a.model.localeCompare(b.model));
}

function quantileOf(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

function binnedQuantile(counts: Float64Array, q: number, lo: number, width: number): number {
  let total = 0;
  for (const c of counts) total += c;
  const target = q * total;
  let seen = 0;
  for (let j = 0; j < counts.length; j++) {
    if (seen + counts[j] >= target && counts[j] > 0) return lo + width * (j + (target - seen) / counts[j]);
    seen += counts[j];
  }
  return lo + width * counts.length;
}
