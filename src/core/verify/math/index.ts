export { judgeMath, equivalentAnswers, memoizeComparisons, type CompareAnswers } from './judge-math.ts';
export { FALLBACK_NOTE } from './fallback-note.ts';
export { extractAnswer, lastBoxed, type ExtractedAnswer, type ExtractionMethod } from './extract-answer.ts';
export { normalizeAnswer } from './normalize-answer.ts';
export { RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE } from './equivalent-scalars.ts';
export { DEFAULT_MATH_OPTIONS, mathOptionsForBenchmark, type MathJudgeOptions } from './judge-options.ts';
