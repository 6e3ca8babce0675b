import type { Result } from '../result.ts';
import { computeStatsReport, type ModelSummary, type StatsOptions } from '../stats/stats-report.ts';
import type { ProblemCount } from '../stats/types.ts';

export interface GroupCurves {
  group: string;
  problems: number;
  /** pass@k per model on this group's problems, with paired bootstrap intervals (as `passk stats --json`'s models). */
  models: ModelSummary[];
}

/**
 * pass@k per difficulty level (or subject): the same computation as the whole run, on each
 * group's problems. Problems without a group are left out (and counted). Groups come in
 * natural order: numerically when every name is a number (levels 1–5), else alphabetically.
 */
export function curvesByGroup(counts: readonly ProblemCount[], groupOf: ReadonlyMap<string, string>, options: StatsOptions = {}):
  Result<{ groups: GroupCurves[]; ungrouped: number }> {
  const byGroup = new Map<string, ProblemCount[]>();
  const ungrouped = new Set<string>();
  for (const row of counts) {
    const group = groupOf.get(row.problem);
    if (group === undefined) {
      ungrouped.add(row.problem);
      continue;
    }
    let rows = byGroup.get(group);
    if (!rows) byGroup.set(group, (rows = []));
    rows.push(row);
  }
  const names = sortGroupNames([...byGroup.keys()]);
  const groups: GroupCurves[] = [];
  for (const group of names) {
    const rows = byGroup.get(group)!;
    const smallestN = Math.min(...rows.map((r) => r.n));
    const ks = options.ks?.filter((k) => k <= smallestN);
    const report = computeStatsReport(rows, { ...options, ks: ks && ks.length > 0 ? ks : undefined });
    if (!report.ok) return { ok: false, error: `group ${group}: ${report.error}` };
    groups.push({ group, problems: report.value.problems, models: report.value.models });
  }
  return { ok: true, value: { groups, ungrouped: ungrouped.size } };
}

/** Group names in natural order: numerically when every name is a number (levels 1–5, then 10), else alphabetically. */
export function sortGroupNames(names: readonly string[]): string[] {
  const numeric = names.every((n) => n.trim() !== '' && Number.isFinite(Number(n)));
  return [...names].sort((a, b) => (numeric ? Number(a) - Number(b) : a.localeCompare(b)));
}
