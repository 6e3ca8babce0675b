import { describe, expect, it } from 'vitest';
import { MAX_RESPONSE_LENGTH } from './extract-answer.ts';
import { equivalentAnswers, judgeMath } from './judge-math.ts';

/**
 * Inputs built to hurt: each must be refused or judged, never crash, within a bound that
 * holds on a busy two-core machine (the measured times are tens of milliseconds).
 */
const BOUND_MS = 3000;

function timed<T>(f: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = f();
  return { value, ms: performance.now() - started };
}

const nestedFrac = (depth: number): string => {
  let s = '1';
  for (let i = 0; i < depth; i += 1) s = `\\frac{1}{${s}}`;
  return s;
};

describe('pathological responses', () => {
  it('refuses a 10 MB line without reading it', () => {
    const { value, ms } = timed(() => judgeMath('5', `\\boxed{5}${'x'.repeat(10_000_000)}`));
    expect(value).toEqual({ correct: false, extracted: null, reason: expect.stringContaining(`more than ${MAX_RESPONSE_LENGTH}`) });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('judges braces nested 100k deep, boxed, in math and bare', () => {
    const braces = `${'{'.repeat(100_000)}5${'}'.repeat(100_000)}`;
    for (const response of [`\\boxed{${braces}}`, `$${braces}$`, braces]) {
      const { value, ms } = timed(() => judgeMath('5', response));
      expect(typeof value.correct).toBe('boolean');
      expect(value.extracted === null || value.extracted.length <= 8001).toBe(true);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });

  it('judges \\frac nested 10k deep as a response and as a gold', () => {
    const frac = nestedFrac(10_000);
    for (const response of [`\\boxed{${frac}}`, `$${frac}$`, `The answer is ${frac}`]) {
      const { value, ms } = timed(() => judgeMath('1', response));
      expect(value.correct).toBe(false);
      expect(ms).toBeLessThan(BOUND_MS);
    }
    const { value, ms } = timed(() => equivalentAnswers(frac, '1'));
    expect(value.equal).toBe(false);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('still reads a deep but short expression by value', () => {
    // 30 levels: 1/(1/(…)) alternates between 1 and 1, within every bound.
    expect(judgeMath('1', `\\boxed{${nestedFrac(30)}}`).correct).toBe(true);
  });

  it('stays linear on unclosed groups, stray delimiters and repeated phrases', () => {
    const inputs = [
      '\\boxed{'.repeat(100_000),
      `\\boxed{${'{'.repeat(200_000)}`,
      '$1 a $'.repeat(150_000),
      '\\( '.repeat(200_000),
      '\\begin{align} '.repeat(50_000),
      'the answer is the answer is '.repeat(30_000),
      'Final Answer: '.repeat(60_000),
      '9'.repeat(900_000),
      `${'\\boxed{1}'.repeat(90_000)}`,
    ];
    for (const response of inputs) {
      expect(response.length).toBeLessThanOrEqual(MAX_RESPONSE_LENGTH);
      const { value, ms } = timed(() => judgeMath('5', response));
      expect(typeof value.reason).toBe('string');
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });

  it('bounds answers the CAS would parse slowly', () => {
    let tower = '2';
    for (let i = 0; i < 60; i += 1) tower = `${tower}^{2}`;
    const inputs = [`\\boxed{${tower}}`, `\\boxed{${'('.repeat(190)}x${')'.repeat(190)}}`, `\\boxed{${'\\sqrt{'.repeat(150)}x${'}'.repeat(150)}}`, `\\boxed{1${' a'.repeat(3000)}}`];
    for (const response of inputs) {
      const { value, ms } = timed(() => judgeMath('x', response));
      expect(value.correct).toBe(false);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });
});
