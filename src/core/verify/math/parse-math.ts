import type { MathJson } from './evaluate-math-json.ts';
import { tokenizeLatex, type Token } from './tokenize-latex.ts';

/**
 * A recursive-descent reader for the LaTeX of final answers, producing the MathJSON that
 * evaluateMathJson computes. It exists for speed (tens of microseconds where the CAS takes
 * about a millisecond) and to bound cost: nesting deeper than MAX_DEPTH is refused. What it
 * does not know (sums, integrals, unknown commands) it reports as `unsupported`, and the
 * caller may then ask the CAS; what is malformed it reports as `malformed`.
 */
export type ParseResult = { ok: true; value: MathJson } | { ok: false; why: 'unsupported' | 'malformed' };

/** Nesting levels (each bracket or fraction costs about three); inputs are ≤ 400 characters anyway. */
const MAX_DEPTH = 300;

/** Operators and closers: they end a product rather than start a factor. */
const NOT_FACTORS = new Set(['cdot', 'times', 'div', 'ast', 'rfloor', 'rceil', 'rvert', '}']);
/**
 * Relations, set operators and ellipses have no value: an answer containing them where a
 * value is expected is malformed here, and the CAS would not evaluate it either.
 */
const NOT_VALUES = new Set(['pm', 'mp', 'cup', 'cap', 'le', 'leq', 'ge', 'geq', 'lt', 'gt', 'neq', 'ne', 'in', 'approx', 'to', 'dots', 'ldots', 'cdots', 'setminus', 'equiv', 'sim', 'mid']);

class Failure extends Error {
  constructor(readonly why: 'unsupported' | 'malformed') {
    super(why);
  }
}

const FUNCTIONS: Record<string, string> = {
  sin: 'Sin', cos: 'Cos', tan: 'Tan', cot: 'Cot', sec: 'Sec', csc: 'Csc',
  arcsin: 'Arcsin', arccos: 'Arccos', arctan: 'Arctan', arccot: 'Arccot', arcsec: 'Arcsec', arccsc: 'Arccsc',
  sinh: 'Sinh', cosh: 'Cosh', tanh: 'Tanh', coth: 'Coth', sech: 'Sech', csch: 'Csch',
  ln: 'Ln', log: 'Log', lg: 'Lg', lb: 'Lb', exp: 'Exp',
};
/** `\sin^{-1}` is the inverse function, not 1/sin. */
const INVERSE: Record<string, string> = { Sin: 'Arcsin', Cos: 'Arccos', Tan: 'Arctan', Cot: 'Arccot', Sec: 'Arcsec', Csc: 'Arccsc' };

const GREEK = new Set(
  ('alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho varrho sigma ' +
    'tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Upsilon Phi Psi Omega').split(' '),
);
/** Commands that are names of text-like groups: their letters form one symbol. */
const NAME_GROUPS = new Set(['mathrm', 'text', 'operatorname', 'mathit', 'textrm', 'textit', 'mathsf']);

