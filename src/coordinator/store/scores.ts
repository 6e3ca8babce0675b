import type { ScoredSample } from '../../core/analysis/perplexity.ts';
import { sql, type Store } from './open-store.ts';

/** Teacher-forced log-probability of one model's sample under another (the scorer). */
export interface ScoreRow {
  runId: string;
  scorerId: string;
  modelId: string;
  problemId: string;
  sampleIndex: number;
  tokens: number;
  logprob: number;
  workerId: string | null;
  /** The lease whose results carried it (null before schema v6). */
  leaseId?: number | null;
}

/** Keyed by (run, scorer, model, problem, sample): a resend changes nothing. */
export function recordScores(db: Store, scores: readonly ScoreRow[], now: number): number {
  const insert = sql(db, `INSERT INTO scores (run_id, scorer_id, model_id, problem_id, sample_index, tokens, logprob, worker_id, lease_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  return db.transaction(() => {
    let added = 0;
    for (const s of scores) added += insert.run(s.runId, s.scorerId, s.modelId, s.problemId, s.sampleIndex, s.tokens, s.logprob, s.workerId, s.leaseId ?? null, now).changes;
    return added;
  })();
}

export function countMissingScores(db: Store, key: { runId: string; scorerId: string; modelId: string; problemId: string }, start: number, end: number): number {
  const have = (sql(db, `SELECT COUNT(*) AS n FROM scores WHERE run_id = ? AND scorer_id = ? AND model_id = ? AND problem_id = ? AND sample_index >= ? AND sample_index < ?`)
    .get(key.runId, key.scorerId, key.modelId, key.problemId, start, end) as { n: number }).n;
  return end - start - have;
}

/** Every score of a run, as the perplexity summary reads them. */
export function listScores(db: Store, runId: string): ScoredSample[] {
  return sql(db, 'SELECT scorer_id AS scorer, model_id AS model, problem_id AS problem, tokens, logprob FROM scores WHERE run_id = ?').all(runId) as ScoredSample[];
}
