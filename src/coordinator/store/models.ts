import type { Role } from '../../core/stats/types.ts';
import type { Store } from './open-store.ts';

export interface RunModel {
  id: string;
  role: Role;
  name: string;
  /** sha256 of the model's files: the content address workers fetch it by. */
  sha256: string | null;
  settings: Record<string, unknown>;
}

export function addModel(db: Store, runId: string, model: RunModel): void {
  db.prepare('INSERT INTO models (run_id, id, role, name, sha256, settings) VALUES (?, ?, ?, ?, ?, ?)')
    .run(runId, model.id, model.role, model.name, model.sha256, JSON.stringify(model.settings));
}

export function listModels(db: Store, runId: string): RunModel[] {
  const rows = db.prepare('SELECT id, role, name, sha256, settings FROM models WHERE run_id = ? ORDER BY rowid').all(runId) as
    { id: string; role: Role; name: string; sha256: string | null; settings: string }[];
  return rows.map((row) => ({ ...row, settings: JSON.parse(row.settings) as Record<string, unknown> }));
}
