import type { Store } from './open-store.ts';

export type RunStatus = 'pending' | 'running' | 'done' | 'cancelled';

export interface Run {
  id: string;
  name: string;
  spec: unknown;
  seed: string;
  status: RunStatus;
  createdAt: number;
  finishedAt: number | null;
}

export function createRun(db: Store, run: { id: string; name: string; spec: unknown; seed: string }, now: number): void {
  db.prepare('INSERT INTO runs (id, name, spec, seed, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(run.id, run.name, JSON.stringify(run.spec), run.seed, now);
}

export function setRunStatus(db: Store, runId: string, status: RunStatus, now: number): void {
  const finished = status === 'done' || status === 'cancelled' ? now : null;
  const result = db.prepare('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?').run(status, finished, runId);
  if (result.changes === 0) throw new Error(`no run ${runId} in the store`);
}

export function getRun(db: Store, runId: string): Run | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as
    | { id: string; name: string; spec: string; seed: string; status: RunStatus; created_at: number; finished_at: number | null }
    | undefined;
  if (!row) return undefined;
  return { id: row.id, name: row.name, spec: JSON.parse(row.spec), seed: row.seed, status: row.status, createdAt: row.created_at, finishedAt: row.finished_at };
}
