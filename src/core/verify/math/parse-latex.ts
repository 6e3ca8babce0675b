import { ComputeEngine } from '@cortex-js/compute-engine';
import type { MathJson } from './evaluate-math-json.ts';
import { parseMath } from './parse-math.ts';

/**
 * Longer strings are not handed to the CAS: parsing is synchronous and cannot be interrupted,
 * so its cost is bounded by bounding its input. Final answers are short; 400 characters covers
 * every gold answer in the paper's benchmarks.
 */
export const MAX_CAS_INPUT = 400;
const CACHE_LIMIT = 20_000;

let engine: ComputeEngine | null = null;
const cache = new Map<string, MathJson | null>();

/** An Error node, or a NaN where compute-engine gave up on part of the input (e.g. `ω i / 4`). */
function hasError(expr: unknown): boolean {
  if (expr === 'NaN') return true;
  if (typeof expr === 'object' && expr !== null && 'num' in expr) return (expr as { num: string }).num === 'NaN';
  if (Array.isArray(expr)) return expr[0] === 'Error' || expr.some(hasError);
  if (typeof expr === 'object' && expr !== null && 'fn' in expr) return hasError((expr as { fn: unknown }).fn);
  return false;
}

/**
 * LaTeX → MathJSON, or null when it does not parse. The project's own reader (parseMath)
 * comes first; only what it does not know (derivatives, `\hbar`, sums) goes to
 * @cortex-js/compute-engine, which costs about a millisecond per answer.
 */
export function parseLatex(latex: string): MathJson | null {
  if (latex.length > MAX_CAS_INPUT) return null;
  const hit = cache.get(latex);
  if (hit !== undefined || cache.has(latex)) return hit ?? null;
  const own = parseMath(latex);
  const result = own.ok ? own.value : own.why === 'unsupported' ? parseWithEngine(latex) : null;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(latex, result);
  return result;
}

/**
 * Canonical MathJSON through compute-engine. Each parse runs in its own scope so that symbols
 * one answer declares (`f(x)` as a function) cannot change how a later answer parses:
 * verdicts must not depend on order.
 */
function parseWithEngine(latex: string): MathJson | null {
  engine ??= new ComputeEngine();
  let result: MathJson | null = null;
  engine.pushScope();
  // compute-engine 0.26 prints type-system complaints (e.g. for `\exp{a*t}`) to the console;
  // parsing is synchronous, so silencing it for this call cannot hide anyone else's output.
  const saved = { log: console.log, warn: console.warn, error: console.error };
  console.log = console.warn = console.error = () => undefined;
  try {
    const json = engine.parse(latex).json as MathJson;
    result = hasError(json) ? null : json;
  } catch {
    result = null;
  } finally {
    Object.assign(console, saved);
    engine.popScope();
  }
  return result;
}
