import { z } from 'zod';
import { isJsonObject, jsonlLines } from '../jsonl/jsonl-lines.ts';
import type { Result } from '../result.ts';
import { roleSchema } from '../roles.ts';
import { FALLBACK_NOTE } from '../verify/math/fallback-note.ts';
import type { ProblemCount, Role } from './types.ts';

const MAX_ERRORS = 20;

const nameSchema = z.string({ error: 'expected a non-empty string' }).min(1, { error: 'expected a non-empty string' });
const problemSchema = z.union([nameSchema, z.number().int().nonnegative()], { error: 'expected a string or a non-negative integer' });
const countSchema = z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' });

const sampleRowSchema = z.object({
  model: nameSchema,
  problem: problemSchema,
  correct: z.boolean({ error: 'expected true or false' }),
  role: roleSchema.optional(),
  sample: countSchema.nonnegative({ error: 'expected an integer ≥ 0' }).optional(),
  fallback: z.boolean({ error: 'expected true or false' }).optional(),
});

const problemRowSchema = z.object({
  model: nameSchema,
  problem: problemSchema,
  n: countSchema.positive({ error: 'expected an integer ≥ 1' }),
  c: countSchema.nonnegative({ error: 'expected an integer ≥ 0' }),
  role: roleSchema.optional(),
});

type Format = 'per-sample' | 'per-problem';

/** Where a line of the input went wrong, as `file:line: message`. */
export interface InputError {
  file: string;
  line: number | null;
  message: string;
}

export function formatInputError(error: InputError): string {
  return error.line === null ? `${error.file}: ${error.message}` : `${error.file}:${error.line}: ${error.message}`;
}

interface SampleGroup {
  model: string;
  problem: string;
  n: number;
  c: number;
  firstLine: number;
  /** sample index → line; null while the group's lines carry no index. */
  indices: Map<number, number> | null;
}

/** Per-sample verdicts whose answer was only the last number in the response (a guess). */
export interface FallbackTally {
  verdicts: number;
  /** How many of them the verifier judged correct (counted as incorrect when excluded). */
  correct: number;
  byModel: Record<string, { verdicts: number; correct: number }>;
}

export interface VerdictReadOptions {
  /** Count a correct fallback verdict as incorrect (`passk stats --no-fallback`). */
  excludeFallback?: boolean;
}

/**
 * Reads verdicts in JSONL, one object per line (blank lines skipped), in one of two formats
 * per file: per sample `{"model","problem","correct"}` (+ optional "role", "sample",
 * "fallback") or per problem `{"model","problem","n","c"}` (+ optional "role"). Other fields
 * are ignored, except that a per-sample row is a fallback verdict when `"fallback": true` or
 * its `"reason"` carries the verifier's FALLBACK_NOTE; `fallback` tallies them (present only
 * when there are any). A numeric problem id is read as its decimal string, so 7 and "7" name
 * the same problem. Collects up to 20 errors, each with its line, so a bad file is fixed in
 * one pass.
 */
