import { NAME, type AnswerNode, type RelationOp } from './answer-structure.ts';
import { constantValue, linearForm, RELATIVE_TOLERANCE } from './equivalent-scalars.ts';

/**
 * Subsets of the real line, so that `x \geq 3`, `3 \leq x`, `x \in [3, \infty)` and
 * `[3, +\infty)` are one answer, and `(-\infty, -1) \cup (4, \infty)` is
 * `x < -1 \text{ or } x > 4`. Endpoints must be constants; anything else is not a RealSet
 * and is compared structurally instead.
 */
interface Bound {
  value: number;
  closed: boolean;
}
interface Interval {
  lo: Bound;
  hi: Bound;
}
export interface RealSet {
  /** The variable the answer names (`x` in `x > 3`), or null for a bare interval. */
  variable: string | null;
  intervals: Interval[];
}

const ALL: Interval = { lo: { value: -Infinity, closed: false }, hi: { value: Infinity, closed: false } };

function isEmpty(i: Interval): boolean {
  return i.lo.value > i.hi.value || (i.lo.value === i.hi.value && !(i.lo.closed && i.hi.closed));
}

/** Sorted, disjoint, non-touching intervals: the one spelling of a set. */
function canonical(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => !isEmpty(i)).sort((a, b) => a.lo.value - b.lo.value || Number(b.lo.closed) - Number(a.lo.closed));
  const out: Interval[] = [];
  for (const next of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && (next.lo.value < last.hi.value || (next.lo.value === last.hi.value && (next.lo.closed || last.hi.closed)))) {
      if (next.hi.value > last.hi.value || (next.hi.value === last.hi.value && next.hi.closed)) last.hi = { ...next.hi };
    } else out.push({ lo: { ...next.lo }, hi: { ...next.hi } });
  }
  return out;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const lo = x.lo.value > y.lo.value ? x.lo : y.lo.value > x.lo.value ? y.lo : { value: x.lo.value, closed: x.lo.closed && y.lo.closed };
      const hi = x.hi.value < y.hi.value ? x.hi : y.hi.value < x.hi.value ? y.hi : { value: x.hi.value, closed: x.hi.closed && y.hi.closed };
      out.push({ lo, hi });
    }
  }
  return canonical(out);
}

/** The solutions of `v op c`. */
function solve(op: RelationOp, c: number): Interval[] {
  const point = (closed: boolean): Bound => ({ value: c, closed });
  const below: Bound = { value: -Infinity, closed: false };
  const above: Bound = { value: Infinity, closed: false };
  switch (op) {
    case '<':
      return [{ lo: below, hi: point(false) }];
    case '\\leq':
      return [{ lo: below, hi: point(true) }];
    case '>':
      return [{ lo: point(false), hi: above }];
    case '\\geq':
      return [{ lo: point(true), hi: above }];
    case '\\neq':
      return [{ lo: below, hi: point(false) }, { lo: point(false), hi: above }];
  }
}

const MIRROR: Record<RelationOp, RelationOp> = { '<': '>', '\\leq': '\\geq', '>': '<', '\\geq': '\\leq', '\\neq': '\\neq' };

/**
 * `c₁ op v op c₂` with one side a variable or linear in one variable (`2x - 1 \geq 5`,
 * `-x > -1`) and the others constants.
 */
/** `|2x - 1|`: the linear form inside bars, or null. */
function absoluteValue(side: string): ReturnType<typeof linearForm> {
  const m = /^\|([^|]+)\|$/.exec(side.trim());
  return m?.[1] === undefined ? null : linearForm(m[1]);
}

