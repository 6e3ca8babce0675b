/** The shape of an answer: what must match what, and whether order or brackets matter. */
export type AnswerNode =
  | { kind: 'scalar'; text: string }
  | { kind: 'equation'; lhs: string; rhs: string }
  /** Ordered, brackets significant: points, vectors, and intervals such as `(1,2]`. */
  | { kind: 'tuple'; open: string; close: string; items: AnswerNode[] }
  /** Unordered: `\{1,2\}`, bare lists `3, 5, 7`, `a \pm b`, unions of intervals. */
  | { kind: 'set'; items: AnswerNode[] }
  | { kind: 'matrix'; rows: AnswerNode[][] };

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** Splits at `separator` outside any brackets (mixed pairs like `(1,2]` count as a pair). */
export function splitTopLevel(s: string, separator: string | RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const isRegex = separator instanceof RegExp;
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i] ?? '';
    if (ch === '\\' && (s[i + 1] === '{' || s[i + 1] === '}')) {
      depth += s[i + 1] === '{' ? 1 : -1;
      i += 1;
      continue;
    }
    if (OPEN.has(ch)) depth += 1;
    else if (CLOSE.has(ch)) depth -= 1;
    else if (depth === 0) {
      if (isRegex) {
        const m = new RegExp(`^(?:${separator.source})`).exec(s.slice(i));
        if (m && m[0].length > 0) {
          parts.push(s.slice(start, i));
          start = i + m[0].length;
          i = start - 1;
        }
      } else if (s.startsWith(separator, i)) {
        parts.push(s.slice(start, i));
        start = i + separator.length;
        i = start - 1;
      }
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim());
}

/** Whether the bracket opening at 0 closes exactly at the last character. */
function enclosesWhole(s: string, openLength: number, closeLength: number): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i] ?? '';
    if (ch === '\\' && (s[i + 1] === '{' || s[i + 1] === '}')) {
      depth += s[i + 1] === '{' ? 1 : -1;
      i += 1;
    } else if (OPEN.has(ch)) depth += 1;
    else if (CLOSE.has(ch)) depth -= 1;
    if (depth === 0 && i >= openLength - 1 && i < s.length - 1) return false;
  }
  return depth === 0 && s.length >= openLength + closeLength;
}

/** A set of items where nested sets (from `a \pm b` inside `\{…\}`) are spread out. */
function setOf(items: AnswerNode[]): AnswerNode {
  return { kind: 'set', items: items.flatMap((item) => (item.kind === 'set' ? item.items : [item])) };
}

const MATRIX = /^\\begin\{([pbvBV]?matrix|array)\}(?:\{[^}]*\})?([\s\S]*)\\end\{\1\}$/;

/** Parses a normalised answer into its structure; `depth` guards against pathological nesting. */
export function parseAnswer(s: string, depth = 0): AnswerNode {
  const text = s.trim();
  if (depth > 8) return { kind: 'scalar', text };
  const matrix = MATRIX.exec(text);
  if (matrix?.[2] !== undefined) {
    const rows = splitTopLevel(matrix[2], '\\\\').filter((r) => r !== '');
    return { kind: 'matrix', rows: rows.map((r) => splitTopLevel(r, '&').map((cell) => parseAnswer(cell, depth + 1))) };
  }
  const union = splitTopLevel(text, /\\cup(?![a-zA-Z])/);
  if (union.length > 1) return { kind: 'set', items: union.map((p) => parseAnswer(p, depth + 1)) };
  const alternatives = splitTopLevel(text, /\s+(?:or|and)\s+/);
  if (alternatives.length > 1) return { kind: 'set', items: alternatives.map((p) => parseAnswer(p, depth + 1)) };
  if (text.startsWith('\\{') && text.endsWith('\\}') && enclosesWhole(text, 2, 2)) {
    const inner = text.slice(2, -2).trim();
    return setOf(inner === '' ? [] : splitTopLevel(inner, ',').map((p) => parseAnswer(p, depth + 1)));
  }
  const first = text[0] ?? '';
  const last = text[text.length - 1] ?? '';
  if ((first === '(' || first === '[') && (last === ')' || last === ']') && enclosesWhole(text, 1, 1)) {
    const items = splitTopLevel(text.slice(1, -1), ',');
    if (items.length >= 2) return { kind: 'tuple', open: first, close: last, items: items.map((p) => parseAnswer(p, depth + 1)) };
    if (first === '(' && last === ')') return parseAnswer(text.slice(1, -1), depth + 1);
  }
  const list = splitTopLevel(text, /,|;/);
  if (list.length > 1 && list.every((p) => p !== '')) return setOf(list.map((p) => parseAnswer(p, depth + 1)));
  const pm = /\\(?:pm|mp)(?![a-zA-Z])/.exec(text);
  if (pm && splitTopLevel(text, /\\(?:pm|mp)(?![a-zA-Z])/).length > 1) {
    const head = text.slice(0, pm.index);
    const tail = text.slice(pm.index + pm[0].length);
    return { kind: 'set', items: [parseAnswer(`${head}+${tail}`, depth + 1), parseAnswer(`${head}-${tail}`, depth + 1)] };
  }
  const sides = splitTopLevel(text, /(?<![<>!\\])=(?!=)/);
  if (sides.length >= 2 && sides[0] !== '' && sides[sides.length - 1] !== '') {
    return { kind: 'equation', lhs: sides[0] ?? '', rhs: sides[sides.length - 1] ?? '' };
  }
  return { kind: 'scalar', text };
}
