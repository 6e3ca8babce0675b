import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './e2e/browser.ts';
import { passkRunJson, tempDir } from './support/lab.ts';

const passk = (...args: string[]) => spawnSync(process.execPath, ['bin/passk.js', ...args], { encoding: 'utf8', timeout: 120_000 });
const FIXTURES = 'test/fixtures/import';
const runCount = (dataDir: string) => {
  const db = new Database(join(dataDir, 'passk.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('the archive: runs kept, moved and read again without workers or models', () => {
  const dataDir = tempDir('archive');
  const other = tempDir('archive-other');
  let archive: string;
  let report: string;

  beforeAll(() => {
    const run = passkRunJson(['--model', 'base=resources/models/base', '--model', 'rl=resources/models/rl', '--limit', '6', '--n', '8',
      '--max-new-tokens', '48', '--name', 'kept', '--data-dir', dataDir]);
    expect(run.status, run.stderr).toBe(0);
    report = passk('report', 'kept', '--json', '--data-dir', dataDir).stdout;
    archive = join(tempDir('archive-file'), 'kept.passk');
    const exported = passk('runs', 'export', 'kept', '--out', archive, '--data-dir', dataDir);
    expect(exported.status, exported.stderr).toBe(0);
  }, 180_000);

  it('export → delete → import gives the same report and digest; a second import keeps one run', () => {
    expect(passk('runs', 'delete', 'kept', '--data-dir', dataDir)).toMatchObject({ status: 2, stderr: expect.stringContaining('needs --yes') });
    expect(passk('runs', 'delete', 'kept', '--yes', '--data-dir', dataDir).status).toBe(0);
    expect(runCount(dataDir)).toBe(0);
    expect(passk('report', 'kept', '--json', '--data-dir', dataDir).stderr).toContain('no run "kept"');
    const back = passk('runs', 'import', archive, '--data-dir', dataDir);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout.trim()).toBe('kept');
    expect(passk('report', 'kept', '--json', '--data-dir', dataDir).stdout).toBe(report);
    const again = passk('runs', 'import', archive, '--data-dir', dataDir);
    expect(again.stderr).toContain('already here with the same samples');
    expect(runCount(dataDir)).toBe(1);
    // Into another data directory, where no model folder or worker is needed to read it.
    expect(passk('runs', 'import', archive, '--data-dir', other).status).toBe(0);
    expect(passk('report', 'kept', '--json', '--data-dir', other).stdout).toBe(report);
    expect(JSON.parse(passk('runs', 'show', 'kept', '--json', '--data-dir', other).stdout).samplesDigest).toBe(JSON.parse(report).run.samplesDigest);
  }, 120_000);

  it('labels chains by hand and reports pass@k of the valid ones beside the plain one', () => {
    const dir = tempDir('labels');
    const shown = JSON.parse(passk('runs', 'show', 'kept', '--json', '--data-dir', other).stdout);
    expect(shown.name).toBe('kept');
    const db = new Database(join(other, 'passk.sqlite'), { readonly: true });
    const correct = db.prepare(`SELECT model_id AS model, problem_id AS problem, sample_index AS sample FROM verdicts WHERE correct = 1 ORDER BY model_id, problem_id, sample_index LIMIT 2`).all() as { model: string; problem: string; sample: number }[];
    db.close();
    expect(correct).toHaveLength(2);
    const file = join(dir, 'labels.jsonl');
    writeFileSync(file, [{ ...correct[0], label: 'valid', note: 'each step checked' }, { ...correct[1], label: 'invalid', note: 'right number, wrong chain' }].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const set = passk('label', 'kept', '--input', file, '--data-dir', other);
    expect(set.status, set.stderr).toBe(0);
    expect(set.stderr).toContain('2 labels on kept (1 valid, 1 invalid, 0 unsure)');
    const labels = JSON.parse(passk('report', 'kept', '--json', '--data-dir', other).stdout).labels;
    expect(labels).toMatchObject({ labelled: 2 });
    const plain = labels.plain.models.find((m: { model: string }) => m.model === correct[0].model).passAtK['1'];
    const valid = labels.validOnly.models.find((m: { model: string }) => m.model === correct[0].model).passAtK['1'];
    expect(valid).toBeLessThan(plain);
    writeFileSync(file, `${JSON.stringify({ ...correct[0], label: 'valid' })}\n${JSON.stringify({ ...correct[0], sample: 999, label: 'valid' })}\n`);
    const bad = passk('label', 'kept', '--input', file, '--data-dir', other);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${file}:2: the run has no sample 999 of model ${correct[0].model} on problem ${correct[0].problem}; no label was set`);
  }, 60_000);

  it('refuses a truncated, a corrupted and a foreign file with the reason, and writes nothing', () => {
    const dir = tempDir('bad-archives');
    const target = tempDir('bad-target');
    const truncated = join(dir, 'truncated.passk');
    copyFileSync(archive, truncated);
    truncateSync(truncated, Math.floor(statSync(archive).size / 2));
    const corrupt = join(dir, 'corrupt.passk');
    const bytes = readFileSync(archive);
    // Change one letter of one sample's text where it sits in the file: pages stay valid, the content does not.
    const db = new Database(archive, { readonly: true });
    const text = (db.prepare('SELECT text FROM samples ORDER BY length(text) DESC LIMIT 1').get() as { text: string }).text;
    db.close();
    const at = bytes.indexOf(Buffer.from(text.slice(0, 24)));
    expect(at).toBeGreaterThan(0);
    bytes[at + 3] = bytes[at + 3] === 0x41 ? 0x42 : 0x41;
    writeFileSync(corrupt, bytes);
    const foreign = join(dir, 'foreign.passk');
    const sqlite = new Database(foreign);
    sqlite.exec('CREATE TABLE notes (x TEXT)');
    sqlite.close();
    const text2 = join(dir, 'text.passk');
    writeFileSync(text2, 'this is not a database\n'.repeat(100));
    const expectations: [string, RegExp][] = [
      [truncated, /truncated\.passk: (corrupt|cannot be imported|not a PassK Lab archive)/],
      [corrupt, /corrupt\.passk: corrupt: its samples digest to [0-9a-f]{12}…, not the [0-9a-f]{12}… it was written with; nothing was imported/],
      [foreign, /foreign\.passk: not a PassK Lab archive \(an SQLite file without its passk_archive table\)/],
      [text2, /text\.passk: not a PassK Lab archive \(file is not a database: it does not begin with "SQLite format 3"\)/],
    ];
    for (const [file, message] of expectations) {
      const result = passk('runs', 'import', file, '--data-dir', target);
      expect(result.status, file).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(runCount(target)).toBe(0);
  }, 60_000);

});

const chromium = existsSync(CHROMIUM);
if (!chromium) console.warn(`skipping the demo report in Chromium: ${CHROMIUM} is missing (apt-get install chromium, or PASSK_CHROMIUM=another Chromium)`);

describe("the demo run's HTML report", () => {
  it.skipIf(!chromium)('is what `npm run demo` leaves: opened in Chromium with no console error, every section drawn, and a screenshot kept', async () => {
    // Exactly the demo (bundled trio, bundled benchmark, n = 64), into a data directory of its own.
    const dataDir = tempDir('demo-report');
    const demo = passkRunJson(['--data-dir', dataDir]);
    expect(demo.status, demo.stderr).toBe(0);
    const run = (demo.json as unknown as { run: string }).run;
    const out = tempDir('report-html');
    expect(passk('report', run, '--out', out, '--data-dir', dataDir).status).toBe(0);
    for (const f of ['report.html', 'pass-at-k.csv', 'accuracy-histogram.csv', 'coverage.csv', 'by-level.csv', 'diversity.csv', 'analysis.json']) expect(existsSync(join(out, f)), f).toBe(true);
    const browser = await launchChromium(tempDir('chromium'));
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('request', (r) => { if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`); });
      await page.goto(`file://${join(out, 'report.html')}`);
      expect(await page.locator('h1').textContent()).toBe(run);
      // Three models on the k grid 1…64: 3 × 7 points on the pass@k plot.
      expect(await page.locator('#pass-at-k svg circle').count()).toBeGreaterThanOrEqual(21);
      expect(await page.locator('#by-level svg').count()).toBe(5);
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/demo-report.png', fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 240_000);
});

