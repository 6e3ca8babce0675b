import { parseAnswer, splitTopLevel } from './answer-structure.ts';
import { constantValue } from './equivalent-scalars.ts';

/** A matrix of numbers, row by row. */
export type NumericMatrix = number[][];

const ENVIRONMENT = /\\begin\{([pbvBV]?matrix)\}([\s\S]*?)\\end\{\1\}/g;
const TOKEN = /\s*(M\d+|\d+(?:\.\d+)?|\+|-|\\cdot|\\times)/y;

function entries(body: string): NumericMatrix | null {
  const rows = splitTopLevel(body, '\\\\').filter((r) => r !== '');
  const matrix = rows.map((r) => splitTopLevel(r, '&').map((cell) => constantValue(cell)));
  if (matrix.length === 0 || matrix.some((r) => r.length !== matrix[0]!.length || r.some((v) => v === null || !Number.isFinite(v)))) return null;
  return matrix as NumericMatrix;
}

type Value = { kind: 'matrix'; m: NumericMatrix } | { kind: 'number'; n: number };

function combine(a: Value, b: Value, op: '+' | '-' | '*'): Value | null {
  if (op === '*') {
    if (a.kind === 'number' && b.kind === 'number') return { kind: 'number', n: a.n * b.n };
    if (a.kind === 'number' && b.kind === 'matrix') return { kind: 'matrix', m: b.m.map((r) => r.map((v) => a.n * v)) };
    if (a.kind === 'matrix' && b.kind === 'number') return { kind: 'matrix', m: a.m.map((r) => r.map((v) => v * b.n)) };
    if (a.kind === 'matrix' && b.kind === 'matrix') {
      const [x, y] = [a.m, b.m];
      if (x[0]!.length !== y.length) return null;
      return { kind: 'matrix', m: x.map((row) => y[0]!.map((_, j) => row.reduce((sum, v, k) => sum + v * y[k]![j]!, 0))) };
    }
  }
  if (a.kind !== 'matrix' || b.kind !== 'matrix') return null;
  if (a.m.length !== b.m.length || a.m[0]!.length !== b.m[0]!.length) return null;
  const sign = op === '+' ? 1 : -1;
  return { kind: 'matrix', m: a.m.map((r, i) => r.map((v, j) => v + sign * b.m[i]![j]!)) };
}

/**
 * The value of sums, differences and products of numeric matrices (`\begin{pmatrix}1&2\\3&4
 * \end{pmatrix} + \begin{pmatrix}…\end{pmatrix}`, `2\begin{bmatrix}…\end{bmatrix}`), or null
 * when the text is anything else. Products bind tighter than sums; no parentheses.
 */
export function evaluateMatrixExpression(text: string): NumericMatrix | null {
  const matrices: NumericMatrix[] = [];
  let ok = true;
  const skeleton = text.replace(ENVIRONMENT, (_whole, _env: string, body: string) => {
    const m = entries(body);
    if (m === null) ok = false;
    else matrices.push(m);
    return ` M${matrices.length - 1} `;
  });
  if (!ok || matrices.length < 2 && !/\d\s*M0|M0\s*\\(?:cdot|times)/.test(skeleton)) return null;
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < skeleton.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(skeleton);
    if (m === null) return /^\s*$/.test(skeleton.slice(start)) ? finish() : null;
    tokens.push(m[1]!);
  }
  return finish();

  function finish(): NumericMatrix | null {
    let at = 0;
    const factor = (): Value | null => {
      const t = tokens[at++];
      if (t === undefined) return null;
      if (t.startsWith('M')) return { kind: 'matrix', m: matrices[Number(t.slice(1))]! };
      if (t === '-') {
        const v = factor();
        return v === null ? null : combine({ kind: 'number', n: -1 }, v, '*');
      }
      return /^\d/.test(t) ? { kind: 'number', n: Number(t) } : null;
    };
    const term = (): Value | null => {
      let v = factor();
      while (v !== null && at < tokens.length && tokens[at] !== '+' && tokens[at] !== '-') {
        if (tokens[at] === '\\cdot' || tokens[at] === '\\times') at += 1;
        const next = factor();
        v = next === null ? null : combine(v, next, '*');
      }
      return v;
    };
    let value = term();
    while (value !== null && at < tokens.length) {
      const op = tokens[at++] as '+' | '-';
      const next = term();
      value = next === null ? null : combine(value, next, op);
    }
    return value !== null && value.kind === 'matrix' ? value.m : null;
  }
}

/** Whether a parsed matrix answer equals a numeric matrix, entry by entry within 1e-9 relative. */
export function matrixEquals(node: ReturnType<typeof parseAnswer>, value: NumericMatrix): boolean {
  if (node.kind !== 'matrix' || node.rows.length !== value.length) return false;
  return node.rows.every((row, i) => row.length === value[i]!.length && row.every((cell, j) => {
    const v = cell.kind === 'scalar' ? constantValue(cell.text) : null;
    const w = value[i]![j]!;
    return v !== null && Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(v), Math.abs(w));
  }));
}
