import { NAME, NAME_TUPLE, parseAnswer, splitTopLevel, type AnswerNode, type RelationOp } from './answer-structure.ts';
import { constantValue, equalByValue, equivalentScalars, isConstant, parseForComparison, proportional, type Comparison } from './equivalent-scalars.ts';
import { DEFAULT_MATH_OPTIONS, type MathJudgeOptions } from './judge-options.ts';
import { evaluateMatrixExpression, matrixEquals } from './matrix-arithmetic.ts';
import { describeRealSet, looksLikeRealSet, sameRealSet, toRealSet } from './real-sets.ts';
import { compareBaseNumerals, compareChoice, compareColonForms, optionText } from './written-forms.ts';

export interface CompareContext {
  options: MathJudgeOptions;
  /**
   * False inside tuples and sets: there a name tells items apart (`a = 2, b = 7` is not
   * `b = 2, a = 7`), so names may not be dropped or renamed.
   */
  top: boolean;
  /** The problem fixes an equation's coefficients (`A > 0`, gcd 1): a multiple is not the same answer. */
  exactCoefficients?: boolean;
}

/** Above this many elements sets compare by text only: pairing is quadratic in comparisons. */
const MAX_SET_FOR_PAIRING = 50;

const isName = (s: string): boolean => NAME.test(s.trim()) || NAME_TUPLE.test(s.trim());
const lenient = (ctx: CompareContext): boolean => ctx.options.mode === 'lenient';
const inner = (ctx: CompareContext): CompareContext => (ctx.top ? { ...ctx, top: false } : ctx);

function textOf(node: AnswerNode): string {
  return JSON.stringify(node).replace(/\s+/g, '');
}

function compareAll(a: AnswerNode[], b: AnswerNode[], ctx: CompareContext): boolean {
  return a.length === b.length && a.every((x, i) => { const y = b[i]; return y !== undefined && compareNodes(x, y, ctx).equal; });
}

