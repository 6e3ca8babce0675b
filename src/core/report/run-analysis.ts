import type { DiversitySummary } from '../analysis/diversity.ts';
import type { GroupCurves } from '../analysis/group-curves.ts';
import type { PerplexitySummary } from '../analysis/perplexity.ts';
import type { ValidOnlyReport } from '../analysis/valid-only.ts';
import type { ResolvedSettings } from '../protocol/worker-protocol.ts';
import type { Role } from '../roles.ts';
import type { StatsReport } from '../stats/stats-report.ts';

/**
 * Everything the paper reads from a run, computed from its stored verdicts, scores and
 * labels (no model, no worker): the figures of `passk report`, its HTML, CSV and JSON.
 */
export interface RunAnalysis {
  run: {
    id: string;
    name: string;
    status: string;
    benchmark: string;
    verifier: string;
    problems: number;
    n: number;
    seed: string;
    origin: { tool: string; [key: string]: unknown };
    createdAt: number;
    finishedAt: number | null;
    samples: number;
    samplesDigest: string;
    models: { id: string; role: Role; label: string | null; folder: string; dtype: string; sha256: string | null; settings: ResolvedSettings | null; prompt: unknown }[];
  };
  /** As `passk stats --json`: pass@k with paired intervals, histogram, coverage with problem lists, crossover and ΔSE. */
  stats: StatsReport;
  byLevel: { groups: GroupCurves[]; ungrouped: number } | null;
  bySubject: { groups: GroupCurves[]; ungrouped: number } | null;
  /** Perplexity of each model's answers under each scoring model (score shards); `note` says why there is none. */
  perplexity: { pairs: PerplexitySummary[]; note: string | null };
  diversity: DiversitySummary[];
  /** Math verdicts that judged only the last number in the text (a guess), per model. */
  fallback: { model: string; verdicts: number; correct: number }[];
  labels: ValidOnlyReport | null;
}
