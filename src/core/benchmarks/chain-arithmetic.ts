import { mulberry32 } from './mulberry32.ts';

/**
 * Chain arithmetic: start from a number and apply a chain of +, -, * operations, writing
 * one line per step. Level L has L + 1 operations, so errors compound with the level.
 * Intermediate values stay within [0, MAX_VALUE]. tools/modelzoo/task.py is a bit-for-bit
 * Python twin; change both together.
 */
export const CHAIN_ARITHMETIC_NAME = 'chain-arithmetic';
export const TEST_SPLIT_SEED = 20250418;
export const LEVELS = [1, 2, 3, 4, 5] as const;
export const MAX_VALUE = 199;

export type Op = '+' | '-' | '*';

export interface Step {
  op: Op;
  operand: number;
  before: number;
  after: number;
}

export interface ChainProblem {
  id: string;
  problem: string;
  answer: string;
  level: number;
  solution: string;
}

const OP_WORDS: Record<Op, string> = { '+': 'add', '-': 'subtract', '*': 'multiply by' };

function randInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function apply(op: Op, a: number, b: number): number {
  return op === '+' ? a + b : op === '-' ? a - b : a * b;
}

function drawStep(rand: () => number, level: number, value: number): Step {
  const maxAddend = level <= 2 ? 9 : 19;
  // Rejection keeps every intermediate value inside [0, MAX_VALUE]; '+' 2 or '-' 2 always
  // fits one of the two directions, so the loop ends.
  for (;;) {
    const r = rand();
    const op: Op = r < 0.4 ? '+' : r < 0.75 ? '-' : '*';
    const operand = op === '*' ? randInt(rand, 2, 5) : randInt(rand, 2, maxAddend);
    const after = apply(op, value, operand);
    if (after >= 0 && after <= MAX_VALUE) return { op, operand, before: value, after };
  }
}

export function drawSteps(rand: () => number, level: number): { start: number; steps: Step[] } {
  const start = randInt(rand, 2, 20);
  const steps: Step[] = [];
  let value = start;
  for (let i = 0; i <= level; i++) {
    const step = drawStep(rand, level, value);
    steps.push(step);
    value = step.after;
  }
  return { start, steps };
}

export function problemText(start: number, steps: readonly Step[]): string {
  const parts = steps.map((s) => `${OP_WORDS[s.op]} ${s.operand}`);
  return `Start with ${start}, ${parts.join(', ')}. What is the result?`;
}

export function solutionText(steps: readonly Step[]): string {
  const lines = steps.map((s) => `${s.before}${s.op}${s.operand}=${s.after}`);
  return `${lines.join('\n')}\n\\boxed{${steps[steps.length - 1]!.after}}`;
}

/** One problem from its own seed, so any problem can be rebuilt alone. */
export function generateChainProblem(seed: number, level: number, id: string): ChainProblem {
  if (!Number.isInteger(level) || level < 1 || level > 9) throw new RangeError(`level must be an integer in 1..9, got ${level}`);
  const rand = mulberry32(seed);
  const { start, steps } = drawSteps(rand, level);
  return {
    id,
    problem: problemText(start, steps),
    answer: String(steps[steps.length - 1]!.after),
    level,
    solution: solutionText(steps),
  };
}

/**
 * A split of perLevel problems per level. Problem i of level L uses seed
 * splitSeed + 1000 * L + i; training seeds in tools/modelzoo start at 10^9, far from here.
 * Duplicated problem texts are skipped so the split has no repeats.
 */
export function generateChainSplit(splitSeed: number, perLevel: number): ChainProblem[] {
  const out: ChainProblem[] = [];
  const seen = new Set<string>();
  for (const level of LEVELS) {
    let made = 0;
    for (let i = 0; made < perLevel; i++) {
      if (i >= 1000) throw new Error(`level ${level}: fewer than ${perLevel} distinct problems in 1000 seeds`);
      const id = `${CHAIN_ARITHMETIC_NAME}-${level}-${String(made).padStart(3, '0')}`;
      const p = generateChainProblem(splitSeed + 1000 * level + i, level, id);
      if (seen.has(p.problem)) continue;
      seen.add(p.problem);
      out.push(p);
      made++;
    }
  }
  return out;
}

export function toJsonl(problems: readonly ChainProblem[]): string {
  return problems
    .map((p) => JSON.stringify({ id: p.id, problem: p.problem, answer: p.answer, level: p.level, solution: p.solution }))
    .map((line) => `${line}\n`)
    .join('');
}

export const TEST_SPLIT_PER_LEVEL = 50;
export const TEST_SPLIT_FILE = `resources/benchmarks/${CHAIN_ARITHMETIC_NAME}-test.jsonl`;

export function generateTestSplit(): ChainProblem[] {
  return generateChainSplit(TEST_SPLIT_SEED, TEST_SPLIT_PER_LEVEL);
}
