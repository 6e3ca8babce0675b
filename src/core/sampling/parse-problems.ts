import { isJsonObject, jsonlLines } from '../jsonl/jsonl-lines.ts';
import type { Result } from '../result.ts';

/** One problem to sample: its id (stable across runs, it keys the random stream) and text. */
export interface ProblemInput {
  id: string;
  problem: string;
}

export type ParseResult = Result<ProblemInput[]>;

const TEXT_FIELDS = ['problem', 'question', 'prompt'] as const;
const ID_FIELDS = ['id', 'unique_id', 'task_id', 'idx'] as const;

/**
 * Problems JSONL: the text from `problem` (or `question`, `prompt`: the paper's benchmark
 * files use all three), the id from `id` | `unique_id` | `task_id` | `idx`, else the
 * 1-based line number. Blank lines are skipped; the first bad line fails the whole file.
 */
export function parseProblemsJsonl(text: string, source: string): ParseResult {
  const problems: ProblemInput[] = [];
  const seen = new Map<string, number>();
  for (const line of jsonlLines(text)) {
    const where = `${source}:${line.line}`;
    if (!line.ok) return { ok: false, error: `${where}: ${line.error}` };
    const fields = line.value;
    if (!isJsonObject(fields)) return { ok: false, error: `${where}: expected a JSON object with a "problem" field` };
    const textField = TEXT_FIELDS.find((f) => typeof fields[f] === 'string');
    if (textField === undefined) {
      return { ok: false, error: `${where}: no string field ${TEXT_FIELDS.map((f) => `"${f}"`).join(' or ')}` };
    }
    const idField = ID_FIELDS.find((f) => typeof fields[f] === 'string' || typeof fields[f] === 'number');
    const id = idField === undefined ? String(line.line) : String(fields[idField]);
    const previous = seen.get(id);
    if (previous !== undefined) {
      return { ok: false, error: `${where}: id "${id}" already used on line ${previous}; ids key the random streams and must be unique` };
    }
    seen.set(id, line.line);
    problems.push({ id, problem: fields[textField] as string });
  }
  return { ok: true, value: problems };
}
