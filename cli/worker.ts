import { hostname } from 'node:os';
import { defaultCacheDir } from '../src/node/app-dirs.ts';
import { EP_CHOICES } from '../workers/engine/execution-provider.ts';
import { openAiBackend } from '../workers/openai/openai-backend.ts';
import type { WorkerBackend } from '../workers/worker/lease-runner.ts';
import { onnxBackend } from '../workers/worker/onnx-backend.ts';
import { Worker, WorkerRefused } from '../workers/worker/worker.ts';
import { UsageError, type Command } from './command.ts';
import { num, oneOf, readPemOption, str, type Values } from './options.ts';
import { VERSION } from './version.ts';

const usage = `passk worker --join URL --token TOKEN [options]
passk worker --join URL --token TOKEN --backend openai --base-url URL --served-model NAME [options]

Joins a coordinator and works for it: draws samples, verifies and scores them, as shards are
leased to it, until stopped. Ctrl-C once finishes the shards in hand and leaves; twice
hands them back at once (the coordinator queues them again). It may join or leave at any
moment without losing work; after a network failure it reconnects by itself.

  --join URL         the coordinator (ws://host:7077, or wss:// with TLS), as \`passk coordinator\` prints
  --token TOKEN      the workers' join token (or the PASSK_TOKEN environment variable)
  --name NAME        how the coordinator lists it (default: this host's name)
  --slots K          shards sampled at once, each on its own onnxruntime session (default 1)
  --threads T        onnxruntime CPU threads per slot (default: the cores shared among the slots)
  --ep EP            auto | cpu | cuda | webgpu (default auto: CUDA when its EP loads)
  --batch B          rows decoded together (default 64; the samples are the same for any B)
  --cache-dir DIR    where downloaded models are kept (default ${defaultCacheDir()})
  --ca FILE          a CA certificate to trust, for a coordinator with a self-signed TLS certificate

With --backend openai the samples come from an OpenAI-compatible server (vLLM, SGLang,
\`passk serve\`) instead of onnxruntime, for the run models whose spec says
\`served: NAME\`. Such samples are recorded with the server and are not bitwise
reproducible (a seed per sample is sent, but servers batch requests differently).
  --backend B        onnx (default) | openai
  --base-url URL     the server's API root, e.g. http://gpu1:8000/v1
  --api-key K        its API key (default OPENAI_API_KEY; vLLM without --api-key takes any)
  --served-model N   the model name it serves (vLLM's --served-model-name)
  --concurrency C    requests in flight at most (default 32)
  --slots K          leases held at once (default 4 with openai)
  --samples-per-request N
                     n of each request (default 1: a seed for every sample)
  --max-retries R    retries of a request on 429, 5xx or a lost connection, with backoff (default 6)
  --request-timeout S
                     seconds one request may take (default 600)

Exit codes: 0 drained, 1 refused by the coordinator (wrong token or version), 2 bad options.`;