class Parser {
  private at = 0;
  private depth = 0;
  private absDepth = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): MathJson {
    const value = this.expression();
    const rest = this.peek();
    if (rest !== undefined) throw new Failure(rest.kind === 'command' && !NOT_VALUES.has(rest.text) ? 'unsupported' : 'malformed');
    return value;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }
  private isChar(text: string, token = this.peek()): boolean {
    return token?.kind === 'char' && token.text === text;
  }
  private isCommand(text: string, token = this.peek()): boolean {
    return token?.kind === 'command' && token.text === text;
  }
  private expect(text: string): void {
    if (!this.isChar(text)) throw new Failure('malformed');
    this.at += 1;
  }
  private enter(): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new Failure('malformed');
  }

  private expression(): MathJson {
    this.enter();
    let left = this.unary();
    for (;;) {
      if (this.isChar('+')) {
        this.at += 1;
        left = ['Add', left, this.unary()];
      } else if (this.isChar('-')) {
        this.at += 1;
        left = ['Subtract', left, this.unary()];
      } else break;
    }
    this.depth -= 1;
    return left;
  }

  /** A leading sign binds looser than products: `-2x` is −(2x), `-x^2` is −(x²). */
  private unary(): MathJson {
    if (this.isChar('-')) {
      this.at += 1;
      return ['Negate', this.unary()];
    }
    if (this.isChar('+')) {
      this.at += 1;
      return this.unary();
    }
    return this.term();
  }

  private term(): MathJson {
    this.enter();
    let left = this.power();
    for (;;) {
      const t = this.peek();
      if (this.isChar('*') || this.isCommand('cdot') || this.isCommand('times') || this.isCommand('ast')) {
        this.at += 1;
        left = ['Multiply', left, this.signedPower()];
      } else if (this.isChar('/') || this.isCommand('div')) {
        this.at += 1;
        left = ['Divide', left, this.signedPower()];
      } else if (t !== undefined && this.startsFactor(t)) {
        left = ['Multiply', left, this.power()];
      } else break;
    }
    this.depth -= 1;
    return left;
  }

  private signedPower(): MathJson {
    if (this.isChar('-')) {
      this.at += 1;
      return ['Negate', this.signedPower()];
    }
    if (this.isChar('+')) this.at += 1;
    return this.power();
  }

  private startsFactor(t: Token): boolean {
    if (t.kind === 'number' || t.kind === 'letter') return true;
    if (t.kind === 'char') return t.text === '(' || t.text === '{' || (t.text === '|' && this.absDepth === 0);
    return !NOT_FACTORS.has(t.text) && !NOT_VALUES.has(t.text);
  }

  private power(): MathJson {
    this.enter();
    let base = this.postfix(this.primary());
    while (this.isChar('^')) {
      this.at += 1;
      base = this.postfix(['Power', base, this.argument()]);
    }
    this.depth -= 1;
    return base;
  }

  private postfix(value: MathJson): MathJson {
    let v = value;
    while (this.isChar('!')) {
      this.at += 1;
      v = ['Factorial', v];
    }
    if (this.isChar("'")) throw new Failure('unsupported');
    return v;
  }

  /** A command's argument: `{…}`, or one token (`\frac12`, `x^2`, `\sqrt x`). */
  private argument(): MathJson {
    const t = this.peek();
    if (t === undefined) throw new Failure('malformed');
    if (this.isChar('{')) {
      this.at += 1;
      const inner = this.expression();
      this.expect('}');
      return inner;
    }
    if (this.isChar('-')) {
      this.at += 1;
      return ['Negate', this.argument()];
    }
    if (t.kind === 'number') {
      // `x^23` is x²·3 in TeX: an unbraced argument is a single digit.
      this.at += 1;
      if (t.text.length > 1 && /^\d+$/.test(t.text)) {
        this.tokens.splice(this.at, 0, { kind: 'number', text: t.text.slice(1) });
        return Number(t.text[0]);
      }
      return Number(t.text);
    }
    return this.primary();
  }

  private group(open: string, close: string): MathJson {
    this.expect(open);
    const saved = this.absDepth;
    this.absDepth = 0;
    const inner = this.expression();
    this.absDepth = saved;
    this.expect(close);
    return inner;
  }

  private primary(): MathJson {
    const t = this.peek();
    if (t === undefined) throw new Failure('malformed');
    if (t.kind === 'number') {
      this.at += 1;
      return this.numberLiteral(t.text);
    }
    if (t.kind === 'letter') {
      this.at += 1;
      if (t.text === 'e') return 'ExponentialE';
      if (t.text === 'i') return 'ImaginaryUnit';
      return t.text;
    }
    if (t.kind === 'char') {
      if (t.text === '(') return this.group('(', ')');
      if (t.text === '{') return this.group('{', '}');
      if (t.text === '|') {
        this.at += 1;
        this.absDepth += 1;
        const inner = this.expression();
        this.absDepth -= 1;
        this.expect('|');
        return ['Abs', inner];
      }
      throw new Failure('malformed');
    }
    return this.commandPrimary(t.text);
  }

  /** Integers followed by `_8`/`_{8}` are numerals in that base (MATH writes `204_5`). */
  private numberLiteral(text: string): MathJson {
    if (this.isChar('_') && /^\d+$/.test(text)) {
      this.at += 1;
      const base = this.argument();
      if (typeof base !== 'number' || !Number.isInteger(base) || base < 2 || base > 36) throw new Failure('malformed');
      const value = parseInt(text, base);
      if ([...text].some((d) => Number(d) >= base)) throw new Failure('malformed');
      return value;
    }
    // A mixed number `2\frac{1}{2}` is 2½, as MATH writes it, not 2·½.
    if (/^\d+$/.test(text) && this.isCommand('frac')) {
      const saved = this.at;
      this.at += 1;
      const num = this.argument();
      const den = this.argument();
      if (typeof num === 'number' && typeof den === 'number' && Number.isInteger(num) && Number.isInteger(den)) {
        return ['Add', Number(text), ['Divide', num, den]];
      }
      this.at = saved;
    }
    // `0.\overline{3}` = 0.(3) = 1/3: the digits are read as written, leading zeros included.
    if (this.isCommand('overline') && /^\d*\.\d*$/.test(text)) {
      const [open, digits, close] = [this.peek(1), this.peek(2), this.peek(3)];
      if (!this.isChar('{', open) || digits?.kind !== 'number' || !/^\d+$/.test(digits.text) || !this.isChar('}', close)) throw new Failure('malformed');
      this.at += 4;
      return { num: `${text}(${digits.text})` };
    }
    return Number(text);
  }

  private commandPrimary(name: string): MathJson {
    if (NOT_VALUES.has(name)) throw new Failure('malformed');
    this.at += 1;
    const fn = FUNCTIONS[name];
    if (fn !== undefined) return this.application(fn);
    switch (name) {
      case 'frac':
      case 'dfrac':
      case 'tfrac':
      case 'cfrac':
        return ['Divide', this.argument(), this.argument()];
      case 'sqrt':
        if (this.isChar('[')) {
          this.at += 1;
          const index = this.expression();
          this.expect(']');
          return ['Root', this.argument(), index];
        }
        return ['Sqrt', this.argument()];
      case 'pi':
        return 'Pi';
      case 'infty':
      case 'infinity':
        return 'PositiveInfinity';
      case 'lfloor':
        return this.closedBy('Floor', 'rfloor');
      case 'lceil':
        return this.closedBy('Ceil', 'rceil');
      case 'lvert':
      case 'vert':
      case '|':
        return this.closedBy('Abs', name === 'lvert' ? 'rvert' : name);
      case 'imath':
        return 'ImaginaryUnit';
      default:
        break;
    }
    if (GREEK.has(name)) return name;
    if (NAME_GROUPS.has(name)) return this.namedGroup();
    throw new Failure('unsupported');
  }

  private closedBy(head: string, close: string): MathJson {
    const inner = this.expression();
    if (!this.isCommand(close)) throw new Failure('malformed');
    this.at += 1;
    return [head, inner];
  }

  /** `\mathrm{Csub1}` is one symbol; `\operatorname{sin}` is the function. */
  private namedGroup(): MathJson {
    if (!this.isChar('{')) throw new Failure('malformed');
    let name = '';
    let j = this.at + 1;
    for (; j < this.tokens.length && !this.isChar('}', this.tokens[j]); j += 1) {
      const t = this.tokens[j]!;
      if (t.kind === 'command' || (t.kind === 'char' && t.text !== '.')) throw new Failure('unsupported');
      name += t.text;
    }
    if (j >= this.tokens.length || name === '') throw new Failure('malformed');
    this.at = j + 1;
    const fn = FUNCTIONS[name];
    if (fn !== undefined) return this.application(fn);
    return name;
  }

  /** `\sin^2 x`, `\log_2 8`, `\sin(x+1)`, `\cos 3\theta`; the argument stops at + and −. */
  private application(head: string): MathJson {
    let exponent: MathJson | null = null;
    let base: MathJson | null = null;
    for (;;) {
      if (this.isChar('^') && exponent === null) {
        this.at += 1;
        exponent = this.argument();
      } else if (this.isChar('_') && base === null) {
        this.at += 1;
        base = this.argument();
      } else break;
    }
    let arg: MathJson;
    if (this.isChar('(')) arg = this.group('(', ')');
    else {
      this.enter();
      arg = this.power();
      for (;;) {
        const t = this.peek();
        if (t === undefined || !this.startsFactor(t) || (t.kind === 'command' && (FUNCTIONS[t.text] !== undefined || t.text === 'frac'))) break;
        if (this.isChar('(')) break;
        arg = ['Multiply', arg, this.power()];
      }
      this.depth -= 1;
    }
    let f = head;
    if (exponent === -1 || (Array.isArray(exponent) && exponent[0] === 'Negate' && exponent[1] === 1)) {
      f = INVERSE[head] ?? head;
      if (f !== head) exponent = null;
    }
    const applied: MathJson = head === 'Log' && base !== null ? ['Log', arg, base] : [f, arg];
    if (base !== null && head !== 'Log') throw new Failure('malformed');
    return exponent === null ? applied : ['Power', applied, exponent];
  }
}

/** Parses prepared LaTeX (see prepareForCas) into MathJSON for evaluateMathJson. */
export function parseMath(latex: string): ParseResult {
  const tokens = tokenizeLatex(latex);
  if (tokens === null) return { ok: false, why: 'malformed' };
  if (tokens.length === 0) return { ok: false, why: 'malformed' };
  try {
    return { ok: true, value: new Parser(tokens).parseAll() };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, why: error.why };
    if (error instanceof RangeError) return { ok: false, why: 'malformed' };
    throw error;
  }
}
