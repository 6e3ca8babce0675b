import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetSources, findSource } from '../src/core/datasets/registry.ts';
import { datasetCacheDir, localDatasetFile, VENDORED_BENCHMARKS_DIR } from '../src/node/datasets/dataset-files.ts';
import { fetchDataset } from '../src/node/datasets/fetch-dataset.ts';
import { loadDataset } from '../src/node/datasets/import-dataset.ts';
import { findPreset } from '../src/core/datasets/presets.ts';
import { missingBenchmarks } from './support/benchmark-files.ts';

function source(name: string) {
  const s = findSource(name);
  if (!s) throw new Error(`no source ${name}`);
  return s;
}

// The registry's files this machine has, by file name: the vendored ones (resources/benchmarks)
// always, the others where `passk datasets fetch` (or .ci/run) left them in the cache.
const local = new Map(datasetSources.flatMap((s) => {
  const path = localDatasetFile(s);
  return path === null ? [] : [[s.fileName, path] as const];
}));
const pinnedMissing = datasetSources.filter((s) => s.sha256 !== null && !local.has(s.fileName)).map((s) => s.name);
if (pinnedMissing.length > 0) console.warn(missingBenchmarks('the pinned sha256 check of those files', pinnedMissing));
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Runs the CLI in its own process; asynchronous, so this process keeps serving HTTP. */
function passk(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/passk.js', 'datasets', ...args], { encoding: 'utf8', env }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('passk datasets fetch (local HTTP server)', () => {
  let server: Server;
  let base: string;
  const root = mkdtempSync(join(tmpdir(), 'passk-fetch-'));

  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? '/').slice(1));
      if (name === 'tampered.jsonl') {
        res.end('{"id": 1, "problem": "p", "answer": "1"}\n');
        return;
      }
      const path = local.get(name);
      if (path === undefined) {
        res.statusCode = 404;
        res.end('not found');
        return;
      }
      res.end(readFileSync(path));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('every pinned sha256 matches the file here (vendored, or fetched into the cache)', () => {
    const checked = datasetSources.filter((s) => s.sha256 !== null && local.has(s.fileName));
    for (const source of checked) expect(sha256(local.get(source.fileName) ?? ''), source.name).toBe(source.sha256);
    expect(checked.map((s) => s.name)).toEqual(expect.arrayContaining(['gsm8k', 'math500', 'humaneval', 'mbpp-sanitized']));
  });

  it('the vendored files are registry sources, listed in resources/benchmarks/README.md with their pinned sha256', () => {
    const readme = readFileSync(join(VENDORED_BENCHMARKS_DIR, 'README.md'), 'utf8');
    const vendored = readdirSync(VENDORED_BENCHMARKS_DIR).filter((f) => f !== 'README.md' && !f.startsWith('chain-arithmetic'));
    expect(vendored.sort()).toEqual(['HumanEval.jsonl.gz', 'gsm8k-test.jsonl', 'math500-test.jsonl', 'sanitized-mbpp.json']);
    for (const file of vendored) {
      const source = datasetSources.find((s) => s.fileName === file);
      expect(source?.sha256, file).toBe(sha256(join(VENDORED_BENCHMARKS_DIR, file)));
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${file}\` |`));
      expect(row, `${file}: a row in resources/benchmarks/README.md`).toContain(`\`${source?.sha256}\``);
    }
  });

  it('the CLI downloads, verifies the pin and writes the file atomically', async () => {
    const out = join(root, 'ok');
    const r = await passk(['fetch', 'humaneval', '--url', `${base}/HumanEval.jsonl.gz`, '--out', out]);
    expect(r.stderr).toContain('(matches the pin)');
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(['HumanEval.jsonl.gz']);
    expect(readFileSync(join(out, 'HumanEval.jsonl.gz')).equals(readFileSync(join(VENDORED_BENCHMARKS_DIR, 'HumanEval.jsonl.gz')))).toBe(true);
    const humaneval = findPreset('humaneval');
    if (!humaneval) throw new Error('no humaneval preset');
    const loaded = await loadDataset(join(out, 'HumanEval.jsonl.gz'), humaneval);
    expect(loaded.ok && loaded.value[0]).toMatchObject({ id: 'HumanEval/0', kind: 'code' });
  });

  it('without --out the CLI fetches into the cache, where the tests and localDatasetFile look', async () => {
    const env = { ...process.env, PASSK_CACHE_DIR: join(root, 'cache') };
    const r = await passk(['fetch', 'gsm8k', '--url', `${base}/gsm8k-test.jsonl`], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(datasetCacheDir(env), 'gsm8k-test.jsonl'));
    expect(datasetCacheDir(env)).toBe(join(root, 'cache', 'datasets'));
    expect(sha256(r.stdout.trim())).toBe(source('gsm8k').sha256);
  });

  it('refuses bytes that do not match the pin and leaves nothing behind', async () => {
    const out = join(root, 'tampered');
    const r = await fetchDataset(source('aime24'), { url: `${base}/tampered.jsonl`, outDir: out });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/does not match the pinned af2b8bd2.*nothing was written/) });
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses an unverified source without --allow-unpinned, and takes it with it', async () => {
    const out = join(root, 'unpinned');
    const refused = await fetchDataset(source('mbpp'), { url: `${base}/tampered.jsonl`, outDir: out });
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('pass --allow-unpinned') });
    expect(existsSync(out)).toBe(false);
    const taken = await fetchDataset(source('mbpp'), { url: `${base}/tampered.jsonl`, outDir: out, allowUnpinned: true });
    expect(taken).toMatchObject({ ok: true, value: { verified: false, path: join(out, 'mbpp.jsonl') } });
    expect(readdirSync(out)).toEqual(['mbpp.jsonl']);
  });

  it('reports HTTP errors and unreachable hosts by URL', async () => {
    const missing = await fetchDataset(source('aime24'), { url: `${base}/nope.jsonl`, outDir: join(root, 'missing') });
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 404') });
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve));
    const closed = await fetchDataset(source('aime24'), { url: `http://127.0.0.1:${port}/x.jsonl`, outDir: join(root, 'closed') });
    expect(closed).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(readdirSync(join(root, 'closed'))).toEqual([]);
  });
});
