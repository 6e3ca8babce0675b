import { passAtK } from './pass-at-k.ts';
import type { ModelCounts } from './align-models.ts';

/**
 * Which problems two models can solve at k. A problem is "solvable at k" by a model when
 * its pass@k estimate is above zero. For 1 ≤ k ≤ n that holds exactly when at least one of
 * the n samples was correct (c > 0), whatever k: the unbiased estimator never calls a
 * problem with a correct sample impossible. So the sets are those of the paper's coverage
 * comparison (a problem counts once any sample solves it), and they grow with n, not k.
 *
 * What does change with k is how many problems one expects to see solved when drawing k
 * samples: `expected` sums pass@k products per problem (the two models sampled
 * independently), e.g. expected.onlyA = Σ pA(1 − pB).
 *
 * When the two models drew different n on some problem (`samplesDiffer`), the sets favour
 * the model with more samples; the expected counts, taken at one k for both, stay fair.
 */
export interface SolvableCoverage {
  a: string;
  b: string;
  k: number;
  both: string[];
  onlyA: string[];
  onlyB: string[];
  neither: string[];
  samplesDiffer: boolean;
  expected: { both: number; onlyA: number; onlyB: number; neither: number };
}

export function solvableCoverage(problems: readonly string[], a: ModelCounts, b: ModelCounts, k: number): SolvableCoverage {
  const limit = Math.min(a.minN, b.minN);
  if (k > limit) {
    throw new RangeError(`coverage: k=${k} exceeds the smallest n (${limit}) of "${a.model}" and "${b.model}"`);
  }
  const result: SolvableCoverage = {
    a: a.model, b: b.model, k,
    both: [], onlyA: [], onlyB: [], neither: [],
    samplesDiffer: a.n.some((n, p) => n !== b.n[p]),
    expected: { both: 0, onlyA: 0, onlyB: 0, neither: 0 },
  };
  problems.forEach((problem, p) => {
    const solvedA = a.c[p] > 0;
    const solvedB = b.c[p] > 0;
    (solvedA ? (solvedB ? result.both : result.onlyA) : solvedB ? result.onlyB : result.neither).push(problem);
    const pa = passAtK(a.n[p], a.c[p], k);
    const pb = passAtK(b.n[p], b.c[p], k);
    result.expected.both += pa * pb;
    result.expected.onlyA += pa * (1 - pb);
    result.expected.onlyB += (1 - pa) * pb;
    result.expected.neither += (1 - pa) * (1 - pb);
  });
  return result;
}
