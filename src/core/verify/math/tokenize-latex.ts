/** One lexical unit of a LaTeX math expression. */
export type Token =
  | { kind: 'number'; text: string }
  | { kind: 'letter'; text: string }
  /** `\frac`, `\pi`, `\{`: the name without the backslash. */
  | { kind: 'command'; text: string }
  | { kind: 'char'; text: string };

/** Spacing commands carry no meaning in an answer. */
const SPACING = new Set([',', '!', ';', ':', ' ', '>', 'quad', 'qquad', 'displaystyle', 'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'limits']);

/**
 * Splits LaTeX into tokens; null on a character no answer contains (the caller then says
 * "cannot parse"). Numbers keep a decimal point and a scientific exponent written as `e-30`
 * (normalisation writes `a \times 10^{b}` that way); letters are single, so `xy` is x·y.
 */
export function tokenizeLatex(s: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '~') {
      i += 1;
      continue;
    }
    if ((ch >= '0' && ch <= '9') || (ch === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+(?![a-zA-Z]))?/.exec(s.slice(i, i + 64));
      const text = m?.[0] ?? ch;
      tokens.push({ kind: 'number', text });
      i += text.length;
      continue;
    }
    if (/[a-zA-Z]/.test(ch)) {
      tokens.push({ kind: 'letter', text: ch });
      i += 1;
      continue;
    }
    if (ch === '\\') {
      const m = /^[a-zA-Z]+/.exec(s.slice(i + 1, i + 40));
      const name = m ? m[0] : s[i + 1] ?? '';
      i += 1 + name.length;
      if (name === '') return null;
      if (!SPACING.has(name)) tokens.push({ kind: 'command', text: name });
      continue;
    }
    if ('+-*/^_()[]{}|!\',=<>:;&.?'.includes(ch)) {
      tokens.push({ kind: 'char', text: ch });
      i += 1;
      continue;
    }
    if (ch === '−') {
      tokens.push({ kind: 'char', text: '-' });
      i += 1;
      continue;
    }
    if (ch === '·' || ch === '×') {
      tokens.push({ kind: 'command', text: 'cdot' });
      i += 1;
      continue;
    }
    if (ch === 'π') {
      tokens.push({ kind: 'command', text: 'pi' });
      i += 1;
      continue;
    }
    return null;
  }
  return tokens;
}
