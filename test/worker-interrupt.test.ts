import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir } from '../src/node/resources.ts';
import type { UiClient } from '../cli/ui-client.ts';
import { connect, freePort, startCoordinator, startWorker, tempDir, type CoordinatorProcess, type LabProcess } from './support/lab.ts';

/**
 * Issue 24: a worker interrupted mid-shard once ended with `terminate called after throwing
 * an instance of 'Napi::Error'` (an abort, exit by SIGABRT): its slot threads were ended
 * while onnxruntime ran in them. Ctrl-C, once or twice, must end it cleanly every time.
 */
const SPEC = {
  name: 'interrupt', benchmark: { bundled: 'chain-arithmetic' }, limit: 20,
  models: [{ folder: bundledModelDir('base'), role: 'base' }], sampling: { n: 256, maxNewTokens: 256 },
};

async function busy(client: UiClient, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const workers = await client.request('workers:list', {}, 5000);
    if (workers.ok && workers.value.some((w) => w.name === name && w.leases.some((l) => l.kind === 'sample' && l.done > 0))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`worker ${name} took no sample lease within ${timeoutMs} ms`);
}

async function interrupt(worker: LabProcess, times: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; log: string }> {
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => worker.child.once('exit', (code, signal) => resolve({ code, signal })));
  for (let i = 0; i < times; i++) {
    worker.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
  }
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 60_000);
  const result = await ended;
  clearTimeout(timer);
  return { ...result, log: worker.log() };
}

describe('a worker interrupted mid-shard', () => {
  let coordinator: CoordinatorProcess;
  let client: UiClient;
  beforeAll(async () => {
    coordinator = await startCoordinator(tempDir('interrupt'), await freePort());
    client = await connect(coordinator);
    const created = await client.request('run:create', { spec: SPEC, maxSamples: 10_000_000 });
    if (!created.ok) throw new Error(created.error);
  });
  afterAll(async () => {
    client?.close();
    await coordinator?.kill('SIGTERM');
  });

  it('ends cleanly on Ctrl-C twice (shards handed back at once), every time, and on Ctrl-C once (shards finished)', async () => {
    for (const [i, times] of [2, 2, 2, 2, 1].entries()) {
      const name = `interrupted-${i}`;
      const worker = startWorker(coordinator, name, ['--slots', '2', '--batch', '8']);
      await busy(client, name);
      const ended = await interrupt(worker, times);
      expect(ended.log).not.toMatch(/terminate called|Napi::Error|Aborted/);
      expect(ended, `worker ${name}, Ctrl-C × ${times}`).toMatchObject({ code: 0, signal: null });
      expect(ended.log).toContain('passk worker: stopped');
    }
  }, 300_000);
});