/** The solutions of `|slope·v + intercept| op c`, as sets of v. */
function solveAbsolute(op: RelationOp, c: number, slope: number, intercept: number): Interval[] {
  // |L| op c as sets of L, then v = (L − intercept) / slope, reversed when the slope is negative.
  const below: Bound = { value: -Infinity, closed: false };
  const above: Bound = { value: Infinity, closed: false };
  let forL: Interval[];
  if (op === '<' || op === '\\leq') forL = c < 0 || (c === 0 && op === '<') ? [] : [{ lo: { value: -c, closed: op === '\\leq' }, hi: { value: c, closed: op === '\\leq' } }];
  else if (op === '>' || op === '\\geq') forL = c < 0 || (c === 0 && op === '\\geq') ? [ALL] : [{ lo: below, hi: { value: -c, closed: op === '\\geq' } }, { lo: { value: c, closed: op === '\\geq' }, hi: above }];
  else forL = c < 0 ? [ALL] : [{ lo: below, hi: { value: -c, closed: false } }, { lo: { value: -c, closed: false }, hi: { value: c, closed: false } }, { lo: { value: c, closed: false }, hi: above }];
  const map = (b: Bound): Bound => ({ value: Number.isFinite(b.value) ? (b.value - intercept) / slope : slope > 0 ? b.value : -b.value, closed: b.closed });
  return canonical(forL.map((i) => (slope > 0 ? { lo: map(i.lo), hi: map(i.hi) } : { lo: map(i.hi), hi: map(i.lo) })));
}

/** `|x| < 3`, `|2x - 1| \geq 5`, `3 > |x|`: a relation between an absolute value and a constant. */
function absoluteRelationSet(sides: string[], ops: RelationOp[]): RealSet | null {
  if (sides.length !== 2 || ops.length !== 1) return null;
  const [left, right, op] = [sides[0] ?? '', sides[1] ?? '', ops[0]!];
  const [absLeft, absRight] = [absoluteValue(left), absoluteValue(right)];
  const form = absLeft ?? absRight;
  if (form === null || (absLeft !== null && absRight !== null)) return null;
  const c = constantValue(absLeft !== null ? right : left);
  if (c === null || !Number.isFinite(c)) return null;
  const relation = absLeft !== null ? op : MIRROR[op];
  return { variable: form.variable, intervals: solveAbsolute(relation, c, form.slope, form.intercept) };
}

function relationSet(sides: string[], ops: RelationOp[]): RealSet | null {
  if (sides.some((side) => side.includes('|'))) return absoluteRelationSet(sides, ops);
  type Side = { c: number } | { linear: ReturnType<typeof linearForm>; name: string | null };
  const forms = sides.map((side): Side => {
    const c = constantValue(side);
    return c !== null ? { c } : { linear: linearForm(side), name: NAME.test(side.trim()) ? side.trim() : null };
  });
  const unknown = forms.filter((f) => 'linear' in f);
  if (unknown.length !== 1) return null;
  const form = unknown[0];
  if (form === undefined || !('linear' in form) || form.linear === null) return null;
  const linear = form.linear;
  let intervals: Interval[] = [ALL];
  for (let k = 0; k < ops.length; k += 1) {
    const [left, right, op] = [forms[k], forms[k + 1], ops[k]];
    if (left === undefined || right === undefined || op === undefined) return null;
    // Written as `v op c`: mirror `c op v`, then divide by the slope (flipping if negative).
    let relation = 'c' in left ? MIRROR[op] : op;
    const c = 'c' in left ? left.c : 'c' in right ? right.c : null;
    if (c === null) return null;
    const { slope, intercept } = linear;
    if (slope < 0) relation = MIRROR[relation];
    intervals = intersect(intervals, solve(relation, (c - intercept) / slope));
  }
  return { variable: form.name ?? linear.variable, intervals };
}

function union(parts: RealSet[]): RealSet | null {
  const names = new Set(parts.map((p) => p.variable).filter((v) => v !== null));
  if (names.size > 1) return null;
  return { variable: [...names][0] ?? null, intervals: canonical(parts.flatMap((p) => p.intervals)) };
}

