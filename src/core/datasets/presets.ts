import { lastBoxed } from '../verify/math/extract-answer.ts';
import type { BenchmarkProblem } from './benchmark-problem.ts';
import { fieldText, getField, type FieldMapping } from './field-mapping.ts';
import { decodeLiveCodeBenchTests, type Inflate } from './livecodebench-tests.ts';
import type { Result } from '../result.ts';
import type { VerifierKind } from '../spec/experiment-spec.ts';

export interface MapContext {
  /** 0-based position of the record in its file; ids fall back to it. */
  index: number;
  inflate: Inflate;
}

export interface DatasetPreset {
  name: string;
  kind: VerifierKind;
  description: string;
  map(record: unknown, context: MapContext): Result<BenchmarkProblem>;
}

type Fields = Result<string>;

function text(record: unknown, path: string): Fields {
  return fieldText(record, path);
}

function optionalText(record: unknown, path: string): string | null {
  const r = fieldText(record, path);
  return r.ok ? r.value : null;
}

function idOf(record: unknown, path: string | undefined, prefix: string, index: number): string {
  if (path !== undefined) {
    const r = fieldText(record, path);
    if (r.ok && r.value !== '') return r.value;
  }
  return `${prefix}-${index}`;
}

function math(id: string, problem: Fields, answer: Fields, solution: string | null): Result<BenchmarkProblem> {
  if (!problem.ok) return problem;
  if (!answer.ok) return answer;
  if (problem.value.trim() === '') return { ok: false, error: 'the problem text is empty' };
  if (answer.value.trim() === '') return { ok: false, error: 'the gold answer is empty' };
  return { ok: true, value: { id, kind: 'math', problem: problem.value, answer: answer.value.trim(), solution, task: null } };
}

function code(id: string, problem: Fields, task: Record<string, unknown>, solution: string | null): Result<BenchmarkProblem> {
  if (!problem.ok) return problem;
  if (problem.value.trim() === '') return { ok: false, error: 'the problem text is empty' };
  return { ok: true, value: { id, kind: 'code', problem: problem.value, answer: null, solution, task } };
}

function asObject(record: unknown): Record<string, unknown> {
  return typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : {};
}

/** GSM8K: the gold answer is what follows `#### `, commas removed ("1,000" → "1000"). */
function gsm8kAnswer(record: unknown): Fields {
  const full = text(record, 'answer');
  if (!full.ok) return full;
  const at = full.value.lastIndexOf('####');
  if (at < 0) return { ok: false, error: 'field "answer" has no "#### " final answer' };
  return { ok: true, value: full.value.slice(at + 4).trim().replace(/,/g, '') };
}

/** OlympiadBench: `final_answer` is a list of `$…$` strings, joined as one comma list. */
function olympiadAnswer(record: unknown): Fields {
  const list = getField(record, 'final_answer');
  if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === 'string')) {
    return { ok: false, error: 'field "final_answer" must be a non-empty list of strings' };
  }
  return { ok: true, value: (list as string[]).map((a) => a.trim().replace(/^\$+|\$+$/g, '').trim()).join(', ') };
}

function boxedOf(record: unknown, path: string): Fields {
  const solution = text(record, path);
  if (!solution.ok) return solution;
  const boxed = lastBoxed(solution.value);
  return boxed === null || boxed === '' ? { ok: false, error: `field "${path}" has no \\boxed{} answer` } : { ok: true, value: boxed };
}

function firstSolution(record: unknown): string | null {
  const s = getField(record, 'solution');
  if (typeof s === 'string') return s;
  return Array.isArray(s) && typeof s[0] === 'string' ? s[0] : null;
}

function liveCodeBench(record: unknown, context: MapContext): Result<BenchmarkProblem> {
  const r = asObject(record);
  const tests: Record<string, unknown> = {};
  for (const field of ['public_test_cases', 'private_test_cases']) {
    if (r[field] === undefined || r[field] === '') {
      tests[field] = [];
      continue;
    }
    const decoded = decodeLiveCodeBenchTests(r[field], context.inflate);
    if (!decoded.ok) return { ok: false, error: `field "${field}": ${decoded.error}` };
    tests[field] = decoded.value;
  }
  let metadata: unknown = r.metadata ?? {};
  if (typeof metadata === 'string') {
    try {
      metadata = metadata.trim() === '' ? {} : JSON.parse(metadata);
    } catch {
      return { ok: false, error: 'field "metadata" is not JSON' };
    }
  }
  const task = { ...r, ...tests, metadata };
  return code(idOf(record, 'question_id', 'lcb', context.index), text(record, 'question_content'), task, null);
}

