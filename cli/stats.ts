import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { FORECAST_OPTIONS, forecastOption } from './forecast-option.ts';
import { num, readInput, unwrap } from './options.ts';
import { computeForecast, DEFAULT_FORECAST_RESAMPLES, type ForecastReport } from '../src/core/stats/forecast.ts';
import { formatForecast } from '../src/core/stats/format-forecast.ts';
import { formatStatsReport } from '../src/core/stats/format-report.ts';
import { parseKList } from '../src/core/stats/k-grid.ts';
import { formatInputError, parseVerdictsJsonl } from '../src/core/stats/parse-verdicts-jsonl.ts';
import { renderPassAtKSvg, seriesOfReport } from '../src/core/stats/pass-at-k-svg.ts';
import { computeStatsReport, DEFAULT_RESAMPLES, DEFAULT_SEED } from '../src/core/stats/stats-report.ts';
import { sameFile } from '../src/node/fs/same-file.ts';
import { FileWriteError, whyNotReplaceable, writeFileAtomic } from '../src/node/fs/write-file-atomic.ts';

const usage = `Usage: passk stats --input FILE [--k 1,2,4,…] [--json] [--svg FILE] [--seed S] [--resamples B] [--no-fallback] [--forecast-to K]

pass@k with 95% paired bootstrap intervals, accuracy histogram, solvable coverage and the
base-vs-RL crossover, from verdicts in JSONL. One format per file:
  per sample   {"model":"base","problem":"p1","correct":true,"role":"base","sample":0}
  per problem  {"model":"base","problem":"p1","n":256,"c":17,"role":"base"}
"role" (base | rl | distilled | other) and "sample" are optional. Every model must have
every problem. Problems may have different n; a model's pass@k is the mean over all its
problems and is reported only for k up to that model's smallest n.

Options:
  --input FILE      the JSONL verdicts (required; - reads standard input)
  --k LIST          comma-separated k values (default 1, 2, 4, … up to the largest n
                    every problem of some model has)
  --json            print one JSON object instead of the table
  --svg FILE        also write the pass@k plot (x = log2 k) as SVG to FILE; a regular
                    file there is replaced (atomically), its folder must exist, and
                    anything else (a device, a FIFO, a folder, the input) is refused
  --seed S          bootstrap seed (default ${DEFAULT_SEED}); the same seed gives the same intervals
  --resamples B     bootstrap replicates (default ${DEFAULT_RESAMPLES})
  --no-fallback     count a per-sample verdict whose answer was only the last number in the
                    response ("fallback": true, or a reason saying "fallback") as incorrect;
                    either way such verdicts are counted on standard error
  --forecast-to K   also forecast pass@k for k = 1, 2, 4, … K, beyond the samples drawn, from a
                    fit of each model's per-problem success rates (README: "Forecast"); in
                    --json as "forecast"; its bootstrap refits the fit min(B, 1000) times
  --forecast-family F  zero-inflated-beta (default) | beta | beta-mixture
  -h, --help        this text

The input must be a regular file (or - for standard input), at most 512 MiB; at scale
give per-problem rows. Long work (a bootstrap of more than a second) shows its progress
on standard error.

Exit codes: 0 done, 1 bad input file or unwritable --svg, 2 bad options.`;

