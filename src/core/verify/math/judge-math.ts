import type { Verdict } from '../verdict.ts';
import { parseAnswer, type AnswerNode } from './answer-structure.ts';
import { compareNodes, type CompareContext } from './compare-answers.ts';
import type { Comparison } from './equivalent-scalars.ts';
import { FALLBACK_NOTE } from './fallback-note.ts';
import { cutRunOn } from './cut-run-on.ts';
import { findAnswer, MAX_RESPONSE_LENGTH, type ExtractedAnswer, type ExtractionMethod } from './extract-answer.ts';
import { resolveMathOptions, type MathJudgeOptions } from './judge-options.ts';
import { mentionsPercent, normalizeAnswer } from './normalize-answer.ts';
import { formViolation, NO_DEMANDS, readFormDemands, type FormDemands } from './problem-demands.ts';
import { decimalCommaReading } from './written-forms.ts';

/** Longer answers compare by text only, so one response cannot cost seconds. */
export const MAX_ANSWER_LENGTH = 2000;

const MAX_EXTRACTED_LENGTH = 4 * MAX_ANSWER_LENGTH;


const METHOD_NOTE: Record<ExtractionMethod, string> = {
  boxed: 'from \\boxed{}',
  gsm8k: 'after ####',
  'answer-line': 'from the Answer: line',
  'final-answer': 'after "final answer"',
  'the-answer-is': 'after "the answer/result is"',
  'math-environment': 'from the last math environment',
  'stated-value': 'the value stated after the last math environment',
  'bare-latex': 'the last LaTeX expression written without math delimiters',
  'last-number': FALLBACK_NOTE,
};

function isPlainNumber(node: AnswerNode): boolean {
  return node.kind === 'scalar' && /^-?(?:\d+\.?\d*|\.\d+)$/.test(node.text);
}

/**
 * Readings tried when the answer as written does not match: a decimal comma (`3,75` for a
 * one-number gold) and, with `percent: 'either'`, a percentage as a fraction (`25\%` ≡ 0.25).
 */
function alternatives(gold: string, answer: string, g: string, a: string, options: MathJudgeOptions): { gold: string; answer: string; rule: string }[] {
  const out: { gold: string; answer: string; rule: string }[] = [];
  const commaA = decimalCommaReading(a);
  const commaG = decimalCommaReading(g);
  if (commaA !== null && isPlainNumber(parseAnswer(g))) out.push({ gold: g, answer: commaA, rule: `decimal comma (${a} = ${commaA})` });
  if (commaG !== null && isPlainNumber(parseAnswer(a))) out.push({ gold: commaG, answer: a, rule: `decimal comma (${g} = ${commaG})` });
  if (options.percent === 'either' && mentionsPercent(gold) !== mentionsPercent(answer)) {
    if (mentionsPercent(answer)) out.push({ gold: g, answer: `\\frac{${a}}{100}`, rule: `percent as a fraction (${a}% = ${a}/100)` });
    else out.push({ gold: `\\frac{${g}}{100}`, answer: a, rule: `percent as a fraction (${g}% = ${g}/100)` });
  }
  return out;
}

/**
 * Whether two answers, each possibly LaTeX with `$…$` or `\boxed{}`, are equivalent; `demands`
 * (read from the problem text) may forbid what is otherwise equivalent, such as an equation
 * scaled by a constant when the problem fixes its coefficients.
 */
export function equivalentAnswers(gold: string, answer: string, options?: Partial<MathJudgeOptions>, demands: FormDemands = NO_DEMANDS): Comparison {
  const resolved = resolveMathOptions(options);
  if (gold.length > MAX_ANSWER_LENGTH * 4 || answer.length > MAX_ANSWER_LENGTH * 4) {
    const equal = gold.replace(/\s+/g, '') === answer.replace(/\s+/g, '');
    return { equal, how: `longer than ${MAX_ANSWER_LENGTH * 4} characters: compared as text (${equal ? 'same' : 'different'})` };
  }
  const g = normalizeAnswer(gold);
  const a = normalizeAnswer(answer);
  if (g.replace(/\s+/g, '') === a.replace(/\s+/g, '')) return { equal: true, how: 'same after normalisation' };
  if (g.length > MAX_ANSWER_LENGTH || a.length > MAX_ANSWER_LENGTH) {
    return { equal: false, how: `answer longer than ${MAX_ANSWER_LENGTH} characters and texts differ` };
  }
  const ctx: CompareContext = { options: resolved, top: true, exactCoefficients: demands.normalizedCoefficients };
  const direct = compareNodes(parseAnswer(g), parseAnswer(a), ctx);
  if (direct.equal) return direct;
  for (const alt of alternatives(gold, answer, g, a, resolved)) {
    const r = compareNodes(parseAnswer(alt.gold), parseAnswer(alt.answer), ctx);
    if (r.equal) return { equal: true, how: `${r.how}, reading ${alt.rule}` };
  }
  return direct;
}

