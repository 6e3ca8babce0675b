import { createHash, hash as hashOnce } from 'node:crypto';
import type { ProblemCount, Role } from '../../core/stats/types.ts';
import type { DiversityRow } from '../../core/analysis/diversity.ts';
import type { Verdict } from '../../core/verify/verdict.ts';
import type { Statement } from 'better-sqlite3';
import { sql, type Store } from './open-store.ts';
import type { Finish } from '../../core/sampling/generation-settings.ts';
import type { VerifierKind } from '../../core/spec/experiment-spec.ts';

/** The key of one sample everywhere: a resend with the same key is a no-op. */
export interface SampleKey {
  runId: string;
  modelId: string;
  problemId: string;
  sampleIndex: number;
}

export interface SampleRow extends SampleKey {
  text: string;
  /** Unknown (null) for results imported from tools that do not report them. */
  tokens: number | null;
  finish: Finish | null;
  logprob: number | null;
  workerId: string | null;
  /** The lease whose results carried it (null: stored before schema v6, or imported). */
  leaseId?: number | null;
  /** The execution provider that drew it (cpu, cuda, …): bitwise equality holds within one. */
  ep?: string | null;
}

export interface VerdictRow extends SampleKey, Verdict {
  verifier: VerifierKind;
  /** The worker and lease whose results carried it (null for imports). */
  workerId?: string | null;
  leaseId?: number | null;
  /** Who judged it: the coordinator (math, always judged again there) or the worker (code, in its sandbox). */
  judge?: 'worker' | 'coordinator' | null;
}

/** 64 bits of the text's SHA-1: distinct chains are counted from this column, not from the texts. */
export function textHash(text: string): bigint {
  // One-shot hash(): a third of createHash()'s cost on a ~400-byte text (2.3 µs → 0.8 µs here).
  return hashOnce('sha1', text, 'buffer').readBigInt64LE(0);
}

/** Rows per INSERT statement: one statement for many rows costs far less than a statement per row. */
const ROWS_PER_INSERT = 128;

/** `INSERT … VALUES (…), (…), …` for `rows` rows of `columns` values, prepared once per shape. */
function multiInsert(db: Store, head: string, columns: number, rows: number): Statement {
  const tuple = `(${Array(columns).fill('?').join(', ')})`;
  return sql(db, `${head} VALUES ${Array(rows).fill(tuple).join(', ')} ON CONFLICT DO NOTHING`);
}

/** Runs a multi-row insert over `items` in chunks; returns the rows added. */
function insertChunks<T>(db: Store, head: string, columns: number, items: readonly T[], values: (item: T) => unknown[]): number {
  let added = 0;
  for (let at = 0; at < items.length; at += ROWS_PER_INSERT) {
    const chunk = items.slice(at, at + ROWS_PER_INSERT);
    added += multiInsert(db, head, columns, chunk.length).run(chunk.flatMap(values)).changes;
  }
  return added;
}

/** One transaction per batch; returns how many samples were new (the rest were resends). */
export function recordSamples(db: Store, samples: readonly SampleRow[], now: number): number {
  return db.transaction(() => {
    const added = insertChunks(db, 'INSERT INTO samples (run_id, model_id, problem_id, sample_index, text, text_hash, tokens, finish, logprob, worker_id, lease_id, ep, created_at)', 13, samples,
      (s) => [s.runId, s.modelId, s.problemId, s.sampleIndex, s.text, textHash(s.text), s.tokens, s.finish, s.logprob, s.workerId, s.leaseId ?? null, s.ep ?? null, now]);
    // A kept digest no longer holds once a sample is added (a late result of a failed shard).
    if (added > 0) for (const runId of new Set(samples.map((s) => s.runId))) sql(db, 'UPDATE runs SET samples_digest = NULL WHERE id = ? AND samples_digest IS NOT NULL').run(runId);
    return added;
  })();
}

