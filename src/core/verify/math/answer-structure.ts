/** A relation between neighbouring sides of a chain such as `-1 < x \leq 4`. */
export type RelationOp = '<' | '\\leq' | '>' | '\\geq' | '\\neq';

/** The shape of an answer: what must match what, and whether order or brackets matter. */
export type AnswerNode =
  | { kind: 'scalar'; text: string }
  /** `lhs = rhs`; a chain `x = 5+5+1 = 11` keeps its first and last side. */
  | { kind: 'equation'; lhs: string; rhs: string; approx?: true }
  /** `sides[0] ops[0] sides[1] …` */
  | { kind: 'relation'; sides: string[]; ops: RelationOp[] }
  /** `x \in S` */
  | { kind: 'member'; name: string; set: AnswerNode }
  /** Ordered, brackets significant: points, vectors, and intervals such as `(1,2]`. */
  | { kind: 'tuple'; open: string; close: string; items: AnswerNode[] }
  /**
   * Unordered: `\{1,2\}`, bare lists `3, 5, 7`, `a \pm b`, unions, `… or …`; `\emptyset` has no
   * items. `and` marks `x > 1 \text{ and } x < 4`, which for relations is an intersection.
   */
  | { kind: 'set'; items: AnswerNode[]; and?: true; bare?: true }
  /** `\mathbb{R} \setminus [2, 3]`: the reals of `from` not in `minus`. */
  | { kind: 'difference'; from: AnswerNode; minus: AnswerNode }
  | { kind: 'matrix'; rows: AnswerNode[][] };

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/** Splits at `separator` outside any brackets (mixed pairs like `(1,2]` count as a pair). */
export function splitTopLevel(s: string, separator: string | RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const sticky = separator instanceof RegExp ? new RegExp(separator.source, 'y') : null;
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
      let length = 0;
      if (sticky !== null) {
        sticky.lastIndex = i;
        length = sticky.exec(s)?.[0].length ?? 0;
      } else if (s.startsWith(separator as string, i)) length = (separator as string).length;
      if (length > 0) {
        parts.push(s.slice(start, i));
        start = i + length;
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
  return { kind: 'set', items: items.flatMap((item) => (item.kind === 'set' && !item.and ? item.items : [item])) };
}

const MATRIX = /^[([]?\s*\\begin\{([pbvBV]?matrix|array)\}(?:\{[^}]*\})?([\s\S]*)\\end\{\1\}\s*[)\]]?$/;
/** A variable or a named quantity: `x`, `a_{1}`, `\theta`, `f(x)`, `AB`, `x'`. */
export const NAME = /^(?:[a-zA-Z]{1,3}|\\[a-zA-Z]+)(?:_\{?[\w\\ ]+\}?)?'*(?:\([a-zA-Z0-9]\))?$/;
/** Names in brackets, as in `(m, n) = (4, 1)`. */
export const NAME_TUPLE = /^\(\s*(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?(?:\s*,\s*(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?)+\s*\)$/;
const RELATION = /\\leq(?![a-zA-Z])|\\geq(?![a-zA-Z])|\\neq(?![a-zA-Z])|<|>/;
const MEMBER = /^((?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?)\s*\\in(?![a-zA-Z])\s*([\s\S]+)$/;

/** Parses a normalised answer into its structure; `depth` guards against pathological nesting. */
export function parseAnswer(s: string, depth = 0): AnswerNode {
  const text = s.trim();
  if (depth > 8) return { kind: 'scalar', text };
  if (text === '\\emptyset') return { kind: 'set', items: [] };
  const matrix = MATRIX.exec(text);
  // One matrix, its brackets (`\left[\begin{array}…\right]`) both present or both absent.
  if (matrix?.[2] !== undefined && !matrix[2].includes('\\begin{') && /^[([]/.test(text) === /[)\]]$/.test(text)) {
    const rows = splitTopLevel(matrix[2], '\\\\').filter((r) => r !== '' && !/^\\hline$/.test(r));
    return { kind: 'matrix', rows: rows.map((r) => splitTopLevel(r.replace(/\\hline/g, ''), '&').map((cell) => parseAnswer(cell, depth + 1))) };
  }
  const member = MEMBER.exec(text);
  if (member?.[1] !== undefined && member[2] !== undefined) return { kind: 'member', name: member[1], set: parseAnswer(member[2], depth + 1) };
  const difference = text.includes('\\setminus') ? splitTopLevel(text, /\\setminus(?![a-zA-Z])/) : [];
  if (difference.length === 2 && difference.every((p) => p !== '')) {
    return { kind: 'difference', from: parseAnswer(difference[0] ?? '', depth + 1), minus: parseAnswer(difference[1] ?? '', depth + 1) };
  }
  const union = splitTopLevel(text, /\\cup(?![a-zA-Z])/);
  if (union.length > 1) return setOf(union.map((p) => parseAnswer(p, depth + 1)));
  const alternatives = splitTopLevel(text, /\s+or\s+/);
  if (alternatives.length > 1) return setOf(alternatives.map((p) => parseAnswer(p, depth + 1)));
  const both = splitTopLevel(text, /\s+and\s+/);
  if (both.length > 1) {
    const items = both.map((p) => parseAnswer(p, depth + 1));
    return items.every((i) => i.kind === 'relation') ? { kind: 'set', items, and: true } : setOf(items);
  }
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
  if (list.length > 1 && list.every((p) => p !== '')) return { ...setOf(list.map((p) => parseAnswer(p, depth + 1))), bare: true } as AnswerNode;
  // `a \pm b`, also inside a fraction (`\frac{1 \pm \sqrt5}{2}`): the two values it stands for.
  const pm = /\\(?:pm|mp)(?![a-zA-Z])/.exec(text);
  if (pm) {
    const [first, second] = pm[0] === '\\pm' ? ['+', '-'] : ['-', '+'];
    const head = text.slice(0, pm.index);
    const tail = text.slice(pm.index + pm[0].length);
    return { kind: 'set', items: [parseAnswer(`${head}${first}${tail}`, depth + 1), parseAnswer(`${head}${second}${tail}`, depth + 1)] };
  }
  const relation = parseRelation(text);
  if (relation !== null) return relation;
  return parseEquation(text) ?? { kind: 'scalar', text };
}

function parseRelation(text: string): AnswerNode | null {
  const pieces = splitTopLevel(text, new RegExp(`(?:${RELATION.source})`));
  if (pieces.length < 2 || pieces.some((p) => p === '')) return null;
  const ops: RelationOp[] = [];
  const sticky = new RegExp(RELATION.source, 'y');
  // Recover the operators in order: they sit between the pieces at top level.
  let from = 0;
  for (let k = 0; k < pieces.length - 1; k += 1) {
    const piece = pieces[k] ?? '';
    from = text.indexOf(piece, from) + piece.length;
    while (text[from] === ' ') from += 1;
    sticky.lastIndex = from;
    const op = sticky.exec(text)?.[0];
    if (op === undefined) return null;
    ops.push(op as RelationOp);
    from += op.length;
  }
  return { kind: 'relation', sides: pieces, ops };
}

/**
 * `a = b = c` keeps the first and last side: `x = 5+5+1 = 11` states x = 11. With `\approx`
 * in the chain, the last exact side before it is the answer (`x = \frac13 \approx 0.33`).
 */
function parseEquation(text: string): AnswerNode | null {
  const approx = splitTopLevel(text, /\\approx(?![a-zA-Z])/);
  const exact = approx.length > 1 ? (approx[0] ?? '') : text;
  // `5!=120` is a factorial; a real `!=` was spelled \neq during normalisation.
  const sides = splitTopLevel(exact, /(?<![<>\\])=(?!=)/);
  if (sides.length >= 2 && sides[0] !== '' && sides[sides.length - 1] !== '') {
    return { kind: 'equation', lhs: sides[0] ?? '', rhs: sides[sides.length - 1] ?? '' };
  }
  if (approx.length > 1 && sides.length === 1 && approx.every((p) => p !== '')) {
    return { kind: 'equation', lhs: approx[0] ?? '', rhs: approx[approx.length - 1] ?? '', approx: true };
  }
  return null;
}