export const presets: readonly DatasetPreset[] = [
  {
    name: 'gsm8k',
    kind: 'math',
    description: 'GSM8K: question, answer (gold after "#### ", commas removed)',
    map: (r, c) => math(idOf(r, undefined, 'gsm8k', c.index), text(r, 'question'), gsm8kAnswer(r), optionalText(r, 'answer')),
  },
  {
    name: 'math500',
    kind: 'math',
    description: 'MATH500: problem, answer, solution, unique_id',
    map: (r, c) => math(idOf(r, 'unique_id', 'math500', c.index), text(r, 'problem'), text(r, 'answer'), optionalText(r, 'solution')),
  },
  {
    name: 'aime24',
    kind: 'math',
    description: 'AIME 2024: problem, answer (string, may be "025"), solution, id',
    map: (r, c) => math(idOf(r, 'id', 'aime24', c.index), text(r, 'problem'), text(r, 'answer'), optionalText(r, 'solution')),
  },
  {
    name: 'amc23',
    kind: 'math',
    description: 'AMC 2023: problem, answer (a float such as 27.0), id',
    map: (r, c) => math(idOf(r, 'id', 'amc23', c.index), text(r, 'problem'), text(r, 'answer'), null),
  },
  {
    name: 'minerva',
    kind: 'math',
    description: 'Minerva math: problem, gold = the \\boxed{} of solution, idx',
    map: (r, c) => math(idOf(r, 'idx', 'minerva', c.index), text(r, 'problem'), boxedOf(r, 'solution'), optionalText(r, 'solution')),
  },
  {
    name: 'olympiadbench',
    kind: 'math',
    description: 'OlympiadBench: context + question, final_answer list, id',
    map: (r, c) => {
      const context = optionalText(r, 'context');
      const question = text(r, 'question');
      const problem: Fields = question.ok && context ? { ok: true, value: `${context}\n\n${question.value}` } : question;
      return math(idOf(r, 'id', 'olympiadbench', c.index), problem, olympiadAnswer(r), firstSolution(r));
    },
  },
  ...(['humaneval', 'humaneval-plus'] as const).map(
    (name): DatasetPreset => ({
      name,
      kind: 'code',
      description: `${name === 'humaneval' ? 'HumanEval' : 'HumanEval+'}: task_id, prompt, canonical_solution, test, entry_point`,
      map: (r, c) => code(idOf(r, 'task_id', name, c.index), text(r, 'prompt'), asObject(r), optionalText(r, 'canonical_solution')),
    }),
  ),
  ...(['mbpp', 'mbpp-plus'] as const).map(
    (name): DatasetPreset => ({
      name,
      kind: 'code',
      description: `${name === 'mbpp' ? 'MBPP' : 'MBPP+'}: task_id, text or prompt, code, test_list`,
      map: (r, c) => {
        const problem = getField(r, 'text') !== undefined ? text(r, 'text') : text(r, 'prompt');
        return code(idOf(r, 'task_id', name, c.index), problem, asObject(r), optionalText(r, 'code'));
      },
    }),
  ),
  {
    name: 'livecodebench',
    kind: 'code',
    description: 'LiveCodeBench (code_generation_lite): question_content, public/private tests decoded, metadata',
    map: liveCodeBench,
  },
];

export function findPreset(name: string): DatasetPreset | undefined {
  return presets.find((p) => p.name === name.toLowerCase());
}

/** A math "preset" from a user's field mapping. */
export function presetFromMapping(mapping: FieldMapping): DatasetPreset {
  return {
    name: 'custom',
    kind: 'math',
    description: 'custom field mapping',
    map: (r, c) =>
      math(
        idOf(r, mapping.id, 'item', c.index),
        text(r, mapping.problem),
        mapping.answer === undefined ? { ok: false, error: 'the mapping needs answer=SOURCE_FIELD' } : text(r, mapping.answer),
        mapping.solution === undefined ? null : optionalText(r, mapping.solution),
      ),
  };
}
