import type { MathJudgeOptions } from '../judge-options.ts';

/** One hand-written judgement: a gold answer, a response, the verdict it must get and why. */
export interface RegressionCase {
  gold: string | number;
  response: string;
  correct: boolean;
  why: string;
  options?: Partial<MathJudgeOptions>;
  /** When set, whether the verdict must carry `fallback: true`. */
  fallback?: boolean;
  /** The problem's text, when the verdict depends on what it asks for (a form, a rounding). */
  problem?: string;
}

export function yes(gold: string | number, response: string, why: string, options?: Partial<MathJudgeOptions>): RegressionCase {
  return { gold, response, correct: true, why, ...(options ? { options } : {}) };
}

export function no(gold: string | number, response: string, why: string, options?: Partial<MathJudgeOptions>): RegressionCase {
  return { gold, response, correct: false, why, ...(options ? { options } : {}) };
}