export const workerCommand: Command = {
  summary: 'join a coordinator and sample, verify and score the shards it leases',
  usage,
  options: {
    join: { type: 'string' }, token: { type: 'string' }, name: { type: 'string' }, slots: { type: 'string' },
    threads: { type: 'string' }, ep: { type: 'string' }, batch: { type: 'string' }, 'cache-dir': { type: 'string' }, ca: { type: 'string' },
    backend: { type: 'string' }, 'base-url': { type: 'string' }, 'api-key': { type: 'string' }, 'served-model': { type: 'string' },
    concurrency: { type: 'string' }, 'samples-per-request': { type: 'string' }, 'max-retries': { type: 'string' }, 'request-timeout': { type: 'string' },
  },
  async run(values) {
    const url = str(values, 'join');
    if (!url || !/^(wss?|https?):\/\/[^/]+/.test(url)) throw new UsageError('--join URL is required: the coordinator\'s address, e.g. ws://host:7077 (as `passk coordinator` prints it)');
    const token = str(values, 'token') ?? process.env.PASSK_TOKEN;
    if (!token) throw new UsageError('--token TOKEN (or PASSK_TOKEN) is required: the join token `passk coordinator` prints');
    const caPath = str(values, 'ca');
    const ca = caPath === undefined ? undefined : await readPemOption(caPath, '--ca');
    const name = str(values, 'name') ?? hostname();
    const log = (line: string) => process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}passk worker: ${line}\n`);
    const backend = await chooseBackend(values, log);
    const tty = process.stderr.isTTY;
    let lastLine = 0;
    let lastBusy = false;
    const worker = new Worker({
      url, token, name, ca, version: VERSION, backend,
      cacheDir: str(values, 'cache-dir') ?? defaultCacheDir(),
      log,
      // One status line: redrawn in place on a terminal; into a log every 10 s while busy, every 10 min while idle.
      status: (line, busy) => {
        if (tty) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
        else if (busy !== lastBusy || Date.now() - lastLine >= (busy ? 10_000 : 600_000)) {
          lastLine = Date.now();
          lastBusy = busy;
          process.stderr.write(`passk worker: ${line}\n`);
        }
      },
    });
    let interrupts = 0;
    const onSignal = (signal: string) => {
      interrupts++;
      if (interrupts === 1 && signal === 'SIGINT') {
        process.stderr.write('\npassk worker: finishing the shards in hand (Ctrl-C again to hand them back now)\n');
        worker.drain();
      } else {
        process.stderr.write('\npassk worker: handing the shards back\n');
        void worker.stopNow();
      }
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    try {
      await worker.run();
    } catch (error) {
      if (error instanceof WorkerRefused) {
        process.stderr.write(`passk worker: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    process.stderr.write(`${tty ? '\n' : ''}passk worker: stopped\n`);
    return 0;
  },
};

const OPENAI_ONLY = ['base-url', 'api-key', 'served-model', 'concurrency', 'samples-per-request', 'max-retries', 'request-timeout'];

/** The onnx engine, or a server checked before joining: a server that is down, refuses the key or lacks the model stops here with the reason. */
async function chooseBackend(values: Values, log: (line: string) => void): Promise<WorkerBackend> {
  const kind = oneOf(values, 'backend', ['onnx', 'openai'] as const) ?? 'onnx';
  const batch = num(values, 'batch', true, 1) ?? 64;
  if (kind === 'onnx') {
    const stray = OPENAI_ONLY.find((option) => values[option] !== undefined);
    if (stray) throw new UsageError(`--${stray} goes with --backend openai`);
    return onnxBackend({ slots: num(values, 'slots', true, 1) ?? 1, ep: oneOf(values, 'ep', EP_CHOICES) ?? 'auto', threads: num(values, 'threads', true, 1), batch });
  }
  const onnxOnly = ['ep', 'threads'].find((option) => values[option] !== undefined);
  if (onnxOnly) throw new UsageError(`--${onnxOnly} is for the onnx backend; with --backend openai the server decides how it runs the model`);
  const baseUrl = str(values, 'base-url');
  if (!baseUrl || !/^https?:\/\/[^/]+/.test(baseUrl)) throw new UsageError('--backend openai needs --base-url URL: the server\'s API root, e.g. http://gpu1:8000/v1');
  const model = str(values, 'served-model');
  if (!model) throw new UsageError('--backend openai needs --served-model NAME: the name the server serves the model under (GET /v1/models lists them)');
  const chosen = await openAiBackend({
    baseUrl: baseUrl.replace(/\/+$/, ''), apiKey: str(values, 'api-key') ?? null, model,
    concurrency: num(values, 'concurrency', true, 1) ?? 32, slots: num(values, 'slots', true, 1) ?? 4,
    perRequest: num(values, 'samples-per-request', true, 1) ?? 1, maxRetries: num(values, 'max-retries', true, 0) ?? 6,
    timeoutMs: (num(values, 'request-timeout', false, 1) ?? 600) * 1000, batch, log,
  });
  if (!chosen.ok) throw new UsageError(chosen.error);
  log(`drawing samples of "${model}" from ${baseUrl}${chosen.value.scoringProblem ? `; no scoring: ${chosen.value.scoringProblem}` : ', scoring through its prompt log-probabilities'}`);
  return chosen.value.backend;
}
