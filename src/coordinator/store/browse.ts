import type { Label } from '../../core/analysis/labels.ts';
import { matchesFilter, type ProblemCounts, type ProblemFilter } from '../../core/analysis/problem-filter.ts';
import { sql, type Store } from './open-store.ts';
import { countVerdicts } from './samples.ts';

/** One problem with c/n per model: a row of the problem browser. */
export interface ProblemRow extends ProblemCounts {
  text: string;
  gold: unknown;
}

/**
 * A page of a run's problems that pass `filter`, with c/n per model. The counts come from
 * one aggregate over the verdicts (and imported counts); only the page's problem texts are
 * read, so a run of a million samples is never loaded for it.
 */
export function problemPage(db: Store, runId: string, options: { offset: number; limit: number; filter?: ProblemFilter }): { total: number; problems: ProblemRow[] } {
  const meta = sql(db, 'SELECT id, level, subject FROM problems WHERE run_id = ? ORDER BY position, id').all(runId) as { id: string; level: string | null; subject: string | null }[];
  const models = (sql(db, 'SELECT id FROM models WHERE run_id = ? ORDER BY rowid').all(runId) as { id: string }[]).map((m) => m.id);
  const byProblem = new Map(meta.map((p) => [p.id, { ...p, counts: Object.fromEntries(models.map((m) => [m, { n: 0, c: 0 }])) as ProblemCounts['counts'] }]));
  for (const row of countVerdicts(db, runId)) {
    const p = byProblem.get(row.problem);
    if (p) p.counts[row.model] = { n: row.n, c: row.c };
  }
  const kept = [...byProblem.values()].filter((p) => matchesFilter(p, options.filter ?? {}));
  const page = kept.slice(options.offset, options.offset + options.limit);
  const text = sql(db, 'SELECT text, gold FROM problems WHERE run_id = ? AND id = ?');
  return {
    total: kept.length,
    problems: page.map((p) => {
      const row = text.get(runId, p.id) as { text: string; gold: string };
      return { ...p, text: row.text, gold: JSON.parse(row.gold) as unknown };
    }),
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

/**
 * The samples of one problem (of one model, or all), with verdicts and labels: one range of
 * the primary key (run, model, problem, sample) per model, so it reads those rows only.
 */
export function problemSamples(db: Store, runId: string, problemId: string, modelId?: string, offset = 0, limit = 100_000): SampleView[] {
  const models = modelId !== undefined ? [modelId] : (sql(db, 'SELECT id FROM models WHERE run_id = ? ORDER BY id').all(runId) as { id: string }[]).map((m) => m.id);
  const query = sql(db, `SELECT s.model_id AS modelId, s.sample_index AS "index", s.text, s.tokens, s.finish,
        v.correct, v.extracted, v.reason, v.fallback, l.label, l.note
      FROM samples s
      LEFT JOIN verdicts v USING (run_id, model_id, problem_id, sample_index)
      LEFT JOIN labels l USING (run_id, model_id, problem_id, sample_index)
      WHERE s.run_id = ? AND s.model_id = ? AND s.problem_id = ?
      ORDER BY s.sample_index LIMIT ? OFFSET ?`);
  const out: SampleView[] = [];
  let skip = offset;
  for (const model of models) {
    if (out.length >= limit) break;
    const rows = query.all(runId, model, problemId, limit - out.length, skip) as (Omit<SampleView, 'correct' | 'fallback' | 'note'> & { correct: number | null; fallback: number | null; note: string | null })[];
    if (rows.length === 0 && skip > 0) {
      skip = Math.max(0, skip - (sql(db, 'SELECT COUNT(*) AS n FROM samples WHERE run_id = ? AND model_id = ? AND problem_id = ?').get(runId, model, problemId) as { n: number }).n);
      continue;
    }
    skip = 0;
    for (const r of rows) out.push({ ...r, correct: r.correct === null ? null : r.correct === 1, fallback: r.fallback === 1, note: r.note ?? '' });
  }
  return out;
}