/** The RealSet an answer denotes, or null when it is not a set of reals with constant ends. */
export function toRealSet(node: AnswerNode): RealSet | null {
  switch (node.kind) {
    case 'relation':
      return relationSet(node.sides, node.ops);
    case 'member': {
      const set = toRealSet(node.set);
      return set === null ? null : { variable: node.name, intervals: set.intervals };
    }
    case 'tuple': {
      if (node.items.length !== 2 || node.items.some((i) => i.kind !== 'scalar')) return null;
      const [lo, hi] = node.items.map((i) => (i.kind === 'scalar' ? constantValue(i.text) : null));
      if (lo === null || hi === null || lo === undefined || hi === undefined || !(lo < hi)) return null;
      return { variable: null, intervals: [{ lo: { value: lo, closed: node.open === '[' }, hi: { value: hi, closed: node.close === ']' } }] };
    }
    case 'scalar': {
      const value = constantValue(node.text);
      return value === null || !Number.isFinite(value) ? null : { variable: null, intervals: [{ lo: { value, closed: true }, hi: { value, closed: true } }] };
    }
    case 'equation': {
      const value = constantValue(node.rhs);
      if (!NAME.test(node.lhs.trim()) || value === null) return null;
      return { variable: node.lhs.trim(), intervals: [{ lo: { value, closed: true }, hi: { value, closed: true } }] };
    }
    case 'set': {
      const parts = node.items.map(toRealSet);
      if (parts.some((p) => p === null)) return null;
      const sets = parts as RealSet[];
      if (node.and) {
        const joined = union(sets);
        return joined === null ? null : { ...joined, intervals: sets.reduce((acc, s) => intersect(acc, s.intervals), [ALL]) };
      }
      return union(sets);
    }
    case 'difference': {
      const [from, minus] = [toRealSet(node.from), toRealSet(node.minus)];
      if (from === null || minus === null) return null;
      const joined = union([from, minus]);
      return joined === null ? null : { ...joined, intervals: intersect(from.intervals, complement(minus.intervals)) };
    }
    case 'matrix':
      return null;
  }
}

/** The reals not in a canonical set of intervals. */
function complement(intervals: Interval[]): Interval[] {
  const out: Interval[] = [];
  let lo: Bound = { value: -Infinity, closed: false };
  for (const i of canonical(intervals)) {
    out.push({ lo, hi: { value: i.lo.value, closed: !i.lo.closed } });
    lo = { value: i.hi.value, closed: !i.hi.closed };
  }
  out.push({ lo, hi: { value: Infinity, closed: false } });
  return canonical(out);
}

/** Whether an answer is written as a relation or an interval, so comparing it as a set is meant. */
export function looksLikeRealSet(node: AnswerNode): boolean {
  if (node.kind === 'relation' || node.kind === 'member') return true;
  // `(1, 2)` may be a point; `[1, 2)`, `[1, 2]` and anything reaching ∞ are intervals.
  if (node.kind === 'tuple') return node.items.length === 2 && (node.open === '[' || node.close === ']' || node.items.some((i) => i.kind === 'scalar' && i.text.includes('\\infty')));
  if (node.kind === 'set') return node.items.some(looksLikeRealSet);
  return node.kind === 'difference';
}

function sameBound(a: Bound, b: Bound, digits: number | null): boolean {
  if (!Number.isFinite(a.value) || !Number.isFinite(b.value)) return a.value === b.value;
  const close = Math.abs(a.value - b.value) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a.value), Math.abs(b.value)) || a.value === b.value;
  // With `digits`, an end rounded to that place is the same end ([1/3, 2/3) ≡ [0.33, 0.67) at 2).
  const rounded = digits !== null && Math.abs(a.value - b.value) <= 0.5 * 10 ** -digits * (1 + 1e-9);
  return (close || rounded) && a.closed === b.closed;
}

export function sameRealSet(a: RealSet, b: RealSet, digits: number | null = null): boolean {
  return a.intervals.length === b.intervals.length && a.intervals.every((x, i) => {
    const y = b.intervals[i];
    return y !== undefined && sameBound(x.lo, y.lo, digits) && sameBound(x.hi, y.hi, digits);
  });
}

export function describeRealSet(set: RealSet): string {
  const end = (v: number): string => (v === Infinity ? '∞' : v === -Infinity ? '-∞' : String(Number(v.toPrecision(8))));
  const parts = set.intervals.map((i) => (i.lo.value === i.hi.value ? `{${end(i.lo.value)}}` : `${i.lo.closed ? '[' : '('}${end(i.lo.value)}, ${end(i.hi.value)}${i.hi.closed ? ']' : ')'}`));
  return parts.length === 0 ? '∅' : parts.join(' ∪ ');
}