/** How many parts a gold answer has (`a = 2, b = 7` has two); 1 for anything unstructured. */
function partsOf(gold: string): number {
  if (gold.length > MAX_ANSWER_LENGTH) return 1;
  const node = parseAnswer(normalizeAnswer(gold));
  return node.kind === 'set' ? node.items.length : 1;
}

/**
 * A gold with n ≥ 2 parts may be answered one `\boxed{}` each (`\boxed{a=2}` … `\boxed{b=7}`):
 * the last n boxes, in order, joined as a list.
 */
function fromSeveralBoxes(goldText: string, extracted: ExtractedAnswer, options: MathJudgeOptions, demands: FormDemands, compare: CompareAnswers): { answer: string; comparison: Comparison } | null {
  if (extracted.method !== 'boxed' || extracted.boxes.length < 2) return null;
  const parts = partsOf(goldText);
  if (parts < 2 || extracted.boxes.length < parts) return null;
  const answer = extracted.boxes.slice(-parts).join(', ');
  const comparison = compare(goldText, answer, options, demands);
  return comparison.equal ? { answer, comparison: { equal: true, how: `${comparison.how}, from the last ${parts} \\boxed{}` } } : null;
}

/** How an extracted answer is compared with the gold: equivalentAnswers, or a memo of it (memoizeComparisons). */
export type CompareAnswers = (gold: string, answer: string, options: MathJudgeOptions, demands: FormDemands) => Comparison;

/**
 * equivalentAnswers remembered per (gold, answer, form demands) for one set of options: the samples of one
 * problem repeat few final answers, and comparing costs more than extracting. Pure, so a memo
 * changes no verdict; keep one per batch (it holds every distinct answer it saw).
 */
export function memoizeComparisons(): CompareAnswers {
  const seen = new Map<string, Comparison>();
  return (gold, answer, options, demands) => {
    const key = `${gold}\0${answer}\0${JSON.stringify(demands)}`;
    let found = seen.get(key);
    if (!found) seen.set(key, (found = equivalentAnswers(gold, answer, options, demands)));
    return found;
  };
}

/**
 * Judges a response against a gold answer. Pure and synchronous; the reason names the
 * extraction rule and the comparison rule that decided. With the problem's text, a repeated
 * problem statement ends the response, and the problem's demands on the answer's form
 * ("as a common fraction", "to the nearest tenth", "in simplest form", …) are part of the answer.
 * `compare`: a memo of equivalentAnswers for many responses to one problem (memoizeComparisons).
 */
export function judgeMath(gold: string | number, response: string, options?: Partial<MathJudgeOptions>, problem?: string, compare: CompareAnswers = equivalentAnswers): Verdict {
  let resolved = resolveMathOptions(options);
  if (response.length > MAX_RESPONSE_LENGTH) {
    return { correct: false, extracted: null, reason: `not judged: the response has ${response.length} characters, more than ${MAX_RESPONSE_LENGTH}` };
  }
  const demands = readFormDemands(problem);
  if (demands.digits !== null && resolved.digits === null) resolved = { ...resolved, digits: demands.digits };
  const cut = cutRunOn(response, problem);
  const cutNote = cut.marker === null ? '' : `; read up to the run-on at ${JSON.stringify(cut.marker)}`;
  const found = findAnswer(cut.text, resolved);
  if (found.answer === null) return { correct: false, extracted: null, reason: `${found.why}${cutNote}` };
  const extracted = found;
  const goldText = typeof gold === 'number' ? String(gold) : gold;
  let answer = extracted.answer;
  let { equal, how } = compare(goldText, answer, resolved, demands);
  const boxes = equal ? null : fromSeveralBoxes(goldText, extracted, resolved, demands, compare);
  if (boxes !== null) ({ answer, comparison: { equal, how } } = boxes);
  if (equal) {
    const violation = formViolation(normalizeAnswer(goldText), normalizeAnswer(answer), demands);
    if (violation !== null) ({ equal, how } = { equal: false, how: `${how}, but ${violation}` });
  }
  const note = (boxes !== null ? 'from several \\boxed{}' : METHOD_NOTE[extracted.method]) + cutNote;
  // Verdict rows stay small whatever a response boxed; the comparison above saw all of it.
  if (answer.length > MAX_EXTRACTED_LENGTH) answer = `${answer.slice(0, MAX_EXTRACTED_LENGTH)}…`;
  if (extracted.method !== 'last-number') return { correct: equal, extracted: answer, reason: `${equal ? 'equivalent' : 'not equivalent'}: ${how} (${note})` };
  const refused = equal && !resolved.creditFallback;
  const reason = `${equal ? 'equivalent' : 'not equivalent'}: ${how} (${note}${refused ? '; not credited: fallback answers are excluded' : ''})`;
  return { correct: equal && !refused, extracted: answer, reason, fallback: true };
}
