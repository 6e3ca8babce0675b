import type { Result } from '../result.ts';
import { alignModels, type ModelCounts } from './align-models.ts';
import { fitSuccessPrior, forecastProblemPassAtK, FORECAST_FAMILIES, type CountClass, type ForecastFamily, type SuccessPrior } from './beta-binomial-fit.ts';
import { percentileInterval } from './bootstrap.ts';
import { defaultKGrid } from './k-grid.ts';
import { createRng } from './prng.ts';
import type { ProblemCount, Role } from './types.ts';

/**
 * pass@k beyond the n samples drawn. Each model's per-problem success probabilities are
 * fitted by maximum likelihood (beta-binomial-fit.ts); pass@k at k is then the mean over
 * the run's problems of each problem's posterior 1 − E[(1 − p)^k | c of n]. Taking the
 * posterior of each problem, not the prior's 1 − E[(1 − p)^k], forecasts these problems
 * (the ones the measured curve is about) rather than a population they were drawn from:
 * a problem solved once stays likely solved, a problem never solved leans on the fit.
 *
 * Intervals: paired bootstrap over problems, refitting the prior on every replicate, so
 * they carry the fit's uncertainty as well as the problems'. They do not carry the
 * uncertainty of the family itself (a wrong family is a bias no resampling shows).
 */
export const DEFAULT_FORECAST_FAMILY: ForecastFamily = 'zero-inflated-beta';

