import type { Label } from '../../core/analysis/labels.ts';
import { sql, type Store } from './open-store.ts';
import type { Finish } from '../../core/sampling/generation-settings.ts';

export interface SampleSlot { runId: string; modelId: string; problemId: string }

export type VerdictFilter = 'all' | 'correct' | 'incorrect' | 'unverified';

export interface SampleSummary {
  index: number;
  /** Unknown (null) for samples imported from tools that do not record them. */
  tokens: number | null;
  finish: Finish | null;
  correct: boolean | null;
  extracted: string | null;
  fallback: boolean;
  label: Label | null;
}

export interface SampleWithVerdict extends Omit<SampleSummary, 'label'> {
  text: string;
  logprob: number | null;
  workerId: string | null;
  reason: string | null;
  label: { label: Label; note: string; at: number } | null;
}

const VERDICT_WHERE: Record<VerdictFilter, string> = {
  all: '',
  correct: ' AND v.correct = 1',
  incorrect: ' AND v.correct = 0',
  unverified: ' AND v.correct IS NULL',
};

/** The longest extracted answer a list row carries; the sample itself has all of it. */
const EXTRACTED_IN_LIST = 200;

interface Row {
  index: number; tokens: number | null; finish: Finish | null; correct: number | null; extracted: string | null; fallback: number | null; label: Label | null;
}

const summary = (r: Row): SampleSummary => ({
  index: r.index, tokens: r.tokens, finish: r.finish,
  correct: r.correct === null ? null : r.correct === 1,
  extracted: r.extracted, fallback: r.fallback === 1, label: r.label,
});

/** One page of one model's samples of one problem, in index order, without their text. */
export function samplePage(db: Store, slot: SampleSlot, verdict: VerdictFilter, offset: number, limit: number): { total: number; rows: SampleSummary[] } {
  const from = `FROM samples s LEFT JOIN verdicts v USING (run_id, model_id, problem_id, sample_index)
    LEFT JOIN labels l USING (run_id, model_id, problem_id, sample_index)
    WHERE s.run_id = ? AND s.model_id = ? AND s.problem_id = ?${VERDICT_WHERE[verdict]}`;
  const keys = [slot.runId, slot.modelId, slot.problemId];
  const total = (sql(db, `SELECT COUNT(*) AS n ${from}`).get(...keys) as { n: number }).n;
  const rows = sql(db, `SELECT s.sample_index AS "index", s.tokens AS tokens, s.finish AS finish, v.correct AS correct,
      substr(v.extracted, 1, ${EXTRACTED_IN_LIST}) AS extracted, v.fallback AS fallback, l.label AS label ${from} ORDER BY s.sample_index LIMIT ? OFFSET ?`)
    .all(...keys, limit, offset) as Row[];
  return { total, rows: rows.map(summary) };
}

export function getSample(db: Store, slot: SampleSlot, index: number): SampleWithVerdict | undefined {
  const row = sql(db, `SELECT s.sample_index AS "index", s.tokens AS tokens, s.finish AS finish, s.text AS text, s.logprob AS logprob,
      s.worker_id AS workerId, v.correct AS correct, v.extracted AS extracted, v.fallback AS fallback, v.reason AS reason,
      l.label AS label, l.note AS note, l.updated_at AS labelledAt
      FROM samples s LEFT JOIN verdicts v USING (run_id, model_id, problem_id, sample_index)
      LEFT JOIN labels l USING (run_id, model_id, problem_id, sample_index)
      WHERE s.run_id = ? AND s.model_id = ? AND s.problem_id = ? AND s.sample_index = ?`)
    .get(slot.runId, slot.modelId, slot.problemId, index) as (Row & { text: string; logprob: number | null; workerId: string | null; reason: string | null; note: string | null; labelledAt: number | null }) | undefined;
  return row && {
    ...summary(row), text: row.text, logprob: row.logprob, workerId: row.workerId, reason: row.reason,
    label: row.label === null ? null : { label: row.label, note: row.note ?? '', at: row.labelledAt ?? 0 },
  };
}
