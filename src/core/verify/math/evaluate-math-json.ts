/** A complex number; answers such as `-2 + 7i` and `\sqrt{-3}` need more than reals. */
export interface Complex {
  re: number;
  im: number;
}

/** MathJSON as @cortex-js/compute-engine writes it. */
export type MathJson = number | string | { num: string } | { sym: string } | { str: string } | MathJson[] | { fn: MathJson[] };

export class NotEvaluable extends Error {}

const c = (re: number, im = 0): Complex => ({ re, im });
const add = (a: Complex, b: Complex): Complex => c(a.re + b.re, a.im + b.im);
const sub = (a: Complex, b: Complex): Complex => c(a.re - b.re, a.im - b.im);
const mul = (a: Complex, b: Complex): Complex => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
function div(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}
const abs = (a: Complex): number => Math.hypot(a.re, a.im);
const log = (a: Complex): Complex => c(Math.log(abs(a)), Math.atan2(a.im, a.re));
function exp(a: Complex): Complex {
  const m = Math.exp(a.re);
  return a.im === 0 ? c(m) : c(m * Math.cos(a.im), m * Math.sin(a.im));
}
function pow(a: Complex, b: Complex): Complex {
  if (b.im === 0 && Number.isInteger(b.re) && Math.abs(b.re) <= 64) {
    let r = c(1);
    for (let i = 0; i < Math.abs(b.re); i += 1) r = mul(r, a);
    return b.re < 0 ? div(c(1), r) : r;
  }
  if (a.im === 0 && b.im === 0 && (a.re >= 0 || Number.isInteger(b.re))) return c(Math.pow(a.re, b.re));
  // Odd roots of negative reals stay real, as a reader of ∛-8 expects.
  if (a.im === 0 && b.im === 0 && a.re < 0) {
    const q = 1 / b.re;
    if (Number.isInteger(q) && Math.abs(q) % 2 === 1) return c(-Math.pow(-a.re, b.re));
  }
  if (a.re === 0 && a.im === 0) return c(0);
  return exp(mul(b, log(a)));
}

function real(name: string, f: (x: number) => number): (args: Complex[]) => Complex {
  return ([x]) => {
    if (x === undefined) throw new NotEvaluable(`${name} without argument`);
    if (Math.abs(x.im) > 1e-12 * Math.max(1, Math.abs(x.re))) throw new NotEvaluable(`${name} of a complex number`);
    return c(f(x.re));
  };
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Γ(x) by the Lanczos approximation (g = 7), accurate to ~1e-15 relative. */
function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const t = x - 1;
  let a = LANCZOS[0] ?? 1;
  for (let i = 1; i < LANCZOS.length; i += 1) a += (LANCZOS[i] ?? 0) / (t + i);
  const u = t + 7.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(u, t + 0.5) * Math.exp(-u) * a;
}

/** n! exactly for small integers, Γ(n + 1) otherwise, so `\binom{2n}{n}` evaluates at any n. */
function factorial(n: number): number {
  if (Number.isInteger(n) && n >= 0 && n <= 170) {
    let r = 1;
    for (let i = 2; i <= n; i += 1) r *= i;
    return r;
  }
  return Number.isInteger(n) && n < 0 ? NaN : gamma(n + 1);
}

