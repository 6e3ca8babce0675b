import { generationSettingsSchema, type ModelRef, type ResolvedSettings } from '../../core/protocol/worker-protocol.ts';
import type { ServedModel } from '../../core/spec/experiment-spec.ts';
import type { Role } from '../../core/roles.ts';
import type { PromptFormat } from '../../core/sampling/prompt-format.ts';
import { sql, type Store } from './open-store.ts';

export interface RunModel {
  id: string;
  role: Role;
  /** What reports call it: the spec's label, else the folder's name. */
  name: string;
  label: string | null;
  folder: string;
  dtype: string;
  /** sha256 over the model's file list: the content address workers fetch it by. */
  sha256: string | null;
  files: ModelRef['files'];
  /** config.json as it was, so an archived run says what the model was without the folder. */
  config: Record<string, unknown>;
  prompt: { format: PromptFormat; template: string | null };
  /** The settings actually used: the spec's, else generation_config.json's, else the paper's; null: not recorded (a run imported from another tool). */
  settings: ResolvedSettings | null;
  /** Drawn from an inference server serving it under this name, or (null) by the onnx engine. */
  served: ServedModel | null;
}

interface ModelRow {
  id: string; role: Role; name: string; label: string | null; folder: string; dtype: string; sha256: string | null;
  files: string; config: string; prompt: string; settings: string; served: string | null;
}

export function addModel(db: Store, runId: string, model: RunModel): void {
  sql(db, `INSERT INTO models (run_id, id, role, name, label, folder, dtype, sha256, files, config, prompt, settings, served)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(runId, model.id, model.role, model.name, model.label, model.folder, model.dtype, model.sha256,
      JSON.stringify(model.files), JSON.stringify(model.config), JSON.stringify(model.prompt), JSON.stringify(model.settings ?? {}),
      model.served === null ? null : JSON.stringify(model.served));
}

/** In the order they were added: the order reports list them. */
export function listModels(db: Store, runId: string): RunModel[] {
  const rows = sql(db, 'SELECT id, role, name, label, folder, dtype, sha256, files, config, prompt, settings, served FROM models WHERE run_id = ? ORDER BY rowid')
    .all(runId) as ModelRow[];
  return rows.map((row) => ({
    ...row,
    files: JSON.parse(row.files) as RunModel['files'],
    config: JSON.parse(row.config) as Record<string, unknown>,
    prompt: JSON.parse(row.prompt) as RunModel['prompt'],
    settings: storedSettings(row.settings),
    served: row.served === null ? null : JSON.parse(row.served) as ServedModel,
  }));
}

/** Settings as stored: `{}` where none were recorded; anything else that is not a whole set reads as not recorded too. */
function storedSettings(json: string): ResolvedSettings | null {
  const parsed = generationSettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}
