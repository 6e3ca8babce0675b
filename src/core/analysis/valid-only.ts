import type { Result } from '../result.ts';
import { computeStatsReport, type StatsOptions, type StatsReport } from '../stats/stats-report.ts';
import type { ProblemCount } from '../stats/types.ts';

/** Per (model, problem) where labels exist: samples, correct, and correct ones labelled valid. */
export interface LabelledCount extends ProblemCount {
  validCorrect: number;
  labelled: number;
  correctUnlabelled: number;
}

export interface ValidOnlyReport {
  /** Problems with at least one labelled sample (of any model): the set both reports cover. */
  problems: number;
  labelled: number;
  /** Correct samples nobody labelled: they count in `plain`, not in `validOnly`, so the gap is an upper bound on invalid chains. */
  correctUnlabelled: number;
  plain: StatsReport;
  /** pass@k when a sample counts only if it is correct and labelled valid: a lower bound on chains that are right for the right reason. */
  validOnly: StatsReport;
}

/**
 * pass@k counting only samples labelled valid, beside the plain pass@k on the same problems
 * (the paper read chains by hand to check that correct answers at large k come from valid
 * reasoning). Only problems some label touches are compared, with the same bootstrap draws.
 */
export function validOnlyReport(rows: readonly LabelledCount[], options: StatsOptions = {}): Result<ValidOnlyReport | null> {
  const touched = new Set(rows.filter((r) => r.labelled > 0).map((r) => r.problem));
  if (touched.size === 0) return { ok: true, value: null };
  const kept = rows.filter((r) => touched.has(r.problem));
  const plain = computeStatsReport(kept, options);
  if (!plain.ok) return plain;
  const validOnly = computeStatsReport(kept.map((r) => ({ ...r, c: r.validCorrect })), { ...options, ks: plain.value.ks });
  if (!validOnly.ok) return validOnly;
  return {
    ok: true,
    value: {
      problems: touched.size,
      labelled: kept.reduce((s, r) => s + r.labelled, 0),
      correctUnlabelled: kept.reduce((s, r) => s + r.correctUnlabelled, 0),
      plain: plain.value, validOnly: validOnly.value,
    },
  };
}
