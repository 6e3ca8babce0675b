import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../core/result.ts';
import { hashFile, manifestDigest, type ManifestFile, type ModelManifest } from './model-manifest.ts';
import { readGenerationConfig, readPromptTemplate, type GenerationDefaults } from './read-model-folder.ts';

/**
 * The folder of a model an inference server holds: its configs and chat template, no
 * weights. Workers render prompts from it exactly as the onnx engine would, so a served
 * model and an ONNX export of it see the same prompt text.
 */
export interface ServedFolder {
  dir: string;
  config: Record<string, unknown>;
  generation: GenerationDefaults;
  tokenizerConfig: Record<string, unknown>;
  chatTemplate: string | null;
}

/** What a served model's workers fetch: small text files only (tokenizer.json is not needed to render a prompt). */
export const SERVED_FILES = ['config.json', 'generation_config.json', 'tokenizer_config.json', 'chat_template.jinja', 'special_tokens_map.json'];

export function readServedFolder(dir: string): Result<ServedFolder> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { ok: false, error: `${dir}: not a folder` };
  const missing = ['config.json', 'tokenizer_config.json'].filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    return {
      ok: false,
      error: `${dir}: missing ${missing.join(', ')}; a served model's folder needs its configs and chat template, not its weights `
        + '(e.g. `huggingface-cli download REPO --include "*.json" "*.jinja" --local-dir DIR`)',
    };
  }
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  } catch (error) {
    return { ok: false, error: `${join(dir, 'config.json')}: ${(error as Error).message}` };
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return { ok: false, error: `${join(dir, 'config.json')}: expected a JSON object` };
  const generation = readGenerationConfig(dir);
  if (!generation.ok) return generation;
  const template = readPromptTemplate(dir);
  if (!template.ok) return template;
  return { ok: true, value: { dir, config: config as Record<string, unknown>, generation: generation.value.generation, ...template.value } };
}

export async function servedManifest(folder: ServedFolder): Promise<ModelManifest> {
  const files: ManifestFile[] = [];
  for (const name of SERVED_FILES) {
    const path = join(folder.dir, name);
    if (!existsSync(path)) continue;
    files.push({ path: name, ...(await hashFile(path)) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { sha256: manifestDigest(files), files };
}
