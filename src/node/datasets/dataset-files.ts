import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetSource } from '../../core/datasets/registry.ts';
import { defaultCacheDir } from '../app-dirs.ts';
import { RESOURCES_DIR } from '../resources.ts';

/**
 * Where `passk datasets fetch NAME` writes when given no --out: datasets/ in the cache folder
 * (~/.cache/passk-lab/datasets on Linux; PASSK_CACHE_DIR moves it). A cache: safe to delete,
 * fetched again with its pinned sha256.
 */
export function datasetCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultCacheDir(env), 'datasets');
}

/** The benchmark files the repository carries (resources/benchmarks/README.md: source, license, sha256). */
export const VENDORED_BENCHMARKS_DIR = join(RESOURCES_DIR, 'benchmarks');

/**
 * A registry source's file where this machine has it: the repository's copy when its license
 * let it be vendored, else the one `passk datasets fetch` left in the cache; null when neither.
 */
export function localDatasetFile(source: DatasetSource, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of [VENDORED_BENCHMARKS_DIR, datasetCacheDir(env)]) {
    const path = join(dir, source.fileName);
    if (existsSync(path)) return path;
  }
  return null;
}
