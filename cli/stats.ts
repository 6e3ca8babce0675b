import { writeFile } from 'node:fs/promises';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { num, readInput, unwrap } from './options.ts';
import { formatStatsReport } from '../src/core/stats/format-report.ts';
import { parseKList } from '../src/core/stats/k-grid.ts';
import { formatInputError, parseVerdictsJsonl } from '../src/core/stats/parse-verdicts-jsonl.ts';
import { renderPassAtKSvg, seriesOfReport } from '../src/core/stats/pass-at-k-svg.ts';
import { computeStatsReport, DEFAULT_RESAMPLES, DEFAULT_SEED } from '../src/core/stats/stats-report.ts';

const usage = `Usage: passk stats --input FILE [--k 1,2,4,…] [--json] [--svg FILE] [--seed S] [--resamples B] [--no-fallback]

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
  --svg FILE        also write the pass@k plot (x = log2 k) as SVG to FILE
  --seed S          bootstrap seed (default ${DEFAULT_SEED}); the same seed gives the same intervals
  --resamples B     bootstrap replicates (default ${DEFAULT_RESAMPLES})
  --no-fallback     count a per-sample verdict whose answer was only the last number in the
                    response ("fallback": true, or a reason saying "fallback") as incorrect;
                    either way such verdicts are counted on standard error
  -h, --help        this text

Exit codes: 0 done, 1 bad input file, 2 bad options.`;

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
  },
  async run(values) {
    const input = values.input;
    if (typeof input !== 'string' || input === '') throw new UsageError('--input FILE is required (a JSONL file of verdicts); see `passk stats --help`');
    const ks = typeof values.k === 'string' ? unwrap(parseKList(values.k), '--k') : undefined;
    const seed = num(values, 'seed', true, 0) ?? DEFAULT_SEED;
    const resamples = num(values, 'resamples', true, 1) ?? DEFAULT_RESAMPLES;

    let text: string;
    try {
      text = await readInput(input);
    } catch (error) {
      process.stderr.write(`passk stats: cannot read ${input}: ${(error as Error).message}\n`);
      return 1;
    }
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
    const report = computeStatsReport(parsed.value, { ks, seed, resamples });
    if (!report.ok) {
      process.stderr.write(`${input}: ${report.error}\n`);
      return 1;
    }
    if (typeof values.svg === 'string') {
      const title = `pass@k, ${report.value.problems} problems, ${Math.round(report.value.level * 100)}% bootstrap bands`;
      await writeFile(values.svg, renderPassAtKSvg(seriesOfReport(report.value), { title }));
    }
    process.stdout.write(values.json ? JSON.stringify(report.value, null, 2) + '\n' : formatStatsReport(report.value));
    return 0;
  },
};
