import type { ForecastReport } from '../stats/forecast.ts';
import type { RunAnalysis } from './run-analysis.ts';

/** The plain verdict of each base–RL pair of the run (the crossover's), with the pair it is about. */
export const reportVerdicts = (a: RunAnalysis) => a.stats.crossover.pairs.map((c) => ({ base: c.base, rl: c.rl, ...c.verdict }));

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (header: string[], rows: unknown[][]): string => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/** One CSV per figure of the report (and analysis.json with everything), named as the report's sections. */
export function reportCsvFiles(a: RunAnalysis, forecast?: ForecastReport): Record<string, string> {
  const files: Record<string, string> = {};
  files['pass-at-k.csv'] = csv(['model', 'role', 'k', 'pass_at_k', 'ci_low', 'ci_high'],
    a.stats.models.flatMap((m) => Object.keys(m.passAtK).map((k) => [m.model, m.role, k, m.passAtK[k], m.ci[k][0], m.ci[k][1]])));
  files['accuracy-histogram.csv'] = csv(['model', 'bin', 'problems', 'fraction'],
    a.stats.histogram.flatMap((h) => h.bins.map((b) => [h.model, b.label, b.count, b.fraction])));
  files['coverage.csv'] = csv(['model_a', 'model_b', 'k', 'set', 'problem'],
    a.stats.coverage.flatMap((c) => (['both', 'onlyA', 'onlyB', 'neither'] as const).flatMap((set) => c[set].map((p) => [c.a, c.b, c.k, set, p]))));
  const verdicts = reportVerdicts(a);
  files['crossover.csv'] = csv(['base', 'rl', 'k_max', 'crossover_k', 'difference', 'ci_low', 'ci_high', 'delta_se', 'delta_se_low', 'delta_se_high', 'delta_se_k',
    'difference_at_k_max', 'k_max_ci_low', 'k_max_ci_high', 'reading_at_k_max', 'reading_at_crossover'],
  a.stats.crossover.pairs.map((c, i) => [c.base, c.rl, c.kMax, c.k, c.difference, c.ci?.[0], c.ci?.[1], c.deltaSE?.value, c.deltaSE?.ci[0], c.deltaSE?.ci[1], c.deltaSE?.k,
    c.atKMax?.difference, c.atKMax?.ci[0], c.atKMax?.ci[1], verdicts[i].atKMax?.reading, verdicts[i].atCrossover?.reading]));
  for (const [name, grouped] of [['by-level.csv', a.byLevel], ['by-subject.csv', a.bySubject]] as const) {
    if (!grouped) continue;
    files[name] = csv(['group', 'problems', 'model', 'role', 'k', 'pass_at_k', 'ci_low', 'ci_high'],
      grouped.groups.flatMap((g) => g.models.flatMap((m) => Object.keys(m.passAtK).map((k) => [g.group, g.problems, m.model, m.role, k, m.passAtK[k], m.ci[k][0], m.ci[k][1]]))));
  }
  if (a.perplexity.pairs.length > 0) {
    files['perplexity.csv'] = csv(['scorer', 'model', 'samples', 'problems', 'median', 'median_ci_low', 'median_ci_high', 'q10', 'q25', 'q75', 'q90', 'mean'],
      a.perplexity.pairs.map((p) => [p.scorer, p.model, p.samples, p.problems, p.median, p.medianCi[0], p.medianCi[1], p.quantiles.q10, p.quantiles.q25, p.quantiles.q75, p.quantiles.q90, p.mean]));
  }
  files['diversity.csv'] = csv(['model', 'problems', 'samples_per_problem', 'answers_mean', 'answers_ci_low', 'answers_ci_high', 'chains_mean', 'chains_ci_low', 'chains_ci_high'],
    a.diversity.map((d) => [d.model, d.problems, d.samples, d.answers.mean, d.answers.ci[0], d.answers.ci[1], d.chains.mean, d.chains.ci[0], d.chains.ci[1]]));
  if (a.labels) {
    files['labels.csv'] = csv(['model', 'k', 'pass_at_k', 'ci_low', 'ci_high', 'valid_only', 'valid_ci_low', 'valid_ci_high'],
      a.labels.plain.models.flatMap((m) => {
        const valid = a.labels!.validOnly.models.find((v) => v.model === m.model)!;
        return Object.keys(m.passAtK).map((k) => [m.model, k, m.passAtK[k], m.ci[k][0], m.ci[k][1], valid.passAtK[k], valid.ci[k][0], valid.ci[k][1]]);
      }));
  }
  if (forecast) {
    files['forecast.csv'] = csv(['model', 'role', 'family', 'n', 'k', 'forecast_pass_at_k', 'ci_low', 'ci_high'],
      forecast.models.flatMap((m) => forecast.ks.map((k) => [m.model, m.role, m.family, m.n, k, m.passAtK[k], m.ci[k][0], m.ci[k][1]])));
  }
  files['analysis.json'] = JSON.stringify({ ...a, verdicts, ...(forecast ? { forecast } : {}) }, null, 2) + '\n';
  return files;
}
