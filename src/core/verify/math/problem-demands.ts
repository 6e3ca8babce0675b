/**
 * The few demands a problem statement makes on the form of its answer ("Express your answer
 * as a common fraction", "to the nearest tenth", "in simplest radical form", "Factor …", "where
 * A > 0 and gcd(|A|, |B|, |C|, |D|) = 1"). When a problem makes one, the form is part of the
 * answer: 0.25 does not answer "as a common fraction" even though it equals 1/4.
 */
export interface FormDemands {
  /** "as a decimal": the answer must be a decimal number. */
  decimal: boolean;
  /** "as a (common) fraction": the answer must not be a decimal. */
  fraction: boolean;
  /** "simplest form", "lowest terms", "simplest radical form": no common factor, no square factor under a root. */
  simplest: boolean;
  /** "Factor …", "factored form", "completely factor": a product, not a sum. */
  factored: boolean;
  /** "A > 0 and gcd(…) = 1": an equation with exactly the gold's coefficients, not a multiple. */
  normalizedCoefficients: boolean;
  /** "to the nearest tenth", "rounded to 2 decimal places", "nearest whole number": rounding to that place. */
  digits: number | null;
}

export const NO_DEMANDS: Readonly<FormDemands> = Object.freeze({
  decimal: false, fraction: false, simplest: false, factored: false, normalizedCoefficients: false, digits: null,
});

const PLACES: Record<string, number> = {
  'whole number': 0, integer: 0, 'whole': 0, unit: 0, one: 0, ones: 0, dollar: 0,
  tenth: 1, tenths: 1, hundredth: 2, hundredths: 2, cent: 2, thousandth: 3, thousandths: 3,
  'ten-thousandth': 4, 'ten thousandth': 4, 'ten-thousandths': 4,
};
const WORD_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

/** Problem statements longer than this are read only in their last part, where the demands are. */
const MAX_READ = 4000;

function roundingDigits(text: string): number | null {
  const nearest = /\b(?:to|at)\s+the\s+nearest\s+(whole number|integer|ten[- ]thousandths?|tenths?|hundredths?|thousandths?|cent|dollar|whole|unit|ones?)\b/i.exec(text);
  if (nearest?.[1] !== undefined) {
    const place = PLACES[nearest[1].toLowerCase()];
    if (place === undefined) return null;
    // "the nearest tenth of a cent": a place of the cent, which is itself two places.
    return /^\s+of\s+a\s+cent\b/i.test(text.slice(nearest.index + nearest[0].length)) ? place + 2 : place;
  }
  const places = /\b(\d|one|two|three|four|five|six)\s+decimal\s+(?:places?|digits?)\b/i.exec(text);
  if (places?.[1] !== undefined) return WORD_NUMBERS[places[1].toLowerCase()] ?? Number(places[1]);
  return null;
}

