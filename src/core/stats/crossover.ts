import { differenceReplicates, percentileInterval } from './bootstrap.ts';
import type { PassAtKCurve, PassAtKPoint } from './pass-at-k-curves.ts';
import { crossoverVerdict, type Verdict } from './verdict.ts';

export interface Crossover {
  base: string;
  rl: string;
  /** The largest k both curves share: crossover is looked for up to here. */
  kMax: number;
  /** Smallest shared k at which base pass@k ≥ RL pass@k; null when base stays below up to kMax. */
  k: number | null;
  /** base − RL pass@k at that k, with the paired bootstrap interval of the difference. */
  difference: number | null;
  ci: [number, number] | null;
  /** base − RL pass@k at kMax (the widest k both reach), with its paired interval: the boundary's verdict. */
  atKMax: { difference: number; ci: [number, number] } | null;
  /** What the two differences say (widened, only sharpened, not significant), from crossoverVerdict. */
  verdict: Verdict;
  /** ΔSE = base pass@k − RL pass@1 at the base model's largest k (the paper's sampling-efficiency gap), with its interval. */
  deltaSE: { value: number; ci: [number, number]; k: number } | null;
}

/**
 * Where the base model catches up with its RL-trained version. Both curves must come from
 * one computePassAtKCurves call so their bootstrap replicates are paired.
 */
export function findCrossover(base: PassAtKCurve, rl: PassAtKCurve, level = 0.95): Crossover {
  const rlByK = new Map(rl.points.map((point) => [point.k, point]));
  const shared = base.points.filter((point) => rlByK.has(point.k)).sort((x, y) => x.k - y.k);
  const result: Crossover = { base: base.model, rl: rl.model, kMax: shared.at(-1)?.k ?? 0, k: null, difference: null, ci: null, atKMax: null, verdict: { atKMax: null, atCrossover: null }, deltaSE: null };
  for (const point of shared) {
    const other = rlByK.get(point.k) as PassAtKPoint;
    if (point.value >= other.value) {
      result.k = point.k;
      result.difference = point.value - other.value;
      result.ci = percentileInterval(differenceReplicates(point.replicates, other.replicates), level);
      break;
    }
  }
  const last = shared.at(-1);
  if (last) {
    const other = rlByK.get(last.k) as PassAtKPoint;
    result.atKMax = { difference: last.value - other.value, ci: percentileInterval(differenceReplicates(last.replicates, other.replicates), level) };
  }
  result.verdict = crossoverVerdict(result, level);
  const baseTop = base.points.reduce<PassAtKPoint | undefined>((top, point) => (top && top.k >= point.k ? top : point), undefined);
  const rlFirst = rlByK.get(1);
  if (baseTop && rlFirst) {
    result.deltaSE = {
      k: baseTop.k,
      value: baseTop.value - rlFirst.value,
      ci: percentileInterval(differenceReplicates(baseTop.replicates, rlFirst.replicates), level),
    };
  }
  return result;
}