export interface ForecastOptions {
  /** Largest k to forecast; the ks are 1, 2, 4, … up to it (and it). */
  to: number;
  /** Default `zero-inflated-beta`: why, in README "Forecast". */
  family?: ForecastFamily;
  resamples?: number;
  seed?: number;
  level?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ModelForecast {
  model: string;
  role: Role;
  /** The smallest n over the model's problems: ks above it are forecast, those at or below it also measured. */
  n: number;
  family: ForecastFamily;
  fit: { zero: number; components: { weight: number; a: number; b: number }[]; logLikelihood: number };
  /**
   * BIC (lower is better) of the single Beta and the zero-inflated Beta on these counts, and
   * of the family fitted: a diagnostic, not the choice. Counts at small n hardly tell a mass
   * at 0 from a Beta's left tail (the two fit about equally), while their forecasts differ.
   */
  bic: Partial<Record<ForecastFamily, number>>;
  passAtK: Record<string, number>;
  ci: Record<string, [number, number]>;
}

/** Expected problems solved when drawing k samples from each of two models, per problem's posterior forecasts. */
export interface ForecastCoverage {
  a: string;
  b: string;
  k: number;
  expected: { both: number; onlyA: number; onlyB: number; neither: number };
}

export interface ForecastReport {
  to: number;
  ks: number[];
  family: ForecastFamily;
  resamples: number;
  seed: number;
  level: number;
  models: ModelForecast[];
  /** One entry per pair of models, at k = `to`. */
  coverage: ForecastCoverage[];
}

export const DEFAULT_FORECAST_RESAMPLES = 1000;
/** Largest k the forecast accepts: far beyond any budget, and where (1 − p)^k still has meaning in doubles. */
export const MAX_FORECAST_K = 1 << 30;

interface Classed { classes: CountClass[]; classOf: Int32Array }

function classify(model: ModelCounts): Classed {
  const index = new Map<string, number>();
  const classes: CountClass[] = [];
  const classOf = new Int32Array(model.n.length);
  model.n.forEach((n, p) => {
    const c = model.c[p];
    const key = `${n},${c}`;
    let at = index.get(key);
    if (at === undefined) {
      at = classes.length;
      index.set(key, at);
      classes.push({ n, c, weight: 0 });
    }
    classes[at].weight++;
    classOf[p] = at;
  });
  return { classes, classOf };
}

function fitWithDiagnostics(classes: readonly CountClass[], family: ForecastFamily): { prior: SuccessPrior; bic: Partial<Record<ForecastFamily, number>> } {
  const families = [...new Set<ForecastFamily>(['beta', 'zero-inflated-beta', family])];
  const fits = families.map((f) => fitSuccessPrior(f, classes));
  return { prior: fits.find((fit) => fit.family === family)!, bic: Object.fromEntries(fits.map((fit) => [fit.family, fit.bic])) };
}

/** Mean forecast over the classes with their weights: Σ weight·pass@k / Σ weight. */
function classMean(prior: SuccessPrior, classes: readonly CountClass[], k: number): number {
  let sum = 0;
  let total = 0;
  for (const { n, c, weight } of classes) {
    if (weight === 0) continue;
    sum += weight * forecastProblemPassAtK(prior, n, c, k);
    total += weight;
  }
  return sum / total;
}

export function computeForecast(counts: readonly ProblemCount[], options: ForecastOptions): Result<ForecastReport> {
  const { to, family = DEFAULT_FORECAST_FAMILY, resamples = DEFAULT_FORECAST_RESAMPLES, seed = 1, level = 0.95, onProgress } = options;
  if (!Number.isInteger(to) || to < 1 || to > MAX_FORECAST_K) return { ok: false, error: `forecast: the largest k must be an integer in [1, ${MAX_FORECAST_K}], got ${to}` };
  if (!Number.isInteger(resamples) || resamples < 1) return { ok: false, error: `forecast: resamples must be a positive integer, got ${resamples}` };
  if (!FORECAST_FAMILIES.includes(family)) return { ok: false, error: `forecast: unknown family "${String(family)}" (${FORECAST_FAMILIES.join(', ')})` };
  const aligned = alignModels(counts);
  if (!aligned.ok) return aligned;
  const { problems, models } = aligned.value;
  if (models.length === 0 || problems.length === 0) return { ok: false, error: 'forecast: the input holds no model and problem' };
  const ks = defaultKGrid(to);

  const classed = models.map(classify);
  const chosen = classed.map(({ classes }) => fitWithDiagnostics(classes, family));
  const replicates = models.map(() => ks.map(() => new Float64Array(resamples)));

  // Paired over models: replicate b draws one multiset of problems and every model refits on it.
  const rng = createRng(seed);
  const picks = new Int32Array(problems.length);
  const times = new Float64Array(problems.length);
  for (let b = 0; b < resamples; b++) {
    rng.fillInts(picks, problems.length);
    times.fill(0);
    for (const p of picks) times[p]++;
    classed.forEach(({ classes, classOf }, m) => {
      const weighted = classes.map((k) => ({ ...k, weight: 0 }));
      for (let p = 0; p < problems.length; p++) weighted[classOf[p]].weight += times[p];
      const prior = fitSuccessPrior(chosen[m].prior.family, weighted, chosen[m].prior);
      ks.forEach((k, i) => { replicates[m][i][b] = classMean(prior, weighted, k); });
    });
    onProgress?.(b + 1, resamples);
  }

  const forecasts: ModelForecast[] = models.map((model, m) => {
    const { prior, bic } = chosen[m];
    const { classes } = classed[m];
    return {
      model: model.model,
      role: model.role,
      n: model.minN,
      family: prior.family,
      fit: { zero: prior.zero, components: prior.components, logLikelihood: prior.logLikelihood },
      bic,
      passAtK: Object.fromEntries(ks.map((k) => [String(k), classMean(prior, classes, k)])),
      ci: Object.fromEntries(ks.map((k, i) => [String(k), percentileInterval(replicates[m][i], level)])),
    };
  });

  const coverage: ForecastCoverage[] = [];
  const perProblem = models.map((model, m) => model.n.map((n, p) => forecastProblemPassAtK(chosen[m].prior, n, model.c[p], to)));
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) {
      const expected = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
      perProblem[i].forEach((pa, p) => {
        const pb = perProblem[j][p];
        expected.both += pa * pb;
        expected.onlyA += pa * (1 - pb);
        expected.onlyB += (1 - pa) * pb;
        expected.neither += (1 - pa) * (1 - pb);
      });
      coverage.push({ a: models[i].model, b: models[j].model, k: to, expected });
    }
  }
  return { ok: true, value: { to, ks, family, resamples, seed, level, models: forecasts, coverage } };
}
