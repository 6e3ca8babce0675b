import { sql, type Store } from './open-store.ts';

/**
 * Deletes a run and everything of it in one statement: models, problems, samples,
 * verdicts, scores, shards and leases all hang off the run by ON DELETE CASCADE (with
 * foreign keys on, as openStore sets them). Returns whether there was such a run.
 */
export function deleteRun(db: Store, runId: string): boolean {
  return sql(db, 'DELETE FROM runs WHERE id = ?').run(runId).changes > 0;
}