export function parseVerdictsJsonl(
  text: string,
  file: string,
  options: VerdictReadOptions = {},
): { ok: true; value: ProblemCount[]; fallback?: FallbackTally } | { ok: false; error: InputError[] } {
  let fallback: FallbackTally | undefined;
  const errors: InputError[] = [];
  const fail = (line: number | null, message: string): void => {
    if (errors.length < MAX_ERRORS) errors.push({ file, line, message });
  };
  let format: { kind: Format; line: number } | null = null;
  const roles = new Map<string, { role: Role; line: number }>();
  const groups = new Map<string, SampleGroup>();
  const rows = new Map<string, { row: ProblemCount; line: number }>();

  for (const parsedLine of jsonlLines(text)) {
    if (errors.length >= MAX_ERRORS) break;
    const lineNo = parsedLine.line;
    if (!parsedLine.ok) {
      fail(lineNo, parsedLine.error);
      continue;
    }
    const value = parsedLine.value;
    if (!isJsonObject(value)) {
      fail(lineNo, 'expected a JSON object such as {"model":"base","problem":"p1","correct":true}');
      continue;
    }
    const kind = detectFormat(value);
    if (kind === null) {
      fail(lineNo, 'neither a per-sample row (needs "correct") nor a per-problem row (needs "n" and "c")');
      continue;
    }
    if (kind === 'both') {
      fail(lineNo, 'has both "correct" and "n"/"c"; a row is either per sample or per problem');
      continue;
    }
    if (format === null) format = { kind, line: lineNo };
    else if (format.kind !== kind) {
      fail(lineNo, `${kind} row in a ${format.kind} file (line ${format.line} set the format); use one format per file`);
      continue;
    }

    const parsed = kind === 'per-sample' ? sampleRowSchema.safeParse(value) : problemRowSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'row';
      fail(lineNo, `${field}: ${issue.path.length > 0 && !(issue.path[0] in value) ? 'missing' : issue.message}`);
      continue;
    }
    const { model, role } = parsed.data;
    const problem = String(parsed.data.problem);
    if (role !== undefined) {
      const known = roles.get(model);
      if (known && known.role !== role) {
        fail(lineNo, `model "${model}" has role "${role}" here but "${known.role}" on line ${known.line}; give each model one role`);
        continue;
      }
      if (!known) roles.set(model, { role, line: lineNo });
    }
    const key = JSON.stringify([model, problem]);

    if ('correct' in parsed.data) {
      const { sample } = parsed.data;
      let { correct } = parsed.data;
      let group = groups.get(key);
      if (!group) {
        group = { model, problem, n: 0, c: 0, firstLine: lineNo, indices: sample === undefined ? null : new Map() };
        groups.set(key, group);
      } else if ((sample === undefined) !== (group.indices === null)) {
        fail(lineNo, `model "${model}", problem "${problem}": "sample" is ${sample === undefined ? 'missing here but given' : 'given here but missing'} on line ${group.firstLine}; give it on every line of a problem or on none`);
        continue;
      }
      if (sample !== undefined && group.indices) {
        const previous = group.indices.get(sample);
        if (previous !== undefined) {
          fail(lineNo, `duplicate sample: model "${model}", problem "${problem}", sample ${sample} already on line ${previous}`);
          continue;
        }
        group.indices.set(sample, lineNo);
      }
      const reason = (value as { reason?: unknown }).reason;
      if (parsed.data.fallback === true || (typeof reason === 'string' && reason.includes(FALLBACK_NOTE))) {
        fallback ??= { verdicts: 0, correct: 0, byModel: {} };
        const mine = (fallback.byModel[model] ??= { verdicts: 0, correct: 0 });
        fallback.verdicts += 1;
        mine.verdicts += 1;
        if (correct) {
          fallback.correct += 1;
          mine.correct += 1;
        }
        if (options.excludeFallback) correct = false;
      }
      group.n++;
      if (correct) group.c++;
    } else {
      const { n, c } = parsed.data;
      if (c > n) {
        fail(lineNo, `c=${c} exceeds n=${n}: a problem cannot have more correct samples than samples`);
        continue;
      }
      const previous = rows.get(key);
      if (previous) {
        fail(lineNo, `duplicate row: model "${model}", problem "${problem}" already on line ${previous.line}`);
        continue;
      }
      rows.set(key, { row: { model, problem, n, c }, line: lineNo });
    }
  }
  if (errors.length > 0) return { ok: false, error: errors };

  const counts: ProblemCount[] = format?.kind === 'per-sample'
    ? [...groups.values()].map(({ model, problem, n, c }) => ({ model, problem, n, c }))
    : [...rows.values()].map(({ row }) => row);
  if (counts.length === 0) return { ok: false, error: [{ file, line: null, message: 'no rows: the file holds no JSON lines' }] };
  for (const row of counts) {
    const role = roles.get(row.model)?.role;
    if (role !== undefined) row.role = role;
  }
  const missing = findMissingProblem(counts);
  if (missing) return { ok: false, error: [{ file, line: null, message: missing }] };
  return fallback === undefined ? { ok: true, value: counts } : { ok: true, value: counts, fallback };
}

function detectFormat(value: object): Format | 'both' | null {
  const perSample = 'correct' in value;
  const perProblem = 'n' in value || 'c' in value;
  if (perSample && perProblem) return 'both';
  return perSample ? 'per-sample' : perProblem ? 'per-problem' : null;
}

/** Paired statistics need every model on every problem; names the first gap found. */
function findMissingProblem(counts: readonly ProblemCount[]): string | null {
  const problemsByModel = new Map<string, Set<string>>();
  for (const { model, problem } of counts) {
    let set = problemsByModel.get(model);
    if (!set) problemsByModel.set(model, (set = new Set()));
    set.add(problem);
  }
  const all = new Set(counts.map((row) => row.problem));
  for (const [model, problems] of problemsByModel) {
    if (problems.size === all.size) continue;
    const absent = [...all].filter((problem) => !problems.has(problem));
    const owner = [...problemsByModel].find(([, set]) => set.has(absent[0]))?.[0] ?? '?';
    return `model "${model}" has no rows for problem "${absent[0]}"${absent.length > 1 ? ` and ${absent.length - 1} more` : ''} (model "${owner}" has them); ` +
      'every model needs the same problems so they can be compared problem by problem';
  }
  return null;
}
