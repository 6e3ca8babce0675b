import { inflateSync } from 'node:zlib';
import type { BenchmarkProblem } from '../../core/datasets/benchmark-problem.ts';
import { mapRecords } from '../../core/datasets/map-records.ts';
import type { Result } from '../../core/result.ts';
import type { DatasetPreset } from '../../core/datasets/presets.ts';
import { readRecords, type DatasetFormat } from './read-records.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

/** Reads and maps a whole dataset file; any bad record fails all of it. */
export async function loadDataset(file: string, preset: DatasetPreset, format?: DatasetFormat): Promise<Result<BenchmarkProblem[]>> {
  const records = await readRecords(file, format);
  if (!records.ok) return records;
  return mapRecords(file, records.value, preset, (bytes) => inflateSync(bytes));
}

/** Writes problems as JSONL, atomically: an import either lands whole or leaves nothing. */
export async function writeProblems(out: string, problems: readonly BenchmarkProblem[]): Promise<void> {
  await writeFileAtomic(out, problems.map((p) => JSON.stringify(p)).join('\n') + '\n');
}
