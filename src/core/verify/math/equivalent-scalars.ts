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

/** Within half a unit of the `digits`-th decimal place: 1/3 ≡ 0.333 at 3 digits, not at 4. */
function withinRounding(a: Complex, b: Complex, digits: number | null): boolean {
  if (digits === null || !Number.isFinite(a.re) || !Number.isFinite(b.re)) return false;
  return Math.hypot(a.re - b.re, a.im - b.im) <= 0.5 * 10 ** -digits * (1 + 1e-9);
}

/**
 * Compares two MathJSON expressions by value: once if constant, else at several points. The
 * unknowns of both sides are pooled, so an unknown that cancels (csc²t − cot²t against 1)
 * does not matter, and different unknowns (2n against 2m) take different values and differ.
 * `digits` (constants only) also accepts a value rounded to that many decimal places.
 */
export function equalByValue(a: MathJson, b: MathJson, relative = RELATIVE_TOLERANCE, digits: number | null = null): Comparison | null {
  const symbols = [...new Set([...freeSymbols(a), ...freeSymbols(b)])].sort();
  // Integer exactness is for constants (1000001 ≠ 10^6); an identity in t carries float noise.
  if (symbols.length > 0) relative = Math.max(relative, RELATIVE_TOLERANCE);
  const absolute = isWrittenNumber(a) && isWrittenNumber(b) ? 0 : ABSOLUTE_TOLERANCE;
  const rounds = symbols.length === 0 ? 1 : POINTS.length;
  let compared = 0;
  let rounded = false;
  for (let p = 0; p < rounds; p += 1) {
    const va = evaluateAt(a, symbols, p);
    const vb = evaluateAt(b, symbols, p);
    // Outside one side's domain (NaN, a complex floor): this point says nothing.
    if (va === null || vb === null) continue;
    // An overflow (10^{10^{10}}) is not ∞: only answers that write ∞ may compare as infinite.
    if (!(Number.isFinite(va.re) && Number.isFinite(vb.re)) && !(mentionsInfinity(a) && mentionsInfinity(b))) continue;
    if (!closeEnough(va, vb, relative, absolute)) {
      if (symbols.length === 0 && withinRounding(va, vb, digits)) rounded = true;
      else return { equal: false, how: symbols.length === 0 ? 'different values' : 'differ at a sample point' };
    }
    compared += 1;
  }
  if (compared === 0 || (symbols.length > 0 && compared < MIN_POINTS)) return null;
  if (rounded) return { equal: true, how: `equal when rounded to ${digits} decimal places` };
  return { equal: true, how: symbols.length === 0 ? 'numerically equal' : `equal at ${compared} sample points` };
}

function textKey(s: string): string {
  return s.replace(/\s+/g, '');
}