export const stats: Command = {
  summary: 'pass@k, bootstrap intervals, coverage and crossover from verdicts (JSONL)',
  usage,
  options: {
    input: { type: 'string' },
    k: { type: 'string' },
    json: { type: 'boolean' },
    svg: { type: 'string' },
    seed: { type: 'string' },
    resamples: { type: 'string' },
    'no-fallback': { type: 'boolean' },
    ...FORECAST_OPTIONS,
  },
  async run(values) {
    const input = values.input;
    if (typeof input !== 'string' || input === '') throw new UsageError('--input FILE is required (a JSONL file of verdicts); see `passk stats --help`');
    const ks = typeof values.k === 'string' ? unwrap(parseKList(values.k), '--k') : undefined;
    const seed = num(values, 'seed', true, 0) ?? DEFAULT_SEED;
    const resamples = num(values, 'resamples', true, 1) ?? DEFAULT_RESAMPLES;
    const forecastTo = forecastOption(values);

    const svg = typeof values.svg === 'string' ? values.svg : undefined;
    // Checked before the work, which can take minutes, rather than after it.
    if (svg !== undefined) {
      if (sameFile(svg, input)) throw new UsageError(`--svg ${svg} is the input file; write the plot to another file`);
      const refused = whyNotReplaceable(svg);
      if (refused !== null) throw new UsageError(`--svg ${refused}`);
    }

    let text: string;
    try {
      text = await readInput(input);
    } catch (error) {
      process.stderr.write(`passk stats: ${(error as Error).message}\n`);
      return 1;
    }
    if (text.length > LARGE_INPUT) process.stderr.write(`passk stats: parsing ${Math.round(text.length / 1e6)} MB of verdicts…\n`);
    const excludeFallback = values['no-fallback'] === true;
    const parsed = parseVerdictsJsonl(text, input === '-' ? '<stdin>' : input, { excludeFallback });
    if (!parsed.ok) {
      for (const error of parsed.error) process.stderr.write(`${formatInputError(error)}\n`);
      process.stderr.write(`passk stats: ${input} has errors; nothing was computed\n`);
      return 1;
    }
    if (parsed.fallback !== undefined) {
      const { verdicts, correct, byModel } = parsed.fallback;
      const models = Object.entries(byModel).map(([m, t]) => `${m} ${t.correct}/${t.verdicts}`).join(', ');
      process.stderr.write(`passk stats: ${verdicts} verdicts from the last-number fallback, ${correct} judged correct (${models}); ${excludeFallback ? 'counted as incorrect (--no-fallback)' : 'counted as judged; --no-fallback counts them as incorrect'}\n`);
    }
    const progress = bootstrapProgress();
    const report = computeStatsReport(parsed.value, { ks, seed, resamples, onProgress: progress });
    if (!report.ok) {
      process.stderr.write(`${input}: ${report.error}\n`);
      return 1;
    }
    if (svg !== undefined) {
      const title = `pass@k, ${report.value.problems} problems, ${Math.round(report.value.level * 100)}% bootstrap bands`;
      try {
        await writeFileAtomic(svg, renderPassAtKSvg(seriesOfReport(report.value), { title }));
      } catch (error) {
        if (!(error instanceof FileWriteError)) throw error;
        process.stderr.write(`passk stats: --svg ${error.message}\n`);
        return 1;
      }
    }
    let forecast: ForecastReport | undefined;
    if (forecastTo !== undefined) {
      const result = computeForecast(parsed.value, { ...forecastTo, seed, resamples: Math.min(resamples, DEFAULT_FORECAST_RESAMPLES), onProgress: bootstrapProgress(process.stderr, 'passk stats: forecast bootstrap') });
      if (!result.ok) {
        process.stderr.write(`${input}: ${result.error}\n`);
        return 1;
      }
      forecast = result.value;
    }
    process.stdout.write(values.json ? JSON.stringify(forecast ? { ...report.value, forecast } : report.value, null, 2) + '\n'
      : formatStatsReport(report.value) + (forecast ? `\n${formatForecast(forecast)}` : ''));
    return 0;
  },
};

/** Inputs past this many characters get a line on stderr before parsing, which takes a while. */
const LARGE_INPUT = 50_000_000;

/**
 * Bootstrap progress on stderr for long work only: on a terminal from the first second,
 * redrawn in place every 200 ms; otherwise (a log, a pipe) a line every 10 s from the tenth,
 * so a job that runs for minutes shows it is alive and a short one prints nothing.
 */
export function bootstrapProgress(stream: NodeJS.WriteStream = process.stderr, what = 'passk stats: bootstrap'): (done: number, total: number) => void {
  const started = performance.now();
  const quiet = stream.isTTY ? 1000 : 10_000;
  const every = stream.isTTY ? 200 : 10_000;
  // The rate is taken from the first replicate on: before it, the input was being aligned.
  let first: { at: number; done: number } | null = null;
  let drawn = Number.NEGATIVE_INFINITY;
  return (done, total) => {
    const now = performance.now();
    first ??= { at: now, done };
    const finished = done === total;
    const shown = drawn > Number.NEGATIVE_INFINITY;
    if (!shown && (finished || now - started < quiet)) return;
    if (!finished && now - drawn < every) return;
    drawn = now;
    const perReplicate = (now - first.at) / 1000 / Math.max(1, done - first.done);
    const left = finished ? 'done' : `about ${Math.ceil(perReplicate * (total - done))} s left`;
    const line = `${what} ${done}/${total} replicates, ${((now - started) / 1000).toFixed(0)} s, ${left}`;
    stream.write(stream.isTTY ? `\r${line}\u001b[K${finished ? '\n' : ''}` : `${line}\n`);
  };
}
