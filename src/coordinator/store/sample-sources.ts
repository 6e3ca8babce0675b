import type { SampleServer } from '../../core/protocol/worker-protocol.ts';
import { sql, type Store } from './open-store.ts';

/** What drew a model's samples: an execution provider of the onnx engine, or a server as a worker found it. */
export interface SampleSourceRow {
  modelId: string;
  /** cpu, cuda, webgpu, or server. */
  ep: string;
  samples: number;
  /** For ep `server`: the server and the parameters sent (one row per distinct source and worker). */
  server: SampleServer | null;
  workerId: string | null;
}

/**
 * Counts the samples a worker stored from one server source. The source is keyed by its
 * JSON (fields in the schema's order), so repeated batches from one worker add up in one row.
 */
export function recordSampleSource(db: Store, row: { runId: string; modelId: string; workerId: string; server: SampleServer; samples: number }, now: number): void {
  if (row.samples === 0) return;
  sql(db, `INSERT INTO sample_sources (run_id, model_id, worker_id, source, samples, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (run_id, model_id, worker_id, source) DO UPDATE SET samples = samples + excluded.samples, last_at = excluded.last_at`)
    .run(row.runId, row.modelId, row.workerId, JSON.stringify(row.server), row.samples, now, now);
}

/** Per model: samples by execution provider, and each server source with its count. */
export function listSampleSources(db: Store, runId: string): SampleSourceRow[] {
  const eps = sql(db, `SELECT model_id AS modelId, COALESCE(ep, 'unknown') AS ep, COUNT(*) AS samples FROM samples INDEXED BY samples_chains
      WHERE run_id = ? AND (ep IS NULL OR ep != 'server') GROUP BY model_id, ep ORDER BY model_id, ep`)
    .all(runId) as { modelId: string; ep: string; samples: number }[];
  const servers = sql(db, `SELECT model_id AS modelId, worker_id AS workerId, source, samples FROM sample_sources
      WHERE run_id = ? ORDER BY model_id, first_at`)
    .all(runId) as { modelId: string; workerId: string; source: string; samples: number }[];
  return [
    ...eps.map((r) => ({ ...r, server: null, workerId: null })),
    ...servers.map((r) => ({ modelId: r.modelId, ep: 'server', samples: r.samples, server: JSON.parse(r.source) as SampleServer, workerId: r.workerId })),
  ];
}
