import type { Verdict } from '../verdict.ts';
import { parseAnswer, type AnswerNode } from './answer-structure.ts';
import { parseForComparison, equalByValue, equivalentScalars, type Comparison } from './equivalent-scalars.ts';
import { extractAnswer, type ExtractionMethod } from './extract-answer.ts';
import { normalizeAnswer } from './normalize-answer.ts';

const NAME = /^(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?[\w\\ ]+\}?)?(?:\([a-zA-Z]\))?$/;

function compareAll(a: AnswerNode[], b: AnswerNode[]): boolean {
  return a.length === b.length && a.every((x, i) => { const y = b[i]; return y !== undefined && compareNodes(x, y).equal; });
}

/** Above this many elements sets compare by text only: pairing is quadratic in comparisons. */
const MAX_SET_FOR_PAIRING = 50;
/** Longer answers compare by text only, so one response cannot cost seconds. */
export const MAX_ANSWER_LENGTH = 2000;

function textOf(node: AnswerNode): string {
  return JSON.stringify(node).replace(/\s+/g, '');
}

/** Unordered match: every item of one pairs with a distinct equal item of the other. */
function compareUnordered(a: AnswerNode[], b: AnswerNode[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length > MAX_SET_FOR_PAIRING) {
    const key = (items: AnswerNode[]): string => items.map(textOf).sort().join('|');
    return key(a) === key(b);
  }
  const used = new Array<boolean>(b.length).fill(false);
  return a.every((x) => {
    const j = b.findIndex((y, k) => !used[k] && compareNodes(x, y).equal);
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

function compareEquations(a: { lhs: string; rhs: string }, b: { lhs: string; rhs: string }): Comparison {
  const same = (x: string, y: string): boolean => equivalentScalars(x, y).equal;
  if (same(a.lhs, b.lhs) && same(a.rhs, b.rhs)) return { equal: true, how: 'same equation' };
  if (same(a.lhs, b.rhs) && same(a.rhs, b.lhs)) return { equal: true, how: 'same equation, sides swapped' };
  // Equations equal up to a non-zero factor: compare (lhs − rhs) of each by value, normalised.
  const da = parseForComparison(`(${a.lhs})-(${a.rhs})`);
  const db = parseForComparison(`(${b.lhs})-(${b.rhs})`);
  if (da === null || db === null) return { equal: false, how: 'different equations' };
  for (const factor of ['1', '-1']) {
    const scaled = parseForComparison(`${factor}\\cdot(${b.lhs}-(${b.rhs}))`);
    if (scaled !== null && equalByValue(da, scaled)?.equal) return { equal: true, how: 'equivalent equations' };
  }
  return { equal: false, how: 'different equations' };
}

/** Structural comparison: brackets and order matter for tuples and intervals, not for sets. */
export function compareNodes(a: AnswerNode, b: AnswerNode): Comparison {
  if (a.kind === 'scalar' && b.kind === 'scalar') return equivalentScalars(a.text, b.text);
  if (a.kind === 'equation' && b.kind === 'equation') return compareEquations(a, b);
  if (a.kind === 'equation' && NAME.test(a.lhs)) return compareNodes(parseAnswer(a.rhs), b);
  if (b.kind === 'equation' && NAME.test(b.lhs)) return compareNodes(a, parseAnswer(b.rhs));
  if (a.kind === 'tuple' && b.kind === 'tuple') {
    if (a.open !== b.open || a.close !== b.close) return { equal: false, how: `brackets differ: ${a.open}…${a.close} vs ${b.open}…${b.close}` };
    const equal = compareAll(a.items, b.items);
    return { equal, how: equal ? 'equal element by element' : 'elements differ' };
  }
  if (a.kind === 'set' && b.kind === 'set') {
    const equal = compareUnordered(a.items, b.items);
    return { equal, how: equal ? 'same elements' : 'elements differ' };
  }
  if (a.kind === 'matrix' && b.kind === 'matrix') {
    const equal = a.rows.length === b.rows.length && a.rows.every((row, i) => compareAll(row, b.rows[i] ?? []));
    return { equal, how: equal ? 'equal entry by entry' : 'entries differ' };
  }
  if (a.kind === 'set' && a.items.length === 1 && a.items[0]) return compareNodes(a.items[0], b);
  if (b.kind === 'set' && b.items.length === 1 && b.items[0]) return compareNodes(a, b.items[0]);
  return { equal: false, how: `different shapes (${a.kind} vs ${b.kind})` };
}

/** Whether two answers, each possibly LaTeX with `$…$` or `\boxed{}`, are equivalent. */
export function equivalentAnswers(gold: string, answer: string): Comparison {
  const g = normalizeAnswer(gold);
  const a = normalizeAnswer(answer);
  if (g.replace(/\s+/g, '') === a.replace(/\s+/g, '')) return { equal: true, how: 'same after normalisation' };
  if (g.length > MAX_ANSWER_LENGTH || a.length > MAX_ANSWER_LENGTH) {
    return { equal: false, how: `answer longer than ${MAX_ANSWER_LENGTH} characters and texts differ` };
  }
  return compareNodes(parseAnswer(g), parseAnswer(a));
}

const METHOD_NOTE: Record<ExtractionMethod, string> = {
  boxed: 'from \\boxed{}',
  gsm8k: 'after ####',
  'answer-line': 'from the Answer: line',
  'final-answer': 'after "final answer is"',
  'the-answer-is': 'after "the answer is"',
  'last-number': 'fallback: last number in the text',
};

/** Judges a response against a gold answer. Pure and synchronous. */
export function judgeMath(gold: string | number, response: string): Verdict {
  const extracted = extractAnswer(response);
  if (extracted === null) return { correct: false, extracted: null, reason: 'no answer found in the response' };
  const goldText = typeof gold === 'number' ? String(gold) : gold;
  const { equal, how } = equivalentAnswers(goldText, extracted.answer);
  const reason = `${equal ? 'equivalent' : 'not equivalent'}: ${how} (${METHOD_NOTE[extracted.method]})`;
  return { correct: equal, extracted: extracted.answer, reason };
}
