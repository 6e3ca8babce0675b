// A lab on loopback for multi-process tests: `passk coordinator` and `passk worker` as real
// processes (killed for real in fault tests), driven through the same UI client `passk run` uses.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunOpen, type RunProgress } from '../../src/core/protocol/ui-protocol.ts';
import { connectUi, type UiClient } from '../../cli/ui-client.ts';

export const PASSK = ['bin/passk.js'];

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `passk-${prefix}-`));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LabProcess {
  child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  log(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resolves when the process has exited (sends nothing). */
  exited: Promise<void>;
}

function track(child: ChildProcess): LabProcess {
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { log += chunk; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    exited,
    log: () => log,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * A command as a user runs it in a shell (the printed join command), in a process group of
 * its own: npm exec does not pass SIGTERM on to the worker it starts, so kill() signals the
 * whole group, as a terminal's Ctrl-C does, and resolves once every process of it is gone.
 */
export function startInOwnGroup(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): LabProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const tracked = track(child);
  const group = -child.pid!;
  const alive = () => { try { process.kill(group, 0); return true; } catch { return false; } };
  return {
    ...tracked,
    async kill(signal = 'SIGKILL') {
      if (alive()) process.kill(group, signal);
      await tracked.exited;
      for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive()) process.kill(group, 'SIGKILL');
    },
  };
}

export interface CoordinatorProcess extends LabProcess {
  url: string;
  workerUrl: string;
  workerToken: string;
  uiToken: string;
}

/** `passk coordinator` on a given port and data directory; resolves once it prints its join command. */
export async function startCoordinator(dataDir: string, port: number, extra: string[] = [], passk: string[] = PASSK): Promise<CoordinatorProcess> {
  const child = spawn(process.execPath, [...passk, 'coordinator', '--data-dir', dataDir, '--port', String(port), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const tracked = track(child);
  let out = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coordinator did not start: ${out}${tracked.log()}`)), 30_000);
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Submit a run:') && /pku_\S+/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`coordinator exited (${code}): ${out}${tracked.log()}`)); });
  });
  return {
    ...tracked,
    url: /on (https?:\/\/\S+) /.exec(out)![1],
    workerUrl: /--join (wss?:\/\/\S+)/.exec(out)![1],
    workerToken: /(pkw_\S+)/.exec(out)![1],
    uiToken: /(pku_\S+)/.exec(out)![1],
  };
}

export function startWorker(coordinator: { workerUrl: string; workerToken: string }, name: string, extra: string[] = []): LabProcess {
  // One onnxruntime thread each on the onnx engine; a worker drawing from a server has none to set.
  const threads = extra.includes('--backend') ? [] : ['--threads', '1'];
  return track(spawn(process.execPath, [...PASSK, 'worker', '--join', coordinator.workerUrl, '--token', coordinator.workerToken, '--name', name, ...threads, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PASSK_CACHE_DIR: tempDir('cache') },
  }));
}

export const connect = (c: CoordinatorProcess): Promise<UiClient> => connectUi(c.url, c.uiToken);

export interface ServeProcess extends LabProcess {
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string;
}

/** `passk serve` with these arguments; resolves once it listens. */
export async function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...PASSK, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const tracked = track(child);
  let out = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`passk serve did not start: ${out}${tracked.log()}`)), 60_000);
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      if (/ on http:\/\/\S+\/v1: /.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`passk serve exited (${code}): ${out}${tracked.log()}`)); });
  });
  return { ...tracked, baseUrl: / on (http:\/\/\S+\/v1): /.exec(out)![1] };
}

/** Polls the run until it ends (or the time is up, which fails the test with the last progress). */
export async function waitForRun(client: UiClient, runId: string, timeoutMs: number, onProgress?: (p: RunProgress) => void | Promise<void>): Promise<RunProgress> {
  const deadline = Date.now() + timeoutMs;
  let last: RunProgress | null = null;
  while (Date.now() < deadline) {
    const p = await client.request('run:progress', { runId }, 5000);
    if (p.ok) {
      last = p.value;
      await onProgress?.(p.value);
      if (!isRunOpen(p.value.status)) return p.value;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`run ${runId} did not finish within ${timeoutMs} ms; last progress ${JSON.stringify(last)}`);
}

/** `passk run … --json`: its last stdout line. */
export function passkRunJson(args: string[]): { status: number | null; json: { samplesDigest: string; samples: number; status: string; models: unknown[] } | null; stderr: string } {
  const result = spawnSync(process.execPath, [...PASSK, 'run', ...args, '--json'], { encoding: 'utf8', timeout: 180_000 });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  let json = null;
  try {
    json = JSON.parse(last);
  } catch {
    json = null;
  }
  return { status: result.status, json, stderr: result.stderr };
}
