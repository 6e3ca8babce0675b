import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectUi } from '../../cli/ui-client.ts';
import { bundledModelDir } from '../node/resources.ts';
import { startEmbeddedLab } from './embedded-lab.ts';

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the app\'s own lab (what the Electron shell starts)', () => {
  it('runs a coordinator and a local worker that finishes a run, restarts the worker when it dies, and stops both', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'passk-embedded-'));
    const lines: string[] = [];
    // Under Node the worker is bin/passk.js; in the app it is Electron running out/cli/passk.mjs as Node.
    const lab = await startEmbeddedLab({ dataDir, version: 'test', worker: { execPath: process.execPath, entry: resolve('bin/passk.js') }, log: (l) => lines.push(l) });
    const client = await connectUi(lab.coordinator.url, lab.coordinator.tokens.ui);
    try {
      expect(lab.coordinator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const created = await client.request('run:create', { spec: { benchmark: { bundled: 'chain-arithmetic' }, limit: 2, models: [{ folder: bundledModelDir('base'), role: 'base' }], sampling: { n: 4, maxNewTokens: 32 } } });
      if (!created.ok) throw new Error(created.error);
      const done = await until('the run', async () => {
        const p = await client.request('run:progress', { runId: created.value.id });
        return p.ok && p.value.status === 'done' ? p.value : null;
      });
      expect(done.models[0]).toMatchObject({ total: 8, sampled: 8, verified: 8 });

      const workers = await client.request('workers:list', {});
      const first = workers.ok ? workers.value.find((w) => w.state !== 'gone') : undefined;
      expect(first?.name).toBe('this-computer-1');
      // SIGKILLed, the local worker comes back by itself and joins again.
      const pid = lab.localWorkerPid()!;
      process.kill(pid, 'SIGKILL');
      await until('a new local worker', async () => {
        const now = lab.localWorkerPid();
        if (now === null || now === pid) return null;
        const list = await client.request('workers:list', {});
        return list.ok && list.value.some((w) => w.state !== 'gone' && w.id !== first!.id) ? now : null;
      });
      expect(lines.some((l) => l.includes('the local worker stopped (SIGKILL); restarting it'))).toBe(true);
    } finally {
      client.close();
    }
    expect(lab.workerProblem()).toBeNull();
    const pid = lab.localWorkerPid()!;
    await lab.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  }, 120_000);
});
