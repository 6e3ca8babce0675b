import { inflateSync } from 'node:zlib';
import type { BenchmarkProblem } from '../../core/datasets/benchmark-problem.ts';
import type { Inflate } from '../../core/datasets/livecodebench-tests.ts';
import { mapRecords } from '../../core/datasets/map-records.ts';
import type { Result } from '../../core/result.ts';
import type { DatasetPreset } from '../../core/datasets/presets.ts';
import { mebibytes } from '../fs/file-kind.ts';
import { readRecords, type DatasetFormat } from './read-records.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

/**
 * The most one record's compressed payload (LiveCodeBench's private tests) may inflate to.
 * Real records hold a few MB of tests; a payload of a few KB that inflates to hundreds of MB
 * is a decompression bomb, and every record is held in memory at once.
 */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1048576;

export interface LoadOptions {
  /** Cap on one record's inflated payload (default DEFAULT_MAX_RECORD_BYTES). */
  maxRecordBytes?: number;
  /** Cap on the file and on what a .gz file inflates to (default: the longest string). */
  maxFileBytes?: number;
}

/** zlib inflation that stops at `maxBytes` of output: memory stays bounded whatever the input. */
export function cappedInflate(maxBytes: number): Inflate {
  return (bytes) => {
    try {
      return { ok: true, value: inflateSync(bytes, { maxOutputLength: maxBytes }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return {
          ok: false,
          error: `${bytes.length} bytes of zlib data inflate to more than ${mebibytes(maxBytes)}, the most one record may hold; refused (for a file you trust, raise it with passk datasets import --max-record-mb N)`,
        };
      }
      return { ok: false, error: `not zlib data: ${(error as Error).message}` };
    }
  };
}

/** Reads and maps a whole dataset file; any bad record fails all of it. */
export async function loadDataset(file: string, preset: DatasetPreset, format?: DatasetFormat, options: LoadOptions = {}): Promise<Result<BenchmarkProblem[]>> {
  const records = await readRecords(file, format, { maxBytes: options.maxFileBytes });
  if (!records.ok) return records;
  return mapRecords(file, records.value, preset, cappedInflate(options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES));
}

/** Writes problems as JSONL, atomically: an import either lands whole or leaves nothing. */
export async function writeProblems(out: string, problems: readonly BenchmarkProblem[]): Promise<void> {
  await writeFileAtomic(out, problems.map((p) => JSON.stringify(p)).join('\n') + '\n');
}
