import type { RunAnalysis } from '../../../../core/protocol/run-analysis-schema.ts';
import type { Role } from '../../../../core/roles.ts';
import type { CurveSeries } from '../../charts/pass-at-k-chart.tsx';
import { unitRange } from '../../charts/scales.ts';
import { csvLine } from './report-data.ts';

/**
 * The analysis of `run:analysis` re-arranged for charts, tables and files: its own numbers,
 * moved, never computed (the coordinator computed them with src/core).
 */
export type ModelSummary = RunAnalysis['stats']['models'][number];
export type Grouped = NonNullable<RunAnalysis['byLevel']>;
export type GroupCurves = Grouped['groups'][number];

/** The k of a model's curve, in order (the keys of its passAtK). */
export const ksOf = (m: ModelSummary): number[] => Object.keys(m.passAtK).map(Number).sort((a, b) => a - b);

/** A model's curve as a chart series; `scope` keeps ids apart when several charts share a page. */
export function modelSeries(m: ModelSummary, scope: string, options: { label?: string; dashed?: boolean } = {}): CurveSeries {
  return {
    id: `${scope}/${m.model}`,
    label: options.label ?? `${m.model} (${m.role})`,
    role: m.role,
    dashed: options.dashed ?? false,
    band: !options.dashed,
    points: ksOf(m).map((k) => ({ k, value: m.passAtK[String(k)], ci: m.ci[String(k)] })),
  };
}

/** One y range for every small multiple, so a level's curves compare with another's by height. */
export function sharedRange(groups: readonly GroupCurves[]): [number, number] {
  return unitRange(groups.flatMap((g) => g.models.flatMap((m) => ksOf(m).flatMap((k) => [m.passAtK[String(k)], ...m.ci[String(k)]]))));
}

/** The largest k every model of a group has (where its table reads the curve's end). */
export function lastSharedK(g: GroupCurves): number | null {
  const shared = g.models.map(ksOf).reduce<number[]>((acc, ks) => acc.filter((k) => ks.includes(k)), g.models[0] ? ksOf(g.models[0]) : []);
  return shared.at(-1) ?? null;
}

export function groupsCsv(kind: 'level' | 'subject', grouped: Grouped): string {
  const lines = [csvLine([kind, 'problems', 'model', 'role', 'k', 'pass_at_k', 'ci_low', 'ci_high'])];
  for (const g of grouped.groups) {
    for (const m of g.models) for (const k of ksOf(m)) lines.push(csvLine([g.group, g.problems, m.model, m.role, k, m.passAtK[String(k)], ...m.ci[String(k)]]));
  }
  return lines.join('\n') + '\n';
}

export function perplexityCsv(pairs: RunAnalysis['perplexity']['pairs']): string {
  const lines = [csvLine(['answers_of', 'under', 'samples', 'problems', 'median', 'median_ci_low', 'median_ci_high', 'q10', 'q25', 'q75', 'q90', 'mean'])];
  for (const p of pairs) lines.push(csvLine([p.model, p.scorer, p.samples, p.problems, p.median, ...p.medianCi, p.quantiles.q10, p.quantiles.q25, p.quantiles.q75, p.quantiles.q90, p.mean]));
  return lines.join('\n') + '\n';
}

export function diversityCsv(rows: RunAnalysis['diversity']): string {
  const lines = [csvLine(['model', 'problems', 'samples_per_problem', 'answers_mean', 'answers_ci_low', 'answers_ci_high', 'chains_mean', 'chains_ci_low', 'chains_ci_high'])];
  for (const d of rows) lines.push(csvLine([d.model, d.problems, d.samples, d.answers.mean, ...d.answers.ci, d.chains.mean, ...d.chains.ci]));
  return lines.join('\n') + '\n';
}

export function labelsCsv(labels: NonNullable<RunAnalysis['labels']>): string {
  const lines = [csvLine(['model', 'role', 'counting', 'k', 'pass_at_k', 'ci_low', 'ci_high'])];
  for (const [counting, report] of [['all correct', labels.plain], ['valid chains only', labels.validOnly]] as const) {
    for (const m of report.models) for (const k of ksOf(m)) lines.push(csvLine([m.model, m.role, counting, k, m.passAtK[String(k)], ...m.ci[String(k)]]));
  }
  return lines.join('\n') + '\n';
}

/**
 * Rows in the run's model order (base, RL, distilled as the spec lists them), the order of
 * every other figure, instead of the analysis' alphabetical one; `keys` gives a row's models.
 */
export function inRunOrder<T>(analysis: RunAnalysis, rows: readonly T[], keys: (row: T) => string[]): T[] {
  const order = new Map(analysis.run.models.map((m, i) => [m.id, i]));
  const rank = (row: T) => keys(row).map((k) => order.get(k) ?? order.size);
  return [...rows].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return 0;
  });
}

/** Each model's role, from the run's models (perplexity and diversity name models by id only). */
export function roleOf(analysis: RunAnalysis): (model: string) => Role {
  const roles = new Map(analysis.run.models.map((m) => [m.id, m.role]));
  return (model) => roles.get(model) ?? 'other';
}
