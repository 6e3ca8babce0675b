import { sql, type Store } from './open-store.ts';

export interface Quarantine {
  runId: string;
  workerId: string;
  reason: string;
  at: number;
}

/** True for the call that quarantined the worker in the run (a second call changes nothing). */
export function addQuarantine(db: Store, q: Quarantine): boolean {
  return sql(db, 'INSERT INTO quarantines (run_id, worker_id, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
    .run(q.runId, q.workerId, q.reason.slice(0, 2000), q.at).changes === 1;
}

export function listQuarantines(db: Store, runId?: string): Quarantine[] {
  return (runId === undefined
    ? sql(db, 'SELECT run_id AS runId, worker_id AS workerId, reason, at FROM quarantines ORDER BY at').all()
    : sql(db, 'SELECT run_id AS runId, worker_id AS workerId, reason, at FROM quarantines WHERE run_id = ? ORDER BY at').all(runId)) as Quarantine[];
}

/**
 * Discards what a worker produced in a run: its samples (with every verdict, score and label
 * of them, by ON DELETE CASCADE), the verdicts it judged of other workers' samples, and its
 * scores. The shards whose results go missing are queued again by the caller.
 */
export function discardWorkerResults(db: Store, runId: string, workerId: string): { samples: number; verdicts: number; scores: number } {
  return db.transaction(() => {
    const samples = sql(db, 'DELETE FROM samples WHERE run_id = ? AND worker_id = ?').run(runId, workerId).changes;
    const verdicts = sql(db, `DELETE FROM verdicts WHERE run_id = ? AND worker_id = ? AND judge = 'worker'`).run(runId, workerId).changes;
    const scores = sql(db, 'DELETE FROM scores WHERE run_id = ? AND worker_id = ?').run(runId, workerId).changes;
    if (samples + verdicts + scores > 0) sql(db, 'UPDATE runs SET samples_digest = NULL WHERE id = ?').run(runId);
    return { samples, verdicts, scores };
  })();
}