describe('results of other tools become runs like any other', () => {
  it('counts: passk import then passk report --json says what passk stats --json says', () => {
    const dataDir = tempDir('import-counts');
    const file = join(FIXTURES, 'counts.jsonl');
    const imported = passk('import', '--format', 'counts', '--input', file, '--name', 'X', '--data-dir', dataDir);
    expect(imported.status, imported.stderr).toBe(0);
    const stats = JSON.parse(passk('stats', '--input', file, '--json').stdout);
    const report = JSON.parse(passk('report', 'X', '--json', '--data-dir', dataDir).stdout);
    for (const key of ['models', 'coverage', 'crossover', 'histogram', 'ks']) expect(report[key], key).toEqual(stats[key]);
  });

  it('limit-of-RLVR, lm-evaluation-harness, human-eval and evalplus files give their pass@k', () => {
    const dataDir = tempDir('import-formats');
    const pass = (name: string) => JSON.parse(passk('report', name, '--json', '--data-dir', dataDir).stdout).models.map((m: { model: string; passAtK: Record<string, number> }) => [m.model, m.passAtK]);
    const ok = (...args: string[]) => {
      const r = passk('import', ...args, '--data-dir', dataDir);
      expect(r.status, r.stderr).toBe(0);
    };
    ok('--format', 'limit-of-rlvr', '--input', `qwen:base=${FIXTURES}/Qwen2.5-7B_math500_temp0.6_n4_seed1.jsonl`, '--input', `zoo:rl=${FIXTURES}/SimpleRL-Zoo_math500_temp0.6_n4_seed1.jsonl`, '--name', 'rlvr');
    expect(pass('rlvr')).toEqual([['qwen', { 1: 0.5, 2: 0.75, 4: 1 }], ['zoo', { 1: 0.5, 2: 0.5, 4: 0.5 }]]);
    const report = JSON.parse(passk('report', 'rlvr', '--json', '--data-dir', dataDir).stdout);
    expect(report.byLevel.groups.map((g: { group: string }) => g.group)).toEqual(['1', '2']);
    expect(report.crossover.pairs[0]).toMatchObject({ base: 'qwen', rl: 'zoo', k: 1 });

    ok('--format', 'lm-eval', '--input', `harness:other=${FIXTURES}/samples_minerva_math_2026-11-30T10-00-00.000000.jsonl`, '--name', 'harness');
    expect(pass('harness')).toEqual([['harness', { 1: expect.closeTo(2 / 3, 12), 2: 1, 3: 1 }]]);

    ok('--format', 'humaneval', '--input', `coder=${FIXTURES}/samples.jsonl_results.jsonl`, '--name', 'he');
    expect(pass('he')).toEqual([['coder', { 1: 0.25, 2: 0.5 }]]);
    ok('--format', 'evalplus', '--input', `coder=${FIXTURES}/humaneval_eval_results.json`, '--name', 'plus');
    expect(pass('plus')).toEqual([['coder', { 1: 0.5, 2: 1 }]]);

    const db = new Database(join(dataDir, 'passk.sqlite'), { readonly: true });
    const imported = db.prepare(`SELECT r.name, COUNT(*) AS samples, SUM(s.tokens IS NULL AND s.logprob IS NULL) AS unknown FROM samples s JOIN runs r ON r.id = s.run_id GROUP BY r.name ORDER BY r.name`).all();
    db.close();
    // No other tool's file gives tokens and log-probabilities: they stay unknown, never a made-up 0.
    expect(imported).toEqual([
      { name: 'harness', samples: 6, unknown: 6 }, { name: 'he', samples: 4, unknown: 4 }, { name: 'plus', samples: 4, unknown: 4 }, { name: 'rlvr', samples: 16, unknown: 16 },
    ]);
  }, 60_000);

  it('names the bad line of a file it cannot read, and imports nothing', () => {
    const dataDir = tempDir('import-bad');
    const bad = join(tempDir('bad-import'), 'bad.jsonl');
    writeFileSync(bad, '{"idx": 0, "question": "q", "gt": "1", "code": ["a"], "score": [true]}\n{"idx": 1, "question": "q2", "code": ["a", "b"], "score": [true]}\n');
    const result = passk('import', '--format', 'limit-of-rlvr', '--input', `m=${bad}`, '--name', 'bad', '--data-dir', dataDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${bad}:2: 2 responses but 1 scores`);
    expect(existsSync(join(dataDir, 'passk.sqlite'))).toBe(false);
  });
});
