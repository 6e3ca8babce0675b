import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Result } from '../../src/core/result.ts';

/** A model the engine derives from the user's (a rewrite of its graph; weights kept as they were). */
export interface DerivedModel {
  /** The serialized ModelProto as pieces; initializers are slices of the source buffer. */
  pieces: Uint8Array[];
  /** External-data files the weights name, relative to the source model's folder. */
  externalFiles: string[];
}

export function derivedCacheDir(): string {
  return process.env.PASSK_RESIDENT_CACHE ?? join(homedir(), '.cache', 'passk', 'resident');
}

/**
 * Writes (or reuses) the model `build` derives from `onnxPath` and returns its path.
 * `tag` names the rewrite and its format version: bump it whenever the rewrite changes,
 * so stale files are not reused. Where: a model with external weights (`*.onnx_data`)
 * gets its rewrite next to itself (`<name>.<key>.passk-<kind>.onnx`), because ONNX
 * Runtime resolves the weights' `location` relative to the model file; a self-contained
 * model goes to the cache dir (PASSK_RESIDENT_CACHE, default ~/.cache/passk/resident),
 * named by a hash of the tag and the source's path, size and mtime.
 */
export function ensureDerivedModel(
  onnxPath: string, kind: string, tag: string, build: (source: Uint8Array) => Result<DerivedModel>,
): Result<string> {
  const st = statSync(onnxPath);
  const key = createHash('sha256').update(`${tag}\0${onnxPath}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
  const beside = join(dirname(onnxPath), `${basename(onnxPath, '.onnx')}.${key}.passk-${kind}.onnx`);
  const cached = join(derivedCacheDir(), `${key}.${kind}.onnx`);
  if (existsSync(beside)) return { ok: true, value: beside };
  if (existsSync(cached)) return { ok: true, value: cached };
  const built = build(readFileSync(onnxPath));
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
    return { ok: false, error: `${target}: could not write the ${kind} rewrite of the model: ${(error as Error).message}${hint}` };
  }
  return { ok: true, value: target };
}
