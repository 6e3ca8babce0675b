import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { externalDataFiles, type ModelFolder } from './read-model-folder.ts';

export interface ManifestFile {
  /** Relative to the model folder, `/`-separated. */
  path: string;
  sha256: string;
  size: number;
}

/** A model by content: the files a worker needs, and one sha256 over them that names the model. */
export interface ModelManifest {
  sha256: string;
  files: ManifestFile[];
}

/** Besides the chosen ONNX file and its external weights: what the engine reads from a folder. */
const METADATA_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja', 'special_tokens_map.json'];

// Hashing a multi-GB model takes seconds; a file is hashed again only when its size or mtime changes.
const hashCache = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const stat = statSync(path);
  const cached = hashCache.get(path);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return { sha256: cached.sha256, size: stat.size };
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  hashCache.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, sha256 });
  return { sha256, size: stat.size };
}

/** The files of one model variant (the chosen ONNX file, its weights, tokenizer and configs), hashed. */
export async function modelManifest(folder: ModelFolder): Promise<ModelManifest> {
  const onnxDir = dirname(folder.onnxPath);
  const paths = [
    ...METADATA_FILES.map((f) => join(folder.dir, f)).filter((p) => existsSync(p)),
    folder.onnxPath,
    ...externalDataFiles(folder.onnxPath).map((f) => join(onnxDir, f)),
  ];
  const files: ManifestFile[] = [];
  for (const path of paths) {
    const { sha256, size } = await hashFile(path);
    files.push({ path: relative(folder.dir, path).split(sep).join('/'), sha256, size });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { sha256: manifestDigest(files), files };
}

/** One line per file, sorted by path: the same files give the same model sha256 wherever they sit. */
export function manifestDigest(files: readonly ManifestFile[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) hash.update(`${f.path}\t${f.sha256}\t${f.size}\n`);
  return hash.digest('hex');
}
