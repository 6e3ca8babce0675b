import { summarizeDiversity } from '../../core/analysis/diversity.ts';
import { curvesByGroup } from '../../core/analysis/group-curves.ts';
import { summarizePerplexity } from '../../core/analysis/perplexity.ts';
import { validOnlyReport, type LabelledCount } from '../../core/analysis/valid-only.ts';
import type { RunAnalysis } from '../../core/report/run-analysis.ts';
import type { Result } from '../../core/result.ts';
import { computeStatsReport, type StatsOptions } from '../../core/stats/stats-report.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { labelledCounts } from '../store/labels.ts';
import { countProblems, problemGroups } from '../store/problems.ts';
import type { Run } from '../store/runs.ts';
import { countVerdicts, diversityRows, fallbackVerdicts } from '../store/samples.ts';
import { listScores } from '../store/scores.ts';
import { digestOf, reportSpec } from './run-service.ts';

/**
 * The whole analysis of a run from the store: aggregates and index lookups only (verdict
 * counts per problem, distinct answers per problem, text hashes from their index, scores), so a run of
 * a million samples is never loaded whole.
 */
export function analyzeRun(scheduler: Scheduler, run: Run, options: StatsOptions = {}): Result<RunAnalysis> {
  const { db } = scheduler;
  const counts = countVerdicts(db, run.id);
  if (counts.length === 0) return { ok: false, error: `run ${run.name} has no verdicts yet` };
  const spec = reportSpec(run);
  const ks = options.ks ?? spec.ks;
  const statsOptions = { ...options, ...(ks ? { ks } : {}) };
  const stats = computeStatsReport(counts, statsOptions);
  if (!stats.ok) return stats;

  const problems = problemGroups(db, run.id);
  const grouped = (field: 'level' | 'subject') => {
    const groupOf = new Map(problems.flatMap((p) => { const group = p[field]; return group === null ? [] : [[p.id, group] as const]; }));
    if (groupOf.size === 0) return null;
    const result = curvesByGroup(counts, groupOf, statsOptions);
    return result.ok ? result.value : null;
  };

  // Every list follows the run's model order (base, rl, distilled as the spec gave them), not the alphabet.
  const runModels = scheduler.runModels(run.id);
  const position = new Map(runModels.map((m, i) => [m.id, i]));
  const at = (id: string) => position.get(id) ?? runModels.length;
  const byModel = (a: { model: string }, b: { model: string }) => at(a.model) - at(b.model);

  const scores = listScores(db, run.id).sort((a, b) => at(a.scorer) - at(b.scorer) || byModel(a, b));
  const pairs = summarizePerplexity(scores, { seed: options.seed });
  const note = pairs.length > 0 ? null
    : spec.scoring.length === 0 ? 'no scoring pairs in the spec: add "scoring: [{answers: rl, under: base}, …]" to score one model\'s answers under another'
      : 'the scoring shards have not run yet';

  const fallback = fallbackVerdicts(db, run.id).sort(byModel);
  const roles = new Map(runModels.map((m) => [m.id, m.role]));
  const labelled = labelledCounts(db, run.id).map((r): LabelledCount => ({ ...r, role: roles.get(r.model) }));
  const labels = validOnlyReport(labelled, statsOptions);
  if (!labels.ok) return labels;
  const { digest, samples } = digestOf(scheduler, run);

  return {
    ok: true,
    value: {
      run: {
        id: run.id, name: run.name, status: run.status, benchmark: run.benchmark, verifier: run.verifier,
        problems: countProblems(db, run.id), n: run.n, seed: run.seed, origin: run.origin,
        createdAt: run.createdAt, finishedAt: run.finishedAt, samples, samplesDigest: digest,
        models: runModels.map(({ id, role, label, folder, dtype, sha256, settings, prompt }) => ({ id, role, label, folder, dtype, sha256, settings, prompt })),
      },
      stats: stats.value,
      byLevel: grouped('level'),
      bySubject: grouped('subject'),
      perplexity: { pairs, note },
      diversity: summarizeDiversity(diversityRows(db, run.id).sort(byModel), { seed: options.seed }),
      fallback,
      labels: labels.value,
    },
  };
}
