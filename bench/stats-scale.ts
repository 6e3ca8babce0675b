/**
 * `npx tsx bench/stats-scale.ts [--problems 1300000] [--n 256] [--resamples 2000]
 * [--before-resamples 10] [--full-before] [--seed S] [--json]`: `passk stats` at scale, the
 * bootstrap before and after problems were grouped by class, side by side in one run.
 *
 * Three models (base, RL, distilled) on the same generated problems, per-problem counts
 * (n, c) correlated across models as RL and distillation would make them; a seed gives the
 * same data on every machine. "before" is what pass-at-k-curves.ts did until then: a
 * per-problem series for every model and k, then the textbook loop (reference-bootstrap.ts).
 * Its loop is exactly linear in the number of replicates, so it is timed at
 * --before-resamples and scaled to --resamples (--full-before times it whole: at the
 * defaults, about an hour). The rest of the report (alignment, coverage, histograms) is the
 * same code before and after, timed once at B = 1. Both bootstraps make the same draws, so
 * the first --before-resamples replicates of every series are compared, with the intervals.
 */
import { parseArgs } from 'node:util';
import { alignModels, type AlignedCounts } from '../src/core/stats/align-models.ts';
import { percentileInterval } from '../src/core/stats/bootstrap.ts';
import { defaultKGrid } from '../src/core/stats/k-grid.ts';
import { parseVerdictsJsonl } from '../src/core/stats/parse-verdicts-jsonl.ts';
import { passAtK } from '../src/core/stats/pass-at-k.ts';
import { computePassAtKCurves } from '../src/core/stats/pass-at-k-curves.ts';
import { createRng, type Rng } from '../src/core/stats/prng.ts';
import { referencePairedBootstrapMeans } from '../src/core/stats/reference-bootstrap.ts';
import { computeStatsReport } from '../src/core/stats/stats-report.ts';
import type { ProblemCount } from '../src/core/stats/types.ts';

