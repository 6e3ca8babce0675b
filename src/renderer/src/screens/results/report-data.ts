import { statsReportSchema, type StatsReport } from '../../../../core/protocol/stats-report-schema.ts';
import type { RunReport } from '../../../../core/protocol/ui-protocol.ts';
import { describeZodError } from '../../../../core/protocol/requests.ts';
import type { CrossoverMark, CurveSeries } from '../../charts/pass-at-k-chart.tsx';
import type { HistogramSeries } from '../../charts/histogram-chart.tsx';

/** The report inside a run:report answer, parsed at this edge (the wire type is a plain record). */
export function parseReport(r: RunReport): { ok: true; value: StatsReport } | { ok: false; error: string } {
  if (r.report === null) return { ok: false, error: r.reportError ?? 'no report' };
  const parsed = statsReportSchema.safeParse(r.report);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: `the coordinator sent a report this app cannot read (${describeZodError(parsed.error)}); update the app or the coordinator so their versions match` };
}

/** The report's curves as chart series: its own numbers, re-arranged, nothing computed. */
export function curveSeries(report: StatsReport, prefix = '', dashed = false): CurveSeries[] {
  return report.models.map((m) => ({
    id: `${prefix}${m.model}`,
    label: `${prefix}${m.model} (${m.role})`,
    role: m.role,
    dashed,
    band: !dashed,
    points: report.ks.filter((k) => m.passAtK[String(k)] !== undefined).map((k) => ({ k, value: m.passAtK[String(k)], ci: m.ci[String(k)] })),
  }));
}

export function crossoverMarks(report: StatsReport): CrossoverMark[] {
  return report.crossover.pairs.filter((p) => p.k !== null).map((p) => ({ k: p.k!, label: `${p.base} reaches ${p.rl} at k=${p.k}` }));
}

export function histogramSeries(report: StatsReport): HistogramSeries[] {
  return report.histogram.map((h) => ({ id: h.model, label: `${h.model} (${h.role})`, role: h.role, bins: h.bins }));
}

/** The pass@k table as CSV: one row per model and k, the values as the report holds them. */
export function reportCsv(report: StatsReport): string {
  const lines = ['model,role,k,pass_at_k,ci_low,ci_high'];
  for (const m of report.models) {
    for (const k of report.ks) {
      const value = m.passAtK[String(k)];
      if (value === undefined) continue;
      const [lo, hi] = m.ci[String(k)];
      lines.push(csvLine([m.model, m.role, k, value, lo, hi]));
    }
  }
  return lines.join('\n') + '\n';
}

/** One CSV line, cells quoted where they hold a comma, a quote or a line break. */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return cells.map((c) => (c === null ? '' : /[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');
}

/** A run's name as a file name's stem. */
export const fileStem = (name: string): string => name.replace(/[^\w.-]+/g, '_');

/** Why live curves are not there yet, in words, for the report errors a running run gives. */
export function waitingReason(error: string): string {
  if (error === 'no verdicts yet') return 'No sample is verified yet.';
  if (/has no|missing|every model/i.test(error)) return `Waiting until every model has a verdict on every problem (curves are paired by problem): ${error}`;
  return error;
}
