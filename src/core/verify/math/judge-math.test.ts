import { describe, expect, it } from 'vitest';
import { equivalentAnswers, judgeMath, memoizeComparisons } from './judge-math.ts';
import { allRegressionCases } from './regression/all-cases.ts';
import { largeKGroups } from './regression/cases-large-k.ts';

const equal: [string, string][] = [
  ['\\frac{1}{2}', '0.5'],
  ['\\dfrac{1}{2}', '\\tfrac12'],
  ['\\frac{9}{19}', '\\frac9{19}'],
  ['2\\sqrt{2}', '\\sqrt{8}'],
  ['\\frac{\\sqrt{3}}{3}', '\\frac{1}{\\sqrt{3}}'],
  ['288 \\pi', '288\\pi'],
  ['\\frac{20000}{\\pi}', '\\frac{20000}{\\pi}'],
  ['025', '25'],
  ['27.0', '27'],
  ['10,\\!080', '10080'],
  ['11,\\! 111,\\! 111,\\! 100', '11111111100'],
  ['50\\%', '50'],
  ['90^\\circ', '90'],
  ['120^{\\circ}', '120'],
  ['\\$18.90', '18.90'],
  ['5.4 \\text{ cents}', '5.4'],
  ['15\\mbox{ cm}^2', '15'],
  ['\\text{(B)}', 'B'],
  ['\\text{Evelyn}', 'evelyn'],
  ['x = 3', '3'],
  ['3', 'x=3'],
  ['y = 2x + 1', '2x+1=y'],
  ['5x - 7y + 11z + 4 = 0', '-5x + 7y - 11z - 4 = 0'],
  ['\\left( 3, \\frac{\\pi}{2} \\right)', '(3,\\frac{\\pi}{2})'],
  ['(-\\infty, 0]', '(-\\infty,0]'],
  ['(2,12) \\cup (12,102)', '(12,102)\\cup(2,12)'],
  ['\\{1\\pm\\sqrt{5},-2\\}', '-2, 1-\\sqrt5, 1+\\sqrt5'],
  ['3, 5, 7', '7,5,3'],
  ['\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}', '\\begin{pmatrix}-1&0\\\\0&-1\\end{pmatrix}'],
  ['\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}', '\\begin{pmatrix} 0.2 \\\\ -3.6 \\end{pmatrix}'],
  ['x^2+2x+1', '(x+1)^2'],
  ['6r^2-4r-24', '2(3r^2-2r-12)'],
  ['-2 + 7i', '7i-2'],
  ['137 \\frac{1}{2}', '137.5'],
  ['$\\frac{3}{4}$', '\\boxed{0.75}'],
  ['1.6', '1.6 \\mathrm{~cm}'],
  ['4.5e33', '4.5 \\times 10^{33}'],
  ['52_8', '52_{8}'],
  ['1000000', '10^6'],
  ['-007', '-7'],
  ['1.325e-27', '1.325 \\times 10^{-27}'],
  ['10^{-30}', '1e-30'],
  ['0', '\\sin(\\pi)'],
  ['6 - 5i', '-5i+6'],
  ['(a+5)(b+2)', 'ab+2a+5b+10'],
  ['\\cot x', '\\frac{\\cos x}{\\sin x}'],
  ['x^3+3x-6', '-6+3x+x^{3}'],
  ['\\frac{11+9a}{20}', '\\frac{11}{20}+\\frac{9a}{20}'],
  ['\\text{Evelyn}', '\\text{ Evelyn }'],
  ['\\left[ \\frac{\\pi^2}{8}, \\frac{5 \\pi^2}{4} \\right]', '[\\pi^2/8, 5\\pi^2/4]'],
];

const different: [string, string][] = [
  ['(1,2]', '[1,2]'],
  ['(1,2)', '(2,1)'],
  ['\\frac{1}{3}', '0.333'],
  ['1.325e-27', '2.88e-19'],
  ['x^2+1', 'x^2-1'],
  ['2x+1', '2y+1'],
  ['\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}', '\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix}'],
  ['3, 5, 7', '3, 5'],
  ['\\text{east}', '\\text{west}'],
  ['y = 2x + 1', 'y = 2x - 1'],
  ['5', '6'],
  ['\\sqrt{2}', '1.4142'],
  ['10^{10^{10}}', '10^{10^{10}}+1'],
  ['1000000', '1000001'],
  ['3 n', '3'],
  ['0', '2.88e-19'],
  ['1.325e-27', '1.326 \\times 10^{-27}'],
  ['0', '2.88 \\times 10^{-19}'],
  ['2 n', '2 m'],
  ['1000001', '10^6'],
  ['123456789012345678901', '123456789012345678902'],
  ['(-\\infty, 0]', '(-\\infty, 1]'],
];

