import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/core/protocol/ui-protocol.ts';
import { MATH_TEMPLATE } from '../src/coordinator/runs/resolve-experiment.ts';
import { bundledModelDir } from '../src/node/resources.ts';
import { openEngine } from '../workers/engine/open-engine.ts';
import { connect, freePort, PASSK, startCoordinator, startServe, startWorker, tempDir, waitForRun, type LabProcess, type ServeProcess } from './support/lab.ts';

// The same small experiment twice on one coordinator: through the onnx engine, and through
// `passk worker --backend openai` against `passk serve` on loopback. The two draw different
// random streams from the same models with the same settings, so their pass@k must agree
// within the bootstrap intervals. The rl worker reaches the server through a proxy that
// answers 503, 429 and drops connections on a fixed count: its retries must lose nothing.
// Served, base is asked through /v1/completions with the prompt rendered by the worker, rl
// through /v1/chat/completions with the server's template: the same prompt text either way.
const models = (served: boolean) => [
  { folder: bundledModelDir('base'), role: 'base', ...(served ? { served: 'base' } : {}) },
  { folder: bundledModelDir('rl'), role: 'rl', ...(served ? { served: { model: 'rl', endpoint: 'chat' } } : {}) },
];
const spec = (served: boolean) => ({
  benchmark: { bundled: 'chain-arithmetic' }, limit: 6, shardSize: 8, models: models(served),
  sampling: { n: 16, maxNewTokens: 48, seed: '23' }, ...(served ? { scoring: [{ answers: 'rl', under: 'base' }] } : {}),
});
const TOTAL = 2 * 6 * 16;

