import { describe, expect, it } from 'vitest';
import { extractAnswer, lastBoxed } from './extract-answer.ts';
import { normalizeAnswer } from './normalize-answer.ts';

describe('lastBoxed', () => {
  it('takes the last box with balanced braces, \\fbox and \\boxed 5 too', () => {
    expect(lastBoxed('first \\boxed{1} then \\boxed{\\frac{1}{\\sqrt{2}}}.')).toBe('\\frac{1}{\\sqrt{2}}');
    expect(lastBoxed('\\fbox{7}')).toBe('7');
    expect(lastBoxed('so $\\boxed 5$')).toBe('5');
    expect(lastBoxed('\\boxed{\\{1,2\\}}')).toBe('\\{1,2\\}');
    expect(lastBoxed('\\boxed{unclosed')).toBeNull();
    expect(lastBoxed('no box')).toBeNull();
  });
});

describe('extractAnswer', () => {
  it.each([
    ['… so $\\boxed{12}$. Also 99.', '12', 'boxed'],
    ['Natalia sold 48/2 = 24 clips.\n#### 72', '72', 'gsm8k'],
    ['Reasoning…\nAnswer: $\\frac{3}{4}$', '\\frac{3}{4}', 'answer-line'],
    ['The final answer is $3.5$. I hope it is correct.', '3.5', 'final-answer'],
    ['Therefore, the answer is (B).', '(B)', 'the-answer-is'],
    ['We get 3, then 4.5 in total', '4.5', 'last-number'],
    ['Totals 1,234 apples', '1234', 'last-number'],
  ])('%s → %s by %s', (text, answer, method) => {
    expect(extractAnswer(text)).toMatchObject({ answer, method });
  });
  it('ignores digits glued to words in the fallback (signatures such as user2010)', () => {
    expect(extractAnswer('so 204. -sepehr2010')).toMatchObject({ answer: '204', method: 'last-number' });
  });
  it('returns null when there is nothing', () => {
    expect(extractAnswer('no idea')).toBeNull();
  });
});

describe('normalizeAnswer', () => {
  it.each([
    ['$\\left( 3, \\dfrac{\\pi}{2} \\right)$', '( 3, \\frac{\\pi}{2} )'],
    ['10,\\!080', '10080'],
    ['\\$32,\\!348', '32348'],
    ['864 \\mbox{ inches}^2', '864'],
    ['\\frac{270}7\\text{ degrees}', '\\frac{270}{7}'],
    ['106^\\circ', '106'],
    ['x \\in [-2,7]', 'x \\in [-2,7]'],
    ['\\textbf{(113) }', '113'],
    ['\\text{(C)}', 'C'],
    ['\\text{east}', 'east'],
    ['10 inches', '10'],
    ['\\boxed{5\\%}', '5'],
  ])('%s → %s', (raw, normal) => {
    expect(normalizeAnswer(raw)).toBe(normal);
  });
});
