import { evaluateMathJson, freeSymbols, NotEvaluable, type Complex, type MathJson } from './evaluate-math-json.ts';
import { parseLatex } from './parse-latex.ts';
import { prepareForCas } from './prepare-for-cas.ts';

/**
 * Numbers are equal when |a − b| ≤ RELATIVE_TOLERANCE·max(|a|, |b|): tight enough that
 * 0.333 ≠ 1/3, loose enough for float noise in evaluation. ABSOLUTE_TOLERANCE applies only
 * when one side is exactly zero and the other is computed (sin π vs 0), never between two
 * written numbers: 0 is not 2.9e-19, and a global floor would make 1.3e-27 equal 2.9e-19.
 */
export const RELATIVE_TOLERANCE = 1e-6;
export const ABSOLUTE_TOLERANCE = 1e-12;
/**
 * When either side is written as an integer (counts, AIME answers) a relative 1e-6 would let
 * 1000001 pass for 1000000; integers compare exactly and expressions against them within 1e-12.
 */
export const INTEGER_RELATIVE_TOLERANCE = 1e-12;

export interface Comparison {
  equal: boolean;
  /** Why, e.g. "same after normalisation", "numerically equal", "equal at 3 random points". */
  how: string;
}

export function closeEnough(a: Complex, b: Complex, relative = RELATIVE_TOLERANCE, absolute = ABSOLUTE_TOLERANCE): boolean {
  if (!Number.isFinite(a.re) || !Number.isFinite(b.re)) return a.re === b.re && Math.abs(a.im - b.im) <= ABSOLUTE_TOLERANCE;
  const sizeA = Math.hypot(a.re, a.im);
  const sizeB = Math.hypot(b.re, b.im);
  const diff = Math.hypot(a.re - b.re, a.im - b.im);
  if (sizeA === 0 || sizeB === 0) return diff <= absolute;
  return diff <= relative * Math.max(sizeA, sizeB);
}

const INTEGER = /^-?\d+$/;
const PLAIN_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/**
 * Fixed evaluation points: deterministic, irrational-looking. Some lie above 2 so that
 * √(n−1) and ln(n−2) are defined, some below 1 for arcsin-like domains and so that small
 * terms (e^{-2t}/15 beside C e^{t}) are not lost in the relative tolerance, two near 0 so
 * that a constant beside a fast-growing term (20e^{63t} − 5 vs 20e^{63t} + 5) still shows,
 * and some are large for floors and ceilings. Every point where both sides are defined
 * must agree.
 */
const POINTS = [2.7183, 0.3679, 3.5355, 0.618, 4.1231, 0.8415, 1.3247, 7.3891, 1.7725, 11.0917, 19.7392, 31.0063, 0.0523, 0.2113];
const MIN_POINTS = 3;

function symbolKey(expr: MathJson): MathJson {
  // Subscripted names such as C_1 (`["At","C",1]`) are single unknowns here.
  if (Array.isArray(expr)) {
    if ((expr[0] === 'At' || expr[0] === 'Subscript') && expr.length === 3) return JSON.stringify(expr);
    return expr.map((e, i) => (i === 0 ? e : symbolKey(e)));
  }
  return expr;
}

function evaluateAt(expr: MathJson, symbols: string[], point: number): Complex | null {
  const scope = new Map<string, Complex>();
  symbols.forEach((name, i) => scope.set(name, { re: (POINTS[point] ?? 1) + 0.1131 * i + 0.0419 * i * point, im: 0 }));
  try {
    const v = evaluateMathJson(expr, scope);
    return Number.isNaN(v.re) || Number.isNaN(v.im) ? null : v;
  } catch (error) {
    if (error instanceof NotEvaluable) return null;
    throw error;
  }
}

export function parseForComparison(latex: string): MathJson | null {
  const json = parseLatex(prepareForCas(latex));
  return json === null ? null : symbolKey(json);
}

const EXACT_HEADS = new Set(['Add', 'Subtract', 'Negate', 'Multiply', 'Divide', 'Rational', 'Power', 'Square', 'Delimiter']);

