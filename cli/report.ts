import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeRun } from '../src/coordinator/runs/run-analysis.ts';
import { Scheduler } from '../src/coordinator/scheduler/scheduler.ts';
import { countVerdicts } from '../src/coordinator/store/samples.ts';
import { computeForecast, type ForecastReport } from '../src/core/stats/forecast.ts';
import { renderReportHtml } from '../src/core/report/render-report-html.ts';
import { reportCsvFiles, reportVerdicts } from '../src/core/report/report-files.ts';
import { parseKList } from '../src/core/stats/k-grid.ts';
import { DEFAULT_SEED } from '../src/core/stats/stats-report.ts';
import { verdictText } from '../src/core/stats/verdict.ts';
import { writeFileAtomic } from '../src/node/fs/write-file-atomic.ts';
import { UsageError, type Command } from './command.ts';
import { DATA_DIR_OPTION, openDataDir, runNamed } from './data-dir.ts';
import { FORECAST_OPTIONS, forecastOption } from './forecast-option.ts';
import { flag, num, str, unwrap } from './options.ts';
import { bootstrapProgress } from './stats.ts';
import { VERSION } from './version.ts';

const usage = `passk report RUN [--out DIR] [--json] [--k 1,2,4,…] [--seed S] [--forecast-to K] [--data-dir D]

The paper's analysis of a run, from its stored verdicts, scores and labels (no worker or
model folder needed): pass@k with paired bootstrap intervals, the crossover and ΔSE, the
accuracy histogram, solvable coverage with the problem lists, curves per difficulty level
and per subject where the benchmark has them, perplexity of each model's answers under the
scoring models, answer diversity, guessed answers, and pass@k of hand-labelled valid chains.

  --out DIR     write report.html (one self-contained page: inline SVG, no network, prints
                well), a CSV per figure and analysis.json into DIR (made if missing)
  --json        print the figures as one JSON object; its models, coverage and crossover read
                as in \`passk stats --json\`; \`verdicts\` gives base − RL at the largest k and at
                the crossover with their intervals and a reading (widened / only sharpened /
                not significant); the same lines go to standard error
  --k LIST      the k grid (default: the spec's, else 1, 2, 4, … n)
  --seed S      bootstrap seed (default ${DEFAULT_SEED})
  --forecast-to K
                also forecast pass@k for k = 1, 2, 4, … K beyond the samples drawn, from a fit
                of each model's per-problem success rates (README: "Forecast"): "forecast" in
                --json and analysis.json, dashed curves beyond n in report.html
  --forecast-family F
                zero-inflated-beta (default) | beta | beta-mixture`;

export const reportCommand: Command = {
  summary: 'the paper\'s analysis of a run as an HTML page, CSV and JSON',
  usage,
  allowPositionals: true,
  options: { out: { type: 'string' }, json: { type: 'boolean' }, k: { type: 'string' }, seed: { type: 'string' }, ...FORECAST_OPTIONS, ...DATA_DIR_OPTION },
  async run(values, positionals) {
    if (positionals.length > 1) throw new UsageError(`one run at a time (got ${positionals.join(', ')})`);
    const out = str(values, 'out');
    if (out === undefined && !flag(values, 'json')) throw new UsageError('say where the report goes: --out DIR, or --json for standard output');
    if (out !== undefined && existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out}: exists and is not a folder`);
    const forecastTo = forecastOption(values);
    const db = openDataDir(values);
    try {
      const run = runNamed(db, positionals[0]);
      const ks = str(values, 'k') !== undefined ? unwrap(parseKList(str(values, 'k')!), '--k') : undefined;
      const seed = num(values, 'seed', true, 0) ?? DEFAULT_SEED;
      const analysis = analyzeRun(new Scheduler(db), run, { ...(ks ? { ks } : {}), seed });
      if (!analysis.ok) throw new UsageError(analysis.error);
      let forecast: ForecastReport | undefined;
      if (forecastTo !== undefined) {
        // From the same per-problem counts as the analysis (sampled verdicts and imported counts alike).
        const result = computeForecast(countVerdicts(db, run.id), { ...forecastTo, seed, onProgress: bootstrapProgress(process.stderr, 'passk report: forecast bootstrap') });
        if (!result.ok) throw new UsageError(result.error);
        forecast = result.value;
      }
      const verdicts = reportVerdicts(analysis.value);
      if (out !== undefined) {
        mkdirSync(out, { recursive: true });
        const command = ['passk', 'report', run.name, ...process.argv.slice(3).filter((a) => a !== run.name)].join(' ');
        await writeFileAtomic(join(out, 'report.html'), renderReportHtml(analysis.value, { generatedAt: new Date().toISOString(), version: VERSION, command }, forecast));
        for (const [name, text] of Object.entries(reportCsvFiles(analysis.value, forecast))) await writeFileAtomic(join(out, name), text);
        process.stderr.write(`passk report: ${run.name} → ${resolve(out, 'report.html')} (and a CSV per figure, analysis.json)\n`);
      }
      // The verdict in a line per base–RL pair (on stderr, so --json's standard output stays one JSON object).
      for (const v of verdicts) {
        for (const which of ['atKMax', 'atCrossover'] as const) {
          if (which === 'atCrossover' && v.atCrossover?.k === v.atKMax?.k) continue;
          const text = verdictText({ base: v.base, rl: v.rl, verdict: v }, which);
          if (text) process.stderr.write(`passk report: ${text}\n`);
        }
      }
      if (flag(values, 'json')) {
        const { stats, ...rest } = analysis.value;
        process.stdout.write(JSON.stringify({ ...stats, ...rest, verdicts, ...(forecast ? { forecast } : {}) }) + '\n');
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
