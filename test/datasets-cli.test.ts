import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'passk-datasets-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const passk = (...args: string[]) => spawnSync(process.execPath, ['bin/passk.js', 'datasets', ...args], { encoding: 'utf8' });

describe('passk datasets (separate process)', () => {
  const csv = join(dir, 'custom.csv');
  writeFileSync(csv, 'uid,question,final\nq1,"What is 1+1?",2\nq2,"Half of 1, as a fraction?",\\frac{1}{2}\n');

  it('previews a CSV through a --map field mapping', () => {
    const r = passk('preview', csv, '--map', 'problem=question,answer=final,id=uid', '--limit', '1');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'q1', kind: 'math', problem: 'What is 1+1?', answer: '2', solution: null, task: null });
    expect(r.stderr).toContain('2 records map cleanly');
  });

  it('imports every record, and a bad file leaves --out untouched', () => {
    const out = join(dir, 'out.jsonl');
    expect(passk('import', csv, '--map', 'problem=question,answer=final,id=uid', '--out', out).status).toBe(0);
    const before = readFileSync(out, 'utf8');
    expect(before.trim().split('\n').map((l) => (JSON.parse(l) as { answer: string }).answer)).toEqual(['2', '\\frac{1}{2}']);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'uid,question,final\nq1,"What is 1+1?",2\nq2,"Empty gold",\n');
    const r = passk('import', bad, '--map', 'problem=question,answer=final,id=uid', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:3: the gold answer is empty`);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  it('lists presets and sources with their pins', () => {
    const list = passk('list');
    expect(list.stdout).toContain('livecodebench');
    expect(list.stdout).toContain('35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132');
  });
});