/** Unordered match: every item of one pairs with a distinct equal item of the other. */
function compareUnordered(a: AnswerNode[], b: AnswerNode[], ctx: CompareContext): boolean {
  if (a.length !== b.length) return false;
  if (a.length > MAX_SET_FOR_PAIRING) {
    const key = (items: AnswerNode[]): string => items.map(textOf).sort().join('|');
    return key(a) === key(b);
  }
  const used = new Array<boolean>(b.length).fill(false);
  return a.every((x) => {
    const j = b.findIndex((y, k) => !used[k] && compareNodes(x, y, ctx).equal);
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

function compareScalars(gold: string, answer: string, ctx: CompareContext): Comparison {
  const digits = ctx.options.digits;
  const choice = compareChoice(gold, answer);
  if (choice !== null) return choice;
  const option = /^\(?[A-E]\)?$/.test(gold.trim()) ? null : optionText(answer);
  if (option !== null) {
    const r = compareScalars(gold, option.text, ctx);
    return { equal: r.equal, how: `${r.how} (the text of option ${option.letter})` };
  }
  const base = compareBaseNumerals(gold, answer);
  if (base !== null) return base;
  const colon = compareColonForms(gold, answer, lenient(ctx), (q, other) => equivalentScalars(q, other, digits).equal);
  if (colon !== null) return colon;
  return equivalentScalars(gold, answer, digits);
}

/** The (lhs − rhs) of an equation, parsed, for comparisons up to a constant factor. */
function difference(lhs: string, rhs: string): ReturnType<typeof parseForComparison> {
  return parseForComparison(`(${lhs})-(${rhs})`);
}

function compareEquations(g: { lhs: string; rhs: string }, a: { lhs: string; rhs: string }, ctx: CompareContext): Comparison {
  const same = (x: string, y: string): boolean => compareNodes(parseAnswer(x), parseAnswer(y), inner(ctx)).equal;
  if (same(g.lhs, a.lhs) && same(g.rhs, a.rhs)) return { equal: true, how: 'same equation' };
  if (same(g.lhs, a.rhs) && same(g.rhs, a.lhs)) return { equal: true, how: 'same equation, sides swapped' };
  const dg = difference(g.lhs, g.rhs);
  const da = difference(a.lhs, a.rhs);
  if (ctx.exactCoefficients === true) {
    // Rearranged is the same answer (`2x + y = 3` for `2x + y - 3 = 0`); scaled is not.
    const same = dg !== null && da !== null && (equalByValue(dg, da)?.equal === true || equalByValue(dg, ['Negate', da])?.equal === true);
    return same ? { equal: true, how: 'the same equation rearranged' } : { equal: false, how: 'different equations (the problem fixes the coefficients, so a multiple differs)' };
  }
  if (dg !== null && da !== null && proportional(dg, da, false)) return { equal: true, how: 'equivalent equations (one is a constant multiple of the other)' };
  return { equal: false, how: 'different equations' };
}

/** `a < b` as `b - a > 0`: sides reversed for `>`/`\geq` so that every chain reads upwards. */
function upward(node: { sides: string[]; ops: RelationOp[] }): { sides: string[]; ops: RelationOp[] } {
  if (!node.ops.every((op) => op === '>' || op === '\\geq')) return node;
  const flip: Record<string, RelationOp> = { '>': '<', '\\geq': '\\leq' };
  return { sides: [...node.sides].reverse(), ops: [...node.ops].reverse().map((op) => flip[op] ?? op) };
}

function compareRelations(g: { sides: string[]; ops: RelationOp[] }, a: { sides: string[]; ops: RelationOp[] }, ctx: CompareContext): Comparison {
  const [ug, ua] = [upward(g), upward(a)];
  if (ug.ops.join() !== ua.ops.join() || ug.sides.length !== ua.sides.length) return { equal: false, how: 'different relations' };
  if (ug.sides.every((s, i) => compareScalars(s, ua.sides[i] ?? '', inner(ctx)).equal)) return { equal: true, how: 'same relation' };
  if (ug.sides.length === 2) {
    // `-x > -1` is `x < 1`: the differences (larger − smaller) agree up to a positive factor.
    const dg = difference(ug.sides[1] ?? '', ug.sides[0] ?? '');
    const da = difference(ua.sides[1] ?? '', ua.sides[0] ?? '');
    const symmetric = ug.ops[0] === '\\neq';
    if (dg !== null && da !== null && proportional(dg, da, !symmetric)) return { equal: true, how: 'equivalent relations (a positive multiple)' };
  }
  return { equal: false, how: 'different relations' };
}

function namedEquations(node: AnswerNode): { lhs: string; rhs: string }[] | null {
  if (node.kind === 'equation' && NAME.test(node.lhs.trim())) return [node];
  if (node.kind === 'set' && node.items.length > 0 && node.items.every((i) => i.kind === 'equation' && NAME.test(i.lhs.trim()))) {
    return node.items as { lhs: string; rhs: string }[];
  }
  return null;
}

/** `(m, n) = (4, 1)` as `m = 4, n = 1`, so it meets either way of writing it. */
function spreadNamedTuple(node: AnswerNode): AnswerNode {
  if (node.kind !== 'equation' || !NAME_TUPLE.test(node.lhs.trim())) return node;
  const names = splitTopLevel(node.lhs.trim().slice(1, -1), ',');
  const values = parseAnswer(node.rhs);
  if (values.kind !== 'tuple' || values.items.length !== names.length) return node;
  const texts = splitTopLevel(node.rhs.trim().slice(1, -1), ',');
  return { kind: 'set', items: names.map((lhs, i) => ({ kind: 'equation', lhs, rhs: texts[i] ?? '' })) };
}

/** A list of named values against the same values unnamed, in the gold's order. */
function compareNamedValues(named: { lhs: string; rhs: string }[], values: AnswerNode, ctx: CompareContext): Comparison | null {
  const items = values.kind === 'tuple' || values.kind === 'set' ? values.items : [values];
  if (items.length !== named.length || items.some((i) => i.kind === 'equation')) return null;
  if (!lenient(ctx)) return { equal: false, how: `strict: the answer must name ${named.map((n) => n.lhs.trim()).join(', ')}` };
  const equal = named.every((n, i) => compareNodes(parseAnswer(n.rhs), items[i]!, inner(ctx)).equal);
  return { equal, how: equal ? `named values ${named.map((n) => n.lhs.trim()).join(', ')} in order` : 'named values differ' };
}

/** A tuple or set of constants, such as the `(-1, 6)` in `(\frac{-5+3}{2}, \frac{5+7}{2}) = (-1, 6)`. */
function isConstantNode(node: AnswerNode): boolean {
  if (node.kind === 'tuple' || node.kind === 'set') return node.items.length > 0 && node.items.every(isConstantNode);
  return node.kind === 'scalar' && isConstant(node.text);
}

/**
 * What an answer equation states, against a gold that is not an equation: the last side when
 * the first is a name or a constant (`k = \frac13`, `2+3 = 5`) or when the last is a constant
 * (`a+b+c = \frac65`, `|m-n| = 16-13 = 3`), but not `… = 0`, which is a condition to solve; the
 * first side when the last is a name (`36-19 = 17 = x`); either side of an identity
 * (`ab+5b+2a+10 = (a+5)(b+2)`) or of an approximation (`\frac{70}{9} \approx 7.78`); and when
 * lenient, the last side of any other chain, as reference verifiers read it.
 */
function statedValue(node: AnswerNode, ctx: CompareContext): AnswerNode[] | null {
  if (node.kind !== 'equation') return null;
  const [lhs, rhs] = [node.lhs.trim(), node.rhs.trim()];
  if (isName(lhs)) return [parseAnswer(rhs)];
  const lhsConstant = isConstant(lhs);
  if (lhsConstant) return node.approx ? [parseAnswer(rhs), parseAnswer(lhs)] : [parseAnswer(rhs)];
  if (isName(rhs)) return null;
  if (isConstant(rhs)) return constantValue(rhs) === 0 ? null : [parseAnswer(rhs)];
  const [left, right] = [parseAnswer(lhs), parseAnswer(rhs)];
  if (isConstantNode(right) || compareNodes(left, right, { options: DEFAULT_MATH_OPTIONS, top: false }).equal) return [right];
  // Lenient: `MRS = \frac{4/S}{6/C} = \frac{2}{3}\frac{C}{S}` concludes with its last side.
  return lenient(ctx) ? [right] : null;
}

function compareRealSets(g: AnswerNode, a: AnswerNode, ctx: CompareContext): Comparison | null {
  if (!looksLikeRealSet(g) && !looksLikeRealSet(a)) return null;
  // Two intervals compare bracket by bracket, which says more ("brackets differ") than sets would.
  if (g.kind === 'tuple' && a.kind === 'tuple') return null;
  const sg = toRealSet(g);
  const sa = toRealSet(a);
  if (sg === null || sa === null) return null;
  if (sg.variable !== null && sa.variable !== null && sa.variable !== sg.variable) {
    return { equal: false, how: `stated for ${sa.variable}, not ${sg.variable}` };
  }
  if (!lenient(ctx) && sg.variable !== null && sa.variable === null) {
    return { equal: false, how: `strict: the answer must be stated for ${sg.variable}` };
  }
  const equal = sameRealSet(sg, sa, ctx.options.digits);
  return { equal, how: equal ? `same set of reals ${describeRealSet(sg)}` : `different sets of reals ${describeRealSet(sg)} vs ${describeRealSet(sa)}` };
}

/** Structural comparison of gold `g` and answer `a`: brackets and order matter for tuples and intervals, not for sets. */
export function compareNodes(g: AnswerNode, a: AnswerNode, ctx: CompareContext): Comparison {
  const real = compareRealSets(g, a, ctx);
  if (real !== null) return real;
  if (g.kind === 'scalar' && a.kind === 'scalar') return compareScalars(g.text, a.text, ctx);
  if (g.kind === 'relation' && a.kind === 'relation') return compareRelations(g, a, ctx);
  const [sg, sa] = [spreadNamedTuple(g), spreadNamedTuple(a)];
  if (sg !== g || sa !== a) return compareNodes(sg, sa, ctx);
  if (g.kind === 'equation' && a.kind === 'equation') return compareEquations(g, a, ctx);
  const [namedG, namedA] = [namedEquations(g), namedEquations(a)];
  if (namedG !== null && namedA === null && a.kind !== 'equation') {
    // Distinct names are positions (a = 2, b = 7); one name repeated is a solution set.
    if (g.kind === 'set' && new Set(namedG.map((n) => n.lhs.trim())).size === namedG.length) {
      const values = compareNamedValues(namedG, a, ctx);
      if (values !== null) return values;
    } else if (g.kind === 'equation') {
      if (!lenient(ctx)) return { equal: false, how: `strict: the answer must name ${g.lhs.trim()}` };
      const r = compareNodes(parseAnswer(g.rhs), a, ctx);
      return { equal: r.equal, how: `${r.how} (gold ${g.lhs.trim()} = …, answer unnamed)` };
    }
  }
  if (namedA !== null && a.kind === 'set' && g.kind === 'tuple') {
    // The gold is unnamed, so naming its entries is allowed in both modes.
    const values = compareNamedValues(namedA, g, { ...ctx, options: { ...ctx.options, mode: 'lenient' } });
    if (values !== null) return values;
  }
  const stated = g.kind === 'equation' ? null : statedValue(a, ctx);
  if (stated !== null && a.kind === 'equation') {
    for (const value of stated) {
      const r = compareNodes(g, value, ctx);
      if (r.equal) return { equal: true, how: `${r.how} (the answer states ${a.lhs.trim()} = …)` };
    }
    return { equal: false, how: 'the stated value differs' };
  }
  if (g.kind === 'member' && a.kind === 'member') {
    if (g.name !== a.name) return { equal: false, how: `stated for ${a.name}, not ${g.name}` };
    return compareNodes(g.set, a.set, ctx);
  }
  if (g.kind === 'member') return lenient(ctx) ? compareNodes(g.set, a, ctx) : { equal: false, how: `strict: the answer must say ${g.name} \\in …` };
  if (a.kind === 'member') return compareNodes(g, a.set, ctx);
  if (g.kind === 'tuple' && a.kind === 'tuple') {
    if (g.open !== a.open || g.close !== a.close) return { equal: false, how: `brackets differ: ${g.open}…${g.close} vs ${a.open}…${a.close}` };
    const equal = compareAll(g.items, a.items, inner(ctx));
    return { equal, how: equal ? 'equal element by element' : 'elements differ' };
  }
  const list = tupleAsList(g, a, ctx);
  if (list !== null) return list;
  if (g.kind === 'set' && a.kind === 'set') {
    const equal = compareUnordered(g.items, a.items, inner(ctx));
    return { equal, how: equal ? 'same elements' : 'elements differ' };
  }
  if (g.kind === 'matrix' && a.kind === 'matrix') {
    const equal = g.rows.length === a.rows.length && g.rows.every((row, i) => compareAll(row, a.rows[i] ?? [], inner(ctx)));
    return { equal, how: equal ? 'equal entry by entry' : 'entries differ' };
  }
  if (g.kind === 'matrix' && a.kind === 'scalar' && a.text.includes('\\begin{')) {
    // `\begin{pmatrix}…\end{pmatrix} + \begin{pmatrix}…\end{pmatrix}`: the matrix it computes.
    const value = evaluateMatrixExpression(a.text);
    if (value !== null) {
      const equal = matrixEquals(g, value);
      return { equal, how: equal ? 'equal to the matrix the answer computes' : 'the matrix the answer computes differs' };
    }
  }
  const vector = compareVectorForms(g, a, ctx);
  if (vector !== null) return vector;
  if (g.kind === 'set' && g.items.length === 1 && g.items[0]) return compareNodes(g.items[0], a, ctx);
  if (a.kind === 'set' && a.items.length === 1 && a.items[0]) return compareNodes(g, a.items[0], ctx);
  return { equal: false, how: `different shapes (${g.kind} vs ${a.kind})` };
}

/** A one-column or one-row matrix against a tuple `(1, 2, 3)`: the same vector (lenient). */
function compareVectorForms(g: AnswerNode, a: AnswerNode, ctx: CompareContext): Comparison | null {
  const entries = (n: AnswerNode): AnswerNode[] | null => {
    if (n.kind === 'tuple' && n.open === '(' && n.close === ')') return n.items;
    if (n.kind !== 'matrix') return null;
    if (n.rows.every((r) => r.length === 1)) return n.rows.map((r) => r[0]!);
    return n.rows.length === 1 ? n.rows[0]! : null;
  };
  if (!((g.kind === 'matrix') !== (a.kind === 'matrix'))) return null;
  const [eg, ea] = [entries(g), entries(a)];
  if (eg === null || ea === null) return null;
  if (!lenient(ctx)) return { equal: false, how: 'strict: a matrix against a tuple' };
  const equal = compareAll(eg, ea, inner(ctx));
  return { equal, how: equal ? 'same vector (matrix against tuple)' : 'vector entries differ' };
}

/**
 * A tuple gold `(1, -16, -4, 43)` answered as a bare list `1, -16, -4, 43` (or the reverse):
 * the same values in the same order (lenient); brackets a list does not have cannot differ.
 */
function tupleAsList(g: AnswerNode, a: AnswerNode, ctx: CompareContext): Comparison | null {
  const [tuple, list] = g.kind === 'tuple' && a.kind === 'set' ? [g, a] : a.kind === 'tuple' && g.kind === 'set' ? [a, g] : [null, null];
  if (tuple === null || list === null || list.bare !== true || tuple.open !== '(' || tuple.close !== ')') return null;
  if (tuple.items.length !== list.items.length) return null;
  if (!lenient(ctx)) return { equal: false, how: 'strict: a tuple must be written in brackets' };
  const equal = g.kind === 'tuple' ? compareAll(g.items, list.items, inner(ctx)) : compareAll(list.items, tuple.items, inner(ctx));
  return { equal, how: equal ? 'the same values in order (a list for a tuple)' : 'values differ in order' };
}
