import { describe, expect, it } from 'vitest';
import { answerOfSpan, extractAnswer } from './extract-answer.ts';
import { findBoxes, findMathSpans } from './scan-response.ts';

const contents = (text: string, dollar = true): string[] => findMathSpans(text, dollar).map((s) => s.content.trim());

describe('findMathSpans', () => {
  it('finds every kind of math environment in order', () => {
    expect(contents('a $x$ b \\(y\\) c \\[z\\] d $$w$$ \\begin{align*} v \\end{align*}')).toEqual(['x', 'y', 'z', 'w', 'v']);
  });
  it('reads money as money: a lone $ before a number and words', () => {
    expect(contents('It costs $5 and then $7 more, so $12$ in all.')).toEqual(['12']);
    expect(contents('Pay \\$5 for $x$.')).toEqual(['x']);
  });
  it('never treats $ as math in number mode, and inline math stays on one line', () => {
    expect(contents('It is $5$ dollars', false)).toEqual([]);
    expect(contents('a $\n5\n$ b')).toEqual([]);
    expect(contents('a $$\n5\n$$ b')).toEqual(['5']);
  });
});

describe('findBoxes', () => {
  it('takes outermost boxes with balanced braces and skips unclosed ones', () => {
    expect(findBoxes('\\boxed{\\frac{1}{2}} and \\boxed{\\boxed{3}} and \\boxed{4').map((b) => b.content)).toEqual(['\\frac{1}{2}', '\\boxed{3}']);
    expect(findBoxes('\\boxed 7 and \\boxedx{1}').map((b) => b.content)).toEqual(['7']);
  });
});

describe('answerOfSpan', () => {
  it('takes the last step of an alignment, keeping matrices whole', () => {
    expect(answerOfSpan('A &= 2 + 2 \\\\ &= 4.')).toBe('A = 4');
    expect(answerOfSpan('\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix},')).toBe('\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}');
  });
});

describe('extractAnswer boxes', () => {
  it('lists every box so a gold with several parts can use them', () => {
    expect(extractAnswer('\\boxed{a=1} and \\boxed{b=2}')).toMatchObject({ answer: 'b=2', method: 'boxed', boxes: ['a=1', 'b=2'] });
  });
});
