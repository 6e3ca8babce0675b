/**
 * Maximum-likelihood fits of the distribution of per-problem success probabilities p from
 * each problem's c correct of n samples, c = 0 problems included. Three families:
 *
 * - `beta`: p ~ Beta(a, b), so c ~ Beta-binomial(n, a, b).
 * - `zero-inflated-beta`: p = 0 with probability `zero` (a set of problems the model never
 *   solves), else p ~ Beta(a, b).
 * - `beta-mixture`: p ~ w·Beta(a₁, b₁) + (1 − w)·Beta(a₂, b₂), e.g. a hard set whose mass
 *   sits near 0 beside the bulk.
 *
 * A single Beta cannot hold a set the model never solves: to explain many c = 0 problems
 * it piles density near p = 0 with a power-law tail p^(a−1), and that tail is forecast to be
 * solved as k grows (1 − pass@k falls like k^(−a)).
 *
 * The fit works on the distinct (n, c) classes with their problem counts as weights, so a
 * bootstrap replicate refits from reweighted classes. The optimizer is Nelder–Mead over
 * unbounded parameters (ln a, ln b, logit of a weight), held to [−LIMIT, LIMIT] by a
 * penalty: data that push a or b to 0 or ∞ (every c = 0, every c = n) give a fit at the
 * bound whose forecast is still the limit's (pass@k ≈ 0, ≈ 1).
 */
export type ForecastFamily = 'beta' | 'zero-inflated-beta' | 'beta-mixture';
export const FORECAST_FAMILIES: readonly ForecastFamily[] = ['beta', 'zero-inflated-beta', 'beta-mixture'];

export interface BetaComponent { weight: number; a: number; b: number }

export interface SuccessPrior {
  family: ForecastFamily;
  /** Mass at p = 0 (0 but for `zero-inflated-beta`). */
  zero: number;
  /** The Beta parts; their weights and `zero` sum to 1. */
  components: BetaComponent[];
  /** Log-likelihood of the counts, binomial coefficients included. */
  logLikelihood: number;
  /** Free parameters: 2, 3 and 5. */
  parameters: number;
  /** Bayesian information criterion, −2·logLikelihood + parameters·ln(problems): lower is better. */
  bic: number;
}

/** Problems with c correct of n, `weight` of them. */
export interface CountClass { n: number; c: number; weight: number }

