import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/coordinator/store/open-store.ts';

const BATCHES = 400;
const writer = (path: string) => ['--import', 'tsx', 'test/fixtures/store-writer.ts', path, String(BATCHES)];

describe('store survives SIGKILL of its writer', () => {
  it('keeps whole batches only, passes integrity_check, and a restarted writer completes the set', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'passk-crash-')), 'run.sqlite');
    const child = spawn(process.execPath, writer(path), { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = -1;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        committed = Number(chunk.toString().trim().split('\n').at(-1));
        if (committed >= 20) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer ended before it was killed (${signal})`))));
    });

    const db = openStore(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = (db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
    expect(count % 50).toBe(0); // no partial batch
    expect(count / 50).toBeGreaterThanOrEqual(committed + 1); // every acknowledged batch is there
    expect(count).toBeLessThan(BATCHES * 50);
    db.close();

    const rerun = spawnSync(process.execPath, writer(path), { encoding: 'utf8' });
    expect(rerun.status).toBe(0);
    const after = openStore(path);
    expect(after.prepare('SELECT COUNT(*) AS n, MAX(sample_index) AS last FROM samples').get()).toEqual({ n: BATCHES * 50, last: BATCHES * 50 - 1 });
  });
});