const WORDS = /^[A-Za-z][A-Za-z' -]*$/;

/** Equivalence of two single (non-structured) normalised answers. */
export function equivalentScalars(a: string, b: string, digits: number | null = null): Comparison {
  if (textKey(a) === textKey(b)) return { equal: true, how: 'same after normalisation' };
  if (WORDS.test(a) && WORDS.test(b) && (/[A-Za-z]{2}/.test(a) || /[A-Za-z]{2}/.test(b))) {
    const key = (w: string): string => w.toLowerCase().replace(/[\s'-]+/g, ' ').trim();
    const same = key(a) === key(b);
    return { equal: same, how: same ? 'same words' : 'different words' };
  }
  const integerA = INTEGER.test(a);
  const integerB = INTEGER.test(b);
  if (integerA && integerB) {
    const equal = BigInt(a) === BigInt(b);
    return { equal, how: equal ? 'same integer' : 'different integers' };
  }
  const relative = integerA || integerB ? INTEGER_RELATIVE_TOLERANCE : RELATIVE_TOLERANCE;
  if (PLAIN_NUMBER.test(a) && PLAIN_NUMBER.test(b)) {
    const [va, vb] = [{ re: Number(a), im: 0 }, { re: Number(b), im: 0 }];
    if (closeEnough(va, vb, relative, 0)) return { equal: true, how: 'numerically equal' };
    if (withinRounding(va, vb, digits)) return { equal: true, how: `equal when rounded to ${digits} decimal places` };
    return { equal: false, how: 'different numbers' };
  }
  const ja = parseForComparison(a);
  const jb = parseForComparison(b);
  if (ja === null || jb === null) return { equal: false, how: `cannot parse ${shorten(ja === null ? a : b)} and texts differ` };
  if (JSON.stringify(ja) === JSON.stringify(jb)) return { equal: true, how: 'same expression' };
  if (isDecimalApproximation(a, b)) {
    // An exact gold (π, 1/3, 2√5) is not answered by 3.14159, 0.3333333 or 4.472136; a terminating
    // decimal is its exact value (1/4 = 0.25), and rounding is accepted only where `digits` asks for it.
    const exact = equalByValue(ja, jb, INTEGER_RELATIVE_TOLERANCE, digits);
    if (exact?.equal !== false) return exact ?? { equal: false, how: 'cannot evaluate and expressions differ' };
    const near = equalByValue(ja, jb, relative, null);
    return near?.equal === true ? { equal: false, how: 'a decimal approximation of an exact value' } : exact;
  }
  return equalByValue(ja, jb, relative, digits) ?? { equal: false, how: 'cannot evaluate and expressions differ' };
}

/** An exact gold (not itself a written decimal) against an answer written as a decimal number. */
function isDecimalApproximation(gold: string, answer: string): boolean {
  return PLAIN_NUMBER.test(answer) && /[.e]/i.test(answer) && !PLAIN_NUMBER.test(gold) && !/\d\.\d/.test(gold);
}

/** The real value of an expression without unknowns (±∞ allowed), or null. */
export function constantValue(latex: string): number | null {
  const json = parseForComparison(latex);
  if (json === null || freeSymbols(json).size > 0) return null;
  const v = evaluateAt(json, [], 0);
  if (v === null || Math.abs(v.im) > ABSOLUTE_TOLERANCE * Math.max(1, Math.abs(v.re))) return null;
  if (!Number.isFinite(v.re) && !mentionsInfinity(json)) return null;
  return v.re;
}

/** Whether an expression has no unknowns (and parses). */
export function isConstant(latex: string): boolean {
  const json = parseForComparison(latex);
  return json !== null && freeSymbols(json).size === 0;
}

/** `slope·v + intercept` when an expression is linear in its one unknown v, else null. */
export function linearForm(latex: string): { variable: string; slope: number; intercept: number } | null {
  const json = parseForComparison(latex);
  if (json === null) return null;
  const symbols = [...freeSymbols(json)];
  if (symbols.length !== 1) return null;
  const variable = symbols[0]!;
  const at = (x: number): number | null => {
    try {
      const v = evaluateMathJson(json, new Map([[variable, { re: x, im: 0 }]]));
      return Math.abs(v.im) > 1e-12 || !Number.isFinite(v.re) ? null : v.re;
    } catch (error) {
      if (error instanceof NotEvaluable) return null;
      throw error;
    }
  };
  // A point below zero too: |x| agrees with x at 0, 1 and 3.7.
  const [f0, f1, f3, fn] = [at(0), at(1), at(3.7), at(-2.3)];
  if (f0 === null || f1 === null || f3 === null || fn === null) return null;
  const slope = f1 - f0;
  const scale = Math.max(1, Math.abs(f0), Math.abs(f1), Math.abs(f3), Math.abs(fn));
  if (Math.abs(slope) < 1e-12 * scale || Math.abs(f0 + 3.7 * slope - f3) > 1e-9 * scale || Math.abs(f0 - 2.3 * slope - fn) > 1e-9 * scale) return null;
  return { variable, slope, intercept: f0 };
}

/**
 * Whether a = k·b for one constant k at every sample point where both are defined (k > 0 when
 * `positive`): equations `x^2/4 + y^2/3 = 1` and `x^2/16 + y^2/12 = 1/4` compare their
 * differences this way, inequalities with k > 0 so that the direction is kept.
 */
export function proportional(a: MathJson, b: MathJson, positive: boolean): boolean {
  const symbols = [...new Set([...freeSymbols(a), ...freeSymbols(b)])].sort();
  if (symbols.length === 0) return false;
  let ratio: Complex | null = null;
  let compared = 0;
  for (let p = 0; p < POINTS.length; p += 1) {
    const va = evaluateAt(a, symbols, p);
    const vb = evaluateAt(b, symbols, p);
    if (va === null || vb === null || !Number.isFinite(va.re) || !Number.isFinite(vb.re)) continue;
    const sizeA = Math.hypot(va.re, va.im);
    const sizeB = Math.hypot(vb.re, vb.im);
    if (sizeA < ABSOLUTE_TOLERANCE && sizeB < ABSOLUTE_TOLERANCE) continue;
    if (sizeA < ABSOLUTE_TOLERANCE || sizeB < ABSOLUTE_TOLERANCE) return false;
    const d = vb.re * vb.re + vb.im * vb.im;
    const r = { re: (va.re * vb.re + va.im * vb.im) / d, im: (va.im * vb.re - va.re * vb.im) / d };
    if (ratio === null) ratio = r;
    else if (!closeEnough(ratio, r, RELATIVE_TOLERANCE)) return false;
    compared += 1;
  }
  if (ratio === null || compared < MIN_POINTS) return false;
  return !positive || (ratio.re > 0 && Math.abs(ratio.im) <= RELATIVE_TOLERANCE * ratio.re);
}