/** A stand-in for an overloaded server in front of the real one: request k is answered 503 if k % 5 = 0, 429 if k % 7 = 0, dropped if k % 11 = 0. */
async function faultyProxy(target: string): Promise<{ url: string; faults: Record<string, number>; close(): Promise<void> }> {
  const faults = { 503: 0, 429: 0, dropped: 0 };
  let k = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'POST') {
      k++;
      if (k % 5 === 0) { faults[503]++; res.writeHead(503, { 'Content-Type': 'application/json' }); return res.end('{"error":{"message":"overloaded","type":"server_error"}}'); }
      if (k % 7 === 0) { faults[429]++; res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '0' }); return res.end('{"error":{"message":"slow down","type":"rate_limit_error"}}'); }
      if (k % 11 === 0) { faults.dropped++; return req.socket.destroy(); }
    }
    const answer = await fetch(`${target}${req.url!.replace(/^\/v1/, '')}`, { method: req.method, headers: { 'content-type': 'application/json' }, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/v1`, faults, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

let serve: ServeProcess;
beforeAll(async () => {
  serve = await startServe(['--model', bundledModelDir('base'), '--model', bundledModelDir('rl'), '--port', String(await freePort()), '--threads', '1']);
}, 90_000);
afterAll(async () => {
  await serve?.kill('SIGTERM');
});

describe('the openai worker backend against passk serve', () => {
  it('finishes a run whose pass@k agrees with the onnx backend\'s within the intervals, scores through echo, and retries what fails', async () => {
    const dataDir = tempDir('openai');
    const coordinator = await startCoordinator(dataDir, await freePort());
    const proxy = await faultyProxy(serve.baseUrl);
    const openai = (model: string, url: string) => startWorker(coordinator, `openai-${model}`, ['--backend', 'openai', '--base-url', url, '--served-model', model, '--concurrency', '8']);
    const workers: LabProcess[] = [startWorker(coordinator, 'onnx'), openai('base', serve.baseUrl), openai('rl', proxy.url)];
    const client = await connect(coordinator);
    try {
      const created = await Promise.all([spec(false), spec(true)].map((s) => client.request('run:create', { spec: s })));
      const [onnxRun, servedRun] = created.map((c) => {
        if (!c.ok) throw new Error(c.error);
        return c.value.id;
      });
      const logs = () => workers.map((w, i) => `worker ${i}:\n${w.log().slice(-3000)}`).join('\n');
      for (const runId of [onnxRun, servedRun]) {
        const final = await waitForRun(client, runId, 240_000, () => {
          if (workers.some((w) => w.child.exitCode !== null)) throw new Error('a worker exited');
        }).catch((error: Error) => { throw new Error(`${error.message}\n${logs()}`); });
        expect(final.status, logs()).toBe('done');
      }
      const report = async (runId: string) => {
        const r = await client.request('run:report', { runId });
        if (!r.ok) throw new Error(r.error);
        return r.value;
      };
      const [a, b] = [await report(onnxRun), await report(servedRun)];
      expect([a.samples, b.samples]).toEqual([TOTAL, TOTAL]);
      expect(a.reproducible).toBe(true);
      expect(b.reproducible).toBe(false);
      expect(b.sources.map((s) => [s.modelId, s.ep, s.samples, s.server?.model, s.server?.endpoint, s.server?.request.temperature])).toEqual([
        ['base', 'server', 96, 'base', 'completions', 0.6], ['rl', 'server', 96, 'rl', 'chat', 0.6],
      ]);
      expect(b.sources.find((s) => s.modelId === 'rl')!.server!.baseUrl).toBe(proxy.url);

      // Agreement: for each model and k, the two runs' 95% bootstrap intervals overlap.
      type Models = { model: string; passAtK: Record<string, number>; ci: Record<string, [number, number]> }[];
      const curves = (r: RunReport) => (r.report as { models: Models }).models;
      for (const model of curves(a)) {
        const other = curves(b).find((m) => m.model === model.model)!;
        for (const k of Object.keys(model.passAtK)) {
          const [lo1, hi1] = model.ci[k];
          const [lo2, hi2] = other.ci[k];
          expect(lo1 <= hi2 && lo2 <= hi1, `${model.model} pass@${k}: onnx ${model.passAtK[k]} [${lo1}, ${hi1}] vs served ${other.passAtK[k]} [${lo2}, ${hi2}]`).toBe(true);
        }
      }

      expect(proxy.faults[503] + proxy.faults[429] + proxy.faults.dropped).toBeGreaterThan(10);
      const rlLog = workers[2].log();
      for (const sign of ['answered 503', 'answered 429', 'cannot reach']) expect(rlLog).toContain(sign);
      expect(rlLog).toMatch(/retry \d\/6 in/);

      // Scores of rl's answers under base, through the server's echoed log-probabilities,
      // equal the engine's own teacher-forced scores of the same texts.
      const db = new Database(join(dataDir, 'passk.sqlite'), { readonly: true });
      const rows = db.prepare(`SELECT p.text AS problem, s.text AS answer, sc.tokens, sc.logprob FROM scores sc
          JOIN samples s USING (run_id, model_id, problem_id, sample_index) JOIN problems p ON p.run_id = s.run_id AND p.id = s.problem_id
          WHERE sc.run_id = ? ORDER BY sc.problem_id, sc.sample_index`).all(servedRun) as { problem: string; answer: string; tokens: number; logprob: number }[];
      db.close();
      expect(rows).toHaveLength(TOTAL / 2);
      const engine = await openEngine(bundledModelDir('base'), { ep: 'cpu', threads: 1 });
      if (!engine.ok) throw new Error(engine.error);
      for (const row of rows.filter((r) => r.answer !== '').slice(0, 8)) {
        const { codec, scorer } = engine.value;
        const ids = codec.encode(row.answer);
        const own = await scorer.score(codec.encode(codec.formatPrompt(row.problem, 'chat', MATH_TEMPLATE)), ids);
        expect(row.tokens).toBe(ids.length);
        expect(row.logprob).toBeCloseTo(own.logprob, 3);
      }
      await engine.value.release();
    } finally {
      client.close();
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      await proxy.close();
      await coordinator.kill('SIGTERM');
    }
  }, 300_000);

  it('refuses to start against a server that is down, a wrong key, or a model the server does not serve, saying which', async () => {
    const worker = (...args: string[]) => spawnSync(process.execPath, [...PASSK, 'worker', '--join', 'ws://127.0.0.1:1', '--token', 'pkw_x', '--backend', 'openai', ...args], { encoding: 'utf8', timeout: 60_000 });
    const down = `http://127.0.0.1:${await freePort()}/v1`;
    const cases: [string[], RegExp][] = [
      [['--base-url', down, '--served-model', 'base'], new RegExp(`cannot reach ${down.replace(/[./]/g, '\\$&')}/models: .*is the server running`)],
      [['--base-url', serve.baseUrl, '--served-model', 'llama-70b'], /serves "base", "rl", not "llama-70b" \(--served-model\)/],
      [['--base-url', serve.baseUrl.replace(/\/v1$/, ''), '--served-model', 'base'], /not found \(404\); --base-url should be the server's API root/],
      [['--served-model', 'base'], /--backend openai needs --base-url URL/],
    ];
    for (const [args, message] of cases) {
      const run = worker(...args);
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    // passk run alone has only onnx workers: a served model needs a coordinator and openai workers.
    const specFile = join(tempDir('served-spec'), 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec(true)));
    const local = spawnSync(process.execPath, [...PASSK, 'run', specFile, '--data-dir', tempDir('served-local')], { encoding: 'utf8', timeout: 60_000 });
    expect(local.status).toBe(2);
    expect(local.stderr).toMatch(/models\[0\] is drawn from an inference server \(served "base"\), which local workers do not do: start `passk coordinator`/);
    const keyed = await startServe(['--model', bundledModelDir('base'), '--port', String(await freePort()), '--api-key', 'right', '--threads', '1']);
    try {
      const run = worker('--base-url', keyed.baseUrl, '--served-model', 'base', '--api-key', 'wrong');
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/refused the API key \(401: .*\); pass the server's key with --api-key/);
    } finally {
      await keyed.kill('SIGTERM');
    }
  }, 120_000);
});
