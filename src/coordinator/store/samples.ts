import type { ProblemCount, Role } from '../../core/stats/types.ts';
import type { Verdict } from '../../core/verify/verdict.ts';
import type { Store } from './open-store.ts';

/** The key of one sample everywhere: a resend with the same key is a no-op. */
export interface SampleKey {
  runId: string;
  modelId: string;
  problemId: string;
  sampleIndex: number;
}

export interface SampleRow extends SampleKey {
  text: string;
  tokens: number;
  finish: 'stop' | 'length';
  logprob: number;
  workerId: string | null;
}

export interface VerdictRow extends SampleKey, Verdict {
  verifier: 'math' | 'code';
}

/** One transaction per batch; returns how many samples were new (the rest were resends). */
export function recordSamples(db: Store, samples: readonly SampleRow[], now: number): number {
  const insert = db.prepare(`INSERT INTO samples (run_id, model_id, problem_id, sample_index, text, tokens, finish, logprob, worker_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  return db.transaction(() => {
    let added = 0;
    for (const s of samples) {
      added += insert.run(s.runId, s.modelId, s.problemId, s.sampleIndex, s.text, s.tokens, s.finish, s.logprob, s.workerId, now).changes;
    }
    return added;
  })();
}

/** Like `recordSamples`: the first verdict of a sample stands, a resend changes nothing. */
export function recordVerdicts(db: Store, verdicts: readonly VerdictRow[], now: number): number {
  const insert = db.prepare(`INSERT INTO verdicts (run_id, model_id, problem_id, sample_index, correct, extracted, reason, verifier, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  return db.transaction(() => {
    let added = 0;
    for (const v of verdicts) {
      added += insert.run(v.runId, v.modelId, v.problemId, v.sampleIndex, v.correct ? 1 : 0, v.extracted, v.reason, v.verifier, now).changes;
    }
    return added;
  })();
}

/** Verified samples per (model, problem): the input of the stats core. Unverified samples do not count. */
export function countVerdicts(db: Store, runId: string): ProblemCount[] {
  return db.prepare(`SELECT m.id AS model, m.role AS role, v.problem_id AS problem, COUNT(*) AS n, SUM(v.correct) AS c
      FROM verdicts v JOIN models m ON m.run_id = v.run_id AND m.id = v.model_id
      WHERE v.run_id = ? GROUP BY m.rowid, v.problem_id ORDER BY m.rowid, v.problem_id`)
    .all(runId) as { model: string; role: Role; problem: string; n: number; c: number }[];
}
