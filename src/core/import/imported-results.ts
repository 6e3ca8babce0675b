import { jsonlLines } from '../jsonl/jsonl-lines.ts';
import type { Result } from '../result.ts';

/** A problem as another tool's results describe it. */
export interface ImportedProblem {
  id: string;
  text: string;
  /** The gold answer (math), or the task record (code), as the tool kept it. */
  gold: unknown;
  level?: string;
  subject?: string;
}

/** One sampled answer with its verdict, as another tool's results give them. */
export interface ImportedSample {
  problem: string;
  text: string;
  correct: boolean;
  extracted: string | null;
  /** Says who judged it: the other tool's grader, or PassK Lab's verifier on import. */
  reason: string;
}

/** Everything one results file holds about one model. */
export interface ImportedModelResults {
  problems: ImportedProblem[];
  samples: ImportedSample[];
  /** The tool's own name for the model or run, when the file says. */
  modelHint: string | null;
}

export type ParseImport = (text: string, file: string) => Result<ImportedModelResults>;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asText = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/**
 * Each JSONL line of a results file as an object, handed to `visit` with its `file:line`;
 * the first bad line, or the first error `visit` returns, stops the file with that place.
 */
export function forEachObjectLine(text: string, file: string, what: string, visit: (record: Record<string, unknown>, where: string) => string | null): Result<null> {
  for (const line of jsonlLines(text)) {
    const where = `${file}:${line.line}`;
    if (!line.ok) return { ok: false, error: `${where}: ${line.error}` };
    if (!isObject(line.value)) return { ok: false, error: `${where}: expected a JSON object per ${what}` };
    const problem = visit(line.value, where);
    if (problem !== null) return { ok: false, error: `${where}: ${problem}` };
  }
  return { ok: true, value: null };
}
