import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'passk-verify-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const passk = (...args: string[]) => spawnSync(process.execPath, ['bin/passk.js', ...args], { encoding: 'utf8' });
const write = (name: string, lines: unknown[]): string => {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
};
const verdicts = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as { correct: boolean; extracted: string | null; reason: string });

describe('passk verify --kind math: --mode, --benchmark, --no-fallback (separate process)', () => {
  const input = write('math.jsonl', [
    { gold: 'x = 3', response: 'So \\boxed{3}.' },
    { gold: '18', response: 'She makes 9 * 2 = $18 every day.' },
    { gold: '12', response: 'Apples cost $2$ each and she buys 6 of them, so 12.' },
  ]);

  it('defaults: lenient, LaTeX first, fallback credited but counted on stderr', () => {
    const r = passk('verify', '--kind', 'math', '--input', input);
    expect(r.status).toBe(0);
    const v = verdicts(r.stdout);
    expect(v.map((x) => x.correct)).toEqual([true, true, false]);
    expect(v[1]?.reason).toContain('fallback: last number');
    expect(Object.keys(v[1] ?? {})).toEqual(['correct', 'extracted', 'reason']);
    expect(r.stderr).toMatch(/; 1 from the last-number fallback, 1 of them correct\n$/);
  });

  it('--mode strict, --benchmark gsm8k and --no-fallback change the verdicts', () => {
    const r = passk('verify', '--kind', 'math', '--input', input, '--mode', 'strict', '--benchmark', 'gsm8k', '--no-fallback', '--json');
    expect(r.status).toBe(0);
    const v = verdicts(r.stdout);
    expect(v.map((x) => x.correct)).toEqual([false, false, false]);
    expect(v[0]?.reason).toContain('strict');
    expect(v[2]?.extracted).toBe('12');
    expect(v[2]?.reason).toContain('not credited');
    expect(JSON.parse(r.stderr)).toMatchObject({ summary: { total: 3, correct: 0, fallback: { verdicts: 2, correct: 0 } } });
  });

  it('reads an optional "problem" whose form demands are part of the answer, and refuses a non-text one', () => {
    const asked = write('problem.jsonl', [
      { gold: '\\frac{1}{4}', response: 'So $\\boxed{0.25}$.', problem: 'Express your answer as a common fraction.' },
      { gold: '\\frac{1}{4}', response: 'So $\\boxed{0.25}$.' },
      { gold: '7', response: 'So $\\boxed{7}$.<|im_end|><|im_start|>user\nAnd 8?<|im_end|><|im_start|>assistant\n$\\boxed{8}$' },
    ]);
    const r = passk('verify', '--kind', 'math', '--input', asked);
    expect(r.status).toBe(0);
    const v = verdicts(r.stdout);
    expect(v.map((x) => x.correct)).toEqual([false, true, true]);
    expect(v[0]?.reason).toContain('the problem asks for a fraction');
    expect(v[2]?.reason).toContain('run-on');
    const bad = passk('verify', '--kind', 'math', '--input', write('bad-problem.jsonl', [{ gold: '1', response: '1', problem: 5 }]));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('bad-problem.jsonl:1: field "problem"');
  });

  it('refuses unknown modes and benchmarks with exit code 2', () => {
    expect(passk('verify', '--kind', 'math', '--input', input, '--mode', 'loose').status).toBe(2);
    const r = passk('verify', '--kind', 'math', '--input', input, '--benchmark', 'mmlu');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--benchmark must be one of gsm8k');
  });
});

describe('passk stats --no-fallback (separate process)', () => {
  const input = write('verdicts.jsonl', [
    { model: 'base', role: 'base', problem: 'p1', correct: true, reason: 'equivalent: same integer (fallback: last number in the text)' },
    { model: 'base', problem: 'p1', correct: false },
    { model: 'rl', role: 'rl', problem: 'p1', correct: true, fallback: true },
    { model: 'rl', problem: 'p1', correct: true },
  ]);

  it('counts fallback verdicts on stderr, and as incorrect with --no-fallback', () => {
    const plain = passk('stats', '--input', input, '--json', '--resamples', '10');
    expect(plain.status).toBe(0);
    expect(plain.stderr).toContain('2 verdicts from the last-number fallback, 2 judged correct (base 1/1, rl 1/1)');
    const excluded = passk('stats', '--input', input, '--json', '--resamples', '10', '--no-fallback');
    expect(excluded.status).toBe(0);
    expect(excluded.stderr).toContain('counted as incorrect (--no-fallback)');
    const pass1 = (stdout: string) => (JSON.parse(stdout) as { models: { model: string; passAtK: Record<string, number> }[] }).models.map((m) => [m.model, m.passAtK['1']]);
    expect(pass1(plain.stdout)).toEqual([['base', 0.5], ['rl', 1]]);
    expect(pass1(excluded.stdout)).toEqual([['base', 0], ['rl', 0.5]]);
  });
});