const FUNCTIONS: Record<string, (args: Complex[]) => Complex> = {
  Add: (xs) => xs.reduce(add, c(0)),
  Subtract: ([a, b]) => sub(a ?? c(0), b ?? c(0)),
  Negate: ([a]) => sub(c(0), a ?? c(0)),
  Multiply: (xs) => xs.reduce(mul, c(1)),
  Divide: ([a, b]) => div(a ?? c(NaN), b ?? c(NaN)),
  Rational: ([a, b]) => div(a ?? c(NaN), b ?? c(1)),
  Power: ([a, b]) => pow(a ?? c(NaN), b ?? c(NaN)),
  Square: ([a]) => pow(a ?? c(NaN), c(2)),
  Sqrt: ([a]) => pow(a ?? c(NaN), c(0.5)),
  Root: ([a, n]) => pow(a ?? c(NaN), div(c(1), n ?? c(NaN))),
  Exp: ([a]) => exp(a ?? c(NaN)),
  Ln: ([a]) => log(a ?? c(NaN)),
  Log: ([a, b]) => div(log(a ?? c(NaN)), log(b ?? c(10))),
  Lb: ([a]) => div(log(a ?? c(NaN)), log(c(2))),
  Lg: ([a]) => div(log(a ?? c(NaN)), log(c(10))),
  Abs: ([a]) => c(abs(a ?? c(NaN))),
  Half: ([a]) => div(a ?? c(NaN), c(2)),
  Complex: ([a, b]) => c((a ?? c(0)).re, (b ?? c(0)).re),
  Factorial: real('factorial', factorial),
  Floor: real('floor', Math.floor),
  Ceil: real('ceil', Math.ceil),
  Sin: real('sin', Math.sin),
  Cos: real('cos', Math.cos),
  Tan: real('tan', Math.tan),
  Cot: real('cot', (x) => 1 / Math.tan(x)),
  Sec: real('sec', (x) => 1 / Math.cos(x)),
  Csc: real('csc', (x) => 1 / Math.sin(x)),
  Arcsin: real('arcsin', Math.asin),
  Arccos: real('arccos', Math.acos),
  Arctan: real('arctan', Math.atan),
  Arccot: real('arccot', (x) => Math.atan(1 / x)),
  Arcsec: real('arcsec', (x) => Math.acos(1 / x)),
  Arccsc: real('arccsc', (x) => Math.asin(1 / x)),
  Sinh: real('sinh', Math.sinh),
  Cosh: real('cosh', Math.cosh),
  Tanh: real('tanh', Math.tanh),
  Coth: real('coth', (x) => 1 / Math.tanh(x)),
  Sech: real('sech', (x) => 1 / Math.cosh(x)),
  Csch: real('csch', (x) => 1 / Math.sinh(x)),
  Degrees: real('degrees', (x) => (x * Math.PI) / 180),
};

const CONSTANTS: Record<string, Complex> = {
  Pi: c(Math.PI),
  ExponentialE: c(Math.E),
  ImaginaryUnit: c(0, 1),
  PositiveInfinity: c(Infinity),
  NegativeInfinity: c(-Infinity),
  Half: c(0.5),
  Nothing: c(NaN),
};

function parseNum(text: string): number {
  const t = text.replace(/\s/g, '');
  if (t === '+Infinity') return Infinity;
  if (t === '-Infinity') return -Infinity;
  const repeating = /^(-?\d*)\.(\d*)\((\d+)\)$/.exec(t); // 0.(3) = 1/3
  if (repeating) {
    const [, whole = '0', fixed = '', period = ''] = repeating;
    const sign = whole.startsWith('-') ? -1 : 1;
    const head = Number(`${whole.replace('-', '') || '0'}.${fixed || '0'}`);
    const tail = Number(period) / (Math.pow(10, period.length) - 1) / Math.pow(10, fixed.length);
    return sign * (head + tail);
  }
  return Number(t.replace(/n$/, ''));
}

/** Every free symbol in an expression (excluding known constants). */
export function freeSymbols(expr: MathJson, into = new Set<string>()): Set<string> {
  if (typeof expr === 'string') {
    if (!(expr in CONSTANTS) && !expr.startsWith("'")) into.add(expr);
  } else if (Array.isArray(expr)) {
    for (const arg of expr.slice(1)) freeSymbols(arg, into);
  } else if (typeof expr === 'object' && 'sym' in expr) {
    freeSymbols(expr.sym, into);
  } else if (typeof expr === 'object' && 'fn' in expr) {
    freeSymbols(expr.fn, into);
  }
  return into;
}

/** Evaluates MathJSON with the given symbol values; throws NotEvaluable for anything unknown. */
export function evaluateMathJson(expr: MathJson, scope: ReadonlyMap<string, Complex>): Complex {
  if (typeof expr === 'number') return c(expr);
  if (typeof expr === 'string') {
    const known = CONSTANTS[expr] ?? scope.get(expr);
    if (known === undefined) throw new NotEvaluable(`unbound symbol ${expr}`);
    return known;
  }
  if (Array.isArray(expr)) {
    const [head, ...args] = expr;
    if (head === 'Delimiter' && args.length === 1 && args[0] !== undefined) return evaluateMathJson(args[0], scope);
    if (typeof head !== 'string') throw new NotEvaluable('compound head');
    const f = FUNCTIONS[head];
    if (f === undefined) throw new NotEvaluable(`unknown function ${head}`);
    return f(args.map((a) => evaluateMathJson(a, scope)));
  }
  if ('num' in expr) return c(parseNum(expr.num));
  if ('sym' in expr) return evaluateMathJson(expr.sym, scope);
  if ('fn' in expr) return evaluateMathJson(expr.fn, scope);
  throw new NotEvaluable('string literal');
}
