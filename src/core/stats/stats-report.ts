import type { Result } from '../result.ts';
import { accuracyHistogram, type AccuracyHistogram } from './accuracy-histogram.ts';
import { alignModels } from './align-models.ts';
import { findCrossover, type Crossover } from './crossover.ts';
import { defaultKGrid } from './k-grid.ts';
import { computePassAtKCurves } from './pass-at-k-curves.ts';
import { solvableCoverage, type SolvableCoverage } from './solvable-coverage.ts';
import type { ProblemCount, Role } from './types.ts';

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_SEED = 1;

export interface ModelSummary {
  model: string;
  role: Role;
  problems: number;
  /** Smallest n over the model's problems; passAtK holds only k ≤ minN. */
  minN: number;
  passAtK: Record<string, number>;
  ci: Record<string, [number, number]>;
}

/** Everything `passk stats` reports, JSON-ready (the shape of `--json`). */
export interface StatsReport {
  problems: number;
  ks: number[];
  level: number;
  resamples: number;
  seed: number;
  models: ModelSummary[];
  histogram: ({ model: string; role: Role } & AccuracyHistogram)[];
  /** One entry per pair of models, at the largest k both have. */
  coverage: SolvableCoverage[];
  crossover: { pairs: Crossover[]; note: string | null };
}

export interface StatsOptions {
  /** The k grid; when absent 1, 2, 4, … up to the largest per-model smallest n. */
  ks?: readonly number[];
  resamples?: number;
  seed?: number;
  level?: number;
  /** Bootstrap progress (replicates done of `resamples`), the one part that grows as resamples × problems. */
  onProgress?: (done: number, total: number) => void;
}

export function computeStatsReport(counts: readonly ProblemCount[], options: StatsOptions = {}): Result<StatsReport> {
  const { resamples = DEFAULT_RESAMPLES, seed = DEFAULT_SEED, level = 0.95 } = options;
  const aligned = alignModels(counts);
  if (!aligned.ok) return aligned;
  const { problems, models } = aligned.value;
  if (models.length === 0) return { ok: false, error: 'no results: the input holds no model and problem' };
  const reachable = Math.max(...models.map((model) => model.minN));
  const ks = options.ks ? [...options.ks] : defaultKGrid(reachable);
  const tooLarge = ks.filter((k) => k > reachable);
  if (tooLarge.length > 0) {
    return { ok: false, error: `k=${tooLarge.join(',')} exceeds the number of samples of every model (the most any model has on all its problems is n=${reachable}); pass@k is undefined for k > n` };
  }

  const curves = computePassAtKCurves(aligned.value, { ks, resamples, seed, level, onProgress: options.onProgress });
  const summaries: ModelSummary[] = curves.map((curve) => ({
    model: curve.model,
    role: curve.role,
    problems: curve.problems,
    minN: curve.minN,
    passAtK: Object.fromEntries(curve.points.map((point) => [String(point.k), point.value])),
    ci: Object.fromEntries(curve.points.map((point) => [String(point.k), point.ci])),
  }));

  const coverage: SolvableCoverage[] = [];
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) {
      const limit = Math.min(models[i].minN, models[j].minN);
      const k = ks.filter((candidate) => candidate <= limit).at(-1) ?? limit;
      coverage.push(solvableCoverage(problems, models[i], models[j], k));
    }
  }

  const bases = curves.filter((curve) => curve.role === 'base');
  const rls = curves.filter((curve) => curve.role === 'rl');
  const pairs = bases.flatMap((base) => rls.map((rl) => findCrossover(base, rl, level)));
  const note = pairs.length > 0 ? null
    : `no crossover: it needs a model with role "base" and one with role "rl" (roles here: ${curves.map((c) => `${c.model}=${c.role}`).join(', ')})`;

  return {
    ok: true,
    value: {
      problems: problems.length,
      ks,
      level,
      resamples,
      seed,
      models: summaries,
      histogram: models.map((model) => ({
        model: model.model,
        role: model.role,
        ...accuracyHistogram(model.n.map((n, p) => ({ n, c: model.c[p] }))),
      })),
      coverage,
      crossover: { pairs, note },
    },
  };
}
