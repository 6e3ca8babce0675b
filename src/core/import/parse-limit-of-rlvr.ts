import { asText, forEachObjectLine, type ImportedModelResults, type ImportedProblem, type ImportedSample } from './imported-results.ts';
import type { Result } from '../result.ts';

/**
 * The per-sample output of the paper's own evaluation code (LeapLabTHU/limit-of-RLVR,
 * math/examples/math_eval: `…/eval_results/global_step_0/<benchmark>/test_<template>_-1_seed<s>_t<T>_s0_e-1.jsonl`):
 * one line per problem with `idx`, `question`, `gt`, and per sample `code` (the response),
 * `pred` (its extracted answer) and `score` (its grader's verdict); `level` and `type`
 * where the benchmark has them. Several seeds of one model are several files: their samples
 * follow one another.
 */
export function parseLimitOfRlvr(text: string, file: string): Result<ImportedModelResults> {
  const problems: ImportedProblem[] = [];
  const samples: ImportedSample[] = [];
  const read = forEachObjectLine(text, file, 'problem', (r) => {
    const id = asText(r.idx);
    if (id === undefined) return 'field "idx" is missing (not a limit-of-RLVR results line?)';
    const question = asText(r.question);
    if (question === undefined) return 'field "question" is missing';
    const responses = r.code;
    const scores = r.score;
    if (!Array.isArray(responses) || !Array.isArray(scores)) return 'fields "code" (responses) and "score" (verdicts) must be lists';
    if (responses.length !== scores.length) return `${responses.length} responses but ${scores.length} scores`;
    const preds = Array.isArray(r.pred) ? r.pred : [];
    problems.push({
      id, text: question, gold: r.gt ?? r.answer ?? null,
      ...(asText(r.level) !== undefined ? { level: asText(r.level)! } : {}),
      ...(asText(r.type) ?? asText(r.subject) ? { subject: (asText(r.type) ?? asText(r.subject))! } : {}),
    });
    for (let j = 0; j < responses.length; j++) {
      if (typeof responses[j] !== 'string') return `code[${j}] is not text`;
      if (typeof scores[j] !== 'boolean' && scores[j] !== 0 && scores[j] !== 1) return `score[${j}] is not true/false`;
      samples.push({
        problem: id, text: responses[j] as string, correct: scores[j] === true || scores[j] === 1,
        extracted: asText(preds[j]) ?? null, reason: 'limit-of-RLVR grader (imported)',
      });
    }
    return null;
  });
  if (!read.ok) return read;
  if (problems.length === 0) return { ok: false, error: `${file}: no problems` };
  const run = /([^/]+)_temp[\d.]+_n\d+_seed\d+/.exec(file);
  return { ok: true, value: { problems, samples, modelHint: run ? run[1].replace(/_[^_]+$/, '') : null } };
}
