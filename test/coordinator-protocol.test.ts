import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../src/core/protocol/request-client.ts';
import { PROTOCOL_VERSION, workerRequests, type WorkerHello } from '../src/core/protocol/worker-protocol.ts';
import { bundledModelDir } from '../src/node/resources.ts';
import { connect, freePort, startCoordinator, startWorker, tempDir, waitForRun, type CoordinatorProcess } from './support/lab.ts';

const hello = (token: string, overrides: Partial<WorkerHello> = {}): WorkerHello => ({
  protocol: PROTOCOL_VERSION, token,
  worker: {
    name: 'probe', host: 'test', version: 'test',
    capabilities: { eps: ['cpu'], gpu: null, cores: 1, memoryMb: 1, verify: ['math'], sandboxProblem: null, models: [], slots: 1, server: null },
  },
  ...overrides,
});

/** Connects a raw worker socket; resolves with it, or with the refusal the coordinator gave. */
function connectRaw(url: string, auth: unknown): Promise<{ socket: Socket } | { refusal: { code: string; message: string } }> {
  // As the worker program does: the token in the upgrade's Authorization header as well as in the hello.
  const token = (auth as { token?: unknown }).token;
  const socket = io(`${url}/worker`, {
    auth: auth as object, transports: ['websocket'], reconnection: false,
    ...(typeof token === 'string' ? { extraHeaders: { Authorization: `Bearer ${token}` } } : {}),
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error: Error & { data?: { code: string; message: string } }) => {
      socket.close();
      resolve({ refusal: error.data ?? { code: 'none', message: error.message } });
    });
  });
}

const SPEC = (folder: string) => ({
  benchmark: { bundled: 'chain-arithmetic' }, limit: 2,
  models: [{ folder, role: 'base' }], sampling: { n: 4, maxNewTokens: 32 },
});

