import { pairedBootstrapMeans, percentileInterval } from '../stats/bootstrap.ts';

/** Per (model, problem): how many samples, distinct final answers among them, and distinct chains (texts). */
export interface DiversityRow {
  model: string;
  problem: string;
  samples: number;
  answers: number;
  chains: number;
}

export interface DiversitySummary {
  model: string;
  problems: number;
  /** Mean over problems of the distinct final answers per problem, with a bootstrap interval over problems. */
  answers: { mean: number; ci: [number, number] };
  chains: { mean: number; ci: [number, number] };
  /** Mean samples per problem: distinct counts grow with n, so compare models at equal n. */
  samples: number;
}

/**
 * Answer diversity per model: the trio's card measured RL narrowing from about 20 to 11
 * distinct answers per problem. Models are compared over the problems all of them have,
 * with one set of bootstrap draws (paired), so differences between models are meaningful.
 */
export function summarizeDiversity(rows: readonly DiversityRow[], options: { resamples?: number; seed?: number } = {}): DiversitySummary[] {
  const { resamples = 2000, seed = 1 } = options;
  const models = [...new Set(rows.map((r) => r.model))];
  const byModel = new Map(models.map((m) => [m, new Map<string, DiversityRow>()]));
  for (const r of rows) byModel.get(r.model)!.set(r.problem, r);
  const problems = [...new Set(rows.map((r) => r.problem))].filter((p) => models.every((m) => byModel.get(m)!.has(p)));
  if (problems.length === 0) return [];
  const series = models.flatMap((m) => {
    const of = byModel.get(m)!;
    return [Float64Array.from(problems, (p) => of.get(p)!.answers), Float64Array.from(problems, (p) => of.get(p)!.chains)];
  });
  const replicates = pairedBootstrapMeans(series, { resamples, seed });
  const mean = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;
  return models.map((model, i) => ({
    model, problems: problems.length,
    answers: { mean: mean(series[2 * i]), ci: percentileInterval(replicates[2 * i]) },
    chains: { mean: mean(series[2 * i + 1]), ci: percentileInterval(replicates[2 * i + 1]) },
    samples: problems.reduce((s, p) => s + byModel.get(model)!.get(p)!.samples, 0) / problems.length,
  }));
}
