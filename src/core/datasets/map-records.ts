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
    const checked = benchmarkProblemSchema.safeParse({ ...metadataOf(record.value), ...mapped.value });
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

/** Fields benchmarks use for a problem's difficulty and subject, first found wins. */
const LEVEL_FIELDS = ['level', 'difficulty'];
const SUBJECT_FIELDS = ['subject', 'subfield', 'type', 'category'];

/** Level and subject from the source record, when it has them as short text or numbers. */
function metadataOf(record: unknown): { level?: string; subject?: string } {
  if (typeof record !== 'object' || record === null) return {};
  const r = record as Record<string, unknown>;
  const pick = (fields: string[]) => {
    for (const f of fields) {
      const v = r[f];
      if ((typeof v === 'string' && v.trim() !== '' && v.length <= 100) || (typeof v === 'number' && Number.isFinite(v))) return String(v).trim();
    }
    return undefined;
  };
  const level = pick(LEVEL_FIELDS);
  const subject = pick(SUBJECT_FIELDS);
  return { ...(level !== undefined ? { level } : {}), ...(subject !== undefined ? { subject } : {}) };
}
