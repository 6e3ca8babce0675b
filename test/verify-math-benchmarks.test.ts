import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkProblem } from '../src/core/datasets/benchmark-problem.ts';
import { findPreset } from '../src/core/datasets/presets.ts';
import { equivalentAnswers, judgeMath } from '../src/core/verify/math/judge-math.ts';
import { loadDataset } from '../src/node/datasets/import-dataset.ts';
import { benchmarkFile, missingBenchmarks } from './support/benchmark-files.ts';

// The paper's six math sets: MATH500 and GSM8K are part of the repository; AIME24, AMC23,
// Minerva and OlympiadBench are fetched into the cache (`passk datasets fetch NAME`).
const SETS = ['math500', 'minerva', 'gsm8k', 'aime24', 'amc23', 'olympiadbench'] as const;
type SetName = (typeof SETS)[number];
const files = new Map(SETS.map((name) => [name, benchmarkFile(name)]));
const missing = SETS.filter((name) => files.get(name) === null);
const has = (...names: SetName[]) => names.every((name) => files.get(name) !== null);
if (missing.length > 0) console.warn(missingBenchmarks('the math verifier on those benchmarks', missing));

const loaded = new Map<string, BenchmarkProblem[]>();

async function load(name: SetName): Promise<BenchmarkProblem[]> {
  const preset = findPreset(name);
  if (!preset) throw new Error(`no preset ${name}`);
  const result = await loadDataset(files.get(name) ?? '', preset);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** Judges every reference solution against its own gold answer; returns the failures. */
function selfCheck(problems: BenchmarkProblem[], response: (p: BenchmarkProblem) => string): string[] {
  return problems
    .map((p) => ({ p, v: judgeMath(p.answer ?? '', response(p), undefined, p.problem) }))
    .filter(({ v }) => !v.correct)
    .map(({ p, v }) => `${p.id}: gold ${p.answer} extracted ${v.extracted} (${v.reason})`);
}

describe('math verifier on the paper benchmarks', () => {
  beforeAll(async () => {
    for (const name of SETS) if (has(name)) loaded.set(name, await load(name));
  });
  const get = (name: SetName): BenchmarkProblem[] => loaded.get(name) ?? [];
  const solution = (p: BenchmarkProblem): string => p.solution ?? '';

  it.skipIf(!has('math500'))('MATH500: 500/500 solutions match their answer', () => {
    expect(get('math500')).toHaveLength(500);
    expect(selfCheck(get('math500'), solution)).toEqual([]);
  });
  it.skipIf(!has('minerva'))('Minerva: 272/272 solutions match the boxed answer extracted as gold', () => {
    expect(get('minerva')).toHaveLength(272);
    expect(selfCheck(get('minerva'), solution)).toEqual([]);
  });
  it.skipIf(!has('gsm8k'))('GSM8K: 1319/1319 full answers match the number after ####', () => {
    expect(get('gsm8k')).toHaveLength(1319);
    expect(selfCheck(get('gsm8k'), solution)).toEqual([]);
  });
  it.skipIf(!has('aime24'))('AIME24: 30/30 solutions match their (zero-padded) answers', () => {
    expect(get('aime24')).toHaveLength(30);
    expect(selfCheck(get('aime24'), solution)).toEqual([]);
  });
  it.skipIf(!has('amc23'))('AMC23: 40/40 float answers match the integer written in \\boxed{}', () => {
    const problems = get('amc23');
    expect(problems).toHaveLength(40);
    expect(selfCheck(problems, (p) => `So the answer is $\\boxed{${Number(p.answer)}}$.`)).toEqual([]);
    expect(problems[0]?.answer).toBe('27');
  });
  it.skipIf(!has('olympiadbench'))('OlympiadBench: 675/675 final_answer lists parse and match themselves boxed', () => {
    const problems = get('olympiadbench');
    expect(problems).toHaveLength(675);
    expect(selfCheck(problems, (p) => `Thus the answer is $\\boxed{${p.answer}}$.`)).toEqual([]);
  });

  it.skipIf(!has(...SETS))('against the next problem\'s different gold answer, ≥ 99.5% are judged incorrect', () => {
    const report: string[] = [];
    let pairs = 0;
    let accepted = 0;
    for (const name of SETS) {
      const problems = get(name);
      const response = (p: BenchmarkProblem): string =>
        name === 'amc23' || name === 'olympiadbench' ? `\\boxed{${p.answer}}` : solution(p);
      problems.forEach((p, i) => {
        const other = problems[(i + 1) % problems.length];
        if (other?.answer == null || p.answer == null) return;
        // Consecutive problems sometimes share a gold answer; those pairs are not "another answer".
        if (other.answer.replace(/\s+/g, '') === p.answer.replace(/\s+/g, '')) return;
        pairs += 1;
        const v = judgeMath(other.answer, response(p));
        if (v.correct) {
          accepted += 1;
          report.push(`${name} ${p.id}: gold ${other.answer} accepted ${v.extracted} (${v.reason})`);
        }
      });
    }
    console.info(`shifted answers: ${pairs - accepted}/${pairs} judged incorrect; accepted: ${report.join(' | ') || 'none'}`);
    expect((pairs - accepted) / pairs).toBeGreaterThanOrEqual(0.995);
  });

  it.skipIf(!has('math500', 'minerva', 'olympiadbench'))('near misses of every MATH500, Minerva and OlympiadBench gold answer are rejected (≥ 99.5%)', () => {
    const golds = new Set<string>();
    for (const name of ['math500', 'minerva', 'olympiadbench'] as const) for (const p of get(name)) if (p.answer) golds.add(p.answer);
    const swaps: [string, string][] = [['+', '-'], ['x', 'y'], ['\\pi', '2\\pi'], ['\\sqrt', '\\sqrt[3]']];
    let tried = 0;
    const accepted: string[] = [];
    const check = (gold: string, near: string): void => {
      tried += 1;
      const r = equivalentAnswers(gold, near);
      if (r.equal) accepted.push(`${gold} ~ ${near} (${r.how})`);
    };
    for (const gold of golds) {
      // Each digit in turn plus one, and a few one-token edits.
      for (const m of gold.matchAll(/\d/g)) {
        check(gold, gold.slice(0, m.index) + String((Number(m[0]) + 1) % 10) + gold.slice(m.index + 1));
      }
      for (const [from, to] of swaps) {
        const at = gold.indexOf(from);
        if (at >= 0) check(gold, gold.slice(0, at) + to + gold.slice(at + from.length));
      }
    }
    console.info(`near misses: ${tried - accepted.length}/${tried} rejected; accepted: ${accepted.join(' | ')}`);
    expect(tried).toBeGreaterThan(3000);
    expect((tried - accepted.length) / tried).toBeGreaterThanOrEqual(0.995);
  });
});
