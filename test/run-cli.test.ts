import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const passk = (...args: string[]) => spawnSync(process.execPath, ['bin/passk.js', 'run', ...args], { encoding: 'utf8' });
const readJsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const BASE = 'base=resources/models/base';

describe('passk run (the demo pipeline)', () => {
  it('samples, verifies and reports, the same on a second run with the same seed', () => {
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'passk-run-')));
    for (const out of dirs) {
      const result = passk('--model', BASE, '--limit', '3', '--n', '4', '--max-new-tokens', '48', '--ep', 'cpu', '--out', out);
      expect(result.stderr).not.toMatch(/Error/);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('pass@k over 3 problems');
    }
    const samples = readJsonl(join(dirs[0], 'samples.jsonl'));
    expect(samples).toHaveLength(3 * 4);
    for (const s of samples) {
      expect(typeof s.correct).toBe('boolean');
      expect(s.reason).toMatch(/equivalent|no answer/);
    }
    const counts = readJsonl(join(dirs[0], 'counts.jsonl'));
    for (const c of counts) {
      const mine = samples.filter((s) => s.role === c.role && s.problem === c.problem);
      expect(c.n).toBe(mine.length);
      expect(c.c).toBe(mine.filter((s) => s.correct).length);
    }
    const report = JSON.parse(readFileSync(join(dirs[0], 'report.json'), 'utf8'));
    expect(report.models.map((m: { role: string }) => m.role)).toEqual(['base']);
    expect(Object.keys(report.models[0].passAtK)).toEqual(['1', '2', '4']);
    expect(readFileSync(join(dirs[1], 'samples.jsonl'), 'utf8')).toBe(readFileSync(join(dirs[0], 'samples.jsonl'), 'utf8'));
    expect(readFileSync(join(dirs[0], 'pass-at-k.svg'), 'utf8')).toMatch(/^<svg|<\?xml/);
    const db = new Database(join(dirs[0], 'run.sqlite'), { readonly: true });
    expect(db.prepare('SELECT status FROM runs').get()).toEqual({ status: 'done' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM verdicts').get()).toEqual({ n: samples.length });
    db.close();
    const again = passk('--model', BASE, '--limit', '1', '--n', '1', '--out', dirs[0]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already holds a run');
  });

  it('names the bad model folder and the bad benchmark line', () => {
    const twice = passk('--model', BASE, '--model', 'rl=resources/models/base');
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('two models named "base"');

    const missing = passk('--model', 'rl=/nonexistent/model');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no folder /nonexistent/model');

    const dir = mkdtempSync(join(tmpdir(), 'passk-run-'));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"a","problem":"1+1?","answer":"2"}\n{"id":"b","problem":\n');
    const result = passk('--model', BASE, '--benchmark', bad, '--out', join(dir, 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${bad}:2`);
  });
});
