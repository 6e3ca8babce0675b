import type { Result } from '../result.ts';
import { alignModels } from '../stats/align-models.ts';
import { differenceReplicates, percentileInterval } from '../stats/bootstrap.ts';
import { bootstrapPValue, holmRejections } from '../stats/multiple-comparisons.ts';
import { defaultKGrid } from '../stats/k-grid.ts';
import { computePassAtKCurves } from '../stats/pass-at-k-curves.ts';
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from '../stats/stats-report.ts';
import type { ProblemCount } from '../stats/types.ts';

export interface RunComparison {
  a: string;
  b: string;
  /** Problems both runs have: the comparison is paired over these only. */
  sharedProblems: number;
  onlyA: number;
  onlyB: number;
  ks: number[];
  pairs: {
    /** How the two models were matched: the same model id, else the same role. */
    matchedBy: 'id' | 'role';
    modelA: string;
    modelB: string;
    /** `p`: two-sided bootstrap p-value of b − a = 0 (bootstrapPValue); `survivesHolm`: rejected by Holm's correction over every point of every pair, at 5% family-wise error. */
    points: { k: number; a: number; b: number; difference: number; ci: [number, number]; p: number; survivesHolm: boolean }[];
  }[];
}

/**
 * Two runs of one benchmark side by side (two RL checkpoints, two temperatures): pass@k of
 * each matched pair of models over the problems both runs have, with the paired bootstrap
 * interval of the difference b − a (one set of problem draws for every curve).
 */
export function compareRuns(a: { name: string; counts: readonly ProblemCount[] }, b: { name: string; counts: readonly ProblemCount[] },
  options: { ks?: readonly number[]; resamples?: number; seed?: number } = {}): Result<RunComparison> {
  const problemsA = new Set(a.counts.map((r) => r.problem));
  const problemsB = new Set(b.counts.map((r) => r.problem));
  const shared = new Set([...problemsA].filter((p) => problemsB.has(p)));
  if (shared.size === 0) return { ok: false, error: `runs ${a.name} and ${b.name} share no problem: compare runs of one benchmark` };
  const modelsA = [...new Map(a.counts.map((r) => [r.model, r.role ?? 'other'])).entries()];
  const modelsB = [...new Map(b.counts.map((r) => [r.model, r.role ?? 'other'])).entries()];
  const matches: { matchedBy: 'id' | 'role'; modelA: string; modelB: string }[] = [];
  for (const [model] of modelsA) if (modelsB.some(([m]) => m === model)) matches.push({ matchedBy: 'id', modelA: model, modelB: model });
  if (matches.length === 0) {
    for (const [model, role] of modelsA) {
      const other = modelsB.find(([, r]) => r === role);
      if (other && !matches.some((m) => m.modelB === other[0])) matches.push({ matchedBy: 'role', modelA: model, modelB: other[0] });
    }
  }
  if (matches.length === 0) return { ok: false, error: `no model of ${a.name} matches one of ${b.name} by id or role` };
  const tag = (side: 'A' | 'B', model: string) => `${side}\u0000${model}`;
  const rows = [
    ...a.counts.filter((r) => shared.has(r.problem) && matches.some((m) => m.modelA === r.model)).map((r) => ({ ...r, model: tag('A', r.model) })),
    ...b.counts.filter((r) => shared.has(r.problem) && matches.some((m) => m.modelB === r.model)).map((r) => ({ ...r, model: tag('B', r.model) })),
  ];
  const aligned = alignModels(rows);
  if (!aligned.ok) return aligned;
  const reachable = Math.min(...aligned.value.models.map((m) => m.minN));
  const ks = options.ks ? options.ks.filter((k) => k <= reachable) : defaultKGrid(reachable);
  const curves = computePassAtKCurves(aligned.value, { ks, resamples: options.resamples ?? DEFAULT_RESAMPLES, seed: options.seed ?? DEFAULT_SEED });
  const curve = (name: string) => curves.find((c) => c.model === name)!;
  const pairs = matches.map((m) => {
    const ca = curve(tag('A', m.modelA));
    const cb = curve(tag('B', m.modelB));
    return {
      ...m,
      points: ca.points.map((pa, i) => {
        const pb = cb.points[i];
        const replicates = differenceReplicates(pb.replicates, pa.replicates);
        return { k: pa.k, a: pa.value, b: pb.value, difference: pb.value - pa.value, ci: percentileInterval(replicates), p: bootstrapPValue(replicates), survivesHolm: false };
      }),
    };
  });
  // Holm over every (pair, k) compared: a bare 95% interval off 0 among many k is one false claim in twenty.
  const points = pairs.flatMap((p) => p.points);
  holmRejections(points.map((x) => x.p)).forEach((rejected, i) => { points[i].survivesHolm = rejected; });
  return {
    ok: true,
    value: {
      a: a.name, b: b.name, sharedProblems: shared.size, onlyA: problemsA.size - shared.size, onlyB: problemsB.size - shared.size, ks,
      pairs,
    },
  };
}
