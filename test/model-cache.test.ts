import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinator, type Coordinator } from '../src/coordinator/coordinator.ts';
import { resolveExperiment } from '../src/coordinator/runs/resolve-experiment.ts';
import { startRun } from '../src/coordinator/runs/run-service.ts';
import { modelRef } from '../src/coordinator/scheduler/shard-kinds/lease-parts.ts';
import type { ModelRef } from '../src/core/protocol/worker-protocol.ts';
import { parseExperimentSpec } from '../src/core/spec/experiment-spec.ts';
import { bundledModelDir } from '../src/node/resources.ts';
import { ModelCache } from '../workers/worker/model-cache.ts';
import { tempDir } from './support/lab.ts';

describe('a worker\'s model cache against a real coordinator', () => {
  let coordinator: Coordinator;
  let model: ModelRef;
  beforeAll(async () => {
    coordinator = await startCoordinator({ dataDir: tempDir('cache-coordinator'), port: 0, version: 'test', log: () => {} });
    const spec = parseExperimentSpec({ benchmark: { bundled: 'chain-arithmetic' }, limit: 1, models: [{ folder: bundledModelDir('distilled'), role: 'distilled' }], sampling: { n: 1 } });
    if (!spec.ok) throw new Error(spec.error.join());
    const resolved = await resolveExperiment(spec.value, process.cwd());
    if (!resolved.ok) throw new Error(resolved.error.join());
    startRun(coordinator.scheduler, resolved.value);
    model = modelRef(resolved.value.models[0]);
  });
  afterAll(() => coordinator.close());

  // As from another machine: the coordinator's folder path does not exist here.
  const remote = () => ({ ...model, folder: '/nowhere/on/this/machine' });

  it('uses the coordinator\'s own folder when this machine has it with the same hashes', async () => {
    const cache = new ModelCache(tempDir('cache-local'), { baseUrl: coordinator.url, token: coordinator.tokens.worker });
    expect(await cache.ensure(model)).toEqual({ ok: true, value: bundledModelDir('distilled') });
  });

  it('downloads by content address, resumes a partial file with a Range request, and reuses its cache', async () => {
    const dir = tempDir('cache-remote');
    const onnx = model.files.find((f) => f.path.endsWith('.onnx'))!;
    const whole = readFileSync(join(bundledModelDir('distilled'), onnx.path));
    // A download that stopped half way.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    writeFileSync(join(dir, 'blobs', `${onnx.sha256}.part`), whole.subarray(0, whole.length >> 1));
    const lines: string[] = [];
    const cache = new ModelCache(dir, { baseUrl: coordinator.url, token: coordinator.tokens.worker }, (l) => lines.push(l));
    const got = await cache.ensure(remote());
    expect(got).toEqual({ ok: true, value: join(dir, 'models', model.sha256) });
    expect(readFileSync(join(dir, 'models', model.sha256, onnx.path)).equals(whole)).toBe(true);
    expect(existsSync(join(dir, 'blobs', `${onnx.sha256}.part`))).toBe(false);
    expect(cache.held()).toEqual([model.sha256]);
    expect(await new ModelCache(dir, { baseUrl: 'http://127.0.0.1:1', token: 'x' }).ensure(remote())).toEqual(got); // no network needed now
    expect(statSync(join(dir, 'models', model.sha256, onnx.path)).size).toBe(onnx.size);
  });

  it('answers the suffix range bytes=-n with the file\'s last n bytes (206)', async () => {
    const onnx = model.files.find((f) => f.path.endsWith('.onnx'))!;
    const whole = readFileSync(join(bundledModelDir('distilled'), onnx.path));
    const get = (range: string) => fetch(`${coordinator.url}/files/${onnx.sha256}`, { headers: { Authorization: `Bearer ${coordinator.tokens.worker}`, Range: range } });
    const last = await get('bytes=-1');
    expect(last.status).toBe(206);
    expect(last.headers.get('content-range')).toBe(`bytes ${whole.length - 1}-${whole.length - 1}/${whole.length}`);
    expect(Buffer.from(await last.arrayBuffer()).equals(whole.subarray(-1))).toBe(true);
    const tail = await get('bytes=-1000');
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(-1000))).toBe(true);
    expect((await get('bytes=-0')).status).toBe(416);
  });

  it('says which file and why when the coordinator will not give it', async () => {
    const cache = new ModelCache(tempDir('cache-denied'), { baseUrl: coordinator.url, token: 'pkw_wrong' });
    const got = await cache.ensure(remote());
    expect(got).toMatchObject({ ok: false, error: expect.stringMatching(/^model distilled, file \S+: GET \/files\/[0-9a-f]{64}: HTTP 401 model files need the workers' join token/) });
  }, 60_000);
});