describe('equivalentAnswers', () => {
  it.each(equal)('%s ≡ %s', (a, b) => {
    expect(equivalentAnswers(a, b)).toMatchObject({ equal: true });
  });
  it.each(different)('%s ≢ %s', (a, b) => {
    expect(equivalentAnswers(a, b)).toMatchObject({ equal: false });
  });
});

describe('judgeMath', () => {
  it('carries the extracted answer and how it was found', () => {
    const v = judgeMath('\\frac{1}{2}', 'So the probability is $\\boxed{0.5}$.');
    expect(v).toEqual({ correct: true, extracted: '0.5', reason: expect.stringContaining('from \\boxed{}') });
  });
  it('flags the last-number fallback in the reason and the verdict', () => {
    const v = judgeMath('204', 'Adding, 180 + 24 = 204. -sepehr2010');
    expect(v).toMatchObject({ correct: true, extracted: '204', fallback: true });
    expect(v.reason).toContain('fallback: last number');
  });
  it('reads GSM8K, Answer: lines and "the answer is"', () => {
    expect(judgeMath('1000', 'So 10*100 = 1,000\n#### 1,000').correct).toBe(true);
    expect(judgeMath('7', 'Work...\nAnswer: 7').correct).toBe(true);
    expect(judgeMath('7', 'The final answer is $7$. I hope it is correct.').correct).toBe(true);
    expect(judgeMath('12', 'Thus the answer is 12.').correct).toBe(true);
  });
  it('accepts numeric gold answers such as AMC floats', () => {
    expect(judgeMath(27.0, '\\boxed{27}').correct).toBe(true);
  });
  it('says when no answer is found', () => {
    expect(judgeMath('5', 'I do not know.')).toEqual({ correct: false, extracted: null, reason: 'no answer found in the response' });
  });
});

describe('judgeMath on model-style responses', () => {
  it.each([
    ['2, 3', 'Solving, we get $x=2$ or $x=3$.\n\n**Final Answer**\n\\[\n\\boxed{x = 2 \\text{ or } x = 3}\n\\]'],
    ['\\frac{\\sqrt{3}}{2}', 'Hence $\\sin 60^\\circ = \\boxed{\\dfrac{\\sqrt3}{2}}$.'],
    ['10\\%', 'The increase is \\boxed{10\\%}.'],
    ['\\text{(C)}', 'Comparing the options, the answer is $\\boxed{C}$.'],
    ['(3,-1)', 'The intersection point is $\\boxed{\\left(3, -1\\right)}$.'],
    ['[-2,7]', 'So $x \\in \\boxed{[-2, 7]}$.'],
    ['y = 2x + 3', 'The line is $\\boxed{y=2x+3}$.'],
    ['\\$18.90', 'She pays \\boxed{\\$18.90} in total.'],
    ['1.6', '$s=\\boxed{1.6} \\mathrm{~cm}$'],
  ])('gold %s', (gold, response) => {
    expect(judgeMath(gold, response)).toMatchObject({ correct: true });
  });
  it.each([
    ['2, 3', '\\boxed{x = 2}'],
    ['(3,-1)', '\\boxed{(-1,3)}'],
    ['[-2,7]', '\\boxed{(-2,7)}'],
    ['y = 2x + 3', '\\boxed{y = 3x + 2}'],
  ])('gold %s rejects %s', (gold, response) => {
    expect(judgeMath(gold, response)).toMatchObject({ correct: false });
  });
});

describe('cost bounds', () => {
  it('large sets and long answers stay fast', () => {
    const items = Array.from({ length: 300 }, (_, i) => `x+${i}`);
    const started = performance.now();
    expect(equivalentAnswers(`\\{${items.join(',')}\\}`, `\\{${[...items].reverse().join(',')}\\}`).equal).toBe(true);
    expect(equivalentAnswers('1'.repeat(5000), '2'.repeat(5000)).equal).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('memoizeComparisons', () => {
  it('changes no verdict: every regression case (with its problem text, if any) judged twice through one memo per options set gives what judgeMath alone gives', () => {
    const memos = new Map<string, ReturnType<typeof memoizeComparisons>>();
    for (const pass of [1, 2]) {
      for (const c of [...allRegressionCases, ...largeKGroups.flatMap((g) => g.cases)]) {
        const key = JSON.stringify(c.options ?? {});
        if (!memos.has(key)) memos.set(key, memoizeComparisons());
        expect(judgeMath(c.gold, c.response, c.options, c.problem, memos.get(key)), `pass ${pass}: ${c.why}`).toEqual(judgeMath(c.gold, c.response, c.options, c.problem));
      }
    }
  });
});
