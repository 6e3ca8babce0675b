import type { Store } from './open-store.ts';

export interface RunProblem {
  id: string;
  benchmark: string;
  text: string;
  /** The gold answer (math) or the benchmark record the code verifier reads. */
  gold: unknown;
}

export function addProblems(db: Store, runId: string, problems: readonly RunProblem[]): void {
  const insert = db.prepare('INSERT INTO problems (run_id, id, benchmark, text, gold) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const p of problems) insert.run(runId, p.id, p.benchmark, p.text, JSON.stringify(p.gold));
  })();
}
