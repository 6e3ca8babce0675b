import { sql, type Store } from './open-store.ts';

export interface RunProblem {
  id: string;
  benchmark: string;
  text: string;
  /** The gold answer (math) or the benchmark record the code verifier reads. */
  gold: unknown;
  level?: string | null;
  subject?: string | null;
}

export function addProblems(db: Store, runId: string, problems: readonly RunProblem[]): void {
  const insert = sql(db, 'INSERT INTO problems (run_id, id, benchmark, text, gold, level, subject, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    problems.forEach((p, position) => insert.run(runId, p.id, p.benchmark, p.text, JSON.stringify(p.gold), p.level ?? null, p.subject ?? null, position));
  })();
}

export function getProblem(db: Store, runId: string, problemId: string): RunProblem | undefined {
  const row = sql(db, 'SELECT id, benchmark, text, gold, level, subject FROM problems WHERE run_id = ? AND id = ?').get(runId, problemId) as
    { id: string; benchmark: string; text: string; gold: string; level: string | null; subject: string | null } | undefined;
  return row && { ...row, gold: JSON.parse(row.gold) };
}

export function countProblems(db: Store, runId: string): number {
  return (sql(db, 'SELECT COUNT(*) AS n FROM problems WHERE run_id = ?').get(runId) as { n: number }).n;
}

/** The level and subject of each problem of a run (null where the benchmark has none). */
export function problemGroups(db: Store, runId: string): { id: string; level: string | null; subject: string | null }[] {
  return sql(db, 'SELECT id, level, subject FROM problems WHERE run_id = ?').all(runId) as { id: string; level: string | null; subject: string | null }[];
}
