import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LEVELS,
  MAX_VALUE,
  TEST_SPLIT_FILE,
  generateChainProblem,
  generateChainSplit,
  generateTestSplit,
  toJsonl,
} from './chain-arithmetic.ts';
import { mulberry32 } from './mulberry32.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

function evaluate(problem: string): number {
  const m = /^Start with (\d+), (.*)\. What is the result\?$/.exec(problem);
  if (!m) throw new Error(`unexpected problem text: ${problem}`);
  let value = Number(m[1]);
  for (const part of m[2]!.split(', ')) {
    const [, word, n] = /^(add|subtract|multiply by) (\d+)$/.exec(part)!;
    value = word === 'add' ? value + Number(n) : word === 'subtract' ? value - Number(n) : value * Number(n);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(MAX_VALUE);
  }
  return value;
}

describe('mulberry32', () => {
  it('matches the reference sequence the Python twin also checks', () => {
    const rand = mulberry32(42);
    const first = [rand(), rand(), rand()].map((x) => Math.floor(x * 4294967296));
    expect(first).toEqual([2581720956, 1925393290, 3661312704]);
  });
});

describe('chain arithmetic', () => {
  it('is deterministic by seed and different across seeds', () => {
    expect(generateChainProblem(7, 3, 'a')).toEqual(generateChainProblem(7, 3, 'a'));
    expect(generateChainProblem(7, 3, 'a').problem).not.toBe(generateChainProblem(8, 3, 'a').problem);
  });

  it('gives level L a chain of L + 1 steps whose last value is the boxed answer', () => {
    for (const level of LEVELS) {
      for (let seed = 0; seed < 50; seed++) {
        const p = generateChainProblem(seed, level, 'x');
        const lines = p.solution.split('\n');
        expect(lines).toHaveLength(level + 2);
        expect(lines.at(-1)).toBe(`\\boxed{${p.answer}}`);
        expect(String(evaluate(p.problem))).toBe(p.answer);
      }
    }
  });

  it('rejects a level outside 1..9', () => {
    expect(() => generateChainProblem(1, 0, 'x')).toThrow(/level/);
  });

  it('builds a split without repeated problems', () => {
    const split = generateChainSplit(99, 20);
    expect(split).toHaveLength(20 * LEVELS.length);
    expect(new Set(split.map((p) => p.problem)).size).toBe(split.length);
    expect(new Set(split.map((p) => p.id)).size).toBe(split.length);
  });

  it('regenerates the shipped test split byte for byte', () => {
    const shipped = readFileSync(path.join(repoRoot, TEST_SPLIT_FILE), 'utf8');
    const split = generateTestSplit();
    expect(split.length).toBeGreaterThanOrEqual(200);
    expect(toJsonl(split)).toBe(shipped);
  });
});
