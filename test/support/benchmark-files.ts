import { findSource } from '../../src/core/datasets/registry.ts';
import { datasetCacheDir, localDatasetFile } from '../../src/node/datasets/dataset-files.ts';

// The paper's benchmark files, for the tests that read them: vendored in resources/benchmarks
// where their license allows it, else fetched into the cache by `passk datasets fetch NAME`
// (which .ci/run fills, so CI runs every test).

/** The file of registry source `name` where this machine has it, else null. */
export function benchmarkFile(name: string): string | null {
  const source = findSource(name);
  if (!source) throw new Error(`no dataset source "${name}" in src/core/datasets/registry.ts`);
  return localDatasetFile(source);
}

/** The command that puts the missing sources' files where benchmarkFile finds them. */
export function fetchCommand(names: readonly string[]): string {
  return names.map((name) => `npx passk datasets fetch ${name}`).join(' && ');
}

/** One line for a skip: what is skipped, which files are missing and the command that fetches them. */
export function missingBenchmarks(what: string, names: readonly string[]): string {
  return `skipping ${what}: ${names.join(', ')} not in resources/benchmarks or ${datasetCacheDir()}; run \`${fetchCommand(names)}\``;
}
