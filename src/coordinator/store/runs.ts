import { isRunOpen, type RunStatus } from '../../core/protocol/ui-protocol.ts';
import type { VerifierKind } from '../../core/spec/experiment-spec.ts';
import { sql, type Store } from './open-store.ts';

export type { RunStatus };

export interface NewRun {
  id: string;
  name: string;
  /** The spec as the user gave it. */
  spec: unknown;
  /** What it resolved to: problems' source, settings actually used, model hashes. */
  resolved: unknown;
  seed: string;
  verifier: VerifierKind;
  benchmark: string;
  n: number;
}

/** Where a run's results came from: this tool, or another one's files (`passk import`). */
export interface RunOrigin {
  tool: string;
  [key: string]: unknown;
}

export interface Run extends NewRun {
  status: RunStatus;
  origin: RunOrigin;
  /** Kept once the run is finished (computing it reads every sample's text). */
  samplesDigest: string | null;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

interface RunRow {
  id: string; name: string; spec: string; resolved: string; seed: string; verifier: VerifierKind; benchmark: string; n: number;
  status: RunStatus; error: string | null; created_at: number; started_at: number | null; finished_at: number | null;
  origin: string; samples_digest: string | null;
}

const fromRow = (row: RunRow): Run => ({
  id: row.id, name: row.name, spec: JSON.parse(row.spec), resolved: JSON.parse(row.resolved), seed: row.seed,
  verifier: row.verifier, benchmark: row.benchmark, n: row.n, status: row.status, error: row.error,
  origin: JSON.parse(row.origin) as RunOrigin, samplesDigest: row.samples_digest,
  createdAt: row.created_at, startedAt: row.started_at, finishedAt: row.finished_at,
});

export function createRun(db: Store, run: NewRun & { origin?: RunOrigin }, now: number): void {
  sql(db, `INSERT INTO runs (id, name, spec, resolved, seed, verifier, benchmark, n, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(run.id, run.name, JSON.stringify(run.spec), JSON.stringify(run.resolved), run.seed, run.verifier, run.benchmark, run.n, JSON.stringify(run.origin ?? { tool: 'passk' }), now);
}

export function setSamplesDigest(db: Store, runId: string, digest: string): void {
  sql(db, 'UPDATE runs SET samples_digest = ? WHERE id = ?').run(digest, runId);
}

export function setRunStatus(db: Store, runId: string, status: RunStatus, now: number, error: string | null = null): void {
  const result = sql(db, `UPDATE runs SET status = ?, error = ?, finished_at = ?, started_at = COALESCE(started_at, ?) WHERE id = ?`)
    .run(status, error, isRunOpen(status) ? null : now, status === 'running' ? now : null, runId);
  if (result.changes === 0) throw new Error(`no run ${runId} in the store`);
}

export function getRun(db: Store, runId: string): Run | undefined {
  const row = sql(db, 'SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
  return row && fromRow(row);
}

/** A run by id, else by name: what users type after `passk runs show`. */
export function findRun(db: Store, idOrName: string): Run | undefined {
  const row = sql(db, 'SELECT * FROM runs WHERE id = ? UNION ALL SELECT * FROM runs WHERE name = ? LIMIT 1').get(idOrName, idOrName) as RunRow | undefined;
  return row && fromRow(row);
}

export function listRuns(db: Store, status?: readonly RunStatus[]): Run[] {
  const rows = sql(db, 'SELECT * FROM runs ORDER BY created_at, id').all() as RunRow[];
  return rows.map(fromRow).filter((run) => status === undefined || status.includes(run.status));
}

/** `base`, else `base-2`, `base-3`, …: the first name no run has. */
export function freeRunName(db: Store, base: string): string {
  const taken = sql(db, 'SELECT 1 FROM runs WHERE name = ?');
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (taken.get(name) === undefined) return name;
  }
}
