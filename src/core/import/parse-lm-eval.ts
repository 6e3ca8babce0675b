import type { Result } from '../result.ts';
import { judgeMath } from '../verify/math/judge-math.ts';
import { asText, forEachObjectLine, isObject, type ImportedModelResults, type ImportedProblem, type ImportedSample } from './imported-results.ts';

const TEXT_FIELDS = ['problem', 'question', 'prompt', 'input'];

/**
 * lm-evaluation-harness `--log_samples` files (`samples_<task>_<time>.jsonl`): one line per
 * document with `doc_id`, `doc`, `target` and the generations in `resps` (a list per
 * request, several with `repeats`). The harness scores documents, not samples, so each
 * generation is judged again here by PassK Lab's math verifier against `target` (the
 * verdict's reason says so); its own per-document metric is not a per-sample verdict.
 */
export function parseLmEval(text: string, file: string): Result<ImportedModelResults> {
  const problems: ImportedProblem[] = [];
  const samples: ImportedSample[] = [];
  const read = forEachObjectLine(text, file, 'document', (r) => {
    const id = asText(r.doc_id);
    if (id === undefined) return 'field "doc_id" is missing (not an lm-evaluation-harness samples line?)';
    const target = asText(r.target);
    if (target === undefined || target.trim() === '') return 'field "target" (the gold answer) is missing or empty';
    const responses: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') responses.push(v);
      else if (Array.isArray(v)) v.forEach(collect);
    };
    collect(r.resps);
    if (responses.length === 0) return 'field "resps" holds no generation (a loglikelihood task? only generation tasks have samples)';
    const doc = isObject(r.doc) ? r.doc : {};
    const field = TEXT_FIELDS.find((f) => typeof doc[f] === 'string');
    problems.push({
      id, text: field ? (doc[field] as string) : JSON.stringify(doc), gold: target,
      ...(asText(doc.level) !== undefined ? { level: asText(doc.level)! } : {}),
      ...(asText(doc.subject) ?? asText(doc.type) ? { subject: (asText(doc.subject) ?? asText(doc.type))! } : {}),
    });
    for (const response of responses) {
      const v = judgeMath(target, response, undefined, field ? (doc[field] as string) : undefined);
      samples.push({ problem: id, text: response, correct: v.correct, extracted: v.extracted, reason: `PassK Lab math verifier on import: ${v.reason}` });
    }
    return null;
  });
  if (!read.ok) return read;
  if (problems.length === 0) return { ok: false, error: `${file}: no documents` };
  const task = /samples_(.+?)_\d{4}-\d\d-\d\dT/.exec(file);
  return { ok: true, value: { problems, samples, modelHint: task ? task[1] : null } };
}