/** Numbers combined by arithmetic only: written values such as 2.88 × 10^{-19}, never float noise. */
function isWrittenNumber(expr: MathJson): boolean {
  if (typeof expr === 'number') return true;
  if (Array.isArray(expr)) {
    const [head, ...args] = expr;
    return typeof head === 'string' && EXACT_HEADS.has(head) && args.every(isWrittenNumber);
  }
  return typeof expr === 'object' && 'num' in expr;
}

function mentionsInfinity(expr: MathJson): boolean {
  return JSON.stringify(expr).includes('Infinity');
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * Compares two MathJSON expressions by value: once if constant, else at several points. The
 * unknowns of both sides are pooled, so an unknown that cancels (csc²t − cot²t against 1)
 * does not matter, and different unknowns (2n against 2m) take different values and differ.
 */
export function equalByValue(a: MathJson, b: MathJson, relative = RELATIVE_TOLERANCE): Comparison | null {
  const symbols = [...new Set([...freeSymbols(a), ...freeSymbols(b)])].sort();
  // Integer exactness is for constants (1000001 ≠ 10^6); an identity in t carries float noise.
  if (symbols.length > 0) relative = Math.max(relative, RELATIVE_TOLERANCE);
  const absolute = isWrittenNumber(a) && isWrittenNumber(b) ? 0 : ABSOLUTE_TOLERANCE;
  const rounds = symbols.length === 0 ? 1 : POINTS.length;
  let compared = 0;
  for (let p = 0; p < rounds; p += 1) {
    const va = evaluateAt(a, symbols, p);
    const vb = evaluateAt(b, symbols, p);
    // Outside one side's domain (NaN, a complex floor): this point says nothing.
    if (va === null || vb === null) continue;
    // An overflow (10^{10^{10}}) is not ∞: only answers that write ∞ may compare as infinite.
    if (!(Number.isFinite(va.re) && Number.isFinite(vb.re)) && !(mentionsInfinity(a) && mentionsInfinity(b))) continue;
    if (!closeEnough(va, vb, relative, absolute)) return { equal: false, how: symbols.length === 0 ? 'different values' : 'differ at a sample point' };
    compared += 1;
  }
  if (compared === 0 || (symbols.length > 0 && compared < MIN_POINTS)) return null;
  return { equal: true, how: symbols.length === 0 ? 'numerically equal' : `equal at ${compared} sample points` };
}

function textKey(s: string): string {
  return s.replace(/\s+/g, '');
}

/** Equivalence of two single (non-structured) normalised answers. */
export function equivalentScalars(a: string, b: string): Comparison {
  if (textKey(a) === textKey(b)) return { equal: true, how: 'same after normalisation' };
  if (/^[A-Za-z][A-Za-z ]*$/.test(a) && /^[A-Za-z][A-Za-z ]*$/.test(b) && (a.length > 1 || b.length > 1)) {
    const same = a.toLowerCase().replace(/\s+/g, ' ') === b.toLowerCase().replace(/\s+/g, ' ');
    return { equal: same, how: same ? 'same word' : 'different words' };
  }
  const integerA = INTEGER.test(a);
  const integerB = INTEGER.test(b);
  if (integerA && integerB) {
    const equal = BigInt(a) === BigInt(b);
    return { equal, how: equal ? 'same integer' : 'different integers' };
  }
  const relative = integerA || integerB ? INTEGER_RELATIVE_TOLERANCE : RELATIVE_TOLERANCE;
  if (PLAIN_NUMBER.test(a) && PLAIN_NUMBER.test(b)) {
    const equal = closeEnough({ re: Number(a), im: 0 }, { re: Number(b), im: 0 }, relative, 0);
    return { equal, how: equal ? 'numerically equal' : 'different numbers' };
  }
  const ja = parseForComparison(a);
  const jb = parseForComparison(b);
  if (ja === null || jb === null) return { equal: false, how: `cannot parse ${shorten(ja === null ? a : b)} and texts differ` };
  if (JSON.stringify(ja) === JSON.stringify(jb)) return { equal: true, how: 'same expression' };
  return equalByValue(ja, jb, relative) ?? { equal: false, how: 'cannot evaluate and expressions differ' };
}
