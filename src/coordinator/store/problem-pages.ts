import { sortGroupNames } from '../../core/analysis/group-curves.ts';
import { sql, type Store } from './open-store.ts';

export interface ProblemFilter {
  /** Every one of these models has at least one correct sample on the problem. */
  solvedBy: readonly string[];
  /** None of these models has a correct sample on the problem. */
  unsolvedBy: readonly string[];
  /** Matches the problem's id or text (case-insensitive, literal). */
  search: string;
  /** Only problems of this difficulty level, or of this subject (the benchmark's own names); absent: any. */
  level?: string;
  subject?: string;
}

export interface ModelCount { modelId: string; n: number; c: number }

export interface ProblemPageRow {
  id: string;
  text: string;
  /** As stored: the gold answer (math) or the code task, JSON-encoded. */
  gold: unknown;
  /** The benchmark's difficulty level and subject, where it gives them. */
  level: string | null;
  subject: string | null;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

// One EXISTS per model named, each a lookup on the verdicts' primary key prefix
// (run, model, problem): a page costs O(page × models × n) rows, never the whole run.
function filterSql(filter: ProblemFilter): { where: string; params: unknown[] } {
  const solved = (negate: boolean) => `${negate ? 'NOT ' : ''}EXISTS (SELECT 1 FROM verdicts v
    WHERE v.run_id = p.run_id AND v.model_id = ? AND v.problem_id = p.id AND v.correct = 1)`;
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.search !== '') {
    clauses.push(`(p.id LIKE ? ESCAPE '\\' OR p.text LIKE ? ESCAPE '\\')`);
    const like = `%${escapeLike(filter.search)}%`;
    params.push(like, like);
  }
  if (filter.level !== undefined) { clauses.push('p.level = ?'); params.push(filter.level); }
  if (filter.subject !== undefined) { clauses.push('p.subject = ?'); params.push(filter.subject); }
  for (const model of filter.solvedBy) { clauses.push(solved(false)); params.push(model); }
  for (const model of filter.unsolvedBy) { clauses.push(solved(true)); params.push(model); }
  return { where: clauses.map((c) => ` AND ${c}`).join(''), params };
}

/** The problems of a run that pass the filter, in id order: how many, and those of one page. */
export function problemPage(db: Store, runId: string, filter: ProblemFilter, offset: number, limit: number): { total: number; rows: ProblemPageRow[] } {
  const { where, params } = filterSql(filter);
  const total = (sql(db, `SELECT COUNT(*) AS n FROM problems p WHERE p.run_id = ?${where}`).get(runId, ...params) as { n: number }).n;
  const rows = sql(db, `SELECT p.id AS id, p.text AS text, p.gold AS gold, p.level AS level, p.subject AS subject FROM problems p
      WHERE p.run_id = ?${where} ORDER BY p.id LIMIT ? OFFSET ?`)
    .all(runId, ...params, limit, offset) as { id: string; text: string; gold: string; level: string | null; subject: string | null }[];
  return { total, rows: rows.map((r) => ({ ...r, gold: JSON.parse(r.gold) as unknown })) };
}

/**
 * Verified samples (n) and correct ones (c) of each model on each of the given problems,
 * every model of the run present (0/0 before any verdict), in the run's model order.
 */
export function problemCounts(db: Store, runId: string, problemIds: readonly string[]): Map<string, ModelCount[]> {
  const models = sql(db, 'SELECT id FROM models WHERE run_id = ? ORDER BY rowid').all(runId) as { id: string }[];
  const counted = sql(db, `SELECT problem_id AS problem, COUNT(*) AS n, COALESCE(SUM(correct), 0) AS c FROM verdicts
      WHERE run_id = ? AND model_id = ? AND problem_id IN (SELECT value FROM json_each(?)) GROUP BY problem_id`);
  const out = new Map<string, ModelCount[]>(problemIds.map((id) => [id, []]));
  const ids = JSON.stringify(problemIds);
  for (const { id: modelId } of models) {
    const byProblem = new Map((counted.all(runId, modelId, ids) as { problem: string; n: number; c: number }[]).map((r) => [r.problem, r]));
    for (const problemId of problemIds) {
      const row = byProblem.get(problemId);
      out.get(problemId)!.push({ modelId, n: row?.n ?? 0, c: row?.c ?? 0 });
    }
  }
  return out;
}

export interface ProblemGroup { name: string; problems: number }

/**
 * The levels and subjects a run's problems have, each with its number of problems, in
 * natural order (what the problem browser's filters offer), and how many have none.
 */
export function problemGroups(db: Store, runId: string): { levels: ProblemGroup[]; subjects: ProblemGroup[]; unlevelled: number; unsubjected: number } {
  const of = (field: 'level' | 'subject') => {
    const rows = sql(db, `SELECT ${field} AS name, COUNT(*) AS problems FROM problems WHERE run_id = ? GROUP BY ${field}`).all(runId) as { name: string | null; problems: number }[];
    const named = new Map(rows.filter((r) => r.name !== null).map((r) => [r.name as string, r.problems]));
    return { groups: sortGroupNames([...named.keys()]).map((name) => ({ name, problems: named.get(name)! })), none: rows.find((r) => r.name === null)?.problems ?? 0 };
  };
  const levels = of('level');
  const subjects = of('subject');
  return { levels: levels.groups, subjects: subjects.groups, unlevelled: levels.none, unsubjected: subjects.none };
}