describe('the coordinator refuses what it must, and keeps serving', () => {
  let coordinator: CoordinatorProcess;
  const dataDir = tempDir('protocol');
  beforeAll(async () => {
    coordinator = await startCoordinator(dataDir, await freePort(), ['--lease-seconds', '2']);
  });
  afterAll(async () => {
    await coordinator?.kill('SIGTERM');
  });

  it('refuses a wrong token, another protocol version and a malformed hello, each with its reason', async () => {
    expect(await connectRaw(coordinator.url, hello('pkw_wrong'))).toMatchObject({ refusal: { code: 'bad-token', message: expect.stringContaining('wrong join token') } });
    expect(await connectRaw(coordinator.url, hello(coordinator.workerToken, { protocol: PROTOCOL_VERSION + 1 }))).toMatchObject({
      refusal: { code: 'bad-protocol', message: expect.stringContaining(`speaks protocol ${PROTOCOL_VERSION}, the worker ${PROTOCOL_VERSION + 1}`) },
    });
    expect(await connectRaw(coordinator.url, { protocol: PROTOCOL_VERSION, token: coordinator.workerToken, worker: { id: '../../x' } })).toMatchObject({ refusal: { code: 'bad-hello' } });
    // The worker program says so and stops, instead of retrying forever.
    const worker = spawnSync(process.execPath, ['bin/passk.js', 'worker', '--join', coordinator.workerUrl, '--token', 'pkw_wrong'], { encoding: 'utf8', timeout: 60_000 });
    expect(worker.status).toBe(1);
    expect(worker.stderr).toContain('the coordinator refused this worker: wrong join token');
  });

  it('answers malformed, unknown and foreign requests with an error, on the same connection', async () => {
    const connected = await connectRaw(coordinator.url, hello(coordinator.workerToken));
    if (!('socket' in connected)) throw new Error(JSON.stringify(connected));
    const { socket } = connected;
    try {
      expect(await sendRequest(socket, workerRequests, 'lease:request', { kinds: ['nap'] } as never, 5000)).toMatchObject({ ok: false, error: expect.stringMatching(/^lease:request: malformed request \(kinds\.0: /) });
      expect(await socket.timeout(5000).emitWithAck('lease:steal', {})).toEqual({ ok: false, error: 'unknown request "lease:steal"' });
      expect(await sendRequest(socket, workerRequests, 'results:samples', { leaseId: 424242, ep: 'cpu', samples: [{ index: 0, text: 'x', tokens: 1, finish: 'stop', logprob: 0 }] }, 5000))
        .toMatchObject({ ok: false, error: 'unknown lease 424242' });
      expect(await sendRequest(socket, workerRequests, 'lease:complete', { leaseId: 424242, tokens: 0, seconds: 0 }, 5000)).toMatchObject({ ok: false, error: 'unknown lease 424242' });
      const tooLong = 'y'.repeat(4 * 1024 * 1024 + 1);
      expect(await sendRequest(socket, workerRequests, 'results:samples', { leaseId: 1, ep: 'cpu', samples: [{ index: 0, text: tooLong, tokens: 1, finish: 'stop', logprob: 0 }] }, 20_000))
        .toMatchObject({ ok: false, error: expect.stringContaining('samples.0.text: Too big') });
      expect(await sendRequest(socket, workerRequests, 'lease:heartbeat', { leases: [] }, 5000)).toEqual({ ok: true, value: { cancel: [] } });
    } finally {
      socket.close();
    }
  });

  it('drops a connection that sends more than the message limit, and serves the next one', async () => {
    const connected = await connectRaw(coordinator.url, hello(coordinator.workerToken));
    if (!('socket' in connected)) throw new Error(JSON.stringify(connected));
    const closed = new Promise<string>((resolve) => connected.socket.once('disconnect', resolve));
    connected.socket.emit('results:samples', { blob: 'z'.repeat(33 * 1024 * 1024) });
    expect(await closed).toMatch(/transport (close|error)/);
    const next = await connectRaw(coordinator.url, hello(coordinator.workerToken));
    if (!('socket' in next)) throw new Error(JSON.stringify(next));
    expect(await sendRequest(next.socket, workerRequests, 'lease:heartbeat', { leases: [] }, 5000)).toEqual({ ok: true, value: { cancel: [] } });
    next.socket.close();
  }, 60_000);

  it('serves model files only by content address and to the join token: no path can be named', async () => {
    const get = (path: string, token?: string) => fetch(`${coordinator.url}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
    const passwd = createHash('sha256').update(readFileSync('/etc/passwd')).digest('hex');
    expect((await get(`/files/${passwd}`)).status).toBe(401);
    const unknown = await get(`/files/${passwd}`, coordinator.workerToken);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('no model file with sha256');
    for (const path of ['/files/../../etc/passwd', '/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd', `/files/${passwd}/../../../etc/passwd`, '/etc/passwd']) {
      const response = await get(path, coordinator.workerToken);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('root:');
    }
  });

  it('fails a shard whose model file no longer matches its sha256, saying which file, and still finishes other runs', async () => {
    const folder = join(tempDir('changed-model'), 'base');
    cpSync(bundledModelDir('base'), folder, { recursive: true });
    const client = await connect(coordinator);
    const worker = startWorker(coordinator, 'w-files');
    try {
      const created = await client.request('run:create', { spec: SPEC(folder) });
      expect(created.ok).toBe(true);
      // Same size, other bytes: only the hash can tell.
      const config = join(folder, 'config.json');
      writeFileSync(config, readFileSync(config, 'utf8').replace('"', "'"));
      const runId = created.ok ? created.value.id : '';
      const final = await waitForRun(client, runId, 120_000);
      expect(final.status).toBe('failed');
      expect(final.failures[0]).toMatchObject({ kind: 'sample', attempts: 4, error: expect.stringMatching(/file config\.json: downloaded bytes have sha256 [0-9a-f]{64}, expected [0-9a-f]{64}/) });
      // And `passk runs show` says so, reading the data directory while the coordinator runs.
      const shown = spawnSync(process.execPath, ['bin/passk.js', 'runs', 'show', created.ok ? created.value.name : '', '--data-dir', dataDir], { encoding: 'utf8' });
      expect(shown.stdout).toMatch(/: failed — \d shards? failed after every attempt/);
      expect(shown.stdout).toMatch(/failed shards:\n {2}sample base\/chain-arithmetic-\S+ \[0,4\) after 4 attempts: .*file config\.json: downloaded bytes have sha256/);
      // The same coordinator and worker finish a run whose model is intact.
      const good = await client.request('run:create', { spec: SPEC(bundledModelDir('base')) });
      expect(await waitForRun(client, good.ok ? good.value.id : '', 120_000)).toMatchObject({ status: 'done' });
    } finally {
      client.close();
      await worker.kill('SIGTERM');
    }
  }, 180_000);
});

const openssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;
if (!openssl) console.warn('skipping the TLS test: it makes its certificate with openssl (apt-get install openssl)');

describe('TLS', () => {
  it.skipIf(!openssl)('serves workers over wss:// with the certificate they are given; a worker without it cannot join', async () => {
    const dir = tempDir('tls');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
    const coordinator = await startCoordinator(tempDir('tls-data'), await freePort(), ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')]);
    expect(coordinator.workerUrl).toMatch(/^wss:\/\//);
    const worker = startWorker(coordinator, 'tls-worker', ['--ca', join(dir, 'cert.pem')]);
    const { connectUi } = await import('../cli/ui-client.ts');
    const client = await connectUi(coordinator.url, coordinator.uiToken, readFileSync(join(dir, 'cert.pem')));
    try {
      const created = await client.request('run:create', { spec: SPEC(bundledModelDir('base')) });
      expect(await waitForRun(client, created.ok ? created.value.id : '', 120_000)).toMatchObject({ status: 'done' });
      const untrusted = spawnSync(process.execPath, ['bin/passk.js', 'worker', '--join', coordinator.workerUrl, '--token', coordinator.workerToken], { encoding: 'utf8', timeout: 8000 });
      expect(untrusted.stderr).not.toContain('joined');
    } finally {
      client.close();
      await worker.kill('SIGTERM');
      await coordinator.kill('SIGTERM');
    }
  }, 180_000);
});
