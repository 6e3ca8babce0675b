import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../src/core/stats/prng.ts';

const passk = (...args: string[]) => spawnSync(process.execPath, ['bin/passk.js', 'stats', ...args], { encoding: 'utf8' });
const hasTool = (name: string): boolean => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

const PROBLEMS = 500;
const N = 256;
const MODELS = [
  { model: 'qwen-base', role: 'base' },
  { model: 'qwen-grpo', role: 'rl' },
  { model: 'qwen-distill', role: 'distilled' },
] as const;

/** 500 problems × 3 models, per-problem rows; RL concentrates on what base already solves sometimes. */
function generate(): { text: string; c: number[][] } {
  const rng = createRng(77);
  const c: number[][] = MODELS.map(() => []);
  for (let p = 0; p < PROBLEMS; p++) {
    const q = rng.nextFloat() ** 3;
    const rates = [q, q > 0.05 ? Math.min(1, q * 2) : q * 0.2, Math.min(1, q * 2 + 0.01)];
    rates.forEach((rate, m) => {
      let correct = 0;
      for (let s = 0; s < N; s++) if (rng.nextFloat() < rate) correct++;
      c[m].push(correct);
    });
  }
  const lines = MODELS.flatMap(({ model, role }, m) => c[m].map((cm, p) => JSON.stringify({ model, role, problem: `p${p}`, n: N, c: cm })));
  return { text: lines.join('\n') + '\n', c };
}

describe('passk stats (CLI, separate process)', () => {
  let dir: string;
  let input: string;
  let counts: number[][];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'passk-stats-'));
    input = join(dir, 'verdicts.jsonl');
    const generated = generate();
    counts = generated.c;
    writeFileSync(input, generated.text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the pass@k table, the histogram, coverage and the crossover summary', () => {
    const result = passk('--input', input);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('pass@k over 500 problems, 95% paired bootstrap intervals over problems (B=2000, seed 1)');
    expect(lines[2]).toMatch(/^\s+k\s+qwen-base \(base\)\s+qwen-grpo \(rl\)\s+qwen-distill \(distilled\)$/);
    const rows = lines.slice(3, 12);
    expect(rows.map((row) => Number(row.trim().split(/\s+/)[0]))).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    for (const row of rows) expect(row).toMatch(/^\s*\d+(\s+\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]){3}$/);
    expect(result.stdout).toContain('qwen-base vs qwen-grpo: both ');
    expect(result.stdout).toMatch(/qwen-base (reaches qwen-grpo at k=\d+|stays below qwen-grpo)/);
    expect(result.stdout).toMatch(/ΔSE = qwen-base pass@256 − qwen-grpo pass@1 = [+−]\d\.\d{3} \[/);
  });

  it('prints one JSON object with the documented fields', () => {
    const result = passk('--input', input, '--json', '--seed', '4', '--k', '1,4,16,256');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ks).toEqual([1, 4, 16, 256]);
    expect(report.models.map((m: { model: string; role: string }) => [m.model, m.role])).toEqual(MODELS.map(({ model, role }) => [model, role]));
    report.models.forEach((m: { problems: number; passAtK: Record<string, number>; ci: Record<string, [number, number]> }, i: number) => {
      expect(m.problems).toBe(PROBLEMS);
      expect(Object.keys(m.passAtK)).toEqual(['1', '4', '16', '256']);
      // pass@1 is the mean accuracy; pass@n is the fraction of problems with any correct sample.
      expect(m.passAtK['1']).toBeCloseTo(counts[i].reduce((sum, c) => sum + c / N, 0) / PROBLEMS, 12);
      expect(m.passAtK['256']).toBeCloseTo(counts[i].filter((c) => c > 0).length / PROBLEMS, 12);
      for (const k of Object.keys(m.passAtK)) {
        expect(m.ci[k][0]).toBeLessThanOrEqual(m.passAtK[k]);
        expect(m.ci[k][1]).toBeGreaterThanOrEqual(m.passAtK[k]);
      }
    });
    expect(report.coverage).toHaveLength(3);
    expect(report.coverage[0].both.length + report.coverage[0].onlyA.length + report.coverage[0].onlyB.length + report.coverage[0].neither.length).toBe(PROBLEMS);
    expect(report.histogram[0].bins).toHaveLength(12);
    expect(report.crossover.pairs[0]).toMatchObject({ base: 'qwen-base', rl: 'qwen-grpo', kMax: 256 });
  });

  it('writes the plot as well-formed SVG that renders to an image', (context) => {
    const svg = join(dir, 'plot.svg');
    const result = passk('--input', input, '--svg', svg);
    expect(result.status).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    if (!hasTool('xmllint') || !hasTool('rsvg-convert')) {
      console.warn('cli-stats: skipping the XML and rendering checks: install libxml2-utils and librsvg2-bin (.ci/run does)');
      context.skip();
    }
    const lint = spawnSync('xmllint', ['--noout', svg], { encoding: 'utf8' });
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    expect(spawnSync('xmllint', ['--xpath', 'name(/*)', svg], { encoding: 'utf8' }).stdout.trim()).toBe('svg');
    const png = spawnSync('rsvg-convert', [svg]);
    expect(png.status).toBe(0);
    expect(png.stdout.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.stdout.readUInt32BE(16), png.stdout.readUInt32BE(20)]).toEqual([760, 460]);
  });

  it('refuses a malformed file with its line number and prints no table', () => {
    const bad = join(dir, 'bad.jsonl');
    const good = readFileSync(input, 'utf8').split('\n');
    writeFileSync(bad, [good[0], good[1], '{"model": "qwen-base", "problem": "p2", "n": 256,', good[3], '{"model":"qwen-base","problem":"p4","n":4,"c":9}'].join('\n') + '\n');
    const result = passk('--input', bad, '--json');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${bad}:3: not valid JSON`);
    expect(result.stderr).toContain(`${bad}:5: c=9 exceeds n=4`);
  });

  it('reads per-sample rows from standard input', () => {
    const rows = [
      { model: 'b', role: 'base', problem: 'x', sample: 0, correct: true },
      { model: 'b', problem: 'x', sample: 1, correct: false },
      { model: 'r', role: 'rl', problem: 'x', sample: 0, correct: true },
      { model: 'r', problem: 'x', sample: 1, correct: true },
    ];
    const result = spawnSync(process.execPath, ['bin/passk.js', 'stats', '--input', '-', '--json'], {
      encoding: 'utf8',
      input: rows.map((row) => JSON.stringify(row)).join('\n'),
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.models.map((m: { passAtK: Record<string, number> }) => m.passAtK)).toEqual([{ 1: 0.5, 2: 1 }, { 1: 1, 2: 1 }]);
    expect(report.crossover.pairs[0]).toMatchObject({ k: 2, difference: 0 });
  });

  it('explains its options and refuses bad ones with exit code 2', () => {
    const help = passk('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: passk stats --input FILE/);
    expect(passk().stderr).toContain('--input FILE is required');
    const badK = passk('--input', input, '--k', '1,two');
    expect(badK.status).toBe(2);
    expect(badK.stderr).toContain('--k: "two" is not a positive integer k');
    expect(passk('--input', join(dir, 'absent.jsonl')).status).toBe(1);
  });
});
