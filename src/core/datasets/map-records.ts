import { benchmarkProblemSchema, type BenchmarkProblem } from './benchmark-problem.ts';
import type { DatasetPreset, MapContext } from './presets.ts';
import type { Result } from '../result.ts';

/** A parsed source record and where it came from, for `file:line` errors. */
export interface SourceRecord {
  value: unknown;
  /** 1-based line (JSONL, CSV) or record number (JSON array, Parquet row + 1). */
  line: number;
}

/**
 * Maps every record or none: the first bad record fails the whole import with its location,
 * and duplicate ids are refused because results are keyed by problem id.
 */
export function mapRecords(
  file: string,
  records: readonly SourceRecord[],
  preset: DatasetPreset,
  inflate: MapContext['inflate'],
): Result<BenchmarkProblem[]> {
  const out: BenchmarkProblem[] = [];
  const seen = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const mapped = preset.map(record.value, { index, inflate });
    if (!mapped.ok) return { ok: false, error: `${file}:${record.line}: ${mapped.error} (preset ${preset.name})` };
    const checked = benchmarkProblemSchema.safeParse(mapped.value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return { ok: false, error: `${file}:${record.line}: field "${issue?.path.join('.') ?? '?'}": ${issue?.message ?? 'invalid'}` };
    }
    const earlier = seen.get(checked.data.id);
    if (earlier !== undefined) return { ok: false, error: `${file}:${record.line}: id "${checked.data.id}" already used at line ${earlier}` };
    seen.set(checked.data.id, record.line);
    out.push(checked.data);
  }
  if (out.length === 0) return { ok: false, error: `${file}: no records` };
  return { ok: true, value: out };
}
