import { parquetReadObjects } from 'hyparquet';
import type { SourceRecord } from '../../core/datasets/map-records.ts';
import { isJsonObject, jsonlLines } from '../../core/jsonl/jsonl-lines.ts';
import type { Result } from '../../core/result.ts';
import { locateJsonError } from '../../core/datasets/locate-json-error.ts';
import { parseCsv } from '../../core/datasets/parse-csv.ts';
import { readInflated, type ReadLimits } from '../fs/read-regular-file.ts';

export type DatasetFormat = 'jsonl' | 'json' | 'csv' | 'parquet';

/** The format from the file name (`.jsonl`, `.json`, `.csv`, `.parquet`, each optionally `.gz`). */
export function formatOf(file: string): DatasetFormat | null {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.parquet')) return 'parquet';
  return null;
}

/**
 * Parquet cells can be BigInt (INT64), Date or bytes; records must survive JSON.stringify,
 * so they become numbers (or decimal strings when unsafe), ISO strings and UTF-8 text.
 */
function toPlainJson(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlainJson(v)]));
  }
  return value;
}

function parseJsonl(file: string, text: string): Result<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for (const line of jsonlLines(text)) {
    if (!line.ok) return { ok: false, error: `${file}:${line.line}: ${line.error}` };
    if (!isJsonObject(line.value)) return { ok: false, error: `${file}:${line.line}: expected a JSON object per line` };
    records.push({ line: line.line, value: line.value });
  }
  return { ok: true, value: records };
}

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

function parseJson(file: string, text: string): Result<SourceRecord[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = locateJsonError(text);
    const where = position < 0 ? '' : `:${lineAt(text, position)}`;
    return { ok: false, error: `${file}${where}: not valid JSON (${message})` };
  }
  // Either a list of records or an object holding one (`{"data": [...]}` as many exports do).
  const list = Array.isArray(value)
    ? value
    : isJsonObject(value)
      ? Object.values(value as Record<string, unknown>).find((v) => Array.isArray(v))
      : undefined;
  if (!Array.isArray(list)) return { ok: false, error: `${file}: expected a JSON list of records (or an object with one)` };
  const records: SourceRecord[] = [];
  for (const [i, item] of list.entries()) {
    if (!isJsonObject(item)) return { ok: false, error: `${file}: record ${i + 1} is not an object` };
    records.push({ line: i + 1, value: item });
  }
  return { ok: true, value: records };
}

/**
 * Reads every record of a dataset file; the error names the file and line of the first problem.
 * `maxBytes` (default: the longest text a string holds) caps the file and, for gzip, what it
 * inflates to, so a small file that inflates to gigabytes is refused after reading that much.
 */
export async function readRecords(file: string, format?: DatasetFormat, limits: ReadLimits = {}): Promise<Result<SourceRecord[]>> {
  const kind = format ?? formatOf(file);
  if (kind === null) return { ok: false, error: `${file}: unknown format; name it .jsonl, .json, .csv or .parquet (optionally .gz)` };
  const read = await readInflated(file, limits);
  if (!read.ok) return read;
  const bytes = read.value;
  if (kind === 'parquet') {
    try {
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const rows = await parquetReadObjects({ file: buffer });
      return { ok: true, value: rows.map((value, i) => ({ value: toPlainJson(value), line: i + 1 })) };
    } catch (error) {
      return { ok: false, error: `${file}: not a readable Parquet file (${(error as Error).message})` };
    }
  }
  const text = bytes.toString('utf8');
  if (kind === 'jsonl') return parseJsonl(file, text);
  if (kind === 'json') return parseJson(file, text);
  return parseCsv(file, text);
}