/** Like `recordSamples`: the first verdict of a sample stands, a resend changes nothing. Returns the new ones and how many of those are correct. */
export function recordVerdicts(db: Store, verdicts: readonly VerdictRow[], now: number): { added: number; correct: number } {
  return db.transaction(() => {
    // Verdicts are in the digest too.
    for (const runId of new Set(verdicts.map((v) => v.runId))) sql(db, 'UPDATE runs SET samples_digest = NULL WHERE id = ? AND samples_digest IS NOT NULL').run(runId);
    let added = 0;
    let correct = 0;
    const tuple = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    for (let at = 0; at < verdicts.length; at += ROWS_PER_INSERT) {
      const chunk = verdicts.slice(at, at + ROWS_PER_INSERT);
      // RETURNING lists the rows actually inserted, so resent verdicts are not counted again.
      const rows = sql(db, `INSERT INTO verdicts (run_id, model_id, problem_id, sample_index, correct, extracted, reason, verifier, fallback, worker_id, lease_id, judge, created_at)
          VALUES ${Array(chunk.length).fill(tuple).join(', ')} ON CONFLICT DO NOTHING RETURNING correct`)
        .all(chunk.flatMap((v) => [v.runId, v.modelId, v.problemId, v.sampleIndex, v.correct ? 1 : 0, v.extracted, v.reason, v.verifier, v.fallback ? 1 : 0,
          v.workerId ?? null, v.leaseId ?? null, v.judge ?? null, now])) as { correct: number }[];
      added += rows.length;
      for (const r of rows) correct += r.correct;
    }
    return { added, correct };
  })();
}

/**
 * Verified samples per (model, problem): the input of the stats core. Unverified samples do
 * not count. Counts imported without samples (problem_counts) are read beside them.
 */
export function countVerdicts(db: Store, runId: string): ProblemCount[] {
  return sql(db, `SELECT model, role, problem, SUM(n) AS n, SUM(c) AS c FROM (
        SELECT v.model_id AS model, v.problem_id AS problem, COUNT(*) AS n, SUM(v.correct) AS c FROM verdicts v WHERE v.run_id = @run GROUP BY v.model_id, v.problem_id
        UNION ALL
        SELECT model_id, problem_id, n, c FROM problem_counts WHERE run_id = @run
      ) JOIN models m ON m.run_id = @run AND m.id = model
      JOIN problems p ON p.run_id = @run AND p.id = problem
      GROUP BY m.rowid, problem ORDER BY m.rowid, p.position, problem`)
    .all({ run: runId }) as { model: string; role: Role; problem: string; n: number; c: number }[];
}

/** Samples stored for a run. */
export function countSamples(db: Store, runId: string): number {
  return (sql(db, 'SELECT COUNT(*) AS n FROM samples WHERE run_id = ?').get(runId) as { n: number }).n;
}

/** Samples stored per run, for every run. */
export function countSamplesPerRun(db: Store): Map<string, number> {
  const rows = sql(db, 'SELECT run_id AS run, COUNT(*) AS n FROM samples GROUP BY run_id').all() as { run: string; n: number }[];
  return new Map(rows.map((r) => [r.run, r.n]));
}

/** Per model of a run: samples stored, and verdicts with how many are correct. */
export function countPerModel(db: Store, runId: string): { sampled: { model: string; n: number }[]; verified: { model: string; n: number; c: number }[] } {
  return {
    sampled: sql(db, 'SELECT model_id AS model, COUNT(*) AS n FROM samples WHERE run_id = ? GROUP BY model_id').all(runId) as { model: string; n: number }[],
    verified: sql(db, 'SELECT model_id AS model, COUNT(*) AS n, SUM(correct) AS c FROM verdicts WHERE run_id = ? GROUP BY model_id').all(runId) as { model: string; n: number; c: number }[],
  };
}

/** Per model, verdicts that judged the last number in the text (no stated answer), and how many of those are correct; models with none left out. */
export function fallbackVerdicts(db: Store, runId: string): { model: string; verdicts: number; correct: number }[] {
  return sql(db, `SELECT model_id AS model, SUM(fallback) AS verdicts, SUM(fallback AND correct) AS correct
      FROM verdicts WHERE run_id = ? GROUP BY model_id HAVING SUM(fallback) > 0`).all(runId) as { model: string; verdicts: number; correct: number }[];
}