/** The form demands a problem statement makes; none for an absent or empty problem. */
export function readFormDemands(problem: string | undefined): FormDemands {
  if (problem === undefined || problem.trim() === '') return NO_DEMANDS;
  const text = problem.length > MAX_READ ? problem.slice(-MAX_READ) : problem;
  return {
    decimal: /\b(?:as|in)\s+(?:a\s+)?decimals?\b|\bdecimal\s+form\b/i.test(text),
    fraction: /\b(?:as|in)\s+(?:a\s+)?(?:common|simplified|reduced|improper)?\s*fractions?\b|\bcommon\s+fraction\b/i.test(text),
    // A "common fraction" (AoPS, MATH) is one in lowest terms.
    simplest: /\bsimplest\s+(?:radical\s+)?form\b|\blowest\s+terms\b|\bfully\s+simplif|\bcommon\s+fraction\b/i.test(text),
    factored: /(?:^|[.?!]\s+|\n)\s*(?:Completely\s+)?factor\b|\bfactored\s+form\b|\bfactor\s+(?:completely|the\s+(?:expression|polynomial))\b/i.test(text),
    normalizedCoefficients: /\bgcd\s*\(\s*\|?\s*A/i.test(text) || /\\gcd\s*\(\s*\|?\s*A/.test(text),
    digits: roundingDigits(text),
  };
}

/** `x = 0.25` states 0.25: the form demands apply to the value. */
function valueOf(normalized: string): string {
  const named = /^(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?(?:\([a-z]\))?\s*=\s*([^=]+)$/.exec(normalized.trim());
  return (named?.[1] ?? normalized).trim();
}

const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)$/;

/** Decimal places written, trailing zeros aside (`12.60` has one). */
function places(s: string): number {
  const fraction = s.split('.')[1] ?? '';
  return fraction.replace(/0+$/, '').length;
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** What keeps an expression from simplest form: a reducible fraction, a square under a root, a root below a fraction bar. */
function notSimplest(s: string): string | null {
  for (const m of s.matchAll(/\\frac\{\s*(-?\d+)\s*\}\{\s*(-?\d+)\s*\}|(?<![\d.])(-?\d+)\s*\/\s*(\d+)(?![\d.])/g)) {
    const [a, b] = [m[1] ?? m[3], m[2] ?? m[4]];
    if (a === undefined || b === undefined || a.length > 15 || b.length > 15 || /^-?0+$/.test(b)) continue;
    if (gcd(BigInt(a), BigInt(b)) > 1n) return `${a}/${b} is not in lowest terms`;
  }
  for (const m of s.matchAll(/\\sqrt\{\s*(\d+)\s*\}/g)) {
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n) || n > 1e9) continue;
    for (let k = 2; k * k <= n; k += 1) if (n % (k * k) === 0) return `√${n} has the square factor ${k * k}`;
  }
  if (/\\frac\{[^{}]*\}\{[^{}]*\\sqrt/.test(s)) return 'a root is left in the denominator';
  return null;
}

/** Whether an expression is a sum or difference at its top level (`x^2 - 1`, not `(x-1)(x+1)`). */
function isSum(s: string): boolean {
  const t = s.trim().replace(/^[-+]\s*/, '');
  let depth = 0;
  let previous = '';
  for (let i = 0; i < t.length; i += 1) {
    const ch = t[i] ?? '';
    if (ch === '\\' && (t[i + 1] === '{' || t[i + 1] === '}')) {
      i += 1;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth += 1;
    else if (ch === ')' || ch === ']' || ch === '}') depth -= 1;
    else if (depth === 0 && (ch === '+' || ch === '-') && previous !== '' && !/[\^_(,=*/]/.test(previous)) return true;
    if (ch !== ' ') previous = ch;
  }
  return false;
}

/**
 * Why an answer equal to the gold still misses the form the problem demands, or null. Each
 * demand applies only where the gold itself has that form, so a demand read from the problem
 * text can never make the gold answer wrong.
 */
export function formViolation(gold: string, answer: string, demands: FormDemands): string | null {
  const [g, a] = [valueOf(gold), valueOf(answer)];
  if (demands.decimal && DECIMAL.test(g) && !DECIMAL.test(a)) return 'the problem asks for a decimal';
  if (demands.fraction && !/\d\.\d/.test(g) && /\d\.\d|^\.\d/.test(a)) return 'the problem asks for a fraction, not a decimal';
  if (demands.simplest && notSimplest(g) === null) {
    const why = notSimplest(a);
    if (why !== null) return `the problem asks for simplest form: ${why}`;
  }
  if (demands.factored && !isSum(g) && isSum(a)) return 'the problem asks for a factored form';
  if (demands.digits !== null && DECIMAL.test(g) && DECIMAL.test(a) && places(g) <= demands.digits && places(a) > demands.digits) {
    return `the problem asks for ${demands.digits} decimal place${demands.digits === 1 ? '' : 's'}, the answer is not rounded`;
  }
  return null;
}
