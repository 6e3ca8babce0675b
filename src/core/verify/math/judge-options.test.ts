import { describe, expect, it } from 'vitest';
import { judgeMath } from './judge-math.ts';
import { DEFAULT_MATH_OPTIONS, mathOptionsForBenchmark, resolveMathOptions } from './judge-options.ts';

describe('math judge options', () => {
  it('defaults per benchmark: GSM8K reads numbers, the others LaTeX', () => {
    expect(mathOptionsForBenchmark('gsm8k').answers).toBe('number');
    for (const name of ['math500', 'minerva', 'olympiadbench', 'aime24', 'amc23']) expect(mathOptionsForBenchmark(name).answers).toBe('latex');
  });
  it('changes how a response with dollar signs is read', () => {
    const response = 'Apples cost $2$ each and she buys 6 of them, so 12.';
    // LaTeX first: `$2$` is a math span and the stated answer; numbers first: `$` is money.
    expect(judgeMath('12', response)).toMatchObject({ correct: false, extracted: '2' });
    expect(judgeMath('12', response, mathOptionsForBenchmark('gsm8k'))).toMatchObject({ correct: true, extracted: '12', fallback: true });
  });
  it('refuses a digits setting outside 0–15', () => {
    expect(() => resolveMathOptions({ digits: 16 })).toThrow(RangeError);
    expect(() => resolveMathOptions({ digits: 2.5 })).toThrow(RangeError);
    expect(resolveMathOptions({ digits: 3 })).toEqual({ ...DEFAULT_MATH_OPTIONS, digits: 3 });
  });
  it('with creditFallback off, a fallback verdict is flagged and never correct', () => {
    expect(judgeMath('7', 'maybe 7', { creditFallback: false })).toMatchObject({ correct: false, extracted: '7', fallback: true });
    expect(judgeMath('7', 'maybe 7', { creditFallback: false }).reason).toContain('not credited');
  });
});
