import { extractionCases } from './cases-extraction.ts';
import { guessCases } from './cases-guesses.ts';
import { matrixCases } from './cases-matrices.ts';
import { namedCases } from './cases-named.ts';
import { numberCases } from './cases-numbers.ts';
import { relationCases } from './cases-relations.ts';
import { symbolicCases } from './cases-symbolic.ts';
import { textCases } from './cases-text.ts';
import type { RegressionCase } from './regression-case.ts';

/** Every hand-written case, by kind; regression.test.ts runs them all. */
export const allRegressionCases: RegressionCase[] = [
  ...extractionCases,
  ...relationCases,
  ...namedCases,
  ...matrixCases,
  ...symbolicCases,
  ...numberCases,
  ...textCases,
  ...guessCases,
];