const LIMIT = 12;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be positive, got ${x}`);
  // Below 0.5 the series loses digits; Γ(x) = Γ(x + 1) / x keeps them.
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(x, y) = ln Γ(x) + ln Γ(y) − ln Γ(x + y). */
export function logBeta(x: number, y: number): number {
  return logGamma(x) + logGamma(y) - logGamma(x + y);
}

/** ln P(c of n | p ~ Beta(a, b)) without the binomial coefficient. */
function logBetaBinomialKernel(a: number, b: number, n: number, c: number): number {
  return logBeta(a + c, b + n - c) - logBeta(a, b);
}

function logAddExp(x: number, y: number): number {
  const m = Math.max(x, y);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

function logChoose(n: number, c: number): number {
  return logGamma(n + 1) - logGamma(c + 1) - logGamma(n - c + 1);
}

/** ln of each part's prior weight times P(c of n | part), binomial coefficient left out: the mass at 0 first (−∞ where it cannot have made c), then the components. */
function logJoint(prior: Pick<SuccessPrior, 'zero' | 'components'>, n: number, c: number): number[] {
  const parts = [prior.zero > 0 && c === 0 ? Math.log(prior.zero) : -Infinity];
  for (const { weight, a, b } of prior.components) parts.push(Math.log(weight) + logBetaBinomialKernel(a, b, n, c));
  return parts;
}

function logSumExp(values: readonly number[]): number {
  let total = -Infinity;
  for (const v of values) total = logAddExp(total, v);
  return total;
}

function logLikelihoodOf(prior: Pick<SuccessPrior, 'zero' | 'components'>, classes: readonly CountClass[]): number {
  let sum = 0;
  for (const { n, c, weight } of classes) {
    if (weight > 0) sum += weight * logSumExp(logJoint(prior, n, c));
  }
  return sum;
}

const clamp = (x: number): number => Math.min(LIMIT, Math.max(-LIMIT, x));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (q: number): number => Math.log(q / (1 - q));
const PARAMETERS: Record<ForecastFamily, number> = { 'beta': 2, 'zero-inflated-beta': 3, 'beta-mixture': 5 };

function decode(family: ForecastFamily, x: readonly number[]): Pick<SuccessPrior, 'zero' | 'components'> {
  const [a, b, c, d] = x.slice(0, 4).map((v) => Math.exp(clamp(v)));
  if (family === 'beta') return { zero: 0, components: [{ weight: 1, a, b }] };
  if (family === 'zero-inflated-beta') {
    const zero = sigmoid(clamp(x[2]));
    return { zero, components: [{ weight: 1 - zero, a, b }] };
  }
  const w = sigmoid(clamp(x[4]));
  return { zero: 0, components: [{ weight: w, a, b }, { weight: 1 - w, a: c, b: d }] };
}

function encode(prior: SuccessPrior): number[] {
  const safeLogit = (q: number): number => logit(Math.min(1 - 1e-9, Math.max(1e-9, q)));
  const [first, second] = prior.components;
  const x = [Math.log(first.a), Math.log(first.b)];
  if (prior.family === 'zero-inflated-beta') x.push(safeLogit(prior.zero));
  if (prior.family === 'beta-mixture') x.push(Math.log(second.a), Math.log(second.b), safeLogit(first.weight));
  return x;
}

/** Starting points: moments of c/n for the Beta; for the mixtures also the zeros' share as the hard part's weight. */
function starts(family: ForecastFamily, classes: readonly CountClass[]): number[][] {
  let w = 0;
  let m1 = 0;
  let m2 = 0;
  let zeros = 0;
  for (const { n, c, weight } of classes) {
    const q = c / n;
    w += weight;
    m1 += weight * q;
    m2 += weight * q * q;
    if (c === 0) zeros += weight;
  }
  const mean = Math.min(0.99, Math.max(0.01, m1 / w));
  const variance = Math.max(1e-4, m2 / w - (m1 / w) ** 2);
  const total = Math.max(0.05, Math.min(1e4, (mean * (1 - mean)) / variance - 1));
  const beta = [Math.log(mean * total), Math.log((1 - mean) * total)];
  const share = Math.min(0.9, Math.max(0.02, zeros / w));
  if (family === 'beta') return [beta, [Math.log(0.5), Math.log(2)], [0, 0]];
  if (family === 'zero-inflated-beta') return [[...beta, logit(share / 2)], [...beta, logit(share)], [0, 0, logit(0.05)], [Math.log(0.5), Math.log(2), logit(share * 0.8)]];
  // Hard part first: small mean, near p = 0; the bulk from the moments or spread out.
  return [
    [Math.log(0.3), Math.log(20), ...beta, logit(share)],
    [Math.log(0.5), Math.log(5), Math.log(2), Math.log(1), 0],
    [Math.log(1), Math.log(50), ...beta, logit(Math.min(0.9, share * 2))],
    [Math.log(0.2), Math.log(2), Math.log(1), Math.log(1), 0],
  ];
}

/** Fits one family by maximum likelihood. `from` (an earlier fit of the same family) is the only start, as a bootstrap refit wants. */
export function fitSuccessPrior(family: ForecastFamily, classes: readonly CountClass[], from?: SuccessPrior): SuccessPrior {
  const problems = classes.reduce((sum, k) => sum + k.weight, 0);
  if (!(problems > 0)) throw new RangeError('forecast: no problems to fit');
  for (const { n, c, weight } of classes) {
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(c) || c < 0 || c > n || !(weight >= 0)) {
      throw new RangeError(`forecast: a count needs integers 0 ≤ c ≤ n, n ≥ 1 and a weight ≥ 0 (got c=${c}, n=${n}, weight=${weight})`);
    }
  }
  const objective = (x: readonly number[]): number => {
    let penalty = 0;
    for (const v of x) penalty += (v - clamp(v)) ** 2;
    const value = -logLikelihoodOf(decode(family, x), classes) + penalty;
    return Number.isFinite(value) ? value : Number.MAX_VALUE;
  };
  // Cold starts guard the first fit against a local optimum (a mixture's likelihood has
  // several: the zeros read as the mass, or as a Beta's left tail); a bootstrap refit starts
  // from the full-data fit, which lies near its optimum.
  const candidates = from && from.family === family ? [encode(from)] : starts(family, classes);
  let best: { x: number[]; value: number } | null = null;
  for (const start of candidates) {
    const found = nelderMead(objective, start);
    if (!best || found.value < best.value) best = found;
  }
  const { zero, components } = decode(family, best!.x);
  const constant = classes.reduce((sum, k) => sum + (k.weight === 0 ? 0 : k.weight * logChoose(k.n, k.c)), 0);
  const logLikelihood = logLikelihoodOf({ zero, components }, classes) + constant;
  const parameters = PARAMETERS[family];
  return { family, zero, components, logLikelihood, parameters, bic: -2 * logLikelihood + parameters * Math.log(problems) };
}

/**
 * ln E[(1 − p)^k | c of n] under the posterior of p: the chance that k more samples all
 * fail. Each Beta part's posterior is Beta(a + c, b + n − c), on which the expectation is
 * B(a + c, b + n − c + k) / B(a + c, b + n − c); on the mass at 0 every sample fails. The
 * parts weigh by their prior weight times the chance of c of n under them. With n = c = 0
 * it is the prior's own E[(1 − p)^k], e.g. B(a, b + k) / B(a, b) for one Beta.
 *
 * Differences of ln Γ keep about 1e-16 × ln Γ(b + n + k) absolute: 1e-10 at the bound
 * b = e^12, far below any pass@k that matters, but not relative digits of a tiny pass@k.
 */
export function logExpectedMisses(prior: SuccessPrior, n: number, c: number, k: number): number {
  const joint = n === 0 ? [prior.zero > 0 ? Math.log(prior.zero) : -Infinity, ...prior.components.map((part) => Math.log(part.weight))] : logJoint(prior, n, c);
  const total = logSumExp(joint);
  const terms = [joint[0] - total];
  prior.components.forEach(({ a, b }, j) => {
    terms.push(joint[j + 1] - total + logBeta(a + c, b + n - c + k) - logBeta(a + c, b + n - c));
  });
  return Math.min(0, logSumExp(terms));
}

/** The forecast pass@k of one problem with c of n: 1 − E[(1 − p)^k | c of n]. */
export function forecastProblemPassAtK(prior: SuccessPrior, n: number, c: number, k: number): number {
  return -Math.expm1(logExpectedMisses(prior, n, c, k));
}

/** Nelder–Mead minimisation (standard coefficients 1, 2, ½, ½); stops when the simplex's values agree to `tolerance`. */
export function nelderMead(f: (x: readonly number[]) => number, start: readonly number[], options: { step?: number; tolerance?: number; maxIterations?: number } = {}): { x: number[]; value: number } {
  const { step = 0.5, tolerance = 1e-10, maxIterations = 2000 } = options;
  const d = start.length;
  const simplex: { x: number[]; value: number }[] = [{ x: [...start], value: f(start) }];
  for (let i = 0; i < d; i++) {
    const x = [...start];
    x[i] += step;
    simplex.push({ x, value: f(x) });
  }
  const along = (from: readonly number[], to: readonly number[], t: number): number[] => from.map((v, i) => v + t * (to[i] - v));
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    simplex.sort((p, q) => p.value - q.value);
    const best = simplex[0];
    const worst = simplex[d];
    if (Math.abs(worst.value - best.value) <= tolerance * (1 + Math.abs(best.value))) break;
    const centroid = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) centroid[j] += simplex[i].x[j] / d;
    const reflected = along(centroid, worst.x, -1);
    const fr = f(reflected);
    if (fr < best.value) {
      const expanded = along(centroid, worst.x, -2);
      const fe = f(expanded);
      simplex[d] = fe < fr ? { x: expanded, value: fe } : { x: reflected, value: fr };
    } else if (fr < simplex[d - 1].value) {
      simplex[d] = { x: reflected, value: fr };
    } else {
      const contracted = fr < worst.value ? along(centroid, reflected, 0.5) : along(centroid, worst.x, 0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, worst.value)) {
        simplex[d] = { x: contracted, value: fc };
      } else {
        for (let i = 1; i <= d; i++) {
          const x = along(best.x, simplex[i].x, 0.5);
          simplex[i] = { x, value: f(x) };
        }
      }
    }
  }
  simplex.sort((p, q) => p.value - q.value);
  return simplex[0];
}
