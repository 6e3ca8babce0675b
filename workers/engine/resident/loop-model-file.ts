import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Result } from '../model-folder.ts';
import { buildLoopModel } from './loop-model.ts';
import type { SamplingVariant } from './sampling-graph.ts';

/** Bumped whenever the rewritten graph changes, so stale cached files are not reused. */
const FORMAT = 'passk-loop-v2';

export function residentCacheDir(): string {
  return process.env.PASSK_RESIDENT_CACHE ?? join(homedir(), '.cache', 'passk', 'resident');
}

/**
 * Writes (or reuses) the Loop-wrapped model for `onnxPath` and returns its path.
 * Where: a model with external weights (`*.onnx_data`) gets its rewrite next to itself
 * (`<name>.passk-loop.onnx`), because ONNX Runtime resolves the weights' `location`
 * relative to the model file; a self-contained model goes to the cache dir
 * (PASSK_RESIDENT_CACHE, default ~/.cache/passk/resident), named by a hash of its path,
 * size and mtime.
 */
export function ensureLoopModel(onnxPath: string, variant: SamplingVariant): Result<string> {
  const st = statSync(onnxPath);
  const key = createHash('sha256').update(`${FORMAT}\0${JSON.stringify(variant)}\0${onnxPath}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
  const beside = join(dirname(onnxPath), `${basename(onnxPath, '.onnx')}.${key}.passk-loop.onnx`);
  const cached = join(residentCacheDir(), `${key}.onnx`);
  if (existsSync(beside)) return { ok: true, value: beside };
  if (existsSync(cached)) return { ok: true, value: cached };
  const built = buildLoopModel(readFileSync(onnxPath), onnxPath, variant);
  if (!built.ok) return built;
  const target = built.value.externalFiles.length > 0 ? beside : cached;
  try {
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      for (const piece of built.value.pieces) writeSync(fd, piece);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (error) {
    const hint = target === beside ? ' (a model with external weights is rewritten next to itself: make its folder writable)' : ' (set PASSK_RESIDENT_CACHE to a writable folder)';
    return { ok: false, error: `${target}: could not write the resident decoder: ${(error as Error).message}${hint}` };
  }
  return { ok: true, value: target };
}
