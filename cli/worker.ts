import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { defaultCacheDir } from '../src/node/app-dirs.ts';
import { EP_CHOICES } from '../workers/engine/execution-provider.ts';
import { Worker, WorkerRefused } from '../workers/worker/worker.ts';
import { UsageError, type Command } from './command.ts';
import { num, oneOf, str } from './options.ts';
import { VERSION } from './version.ts';

const usage = `passk worker --join URL --token TOKEN [options]

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

Exit codes: 0 drained, 1 refused by the coordinator (wrong token or version), 2 bad options.`;

export const workerCommand: Command = {
  summary: 'join a coordinator and sample, verify and score the shards it leases',
  usage,
  options: {
    join: { type: 'string' }, token: { type: 'string' }, name: { type: 'string' }, slots: { type: 'string' },
    threads: { type: 'string' }, ep: { type: 'string' }, batch: { type: 'string' }, 'cache-dir': { type: 'string' }, ca: { type: 'string' },
  },
  async run(values) {
    const url = str(values, 'join');
    if (!url || !/^(wss?|https?):\/\/[^/]+/.test(url)) throw new UsageError('--join URL is required: the coordinator\'s address, e.g. ws://host:7077 (as `passk coordinator` prints it)');
    const token = str(values, 'token') ?? process.env.PASSK_TOKEN;
    if (!token) throw new UsageError('--token TOKEN (or PASSK_TOKEN) is required: the join token `passk coordinator` prints');
    const caPath = str(values, 'ca');
    let ca: Buffer | undefined;
    if (caPath !== undefined) {
      try {
        ca = readFileSync(caPath);
      } catch (error) {
        throw new UsageError(`--ca ${caPath}: ${(error as Error).message}`);
      }
    }
    const name = str(values, 'name') ?? hostname();
    const tty = process.stderr.isTTY;
    let lastLine = 0;
    let lastBusy = false;
    const worker = new Worker({
      url, token, name, ca, version: VERSION,
      slots: num(values, 'slots', true, 1) ?? 1,
      threads: num(values, 'threads', true, 1),
      ep: oneOf(values, 'ep', EP_CHOICES) ?? 'auto',
      batch: num(values, 'batch', true, 1) ?? 64,
      cacheDir: str(values, 'cache-dir') ?? defaultCacheDir(),
      log: (line) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}passk worker: ${line}\n`),
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
