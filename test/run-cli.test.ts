import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bwrapWorks } from '../workers/verify/code/index.ts';
import { passkRunJson, tempDir } from './support/lab.ts';

const sandbox = bwrapWorks();
if (!sandbox) console.warn('skipping passk run on a code benchmark: its verifier needs bubblewrap and /usr/bin/python3 (apt-get install bubblewrap python3)');

const passk = (...args: string[]) => spawnSync(process.execPath, ['bin/passk.js', 'run', ...args], { encoding: 'utf8', timeout: 120_000 });
const BASE = 'base=resources/models/base';
const SMALL = ['--model', BASE, '--limit', '3', '--n', '4', '--max-new-tokens', '48', '--ep', 'cpu'];

describe('passk run', () => {
  it('samples, verifies and reports through a local coordinator; the same seed gives the same samples', () => {
    const [a, b] = [tempDir('run-a'), tempDir('run-b')];
    const out = join(tempDir('run-out'), 'report');
    const result = passk(...SMALL, '--data-dir', a, '--out', out, '--name', 'small');
    expect(result.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('pass@k over 3 problems');
    expect(result.stderr).toMatch(/small: 1 models × 3 problems × n=4 = 12 samples on 1 local worker/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.models.map((m: { role: string }) => m.role)).toEqual(['base']);
    expect(Object.keys(report.models[0].passAtK)).toEqual(['1', '2', '4']);
    expect(readFileSync(join(out, 'pass-at-k.svg'), 'utf8')).toMatch(/^<svg|<\?xml/);
    expect(readFileSync(join(out, 'report.txt'), 'utf8')).toBe(result.stdout);

    const db = new Database(join(a, 'passk.sqlite'), { readonly: true });
    expect(db.prepare('SELECT name, status FROM runs').get()).toEqual({ name: 'small', status: 'done' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM verdicts').get()).toEqual({ n: 12 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM samples WHERE ep = 'cpu' AND worker_id LIKE '%'`).get()).toEqual({ n: 12 });
    db.close();

    const again = passkRunJson([...SMALL, '--data-dir', b, '--local-workers', '2', '--slots', '1']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.json!.samplesDigest).toBe(report.samplesDigest);
    // A second run into the same data directory is a second run, with a name of its own.
    const third = passkRunJson([...SMALL, '--data-dir', a, '--name', 'small']);
    expect(third.json).toMatchObject({ run: 'small-2', samplesDigest: report.samplesDigest });
  }, 180_000);

  it('names the bad part of the experiment, and starts nothing', () => {
    const dir = tempDir('run-bad');
    const twice = passk('--model', BASE, '--model', 'rl=resources/models/base', '--data-dir', dir);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('models[1]: id "base" is already models[0]\'s');

    const missing = passk('--model', 'rl=/nonexistent/model', '--data-dir', dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('models[0].folder: /nonexistent/model: not a folder');

    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"a","problem":"1+1?","answer":"2"}\n{"id":"b","problem":\n');
    const badLine = passk('--model', BASE, '--benchmark', bad, '--data-dir', dir);
    expect(badLine.status).toBe(2);
    expect(badLine.stderr).toContain(`benchmark.file: ${bad}:2: not valid JSON`);

    const huge = passk('--model', BASE, '--n', '1e9', '--data-dir', dir);
    expect(huge.status).toBe(2);
    expect(huge.stderr).toContain('sampling.n: at most 65536 samples per problem');

    // Within the spec's bounds but past ten million samples: the cost, and how to go on anyway.
    const costly = passk('--n', '65536', '--limit', '0', '--data-dir', dir);
    expect(costly.status).toBe(2);
    expect(costly.stderr).toContain('the experiment draws 49,152,000 samples (3 models × 250 problems × n=65,536), up to 12,582,912,000 new tokens');
    expect(costly.stderr).toContain('pass --yes to start it anyway');

    const notDir = passk(...SMALL, '--out', bad, '--data-dir', dir);
    expect(notDir.status).toBe(2);
    expect(notDir.stderr).toContain('exists and is not a folder');

    const db = new Database(join(dir, 'passk.sqlite'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 });
    db.close();
  }, 120_000);

  it('reads an experiment from a YAML file, relative paths from the file\'s folder', () => {
    const dir = tempDir('run-spec');
    const root = process.cwd();
    writeFileSync(join(dir, 'problems.jsonl'), readFileSync('resources/benchmarks/chain-arithmetic-test.jsonl', 'utf8').split('\n').slice(0, 2).join('\n'));
    writeFileSync(join(dir, 'spec.yaml'), [
      'name: from-yaml',
      'benchmark: { file: problems.jsonl }',
      'models:',
      `  - { folder: ${join(root, 'resources/models/rl')}, role: rl, id: tuned }`,
      'sampling: { n: 2, maxNewTokens: 48, seed: 3 }',
      '',
    ].join('\n'));
    const result = passkRunJson([join(dir, 'spec.yaml'), '--data-dir', dir]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ run: 'from-yaml', samples: 4, models: [{ model: 'tuned', role: 'rl' }] });
    writeFileSync(join(dir, 'bad.yaml'), 'benchmark: { bundled: chain-arithmetic }\nmodels: []\nsampling: { n: 2, temprature: 1 }\n');
    const bad = passk(join(dir, 'bad.yaml'), '--data-dir', dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('sampling: unknown field "temprature"');
    expect(bad.stderr).toMatch(/models: /);
  }, 120_000);

  it.skipIf(!sandbox)('runs a code benchmark the same way, judged by the sandboxed code verifier on a worker', () => {
    const humaneval = join(process.cwd(), 'resources/benchmarks/HumanEval.jsonl.gz'); // MIT, part of the repository
    const dir = tempDir('run-code');
    const result = passkRunJson(['--model', BASE, '--benchmark', humaneval, '--preset', 'humaneval', '--limit', '3', '--n', '2', '--max-new-tokens', '16', '--data-dir', dir]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ status: 'done', samples: 6 });
    const db = new Database(join(dir, 'passk.sqlite'), { readonly: true });
    const verdicts = db.prepare('SELECT verifier, reason FROM verdicts').all() as { verifier: string; reason: string }[];
    db.close();
    expect(verdicts).toHaveLength(6);
    // The bundled arithmetic model writes no Python: every verdict is the judge's reason why not.
    expect(verdicts.every((v) => v.verifier === 'code' && v.reason.length > 0)).toBe(true);
  }, 120_000);
});