/** The texts of samples [start, end) of one (model, problem), in index order: what a verify or score shard reads. */
export function sampleTexts(db: Store, key: { runId: string; modelId: string; problemId: string }, start: number, end: number): { index: number; text: string }[] {
  return sql(db, `SELECT sample_index AS "index", text FROM samples
      WHERE run_id = ? AND model_id = ? AND problem_id = ? AND sample_index >= ? AND sample_index < ? ORDER BY sample_index`)
    .all(key.runId, key.modelId, key.problemId, start, end) as { index: number; text: string }[];
}

/** How many of samples [start, end) have no row yet in `table`: 0 means the shard's results are all stored. */
export function countMissing(db: Store, table: 'samples' | 'verdicts', key: { runId: string; modelId: string; problemId: string }, start: number, end: number): number {
  const have = (sql(db, `SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ? AND model_id = ? AND problem_id = ? AND sample_index >= ? AND sample_index < ?`)
    .get(key.runId, key.modelId, key.problemId, start, end) as { n: number }).n;
  return end - start - have;
}

/**
 * sha256 over every sample of the run in (model, problem, sample) order — ids, text and
 * verdict, one NUL-separated record each — so two runs with the same seed compare with one
 * string however their work was split. Streams the rows: a run of millions of samples is
 * never held in memory at once.
 */
export function samplesDigest(db: Store, runId: string): { digest: string; samples: number } {
  const hash = createHash('sha256');
  let samples = 0;
  const rows = sql(db, `SELECT s.model_id AS model, s.problem_id AS problem, s.sample_index AS sample, s.text AS text, v.correct AS correct
      FROM samples s LEFT JOIN verdicts v USING (run_id, model_id, problem_id, sample_index)
      WHERE s.run_id = ? ORDER BY s.model_id, s.problem_id, s.sample_index`).iterate(runId) as Iterable<
    { model: string; problem: string; sample: number; text: string; correct: number | null }>;
  for (const row of rows) {
    hash.update(`${row.model}\0${row.problem}\0${row.sample}\0${row.text}\0${row.correct === null ? '-' : row.correct}\0\n`);
    samples++;
  }
  return { digest: hash.digest('hex'), samples };
}

/**
 * Per (model, problem): samples, distinct final answers among their verdicts, and distinct
 * chains by text hash (read from the samples_chains index, never the texts). Samples stored
 * before hashes existed (schema v2) are hashed here, once per query, as recordSamples would.
 */
export function diversityRows(db: Store, runId: string): DiversityRow[] {
  const key = (model: string, problem: string) => `${model}\0${problem}`;
  const groups = sql(db, `SELECT model_id AS model, problem_id AS problem, COUNT(*) AS samples, COUNT(DISTINCT text_hash) AS chains,
      SUM(text_hash IS NULL) AS unhashed
    FROM samples INDEXED BY samples_chains WHERE run_id = ? GROUP BY model_id, problem_id`).all(runId) as (Omit<DiversityRow, 'answers'> & { unhashed: number })[];
  const answers = new Map((sql(db, `SELECT model_id AS model, problem_id AS problem, COUNT(DISTINCT extracted) AS answers
    FROM verdicts WHERE run_id = ? GROUP BY model_id, problem_id`).all(runId) as { model: string; problem: string; answers: number }[])
    .map((r) => [key(r.model, r.problem), r.answers]));
  return groups.map(({ unhashed, ...r }) => {
    let chains = r.chains;
    if (unhashed > 0) {
      const rows = sql(db, 'SELECT text, text_hash AS hash FROM samples WHERE run_id = ? AND model_id = ? AND problem_id = ?')
        .safeIntegers(true).all(runId, r.model, r.problem) as { text: string; hash: bigint | null }[];
      chains = new Set(rows.map((row) => row.hash ?? textHash(row.text))).size;
    }
    return { ...r, answers: answers.get(key(r.model, r.problem)) ?? 0, chains };
  });
}