const { values } = parseArgs({
  options: {
    problems: { type: 'string', default: '1300000' },
    n: { type: 'string', default: '256' },
    resamples: { type: 'string', default: '2000' },
    'before-resamples': { type: 'string', default: '10' },
    'full-before': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const problems = Number(values.problems);
const n = Number(values.n);
const resamples = Number(values.resamples);
const beforeResamples = values['full-before'] ? resamples : Math.min(resamples, Number(values['before-resamples']));
const seed = Number(values.seed);

const seconds = (from: number): number => (performance.now() - from) / 1000;
/** CPU seconds of this process (user + system): steadier than wall time on a shared machine. */
const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const log = (line: string): void => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

/**
 * Per-problem counts of three models. A problem's base success rate is drawn skewed towards
 * hard problems; RL sharpens it (better where the base already does well, worse on the
 * hard tail), distillation lifts it a little; c is that rate of n plus noise.
 */
function generateCounts(problemCount: number, samples: number, rng: Rng): ProblemCount[] {
  const rows: ProblemCount[] = [];
  for (let p = 0; p < problemCount; p++) {
    const rate = rng.nextFloat() ** 3;
    const rates = { base: rate, rl: rate > 0.2 ? Math.min(1, rate * 1.5) : rate * 0.3, distilled: Math.min(1, rate * 1.2) };
    for (const [model, r] of Object.entries(rates)) {
      const c = Math.max(0, Math.min(samples, Math.round(samples * r + (rng.nextFloat() - 0.5) * 8)));
      rows.push({ model, role: model as 'base' | 'rl' | 'distilled', problem: `p${p}`, n: samples, c });
    }
  }
  return rows;
}

/** The curves' work as it was: every model's per-problem series at every k, then the textbook loop. */
function timeBefore(data: AlignedCounts, grid: readonly number[], replicates: number) {
  const from = performance.now();
  const fromCpu = cpuSeconds();
  const series: Float64Array[] = [];
  for (const model of data.models) {
    for (const k of grid) {
      if (k <= model.minN) series.push(Float64Array.from(model.n, (count, p) => passAtK(count, model.c[p], k)));
    }
  }
  const seriesSeconds = seconds(from);
  const seriesCpu = cpuSeconds() - fromCpu;
  const loopFrom = performance.now();
  const loopFromCpu = cpuSeconds();
  const result = referencePairedBootstrapMeans(series, { resamples: replicates, seed });
  return { seriesSeconds, seriesCpu, loopSeconds: seconds(loopFrom), loopCpu: cpuSeconds() - loopFromCpu, replicates: result };
}

log(`generating ${problems} problems × 3 models, n = ${n} …`);
const text = generateCounts(problems, n, createRng(seed)).map((row) => JSON.stringify(row)).join('\n') + '\n';
let at = performance.now();
const parsed = parseVerdictsJsonl(text, 'generated.jsonl');
const parseSeconds = seconds(at);
if (!parsed.ok) throw new Error('the generated verdicts do not parse');
const aligned = alignModels(parsed.value);
if (!aligned.ok) throw new Error(aligned.error);
const ks = defaultKGrid(n);

log('the rest of the report (alignment, coverage, histograms), B = 1 …');
at = performance.now();
let cpu = cpuSeconds();
computeStatsReport(parsed.value, { resamples: 1, seed });
const restSeconds = seconds(at);
const restCpu = cpuSeconds() - cpu;

log(`after: computeStatsReport, B = ${resamples} …`);
at = performance.now();
cpu = cpuSeconds();
const report = computeStatsReport(parsed.value, { resamples, seed });
const afterSeconds = seconds(at);
const afterCpu = cpuSeconds() - cpu;
if (!report.ok) throw new Error(report.error);

log(`before: per-problem series and the textbook loop, B = ${beforeResamples} …`);
const before = timeBefore(aligned.value, ks, beforeResamples);
const scale = resamples / beforeResamples;
const beforeSeconds = restSeconds + before.seriesSeconds + before.loopSeconds * scale;
const beforeCpu = restCpu + before.seriesCpu + before.loopCpu * scale;

// Same draws: replicate b of a series is the same multiset's mean before and after, summed in
// another order. An interval is made of order statistics, which move by no more than the
// replicates do, so its difference is bounded by the replicates' largest one.
const after = computePassAtKCurves(aligned.value, { ks, resamples: beforeResamples, seed }).flatMap((curve) => curve.points);
let replicateDifference = 0;
let intervalDifference = 0;
after.forEach((point, s) => {
  point.replicates.forEach((value, b) => {
    replicateDifference = Math.max(replicateDifference, Math.abs(value - before.replicates[s][b]));
  });
  const [lo, hi] = percentileInterval(before.replicates[s]);
  intervalDifference = Math.max(intervalDifference, Math.abs(lo - point.ci[0]), Math.abs(hi - point.ci[1]));
});

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const figures = {
  problems, models: 3, n, resamples, ks: ks.length,
  inputMegabytes: round(text.length / 1e6),
  parseSeconds: round(parseSeconds),
  restOfReportSeconds: round(restSeconds),
  before: {
    reportSeconds: round(beforeSeconds),
    reportCpuSeconds: round(beforeCpu),
    seriesSeconds: round(before.seriesSeconds),
    loopSeconds: round(before.loopSeconds, 2),
    loopTimedAt: beforeResamples,
  },
  after: { reportSeconds: round(afterSeconds), reportCpuSeconds: round(afterCpu) },
  speedup: round(beforeSeconds / afterSeconds),
  cpuSpeedup: round(beforeCpu / afterCpu),
  comparedReplicates: beforeResamples,
  largestReplicateDifference: replicateDifference,
  largestIntervalDifference: intervalDifference,
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  const scaled = beforeResamples < resamples ? `, its loop timed at B = ${beforeResamples} (${figures.before.loopSeconds} s) and scaled` : '';
  process.stdout.write([
    `${problems} problems × 3 models, n = ${n}, ${ks.length} ks, B = ${resamples}; input ${figures.inputMegabytes} MB of JSONL`,
    `parse ${figures.parseSeconds} s (not part of the comparison); the rest of the report ${figures.restOfReportSeconds} s (in both)`,
    '',
    `                           ${'wall'.padStart(8)}     ${'CPU'.padStart(8)}`,
    `computeStatsReport before  ${String(figures.before.reportSeconds).padStart(8)} s   ${String(figures.before.reportCpuSeconds).padStart(8)} s   (per-problem series ${figures.before.seriesSeconds} s${scaled})`,
    `computeStatsReport after   ${String(figures.after.reportSeconds).padStart(8)} s   ${String(figures.after.reportCpuSeconds).padStart(8)} s   (${figures.speedup}× faster, ${figures.cpuSpeedup}× in CPU time)`,
    '',
    `first ${beforeResamples} replicates of every series, before vs after: largest difference ${replicateDifference.toExponential(2)},`,
    `95% interval ends: largest difference ${intervalDifference.toExponential(2)}`,
  ].join('\n') + '\n');
}
