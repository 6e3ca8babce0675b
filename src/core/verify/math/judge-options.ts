/** How judgeMath reads a response and what it accepts as the gold answer. */
export interface MathJudgeOptions {
  /**
   * 'lenient': a name the gold states may be dropped (`x = 3` ≡ `3`, `(m, n) = (4, 1)` ≡
   * `(4, 1)`, `x \ge 3` ≡ `[3, \infty)`), a matrix with one column may be written as a tuple,
   * a ratio `3:4` as `\frac{3}{4}`, and a clock time without a.m./p.m. 'strict': when the gold
   * names a variable the answer must state it too (`x \in [3, \infty)` for `x \ge 3`). In both
   * modes a name the answer states must be the gold's (`y = 3` ≢ `x = 3`); a name the gold
   * does not state is allowed (`x = 3` ≡ gold `3`).
   */
  mode: 'strict' | 'lenient';
  /**
   * 'latex' (MATH500, Minerva, OlympiadBench, AIME, AMC): after `\boxed{}` and answer phrases,
   * the last math environment, and a lone `$` opens math. 'number' (GSM8K): `$` is a
   * currency sign and `#### 72` is read; math environments need `\(`, `\[` or `$$`.
   */
  answers: 'latex' | 'number';
  /**
   * Whether an answer found only as the last number in the text may be judged correct.
   * Either way such verdicts carry `fallback: true` and say so in the reason.
   */
  creditFallback: boolean;
  /** 'either': `25\%` ≡ `25` ≡ `0.25`; 'as-written': `25\%` ≡ `25` only. */
  percent: 'either' | 'as-written';
  /**
   * When set, numbers within half a unit of this decimal place are equal (at 3, 1/3 ≡ 0.333;
   * at 2, 2.6667 ≡ 8/3). When null, numbers agree to a relative 1e-6 and integers exactly.
   */
  digits: number | null;
}

export const DEFAULT_MATH_OPTIONS: Readonly<MathJudgeOptions> = Object.freeze({
  mode: 'lenient',
  answers: 'latex',
  creditFallback: true,
  percent: 'either',
  digits: null,
});

/** Benchmarks whose gold answers are plain numbers and whose responses use `$` as money. */
const NUMBER_BENCHMARKS = new Set(['gsm8k']);
/** The math benchmark presets judgeMath knows a reading for. */
export const MATH_BENCHMARKS = ['gsm8k', 'math500', 'minerva', 'olympiadbench', 'aime24', 'amc23'] as const;

/**
 * The defaults for a benchmark preset name (`gsm8k`, `math500`, `minerva`, `olympiadbench`,
 * `aime24`, `amc23`, …): GSM8K reads plain numbers first; the others LaTeX first.
 */
export function mathOptionsForBenchmark(name: string): MathJudgeOptions {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return { ...DEFAULT_MATH_OPTIONS, answers: NUMBER_BENCHMARKS.has(key) ? 'number' : 'latex' };
}

export function resolveMathOptions(options?: Partial<MathJudgeOptions>): MathJudgeOptions {
  if (options === undefined) return DEFAULT_MATH_OPTIONS;
  const resolved = { ...DEFAULT_MATH_OPTIONS, ...options };
  if (resolved.digits !== null && !(Number.isInteger(resolved.digits) && resolved.digits >= 0 && resolved.digits <= 15)) {
    throw new RangeError(`digits must be an integer from 0 to 15 or null, not ${String(resolved.digits)}`);
  }
  return resolved;
}
