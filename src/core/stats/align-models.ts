import type { Result } from '../result.ts';
import type { ProblemCount, Role } from './types.ts';

/** One model's counts laid out in the shared problem order, ready for paired statistics. */
export interface ModelCounts {
  model: string;
  role: Role;
  /** n[p], c[p] for problems[p] of the enclosing AlignedCounts. */
  n: number[];
  c: number[];
  /** The smallest n over this model's problems: pass@k is reported only for k ≤ minN. */
  minN: number;
}

export interface AlignedCounts {
  problems: string[];
  models: ModelCounts[];
}

export type AlignResult = Result<AlignedCounts>;

/**
 * Groups counts by model (in order of first appearance) over one shared problem order.
 * Every model must have exactly one row per problem and the same problem set: paired
 * comparisons (bootstrap, coverage, crossover) need each problem on both sides.
 */
export function alignModels(counts: readonly ProblemCount[]): AlignResult {
  const problemIndex = new Map<string, number>();
  const problems: string[] = [];
  const byModel = new Map<string, { role: Role | undefined; rows: Map<string, ProblemCount> }>();
  for (const row of counts) {
    if (!problemIndex.has(row.problem)) {
      problemIndex.set(row.problem, problems.length);
      problems.push(row.problem);
    }
    let entry = byModel.get(row.model);
    if (!entry) {
      entry = { role: row.role, rows: new Map() };
      byModel.set(row.model, entry);
    }
    if (row.role !== undefined && entry.role !== undefined && row.role !== entry.role) {
      return { ok: false, error: `model "${row.model}" has two roles, "${entry.role}" and "${row.role}"; give each model one role` };
    }
    entry.role ??= row.role;
    if (entry.rows.has(row.problem)) {
      return { ok: false, error: `model "${row.model}" has two rows for problem "${row.problem}"; give one row per model and problem` };
    }
    if (!Number.isInteger(row.n) || row.n < 1 || !Number.isInteger(row.c) || row.c < 0 || row.c > row.n) {
      return { ok: false, error: `model "${row.model}", problem "${row.problem}": need integers 0 ≤ c ≤ n with n ≥ 1, got n=${row.n}, c=${row.c}` };
    }
    entry.rows.set(row.problem, row);
  }
  const models: ModelCounts[] = [];
  for (const [model, { role, rows }] of byModel) {
    const n: number[] = [];
    const c: number[] = [];
    for (const problem of problems) {
      const row = rows.get(problem);
      if (!row) {
        const owner = [...byModel].find(([, other]) => other.rows.has(problem))?.[0] ?? '?';
        return {
          ok: false,
          error: `model "${model}" has no result for problem "${problem}" (model "${owner}" has one); ` +
            `every model needs the same problems so they can be compared problem by problem`,
        };
      }
      n.push(row.n);
      c.push(row.c);
    }
    models.push({ model, role: role ?? 'other', n, c, minN: n.reduce((a, b) => Math.min(a, b), Infinity) });
  }
  return { ok: true, value: { problems, models } };
}
