import type { Label } from '../../core/analysis/labels.ts';
import { sql, type Store } from './open-store.ts';
import type { SampleKey } from './samples.ts';

/** A label for a sample the run does not have; `index` is its place in the batch. */
export class UnknownSampleError extends Error {
  constructor(readonly index: number, message: string) {
    super(message);
  }
}

export interface LabelRow extends SampleKey {
  label: Label;
  note: string;
}

/**
 * Sets labels (a later label of a sample replaces the earlier one: a person changing their
 * mind); returns how many were set. A label of a sample the run does not have fails the
 * whole batch, naming it.
 */
export function setLabels(db: Store, rows: readonly LabelRow[], now: number): number {
  const upsert = sql(db, `INSERT INTO labels (run_id, model_id, problem_id, sample_index, label, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (run_id, model_id, problem_id, sample_index) DO UPDATE SET label = excluded.label, note = excluded.note, updated_at = excluded.updated_at`);
  const exists = sql(db, 'SELECT 1 FROM samples WHERE run_id = ? AND model_id = ? AND problem_id = ? AND sample_index = ?');
  return db.transaction(() => {
    for (const [index, r] of rows.entries()) {
      if (exists.get(r.runId, r.modelId, r.problemId, r.sampleIndex) === undefined) {
        throw new UnknownSampleError(index, `the run has no sample ${r.sampleIndex} of model ${r.modelId} on problem ${r.problemId}`);
      }
      upsert.run(r.runId, r.modelId, r.problemId, r.sampleIndex, r.label, r.note, now);
    }
    return rows.length;
  })();
}

export function clearLabel(db: Store, key: SampleKey): boolean {
  return sql(db, 'DELETE FROM labels WHERE run_id = ? AND model_id = ? AND problem_id = ? AND sample_index = ?')
    .run(key.runId, key.modelId, key.problemId, key.sampleIndex).changes === 1;
}

/**
 * Per (model, problem): samples, correct ones, and correct ones labelled valid; only where labels exist.
 * `IS 'valid'`, not `= 'valid'`: an unlabelled sample's label is NULL, and `correct AND NULL` is NULL,
 * so a model whose every sample of a problem is correct and unlabelled would sum to NULL, not 0.
 */
export function labelledCounts(db: Store, runId: string): { model: string; problem: string; n: number; c: number; validCorrect: number; labelled: number; correctUnlabelled: number }[] {
  return sql(db, `SELECT v.model_id AS model, v.problem_id AS problem, COUNT(*) AS n, SUM(v.correct) AS c,
        SUM(v.correct AND l.label IS 'valid') AS validCorrect, COUNT(l.label) AS labelled, SUM(v.correct AND l.label IS NULL) AS correctUnlabelled
      FROM verdicts v LEFT JOIN labels l USING (run_id, model_id, problem_id, sample_index)
      WHERE v.run_id = ? AND EXISTS (SELECT 1 FROM labels x WHERE x.run_id = v.run_id) GROUP BY v.model_id, v.problem_id`)
    .all(runId) as never;
}
