import type { Label } from '../../core/analysis/labels.ts';
import { sql, type Store } from './open-store.ts';

/** One problem with c/n per model: a row of the problem browser. */
export interface ProblemRow {
  id: string;
  text: string;
  gold: unknown;
  level: string | null;
  subject: string | null;
  counts: Record<string, { n: number; c: number }>;
}

/**
 * A page of a run's problems with their c/n per model, from the verdict aggregates: a run
 * of a million samples is never read whole for it.
 */
export function problemPage(db: Store, runId: string, offset: number, limit: number): { total: number; problems: ProblemRow[] } {
  const total = (sql(db, 'SELECT COUNT(*) AS n FROM problems WHERE run_id = ?').get(runId) as { n: number }).n;
  const rows = sql(db, 'SELECT id, text, gold, level, subject FROM problems WHERE run_id = ? ORDER BY id LIMIT ? OFFSET ?').all(runId, limit, offset) as
    { id: string; text: string; gold: string; level: string | null; subject: string | null }[];
  const counts = sql(db, `SELECT model_id AS model, COUNT(*) AS n, SUM(correct) AS c FROM verdicts WHERE run_id = ? AND model_id = ? AND problem_id = ?`);
  const models = (sql(db, 'SELECT id FROM models WHERE run_id = ? ORDER BY rowid').all(runId) as { id: string }[]).map((m) => m.id);
  return {
    total,
    problems: rows.map((r) => ({
      ...r, gold: JSON.parse(r.gold),
      counts: Object.fromEntries(models.map((m) => {
        const row = counts.get(runId, m, r.id) as { n: number; c: number | null };
        return [m, { n: row.n, c: row.c ?? 0 }];
      })),
    })),
  };
}

export interface SampleView {
  modelId: string;
  index: number;
  text: string;
  tokens: number | null;
  finish: 'stop' | 'length' | null;
  correct: boolean | null;
  extracted: string | null;
  reason: string | null;
  fallback: boolean;
  label: Label | null;
  note: string;
}

/** The samples of one problem (of one model, or all), with verdicts and labels: index lookups only. */
export function problemSamples(db: Store, runId: string, problemId: string, modelId?: string, offset = 0, limit = 100_000): SampleView[] {
  const rows = sql(db, `SELECT s.model_id AS modelId, s.sample_index AS "index", s.text, s.tokens, s.finish,
        v.correct, v.extracted, v.reason, v.fallback, l.label, l.note
      FROM samples s
      LEFT JOIN verdicts v USING (run_id, model_id, problem_id, sample_index)
      LEFT JOIN labels l USING (run_id, model_id, problem_id, sample_index)
      WHERE s.run_id = ? AND s.problem_id = ? AND (? IS NULL OR s.model_id = ?)
      ORDER BY s.model_id, s.sample_index LIMIT ? OFFSET ?`)
    .all(runId, problemId, modelId ?? null, modelId ?? null, limit, offset) as (Omit<SampleView, 'correct' | 'fallback' | 'note'> & { correct: number | null; fallback: number | null; note: string | null })[];
  return rows.map((r) => ({ ...r, correct: r.correct === null ? null : r.correct === 1, fallback: r.fallback === 1, note: r.note ?? '' }));
}
