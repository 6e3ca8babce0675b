import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'passk-verify-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const passk = (...args: string[]) => spawnSync(process.execPath, ['bin/passk.js', 'verify', ...args], { encoding: 'utf8' });
const write = (name: string, lines: unknown[]): string => {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
};

describe('passk verify --kind math (separate process)', () => {
  const input = write('math.jsonl', [
    { gold: '$\\frac{1}{2}$', response: 'Half of it: $\\boxed{0.5}$' },
    { gold: 27.0, response: 'They meet after \\boxed{27} miles.' },
    { gold: '\\boxed{(1,2]}', response: 'The set is \\boxed{[1,2]}' },
    { gold: '18', response: 'She makes 9 * 2 = $18 every day.\n#### 18' },
    { gold: '5', response: 'no number here' },
  ]);

  it('writes one verdict per line in order on stdout and the summary on stderr', () => {
    const r = passk('--kind', 'math', '--input', input);
    expect(r.status).toBe(0);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { correct: boolean; extracted: string | null; reason: string });
    expect(verdicts.map((v) => v.correct)).toEqual([true, true, false, true, false]);
    expect(verdicts.map((v) => v.extracted)).toEqual(['0.5', '27', '[1,2]', '18', null]);
    expect(verdicts[2]?.reason).toContain('brackets differ');
    expect(Object.keys(verdicts[0] ?? {})).toEqual(['correct', 'extracted', 'reason']);
    expect(r.stderr).toMatch(/^math: 3\/5 correct \(60\.0%\) in [\d.]+ s, \d+ verifications\/s\n$/);
  });

  it('--json puts a JSON summary on stderr and keeps stdout pure JSONL', () => {
    const r = passk('--kind', 'math', '--input', input, '--json');
    expect(r.stdout.trim().split('\n').every((l) => 'correct' in JSON.parse(l))).toBe(true);
    expect(JSON.parse(r.stderr)).toMatchObject({ summary: { kind: 'math', total: 5, correct: 3, accuracy: 0.6 } });
  });

  it('refuses a bad file with file:line and verifies nothing', () => {
    const bad = write('bad.jsonl', [{ gold: '1', response: 'x' }, '{"gold": "1"', { gold: '2' }]);
    const r = passk('--kind', 'math', '--input', bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}:2: not valid JSON`);
    expect(r.stderr).toContain(`${bad}:3: field "response"`);
  });

  it('rejects bad options with exit code 2', () => {
    const r = passk('--kind', 'poetry', '--input', input);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--kind must be math or code');
  });
});
